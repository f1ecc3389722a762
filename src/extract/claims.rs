//! Claims: what a figure says something about. A figure is a claim about a
//! subject (who or what), a measure (what is counted or priced), a period
//! (when), in a role (a level, a change, or the earlier value a change starts
//! from). Only claims whose frames are compatible may support or contradict
//! each other: "Zenith's net profit rose 70%" says nothing about Acme's, and
//! last year's income is no evidence for this year's.
//!
//! This module reads the frame of each figure from its own clause, falling
//! back to the rest of its sentence; the subject may also be inherited from
//! the reader's context (the previous sentence, a list item's parent, a
//! heading, the title), which the caller supplies. Everything here is a pure
//! function over `&str` and the other extractors' output.

use serde::Serialize;

use crate::extract::words;
use crate::extract::{Figure, FigureKind};
use crate::text::Span;

/// What is measured, as a canonical head ("revenue") and the modifiers
/// that distinguish kinds of it ("organic", "gross", "adjusted", "diluted").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Measure {
    pub head: &'static str,
    /// One bit per modifier (see [`MODIFIERS`]).
    pub modifiers: u16,
}

impl Measure {
    /// Two measures name the same quantity: same head, and no dimension on
    /// which both sides state different modifiers (an unmodified "margin"
    /// may be any margin; "diluted GAAP EPS" is diluted EPS).
    pub fn compatible(self, other: Measure) -> bool {
        self.head == other.head
            && MODIFIER_DIMENSIONS.iter().all(|&dimension| {
                let (a, b) = (self.modifiers & dimension, other.modifiers & dimension);
                a == 0 || b == 0 || a == b
            })
    }

    /// The modifier words, for display.
    pub fn modifier_names(self) -> Vec<&'static str> {
        let mut seen = 0;
        let mut names = Vec::new();
        for &(word, bit) in MODIFIERS {
            if self.modifiers & bit != 0 && seen & bit == 0 {
                seen |= bit;
                names.push(word);
            }
        }
        names
    }
}

/// A part of a reporting year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodPart {
    Q1,
    Q2,
    Q3,
    Q4,
    H1,
    H2,
    NineMonths,
    FullYear,
}

/// When a figure was true, relative to the text's own time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relative {
    /// "a year earlier", "last year", "the prior year", "a year ago".
    Earlier,
    /// "this year", "this quarter", "so far this year".
    Current,
    /// "next year", "in each of the next two years".
    Later,
}

/// The period a figure refers to, as far as its words say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    pub year: Option<i32>,
    pub part: Option<PeriodPart>,
    pub relative: Option<Relative>,
}

impl Period {
    pub fn is_known(&self) -> bool {
        self.year.is_some() || self.part.is_some() || self.relative.is_some()
    }

    /// Whether two periods can be the same: no part both state differently.
    /// A relative period only contradicts where neither side names a year
    /// (the year a text calls "last year" depends on when it was written).
    pub fn compatible(&self, other: &Period) -> bool {
        if let (Some(a), Some(b)) = (self.year, other.year) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.part, other.part) {
            if a != b {
                return false;
            }
        }
        if self.year.is_none() && other.year.is_none() {
            // An unmarked period reads as the text's own: the current one.
            let current = |r: Option<Relative>| r.unwrap_or(Relative::Current);
            return current(self.relative) == current(other.relative);
        }
        true
    }
}

/// What a figure is within its statement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Nothing around the figure says: it may be any of the others.
    #[default]
    Unmarked,
    /// A level or an amount: "sales were $4.6bn", "rose to $42bn", "a 10% stake".
    Level,
    /// A change: "rose 6.4%", "up 140 basis points", "a 5% increase".
    Change,
    /// The earlier level a change starts from: "up from 98 cents".
    From,
}

/// Measures that are themselves rates of change: "inflation fell to 3.1%"
/// and "prices rose 3.1% in the year" state one figure.
const RATE_MEASURES: &[&str] = &["inflation", "gdp", "wages", "salary"];

/// Whether a measure is a rate of change, for which a level and a change
/// are one figure.
pub fn is_rate(measure: &Measure) -> bool {
    RATE_MEASURES.contains(&measure.head)
}

impl Role {
    /// Roles that may name one fact: the same, or one side unmarked.
    pub fn compatible(self, other: Role) -> bool {
        self == other || self == Role::Unmarked || other == Role::Unmarked
    }
}

/// A figure's frame: what it is about, read from its words.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Frame {
    /// Who or what the figure is about: indexes into the names given to
    /// [`frames`] of those named in the figure's own clause (speakers, as in
    /// "Lindqvist said", left out).
    pub clause_subjects: Vec<usize>,
    /// The names anywhere in the sentence (speakers left out).
    pub sentence_subjects: Vec<usize>,
    pub measures: Vec<Measure>,
    /// Where the sentence names the measure, when another clause names it
    /// ("Adjusted EPS $2.14, against $1.78 a year earlier").
    pub measure_named_at: Option<Span>,
    pub period: Period,
    pub role: Role,
}

