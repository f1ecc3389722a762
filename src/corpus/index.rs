//! The fact index: what every source document says, arranged for the checker's
//! questions: which documents share a note's words, which entity a name
//! belongs to, and at what rate a source converts one currency to another.

use super::union_find::UnionFind;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{Document, EntityId, EntityInfo};
use crate::extract::context;
use crate::extract::{self, claims, entities, FigureKind, TextAnalysis};
use crate::text::Span;

/// What the extractors found in one source document.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocFacts {
    pub analysis: TextAnalysis,
    /// The names kept as entities, with their entity, in text order. (The
    /// extractor's candidate names in `analysis.names` are dropped once the
    /// corpus has decided which are names.)
    pub names: Vec<(Span, EntityId)>,
    /// Context terms of all sentences, as ids into the term index, one run
    /// per sentence; `term_starts[i]` is where sentence `i`'s run starts.
    terms: Vec<u32>,
    term_starts: Vec<u32>,
    /// What each figure of `analysis.figures` is about, in the same order.
    pub claims: Vec<ClaimFrame>,
    /// Every entity the document names, ascending.
    pub entities: Vec<EntityId>,
    /// The entities some figure of the document is stated about (named in
    /// the figure's clause), ascending.
    pub figure_subjects: Vec<EntityId>,
    /// Indexes into `analysis.figures`, grouped by kind (see [`kind_slot`]).
    figures_by_kind: Vec<u32>,
    /// Where each kind's group starts in `figures_by_kind`, and its end.
    kind_starts: [u32; KINDS + 1],
    /// Numbers written outside any extracted figure ("a 1,234-page filing"),
    /// sorted by value then position, so that literal support is a lookup.
    literals: Vec<LiteralNumber>,
    /// For a document with more than [`LARGE_DOCUMENT_FIGURES`] figures only:
    /// the sentences that use each context term, so a note's figure reads
    /// the figures of the sentences sharing its words, not all of them.
    sentences_with_term: HashMap<u32, Vec<u32>>,
}

/// Documents with more figures than this are read through their
/// term-to-sentence postings; no ordinary source has nearly as many.
pub const LARGE_DOCUMENT_FIGURES: usize = 4_000;

/// A number in a source that is part of no extracted figure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiteralNumber {
    pub value: f64,
    pub span: Span,
    /// The index of its sentence.
    pub sentence: u32,
    /// Digits written after the decimal point: "33" can't confirm "33.0".
    pub decimals: u8,
}

const KINDS: usize = FigureKind::ALL.len();

/// A figure kind's position in per-kind tables.
pub fn kind_slot(kind: FigureKind) -> usize {
    match kind {
        FigureKind::Money => 0,
        FigureKind::Percent => 1,
        FigureKind::Count => 2,
        FigureKind::Quantity => 3,
        FigureKind::Year => 4,
        FigureKind::Date => 5,
        FigureKind::Duration => 6,
    }
}

/// What one document yields on its own, before the corpus decides which of
/// its names are entities and what its terms weigh: the costly part of
/// indexing, and the part the persisted index (`corpus::store`) keeps per
/// file, keyed by the file's content. Every field is derived data of the
/// text alone, so a field added here is persisted without further code.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocAnalysis {
    /// Names and alias definitions included: the corpus groups them.
    pub analysis: TextAnalysis,
    figures_by_kind: Vec<u32>,
    kind_starts: [u32; KINDS + 1],
    literals: Vec<LiteralNumber>,
    /// The document's distinct context terms, in order of first use.
    words: Vec<String>,
    /// Each sentence's context terms as indexes into `words`, one run per
    /// sentence; `term_starts[i]` is where sentence `i`'s run starts.
    terms: Vec<u32>,
    term_starts: Vec<u32>,
}

