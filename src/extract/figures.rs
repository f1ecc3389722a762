//! Figures: money, percentages, counts, quantities, years, dates and
//! durations in English prose, each with its qualifier, its range and any
//! equivalent in another currency written beside it.
//!
//! [`find`] makes one left-to-right pass over the bytes. Only three things
//! can start a figure: an ASCII digit, a currency sign or code, and a handful
//! of words (number words, "a"/"an" before "dozen" or a scale, fractions,
//! month names). Everything else is skipped a word at a time, so ordinary
//! prose costs little more than a byte scan. No regexes, no per-word
//! allocation; a figure allocates only its unit string.
//!
//! The pass and its anchors (what starts a figure) are here; the scanner's
//! other parts are submodules, each adding methods to the same `Scan`:
//! `numbers`, `tail` (what follows a number), `money`, `lead` (the
//! words before a figure), `ranges` (ranges, equivalents and the finished
//! figure) and `dates`. `lexicon` holds the word tables.
//!
//! # What the fields mean
//!
//! The checker compares figures from notes with figures from sources, so
//! these rules are the contract:
//!
//! - **span** starts at the currency sign or code, the number or the number
//!   word ("US$300m", "$1.13bn", "a dozen", "two-thirds"), and at a minus sign
//!   when there is one ("-3%"). It ends after the last word of the figure:
//!   scale, currency word, percent word, unit, counted noun, a per-phrase
//!   ("52 cents a share"), the high end of a range, and for an equivalence the
//!   closing bracket. Qualifier words ("about", "up to") are never inside.
//! - **value** is the number stated, scaled, in the currency's major unit
//!   ("52 cents" is 0.52) and negative after a minus sign. A range's value is
//!   its low end. A date's value is `year*10000 + month*100 + day` with
//!   missing parts 0; a year's value is the year.
//! - **low / high**: Exact and About give `Some(value)` for both; AtMost,
//!   Below and Nearly give only `high`; AtLeast, Above and JustOver only
//!   `low`; Range gives both ends. Years and dates only ever take About;
//!   durations ignore "over", "under", "above" and "below" ("over 12 years"
//!   usually means "during").
//! - **step** is the place value of the last digit written, in the figure's
//!   own units; trailing zeros of an integer do not count ("300 million" 1e8,
//!   "15,000" 1000, "4.60" 0.01, "52 cents" 0.01). Number words below a
//!   hundred have step 1 ("twenty" too); "two hundred" 100, "two million"
//!   1e6. Fractions ("half", "a third") have step 1 in percent. Years and
//!   dates have step 1. A range takes the finer step of its two ends.
//! - **unit**: Money, an ISO 4217 code ("¥" is CNY when yuan, RMB, renminbi
//!   or China is written within 300 bytes, else JPY). Percent: "%", "pp"
//!   (percentage points; "points" too when under 50 and a percentage or
//!   "margin" is written within 200 bytes, else Quantity "point") or "bp".
//!   Count: the counted noun, singular and lowercase: the *head*, i.e. the
//!   last word of the noun phrase after the number ("over a dozen overseas
//!   data centers" counts "center"; "about 38,000 people" counts "person").
//!   Duration: "year", "month", "week", "day", "hour", "minute", "second",
//!   "decade", "century", "quarter". Quantity: a normal form ("tonne",
//!   "barrel", "mw", "km", "pound", "times" for "2.7 times" and "2.7x",
//!   "point"). Year and Date: "".
//! - **per** is the singular word after "a", "an" or "per" ("a share", "per
//!   barrel", "barrels a day"), not set when the phrase is a time reference
//!   ("$4.3 billion a year earlier").
//! - **equivalent**: money followed by another currency's amount in brackets
//!   ("2 billion yuan ($300 million)") or after ", or" ("€1.1 billion, or
//!   about $1.3 billion") is one figure; the equivalent takes the outer
//!   qualifier unless it has its own. Without "or" ("€1.1 billion, about $1.3
//!   billion") the two are separate figures.
//! - **ranges** ("3% to 3.5%", "$40–50", "between 4 and 5 percent", "$5.10 to
//!   $5.20 a share") are one figure. "from X to Y" is a change, two figures,
//!   unless "from" follows "up", "down" or "ranging"; so is "rose 4% to 5%"
//!   after a past-tense verb of movement.
//! - A bare number with no currency, percent, unit or counted noun is not a
//!   figure, except a four-digit year 1800–2099 (which stays a year even
//!   before a noun, "2016 employees", unless a qualifier such as "about"
//!   precedes it) and a number with a scale word ("1.4 billion", a Count with
//!   unit ""). "one" is never a count ("one industry official"), only part of
//!   money, percentages, durations ("one year", but not "one day" or "one
//!   second") and fractions. A scale glued to the digits ("$300m", "$1.13bn")
//!   needs a currency, except "bn"/"mn" and an "m" before a counted noun
//!   ("300m daily users"); "100m" alone (metres?) is nothing.
//! - Never figures: numbers glued to letters ("21Vianet", "Q3", "4G",
//!   "COVID-19", "2pm", "3rd", "2010s"), times ("10:30", "2 p.m."), versions
//!   and addresses, slashed dates, hashtags and handles, list markers ("1. "
//!   at a line start), "No. 2", numbers right after a capitalised name
//!   ("Office 365 and", "Windows 10 users"), vague plurals ("thousands of"),
//!   ordinals and calendar quarters ("the third quarter", "a quarter
//!   earlier"), weekdays.