/// Words that mark a change when they stand right before a figure ("rose 6%",
/// "up 4%", "an increase of 3%") or right after it ("a 6% rise").
const CHANGE_BEFORE: &[&str] = &[
    "add",
    "added",
    "adding",
    "advance",
    "advanced",
    "boost",
    "boosted",
    "by",
    "climb",
    "climbed",
    "climbing",
    "cut",
    "decline",
    "declined",
    "declining",
    "decrease",
    "decreased",
    "deteriorated",
    "dipped",
    "down",
    "drop",
    "dropped",
    "dropping",
    "eased",
    "expand",
    "expanded",
    "fall",
    "falling",
    "fell",
    "gain",
    "gained",
    "gaining",
    "grew",
    "grow",
    "growing",
    "growth",
    "improve",
    "improved",
    "improves",
    "improving",
    "increase",
    "increased",
    "increasing",
    "jump",
    "jumped",
    "jumping",
    "lifted",
    "lower",
    "lowered",
    "narrowed",
    "plunge",
    "plunged",
    "raised",
    "reduce",
    "reduced",
    "rise",
    "risen",
    "rising",
    "rose",
    "sank",
    "shed",
    "shrank",
    "shrink",
    "sink",
    "slid",
    "slip",
    "slipped",
    "slump",
    "slumped",
    "soar",
    "soared",
    "surge",
    "surged",
    "swell",
    "trimmed",
    "tumble",
    "tumbled",
    "up",
    "widened",
    "worsen",
    "worsened",
];
const CHANGE_AFTER: &[&str] = &[
    "advance",
    "contraction",
    "cut",
    "decline",
    "decrease",
    "drop",
    "expansion",
    "fall",
    "gain",
    "growth",
    "higher",
    "hike",
    "improvement",
    "increase",
    "jump",
    "less",
    "lower",
    "more",
    "reduction",
    "rise",
    "slide",
    "surge",
];

/// Head words of measures, with the canonical measure they name. Several
/// words map to one head so writers' synonyms meet ("turnover" and "sales").
/// Extend with care: two different heads make two figures incomparable.
const MEASURE_WORDS: &[(&str, &str)] = &[
    ("acquisition", "deal"),
    ("attendance", "attendance"),
    ("backlog", "backlog"),
    ("bookings", "bookings"),
    ("buyback", "buyback"),
    ("capex", "capex"),
    ("cash", "cash"),
    ("costs", "cost"),
    ("cpi", "inflation"),
    ("crowd", "attendance"),
    ("customers", "customers"),
    ("deal", "deal"),
    ("debt", "debt"),
    ("deficit", "deficit"),
    ("dividend", "dividend"),
    ("ebitda", "ebitda"),
    ("employees", "staff"),
    ("eps", "eps"),
    ("expenses", "cost"),
    ("fee", "fee"),
    ("fine", "fine"),
    ("gdp", "gdp"),
    ("goals", "goals"),
    ("headcount", "staff"),
    // "Ardent holds 25% of Heddal" states a stake as much as "a 25% stake".
    ("holds", "stake"),
    ("income", "profit"),
    ("inflation", "inflation"),
    ("jobless", "unemployment"),
    ("jobs", "jobs"),
    ("loss", "loss"),
    ("losses", "loss"),
    ("margin", "margin"),
    ("output", "output"),
    ("owns", "stake"),
    ("points", "points"),
    ("price", "price"),
    ("production", "output"),
    ("profit", "profit"),
    ("profits", "profit"),
    ("purchase", "deal"),
    ("revenue", "revenue"),
    ("revenues", "revenue"),
    ("salary", "salary"),
    ("sales", "revenue"),
    ("shares", "shares"),
    ("staff", "staff"),
    ("stake", "stake"),
    ("stock", "shares"),
    ("subscribers", "users"),
    ("surplus", "surplus"),
    ("takeover", "deal"),
    ("turnover", "revenue"),
    ("unemployment", "unemployment"),
    ("users", "users"),
    ("valuation", "deal"),
    ("wages", "wages"),
    ("workers", "staff"),
    ("workforce", "staff"),
];

/// Phrases read before single words: "earnings per share" is EPS, not profit.
const MEASURE_PHRASES: &[(&[&str], &str)] = &[
    (&["earnings", "per", "share"], "eps"),
    (&["free", "cash", "flow"], "free-cash-flow"),
    (&["cash", "flow"], "cash-flow"),
    (&["capital", "spending"], "capex"),
    (&["capital", "expenditure"], "capex"),
    (&["capital", "expenditures"], "capex"),
    (&["market", "share"], "market-share"),
    (&["share", "price"], "price"),
    (&["stock", "price"], "price"),
    (&["net", "debt"], "debt"),
    (&["consumer", "prices", "index"], "inflation"),
    (&["consumer", "price", "index"], "inflation"),
    (&["consumer", "prices"], "inflation"),
    (&["gross", "domestic", "product"], "gdp"),
    (&["interest", "rate"], "interest-rate"),
    (&["interest", "rates"], "interest-rate"),
    (&["operating", "income"], "operating-profit"),
    (&["operating", "profit"], "operating-profit"),
    (&["transfer", "fee"], "fee"),
];

/// Words that distinguish kinds of one measure ("gross margin", "organic
/// sales"), each with its bit; synonyms share a bit.
const MODIFIERS: &[(&str, u16)] = &[
    ("adjusted", 1 << 0),
    ("non-gaap", 1 << 0),
    ("underlying", 1 << 0),
    ("core", 1 << 0),
    ("comparable", 1 << 0),
    ("gaap", 1 << 1),
    ("reported", 1 << 1),
    ("statutory", 1 << 1),
    ("gross", 1 << 2),
    ("operating", 1 << 3),
    ("net", 1 << 4),
    ("pretax", 1 << 5),
    ("organic", 1 << 6),
    ("diluted", 1 << 7),
    ("basic", 1 << 8),
];