impl DocAnalysis {
    /// Runs every extractor over a source document's text.
    pub fn of(text: &str, markdown: bool) -> DocAnalysis {
        let mut analysis = extract::analyze(text, markdown, false);
        // Sources keep facts, not Markdown structure.
        analysis.prose = None;
        let mut figures_by_kind: Vec<u32> = (0..analysis.figures.len() as u32).collect();
        figures_by_kind.sort_by_key(|&i| kind_slot(analysis.figures[i as usize].0.kind));
        let kind_starts: [u32; KINDS + 1] = std::array::from_fn(|slot| {
            figures_by_kind
                .partition_point(|&i| kind_slot(analysis.figures[i as usize].0.kind) < slot)
                as u32
        });
        let literals = literal_numbers(text, &analysis);
        let mut words: Vec<String> = Vec::new();
        let mut local: HashMap<String, u32> = HashMap::new();
        let mut terms = Vec::new();
        let mut term_starts = Vec::with_capacity(analysis.sentences.len());
        for &sentence in &analysis.sentences {
            term_starts.push(terms.len() as u32);
            for term in sentence_terms(text, sentence) {
                let next = words.len() as u32;
                let id = *local.entry(term).or_insert_with_key(|term| {
                    words.push(term.clone());
                    next
                });
                terms.push(id);
            }
        }
        DocAnalysis {
            analysis,
            figures_by_kind,
            kind_starts,
            literals,
            words,
            terms,
            term_starts,
        }
    }

    /// Whether every span and index in it fits a text of `len` bytes: an
    /// analysis read back from disk is used only if it does.
    pub fn fits(&self, len: usize) -> bool {
        let a = &self.analysis;
        let sentences = a.sentences.len() as u32;
        let span_ok = |span: &Span| span.start <= span.end && span.end() <= len;
        layout_fits(
            a,
            len,
            (&self.figures_by_kind, &self.kind_starts),
            &self.literals,
            (&self.term_starts, &self.terms),
        ) && a
            .names
            .iter()
            .all(|(n, s)| span_ok(&n.span) && *s < sentences)
            && a.alias_definitions
                .iter()
                .all(|&(x, y)| x < a.names.len() && y < a.names.len())
            && self.terms.iter().all(|&t| (t as usize) < self.words.len())
    }
}

/// The checks [`DocAnalysis::fits`] and [`DocFacts::fits`] share: spans
/// within the text, sentence indexes within the sentences, the per-kind and
/// per-sentence runs within what they index.
fn layout_fits(
    a: &TextAnalysis,
    len: usize,
    (figures_by_kind, kind_starts): (&[u32], &[u32; KINDS + 1]),
    literals: &[LiteralNumber],
    (term_starts, terms): (&[u32], &[u32]),
) -> bool {
    let sentences = a.sentences.len() as u32;
    let span_ok = |span: &Span| span.start <= span.end && span.end() <= len;
    let figures = a.figures.len() as u32;
    a.sentences.iter().all(span_ok)
        && a.figures
            .iter()
            .all(|(f, s)| span_ok(&f.span) && *s < sentences)
        && a.quotes
            .iter()
            .all(|(q, s)| span_ok(&q.span) && *s < sentences)
        && literals
            .iter()
            .all(|l| span_ok(&l.span) && l.sentence < sentences)
        && figures_by_kind.len() == a.figures.len()
        && figures_by_kind.iter().all(|&i| i < figures)
        && kind_starts.iter().all(|&k| k <= figures)
        && kind_starts.windows(2).all(|w| w[0] <= w[1])
        && term_starts.len() == a.sentences.len()
        && term_starts.iter().all(|&t| t as usize <= terms.len())
        && term_starts.windows(2).all(|w| w[0] <= w[1])
}

impl DocFacts {
    /// Whether every span and index in facts read back from disk fits a
    /// text of `len` bytes, a corpus of `entities` entities and `terms`
    /// terms: the persisted tables are used only if they do.
    pub fn fits(&self, len: usize, entities: usize, terms: usize) -> bool {
        let a = &self.analysis;
        let span_ok = |span: &Span| span.start <= span.end && span.end() <= len;
        let entity_ok = |id: &EntityId| (id.0 as usize) < entities;
        let sentences = a.sentences.len() as u32;
        layout_fits(
            a,
            len,
            (&self.figures_by_kind, &self.kind_starts),
            &self.literals,
            (&self.term_starts, &self.terms),
        ) && self.terms.iter().all(|&t| (t as usize) < terms)
            && self.names.iter().all(|(s, e)| span_ok(s) && entity_ok(e))
            && self.claims.len() == a.figures.len()
            && self.claims.iter().all(|c| {
                c.clause_subjects
                    .iter()
                    .chain(&c.sentence_subjects)
                    .chain(&c.nearby_subjects)
                    .all(entity_ok)
            })
            && self
                .entities
                .iter()
                .chain(&self.figure_subjects)
                .all(entity_ok)
            && self
                .sentences_with_term
                .values()
                .flatten()
                .all(|&s| s < sentences)
    }

