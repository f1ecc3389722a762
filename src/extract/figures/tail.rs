//! What follows a number: suffixes and scales glued to the digits, percent
//! words, currency words, units, counted nouns and per-phrases, and the
//! time references and names that make a number no figure.

use crate::extract::{FigureKind, Qualifier};

use super::{is_word_byte, lx, Context, Lower, Scan, Side};

impl Scan<'_> {
    /// Reads the suffix, scale, unit, currency word or counted noun after
    /// the number in `side`. False when the number must not be a figure at
    /// all (glued to letters, a time of day).
    pub(super) fn read_tail(&self, side: &mut Side, ctx: &Context) -> bool {
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
    pub(super) fn read_per(&self, side: &mut Side) {
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
}
