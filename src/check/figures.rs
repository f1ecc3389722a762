//! Figures in a note against the figures the sources state about the same
//! thing: support, mismatch, wrong source, or nothing known.
//!
//! A source figure is a candidate for a note figure when it is the same kind of
//! quantity in convertible units; how strongly it is about the same fact is the
//! share of the note sentence's context (weighted by rarity) that the source
//! sentence, and the one before it, also use. Support needs little context
//! when the figure is distinctive; a mismatch needs a lot, because a writer
//! stops trusting a checker that cries wolf.

use std::collections::HashMap;

use fixedbitset::FixedBitSet;

use crate::corpus::agree;
use crate::extract::context;
// Kept at this path for the index, which reads source figures' numbers with it.
use crate::check::fit::{self, Fit, NoteFrame};
use crate::corpus::index::decimals_written;
use crate::corpus::{term_search, Corpus, DocId, EntityId};
use crate::extract::claims;
use crate::extract::figures::first_number;
use crate::extract::{Figure, FigureKind};
use crate::text::Span;

/// Share of the note's context a source must share to support a figure that
/// is not distinctive by itself.
const SUPPORT_SIMILARITY: f64 = 0.2;
/// Share of the note's context a disagreeing source figure must share to be
/// called the same fact misstated.
const MISMATCH_SIMILARITY: f64 = 0.5;
/// The share for a disagreeing source claim of the note's measure.
const MEASURED_MISMATCH_SIMILARITY: f64 = 0.25;
/// Context terms that must be shared for a mismatch.
const MISMATCH_SHARED_TERMS: f64 = 1.5;
/// The previous sentence of a source counts at this weight: it often names
/// what "it" or "the two companies" are.
const PREVIOUS_SENTENCE_WEIGHT: f64 = 0.5;
/// Where a sentence holds several figures of a kind, the words outside a
/// figure's own segment count this much towards its context.
const OTHER_SEGMENT_WEIGHT: f64 = 0.3;
/// How far outside a figure's own interval the value index is searched, for
/// rounding in the sources.
const VALUE_SLACK: f64 = 0.06;
/// Documents whose figures are all compared with a note figure, at most: the
/// ones sharing most of the note sentence's rarer words.
const MAX_CLOSE_DOCUMENTS: usize = 200;
/// Documents naming a claim's subject that are read for it, at most.
const MAX_SUBJECT_DOCUMENTS: usize = 200;
/// Figures found by amount alone that are compared, at most.
const MAX_VALUE_HITS: usize = 256;
/// Documents examined per note sentence, best matching first.
const MAX_CANDIDATE_DOCUMENTS: usize = 200;

/// A source figure considered for a note figure.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub doc: DocId,
    /// Index into the document's figures.
    pub figure: usize,
    /// The part of the source figure compared: the figure itself or the
    /// equivalent written after it.
    pub equivalent: bool,
    pub similarity: f64,
    pub shared_terms: f64,
    pub agrees: bool,
    /// The source figure has no upper limit.
    pub open_ended: bool,
    /// Agrees as written, without the reach of "about".
    pub agrees_strictly: bool,
    /// The source states the amount at least as precisely as the note and
    /// with two bounds: it could confirm the note's figure by itself.
    pub confirms_alone: bool,
    /// How the source claim's subject, measure, period and role fit the note's.
    pub fit: Fit,
}

/// A note sentence's context, as weighted corpus terms.
pub struct SentenceContext {
    /// Term id, weight (rarity times share), and share (how much the term
    /// counts towards the number of shared terms).
    terms: Vec<(u32, f64, f64)>,
    total: f64,
    /// Documents sharing the context's rarer terms, with the weight they
    /// share, best first.
    candidate_docs: Vec<(u32, f64)>,
    /// The same documents, as a set: asked about for every value-index hit
    /// of an amount, which a large corpus has by the ten thousand.
    sharing_docs: FixedBitSet,
    /// The best of those that could reach the support threshold, in id order.
    close_docs: Vec<DocId>,
    /// Similarities already computed, by document and sentence.
    memo: std::cell::RefCell<HashMap<(u32, u32), (f64, f64)>>,
}