    pub fn analyze(doc: &Document) -> DocFacts {
        DocFacts::from_analysis(DocAnalysis::of(&doc.text, doc.markdown)).0
    }

    /// The facts of a document analysed alone, and its context terms (the
    /// words, and each sentence's terms as indexes into them) for the corpus
    /// to number.
    fn from_analysis(analysis: DocAnalysis) -> (DocFacts, Vec<String>) {
        let DocAnalysis {
            analysis,
            figures_by_kind,
            kind_starts,
            literals,
            words,
            terms,
            term_starts,
        } = analysis;
        let facts = DocFacts {
            analysis,
            claims: Vec::new(),
            entities: Vec::new(),
            figure_subjects: Vec::new(),
            names: Vec::new(),
            terms,
            term_starts,
            figures_by_kind,
            kind_starts,
            literals,
            sentences_with_term: HashMap::new(),
        };
        (facts, words)
    }

    /// Whether the document is read through its term postings (see
    /// [`LARGE_DOCUMENT_FIGURES`]).
    pub fn is_large(&self) -> bool {
        !self.sentences_with_term.is_empty()
    }

    /// The sentences (ascending) whose context terms include `term`; empty
    /// unless [`DocFacts::is_large`].
    pub fn sentences_with(&self, term: u32) -> &[u32] {
        self.sentences_with_term
            .get(&term)
            .map_or(&[], Vec::as_slice)
    }

    fn index_sentences_by_term(&mut self) {
        if self.analysis.figures.len() <= LARGE_DOCUMENT_FIGURES {
            return;
        }
        let mut postings: HashMap<u32, Vec<u32>> = HashMap::new();
        for sentence in 0..self.term_starts.len() {
            for &term in self.terms_of(sentence) {
                postings.entry(term).or_default().push(sentence as u32);
            }
        }
        self.sentences_with_term = postings;
    }

    /// The numbers outside figures whose value is exactly `value`, in text order.
    pub fn literals_equal_to(&self, value: f64) -> &[LiteralNumber] {
        let start = self
            .literals
            .partition_point(|l| l.value.total_cmp(&value).is_lt());
        let end = self
            .literals
            .partition_point(|l| l.value.total_cmp(&value).is_le());
        &self.literals[start..end.max(start)]
    }

    /// The context terms of sentence `index`.
    pub fn terms_of(&self, index: usize) -> &[u32] {
        let start = self.term_starts.get(index).map_or(0, |&s| s as usize);
        let end = self
            .term_starts
            .get(index + 1)
            .map_or(self.terms.len(), |&e| e as usize);
        self.terms.get(start..end).unwrap_or(&[])
    }