mod dates;
mod lead;
mod lexicon;
mod money;
mod numbers;
mod ranges;
mod tail;
#[cfg(test)]
mod tests;

use lexicon as lx;

use super::{Figure, FigureKind, Qualifier};
use crate::text::Span;

/// Every figure in `text`, in order, spans relative to `text`.
pub fn find(text: &str) -> Vec<Figure> {
    let mut figures = Vec::new();
    if text.len() >= u32::MAX as usize {
        return figures;
    }
    let scan = Scan {
        s: text,
        b: text.as_bytes(),
    };
    let bytes = scan.b;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = if c.is_ascii_digit() {
            match scan.at_digit(i) {
                Some(figure) => scan.push(&mut figures, figure),
                None => scan.skip_number_token(i),
            }
        } else if c.is_ascii_alphabetic() {
            let end = scan.word_end(i);
            if end - i <= 9 && may_start_figure(c) && scan.is_word_start(i) {
                match scan.at_word(i, end) {
                    Some(figure) => scan.push(&mut figures, figure),
                    None => end,
                }
            } else {
                end
            }
        } else if c == b'$' || c >= 0xC2 {
            match scan.at_sign(i) {
                Some(figure) => scan.push(&mut figures, figure),
                None => i + 1,
            }
        } else {
            i + 1
        };
        i = next.max(i + 1);
    }
    figures
}

/// First letters of the words that can start a figure (number words, "a",
/// "half", month names, currency codes and dollar prefixes).
fn may_start_figure(c: u8) -> bool {
    !matches!(
        c.to_ascii_lowercase(),
        b'l' | b'p' | b'q' | b'v' | b'w' | b'x' | b'y'
    )
}

/// A number and what follows it, while a figure is being read.
#[derive(Clone, Debug)]
struct Side {
    start: usize,
    /// End of everything read so far (number, scale, unit, per-phrase).
    end: usize,
    /// End of the number and any scale.
    num_end: usize,
    mant: u64,
    exp: i32,
    step_exp: i32,
    /// A value that is not a decimal ("a third" is 33.33...%).
    frac: Option<f64>,
    neg: bool,
    /// Powers of ten added by scale words, suffixes and cents.
    shift: i32,
    scaled: bool,
    /// A glued "m", "b" or "k": a scale only for money.
    needs_money: bool,
    is_word: bool,
    /// The number could be a year (four digits, 1800–2099).
    year: Option<i32>,
    kind: Option<FigureKind>,
    unit: String,
    per: Option<String>,
    currency_prefix: bool,
}

impl Side {
    fn value(&self) -> f64 {
        let v = self.frac.unwrap_or_else(|| pow10(self.mant, self.exp));
        if self.neg {
            -v
        } else {
            v
        }
    }

    fn step(&self) -> f64 {
        if self.frac.is_some() {
            1.0
        } else {
            pow10(1, self.step_exp)
        }
    }

    fn apply_shift(&mut self, shift: i32) {
        self.exp += shift;
        self.step_exp += shift;
        self.shift += shift;
    }

    fn set(&mut self, kind: FigureKind, unit: &str, end: usize) {
        self.kind = Some(kind);
        self.unit.clear();
        self.unit.push_str(unit);
        self.end = end;
    }
}

/// `m * 10^e`, exact whenever the result is representable.
fn pow10(m: u64, e: i32) -> f64 {
    let e = e.clamp(-300, 300);
    if e >= 0 {
        m as f64 * 10f64.powi(e)
    } else {
        m as f64 / 10f64.powi(-e)
    }
}

