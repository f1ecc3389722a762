//! Criterion benchmarks of the engine on generated corpora of 1, 10 and 100 MB:
//! indexing throughput (`Corpus::from_sources`, reported in MB/s) and the time
//! to check a generated 1,000-line note against each corpus.
//!
//! Run `cargo bench --bench engine`; add `-- --quick` for a fast pass, and set
//! `REFNOTES_BENCH_SIZES=1,10` to skip the 100 MB corpus. Peak memory is
//! measured by `cargo bench --bench memory`, which also prints the summary
//! table for the README.

mod common;

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use refnotes::check::{check_note, CheckOptions};
use refnotes::corpus::{Corpus, CorpusOptions};

/// Lines in the note checked against each corpus.
const NOTE_LINES: usize = 1_000;

fn bench_size(criterion: &mut Criterion, megabytes: usize) {
    let sources = common::generate_corpus(megabytes * common::MB, common::SEED);
    let note = common::generate_note(&sources, NOTE_LINES, common::SEED);
    if let Err(problem) = common::validate(&sources, megabytes * common::MB, &note, NOTE_LINES) {
        panic!("generated {megabytes} MB corpus is unusable: {problem}");
    }
    let bytes: usize = sources.iter().map(|source| source.text.len()).sum();
    let label = format!("{megabytes}MB");
    let large = megabytes >= 50;

    let mut index = criterion.benchmark_group("index");
    index.throughput(Throughput::BytesDecimal(bytes as u64));
    if large {
        // Each iteration takes about a second at the design target, so a few
        // flat samples say enough and keep `cargo bench` within minutes.
        index
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(12));
    } else if megabytes >= 5 {
        index
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .measurement_time(Duration::from_secs(6));
    } else {
        index
            .sample_size(20)
            .measurement_time(Duration::from_secs(4));
    }
    index.bench_function(BenchmarkId::from_parameter(&label), |bencher| {
        bencher.iter_batched(
            || sources.clone(),
            |sources| Corpus::from_sources(sources, CorpusOptions::default()),
            // The corpus is dropped outside the timed part, one at a time, so
            // at most two copies of a large corpus are alive at once.
            BatchSize::PerIteration,
        )
    });
    index.finish();

    let corpus = Corpus::from_sources(sources, CorpusOptions::default());
    let options = CheckOptions::default();
    let mut check = criterion.benchmark_group("check_1000_lines");
    check
        .sample_size(if large { 20 } else { 50 })
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    check.bench_function(BenchmarkId::from_parameter(&label), |bencher| {
        bencher.iter(|| check_note(&corpus, &note, &options))
    });
    check.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    for megabytes in common::bench_sizes_mb() {
        bench_size(&mut criterion, megabytes);
    }
    criterion.final_summary();
}
