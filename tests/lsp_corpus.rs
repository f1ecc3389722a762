//! End-to-end tests of `refnotes serve --stdio`, the workspace and its
//! corpus: status and progress, where the corpus comes from (config,
//! settings, conventional folders), reindexing on changes, broken configs,
//! files left out, and the corpus report.

#[path = "support/lsp.rs"]
mod lsp;

use std::path::Path;

use serde_json::{json, Value};

use lsp::client::{uri, TestServer};
use lsp::{at, basic, code_of, plain_client, position, research_pdf_example, rich_client, server};

#[test]
fn status_and_progress_report_the_indexed_corpus() {
    let (dir, root) = TestServer::fixture("basic");
    let mut server = server();
    server.initialize(Some(&root), rich_client(&["utf-16"]), Value::Null);
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
    assert_eq!(status["root"], uri(&root));
    let progress = server.take_notifications("$/progress");
    let kinds: Vec<&str> = progress
        .iter()
        .map(|p| p["value"]["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds.first(), Some(&"begin"), "{progress:?}");
    assert_eq!(kinds.last(), Some(&"end"), "{progress:?}");
    let messages: Vec<&str> = progress
        .iter()
        .filter_map(|p| p["value"]["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"Indexing corpus: 2 / 2 documents"),
        "{messages:?}"
    );
    let methods: Vec<&str> = server
        .server_requests
        .iter()
        .filter_map(|r| r["method"].as_str())
        .collect();
    assert!(
        methods.contains(&"window/workDoneProgress/create"),
        "{methods:?}"
    );
    assert!(
        methods.contains(&"client/registerCapability"),
        "{methods:?}"
    );
    assert!(methods.contains(&"workspace/configuration"), "{methods:?}");
    let registration = server
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .unwrap();
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(
        watchers[0]["globPattern"],
        json!({"baseUri": uri(&root.join("corpus")), "pattern": "**/*.{txt,md,markdown,html,htm,xhtml,pdf,docx,epub}"})
    );
    drop(server);
    drop(dir);
}

#[test]
fn a_corpus_file_changed_on_disk_is_reindexed() {
    let (_dir, root, mut server, note) = basic(rich_client(&["utf-16"]));
    server.diagnostics(&note, 1);
    let added = root.join("corpus/003_update.txt");
    std::fs::write(
        &added,
        "Millbrook Dairy update\n\nThe plants will keep running.\n",
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&added), "type": 1}]}),
    );
    let status = server.wait_for("refnotes/status", |p| p["documents"] == 3);
    assert_eq!(status["state"], "ready");
    // Open notes are checked again against the new corpus.
    server.diagnostics(&note, 1);
    let result = server.request("workspace/symbol", json!({"query": "003"}));
    let names: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["003_update"]);

    std::fs::remove_file(root.join("corpus/002_close.md")).unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&root.join("corpus/002_close.md")), "type": 3}]}),
    );
    server.wait_for("refnotes/status", |p| p["documents"] == 2);
}

#[test]
fn a_missing_corpus_is_reported_once_and_noted_in_each_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("refnotes.toml"), "corpus = [\"gone\"]\n").unwrap();
    std::fs::write(root.join("a.md"), "“First” note, £5 and 中文.\n").unwrap();
    std::fs::write(root.join("b.md"), "Second note.\n").unwrap();
    let mut server = server();
    server.initialize(Some(root), plain_client(), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "failed");
    let a = server.open(&root.join("a.md"));
    let b = server.open(&root.join("b.md"));
    for (note, first_line) in [(&a, "“First” note, £5 and 中文."), (&b, "Second note.")] {
        let diagnostics = server.diagnostics(note, 1);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let notice = &diagnostics[0];
        assert_eq!(notice["code"], "no-corpus");
        assert_eq!(notice["severity"], 3);
        assert_eq!(
            notice["range"],
            json!({"start": position(0, 0), "end": position(0, first_line.encode_utf16().count() as u32)})
        );
        assert!(
            notice["message"]
                .as_str()
                .unwrap()
                .contains("does not exist"),
            "{notice}"
        );
    }
    let shown = server.take_notifications("window/showMessage");
    assert_eq!(shown.len(), 1, "{shown:?}");

    // The folder appears: the corpus loads and the notice goes away.
    std::fs::create_dir(root.join("gone")).unwrap();
    let source = root.join("gone/001.txt");
    std::fs::write(&source, "A source about nothing much.\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&source), "type": 1}]}),
    );
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let diagnostics = server.diagnostics(&a, 1);
    assert!(
        !diagnostics.iter().any(|d| d["code"] == "no-corpus"),
        "{diagnostics:?}"
    );
}

