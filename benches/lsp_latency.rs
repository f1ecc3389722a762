//! Latency of the language server as an editor feels it: the real binary over
//! stdio, on generated corpora (the generator of `benches/common`) written to
//! a temporary folder, with a 1,000-line note open, driven as a person types:
//!
//! - **keystroke**: one character typed or deleted at a random place in the
//!   note, then the time until the diagnostics of that version arrive (so an
//!   edit anywhere, not one cached spot);
//! - **burst**: five keystrokes sent back to back at one random place, timed
//!   from the last one to the publish of the last version;
//! - **figure edit**: a digit of a figure in the note changed, and changed
//!   back, each timed to its publish; the table says how many of them made a
//!   finding appear or disappear;
//! - **completion while typing**: ` [@` typed at the end of a random line and
//!   then two characters of a key, a completion request after each keystroke,
//!   without waiting for the diagnostics in between;
//! - hover and definition on figures, names and keys, and how many locations
//!   each definition answers.
//!
//! Bytes are the JSON of each message as the client received it: per push
//! publish (every diagnostic, every keystroke), and per pull report after a
//! keystroke on a second server whose client pulls (`resultId`, "unchanged").
//!
//! `cargo bench --bench lsp_latency` runs 100 MB; `REFNOTES_BENCH_SIZES=100,1000`
//! (any list of MB) for others, 1 GB among them. Run as a test
//! (`cargo test --bench lsp_latency`) it makes a 1 MB corpus and checks the
//! behaviour, not the times: a figure edit makes a finding appear and its
//! undoing makes it go, each in the next publish; definitions answer at most
//! ten locations; completion lists are bounded and flagged incomplete when cut.
//! The README's performance section keeps the current figures.

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
use common::Rng;
use serde_json::{json, Value};

const NOTE_LINES: usize = 1_000;
const BURST: usize = 5;

#[derive(Default)]
struct Row {
    megabytes: usize,
    documents: u64,
    index_secs: f64,
    hover: Vec<f64>,
    definition: Vec<f64>,
    locations: Vec<f64>,
    completion: Vec<f64>,
    completion_items: Vec<f64>,
    completion_bytes: Vec<f64>,
    keystroke: Vec<f64>,
    burst: Vec<f64>,
    figure: Vec<f64>,
    flips: usize,
    publish_bytes: Vec<f64>,
    pull_bytes: Vec<f64>,
    pull_unchanged: usize,
}

fn main() {
    let testing = common::running_as_test();
    let sizes = match std::env::var("REFNOTES_BENCH_SIZES") {
        Ok(_) => common::bench_sizes_mb(),
        Err(_) if testing => vec![1],
        Err(_) => vec![100],
    };
    let rounds = if testing { 6 } else { 200 };
    if std::env::var_os("REFNOTES_CLIENT_TIMEOUT_SECS").is_none() {
        // A cold check of the note on a large corpus outlasts the tests' wait.
        std::env::set_var("REFNOTES_CLIENT_TIMEOUT_SECS", "600");
    }
    let mut rows = Vec::new();
    for megabytes in sizes {
        let row = measure(megabytes, rounds);
        if testing {
            check_behaviour(&row);
        }
        // Each size's row as soon as it is measured, then the whole table.
        print_table(std::slice::from_ref(&row));
        rows.push(row);
    }
    print_table(&rows);
}

/// What the small run in CI asserts: behaviour, never times.
fn check_behaviour(row: &Row) {
    assert!(
        row.flips > 0,
        "no figure edit made a finding appear or disappear"
    );
    assert!(
        row.locations.iter().all(|&n| n <= 10.0),
        "a definition answered more than ten locations: {:?}",
        row.locations
    );
    assert!(
        row.completion_items.iter().all(|&n| n <= 50.0),
        "a completion list was not bounded: {:?}",
        row.completion_items
    );
}

/// The note as the server has it, kept in step with the edits we send.
struct Note {
    uri: String,
    lines: Vec<String>,
    version: i64,
}

