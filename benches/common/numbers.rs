//! Numbers written the ways news writes them: money in several currencies
//! and scales, percentages, counts in words or digits, dates.

use super::vocabulary::{MONTHS, NUMBER_WORDS};
use super::Rng;

/// `x` with at most `places` decimals, trailing zeros dropped: 4.620 → "4.62".
pub(super) fn decimal(x: f64, places: usize) -> String {
    let mut text = format!("{x:.places$}");
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    text
}

/// `n` with thousands separators: 15000 → "15,000".
pub(super) fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An amount in a currency's major unit, as "2 billion", "450 million" or
/// "1.3 trillion".
fn scaled_words(amount: f64) -> String {
    if amount >= 1e12 {
        format!("{} trillion", decimal(amount / 1e12, 2))
    } else if amount >= 1e9 {
        format!("{} billion", decimal(amount / 1e9, 2))
    } else if amount >= 1e6 {
        format!("{} million", decimal(amount / 1e6, 1))
    } else {
        with_commas(amount.round() as u64)
    }
}

/// An amount as "4.6bn" or "450m".
pub(super) fn scaled_short(amount: f64) -> String {
    if amount >= 1e9 {
        format!("{}bn", decimal(amount / 1e9, 1))
    } else {
        format!("{}m", decimal(amount / 1e6, 0))
    }
}

/// Exchange rates the whole generated corpus uses, per US dollar.
const YUAN_PER_USD: f64 = 6.64;
const EUROS_PER_USD: f64 = 0.92;
const POUNDS_PER_USD: f64 = 0.78;
const YEN_PER_USD: f64 = 110.0;

/// An amount of money worth `usd` dollars, in one of the forms news copy uses.
pub(super) fn money(rng: &mut Rng, usd: f64) -> String {
    let qualifier = if rng.chance(25) {
        rng.pick(&[
            "about ",
            "up to ",
            "nearly ",
            "more than ",
            "roughly ",
            "around ",
        ])
    } else {
        ""
    };
    let body = match rng.below(10) {
        0..=2 => format!("${}", scaled_words(usd)),
        3 => format!("US${}", scaled_short(usd)),
        4 => format!("{} dollars", scaled_words(usd)),
        5 => {
            let yuan = (usd * YUAN_PER_USD / 1e8).round() * 1e8;
            format!("{} yuan (${})", scaled_words(yuan), scaled_words(usd))
        }
        6 => format!("€{}", scaled_short(usd * EUROS_PER_USD)),
        7 => format!(
            "£{} (${})",
            scaled_short(usd * POUNDS_PER_USD),
            scaled_short(usd)
        ),
        8 => format!("RMB {}", scaled_words(usd * YUAN_PER_USD)),
        _ => format!("¥{}", scaled_words(usd * YEN_PER_USD)),
    };
    format!("{qualifier}{body}")
}

pub(super) fn percent(rng: &mut Rng, value: f64) -> String {
    match rng.below(3) {
        0 => format!("{}%", decimal(value, 1)),
        1 => format!("{} percent", decimal(value, 1)),
        _ => format!("{} per cent", decimal(value, 1)),
    }
}

pub(super) fn share_price(value: f64) -> String {
    format!("${value:.2}")
}

pub(super) fn count_text(rng: &mut Rng, n: u64) -> String {
    if n <= 12 && rng.chance(70) {
        NUMBER_WORDS[(n as usize).saturating_sub(2).min(NUMBER_WORDS.len() - 1)].to_string()
    } else if rng.chance(80) {
        with_commas(n)
    } else {
        n.to_string()
    }
}

/// A calendar date written one of the ways papers write it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Date {
    pub(super) year: i32,
    pub(super) month: usize,
    pub(super) day: u32,
}

impl Date {
    pub(super) fn random(rng: &mut Rng, first_year: i32, last_year: i32) -> Date {
        Date {
            year: rng.between(first_year as u64, last_year as u64) as i32,
            month: rng.below(12),
            day: rng.between(1, 28) as u32,
        }
    }

    pub(super) fn short(self) -> String {
        format!("{} {}", MONTHS[self.month].1, self.day)
    }

    pub(super) fn long(self, rng: &mut Rng) -> String {
        if rng.chance(50) {
            format!("{} {}, {}", MONTHS[self.month].0, self.day, self.year)
        } else {
            format!("{} {} {}", self.day, MONTHS[self.month].0, self.year)
        }
    }

    pub(super) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month + 1, self.day)
    }
}