    /// Reads the frame of every figure once the document's names are known
    /// as entities.
    fn frame_claims(&mut self, text: &str) {
        let mut entities: Vec<EntityId> = self.names.iter().map(|(_, e)| *e).collect();
        entities.sort_unstable();
        entities.dedup();
        self.entities = entities;
        let mut claims = Vec::with_capacity(self.analysis.figures.len());
        let figures = &self.analysis.figures;
        let mut start = 0;
        while start < figures.len() {
            let sentence_index = figures[start].1;
            let end = start + figures[start..].partition_point(|(_, s)| *s == sentence_index);
            let sentence = self.analysis.sentences[sentence_index as usize];
            let named = {
                let first = self
                    .names
                    .partition_point(|(s, _)| s.start() < sentence.start());
                let last = self
                    .names
                    .partition_point(|(s, _)| s.start() < sentence.end());
                self.names[first..last]
                    .iter()
                    .filter(|(s, _)| !claims::is_vocabulary(s.slice(text)))
                    .copied()
                    .collect::<Vec<(Span, EntityId)>>()
            };
            let spans: Vec<Span> = named.iter().map(|(s, _)| *s).collect();
            // The names of the sentence before: "The two companies…" after
            // a sentence naming them.
            // (Not across table rows: each row is a record of its own.)
            let in_table = claims::maybe_table_row(text, sentence)
                && claims::table_heading(text, sentence.start()).is_some();
            let previous: Vec<EntityId> = sentence_index
                .checked_sub(1)
                .filter(|_| !in_table)
                .map(|p| {
                    let before = self.analysis.sentences[p as usize];
                    let first = self
                        .names
                        .partition_point(|(s, _)| s.start() < before.start());
                    let last = self
                        .names
                        .partition_point(|(s, _)| s.start() < before.end());
                    let mut ids: Vec<EntityId> = Vec::new();
                    for (span, id) in &self.names[first..last] {
                        if !ids.contains(id) && !claims::is_vocabulary(span.slice(text)) {
                            ids.push(*id);
                        }
                    }
                    ids
                })
                .unwrap_or_default();
            let in_sentence: Vec<&crate::extract::Figure> =
                figures[start..end].iter().map(|(f, _)| f).collect();
            let led_by_pronoun = claims::starts_with_pronoun(sentence.slice(text));
            for frame in claims::frames(text, sentence, &in_sentence, &spans) {
                let resolve = |indexes: &[usize]| entities_at(&named, indexes);
                let mut clause_subjects = resolve(&frame.clause_subjects);
                let mut sentence_subjects = resolve(&frame.sentence_subjects);
                // "They scored 88 goals" is about whom the sentence before
                // named, as a reader takes it.
                if led_by_pronoun && sentence_subjects.is_empty() {
                    sentence_subjects = previous.clone();
                    clause_subjects = previous.clone();
                }
                let mut nearby_subjects = sentence_subjects.clone();
                for id in &previous {
                    if !nearby_subjects.contains(id) {
                        nearby_subjects.push(*id);
                    }
                }
                claims.push(ClaimFrame {
                    clause_subjects,
                    sentence_subjects,
                    nearby_subjects,
                    measures: frame.measures,
                    period: frame.period,
                    role: frame.role,
                    direction: frame.direction,
                });
            }
            start = end;
        }
        let mut figure_subjects: Vec<EntityId> = claims
            .iter()
            .flat_map(|c: &ClaimFrame| c.clause_subjects.iter().copied())
            .collect();
        figure_subjects.sort_unstable();
        figure_subjects.dedup();
        self.figure_subjects = figure_subjects;
        self.claims = claims;
    }

    /// Indexes of this document's figures of one kind.
    pub fn figures_of_kind(&self, kind: FigureKind) -> &[u32] {
        let slot = kind_slot(kind);
        &self.figures_by_kind[self.kind_starts[slot] as usize..self.kind_starts[slot + 1] as usize]
    }
}

/// The entities of the names at `indexes` of `named`, each once, in order.
pub fn entities_at(named: &[(Span, EntityId)], indexes: &[usize]) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = Vec::new();
    for &i in indexes {
        if !ids.contains(&named[i].1) {
            ids.push(named[i].1);
        }
    }
    ids
}

/// What a source figure is about, with its names resolved to entities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimFrame {
    /// Entities named in the figure's own clause, before it or just after.
    pub clause_subjects: Vec<EntityId>,
    /// Entities named in its sentence (speakers left out).
    pub sentence_subjects: Vec<EntityId>,
    /// Entities named anywhere in its sentence or the sentence before.
    pub nearby_subjects: Vec<EntityId>,
    pub measures: Vec<claims::Measure>,
    pub period: claims::Period,
    pub role: claims::Role,
    pub direction: Option<claims::Direction>,
}