impl Note {
    /// Replaces `len` bytes at byte `at` of line `line` with `text`, as one
    /// change notification; returns the new version.
    fn edit(
        &mut self,
        server: &mut TestServer,
        line: usize,
        at: usize,
        len: usize,
        text: &str,
    ) -> i64 {
        let old = &self.lines[line];
        let start = utf16(&old[..at]);
        let end = utf16(&old[..at + len]);
        self.lines[line].replace_range(at..at + len, text);
        self.version += 1;
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{
                    "range": {"start": pos(line as u32, start), "end": pos(line as u32, end)},
                    "text": text
                }]
            }),
        );
        self.version
    }
}

fn utf16(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

fn write_workspace(root: &Path, megabytes: usize) -> String {
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
    std::fs::write(root.join("notes/bench.md"), &note_text).unwrap();
    note_text
}

fn measure(megabytes: usize, rounds: usize) -> Row {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let note_text = write_workspace(root, megabytes);
    let note_path = root.join("notes/bench.md");
    let mut row = Row {
        megabytes,
        ..Row::default()
    };

    let mut server =
        TestServer::start_logging(Path::new(env!("CARGO_BIN_EXE_refnotes")), "refnotes=warn");
    let started = Instant::now();
    server.initialize(Some(root), json!({}), Value::Null);
    let status = wait_until_ready(&mut server, root);
    row.index_secs = started.elapsed().as_secs_f64();
    row.documents = status["documents"].as_u64().unwrap_or(0);
    let uri = server.open_text(&note_path, &note_text);
    let mut note = Note {
        uri,
        lines: note_text.lines().map(str::to_string).collect(),
        version: 1,
    };
    let mut findings = first_publish(&mut server, &note.uri);
    let mut rng = Rng::new(common::SEED ^ 0x1a7e);

    let targets = Targets::find(&note.lines);
    for _ in 0..rounds {
        let (line, character) = *rng.pick_ref(&targets.words);
        let params = at(&note.uri, line, character);
        row.hover.push(time(|| {
            server.request("textDocument/hover", params.clone());
        }));
        let mut answer = Value::Null;
        row.definition.push(time(|| {
            answer = server.request("textDocument/definition", params.clone());
        }));
        row.locations
            .push(answer.as_array().map_or(0, Vec::len) as f64);
    }

    // Keystrokes at random places: a character typed, then deleted.
    for _ in 0..rounds {
        let (line, at) = random_place(&mut rng, &note.lines);
        for undo in [false, true] {
            let started = Instant::now();
            let version = if undo {
                note.edit(&mut server, line, at, 1, "")
            } else {
                note.edit(&mut server, line, at, 0, "x")
            };
            let (count, bytes) = published(&mut server, &note.uri, version);
            row.keystroke.push(ms(started));
            row.publish_bytes.push(bytes as f64);
            findings = count;
        }
    }

    // Bursts: five characters with no pause, then as many deletions.
    for _ in 0..rounds / 4 + 1 {
        let (line, at) = random_place(&mut rng, &note.lines);
        for undo in [false, true] {
            let mut last = Instant::now();
            let mut version = note.version;
            for typed in 0..BURST {
                last = Instant::now();
                version = if undo {
                    note.edit(&mut server, line, at, 1, "")
                } else {
                    note.edit(&mut server, line, at + typed, 0, "y")
                };
            }
            published(&mut server, &note.uri, version);
            row.burst.push(ms(last));
        }
    }

    // Figure edits: one digit changed, then restored.
    let mut figures = targets.digits.clone();
    for _ in 0..rounds.min(figures.len()) {
        let index = rng.below(figures.len());
        let (line, at) = figures.swap_remove(index);
        let Some(digit) = note.lines[line][at..].chars().next() else {
            continue;
        };
        let Some(value) = digit.to_digit(10) else {
            continue;
        };
        let changed = char::from_digit((value + 3) % 10, 10).unwrap().to_string();
        for replacement in [changed, digit.to_string()] {
            let started = Instant::now();
            let version = note.edit(&mut server, line, at, 1, &replacement);
            let (count, _) = published(&mut server, &note.uri, version);
            row.figure.push(ms(started));
            if count != findings {
                row.flips += 1;
            }
            findings = count;
        }
    }

    // Completion while typing a citation at the end of a random line.
    for _ in 0..rounds / 2 + 1 {
        let line = rng.below(note.lines.len());
        let end = note.lines[line].len();
        let typed = [" [@", "0", "0"];
        let mut at_byte = end;
        for piece in typed {
            note.edit(&mut server, line, at_byte, 0, piece);
            at_byte += piece.len();
            let character = utf16(&note.lines[line][..at_byte]);
            let mut answer = Value::Null;
            row.completion.push(time(|| {
                answer = server.request(
                    "textDocument/completion",
                    at(&note.uri, line as u32, character),
                );
            }));
            row.completion_bytes
                .push(serde_json::to_string(&answer).map_or(0, |t| t.len()) as f64);
            row.completion_items
                .push(answer["items"].as_array().map_or(0, Vec::len) as f64);
        }
        let version = note.edit(&mut server, line, end, at_byte - end, "");
        published(&mut server, &note.uri, version);
        std::thread::sleep(Duration::from_millis(5));
    }
    server.take_notifications("textDocument/publishDiagnostics");
    server.shutdown();
    drop(server);

    measure_pull(root, &note_text, rounds, &mut row);
    row
}

/// A second server whose client pulls diagnostics: the bytes of each report
/// after a keystroke at a random place, given the previous `resultId`.
fn measure_pull(root: &Path, note_text: &str, rounds: usize, row: &mut Row) {
    let mut server =
        TestServer::start_logging(Path::new(env!("CARGO_BIN_EXE_refnotes")), "refnotes=warn");
    server.initialize(
        Some(root),
        json!({"textDocument": {"diagnostic": {}}}),
        Value::Null,
    );
    wait_until_ready(&mut server, root);
    let uri = server.open_text(&root.join("notes/bench.md"), note_text);
    let mut note = Note {
        uri,
        lines: note_text.lines().map(str::to_string).collect(),
        version: 1,
    };
    // The first, cold check: wait for it, so keystrokes meet a warm cache.
    let nowhere = client::uri(&root.join("notes/not-open.md"));
    loop {
        server.request("textDocument/hover", at(&nowhere, 0, 0));
        let report = server.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": note.uri}}),
        );
        if report["kind"] == "full" {
            break;
        }
    }
    let mut rng = Rng::new(common::SEED ^ 0x9011);
    let mut previous = Value::Null;
    let uri = note.uri.clone();
    let pull = |server: &mut TestServer, previous: &mut Value| {
        let mut params = json!({"textDocument": {"uri": uri}});
        if previous.is_string() {
            params["previousResultId"] = previous.clone();
        }
        let report = server.request("textDocument/diagnostic", params);
        *previous = report["resultId"].clone();
        (
            report["kind"] == "unchanged",
            serde_json::to_string(&report).map_or(0, |t| t.len()),
        )
    };
    pull(&mut server, &mut previous);
    for _ in 0..rounds {
        let (line, at) = random_place(&mut rng, &note.lines);
        for undo in [false, true] {
            if undo {
                note.edit(&mut server, line, at, 1, "");
            } else {
                note.edit(&mut server, line, at, 0, "x");
            }
            let (unchanged, bytes) = pull(&mut server, &mut previous);
            row.pull_unchanged += usize::from(unchanged);
            row.pull_bytes.push(bytes as f64);
        }
    }
    server.shutdown();
}

