//! What the engine sees in a text: sentences, figures, entities, quotations and
//! citations, each found by a pure function over `&str` that returns byte spans.
//!
//! Extraction never fails: odd input yields fewer findings, never an error.
//! The same extractors read source documents and notes, so a fact is recognised
//! the same way on both sides of a comparison.

pub mod citations;
pub mod claims;
pub mod context;
pub mod entities;
pub mod figures;
pub mod markdown;
pub mod quotes;
pub mod sentences;
pub mod words;

use serde::{Deserialize, Serialize};

use crate::text::Span;

/// The kind of quantity a figure states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    /// An amount of money; `unit` is an ISO 4217 code and `value` is in that
    /// currency's major unit ("52 cents" is 0.52 USD).
    Money,
    /// A percentage (`unit` "%"), a change in percentage points ("pp") or in
    /// basis points ("bp").
    Percent,
    /// A number of things; `unit` is the thing counted, singular and lowercase
    /// ("worker"), or "" when the text does not say.
    Count,
    /// A physical or other measured amount with a unit word: "tonne",
    /// "barrel" ("barrels a day" has `per` "day"), "times" (a multiple), "point".
    Quantity,
    /// A calendar year standing alone ("since 2016").
    Year,
    /// A calendar date; see [`Figure::date`].
    Date,
    /// A span of time; `unit` is the singular unit word ("year", "second").
    Duration,
}

impl FigureKind {
    /// Every kind, in the order reports list them: `corpus::index::kind_slot`
    /// order, which a test holds it to.
    pub const ALL: [FigureKind; 7] = [
        FigureKind::Money,
        FigureKind::Percent,
        FigureKind::Count,
        FigureKind::Quantity,
        FigureKind::Year,
        FigureKind::Date,
        FigureKind::Duration,
    ];

    /// The kind's name in the plural, as reports say it ("percentages").
    pub fn plural(self) -> &'static str {
        match self {
            FigureKind::Money => "money",
            FigureKind::Percent => "percentages",
            FigureKind::Count => "counts",
            FigureKind::Quantity => "quantities",
            FigureKind::Year => "years",
            FigureKind::Date => "dates",
            FigureKind::Duration => "durations",
        }
    }
}

/// How the text qualifies a figure's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// Stated as is.
    Exact,
    /// about, around, roughly, approximately, some, an estimated.
    About,
    /// up to, at most, no more than.
    AtMost,
    /// less than, under, below, fewer than.
    Below,
    /// nearly, almost, just under, close to.
    Nearly,
    /// at least, no less than.
    AtLeast,
    /// more than, over, above, exceeding.
    Above,
    /// just over, slightly more than.
    JustOver,
    /// A range written out: "3% to 3.5%", "$40-$50", "between 4 and 5".
    Range,
}

/// A calendar date as written: any part may be missing ("Nov. 10" has no year).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateParts {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// A number with its meaning, as found in a text.
///
/// `value` is the number as stated, scaled ("$1.2bn" is 1.2e9); `low` and
/// `high` are the bounds the qualifier and any range give (`None` where a side
/// is open: "more than 15,000" has only `low`). `step` is the place value of
/// the last digit written ("4.62" has 0.01, "300 million" has 1e8, "2.5 billion"
/// 1e8): the precision the writer claimed, which agreement honours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub span: Span,
    pub kind: FigureKind,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub step: f64,
    pub unit: String,
    pub qualifier: Qualifier,
    /// For [`FigureKind::Date`] (and a year in a date), the parts written.
    pub date: Option<DateParts>,
    /// What the figure is per, if the text says: "52 cents a share" is per "share".
    pub per: Option<String>,
    /// The same amount written again in another unit right after it:
    /// "2 billion yuan ($300 million)", "£75m ($141m)". The span of the outer
    /// figure covers both; this one covers the part in brackets.
    pub equivalent: Option<Box<Figure>>,
}

impl Figure {
    /// Moves the figure (and its equivalent) by `delta` bytes.
    pub fn shift(&mut self, delta: i64) {
        self.span = self.span.shifted(delta);
        if let Some(equivalent) = self.equivalent.as_mut() {
            equivalent.shift(delta);
        }
    }
}

/// A quotation: text between matching quote marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// From the opening mark to the closing mark, both included.
    pub span: Span,
    /// The words inside the marks.
    pub inner: Span,
    /// Number of words inside.
    pub word_count: usize,
}

impl Quote {
    /// The quotation moved by `delta` bytes.
    pub fn shifted(self, delta: i64) -> Quote {
        Quote {
            span: self.span.shifted(delta),
            inner: self.inner.shifted(delta),
            word_count: self.word_count,
        }
    }
}

/// A Pandoc-style citation: `[@key]`, `[@key, p. 3]`, `[@a; @b]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The whole bracketed citation.
    pub span: Span,
    pub keys: Vec<CiteKey>,
}

/// One key inside a citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiteKey {
    pub key: String,
    /// The key itself, without the `@`.
    pub span: Span,
    /// What follows the key: "p. 3".
    pub locator: Option<String>,
}

