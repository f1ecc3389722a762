//! `refnotes serve` on a workspace whose refnotes.toml names a shared index
//! in a real PostgreSQL (`pg_server`): the slice is loaded at start, a new
//! version of the collection reaches the open note, and a stopped database
//! leaves the server answering from its slice, saying so, until it is back.
//!
//! One test in this binary: it sets the environment the server inherits.

// The client serves many tests in tests/lsp.rs; this one uses part of it.
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
fn the_server_follows_the_shared_index_and_serves_while_it_is_offline() {
    let Some(mut server) = PgServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("archive");
    let workspace = dir.path().join("notes");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("b.md"),
        "# Castell\n\nCastell Maritime employs 11,500 people.\n",
    )
    .unwrap();
    let note = workspace.join("note.md");
    std::fs::write(
        &note,
        "Norvalen's revenue was $4.7 billion in 2023. Castell Maritime employs 12,000 people.\n",
    )
    .unwrap();
    let cache = dir.path().join("cache");
    pg_server::index_to(&cache, &corpus, &server.admin_url("desk"));
    // No password in the file: the server reads PGPASSWORD.
    std::fs::write(
        workspace.join("refnotes.toml"),
        format!(
            "shared = \"postgres://{}@127.0.0.1:{}/postgres?collection=desk\"\n\
             index_dir = \".refnotes-index\"\n",
            pg_server::ADMIN,
            server.port
        ),
    )
    .unwrap();
    std::env::set_var("PGPASSWORD", pg_server::ADMIN_PASSWORD);
    std::env::set_var("REFNOTES_SHARED_POLL_SECS", "0.3");
    std::env::set_var("REFNOTES_CACHE_DIR", &cache);

    let mut lsp = TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")));
    lsp.initialize(Some(&workspace), json!({}), Value::Null);
    let status = lsp.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
    let uri = lsp.open(&note);
    let first = lsp.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let first = client::diagnostic_messages(&first);
    assert!(
        first.iter().any(|m| m.contains("4.62")),
        "the source's figure is quoted: {first:?}"
    );

    // A new version of the collection reaches the open note.
    std::fs::write(
        corpus.join("a.txt"),
        "Norvalen Data Services said revenue was $4.7 billion in 2023.\n",
    )
    .unwrap();
    pg_server::index_to(&cache, &corpus, &server.admin_url("desk"));
    let updated = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && !client::diagnostic_messages(p)
                .iter()
                .any(|m| m.contains("4.62"))
    });
    assert!(
        client::diagnostic_messages(&updated).len() < first.len() || first.len() == 1,
        "{first:?} then {:?}",
        client::diagnostic_messages(&updated)
    );

    // The database goes away: the server says so once and keeps answering.
    server.stop();
    let shown = lsp.wait_for("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("refnotes: shared index offline, 0 min old"))
    });
    assert!(
        !shown["message"]
            .as_str()
            .unwrap()
            .contains(pg_server::ADMIN_PASSWORD),
        "{shown}"
    );
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.is_array(), "{symbols}");
    lsp.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": "Norvalen's revenue was $5.9 billion in 2023.\n"}]
        }),
    );
    let offline = lsp.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == 2
    });
    assert!(
        client::diagnostic_messages(&offline)
            .iter()
            .any(|m| m.contains("4.7 billion")),
        "checked against the slice: {:?}",
        client::diagnostic_messages(&offline)
    );

    // Back: the server says so and reloads.
    lsp.take_notifications("refnotes/status");
    server.run();
    lsp.wait_for("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("back online"))
    });
    let status = lsp.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
    lsp.shutdown();
}
