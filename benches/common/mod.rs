//! Deterministic synthetic news corpora and research notes for the benchmarks.
//!
//! The benches need corpora of 1, 10 and 100 MB whose text makes every
//! extractor do real work, and notes that ask the checker real questions about
//! them. [`generate_corpus`] writes wire stories, Markdown press releases with
//! front matter and earnings-call transcripts, 2–8 KB each, about invented
//! companies ("Norvalen Data Services Inc.", defined once as "(NDS)"), with
//! money in several currencies and scales ("$4.62 billion", "2 billion yuan
//! ($300 million)", "€1.1bn"), percentages, basis points, counts, number
//! words, ranges, dates, years, durations, quantities, quotes in curly marks
//! and abbreviations that must not end sentences (Inc., Co., U.S., Mr., Nov.).
//! Each company's facts are fixed per corpus and restated across documents in
//! different forms, as real coverage does. Between the fact sentences runs
//! background prose drawn from a Zipf-distributed vocabulary of 40,000 words
//! (the most common ones real English words), naming people and places made
//! up per document and stating figures of its own (counts of things, shares,
//! amounts, dates, distances), so that term statistics, name grouping and
//! figure extraction see the spread real news has rather than a few hundred
//! words. [`generate_note`] then writes a
//! Markdown note about a corpus: figures and quotes copied right, figures
//! altered, quotes misworded, citations to the wrong or to a missing document,
//! and numbers that have nothing to do with the sources.
//!
//! Everything comes from a seed through a small xorshift generator, so a given
//! size and seed give byte-identical text on every machine and runs compare.
//!
//! Use from a bench target with `mod common;`:
//!
//! ```ignore
//! let sources = common::generate_corpus(10 * common::MB, common::SEED);
//! let note = common::generate_note(&sources, 1_000, common::SEED);
//! let corpus = Corpus::from_sources(sources, CorpusOptions::default());
//! ```
//!
//! [`bench_sizes_mb`] reads `REFNOTES_BENCH_SIZES` (say `1,10`) so a quick run
//! can skip the large corpora.
//!
//! The parts: [`vocabulary`] (the word tables), [`numbers`] (figures written
//! as news writes them), [`companies`] (the invented companies and people),
//! [`stories`] ([`generate_corpus`]) and [`notes`] ([`generate_note`],
//! [`validate`]); the seeded generator and the size settings are here.

// Each bench binary compiles this module on its own and uses a different part
// (so some re-exports go unused in each).
#![allow(dead_code, unused_imports)]

mod companies;
mod notes;
mod numbers;
mod stories;
mod vocabulary;

pub use notes::{generate_note, validate};
pub use stories::generate_corpus;

/// One megabyte as the benches count it (decimal, like the MB/s they report).
pub const MB: usize = 1_000_000;

/// The seed every bench uses, so their corpora are the same text.
pub const SEED: u64 = 0x5eed_2017_1110;

/// The corpus sizes in MB to run: `REFNOTES_BENCH_SIZES=1,10` limits them,
/// otherwise 1, 10 and 100, or only 1 when the bench runs as a test. Entries
/// that are not positive numbers are ignored.
pub fn bench_sizes_mb() -> Vec<usize> {
    match std::env::var("REFNOTES_BENCH_SIZES") {
        Ok(list) => parse_sizes(&list),
        Err(_) if running_as_test() => vec![1],
        Err(_) => vec![1, 10, 100],
    }
}

/// Whether the bench binary runs as a smoke test (`cargo test --benches`, or
/// `cargo bench -- --test`) rather than to measure: cargo passes `--bench`
/// only to measure, as criterion also reads it.
pub fn running_as_test() -> bool {
    let mut benching = false;
    let mut testing = false;
    for arg in std::env::args().skip(1) {
        benching |= arg == "--bench";
        testing |= arg == "--test";
    }
    testing || !benching
}

fn parse_sizes(list: &str) -> Vec<usize> {
    list.split([',', ' '])
        .filter_map(|item| item.trim().parse::<usize>().ok())
        .filter(|&mb| mb > 0)
        .collect()
}

/// A xorshift64* generator: tiny, fast and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 spreads nearby seeds apart and never leaves the state at 0,
        // which xorshift cannot leave.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Rng {
            state: if z == 0 { 0x2545_f491_4f6c_dd1d } else { z },
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        match (high.checked_sub(low)).and_then(|width| width.checked_add(1)) {
            Some(width) => low + self.next_u64() % width,
            None if high == u64::MAX && low == 0 => self.next_u64(),
            None => low,
        }
    }

    /// A float in `[low, high)`.
    pub fn float(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + unit * (high - low)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