/// Everything the extractors find in one text, with spans into that text.
/// Persisted in the corpus index (`corpus::store`) for source documents.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TextAnalysis {
    /// Markdown structure when the text is Markdown (front matter, ignores).
    /// Sources drop it once analysed, so the index never holds it.
    #[serde(skip)]
    pub prose: Option<markdown::Prose>,
    /// Sentences in text order.
    pub sentences: Vec<Span>,
    /// Figures in text order, each with the index of its sentence.
    pub figures: Vec<(Figure, u32)>,
    /// Quotations in text order, each with the index of the sentence it starts in.
    pub quotes: Vec<(Quote, u32)>,
    /// Names in text order, each with the index of its sentence.
    pub names: Vec<(entities::NameMention, u32)>,
    /// Alias definitions, as index pairs into `names`.
    pub alias_definitions: Vec<(usize, usize)>,
    /// Citations in text order, each with the index of its sentence.
    pub citations: Vec<(Citation, u32)>,
}

impl TextAnalysis {
    /// The index of the sentence that holds `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end() < offset);
        self.sentences
            .get(i)
            .filter(|s| s.start() <= offset)
            .map(|_| i)
    }
}

/// The items of one sentence from a list in sentence order (figures,
/// quotes, names and citations are kept so, each with its sentence).
pub fn of_sentence<T>(items: &[(T, u32)], sentence: u32) -> &[(T, u32)] {
    let start = items.partition_point(|(_, s)| *s < sentence);
    let end = items.partition_point(|(_, s)| *s <= sentence);
    &items[start..end]
}

/// Runs every extractor over `text`: Markdown prose when `markdown` is set,
/// plain-text paragraphs otherwise. Citations are looked for only when
/// `citations` is set (notes cite; sources are cited).
pub fn analyze(text: &str, markdown: bool, citations: bool) -> TextAnalysis {
    let (prose, blocks) = structure(text, markdown);
    let mut analysis = TextAnalysis {
        prose,
        ..TextAnalysis::default()
    };
    let hidden = hidden_of(&analysis);
    for block in blocks {
        analyze_block(text, block, &hidden, citations, &mut analysis);
    }
    analysis
}

