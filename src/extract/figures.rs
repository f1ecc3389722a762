//! Figures: money, percentages, counts, quantities, years, dates and durations.
// PLACEHOLDER: replaced by the figure extractor.

use super::Figure;

/// Every figure in `text`, in order, spans relative to `text`.
pub fn find(text: &str) -> Vec<Figure> {
    let _ = text;
    Vec::new()
}
