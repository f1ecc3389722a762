//! Peak memory per corpus megabyte, with one-shot indexing and check timings:
//! the summary table the README's performance section quotes.
//!
//! `cargo bench --bench memory` (sizes from `REFNOTES_BENCH_SIZES`, default
//! 1,10,100). For each size the bench runs itself again as a child process, so
//! every corpus is measured in a fresh address space: the child generates the
//! corpus and the note, records its resident set (VmRSS), builds the corpus,
//! reads its peak resident set (VmHWM, from /proc/self/status, so Linux only),
//! then times checking the note, and prints one `RESULT` line that the parent
//! turns into the table. The build's own cost is the peak minus the resident
//! set just before the build; the total is the peak against the corpus size.

mod common;

use std::process::Command;
use std::time::Instant;

use refnotes::check::{check_note, CheckOptions};
use refnotes::corpus::{Corpus, CorpusOptions};

/// Set in the child's environment to the corpus size in MB it should measure.
const CHILD_VAR: &str = "REFNOTES_MEMORY_CHILD";
const NOTE_LINES: usize = 1_000;
const CHECK_RUNS: usize = 15;

/// One child's measurements.
#[derive(Debug, Default)]
struct Measurement {
    megabytes: usize,
    bytes: usize,
    docs: usize,
    build_secs: f64,
    check_ms: f64,
    findings: usize,
    rss_before_build_kb: u64,
    peak_kb: u64,
}

impl Measurement {
    fn to_line(&self) -> String {
        format!(
            "RESULT megabytes={} bytes={} docs={} build_secs={} check_ms={} findings={} rss_before_build_kb={} peak_kb={}",
            self.megabytes,
            self.bytes,
            self.docs,
            self.build_secs,
            self.check_ms,
            self.findings,
            self.rss_before_build_kb,
            self.peak_kb
        )
    }

    fn parse(line: &str) -> Option<Measurement> {
        let mut measurement = Measurement::default();
        for field in line.strip_prefix("RESULT ")?.split(' ') {
            let (key, value) = field.split_once('=')?;
            match key {
                "megabytes" => measurement.megabytes = value.parse().ok()?,
                "bytes" => measurement.bytes = value.parse().ok()?,
                "docs" => measurement.docs = value.parse().ok()?,
                "build_secs" => measurement.build_secs = value.parse().ok()?,
                "check_ms" => measurement.check_ms = value.parse().ok()?,
                "findings" => measurement.findings = value.parse().ok()?,
                "rss_before_build_kb" => measurement.rss_before_build_kb = value.parse().ok()?,
                "peak_kb" => measurement.peak_kb = value.parse().ok()?,
                _ => {}
            }
        }
        Some(measurement)
    }
}

/// A `VmRSS:`/`VmHWM:` style field of /proc/self/status, in kB.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

fn measure_in_child(megabytes: usize) -> Measurement {
    let bytes_wanted = megabytes * common::MB;
    let sources = common::generate_corpus(bytes_wanted, common::SEED);
    let note = common::generate_note(&sources, NOTE_LINES, common::SEED);
    if let Err(problem) = common::validate(&sources, bytes_wanted, &note, NOTE_LINES) {
        panic!("generated {megabytes} MB corpus is unusable: {problem}");
    }
    let bytes = sources.iter().map(|source| source.text.len()).sum();
    let docs = sources.len();

    let rss_before_build_kb = status_kb("VmRSS:").unwrap_or(0);
    let started = Instant::now();
    let corpus = Corpus::from_sources(sources, CorpusOptions::default());
    let build_secs = started.elapsed().as_secs_f64();
    let peak_kb = status_kb("VmHWM:").unwrap_or(0);

    let options = CheckOptions::default();
    let findings = check_note(&corpus, &note, &options).len();
    let mut times: Vec<f64> = (0..CHECK_RUNS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(check_note(&corpus, &note, &options));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);

    Measurement {
        megabytes,
        bytes,
        docs,
        build_secs,
        check_ms: times[times.len() / 2],
        findings,
        rss_before_build_kb,
        peak_kb,
    }
}

fn run_child(megabytes: usize) -> Result<Measurement, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find myself: {err}"))?;
    let output = Command::new(exe)
        .env(CHILD_VAR, megabytes.to_string())
        .output()
        .map_err(|err| format!("cannot start the child: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "child for {megabytes} MB failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    stdout
        .lines()
        .find_map(Measurement::parse)
        .ok_or_else(|| format!("child for {megabytes} MB printed no result: {stdout}"))
}

fn print_table(rows: &[Measurement]) {
    println!();
    println!(
        "{:>7} {:>7} {:>12} {:>12} {:>9} {:>12} {:>12} {:>9}",
        "size", "docs", "index MB/s", "check ms", "peak MB", "peak/MB", "build/MB", "findings"
    );
    for row in rows {
        let corpus_mb = row.bytes as f64 / common::MB as f64;
        let peak_mb = row.peak_kb as f64 * 1024.0 / common::MB as f64;
        let build_mb =
            row.peak_kb.saturating_sub(row.rss_before_build_kb) as f64 * 1024.0 / common::MB as f64;
        println!(
            "{:>5}MB {:>7} {:>12.1} {:>12.2} {:>9.1} {:>12.2} {:>12.2} {:>9}",
            row.megabytes,
            row.docs,
            corpus_mb / row.build_secs.max(1e-9),
            row.check_ms,
            peak_mb,
            peak_mb / corpus_mb,
            build_mb / corpus_mb,
            row.findings
        );
    }
    println!();
    println!("check ms: median of {CHECK_RUNS} checks of a {NOTE_LINES}-line note.");
    println!("peak MB: the child's peak resident set (VmHWM), corpus text and document");
    println!("metadata (ids, paths, titles) included.");
    println!("peak/MB: that peak per MB of corpus; build/MB: the peak minus the resident");
    println!("set just before Corpus::from_sources, per MB of corpus.");
}

/// Same seed, same corpus and note; another seed, other text. Runs when the
/// bench runs as a test, so `cargo test --benches` catches a generator that
/// stopped being reproducible.
fn check_generator_is_deterministic() {
    let first = common::generate_corpus(common::MB, common::SEED);
    let again = common::generate_corpus(common::MB, common::SEED);
    let other = common::generate_corpus(common::MB, common::SEED + 1);
    let same = |a: &[refnotes::corpus::SourceText], b: &[refnotes::corpus::SourceText]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.id == y.id && x.text == y.text)
    };
    assert!(same(&first, &again), "the same seed gave another corpus");
    assert!(!same(&first, &other), "another seed gave the same corpus");
    assert_eq!(
        common::generate_note(&first, NOTE_LINES, common::SEED),
        common::generate_note(&again, NOTE_LINES, common::SEED),
        "the same seed gave another note"
    );
}

fn main() {
    if let Ok(size) = std::env::var(CHILD_VAR) {
        let megabytes = size.parse().expect("child size is a number of MB");
        println!("{}", measure_in_child(megabytes).to_line());
        return;
    }
    if common::running_as_test() {
        check_generator_is_deterministic();
    }
    // `cargo bench` passes `--bench` and any filter; this bench runs every size
    // REFNOTES_BENCH_SIZES names and ignores them.
    let mut rows = Vec::new();
    for megabytes in common::bench_sizes_mb() {
        eprintln!("memory: measuring the {megabytes} MB corpus...");
        match run_child(megabytes) {
            Ok(row) => rows.push(row),
            Err(problem) => {
                eprintln!("memory: {problem}");
                std::process::exit(1);
            }
        }
    }
    print_table(&rows);
}