/// The numbers of each sentence that no extracted figure covers, read the way
/// literal support reads a sentence: number after number until one does not
/// parse.
fn literal_numbers(text: &str, analysis: &TextAnalysis) -> Vec<LiteralNumber> {
    let mut literals = Vec::new();
    let mut figures = analysis.figures.iter().peekable();
    for (index, sentence) in analysis.sentences.iter().enumerate() {
        let index = index as u32;
        while figures.next_if(|(_, s)| *s < index).is_some() {}
        let in_sentence: Vec<Span> = std::iter::from_fn(|| figures.next_if(|(_, s)| *s == index))
            .map(|(figure, _)| figure.span)
            .collect();
        let mut offset = sentence.start();
        let mut rest = sentence.slice(text);
        while let Some((span, value)) = crate::extract::figures::first_number(rest) {
            let at = Span::new(offset + span.start(), offset + span.end());
            if !in_sentence.iter().any(|figure| figure.overlaps(at)) {
                literals.push(LiteralNumber {
                    value,
                    span: at,
                    sentence: index,
                    decimals: decimals_written(at.slice(text)),
                });
            }
            offset = at.end();
            rest = &text[offset..sentence.end()];
        }
    }
    literals.sort_by(|a, b| {
        a.value
            .total_cmp(&b.value)
            .then(a.span.start.cmp(&b.span.start))
    });
    literals
}

/// How many digits a number is written with after its decimal point.
pub fn decimals_written(number: &str) -> u8 {
    number.split_once('.').map_or(0, |(_, after)| {
        after.chars().take_while(char::is_ascii_digit).count() as u8
    })
}

/// Every figure's amount by kind and unit, sorted, for finding the sources
/// that state an amount whatever their words.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ValueIndex {
    by_unit: HashMap<(usize, String), Vec<ValueEntry>>,
}

/// One amount in the [`ValueIndex`]: the figure, or its written equivalent.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct ValueEntry {
    pub value: f64,
    pub doc: u32,
    pub figure: u32,
}

impl ValueIndex {
    /// Whether every entry names a figure that exists: `figures[d]` is how
    /// many figures document `d` has.
    pub fn fits(&self, figures: &[usize]) -> bool {
        self.by_unit.values().flatten().all(|e| {
            figures
                .get(e.doc as usize)
                .is_some_and(|&n| (e.figure as usize) < n)
        })
    }

    fn build(facts: &[DocFacts]) -> ValueIndex {
        let mut by_unit: HashMap<(usize, String), Vec<ValueEntry>> = HashMap::new();
        for (doc, facts) in facts.iter().enumerate() {
            for (i, (figure, _)) in facts.analysis.figures.iter().enumerate() {
                for part in std::iter::once(figure).chain(figure.equivalent.as_deref()) {
                    by_unit
                        .entry((kind_slot(part.kind), part.unit.clone()))
                        .or_default()
                        .push(ValueEntry {
                            value: part.value,
                            doc: doc as u32,
                            figure: i as u32,
                        });
                }
            }
        }
        for entries in by_unit.values_mut() {
            entries.sort_by(|a, b| a.value.total_cmp(&b.value));
        }
        ValueIndex { by_unit }
    }

    /// Figures of this kind and unit whose amount lies in `low..=high`.
    pub fn within(&self, kind: FigureKind, unit: &str, low: f64, high: f64) -> &[ValueEntry] {
        let Some(entries) = self.by_unit.get(&(kind_slot(kind), unit.to_string())) else {
            return &[];
        };
        let start = entries.partition_point(|e| e.value < low);
        let end = entries.partition_point(|e| e.value <= high);
        &entries[start..end.max(start)]
    }
}

/// Context terms and the documents they occur in.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TermIndex {
    ids: crate::extract::words::WordMap<u32>,
    /// For each term, the documents whose sentences use it, ascending.
    postings: Vec<Vec<u32>>,
    documents: usize,
}

impl TermIndex {
    /// Whether it indexes a corpus of `documents` documents.
    pub fn fits(&self, documents: usize) -> bool {
        self.documents == documents
            && self
                .ids
                .values()
                .all(|&id| (id as usize) < self.postings.len())
            && self
                .postings
                .iter()
                .flatten()
                .all(|&doc| (doc as usize) < documents)
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// Inverse document frequency: rare terms weigh more. Terms the corpus
    /// never uses weigh nothing: no source can share them.
    pub fn weight(&self, term: u32) -> f64 {
        let df = self.postings.get(term as usize).map_or(0, Vec::len);
        if df == 0 {
            return 0.0;
        }
        (1.0 + self.documents as f64 / df as f64).ln()
    }

    /// How many documents the index covers.
    pub fn document_count(&self) -> usize {
        self.documents
    }

    pub fn documents_with(&self, term: u32) -> &[u32] {
        self.postings.get(term as usize).map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.postings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }
}

/// An exchange rate a source states by writing one amount in two currencies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub doc: u32,
    pub from: String,
    pub to: String,
    /// Units of `to` per unit of `from`.
    pub rate: f64,
}

