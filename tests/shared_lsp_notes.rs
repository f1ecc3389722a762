//! `refnotes serve` on a workspace checked from a notes' slice of a shared
//! index (`slice=notes`) in a real PostgreSQL (`pg_server`): the server
//! fetches only what the open notes need, and a note opened later, or saved
//! with a new figure, has the slice asked for its sources while the old
//! corpus keeps serving.
//!
//! One test in this binary: it sets the environment the server inherits.

#[allow(dead_code)]
#[path = "lsp/client.rs"]
mod client;
#[path = "lsp/jsonrpc.rs"]
mod jsonrpc;
mod pg_server;

use std::path::Path;

use client::TestServer;
use pg_server::PgServer;
use serde_json::{json, Value};

#[test]
fn a_notes_slice_grows_with_the_notes_the_editor_opens_and_saves() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("archive");
    let workspace = dir.path().join("notes");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&workspace).unwrap();
    for (name, text) in [
        (
            "a.txt",
            "Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
        ),
        (
            "b.md",
            "# Castell\n\nCastell Maritime employs 11,500 people.\n",
        ),
        ("c.txt", "Orlan Freight said its fleet has 40 ships.\n"),
        (
            "d.txt",
            "Tessaly Mining shipped 3.2 million tonnes of ore.\n",
        ),
    ] {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let norvalen = workspace.join("norvalen.md");
    std::fs::write(&norvalen, "Norvalen's revenue was $4.7 billion in 2023.\n").unwrap();
    let castell = workspace.join("castell.md");
    std::fs::write(&castell, "Castell Maritime employs 13,700 people.\n").unwrap();
    let cache = dir.path().join("cache");
    pg_server::index_to(&cache, &corpus, &server.admin_url("desk"));
    std::fs::write(
        workspace.join("refnotes.toml"),
        format!(
            "shared = \"postgres://{}@127.0.0.1:{}/postgres?collection=desk&slice=notes\"\n\
             index_dir = \".refnotes-index\"\n",
            pg_server::ADMIN,
            server.port
        ),
    )
    .unwrap();
    std::env::set_var("PGPASSWORD", pg_server::ADMIN_PASSWORD);
    std::env::set_var("REFNOTES_CACHE_DIR", &cache);

    let mut lsp = TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")));
    lsp.initialize(Some(&workspace), json!({}), Value::Null);
    let uri = lsp.open(&norvalen);
    let status = lsp.wait_for("refnotes/status", |p| {
        p["state"] == "ready" && p["documents"] == 1
    });
    assert_eq!(status["documents"], 1, "only the note's source: {status}");
    // The note's first diagnostics come from its sources: the empty slice
    // (no note was open at start) is never reported as an empty corpus.
    let first = lsp.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    assert!(
        client::diagnostic_messages(&first)
            .iter()
            .any(|m| m.contains("4.62")),
        "{:?}",
        client::diagnostic_messages(&first)
    );

    // A second note: the slice is asked for its figure's sources.
    let second = lsp.open(&castell);
    lsp.wait_for("refnotes/status", |p| {
        p["state"] == "ready" && p["documents"] == 2
    });
    let found = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == second
            && client::diagnostic_messages(p)
                .iter()
                .any(|m| m.contains("11,500"))
    });
    assert_eq!(client::diagnostic_messages(&found).len(), 1, "{found}");

    // A figure typed and saved: its source comes in too.
    lsp.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": second, "version": 2},
            "contentChanges": [{"text": "Castell Maritime employs 13,700 people. \
                Tessaly Mining shipped 3.5 million tonnes of ore.\n"}]
        }),
    );
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": second}}),
    );
    lsp.wait_for("refnotes/status", |p| {
        p["state"] == "ready" && p["documents"] == 3
    });
    lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == second
            && client::diagnostic_messages(p)
                .iter()
                .any(|m| m.contains("3.2 million"))
    });
    lsp.shutdown();
}
