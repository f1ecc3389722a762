//! Sentence splitting on any text: sentences are in order, never overlap,
//! are trimmed and non-empty, and none is longer than the bound unless it is
//! one unbroken word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refnotes::extract::sentences::{split, MAX_SENTENCE_BYTES};
use refnotes::text::Span;

mod common;

fuzz_target!(|text: &str| {
    let sentences = split(text, Span::new(0, text.len()));
    let mut end = 0;
    for sentence in &sentences {
        common::assert_on_boundaries(text, *sentence, "sentence");
        assert!(sentence.start() >= end, "sentences overlap");
        end = sentence.end();
        let words = sentence.slice(text);
        assert!(
            !words.is_empty() && words.trim() == words,
            "untrimmed {words:?}"
        );
        if words.len() > MAX_SENTENCE_BYTES {
            // Only a piece with no ASCII whitespace where it could be cut may run on.
            let cuttable = &words.as_bytes()[1..MAX_SENTENCE_BYTES];
            assert!(
                !cuttable.iter().any(u8::is_ascii_whitespace),
                "a {} byte sentence",
                words.len()
            );
        }
    }
});