/// The exchange rates of a corpus, by currency pair, for quick lookup.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RateTable {
    rates: Vec<Rate>,
    /// For each (from, to), the rates stated in each document (ascending
    /// document order), inverses included.
    by_pair: HashMap<(String, String), Vec<(u32, f64)>>,
}

impl RateTable {
    /// Whether every rate is stated by one of `documents` documents.
    pub fn fits(&self, documents: usize) -> bool {
        let doc_ok = |doc: u32| (doc as usize) < documents;
        self.rates.iter().all(|r| doc_ok(r.doc))
            && self.by_pair.values().flatten().all(|(doc, _)| doc_ok(*doc))
    }

    pub fn new(rates: Vec<Rate>) -> RateTable {
        let mut by_pair: HashMap<(String, String), Vec<(u32, f64)>> = HashMap::new();
        for rate in &rates {
            by_pair
                .entry((rate.from.clone(), rate.to.clone()))
                .or_default()
                .push((rate.doc, rate.rate));
            by_pair
                .entry((rate.to.clone(), rate.from.clone()))
                .or_default()
                .push((rate.doc, 1.0 / rate.rate));
        }
        for list in by_pair.values_mut() {
            list.sort_by_key(|(doc, _)| *doc);
        }
        RateTable { rates, by_pair }
    }

    /// Units of `to` per unit of `from`: the rate `doc` itself states, else
    /// the first another source states.
    pub fn rate(&self, from: &str, to: &str, doc: u32) -> Option<f64> {
        let list = self.by_pair.get(&(from.to_string(), to.to_string()))?;
        let own = list.binary_search_by_key(&doc, |(d, _)| *d).ok();
        own.or(Some(0)).map(|i| list[i].1)
    }

    /// Every stated rate, in document order.
    pub fn all(&self) -> &[Rate] {
        &self.rates
    }
}

/// Builds the per-document facts in parallel, then the corpus-wide tables.
pub struct Built {
    pub facts: Vec<DocFacts>,
    pub terms: TermIndex,
    pub entities: Vec<EntityInfo>,
    pub entity_keys: HashMap<String, EntityId>,
    /// First and last words of multi-word names, for short mentions ("Castell"
    /// for "Castell Maritime"): the entity when only one has that word there.
    pub entity_words: HashMap<String, Option<EntityId>>,
    pub rates: RateTable,
    pub values: ValueIndex,
}

pub fn build(documents: &[Document], aliases: &[Vec<String>]) -> Built {
    let analyses = documents
        .par_iter()
        .map(|doc| DocAnalysis::of(&doc.text, doc.markdown))
        .collect();
    build_from(documents, analyses, aliases)
}

/// The corpus-wide tables from documents already analysed one by one
/// (`analyses[i]` is `documents[i]`'s, fresh or read from the index).
pub fn build_from(
    documents: &[Document],
    analyses: Vec<DocAnalysis>,
    aliases: &[Vec<String>],
) -> Built {
    assert_eq!(documents.len(), analyses.len(), "one analysis per document");
    let (mut facts, words): (Vec<DocFacts>, Vec<Vec<String>>) = analyses
        .into_par_iter()
        .map(DocFacts::from_analysis)
        .unzip();
    let (entities, entity_keys) = group_entities(documents, &mut facts, aliases);
    facts
        .par_iter_mut()
        .zip(documents.par_iter())
        .for_each(|(facts, doc)| facts.frame_claims(&doc.text));
    let terms = index_terms(words, &mut facts);
    facts
        .par_iter_mut()
        .for_each(DocFacts::index_sentences_by_term);
    let rates = RateTable::new(collect_rates(&facts));
    let entity_words = index_entity_words(&entity_keys);
    let values = ValueIndex::build(&facts);
    Built {
        values,
        facts,
        terms,
        entities,
        entity_keys,
        entity_words,
        rates,
    }
}

