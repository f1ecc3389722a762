//! The one place that converts between the engine's byte offsets and the
//! protocol's lines, columns and URIs, in both directions.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{
    ClientCapabilities, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent,
    TextEdit, Uri,
};

use crate::check::{Edit, Finding, Severity};
use crate::corpus::copies::Copies;
use crate::corpus::Corpus;
use crate::text::{ColumnUnit, LineCol, LineIndex, Span};

use super::document::{RawPosition, TextChange, TextSnapshot};
use super::features::SourceSpan;

/// UTF-8 when the client offers it (no counting needed), else UTF-16, the
/// protocol's default.
pub fn negotiate_encoding(capabilities: &ClientCapabilities) -> ColumnUnit {
    let offered = capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => ColumnUnit::Utf8,
        _ => ColumnUnit::Utf16,
    }
}

pub fn encoding_kind(unit: ColumnUnit) -> PositionEncodingKind {
    match unit {
        ColumnUnit::Utf8 => PositionEncodingKind::UTF8,
        ColumnUnit::Utf16 => PositionEncodingKind::UTF16,
        ColumnUnit::Char => PositionEncodingKind::UTF32,
    }
}

// ---- from the protocol ----

/// The byte offset of a protocol position; clamps, never panics.
pub fn offset(note: &TextSnapshot, position: Position, unit: ColumnUnit) -> usize {
    note.lines.offset(
        &note.text,
        LineCol {
            line: position.line,
            col: position.character,
        },
        unit,
    )
}

/// The byte span of a protocol range; a reversed range becomes empty.
pub fn span(note: &TextSnapshot, range: Range, unit: ColumnUnit) -> Span {
    let start = offset(note, range.start, unit);
    let end = offset(note, range.end, unit).max(start);
    Span::new(start, end)
}

pub fn text_change(change: TextDocumentContentChangeEvent) -> TextChange {
    let raw = |p: Position| RawPosition {
        line: p.line,
        character: p.character,
    };
    TextChange {
        range: change.range.map(|r| (raw(r.start), raw(r.end))),
        text: change.text,
    }
}

/// The file a `file:` URI names.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path()
        .map(|path| super::workspace::normalize(&path))
}

// ---- to the protocol ----

pub fn position(text: &str, lines: &LineIndex, offset: usize, unit: ColumnUnit) -> Position {
    let at = lines.line_col(text, offset, unit);
    Position::new(at.line, at.col)
}

pub fn range(text: &str, lines: &LineIndex, span: Span, unit: ColumnUnit) -> Range {
    Range::new(
        position(text, lines, span.start(), unit),
        position(text, lines, span.end(), unit),
    )
}

pub fn note_range(note: &TextSnapshot, span: Span, unit: ColumnUnit) -> Range {
    range(&note.text, &note.lines, span, unit)
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// Where a source range is, as the editor opens it.
pub fn source_location(corpus: &Corpus, target: SourceSpan, unit: ColumnUnit) -> Option<Location> {
    let doc = corpus.documents().get(target.doc.index())?;
    // A converted source (PDF, HTML...) opens as its readable text, where the
    // range is; hovers link the original's page too.
    Some(Location::new(
        path_to_uri(doc.text_path())?,
        range(&doc.text, &doc.lines, target.span, unit),
    ))
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A finding as a diagnostic. Of its related passages it carries what a
/// person reads: the best (the engine lists it first), pointing into the
/// source file, its message saying how many copies of the same text its
/// document is one of and how many other sources there are (go to definition
/// lists them).
/// Every keystroke publishes every diagnostic, so this keeps the bytes sent
/// down to about the size of the messages.
pub fn diagnostic(
    finding: &Finding,
    note: &TextSnapshot,
    corpus: &Corpus,
    copies: &Copies,
    unit: ColumnUnit,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .split_first()
        .and_then(|(best, rest)| {
            let location = source_location(
                corpus,
                SourceSpan {
                    doc: best.doc,
                    span: best.span,
                },
                unit,
            )?;
            let mut message = if best.message.is_empty() {
                "source".to_string()
            } else {
                best.message.clone()
            };
            let others = rest.iter().filter(|r| !copies.same(r.doc, best.doc));
            let other_groups = {
                let mut leaders: Vec<_> = others.map(|r| copies.leader(r.doc)).collect();
                leaders.sort();
                leaders.dedup();
                leaders.len()
            };
            let group = copies.group_size(best.doc);
            if group > 1 {
                message.push_str(&format!(" ({})", super::features::one_of_copies(group)));
            }
            if other_groups > 0 {
                message.push_str(&format!(
                    "; and {other_groups} more {}",
                    if other_groups == 1 {
                        "source"
                    } else {
                        "sources"
                    }
                ));
            }
            Some(vec![DiagnosticRelatedInformation { location, message }])
        })
        .unwrap_or_default();
    Diagnostic {
        range: note_range(note, finding.span, unit),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: None,
        source: Some("refnotes".to_string()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn text_edit(note: &TextSnapshot, edit: &Edit, unit: ColumnUnit) -> TextEdit {
    TextEdit::new(note_range(note, edit.span, unit), edit.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::GeneralClientCapabilities;

    #[test]
    fn encoding_prefers_utf8_only_when_offered() {
        let offer = |kinds: Option<Vec<PositionEncodingKind>>| ClientCapabilities {
            general: Some(GeneralClientCapabilities {
                position_encodings: kinds,
                ..GeneralClientCapabilities::default()
            }),
            ..ClientCapabilities::default()
        };
        let cases = [
            (
                offer(Some(vec![
                    PositionEncodingKind::UTF16,
                    PositionEncodingKind::UTF8,
                ])),
                ColumnUnit::Utf8,
            ),
            (
                offer(Some(vec![PositionEncodingKind::UTF32])),
                ColumnUnit::Utf16,
            ),
            (offer(None), ColumnUnit::Utf16),
            (ClientCapabilities::default(), ColumnUnit::Utf16),
        ];
        for (capabilities, expected) in cases {
            assert_eq!(negotiate_encoding(&capabilities), expected);
        }
    }

    #[test]
    fn ranges_round_trip_on_wide_characters() {
        // é, curly quotes, dashes, £, CJK, an emoji (two UTF-16 units), CRLF, empty last line.
        let note = TextSnapshot::new("é “x” – — £5\r\n中文 😀 [@k]\r\n".to_string());
        let key = note.text.find("[@k]").unwrap();
        let key_span = Span::new(key, key + 4);
        let cases = [
            (
                ColumnUnit::Utf16,
                Range::new(Position::new(1, 6), Position::new(1, 10)),
            ),
            (
                ColumnUnit::Utf8,
                Range::new(Position::new(1, 12), Position::new(1, 16)),
            ),
        ];
        for (unit, expected) in cases {
            assert_eq!(note_range(&note, key_span, unit), expected, "{unit:?}");
            assert_eq!(span(&note, expected, unit), key_span, "{unit:?}");
        }
        let past = Range::new(Position::new(0, 500), Position::new(40, 0));
        assert_eq!(
            span(&note, past, ColumnUnit::Utf16),
            Span::new(note.text.find('\r').unwrap(), note.text.len())
        );
        assert_eq!(
            position(&note.text, &note.lines, note.text.len(), ColumnUnit::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn only_file_uris_map_to_paths() {
        let file: Uri = "file:///tmp/notes/a%20b.md".parse().unwrap();
        assert_eq!(uri_to_path(&file), Some(PathBuf::from("/tmp/notes/a b.md")));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }
}
