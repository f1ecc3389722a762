//! The editor's incremental check equals a fresh one: a note analysed with a
//! sentence cache, then edited (one deletion and one insertion anywhere) and
//! analysed again with the same cache, gives exactly what a fresh analysis of
//! the edited text gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refnotes::check::{analyze_note, analyze_note_cached, CheckOptions, NoteCache};

mod common;

fuzz_target!(|input: (&str, u16, u8, &str)| {
    let (before, at, deleted, inserted) = input;
    let mut at = usize::from(at).min(before.len());
    while !before.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + usize::from(deleted)).min(before.len());
    while !before.is_char_boundary(end) {
        end -= 1;
    }
    let after = format!("{}{inserted}{}", &before[..at], &before[end..]);
    let corpus = common::corpus();
    let options = CheckOptions::default();
    let mut cache = NoteCache::default();
    analyze_note_cached(corpus, before, &options, &mut cache);
    let incremental = analyze_note_cached(corpus, &after, &options, &mut cache);
    let fresh = analyze_note(corpus, &after, &options);
    assert_eq!(incremental, fresh, "after the edit: {after:?}");
});
