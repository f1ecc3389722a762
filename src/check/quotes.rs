//! Quotations in a note against the sources' words: found verbatim (after
//! folding case, quote marks, apostrophes and spacing), or the closest passage.

use std::collections::HashMap;
use std::sync::Arc;

use crate::corpus::{term_search, Corpus, DocId};
use crate::extract::context;
use crate::extract::words;
use crate::text::Span;

/// Where a quotation's words stand in a source.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    pub doc: DocId,
    /// From the first to the last quoted word in the source.
    pub span: Span,
    /// Share of the quotation's words the passage holds (1.0 when verbatim).
    pub overlap: f64,
}

/// The normalized words of a quotation, split where the writer left words out
/// ("…", "...", "[…]"): each part must appear, in order.
pub fn quote_parts(inner: &str) -> Vec<Vec<String>> {
    let mut parts = Vec::new();
    for piece in inner.split(['…', '[', ']']).flat_map(|p| p.split("...")) {
        let part: Vec<String> = words::normalized_words(piece)
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        if !part.is_empty() {
            parts.push(part);
        }
    }
    parts
}

/// The corpus searched for each quotation of a note, by the quotation's
/// words, kept for one corpus: typing elsewhere in a sentence that quotes
/// re-checks the sentence, and searching a large corpus for a quotation of
/// common words reads thousands of documents. A search not asked for in
/// [`SEARCH_RUNS_KEPT`] runs is dropped. Clear it when the corpus changes.
#[derive(Debug, Default)]
pub struct QuoteSearches {
    /// The note's run this is for (its [`NoteCache`](crate::check::NoteCache)'s).
    run: u32,
    verbatim: HashMap<String, (Arc<[Passage]>, u32)>,
    closest: HashMap<String, (Option<Passage>, u32)>,
}

/// Runs since its last use after which a quotation's search is forgotten.
const SEARCH_RUNS_KEPT: u32 = 4;

impl QuoteSearches {
    pub fn clear(&mut self) {
        self.verbatim.clear();
        self.closest.clear();
    }

    /// Starts the note's run `run`: forgets the searches the last few left unused.
    pub fn start_run(&mut self, run: u32) {
        self.run = run;
        let fresh = |last: u32| run.wrapping_sub(last) < SEARCH_RUNS_KEPT;
        self.verbatim.retain(|_, (_, last)| fresh(*last));
        self.closest.retain(|_, (_, last)| fresh(*last));
    }

    /// [`find_verbatim`], remembered.
    pub fn verbatim(&mut self, corpus: &Corpus, inner: &str) -> Arc<[Passage]> {
        remembered(&mut self.verbatim, self.run, inner, || {
            find_verbatim(corpus, inner).into()
        })
    }

    /// [`closest`], remembered.
    pub fn closest(&mut self, corpus: &Corpus, inner: &str) -> Option<Passage> {
        remembered(&mut self.closest, self.run, inner, || {
            closest(corpus, inner)
        })
    }
}

/// The answer `known` keeps for `inner`, marked used in `run`, or `search`'s,
/// kept.
fn remembered<T: Clone>(
    known: &mut HashMap<String, (T, u32)>,
    run: u32,
    inner: &str,
    search: impl FnOnce() -> T,
) -> T {
    if let Some((found, last)) = known.get_mut(inner) {
        *last = run;
        return found.clone();
    }
    let found = search();
    known.insert(inner.to_string(), (found.clone(), run));
    found
}

/// How many documents are searched for a misquotation's closest passage.
const CLOSEST_CANDIDATES: usize = 20;

