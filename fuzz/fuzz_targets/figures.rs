//! Figure extraction on any text: never panics, spans on character
//! boundaries and in order, values and bounds finite where they should be.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|text: &str| {
    let figures = refnotes::extract::figures::find(text);
    let mut previous_start = 0;
    for figure in &figures {
        common::assert_on_boundaries(text, figure.span, "figure");
        assert!(figure.span.start >= previous_start, "figures out of order");
        previous_start = figure.span.start;
        assert!(!figure.value.is_nan(), "NaN value at {:?}", figure.span);
        if let Some(equivalent) = &figure.equivalent {
            common::assert_on_boundaries(text, equivalent.span, "equivalent");
            assert!(figure.span.contains_span(equivalent.span));
        }
    }
});
