//! The corpus-wide tables file: what `index::build_from` and
//! `conflicts::find` make from all the documents' analyses (each document's
//! facts with its claim frames and names resolved to entities, the entities
//! and their keys, term ids and postings, the value index, exchange rates,
//! conflicts), kept beside the analyses file so that a warm start decodes
//! them instead of rebuilding them, which was most of a warm load's time.
//!
//! The tables depend on every document at once, so they are trusted only
//! as a whole: the file's key (every document's content key, in corpus
//! order, the config's alias groups, and the checksum of the analyses file
//! they were built with) must equal the corpus being loaded, the header and
//! checksum must check out (`file.rs`, shared with the analyses file), and
//! every span and id in them must fit the texts and the tables. Anything
//! else rebuilds them from the analyses and rewrites the file.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::file::{self, IndexFile, TABLES_MAGIC};
use super::Key;
use crate::corpus::index::{DocFacts, RateTable, TermIndex, ValueIndex};
use crate::corpus::{Conflict, Corpus, CorpusOptions, Document, EntityId, EntityInfo, SourceText};

/// What the tables were built from; they are used only for the same.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct TablesKey {
    /// The checksum of the analyses file the tables were built beside: the
    /// pair is one index, so tables are not used beside another file.
    pub analyses: u64,
    pub aliases: Vec<Vec<String>>,
    /// Every document's content key, in corpus (id) order.
    pub documents: Vec<Key>,
}

/// The tables, borrowed from a corpus when written, owned when read.
#[derive(Serialize, Deserialize)]
struct Tables<'a> {
    facts: Cow<'a, [DocFacts]>,
    terms: Cow<'a, TermIndex>,
    entities: Cow<'a, [EntityInfo]>,
    entity_keys: Cow<'a, HashMap<String, EntityId>>,
    entity_words: Cow<'a, HashMap<String, Option<EntityId>>>,
    rates: Cow<'a, RateTable>,
    values: Cow<'a, ValueIndex>,
    conflicts: Cow<'a, [Conflict]>,
}

/// The tables file's bytes for `corpus`: its key, then its tables, one
/// postcard value after the other (so a reader decodes the key alone to
/// find that the tables are not for it).
pub(super) fn encode(key: &TablesKey, corpus: &Corpus) -> Vec<u8> {
    let tables = Tables {
        facts: Cow::Borrowed(&corpus.facts),
        terms: Cow::Borrowed(&corpus.terms),
        entities: Cow::Borrowed(&corpus.entities),
        entity_keys: Cow::Borrowed(&corpus.entity_keys),
        entity_words: Cow::Borrowed(&corpus.entity_words),
        rates: Cow::Borrowed(&corpus.rates),
        values: Cow::Borrowed(&corpus.values),
        conflicts: Cow::Borrowed(&corpus.conflicts),
    };
    file::framed(TABLES_MAGIC, |bytes| {
        let bytes = postcard::to_extend(key, std::mem::take(bytes)).expect("keys always encode");
        postcard::to_extend(&tables, bytes).expect("tables always encode")
    })
}

/// Why the tables file was not used: `None` when that is no problem (there
/// is none yet, or it is for another state of the corpus, and is rebuilt).
pub(super) type Unused = Option<String>;

/// The corpus of `sources` from the tables file, if it was written for
/// exactly `key`; else the sources back, with why not when that is worth a
/// warning.
pub(super) fn load(
    tables_file: &IndexFile,
    key: &TablesKey,
    sources: Vec<SourceText>,
    options: &CorpusOptions,
) -> Result<Corpus, (Vec<SourceText>, Unused)> {
    let path = tables_file.path();
    let bytes = match tables_file.read_bytes() {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err((sources, None)),
        Err(error) => return Err((sources, Some(error.to_string()))),
    };
    let payload = match file::payload(path, TABLES_MAGIC, &bytes) {
        Ok(payload) => payload,
        Err(error) => return Err((sources, Some(error.to_string()))),
    };
    let undecodable = |error: postcard::Error| {
        format!(
            "index {}: cannot be decoded ({error}); rebuilding it",
            path.display()
        )
    };
    let (stored, rest) = match postcard::take_from_bytes::<TablesKey>(payload) {
        Ok(decoded) => decoded,
        Err(error) => return Err((sources, Some(undecodable(error)))),
    };
    if stored != *key {
        // The corpus, its config or its analyses file changed: expected.
        return Err((sources, None));
    }
    let tables: Tables<'static> = match postcard::from_bytes(rest) {
        Ok(tables) => tables,
        Err(error) => return Err((sources, Some(undecodable(error)))),
    };
    drop(bytes);
    if !fits(&tables, &sources) {
        let why = format!(
            "index {}: the tables do not fit the corpus; rebuilding them",
            path.display()
        );
        return Err((sources, Some(why)));
    }
    let documents: Vec<Document> = sources.into_iter().map(Document::from_source).collect();
    Ok(Corpus {
        generation: Corpus::next_generation(),
        documents,
        options: options.clone(),
        facts: tables.facts.into_owned(),
        terms: tables.terms.into_owned(),
        entities: tables.entities.into_owned(),
        entity_keys: tables.entity_keys.into_owned(),
        entity_words: tables.entity_words.into_owned(),
        rates: tables.rates.into_owned(),
        values: tables.values.into_owned(),
        conflicts: tables.conflicts.into_owned(),
        keys: Default::default(),
    })
}

/// Whether every span and id in `tables` fits the texts of `sources` and
/// the tables themselves, so that nothing read back can index out of bounds.
fn fits(tables: &Tables, sources: &[SourceText]) -> bool {
    let documents = sources.len();
    let entities = tables.entities.len();
    let terms = tables.terms.len();
    let span_ok = |doc: usize, span: &crate::text::Span| {
        sources
            .get(doc)
            .is_some_and(|s| span.start <= span.end && span.end() <= s.text.len())
    };
    let entity_ok = |id: &EntityId| (id.0 as usize) < entities;
    let figures: Vec<usize> = tables
        .facts
        .iter()
        .map(|f| f.analysis.figures.len())
        .collect();
    tables.facts.len() == documents
        && tables
            .facts
            .iter()
            .zip(sources)
            .all(|(facts, source)| facts.fits(source.text.len(), entities, terms))
        && tables.terms.fits(documents)
        && tables.rates.fits(documents)
        && tables.values.fits(&figures)
        && tables.entities.iter().all(|info| {
            info.mentions
                .iter()
                .all(|(doc, span)| span_ok(doc.index(), span))
        })
        && tables.entity_keys.values().all(entity_ok)
        && tables.entity_words.values().flatten().all(entity_ok)
        && tables.conflicts.iter().all(|conflict| {
            conflict.statements.iter().all(|(doc, at, sentence)| {
                span_ok(doc.index(), at) && span_ok(doc.index(), sentence)
            })
        })
}
