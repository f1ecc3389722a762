//! When two figures state the same amount: agreement honours the precision
//! each side claims, its qualifier ("up to", "about"), ranges, and currency
//! conversion at a rate the sources themselves state.

use crate::corpus::index::RateTable;
use crate::extract::{Figure, FigureKind, Qualifier};

/// The widest a stated figure's rounding may stretch, relative to its value:
/// "300 million" rounds at the hundred millions, but a writer who means 340
/// does not write 300.
const MAX_ROUNDING: f64 = 0.05;
/// How far "about" reaches, relative to the value.
const ABOUT: f64 = 0.10;
/// Slack for amounts converted between currencies (rates are rounded).
const CONVERSION_SLACK: f64 = 0.03;

/// The amounts a figure allows, as a closed interval.
pub fn interval(figure: &Figure, tolerance: f64) -> (f64, f64) {
    let v = figure.value;
    let magnitude = v.abs();
    let mut half = (figure.step / 2.0).min(MAX_ROUNDING * magnitude).max(0.0);
    half += tolerance * magnitude;
    let about = half.max(ABOUT * magnitude);
    let low = figure.low.unwrap_or(v);
    let high = figure.high.unwrap_or(v);
    match figure.qualifier {
        Qualifier::Exact => (v - half, v + half),
        Qualifier::About => (v - about, v + about),
        Qualifier::AtMost | Qualifier::Below => (f64::NEG_INFINITY.max(0.0f64.min(v)), high + half),
        // "Nearly 7%" is below 7%, however the 7 was rounded.
        Qualifier::Nearly => (v - about, high),
        Qualifier::AtLeast | Qualifier::Above => (low - half, f64::INFINITY),
        Qualifier::JustOver => (low - half, v + about),
        Qualifier::Range => (low - half, high + half),
    }
}

fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// Percent-like units on one scale: percentage points and basis points.
fn percent_scale(unit: &str) -> f64 {
    if unit == "bp" {
        0.01
    } else {
        1.0
    }
}

/// Whether `note` and `source` can be compared at all: the same kind of
/// quantity in units that convert. Returns the factor that brings the
/// source's amounts into the note's unit.
pub fn conversion(
    note: &Figure,
    source: &Figure,
    rates: &RateTable,
    source_doc: u32,
) -> Option<f64> {
    if note.kind != source.kind {
        return None;
    }
    if let (Some(a), Some(b)) = (&note.per, &source.per) {
        if a != b {
            return None;
        }
    }
    match note.kind {
        FigureKind::Money => {
            if note.unit == source.unit {
                Some(1.0)
            } else {
                rates.rate(&source.unit, &note.unit, source_doc)
            }
        }
        FigureKind::Percent => {
            let (a, b) = (note.unit.as_str(), source.unit.as_str());
            let point_like = |u: &str| matches!(u, "pp" | "bp");
            if a == b || (point_like(a) && point_like(b)) || (a != "bp" && b != "bp") {
                Some(percent_scale(b) / percent_scale(a))
            } else {
                None
            }
        }
        FigureKind::Count => {
            if units_related(&note.unit, &source.unit) {
                Some(1.0)
            } else {
                None
            }
        }
        FigureKind::Duration | FigureKind::Quantity => (note.unit == source.unit).then_some(1.0),
        FigureKind::Year | FigureKind::Date => Some(1.0),
    }
}

/// Whether two counted things may be the same ("people" and "employees").
pub fn units_related(a: &str, b: &str) -> bool {
    const STAFF: &[&str] = &[
        "employee", "person", "people", "staff", "worker", "job", "staffer",
    ];
    a.is_empty()
        || b.is_empty()
        || a == b
        || a.ends_with(b)
        || b.ends_with(a)
        || (STAFF.contains(&a) && STAFF.contains(&b))
}

/// Whether `source` could confirm `note` by its amount alone: bounded on both
/// sides, and stated at least as precisely ("12%" does not confirm "12.2%";
/// "below $80" confirms no price).
pub fn confirms_alone(note: &Figure, source: &Figure, factor: f64) -> bool {
    let two_sided = matches!(
        source.qualifier,
        Qualifier::Exact | Qualifier::About | Qualifier::Range
    );
    let precise = source.step * factor <= note.step * (1.0 + 1e-9)
        || matches!(note.kind, FigureKind::Date | FigureKind::Year);
    two_sided && (precise || factor != 1.0)
}

/// Whether the two figures state the same amount as written, without the
/// reach of "about": the test for support that rests on the amount alone.
pub fn agrees_strictly(note: &Figure, source: &Figure, factor: f64, tolerance: f64) -> bool {
    // "1 June" may be the note's "June 2029" or any other year's June.
    if let (Some(n), Some(s)) = (note.date, source.date) {
        if n.year.is_some() && s.year.is_none() {
            return false;
        }
    }
    let strict = |f: &Figure| {
        let mut f = f.clone();
        if f.qualifier == Qualifier::About {
            f.qualifier = Qualifier::Exact;
        }
        f
    };
    agrees(&strict(note), &strict(source), factor, tolerance)
}

