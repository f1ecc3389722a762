//! Source conflicts: documents that state one fact differently ("about 38,000
//! people" in one, "about 36,000 employees" in another). They are kept as data
//! for hover, the corpus report and information diagnostics in source files;
//! a note that agrees with either side is not faulted.

use std::collections::{HashMap, HashSet};

use crate::corpus::agree;
use crate::corpus::{Conflict, Corpus, DocId};

/// Share of each sentence's context the other must hold for two figures to
/// be statements of one fact.
const CONFLICT_SIMILARITY: f64 = 0.6;
/// Figures compared per rare term at most, so a huge corpus stays linear.
const MAX_FIGURES_PER_TERM: usize = 24;

/// Pairs of source figures in different documents that state one fact
/// differently, judged strictly: as written, without "about" widening.
pub fn find(corpus: &Corpus) -> Vec<Conflict> {
    let terms = corpus.terms();
    let docs = corpus.documents().len();
    let rare_limit = (docs / 20).max(2);
    // Figures by the rare terms of their sentences; a term shared by more
    // figures than MAX_FIGURES_PER_TERM names no one fact and is dropped.
    let mut by_term: HashMap<u32, Option<Vec<(DocId, usize)>>> = HashMap::new();
    for doc in corpus.ids() {
        let facts = corpus.facts(doc);
        for (i, (_, sentence)) in facts.analysis.figures.iter().enumerate() {
            for &term in facts.terms_of(*sentence as usize) {
                if terms.documents_with(term).len() > rare_limit {
                    continue;
                }
                let slot = by_term.entry(term).or_insert_with(|| Some(Vec::new()));
                if let Some(list) = slot {
                    if list.len() == MAX_FIGURES_PER_TERM {
                        *slot = None;
                    } else {
                        list.push((doc, i));
                    }
                }
            }
        }
    }
    let mut found: HashSet<((DocId, usize), (DocId, usize))> = HashSet::new();
    let mut conflicts = Vec::new();
    let mut groups: Vec<(&u32, &Vec<(DocId, usize)>)> = by_term
        .iter()
        .filter_map(|(term, list)| list.as_ref().map(|l| (term, l)))
        .collect();
    groups.sort_by_key(|(term, _)| **term);
    for (_, list) in groups {
        for (n, &a) in list.iter().enumerate() {
            for &b in &list[n + 1..] {
                if a.0 == b.0 || found.contains(&(a, b)) {
                    continue;
                }
                if let Some(conflict) = judge_pair(corpus, a, b) {
                    found.insert((a, b));
                    conflicts.push(conflict);
                }
            }
        }
    }
    conflicts
}

fn judge_pair(corpus: &Corpus, a: (DocId, usize), b: (DocId, usize)) -> Option<Conflict> {
    let (fa, sa) = &corpus.facts(a.0).analysis.figures[a.1];
    let (fb, sb) = &corpus.facts(b.0).analysis.figures[b.1];
    let factor = agree::conversion(fa, fb, corpus.rates(), b.0 .0)?;
    if !agree::comparable(fa, fb, factor) {
        return None;
    }
    if agree::agrees_strictly(fa, fb, factor, 0.0) {
        return None;
    }
    let ta = corpus.facts(a.0).terms_of(*sa as usize);
    let tb = corpus.facts(b.0).terms_of(*sb as usize);
    let weight = |t: &[u32]| t.iter().map(|&id| corpus.terms().weight(id)).sum::<f64>();
    let shared: Vec<u32> = ta.iter().copied().filter(|t| tb.contains(t)).collect();
    let shared_weight = weight(&shared);
    let (wa, wb) = (weight(ta), weight(tb));
    if wa == 0.0 || wb == 0.0 || shared.len() < 2 {
        return None;
    }
    if shared_weight / wa < CONFLICT_SIMILARITY && shared_weight / wb < CONFLICT_SIMILARITY {
        return None;
    }
    let doc_a = corpus.document(a.0);
    let sentence_a = corpus.facts(a.0).analysis.sentences[*sa as usize];
    let sentence_b = corpus.facts(b.0).analysis.sentences[*sb as usize];
    Some(Conflict {
        subject: subject_of(
            sentence_a.slice(&doc_a.text),
            fa.span.start() - sentence_a.start(),
        ),
        statements: vec![(a.0, fa.span, sentence_a), (b.0, fb.span, sentence_b)],
    })
}

/// A few words before the figure, as a label for what the fact is.
fn subject_of(sentence: &str, figure_at: usize) -> String {
    let before = sentence.get(..figure_at).unwrap_or(sentence);
    let words: Vec<&str> = before.split_whitespace().collect();
    let start = words.len().saturating_sub(6);
    words[start..].join(" ")
}
