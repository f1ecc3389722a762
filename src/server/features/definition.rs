//! Go to source: where in the corpus a figure, quote, name or citation comes from.

use crate::check::{ClaimKind, NoteAnalysis, Verdict};
use crate::corpus::Corpus;
use crate::extract::citations::Resolution;
use crate::text::Span;

use super::{document, SourceSpan};

/// The source ranges behind the claim at `offset`: agreeing sources first; the
/// document start for a citation (every candidate when the key is ambiguous).
pub fn definition(corpus: &Corpus, analysis: &NoteAnalysis, offset: usize) -> Vec<SourceSpan> {
    let Some(claim) = analysis.claim_at(offset) else {
        return Vec::new();
    };
    let mut targets: Vec<SourceSpan> = match &claim.kind {
        ClaimKind::Citation { key, doc } => {
            let docs = match doc {
                Some(doc) => vec![*doc],
                None => match corpus.resolve_key(key) {
                    Resolution::Unique(index) => vec![crate::corpus::DocId(index as u32)],
                    Resolution::Ambiguous(indexes) => indexes
                        .into_iter()
                        .map(|i| crate::corpus::DocId(i as u32))
                        .collect(),
                    Resolution::Unknown => Vec::new(),
                },
            };
            docs.into_iter()
                .map(|doc| SourceSpan {
                    doc,
                    span: Span::new(0, 0),
                })
                .collect()
        }
        _ => {
            let agreeing = claim
                .sources
                .iter()
                .filter(|s| s.verdict == Verdict::Agrees);
            let differing = claim
                .sources
                .iter()
                .filter(|s| s.verdict == Verdict::Differs);
            agreeing
                .chain(differing)
                .map(|source| SourceSpan {
                    doc: source.doc,
                    span: source.span,
                })
                .collect()
        }
    };
    targets.retain(|target| document(corpus, target.doc).is_some());
    let mut seen = std::collections::HashSet::new();
    targets.retain(|target| seen.insert(*target));
    targets
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::corpus::DocId;

    const NOTE: &str = "Paid $410 million [@001_harbor] and [@00].";

    #[test]
    fn definition_lists_agreeing_sources_first_and_citations_at_document_start() {
        let corpus = corpus();
        let analysis = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![
                figure_claim(
                    NOTE,
                    "$410 million",
                    410e6,
                    vec![
                        source_ref(1, "about $400 million", Verdict::Differs),
                        source_ref(0, "$410 million", Verdict::Agrees),
                        source_ref(0, "$410 million", Verdict::Agrees),
                    ],
                ),
                citation_claim(NOTE, "001_harbor", Some(0)),
                citation_claim(NOTE, "00", None),
            ],
        };
        let at = |needle: &str| definition(&corpus, &analysis, NOTE.find(needle).unwrap() + 1);
        assert_eq!(
            at("$410"),
            [
                SourceSpan {
                    doc: DocId(0),
                    span: find(SOURCE_A, "$410 million")
                },
                SourceSpan {
                    doc: DocId(1),
                    span: find(SOURCE_B, "about $400 million")
                },
            ]
        );
        assert_eq!(
            at("001_harbor"),
            [SourceSpan {
                doc: DocId(0),
                span: Span::new(0, 0)
            }]
        );
        // A prefix shared by both documents: each is a candidate, or none
        // while resolution takes exact ids only.
        assert!(matches!(at("00]").len(), 0 | 2), "{:?}", at("00]"));
        assert_eq!(definition(&corpus, &analysis, 10_000), []);
        let stale = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![citation_claim(NOTE, "001_harbor", Some(7))],
        };
        assert_eq!(definition(&corpus, &stale, NOTE.find("001").unwrap()), []);
    }
}