/// The documents a quotation may come from: with `all_terms`, those whose
/// sentences use every one of its words, in id order; else the
/// [`CLOSEST_CANDIDATES`] sharing the most weight of them. A quotation with
/// no words to look up could be anywhere.
fn candidate_documents(corpus: &Corpus, inner: &str, all_terms: bool) -> Vec<u32> {
    let index = corpus.terms();
    let terms = context::terms(inner, Span::new(0, inner.len()));
    if terms.is_empty() {
        return (0..corpus.documents().len() as u32).collect();
    }
    let known: Vec<u32> = terms.iter().filter_map(|term| index.id(term)).collect();
    if all_terms {
        if known.len() < terms.len() {
            return Vec::new();
        }
        return term_search::documents_with_all(index, &known);
    }
    let weighted: Vec<(u32, f64)> = known.iter().map(|&id| (id, index.weight(id))).collect();
    term_search::best_documents(index, &weighted, |_| false, CLOSEST_CANDIDATES)
        .into_iter()
        .map(|(doc, _)| doc)
        .collect()
}

/// Every source that contains the quotation verbatim.
pub fn find_verbatim(corpus: &Corpus, inner: &str) -> Vec<Passage> {
    let parts = quote_parts(inner);
    if parts.is_empty() {
        return Vec::new();
    }
    let anchor = anchor_word(inner);
    let mut found = Vec::new();
    for doc in candidate_documents(corpus, inner, true) {
        let doc = DocId(doc);
        let text = &corpus.document(doc).text;
        let sentences = &corpus.facts(doc).analysis.sentences;
        // Only the sentences around an occurrence of the quote's longest word
        // are read word by word.
        let regions = match &anchor {
            Some(word) => regions_around(text, sentences, word),
            None => vec![Span::new(0, text.len())],
        };
        for region in regions {
            let tokens: Vec<(Span, String)> = words::normalized_words(region.slice(text))
                .into_iter()
                .map(|(span, word)| {
                    (
                        Span::new(span.start() + region.start(), span.end() + region.start()),
                        word,
                    )
                })
                .collect();
            if let Some(span) = match_parts(&tokens, &parts) {
                found.push(Passage {
                    doc,
                    span,
                    overlap: 1.0,
                });
                break;
            }
        }
    }
    found
}

/// The quotation's longest plain word (letters only), lowercase: the one to
/// look for first.
fn anchor_word(inner: &str) -> Option<String> {
    words::tokens(inner)
        .map(|t| t.span.slice(inner))
        .filter(|w| w.chars().all(char::is_alphabetic))
        .max_by_key(|w| w.len())
        .filter(|w| w.len() >= 4)
        .map(str::to_lowercase)
}

/// Spans of `text` made of the sentence holding each occurrence of `word`
/// (in lower case or capitalized) with its neighbours, merged where they touch.
fn regions_around(text: &str, sentences: &[Span], word: &str) -> Vec<Span> {
    let mut capitalized = word.to_string();
    if let Some(first) = capitalized.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let mut regions: Vec<Span> = Vec::new();
    for needle in [word, capitalized.as_str()] {
        for at in memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()) {
            let i = sentences.partition_point(|s| s.end() <= at);
            let first = sentences.get(i.saturating_sub(1)).map_or(0, |s| s.start());
            let last = sentences
                .get(i + 1)
                .or(sentences.get(i))
                .map_or(text.len(), |s| s.end());
            regions.push(Span::new(
                first.min(at),
                last.max(at + needle.len()).min(text.len()),
            ));
        }
    }
    // Sorted, then merged where they overlap or touch, in one pass: a word
    // that occurs thousands of times costs no more than reading around it.
    regions.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(regions.len());
    for region in regions {
        match merged.last_mut() {
            Some(last) if last.end >= region.start => *last = last.cover(region),
            _ => merged.push(region),
        }
    }
    merged
}

fn match_parts(tokens: &[(Span, String)], parts: &[Vec<String>]) -> Option<Span> {
    'start: for begin in 0..tokens.len() {
        let mut at = begin;
        let mut start = None;
        for (n, part) in parts.iter().enumerate() {
            let position = if n == 0 {
                matches_at(tokens, at, part).then_some(at)
            } else {
                (at..tokens.len()).find(|&i| matches_at(tokens, i, part))
            };
            let Some(position) = position else {
                if n == 0 {
                    continue 'start;
                }
                return None;
            };
            start.get_or_insert(tokens[position].0.start());
            at = position + part.len();
        }
        return Some(Span::new(start?, tokens[at - 1].0.end()));
    }
    None
}

