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

use serde::{Deserialize, Deserializer, Serialize};

use crate::extract::words;
use crate::extract::{Figure, FigureKind};
use crate::text::Span;

mod lexicon;
mod periods;

use lexicon::*;
use periods::{fiscal_year, period_in, period_of, quarter_label};
pub use periods::{is_period_label, labels_a_period};

/// What is measured, as a canonical head ("revenue") and the modifiers
/// that distinguish kinds of it ("organic", "gross", "adjusted", "diluted").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Measure {
    pub head: &'static str,
    /// One bit per modifier (see [`MODIFIERS`]).
    pub modifiers: u16,
}

/// Read back by name (the persisted index): the head is one of the
/// lexicon's, which are `&'static str` so that comparing measures is cheap;
/// a head the lexicon does not know is an error, not a new measure.
impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Measure, D::Error> {
        #[derive(Deserialize)]
        struct Written<'a> {
            #[serde(borrow)]
            head: std::borrow::Cow<'a, str>,
            modifiers: u16,
        }
        let written = Written::deserialize(deserializer)?;
        let head = known_head(&written.head).ok_or_else(|| {
            serde::de::Error::custom(format!("unknown measure {:?}", written.head))
        })?;
        Ok(Measure {
            head,
            modifiers: written.modifiers,
        })
    }
}

