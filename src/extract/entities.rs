//! Proper names: companies, people, places, products, and the acronyms a text
//! defines for them ("Amazon Web Services (AWS)").
//!
//! This finds candidate names in one text by their capitals; whether a
//! capitalized word at the start of a sentence is a name, and which names are
//! one entity, is decided over the whole corpus (see `corpus::entities`).

use crate::extract::words::{self, Token};
use crate::text::Span;

/// A proper name as written in a text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameMention {
    /// The name, without a possessive `'s` and without a leading article.
    pub span: Span,
    /// The comparison key: lowercase words with corporate suffixes removed
    /// ("Beijing Sinnet Technology Co." -> "beijing sinnet").
    pub key: String,
    /// A single word that only stands capitalized because a sentence starts
    /// with it, or a word of a title-case headline: a name only if the corpus
    /// writes it capitalized elsewhere too.
    pub doubtful: bool,
}

/// A text's own definition of an alias: "Amazon Web Services (AWS)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasDefinition {
    /// Index of the full name in [`Names::mentions`].
    pub full: usize,
    /// Index of the short form.
    pub short: usize,
}

/// The names found in a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub mentions: Vec<NameMention>,
    pub definitions: Vec<AliasDefinition>,
}

/// Capitalized words that start sentences or headlines far more often than
/// they name anything. Sorted for binary search.
const COMMON_CAPITALIZED: &[&str] = &[
    "a",
    "about",
    "according",
    "across",
    "additionally",
    "after",
    "again",
    "all",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "april",
    "are",
    "as",
    "at",
    "august",
    "because",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "december",
    "despite",
    "during",
    "each",
    "earlier",
    "either",
    "even",
    "every",
    "february",
    "few",
    "finally",
    "first",
    "for",
    "friday",
    "from",
    "further",
    "given",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "instead",
    "is",
    "it",
    "its",
    "january",
    "july",
    "june",
    "just",
    "last",
    "later",
    "like",
    "many",
    "march",
    "may",
    "meanwhile",
    "monday",
    "more",
    "moreover",
    "most",
    "much",
    "my",
    "neither",
    "never",
    "next",
    "no",
    "nor",
    "not",
    "november",
    "now",
    "october",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "overall",
    "per",
    "perhaps",
    "saturday",
    "september",
    "she",
    "since",
    "so",
    "some",
    "still",
    "such",
    "sunday",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thursday",
    "to",
    "today",
    "tuesday",
    "under",
    "unlike",
    "until",
    "upon",
    "we",
    "wednesday",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "with",
    "within",
    "without",
    "yes",
    "yet",
    "you",
    "your",
];

/// Words that end a company's name without distinguishing it. Sorted.
const CORPORATE_SUFFIXES: &[&str] = &[
    "ag",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "group",
    "holding",
    "holdings",
    "inc",
    "incorporated",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "plc",
    "sa",
    "technologies",
    "technology",
];

/// Lowercase words that may join the parts of one name ("Bank of America").
const CONNECTORS: &[&str] = &[
    "de", "del", "der", "di", "du", "for", "la", "of", "van", "von",
];

fn is_common_capitalized(lower: &str) -> bool {
    COMMON_CAPITALIZED.binary_search(&lower).is_ok()
}

/// Nouns that news style puts before a name to say what it is ("Rival
/// Corland Dynamics", "Chipmaker Nvidia", "Analysts at Barclays"): opening a
/// sentence they are capitalized by position, and the name is what follows.
/// Sorted for binary search.
const DESCRIPTOR_NOUNS: &[&str] = &[
    "analyst",
    "analysts",
    "automaker",
    "carmaker",
    "chipmaker",
    "competitor",
    "conglomerate",
    "former",
    "insurer",
    "investor",
    "investors",
    "lender",
    "miner",
    "parent",
    "peer",
    "regulator",
    "regulators",
    "retailer",
    "rival",
    "rivals",
    "shareholder",
    "shareholders",
    "startup",
    "supplier",
];

