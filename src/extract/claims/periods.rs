//! When a figure was true: the period its own clause names, with what the
//! clauses before it and a sentence-closing phrase add.

use super::{first_break, within, Period, PeriodPart, Relative};
use crate::extract::{Figure, FigureKind};
use crate::text::Span;

/// The period of `figures[index]`: what its own clause says, with the year
/// and part of the year filled in from the clauses before it, then from the
/// whole sentence ("In 2024, sales were $5m, up 6%"). A relative period
/// ("a year earlier") belongs to its own clause and those after it.
pub(super) fn period_of(
    text: &str,
    words: &[(Span, String)],
    sentence: Span,
    clauses: &[Span],
    index: usize,
    figures: &[&Figure],
    spans: &[Span],
) -> Period {
    let clause = clauses[index];
    let mut period = period_in(within(words, clause));
    // "…rose to $5m from $4m a year earlier": a relative period belongs to
    // the figure it stands next to, between its neighbours.
    let own_start = index
        .checked_sub(1)
        .map_or(clause.start(), |p| spans[p].end().max(clause.start()));
    let own_end = spans
        .get(index + 1)
        .map_or(clause.end(), |n| n.start().min(clause.end()));
    // "…was 4.1%; a year earlier, pay growth was 5.9%": past a semicolon
    // the relative period is the next figure's. (A comma may only part a
    // list: "$880 million of milk, cheese and yoghurt last year".)
    let own_end = text
        .get(spans[index].end()..own_end)
        .and_then(|gap| gap.find("; "))
        .map_or(own_end, |at| spans[index].end() + at);
    period.relative =
        period_in(within(words, Span::new(own_start, own_end.max(own_start)))).relative;
    let before = period_in(within(words, Span::new(sentence.start(), clause.start())));
    // A period closing the sentence after a break dates every figure in it
    // ("…$3.48 billion, up 7%, in the fourth quarter"); one that follows a
    // later figure directly is that figure's own ("$140 million in the
    // quarter, and we expect $60 million more in the first half").
    let last_claim = (0..figures.len())
        .rev()
        .find(|&j| !matches!(figures[j].kind, FigureKind::Year | FigureKind::Date))
        .unwrap_or(index);
    let tail_start = if last_claim <= index {
        Some(clause.end())
    } else {
        let from = spans[last_claim].end();
        first_break(text, Span::new(from, sentence.end().max(from)))
    };
    let after = tail_start.map_or_else(Period::default, |start| {
        period_in(within(words, Span::new(start, sentence.end().max(start))))
    });
    period.part = period.part.or(before.part).or(after.part);
    period.relative = period.relative.or(before.relative);
    period.year = period.year.or(before.year).or(after.year);
    if matches!(
        figures[index].kind,
        FigureKind::Year | FigureKind::Date | FigureKind::Duration
    ) {
        // A year, a date or a span is itself the when; other years near it
        // are not its period.
        return period;
    }
    period.horizon_days = horizon(text, clause, index, figures);
    // Years are figures of their own: the one in the clause, else the
    // nearest before it. A year in a later clause dates that clause ("$7.92,
    // up 11% from $7.15 in 2024"), not this one.
    let years: Vec<(Span, i32)> = figures
        .iter()
        .filter(|f| f.kind == FigureKind::Year)
        .map(|f| (f.span, f.value as i32))
        .collect();
    // A year after a later figure of the clause is that figure's ("up 5%
    // from $7.7 billion in 2024" dates the $7.7 billion, not the 5%).
    let owned_by_later = |year: Span| {
        (index + 1..figures.len()).any(|j| {
            !matches!(figures[j].kind, FigureKind::Year | FigureKind::Date)
                && spans[j].end() <= year.start()
        })
    };
    let in_clause = years
        .iter()
        .find(|(s, _)| clause.contains_span(*s) && !owned_by_later(*s));
    let earlier = years.iter().rev().find(|(s, _)| s.end() <= clause.start());
    if let Some((_, year)) = in_clause.or(earlier) {
        period.year = period.year.or(Some(*year));
    }
    if period.relative == Some(Relative::Earlier) {
        // "In 2025 EPS was $2.14, against $1.78 a year earlier": the year
        // the sentence names is the later figure's; this one's is unknown
        // unless its own clause names it.
        period.year = period_in(within(words, clause))
            .year
            .or(in_clause.map(|(_, year)| *year));
    }
    period
}