impl SentenceContext {
    pub fn new(corpus: &Corpus, note: &str, sentence: Span) -> SentenceContext {
        let mut terms = context::terms(note, sentence);
        expand_acronyms(corpus, note, sentence, &mut terms);
        SentenceContext::weighted(corpus, &[(terms, 1.0)])
    }

    /// The context of one of several figures of a kind in one sentence
    /// ("Solmara holds 60%, and Nordvik the remaining 15%"): the words of its
    /// own segment count fully, the rest of the sentence a little, except
    /// the words naming its measure, wherever they stand ("Adjusted EPS
    /// $2.14, against $1.78 a year earlier": both are adjusted EPS).
    pub fn for_figure(
        corpus: &Corpus,
        note: &str,
        sentence: Span,
        segment: Span,
        measure_named_at: Option<Span>,
    ) -> SentenceContext {
        let mut own = context::terms(note, segment);
        expand_acronyms(corpus, note, segment, &mut own);
        if let Some(at) = measure_named_at {
            let mut lent = context::terms(note, at);
            expand_acronyms(corpus, note, at, &mut lent);
            for term in lent {
                if !own.contains(&term) {
                    own.push(term);
                }
            }
        }
        let rest: Vec<String> = context::terms(note, sentence)
            .into_iter()
            .filter(|t| !own.contains(t))
            .collect();
        SentenceContext::weighted(corpus, &[(own, 1.0), (rest, OTHER_SEGMENT_WEIGHT)])
    }

    fn weighted(corpus: &Corpus, groups: &[(Vec<String>, f64)]) -> SentenceContext {
        let index = corpus.terms();
        let terms: Vec<(u32, f64, f64)> = groups
            .iter()
            .flat_map(|(terms, factor)| {
                terms
                    .iter()
                    .filter_map(|term| index.id(term))
                    .map(move |id| (id, index.weight(id) * factor, *factor))
            })
            .collect();
        let total = terms.iter().map(|(_, w, _)| w).sum();
        let documents = corpus.documents().len();
        let weights: Vec<(u32, f64)> = terms.iter().map(|&(id, weight, _)| (id, weight)).collect();
        // Terms in most documents rank nothing; they still count in similarity.
        let common = |postings: usize| documents > 20 && postings * 5 > documents;
        let candidate_docs =
            term_search::best_documents(index, &weights, common, MAX_CANDIDATE_DOCUMENTS);
        let mut close_docs: Vec<DocId> = candidate_docs
            .iter()
            .filter(|(_, score)| *score >= SUPPORT_SIMILARITY * total - 1e-9)
            .take(MAX_CLOSE_DOCUMENTS)
            .map(|&(doc, _)| DocId(doc))
            .collect();
        close_docs.sort_unstable();
        let mut sharing_docs = FixedBitSet::with_capacity(documents);
        sharing_docs.extend(candidate_docs.iter().map(|&(d, _)| d as usize));
        SentenceContext {
            terms,
            total,
            candidate_docs,
            sharing_docs,
            close_docs,
            memo: Default::default(),
        }
    }

    /// Documents that share enough of the context's weight for one of their
    /// sentences to reach the support threshold: the best few, in id order.
    pub fn close_documents(&self) -> &[DocId] {
        &self.close_docs
    }

    /// Whether a document is among those sharing the context's rarer words.
    pub fn shares_words(&self, doc: DocId) -> bool {
        self.sharing_docs.contains(doc.index())
    }

    /// The documents worth examining for this context: all of a small
    /// corpus, else those sharing the most of its rarer terms.
    pub fn documents(&self, corpus: &Corpus) -> Vec<DocId> {
        if corpus.documents().len() <= MAX_CANDIDATE_DOCUMENTS {
            corpus.ids().collect()
        } else {
            self.candidate_docs.iter().map(|&(d, _)| DocId(d)).collect()
        }
    }

    /// Whether the note sentence's only word the corpus knows is a rare one
    /// ("Capital spending should be about $750m": *capex*): then sharing that
    /// one word can tie a figure to a fact.
    pub fn single_rare_term(&self, corpus: &Corpus) -> bool {
        let [(id, _, share)] = self.terms.as_slice() else {
            return false;
        };
        let documents = corpus.documents().len();
        *share == 1.0
            && corpus.terms().documents_with(*id).len() as f64 <= (0.4 * documents as f64).max(1.0)
    }

