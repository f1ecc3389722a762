//! Go to source: where in the corpus a figure, quote, name or citation comes from.
//!
//! [`sources`] is every passage behind a claim (what references list);
//! [`definition`] is what a person can use when the editor jumps: the source
//! the figure was compared with first, then a handful of others, one
//! document standing for each group of copies.

use crate::check::{ClaimKind, NoteAnalysis, Verdict};
use crate::corpus::copies::Copies;
use crate::corpus::Corpus;
use crate::extract::citations::Resolution;
use crate::text::Span;

use super::{document, SourceSpan};

/// The most locations a definition answers with.
pub const MAX_LOCATIONS: usize = 10;

/// Where to jump from the claim at `offset`: the source passage a finding on
/// it was about (the one the figure was compared with) first, then the others
/// of [`sources`] in their order, with at most one document of each group of
/// copies, [`MAX_LOCATIONS`] at most.
pub fn definition(
    corpus: &Corpus,
    copies: &Copies,
    analysis: &NoteAnalysis,
    offset: usize,
) -> Vec<SourceSpan> {
    let all = sources(corpus, analysis, offset);
    let compared = analysis.claim_at(offset).and_then(|claim| {
        analysis
            .findings
            .iter()
            .filter(|finding| finding.span.overlaps(claim.span))
            .find_map(|finding| finding.related.first())
            .map(|related| SourceSpan {
                doc: related.doc,
                span: related.span,
            })
            .filter(|target| document(corpus, target.doc).is_some())
    });
    let mut out: Vec<SourceSpan> = Vec::new();
    for target in compared.into_iter().chain(all) {
        if out.len() == MAX_LOCATIONS {
            break;
        }
        // Another place in a document shown stays; a copy of one does not.
        let copy_shown = out
            .iter()
            .any(|shown| shown.doc != target.doc && copies.same(shown.doc, target.doc));
        if !copy_shown && !out.contains(&target) {
            out.push(target);
        }
    }
    out
}

/// Every source range behind the claim at `offset`: agreeing sources first; the
/// document start for a citation (every candidate when the key is ambiguous).
pub fn sources(corpus: &Corpus, analysis: &NoteAnalysis, offset: usize) -> Vec<SourceSpan> {
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
        let copies = Copies::find(&corpus);
        let at =
            |needle: &str| definition(&corpus, &copies, &analysis, NOTE.find(needle).unwrap() + 1);
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
        assert_eq!(definition(&corpus, &copies, &analysis, 10_000), []);
        let stale = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![citation_claim(NOTE, "001_harbor", Some(7))],
        };
        assert_eq!(
            definition(&corpus, &copies, &stale, NOTE.find("001").unwrap()),
            []
        );
    }

    /// 20 copies of one article and a second article: one location for the
    /// copies, the compared source first, and never more than ten.
    #[test]
    fn copies_answer_once_and_the_compared_source_leads() {
        use crate::check::{Code, Finding, Related, Severity, SourceRef};
        use crate::corpus::{CorpusOptions, SourceText};
        let article = "Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for \
            $410 million in cash, its largest purchase in a decade. The dairy employs 1,200 \
            people in three states and sold $880 million of milk and cheese last year, and \
            the chief executive said no plants would close after the deal.";
        let mut texts: Vec<SourceText> = (0..20)
            .map(|i| SourceText {
                id: format!("wire/{i:02}"),
                path: format!("/corpus/wire/{i:02}.txt").into(),
                title: format!("Copy {i}"),
                text: format!("Site {i} news\n\n{article}\n"),
                ..SourceText::default()
            })
            .collect();
        texts.push(SourceText {
            id: "other".into(),
            path: "/corpus/other.txt".into(),
            title: "Other".into(),
            text: "Millbrook Dairy was sold for about $400 million, a filing shows.\n".into(),
            ..SourceText::default()
        });
        let corpus = Corpus::from_sources(texts, CorpusOptions::default());
        let copies = Copies::find(&corpus);
        let note = "Harbor Lane paid $450 million.";
        let figure = find(note, "$450 million");
        let at_figure = |doc: u32| {
            let text = &corpus.documents()[doc as usize].text;
            let span = find(text, "$410 million");
            SourceRef {
                doc: DocId(doc),
                span,
                sentence: span,
                verdict: Verdict::Differs,
            }
        };
        let other = {
            let text = &corpus.documents()[20].text;
            find(text, "$400 million")
        };
        let mut refs: Vec<SourceRef> = (0..20).map(at_figure).collect();
        refs.push(SourceRef {
            doc: DocId(20),
            span: other,
            sentence: other,
            verdict: Verdict::Differs,
        });
        let analysis = NoteAnalysis {
            findings: vec![Finding {
                span: figure,
                code: Code::FigureMismatch,
                severity: Severity::Warning,
                message: String::new(),
                // The comparison was made with copy 7.
                related: vec![Related {
                    doc: DocId(7),
                    span: refs[7].span,
                    message: String::new(),
                }],
                fixes: Vec::new(),
            }],
            claims: vec![figure_claim(note, "$450 million", 450e6, refs)],
        };
        let offset = figure.start() + 1;
        let targets = definition(&corpus, &copies, &analysis, offset);
        assert_eq!(
            targets.iter().map(|t| t.doc).collect::<Vec<_>>(),
            [DocId(7), DocId(20)]
        );
        // References keep every passage.
        assert_eq!(sources(&corpus, &analysis, offset).len(), 21);
        // Without copies to fold, the answer is still bounded.
        let unfolded = definition(&corpus, &Copies::default(), &analysis, offset);
        assert_eq!(unfolded.len(), MAX_LOCATIONS);
        assert_eq!(unfolded[0].doc, DocId(7));
    }
}