/// Modifiers that exclude each other: a figure is on one basis (adjusted or
/// GAAP), at one level of the income statement, diluted or basic.
const MODIFIER_DIMENSIONS: &[u16] = &[
    (1 << 0) | (1 << 1),
    (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6),
    (1 << 7) | (1 << 8),
];

/// The words after which "reported" is the basis of a measure ("on a
/// reported basis", "the reported margin"), not what someone did.
const REPORTED_AS_BASIS_AFTER: &[&str] = &[
    "the", "a", "its", "their", "on", "of", "and", "or", "with", "as", "vs", "versus",
];

/// The modifiers that exclude `bit`, itself included.
fn dimension_of(bit: u16) -> u16 {
    MODIFIER_DIMENSIONS
        .iter()
        .copied()
        .find(|d| d & bit != 0)
        .unwrap_or(bit)
}

/// A claim's frame in a few words, for people: "about Acme; net revenue;
/// q3 2025; change".
pub fn describe(subjects: &[&str], measures: &[Measure], period: &Period, role: Role) -> String {
    fn word<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
    let mut parts = Vec::new();
    if !subjects.is_empty() {
        parts.push(format!("about {}", subjects.join(", ")));
    }
    if !measures.is_empty() {
        let named: Vec<String> = measures
            .iter()
            .map(|m| {
                let mut words = m.modifier_names();
                words.push(m.head);
                words.join(" ")
            })
            .collect();
        parts.push(named.join(", "));
    }
    let mut when: Vec<String> = Vec::new();
    when.extend(period.part.map(word));
    when.extend(period.year.map(|y| y.to_string()));
    when.extend(period.relative.map(word));
    if !when.is_empty() {
        parts.push(when.join(" "));
    }
    if role != Role::Unmarked {
        parts.push(word(role));
    }
    parts.join("; ")
}

/// The measures and period a heading or caption names: "GDP (second
/// quarter)", "Revenue, 2025".
pub fn label_frame(label: &str) -> (Vec<Measure>, Period) {
    let words = words_outside(label, Span::new(0, label.len()), &[]);
    let mut period = period_in(&words);
    period.year = period.year.or(plain_year(label));
    (measures_in(&words), period)
}

/// Whether a sentence opens with a personal pronoun standing for whom the
/// sentence before named ("They scored 88 goals", "Its revenue rose").
pub fn starts_with_pronoun(sentence: &str) -> bool {
    const PRONOUNS: &[&str] = &["he", "her", "his", "it", "its", "she", "their", "they"];
    words::tokens(sentence)
        .next()
        .is_some_and(|t| PRONOUNS.contains(&words::normalize(t.span.slice(sentence)).as_ref()))
}

/// Whether a name is really a word of the claim vocabulary written in
/// capitals ("GAAP", "EPS", "Q3", "FY2025"): not who a figure is about.
pub fn is_vocabulary(name: &str) -> bool {
    let words: Vec<String> = words::tokens(name)
        .map(|t| words::normalize(t.span.slice(name)).into_owned())
        .collect();
    // "Consumer Prices Index", "Gross Domestic Product": a measure's name.
    let phrase = MEASURE_PHRASES
        .iter()
        .any(|(phrase, _)| phrase.len() == words.len() && phrase.iter().eq(words.iter()));
    phrase
        || !words.is_empty()
            && words.iter().all(|w| {
                MODIFIERS.iter().any(|(m, _)| m == w)
                    || MEASURE_WORDS
                        .binary_search_by(|(m, _)| m.cmp(&w.as_str()))
                        .is_ok()
                    || quarter_label(w).is_some()
                    || fiscal_year(w).is_some()
                    || matches!(
                        w.as_str(),
                        "non"
                            | "fy"
                            | "yoy"
                            | "ceo"
                            | "cfo"
                            | "quarter"
                            | "half"
                            | "year"
                            | "month"
                            | "fiscal"
                            | "first"
                            | "second"
                            | "third"
                            | "fourth"
                    )
            })
}

