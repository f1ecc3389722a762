//! Words as the engine compares them: tokens with their spans, normalized for
//! matching (case, curly apostrophes, quote marks), stems for context
//! comparison, and the function words that carry no context.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::Span;

/// A word in a text: a run of letters and digits, with apostrophes inside it
/// ("AWS’s", "don't") and dots inside it ("Amazon.com", "U.S") kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// The words of `text`, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break (i, c);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if is_word_char(c) {
                chars.next();
                continue;
            }
            // An apostrophe or dot joins two words only with a letter after it.
            if is_apostrophe(c) || c == '.' {
                let after = text[i + c.len_utf8()..].chars().next();
                if after.is_some_and(char::is_alphanumeric) {
                    chars.next();
                    continue;
                }
            }
            end = i;
            break;
        }
        Some(Token {
            span: Span::new(start, end),
        })
    })
}

/// A word in the form used for matching quotations: lowercase, every kind of
/// apostrophe as `'`.
pub fn normalize(word: &str) -> Cow<'_, str> {
    if word
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.')
    {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.chars()
            .map(|c| if is_apostrophe(c) { '\'' } else { c })
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// The normalized words of `text` with their spans.
pub fn normalized_words(text: &str) -> Vec<(Span, String)> {
    tokens(text)
        .map(|token| (token.span, normalize(token.span.slice(text)).into_owned()))
        .collect()
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// A fast hash for short words (the Fx hash of rustc): word lookups are the
/// hot loop of indexing, and these keys come from the program or the corpus,
/// not from an adversary choosing collisions.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick a hash table's bucket,
        // depending on a word's first bytes only: words sharing a prefix
        // crowded into a few buckets and every lookup compared many keys
        // (most of indexing's time, in perf). Murmur3's finisher spreads
        // every bit over the whole hash.
        let mut hash = self.0;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        hash ^ (hash >> 33)
    }
}

pub type WordBuildHasher = BuildHasherDefault<WordHasher>;
pub type WordSet = HashSet<&'static str, WordBuildHasher>;
pub type WordMap<V> = HashMap<String, V, WordBuildHasher>;

/// A set of words for fast membership tests.
pub fn word_set(words: &[&'static str]) -> WordSet {
    words.iter().copied().collect()
}

thread_local! {
    /// Stems already computed on this thread: prose repeats its words.
    static STEMS: RefCell<WordMap<String>> = RefCell::new(WordMap::default());
}

/// Stems kept per thread at most before the cache starts over.
const STEM_CACHE_LIMIT: usize = 200_000;

/// The stem of a normalized word, with a possessive `'s` removed first, so
/// "partners", "partner's" and "partner" compare equal.
pub fn stem(normalized: &str) -> String {
    with_stem(normalized, str::to_string)
}

/// Calls `f` with the stem of a normalized word (see [`stem`]), lent from the
/// per-thread cache without copying it.
pub fn with_stem<R>(normalized: &str, f: impl FnOnce(&str) -> R) -> R {
    let base = normalized
        .strip_suffix("'s")
        .or_else(|| normalized.strip_suffix('\''))
        .unwrap_or(normalized);
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(base) {
            return f(stem);
        }
        if cache.len() >= STEM_CACHE_LIMIT {
            cache.clear();
        }
        let stem = STEMMER.stem(base).into_owned();
        let result = f(&stem);
        cache.insert(base.to_string(), stem);
        result
    })
}

static STOPWORD_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(STOPWORDS));

/// Function words and words so common in prose that sharing them says nothing
/// about whether two sentences state the same fact.
pub fn is_stopword(normalized: &str) -> bool {
    STOPWORD_SET.contains(normalized)
}

// Sorted, to keep duplicates out.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "added",
    "adding",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "earlier",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "last",
    "late",
    "later",
    "less",
    "like",
    "made",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "near",
    "nearly",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "put",
    "rather",
    "reported",
    "roughly",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "yet",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_sharing_a_prefix_spread_over_hash_buckets() {
        use std::hash::BuildHasher;
        let buckets: HashSet<u64> = (0..1000)
            .map(|i| WordBuildHasher::default().hash_one(format!("st{i:03}x")) & 0xfff)
            .collect();
        // Before the finisher, the low bits came from the first bytes alone: 32 buckets.
        assert!(buckets.len() > 600, "only {} buckets", buckets.len());
    }

    fn words(text: &str) -> Vec<&str> {
        tokens(text).map(|t| t.span.slice(text)).collect()
    }

    #[test]
    fn tokens_keep_inner_apostrophes_and_dots() {
        assert_eq!(
            words("AWS’s “industry leading” Amazon.com Inc. — U.S. firms’ 21Vianet, don't."),
            [
                "AWS’s",
                "industry",
                "leading",
                "Amazon.com",
                "Inc",
                "U.S",
                "firms",
                "21Vianet",
                "don't"
            ]
        );
        assert_eq!(words("£75m–£80m"), ["75m", "80m"]);
        assert!(words("“ — ”").is_empty());
    }

    #[test]
    fn normalization_folds_case_and_apostrophes() {
        assert_eq!(normalize("AWS’s"), "aws's");
        assert_eq!(normalize("Don't"), "don't");
        assert_eq!(normalize("ÉLAN"), "élan");
    }

    #[test]
    fn stems_ignore_possessives_and_plurals() {
        assert_eq!(stem("partner's"), stem("partners"));
        assert_eq!(stem("filing"), stem("filings"));
    }

    #[test]
    fn stopwords_are_sorted_and_found() {
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "STOPWORDS must stay sorted"
        );
        assert!(is_stopword("the"));
        assert!(!is_stopword("partner"));
    }
}
