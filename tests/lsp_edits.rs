//! End-to-end tests of `refnotes serve --stdio` under edits: incremental
//! diagnostics equal a fresh open after random edits (rust-analyzer's
//! "incremental equals from scratch"), and what each keystroke's publish
//! says (issue 13).

#[path = "support/lsp.rs"]
mod lsp;

use serde_json::{json, Value};

use lsp::client::{uri, TestServer};
use lsp::{at, basic, code_of, plain_client, position, server};

/// Pieces the differential test inserts: apostrophes, headings, list items,
/// figures, citations, a surrogate pair, line breaks of every kind.
const EDIT_PIECES: &[&str] = &[
    "’",
    "# ",
    "## ",
    "- ",
    "\n",
    "\r\n",
    "\n\n",
    " ",
    ".",
    ", ",
    "$450 million",
    "$300 million",
    "60 percent",
    "1,200",
    "in March 2024",
    "😀",
    "é",
    "[@001_harbor]",
    "[@002_close]",
    "Harbor Lane Foods",
    "Millbrook Dairy",
    "agreed to buy",
    " said ",
];

/// What opens a region that later sentences depend on: comments, code spans
/// and fences, front matter, and quotation marks (a quotation opened in one
/// sentence hides the figures of the next); the sentence cache keys on what
/// an earlier sentence opened, so edits with these must not make the
/// incremental check differ from a fresh one either.
const OPENING_PIECES: &[&str] = &[
    "<!-- ", " -->", "`", "```\n", "\n```\n", "---\n", "\"", "“", "”",
];

/// The LSP position (line, UTF-16 column) of a byte offset.
fn lsp_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let line = before[..line_start]
        .replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\r')
        .count();
    let column = before[line_start..].encode_utf16().count();
    position(line as u32, column as u32)
}

/// A small deterministic generator for the edit sequences.
struct EditRng(u64);

impl EditRng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    /// A character boundary of `text`, never between the two bytes of a
    /// CRLF (no LSP position names that place).
    fn boundary(&mut self, text: &str) -> usize {
        let mut at = self.below(text.len() + 1);
        while !text.is_char_boundary(at) || inside_crlf(text, at) {
            at -= 1;
        }
        at
    }
}

fn inside_crlf(text: &str, at: usize) -> bool {
    at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n')
}

/// Diagnostics as a comparable list: the pulled report's items, sorted.
fn pulled(server: &mut TestServer, uri: &str) -> Vec<String> {
    let report = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut items: Vec<String> = report["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {report}"))
        .iter()
        .map(|item| item.to_string())
        .collect();
    items.sort();
    items
}

/// rust-analyzer's "incremental equals from scratch": random edits through
/// the real server, and after each one the edited note's diagnostics equal
/// those of the same text opened fresh.
fn edits_equal_a_fresh_open(seed: u64, steps: usize, pieces: &[&str]) {
    let (_dir, root) = TestServer::fixture("basic");
    let mut server = server();
    server.initialize(
        Some(&root),
        json!({"textDocument": {"diagnostic": {}}}),
        Value::Null,
    );
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let note_path = root.join("notes/deal.md");
    let mut text = std::fs::read_to_string(&note_path).unwrap();
    let note = server.open(&note_path);
    let mut rng = EditRng(seed);
    for step in 0..steps {
        let start = rng.boundary(&text);
        let (end, inserted) = if rng.below(3) == 0 {
            // Delete up to a dozen characters.
            let mut end = (start + 1 + rng.below(12)).min(text.len());
            while !text.is_char_boundary(end) || inside_crlf(&text, end) {
                end += 1;
            }
            (end, "")
        } else {
            (start, pieces[rng.below(pieces.len())])
        };
        let range = json!({"start": lsp_position(&text, start), "end": lsp_position(&text, end)});
        text.replace_range(start..end, inserted);
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": note, "version": step + 2},
                "contentChanges": [{"range": range, "text": inserted}],
            }),
        );
        let incremental = pulled(&mut server, &note);
        let fresh_uri = server.open_text(&root.join(format!("notes/fresh-{step}.md")), &text);
        let fresh = pulled(&mut server, &fresh_uri);
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": fresh_uri}}),
        );
        assert_eq!(
            incremental, fresh,
            "seed {seed}, step {step}: after inserting {inserted:?} at {start} (deleting to {end}) the text is\n{text}"
        );
    }
    server.shutdown();
}

#[test]
fn incremental_diagnostics_equal_a_fresh_open_after_random_edits() {
    for seed in [0x5eed_0001, 0x5eed_0002, 0x5eed_0003, 0x5eed_0004] {
        edits_equal_a_fresh_open(seed, 500, EDIT_PIECES);
    }
}

/// The same with comments, code spans, fences and front matter opened and
/// closed: fails until the sentence cache sees what earlier sentences open.
#[test]
fn incremental_diagnostics_equal_a_fresh_open_with_regions_opened_and_closed() {
    let pieces: Vec<&str> = EDIT_PIECES.iter().chain(OPENING_PIECES).copied().collect();
    for seed in [0x5eed_0011, 0x5eed_0012] {
        edits_equal_a_fresh_open(seed, 500, &pieces);
    }
}