/// The frames of a sentence's figures, in the order of `figures` (spans
/// inside `sentence`), with `names` the spans of the sentence's names.
pub fn frames(text: &str, sentence: Span, figures: &[&Figure], names: &[Span]) -> Vec<Frame> {
    let spans: Vec<Span> = figures.iter().map(|f| f.span).collect();
    let clauses: Vec<Span> = (0..figures.len())
        .map(|i| clause_of(text, sentence, &spans, i))
        .collect();
    // Every slot reads the same words: tokenised once per sentence.
    let words = words_outside(text, sentence, &spans);
    // Speakers, names used as modifiers ("Ferencváros-born forward",
    // "Paris-based firm") and units are not what the figure is about.
    let speakers: Vec<bool> = names
        .iter()
        .map(|name| {
            is_speaker(text, sentence, *name)
                || is_attributive(text, *name)
                // A unit written in capitals right after the number ("1.2
                // GW", "480MW") is part of its figure ("310m monthly EU
                // users" names the EU).
                || figures.iter().any(|f| {
                    f.span.contains_span(*name)
                        && !name.slice(text).chars().any(char::is_lowercase)
                        && !text[f.span.start()..name.start()]
                            .chars()
                            .any(char::is_alphabetic)
                })
        })
        .collect();
    figures
        .iter()
        .enumerate()
        .map(|(i, figure)| {
            let clause = clauses[i];
            // The subject stands before the figure ("Acme's revenue rose
            // 5%") or just after it ("5% at Acme"); names further on belong
            // to another clause ("…since 2016, when Amazon chose…").
            let reach = near_end(text, figure.span.end(), clause.end());
            let clause_subjects: Vec<usize> = (0..names.len())
                .filter(|&n| {
                    !speakers[n] && names[n].start() >= clause.start() && names[n].end() <= reach
                })
                .collect();
            let mut measures = measures_in(within(&words, clause));
            let mut measure_named_at = None;
            if measures.is_empty() {
                // "…were $4.62 billion, up 6.8%": the change is of the measure
                // the sentence named before it.
                if let Some((measure, at)) = nearest_measure(&words, sentence, &clauses, i) {
                    measures.push(measure);
                    measure_named_at = Some(at);
                }
            }
            let mut period = period_of(text, &words, sentence, &clauses, i, figures, &spans);
            // A figure in a table row is measured by its column's header and
            // dated by the table's caption.
            let table = maybe_table_row(text, sentence)
                .then(|| table_context(text, figure.span.start()))
                .flatten();
            if let Some((header, caption)) = table {
                let named = measures_in(&words_outside(text, header, &[]));
                if !named.is_empty() {
                    measures = named;
                    measure_named_at = None;
                }
                for place in std::iter::once(header).chain(caption) {
                    let said = period_in(&words_outside(text, place, &[]));
                    period.part = period.part.or(said.part);
                    period.relative = period.relative.or(said.relative);
                    period.year = period.year.or(said.year).or(plain_year(place.slice(text)));
                }
            }
            let role = role_of(text, clause, figure);
            if role == Role::From && period.relative.is_none() && period.year.is_none() {
                period.relative = Some(Relative::Earlier);
            }
            // "up 6.8% from a year earlier": a change is measured against the
            // earlier period but belongs to the current one.
            if role == Role::Change && period.relative == Some(Relative::Earlier) {
                period.relative = None;
            }
            Frame {
                clause_subjects,
                // A later clause's names are its own ("$140 million in the
                // quarter, mostly for the two Energy plant closures").
                sentence_subjects: (0..names.len())
                    .filter(|&n| !speakers[n] && names[n].start() < reach)
                    .collect(),
                measures,
                measure_named_at,
                period,
                role,
            }
        })
        .collect()
}

/// Whether a sentence may be a Markdown table row: it has a cell bar in it or
/// right before it. (A cheap test before [`table_heading`] reads lines.)
pub fn maybe_table_row(text: &str, sentence: Span) -> bool {
    sentence.slice(text).contains('|')
        || text[..sentence.start()]
            .trim_end_matches([' ', '\t'])
            .ends_with('|')
}

/// For an offset in a Markdown table row below the header, the table's
/// header line and the caption line above the table, if any.
pub fn table_heading(text: &str, at: usize) -> Option<(Span, Option<Span>)> {
    let line_of = |offset: usize| {
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        Span::new(start, end)
    };
    let is_row = |line: Span| line.slice(text).trim_start().starts_with('|');
    let row = line_of(at);
    if !is_row(row) {
        return None;
    }
    let mut header = row;
    while header.start() > 0 {
        let above = line_of(header.start() - 1);
        if !is_row(above) {
            break;
        }
        header = above;
    }
    if header == row {
        return None;
    }
    // The caption: the nearest line above the table with any words on it.
    let mut caption = None;
    let mut end = header.start();
    for _ in 0..3 {
        if end == 0 {
            break;
        }
        let line = line_of(end - 1);
        if !line.slice(text).trim().is_empty() {
            caption = Some(line);
            break;
        }
        end = line.start();
    }
    Some((header, caption))
}

/// For a figure in a Markdown table row, the header cell of its column and
/// the caption line above the table, if any.
fn table_context(text: &str, at: usize) -> Option<(Span, Option<Span>)> {
    let (header, caption) = table_heading(text, at)?;
    let row_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[row_start..at].matches('|').count();
    let cells: Vec<usize> = header
        .slice(text)
        .match_indices('|')
        .map(|(i, _)| header.start() + i)
        .collect();
    let (&open, &close) = (cells.get(column.checked_sub(1)?)?, cells.get(column)?);
    Some((Span::new(open + 1, close), caption))
}

/// A calendar year written as a plain word ("fourth quarter 2025").
fn plain_year(text: &str) -> Option<i32> {
    words::tokens(text)
        .filter_map(|t| t.span.slice(text).parse::<i32>().ok())
        .find(|year| (1900..=2100).contains(year))
}

/// Where the few words right after a figure end, within its clause.
fn near_end(text: &str, from: usize, clause_end: usize) -> usize {
    let after = text.get(from..clause_end).unwrap_or("");
    // A comma or dash after the figure opens another clause ("since 2016,
    // when Amazon chose…").
    let clause_break = after
        .find([',', ';', ':', '(', '—', '–'])
        .map_or(clause_end, |at| from + at);
    words::tokens(after)
        .nth(3)
        .map_or(clause_end, |t| from + t.span.start())
        .min(clause_break)
}

/// Whether a name modifies the noun after it through a hyphened lower-case
/// word: "Ferencváros-born forward", "Amazon-owned Whole Foods".
fn is_attributive(text: &str, name: Span) -> bool {
    let after = &text[name.end()..];
    after
        .strip_prefix('-')
        .is_some_and(|rest| rest.chars().next().is_some_and(char::is_lowercase))
}