/// The span after which the figure was measured, in days: a duration in
/// its own clause right after "at", "over", "after", "within" or "in" ("lost
/// 11.2% of their weight over 40 weeks"), the nearest one when there are two.
fn horizon(text: &str, clause: Span, index: usize, figures: &[&Figure]) -> Option<u32> {
    let at = figures[index].span;
    figures
        .iter()
        .filter(|f| f.kind == FigureKind::Duration && clause.contains_span(f.span))
        .filter(|f| {
            matches!(
                word_before(text, f.span.start()).as_str(),
                "at" | "over" | "after" | "within" | "in"
            )
        })
        .filter_map(|f| {
            let per_unit = match f.unit.as_str() {
                "day" => 1.0,
                "week" => 7.0,
                "month" => 30.44,
                "quarter" => 91.3,
                "year" => 365.25,
                "decade" => 3652.5,
                _ => return None,
            };
            let distance = if f.span.start() >= at.end() {
                f.span.start() - at.end()
            } else {
                at.start().saturating_sub(f.span.end())
            };
            Some((distance, (f.value * per_unit).round() as u32))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, days)| days)
}

/// The period a span's words name.
pub(super) fn period_in(words: &[(Span, String)]) -> Period {
    let lower: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
    let mut period = Period::default();
    for (i, w) in lower.iter().enumerate() {
        let next = lower.get(i + 1).copied().unwrap_or("");
        let before = i.checked_sub(1).map_or("", |j| lower[j]);
        if let Some(part) = quarter_label(w) {
            period.part = period.part.or(Some(part));
            if let Some(year) = trailing_year(w) {
                period.year = period.year.or(Some(year));
            }
            continue;
        }
        let ordinal = match *w {
            "first" | "1st" => Some(1),
            "second" | "2nd" => Some(2),
            "third" | "3rd" => Some(3),
            "fourth" | "4th" => Some(4),
            _ => None,
        };
        // "Quarter 2 (Apr to June) 2026", as statistics offices write.
        if *w == "quarter" {
            period.part = period.part.or(match next {
                "1" => Some(PeriodPart::Q1),
                "2" => Some(PeriodPart::Q2),
                "3" => Some(PeriodPart::Q3),
                "4" => Some(PeriodPart::Q4),
                _ => None,
            });
        }
        if let Some(n) = ordinal {
            let part = match (next, n) {
                ("quarter", 1) => Some(PeriodPart::Q1),
                ("quarter", 2) => Some(PeriodPart::Q2),
                ("quarter", 3) => Some(PeriodPart::Q3),
                ("quarter", 4) => Some(PeriodPart::Q4),
                ("half", 1) => Some(PeriodPart::H1),
                ("half", 2) => Some(PeriodPart::H2),
                _ => None,
            };
            period.part = period.part.or(part);
        }
        match *w {
            "full-year" | "annual" | "fy" => {
                period.part = period.part.or(Some(PeriodPart::FullYear))
            }
            "year" if matches!(before, "full" | "whole" | "fiscal" | "calendar") => {
                period.part = period.part.or(Some(PeriodPart::FullYear))
            }
            // "fell 8% in the fourth quarter and 5% for the year"
            "year" if before == "the" && i >= 2 && lower[i - 2] == "for" => {
                period.part = period.part.or(Some(PeriodPart::FullYear))
            }
            "months" if before == "nine" => {
                period.part = period.part.or(Some(PeriodPart::NineMonths))
            }
            "months" if before == "three" => {
                // "the three months to December" is a quarter; which one is
                // left unknown rather than guessed from the month.
            }
            _ => {}
        }
        if let Some(year) = fiscal_year(w) {
            period.year = period.year.or(Some(year));
            period.part = period.part.or(Some(PeriodPart::FullYear));
        }
        let relative = match (before, *w, next) {
            (
                "year" | "years" | "quarter" | "quarters" | "month" | "months" | "period",
                "earlier" | "ago" | "before",
                _,
            ) => Some(Relative::Earlier),
            (_, "last" | "previous" | "prior" | "preceding", "year" | "quarter") => {
                Some(Relative::Earlier)
            }
            (
                _,
                "next" | "coming" | "following",
                "year" | "years" | "quarter" | "two" | "three",
            ) => Some(Relative::Later),
            (_, "this" | "current", "year" | "quarter") => Some(Relative::Current),
            _ => None,
        };
        if relative.is_some() && !is_comparison_base(words, &lower, i) {
            period.relative = period.relative.or(relative);
        }
    }
    period
}