fn replace_line(note: &str, version: i64, line: u32, old: &str, new: &str) -> Value {
    json!({
        "textDocument": {"uri": note, "version": version},
        "contentChanges": [{
            "range": {
                "start": position(line, 0),
                "end": position(line, old.encode_utf16().count() as u32)
            },
            "text": new
        }]
    })
}

const DEAL_LINE: &str =
    "Harbor Lane Foods agreed to buy Millbrook Dairy for $450 million [@001_harbor].";

fn mismatches(diagnostics: &[Value]) -> usize {
    diagnostics
        .iter()
        .filter(|d| code_of(d) == "figure-mismatch")
        .count()
}

#[test]
fn a_figure_edit_that_creates_a_finding_and_the_edit_that_removes_it_show_in_the_next_publish() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    assert_eq!(mismatches(&server.diagnostics(&note, 1)), 1);
    let right = DEAL_LINE.replace("$450", "$410");
    server.notify(
        "textDocument/didChange",
        replace_line(&note, 2, 2, DEAL_LINE, &right),
    );
    let removed = server.diagnostics(&note, 2);
    assert_eq!(mismatches(&removed), 0, "{removed:#?}");
    server.notify(
        "textDocument/didChange",
        replace_line(&note, 3, 2, &right, DEAL_LINE),
    );
    let created = server.diagnostics(&note, 3);
    assert_eq!(mismatches(&created), 1, "{created:#?}");
    // The mismatch's related information is the best source, one entry.
    let mismatch = created
        .iter()
        .find(|d| code_of(d) == "figure-mismatch")
        .unwrap();
    let related = mismatch["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{related:#?}");
}

#[test]
fn a_burst_of_keystrokes_ends_in_a_publish_of_the_last_version() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    // Type "$410" over "$450" one character at a time, then back, without waiting.
    let mut line = DEAL_LINE.to_string();
    let figure = DEAL_LINE.find("$450").unwrap() as u32;
    let mut version = 1;
    for (offset, ch) in [(2, '1'), (2, '5'), (2, '1')] {
        version += 1;
        let start = figure + offset;
        line.replace_range(start as usize..start as usize + 1, &ch.to_string());
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": note, "version": version},
                "contentChanges": [{
                    "range": {"start": position(2, start), "end": position(2, start + 1)},
                    "text": ch.to_string()
                }]
            }),
        );
    }
    assert!(line.contains("$410"));
    let last = server.diagnostics(&note, version);
    assert_eq!(mismatches(&last), 0, "{last:#?}");
    // Versions superseded during the burst are never published after it.
    server.take_notifications("textDocument/publishDiagnostics");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let elsewhere = uri(&root.join("notes/not-open.md"));
    server.request("textDocument/hover", at(&elsewhere, 0, 0));
    let stale: Vec<Value> = server
        .take_notifications("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|p| p["uri"] == note && p["version"].as_i64() != Some(version))
        .collect();
    assert!(stale.is_empty(), "{stale:#?}");
}

#[test]
fn pulled_diagnostics_say_unchanged_when_nothing_moved() {
    let (_dir, _root, mut server, note) = basic(json!({"textDocument": {"diagnostic": {}}}));
    let pull = |server: &mut TestServer, previous: Option<&Value>| {
        let mut params = json!({"textDocument": {"uri": note}});
        if let Some(previous) = previous {
            params["previousResultId"] = previous.clone();
        }
        server.request("textDocument/diagnostic", params)
    };
    let first = pull(&mut server, None);
    assert_eq!(first["kind"], "full", "{first}");
    assert_eq!(mismatches(first["items"].as_array().unwrap()), 1);
    let id = first["resultId"].clone();
    assert!(id.is_string(), "{first}");
    let again = pull(&mut server, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    // Typing at the end of the last line moves no diagnostic: still unchanged.
    let last_line = "The deal closed in March [@003_missing].";
    let end = last_line.encode_utf16().count() as u32;
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": note, "version": 2}, "contentChanges": [{
            "range": {"start": position(5, end), "end": position(5, end)}, "text": " More."
        }]}),
    );
    let typed = pull(&mut server, Some(&id));
    assert_eq!(typed["kind"], "unchanged", "{typed}");
    // Fixing the figure changes the report.
    server.notify(
        "textDocument/didChange",
        replace_line(&note, 3, 2, DEAL_LINE, &DEAL_LINE.replace("$450", "$410")),
    );
    let fixed = pull(&mut server, Some(&id));
    assert_eq!(fixed["kind"], "full", "{fixed}");
    assert_eq!(mismatches(fixed["items"].as_array().unwrap()), 0);
    assert_ne!(fixed["resultId"], id);
    assert!(server
        .take_notifications("textDocument/publishDiagnostics")
        .is_empty());
}