/// Whether the run's first word is a descriptor capitalized only because the
/// sentence starts with it, and a name follows.
fn leads_with_descriptor(text: &str, tokens: &[Token], start: usize, end: usize) -> bool {
    let first = tokens[start].span;
    end - start > 1
        && text[first.end()..tokens[start + 1].span.start()] == *" "
        && is_name_word(tokens[start + 1].span.slice(text))
        && DESCRIPTOR_NOUNS
            .binary_search(&first.slice(text).to_lowercase().as_str())
            .is_ok()
        && starts_sentence(text, first.start())
}

/// Months and weekdays are capitalized but name no entity.
fn is_calendar_word(lower: &str) -> bool {
    const CALENDAR: &[&str] = &[
        "apr",
        "april",
        "aug",
        "august",
        "dec",
        "december",
        "feb",
        "february",
        "fri",
        "friday",
        "jan",
        "january",
        "jul",
        "july",
        "jun",
        "june",
        "mar",
        "march",
        "mon",
        "monday",
        "nov",
        "november",
        "oct",
        "october",
        "sat",
        "saturday",
        "sep",
        "sept",
        "september",
        "sun",
        "sunday",
        "thu",
        "thursday",
        "tue",
        "tuesday",
        "wed",
        "wednesday",
    ];
    CALENDAR.contains(&lower)
}

/// Whether a word looks like part of a name: capitalized ("Sinnet"), an
/// acronym ("AWS"), or a name starting with digits ("21Vianet").
fn is_name_word(word: &str) -> bool {
    // "Q4", "FY2025", "H1" label periods, not names: "Aerospace Q4 revenue"
    // names Aerospace.
    if crate::extract::claims::is_period_label(&word.to_lowercase()) {
        return false;
    }
    let mut letters = word.chars().skip_while(|c| c.is_ascii_digit());
    match letters.next() {
        Some(first) => first.is_uppercase(),
        None => false,
    }
}

fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&')
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["’s", "'s", "ʼs"] {
        if let Some(base) = word.strip_suffix(suffix) {
            return base;
        }
    }
    word
}

/// The comparison key of a name: lowercase words, corporate suffixes and a
/// trailing ".com" dropped while something remains.
pub fn name_key(name: &str) -> String {
    let mut parts: Vec<String> = words::tokens(name)
        .map(|t| words::normalize(strip_possessive(t.span.slice(name))).into_owned())
        .collect();
    if let Some(first) = parts.first_mut() {
        if let Some(base) = first.strip_suffix(".com") {
            *first = base.to_string();
        }
    }
    while parts.len() > 1
        && parts
            .last()
            .is_some_and(|w| CORPORATE_SUFFIXES.binary_search(&w.as_str()).is_ok())
    {
        parts.pop();
    }
    parts.join(" ")
}

/// Candidate proper names in `text` (a sentence, paragraph or whole document).
pub fn find(text: &str) -> Names {
    let tokens: Vec<Token> = words::tokens(text).collect();
    let mut names = Names::default();
    let mut i = 0;
    while i < tokens.len() {
        let word = tokens[i].span.slice(text);
        if !is_name_word(word) {
            i += 1;
            continue;
        }
        let run_start = i;
        let mut run_end = i + 1; // exclusive
        let mut j = i + 1;
        while j < tokens.len() {
            let gap = &text[tokens[j - 1].span.end()..tokens[j].span.start()];
            let next = tokens[j].span.slice(text);
            if joins_name(gap) && is_name_word(next) {
                run_end = j + 1;
                j += 1;
                continue;
            }
            // "ORCHID-2", "Covid-19", "NT-proBNP": a hyphen joins a number or
            // a lower-case part to a name, and the two are one name; ORCHID-1
            // is another trial than ORCHID-2.
            if gap == "-" && is_hyphened_part(next) {
                run_end = j + 1;
                j += 1;
                continue;
            }
            // "Ministry of Industry", "Bank of America": a connector between names.
            if gap == " "
                && CONNECTORS.contains(&next)
                && j + 1 < tokens.len()
                && text[tokens[j].span.end()..tokens[j + 1].span.start()] == *" "
                && is_name_word(tokens[j + 1].span.slice(text))
            {
                run_end = j + 2;
                j += 2;
                continue;
            }
            break;
        }
        push_run(text, &tokens, run_start, run_end, &mut names);
        i = run_end;
    }
    find_alias_definitions(text, &mut names);
    names
}

