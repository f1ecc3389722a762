//! The persisted corpus index against `rg`, on the realistic generated corpus
//! written to disk: the figures the README's performance section quotes.
//!
//! `cargo bench --bench index` runs 100 MB; `REFNOTES_INDEX_BENCH_MB=100,1000`
//! picks the sizes (1 GB takes a few GB of disk under `target/`). For each
//! size it writes the corpus once (kept under `target/bench-corpus/`, reused
//! while the generator is unchanged), then runs the real binary as child
//! processes, each measured with `wait4` (wall time, CPU time, peak resident
//! memory):
//!
//! - `rg` counting the corpus's numbers (best of three): the floor;
//! - `refnotes index` on an empty index folder: the cold build (MB per
//!   CPU-second is the per-core rate);
//! - `refnotes index` again: the warm start with an up-to-date index;
//! - `refnotes check` of a generated 1,000-line note, warm;
//! - `refnotes index` after one file changed;
//! - `refnotes check --no-cache`: what every check cost before the index.
//!
//! Then, in this process, where a load's time goes: reading the files,
//! analysing each document (CPU time: the per-core rate), encoding and
//! decoding the analyses with postcard (the store's format) and bincode,
//! and building the corpus-wide tables from them.
//!
//! Run as a test (`cargo test --benches`) it does the same on 1 MB.

mod common;

use rayon::prelude::*;
use refnotes::corpus::index::DocAnalysis;
use refnotes::corpus::load::{load, LoadOptions};
use refnotes::corpus::{Corpus, CorpusOptions};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const NOTE_LINES: usize = 1_000;

/// One child process's cost.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    wall: f64,
    cpu: f64,
    peak_mb: f64,
}

fn sizes() -> Vec<usize> {
    if common::running_as_test() {
        return vec![1];
    }
    std::env::var("REFNOTES_INDEX_BENCH_MB")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .filter(|&mb: &usize| mb > 0)
                .collect()
        })
        .unwrap_or_else(|| vec![100])
}

/// Runs `command` to its end; its wall time, CPU time and peak memory.
fn measure(command: &mut Command) -> (Cost, std::process::Output) {
    let start = Instant::now();
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    // The pipes are drained on other threads so a chatty child never blocks.
    let mut child = child;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).ok();
        buf
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let wall = start.elapsed().as_secs_f64();
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cost = Cost {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    };
    let output = std::process::Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    };
    (cost, output)
}

/// Writes the generated corpus of `mb` MB under `dir` unless a finished one
/// is there; returns its size in bytes.
fn write_corpus(dir: &Path, mb: usize) -> usize {
    let done = dir.join("done");
    if let Ok(bytes) = std::fs::read_to_string(&done) {
        if let Ok(bytes) = bytes.trim().parse() {
            return bytes;
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let sources = common::generate_corpus(mb * common::MB, common::SEED);
    let corpus = dir.join("corpus");
    let mut bytes = 0;
    for source in &sources {
        let name = source.path.file_name().expect("a file name");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join(name), &source.text).unwrap();
        bytes += source.text.len();
    }
    let note = common::generate_note(&sources, NOTE_LINES, common::SEED);
    std::fs::write(dir.join("note.md"), note).unwrap();
    std::fs::write(&done, bytes.to_string()).unwrap();
    bytes
}

fn refnotes(cache: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_refnotes"));
    command.env("REFNOTES_CACHE_DIR", cache);
    command
}

fn best_of(runs: usize, mut run: impl FnMut() -> Cost) -> Cost {
    (0..runs)
        .map(|_| run())
        .min_by(|a, b| a.wall.total_cmp(&b.wall))
        .expect("at least one run")
}

/// This process's CPU time so far, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: an all-zero rusage is a valid value for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to our own rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Times `run`: wall and CPU seconds, and its result.
fn timed<T>(run: impl FnOnce() -> T) -> (f64, f64, T) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let value = run();
    (start.elapsed().as_secs_f64(), cpu_seconds() - cpu, value)
}

