//! The invented companies and people a corpus is about, each with facts
//! fixed per corpus.

use super::numbers::Date;
use super::vocabulary::{
    CITIES, COUNTRIES, FIRST_NAMES, INDUSTRY_WORDS, QUOTE_MIDDLES, QUOTE_OBJECTS, QUOTE_OPENERS,
    QUOTE_TAILS, SUFFIXES, SYLLABLES, TITLES,
};
use super::Rng;

#[derive(Clone, Debug)]
pub(super) struct Person {
    pub(super) first: &'static str,
    pub(super) last: String,
    pub(super) honorific: &'static str,
    pub(super) title: &'static str,
    /// Things this person says again and again, so quotes recur across documents.
    pub(super) sayings: Vec<String>,
}

impl Person {
    pub(super) fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    pub(super) fn formal(&self) -> String {
        format!("{} {}", self.honorific, self.last)
    }
}

#[derive(Clone, Debug)]
pub(super) struct Company {
    /// "Norvalen Data Services"
    pub(super) name: String,
    /// "Inc."
    pub(super) suffix: &'static str,
    /// "NDS", when the name has one.
    pub(super) acronym: Option<String>,
    /// "Norvalen"
    pub(super) short: String,
    pub(super) city: &'static str,
    pub(super) country: &'static str,
    pub(super) industry: &'static str,
    pub(super) boss: Person,
    pub(super) finance_chief: Person,
    pub(super) revenue_usd: f64,
    pub(super) growth_pct: f64,
    pub(super) margin_pct: f64,
    pub(super) margin_change_bp: u64,
    pub(super) employees: u64,
    pub(super) countries: u64,
    pub(super) founded: i32,
    pub(super) share_pct: f64,
    pub(super) guidance_low_pct: f64,
    pub(super) dividend_cents: u64,
    pub(super) deal_target: usize,
    pub(super) deal_usd: f64,
    pub(super) deal_signed: Date,
    pub(super) partner_since: i32,
    pub(super) plants: u64,
    pub(super) output_tonnes: u64,
}

impl Company {
    pub(super) fn full_name(&self) -> String {
        format!("{} {}", self.name, self.suffix)
    }

    /// What a story calls the company after the first mention.
    pub(super) fn mention(&self, rng: &mut Rng) -> String {
        match (&self.acronym, rng.below(3)) {
            (Some(acronym), 0) => acronym.clone(),
            (_, 1) => self.name.clone(),
            _ => self.short.clone(),
        }
    }

    /// The first mention in a story: full name, and the acronym defined.
    pub(super) fn introduce(&self) -> String {
        match &self.acronym {
            Some(acronym) => format!("{} ({acronym})", self.full_name()),
            None => self.full_name(),
        }
    }
}

pub(super) fn capitalized_word(rng: &mut Rng, syllables: usize) -> String {
    let mut word = String::new();
    for _ in 0..syllables {
        word.push_str(rng.pick(SYLLABLES));
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => word,
    }
}

/// Something an executive might say, about a country, as one sentence.
fn quote_sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} {} {}{}.",
        rng.pick(QUOTE_OPENERS),
        rng.pick(QUOTE_MIDDLES),
        rng.pick(QUOTE_OBJECTS),
        rng.pick(COUNTRIES),
        rng.pick(QUOTE_TAILS),
    )
}

pub(super) fn person(rng: &mut Rng) -> Person {
    let syllables = rng.between(2, 3) as usize;
    Person {
        first: rng.pick(FIRST_NAMES),
        last: capitalized_word(rng, syllables),
        honorific: rng.pick(&["Mr.", "Ms.", "Dr."]),
        title: rng.pick(TITLES),
        sayings: (0..3).map(|_| quote_sentence(rng)).collect(),
    }
}

pub(super) fn company(rng: &mut Rng, index: usize, companies: usize) -> Company {
    let syllables = rng.between(2, 3) as usize;
    let short = capitalized_word(rng, syllables);
    let (name, acronym) = match rng.below(3) {
        0 => {
            let industry = rng.pick(INDUSTRY_WORDS);
            let name = format!("{short} {industry}");
            let acronym: String = name
                .split(' ')
                .filter_map(|word| word.chars().next())
                .filter(|ch| ch.is_ascii_uppercase())
                .collect();
            (name, Some(acronym))
        }
        1 => (format!("{} {short}", rng.pick(CITIES)), None),
        _ => (short.clone(), None),
    };
    let mut boss = person(rng);
    boss.title = "chief executive";
    let mut finance_chief = person(rng);
    finance_chief.title = "chief financial officer";
    let founded = rng.between(1950, 2012) as i32;
    Company {
        name,
        suffix: rng.pick(SUFFIXES),
        acronym,
        short,
        city: rng.pick(CITIES),
        country: rng.pick(COUNTRIES),
        industry: rng.pick(INDUSTRY_WORDS),
        boss,
        finance_chief,
        revenue_usd: (rng.float(0.05, 90.0) * 100.0).round() * 1e7,
        growth_pct: (rng.float(-5.0, 25.0) * 10.0).round() / 10.0,
        margin_pct: (rng.float(8.0, 60.0) * 10.0).round() / 10.0,
        margin_change_bp: rng.between(1, 40) * 10,
        employees: rng.between(3, 400) * 100,
        countries: rng.between(2, 60),
        founded,
        share_pct: rng.between(5, 85) as f64,
        guidance_low_pct: rng.between(1, 9) as f64,
        dividend_cents: rng.between(5, 90),
        // Another company of the pool, never itself.
        deal_target: (index + 1 + rng.below(companies.saturating_sub(1).max(1))) % companies,
        deal_usd: (rng.float(0.1, 40.0) * 10.0).round() * 1e8,
        deal_signed: Date::random(rng, 2012, 2024),
        partner_since: rng.between(founded.max(1990) as u64, 2020) as i32,
        plants: rng.between(2, 40),
        output_tonnes: rng.between(10, 9000) * 1000,
    }
}