fn matches_at(tokens: &[(Span, String)], at: usize, part: &[String]) -> bool {
    at + part.len() <= tokens.len()
        && tokens[at..at + part.len()]
            .iter()
            .zip(part)
            .all(|((_, a), b)| a == b)
}

/// Documents up to this size are read whole for the closest passage; in a
/// larger one only the sentences around the quotation's longest words are, so
/// one quotation never costs a scan of a 16 MB file.
const WHOLE_DOCUMENT_BYTES: usize = 64 * 1024;
/// The most text of one document read for the closest passage.
const MAX_CLOSEST_BYTES: usize = 256 * 1024;
/// How many of the quotation's longest words lead to the passages read.
const CLOSEST_ANCHORS: usize = 3;

/// The source passage closest to a quotation that no source contains: the
/// window of the quotation's length that shares most of its words, then the
/// source words that line up with the quotation's around it (see [`align`]).
pub fn closest(corpus: &Corpus, inner: &str) -> Option<Passage> {
    let parts = quote_parts(inner);
    let quote: Vec<String> = parts.concat();
    if quote.is_empty() {
        return None;
    }
    let mut wanted: HashMap<&str, usize, words::WordBuildHasher> = HashMap::default();
    for word in &quote {
        *wanted.entry(word.as_str()).or_default() += 1;
    }
    let n = quote.len();
    // The best document so far: its share of the quotation, its tokens and
    // where the best window of them starts.
    let mut best: Option<(f64, DocId, Tokens, usize)> = None;
    for doc in candidate_documents(corpus, inner, false) {
        let doc = DocId(doc);
        let text = &corpus.document(doc).text;
        let mut best_here: Option<(usize, Tokens, usize)> = None;
        for region in closest_regions(corpus, doc, inner) {
            let tokens = region_tokens(corpus, doc, region, text);
            if tokens.is_empty() {
                continue;
            }
            let mut have: HashMap<&str, usize, words::WordBuildHasher> = HashMap::default();
            let mut matched = 0usize;
            let window = n.min(tokens.len());
            let (mut best_in_region, mut best_at) = (0usize, 0usize);
            for i in 0..tokens.len() {
                let word: &str = &tokens[i].1;
                if let Some(&limit) = wanted.get(word) {
                    let count = have.entry(word).or_default();
                    *count += 1;
                    if *count <= limit {
                        matched += 1;
                    }
                }
                if i >= window {
                    let old: &str = &tokens[i - window].1;
                    if let Some(&limit) = wanted.get(old) {
                        let count = have.get_mut(old).expect("counted on entry");
                        if *count <= limit {
                            matched -= 1;
                        }
                        *count -= 1;
                    }
                }
                if i + 1 >= window && matched > best_in_region {
                    best_in_region = matched;
                    best_at = i + 1 - window;
                }
            }
            if best_here
                .as_ref()
                .is_none_or(|(m, _, _)| best_in_region > *m)
            {
                best_here = Some((best_in_region, std::rc::Rc::clone(&tokens), best_at));
            }
        }
        let Some((matched, tokens, at)) = best_here else {
            continue;
        };
        let overlap = matched as f64 / n as f64;
        if matched > 0 && best.as_ref().is_none_or(|b| overlap > b.0) {
            best = Some((overlap, doc, tokens, at));
        }
    }
    let (overlap, doc, tokens, at) = best?;
    // The window only says where the passage is; which source words it holds
    // is decided by lining them up with the quotation's, a quotation's length
    // of words either side of the window.
    let from = at.saturating_sub(n);
    let to = (at + 2 * n).min(tokens.len());
    let text = &corpus.document(doc).text;
    let (first, last) = align(&parts, &tokens[from..to], text)?;
    let span = Span::new(tokens[from + first].0.start(), tokens[from + last].0.end());
    Some(Passage { doc, span, overlap })
}

