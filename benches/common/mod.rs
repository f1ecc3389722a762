//! Deterministic synthetic news corpora and research notes for the benchmarks.
//!
//! The benches need corpora of 1, 10 and 100 MB whose text makes every
//! extractor do real work, and notes that ask the checker real questions about
//! them. [`generate_corpus`] writes wire stories, Markdown press releases with
//! front matter and earnings-call transcripts, 2–8 KB each, about invented
//! companies ("Norvalen Data Services Inc.", defined once as "(NDS)"), with
//! money in several currencies and scales ("$4.62 billion", "2 billion yuan
//! ($300 million)", "€1.1bn"), percentages, basis points, counts, number
//! words, ranges, dates, years, durations, quantities, quotes in curly marks
//! and abbreviations that must not end sentences (Inc., Co., U.S., Mr., Nov.).
//! Each company's facts are fixed per corpus and restated across documents in
//! different forms, as real coverage does. Between the fact sentences runs
//! background prose drawn from a Zipf-distributed vocabulary of 40,000 words
//! (the most common ones real English words), naming people and places made
//! up per document and stating figures of its own (counts of things, shares,
//! amounts, dates, distances), so that term statistics, name grouping and
//! figure extraction see the spread real news has rather than a few hundred
//! words. [`generate_note`] then writes a
//! Markdown note about a corpus: figures and quotes copied right, figures
//! altered, quotes misworded, citations to the wrong or to a missing document,
//! and numbers that have nothing to do with the sources.
//!
//! Everything comes from a seed through a small xorshift generator, so a given
//! size and seed give byte-identical text on every machine and runs compare.
//!
//! Use from a bench target with `mod common;`:
//!
//! ```ignore
//! let sources = common::generate_corpus(10 * common::MB, common::SEED);
//! let note = common::generate_note(&sources, 1_000, common::SEED);
//! let corpus = Corpus::from_sources(sources, CorpusOptions::default());
//! ```
//!
//! [`bench_sizes_mb`] reads `REFNOTES_BENCH_SIZES` (say `1,10`) so a quick run
//! can skip the large corpora.

// Each bench binary compiles this module on its own and uses a different part.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use refnotes::corpus::SourceText;

/// One megabyte as the benches count it (decimal, like the MB/s they report).
pub const MB: usize = 1_000_000;

/// The seed every bench uses, so their corpora are the same text.
pub const SEED: u64 = 0x5eed_2017_1110;

/// The corpus sizes in MB to run: `REFNOTES_BENCH_SIZES=1,10` limits them,
/// otherwise 1, 10 and 100, or only 1 when the bench runs as a test. Entries
/// that are not positive numbers are ignored.
pub fn bench_sizes_mb() -> Vec<usize> {
    match std::env::var("REFNOTES_BENCH_SIZES") {
        Ok(list) => parse_sizes(&list),
        Err(_) if running_as_test() => vec![1],
        Err(_) => vec![1, 10, 100],
    }
}

/// Whether the bench binary runs as a smoke test (`cargo test --benches`, or
/// `cargo bench -- --test`) rather than to measure: cargo passes `--bench`
/// only to measure, as criterion also reads it.
pub fn running_as_test() -> bool {
    let mut benching = false;
    let mut testing = false;
    for arg in std::env::args().skip(1) {
        benching |= arg == "--bench";
        testing |= arg == "--test";
    }
    testing || !benching
}

fn parse_sizes(list: &str) -> Vec<usize> {
    list.split([',', ' '])
        .filter_map(|item| item.trim().parse::<usize>().ok())
        .filter(|&mb| mb > 0)
        .collect()
}