/// The `ready` status, however long indexing takes: a cheap request every
/// 100 ms keeps the client reading (each single wait of the client times out).
fn wait_until_ready(server: &mut TestServer, root: &Path) -> Value {
    let nowhere = client::uri(&root.join("notes/not-open.md"));
    loop {
        server.request("textDocument/hover", at(&nowhere, 0, 0));
        let statuses = server.take_notifications("refnotes/status");
        if let Some(ready) = statuses.into_iter().find(|p| p["state"] == "ready") {
            return ready;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The number of diagnostics in the note's first publish, however long the
/// first, cold check takes.
fn first_publish(server: &mut TestServer, uri: &str) -> usize {
    let nowhere = uri.replace("bench.md", "not-open.md");
    loop {
        server.request("textDocument/hover", at(&nowhere, 0, 0));
        let published = server.take_notifications("textDocument/publishDiagnostics");
        if let Some(first) = published
            .into_iter()
            .find(|p| p["uri"] == uri && p["version"] == 1)
        {
            return first["diagnostics"].as_array().map_or(0, Vec::len);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits for the publish of `version`: how many diagnostics it holds, and its size in bytes.
fn published(server: &mut TestServer, uri: &str, version: i64) -> (usize, usize) {
    let params = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == version
    });
    // Publishes of versions a burst superseded do not come; drop any older ones.
    server.take_notifications("textDocument/publishDiagnostics");
    let bytes = serde_json::to_string(&json!({
        "jsonrpc": "2.0",
        "method": "textDocument/publishDiagnostics",
        "params": params
    }))
    .map_or(0, |text| text.len());
    (params["diagnostics"].as_array().map_or(0, Vec::len), bytes)
}

/// A random place between two characters of a random non-empty line.
fn random_place(rng: &mut Rng, lines: &[String]) -> (usize, usize) {
    loop {
        let line = rng.below(lines.len());
        let text = &lines[line];
        if text.trim().is_empty() || text.starts_with("---") {
            continue;
        }
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        return (line, *rng.pick_ref(&boundaries));
    }
}

/// Places worth asking about in the note.
struct Targets {
    /// Starts of figures, names and citation keys (line, UTF-16 column).
    words: Vec<(u32, u32)>,
    /// Digits of figures (line, byte).
    digits: Vec<(usize, usize)>,
}

impl Targets {
    fn find(lines: &[String]) -> Targets {
        let mut words = Vec::new();
        let mut digits = Vec::new();
        for (line_number, line) in lines.iter().enumerate() {
            // Not the TODO lines' or the commands' numbers: no source states them.
            let prose = line.starts_with("- ") && !line.contains("TODO");
            let mut previous = ' ';
            for (byte, ch) in line.char_indices() {
                let column = utf16(&line[..byte]);
                let starts_word = !previous.is_alphanumeric();
                if starts_word && (ch.is_uppercase() || ch.is_ascii_digit() || ch == '$') {
                    words.push((line_number as u32, column + 1));
                }
                if prose && starts_word && ch.is_ascii_digit() && ch != '0' {
                    digits.push((line_number, byte));
                }
                previous = ch;
            }
        }
        if words.is_empty() {
            words.push((0, 0));
        }
        Targets { words, digits }
    }
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(line, character)})
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn time(mut work: impl FnMut()) -> f64 {
    let start = Instant::now();
    work();
    ms(start)
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

fn count_cell(samples: &[f64]) -> String {
    format!(
        "{:.0} / {:.0}",
        percentile(samples, 0.5),
        percentile(samples, 1.0)
    )
}

fn kb_cell(samples: &[f64]) -> String {
    format!(
        "{:.1} / {:.1}",
        percentile(samples, 0.5) / 1000.0,
        percentile(samples, 0.99) / 1000.0
    )
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "refnotes serve over stdio, {NOTE_LINES}-line note, edits at random places; \
         milliseconds p50 / p99 unless marked"
    );
    println!(
        "| corpus | docs | ready after | keystroke → diagnostics | after a {BURST}-key burst | figure edit (findings flipped) | hover | definition | locations (p50 / max) | completion while typing | completion items (p50 / max) | KB per push publish | KB per pull report (unchanged) | KB per completion |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} MB | {} | {:.2} s | {} | {} | {} ({} of {}) | {} | {} | {} | {} | {} | {} | {} ({} of {}) | {} |",
            row.megabytes,
            row.documents,
            row.index_secs,
            cell(&row.keystroke),
            cell(&row.burst),
            cell(&row.figure),
            row.flips,
            row.figure.len(),
            cell(&row.hover),
            cell(&row.definition),
            count_cell(&row.locations),
            cell(&row.completion),
            count_cell(&row.completion_items),
            kb_cell(&row.publish_bytes),
            kb_cell(&row.pull_bytes),
            row.pull_unchanged,
            row.pull_bytes.len(),
            kb_cell(&row.completion_bytes),
        );
    }
}
