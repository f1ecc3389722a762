//! Latency of the language server as an editor feels it: the real binary over
//! stdio, on generated corpora written to a temporary folder, with a
//! 1,000-line note open. Prints p50 and p99 for hover, definition, completion
//! and diagnostics after an edit, and how fast the server answers while it is
//! still indexing.
//!
//! `cargo bench --bench lsp_latency` (sizes from `REFNOTES_BENCH_SIZES`,
//! default 10,100; a single 1 MB round when run as a test). `cargo bench`
//! builds the server in the bench profile, so the numbers are optimised ones.
//!
//! Measured on the shared 2-core dev machine with the sentence cache, ms
//! p50 / p99 (the README's performance section keeps the current figures):
//!
//! | corpus | docs | ready after | hover while indexing | hover | definition | completion | diagnostics after edit (incl. 15 ms debounce) |
//! |---|---|---|---|---|---|---|---|
//! | 10 MB | 1,918 | 0.42 s | 0.03 / 4.05 | 0.10 / 0.35 | 0.14 / 1.31 | 1.23 / 1.66 | 27.6 / 30.0 |
//! | 100 MB | 19,278 | 6.23 s | 0.05 / 4.07 | 0.06 / 0.27 | 0.08 / 1.72 | 2.72 / 2.88 | 25.6 / 27.3 |
//!
//! Diagnostics after an edit re-check only the edited sentence
//! (`analyze_note_cached`); the rest is the debounce and the conversion.

mod common;

// Shared with the end-to-end tests; the bench uses only part of the client.
#[allow(dead_code)]
#[path = "../tests/lsp/client.rs"]
mod client;
#[path = "../tests/lsp/jsonrpc.rs"]
mod jsonrpc;

use std::path::Path;
use std::time::{Duration, Instant};

use client::TestServer;
use serde_json::{json, Value};

const NOTE_LINES: usize = 1_000;
/// The server waits this long after a keystroke before checking (see backend.rs).
const DEBOUNCE_MS: f64 = 15.0;

struct Row {
    megabytes: usize,
    documents: u64,
    index_secs: f64,
    while_indexing: Vec<f64>,
    hover: Vec<f64>,
    definition: Vec<f64>,
    completion: Vec<f64>,
    diagnostics: Vec<f64>,
    answered: usize,
}

fn main() {
    let testing = common::running_as_test();
    let sizes = match std::env::var("REFNOTES_BENCH_SIZES") {
        Ok(_) => common::bench_sizes_mb(),
        Err(_) if testing => vec![1],
        Err(_) => vec![10, 100],
    };
    let samples = if testing { 20 } else { 300 };
    let edits = if testing { 5 } else { 60 };
    let mut rows = Vec::new();
    for megabytes in sizes {
        rows.push(measure(megabytes, samples, edits));
    }
    print_table(&rows);
}