#[test]
fn a_lone_note_with_no_corpus_gets_one_information_notice() {
    let dir = tempfile::tempdir().unwrap();
    let note_path = dir.path().join("lone.md");
    std::fs::write(&note_path, "Just a note.\n").unwrap();
    let mut server = server();
    server.initialize(None, plain_client(), Value::Null);
    let note = server.open(&note_path);
    let diagnostics = server.diagnostics(&note, 1);
    let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, [&json!("no-corpus")]);
    assert_eq!(diagnostics[0]["severity"], 3);
    assert!(server.take_notifications("window/showMessage").is_empty());
}

#[test]
fn settings_choose_the_corpus_when_there_is_no_config_file() {
    let (_dir, root) = TestServer::fixture("basic");
    std::fs::remove_file(root.join("refnotes.toml")).unwrap();
    std::fs::rename(root.join("corpus"), root.join("refs")).unwrap();
    let mut server = server();
    server.initialize(
        Some(&root),
        plain_client(),
        json!({"corpus": ["refs"], "inlayHints": {"enable": false}}),
    );
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2);
    let note = server.open(&root.join("notes/deal.md"));
    server.diagnostics(&note, 1);
    let hints = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": note}, "range": {"start": position(0, 0), "end": position(9, 0)}}),
    );
    assert_eq!(hints, json!([]));
}

#[test]
fn each_workspace_folder_has_its_own_corpus() {
    let (_dir, first) = TestServer::fixture("basic");
    let (_other_dir, second) = TestServer::fixture("basic");
    std::fs::remove_file(second.join("corpus/001_harbor.txt")).unwrap();
    let mut server = server();
    server.request(
        "initialize",
        json!({
            "processId": null,
            "capabilities": {},
            "workspaceFolders": [
                {"uri": uri(&first), "name": "first"},
                {"uri": uri(&second), "name": "second"}
            ]
        }),
    );
    server.notify("initialized", json!({}));
    for root in [&first, &second] {
        server.wait_for("refnotes/status", |p| {
            p["root"] == uri(root) && p["state"] == "ready"
        });
    }
    for (root, expected) in [
        // The dated document first: the newest come before the undated.
        (&first, vec!["002_close", "001_harbor"]),
        (&second, vec!["002_close"]),
    ] {
        let note = server.open_text(&root.join("notes/new.md"), "See [@");
        let result = server.request("textDocument/completion", at(&note, 0, 6));
        let labels: Vec<&str> = result["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, expected, "{}", root.display());
    }
}

#[test]
fn changed_settings_apply_without_a_restart() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let diagnostics = server.diagnostics(&note, 1);
    assert!(diagnostics.iter().any(|d| code_of(d) == "unknown-source"));
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"refnotes": {"severity": {"unknown-source": "hint"}}}}),
    );
    let after = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == note
            && p["diagnostics"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|d| d["code"] == "unknown-source" && d["severity"] == 4)
            })
    });
    assert_eq!(after["version"], 1);
}

#[test]
fn the_corpus_report_lists_documents_entities_and_figures() {
    let (_dir, root, mut server, _note) = basic(plain_client());
    let report = server.request(
        "refnotes/corpusReport",
        json!({"workspaceFolder": uri(&root)}),
    );
    let markdown = report["markdown"].as_str().expect("Markdown");
    assert!(markdown.starts_with("# Corpus report"), "{markdown}");
    assert!(markdown.contains("2 documents"), "{markdown}");
    assert!(
        markdown.contains("| `001_harbor` | Harbor Lane Foods to buy Millbrook Dairy |"),
        "{markdown}"
    );
    assert!(markdown.contains("| Harbor Lane Foods |"), "{markdown}");
    assert!(markdown.contains("## Source conflicts"), "{markdown}");
    // No folder named: the first workspace's corpus.
    let again = server.request("refnotes/corpusReport", json!({}));
    assert_eq!(again, report);
}

