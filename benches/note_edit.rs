//! What one edit costs the engine, without the server around it: a generated
//! 1,000-line note is checked once against a generated corpus (10 MB unless
//! `REFNOTES_BENCH_SIZES` says otherwise), then a character is typed or
//! deleted at a random place and the note re-checked with its `NoteCache`,
//! timing each re-check, and, apart, what reading the whole note again would
//! cost (`extract::analyze`). `REFNOTES_EDITS` sets how many edits (300).
//! Run as a test
//! (`cargo test --bench note_edit`) it uses 1 MB and checks that every
//! incremental result equals a full check of the same text.

mod common;

use std::time::Instant;

use common::Rng;
use refnotes::check::{analyze_note, analyze_note_cached, CheckOptions, NoteCache};
use refnotes::corpus::{Corpus, CorpusOptions};

const NOTE_LINES: usize = 1_000;

fn main() {
    let testing = common::running_as_test();
    let sizes = match std::env::var("REFNOTES_BENCH_SIZES") {
        Ok(_) => common::bench_sizes_mb(),
        Err(_) if testing => vec![1],
        Err(_) => vec![10],
    };
    let edits = if testing {
        20
    } else {
        std::env::var("REFNOTES_EDITS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300)
    };
    for megabytes in sizes {
        let sources = common::generate_corpus(megabytes * common::MB, common::SEED);
        let mut note = common::generate_note(&sources, NOTE_LINES, common::SEED);
        let corpus = Corpus::from_sources(sources, CorpusOptions::default());
        let options = CheckOptions::default();
        let mut cache = NoteCache::default();
        let started = Instant::now();
        analyze_note_cached(&corpus, &note, &options, &mut cache);
        let cold = started.elapsed().as_secs_f64() * 1e3;
        let mut rng = Rng::new(common::SEED ^ megabytes as u64);
        let mut times = Vec::new();
        let mut extract_times = Vec::new();
        for _ in 0..edits {
            edit(&mut note, &mut rng);
            let started = Instant::now();
            let incremental = analyze_note_cached(&corpus, &note, &options, &mut cache);
            times.push(started.elapsed().as_secs_f64() * 1e3);
            let started = Instant::now();
            let _ = refnotes::extract::analyze(&note, true, true);
            extract_times.push(started.elapsed().as_secs_f64() * 1e3);
            if testing {
                let full = analyze_note(&corpus, &note, &options);
                assert_eq!(format!("{incremental:?}"), format!("{full:?}"));
            }
        }
        println!(
            "{megabytes} MB, {NOTE_LINES}-line note: cold check {cold:.0} ms; per edit p50 {:.2} ms, \
             p99 {:.2} ms, max {:.2} ms; of which a whole-note extraction would be p50 {:.2} ms",
            percentile(&mut times, 50.0),
            percentile(&mut times, 99.0),
            percentile(&mut times, 100.0),
            percentile(&mut extract_times, 50.0),
        );
    }
}

/// Types a letter or deletes a character at a random place (on a char boundary).
fn edit(note: &mut String, rng: &mut Rng) {
    let mut at = rng.below(note.len());
    while !note.is_char_boundary(at) {
        at -= 1;
    }
    if rng.chance(50) && at < note.len() {
        let c = note[at..].chars().next().unwrap();
        if c != '\n' {
            note.replace_range(at..at + c.len_utf8(), "");
            return;
        }
    }
    note.insert(at, 'e');
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((p / 100.0) * (values.len() - 1) as f64).round() as usize;
    values[i]
}
