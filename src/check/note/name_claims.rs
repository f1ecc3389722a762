//! Names: claims for the corpus entities a note mentions, for hover and
//! go to source.

use crate::check::{Claim, ClaimKind, NoteAnalysis, SourceRef, Verdict};
use crate::corpus::{Corpus, DocId, EntityId};
use crate::text::Span;

use super::quote_findings::sentence_around;

pub(super) fn name_claims(
    corpus: &Corpus,
    names: &[(crate::extract::entities::NameMention, u32)],
    result: &mut NoteAnalysis,
) {
    for (name, _) in names {
        let Some(entity) = corpus.entity_named(&name.key) else {
            continue;
        };
        let info = corpus.entity(entity);
        // The entity's claims first: mentions in sentences that state a
        // figure about it, then the other mentions (of a bounded few).
        let mut mentions: Vec<(DocId, Span)> = info
            .mentions
            .iter()
            .take(MAX_MENTIONS_READ)
            .copied()
            .collect();
        mentions.sort_by_key(|&(doc, span)| !states_figure_about(corpus, doc, span, entity));
        let sources = mentions
            .into_iter()
            .take(20)
            .map(|(doc, span)| SourceRef {
                doc,
                span,
                sentence: sentence_around(corpus, doc, span),
                verdict: Verdict::Agrees,
            })
            .collect();
        result.claims.push(Claim {
            span: name.span,
            kind: ClaimKind::Entity { entity },
            sources,
        });
    }
}

/// Mentions of a name read when ordering what hover shows of it, at most.
const MAX_MENTIONS_READ: usize = 200;

/// Whether the source sentence holding `span` states a figure about
/// `entity`: one whose clause names it, or any when the clause names nobody.
fn states_figure_about(corpus: &Corpus, doc: DocId, span: Span, entity: EntityId) -> bool {
    let facts = corpus.facts(doc);
    let Some(sentence) = facts.analysis.sentence_at(span.start()) else {
        return false;
    };
    let figures = &facts.analysis.figures;
    let start = figures.partition_point(|(_, s)| (*s as usize) < sentence);
    let end = figures.partition_point(|(_, s)| (*s as usize) <= sentence);
    (start..end).any(|i| {
        facts.claims.get(i).is_some_and(|claim| {
            claim.clause_subjects.is_empty() || claim.clause_subjects.contains(&entity)
        })
    })
}