/// What the words before a figure say about it.
#[derive(Clone, Copy, Debug)]
struct Context {
    qualifier: Qualifier,
    /// Start of the qualifier phrase, or of the figure when there is none.
    lead_start: usize,
    /// "between" just before: "and" joins a range.
    between: bool,
    /// The two words before the qualifier (or the figure), nearest first,
    /// for deciding whether "to" makes a range ("from", "rose"); (0, 0) when absent.
    lead_words: [(usize, usize); 2],
    /// "rose up to": the "up" of a verb of movement, so "to" is a change.
    up_to_verb: bool,
    /// A capitalised name just before ("Windows 10", "Boeing 737"): the
    /// number is part of a name, not a count.
    after_name: bool,
    /// "minus" just before.
    minus: bool,
}

/// Decimal digits as read: "1,234.50" is mantissa 123450, two decimals.
struct Digits {
    end: usize,
    mant: u64,
    decimals: u32,
    int_digits: u32,
    trailing_zeros: u32,
    commas: bool,
}

struct Scan<'a> {
    s: &'a str,
    b: &'a [u8],
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'a> Scan<'a> {
    // ----- the pass -----

    fn push(&self, figures: &mut Vec<Figure>, figure: Figure) -> usize {
        let end = figure.span.end();
        figures.push(figure);
        end
    }

    fn byte(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn is_digit(&self, i: usize) -> bool {
        self.byte(i).is_ascii_digit()
    }

    fn is_letter(&self, i: usize) -> bool {
        self.byte(i).is_ascii_alphabetic()
    }

    fn word_end(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i].is_ascii_alphabetic() {
            i += 1;
        }
        i
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.s.get(..i)?.chars().next_back()
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.s.get(i..)?.chars().next()
    }

    /// Past a number-like token that did not make a figure, so its inner
    /// digits ("2" in "10:20", "3" in "1.2.3") are not read again.
    fn skip_number_token(&self, mut i: usize) -> usize {
        while i < self.b.len() {
            let c = self.b[i];
            if is_word_byte(c) {
                i += 1;
            } else if matches!(c, b'.' | b',' | b':' | b'/') && self.is_digit(i + 1) {
                i += 2;
            } else {
                break;
            }
        }
        i
    }

    /// True when a word starting at `i` is a whole word: not glued to a
    /// letter, digit, hashtag, handle or hyphenated compound before it.
    fn is_word_start(&self, i: usize) -> bool {
        match self.char_before(i) {
            None => true,
            Some(c) if c.is_alphanumeric() || matches!(c, '_' | '#' | '@' | '/' | '\\') => false,
            Some('-') => !self.char_before(i - 1).is_some_and(|c| c.is_alphanumeric()),
            Some(_) => true,
        }
    }

    /// Skips spaces, tabs and one line break (a figure may wrap, a paragraph
    /// break ends it).
    fn skip_ws(&self, mut i: usize) -> usize {
        let mut breaks = 0;
        loop {
            match self.byte(i) {
                b' ' | b'\t' => i += 1,
                b'\r' => i += 1,
                b'\n' => {
                    breaks += 1;
                    if breaks > 1 {
                        return i;
                    }
                    i += 1;
                }
                0xC2 if self.byte(i + 1) == 0xA0 => i += 2,
                // Narrow no-break space and thin space.
                0xE2 if self.byte(i + 1) == 0x80 && matches!(self.byte(i + 2), 0xAF | 0x89) => {
                    i += 3
                }
                _ => return i,
            }
        }
    }

    /// The word after whitespace at `i`: (start, end) of ASCII letters.
    fn next_word(&self, i: usize) -> Option<(usize, usize)> {
        let j = self.skip_ws(i);
        if self.is_letter(j) {
            Some((j, self.word_end(j)))
        } else {
            None
        }
    }

    /// The word ending just before `i`, across whitespace only.
    fn prev_word(&self, i: usize) -> Option<(usize, usize)> {
        let mut j = i;
        while j > 0 {
            match self.b[j - 1] {
                b' ' | b'\t' | b'\r' | b'\n' => j -= 1,
                0xA0 if j >= 2 && self.b[j - 2] == 0xC2 => j -= 2,
                _ => break,
            }
        }
        let end = j;
        while j > 0 && self.b[j - 1].is_ascii_alphabetic() {
            j -= 1;
        }
        if j == end {
            return None;
        }
        if j > 0 && (is_word_byte(self.b[j - 1]) || self.b[j - 1] >= 0x80) {
            // Glued to something else (a non-ASCII letter, a digit).
            if self.b[j - 1] >= 0x80 {
                if self.char_before(j).is_some_and(|c| c.is_alphabetic()) {
                    return None;
                }
            } else {
                return None;
            }
        }
        Some((j, end))
    }

    fn lower(&self, (start, end): (usize, usize)) -> Lower {
        Lower::new(&self.b[start..end])
    }

    fn text(&self, (start, end): (usize, usize)) -> &'a str {
        self.s.get(start..end).unwrap_or("")
    }

    // ----- anchors -----

    fn at_digit(&self, i: usize) -> Option<Figure> {
        let (start, neg) = self.left_of_number(i)?;
        let digits = self.lex_digits(i)?;
        if self.is_list_marker(i, &digits) || self.after_number_sign(start) {
            return None;
        }
        if let Some(f) = self.iso_date(i, &digits) {
            return Some(f);
        }
        if let Some(f) = self.day_month_date(i, &digits) {
            return Some(f);
        }
        let mut side = self.side_from_digits(start, &digits);
        side.neg = neg;
        let ctx = self.context(start);
        side.neg |= ctx.minus;
        if !self.read_tail(&mut side, &ctx) {
            return None;
        }
        self.finish(side, ctx)
    }

    fn at_word(&self, i: usize, end: usize) -> Option<Figure> {
        let raw = self.text((i, end));
        // Currency prefixes: "US$5", "HK$ 2bn", "RMB 2 billion", "Rs. 500".
        if self.byte(end) == b'$' {
            let code = lx::dollar_prefix(raw)?;
            return self.money_from_prefix(i, code, end + 1);
        }
        if !lx::may_be_anchor(&self.b[i..end]) {
            return None;
        }
        if let Some(code) = lx::currency_code(raw) {
            let mut after = end;
            if raw == "Rs" && self.byte(after) == b'.' {
                after += 1;
            }
            return self.money_from_prefix(i, code, after);
        }
        if let Some((month, abbrev)) = lx::month(raw) {
            return self.month_date(i, end, month, abbrev);
        }
        let word = self.lower((i, end));
        let word = word.as_str();
        if let Some(side) = self.fraction(i, end, word) {
            let ctx = self.context(i);
            return self.finish(side, ctx);
        }
        let mut side = self.word_number(i, end, word)?;
        let ctx = self.context(i);
        if !self.read_tail(&mut side, &ctx) {
            return None;
        }
        self.finish(side, ctx)
    }

    fn at_sign(&self, i: usize) -> Option<Figure> {
        if self.b[i] == b'$' {
            if self
                .char_before(i)
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                return None;
            }
            return self.money_from_prefix(i, "USD", i + 1);
        }
        let c = self.char_at(i)?;
        let mut code = lx::currency_sign(c)?;
        if c == '¥' || c == '￥' {
            code = self.yen_or_yuan(i);
        }
        if self
            .char_before(i)
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            return None;
        }
        self.money_from_prefix(i, code, i + c.len_utf8())
    }

    /// "¥" is the yuan when the text around it is about China.
    fn yen_or_yuan(&self, i: usize) -> &'static str {
        let lo = i.saturating_sub(300);
        let hi = (i + 300).min(self.b.len());
        let window = &self.b[lo..hi];
        let chinese = [
            "yuan", "Yuan", "RMB", "Rmb", "renminbi", "Renminbi", "China", "Chinese",
        ];
        if chinese
            .iter()
            .any(|w| memchr::memmem::find(window, w.as_bytes()).is_some())
        {
            "CNY"
        } else {
            "JPY"
        }
    }
}