/// Whether the relative period read at word `at` ("earlier" of "a year
/// earlier", "last" of "last year") is what a change is measured against,
/// written with no figure of its own ("rose 4% from a year earlier to 11.2
/// million"): it dates nothing in the sentence. "from $4m a year earlier"
/// has a figure between, and is that figure's period.
fn is_comparison_base(words: &[(Span, String)], lower: &[&str], at: usize) -> bool {
    let mut start = at;
    if matches!(lower[at], "earlier" | "ago" | "before") {
        start = at - 1;
    }
    if start > 0 && matches!(lower[start - 1], "a" | "the") {
        start -= 1;
    }
    let Some(preposition) = start.checked_sub(1) else {
        return false;
    };
    // Figures are not among the words: only a space may stand between.
    if words[start].0.start() - words[preposition].0.end() > 1 {
        return false;
    }
    match lower[preposition] {
        "from" | "on" | "than" | "over" | "versus" | "vs" | "against" => true,
        "with" => start >= 2 && matches!(lower[start - 2], "compared" | "compare"),
        _ => false,
    }
}

/// Whether the year at `year` labels a period ("Full year 2025", "Q4
/// 2025", "2026 outlook") rather than dating an event.
pub fn labels_a_period(text: &str, year: Span) -> bool {
    const BEFORE: &[&str] = &["year", "quarter", "half", "fiscal", "months", "season"];
    const AFTER: &[&str] = &[
        "outlook", "guidance", "results", "forecast", "season", "budget",
    ];
    let previous = word_before(text, year.start());
    let next = text[year.end()..]
        .split_whitespace()
        .next()
        .map(bare_lowercase)
        .unwrap_or_default();
    BEFORE.contains(&previous.as_str())
        || is_period_label(&previous)
        || AFTER.contains(&next.as_str())
}

/// The word right before `offset`, lowercase, without its punctuation.
fn word_before(text: &str, offset: usize) -> String {
    text[..offset]
        .split_whitespace()
        .next_back()
        .map(bare_lowercase)
        .unwrap_or_default()
}

fn bare_lowercase(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Whether a lowercase word is a period label: "q3", "h1", "fy2025".
pub fn is_period_label(word: &str) -> bool {
    quarter_label(word).is_some() || fiscal_year(word).is_some()
}

/// "q3", "3q", "q3-2024" style labels.
pub(super) fn quarter_label(word: &str) -> Option<PeriodPart> {
    let w = word.as_bytes();
    let n = match w {
        [b'q', d, ..] | [d, b'q', ..] if (b'1'..=b'4').contains(d) => d - b'0',
        [b'h', d, ..] if (b'1'..=b'2').contains(d) => {
            return (w.len() == 2 || !w[2].is_ascii_alphabetic()).then_some(if *d == b'1' {
                PeriodPart::H1
            } else {
                PeriodPart::H2
            })
        }
        _ => return None,
    };
    if w.len() > 2 && w[2].is_ascii_alphabetic() {
        return None;
    }
    Some(match n {
        1 => PeriodPart::Q1,
        2 => PeriodPart::Q2,
        3 => PeriodPart::Q3,
        _ => PeriodPart::Q4,
    })
}

/// The year glued to a quarter label ("q3-2024", "q3fy25" is left alone).
pub(super) fn trailing_year(word: &str) -> Option<i32> {
    let digits: String = word
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// "fy2025", "fy25".
pub(super) fn fiscal_year(word: &str) -> Option<i32> {
    let digits = word.strip_prefix("fy")?;
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        4 => digits.parse().ok(),
        2 => digits.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}