/// What lining a quotation up with a source costs per word. A word in
/// place of another costs less than a word left out plus one put in, so a
/// changed word at either end is part of the passage (the quick fix must
/// replace it), not dropped from it.
const CHANGED_WORD: u32 = 2;
const MISSING_OR_EXTRA_WORD: u32 = 3;

/// The first and last of `source` (indexes) that the quotation's words line
/// up with best: the source stretch with the fewest words changed, left out
/// or added (an edit distance, with the stretch's ends free). Where the
/// writer marked left-out words (between `parts`), source words are skipped
/// for free. `text` is what the tokens' spans point into. `None` when no
/// word matches.
fn align(parts: &[Vec<String>], source: &[(Span, Box<str>)], text: &str) -> Option<(usize, usize)> {
    let quote: Vec<&str> = parts.iter().flatten().map(String::as_str).collect();
    // Rows (quotation words done) after which the writer left words out.
    let mut gap_after = vec![false; quote.len() + 1];
    let mut done = 0;
    for part in &parts[..parts.len().saturating_sub(1)] {
        done += part.len();
        gap_after[done] = true;
    }
    let (n, m) = (quote.len(), source.len());
    // cost[i][j]: the cheapest way to line up the first i quotation words
    // with source words ending before j; start[i][j]: where that stretch begins.
    let width = m + 1;
    let mut cost = vec![0u32; (n + 1) * width];
    let mut start = vec![0usize; (n + 1) * width];
    for (j, at) in start[..width].iter_mut().enumerate() {
        *at = j;
    }
    for i in 1..=n {
        cost[i * width] = i as u32 * MISSING_OR_EXTRA_WORD;
        for j in 1..=m {
            let same = quote[i - 1] == &*source[j - 1].1;
            let diagonal = cost[(i - 1) * width + j - 1] + if same { 0 } else { CHANGED_WORD };
            let quote_word_missing = cost[(i - 1) * width + j] + MISSING_OR_EXTRA_WORD;
            let source_word_extra = cost[i * width + j - 1]
                + if gap_after[i] {
                    0
                } else {
                    MISSING_OR_EXTRA_WORD
                };
            let (best, from) = [
                (diagonal, (i - 1) * width + j - 1),
                (quote_word_missing, (i - 1) * width + j),
                (source_word_extra, i * width + j - 1),
            ]
            .into_iter()
            .min_by_key(|(c, _)| *c)
            .expect("three ways");
            cost[i * width + j] = best;
            start[i * width + j] = start[from];
        }
    }
    let end = (1..=m).min_by_key(|&j| cost[n * width + j])?;
    let (mut first, mut last) = (start[n * width + end], end - 1);
    // A word in place of the quotation's first or last that stands across a
    // sentence or paragraph end from the rest belongs to another sentence:
    // the writer added a word there, they did not change that one.
    let in_quote = |j: usize| quote.contains(&&*source[j].1);
    let apart = |a: usize, b: usize| {
        let between = &text[source[a].0.end()..source[b].0.start()];
        between.contains(['.', '!', '?']) || between.contains("\n\n")
    };
    while first < last && !in_quote(first) && apart(first, first + 1) {
        first += 1;
    }
    while last > first && !in_quote(last) && apart(last - 1, last) {
        last -= 1;
    }
    (first..=last).any(in_quote).then_some((first, last))
}

/// Whole small documents kept tokenized per thread, so that a note with
/// hundreds of misquotes reads each candidate document once, not once per
/// quotation. Bounded: at most this many documents of at most
/// [`WHOLE_DOCUMENT_BYTES`] each.
const TOKENIZED_DOCUMENTS: usize = 64;

type Tokens = std::rc::Rc<[(Span, Box<str>)]>;