/// What the blocks of a note yielded on the last runs, by their text, so that
/// an edit re-reads only the block it touched. A block's yield depends only on
/// its own text, the parts of it that are hidden (comments, code spans) and
/// whether citations are looked for: that is the key. A cache belongs to one
/// text being edited; entries unused for a few runs are dropped, and the ones
/// an undo brings back are still there.
#[derive(Debug, Default)]
pub struct BlockCache {
    blocks: std::collections::HashMap<BlockKey, CachedBlock>,
    run: u32,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct BlockKey {
    text: Box<str>,
    /// Hidden parts as offsets from the block's start, clipped to it.
    hidden: Vec<(u32, u32)>,
    citations: bool,
}

#[derive(Debug)]
struct CachedBlock {
    /// Where the block started when it was read; its spans are moved by how
    /// far it has moved since.
    origin: usize,
    /// What the block yields on its own: sentence and name indexes from 0.
    part: TextAnalysis,
    last_run: u32,
}

/// Runs since its last use after which a block leaves the cache.
const BLOCK_RUNS_KEPT: u32 = 4;

/// [`analyze`] of a Markdown text, reusing what `cache` holds for blocks
/// whose text and hidden parts have not changed. Gives exactly what
/// [`analyze`] gives.
pub fn analyze_cached(text: &str, citations: bool, cache: &mut BlockCache) -> TextAnalysis {
    let (prose, blocks) = structure(text, true);
    let mut analysis = TextAnalysis {
        prose,
        ..TextAnalysis::default()
    };
    let hidden = hidden_of(&analysis);
    cache.run = cache.run.wrapping_add(1);
    let run = cache.run;
    for block in blocks {
        let first = hidden.partition_point(|h| h.end() <= block.start());
        let key = BlockKey {
            text: block.slice(text).into(),
            hidden: hidden[first..]
                .iter()
                .take_while(|h| h.start() < block.end())
                .map(|h| {
                    let start = h.start().max(block.start()) - block.start();
                    let end = h.end().min(block.end()) - block.start();
                    (start as u32, end.max(start) as u32)
                })
                .collect(),
            citations,
        };
        let entry = cache.blocks.entry(key).or_insert_with(|| {
            let mut part = TextAnalysis::default();
            analyze_block(text, block, &hidden, citations, &mut part);
            CachedBlock {
                origin: block.start(),
                part,
                last_run: run,
            }
        });
        entry.last_run = run;
        append_moved(
            &mut analysis,
            &entry.part,
            block.start() as i64 - entry.origin as i64,
        );
    }
    cache
        .blocks
        .retain(|_, entry| run.wrapping_sub(entry.last_run) < BLOCK_RUNS_KEPT);
    analysis
}

/// The text's Markdown structure (when it is Markdown) and its blocks.
fn structure(text: &str, markdown: bool) -> (Option<markdown::Prose>, Vec<Span>) {
    if markdown {
        let prose = markdown::parse(text);
        let blocks = prose.blocks.iter().map(|b| b.span).collect();
        (Some(prose), blocks)
    } else {
        (None, sentences::plain_blocks(text))
    }
}

fn hidden_of(analysis: &TextAnalysis) -> Vec<Span> {
    analysis
        .prose
        .as_ref()
        .map(|p| p.hidden.clone())
        .unwrap_or_default()
}

/// Appends a block's own yield, moved by `delta` bytes, to `analysis`.
fn append_moved(analysis: &mut TextAnalysis, part: &TextAnalysis, delta: i64) {
    let sentences = analysis.sentences.len() as u32;
    let names = analysis.names.len();
    analysis
        .sentences
        .extend(part.sentences.iter().map(|s| s.shifted(delta)));
    analysis.figures.extend(part.figures.iter().map(|(f, s)| {
        let mut figure = f.clone();
        figure.shift(delta);
        (figure, s + sentences)
    }));
    analysis.quotes.extend(
        part.quotes
            .iter()
            .map(|(q, s)| (q.clone().shifted(delta), s + sentences)),
    );
    analysis.names.extend(part.names.iter().map(|(n, s)| {
        let mut name = n.clone();
        name.span = name.span.shifted(delta);
        (name, s + sentences)
    }));
    analysis.alias_definitions.extend(
        part.alias_definitions
            .iter()
            .map(|(full, short)| (full + names, short + names)),
    );
    analysis
        .citations
        .extend(part.citations.iter().map(|(c, s)| {
            let mut citation = c.clone();
            citation.span = citation.span.shifted(delta);
            for key in &mut citation.keys {
                key.span = key.span.shifted(delta);
            }
            (citation, s + sentences)
        }));
}

/// Reads one block: its sentences, and the quotations, figures, names and
/// (when `citations`) citations in them outside the `hidden` parts, appended
/// to `analysis` with sentence indexes following the ones it holds.
fn analyze_block(
    text: &str,
    block: Span,
    hidden: &[Span],
    citations: bool,
    analysis: &mut TextAnalysis,
) {
    let is_hidden = |span: Span| {
        let i = hidden.partition_point(|h| h.end <= span.start);
        hidden.get(i).is_some_and(|h| h.overlaps(span))
    };
    let first_sentence = analysis.sentences.len();
    analysis.sentences.extend(sentences::split(text, block));
    let block_sentences = first_sentence..analysis.sentences.len();
    let block_text = block.slice(text);
    let sentence_of = |offset: usize, sentences: &[Span]| -> u32 {
        let inside = &sentences[block_sentences.clone()];
        let i = inside
            .partition_point(|s| s.end() <= offset)
            .min(inside.len().saturating_sub(1));
        (first_sentence + i) as u32
    };
    for quote in quotes::find(block_text) {
        let quote = quote.shifted(block.start() as i64);
        if !is_hidden(quote.span) && !analysis.sentences[block_sentences.clone()].is_empty() {
            let at = sentence_of(quote.span.start(), &analysis.sentences);
            analysis.quotes.push((quote, at));
        }
    }
    for index in block_sentences.clone() {
        let sentence = analysis.sentences[index];
        let sentence_text = sentence.slice(text);
        for mut figure in figures::find(sentence_text) {
            figure.shift(sentence.start() as i64);
            if !is_hidden(figure.span) {
                analysis.figures.push((figure, index as u32));
            }
        }
        let names = entities::find(sentence_text);
        let mut kept = vec![None; names.mentions.len()];
        for (i, mut mention) in names.mentions.into_iter().enumerate() {
            mention.span = mention.span.shifted(sentence.start() as i64);
            if !is_hidden(mention.span) {
                kept[i] = Some(analysis.names.len());
                analysis.names.push((mention, index as u32));
            }
        }
        for def in names.definitions {
            if let (Some(full), Some(short)) = (kept[def.full], kept[def.short]) {
                analysis.alias_definitions.push((full, short));
            }
        }
        if citations {
            for mut citation in self::citations::find(sentence_text) {
                citation.span = citation.span.shifted(sentence.start() as i64);
                for key in &mut citation.keys {
                    key.span = key.span.shifted(sentence.start() as i64);
                }
                if !is_hidden(citation.span) {
                    analysis.citations.push((citation, index as u32));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FigureKind;
    use crate::corpus::index::kind_slot;

    /// `kind_slot` and `plural` match every kind exhaustively, so a new kind
    /// does not compile until it has a slot; this checks that `ALL` holds each
    /// kind it lists at its slot and no gap. (A kind left out of `ALL`
    /// altogether is not seen here: nothing in std enumerates an enum.)
    #[test]
    fn all_lists_every_kind_once_in_order() {
        for (index, kind) in FigureKind::ALL.into_iter().enumerate() {
            assert_eq!(kind_slot(kind), index, "{kind:?} is out of place in ALL");
        }
        let last = FigureKind::ALL.into_iter().map(kind_slot).max();
        assert_eq!(last, Some(FigureKind::ALL.len() - 1));
    }
}