/// Whether the two figures state the same amount.
pub fn agrees(note: &Figure, source: &Figure, factor: f64, tolerance: f64) -> bool {
    match note.kind {
        FigureKind::Date => return dates_agree(note, source),
        FigureKind::Year => return note.value == source.value,
        FigureKind::Money
        | FigureKind::Percent
        | FigureKind::Count
        | FigureKind::Quantity
        | FigureKind::Duration => {}
    }
    let slack = if factor == 1.0 { 0.0 } else { CONVERSION_SLACK };
    let scale = |(lo, hi): (f64, f64)| {
        let (lo, hi) = (lo * factor, hi * factor);
        let pad = slack * lo.abs().max(hi.abs()).min(f64::MAX);
        (lo.min(hi) - pad, lo.max(hi) + pad)
    };
    let note_range = interval(note, tolerance);
    let source_range = scale(interval(source, tolerance));
    if note.qualifier == Qualifier::Range && source.qualifier == Qualifier::Range {
        // Ranges agree end by end, not merely by overlapping.
        let ends = |f: &Figure, factor: f64| {
            let half = (f.step / 2.0).min(MAX_ROUNDING * f.value.abs()) + tolerance * f.value.abs();
            let lo = f.low.unwrap_or(f.value) * factor;
            let hi = f.high.unwrap_or(f.value) * factor;
            ((lo - half, lo + half), (hi - half, hi + half))
        };
        let (note_lo, note_hi) = ends(note, 1.0);
        let (src_lo, src_hi) = ends(source, factor);
        let widen = |(a, b): (f64, f64)| (a - slack * a.abs(), b + slack * b.abs());
        return overlaps(note_lo, widen(src_lo)) && overlaps(note_hi, widen(src_hi));
    }
    if note.qualifier == Qualifier::Range && source.qualifier != Qualifier::Range {
        return false;
    }
    let two_sided = |q: Qualifier| matches!(q, Qualifier::Exact | Qualifier::About);
    if two_sided(note.qualifier) && two_sided(source.qualifier) {
        // Two hedged amounts agree when each is within the wider one's reach,
        // not when their reaches merely touch: "some 60%" is not "roughly half".
        let centre = |(lo, hi): (f64, f64)| (lo + hi) / 2.0;
        let reach = |(lo, hi): (f64, f64)| (hi - lo) / 2.0;
        let gap = (centre(note_range) - centre(source_range)).abs();
        return gap <= reach(note_range).max(reach(source_range)) * (1.0 + 1e-9);
    }
    overlaps(note_range, source_range)
}

/// A note's date agrees with a source's when every part the note gives, the
/// source gives alike ("in March" agrees with "March 1"; "March 1" is not
/// confirmed by "in March"); a year only one side gives is taken as meant.
fn dates_agree(note: &Figure, source: &Figure) -> bool {
    let (Some(n), Some(s)) = (note.date, source.date) else {
        return note.value == source.value;
    };
    let years = match (n.year, s.year) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let given = |a: Option<u8>, b: Option<u8>| a.is_none() || a == b;
    years
        && given(n.month, s.month)
        && given(n.day, s.day)
        && (n.month.is_some() || n.year.is_some())
}

/// Whether a figure allows amounts without limit ("more than $190,000"): it
/// agrees with too much to support anything without context.
pub fn open_ended(figure: &Figure) -> bool {
    matches!(figure.qualifier, Qualifier::Above | Qualifier::AtLeast)
}

/// Whether a disagreeing source figure is plausibly the same fact misstated,
/// rather than a different fact: amounts within a factor of five, or the same
/// digits at another power of ten ("$4.6 million" for "$4.6 billion", "1.37
/// million" for "137,000"); years within a
/// generation; dates within two months.
pub fn comparable(note: &Figure, source: &Figure, factor: f64) -> bool {
    let a = note.value;
    let b = source.value * factor;
    match note.kind {
        FigureKind::Year => (a - b).abs() <= 30.0,
        FigureKind::Date => match (note.date, source.date) {
            (Some(x), Some(y)) => x.month.is_some() && x.month == y.month || (a - b).abs() <= 200.0,
            _ => false,
        },
        FigureKind::Percent => true,
        FigureKind::Money | FigureKind::Count | FigureKind::Quantity | FigureKind::Duration => {
            if a == 0.0 || b == 0.0 {
                return false;
            }
            let ratio = (a / b).abs();
            if (0.2..=5.0).contains(&ratio) {
                return true;
            }
            // The same digits at another power of ten: a slipped scale.
            let tens = ratio.log10();
            (tens - tens.round()).abs() < 1e-6
        }
    }
}

