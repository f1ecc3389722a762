//! What the LSP test files (`tests/lsp_*.rs`) share: the test client that runs
//! the real `refnotes serve --stdio` (`tests/lsp/client.rs`), client
//! capabilities, positions and the fixtures opened in a fresh server.

// Each test file uses a different part.
#![allow(dead_code)]

#[path = "../lsp/client.rs"]
pub mod client;
#[path = "../lsp/jsonrpc.rs"]
pub mod jsonrpc;

use std::path::Path;

use serde_json::{json, Value};

use client::TestServer;

pub fn server() -> TestServer {
    TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")))
}

/// Capabilities of a plain client: UTF-16 only, push diagnostics, no extras.
pub fn plain_client() -> Value {
    json!({})
}

/// A client like VS Code's: progress, watched-file registration, configuration,
/// UTF-8 and UTF-16 offered.
pub fn rich_client(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "window": {"workDoneProgress": true},
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}
        }
    })
}

pub fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(line, character)})
}

/// Opens the basic fixture's note in a fresh server; waits for the corpus.
pub fn basic(capabilities: Value) -> (tempfile::TempDir, std::path::PathBuf, TestServer, String) {
    let (dir, root) = TestServer::fixture("basic");
    let mut server = server();
    server.initialize(Some(&root), capabilities, Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let note = server.open(&root.join("notes/deal.md"));
    (dir, root, server, note)
}

pub fn column(line: &str, needle: &str, encoding: &str) -> u32 {
    let before = &line[..line.find(needle).unwrap()];
    match encoding {
        "utf-8" => before.len() as u32,
        _ => before.encode_utf16().count() as u32,
    }
}

pub fn code_of(diagnostic: &Value) -> &str {
    diagnostic["code"].as_str().unwrap_or("")
}

/// Copies `examples/research-pdf` (a PDF study, an HTML press release and a
/// PDF bulletin) to a scratch folder.
pub fn research_pdf_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/research-pdf");
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for name in ["refnotes.toml", "notes.md"] {
        std::fs::copy(example.join(name), dir.path().join(name)).unwrap();
    }
    for name in ["study.pdf", "press-release.html", "bulletin.pdf"] {
        std::fs::copy(
            example.join("corpus").join(name),
            dir.path().join("corpus").join(name),
        )
        .unwrap();
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}