fn index_entity_words(keys: &HashMap<String, EntityId>) -> HashMap<String, Option<EntityId>> {
    let mut words: HashMap<String, Option<EntityId>> = HashMap::new();
    for (key, &id) in keys {
        let Some((first, _)) = key.split_once(' ') else {
            continue;
        };
        let last = key.rsplit(' ').next().unwrap_or(first);
        // "wti" for "west texas intermediate": writers abbreviate long names.
        let initials: String = key
            .split(' ')
            .filter(|w| !matches!(*w, "of" | "and" | "the" | "for" | "de"))
            .filter_map(|w| w.chars().next())
            .collect();
        let initials = (initials.chars().count() >= 2).then_some(initials);
        // "Castria" is not the "Bank of Castria", nor "Oxford" the
        // "University of Oxford": a last word after "of" names another thing.
        let last = (!key.contains(" of ") && !key.contains(" for ")).then_some(last);
        for word in [Some(first), last, initials.as_deref()]
            .into_iter()
            .flatten()
        {
            if crate::extract::words::is_stopword(word) || keys.contains_key(word) {
                continue;
            }
            words
                .entry(word.to_string())
                .and_modify(|seen| {
                    if *seen != Some(id) {
                        *seen = None;
                    }
                })
                .or_insert(Some(id));
        }
    }
    words
}

