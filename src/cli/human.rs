//! The human report: rustc-style diagnostics with the note's line, a caret
//! under the finding and the sources' words, then a summary line.
//!
//! ```text
//! warning[figure-mismatch]: note says $450 million; sources say ...
//!   --> notes.md:11:48
//!    |
//! 11 | Per the partner's filing, the purchase price was $450 million.
//!    |                                                  ^^^^^^^^^^^^
//!    = source: corpus/000.txt:3:180: "…for 2 billion yuan ($300 million)…"
//! ```
//!
//! Carets are placed by display width (CJK and most emoji take two terminal
//! cells, combining marks none), tabs show as four spaces, and very long lines
//! are cut to a window around the finding.

use std::io::{self, Write};

use super::report::Diagnostic;
use super::snippet::fold_spaces;
use crate::check::Severity;

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub notes: usize,
    pub sources: usize,
}

/// ANSI styles, or nothing when colour is off.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn level(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;32",
            Severity::Hint => "1;36",
        };
        self.paint(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Writes the diagnostics at or above `shown_from`, then the summary line.
pub fn write_human(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    shown_from: Severity,
    summary: Summary,
    color: bool,
) -> io::Result<()> {
    let style = Style { color };
    let mut counts = [0usize; 4];
    for diagnostic in diagnostics.iter().filter(|d| d.severity >= shown_from) {
        counts[diagnostic.severity as usize] += 1;
        write_diagnostic(out, diagnostic, &style)?;
        writeln!(out)?;
    }
    let [hints, information, warnings, errors] = counts;
    let mut parts = vec![
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        format!("{information} information"),
    ];
    if hints > 0 {
        parts.push(plural(hints, "hint", "hints"));
    }
    let line = format!(
        "{} in {} ({})",
        parts.join(", "),
        plural(summary.notes, "note", "notes"),
        plural(summary.sources, "source", "sources"),
    );
    writeln!(out, "{}", style.bold(&line))
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn write_diagnostic(out: &mut dyn Write, diagnostic: &Diagnostic, style: &Style) -> io::Result<()> {
    let header = format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code);
    writeln!(
        out,
        "{}{}",
        style.level(diagnostic.severity, &header),
        style.bold(&format!(": {}", one_line(&diagnostic.message)))
    )?;
    let snippet = &diagnostic.snippet;
    let number = snippet.line_number.to_string();
    let pad = " ".repeat(number.len());
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.gutter("-->"),
        diagnostic.path,
        diagnostic.range.line,
        diagnostic.range.column
    )?;
    writeln!(out, "{pad} {}", style.gutter("|"))?;
    writeln!(
        out,
        "{} {}",
        style.gutter(&format!("{number} |")),
        snippet.text.trim_end()
    )?;
    writeln!(
        out,
        "{pad} {} {}{}",
        style.gutter("|"),
        " ".repeat(snippet.marker_start),
        style.level(diagnostic.severity, &"^".repeat(snippet.marker_width))
    )?;
    for related in &diagnostic.related {
        // A converted source is named by its page or element, which a
        // person can find in the original; line and column are only for
        // the extracted text.
        let place = match (&related.page, &related.fragment, &related.text_path) {
            (Some(page), _, _) => format!("{} p. {page}", related.path),
            (None, Some(fragment), _) => format!("{}{fragment}", related.path),
            (None, None, Some(_)) => related.path.clone(),
            (None, None, None) => format!(
                "{}:{}:{}",
                related.path, related.range.line, related.range.column
            ),
        };
        writeln!(
            out,
            "{pad} {} {} {place}: \"{}\"",
            style.gutter("="),
            style.bold("source:"),
            related.excerpt
        )?;
    }
    Ok(())
}

fn one_line(message: &str) -> String {
    fold_spaces(message).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::{diagnostics, tests::fixture};

    fn render(color: bool, shown_from: Severity) -> String {
        let (corpus, notes) = fixture();
        let paths = vec!["corpus/000.txt".to_string()];
        let diagnostics = diagnostics(&notes, &corpus, &paths);
        let mut out = Vec::new();
        let summary = Summary {
            notes: 1,
            sources: 1,
        };
        write_human(&mut out, &diagnostics, shown_from, summary, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_report_marks_the_figure_by_display_width() {
        // The emoji is two cells wide, so the carets sit one cell right of its
        // scalar-value column.
        expect_test::expect![[r#"
            error[unknown-source]: no source "x"
             --> notes.md:1:1
              |
            1 | # Notes
              | ^

            warning[figure-mismatch]: note says $450 million; sources say 2 billion yuan ($300 million) [000]
             --> notes.md:3:20
              |
            3 | “Café” — £5 😀 then $450 million here.
              |                     ^^^^^^^^^^^^
              = source: corpus/000.txt:2:25: "The buyer agreed to pay 2 billion yuan ($300 million) in cash for the assets."

            1 error, 1 warning, 0 information in 1 note (1 source)
        "#]]
        .assert_eq(&render(false, Severity::Information));
    }

    #[test]
    fn colour_only_when_asked_and_filtering_by_severity() {
        let plain = render(false, Severity::Error);
        assert!(!plain.contains('\x1b'));
        assert!(!plain.contains("figure-mismatch"));
        assert!(plain.ends_with("1 error, 0 warnings, 0 information in 1 note (1 source)\n"));
        let colored = render(true, Severity::Hint);
        assert!(colored.contains("\x1b[1;33mwarning[figure-mismatch]\x1b[0m"));
        assert!(colored.contains("\x1b[1;33m^^^^^^^^^^^^\x1b[0m"));
    }
}