/// A xorshift64* generator: tiny, fast and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 spreads nearby seeds apart and never leaves the state at 0,
        // which xorshift cannot leave.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Rng {
            state: if z == 0 { 0x2545_f491_4f6c_dd1d } else { z },
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        match (high.checked_sub(low)).and_then(|width| width.checked_add(1)) {
            Some(width) => low + self.next_u64() % width,
            None if high == u64::MAX && low == 0 => self.next_u64(),
            None => low,
        }
    }

    /// A float in `[low, high)`.
    pub fn float(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + unit * (high - low)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

const SYLLABLES: &[&str] = &[
    "nor", "val", "en", "tra", "ka", "mer", "lin", "dor", "sa", "vi", "ter", "ox", "ba", "quil",
    "ron", "hal", "vard", "bri", "zen", "tor", "ma", "lu", "pex", "cor", "den", "fi", "ra", "sol",
    "ven", "ar", "is", "ne", "tis", "gal", "mo", "rei", "dal", "ko", "sun", "wei", "xin", "hua",
    "tek", "lor", "ia", "an", "el", "mar",
];

const INDUSTRY_WORDS: &[&str] = &[
    "Data Services",
    "Cloud Networks",
    "Foods",
    "Logistics",
    "Semiconductor",
    "Energy Partners",
    "Pharmaceuticals",
    "Capital Markets",
    "Motor Works",
    "Retail Group",
    "Telecom",
    "Power Systems",
    "Media Holdings",
    "Software",
    "Mining",
    "Shipping Lines",
];

const SUFFIXES: &[&str] = &[
    "Inc.",
    "Co.",
    "Ltd.",
    "Corp.",
    "Co. Ltd.",
    "Holdings Ltd.",
    "Group",
    "PLC",
    "AG",
    "S.A.",
    "LLC",
];

const CITIES: &[&str] = &[
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Hong Kong",
    "Singapore",
    "Tokyo",
    "Seoul",
    "London",
    "Frankfurt",
    "Paris",
    "Chicago",
    "Seattle",
    "New York",
    "São Paulo",
    "Zürich",
    "Mumbai",
];

const COUNTRIES: &[&str] = &[
    "China",
    "Japan",
    "Germany",
    "France",
    "Brazil",
    "India",
    "the U.S.",
    "the U.K.",
    "South Korea",
    "Mexico",
    "Indonesia",
    "Canada",
];

const RESEARCH_FIRMS: &[&str] = &[
    "Synergy Research Group",
    "Gartner Inc.",
    "IDC",
    "Forrester Research",
    "Counterpoint Research",
    "LSEG data",
    "FactSet",
];

const BANKS: &[&str] = &[
    "Citic Securities",
    "Morgan Stanley",
    "Goldman Sachs",
    "Nomura Holdings Inc.",
    "UBS Group AG",
    "Jefferies",
    "Bernstein",
];

const FIRST_NAMES: &[&str] = &[
    "Marta", "Ingrid", "Charlie", "Wei", "Li", "Robert", "Anna", "Kenji", "Priya", "Tomás",
    "Sofia", "David", "Hannah", "Jun", "Olga", "Samuel", "Amara", "Lukas", "Mei", "Daniel",
];

const TITLES: &[&str] = &[
    "chief executive",
    "chief financial officer",
    "president",
    "head of investor relations",
    "chairman",
];

const MONTHS: &[(&str, &str)] = &[
    ("January", "Jan."),
    ("February", "Feb."),
    ("March", "March"),
    ("April", "April"),
    ("May", "May"),
    ("June", "June"),
    ("July", "July"),
    ("August", "Aug."),
    ("September", "Sept."),
    ("October", "Oct."),
    ("November", "Nov."),
    ("December", "Dec."),
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

const TOPICS: &[&str] = &[
    "data storage rules",
    "pricing practices",
    "a delayed disclosure",
    "emissions reporting",
    "consumer complaints",
    "cross-border data transfers",
];

const OUTLETS: &[&str] = &["wire", "daily", "review", "release", "call", "brief"];

const QUOTE_OPENERS: &[&str] = &[
    "We are",
    "We’re",
    "Our teams are",
    "Customers are",
    "The board is",
    "Management is",
    "Frankly, we’re",
];

const QUOTE_MIDDLES: &[&str] = &[
    "excited about",
    "fully committed to",
    "focused on",
    "cautious about",
    "confident in",
    "investing behind",
    "not worried about",
];

const QUOTE_OBJECTS: &[&str] = &[
    "the significant business we have in",
    "pricing in our largest categories in",
    "the integration work still ahead of us in",
    "demand from large customers in",
    "regulatory compliance in",
    "margins and cash flow in",
    "the long-term opportunity in",
];

const QUOTE_TAILS: &[&str] = &[
    "",
    " and its growth potential",
    ", despite weaker volumes this quarter",
    " over the next number of years",
    ", and that will not change",
    " — it’s not a negotiation",
];

/// The most common words of English prose, most common first: the head of
/// the Zipf vocabulary, so the stopword list and the stemmer meet real words.
const COMMON_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "it",
    "with",
    "as",
    "on",
    "be",
    "at",
    "by",
    "this",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "all",
    "we",
    "her",
    "she",
    "there",
    "would",
    "their",
    "will",
    "when",
    "who",
    "him",
    "been",
    "has",
    "more",
    "if",
    "no",
    "out",
    "so",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "do",
    "first",
    "any",
    "my",
    "now",
    "such",
    "like",
    "our",
    "over",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "government",
    "market",
    "policy",
    "officials",
    "program",
    "service",
    "public",
    "region",
    "industry",
    "plan",
    "trade",
    "workers",
    "prices",
    "energy",
    "report",
    "federal",
    "city",
    "council",
    "court",
    "police",
    "election",
    "budget",
    "health",
    "school",
    "water",
    "housing",
    "project",
    "company",
    "investors",
    "economy",
    "demand",
    "supply",
    "costs",
    "tax",
    "bank",
    "rates",
];

/// Words of background prose, most common first, and where each rank's
/// Zipf weight ends (1/rank, summed): a word is a binary search away.
pub struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

/// Distinct words in the background prose's vocabulary.
const VOCABULARY_SIZE: usize = 40_000;

const LOWER_SYLLABLES: &[&str] = &[
    "ab", "ac", "al", "am", "an", "ar", "as", "ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co",
    "cu", "da", "de", "di", "do", "du", "el", "em", "en", "er", "es", "fa", "fe", "fi", "fo", "ga",
    "ge", "gi", "go", "ha", "he", "hi", "ho", "id", "il", "im", "in", "ir", "is", "ka", "la", "le",
    "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ob", "od", "ol",
    "om", "on", "or", "os", "pa", "pe", "pi", "po", "pu", "ra", "re", "ri", "ro", "ru", "sa", "se",
    "si", "so", "su", "ta", "te", "ti", "to", "tu", "ul", "um", "un", "ur", "us", "va", "ve", "vi",
    "vo", "za", "ze", "zo", "st", "tr", "pl", "gr",
];

const WORD_ENDINGS: &[&str] = &[
    "", "", "", "s", "ed", "ing", "ion", "ment", "er", "al", "ity", "ly", "ness", "ive",
];

impl Vocabulary {
    pub fn new(seed: u64) -> Vocabulary {
        let mut rng = Rng::new(seed ^ 0x20cab);
        let mut words: Vec<String> = COMMON_WORDS.iter().map(|w| w.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < VOCABULARY_SIZE {
            let mut word = String::new();
            for _ in 0..rng.between(1, 4) {
                word.push_str(rng.pick(LOWER_SYLLABLES));
            }
            word.push_str(rng.pick(WORD_ENDINGS));
            if word.len() >= 3 && seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    /// A word drawn with probability proportional to 1/rank.
    pub fn word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let at = rng.float(0.0, total);
        let rank = self.cumulative.partition_point(|&c| c < at);
        &self.words[rank.min(self.words.len() - 1)]
    }
}

// ---------------------------------------------------------------------------
// Number formatting

/// `x` with at most `places` decimals, trailing zeros dropped: 4.620 → "4.62".
fn decimal(x: f64, places: usize) -> String {
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
fn with_commas(n: u64) -> String {
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
fn scaled_short(amount: f64) -> String {
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
fn money(rng: &mut Rng, usd: f64) -> String {
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

fn percent(rng: &mut Rng, value: f64) -> String {
    match rng.below(3) {
        0 => format!("{}%", decimal(value, 1)),
        1 => format!("{} percent", decimal(value, 1)),
        _ => format!("{} per cent", decimal(value, 1)),
    }
}

fn share_price(value: f64) -> String {
    format!("${value:.2}")
}

fn count_text(rng: &mut Rng, n: u64) -> String {
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
struct Date {
    year: i32,
    month: usize,
    day: u32,
}

impl Date {
    fn random(rng: &mut Rng, first_year: i32, last_year: i32) -> Date {
        Date {
            year: rng.between(first_year as u64, last_year as u64) as i32,
            month: rng.below(12),
            day: rng.between(1, 28) as u32,
        }
    }

    fn short(self) -> String {
        format!("{} {}", MONTHS[self.month].1, self.day)
    }

    fn long(self, rng: &mut Rng) -> String {
        if rng.chance(50) {
            format!("{} {}, {}", MONTHS[self.month].0, self.day, self.year)
        } else {
            format!("{} {} {}", self.day, MONTHS[self.month].0, self.year)
        }
    }

    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month + 1, self.day)
    }
}

// ---------------------------------------------------------------------------
// Companies and people

#[derive(Clone, Debug)]
struct Person {
    first: &'static str,
    last: String,
    honorific: &'static str,
    title: &'static str,
    /// Things this person says again and again, so quotes recur across documents.
    sayings: Vec<String>,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    fn formal(&self) -> String {
        format!("{} {}", self.honorific, self.last)
    }
}

#[derive(Clone, Debug)]
struct Company {
    /// "Norvalen Data Services"
    name: String,
    /// "Inc."
    suffix: &'static str,
    /// "NDS", when the name has one.
    acronym: Option<String>,
    /// "Norvalen"
    short: String,
    city: &'static str,
    country: &'static str,
    industry: &'static str,
    boss: Person,
    finance_chief: Person,
    revenue_usd: f64,
    growth_pct: f64,
    margin_pct: f64,
    margin_change_bp: u64,
    employees: u64,
    countries: u64,
    founded: i32,
    share_pct: f64,
    guidance_low_pct: f64,
    dividend_cents: u64,
    deal_target: usize,
    deal_usd: f64,
    deal_signed: Date,
    partner_since: i32,
    plants: u64,
    output_tonnes: u64,
}

impl Company {
    fn full_name(&self) -> String {
        format!("{} {}", self.name, self.suffix)
    }

    /// What a story calls the company after the first mention.
    fn mention(&self, rng: &mut Rng) -> String {
        match (&self.acronym, rng.below(3)) {
            (Some(acronym), 0) => acronym.clone(),
            (_, 1) => self.name.clone(),
            _ => self.short.clone(),
        }
    }

    /// The first mention in a story: full name, and the acronym defined.
    fn introduce(&self) -> String {
        match &self.acronym {
            Some(acronym) => format!("{} ({acronym})", self.full_name()),
            None => self.full_name(),
        }
    }
}

fn capitalized_word(rng: &mut Rng, syllables: usize) -> String {
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

fn person(rng: &mut Rng) -> Person {
    let syllables = rng.between(2, 3) as usize;
    Person {
        first: rng.pick(FIRST_NAMES),
        last: capitalized_word(rng, syllables),
        honorific: rng.pick(&["Mr.", "Ms.", "Dr."]),
        title: rng.pick(TITLES),
        sayings: (0..3).map(|_| quote_sentence(rng)).collect(),
    }
}

fn company(rng: &mut Rng, index: usize, companies: usize) -> Company {
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

// ---------------------------------------------------------------------------
// Stories

/// What one story is about.
struct Story<'a> {
    vocabulary: &'a Vocabulary,
    main: &'a Company,
    other: &'a Company,
    target: &'a Company,
    date: Date,
}

/// How many kinds of sentence [`sentence`] writes.
const SENTENCE_KINDS: usize = 23;

/// Deals sentence kinds like cards, reshuffling when the deck runs out, so a
/// story repeats itself no more than real coverage does.
struct Deck {
    cards: Vec<usize>,
}

impl Deck {
    fn new() -> Deck {
        Deck { cards: Vec::new() }
    }

    fn draw(&mut self, rng: &mut Rng) -> usize {
        if self.cards.is_empty() {
            self.cards = (0..SENTENCE_KINDS).collect();
            for i in (1..self.cards.len()).rev() {
                let j = rng.below(i + 1);
                self.cards.swap(i, j);
            }
        }
        self.cards.pop().unwrap_or(0)
    }
}

/// One sentence of a story of the given kind, stating some of its companies'
/// facts (or, for the last few kinds, none).
fn sentence(rng: &mut Rng, story: &Story<'_>, kind: usize) -> String {
    let mut text = sentence_text(rng, story, kind);
    // A sentence that ends on an abbreviation ("Inc.") takes no second period.
    if text.ends_with("..") {
        text.pop();
    }
    text
}

fn sentence_text(rng: &mut Rng, story: &Story<'_>, kind: usize) -> String {
    let main = story.main;
    let subject = main.mention(rng);
    match kind {
        0 => format!(
            "{subject} said on {} it had agreed to buy {} for {}, its largest purchase since {}.",
            rng.pick(WEEKDAYS),
            story.target.full_name(),
            money(rng, main.deal_usd),
            rng.between(main.founded.clamp(1990, 2011) as u64, 2011),
        ),
        1 => format!(
            "The agreement with {} was signed {}, according to a filing with the {} exchange.",
            story.target.short,
            main.deal_signed.short(),
            rng.pick(CITIES),
        ),
        2 => format!(
            "{subject} reported quarterly revenue of {}, up {} from a year earlier.",
            money(rng, main.revenue_usd),
            percent(rng, main.growth_pct.abs()),
        ),
        3 => format!(
            "The company employs about {} people in {} countries.",
            with_commas(main.employees),
            count_text(rng, main.countries),
        ),
        4 => format!(
            "{subject}, founded in {}, has been a partner of {} since {}.",
            main.founded,
            story.other.short,
            main.partner_since,
        ),
        5 => format!(
            "{subject} accounts for roughly {} of {} revenue in {}, and held roughly half of the market in {}, according to {}.",
            percent(rng, main.share_pct),
            main.industry.to_lowercase(),
            main.country,
            story.date.year,
            rng.pick(RESEARCH_FIRMS),
        ),
        6 => {
            let saying = rng.pick_ref(&main.boss.sayings);
            format!(
                "“{},” said {}, {} of {}.",
                saying.trim_end_matches('.'),
                main.boss.full(),
                main.boss.title,
                main.short
            )
        }
        7 => {
            let saying = rng.pick_ref(&main.finance_chief.sayings).clone();
            format!(
                "{} added: “{saying}”",
                main.finance_chief.formal()
            )
        }
        8 => {
            let price = rng.float(3.0, 400.0);
            let value = main.revenue_usd * rng.float(1.0, 6.0);
            let rise = (rng.float(0.1, 12.0) * 10.0).round() / 10.0;
            format!(
                "Shares of {subject} rose {} to {} in {} trading on {}, valuing the company at {}.",
                percent(rng, rise),
                share_price(price),
                rng.pick(CITIES),
                rng.pick(WEEKDAYS),
                money(rng, value),
            )
        }
        9 => format!(
            "It now expects full-year organic growth of {}% to {}%, and earnings of {} to {} a share.",
            decimal(main.guidance_low_pct, 1),
            decimal(main.guidance_low_pct + 1.0, 1),
            share_price(main.margin_pct / 10.0),
            share_price(main.margin_pct / 10.0 + 0.1),
        ),
        10 => format!(
            "Regulators in {} fined the group €{} in {} {} over {}.",
            main.country,
            scaled_short(rng.between(1, 40) as f64 * 1e8),
            MONTHS[story.date.month].0,
            story.date.year,
            rng.pick(TOPICS),
        ),
        11 => {
            let years = rng.between(2, 5);
            format!(
                "{subject} will cut about {} jobs over the next {} years, {} told reporters.",
                with_commas(rng.between(2, 80) * 100),
                count_text(rng, years),
                main.boss.formal(),
            )
        }
        12 => format!(
            "An outage on {} lasted {} seconds and affected {} customers in the U.S. and Europe.",
            story.date.short(),
            rng.between(20, 400),
            with_commas(rng.between(1, 900) * 1000),
        ),
        13 => format!(
            "{}’s {} plants produced {} tonnes last year, or about {} barrels a day of fuel equivalent.",
            main.short,
            count_text(rng, main.plants),
            with_commas(main.output_tonnes),
            with_commas(main.output_tonnes / 50),
        ),
        14 => format!(
            "About two-thirds of the {} analysts polled by {} expect a higher dividend; a dozen expect a cut.",
            rng.between(14, 40),
            rng.pick(BANKS),
        ),
        15 => format!(
            "{} is based in {}, where it has operated since {}.",
            main.introduce(),
            main.city,
            main.founded,
        ),
        16 => format!(
            "Rivals such as {} and {} have moved faster into {}, analysts at {} said in a note to clients.",
            story.other.full_name(),
            story.target.short,
            main.industry.to_lowercase(),
            rng.pick(BANKS),
        ),
        17 => format!(
            "The board declared a quarterly dividend of {} cents a share, payable {}.",
            main.dividend_cents,
            story.date.long(rng),
        ),
        18 => format!(
            "Gross margin widened {} basis points to {}.",
            main.margin_change_bp,
            percent(rng, main.margin_pct),
        ),
        20 => format!(
            "Analysts said the move reflects rising competition in {}, where {} has lost ground to {}.",
            main.industry.to_lowercase(),
            main.short,
            story.other.full_name(),
        ),
        21 => format!(
            "{} did not immediately respond to a request for comment on {}’s plans.",
            story.other.short, main.short,
        ),
        22 => format!(
            "People familiar with the talks, who asked not to be named, said {} had also approached {}.",
            main.short,
            story.target.introduce(),
        ),
        _ => format!(
            "The U.S. unit, run by {} until {} {}, was folded into {} Co. Ltd. in {} — a move that took {} months.",
            main.boss.formal(),
            MONTHS[rng.below(12)].1,
            rng.between(1, 28),
            story.other.short,
            rng.between(2000, 2024),
            rng.between(3, 30),
        ),
    }
}

/// A sentence of background prose: Zipf-drawn words, now and then a name
/// (a person or place made up on the spot, so names are many and mostly
/// rare) or a figure in one of the forms news copy uses.
fn filler_sentence(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let length = rng.between(8, 28);
    let mut text = String::with_capacity(length as usize * 8);
    for i in 0..length {
        if i > 0 {
            text.push(' ');
        }
        match rng.below(100) {
            0..=2 if i > 0 => {
                let syllables = rng.between(2, 3) as usize;
                let _ = write!(
                    text,
                    "{} {}",
                    rng.pick(FIRST_NAMES),
                    capitalized_word(rng, syllables)
                );
            }
            3 if i > 0 => text.push_str(&capitalized_word(rng, 2)),
            4 => {
                let _ = write!(
                    text,
                    "{} {}",
                    with_commas(rng.between(2, 90_000)),
                    vocabulary.word(rng)
                );
            }
            5 if rng.chance(40) => {
                let amount = rng.float(0.1, 95.0);
                let figure = match rng.below(6) {
                    0 => percent(rng, amount),
                    1 => money(rng, amount * 5e8),
                    2 => Date::random(rng, 1990, 2025).long(rng),
                    3 => format!("{} kilometres", amount.round() as u64 * 30 + 2),
                    4 => format!("{} years", count_text(rng, amount as u64 / 3 + 2)),
                    _ => rng.between(1950, 2025).to_string(),
                };
                text.push_str(&figure);
            }
            _ => text.push_str(vocabulary.word(rng)),
        }
    }
    // Capitalize the first letter, end with a period.
    let mut chars = text.chars();
    let mut sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    };
    sentence.push('.');
    sentence
}

/// Share of a story's sentences that are background prose, in percent.
const FILLER_PERCENT: u64 = 55;

/// The next sentence of a story: background prose or a fact from the deck.
fn next_sentence(rng: &mut Rng, story: &Story<'_>, deck: &mut Deck) -> String {
    if rng.chance(FILLER_PERCENT) {
        filler_sentence(rng, story.vocabulary)
    } else {
        let kind = deck.draw(rng);
        sentence(rng, story, kind)
    }
}

fn headline(rng: &mut Rng, story: &Story<'_>) -> String {
    match rng.below(4) {
        0 => format!(
            "{} to buy {} in {} deal",
            story.main.short,
            story.target.short,
            money(rng, story.main.deal_usd)
        ),
        1 => format!(
            "{} sales rise {} as {} demand holds up",
            story.main.short,
            percent(rng, story.main.growth_pct.abs()),
            story.main.industry.to_lowercase()
        ),
        2 => format!(
            "{} faces tighter rules in {}",
            story.main.short, story.main.country
        ),
        _ => format!(
            "{} and {} deepen partnership",
            story.main.short, story.other.short
        ),
    }
}

/// Appends paragraphs of prose to `text` until it holds about `target` bytes.
fn write_paragraphs(rng: &mut Rng, story: &Story<'_>, text: &mut String, target: usize) {
    let mut deck = Deck::new();
    let _ = writeln!(text, "{}", sentence_with_intro(story));
    while text.len() < target {
        text.push('\n');
        for i in 0..rng.between(2, 5) {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&next_sentence(rng, story, &mut deck));
        }
        text.push('\n');
    }
}

fn sentence_with_intro(story: &Story<'_>) -> String {
    format!(
        "{}, based in {}, said it remains committed to customers in {}.",
        story.main.introduce(),
        story.main.city,
        story.main.country
    )
}

fn write_transcript(rng: &mut Rng, story: &Story<'_>, text: &mut String, target: usize) {
    let mut deck = Deck::new();
    let _ = writeln!(text, "Operator: Good morning, and welcome to the call.");
    while text.len() < target {
        let speaker = if rng.chance(50) {
            &story.main.boss
        } else {
            &story.main.finance_chief
        };
        let _ = write!(text, "\n{}, {}: ", speaker.full(), speaker.title);
        for i in 0..rng.between(2, 5) {
            if i > 0 {
                text.push(' ');
            }
            if rng.chance(30) {
                let saying: &String = rng.pick_ref(&speaker.sayings);
                text.push_str(saying);
            } else {
                text.push_str(&next_sentence(rng, story, &mut deck));
            }
        }
        text.push('\n');
    }
}

/// A corpus of synthetic news documents totalling at least `bytes` bytes
/// (stopping at the first document past it), each 2–8 KB. The same `bytes`
/// and `seed` always give the same documents, ids and text.
///
/// Ids look like `wire-2019-03-14-000123`: unique, in order, never a prefix of
/// one another. A third of the documents are Markdown with front matter
/// (`title`, `date`, `url`); a sixth are earnings-call transcripts.
pub fn generate_corpus(bytes: usize, seed: u64) -> Vec<SourceText> {
    let mut rng = Rng::new(seed);
    let vocabulary = Vocabulary::new(seed);
    let company_count = (bytes / 20_000).clamp(40, 6_000);
    let companies: Vec<Company> = (0..company_count)
        .map(|i| company(&mut rng, i, company_count))
        .collect();
    let mut sources = Vec::with_capacity(bytes / 5_000 + 1);
    // Each document is written into one reused buffer and copied out at its
    // exact length, so the corpus leaves no half-used allocations behind and
    // the memory bench sees the text's own size.
    let mut text = String::with_capacity(16_000);
    let mut total = 0;
    while total < bytes {
        let serial = sources.len();
        let main = &companies[rng.below(companies.len())];
        let story = Story {
            vocabulary: &vocabulary,
            main,
            other: &companies[rng.below(companies.len())],
            target: &companies[main.deal_target],
            date: Date::random(&mut rng, 2014, 2024),
        };
        let outlet = rng.pick(OUTLETS);
        let id = format!("{outlet}-{}-{serial:06}", story.date.iso());
        let title = headline(&mut rng, &story);
        let target = rng.between(2_000, 8_000) as usize;
        text.clear();
        let markdown = outlet == "release" || (outlet != "call" && rng.chance(20));
        if markdown {
            let _ = write!(
                text,
                "---\ntitle: {title}\ndate: {}\nurl: https://news.example.com/{outlet}/{serial}\n---\n\n# {title}\n\n",
                story.date.iso()
            );
            if rng.chance(50) {
                let _ = write!(
                    text,
                    "- Revenue: {}\n- Margin: {}\n- Employees: {}\n\n",
                    money(&mut rng, main.revenue_usd),
                    percent(&mut rng, main.margin_pct),
                    with_commas(main.employees)
                );
            }
        } else {
            let _ = writeln!(text, "{title}");
        }
        if outlet == "call" {
            write_transcript(&mut rng, &story, &mut text, target);
        } else {
            write_paragraphs(&mut rng, &story, &mut text, target);
        }
        let text = text.as_str().to_owned();
        total += text.len();
        sources.push(SourceText {
            path: PathBuf::from(format!(
                "corpus/{id}.{}",
                if markdown { "md" } else { "txt" }
            )),
            id,
            title,
            date: Some(story.date.iso()),
            url: markdown.then(|| format!("https://news.example.com/{outlet}/{serial}")),
            text,
            markdown,
            origin: None,
        });
    }
    sources
}

// ---------------------------------------------------------------------------
// Notes

/// A sentence of a source that a note can restate.
struct Passage<'a> {
    doc: &'a str,
    text: &'a str,
}

/// Splits prose into sentences well enough to pick lines for a note: at a
/// line break, or at "." (or ".”") before a capitalized word or the end, unless
/// the word before is a short capitalized abbreviation ("Mr.", "Co.", "Nov.",
/// "U.S.").
fn rough_sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        if i < start {
            continue;
        }
        let (end, next_start) = match ch {
            '\n' => (i, i + 1),
            '.' => {
                let mut after = i + 1;
                if text[after..].starts_with('”') {
                    after += '”'.len_utf8();
                }
                let rest = &text[after..];
                let capital_follows = rest
                    .strip_prefix(' ')
                    .and_then(|word| word.chars().next())
                    .is_some_and(|first| first.is_uppercase() || first == '“');
                let breaks = rest.is_empty() || rest.starts_with('\n') || capital_follows;
                if !breaks || after_abbreviation(&text[start..i]) {
                    continue;
                }
                (after, after)
            }
            _ => continue,
        };
        let sentence = text[start..end].trim();
        if !sentence.is_empty() {
            sentences.push(sentence);
        }
        start = next_start;
    }
    sentences
}

fn after_abbreviation(before: &str) -> bool {
    let word = before.rsplit([' ', '(', '\n']).next().unwrap_or("");
    let short_cap = word.len() <= 4 && word.chars().next().is_some_and(char::is_uppercase);
    short_cap || word.contains('.')
}

/// The inner words of the first “…” quote in `sentence`, if any.
fn curly_quote(sentence: &str) -> Option<&str> {
    let open = sentence.find('“')?;
    let inner_start = open + '“'.len_utf8();
    let close = sentence[inner_start..].find('”')? + inner_start;
    Some(&sentence[inner_start..close])
}

/// `sentence` with its first number changed so that no source states it: a
/// year moves by a few years, any other number gets a different leading
/// digit, so the change is larger than any "about" allows.
fn alter_first_number(sentence: &str) -> Option<String> {
    let start = sentence.find(|ch: char| ch.is_ascii_digit())?;
    let len = sentence[start..]
        .find(|ch: char| !ch.is_ascii_digit())
        .unwrap_or(sentence.len() - start);
    let digits = &sentence[start..start + len];
    let year_like = len == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    let at = if year_like { start + 3 } else { start };
    let digit = sentence.as_bytes()[at] - b'0';
    let replacement = if digit >= 5 { digit - 3 } else { digit + 4 };
    let mut altered = String::with_capacity(sentence.len());
    altered.push_str(&sentence[..at]);
    altered.push((b'0' + replacement) as char);
    altered.push_str(&sentence[at + 1..]);
    Some(altered)
}

/// `quote` with one word swapped, so no source contains it.
fn misword(rng: &mut Rng, quote: &str) -> String {
    let words: Vec<&str> = quote.split(' ').collect();
    let at = 1 + rng.below(words.len().saturating_sub(1).max(1));
    let mut out = String::with_capacity(quote.len() + 8);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == at.min(words.len() - 1) {
            out.push_str(if *word == "entirely" {
                "largely"
            } else {
                "entirely"
            });
        } else {
            out.push_str(word);
        }
    }
    out
}

/// A Markdown research note of exactly `lines` lines about `corpus`: front
/// matter, headings, and bullet points that restate the sources' figures and
/// quotes (most correct and cited, some with a figure altered, a quote
/// misworded, a citation to the wrong document or to one that does not
/// exist), prose with no figures, and numbers unrelated to the sources
/// (reading times, to-do counts, inline code). Same input, same note.
pub fn generate_note(corpus: &[SourceText], lines: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed ^ 0x6e07e);
    let mut passages: Vec<Passage<'_>> = Vec::new();
    // A few hundred documents are plenty to draw a note from, and keep this
    // fast on the largest corpora.
    for _ in 0..corpus.len().min(300) {
        let source = &corpus[rng.below(corpus.len())];
        let body = match source.text.strip_prefix("---\n") {
            Some(rest) => rest.find("\n---\n").map_or(rest, |end| &rest[end + 5..]),
            None => &source.text,
        };
        for text in rough_sentences(body) {
            let useful = text.len() < 400
                && !text.starts_with('#')
                && !text.starts_with('-')
                && (text.contains('“') || text.bytes().any(|b| b.is_ascii_digit()));
            if useful {
                passages.push(Passage {
                    doc: &source.id,
                    text,
                });
            }
        }
    }

    let mut note = String::with_capacity(lines * 120);
    let header = [
        "---",
        "title: Sector reading notes",
        "author: Research desk",
        "date: 2024-11-15",
        "---",
        "",
        "# Sector reading notes",
        "",
        "*Reading time: 25 minutes. Open items: 4.*",
        "",
    ];
    let mut written = 0;
    for line in header.iter().take(lines) {
        note.push_str(line);
        note.push('\n');
        written += 1;
    }
    let mut section = 0;
    while written < lines {
        let line = if written % 40 == 10 {
            section += 1;
            format!("## Section {section}")
        } else if written % 40 == 11 || passages.is_empty() {
            String::new()
        } else {
            note_line(&mut rng, &passages, corpus, written)
        };
        note.push_str(&line);
        note.push('\n');
        written += 1;
    }
    note
}

