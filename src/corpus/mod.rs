//! The reference base: source documents, what the extractors found in them, and
//! the fact index the checker queries.
//!
//! [`load`] is the only module that touches the file system; everything else
//! here builds from text already in memory, so tests and benchmarks construct a
//! [`Corpus`] straight from strings with [`Corpus::from_sources`].

pub mod agree;
pub mod conflicts;
pub mod copies;
pub mod formats;
pub mod index;
pub mod load;
pub mod store;
pub mod term_search;
mod union_find;

use std::collections::HashSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::text::LineIndex;

/// Index of a document in its [`Corpus`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocId(pub u32);

impl DocId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A source document's text and metadata, before analysis.
#[derive(Clone, Debug, Default)]
pub struct SourceText {
    /// Path relative to the corpus root without extension, `/`-separated.
    pub id: String,
    /// Where it was read from (for messages and editor links).
    pub path: PathBuf,
    /// Front matter `title`, else the first non-empty line.
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    /// The full text, front matter included, so byte offsets match the file.
    pub text: String,
    /// Whether the file is Markdown (front matter, code blocks and link URLs are
    /// not prose) rather than plain text.
    pub markdown: bool,
    /// For a converted document (PDF, HTML, ...): its format, the readable
    /// copy of `text` and the map from `text` back to pages or elements.
    pub origin: Option<formats::Origin>,
}

/// A source document in the corpus.
#[derive(Debug)]
pub struct Document {
    pub id: String,
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub markdown: bool,
    pub origin: Option<formats::Origin>,
    pub lines: LineIndex,
}

impl Document {
    /// The file whose lines `text`'s spans are on: the readable copy of a
    /// converted document, else the document itself.
    pub fn text_path(&self) -> &std::path::Path {
        self.origin
            .as_ref()
            .and_then(|origin| origin.rendition.as_deref())
            .unwrap_or(&self.path)
    }

    /// Where `offset` is in the original, for a person: `p. 4` in a PDF,
    /// `#section` in an HTML page; `None` for text and Markdown files.
    pub fn place_label(&self, offset: usize) -> Option<String> {
        self.origin.as_ref()?.label_at(offset)
    }

    /// The original file's name and the place of `offset` in it, for people:
    /// `report.pdf p. 4`, `page.html#results`, `book.epub chap2.xhtml`,
    /// `brief.docx`.
    pub fn place_in_original(&self, offset: usize) -> String {
        let name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.id.clone());
        match self.place_label(offset) {
            Some(place) if place.starts_with('#') => format!("{name}{place}"),
            Some(place) => format!("{name} {place}"),
            None => name,
        }
    }

    /// The document as it was read, before analysis.
    pub fn to_source(&self) -> SourceText {
        SourceText {
            id: self.id.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            url: self.url.clone(),
            text: self.text.clone(),
            markdown: self.markdown,
            origin: self.origin.clone(),
        }
    }

    pub fn from_source(source: SourceText) -> Document {
        let lines = LineIndex::new(&source.text);
        Document {
            id: source.id,
            path: source.path,
            title: source.title,
            date: source.date,
            url: source.url,
            text: source.text,
            markdown: source.markdown,
            origin: source.origin,
            lines,
        }
    }
}

/// Options that shape how a corpus is analysed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusOptions {
    /// Extra alias groups from config: each inner list names one entity.
    pub aliases: Vec<Vec<String>>,
}

/// The analysed reference base, immutable once built; front ends share it in an
/// `Arc` and swap in a new one when sources change.
pub struct Corpus {
    /// Unique to this corpus in this process: caches keyed by it never
    /// outlive what they were computed from.
    generation: u64,
    documents: Vec<Document>,
    options: CorpusOptions,
    facts: Vec<index::DocFacts>,
    terms: index::TermIndex,
    entities: Vec<EntityInfo>,
    entity_keys: std::collections::HashMap<String, EntityId>,
    entity_words: std::collections::HashMap<String, Option<EntityId>>,
    rates: index::RateTable,
    values: index::ValueIndex,
    conflicts: Vec<Conflict>,
    /// The document ids sorted for resolving citation keys, built when a
    /// key is first resolved (every check of a citing note resolves them).
    keys: std::sync::OnceLock<crate::extract::citations::KeyIndex>,
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("documents", &self.documents.len())
            .field("entities", &self.entities.len())
            .field("terms", &self.terms.len())
            .finish()
    }
}

