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

use crate::check::agree;
use crate::check::context;
use crate::corpus::{Corpus, DocId};
use crate::extract::Figure;
use crate::text::Span;

/// Share of the note's context a source must share to support a figure that
/// is not distinctive by itself.
const SUPPORT_SIMILARITY: f64 = 0.2;
/// Share of the note's context a disagreeing source figure must share to be
/// called the same fact misstated.
const MISMATCH_SIMILARITY: f64 = 0.5;
/// Context terms that must be shared for a mismatch.
const MISMATCH_SHARED_TERMS: f64 = 2.0;
/// The previous sentence of a source counts at this weight: it often names
/// what "it" or "the two companies" are.
const PREVIOUS_SENTENCE_WEIGHT: f64 = 0.5;
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
    pub comparable: bool,
    /// The source figure has no upper limit.
    pub open_ended: bool,
    /// Agrees as written, without the reach of "about".
    pub agrees_strictly: bool,
}

/// A note sentence's context, as weighted corpus terms.
pub struct SentenceContext {
    terms: Vec<(u32, f64)>,
    total: f64,
    candidate_docs: Vec<u32>,
}

impl SentenceContext {
    pub fn new(corpus: &Corpus, note: &str, sentence: Span) -> SentenceContext {
        let index = corpus.terms();
        let terms: Vec<(u32, f64)> = context::terms(note, sentence)
            .iter()
            .filter_map(|term| index.id(term))
            .map(|id| (id, index.weight(id)))
            .collect();
        let total = terms.iter().map(|(_, w)| w).sum();
        let documents = corpus.documents().len();
        let mut scores: HashMap<u32, f64> = HashMap::new();
        for &(id, weight) in &terms {
            let postings = index.documents_with(id);
            // Terms in most documents rank nothing; they still count in similarity.
            if documents > 20 && postings.len() * 5 > documents {
                continue;
            }
            for &doc in postings {
                *scores.entry(doc).or_default() += weight;
            }
        }
        let mut candidate_docs: Vec<(u32, f64)> = scores.into_iter().collect();
        candidate_docs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidate_docs.truncate(MAX_CANDIDATE_DOCUMENTS);
        let mut candidate_docs: Vec<u32> = candidate_docs.into_iter().map(|(d, _)| d).collect();
        candidate_docs.sort_unstable();
        SentenceContext {
            terms,
            total,
            candidate_docs,
        }
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
        let facts = corpus.facts(doc);
        let here = &facts.sentence_terms[sentence];
        let before = sentence
            .checked_sub(1)
            .map_or(&[][..], |i| facts.sentence_terms[i].as_slice());
        let (mut weight, mut shared) = (0.0, 0.0);
        for &(id, w) in &self.terms {
            if here.contains(&id) {
                weight += w;
                shared += 1.0;
            } else if before.contains(&id) {
                weight += w * PREVIOUS_SENTENCE_WEIGHT;
                shared += PREVIOUS_SENTENCE_WEIGHT;
            }
        }
        (weight / self.total, shared)
    }
}

/// Every source figure of the same kind and convertible unit as `figure`,
/// with how well its context matches, whether it agrees, and whether a
/// disagreement would be a plausible misstatement.
pub fn candidates(
    corpus: &Corpus,
    context: &SentenceContext,
    figure: &Figure,
    tolerance: f64,
) -> Vec<Candidate> {
    let mut found = Vec::new();
    let rates = corpus.rates();
    let all_docs: Vec<u32>;
    let docs = if corpus.documents().len() <= MAX_CANDIDATE_DOCUMENTS {
        all_docs = (0..corpus.documents().len() as u32).collect();
        &all_docs
    } else {
        &context.candidate_docs
    };
    for &doc_index in docs {
        let doc = DocId(doc_index);
        let facts = corpus.facts(doc);
        for (i, (source, sentence)) in facts.analysis.figures.iter().enumerate() {
            let parts = std::iter::once((source, false))
                .chain(source.equivalent.as_deref().map(|e| (e, true)));
            let mut best: Option<Candidate> = None;
            for (part, equivalent) in parts {
                let Some(factor) = agree::conversion(figure, part, rates, doc_index) else {
                    continue;
                };
                let agrees = agree::agrees(figure, part, factor, tolerance);
                let comparable = agree::comparable(figure, part, factor);
                let better = match &best {
                    None => true,
                    Some(b) => !b.agrees && (agrees || factor == 1.0),
                };
                if better {
                    let (similarity, shared_terms) =
                        context.similarity(corpus, doc, *sentence as usize);
                    best = Some(Candidate {
                        doc,
                        figure: i,
                        equivalent,
                        similarity,
                        shared_terms,
                        agrees,
                        comparable,
                        open_ended: agree::open_ended(part),
                        agrees_strictly: agrees
                            && agree::agrees_strictly(figure, part, factor, tolerance),
                    });
                }
            }
            found.extend(best);
        }
    }
    found.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.doc.cmp(&b.doc))
            .then(a.figure.cmp(&b.figure))
    });
    found
}