/// The part after a name's hyphen that belongs to the name: a number, or a
/// word with a capital letter after its first ("proBNP"). Ordinary words
/// ("Amazon-owned", "Paris-based") are not.
fn is_hyphened_part(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || word.chars().skip(1).any(char::is_uppercase) && word.chars().all(char::is_alphanumeric)
}

/// Two capitalized words belong to one name when only a space, a hyphen or
/// an ampersand stands between them ("Kai-Fu Lee", "AT&T", "Johnson & Johnson").
fn joins_name(gap: &str) -> bool {
    matches!(gap, " " | "-" | "&" | " & " | "\u{a0}")
}

fn push_run(text: &str, tokens: &[Token], start: usize, end: usize, names: &mut Names) {
    let mut start = start;
    // Leading function words are capitalized by position, not by name.
    while start < end {
        let word = tokens[start].span.slice(text);
        if is_acronym(word)
            || !(is_common_capitalized(&word.to_lowercase())
                || leads_with_descriptor(text, tokens, start, end))
        {
            break;
        }
        start += 1;
    }
    let mut end = end;
    // "Saturday's results": the possessive does not make a weekday a name.
    let calendar =
        |token: &Token| is_calendar_word(&strip_possessive(token.span.slice(text)).to_lowercase());
    while end > start && calendar(&tokens[end - 1]) {
        end -= 1;
    }
    while start < end && calendar(&tokens[start]) {
        start += 1;
    }
    if start >= end {
        return;
    }
    let first = tokens[start].span;
    let last = tokens[end - 1].span;
    let last_word = last.slice(text);
    let span = Span::new(
        first.start(),
        last.end() - (last_word.len() - strip_possessive(last_word).len()),
    );
    let name = span.slice(text);
    if name.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    let key = name_key(name);
    if key.is_empty() {
        return;
    }
    let doubtful = end - start == 1 && !is_acronym(name) && starts_sentence(text, first.start());
    names.mentions.push(NameMention {
        span,
        key,
        doubtful,
    });
}

/// Whether the word at `offset` opens a sentence, a line, a quotation or a
/// bracket, where any word is capitalized.
fn starts_sentence(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '“' | '"' | '‘' | '\'' | '(' | '[' | '*' | '_' | '#' | '-' | '•' | '>'
            )
    });
    match before.chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '.' | '!' | '?' | ':' | '…' | '”' | '\n' | '—' | '–' | '|'
        ),
    }
}

/// "Full Name (FN)" and "FN (Full Name)": the bracketed form is an alias when
/// its capitals spell the other's initials.
fn find_alias_definitions(text: &str, names: &mut Names) {
    for (index, pair) in names.mentions.windows(2).enumerate() {
        let (outer, inner) = (&pair[0], &pair[1]);
        let between = &text[outer.span.end()..inner.span.start()];
        let after = &text[inner.span.end()..];
        if !(between.trim() == "(" && after.starts_with(')')) {
            continue;
        }
        let outer_text = outer.span.slice(text);
        let inner_text = inner.span.slice(text);
        if is_acronym(inner_text) && spells_initials(inner_text, outer_text) {
            names.definitions.push(AliasDefinition {
                full: index,
                short: index + 1,
            });
        } else if is_acronym(outer_text) && spells_initials(outer_text, inner_text) {
            names.definitions.push(AliasDefinition {
                full: index + 1,
                short: index,
            });
        }
    }
}