    /// How many of the note's own words (its figure's segment) the clause of
    /// a source figure holds.
    fn shared_with_segment(&self, corpus: &Corpus, candidate: &Candidate) -> usize {
        let text = &corpus.document(candidate.doc).text;
        let segment = source_segment(corpus, candidate);
        let index = corpus.terms();
        let theirs: Vec<u32> = context::terms(text, segment)
            .iter()
            .filter_map(|t| index.id(t))
            .collect();
        self.terms
            .iter()
            .filter(|(id, _, share)| *share == 1.0 && theirs.contains(id))
            .count()
    }

    /// Whether the note sentence uses any word the corpus uses.
    pub fn is_linked(&self) -> bool {
        self.total > 0.0
    }

    /// Similarity with a source sentence and how many terms it shares.
    fn similarity(&self, corpus: &Corpus, doc: DocId, sentence: usize) -> (f64, f64) {
        if self.total == 0.0 {
            return (0.0, 0.0);
        }
        let key = (doc.0, sentence as u32);
        if let Some(&known) = self.memo.borrow().get(&key) {
            return known;
        }
        let computed = self.compute_similarity(corpus, doc, sentence);
        self.memo.borrow_mut().insert(key, computed);
        computed
    }

    fn compute_similarity(&self, corpus: &Corpus, doc: DocId, sentence: usize) -> (f64, f64) {
        let facts = corpus.facts(doc);
        let here = facts.terms_of(sentence);
        let before = sentence
            .checked_sub(1)
            .map_or(&[][..], |i| facts.terms_of(i));
        let (mut weight, mut shared) = (0.0, 0.0);
        for &(id, w, share) in &self.terms {
            if here.contains(&id) {
                weight += w;
                shared += share;
            } else if before.contains(&id) {
                weight += w * PREVIOUS_SENTENCE_WEIGHT;
                shared += share * PREVIOUS_SENTENCE_WEIGHT;
            }
        }
        (weight / self.total, shared)
    }
}

