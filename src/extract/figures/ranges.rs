//! Finishing a figure: ranges ("3% to 3.5%", "between 4 and 5 percent"),
//! equivalents in another currency ("2 billion yuan ($300 million)") and
//! the `Figure` built from what was read.

use crate::extract::{DateParts, Figure, FigureKind, Qualifier};
use crate::text::Span;

use super::lead::qualifier_of;
use super::{bounds, lx, Context, Scan, Side};

impl Scan<'_> {
    pub(super) fn finish(&self, mut first: Side, ctx: Context) -> Option<Figure> {
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
            (Some(_), Some(_)) => {}
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
    pub(super) fn equivalent(&self, outer: &Figure) -> Option<(Figure, usize)> {
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
}
