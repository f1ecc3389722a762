//! The context of a figure: which words of its sentence say what the figure is
//! about. Two figures state the same fact when their contexts share enough
//! rare words; the same function serves notes and sources so both sides are
//! read alike.

use std::sync::LazyLock;

use crate::extract::words::{self, WordSet};
use crate::text::Span;

/// Words that name a figure's unit or scale rather than its subject.
const FIGURE_WORDS: &[&str] = &[
    "basi",
    "bn",
    "billion",
    "cent",
    "dollar",
    "euro",
    "k",
    "m",
    "million",
    "mn",
    "per",
    "percent",
    "percentag",
    "point",
    "pound",
    "renminbi",
    "rmb",
    "thousand",
    "trillion",
    "usd",
    "yen",
    "yuan",
];

/// Everyday words of reporting that say nothing of the fact reported.
const REPORTING_WORDS: &[&str] = &[
    "accord",
    "ad",
    "also",
    "came",
    "come",
    "expect",
    "get",
    "go",
    "includ",
    "make",
    "mani",
    "news",
    "note",
    "put",
    "report",
    "said",
    "say",
    "see",
    "seen",
    "show",
    "statement",
    "take",
    "told",
    "want",
    "way",
    "well",
    "went",
];

static IGNORED_STEMS: LazyLock<WordSet> = LazyLock::new(|| {
    FIGURE_WORDS
        .iter()
        .chain(REPORTING_WORDS)
        .copied()
        .collect()
});

/// Stems of business words that writers swap freely, folded to one concept so
/// that "paid" meets "purchase price" and "EPS" meets "earnings per share".
fn concept(stem: &str) -> &str {
    match stem {
        "buy" | "bought" | "purchas" | "acquir" | "acquisit" | "sell" | "sold" | "deal"
        | "price" | "pay" | "paid" | "cost" | "valu" | "buyout" | "takeov" | "transact" => "#deal",
        "revenu" | "sale" | "turnov" | "topline" => "#revenue",
        "employe" | "staff" | "worker" | "peopl" | "headcount" | "workforc" | "employ" => "#staff",
        "profit" | "earn" | "incom" | "eps" | "ep" => "#earnings",
        "capex" | "expenditur" | "capit" => "#capex",
        "guidanc" | "outlook" | "forecast" | "target" | "project" => "#outlook",
        "quarter" | "quarter'" | "q1" | "q2" | "q3" | "q4" => "#quarter",
        "agreement" | "agre" | "contract" | "sign" => "#agreement",
        "partner" | "partnership" | "alli" | "allianc" => "#partner",
        "rose" | "rise" | "grew" | "grow" | "growth" | "increas" | "gain" | "climb" | "jump" => {
            "#rise"
        }
        "fell" | "fall" | "declin" | "drop" | "decreas" | "shrank" | "shrink" => "#fall",
        "share" | "stock" => "#share",
        _ => stem,
    }
}

/// The context terms of `span` in `text`: stems of its content words (each
/// once), with business synonyms folded together.
pub fn terms(text: &str, span: Span) -> Vec<String> {
    let sentence = span.slice(text);
    let mut terms: Vec<String> = Vec::new();
    for token in words::tokens(sentence) {
        let word = token.span.slice(sentence);
        if word.chars().any(|c| c.is_ascii_digit()) && !word.chars().any(char::is_alphabetic) {
            continue;
        }
        let normalized = words::normalize(word);
        if normalized.chars().count() < 2 || words::is_stopword(&normalized) {
            continue;
        }
        let term = words::with_stem(&normalized, |stem| {
            // A figure written into a word ("2bn", "12-month") is no context.
            if IGNORED_STEMS.contains(stem) || stem.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let term = concept(stem);
            (!terms.iter().any(|t| t == term)).then(|| term.to_string())
        });
        terms.extend(term);
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<String> {
        terms(text, Span::new(0, text.len()))
    }

    #[test]
    fn keeps_content_words_and_folds_synonyms() {
        assert_eq!(
            of("Per the partner's filing, the purchase price was $450 million."),
            ["#partner", "file", "#deal"]
        );
        assert_eq!(
            of("Adjusted EPS came in at $1.73."),
            ["adjust", "#earnings"]
        );
        assert_eq!(
            of("Q3 net sales were $4.26 billion."),
            ["#quarter", "net", "#revenue"]
        );
    }

    #[test]
    fn numbers_units_and_reporting_words_are_not_context() {
        assert!(of("It said 2 billion yuan, or 80 percent, in 2016.").is_empty());
    }
}
