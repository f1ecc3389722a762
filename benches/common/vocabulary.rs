//! The words the generator draws on (a data table): name syllables,
//! industries, places, people, quotes, and the Zipf-ranked vocabulary of
//! background prose.

use super::Rng;

pub(super) const SYLLABLES: &[&str] = &[
    "nor", "val", "en", "tra", "ka", "mer", "lin", "dor", "sa", "vi", "ter", "ox", "ba", "quil",
    "ron", "hal", "vard", "bri", "zen", "tor", "ma", "lu", "pex", "cor", "den", "fi", "ra", "sol",
    "ven", "ar", "is", "ne", "tis", "gal", "mo", "rei", "dal", "ko", "sun", "wei", "xin", "hua",
    "tek", "lor", "ia", "an", "el", "mar",
];

pub(super) const INDUSTRY_WORDS: &[&str] = &[
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

pub(super) const SUFFIXES: &[&str] = &[
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

pub(super) const CITIES: &[&str] = &[
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

pub(super) const COUNTRIES: &[&str] = &[
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

pub(super) const RESEARCH_FIRMS: &[&str] = &[
    "Synergy Research Group",
    "Gartner Inc.",
    "IDC",
    "Forrester Research",
    "Counterpoint Research",
    "LSEG data",
    "FactSet",
];

pub(super) const BANKS: &[&str] = &[
    "Citic Securities",
    "Morgan Stanley",
    "Goldman Sachs",
    "Nomura Holdings Inc.",
    "UBS Group AG",
    "Jefferies",
    "Bernstein",
];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Marta", "Ingrid", "Charlie", "Wei", "Li", "Robert", "Anna", "Kenji", "Priya", "Tomás",
    "Sofia", "David", "Hannah", "Jun", "Olga", "Samuel", "Amara", "Lukas", "Mei", "Daniel",
];

pub(super) const TITLES: &[&str] = &[
    "chief executive",
    "chief financial officer",
    "president",
    "head of investor relations",
    "chairman",
];

pub(super) const MONTHS: &[(&str, &str)] = &[
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

pub(super) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

pub(super) const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

pub(super) const TOPICS: &[&str] = &[
    "data storage rules",
    "pricing practices",
    "a delayed disclosure",
    "emissions reporting",
    "consumer complaints",
    "cross-border data transfers",
];

pub(super) const OUTLETS: &[&str] = &["wire", "daily", "review", "release", "call", "brief"];

pub(super) const QUOTE_OPENERS: &[&str] = &[
    "We are",
    "We’re",
    "Our teams are",
    "Customers are",
    "The board is",
    "Management is",
    "Frankly, we’re",
];

pub(super) const QUOTE_MIDDLES: &[&str] = &[
    "excited about",
    "fully committed to",
    "focused on",
    "cautious about",
    "confident in",
    "investing behind",
    "not worried about",
];

pub(super) const QUOTE_OBJECTS: &[&str] = &[
    "the significant business we have in",
    "pricing in our largest categories in",
    "the integration work still ahead of us in",
    "demand from large customers in",
    "regulatory compliance in",
    "margins and cash flow in",
    "the long-term opportunity in",
];

pub(super) const QUOTE_TAILS: &[&str] = &[
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
