//! Findings turned into reports: lines and columns for people and tools, and
//! the JSON and SARIF formats.
//!
//! [`diagnostics`] is the one place where the engine's byte spans become
//! 1-based lines and columns (columns count Unicode scalar values; ends are
//! exclusive). The renderers below and in [`super::human`] only format the
//! [`Diagnostic`]s it returns.
//!
//! The JSON format is stable (`"version": 1`):
//!
//! ```json
//! {"version": 1, "diagnostics": [{"path": "notes.md", "line": 12, "column": 40,
//!   "end_line": 12, "end_column": 52, "severity": "warning", "code": "figure-mismatch",
//!   "message": "...", "related": [{"path": "corpus/000.txt", "line": 3, "column": 180,
//!   "end_line": 3, "end_column": 215, "message": "..."}]}]}
//! ```
//!
//! A related passage in a converted source (PDF, HTML, DOCX, EPUB) keeps the
//! original as `path`, adds `page` (PDF) or `fragment` (an HTML element id),
//! and `text_path`, the readable copy of the extracted text that its lines
//! and columns refer to.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::snippet::{excerpt, Snippet};
use crate::check::{Code, Finding, Severity};
use crate::corpus::Corpus;
use crate::text::{ColumnUnit, LineIndex, Span};

/// The version of the JSON report's shape.
pub const JSON_VERSION: u32 = 1;

/// One checked note and what the engine (and config) made of it.
#[derive(Clone, Debug)]
pub struct NoteFindings {
    /// The path to show: as given on the command line, or as found by walking.
    pub path: String,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// A 1-based line/column range, end exclusive, columns in Unicode scalar values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Range {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Range {
    pub fn of(text: &str, lines: &LineIndex, span: Span) -> Range {
        let start = lines.line_col(text, span.start(), ColumnUnit::Char);
        let end = lines.line_col(text, span.end().max(span.start()), ColumnUnit::Char);
        Range {
            line: start.line as usize + 1,
            column: start.col as usize + 1,
            end_line: end.line as usize + 1,
            end_column: end.col as usize + 1,
        }
    }
}

/// A finding placed in its note, ready to print.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    #[serde(flatten)]
    pub range: Range,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub related: Vec<RelatedLocation>,
    /// The note's line with the finding marked, for the human format.
    #[serde(skip)]
    pub snippet: Snippet,
}

/// A source passage that bears on a diagnostic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelatedLocation {
    pub path: String,
    #[serde(flatten)]
    pub range: Range,
    pub message: String,
    /// The PDF page of the passage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The HTML element (`#id`) the passage is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
    /// For a converted source, the text file `range` refers to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_path: Option<String>,
    /// The passage with a little context, on one line, for the human format.
    #[serde(skip)]
    pub excerpt: String,
}

/// Places every finding; `doc_paths` gives the path to show for each document
/// of `corpus`, by [`DocId`](crate::corpus::DocId) index. Sorted by path, line
/// and column.
pub fn diagnostics(
    notes: &[NoteFindings],
    corpus: &Corpus,
    doc_paths: &[String],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for note in notes {
        let lines = LineIndex::new(&note.text);
        for finding in &note.findings {
            diagnostics.push(diagnostic(note, &lines, finding, corpus, doc_paths));
        }
    }
    diagnostics.sort_by(|a, b| {
        (&a.path, a.range, a.code, &a.message).cmp(&(&b.path, b.range, b.code, &b.message))
    });
    diagnostics
}

