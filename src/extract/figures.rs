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

mod lexicon;
#[cfg(test)]
mod tests;

use lexicon as lx;

use super::{DateParts, Figure, FigureKind, Qualifier};
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

    // ----- numbers -----

    /// Checks what stands just before the digit at `i`; returns the figure's
    /// start (moved back over a minus sign) and whether it is negative.
    fn left_of_number(&self, i: usize) -> Option<(usize, bool)> {
        let Some(c) = self.char_before(i) else {
            return Some((i, false));
        };
        let before = i - c.len_utf8();
        match c {
            c if c.is_alphanumeric() || c == '_' => None,
            '#' | '@' | '/' | '\\' | ':' | '=' | '&' | '\'' | '’' | '‘' | '^' | '§' | '°' => {
                None
            }
            // ".5%" and "v.2" are not numbers we read with confidence.
            '.' => None,
            ',' => {
                if self
                    .char_before(before)
                    .is_some_and(|d| d.is_alphanumeric())
                {
                    None
                } else {
                    Some((i, false))
                }
            }
            '-' | '–' | '—' | '−' => match self.char_before(before) {
                Some(d) if d.is_ascii_digit() => {
                    // "2019-2021": a second year after a year.
                    let four_before = before >= 4
                        && self.b[before - 4..before].iter().all(u8::is_ascii_digit)
                        && !self.is_digit(before.wrapping_sub(5));
                    let is_year = self.b.len() >= i + 4
                        && self.b[i..i + 4].iter().all(u8::is_ascii_digit)
                        && !self.is_digit(i + 4);
                    if four_before && is_year {
                        Some((i, false))
                    } else {
                        None
                    }
                }
                Some(l) if l.is_alphabetic() => {
                    // "mid-2025", "pre-2020": a prefix, not a code like "COVID-19".
                    let (ws, _) = self.prev_word(before)?;
                    let w = self.lower((ws, before));
                    if matches!(
                        w.as_str(),
                        "mid" | "pre" | "post" | "early" | "late" | "end" | "year" | "calendar"
                    ) {
                        Some((i, false))
                    } else {
                        None
                    }
                }
                Some('$' | '£' | '€' | '%') => None,
                _ => {
                    if c == '-' || c == '−' {
                        Some((before, true))
                    } else {
                        Some((i, false))
                    }
                }
            },
            _ => Some((i, false)),
        }
    }

    fn lex_digits(&self, i: usize) -> Option<Digits> {
        let b = self.b;
        let mut j = i;
        let mut mant: u64 = 0;
        let mut count = 0u32;
        let mut trailing_zeros = 0u32;
        let push = |d: u8, mant: &mut u64, count: &mut u32| {
            *mant = mant.wrapping_mul(10).wrapping_add((d - b'0') as u64);
            *count += 1;
        };
        while j < b.len() && b[j].is_ascii_digit() {
            push(b[j], &mut mant, &mut count);
            trailing_zeros = if b[j] == b'0' { trailing_zeros + 1 } else { 0 };
            j += 1;
        }
        let first_run = (j - i) as u32;
        if first_run > 1 && b[i] == b'0' {
            return None;
        }
        let mut commas = false;
        if first_run <= 3 {
            while self.byte(j) == b','
                && (1..=3).all(|k| self.is_digit(j + k))
                && !self.is_digit(j + 4)
            {
                for k in 1..=3 {
                    let d = b[j + k];
                    push(d, &mut mant, &mut count);
                    trailing_zeros = if d == b'0' { trailing_zeros + 1 } else { 0 };
                }
                j += 4;
                commas = true;
            }
        }
        let int_digits = count;
        let mut decimals = 0u32;
        if self.byte(j) == b'.' && self.is_digit(j + 1) {
            j += 1;
            while j < b.len() && b[j].is_ascii_digit() {
                push(b[j], &mut mant, &mut count);
                decimals += 1;
                j += 1;
            }
            // A version or an address: "1.2.3", "10.0.0.1".
            if self.byte(j) == b'.' && self.is_digit(j + 1) {
                return None;
            }
        }
        // "1,2" and "1,2345" are lists or foreign notation, not a number we trust.
        if self.byte(j) == b',' && self.is_digit(j + 1) {
            return None;
        }
        // Times, fractions and dates written with slashes.
        if matches!(self.byte(j), b':' | b'/') && self.is_digit(j + 1) {
            return None;
        }
        if count > 15 {
            return None;
        }
        if mant == 0 {
            trailing_zeros = 0;
        }
        Some(Digits {
            end: j,
            mant,
            decimals,
            int_digits,
            trailing_zeros,
            commas,
        })
    }

    fn side_from_digits(&self, start: usize, d: &Digits) -> Side {
        let step_exp = if d.decimals > 0 {
            -(d.decimals as i32)
        } else {
            d.trailing_zeros as i32
        };
        let year = (d.int_digits == 4 && d.decimals == 0 && !d.commas)
            .then_some(d.mant as i32)
            .filter(|y| (1800..=2099).contains(y));
        Side {
            start,
            end: d.end,
            num_end: d.end,
            mant: d.mant,
            exp: -(d.decimals as i32),
            step_exp,
            frac: None,
            neg: false,
            shift: 0,
            scaled: false,
            needs_money: false,
            is_word: false,
            year,
            kind: None,
            unit: String::new(),
            per: None,
            currency_prefix: false,
        }
    }

    /// "No. 2 carmaker", "Nos. 3 and 4": a rank or an item, not a count.
    fn after_number_sign(&self, start: usize) -> bool {
        let before = self.skip_ws_back(start);
        let head = &self.b[..before];
        [b"No.".as_slice(), b"no.", b"Nos.", b"nos.", b"Nr."]
            .iter()
            .any(|sign| {
                head.ends_with(sign)
                    && !head[..head.len() - sign.len()]
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
            })
    }

    /// "1. " or "2) " opening a line is a list marker.
    fn is_list_marker(&self, i: usize, d: &Digits) -> bool {
        if d.int_digits > 3 || d.decimals > 0 || d.commas {
            return false;
        }
        if !matches!(self.byte(d.end), b'.' | b')') {
            return false;
        }
        if !matches!(self.byte(d.end + 1), b' ' | b'\t' | b'\n' | b'\r' | 0) {
            return false;
        }
        let mut j = i;
        while j > 0 && matches!(self.b[j - 1], b' ' | b'\t' | b'(') {
            j -= 1;
        }
        j == 0 || self.b[j - 1] == b'\n'
    }

    /// A number written in words: "twenty-five", "two hundred", "a dozen",
    /// "half a million". Scale words after it are read by the tail.
    fn word_number(&self, i: usize, end: usize, word: &str) -> Option<Side> {
        let mut mant: u64;
        let mut step_exp = 0;
        let mut exp = 0;
        let mut j = end;
        match word {
            "a" | "an" => {
                let next = self.next_word(end)?;
                if next.0 != self.skip_ws(end) || next.0 == end {
                    return None;
                }
                match self.lower(next).as_str() {
                    "dozen" => mant = 12,
                    "hundred" => {
                        mant = 1;
                        exp = 2;
                        step_exp = 2;
                    }
                    // The scale itself is read by the tail; "a" is the one.
                    "thousand" | "million" | "billion" | "trillion" => {
                        let mut side = self.word_side(i, end, 1, 0, 0);
                        side.num_end = end;
                        return Some(side);
                    }
                    "decade" => {
                        let mut side = self.word_side(i, next.1, 1, 0, 0);
                        if self.byte(next.1) == b'-' {
                            return None;
                        }
                        side.set(FigureKind::Duration, "decade", next.1);
                        return Some(side);
                    }
                    _ => return None,
                }
                j = next.1;
            }
            "half" => {
                // "half a million", "half a dozen".
                let art = self.next_word(end)?;
                if !matches!(self.lower(art).as_str(), "a" | "an") {
                    return None;
                }
                let next = self.next_word(art.1)?;
                let w = self.lower(next);
                if w.as_str() == "dozen" {
                    return Some(self.word_side(i, next.1, 6, 0, 0));
                }
                let scale = lx::scale_word(w.as_str()).filter(|&s| s >= 3)?;
                let mut side = self.word_side(i, next.1, 5, scale - 1, scale - 1);
                side.scaled = true;
                side.shift = scale;
                return Some(side);
            }
            _ => {
                mant = lx::small_number(word)?;
                // "twenty-five", "twenty five".
                if mant >= 20 && mant % 10 == 0 {
                    let hyphen = self.byte(end) == b'-' && self.is_letter(end + 1);
                    let unit = if hyphen {
                        Some((end + 1, self.word_end(end + 1)))
                    } else {
                        self.next_word(end)
                    };
                    if let Some(u) = unit {
                        if let Some(n) = lx::small_number(self.lower(u).as_str()) {
                            if (1..=9).contains(&n) {
                                mant += n;
                                j = u.1;
                            }
                        }
                    }
                }
                // "two hundred (and fifty)".
                if let Some(h) = self.next_word(j) {
                    if self.lower(h).as_str() == "hundred" && mant < 10 && mant > 0 {
                        mant *= 100;
                        step_exp = 2;
                        j = h.1;
                        let mut k = j;
                        if let Some(and) = self.next_word(k) {
                            if self.lower(and).as_str() == "and" {
                                k = and.1;
                            }
                        }
                        if let Some(rest) = self.next_word(k) {
                            if let Some(n) = lx::small_number(self.lower(rest).as_str()) {
                                if n > 0 {
                                    mant += n;
                                    step_exp = 0;
                                    j = rest.1;
                                }
                            }
                        }
                    } else if self.lower(h).as_str() == "dozen" && mant > 1 && mant < 10 {
                        mant *= 12;
                        j = h.1;
                    }
                }
            }
        }
        Some(self.word_side(i, j, mant, exp, step_exp))
    }

    fn word_side(&self, start: usize, end: usize, mant: u64, exp: i32, step_exp: i32) -> Side {
        Side {
            start,
            end,
            num_end: end,
            mant,
            exp,
            step_exp,
            frac: None,
            neg: false,
            shift: 0,
            scaled: false,
            needs_money: false,
            is_word: true,
            year: None,
            kind: None,
            unit: String::new(),
            per: None,
            currency_prefix: false,
        }
    }

    /// "a third of", "two-thirds", "four-fifths", "half of": a percentage.
    fn fraction(&self, i: usize, end: usize, word: &str) -> Option<Side> {
        if word == "half" {
            return self.half(i, end);
        }
        let numerator = match word {
            "a" | "an" | "one" => 1,
            _ => lx::small_number(word).filter(|n| (2..=9).contains(n))?,
        };
        let den_start = if self.byte(end) == b'-' && self.is_letter(end + 1) {
            end + 1
        } else {
            let (ws, _) = self.next_word(end)?;
            if word != "one" && self.byte(end) != b' ' {
                return None;
            }
            ws
        };
        let den_end = self.word_end(den_start);
        let (den, plural) = lx::denominator(self.lower((den_start, den_end)).as_str())?;
        if plural != (numerator > 1) || self.byte(den_end) == b'-' {
            return None;
        }
        // Is it a share or an ordinal / calendar quarter?
        let follower = self.next_word(den_end);
        let follower_word = follower.map(|f| self.lower(f));
        let gap_punct = self.punct_after(den_end);
        let ok = match follower_word.as_ref().map(|w| w.as_str()) {
            Some("of") => !self.of_a_unit(follower.unwrap().1),
            Some(w) if den == 4 => lx::comparative(w),
            Some(w) => lx::fraction_follower(w),
            None => {
                gap_punct
                    && (den != 4
                        || self
                            .prev_word(i)
                            .is_some_and(|p| self.lower(p).as_str() == "by"))
            }
        };
        if !ok {
            return None;
        }
        let mut side = self.word_side(i, den_end, 0, 0, 0);
        side.frac = Some(100.0 * numerator as f64 / den as f64);
        side.set(FigureKind::Percent, "%", den_end);
        Some(side)
    }

    /// True when the next thing after `i` is punctuation or the end of text
    /// (not another word or number).
    fn punct_after(&self, i: usize) -> bool {
        let j = self.skip_ws(i);
        matches!(
            self.char_at(j),
            None | Some('.' | ',' | ';' | ':' | ')' | '!' | '?' | '—' | '–' | '\n' | '"' | '”')
        )
    }

    /// "of a century", "of an hour", "of a million": the fraction measures
    /// something other than a share.
    fn of_a_unit(&self, after_of: usize) -> bool {
        let Some(art) = self.next_word(after_of) else {
            return false;
        };
        if !matches!(self.lower(art).as_str(), "a" | "an") {
            return false;
        }
        let Some(next) = self.next_word(art.1) else {
            return false;
        };
        let w = self.lower(next);
        let w = w.as_str();
        lx::duration_unit(w).is_some()
            || lx::scale_word(w).is_some()
            || lx::quantity_word(w).is_some()
            || matches!(w, "point" | "percentage" | "dozen")
    }

    fn half(&self, i: usize, end: usize) -> Option<Side> {
        if self.byte(end) == b'-' {
            return None;
        }
        let prev = self.prev_word(i).map(|p| self.lower(p));
        let prev = prev.as_ref().map(|p| p.as_str());
        if matches!(
            prev,
            Some("first" | "second" | "a" | "and" | "one" | "latter" | "former")
        ) {
            return None;
        }
        let follower = self.next_word(end).map(|f| self.lower(f));
        let qualified = matches!(
            prev,
            Some(
                "about"
                    | "around"
                    | "roughly"
                    | "nearly"
                    | "almost"
                    | "than"
                    | "over"
                    | "under"
                    | "approximately"
                    | "just"
                    | "some"
            )
        );
        let ok = match follower.as_ref().map(|f| f.as_str()) {
            Some(f) => lx::half_follower(f) || (qualified && !matches!(f, "a" | "an")),
            None => self.punct_after(end) && (qualified || prev == Some("by")),
        };
        if !ok {
            return None;
        }
        let mut side = self.word_side(i, end, 0, 0, 0);
        side.frac = Some(50.0);
        side.set(FigureKind::Percent, "%", end);
        Some(side)
    }

    // ----- what follows a number -----

    /// Reads the suffix, scale, unit, currency word or counted noun after
    /// the number in `side`. False when the number must not be a figure at
    /// all (glued to letters, a time of day).
    fn read_tail(&self, side: &mut Side, ctx: &Context) -> bool {
        let mut p = side.num_end;
        // Letters glued to the digits.
        if !side.is_word && self.is_letter(p) {
            let we = self.word_end(p);
            if is_word_byte(self.byte(we)) {
                return false;
            }
            let raw = self.text((p, we));
            if let Some((scale, money_only)) = lx::glued_scale(raw) {
                side.apply_shift(scale);
                side.scaled = true;
                side.needs_money = money_only;
                p = we;
                side.num_end = we;
                side.end = we;
            } else {
                let lower = raw.to_ascii_lowercase();
                match lower.as_str() {
                    "x" => side.set(FigureKind::Quantity, "times", we),
                    "pc" => side.set(FigureKind::Percent, "%", we),
                    "pp" | "ppt" | "ppts" => side.set(FigureKind::Percent, "pp", we),
                    "bp" | "bps" | "bpt" | "bpts" => side.set(FigureKind::Percent, "bp", we),
                    _ => {
                        if let Some((unit, per)) = lx::quantity_abbrev(raw) {
                            side.set(FigureKind::Quantity, unit, we);
                            side.per = per.map(str::to_string);
                        } else if let Some(unit) = lx::duration_abbrev(raw) {
                            side.set(FigureKind::Duration, unit, we);
                        } else {
                            // Ordinals, times, decades, codes: "3rd", "2pm", "2010s", "4G".
                            return false;
                        }
                    }
                }
                self.read_per(side);
                return true;
            }
        } else if !side.is_word && self.char_at(p).is_some_and(|c| c.is_alphabetic()) {
            return false;
        }

        // A hyphenated unit: "18-month", "five-year", "300-person", "$5-million".
        if self.byte(p) == b'-' && self.is_letter(p + 1) {
            let we = self.word_end(p + 1);
            let w = self.lower((p + 1, we));
            let w = w.as_str();
            if !side.scaled {
                if let Some(scale) = lx::scale_word(w) {
                    side.apply_shift(scale);
                    side.scaled = true;
                    p = we;
                    side.num_end = we;
                    side.end = we;
                }
            }
            if self.byte(p) == b'-' && self.is_letter(p + 1) {
                let we = self.word_end(p + 1);
                let w = self.lower((p + 1, we));
                let w = w.as_str();
                if !side.currency_prefix && self.percent_word(side, (p + 1, we), w) {
                    // "a 25-basis-point cut", "a 2-percentage-point gain".
                } else if let Some(unit) = lx::duration_unit(w) {
                    if !self.one_of_time(side, unit) {
                        return false;
                    }
                    side.set(FigureKind::Duration, unit, we);
                } else if w == "fold" {
                    side.set(FigureKind::Quantity, "times", we);
                } else if let Some(unit) = lx::quantity_word(w) {
                    side.set(FigureKind::Quantity, unit, we);
                } else if side.kind.is_none()
                    && !side.currency_prefix
                    && !ctx.after_name
                    && self.counts(side, ctx)
                    && self.is_lower_word(p + 1, we)
                    && w.len() >= 3
                    && !lx::ends_noun_phrase(w)
                    && !lx::not_a_hyphen_noun(w)
                    && !is_word_byte(self.byte(we))
                {
                    let unit = lx::singular_of_plural(w).unwrap_or_else(|| w.to_string());
                    side.set(FigureKind::Count, &unit, we);
                } else if !side.currency_prefix {
                    return false;
                }
                return true;
            }
        }
        if side.currency_prefix {
            return true;
        }

        let q = self.skip_ws(p);
        if self.byte(q) == b'%' && q - p <= 1 {
            side.set(FigureKind::Percent, "%", q + 1);
            self.read_per(side);
            return true;
        }
        let Some(mut w) = self.next_word(p) else {
            // "15,000 #CubeAlumni experts".
            if self.byte(q) == b'#' && q > p && self.counts(side, ctx) && !ctx.after_name {
                if let Some((unit, end)) = self.counted_noun(q) {
                    side.set(FigureKind::Count, &unit, end);
                }
            }
            return self.finish_tail(side);
        };
        let mut lw = self.lower(w);
        // Scale words: "300 million", "2 Billion".
        if !side.scaled {
            if let Some(scale) = lx::scale_word(lw.as_str()) {
                side.apply_shift(scale);
                side.scaled = true;
                side.num_end = w.1;
                side.end = w.1;
                p = w.1;
                let q = self.skip_ws(p);
                if self.byte(q) == b'%' && q - p <= 1 {
                    side.set(FigureKind::Percent, "%", q + 1);
                    return true;
                }
                match self.next_word(p) {
                    Some(next) => {
                        w = next;
                        lw = self.lower(w);
                    }
                    None => return self.finish_tail(side),
                }
            }
        }
        let word = lw.as_str();
        // Times of day.
        if matches!(word, "am" | "pm") && !self.is_letter(w.1)
            || (matches!(word, "a" | "p")
                && self.s.get(w.1..).is_some_and(|r| r.starts_with(".m.")))
            || word == "o"
                && self
                    .s
                    .get(w.1..)
                    .is_some_and(|r| r.starts_with('\'') || r.starts_with('’'))
        {
            return false;
        }
        if self.percent_word(side, w, word) {
            self.read_per(side);
            return self.finish_tail(side);
        }
        if let Some((code, end, shift)) = self.currency_after(side, w) {
            if shift != 0 {
                side.apply_shift(shift);
            }
            side.set(FigureKind::Money, code, end);
            self.read_per(side);
            return self.finish_tail(side);
        }
        if let Some((code, _)) = lx::currency_code(self.text(w)).zip(Some(())) {
            side.set(FigureKind::Money, code, w.1);
            self.read_per(side);
            return self.finish_tail(side);
        }
        // Units of time, possibly after one modifier ("three consecutive years").
        if let Some(unit) = lx::duration_unit(word) {
            if !(unit == "quarter" && side.scaled) && self.one_of_time(side, unit) {
                side.set(FigureKind::Duration, unit, w.1);
                self.read_per(side);
                return self.finish_tail(side);
            }
        }
        if lx::duration_modifier(word) {
            if let Some(next) = self.next_word(w.1) {
                if let Some(unit) = lx::duration_unit(self.lower(next).as_str()) {
                    side.set(FigureKind::Duration, unit, next.1);
                    self.read_per(side);
                    return self.finish_tail(side);
                }
            }
        }
        // "450,000 b/d" (barrels a day).
        if word == "b"
            && self.byte(w.1) == b'/'
            && self.byte(w.1 + 1) == b'd'
            && !is_word_byte(self.byte(w.1 + 2))
        {
            side.set(FigureKind::Quantity, "barrel", w.1 + 2);
            side.per = Some("day".into());
            return self.finish_tail(side);
        }
        // Units of measure.
        if let Some((unit, end)) = self.quantity_after(w, word) {
            side.set(FigureKind::Quantity, unit, end);
            if unit == "barrel" && side.per.is_none() {
                if let Some(per) = self.next_word(end) {
                    if self.text(per) == "bpd" {
                        side.per = Some("day".into());
                        side.end = per.1;
                    }
                }
            }
            self.read_per(side);
            return self.finish_tail(side);
        }
        if let Some((unit, per)) = lx::quantity_abbrev(self.text(w)) {
            side.set(FigureKind::Quantity, unit, w.1);
            side.per = per.map(str::to_string);
            self.read_per(side);
            return self.finish_tail(side);
        }
        // Counted things.
        if self.counts(side, ctx) && !ctx.after_name {
            if word == "of" {
                if let Some(unit) = self.count_of(w.1) {
                    let end = side.num_end;
                    side.set(FigureKind::Count, &unit, end);
                    return self.finish_tail(side);
                }
            } else if let Some((unit, end)) = self.counted_noun(w.0) {
                side.set(FigureKind::Count, &unit, end);
                self.read_per(side);
                return self.finish_tail(side);
            }
        }
        self.finish_tail(side)
    }

    /// Settles what the tail could not: a scaled number with no unit is a
    /// count of unnamed things; a glued "m" must be money.
    fn finish_tail(&self, side: &mut Side) -> bool {
        if side.kind.is_none() && side.scaled && side.year.is_none() {
            let end = side.num_end;
            side.set(FigureKind::Count, "", end);
        }
        // A glued "m" is a million for money and for counted things ("300m
        // daily users"), not for a bare "100m" (metres) or "5k" (a race).
        let millions_counted =
            side.shift == 6 && side.kind == Some(FigureKind::Count) && !side.unit.is_empty();
        if side.needs_money && side.kind != Some(FigureKind::Money) && !millions_counted {
            return false;
        }
        true
    }

    /// Whether this number may count things: not "one", not a year unless a
    /// qualifier says it is an amount ("about 2000 workers").
    fn counts(&self, side: &Side, ctx: &Context) -> bool {
        if side.frac.is_some() || side.value().abs() <= 1.0 {
            return false;
        }
        !(side.year.is_some() && ctx.qualifier == Qualifier::Exact)
    }

    /// "one year" is a duration; "one day" and "one second" are as often
    /// idioms ("one day she will", "wait one second").
    fn one_of_time(&self, side: &Side, unit: &str) -> bool {
        !(side.is_word
            && side.mant == 1
            && side.exp == 0
            && matches!(unit, "day" | "minute" | "second" | "quarter"))
    }

    fn is_lower_word(&self, start: usize, end: usize) -> bool {
        self.b[start..end].iter().all(u8::is_ascii_lowercase)
    }

    /// "percent", "per cent", "percentage points", "basis points", "bps",
    /// "points" (percentage points when a percentage is written nearby).
    fn percent_word(&self, side: &mut Side, w: (usize, usize), word: &str) -> bool {
        let next = if self.byte(w.1) == b'-' && self.is_letter(w.1 + 1) {
            Some((w.1 + 1, self.word_end(w.1 + 1)))
        } else {
            self.next_word(w.1)
        };
        let next_word = next.map(|n| self.lower(n));
        let next_is = |s: &str| next_word.as_ref().is_some_and(|n| n.as_str() == s);
        let next_is_point = next_word
            .as_ref()
            .is_some_and(|n| matches!(n.as_str(), "point" | "points" | "pts"));
        match word {
            "percent" | "pct" => {
                if next_is_point {
                    side.set(FigureKind::Percent, "pp", next.unwrap().1);
                } else {
                    side.set(FigureKind::Percent, "%", w.1);
                }
            }
            "per" if next_is("cent") => side.set(FigureKind::Percent, "%", next.unwrap().1),
            "percentage" if next_is_point => side.set(FigureKind::Percent, "pp", next.unwrap().1),
            "basis" if next_is_point => side.set(FigureKind::Percent, "bp", next.unwrap().1),
            "bp" | "bps" | "bpts" => side.set(FigureKind::Percent, "bp", w.1),
            "pp" | "ppt" | "ppts" => side.set(FigureKind::Percent, "pp", w.1),
            "point" | "points" | "pts" => {
                // Percentage points are small; "the Dow fell 300 points" is not.
                if side.value().abs() < 50.0 && self.percent_nearby(w.0) {
                    side.set(FigureKind::Percent, "pp", w.1);
                } else {
                    side.set(FigureKind::Quantity, "point", w.1);
                }
            }
            _ => return false,
        }
        true
    }

    /// A percentage written within 200 bytes: then "points" are percentage
    /// points, not index points.
    fn percent_nearby(&self, i: usize) -> bool {
        let lo = i.saturating_sub(200);
        let hi = (i + 200).min(self.b.len());
        let window = &self.b[lo..hi];
        memchr::memchr(b'%', window).is_some()
            || memchr::memmem::find(window, b"percent").is_some()
            || memchr::memmem::find(window, b"per cent").is_some()
            || memchr::memmem::find(window, b"margin").is_some()
    }

    /// A currency word after an amount, with any national adjective before
    /// it: its code, where it ends, and the shift for cents and pence.
    fn currency_after(&self, side: &Side, w: (usize, usize)) -> Option<(&'static str, usize, i32)> {
        let first = self.lower(w);
        let mut adjective: Option<String> = None;
        let mut word = w;
        // "U.S. dollars".
        if self.text(w) == "U" && self.s.get(w.1..).is_some_and(|r| r.starts_with(".S.")) {
            adjective = Some("u.s.".into());
            word = self.next_word(w.1 + 3)?;
        } else if lx::currency_word(first.as_str()).is_none() {
            let mut adj = first.as_str().to_string();
            let mut last = w;
            if let Some(options) = lx::adjective_continues(first.as_str()) {
                let second = self.next_word(w.1)?;
                let s2 = self.lower(second);
                if !options.contains(&s2.as_str()) {
                    return None;
                }
                adj.push(' ');
                adj.push_str(s2.as_str());
                last = second;
            }
            word = self.next_word(last.1)?;
            adjective = Some(adj);
        }
        let cw = self.lower(word);
        let cw = cw.as_str();
        let kind = lx::currency_word(cw)?;
        let from_adjective = match &adjective {
            Some(a) => Some(lx::adjective_currency(a, cw)?),
            None => None,
        };
        use lx::CurrencyWord as C;
        let (code, end, shift) = match kind {
            C::Fixed(code) => (from_adjective.unwrap_or(code), word.1, 0),
            C::Dollar => (from_adjective.unwrap_or("USD"), word.1, 0),
            C::Cent => (from_adjective.unwrap_or("USD"), word.1, -2),
            C::Pence => ("GBP", word.1, -2),
            C::Ambiguous(code) => {
                if from_adjective.is_none() && !side.scaled {
                    return None;
                }
                (from_adjective.unwrap_or(code), word.1, 0)
            }
            C::NeedsAdjective => (from_adjective?, word.1, 0),
            C::Pound => {
                let next = self.next_word(word.1);
                let next_w = next.map(|n| self.lower(n));
                match next_w.as_ref().map(|n| n.as_str()) {
                    Some("sterling") => ("GBP", next.unwrap().1, 0),
                    Some("of") => return None,
                    _ if side.scaled || self.sterling_nearby(word.0) => ("GBP", word.1, 0),
                    _ => return None,
                }
            }
        };
        if shift != 0 && (side.scaled || side.is_word && side.mant == 0) {
            return None;
        }
        Some((code, end, shift))
    }

    fn sterling_nearby(&self, i: usize) -> bool {
        let lo = i.saturating_sub(300);
        let hi = (i + 300).min(self.b.len());
        let window = &self.b[lo..hi];
        [
            "£", "sterling", "Sterling", "British", "Britain", " UK", "U.K.",
        ]
        .iter()
        .any(|w| memchr::memmem::find(window, w.as_bytes()).is_some())
    }

    /// A unit of measure starting at word `w`: one or two words.
    fn quantity_after(&self, w: (usize, usize), word: &str) -> Option<(&'static str, usize)> {
        if let Some(next) = self.next_word(w.1) {
            if let Some(unit) = lx::compound_quantity(word, self.lower(next).as_str()) {
                return Some((unit, next.1));
            }
        }
        if self.byte(w.1) == b'-' && self.is_letter(w.1 + 1) {
            // "megawatt-hours".
            let we = self.word_end(w.1 + 1);
            if let Some(unit) = lx::compound_quantity(word, self.lower((w.1 + 1, we)).as_str()) {
                return Some((unit, we));
            }
        }
        let unit = lx::quantity_word(word)?;
        // A lone "pound" is sterling when scaled, handled as money before.
        Some((unit, w.1))
    }

    /// The counted noun of the phrase starting at `i`: up to three modifiers
    /// then a plural head ("overseas data centers" -> "center").
    fn counted_noun(&self, i: usize) -> Option<(String, usize)> {
        let mut p = i;
        for k in 0..4 {
            let start = if k == 0 { p } else { self.skip_ws(p) };
            if k > 0 && start == p {
                return None;
            }
            let (ts, te) = self.noun_token(start)?;
            let token = self.text((ts, te));
            let first = token.as_bytes()[0];
            if first == b'#' {
                p = te;
                continue;
            }
            let lower = Lower::new(token.as_bytes());
            let word = lower.as_str();
            if word.is_empty() || lx::ends_noun_phrase(word) || lx::scale_word(word).is_some() {
                return None;
            }
            if first.is_ascii_lowercase() {
                if let Some(singular) = lx::singular_of_plural(word) {
                    // A plural used as a modifier: "sales representatives".
                    if k < 3 {
                        let next = self.skip_ws(te);
                        if next > te {
                            if let Some((ns, ne)) = self.noun_token(next) {
                                let nw = Lower::new(&self.b[ns..ne]);
                                if self.b[ns].is_ascii_lowercase()
                                    && !lx::ends_noun_phrase(nw.as_str())
                                {
                                    if let Some(later) = lx::singular_of_plural(nw.as_str()) {
                                        return Some((later, ne));
                                    }
                                }
                            }
                        }
                    }
                    return Some((singular, te));
                }
            }
            if lx::small_number(word).is_some()
                || lx::month(token).is_some()
                || lx::duration_unit(word).is_some()
            {
                return None;
            }
            p = te;
        }
        None
    }

    /// A word of a noun phrase: letters with inner hyphens or apostrophes,
    /// or a hashtag.
    fn noun_token(&self, i: usize) -> Option<(usize, usize)> {
        let mut j = i;
        if self.byte(j) == b'#' {
            j += 1;
            while is_word_byte(self.byte(j)) {
                j += 1;
            }
            return (j > i + 1).then_some((i, j));
        }
        if !self.is_letter(j) {
            return None;
        }
        loop {
            j = self.word_end(j);
            match self.byte(j) {
                b'-' | b'\'' if self.is_letter(j + 1) => j += 1,
                0xE2 if self.s.get(j..).is_some_and(|r| r.starts_with('’'))
                    && self.is_letter(j + 3) =>
                {
                    j += 3
                }
                _ => break,
            }
        }
        if is_word_byte(self.byte(j)) {
            return None;
        }
        Some((i, j))
    }

    /// "eight of our ten largest categories": the unit of the phrase after
    /// "of" (an optional determiner and number, then a counted noun).
    fn count_of(&self, after_of: usize) -> Option<String> {
        let mut p = after_of;
        let det = self.next_word(p)?;
        if matches!(
            self.lower(det).as_str(),
            "our" | "the" | "its" | "their" | "his" | "her" | "these" | "those" | "your" | "my"
        ) {
            p = det.1;
        } else {
            return None;
        }
        let q = self.skip_ws(p);
        if self.is_digit(q) {
            let d = self.lex_digits(q)?;
            p = d.end;
        } else if let Some(w) = self.next_word(p) {
            if lx::small_number(self.lower(w).as_str()).is_some() {
                p = w.1;
            }
        }
        let q = self.skip_ws(p);
        if q == p {
            return None;
        }
        self.counted_noun(q).map(|(unit, _)| unit)
    }

    /// "a share", "per barrel", "an hour", "/bbl" after a figure.
    fn read_per(&self, side: &mut Side) {
        if side.per.is_some() {
            return;
        }
        if self.byte(side.end) == b'/' && self.is_letter(side.end + 1) {
            let we = self.word_end(side.end + 1);
            if is_word_byte(self.byte(we)) || self.byte(we) == b'/' {
                return;
            }
            let raw = self.text((side.end + 1, we));
            let per = match raw {
                "bbl" => "barrel",
                "d" | "day" => "day",
                "yr" | "year" => "year",
                "mo" | "month" => "month",
                "sh" | "share" => "share",
                "t" | "tonne" => "tonne",
                "oz" => "ounce",
                "MWh" => "mwh",
                "kWh" => "kwh",
                "hr" | "hour" => "hour",
                _ => return,
            };
            side.per = Some(per.to_string());
            side.end = we;
            return;
        }
        let Some(w) = self.next_word(side.end) else {
            return;
        };
        let lw = self.lower(w);
        let Some(mut unit) = self.next_word(w.1) else {
            return;
        };
        // "per diluted share", "a basic share".
        if matches!(
            self.lower(unit).as_str(),
            "diluted" | "basic" | "common" | "ordinary" | "adjusted" | "outstanding"
        ) {
            match self.next_word(unit.1) {
                Some(next) => unit = next,
                None => return,
            }
        }
        if unit.0 == w.1 || self.byte(unit.1) == b'-' {
            return;
        }
        let unit_word = self.lower(unit);
        let per = match lw.as_str() {
            "per" => {
                if !self.is_lower_word(unit.0, unit.1) {
                    return;
                }
                match unit_word.as_str() {
                    "cent" => return,
                    "annum" => "year".to_string(),
                    "capita" => "person".to_string(),
                    u => match lx::per_after_article(u) {
                        Some(p) => p.to_string(),
                        None => lx::singular_of_plural(u).unwrap_or_else(|| u.to_string()),
                    },
                }
            }
            "a" | "an" => match lx::per_after_article(unit_word.as_str()) {
                Some(p) => p.to_string(),
                None => return,
            },
            _ => return,
        };
        if let Some(after) = self.next_word(unit.1) {
            if lx::time_reference_follower(self.lower(after).as_str()) {
                return;
            }
        }
        side.per = Some(per);
        side.end = unit.1;
    }

    // ----- money -----

    /// Money written with a sign or code before the amount: "$300 million",
    /// "US$300m", "RMB 2 billion", "£75m".
    fn money_from_prefix(&self, start: usize, code: &'static str, after: usize) -> Option<Figure> {
        let mut p = after;
        // One space is fine after a code or sign ("RMB 2bn", "$ 5").
        if matches!(self.byte(p), b' ') || (self.byte(p) == 0xC2 && self.byte(p + 1) == 0xA0) {
            p = self.skip_ws(p);
            if p - after > 2 {
                return None;
            }
        }
        if !self.is_digit(p) {
            return None;
        }
        let mut side = self.money_side(start, code, p)?;
        // "-$3m", "−€5bn": a minus sign before the currency.
        if let Some(c @ ('-' | '−')) = self.char_before(start) {
            let before = start - c.len_utf8();
            if !self
                .char_before(before)
                .is_some_and(|b| b.is_alphanumeric())
            {
                side.neg = true;
                side.start = before;
            }
        }
        let ctx = self.context(side.start);
        self.finish(side, ctx)
    }

    fn money_side(&self, start: usize, code: &'static str, digits_at: usize) -> Option<Side> {
        let digits = self.lex_digits(digits_at)?;
        let mut side = self.side_from_digits(start, &digits);
        side.year = None;
        side.currency_prefix = true;
        side.set(FigureKind::Money, code, digits.end);
        let ctx = self.context(start);
        if !self.read_tail(&mut side, &ctx) {
            return None;
        }
        // A glued unit other than a scale ("$5x") is not money.
        if side.kind != Some(FigureKind::Money) {
            return None;
        }
        if !side.scaled {
            if let Some(w) = self.next_word(side.num_end) {
                if let Some(scale) = lx::scale_word(self.lower(w).as_str()) {
                    side.apply_shift(scale);
                    side.scaled = true;
                    side.num_end = w.1;
                    side.end = w.1;
                }
            }
        }
        side.end = side.end.max(side.num_end);
        self.read_per(&mut side);
        Some(side)
    }

    /// A second side, as in a range: starts at a currency sign or code, a
    /// digit or a number word.
    fn side_at(&self, i: usize) -> Option<Side> {
        let c = self.byte(i);
        let ctx = self.plain_context();
        if c.is_ascii_digit() {
            let digits = self.lex_digits(i)?;
            let mut side = self.side_from_digits(i, &digits);
            if !self.read_tail(&mut side, &ctx) {
                return None;
            }
            return Some(side);
        }
        if c == b'$' {
            return self.money_side(i, "USD", self.after_sign_space(i + 1)?);
        }
        if c >= 0xC2 {
            let ch = self.char_at(i)?;
            let mut code = lx::currency_sign(ch)?;
            if ch == '¥' || ch == '￥' {
                code = self.yen_or_yuan(i);
            }
            return self.money_side(i, code, self.after_sign_space(i + ch.len_utf8())?);
        }
        if c.is_ascii_alphabetic() {
            let end = self.word_end(i);
            let raw = self.text((i, end));
            if self.byte(end) == b'$' {
                let code = lx::dollar_prefix(raw)?;
                return self.money_side(i, code, self.after_sign_space(end + 1)?);
            }
            if let Some(code) = lx::currency_code(raw) {
                return self.money_side(i, code, self.after_sign_space(end)?);
            }
            let word = self.lower((i, end));
            let mut side = self.word_number(i, end, word.as_str())?;
            if !self.read_tail(&mut side, &ctx) {
                return None;
            }
            return Some(side);
        }
        None
    }

    fn after_sign_space(&self, p: usize) -> Option<usize> {
        let q = if self.byte(p) == b' ' { p + 1 } else { p };
        self.is_digit(q).then_some(q)
    }

    fn plain_context(&self) -> Context {
        Context {
            qualifier: Qualifier::Exact,
            lead_start: 0,
            between: false,
            lead_words: [(0, 0); 2],
            up_to_verb: false,
            after_name: false,
            minus: false,
        }
    }

    // ----- the words before a figure -----

    fn context(&self, start: usize) -> Context {
        let mut ctx = self.plain_context();
        ctx.lead_start = start;
        let mut words: [(usize, usize); 5] = [(0, 0); 5];
        let mut n = 0;
        let mut at = start;
        while n < 5 {
            match self.prev_word(at) {
                Some(w) => {
                    words[n] = w;
                    at = w.0;
                    n += 1;
                }
                None => break,
            }
        }
        let lows: [Lower; 5] = std::array::from_fn(|k| {
            if k < n {
                self.lower(words[k])
            } else {
                Lower::empty()
            }
        });
        let word = |k: usize| lows.get(k).map(|l| l.as_str()).unwrap_or("");
        // "~5%", "≈ $3bn".
        let before = self.skip_ws_back(start);
        if let Some(c) = self.char_before(before) {
            if c == '~' || c == '≈' {
                ctx.qualifier = Qualifier::About;
                ctx.lead_start = before - c.len_utf8();
            }
        }
        if ctx.qualifier == Qualifier::Exact {
            if let Some((qualifier, used)) = qualifier_of(word(0), word(1), word(2)) {
                let up_to_verb =
                    qualifier == Qualifier::AtMost && used == 2 && word(1) == "up" && {
                        // "rose up to 225", "took the total up to 225", "brings
                        // its order book up to 225": the "up" of a phrasal verb.
                        let mut change = lx::up_to_object(word(2));
                        for k in 2..n {
                            let w = word(k);
                            if change || lx::is_movement_verb(w) {
                                change = true;
                                break;
                            }
                            if lx::determiner(w) {
                                continue;
                            }
                            if lx::ends_noun_phrase(w) || lx::comparative(w) {
                                break;
                            }
                        }
                        change
                    };
                if !up_to_verb {
                    ctx.qualifier = qualifier;
                    ctx.lead_start = words[used - 1].0;
                }
                ctx.up_to_verb = up_to_verb;
            }
        }
        let first_lead = if ctx.lead_start == start {
            0
        } else {
            (0..n)
                .find(|&k| words[k].0 == ctx.lead_start)
                .map_or(0, |k| k + 1)
        };
        let lead = |k: usize| word(first_lead + k);
        ctx.minus = word(0) == "minus" && word(1) != "or";
        ctx.between = lead(0) == "between";
        for k in 0..2 {
            if first_lead + k < n {
                ctx.lead_words[k] = words[first_lead + k];
            }
        }
        // A capitalised word right before the number that does not open a
        // sentence: "Windows 10", "Qihoo 360", "Boeing 737".
        if n > 0 && words[0].1 == self.skip_ws_back(start) && ctx.lead_start == start {
            let w = words[0];
            let first = self.b[w.0];
            let possessive = matches!(self.byte(w.1), b'\'');
            let lower = self.lower(w);
            let common = lx::ends_noun_phrase(lower.as_str())
                || qualifier_of(lower.as_str(), "", "").is_some()
                || lx::sentence_opener(lower.as_str());
            if first.is_ascii_uppercase()
                && !possessive
                && !(self.opens_sentence(w.0) && common)
                && lx::month(self.text(w)).is_none()
            {
                ctx.after_name = true;
            }
        }
        ctx
    }

    /// "from $4.33 billion to ...", "rose 4% to 5%", "rose by 2% to 3%",
    /// "climbed up to 5% to 6%": a change from one figure to another.
    fn change_not_range(&self, ctx: &Context) -> bool {
        if ctx.up_to_verb {
            return true;
        }
        let lead0 = self.lower(ctx.lead_words[0]);
        let lead1 = self.lower(ctx.lead_words[1]);
        let (lead0, lead1) = (lead0.as_str(), lead1.as_str());
        (lead0 == "from" && !lx::range_from_lead(lead1))
            || lx::is_past_movement(lead0)
            || (lead0 == "by" && lx::is_movement_verb(lead1))
    }

    fn skip_ws_back(&self, mut i: usize) -> usize {
        while i > 0 && matches!(self.b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        i
    }

    /// True when the word at `i` starts a sentence, line or quotation.
    fn opens_sentence(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && matches!(self.b[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        match self.char_before(j) {
            None => true,
            Some(c) => matches!(
                c,
                '.' | '!'
                    | '?'
                    | ':'
                    | ';'
                    | '\n'
                    | '\r'
                    | '"'
                    | '“'
                    | '‘'
                    | '('
                    | '['
                    | '-'
                    | '–'
                    | '—'
                    | '*'
                    | '#'
                    | '>'
                    | '|'
            ),
        }
    }

    // ----- ranges, equivalents and the figure itself -----

    fn finish(&self, mut first: Side, ctx: Context) -> Option<Figure> {
        let mut second = None;
        if first
            .kind
            .is_none_or(|k| !matches!(k, FigureKind::Year | FigureKind::Date))
            && !(first.kind.is_none() && first.year.is_some())
        {
            second = self.range_end(&mut first, &ctx);
        }
        if second.is_none() && first.kind.is_none() {
            let year = first.year?;
            if first.neg {
                return None;
            }
            let qualifier = if ctx.qualifier == Qualifier::About {
                Qualifier::About
            } else {
                Qualifier::Exact
            };
            let date = DateParts {
                year: Some(year),
                month: None,
                day: None,
            };
            return Some(self.date_figure(
                first.start,
                first.num_end,
                FigureKind::Year,
                year as f64,
                date,
                qualifier,
            ));
        }
        let kind = first.kind?;
        let mut end = first.end;
        let mut per = first.per.take();
        let (qualifier, value, low, high, step) = match &second {
            Some(s2) => {
                end = s2.end;
                if s2.per.is_some() {
                    per = s2.per.clone();
                }
                let v = first.value();
                (
                    Qualifier::Range,
                    v,
                    Some(v),
                    Some(s2.value()),
                    first.step().min(s2.step()),
                )
            }
            None => {
                let mut q = ctx.qualifier;
                if kind == FigureKind::Duration
                    && matches!(q, Qualifier::Above | Qualifier::Below)
                    && self.qualifier_is_preposition(&ctx)
                {
                    q = Qualifier::Exact;
                }
                let v = first.value();
                let (lo, hi) = bounds(q, v);
                (q, v, lo, hi, first.step())
            }
        };
        let mut figure = Figure {
            span: Span::new(first.start, end),
            kind,
            value,
            low,
            high,
            step,
            unit: std::mem::take(&mut first.unit),
            qualifier,
            date: None,
            per,
            equivalent: None,
        };
        if kind == FigureKind::Money {
            if let Some((inner, close)) = self.equivalent(&figure) {
                figure.span = Span::new(figure.span.start(), close);
                figure.equivalent = Some(Box::new(inner));
            }
        }
        Some(figure)
    }

    /// "over" and "under" (and "above", "below") before a duration usually
    /// mean "during" or "within", not a bound.
    fn qualifier_is_preposition(&self, ctx: &Context) -> bool {
        let Some(w) = self.next_word(ctx.lead_start) else {
            return false;
        };
        matches!(self.lower(w).as_str(), "over" | "under" | "above" | "below")
    }

    /// Reads "to Y", "-Y", "–Y" or (after "between") "and Y" after the first
    /// side, and merges units; returns the high end when it is a range.
    fn range_end(&self, first: &mut Side, ctx: &Context) -> Option<Side> {
        if first.per.is_some() && first.kind != Some(FigureKind::Money) {
            return None;
        }
        let p = if first.kind.is_some() {
            first.end
        } else {
            first.num_end
        };
        let q = self.skip_ws(p);
        // Two amounts joined by a bare dash are a range even after a verb of
        // movement: "sales up 5-6%" rose by five to six percent.
        let dashed = q == p && matches!(self.char_at(q), Some('-' | '–'));
        if !dashed && self.change_not_range(ctx) {
            return None;
        }
        let second_at = match self.char_at(q)? {
            '-' if q == p => q + 1,
            '–' => self.skip_ws(q + '–'.len_utf8()),
            '-' => {
                // "$40 - $50": spaced hyphen, both sides spaced.
                let r = q + 1;
                if matches!(self.byte(r), b' ') {
                    self.skip_ws(r)
                } else {
                    return None;
                }
            }
            _ => {
                let w = self.next_word(p)?;
                let lw = self.lower(w);
                let ok = match lw.as_str() {
                    "to" => !ctx.between,
                    "and" => ctx.between,
                    _ => false,
                };
                if !ok {
                    return None;
                }
                let r = self.skip_ws(w.1);
                if r == w.1 {
                    return None;
                }
                r
            }
        };
        let mut second = self.side_at(second_at)?;
        // Phone numbers and codes: "555-123-4567".
        if matches!(self.byte(second.num_end), b'-') && self.is_digit(second.num_end + 1) {
            return None;
        }
        if second.frac.is_some() || first.frac.is_some() {
            return None;
        }
        // Work on a copy: the first side keeps its own reading if this is no range.
        let original = first;
        let first = &mut original.clone();
        // Share units between the ends: "3 to 3.5%", "$40–50", "$4 to 5 billion".
        match (first.kind, second.kind) {
            (None, None) => return None,
            (None, Some(k)) => {
                if matches!(k, FigureKind::Year | FigureKind::Date) {
                    return None;
                }
                first.kind = Some(k);
                first.unit = second.unit.clone();
                if first.shift == 0 && second.shift != 0 {
                    first.apply_shift(second.shift);
                    first.scaled = second.scaled;
                }
            }
            (Some(FigureKind::Money), None) => {
                second.kind = first.kind;
                second.unit = first.unit.clone();
            }
            (Some(FigureKind::Money), Some(FigureKind::Count))
                if second.unit.is_empty() && !second.currency_prefix =>
            {
                second.kind = first.kind;
                second.unit = first.unit.clone();
                if first.shift == 0 && second.shift != 0 {
                    first.apply_shift(second.shift);
                }
            }
            (Some(FigureKind::Money), Some(FigureKind::Money))
                if first.shift == 0 && second.shift != 0 && !first.scaled =>
            {
                first.apply_shift(second.shift);
            }
            (Some(_), None) => {
                second.kind = first.kind;
                second.unit = first.unit.clone();
            }
            _ => {}
        }
        if first.kind != second.kind || first.unit != second.unit {
            return None;
        }
        if first.value() >= second.value() {
            return None;
        }
        *original = first.clone();
        Some(second)
    }

    /// "2 billion yuan ($300 million)", "€1.1 billion, or about $1.3 billion".
    fn equivalent(&self, outer: &Figure) -> Option<(Figure, usize)> {
        let p = self.skip_ws(outer.span.end());
        let (inner_at, bracketed) = match self.byte(p) {
            b'(' => (self.skip_ws(p + 1), true),
            b',' => {
                let w = self.next_word(p + 1)?;
                if self.lower(w).as_str() != "or" {
                    return None;
                }
                (self.skip_ws(w.1), false)
            }
            _ => return None,
        };
        let mut at = inner_at;
        let mut qualifier = None;
        // "(about $300 million)", "(US$300m)".
        for _ in 0..2 {
            if !self.is_letter(at) {
                break;
            }
            let we = self.word_end(at);
            if self.byte(we) == b'$' || lx::currency_code(self.text((at, we))).is_some() {
                break;
            }
            let w = self.lower((at, we));
            match qualifier_of(w.as_str(), "", "") {
                Some((q, 1)) => qualifier = Some(q),
                _ => match w.as_str() {
                    "approx" | "or" | "some" | "est" => qualifier = Some(Qualifier::About),
                    _ => return None,
                },
            }
            at = self.skip_ws(if self.byte(we) == b'.' { we + 1 } else { we });
        }
        let c = self.byte(at);
        if !(c == b'$' || c >= 0xC2 || c.is_ascii_alphabetic()) {
            return None;
        }
        let inner = self.side_at(at)?;
        if inner.kind != Some(FigureKind::Money) || inner.unit == outer.unit {
            return None;
        }
        let close = if bracketed {
            let r = self.skip_ws(inner.end);
            if self.byte(r) != b')' {
                return None;
            }
            r + 1
        } else {
            inner.end
        };
        let qualifier = qualifier.unwrap_or(outer.qualifier);
        let v = inner.value();
        let (low, high) = if qualifier == Qualifier::Range {
            // A range outside, one amount inside: the inner is the same span
            // of money, so scale the outer bounds by the written rate.
            let rate = v / outer.value;
            (outer.low.map(|l| l * rate), outer.high.map(|h| h * rate))
        } else {
            bounds(qualifier, v)
        };
        let figure = Figure {
            span: Span::new(inner.start, inner.end),
            kind: FigureKind::Money,
            value: v,
            low,
            high,
            step: inner.step(),
            unit: inner.unit,
            qualifier,
            date: None,
            per: inner.per,
            equivalent: None,
        };
        Some((figure, close))
    }

    // ----- dates -----

    fn date_figure(
        &self,
        start: usize,
        end: usize,
        kind: FigureKind,
        value: f64,
        date: DateParts,
        qualifier: Qualifier,
    ) -> Figure {
        Figure {
            span: Span::new(start, end),
            kind,
            value,
            low: Some(value),
            high: Some(value),
            step: 1.0,
            unit: String::new(),
            qualifier,
            date: Some(date),
            per: None,
            equivalent: None,
        }
    }

    fn date(&self, start: usize, end: usize, date: DateParts) -> Figure {
        let value = date.year.unwrap_or(0) as f64 * 10000.0
            + date.month.unwrap_or(0) as f64 * 100.0
            + date.day.unwrap_or(0) as f64;
        let about = self.context(start).qualifier == Qualifier::About;
        let qualifier = if about {
            Qualifier::About
        } else {
            Qualifier::Exact
        };
        self.date_figure(start, end, FigureKind::Date, value, date, qualifier)
    }

    /// "2025-10-28".
    fn iso_date(&self, i: usize, d: &Digits) -> Option<Figure> {
        if d.int_digits != 4 || d.decimals > 0 || d.commas || self.byte(d.end) != b'-' {
            return None;
        }
        let b = self.b;
        let m_at = d.end + 1;
        if b.len() < m_at + 5
            || !(self.is_digit(m_at) && self.is_digit(m_at + 1))
            || b[m_at + 2] != b'-'
            || !(self.is_digit(m_at + 3) && self.is_digit(m_at + 4))
            || self.is_digit(m_at + 5)
        {
            return None;
        }
        let month = (b[m_at] - b'0') * 10 + (b[m_at + 1] - b'0');
        let day = (b[m_at + 3] - b'0') * 10 + (b[m_at + 4] - b'0');
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let date = DateParts {
            year: Some(d.mant as i32),
            month: Some(month),
            day: Some(day),
        };
        Some(self.date(i, m_at + 5, date))
    }

    /// A day of the month written at `i`, "10" or "10th": its value and end.
    fn day_at(&self, i: usize) -> Option<(u8, usize)> {
        let mut j = i;
        while self.is_digit(j) && j - i < 3 {
            j += 1;
        }
        if j == i || j - i > 2 || self.is_digit(j) {
            return None;
        }
        let day: u8 = self.s.get(i..j)?.parse().ok()?;
        if !(1..=31).contains(&day) {
            return None;
        }
        let we = self.word_end(j);
        if we > j {
            if !matches!(self.text((j, we)), "st" | "nd" | "rd" | "th") {
                return None;
            }
            j = we;
        }
        if is_word_byte(self.byte(j)) || matches!(self.byte(j), b'%' | b':' | b'/') {
            return None;
        }
        if self.byte(j) == b',' && self.is_digit(j + 1) {
            return None;
        }
        if matches!(self.byte(j), b'.' | b',') && self.is_digit(j + 1) {
            return None;
        }
        Some((day, j))
    }

    /// A year after a date part: " 2025" or ", 2025".
    fn year_after(&self, p: usize) -> Option<(i32, usize)> {
        let mut q = p;
        if self.byte(q) == b',' {
            q += 1;
        }
        let r = self.skip_ws(q);
        if r == q && q == p {
            return None;
        }
        if !(0..4).all(|k| self.is_digit(r + k)) || is_word_byte(self.byte(r + 4)) {
            return None;
        }
        if matches!(self.byte(r + 4), b'%') || (self.byte(r + 4) == b',' && self.is_digit(r + 5)) {
            return None;
        }
        let year: i32 = self.s.get(r..r + 4)?.parse().ok()?;
        (1800..=2099).contains(&year).then_some((year, r + 4))
    }

    /// "10 November", "31 December 2004", "4th July".
    fn day_month_date(&self, i: usize, d: &Digits) -> Option<Figure> {
        if d.int_digits > 2 || d.decimals > 0 {
            return None;
        }
        let (day, after_day) = self.day_at(i)?;
        let m = self.next_word(after_day)?;
        if m.0 != after_day + 1 {
            return None;
        }
        let (month, abbrev) = lx::month(self.text(m))?;
        let mut end = m.1;
        if abbrev && self.byte(end) == b'.' {
            end += 1;
        }
        if self.is_letter(end) {
            return None;
        }
        let mut date = DateParts {
            year: None,
            month: Some(month),
            day: Some(day),
        };
        if let Some((year, e)) = self.year_after(end) {
            date.year = Some(year);
            end = e;
        }
        Some(self.date(i, end, date))
    }

    /// A month name at `i`: "Nov. 10", "December 15, 2025", "November 2025",
    /// and "in January" (a month alone only after a preposition of time).
    fn month_date(&self, i: usize, end: usize, month: u8, abbrev: bool) -> Option<Figure> {
        let mut p = end;
        if abbrev && self.byte(p) == b'.' {
            p += 1;
        }
        let q = self.skip_ws(p);
        let mut date = DateParts {
            year: None,
            month: Some(month),
            day: None,
        };
        if q > p && self.is_digit(q) {
            if let Some((day, after)) = self.day_at(q) {
                // "May 5 million" is not a date.
                let scale_after = self
                    .next_word(after)
                    .is_some_and(|w| lx::scale_word(self.lower(w).as_str()).is_some());
                if !scale_after {
                    date.day = Some(day);
                    let mut last = after;
                    if let Some((year, e)) = self.year_after(after) {
                        date.year = Some(year);
                        last = e;
                    }
                    return Some(self.date(i, last, date));
                }
            }
            if let Some((year, e)) = self.year_after(p) {
                if self.skip_ws(p) == q {
                    date.year = Some(year);
                    return Some(self.date(i, e, date));
                }
            }
        }
        // A month alone.
        let prev = match self.char_before(i) {
            Some('-') => self.prev_word(i - 1),
            _ => self.prev_word(i),
        }?;
        if !lx::month_preposition(self.lower(prev).as_str(), month) {
            return None;
        }
        // "in May Smith said": a capitalised word right after is a name.
        if let Some(next) = self.next_word(p) {
            if self.b[next.0].is_ascii_uppercase() && next.0 == p + 1 && month == 5 {
                return None;
            }
        }
        Some(self.date(i, p, date))
    }
}

/// Bounds for a single value under a qualifier.
fn bounds(qualifier: Qualifier, v: f64) -> (Option<f64>, Option<f64>) {
    match qualifier {
        Qualifier::Exact | Qualifier::About | Qualifier::Range => (Some(v), Some(v)),
        Qualifier::AtMost | Qualifier::Below | Qualifier::Nearly => (None, Some(v)),
        Qualifier::AtLeast | Qualifier::Above | Qualifier::JustOver => (Some(v), None),
    }
}

/// The qualifier phrase ending just before a figure, given the nearest
/// three words (nearest first), and how many words it uses.
fn qualifier_of(w0: &str, w1: &str, w2: &str) -> Option<(Qualifier, usize)> {
    use Qualifier::*;
    let three = match (w2, w1, w0) {
        ("no" | "not", "more", "than") => Some(AtMost),
        ("slightly" | "little" | "just", "more", "than") => Some(JustOver),
        ("well", "more", "than") => Some(Above),
        ("a", "little", "over" | "above") => Some(JustOver),
        ("a", "little", "under" | "below") => Some(Nearly),
        ("just", "shy", "of") => Some(Nearly),
        ("slightly" | "just" | "little", "less" | "fewer", "than") => Some(Nearly),
        ("in", "excess", "of") => Some(Above),
        ("as", "much" | "many", "as") => Some(AtMost),
        ("as", "few" | "little", "as") => Some(AtLeast),
        ("no" | "not", "less" | "fewer", "than") => Some(AtLeast),
        ("a", "maximum", "of") => Some(AtMost),
        ("a", "minimum", "of") => Some(AtLeast),
        _ => None,
    };
    if let Some(q) = three {
        return Some((q, 3));
    }
    let two = match (w1, w0) {
        ("up", "to") => Some(AtMost),
        ("at", "most") => Some(AtMost),
        ("less" | "fewer", "than") => Some(Below),
        ("at", "least") => Some(AtLeast),
        ("more" | "greater", "than") => Some(Above),
        ("upwards" | "upward", "of") => Some(Above),
        ("well", "over" | "above") => Some(Above),
        ("just" | "slightly", "over" | "above") => Some(JustOver),
        ("just" | "slightly", "under" | "below") => Some(Nearly),
        ("close", "to") => Some(Nearly),
        ("an", "estimated") => Some(About),
        _ => None,
    };
    if let Some(q) = two {
        return Some((q, 2));
    }
    let one = match w0 {
        "about" | "around" | "roughly" | "approximately" | "approx" | "some" | "circa"
        | "estimated" => Some(About),
        "nearly" | "almost" => Some(Nearly),
        "over" | "above" | "exceeding" => Some(Above),
        "under" | "below" => Some(Below),
        _ => None,
    };
    one.map(|q| (q, 1))
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