fn measure(megabytes: usize, samples: usize, edits: usize) -> Row {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let sources = common::generate_corpus(megabytes * common::MB, common::SEED);
    let note_text = common::generate_note(&sources, NOTE_LINES, common::SEED);
    for source in &sources {
        let extension = if source.markdown { "md" } else { "txt" };
        let path = root
            .join("corpus")
            .join(format!("{}.{extension}", source.id));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &source.text).unwrap();
    }
    std::fs::write(root.join("refnotes.toml"), "corpus = [\"corpus\"]\n").unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    let note_path = root.join("notes/bench.md");
    std::fs::write(&note_path, &note_text).unwrap();

    let mut server = TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")));
    let started = Instant::now();
    server.initialize(Some(root), json!({}), Value::Null);
    let note = server.open_text(&note_path, &note_text);
    let targets = Targets::find(&note_text);

    // Requests sent while the corpus loads must still be answered promptly.
    let mut while_indexing = Vec::new();
    for (line, character) in targets.words.iter().take(20) {
        while_indexing.push(time(|| {
            server.request("textDocument/hover", at(&note, *line, *character));
        }));
    }
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let index_secs = started.elapsed().as_secs_f64();
    server.diagnostics(&note, 1);

    let mut answered = 0;
    let mut hover = Vec::new();
    let mut definition = Vec::new();
    for (line, character) in targets.words.iter().cycle().take(samples) {
        let params = at(&note, *line, *character);
        hover.push(time(|| {
            answered += usize::from(
                !server
                    .request("textDocument/hover", params.clone())
                    .is_null(),
            );
        }));
        definition.push(time(|| {
            server.request("textDocument/definition", params.clone());
        }));
    }
    let mut completion = Vec::new();
    for (line, character) in targets.citations.iter().cycle().take(samples) {
        completion.push(time(|| {
            server.request("textDocument/completion", at(&note, *line, *character));
        }));
    }
    let mut diagnostics = Vec::new();
    for version in 2..2 + edits as i64 {
        // Type a character into the middle of the note, then take it out again.
        let line = (NOTE_LINES / 2) as u32;
        let change = if version % 2 == 0 {
            json!({"range": {"start": pos(line, 0), "end": pos(line, 0)}, "text": "x"})
        } else {
            json!({"range": {"start": pos(line, 0), "end": pos(line, 1)}, "text": ""})
        };
        diagnostics.push(time(|| {
            server.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": note, "version": version}, "contentChanges": [change]}),
            );
            server.diagnostics(&note, version);
        }));
        std::thread::sleep(Duration::from_millis(20));
    }
    server.shutdown();
    Row {
        megabytes,
        documents: status["documents"].as_u64().unwrap_or(0),
        index_secs,
        while_indexing,
        hover,
        definition,
        completion,
        diagnostics,
        answered,
    }
}

/// Positions worth asking about in the note, in UTF-16 columns.
struct Targets {
    /// Starts of figures, names and citation keys.
    words: Vec<(u32, u32)>,
    /// Just after each `[@`.
    citations: Vec<(u32, u32)>,
}

impl Targets {
    fn find(text: &str) -> Targets {
        let mut words = Vec::new();
        let mut citations = Vec::new();
        for (line_number, line) in text.lines().enumerate() {
            let mut previous = ' ';
            for (byte, ch) in line.char_indices() {
                let column = line[..byte].encode_utf16().count() as u32;
                let starts_word = !previous.is_alphanumeric();
                if starts_word && (ch.is_uppercase() || ch.is_ascii_digit() || ch == '$') {
                    words.push((line_number as u32, column + 1));
                }
                if previous == '[' && ch == '@' {
                    citations.push((line_number as u32, column + 1));
                }
                previous = ch;
            }
        }
        if words.is_empty() {
            words.push((0, 0));
        }
        if citations.is_empty() {
            citations.push((0, 0));
        }
        Targets { words, citations }
    }
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(line, character)})
}

fn time(mut work: impl FnMut()) -> f64 {
    let start = Instant::now();
    work();
    start.elapsed().as_secs_f64() * 1000.0
}

fn percentile(samples: &[f64], fraction: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index]
}

fn cell(samples: &[f64]) -> String {
    format!(
        "{:.2} / {:.2}",
        percentile(samples, 0.5),
        percentile(samples, 0.99)
    )
}

fn print_table(rows: &[Row]) {
    println!();
    println!("refnotes serve over stdio, 1,000-line note; milliseconds, p50 / p99");
    println!(
        "| corpus | docs | ready after | hover while indexing | hover | definition | completion | diagnostics after edit (incl. {DEBOUNCE_MS:.0} ms debounce) | hovers answered |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} MB | {} | {:.2} s | {} | {} | {} | {} | {} | {} / {} |",
            row.megabytes,
            row.documents,
            row.index_secs,
            cell(&row.while_indexing),
            cell(&row.hover),
            cell(&row.definition),
            cell(&row.completion),
            cell(&row.diagnostics),
            row.answered,
            row.hover.len(),
        );
    }
}