/// Where a load's time goes, measured in this process.
fn phases(corpus: &Path, corpus_mb: f64) {
    let options = LoadOptions {
        cache_dir: None,
        ..LoadOptions::default()
    };
    let (read_wall, _, loaded) = timed(|| load(&[corpus.to_path_buf()], &options).expect("loads"));
    let sources = loaded.sources;
    let (analyse_wall, analyse_cpu, analyses) = timed(|| {
        sources
            .par_iter()
            .map(|s| DocAnalysis::of(&s.text, s.markdown))
            .collect::<Vec<_>>()
    });
    let (postcard_encode, _, postcard) =
        timed(|| postcard::to_allocvec(&analyses).expect("encodes"));
    let (postcard_decode, _, decoded) =
        timed(|| postcard::from_bytes::<Vec<DocAnalysis>>(&postcard).expect("decodes"));
    assert_eq!(decoded.len(), analyses.len());
    drop(decoded);
    let config = bincode::config::standard();
    let (bincode_encode, _, bincode) =
        timed(|| bincode::serde::encode_to_vec(&analyses, config).expect("encodes"));
    let (bincode_decode, _, decoded) = timed(|| {
        bincode::serde::decode_from_slice::<Vec<DocAnalysis>, _>(&bincode, config)
            .expect("decodes")
            .0
    });
    assert_eq!(decoded.len(), analyses.len());
    drop(decoded);
    let (tables_wall, tables_cpu, built) =
        timed(|| Corpus::from_analysed(sources, analyses, CorpusOptions::default()));
    println!("  in process: reading {read_wall:.2} s; analysing {analyse_wall:.2} s wall, {analyse_cpu:.2} s CPU ({:.1} MB per CPU-second); corpus-wide tables {tables_wall:.2} s wall, {tables_cpu:.2} s CPU", corpus_mb / analyse_cpu);
    println!(
        "  postcard: {:.0} MB, encode {postcard_encode:.2} s, decode {postcard_decode:.2} s; bincode: {:.0} MB, encode {bincode_encode:.2} s, decode {bincode_decode:.2} s",
        postcard.len() as f64 / 1e6,
        bincode.len() as f64 / 1e6
    );
    drop(built);
}

fn main() {
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let rg = Command::new("rg").arg("--version").output().is_ok();
    for mb in sizes() {
        let dir = target.join(format!("{mb}MB"));
        let bytes = write_corpus(&dir, mb);
        let corpus = dir.join("corpus");
        let note = dir.join("note.md");
        let corpus_mb = bytes as f64 / 1e6;
        let cache = dir.join("cache");
        let _ = std::fs::remove_dir_all(&cache);

        let rg_cost = rg.then(|| {
            best_of(3, || {
                let (cost, output) = measure(
                    Command::new("rg")
                        .args([
                            "--count-matches",
                            "--no-messages",
                            "-e",
                            r"[$€£¥]?[0-9][0-9,.]*",
                        ])
                        .arg(&corpus),
                );
                assert!(output.status.success(), "rg failed");
                cost
            })
        });
        let index = |label: &str| {
            let (cost, output) = measure(
                refnotes(&cache)
                    .args(["index", "--quiet", "--corpus"])
                    .arg(&corpus),
            );
            assert!(
                output.status.success(),
                "{label}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            eprintln!(
                "{label}: {}",
                String::from_utf8_lossy(&output.stdout).trim()
            );
            cost
        };
        let cold = index("cold");
        let warm = best_of(3, || index("warm"));
        let check = |extra: &[&str]| {
            let (cost, output) = measure(
                refnotes(&cache)
                    .args(["check", "--quiet", "--format", "json", "--corpus"])
                    .arg(&corpus)
                    .args(extra)
                    .arg(&note),
            );
            assert!(
                output.status.code().is_some_and(|c| c <= 1),
                "check failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let findings = String::from_utf8_lossy(&output.stdout)
                .matches("\"code\"")
                .count();
            (cost, findings)
        };
        let (warm_check, findings) = check(&[]);
        // One changed file: a sentence added to the first document.
        let first = std::fs::read_dir(&corpus)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .min()
            .expect("a document");
        let original = std::fs::read_to_string(&first).unwrap();
        std::fs::write(
            &first,
            format!("{original}\nThe board met 14 times in 2024.\n"),
        )
        .unwrap();
        let changed = index("one changed file");
        std::fs::write(&first, &original).unwrap();
        let _ = index("restored");
        let (no_cache, no_cache_findings) = check(&["--no-cache"]);
        assert_eq!(
            findings, no_cache_findings,
            "findings differ with and without the index"
        );

        println!("\n{mb} MB corpus ({corpus_mb:.1} MB on disk), {NOTE_LINES}-line note, {findings} findings");
        let line = |name: &str, cost: Cost| {
            println!(
                "  {name:<34} {:>8.2} s wall {:>8.2} s CPU {:>8.0} MB peak ({:.2}x corpus)",
                cost.wall,
                cost.cpu,
                cost.peak_mb,
                cost.peak_mb / corpus_mb
            );
        };
        if let Some(rg) = rg_cost {
            line("rg, numbers (best of 3)", rg);
        } else {
            println!("  rg not found: install ripgrep to compare");
        }
        line("refnotes index, cold", cold);
        line("refnotes index, warm (best of 3)", warm);
        line("refnotes check, warm", warm_check);
        line("refnotes index, one file changed", changed);
        line("refnotes check --no-cache", no_cache);
        let per_core = corpus_mb / cold.cpu;
        println!(
            "  cold build: {per_core:.1} MB per CPU-second, {:.1} MB/s wall{}",
            corpus_mb / cold.wall,
            rg_cost.map_or(String::new(), |rg| format!(
                ", {:.1}x rg's time",
                cold.wall / rg.wall
            ))
        );
        phases(&corpus, corpus_mb);
    }
}
