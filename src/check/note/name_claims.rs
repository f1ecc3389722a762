//! Names: claims for the corpus entities a note mentions, for hover and
//! go to source.

use crate::check::{Claim, ClaimKind, NoteAnalysis, SourceRef, Verdict};
use crate::corpus::{Corpus, DocId, EntityId};
use crate::text::Span;

use super::quote_findings::sentence_around;

/// What a name's claim lists as its sources, by entity: the same for every
/// mention of the entity while the corpus stays, so worked out once per note
/// cache and corpus (a name a thousand documents mention costs a sort of its
/// mentions, too much to pay on every keystroke in its sentence).
pub(super) type EntitySources = std::collections::HashMap<EntityId, Vec<SourceRef>>;

pub(super) fn name_claims(
    corpus: &Corpus,
    names: &[(crate::extract::entities::NameMention, u32)],
    known: &mut EntitySources,
    result: &mut NoteAnalysis,
) {
    for (name, _) in names {
        let Some(entity) = corpus.entity_named(&name.key) else {
            continue;
        };
        let sources = known
            .entry(entity)
            .or_insert_with(|| {
                ordered_mentions(corpus, entity)
                    .into_iter()
                    .take(MAX_SOURCES)
                    .map(|(doc, span)| SourceRef {
                        doc,
                        span,
                        sentence: sentence_around(corpus, doc, span),
                        verdict: Verdict::Agrees,
                    })
                    .collect()
            })
            .clone();
        result.claims.push(Claim {
            span: name.span,
            kind: ClaimKind::Entity { entity },
            sources,
        });
    }
}

/// Mentions of a name read when ordering what hover shows of it, at most.
const MAX_MENTIONS_READ: usize = 200;
/// Mentions kept as a name claim's sources, at most.
const MAX_SOURCES: usize = 20;

/// A name's mentions as its claim lists them: the best mention of each
/// source first, so one source that names it often does not fill the list,
/// then the others. Within each part the entity's claims come first:
/// mentions in sentences that state a figure about it.
fn ordered_mentions(corpus: &Corpus, entity: EntityId) -> Vec<(DocId, Span)> {
    let info = corpus.entity(entity);
    let mut read: Vec<(DocId, Span)> = info
        .mentions
        .iter()
        .take(MAX_MENTIONS_READ)
        .copied()
        .collect();
    // Every source gets a line, even one whose mentions come after the
    // bounded few read: its first mention stands for it.
    let mut seen: std::collections::HashSet<DocId> = read.iter().map(|(d, _)| *d).collect();
    for &(doc, span) in info.mentions.iter().skip(MAX_MENTIONS_READ) {
        if seen.insert(doc) {
            read.push((doc, span));
        }
    }
    read.sort_by_cached_key(|&(doc, span)| !states_figure_about(corpus, doc, span, entity));
    let (mut best, mut rest): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    let mut listed = std::collections::HashSet::new();
    for mention in read {
        if listed.insert(mention.0) {
            best.push(mention);
        } else {
            rest.push(mention);
        }
    }
    best.append(&mut rest);
    best
}

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
