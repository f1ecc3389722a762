//! Property tests (proptest) of the engine's position and agreement rules:
//! spans move and come back, line indexes convert both ways on any mix of
//! wide characters and line breaks, and figure agreement is symmetric where
//! it should be and bounded by the precision and tolerance it claims.

use proptest::prelude::*;
use refnotes::check::agree;
use refnotes::extract::{Figure, FigureKind, Qualifier};
use refnotes::text::{column_width, ColumnUnit, LineCol, LineIndex, Span};

/// Pieces of text that make conversions differ by unit: accents, curly
/// quotes, dashes, £, CJK, an emoji (two UTF-16 units), and every line break.
const PIECES: &[&str] = &[
    "a", "Z", " ", "é", "e\u{301}", "“", "”", "’", "–", "—", "£", "中", "文", "😀", "\n", "\r\n",
    "\r", "\t",
];

fn text_of(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces)
        .prop_map(|pieces| pieces.concat())
}

/// Some texts with one long line, so the index's checkpoints are used.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text_of(200),
        1 => (text_of(40), 1usize..400).prop_map(|(line, times)| line.replace(['\r', '\n'], " ").repeat(times)),
    ]
}

const UNITS: [ColumnUnit; 3] = [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_shifted_there_and_back_are_unchanged(
        start in 0u32..1_000_000, len in 0u32..10_000, delta in -1_000_000i64..1_000_000
    ) {
        let span = Span { start, end: start + len };
        let moved = span.shifted(delta);
        prop_assert!(moved.start <= moved.end);
        if i64::from(start) + delta >= 0 {
            prop_assert_eq!(moved.len(), span.len());
            prop_assert_eq!(moved.shifted(-delta), span);
        } else {
            prop_assert_eq!(moved.start, 0);
        }
    }

    #[test]
    fn figures_shift_with_their_equivalents(start in 0u32..100_000, delta in -50_000i64..50_000) {
        prop_assume!(i64::from(start) + delta >= 0);
        let mut figure = money(300e6, 1e8, Qualifier::Exact);
        figure.span = Span { start, end: start + 30 };
        let mut equivalent = money(2e9, 1e9, Qualifier::Exact);
        equivalent.span = Span { start: start + 15, end: start + 29 };
        figure.equivalent = Some(Box::new(equivalent));
        let mut moved = figure.clone();
        moved.shift(delta);
        let inner = moved.equivalent.as_ref().unwrap().span;
        prop_assert_eq!(inner.start() as i64 - moved.span.start() as i64, 15);
        moved.shift(-delta);
        prop_assert_eq!(moved, figure);
    }

    #[test]
    fn line_index_round_trips_in_every_unit(text in any_text()) {
        let index = LineIndex::new(&text);
        // Every offset of a short text; a sample of a long one, whose
        // reference columns would otherwise cost the square of its length.
        let every = if text.len() > 2_000 { 61 } else { 1 };
        for (offset, _) in text.char_indices().step_by(every).chain([(text.len(), ' ')]) {
            let line = index.line_of(offset);
            let line_start = index.line_start(line);
            let before = &text[line_start..offset];
            for unit in UNITS {
                let at = index.line_col(&text, offset, unit);
                prop_assert_eq!(at.line as usize, line);
                prop_assert_eq!(at.col as usize, column_width(before, unit));
                // Inside "\r\n" there is no column of its own: both land on the break.
                let inside_crlf = offset > 0 && text.as_bytes()[offset - 1] == b'\r'
                    && text.as_bytes().get(offset) == Some(&b'\n');
                if !inside_crlf {
                    prop_assert_eq!(index.offset(&text, at, unit), offset, "{:?}", unit);
                }
            }
        }
    }

    #[test]
    fn any_position_converts_to_a_boundary_without_panicking(
        text in any_text(), line in 0u32..50, col in 0u32..2_000
    ) {
        let index = LineIndex::new(&text);
        for unit in UNITS {
            let offset = index.offset(&text, LineCol { line, col }, unit);
            prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
        }
    }

    #[test]
    fn agreement_is_symmetric_between_plain_and_hedged_amounts(
        a in 1.0f64..1e9, b in 1.0f64..1e9, step_a in 0u32..10, step_b in 0u32..10,
        hedged_a: bool, hedged_b: bool, tolerance in 0.0f64..0.05
    ) {
        let qualifier = |hedged| if hedged { Qualifier::About } else { Qualifier::Exact };
        let x = money(a, 10f64.powi(step_a as i32 - 3), qualifier(hedged_a));
        let y = money(b, 10f64.powi(step_b as i32 - 3), qualifier(hedged_b));
        prop_assert_eq!(
            agree::agrees(&x, &y, 1.0, tolerance),
            agree::agrees(&y, &x, 1.0, tolerance)
        );
        prop_assert!(agree::agrees(&x, &x, 1.0, tolerance));
    }

    #[test]
    fn exact_amounts_agree_only_within_their_rounding_and_the_tolerance(
        a in 1.0f64..1e9, ratio in 0.5f64..1.5, step in 0u32..12, tolerance in 0.0f64..0.05
    ) {
        let step = 10f64.powi(step as i32 - 3);
        let b = a * ratio;
        let (x, y) = (money(a, step, Qualifier::Exact), money(b, step, Qualifier::Exact));
        let agrees = agree::agrees(&x, &y, 1.0, tolerance);
        // Rounding is honoured up to half a step, capped at 5% of the amount.
        let reach = |v: f64| (step / 2.0).min(0.05 * v) + tolerance * v;
        if agrees {
            prop_assert!((a - b).abs() <= reach(a).max(reach(b)) * (1.0 + 1e-9) + 1e-9);
        }
        if (a - b).abs() <= (step / 2.0).min(0.05 * a.min(b)) * 0.999 {
            prop_assert!(agrees, "{} and {} at step {}", a, b, step);
        }
        // More tolerance never turns agreement into disagreement.
        if agrees {
            prop_assert!(agree::agrees(&x, &y, 1.0, tolerance + 0.01));
        }
    }
}

fn money(value: f64, step: f64, qualifier: Qualifier) -> Figure {
    Figure {
        span: Span::default(),
        kind: FigureKind::Money,
        value,
        low: None,
        high: None,
        step,
        unit: "USD".into(),
        qualifier,
        date: None,
        per: None,
        equivalent: None,
    }
}