/// Whether a name is who speaks rather than what a figure is about:
/// "Lindqvist said", "according to Reuters".
pub fn is_speaker(text: &str, sentence: Span, name: Span) -> bool {
    const SPEECH: &[&str] = &[
        "said",
        "says",
        "told",
        "added",
        "noted",
        "explained",
        "wrote",
        "reported",
        "estimated",
    ];
    let after = text.get(name.end()..sentence.end()).unwrap_or("");
    let mut next = words::tokens(after).map(|t| words::normalize(t.span.slice(after)).into_owned());
    if let Some(verb) = next.next().filter(|w| SPEECH.contains(&w.as_str())) {
        let following = next.next();
        // "Sinnet said it would pay…" speaks of itself; "Acme reported
        // revenue of…" reports its own figures.
        let own = following
            .as_deref()
            .is_some_and(|w| matches!(w, "it" | "its" | "it's" | "they" | "their"));
        let reports_own = matches!(verb.as_str(), "reported" | "estimated")
            && following.as_deref() != Some("that");
        return !own && !reports_own;
    }
    let before = text.get(sentence.start()..name.start()).unwrap_or("");
    let lowered = before.trim_end().to_lowercase();
    lowered.ends_with("according to") || lowered.ends_with("analysts at")
}

/// The clause of `figures[index]`: from the nearest clause break before it
/// that stands between two figures to the nearest such break after it.
/// Figures with no break between them ("rose 1.4 points to 36.4%") share a
/// clause.
pub fn clause_of(text: &str, sentence: Span, figures: &[Span], index: usize) -> Span {
    let start = (1..=index)
        .rev()
        .find_map(|j| split_between(text, figures[j - 1], figures[j]))
        .unwrap_or(sentence.start());
    let end = (index + 1..figures.len())
        .find_map(|j| split_between(text, figures[j - 1], figures[j]))
        .unwrap_or(sentence.end());
    Span::new(start, end.max(start))
}

/// Where the words between two figures divide: at the last clause break
/// between them, if any.
pub fn split_between(text: &str, first: Span, second: Span) -> Option<usize> {
    const BREAKS: &[&str] = &[
        ", ",
        "; ",
        " and ",
        " but ",
        " while ",
        " whereas ",
        " versus ",
        " vs ",
        " compared with ",
        " against ",
        "—",
        "–",
    ];
    let gap_start = first.end();
    let gap = text.get(gap_start..second.start().max(gap_start))?;
    BREAKS
        .iter()
        .filter_map(|b| gap.rfind(b).map(|i| gap_start + i + b.len()))
        .max()
}

/// Where the first clause break in `span` ends, if it has one.
fn first_break(text: &str, span: Span) -> Option<usize> {
    const BREAKS: &[&str] = &[", ", "; ", "—", "–"];
    let gap = text.get(span.start()..span.end())?;
    BREAKS
        .iter()
        .filter_map(|b| gap.find(b).map(|i| span.start() + i + b.len()))
        .min()
}

/// The words of `words` (in text order) that lie inside `span`.
fn within(words: &[(Span, String)], span: Span) -> &[(Span, String)] {
    let start = words.partition_point(|(w, _)| w.start() < span.start());
    let end = words.partition_point(|(w, _)| w.end() <= span.end());
    &words[start..end.max(start)]
}

/// Lowercase words of `span` outside the figures, with their spans.
fn words_outside(text: &str, span: Span, figures: &[Span]) -> Vec<(Span, String)> {
    let slice = span.slice(text);
    words::tokens(slice)
        .map(|t| Span::new(t.span.start() + span.start(), t.span.end() + span.start()))
        .filter(|s| {
            !figures.iter().any(|f| f.contains_span(*s)) && !in_citation(text, span.start(), *s)
        })
        .map(|s| (s, words::normalize(s.slice(text)).into_owned()))
        .collect()
}

/// Whether a word is part of a citation key ("[@halvard-q3-release]"): keys
/// name documents, not periods or measures.
fn in_citation(text: &str, from: usize, word: Span) -> bool {
    // Only the words since `from` are looked at: a key does not cross a
    // sentence, and the text before it may be long.
    let before = &text[from.min(word.start())..word.start()];
    let Some(open) = before.rfind('[') else {
        return false;
    };
    before[open..].starts_with("[@") && !before[open..].contains(']') || before.ends_with('@')
}

/// The measures a span names, each once.
fn measures_in(words: &[(Span, String)]) -> Vec<Measure> {
    measures_named(words).into_iter().map(|(m, _)| m).collect()
}

/// The measures `words` name, each with the span of the words naming it
/// (its modifiers and head).
fn measures_named(words: &[(Span, String)]) -> Vec<(Measure, Span)> {
    let lower: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
    let mut found: Vec<(Measure, Span)> = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let phrase = MEASURE_PHRASES
            .iter()
            .find(|(p, _)| lower[i..].starts_with(p));
        let (head, len) = match phrase {
            Some((p, head)) => (Some(*head), p.len()),
            None => (
                MEASURE_WORDS
                    .binary_search_by(|(w, _)| w.cmp(&lower[i]))
                    .ok()
                    .map(|at| MEASURE_WORDS[at].1),
                1,
            ),
        };
        // "for $410 million in cash", "paid in shares": how it is paid,
        // not what is measured.
        let means_of_payment = phrase.is_none()
            && i > 0
            && lower[i - 1] == "in"
            && matches!(lower[i], "cash" | "shares" | "stock");
        if let Some(head) = head.filter(|_| !means_of_payment) {
            let (modifiers, first) = modifiers_before(&lower, i);
            let measure = Measure { head, modifiers };
            if !found.iter().any(|(m, _)| *m == measure) {
                let span = Span::new(words[first].0.start(), words[i + len - 1].0.end());
                found.push((measure, span));
            }
        }
        i += len;
    }
    found
}

