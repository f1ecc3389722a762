//! Inlay hints: after a figure the sources support, the short id of the source
//! ("✓ 000"); after a figure that agrees through a conversion, the source's
//! own value.

use crate::check::{ClaimKind, NoteAnalysis, Verdict};
use crate::corpus::Corpus;
use crate::text::Span;

use super::{document, short_id};

/// A label to show at a byte offset of the note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Hints for figure claims inside `range`.
pub fn inlay_hints(corpus: &Corpus, analysis: &NoteAnalysis, range: Span) -> Vec<Hint> {
    let mut hints = Vec::new();
    for claim in &analysis.claims {
        let ClaimKind::Figure { figure, .. } = &claim.kind else {
            continue;
        };
        if !range.contains_span(claim.span) && !claim.span.overlaps(range) {
            continue;
        }
        let Some(source) = claim.sources.iter().find(|s| s.verdict == Verdict::Agrees) else {
            continue;
        };
        let Some(doc) = document(corpus, source.doc) else {
            continue;
        };
        let short = short_id(&doc.id);
        let words = source.span.slice(&doc.text).trim();
        let label = match source_unit(&doc.text, source.sentence, source.span) {
            Some(unit) if unit != figure.unit && !words.is_empty() => {
                format!("≈ {words} ({short})")
            }
            _ => format!("✓ {short}"),
        };
        hints.push(Hint {
            offset: claim.span.end(),
            label,
            tooltip: Some(format!("{}: {}", doc.id, doc.title)),
        });
    }
    hints
}

/// The unit of the source's figure at `span`, as the extractor reads it.
fn source_unit(text: &str, sentence: Span, span: Span) -> Option<String> {
    let offset = sentence.start();
    crate::extract::figures::find(sentence.slice(text))
        .into_iter()
        .find(|f| Span::new(f.span.start() + offset, f.span.end() + offset).overlaps(span))
        .map(|f| f.unit)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;

    #[test]
    fn supported_figures_get_the_short_source_id() {
        let note = "Paid $410 million, not $450 million.";
        let analysis = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![
                figure_claim(
                    note,
                    "$410 million",
                    410e6,
                    vec![source_ref(0, "$410 million", Verdict::Agrees)],
                ),
                figure_claim(
                    note,
                    "$450 million",
                    450e6,
                    vec![source_ref(0, "$410 million", Verdict::Differs)],
                ),
            ],
        };
        let hints = inlay_hints(&corpus(), &analysis, Span::new(0, note.len()));
        assert_eq!(
            hints,
            [Hint {
                offset: find(note, "$410 million").end(),
                label: "✓ 001".into(),
                tooltip: Some("001_harbor: Harbor Lane Foods".into()),
            }]
        );
        assert_eq!(inlay_hints(&corpus(), &analysis, Span::new(20, 30)), []);
    }
}
