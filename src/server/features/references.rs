//! References: every mention of a name across the corpus and the open notes,
//! and every citation of the same document.

use crate::check::{ClaimKind, NoteAnalysis};
use crate::corpus::Corpus;
use crate::text::Span;

use super::{definition::sources, SourceSpan};

/// A reference in a source or in one of the open notes (by its index in the
/// `notes` slice given to [`references`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Source(SourceSpan),
    Note { note: usize, span: Span },
}

/// References to the claim at `offset` in `notes[current]`.
pub fn references(
    corpus: &Corpus,
    notes: &[&NoteAnalysis],
    current: usize,
    offset: usize,
) -> Vec<Place> {
    let Some(claim) = notes.get(current).and_then(|a| a.claim_at(offset)) else {
        return Vec::new();
    };
    let mut places = Vec::new();
    let same_claim = |kind: &ClaimKind| match (&claim.kind, kind) {
        (ClaimKind::Entity { entity: a }, ClaimKind::Entity { entity: b }) => a == b,
        (ClaimKind::Citation { doc: Some(a), .. }, ClaimKind::Citation { doc: Some(b), .. }) => {
            a == b
        }
        _ => false,
    };
    match &claim.kind {
        ClaimKind::Entity { entity } => {
            if let Some(info) = corpus.entities().get(entity.0 as usize) {
                places.extend(info.mentions.iter().map(|(doc, span)| {
                    Place::Source(SourceSpan {
                        doc: *doc,
                        span: *span,
                    })
                }));
            }
        }
        _ => places.extend(
            sources(corpus, notes[current], offset)
                .into_iter()
                .map(Place::Source),
        ),
    }
    for (index, note) in notes.iter().enumerate() {
        for other in &note.claims {
            if same_claim(&other.kind) {
                places.push(Place::Note {
                    note: index,
                    span: other.span,
                });
            }
        }
    }
    places.retain(|place| match place {
        Place::Source(target) => super::document(corpus, target.doc).is_some(),
        Place::Note { .. } => true,
    });
    places
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::corpus::DocId;

    #[test]
    fn citations_of_one_document_are_found_across_open_notes() {
        let corpus = corpus();
        let first = "A [@001_harbor] B";
        let second = "C [@001_harbor, p. 2] and [@002_close]";
        let a = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![citation_claim(first, "001_harbor", Some(0))],
        };
        let b = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![
                citation_claim(second, "001_harbor", Some(0)),
                citation_claim(second, "002_close", Some(1)),
            ],
        };
        let places = references(&corpus, &[&a, &b], 0, 5);
        assert_eq!(
            places,
            [
                Place::Source(SourceSpan {
                    doc: DocId(0),
                    span: Span::new(0, 0)
                }),
                Place::Note {
                    note: 0,
                    span: find(first, "001_harbor")
                },
                Place::Note {
                    note: 1,
                    span: find(second, "001_harbor")
                },
            ]
        );
        assert_eq!(references(&corpus, &[&a], 3, 5), []);
        assert_eq!(references(&corpus, &[&a], 0, 99), []);
    }
}