fn note_line(
    rng: &mut Rng,
    passages: &[Passage<'_>],
    corpus: &[SourceText],
    line: usize,
) -> String {
    let passage = rng.pick_ref(passages);
    match rng.below(100) {
        // A figure or quote restated and cited right.
        0..=39 => format!("- {} [@{}]", passage.text, passage.doc),
        // The same, uncited.
        40..=49 => format!("- {}", passage.text),
        // A figure altered.
        50..=61 => match alter_first_number(passage.text) {
            Some(altered) => format!("- {altered}"),
            None => format!("- {}", passage.text),
        },
        // A quote misworded, or a correct one with its source.
        62..=71 => match curly_quote(passage.text) {
            Some(quote) if rng.chance(50) => {
                format!("- They said: “{}” [@{}]", misword(rng, quote), passage.doc)
            }
            Some(quote) => format!("- They said: “{quote}” [@{}]", passage.doc),
            None => format!("- {} [@{}]", passage.text, passage.doc),
        },
        // Cited to a document that does not say it.
        72..=77 => {
            let other = &corpus[rng.below(corpus.len())].id;
            format!("- {} [@{other}]", passage.text)
        }
        // Cited to a document that is not in the corpus.
        78..=80 => format!("- See also [@missing-source-{line}] on this point."),
        // Prose with no figures.
        81..=88 => "Follow up on the competitive picture and the regulatory angle.".to_string(),
        // Numbers that have nothing to do with the sources.
        89..=94 => format!(
            "- [ ] TODO: draft {} charts; call scheduled for {}pm.",
            rng.between(2, 9),
            rng.between(1, 5)
        ),
        _ => format!(
            "Re-run `refnotes check --corpus corpus notes.md` after {} more sources land.",
            rng.between(2, 20)
        ),
    }
}

/// Checks what the benches rely on in a generated corpus and note: the size
/// asked for, documents of 2–8 KB (plus the last sentence that crossed the
/// mark), ids unique and never a prefix of one another (so every citation key
/// the note uses resolves to one document), and a note of exactly
/// `note_lines` lines that cites the corpus. Returns what is wrong.
pub fn validate(
    sources: &[SourceText],
    bytes: usize,
    note: &str,
    note_lines: usize,
) -> Result<(), String> {
    let total: usize = sources.iter().map(|source| source.text.len()).sum();
    if total < bytes || total > bytes + 10_000 {
        return Err(format!("corpus holds {total} bytes, asked for {bytes}"));
    }
    if let Some(source) = sources
        .iter()
        .find(|source| !(2_000..=9_000).contains(&source.text.len()))
    {
        return Err(format!(
            "{} holds {} bytes, outside 2–8 KB",
            source.id,
            source.text.len()
        ));
    }
    let mut ids: Vec<&str> = sources.iter().map(|source| source.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[1].starts_with(pair[0])) {
        return Err(format!("id {} is a prefix of {}", pair[0], pair[1]));
    }
    if note.lines().count() != note_lines {
        return Err(format!(
            "note has {} lines, asked for {note_lines}",
            note.lines().count()
        ));
    }
    let cited = note.matches("[@").count();
    if note_lines >= 100 && cited < note_lines / 4 {
        return Err(format!(
            "note cites only {cited} times in {note_lines} lines"
        ));
    }
    Ok(())
}