/// Regression: two events for one file in a watched-files batch (or in
/// batches close together) added the document twice, so citations of it
/// became "ambiguous".
#[test]
fn watched_file_events_for_one_file_coalesce() {
    let (_dir, root, mut server, note) = basic(rich_client(&["utf-16"]));
    server.diagnostics(&note, 1);
    server.take_notifications("refnotes/status");
    server.take_notifications("textDocument/publishDiagnostics");
    let harbor = uri(&root.join("corpus/001_harbor.txt"));
    let close = uri(&root.join("corpus/002_close.md"));
    let changed = |file: &str| json!({"uri": file, "type": 2});
    let created = |file: &str| json!({"uri": file, "type": 1});
    let many: Vec<Value> = (0..2000)
        .map(|i| {
            if i % 2 == 0 {
                changed(&harbor)
            } else {
                created(&close)
            }
        })
        .collect();
    let batches = [
        json!([changed(&harbor), changed(&harbor)]),
        json!([created(&harbor), changed(&harbor), changed(&close)]),
        json!(many),
    ];
    for batch in &batches {
        server.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": batch }),
        );
    }
    // However the batches were grouped, the corpus still holds two documents.
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [changed(&harbor), created(&harbor)]}),
    );
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
    for status in server.take_notifications("refnotes/status") {
        assert_eq!(status["documents"], 2, "{status}");
    }
    let published = server.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == note);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap_or("").contains("ambiguous")),
        "{diagnostics:#?}"
    );
}

/// Regression: a broken `refnotes.toml` was only logged, and the project's
/// settings were silently dropped.
#[test]
fn a_broken_config_is_shown_and_the_last_good_settings_stay() {
    let (_dir, root) = TestServer::fixture("basic");
    let config = root.join("refnotes.toml");
    std::fs::write(
        &config,
        "corpus = [\"corpus\"]\n[severity]\n\"unknown-source\" = \"hint\"\n",
    )
    .unwrap();
    let mut server = server();
    server.initialize(Some(&root), rich_client(&["utf-16"]), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let note = server.open(&root.join("notes/deal.md"));
    let hinted = |diagnostics: &[Value]| {
        diagnostics
            .iter()
            .any(|d| d["code"] == "unknown-source" && d["severity"] == 4)
    };
    assert!(hinted(&server.diagnostics(&note, 1)));
    server.take_notifications("textDocument/publishDiagnostics");

    std::fs::write(
        &config,
        "corpus = [\"corpus\"]\n[severity]\n\"unknown-source\" = \"loud\"\n",
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let shown = server.wait_for("window/showMessage", |_| true);
    assert_eq!(shown["type"], 1, "{shown}");
    let text = shown["message"].as_str().unwrap();
    assert!(
        text.contains("refnotes.toml:3:20: unknown severity \"loud\" for unknown-source")
            && text.contains("the last good settings stay in force until it is fixed"),
        "{text}"
    );
    let on_config = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&config)
    });
    let diagnostics = on_config["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": position(2, 19), "end": position(2, 25)})
    );
    assert_eq!(diagnostics[0]["severity"], 1);
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown severity \"loud\""));
    // The note is still checked with the last good settings.
    let published = server.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == note);
    assert!(
        hinted(published["diagnostics"].as_array().unwrap()),
        "{published}"
    );

    // Fixed: the diagnostic on the config file goes away.
    std::fs::write(&config, "corpus = [\"corpus\"]\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let cleared = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&config)
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    // The same mistake made again is shown again.
    std::fs::write(
        &config,
        "corpus = [\"corpus\"]\n[severity]\n\"unknown-source\" = \"loud\"\n",
    )
    .unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let shown = server.wait_for("window/showMessage", |_| true);
    assert!(
        shown["message"]
            .as_str()
            .unwrap()
            .contains("unknown severity \"loud\""),
        "{shown}"
    );
}

