//! A source figure put into words for the writer: as the source writes it,
//! with its qualifier ("roughly 80 percent"), and the note's figure rewritten
//! with the source's amount in the note's own style, for quick fixes.

use crate::check::figures::{source_figure, Candidate};
use crate::corpus::Corpus;
use crate::extract::figures::first_number;
use crate::extract::{Figure, FigureKind};

/// The source's figure as its text writes it, with its qualifier in the
/// source's own words: "roughly 80 percent", "up to 2 billion yuan ($301.2 million)".
pub fn describe(corpus: &Corpus, candidate: &Candidate) -> String {
    let doc = corpus.document(candidate.doc);
    let (figure, _) = source_figure(corpus, candidate);
    with_qualifier(&doc.text, &figure).to_string()
}

/// Qualifying words that may stand right before a figure.
const QUALIFIER_PHRASES: &[&str] = &[
    "about",
    "almost",
    "an estimated",
    "approximately",
    "around",
    "as many as",
    "as much as",
    "at least",
    "at most",
    "below",
    "close to",
    "fewer than",
    "in excess of",
    "just over",
    "just under",
    "less than",
    "more than",
    "nearly",
    "no more than",
    "over",
    "roughly",
    "some",
    "under",
    "up to",
    "upwards of",
];

/// The figure's text with the qualifier the text writes before it, if any.
pub fn with_qualifier<'t>(text: &'t str, figure: &Figure) -> &'t str {
    let start = figure.span.start();
    // The longest phrase and a space fit in the last few dozen bytes.
    let mut from = start.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = &text[from..start];
    let lowered = before.trim_end().to_lowercase();
    let trailing_space = before.len() - before.trim_end().len();
    for phrase in QUALIFIER_PHRASES {
        if lowered.ends_with(phrase)
            && lowered[..lowered.len() - phrase.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            // Lowercasing keeps byte lengths for the ASCII phrases matched here.
            let phrase_start = start - trailing_space - phrase.len();
            if text.is_char_boundary(phrase_start)
                && figure.qualifier != crate::extract::Qualifier::Exact
            {
                return &text[phrase_start..figure.span.end()];
            }
        }
    }
    figure.span.slice(text)
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
    // Only a single amount can take another's digits: a range written in the
    // note ("25% to 30%") is replaced whole by what the source writes, and so
    // is a date or a year, whose value is no number written in it.
    let single = |f: &Figure| f.qualifier != crate::extract::Qualifier::Range;
    let amount = !matches!(figure.kind, FigureKind::Date | FigureKind::Year);
    if same_unit && amount && single(&part) && single(figure) {
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
}
