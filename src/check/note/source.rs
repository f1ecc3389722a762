//! A corpus document opened in the editor: its own claims, read as a
//! source rather than checked as a note.

use crate::check::figures::SentenceContext;
use crate::check::{
    figures, fit, Claim, ClaimKind, Code, NoteAnalysis, Related, SourceRef, Verdict,
};
use crate::corpus::{Corpus, DocId};
use crate::text::Span;

use super::figure_findings::figure_claim;
use super::finding;
use super::quote_findings::sentence_around;

/// A source document as the editor shows it: each figure with what the other
/// sources say of the same fact, its names, and its conflicts as findings.
pub fn analyze_source(corpus: &Corpus, doc: DocId) -> NoteAnalysis {
    let mut result = NoteAnalysis::default();
    let Some(document) = corpus.documents().get(doc.index()) else {
        return result;
    };
    let facts = corpus.facts(doc);
    let text = &document.text;
    let mut context_of: Option<(u32, SentenceContext)> = None;
    for (index, (figure, sentence)) in facts.analysis.figures.iter().enumerate() {
        let frame = facts
            .claims
            .get(index)
            .map(fit::NoteFrame::of_source)
            .unwrap_or_default();
        if context_of.as_ref().is_none_or(|(s, _)| s != sentence) {
            let span = facts.analysis.sentences[*sentence as usize];
            context_of = Some((*sentence, SentenceContext::new(corpus, text, span)));
        }
        let context = &context_of.as_ref().expect("set above").1;
        let candidates: Vec<_> = figures::candidates(corpus, context, figure, &frame, &[], 0.0)
            .into_iter()
            .filter(|c| c.doc != doc)
            .collect();
        let verdict = figures::judge(corpus, context, figure, &candidates, &[]);
        result
            .claims
            .push(figure_claim(corpus, figure, &frame, &verdict));
    }
    for &(name, entity) in &facts.names {
        let sources = corpus
            .entity(entity)
            .mentions
            .iter()
            .filter(|(d, _)| *d != doc)
            .take(20)
            .map(|&(d, span)| SourceRef {
                doc: d,
                span,
                sentence: sentence_around(corpus, d, span),
                verdict: Verdict::Agrees,
            })
            .collect();
        result.claims.push(Claim {
            span: name,
            kind: ClaimKind::Entity { entity },
            sources,
        });
    }
    for conflict in corpus.conflicts() {
        let Some(mine) = conflict.statements.iter().find(|(d, _, _)| *d == doc) else {
            continue;
        };
        let others: Vec<&(DocId, Span, Span)> = conflict
            .statements
            .iter()
            .filter(|(d, _, _)| *d != doc)
            .collect();
        let said: Vec<String> = others
            .iter()
            .map(|(d, span, _)| {
                let other = corpus.document(*d);
                format!("{} [{}]", span.slice(&other.text), other.id)
            })
            .collect();
        result.findings.push(finding(
            mine.1,
            Code::SourceConflict,
            format!(
                "sources disagree: this says {}, {}",
                mine.1.slice(text),
                said.join(", ")
            ),
            others
                .iter()
                .map(|(d, span, _)| Related {
                    doc: *d,
                    span: *span,
                    message: format!(
                        "{} says {}",
                        corpus.document(*d).id,
                        span.slice(&corpus.document(*d).text)
                    ),
                })
                .collect(),
            Vec::new(),
        ));
    }
    result.claims.sort_by_key(|c| (c.span.start, c.span.end));
    result
}
