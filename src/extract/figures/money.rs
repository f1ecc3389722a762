//! Money written with a sign or code before the amount ("$300 million",
//! "US$300m", "RMB 2 billion") and which currency an ambiguous sign means.

use crate::extract::{Figure, FigureKind, Qualifier};

use super::{lx, Context, Scan, Side};

impl Scan<'_> {
    /// Money written with a sign or code before the amount: "$300 million",
    /// "US$300m", "RMB 2 billion", "£75m".
    pub(super) fn money_from_prefix(
        &self,
        start: usize,
        code: &'static str,
        after: usize,
    ) -> Option<Figure> {
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
    pub(super) fn side_at(&self, i: usize) -> Option<Side> {
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

    pub(super) fn plain_context(&self) -> Context {
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
}
