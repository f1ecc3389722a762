//! Names: claims for the corpus entities a note mentions, for hover and
//! go to source.

use crate::check::{Claim, ClaimKind, NoteAnalysis, SourceRef, Verdict};
use crate::corpus::{Corpus, DocId, EntityId};
use crate::text::Span;

use super::quote_findings::sentence_around;

/// What a name's claim lists as its sources, by entity: the same for every
/// mention of the entity while the corpus stays, so worked out once per note
/// cache and corpus (a note names the same few entities again and again, and
/// ordering a much-mentioned entity's mentions reads each of them).
pub(super) type EntitySources = std::collections::HashMap<EntityId, std::sync::Arc<[SourceRef]>>;

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

/// A name's mentions as its claim lists them, the first [`MAX_SOURCES`]:
/// the best mention of each source first, so one source that names it often
/// does not fill the list, then the others. Within each part the entity's
/// claims come first: mentions in sentences that state a figure about it.
fn ordered_mentions(corpus: &Corpus, entity: EntityId) -> Vec<(DocId, Span)> {
    let info = corpus.entity(entity);
    let read = mentions_read(info);
    // When enough sources state a figure about it, the list is their first
    // such mentions, in mention order: found without asking about every
    // mention of a name thousands of documents use.
    let mut first_about: Vec<(DocId, Span)> = Vec::new();
    let mut sources = std::collections::HashSet::new();
    for &(doc, span) in &read {
        if !sources.contains(&doc) && states_figure_about(corpus, doc, span, entity) {
            sources.insert(doc);
            first_about.push((doc, span));
            if first_about.len() == MAX_SOURCES {
                return first_about;
            }
        }
    }
    let mut ordered = ordered_all(corpus, entity, read);
    ordered.truncate(MAX_SOURCES);
    ordered
}

/// The mentions ordered for a claim: the first [`MAX_MENTIONS_READ`], then
/// the first of every source not among them.
fn mentions_read(info: &crate::corpus::EntityInfo) -> Vec<(DocId, Span)> {
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
    read
}

/// All of `read` in the order of [`ordered_mentions`].
fn ordered_all(corpus: &Corpus, entity: EntityId, read: Vec<(DocId, Span)>) -> Vec<(DocId, Span)> {
    // Claims first, each part in mention order: a stable partition, which
    // asks about each mention once (a sort by that key asked it n log n
    // times, most of a warm check's time at 100 MB).
    let (about, other): (Vec<_>, Vec<_>) = read
        .into_iter()
        .partition(|&(doc, span)| states_figure_about(corpus, doc, span, entity));
    let (mut best, mut rest): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    let mut listed = std::collections::HashSet::new();
    for mention in about.into_iter().chain(other) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusOptions, SourceText};

    #[test]
    fn the_quick_order_is_the_full_order_cut_short() {
        // Sources that state a figure about Acme, about someone else, or
        // none, in a mixed order, more of them than a claim lists.
        let sources: Vec<SourceText> = (0..90)
            .map(|i| {
                let text = match i % 3 {
                    0 => format!("Acme Corp said revenue was ${i} million in 2023."),
                    1 => format!("Acme Corp was there. Zenith Ltd sold {i} ships, said Acme Corp."),
                    _ => format!(
                        "Acme Corp met Zenith Ltd in Paris.\nAcme Corp earned ${i} million."
                    ),
                };
                SourceText {
                    id: format!("s{i:03}"),
                    text,
                    ..SourceText::default()
                }
            })
            .collect();
        for sources in [
            sources.clone(),
            sources[..25].to_vec(),
            sources[..7].to_vec(),
        ] {
            let corpus = Corpus::from_sources(sources, CorpusOptions::default());
            for entity in (0..corpus.entities().len() as u32).map(EntityId) {
                let read = mentions_read(corpus.entity(entity));
                let mut full = ordered_all(&corpus, entity, read);
                full.truncate(MAX_SOURCES);
                assert_eq!(ordered_mentions(&corpus, entity), full, "{entity:?}");
            }
        }
    }
}