/// The first number written in digits in `text`, and its value.
pub(crate) fn first_number(text: &str) -> Option<(Span, f64)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let end = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map_or(text.len(), |i| start + i);
    let mut digits = &text[start..end];
    while digits.ends_with(['.', ',']) {
        digits = &digits[..digits.len() - 1];
    }
    let value: f64 = digits.replace(',', "").parse().ok()?;
    Some((Span::new(start, start + digits.len()), value))
}

/// Bounds for a single value under a qualifier.
fn bounds(qualifier: Qualifier, v: f64) -> (Option<f64>, Option<f64>) {
    match qualifier {
        Qualifier::Exact | Qualifier::About | Qualifier::Range => (Some(v), Some(v)),
        Qualifier::AtMost | Qualifier::Below | Qualifier::Nearly => (None, Some(v)),
        Qualifier::AtLeast | Qualifier::Above | Qualifier::JustOver => (Some(v), None),
    }
}

/// A lowercase copy of a short ASCII word, on the stack.
struct Lower {
    buf: [u8; 24],
    len: usize,
}

impl Lower {
    fn empty() -> Lower {
        Lower {
            buf: [0; 24],
            len: 0,
        }
    }

    fn new(word: &[u8]) -> Lower {
        let mut buf = [0u8; 24];
        if word.len() > buf.len() || !word.is_ascii() {
            return Lower { buf, len: 0 };
        }
        for (d, s) in buf.iter_mut().zip(word) {
            *d = s.to_ascii_lowercase();
        }
        Lower {
            buf,
            len: word.len(),
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}
