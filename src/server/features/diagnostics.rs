//! Which findings an editor shows for a note, with the severities the
//! workspace's config gives them, and the one notice for a missing corpus.

use crate::check::{Code, Finding, NoteAnalysis};
use crate::text::{LineIndex, Span};

use super::super::workspace::WorkspaceConfig;

/// The analysis's findings with configured severities; codes turned off are dropped.
pub fn findings(analysis: &NoteAnalysis, config: &WorkspaceConfig) -> Vec<Finding> {
    analysis
        .findings
        .iter()
        .filter_map(|finding| {
            let severity = config.severity_of(finding.code)?;
            Some(Finding {
                severity,
                ..finding.clone()
            })
        })
        .collect()
}

/// One information finding on the note's first line saying why nothing was checked.
pub fn no_corpus(
    text: &str,
    lines: &LineIndex,
    reason: &str,
    config: &WorkspaceConfig,
) -> Option<Finding> {
    let severity = config.severity_of(Code::NoCorpus)?;
    let first_line = lines.line_span(text, 0);
    Some(Finding {
        span: Span::new(0, first_line.end()),
        code: Code::NoCorpus,
        severity,
        message: format!("refnotes checked nothing: {reason}"),
        related: Vec::new(),
        fixes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Severity;
    use crate::server::settings::Settings;
    use crate::server::workspace::resolve;

    fn finding(code: Code) -> Finding {
        Finding {
            span: Span::new(0, 1),
            code,
            severity: code.default_severity(),
            message: String::new(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    #[test]
    fn configured_severities_apply_and_off_drops() {
        let settings = Settings::from_json(Some(&serde_json::json!({
            "severity": {"misquote": "error", "unsupported-figure": "off"}
        })));
        let config = resolve(std::path::Path::new("/nowhere"), &settings, &mut Vec::new());
        let analysis = NoteAnalysis {
            findings: vec![
                finding(Code::Misquote),
                finding(Code::UnsupportedFigure),
                finding(Code::FigureMismatch),
            ],
            claims: Vec::new(),
        };
        let shown: Vec<(Code, Severity)> = findings(&analysis, &config)
            .into_iter()
            .map(|f| (f.code, f.severity))
            .collect();
        assert_eq!(
            shown,
            [
                (Code::Misquote, Severity::Error),
                (Code::FigureMismatch, Severity::Warning)
            ]
        );
        let text = "“Title” line\nmore";
        let notice = no_corpus(text, &LineIndex::new(text), "no corpus folder", &config).unwrap();
        assert_eq!(notice.span, Span::new(0, "“Title” line".len()));
        assert_eq!(notice.severity, Severity::Information);
    }
}
