//! Markdown prose detection and the whole extraction pipeline on any text:
//! prose blocks and hidden spans fit the text, and everything extracted
//! lies inside a sentence that lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|text: &str| {
    let prose = refnotes::extract::markdown::parse(text);
    for block in &prose.blocks {
        common::assert_on_boundaries(text, block.span, "block");
    }
    for hidden in &prose.hidden {
        common::assert_on_boundaries(text, *hidden, "hidden");
    }
    let analysis = refnotes::extract::analyze(text, true, true);
    for sentence in &analysis.sentences {
        common::assert_on_boundaries(text, *sentence, "sentence");
    }
    for (figure, sentence) in &analysis.figures {
        common::assert_on_boundaries(text, figure.span, "figure");
        assert!(analysis.sentences[*sentence as usize].contains_span(figure.span));
    }
    for (quote, _) in &analysis.quotes {
        common::assert_on_boundaries(text, quote.span, "quote");
        assert!(quote.span.contains_span(quote.inner));
    }
    for (citation, _) in &analysis.citations {
        common::assert_on_boundaries(text, citation.span, "citation");
    }
});