/// The lexicon's own copy of a measure head.
fn known_head(head: &str) -> Option<&'static str> {
    MEASURE_WORDS
        .iter()
        .map(|(_, h)| *h)
        .chain(MEASURE_PHRASES.iter().map(|(_, h)| *h))
        .find(|h| *h == head)
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: Option<i32>,
    pub part: Option<PeriodPart>,
    pub relative: Option<Relative>,
    /// How long after a start the figure was measured, in days: "at 52
    /// weeks", "over 40 weeks", "after 12 months".
    pub horizon_days: Option<u32>,
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
        // A result at 40 weeks is not the result at 52.
        if let (Some(a), Some(b)) = (self.horizon_days, other.horizon_days) {
            if a.abs_diff(b) * 10 > a.max(b) {
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Which way a change goes: "rose 5%" and "fell 5%" are two facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Up,
    Down,
}

impl Role {
    /// Roles that may name one fact: the same, or one side unmarked.
    pub fn compatible(self, other: Role) -> bool {
        self == other || self == Role::Unmarked || other == Role::Unmarked
    }
}

/// A figure's frame: what it is about, read from its words.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// The measure is another clause's, and the figure's own words may name
    /// a kind of it the sentence leaves unsaid ("…, food 2.7%").
    pub measure_assumed: bool,
    pub period: Period,
    pub role: Role,
    /// Which way a change goes, where its words say.
    pub direction: Option<Direction>,
}

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
            let mut measure_assumed = false;
            if measures.is_empty() {
                // "…were $4.62 billion, up 6.8%": the change is of the measure
                // the sentence named before it.
                if let Some((measure, at)) = nearest_measure(&words, sentence, &clauses, i) {
                    measures.push(measure);
                    measure_named_at = Some(at);
                    // "Services inflation was 4.9%, food 2.7%": a word of its
                    // own before the figure makes it a kind of that measure
                    // the sentence does not name.
                    measure_assumed =
                        within(&words, Span::new(clause.start(), figure.span.start()))
                            .last()
                            .is_some_and(|(_, w)| {
                                !words::is_stopword(w)
                                    && !is_change_word(w)
                                    && w.chars().all(char::is_alphabetic)
                            });
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
            let (role, direction) = role_of(text, clause, figure);
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
                measure_assumed,
                period,
                role,
                direction,
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

/// Where the clause of `first` gives way to the clause of `second` in a
/// source sentence: at the strongest break between them, the first of its
/// strength ("…up 14% year over year; subscription revenue was $1.62
/// billion, up 17%": the semicolon, not the comma before "up").
pub fn strongest_split_between(text: &str, first: Span, second: Span) -> Option<usize> {
    const TIERS: &[&[&str]] = &[
        &["; ", "—", "–"],
        &[
            " while ",
            " whereas ",
            " but ",
            " versus ",
            " vs ",
            " compared with ",
            " against ",
        ],
        &[", and ", " and "],
        &[", "],
    ];
    let gap_start = first.end();
    let gap = text.get(gap_start..second.start().max(gap_start))?;
    TIERS.iter().find_map(|tier| {
        tier.iter()
            .filter_map(|b| gap.find(b).map(|i| gap_start + i + b.len()))
            .min()
    })
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

/// Whether the figure is a level, a change, or a change's starting point,
/// from the words right around it in its clause; and for a change, which way
/// it goes, where the nearest change word says.
fn role_of(text: &str, clause: Span, figure: &Figure) -> (Role, Option<Direction>) {
    if matches!(
        figure.kind,
        FigureKind::Year | FigureKind::Date | FigureKind::Duration
    ) {
        return (Role::Unmarked, None);
    }
    // Changes in points are changes whatever the words around them.
    let in_points =
        figure.kind == FigureKind::Percent && matches!(figure.unit.as_str(), "pp" | "bp");
    // A table cell is a clause of its own.
    let cell_start = text[clause.start()..figure.span.start().max(clause.start())]
        .rfind('|')
        .map_or(clause.start(), |i| clause.start() + i + 1);
    let before_span = Span::new(cell_start, figure.span.start().max(cell_start));
    // A parenthetical aside ("earnings (excluding bonuses) was 4.6%") is not
    // what the figure's verb or noun is.
    let before_text = without_asides(before_span.slice(text));
    let before: Vec<String> = words::tokens(&before_text)
        .map(|t| words::normalize(t.span.slice(&before_text)).into_owned())
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
    let next = after.first().map(String::as_str).unwrap_or("");
    let next2 = after.get(1).map(String::as_str).unwrap_or("");
    // The word that names the change: right after the figure ("a 2% gain"),
    // else the nearest before it.
    let change_word = CHANGE_AFTER.contains(&next).then_some(next).or_else(|| {
        cues.iter()
            .copied()
            .find(|w| CHANGE_AFTER.contains(w) || is_change_word(w))
    });
    let direction = change_word.and_then(direction_of);
    if in_points {
        return (Role::Change, direction);
    }
    match last {
        "from" => return (Role::From, None),
        "to" | "reach" | "reached" | "reaching" | "totalled" | "totaled" | "hit" => {
            return (Role::Level, None)
        }
        _ => {}
    }
    // "growth was 5%", "an increase of 3%", "grew 5%", "a 5% rise".
    if change_word.is_some() {
        return (Role::Change, direction);
    }
    if matches!(next, "year-on-year" | "yoy") || (next == "year" && next2 == "on") {
        return (Role::Change, None);
    }
    let copula = matches!(last, "was" | "were" | "is" | "are");
    // "Growth in total earnings was 4.1%": the subject of "was" is a change,
    // however many words name what changed.
    if copula {
        let change_noun = before
            .iter()
            .rev()
            .skip(1)
            .take(CHANGE_SUBJECT_WORDS)
            .map(String::as_str)
            .take_while(|w| !matches!(*w, "was" | "were" | "is" | "are"))
            .find(|w| CHANGE_NOUNS.contains(w));
        if let Some(noun) = change_noun {
            return (Role::Change, direction_of(noun));
        }
    }
    if copula || matches!(last, "of" | "at" | "stood" | "totals" | "holds" | "held") {
        return (Role::Level, None);
    }
    (Role::Unmarked, None)
}

/// How far before "was" the head of a change's subject may stand ("annual
/// growth in employees' regular earnings was").
const CHANGE_SUBJECT_WORDS: usize = 6;

/// The text with its parenthesised asides blanked out (positions kept).
fn without_asides(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('(') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut depth = 0usize;
    let blanked: String = text
        .chars()
        .map(|c| match c {
            '(' => {
                depth += 1;
                ' '
            }
            ')' if depth > 0 => {
                depth -= 1;
                ' '
            }
            _ if depth > 0 => ' ',
            c => c,
        })
        .collect();
    std::borrow::Cow::Owned(blanked)
}

/// Which way a change word goes; `None` for words that say a change but not
/// its sign ("changed", "improved": a loss improves by falling).
fn direction_of(word: &str) -> Option<Direction> {
    if CHANGE_UP.contains(&word) {
        Some(Direction::Up)
    } else if CHANGE_DOWN.contains(&word) {
        Some(Direction::Down)
    } else {
        None
    }
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
mod tests;