/// Whether the capitals of `acronym` appear, in order, among the first
/// letters and capitals of `name`'s words ("AWS" in "Amazon Web Services").
fn spells_initials(acronym: &str, name: &str) -> bool {
    let letters: Vec<char> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && !CONNECTORS.contains(w))
        .flat_map(|w| {
            let mut chars = w.chars();
            let first = chars.next();
            first.into_iter().chain(chars.filter(|c| c.is_uppercase()))
        })
        .flat_map(char::to_uppercase)
        .collect();
    let mut rest = letters.iter();
    acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|a| rest.any(|&l| l == a))
        && acronym
            .chars()
            .next()
            .and_then(|a| letters.first().map(|&l| l == a))
            == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String, bool)> {
        find(text)
            .mentions
            .iter()
            .map(|m| (m.span.slice(text).to_string(), m.key.clone(), m.doubtful))
            .collect()
    }

    fn name_list(text: &str) -> Vec<String> {
        names(text).into_iter().map(|(n, _, _)| n).collect()
    }

    #[test]
    fn multiword_names_with_suffixes_and_possessives() {
        let text =
            "Earlier, Beijing Sinnet Technology Co. said Amazon’s unit sold assets to Sinnet.";
        assert_eq!(
            names(text),
            [
                (
                    "Beijing Sinnet Technology Co".into(),
                    "beijing sinnet".into(),
                    false
                ),
                ("Amazon".into(), "amazon".into(), false),
                ("Sinnet".into(), "sinnet".into(), false),
            ]
        );
    }

    #[test]
    fn connectors_join_names_but_lists_stay_apart() {
        assert_eq!(
            name_list("The Ministry of Industry and Information Technology spoke."),
            ["Ministry of Industry", "Information Technology"]
        );
        assert_eq!(
            name_list("Microsoft, Oracle and IBM did not reply."),
            ["Microsoft", "Oracle", "IBM"]
        );
        assert_eq!(
            name_list("Kai-Fu Lee praised AT&T and Procter & Gamble."),
            ["Kai-Fu Lee", "AT&T", "Procter & Gamble"]
        );
    }

    #[test]
    fn sentence_initial_words_are_doubtful() {
        let found = names("Cloud services grew. Chinese firms lead. Alibaba leads too.");
        assert_eq!(found[0], ("Cloud".into(), "cloud".into(), true));
        assert!(found.iter().all(|(_, _, doubtful)| *doubtful));
        let mid = names("It said Alibaba leads.");
        assert_eq!(mid, [("Alibaba".into(), "alibaba".into(), false)]);
    }

    #[test]
    fn a_descriptor_opening_a_sentence_is_not_part_of_the_name() {
        assert_eq!(
            name_list("Rival Corland Dynamics reported. Chipmaker Nvidia fell."),
            ["Corland Dynamics", "Nvidia"]
        );
        // Mid-sentence, or where it is the whole name, the word stays.
        assert_eq!(
            name_list("It hired Rival Capital. Bank of Castria cut rates."),
            ["Rival Capital", "Bank of Castria"]
        );
    }

    #[test]
    fn calendar_words_and_articles_are_not_names() {
        assert_eq!(
            name_list("Aldermoor shares rose 11.4% to $87.20 on Saturday's results in after-hours trading in New York, recovering much."),
            ["Aldermoor", "New York"]
        );
        assert_eq!(
            name_list("On Monday, The Wire said in November that Sinnet won."),
            ["Wire", "Sinnet"]
        );
        assert_eq!(name_list("The deal closed Nov. 10."), Vec::<String>::new());
    }

    #[test]
    fn acronym_definitions_in_either_order() {
        let text = "It sold its Amazon Web Services (AWS) unit; AWS (Amazon Web Services) stays.";
        let found = find(text);
        assert_eq!(found.definitions.len(), 2);
        let def = &found.definitions[0];
        assert_eq!(
            found.mentions[def.full].span.slice(text),
            "Amazon Web Services"
        );
        assert_eq!(found.mentions[def.short].span.slice(text), "AWS");
        assert!(find("Halvard Foods (NYSE: HVF) said")
            .definitions
            .is_empty());
    }

    #[test]
    fn digits_led_names_and_keys() {
        assert_eq!(
            name_list("It works with 21Vianet Group in China."),
            ["21Vianet Group", "China"]
        );
        assert_eq!(name_key("Amazon.com Inc."), "amazon");
        assert_eq!(name_key("Alibaba Group Holding Ltd."), "alibaba");
        assert_eq!(name_key("Group"), "group");
    }

    #[test]
    fn a_hyphened_number_or_mixed_case_part_stays_in_the_name() {
        assert_eq!(
            name_list("The ORCHID-2 results follow ORCHID-1 and lower NT-proBNP."),
            ["ORCHID-2", "ORCHID-1", "NT-proBNP"]
        );
        assert_ne!(name_key("ORCHID-2"), name_key("ORCHID-1"));
        assert_eq!(name_list("The Paris-based firm"), ["Paris"]);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "(",
            "(AWS)",
            "A (B)",
            "’s",
            "É’s Ö",
            "X-",
            "&&",
            "Co. (Co.)",
        ] {
            let _ = find(text);
        }
    }
}
