//! Reading a number: what may stand before its first digit, its digits,
//! commas and decimals, number words, fractions and scale words.

use crate::extract::FigureKind;

use super::{lx, Digits, Scan, Side};

impl Scan<'_> {
    /// Checks what stands just before the digit at `i`; returns the figure's
    /// start (moved back over a minus sign) and whether it is negative.
    pub(super) fn left_of_number(&self, i: usize) -> Option<(usize, bool)> {
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

    pub(super) fn lex_digits(&self, i: usize) -> Option<Digits> {
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

    pub(super) fn side_from_digits(&self, start: usize, d: &Digits) -> Side {
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
    pub(super) fn after_number_sign(&self, start: usize) -> bool {
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
    pub(super) fn is_list_marker(&self, i: usize, d: &Digits) -> bool {
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
    pub(super) fn word_number(&self, i: usize, end: usize, word: &str) -> Option<Side> {
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
    pub(super) fn fraction(&self, i: usize, end: usize, word: &str) -> Option<Side> {
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
}