impl PartialOrd for Range {
    fn partial_cmp(&self, other: &Range) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Range {
    fn cmp(&self, other: &Range) -> std::cmp::Ordering {
        (self.line, self.column, self.end_line, self.end_column).cmp(&(
            other.line,
            other.column,
            other.end_line,
            other.end_column,
        ))
    }
}

fn diagnostic(
    note: &NoteFindings,
    lines: &LineIndex,
    finding: &Finding,
    corpus: &Corpus,
    doc_paths: &[String],
) -> Diagnostic {
    let text = note.text.as_str();
    let range = Range::of(text, lines, finding.span);
    let line_span = lines.line_span(text, range.line - 1);
    let related = finding
        .related
        .iter()
        .filter_map(|related| {
            let doc = corpus.documents().get(related.doc.index())?;
            Some(RelatedLocation {
                path: doc_paths
                    .get(related.doc.index())
                    .cloned()
                    .unwrap_or_else(|| doc.path.display().to_string()),
                range: Range::of(&doc.text, &doc.lines, related.span),
                message: related.message.clone(),
                page: doc
                    .origin
                    .as_ref()
                    .and_then(|origin| origin.page_at(related.span.start())),
                fragment: doc.origin.as_ref().and_then(|origin| {
                    (origin.format == crate::corpus::formats::Format::Html)
                        .then(|| origin.url_fragment(related.span.start()))
                        .flatten()
                }),
                text_path: doc
                    .origin
                    .as_ref()
                    .map(|_| doc.text_path().display().to_string()),
                excerpt: excerpt(&doc.text, &doc.lines, related.span),
            })
        })
        .collect();
    Diagnostic {
        path: note.path.clone(),
        range,
        severity: finding.severity,
        code: finding.code,
        message: finding.message.clone(),
        related,
        snippet: Snippet::new(text, line_span, finding.span, range.line),
    }
}

/// Writes the JSON report: every diagnostic, whatever its severity.
pub fn write_json(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        diagnostics: &'a [Diagnostic],
    }
    let report = Report {
        version: JSON_VERSION,
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// The SARIF level for a severity.
pub fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// Writes a SARIF 2.1.0 log with one run, one rule per code and a result per
/// diagnostic, whatever its severity.
pub fn write_sarif(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": {"text": code.description()},
                "defaultConfiguration": {"level": sarif_level(code.default_severity())},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            let related: Vec<serde_json::Value> = diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    json!({
                        "id": id,
                        "physicalLocation": physical_location(
                            related.text_path.as_deref().unwrap_or(&related.path),
                            related.range,
                        ),
                        "message": {"text": related.message},
                    })
                })
                .collect();
            json!({
                "ruleId": diagnostic.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|code| *code == diagnostic.code),
                "level": sarif_level(diagnostic.severity),
                "message": {"text": diagnostic.message},
                "locations": [{"physicalLocation": physical_location(&diagnostic.path, diagnostic.range)}],
                "relatedLocations": related,
            })
        })
        .collect();
    let mut driver = json!({
        "name": "refnotes",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// Where people learn about the tool: the package's repository or home page.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn physical_location(path: &str, range: Range) -> serde_json::Value {
    json!({
        "artifactLocation": {"uri": path_to_uri(path)},
        "region": {
            "startLine": range.line,
            "startColumn": range.column,
            "endLine": range.end_line,
            "endColumn": range.end_column,
        },
    })
}

/// A relative URI reference for a relative path, a `file://` URI for an
/// absolute one; reserved characters percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut uri = String::with_capacity(slashed.len());
    if slashed.starts_with('/') {
        uri.push_str("file://");
    } else if slashed.as_bytes().get(1) == Some(&b':') {
        uri.push_str("file:///");
    }
    for byte in slashed.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte);
        let drive_colon = byte == b':' && uri.starts_with("file:///") && !slashed.starts_with('/');
        if keep || drive_colon {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::Related;
    use crate::corpus::{CorpusOptions, DocId, SourceText};

    /// A line with curly quotes, an em dash, é, £ and an emoji before the figure.
    pub(crate) const NOTE: &str = "# Notes\n\n“Café” — £5 😀 then $450 million here.\nlast line\n";
    pub(crate) const SOURCE: &str =
        "Title\nThe buyer agreed to pay 2 billion yuan ($300 million) in cash for the assets.\n";

    pub(crate) fn fixture() -> (Corpus, Vec<NoteFindings>) {
        let corpus = Corpus::from_sources(
            vec![SourceText {
                id: "000".into(),
                path: "corpus/000.txt".into(),
                title: "Title".into(),
                text: SOURCE.into(),
                ..SourceText::default()
            }],
            CorpusOptions::default(),
        );
        let figure = NOTE.find("$450 million").unwrap();
        let source_figure = SOURCE.find("2 billion").unwrap();
        let source_end = SOURCE.find(" in cash").unwrap();
        let findings = vec![
            Finding {
                span: Span::new(figure, figure + "$450 million".len()),
                code: Code::FigureMismatch,
                severity: Severity::Warning,
                message: "note says $450 million; sources say 2 billion yuan ($300 million) [000]"
                    .into(),
                related: vec![Related {
                    doc: DocId(0),
                    span: Span::new(source_figure, source_end),
                    message: "2 billion yuan ($300 million)".into(),
                }],
                fixes: Vec::new(),
            },
            Finding {
                span: Span::new(0, 0),
                code: Code::UnknownSource,
                severity: Severity::Error,
                message: "no source \"x\"".into(),
                related: Vec::new(),
                fixes: Vec::new(),
            },
        ];
        let notes = vec![NoteFindings {
            path: "notes.md".into(),
            text: NOTE.into(),
            findings,
        }];
        (corpus, notes)
    }

    fn doc_paths(corpus: &Corpus) -> Vec<String> {
        corpus
            .documents()
            .iter()
            .map(|doc| doc.path.display().to_string())
            .collect()
    }

    #[test]
    fn columns_are_one_based_unicode_scalars_with_exclusive_ends() {
        let (corpus, notes) = fixture();
        let diagnostics = diagnostics(&notes, &corpus, &doc_paths(&corpus));
        // Sorted by line: the error at 1:1 comes first.
        assert_eq!(
            diagnostics[0].range,
            Range {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1
            }
        );
        // “Café” — £5 😀 then  is 19 scalar values, so the figure starts at column 20.
        assert_eq!(
            diagnostics[1].range,
            Range {
                line: 3,
                column: 20,
                end_line: 3,
                end_column: 32
            }
        );
        assert_eq!(
            diagnostics[1].related[0].range,
            Range {
                line: 2,
                column: 25,
                end_line: 2,
                end_column: 54
            }
        );
    }

    #[test]
    fn json_has_the_documented_shape() {
        let (corpus, notes) = fixture();
        let diagnostics = diagnostics(&notes, &corpus, &doc_paths(&corpus));
        let mut out = Vec::new();
        write_json(&mut out, &diagnostics).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let expected = json!({"version": 1, "diagnostics": [
            {"path": "notes.md", "line": 1, "column": 1, "end_line": 1, "end_column": 1,
             "severity": "error", "code": "unknown-source", "message": "no source \"x\"",
             "related": []},
            {"path": "notes.md", "line": 3, "column": 20, "end_line": 3, "end_column": 32,
             "severity": "warning", "code": "figure-mismatch",
             "message": "note says $450 million; sources say 2 billion yuan ($300 million) [000]",
             "related": [{"path": "corpus/000.txt", "line": 2, "column": 25, "end_line": 2,
                          "end_column": 54, "message": "2 billion yuan ($300 million)"}]},
        ]});
        assert_eq!(value, expected);
        // Keys come in the documented order.
        let text = String::from_utf8(out).unwrap();
        let order = [
            "\"path\"",
            "\"line\"",
            "\"column\"",
            "\"end_line\"",
            "\"end_column\"",
            "\"severity\"",
            "\"code\"",
            "\"message\"",
            "\"related\"",
        ];
        let positions: Vec<usize> = order.iter().map(|key| text.find(key).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    }

    #[test]
    fn sarif_has_the_required_shape() {
        let (corpus, notes) = fixture();
        let diagnostics = diagnostics(&notes, &corpus, &doc_paths(&corpus));
        let mut out = Vec::new();
        write_sarif(&mut out, &diagnostics).unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "refnotes");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        for (rule, code) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule["id"], code.as_str());
            assert_eq!(rule["shortDescription"]["text"], code.description());
            assert_eq!(
                rule["defaultConfiguration"]["level"],
                sarif_level(code.default_severity())
            );
        }
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        let mismatch = &results[1];
        assert_eq!(mismatch["ruleId"], "figure-mismatch");
        assert_eq!(
            rules[mismatch["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "figure-mismatch"
        );
        assert_eq!(mismatch["level"], "warning");
        let location = &mismatch["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "notes.md");
        assert_eq!(
            location["region"],
            json!({"startLine": 3, "startColumn": 20, "endLine": 3, "endColumn": 32})
        );
        let related = &mismatch["relatedLocations"][0];
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "corpus/000.txt"
        );
        assert_eq!(related["message"]["text"], "2 billion yuan ($300 million)");
        assert_eq!(results[0]["level"], "error");
    }

    #[test]
    fn paths_become_uris() {
        for (path, uri) in [
            ("notes.md", "notes.md"),
            ("my notes/a#1.md", "my%20notes/a%231.md"),
            ("/abs/é.md", "file:///abs/%C3%A9.md"),
            ("C:\\x\\n.md", "file:///C:/x/n.md"),
        ] {
            assert_eq!(path_to_uri(path), uri, "{path}");
        }
    }

    #[test]
    fn spans_off_char_boundaries_or_past_the_end_do_not_panic() {
        let (corpus, mut notes) = fixture();
        notes[0].findings[0].span = Span::new(NOTE.find('é').unwrap() + 1, NOTE.len() + 40);
        notes[0].findings[0].related[0].span = Span::new(9999, 10_000);
        let diagnostics = diagnostics(&notes, &corpus, &doc_paths(&corpus));
        assert_eq!(diagnostics.len(), 2);
    }
}