thread_local! {
    /// (corpus generation, document, its tokens), most recent last.
    static TOKENIZED: std::cell::RefCell<Vec<(u64, DocId, Tokens)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The normalized words of `region` of a document: a whole small document
/// from the per-thread cache, any other region read afresh.
fn region_tokens(corpus: &Corpus, doc: DocId, region: Span, text: &str) -> Tokens {
    let read = || -> Tokens {
        let region_text = region.slice(text);
        words::tokens(region_text)
            .map(|token| {
                (
                    token.span.shifted(region.start() as i64),
                    words::normalize(token.span.slice(region_text)).into(),
                )
            })
            .collect()
    };
    let whole = region.start() == 0 && region.end() == text.len();
    if !whole || text.len() > WHOLE_DOCUMENT_BYTES {
        return read();
    }
    let generation = corpus.generation();
    TOKENIZED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(at) = cache
            .iter()
            .position(|(g, d, _)| *g == generation && *d == doc)
        {
            let entry = cache.remove(at);
            let tokens = std::rc::Rc::clone(&entry.2);
            cache.push(entry);
            return tokens;
        }
        let tokens = read();
        if cache.len() == TOKENIZED_DOCUMENTS {
            cache.remove(0);
        }
        cache.push((generation, doc, std::rc::Rc::clone(&tokens)));
        tokens
    })
}

/// The parts of a document read for the closest passage: all of a small one;
/// in a large one the sentences around the quotation's longest words, up to
/// [`MAX_CLOSEST_BYTES`].
fn closest_regions(corpus: &Corpus, doc: DocId, inner: &str) -> Vec<Span> {
    let text = &corpus.document(doc).text;
    if text.len() <= WHOLE_DOCUMENT_BYTES {
        return vec![Span::new(0, text.len())];
    }
    let mut anchors: Vec<String> = words::tokens(inner)
        .map(|t| t.span.slice(inner))
        .filter(|w| w.len() >= 4 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    anchors.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    anchors.dedup();
    let sentences = &corpus.facts(doc).analysis.sentences;
    let mut regions: Vec<Span> = anchors
        .iter()
        .take(CLOSEST_ANCHORS)
        .flat_map(|word| regions_around(text, sentences, word))
        .collect();
    regions.sort_unstable();
    let mut merged: Vec<Span> = Vec::new();
    let mut budget = MAX_CLOSEST_BYTES;
    for region in regions {
        match merged.last_mut() {
            Some(last) if last.end >= region.start => *last = last.cover(region),
            _ => {
                if budget < region.len() {
                    break;
                }
                merged.push(region);
            }
        }
        budget = budget.saturating_sub(region.len());
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_at_ellipses() {
        assert_eq!(
            quote_parts("We’re excited … growth potential"),
            vec![
                vec!["we're".to_string(), "excited".into()],
                vec!["growth".into(), "potential".into()]
            ]
        );
    }

    #[test]
    fn remembered_searches_answer_as_searching_and_are_forgotten_when_unused() {
        let corpus = crate::test_support::corpus(&[
            "The minister said the harbour “will reopen in the spring” after repairs.",
        ]);
        let mut searches = QuoteSearches::default();
        searches.start_run(1);
        for inner in ["will reopen in the spring", "will reopen in the summer"] {
            assert_eq!(
                *searches.verbatim(&corpus, inner),
                *find_verbatim(&corpus, inner)
            );
            assert_eq!(searches.closest(&corpus, inner), closest(&corpus, inner));
        }
        assert_eq!(
            searches
                .verbatim(&corpus, "will reopen in the spring")
                .len(),
            1
        );
        // Asked for again, one stays; the other goes after SEARCH_RUNS_KEPT runs.
        for run in 2..2 + SEARCH_RUNS_KEPT {
            searches.start_run(run);
            searches.verbatim(&corpus, "will reopen in the spring");
        }
        assert_eq!(searches.verbatim.len(), 1);
        assert!(searches.closest.is_empty());
    }
}