impl Corpus {
    /// Analyses documents already in memory; their order gives their [`DocId`]s.
    pub fn from_sources(sources: Vec<SourceText>, options: CorpusOptions) -> Corpus {
        let documents: Vec<Document> = sources.into_iter().map(Document::from_source).collect();
        let built = index::build(&documents, &options.aliases);
        Corpus::assemble(documents, options, built)
    }

    /// [`Corpus::from_sources`] for documents already analysed one by one
    /// (`analyses[i]` belongs to `sources[i]`): what the persisted index
    /// ([`store`]) hands back, so only the corpus-wide tables are built.
    pub fn from_analysed(
        sources: Vec<SourceText>,
        analyses: Vec<index::DocAnalysis>,
        options: CorpusOptions,
    ) -> Corpus {
        let documents: Vec<Document> = sources.into_iter().map(Document::from_source).collect();
        let built = index::build_from(&documents, analyses, &options.aliases);
        Corpus::assemble(documents, options, built)
    }

    /// A generation number no corpus built before in this process has.
    fn next_generation() -> u64 {
        static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    fn assemble(documents: Vec<Document>, options: CorpusOptions, built: index::Built) -> Corpus {
        let mut corpus = Corpus {
            generation: Corpus::next_generation(),
            documents,
            options,
            facts: built.facts,
            terms: built.terms,
            entities: built.entities,
            entity_keys: built.entity_keys,
            entity_words: built.entity_words,
            rates: built.rates,
            values: built.values,
            conflicts: Vec::new(),
            keys: Default::default(),
        };
        corpus.conflicts = conflicts::find(&corpus);
        corpus
    }

    /// A number no other corpus built in this process has.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What the extractors found in a document.
    pub fn facts(&self, doc: DocId) -> &index::DocFacts {
        &self.facts[doc.index()]
    }

    pub fn terms(&self) -> &index::TermIndex {
        &self.terms
    }

    /// Every figure's amount, by kind and unit.
    pub fn values(&self) -> &index::ValueIndex {
        &self.values
    }

    /// Exchange rates the sources state, each with its document.
    pub fn rates(&self) -> &index::RateTable {
        &self.rates
    }

    /// Document ids, in [`DocId`] order.
    pub fn ids(&self) -> impl Iterator<Item = DocId> + '_ {
        (0..self.documents.len() as u32).map(DocId)
    }

    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    pub fn document(&self, id: DocId) -> &Document {
        &self.documents[id.index()]
    }