/// A source sentence's context terms; a table row's include its table's
/// header and caption, which say what its cells are.
fn sentence_terms(text: &str, sentence: Span) -> Vec<String> {
    let mut terms = context::terms(text, sentence);
    let table = claims::maybe_table_row(text, sentence)
        .then(|| claims::table_heading(text, sentence.start()))
        .flatten();
    if let Some((header, caption)) = table {
        for place in std::iter::once(header).chain(caption) {
            for term in context::terms(text, place) {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
    }
    terms
}

/// Numbers every document's context terms corpus-wide, in order of first use,
/// and lists the documents that use each.
fn index_terms(words: Vec<Vec<String>>, facts: &mut [DocFacts]) -> TermIndex {
    let mut index = TermIndex {
        documents: facts.len(),
        ..TermIndex::default()
    };
    for (doc, (words, facts)) in words.into_iter().zip(facts.iter_mut()).enumerate() {
        let doc = doc as u32;
        let global: Vec<u32> = words
            .into_iter()
            .map(|term| {
                let next = index.ids.len() as u32;
                let id = *index.ids.entry(term).or_insert(next);
                if id == next {
                    index.postings.push(Vec::new());
                }
                // Each of a document's words is listed once.
                index.postings[id as usize].push(doc);
                id
            })
            .collect();
        for term in &mut facts.terms {
            *term = global[*term as usize];
        }
        facts.terms.shrink_to_fit();
    }
    for postings in &mut index.postings {
        postings.shrink_to_fit();
    }
    index
}

fn collect_rates(facts: &[DocFacts]) -> Vec<Rate> {
    let mut rates = Vec::new();
    for (doc, facts) in facts.iter().enumerate() {
        for (figure, _) in &facts.analysis.figures {
            if let Some(equivalent) = &figure.equivalent {
                if figure.kind == extract::FigureKind::Money
                    && equivalent.kind == extract::FigureKind::Money
                    && figure.unit != equivalent.unit
                    && figure.value > 0.0
                    && equivalent.value > 0.0
                {
                    rates.push(Rate {
                        doc: doc as u32,
                        from: figure.unit.clone(),
                        to: equivalent.unit.clone(),
                        rate: equivalent.value / figure.value,
                    });
                }
            }
        }
    }
    rates
}

/// Decides which candidate names are names and which are one entity:
/// a doubtful word (capitalized only at a sentence start) counts when the
/// corpus also writes it capitalized mid-sentence; a text's "(AWS)" makes AWS
/// an alias; a name that is the last words of exactly one longer name ("Sinnet"
/// of "Beijing Sinnet") joins it; config aliases join what they name.
fn group_entities(
    documents: &[Document],
    facts: &mut [DocFacts],
    aliases: &[Vec<String>],
) -> (Vec<EntityInfo>, HashMap<String, EntityId>) {
    let mut confident: HashMap<String, usize> = HashMap::new();
    for facts in facts.iter() {
        for (mention, _) in &facts.analysis.names {
            if !mention.doubtful {
                *confident.entry(mention.key.clone()).or_default() += 1;
            }
        }
    }
    // Keys kept as names, and the written forms seen for each.
    let mut forms: HashMap<String, Vec<String>> = HashMap::new();
    for (doc, facts) in documents.iter().zip(facts.iter()) {
        for (mention, _) in &facts.analysis.names {
            if mention.doubtful && !confident.contains_key(mention.key.as_str()) {
                continue;
            }
            let written = mention.span.slice(&doc.text).to_string();
            let seen = forms.entry(mention.key.clone()).or_default();
            if !seen.contains(&written) {
                seen.push(written);
            }
        }
    }
    let mut keys: Vec<String> = forms.keys().cloned().collect();
    keys.sort();
    let position: HashMap<String, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i))
        .collect();
    let mut groups = UnionFind::new(keys.len());
    for facts in facts.iter() {
        for &(full, short) in &facts.analysis.alias_definitions {
            let full = &facts.analysis.names[full].0.key;
            let short = &facts.analysis.names[short].0.key;
            if let (Some(&a), Some(&b)) = (position.get(full), position.get(short)) {
                groups.join(a, b);
            }
        }
    }
    // Each key under its proper word-boundary suffixes ("sinnet" under
    // "beijing sinnet"), so finding the longer names a name ends is a lookup.
    let mut ending_in: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, key) in keys.iter().enumerate() {
        for (at, _) in key.match_indices(' ') {
            // "Bank of Castria" does not end in a name for "Castria": what
            // follows "of" is another thing.
            if key[..at].ends_with(" of") || key[..at].ends_with(" for") {
                continue;
            }
            ending_in.entry(&key[at + 1..]).or_default().push(j);
        }
    }
    for (i, key) in keys.iter().enumerate() {
        if let Some(longer) = ending_in.get(key.as_str()) {
            if longer.len() == 1 {
                groups.join(i, longer[0]);
            }
        }
    }
    for group in aliases {
        let members: Vec<usize> = group
            .iter()
            .filter_map(|name| position.get(&entities::name_key(name)).copied())
            .collect();
        for pair in members.windows(2) {
            groups.join(pair[0], pair[1]);
        }
    }
    // Number the groups in key order, naming each by its longest written form.
    let mut entity_of_root: HashMap<usize, EntityId> = HashMap::new();
    let mut entities: Vec<EntityInfo> = Vec::new();
    let mut entity_keys: HashMap<String, EntityId> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let root = groups.find(i);
        let id = *entity_of_root.entry(root).or_insert_with(|| {
            entities.push(EntityInfo {
                name: String::new(),
                aliases: Vec::new(),
                mentions: Vec::new(),
            });
            EntityId(entities.len() as u32 - 1)
        });
        entity_keys.insert(key.clone(), id);
        let info = &mut entities[id.0 as usize];
        for form in &forms[key] {
            if !info.aliases.contains(form) {
                info.aliases.push(form.clone());
            }
        }
    }
    for group in aliases {
        let id = group
            .iter()
            .find_map(|name| entity_keys.get(&entities::name_key(name)).copied());
        if let Some(id) = id {
            for name in group {
                entity_keys.entry(entities::name_key(name)).or_insert(id);
                let info = &mut entities[id.0 as usize];
                if !info.aliases.contains(name) {
                    info.aliases.push(name.clone());
                }
            }
        }
    }
    for info in &mut entities {
        info.aliases
            .sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        info.name = info.aliases.remove(0);
    }
    for (doc, facts) in facts.iter_mut().enumerate() {
        facts.names = facts
            .analysis
            .names
            .iter()
            .filter(|(mention, _)| {
                !mention.doubtful || confident.contains_key(mention.key.as_str())
            })
            .filter_map(|(mention, _)| Some((mention.span, *entity_keys.get(&mention.key)?)))
            .collect();
        for &(span, entity) in &facts.names {
            entities[entity.0 as usize]
                .mentions
                .push((super::DocId(doc as u32), span));
        }
        facts.analysis.names = Vec::new();
        facts.analysis.alias_definitions = Vec::new();
    }
    (entities, entity_keys)
}
