//! Dates: month names with a day and year ("Nov. 17, 2017", "17 November"),
//! ISO dates, and day-month dates after a digit.

use crate::extract::{DateParts, Figure, FigureKind, Qualifier};
use crate::text::Span;

use super::{is_word_byte, lx, Digits, Scan};

impl Scan<'_> {
    pub(super) fn date_figure(
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

    pub(super) fn date(&self, start: usize, end: usize, date: DateParts) -> Figure {
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
    pub(super) fn iso_date(&self, i: usize, d: &Digits) -> Option<Figure> {
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
    pub(super) fn day_month_date(&self, i: usize, d: &Digits) -> Option<Figure> {
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
    pub(super) fn month_date(
        &self,
        i: usize,
        end: usize,
        month: u8,
        abbrev: bool,
    ) -> Option<Figure> {
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