/// Adds the words of the names that acronyms in `span` abbreviate, when the
/// corpus writes the name out but never the acronym ("WTI" for "West Texas
/// Intermediate").
fn expand_acronyms(corpus: &Corpus, text: &str, span: Span, terms: &mut Vec<String>) {
    let here = span.slice(text);
    for token in crate::extract::words::tokens(here) {
        let word = token.span.slice(here);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let acronym = (2..=6).contains(&letters)
            && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        if !acronym || corpus.terms().id(&word.to_lowercase()).is_some() {
            continue;
        }
        let Some(entity) = corpus.entity_named(word) else {
            continue;
        };
        let name = &corpus.entity(entity).name;
        for term in context::terms(name, Span::new(0, name.len())) {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
}

/// The segment of `sentence` that belongs to `figures[index]` among several
/// figures of one kind: from the clause break after the previous figure to
/// the clause break before the next ("…with 60%, | and Nordvik…"). Figures
/// with no clause break between them ("rose 1.4 points to 36.4%") share one.
pub fn segment_of(text: &str, sentence: Span, figures: &[Span], index: usize) -> Span {
    segment_split_by(claims::split_between, text, sentence, figures, index)
}

/// The segment of `figures[index]` in `sentence`, cut where `split` says a
/// figure's clause gives way to the next one's.
fn segment_split_by(
    split: fn(&str, Span, Span) -> Option<usize>,
    text: &str,
    sentence: Span,
    figures: &[Span],
    index: usize,
) -> Span {
    let start = index
        .checked_sub(1)
        .and_then(|previous| split(text, figures[previous], figures[index]))
        .unwrap_or(sentence.start());
    let end = figures
        .get(index + 1)
        .and_then(|&next| split(text, figures[index], next))
        .unwrap_or(sentence.end());
    Span::new(start, end.max(start))
}

/// A number written in a related source sentence exactly as the note writes
/// it, where the extractor saw no figure ("the count grew to 1,146 from 962"):
/// before calling a figure wrong, such a plain match counts as support. Only
/// numbers of three or more digits, or with decimals, are specific enough,
/// only amounts written without a scale word, and only numbers the extractor
/// left untyped (the others were compared as figures).
pub fn literal_support(
    corpus: &Corpus,
    context: &SentenceContext,
    note: &str,
    figure: &Figure,
    frame: &NoteFrame,
) -> Option<(DocId, Span)> {
    if figure.qualifier == crate::extract::Qualifier::Range {
        return None;
    }
    let (digits, value) = first_number(figure.span.slice(note))?;
    // A scaled amount ("£410bn") shares its digits with other scales ("£410m").
    if (figure.value - value).abs() > f64::EPSILON * value.abs().max(1.0) {
        return None;
    }
    let written = &figure.span.slice(note)[digits.range()];
    if written.chars().filter(char::is_ascii_digit).count() < 3 && !written.contains('.') {
        return None;
    }
    // Numbers inside extracted figures were compared already; the index holds
    // the others by value, so no document's text is read here.
    for doc in context.documents(corpus) {
        // A document about someone else says nothing of the note's figure.
        if !fit::may_be_about(frame, corpus.facts(doc)) {
            continue;
        }
        for literal in corpus.facts(doc).literals_equal_to(value) {
            // "19 to 33" is no source for "33.0%": the note is more precise.
            if literal.decimals < decimals_written(written) {
                continue;
            }
            let (similarity, shared) = context.similarity(corpus, doc, literal.sentence as usize);
            if !(similarity < SUPPORT_SIMILARITY || shared < 1.0) {
                return Some((doc, literal.span));
            }
        }
    }
    None
}

/// Every source figure of the same kind, in a convertible unit and of a
/// comparable size, whose claim does not conflict with the note's, with how
/// well its context matches and whether it agrees: the figures [`judge`]
/// may count as support or as a rival.
pub fn candidates(
    corpus: &Corpus,
    context: &SentenceContext,
    figure: &Figure,
    frame: &NoteFrame,
    cited: &[DocId],
    tolerance: f64,
) -> Vec<Candidate> {
    candidates_cached(
        corpus,
        context,
        figure,
        frame,
        (cited, tolerance),
        &mut SubjectDocuments::default(),
    )
}

/// The documents naming each set of subjects (see [`subject_documents`]),
/// kept for one corpus: counting a much-named entity's mentions reads all of
/// them, and the figures of a note name the same few subjects again and
/// again, edit after edit. Clear it when the corpus changes.
#[derive(Debug, Default)]
pub struct SubjectDocuments {
    known: HashMap<Vec<EntityId>, Vec<DocId>>,
}

impl SubjectDocuments {
    pub fn clear(&mut self) {
        self.known.clear();
    }

    fn of(&mut self, corpus: &Corpus, frame: &NoteFrame) -> &[DocId] {
        self.known
            .entry(frame.subjects.clone())
            .or_insert_with(|| subject_documents(corpus, frame))
    }
}

/// [`candidates`], with the documents naming the frame's subjects taken
/// from (and kept in) `subjects`.
pub fn candidates_cached(
    corpus: &Corpus,
    context: &SentenceContext,
    figure: &Figure,
    frame: &NoteFrame,
    (cited, tolerance): (&[DocId], f64),
    subjects: &mut SubjectDocuments,
) -> Vec<Candidate> {
    let mut found = Vec::new();
    let mut close: Vec<DocId> = context.close_documents().to_vec();
    // The cited documents are always read: whether they say it is the question.
    close.extend(cited);
    // So are the documents that name the claim's subject, however many
    // others share its words: a corpus that grows must not bury them.
    close.extend(subjects.of(corpus, frame));
    close.sort_unstable();
    close.dedup();
    let close = close.as_slice();
    let mut close_set = FixedBitSet::with_capacity(corpus.documents().len());
    close_set.extend(close.iter().map(|doc| doc.index()));
    // A cited source is read as about what the note's sentence is about,
    // whoever the note's headings name: the writer says it is the source.
    let as_cited = NoteFrame {
        subjects: Vec::new(),
        ..frame.clone()
    };
    // Figures in sentences that may share enough of the note's words...
    let mut read_in_large: std::collections::HashSet<(DocId, usize)> = Default::default();
    for &doc in close {
        let frame = if cited.contains(&doc) {
            &as_cited
        } else {
            frame
        };
        let facts = corpus.facts(doc);
        if facts.is_large() {
            for i in large_document_figures(context, facts, figure.kind) {
                read_in_large.insert((doc, i));
                found.extend(consider(corpus, context, figure, frame, tolerance, doc, i));
            }
            continue;
        }
        for &i in facts.figures_of_kind(figure.kind) {
            found.extend(consider(
                corpus, context, figure, frame, tolerance, doc, i as usize,
            ));
        }
    }
    // ...and figures anywhere that state the amount itself: support is looked
    // for wider than mismatches, in documents that share the note's words first.
    let Some((low, high)) = value_range(figure, tolerance) else {
        found.sort_by(by_closeness);
        return found;
    };
    // Those in documents sharing the note's words first, each group in
    // document order: one pass, as a common amount has hits by the ten thousand.
    let mut sharing: Vec<(DocId, usize)> = Vec::new();
    let mut others: Vec<(DocId, usize)> = Vec::new();
    for entry in corpus.values().within(figure.kind, &figure.unit, low, high) {
        let (doc, i) = (DocId(entry.doc), entry.figure as usize);
        // A large close document was read only where it shares words.
        let unread = !close_set.contains(doc.index())
            || (corpus.facts(doc).is_large() && !read_in_large.contains(&(doc, i)));
        if !unread {
            continue;
        }
        if context.shares_words(doc) {
            sharing.push((doc, i));
        } else {
            others.push((doc, i));
        }
    }
    let sharing = first_distinct(sharing, MAX_VALUE_HITS);
    let others = first_distinct(others, MAX_VALUE_HITS - sharing.len());
    let hits = sharing.into_iter().chain(others);
    for (doc, i) in hits {
        found.extend(consider(corpus, context, figure, frame, tolerance, doc, i));
    }
    found.sort_by(by_closeness);
    found
}

/// The `n` least distinct hits, in order. A figure and its written
/// equivalent may both be hits, so the `2n` least hold them.
fn first_distinct(mut hits: Vec<(DocId, usize)>, n: usize) -> Vec<(DocId, usize)> {
    if hits.len() > 2 * n {
        hits.select_nth_unstable(2 * n);
        hits.truncate(2 * n);
    }
    hits.sort_unstable();
    hits.dedup();
    hits.truncate(n);
    hits
}

/// The documents naming a note claim's subjects, those naming them most
/// often first, at most [`MAX_SUBJECT_DOCUMENTS`].
fn subject_documents(corpus: &Corpus, frame: &NoteFrame) -> Vec<DocId> {
    let mut counts: HashMap<DocId, usize> = HashMap::new();
    for &entity in &frame.subjects {
        for &(doc, _) in &corpus.entity(entity).mentions {
            *counts.entry(doc).or_default() += 1;
        }
    }
    let mut docs: Vec<(DocId, usize)> = counts.into_iter().collect();
    docs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    docs.truncate(MAX_SUBJECT_DOCUMENTS);
    docs.into_iter().map(|(doc, _)| doc).collect()
}

/// The most sentences of one large document read for one note figure.
const MAX_LARGE_DOCUMENT_SENTENCES: usize = 2_000;

/// The figures of `kind` in the sentences of a large document that share a
/// context term with the note (or follow one that does, as similarity counts
/// the previous sentence), rarest terms first, up to
/// [`MAX_LARGE_DOCUMENT_SENTENCES`] sentences: a note figure's cost does not
/// grow with the document. A sentence sharing none of the words is no rival
/// and no support by context.
fn large_document_figures(
    context: &SentenceContext,
    facts: &crate::corpus::index::DocFacts,
    kind: FigureKind,
) -> Vec<usize> {
    let mut terms: Vec<&[u32]> = context
        .terms
        .iter()
        .map(|&(id, _, _)| facts.sentences_with(id))
        .collect();
    terms.sort_by_key(|sentences| sentences.len());
    let mut sentences: Vec<u32> = Vec::new();
    for with_term in terms {
        if sentences.len() + with_term.len() > MAX_LARGE_DOCUMENT_SENTENCES * 2 {
            break;
        }
        sentences.extend(with_term.iter().flat_map(|&s| [s, s + 1]));
    }
    sentences.sort_unstable();
    sentences.dedup();
    sentences.truncate(MAX_LARGE_DOCUMENT_SENTENCES * 2);
    let figures = &facts.analysis.figures;
    let mut found = Vec::new();
    for sentence in sentences {
        let start = figures.partition_point(|(_, s)| *s < sentence);
        let end = figures.partition_point(|(_, s)| *s <= sentence);
        found.extend((start..end).filter(|&i| figures[i].0.kind == kind));
    }
    found
}

/// The amounts, in the figure's own kind and unit, that could agree with it:
/// its interval with room for the sources' rounding; for a date, the days of
/// its month; for a day with no year, the same day written with no year.
fn value_range(figure: &Figure, tolerance: f64) -> Option<(f64, f64)> {
    match figure.kind {
        FigureKind::Date => {
            let date = figure.date?;
            if date.year.is_none() {
                // "April 7" meets the sources' other yearless "April 7"s.
                return date.day.map(|_| (figure.value, figure.value));
            }
            let month_start =
                f64::from(date.year?) * 10_000.0 + f64::from(date.month.unwrap_or(0)) * 100.0;
            let span = if date.month.is_some() { 99.0 } else { 1_299.0 };
            Some((month_start, month_start + span))
        }
        FigureKind::Year => Some((figure.value, figure.value)),
        FigureKind::Money
        | FigureKind::Percent
        | FigureKind::Count
        | FigureKind::Quantity
        | FigureKind::Duration => {
            let (low, high) = agree::interval(figure, tolerance);
            Some((
                low - VALUE_SLACK * low.abs(),
                high + VALUE_SLACK * high.abs(),
            ))
        }
    }
}

fn by_closeness(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.similarity
        .total_cmp(&a.similarity)
        .then(a.doc.cmp(&b.doc))
        .then(a.figure.cmp(&b.figure))
}

/// Compares one source figure (and its written equivalent) with the note's.
/// `None` when neither part converts to the note's unit, and when the part
/// compared is of another size or its claim conflicts with the note's:
/// [`judge`] counts such a figure neither as support nor as a rival, so its
/// context is never measured (most of a close document's figures are of
/// other sizes, and measuring them was most of a keystroke's cost).
fn consider(
    corpus: &Corpus,
    context: &SentenceContext,
    figure: &Figure,
    frame: &NoteFrame,
    tolerance: f64,
    doc: DocId,
    index: usize,
) -> Option<Candidate> {
    let facts = corpus.facts(doc);
    let (source, sentence) = &facts.analysis.figures[index];
    let parts =
        std::iter::once((source, false)).chain(source.equivalent.as_deref().map(|e| (e, true)));
    let mut best: Option<(&Figure, bool, f64, bool)> = None;
    for (part, equivalent) in parts {
        let Some(factor) = agree::conversion(figure, part, corpus.rates(), doc.0) else {
            continue;
        };
        let agrees = agree::agrees(figure, part, factor, tolerance);
        let better = match &best {
            None => true,
            Some((_, _, _, best_agrees)) => !best_agrees && (agrees || factor == 1.0),
        };
        if better {
            best = Some((part, equivalent, factor, agrees));
        }
    }
    let (part, equivalent, factor, agrees) = best?;
    if !agree::comparable(figure, part, factor) {
        return None;
    }
    let fit = facts
        .claims
        .get(index)
        .map(|claim| fit::fit(corpus, frame, claim, facts))
        .unwrap_or_default();
    if fit.conflict {
        return None;
    }
    let (similarity, shared_terms) = context.similarity(corpus, doc, *sentence as usize);
    Some(Candidate {
        doc,
        figure: index,
        equivalent,
        similarity,
        shared_terms,
        agrees,
        open_ended: agree::open_ended(part),
        agrees_strictly: agrees && agree::agrees_strictly(figure, part, factor, tolerance),
        confirms_alone: agree::confirms_alone(figure, part, factor),
        fit,
    })
}

/// What the sources say of one note figure.
pub struct FigureVerdict {
    /// Agreeing candidates that count as support, best first.
    pub support: Vec<Candidate>,
    /// Disagreeing candidates close enough to be the same fact, best first.
    pub rivals: Vec<Candidate>,
}

pub fn judge(
    corpus: &Corpus,
    context: &SentenceContext,
    figure: &Figure,
    candidates: &[Candidate],
    cited: &[DocId],
) -> FigureVerdict {
    let shared_needed = if context.single_rare_term(corpus) {
        1.0
    } else {
        MISMATCH_SHARED_TERMS
    };
    let distinctive = agree::distinctive(figure);
    let support: Vec<Candidate> = candidates
        .iter()
        .filter(|c| {
            // Candidates are comparable in size and free of conflicting
            // claims already (see `consider`).
            c.agrees
                && ((distinctive && c.agrees_strictly && c.confirms_alone)
                    || (c.similarity >= SUPPORT_SIMILARITY
                        && c.shared_terms >= 1.0
                        // "11%" can round the note's "11.2%", but the
                        // note's digit came from somewhere: a coarser
                        // source supports it only where its words or its
                        // frame say it is the same fact. (Open-ended
                        // bounds are weighed by the words alone, as before.)
                        && (c.confirms_alone
                            || c.open_ended
                            || c.similarity >= MISMATCH_SIMILARITY
                            || c.fit.subject
                            || c.fit.specific() > 0))
                    // The source the note cites, stating the amount as the
                    // note does about a compatible claim, needs no more words.
                    || (c.agrees_strictly && c.shared_terms >= 1.0 && cited.contains(&c.doc)))
        })
        .cloned()
        .collect();
    let rivals: Vec<Candidate> = candidates
        .iter()
        .filter(|c| {
            !c.agrees
                // A source claim of the note's measure and period needs
                // fewer shared words: the frame already says it is the same fact.
                && (c.shared_terms >= shared_needed
                    || (c.fit.measure && c.fit.period && c.shared_terms >= 1.0))
                // A source claim of the note's measure needs fewer of the
                // note's words: how common those words are in the rest of
                // the corpus must not decide whether it is the same fact.
                && (c.similarity >= MISMATCH_SIMILARITY
                    || (c.fit.measure && c.similarity >= MEASURED_MISMATCH_SIMILARITY))
        })
        .cloned()
        .collect();
    // The source the note cites first, then the most specific rival: it is
    // the one the message and the fix name.
    let mut rivals = rivals;
    rivals.sort_by(|a, b| {
        cited
            .contains(&b.doc)
            .cmp(&cited.contains(&a.doc))
            .then(b.fit.score().cmp(&a.fit.score()))
            .then(b.similarity.total_cmp(&a.similarity))
    });
    // Support is weighed against the best rival: a source claim that names
    // the measure or the period the note names, where the agreeing one names
    // neither and shares fewer of the note's words, is the better reading of
    // the fact; the weaker support does not veto it.
    let support = match rivals.iter().max_by(|a, b| {
        a.fit
            .specific()
            .cmp(&b.fit.specific())
            .then(a.similarity.total_cmp(&b.similarity))
    }) {
        Some(best) if best.fit.specific() > 0 => support
            .into_iter()
            .filter(|c| c.fit.specific() >= best.fit.specific() || c.similarity >= best.similarity)
            .collect(),
        _ => support,
    };
    // A rival about the note's subject, in a sentence sharing most of the
    // note's words, outweighs support that names none of the note's subject,
    // measure or period and shares few of its words, unless its amount pins
    // the fact down by itself ("9.4%", "$87.20"): an equal round value ("18%")
    // in an unrelated sentence is a coincidence, not a confirmation.
    let support = if rivals
        .iter()
        .any(|r| r.fit.subject && r.similarity >= MISMATCH_SIMILARITY)
    {
        support
            .into_iter()
            .filter(|c| {
                c.fit.score() > 0
                    || c.similarity >= MISMATCH_SIMILARITY
                    || (distinctive && c.agrees_strictly && c.confirms_alone)
            })
            .collect()
    } else {
        support
    };
    // Several dates in one source sentence ("ramp up through 2026 and reach
    // a plateau in 2027"): the note's date is the one whose own clause names
    // the event the note names. An agreeing date loses to a rival of its
    // sentence whose clause shares more of the note's words. (Amounts have
    // their measures for this; a date's event is only in its clause's words.)
    let dates = matches!(figure.kind, FigureKind::Year | FigureKind::Date);
    let support = support
        .into_iter()
        .filter(|s| {
            if !dates {
                return true;
            }
            let sharing = |c: &Candidate| context.shared_with_segment(corpus, c);
            let mut neighbours = rivals
                .iter()
                .filter(|r| r.doc == s.doc && same_sentence(corpus, r, s))
                .peekable();
            if neighbours.peek().is_none() {
                return true;
            }
            let own = sharing(s);
            neighbours.all(|r| sharing(r) <= own)
        })
        .collect();
    // Of several figures in one source sentence, what the source says of the
    // note's fact is the one whose clause states it ("cut the risk of
    // hospitalisation by 32% and lowered the risk of the composite goal by
    // 24%"; "−9.8% with the drug and −1.3% with placebo"): the others are not
    // held up against the note, in its message, its fix or its go-to list.
    // (Clauses are read only where a sentence holds several rivals.)
    let sentence_of = |c: &Candidate| (c.doc, corpus.facts(c.doc).analysis.figures[c.figure].1);
    let mut per_sentence: HashMap<(DocId, u32), usize> = HashMap::new();
    for c in &rivals {
        *per_sentence.entry(sentence_of(c)).or_default() += 1;
    }
    let clause_sharing: Vec<Option<usize>> = rivals
        .iter()
        .map(|c| {
            (per_sentence[&sentence_of(c)] > 1).then(|| context.shared_with_segment(corpus, c))
        })
        .collect();
    let rivals = rivals
        .iter()
        .zip(&clause_sharing)
        .filter(|(c, sharing)| {
            let Some(sharing) = sharing else {
                return true;
            };
            !rivals
                .iter()
                .zip(&clause_sharing)
                .any(|(other, other_sharing)| {
                    other_sharing.is_some_and(|o| o > *sharing)
                        && other.fit.score() >= c.fit.score()
                        && sentence_of(other) == sentence_of(c)
                })
        })
        .map(|(c, _)| c.clone())
        .collect();
    FigureVerdict { support, rivals }
}

fn same_sentence(corpus: &Corpus, a: &Candidate, b: &Candidate) -> bool {
    let figures = &corpus.facts(a.doc).analysis.figures;
    figures[a.figure].1 == figures[b.figure].1
}

/// The span of a source figure's own clause among the figures of its kind in
/// its sentence: a source's clauses are cut at their strongest break, not
/// the last one as a note's are.
fn source_segment(corpus: &Corpus, candidate: &Candidate) -> Span {
    let doc = corpus.document(candidate.doc);
    let facts = corpus.facts(candidate.doc);
    let (figure, sentence) = &facts.analysis.figures[candidate.figure];
    let same_kind: Vec<Span> = facts
        .analysis
        .figures
        .iter()
        .filter(|(f, s)| s == sentence && f.kind == figure.kind)
        .map(|(f, _)| f.span)
        .collect();
    let index = same_kind
        .iter()
        .position(|s| *s == figure.span)
        .unwrap_or(0);
    segment_split_by(
        claims::strongest_split_between,
        &doc.text,
        facts.analysis.sentences[*sentence as usize],
        &same_kind,
        index,
    )
}

/// The source figure a candidate points at (the equivalent when that was compared).
pub fn source_figure(corpus: &Corpus, candidate: &Candidate) -> (Figure, Span) {
    let facts = corpus.facts(candidate.doc);
    let (figure, sentence) = &facts.analysis.figures[candidate.figure];
    let sentence = facts.analysis.sentences[*sentence as usize];
    (figure.clone(), sentence)
}