/// The modifiers among the three words before position `at` ("adjusted
/// EPS", "diluted GAAP EPS", "non-GAAP operating margin").
fn modifiers_before(words: &[&str], at: usize) -> (u16, usize) {
    let mut bits = 0;
    let mut first = at;
    for i in (at.saturating_sub(3)..at).rev() {
        let negated = words[i] == "gaap" && i > 0 && words[i - 1] == "non";
        let word = if negated { "non-gaap" } else { words[i] };
        // "Brenmoor reported adjusted EPS of…": a verb, not a basis.
        let verb = word == "reported"
            && i.checked_sub(1)
                .is_some_and(|j| !REPORTED_AS_BASIS_AFTER.contains(&words[j]));
        match MODIFIERS.iter().find(|(m, _)| *m == word).filter(|_| !verb) {
            // Two words on one dimension ("reported adjusted"): only the
            // nearer modifies the measure.
            Some((_, bit)) if bits & dimension_of(*bit) != 0 => break,
            Some((_, bit)) => {
                bits |= bit;
                first = if negated { i - 1 } else { i };
            }
            // Modifiers stand together right before the measure.
            None if word != "non" => break,
            None => {}
        }
    }
    (bits, first)
}

/// The measure of the nearest clause before `index` that names any, else
/// of the nearest after it, with the words naming it.
fn nearest_measure(
    words: &[(Span, String)],
    sentence: Span,
    clauses: &[Span],
    index: usize,
) -> Option<(Measure, Span)> {
    let before = Span::new(sentence.start(), clauses[index].start());
    if let Some(last) = measures_named(within(words, before)).pop() {
        return Some(last);
    }
    let after = Span::new(
        clauses[index].end(),
        sentence.end().max(clauses[index].end()),
    );
    measures_named(within(words, after)).into_iter().next()
}

/// The period of `figures[index]`: what its own clause says, with the year
/// and part of the year filled in from the clauses before it, then from the
/// whole sentence ("In 2024, sales were $5m, up 6%"). A relative period
/// ("a year earlier") belongs to its own clause and those after it.
fn period_of(
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
    if matches!(figures[index].kind, FigureKind::Year | FigureKind::Date) {
        // A year or a date is itself the when; other years near it are not
        // its period.
        return period;
    }
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

/// The period a span's words name.
fn period_in(words: &[(Span, String)]) -> Period {
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
        if relative.is_some() {
            period.relative = period.relative.or(relative);
        }
    }
    period
}