/// Regression: with the notes inside the corpus (`corpus = ["."]`), an open
/// note was its own source and every finding became "wrong-source … notes does".
#[test]
fn an_open_note_inside_the_corpus_is_not_its_own_source() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for entry in std::fs::read_dir(example.join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join(entry.file_name())).unwrap();
    }
    std::fs::copy(example.join("notes.md"), root.join("notes.md")).unwrap();
    std::fs::write(root.join("refnotes.toml"), "corpus = [\".\"]\n").unwrap();
    let mut server = server();
    server.initialize(Some(root), rich_client(&["utf-16"]), Value::Null);
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 6, "{status}");
    let note = server.open(&root.join("notes.md"));
    let status = server.wait_for("refnotes/status", |p| p["documents"] == 5);
    assert_eq!(status["state"], "ready");
    // What was published before the note left the corpus is stale.
    server.take_notifications("textDocument/publishDiagnostics");
    let published = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == note
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "figure-mismatch"))
    });
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("notes do")),
        "{diagnostics:#?}"
    );
    let shown = server.take_notifications("window/showMessage");
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0]["message"]
            .as_str()
            .unwrap()
            .contains("not read as a source, while it is open"),
        "{shown:?}"
    );
    // Closed, it is a document again.
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": note}}),
    );
    server.wait_for("refnotes/status", |p| p["documents"] == 6);
}

/// Regression: a link to `/sys` or `/proc/kmsg` in the corpus kept the server
/// "indexing" for ever, its memory growing.
#[cfg(target_os = "linux")]
#[test]
fn links_to_kernel_files_in_the_corpus_do_not_stall_indexing() {
    let (_dir, root) = TestServer::fixture("basic");
    let corpus = root.join("corpus");
    std::os::unix::fs::symlink("/sys", corpus.join("sys")).unwrap();
    std::os::unix::fs::symlink("/proc/kmsg", corpus.join("kmsg.txt")).unwrap();
    for follow in [false, true] {
        let mut server = server();
        server.initialize(
            Some(&root),
            plain_client(),
            json!({"followSymlinks": follow}),
        );
        let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
        assert_eq!(status["documents"], 2, "follow {follow}: {status}");
    }
}

/// A config broken before the server starts is shown too, and the defaults apply.
#[test]
fn a_config_broken_at_startup_is_shown_with_a_diagnostic() {
    let (_dir, root) = TestServer::fixture("basic");
    let config = root.join("refnotes.toml");
    std::fs::write(&config, "corpus = [\"corpus\"]\ncolour = \"red\"\n").unwrap();
    let mut server = server();
    server.initialize(Some(&root), plain_client(), Value::Null);
    let shown = server.wait_for("window/showMessage", |_| true);
    let text = shown["message"].as_str().unwrap();
    assert!(
        text.contains("refnotes.toml:2:1: unknown field `colour`")
            && text.ends_with("the defaults apply until it is fixed"),
        "{text}"
    );
    let on_config = server.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&config)
    });
    assert_eq!(
        on_config["diagnostics"][0]["range"],
        json!({"start": position(1, 0), "end": position(1, 14)})
    );
    // The conventional corpus folder is still found.
    let status = server.wait_for("refnotes/status", |p| p["state"] == "ready");
    assert_eq!(status["documents"], 2, "{status}");
}

#[test]
fn skipped_corpus_files_are_shown_once_with_the_reason() {
    let (_dir, root) = research_pdf_example();
    let bad = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/bad");
    std::fs::copy(bad.join("scanned.pdf"), root.join("corpus/scanned.pdf")).unwrap();
    let mut server = server();
    server.initialize(Some(&root), plain_client(), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let shown = server.wait_for("window/showMessage", |_| true);
    let message = shown["message"].as_str().unwrap();
    assert!(
        message.starts_with("refnotes skipped 1 corpus file: "),
        "{message}"
    );
    assert!(
        message.ends_with("scanned.pdf: skipped: no text layer: scanned PDF; run OCR first"),
        "{message}"
    );
}