/// What the sources say of one note figure.
pub struct FigureVerdict {
    /// Agreeing candidates that count as support, best first.
    pub support: Vec<Candidate>,
    /// Disagreeing candidates close enough to be the same fact, best first.
    pub rivals: Vec<Candidate>,
}

pub fn judge(figure: &Figure, candidates: &[Candidate]) -> FigureVerdict {
    let distinctive = agree::distinctive(figure);
    let support = candidates
        .iter()
        .filter(|c| {
            c.agrees
                && c.comparable
                && ((distinctive && c.agrees_strictly && !c.open_ended)
                    || (c.similarity >= SUPPORT_SIMILARITY && c.shared_terms >= 1.0))
        })
        .cloned()
        .collect();
    let rivals = candidates
        .iter()
        .filter(|c| {
            !c.agrees
                && c.comparable
                && c.similarity >= MISMATCH_SIMILARITY
                && c.shared_terms >= MISMATCH_SHARED_TERMS
        })
        .cloned()
        .collect();
    FigureVerdict { support, rivals }
}

/// The source figure a candidate points at (the equivalent when that was compared).
pub fn source_figure(corpus: &Corpus, candidate: &Candidate) -> (Figure, Span) {
    let facts = corpus.facts(candidate.doc);
    let (figure, sentence) = &facts.analysis.figures[candidate.figure];
    let sentence = facts.analysis.sentences[*sentence as usize];
    (figure.clone(), sentence)
}

/// The source's figure as its text writes it, with its qualifier:
/// "up to 2 billion yuan ($301.2 million)".
pub fn describe(corpus: &Corpus, candidate: &Candidate) -> String {
    let doc = corpus.document(candidate.doc);
    let (figure, _) = source_figure(corpus, candidate);
    format!(
        "{}{}",
        agree::qualifier_words(figure.qualifier),
        figure.span.slice(&doc.text)
    )
}

/// The note figure rewritten with the source's amount, in the note's style
/// ("$" and "million" if the note wrote them): the digits are replaced when
/// both are in one unit, else the source's own words are used.
pub fn rewrite(note: &str, figure: &Figure, corpus: &Corpus, candidate: &Candidate) -> String {
    let doc = corpus.document(candidate.doc);
    let (source, _) = source_figure(corpus, candidate);
    let part = if candidate.equivalent {
        source
            .equivalent
            .as_deref()
            .cloned()
            .unwrap_or(source.clone())
    } else {
        source.clone()
    };
    let written = figure.span.slice(note);
    let same_unit = part.unit == figure.unit && part.kind == figure.kind;
    if same_unit && part.qualifier != crate::extract::Qualifier::Range {
        if let Some((digits, number)) = first_number(written) {
            if number != 0.0 && figure.value != 0.0 {
                let scale = figure.value / number;
                let replacement = format_number(part.value / scale, part.step / scale);
                let mut out = written.to_string();
                out.replace_range(digits.range(), &replacement);
                return out;
            }
        }
    }
    let own = part.span.slice(&doc.text);
    own.to_string()
}

/// The first number written in digits in `text`, and its value.
fn first_number(text: &str) -> Option<(Span, f64)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let end = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map_or(text.len(), |i| start + i);
    let mut digits = &text[start..end];
    while digits.ends_with(['.', ',']) {
        digits = &digits[..digits.len() - 1];
    }
    let value: f64 = digits.replace(',', "").parse().ok()?;
    Some((Span::new(start, start + digits.len()), value))
}

/// A number with as many decimals as its precision step calls for.
pub fn format_number(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10()).round().clamp(0.0, 6.0) as usize
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    if decimals == 0 && value.abs() >= 10_000.0 {
        group_thousands(&text)
    } else {
        text
    }
}

fn group_thousands(digits: &str) -> String {
    let (sign, digits) = digits.split_at(if digits.starts_with('-') { 1 } else { 0 });
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_to_their_precision() {
        assert_eq!(format_number(300.0, 100.0), "300");
        assert_eq!(format_number(4.62, 0.01), "4.62");
        assert_eq!(format_number(0.52, 0.01), "0.52");
        assert_eq!(format_number(38000.0, 1000.0), "38,000");
    }

    #[test]
    fn first_number_skips_currency_and_trailing_dots() {
        assert_eq!(first_number("$4.62 billion"), Some((Span::new(1, 5), 4.62)));
        assert_eq!(first_number("15,000."), Some((Span::new(0, 6), 15000.0)));
        assert_eq!(first_number("two"), None);
    }
}