/// Whether the year at `year` labels a period ("Full year 2025", "Q4
/// 2025", "2026 outlook") rather than dating an event.
pub fn labels_a_period(text: &str, year: Span) -> bool {
    const BEFORE: &[&str] = &["year", "quarter", "half", "fiscal", "months", "season"];
    const AFTER: &[&str] = &[
        "outlook", "guidance", "results", "forecast", "season", "budget",
    ];
    let word = |s: &str| {
        s.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let previous = text[..year.start()]
        .split_whitespace()
        .next_back()
        .map(word)
        .unwrap_or_default();
    let next = text[year.end()..]
        .split_whitespace()
        .next()
        .map(word)
        .unwrap_or_default();
    BEFORE.contains(&previous.as_str())
        || is_period_label(&previous)
        || AFTER.contains(&next.as_str())
}

/// Whether a lowercase word is a period label: "q3", "h1", "fy2025".
pub fn is_period_label(word: &str) -> bool {
    quarter_label(word).is_some() || fiscal_year(word).is_some()
}

/// "q3", "3q", "q3-2024" style labels.
fn quarter_label(word: &str) -> Option<PeriodPart> {
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
fn trailing_year(word: &str) -> Option<i32> {
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
fn fiscal_year(word: &str) -> Option<i32> {
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

/// Whether the figure is a level, a change, or a change's starting point,
/// from the words right around it in its clause.
fn role_of(text: &str, clause: Span, figure: &Figure) -> Role {
    if matches!(
        figure.kind,
        FigureKind::Year | FigureKind::Date | FigureKind::Duration
    ) {
        return Role::Unmarked;
    }
    // Changes in points are changes whatever the words around them.
    if figure.kind == FigureKind::Percent && matches!(figure.unit.as_str(), "pp" | "bp") {
        return Role::Change;
    }
    // A table cell is a clause of its own.
    let cell_start = text[clause.start()..figure.span.start().max(clause.start())]
        .rfind('|')
        .map_or(clause.start(), |i| clause.start() + i + 1);
    let before_span = Span::new(cell_start, figure.span.start().max(cell_start));
    let before: Vec<String> = words::tokens(before_span.slice(text))
        .map(|t| words::normalize(t.span.slice(before_span.slice(text))).into_owned())
        .collect();
    let after_start = figure.span.end().min(clause.end());
    let after_end = text[after_start..clause.end().max(after_start)]
        .find('|')
        .map_or(clause.end(), |i| after_start + i);
    let after_span = Span::new(after_start, after_end.max(after_start));
    let after: Vec<String> = words::tokens(after_span.slice(text))
        .take(3)
        .map(|t| words::normalize(t.span.slice(after_span.slice(text))).into_owned())
        .collect();
    // Qualifiers and adverbs sit between the verb and the figure: "rose
    // about 6%", "guidance is now 5%".
    let cues: Vec<&str> = before
        .iter()
        .rev()
        .map(String::as_str)
        .filter(|w| !is_hedge(w))
        .take(4)
        .collect();
    let last = cues.first().copied().unwrap_or("");
    // "growth was 5%", "an increase of 3%", "grew 5%": a change is named
    // within the last few words.
    let change_named = cues
        .iter()
        .any(|w| CHANGE_AFTER.contains(w) || is_change_word(w));
    match last {
        "from" => return Role::From,
        "to" | "reach" | "reached" | "reaching" | "totalled" | "totaled" | "hit" => {
            return Role::Level
        }
        _ => {}
    }
    if change_named {
        return Role::Change;
    }
    let next = after.first().map(String::as_str).unwrap_or("");
    let next2 = after.get(1).map(String::as_str).unwrap_or("");
    if CHANGE_AFTER.contains(&next)
        || (matches!(next, "year-on-year" | "yoy") || (next == "year" && next2 == "on"))
    {
        return Role::Change;
    }
    if matches!(
        last,
        "was" | "were" | "is" | "are" | "of" | "at" | "stood" | "totals" | "holds" | "held"
    ) {
        return Role::Level;
    }
    Role::Unmarked
}

fn is_change_word(word: &str) -> bool {
    CHANGE_BEFORE.contains(&word)
}

fn is_hedge(word: &str) -> bool {
    matches!(
        word,
        "about"
            | "around"
            | "roughly"
            | "some"
            | "nearly"
            | "almost"
            | "approximately"
            | "over"
            | "more"
            | "than"
            | "just"
            | "an"
            | "a"
            | "estimated"
            | "now"
            | "currently"
            | "still"
            | "only"
            | "already"
            | "by"
            | "at"
            | "least"
            | "most"
            | "mean"
            | "average"
            | "median"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract;

    /// The frames of the figures of a one-sentence text.
    fn frames_of(text: &str) -> Vec<(String, Frame)> {
        let analysis = extract::analyze(text, false, false);
        let sentence = analysis.sentences[0];
        let figures: Vec<&Figure> = analysis.figures.iter().map(|(f, _)| f).collect();
        let names: Vec<Span> = analysis.names.iter().map(|(n, _)| n.span).collect();
        let keys: Vec<String> = analysis.names.iter().map(|(n, _)| n.key.clone()).collect();
        KEYS.with(|k| *k.borrow_mut() = keys);
        frames(text, sentence, &figures, &names)
            .into_iter()
            .zip(&figures)
            .map(|(frame, f)| (f.span.slice(text).to_string(), frame))
            .collect()
    }

    thread_local! {
        static KEYS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn clause_subject(frame: &Frame) -> String {
        KEYS.with(|k| k.borrow()[frame.clause_subjects[0]].clone())
    }

    fn heads(frame: &Frame) -> Vec<&str> {
        frame.measures.iter().map(|m| m.head).collect()
    }

    #[test]
    fn change_and_level_in_one_clause() {
        let f = frames_of("Revenue rose 6.4% to $42bn in the quarter.");
        assert_eq!(f[0].1.role, Role::Change);
        assert_eq!(f[1].1.role, Role::Level);
        assert_eq!(heads(&f[0].1), ["revenue"]);
        assert_eq!(heads(&f[1].1), ["revenue"]);
    }

    #[test]
    fn from_is_an_earlier_level() {
        let f = frames_of("Adjusted EPS was $1.21, up from 98 cents.");
        assert_eq!(f[0].1.role, Role::Level);
        assert_eq!(f[1].1.role, Role::From);
        assert_eq!(f[1].1.period.relative, Some(Relative::Earlier));
        assert_eq!(heads(&f[1].1), ["eps"]);
        assert_eq!(f[0].1.measures[0].modifier_names(), ["adjusted"]);
    }

    #[test]
    fn each_clause_has_its_own_measure_and_subject() {
        let f = frames_of("Acme's revenue rose 5% while Zenith's profit fell 3%.");
        assert_eq!(heads(&f[0].1), ["revenue"]);
        assert_eq!(heads(&f[1].1), ["profit"]);
        assert_eq!(clause_subject(&f[0].1), "acme");
        assert_eq!(clause_subject(&f[1].1), "zenith");
        let f = frames_of("Lindqvist said Halvard's sales rose 5%.");
        assert_eq!(f[0].1.clause_subjects.len(), 1);
        assert_eq!(clause_subject(&f[0].1), "halvard");
    }

    #[test]
    fn periods_per_clause() {
        let f = frames_of(
            "The bank expects growth of 1.9% this year and 2.6% in each of the next two.",
        );
        assert_eq!(f[0].1.period.relative, Some(Relative::Current));
        assert_eq!(f[1].1.period.relative, Some(Relative::Later));
        assert!(!f[0].1.period.compatible(&f[1].1.period));
        assert_eq!(f[0].1.role, Role::Change);
    }

    #[test]
    fn quarter_labels_and_a_year_earlier() {
        let f = frames_of("Q2 2020 sales were $4.1 billion, against $3.9 billion a year earlier.");
        // The year is a figure too: figures are 2020, $4.1 billion, $3.9 billion.
        assert_eq!(f[1].1.period.part, Some(PeriodPart::Q2));
        assert_eq!(f[1].1.period.year, Some(2020));
        assert_eq!(f[1].1.period.relative, None);
        assert_eq!(f[2].1.period.relative, Some(Relative::Earlier));
        let f = frames_of("Orders fell 8% in the fourth quarter and 5% for the year.");
        assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
        assert_eq!(f[1].1.period.part, Some(PeriodPart::FullYear));
        let f = frames_of("Fourth-quarter profit was $2 million.");
        assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
        let f = frames_of("In the fourth quarter profit was $2 million.");
        assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
        let f = frames_of("GDP grew by 0.4% in Quarter 2 (Apr to June) 2026.");
        let growth = f.iter().find(|(w, _)| w == "0.4%").expect("0.4% read");
        assert_eq!(growth.1.period.part, Some(PeriodPart::Q2));
        assert_eq!(growth.1.period.year, Some(2026));
    }

    #[test]
    fn a_unit_in_capitals_is_not_a_subject_and_a_later_year_dates_its_own_clause() {
        let f = frames_of("It will reach 1.2 GW and the first 480MW by 2028.");
        assert!(f.len() >= 2);
        assert!(f.iter().all(|(_, frame)| frame.clause_subjects.is_empty()));
        let f = frames_of("Adjusted EPS was $7.92, up 11% from $7.15 in 2024.");
        let level = f.iter().find(|(w, _)| w == "$7.92").expect("$7.92 read");
        assert_eq!(level.1.period.year, None);
        let earlier = f.iter().find(|(w, _)| w == "$7.15").expect("$7.15 read");
        assert_eq!(earlier.1.period.year, Some(2024));
    }

    #[test]
    fn how_a_price_is_paid_is_not_its_measure() {
        let f = frames_of("Harbor Lane will buy Millbrook for $410 million in cash.");
        assert!(heads(&f[0].1).is_empty(), "{:?}", heads(&f[0].1));
    }

    #[test]
    fn modifiers_keep_measures_apart() {
        let f = frames_of("Organic sales grew 5.1% and net sales rose 6.8%.");
        let (organic, net) = (f[0].1.measures[0], f[1].1.measures[0]);
        assert_eq!(organic.modifier_names(), ["organic"]);
        assert!(!organic.compatible(net));
        let plain = frames_of("Sales grew 5.1%.")[0].1.measures[0];
        assert!(organic.compatible(plain));
        let diluted_gaap = frames_of("Diluted GAAP EPS was $0.84.")[0].1.measures[0];
        let diluted = frames_of("Diluted EPS was $0.48.")[0].1.measures[0];
        let adjusted = frames_of("Non-GAAP EPS was $1.21.")[0].1.measures[0];
        assert!(diluted_gaap.compatible(diluted));
        assert!(!diluted_gaap.compatible(adjusted));
        let f = frames_of("Gross margin rose to 34.6%.");
        assert_eq!(f[0].1.measures[0].modifier_names(), ["gross"]);
    }

    #[test]
    fn reported_is_a_basis_only_where_it_cannot_be_a_verb() {
        let names = |text: &str| frames_of(text)[0].1.measures[0].modifier_names();
        assert_eq!(
            names("Brenmoor reported adjusted earnings per share of $1.42."),
            ["adjusted"]
        );
        assert!(names("Brenmoor reported EPS of $1.42.").is_empty());
        assert_eq!(
            names("On a reported basis, EPS was $1.31."),
            Vec::<&str>::new()
        );
        assert_eq!(names("The reported EPS was $1.31."), ["gaap"]);
    }

    #[test]
    fn a_table_cell_is_measured_by_its_header_and_dated_by_the_caption() {
        let text = "**Segment results, fourth quarter 2025**\n\n\
                    | Segment | Revenue | Change | Segment margin |\n\
                    |---|---|---|---|\n\
                    | Energy | $1.09 billion | down 3% | 14.1% |\n";
        let analysis = extract::analyze(text, true, false);
        let row = analysis.sentences.len() - 1;
        let figures: Vec<&Figure> = analysis
            .figures
            .iter()
            .filter(|(_, s)| *s as usize == row)
            .map(|(f, _)| f)
            .collect();
        let frames = frames(text, analysis.sentences[row], &figures, &[]);
        let heads: Vec<Vec<&str>> = frames
            .iter()
            .map(|f| f.measures.iter().map(|m| m.head).collect())
            .collect();
        assert_eq!(heads, [vec!["revenue"], vec![], vec!["margin"]]);
        assert_eq!(frames[2].period.part, Some(PeriodPart::Q4));
        assert_eq!(frames[2].period.year, Some(2025));
        assert_eq!(frames[1].role, Role::Change);
    }

    #[test]
    fn an_improvement_by_a_mean_is_a_change() {
        let f = frames_of("The score improved by a mean of 8.6 points with the drug.");
        assert_eq!(f[0].1.role, Role::Change);
    }

    #[test]
    fn capitalised_vocabulary_is_not_a_subject() {
        assert!(is_vocabulary("GAAP EPS"));
        assert!(is_vocabulary("Q3"));
        assert!(!is_vocabulary("Halvard Foods"));
    }

    #[test]
    fn measure_words_are_sorted_for_lookup() {
        assert!(MEASURE_WORDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn change_nouns_after_the_figure() {
        let f = frames_of("Halvard reported a 6% rise in sales.");
        assert_eq!(f[0].1.role, Role::Change);
        let f = frames_of("Halvard holds a 6% stake in Nordvik.");
        assert_eq!(f[0].1.role, Role::Level);
        assert_eq!(heads(&f[0].1), ["stake"]);
    }
}
