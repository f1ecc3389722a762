//! Quick fixes: each fix the engine offers for a finding, and "ignore here",
//! which silences one code on one line with a comment the engine honours.

use crate::check::{Code, Edit, Finding};
use crate::text::{LineIndex, Span};

/// A quick fix: edits to the note, tied to the finding it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// Index of the finding in the list given to [`code_actions`].
    pub finding: usize,
}

/// The actions for findings that touch `range`.
pub fn code_actions(
    text: &str,
    lines: &LineIndex,
    findings: &[Finding],
    range: Span,
) -> Vec<Action> {
    let mut actions = Vec::new();
    for (index, finding) in findings.iter().enumerate() {
        let touches = finding.span.overlaps(range)
            || range.is_empty() && finding.span.touches(range.start())
            || finding.span.is_empty() && range.touches(finding.span.start());
        if !touches {
            continue;
        }
        for fix in &finding.fixes {
            let edits: Vec<Edit> = fix
                .edits
                .iter()
                .filter(|edit| edit.span.end() <= text.len())
                .cloned()
                .collect();
            if edits.len() == fix.edits.len() && !edits.is_empty() {
                actions.push(Action {
                    title: fix.title.clone(),
                    edits,
                    preferred: fix.preferred,
                    finding: index,
                });
            }
        }
        if finding.code != Code::NoCorpus {
            actions.push(ignore_here(text, lines, finding, index));
        }
    }
    actions
}

/// `<!-- refnotes-ignore CODE -->` on a line of its own before the finding's line.
fn ignore_here(text: &str, lines: &LineIndex, finding: &Finding, index: usize) -> Action {
    let line = lines.line_of(finding.span.start());
    let start = lines.line_start(line);
    let line_span = lines.line_span(text, line);
    let line_break = match text.get(line_span.end()..).unwrap_or("") {
        rest if rest.starts_with("\r\n") => "\r\n",
        rest if rest.starts_with('\r') => "\r",
        _ => "\n",
    };
    let indent: String = line_span
        .slice(text)
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Action {
        title: format!("Ignore {} on this line", finding.code),
        edits: vec![Edit {
            span: Span::new(start, start),
            text: format!(
                "{indent}<!-- refnotes-ignore {} -->{line_break}",
                finding.code
            ),
        }],
        preferred: false,
        finding: index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Fix, Severity};

    fn finding(span: Span, fixes: Vec<Fix>) -> Finding {
        Finding {
            span,
            code: Code::FigureMismatch,
            severity: Severity::Warning,
            message: "note says $450 million".into(),
            related: Vec::new(),
            fixes,
        }
    }

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_string();
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for edit in edits {
            out.replace_range(edit.span.range(), &edit.text);
        }
        out
    }

    #[test]
    fn each_fix_and_ignore_here_edit_the_note() {
        let text = "# Deal\r\n  - It cost “$450 million” in cash.\r\nEnd\r\n";
        let lines = LineIndex::new(text);
        let at = text.find("$450").unwrap();
        let span = Span::new(at, at + "$450 million".len());
        let fix = Fix {
            title: "Replace with $410 million".into(),
            edits: vec![Edit {
                span,
                text: "$410 million".into(),
            }],
            preferred: true,
        };
        let findings = vec![finding(span, vec![fix])];
        let actions = code_actions(text, &lines, &findings, Span::new(at + 2, at + 2));
        let results: Vec<(String, bool, String)> = actions
            .iter()
            .map(|a| (a.title.clone(), a.preferred, apply(text, &a.edits)))
            .collect();
        assert_eq!(
            results,
            [
                (
                    "Replace with $410 million".to_string(),
                    true,
                    "# Deal\r\n  - It cost “$410 million” in cash.\r\nEnd\r\n".to_string()
                ),
                (
                    "Ignore figure-mismatch on this line".to_string(),
                    false,
                    "# Deal\r\n  <!-- refnotes-ignore figure-mismatch -->\r\n  - It cost “$450 million” in cash.\r\nEnd\r\n".to_string()
                ),
            ]
        );
        // A range elsewhere gets nothing; a fix past the text's end is dropped.
        assert_eq!(code_actions(text, &lines, &findings, Span::new(0, 3)), []);
        let broken = vec![finding(
            span,
            vec![Fix {
                title: "bad".into(),
                edits: vec![Edit {
                    span: Span::new(900, 901),
                    text: String::new(),
                }],
                preferred: true,
            }],
        )];
        let titles: Vec<String> = code_actions(text, &lines, &broken, span)
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["Ignore figure-mismatch on this line"]);
    }
}