    pub fn options(&self) -> &CorpusOptions {
        &self.options
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The document with this id, if any.
    pub fn document_by_id(&self, id: &str) -> Option<DocId> {
        self.documents
            .iter()
            .position(|doc| doc.id == id)
            .map(|i| DocId(i as u32))
    }

    /// The document read from this path, if any (paths compared as given).
    pub fn document_by_path(&self, path: &std::path::Path) -> Option<DocId> {
        self.documents
            .iter()
            .position(|doc| doc.path == path)
            .map(|i| DocId(i as u32))
    }

    /// What a citation key names: an exact id, else a unique prefix.
    pub fn resolve_key(&self, key: &str) -> crate::extract::citations::Resolution {
        self.keys
            .get_or_init(|| {
                let ids: Vec<&str> = self.documents.iter().map(|doc| doc.id.as_str()).collect();
                crate::extract::citations::KeyIndex::new(&ids)
            })
            .resolve(key)
    }

    /// A new corpus with `changed` documents added or replacing those with the
    /// same id, and documents with ids in `removed` dropped. Only the changed
    /// files are read again, but the whole corpus is analysed again: entities
    /// and context weights are corpus-wide. Callers run it off their
    /// latency-sensitive threads and swap the result in.
    pub fn with_changes(&self, changed: Vec<SourceText>, removed: &[String]) -> Corpus {
        Corpus::from_sources(
            self.sources_with_changes(changed, removed),
            self.options.clone(),
        )
    }

    /// The sources of [`Corpus::with_changes`]'s result, sorted by id.
    pub fn sources_with_changes(
        &self,
        changed: Vec<SourceText>,
        removed: &[String],
    ) -> Vec<SourceText> {
        let mut sources: Vec<SourceText> = self
            .documents
            .iter()
            .filter(|doc| !removed.contains(&doc.id) && !changed.iter().any(|c| c.id == doc.id))
            .map(Document::to_source)
            .collect();
        // One document per id, the last change winning, however often a file was named.
        let mut seen = HashSet::new();
        let mut changed: Vec<SourceText> = changed
            .into_iter()
            .rev()
            .filter(|source| seen.insert(source.id.clone()))
            .collect();
        changed.reverse();
        sources.extend(changed);
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        sources
    }

    pub fn entities(&self) -> &[EntityInfo] {
        &self.entities
    }

    pub fn entity(&self, id: EntityId) -> &EntityInfo {
        &self.entities()[id.0 as usize]
    }

    /// The entity one of whose names is `name` (case and possessives ignored).
    pub fn entity_named(&self, name: &str) -> Option<EntityId> {
        self.lookup_name(name).map(|(id, _)| id)
    }

    /// The entity named `name`, and whether only as one word of a longer
    /// name ("Sinnet" of "Beijing Sinnet").
    fn lookup_name(&self, name: &str) -> Option<(EntityId, bool)> {
        let key = crate::extract::entities::name_key(name);
        match self.entity_keys.get(&key) {
            Some(&id) => Some((id, false)),
            None => self
                .entity_words
                .get(&key)
                .copied()
                .flatten()
                .map(|id| (id, true)),
        }
    }

    /// The entity a note's name refers to. A doubtful one (a single word
    /// capitalized only because it opens a sentence: "Markets price a cut")
    /// that is only one word of a longer name ("Capital Markets") refers to
    /// it only where the sources use the word mostly inside that name
    /// ("Sinnet" of "Beijing Sinnet"), not where it is a plain word that
    /// many more documents use ("markets").
    pub fn entity_of_name(&self, name: &crate::extract::entities::NameMention) -> Option<EntityId> {
        let (id, by_word) = self.lookup_name(&name.key)?;
        if !(by_word && name.doubtful) {
            return Some(id);
        }
        let key = crate::extract::entities::name_key(&name.key);
        let using_word = crate::extract::context::terms(&key, crate::text::Span::new(0, key.len()))
            .first()
            .and_then(|term| self.terms().id(term))
            .map_or(0, |term| self.terms().documents_with(term).len());
        let naming = self.entity(id).document_count();
        (using_word <= naming * PLAIN_WORD_DOCUMENTS_PER_NAME).then_some(id)
    }

    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    pub fn stats(&self) -> CorpusStats {
        CorpusStats {
            documents: self.documents.len(),
            bytes: self.documents.iter().map(|doc| doc.text.len()).sum(),
            figures: self.facts.iter().map(|f| f.analysis.figures.len()).sum(),
            entities: self.entities().len(),
            conflicts: self.conflicts().len(),
        }
    }
}

/// How many documents may use a word for each document naming the longer
/// name it is part of, for a sentence-initial capital to read as that name.
const PLAIN_WORD_DOCUMENTS_PER_NAME: usize = 2;

/// Index of an entity (a name with its aliases) in its [`Corpus`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// A named thing the sources mention: a company, person, place or product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityInfo {
    /// The fullest name the sources use ("Beijing Sinnet Technology Co.").
    pub name: String,
    /// Every other name for it ("Beijing Sinnet", "Sinnet").
    pub aliases: Vec<String>,
    /// Each mention: document and span.
    pub mentions: Vec<(DocId, crate::text::Span)>,
}

impl EntityInfo {
    /// How many distinct documents mention it.
    pub fn document_count(&self) -> usize {
        // Mentions come grouped by document: count the changes, without a copy.
        let mut last = None;
        self.mentions
            .iter()
            .filter(|(doc, _)| last.replace(*doc) != Some(*doc))
            .count()
    }
}

/// Where two sources disagree about one fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// What the fact is about, in a few words ("Microsoft's China partner").
    pub subject: String,
    /// The disagreeing statements: document, span of the figure or name, sentence.
    pub statements: Vec<(DocId, crate::text::Span, crate::text::Span)>,
}

/// Counts for status lines and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    pub documents: usize,
    pub bytes: usize,
    pub figures: usize,
    pub entities: usize,
    pub conflicts: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    #[test]
    fn an_entitys_documents_are_counted_once_each() {
        let at = |doc: u32| (DocId(doc), Span::new(0, 1));
        let entity = EntityInfo {
            name: "Beijing Sinnet".into(),
            aliases: Vec::new(),
            mentions: vec![at(0), at(0), at(2), at(5), at(5), at(5)],
        };
        assert_eq!(entity.document_count(), 3);
        let nobody = EntityInfo {
            mentions: Vec::new(),
            ..entity
        };
        assert_eq!(nobody.document_count(), 0);
    }
}