/// Whether a figure pins down a fact by itself: an amount of money, a value
/// with decimals, or a full date. A year, a round count or a whole percentage
/// recurs across unrelated facts and needs context to be tied to one.
pub fn distinctive(figure: &Figure) -> bool {
    match figure.kind {
        FigureKind::Money => true,
        FigureKind::Date => figure.date.is_some_and(|d| d.day.is_some()),
        FigureKind::Year => false,
        FigureKind::Percent | FigureKind::Count | FigureKind::Quantity | FigureKind::Duration => {
            figure.value.fract().abs() > 1e-9
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    fn money(value: f64, step: f64, unit: &str, qualifier: Qualifier) -> Figure {
        Figure {
            span: Span::default(),
            kind: FigureKind::Money,
            value,
            low: Some(value),
            high: Some(value),
            step,
            unit: unit.into(),
            qualifier,
            date: None,
            per: None,
            equivalent: None,
        }
    }

    #[test]
    fn a_date_without_a_year_agrees_only_loosely_with_one_that_has_it() {
        let figure = |text: &str| {
            crate::extract::analyze(text, false, false).figures[0]
                .0
                .clone()
        };
        let note = figure("It runs until June 2029.");
        let yearless = figure("The parade is on 1 June.");
        let dated = figure("It was signed on 1 June 2029.");
        assert!(agrees(&note, &yearless, 1.0, 0.0));
        assert!(!agrees_strictly(&note, &yearless, 1.0, 0.0));
        assert!(agrees_strictly(&note, &dated, 1.0, 0.0));
    }

    #[test]
    fn stated_precision_and_qualifiers() {
        let note = money(300e6, 1e8, "USD", Qualifier::Exact);
        assert!(agrees(
            &note,
            &money(301.2e6, 1e5, "USD", Qualifier::Exact),
            1.0,
            0.0
        ));
        assert!(agrees(
            &note,
            &money(0.3e9, 1e8, "USD", Qualifier::Exact),
            1.0,
            0.0
        ));
        assert!(agrees(
            &note,
            &money(301.2e6, 1e5, "USD", Qualifier::AtMost),
            1.0,
            0.0
        ));
        assert!(!agrees(
            &money(450e6, 1e7, "USD", Qualifier::Exact),
            &money(301.2e6, 1e5, "USD", Qualifier::AtMost),
            1.0,
            0.0
        ));
        assert!(!agrees(
            &money(340e6, 1e7, "USD", Qualifier::Exact),
            &note,
            1.0,
            0.0
        ));
        assert!(agrees(
            &money(4.62e9, 1e7, "USD", Qualifier::Exact),
            &money(4.6e9, 1e8, "USD", Qualifier::Exact),
            1.0,
            0.0
        ));
        assert!(!agrees(
            &money(4.26e9, 1e7, "USD", Qualifier::Exact),
            &money(4.33e9, 1e7, "USD", Qualifier::Exact),
            1.0,
            0.0
        ));
        assert!(agrees(
            &money(303e6, 1e6, "USD", Qualifier::Exact),
            &note,
            1.0,
            0.01
        ));
    }

    #[test]
    fn currencies_convert_at_the_sources_rate() {
        let rates = RateTable::new(vec![crate::corpus::index::Rate {
            doc: 0,
            from: "CNY".into(),
            to: "USD".into(),
            rate: 0.15,
        }]);
        let note = money(300e6, 1e8, "USD", Qualifier::Exact);
        let yuan = money(2e9, 1e9, "CNY", Qualifier::Exact);
        let factor = conversion(&note, &yuan, &rates, 0).unwrap();
        assert!(agrees(&note, &yuan, factor, 0.0));
        let back = conversion(&yuan, &note, &rates, 0).unwrap();
        assert!((back - 1.0 / 0.15).abs() < 1e-9);
        assert_eq!(
            conversion(&note, &money(1.0, 1.0, "EUR", Qualifier::Exact), &rates, 0),
            None
        );
    }

    #[test]
    fn comparable_amounts_are_near_or_misscaled() {
        let a = money(4.62e9, 1e7, "USD", Qualifier::Exact);
        assert!(comparable(
            &a,
            &money(4.26e9, 1e7, "USD", Qualifier::Exact),
            1.0
        ));
        assert!(comparable(
            &a,
            &money(4.62e6, 1e4, "USD", Qualifier::Exact),
            1.0
        ));
        assert!(!comparable(
            &a,
            &money(1.37, 0.01, "USD", Qualifier::Exact),
            1.0
        ));
    }
}
