//! End-to-end tests of `refnotes serve --stdio`: the real binary, driven over
//! its standard input and output by a small test client.

#[path = "lsp/client.rs"]
mod client;
#[path = "lsp/jsonrpc.rs"]
mod jsonrpc;

use std::path::Path;

use client::{uri, TestServer};
use serde_json::{json, Value};

fn server() -> TestServer {
    TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")))
}

/// Capabilities of a plain client: UTF-16 only, push diagnostics, no extras.
fn plain_client() -> Value {
    json!({})
}

/// A client like VS Code's: progress, watched-file registration, configuration,
/// UTF-8 and UTF-16 offered.
fn rich_client(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "window": {"workDoneProgress": true},
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}
        }
    })
}

fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(line, character)})
}

/// Opens the basic fixture's note in a fresh server; waits for the corpus.
fn basic(capabilities: Value) -> (tempfile::TempDir, std::path::PathBuf, TestServer, String) {
    let (dir, root) = TestServer::fixture("basic");
    let mut server = server();
    server.initialize(Some(&root), capabilities, Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let note = server.open(&root.join("notes/deal.md"));
    (dir, root, server, note)
}

#[test]
fn initialize_reports_capabilities() {
    let mut server = server();
    let mut result = server.initialize(None, plain_client(), Value::Null);
    result["serverInfo"]["version"] = json!("<version>");
    let text = serde_json::to_string_pretty(&result).unwrap();
    expect_test::expect_file!["lsp/capabilities.json"].assert_eq(&text);

    let mut pulling = TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")));
    let result = pulling.initialize(
        None,
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        Value::Null,
    );
    assert_eq!(
        result["capabilities"]["diagnosticProvider"],
        json!({"identifier": "refnotes", "interFileDependencies": true, "workspaceDiagnostics": true})
    );
}

#[test]
fn position_encoding_is_utf8_only_when_offered() {
    let cases = [
        (
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            "utf-8",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
            "utf-8",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32"]}}),
            "utf-16",
        ),
        (json!({}), "utf-16"),
    ];
    for (capabilities, expected) in cases {
        let mut server = server();
        let result = server.initialize(None, capabilities.clone(), Value::Null);
        assert_eq!(
            result["capabilities"]["positionEncoding"], expected,
            "{capabilities}"
        );
    }
}

#[test]
fn opening_a_note_publishes_diagnostics_with_its_version() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let diagnostics = server.diagnostics(&note, 1);
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["source"], "refnotes", "{diagnostic}");
        assert!(diagnostic["code"].is_string(), "{diagnostic}");
        assert!(
            diagnostic["range"]["start"]["line"].is_u64(),
            "{diagnostic}"
        );
    }
    assert!(
        !diagnostics.iter().any(|d| d["code"] == "no-corpus"),
        "{diagnostics:?}"
    );
}

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

/// Types `[@` into a line holding curly quotes, by an incremental edit at a
/// column counted in the negotiated encoding, and completes document ids there.
#[test]
fn incremental_edit_then_completion_after_citation_bracket_in_both_encodings() {
    // Line 3 (0-based) of the note: "Its chief executive called the purchase
    // “a natural fit for our brands”, Harbor Lane Foods said [@001_harbor]."
    // The edit goes right after
    // the closing curly quote: UTF-16 counts each curly quote as 1, UTF-8 as 3.
    let line = "Its chief executive called the purchase “a natural fit for our brands”";
    for (encoding, column) in [("utf-16", line.chars().count()), ("utf-8", line.len())] {
        let (_dir, _root, mut server, note) = basic(rich_client(&[encoding]));
        server.diagnostics(&note, 1);
        let column = column as u32;
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": note, "version": 2},
                "contentChanges": [{
                    "range": {"start": position(3, column), "end": position(3, column)},
                    "text": " see [@00"
                }]
            }),
        );
        let after = column + " see [@00".len() as u32;
        let result = server.request("textDocument/completion", at(&note, 3, after));
        let items = result["items"].as_array().unwrap();
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["001_harbor", "002_close"], "{encoding}");
        assert_eq!(
            items[0]["textEdit"]["range"],
            json!({"start": position(3, after - 2), "end": position(3, after)}),
            "{encoding}"
        );
        assert_eq!(
            items[0]["detail"],
            "Harbor Lane Foods to buy Millbrook Dairy"
        );
        // The edited text is what diagnostics are computed on, with its version.
        server.diagnostics(&note, 2);
    }
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
fn out_of_range_positions_and_unknown_documents_get_empty_answers() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    let unknown = uri(&root.join("notes/never-opened.md"));
    // Past the end of line 0 clamps to its end, after "Millbrook".
    let heading = "# Harbor Lane and Millbrook";
    let clamped = server.request("textDocument/hover", at(&note, 0, 99_999));
    if !clamped.is_null() {
        assert_eq!(clamped["range"]["end"], position(0, heading.len() as u32));
    }
    for (uri, line, character) in [(note.as_str(), 999, 999), (unknown.as_str(), 0, 0)] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
        ] {
            let result = server.request(method, at(uri, line, character));
            assert_eq!(
                result,
                Value::Null,
                "{method} at {line}:{character} of {uri}"
            );
        }
        let references = server.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position(line, character), "context": {"includeDeclaration": true}}),
        );
        assert_eq!(references, Value::Null);
    }
    let reversed = json!({"start": position(5, 3), "end": position(0, 0)});
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": unknown}, "range": reversed, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, Value::Null);
    // Edits to unknown documents and past the end are absorbed.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": unknown, "version": 5}, "contentChanges": [{"text": "x"}]}),
    );
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": note, "version": 2},
            "contentChanges": [{"range": {"start": position(40, 9), "end": position(80, 0)}, "text": "\nTail [@"}]
        }),
    );
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": note}}),
    );
    assert_eq!(symbols[0]["name"], "Harbor Lane and Millbrook", "{symbols}");
    let completion = server.request("textDocument/completion", at(&note, 7, 7));
    assert_eq!(
        completion["items"].as_array().map(Vec::len),
        Some(2),
        "{completion}"
    );
}

#[test]
fn workspace_symbols_list_documents_with_their_files() {
    let (_dir, root, mut server, _note) = basic(plain_client());
    let result = server.request("workspace/symbol", json!({"query": "to buy"}));
    let documents: Vec<&Value> = result
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == 1)
        .collect();
    assert_eq!(documents.len(), 1, "{result}");
    assert_eq!(documents[0]["name"], "001_harbor");
    assert_eq!(
        documents[0]["containerName"],
        "Harbor Lane Foods to buy Millbrook Dairy"
    );
    assert_eq!(
        documents[0]["location"],
        json!({"uri": uri(&root.join("corpus/001_harbor.txt")), "range": {"start": position(0, 0), "end": position(0, 0)}})
    );
}

#[test]
fn shutdown_accepts_null_params_and_exit_ends_the_process() {
    let mut server = server();
    server.initialize(None, plain_client(), Value::Null);
    // `shutdown` goes out with `"params": null`, as Eglot sends it.
    server.shutdown();

    let mut abrupt = TestServer::start(Path::new(env!("CARGO_BIN_EXE_refnotes")));
    abrupt.initialize(None, plain_client(), Value::Null);
    abrupt.notify("exit", Value::Null);
    assert_eq!(
        abrupt.wait_exit(),
        Some(1),
        "exit without shutdown is an error"
    );
}

#[test]
fn pull_diagnostics_answer_for_a_note_and_the_workspace() {
    let (_dir, _root, mut server, note) = basic(json!({"textDocument": {"diagnostic": {}}}));
    let report = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": note}}),
    );
    assert_eq!(report["kind"], "full", "{report}");
    assert!(report["items"].is_array());
    let workspace = server.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let uris: Vec<&str> = workspace["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [note.as_str()], "corpus files are not notes");
    assert_eq!(workspace["items"][0]["version"], 1);
    assert!(server
        .take_notifications("textDocument/publishDiagnostics")
        .is_empty());
}

/// The note's line 3 and the source's line 3 both have curly quotes before the
/// name, so UTF-16 and UTF-8 columns differ on both ends of the jump.
const NOTE_QUOTE_LINE: &str = "Its chief executive called the purchase “a natural fit for our brands”, Harbor Lane Foods said [@001_harbor].";
const SOURCE_QUOTE_LINE: &str = "The chief executive, Dana Whitfield, said the purchase was “a natural fit for our brands” and good news for Harbor Lane Foods.";

fn column(line: &str, needle: &str, encoding: &str) -> u32 {
    let before = &line[..line.find(needle).unwrap()];
    match encoding {
        "utf-8" => before.len() as u32,
        _ => before.encode_utf16().count() as u32,
    }
}

#[test]
fn definition_on_a_name_after_curly_quotes_lands_on_the_source_in_both_encodings() {
    for encoding in ["utf-16", "utf-8"] {
        let (_dir, root, mut server, note) = basic(rich_client(&[encoding]));
        server.diagnostics(&note, 1);
        let name_column = column(NOTE_QUOTE_LINE, "Harbor Lane Foods said", encoding);
        let result = server.request("textDocument/definition", at(&note, 3, name_column + 3));
        let target_column = column(SOURCE_QUOTE_LINE, "Harbor Lane Foods.", encoding);
        let expected = json!({
            "uri": uri(&root.join("corpus/001_harbor.txt")),
            "range": {"start": position(3, target_column), "end": position(3, target_column + 17)}
        });
        let locations = result.as_array().expect("locations");
        assert!(
            locations.contains(&expected),
            "{encoding}: {expected} not in {result:#}"
        );
        // Every location is a real range in a corpus file.
        for location in locations {
            assert!(
                location["uri"].as_str().unwrap().contains("/corpus/"),
                "{location}"
            );
            let range = &location["range"];
            assert_eq!(range["end"]["line"], range["start"]["line"], "{location}");
        }
    }
}

#[test]
fn hover_on_a_name_shows_the_entity_and_links_to_sources() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    let name_column = column(NOTE_QUOTE_LINE, "Harbor Lane Foods said", "utf-16");
    let hover = server.request("textDocument/hover", at(&note, 3, name_column));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**Harbor Lane Foods**"), "{text}");
    assert!(text.contains("Mentioned in 2 documents."), "{text}");
    let link = format!("]({}#L4)", uri(&root.join("corpus/001_harbor.txt")));
    assert!(text.contains(&link), "{link} not in {text}");
    assert_eq!(
        hover["range"],
        json!({"start": position(3, name_column), "end": position(3, name_column + 17)})
    );
}

#[test]
fn references_on_a_name_cover_the_corpus_and_open_notes() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    let other_path = root.join("notes/other.md");
    let other = server.open_text(&other_path, "Later, Millbrook Dairy hired more staff.\n");
    server.diagnostics(&other, 1);
    let result = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": note}, "position": position(4, 3), "context": {"includeDeclaration": true}}),
    );
    let mut found: Vec<String> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let file = l["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            format!(
                "{file}:{}:{}",
                l["range"]["start"]["line"], l["range"]["start"]["character"]
            )
        })
        .collect();
    found.sort();
    for expected in [
        "001_harbor.txt:4:0",
        "002_close.md:4:4",
        "deal.md:2:32",
        "deal.md:4:0",
        "other.md:0:7",
    ] {
        assert!(
            found.contains(&expected.to_string()),
            "{expected} not in {found:?}"
        );
    }
}

#[test]
fn document_symbols_outline_the_note() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": note}}),
    );
    assert_eq!(symbols[0]["name"], "Harbor Lane and Millbrook");
    assert_eq!(symbols[0]["kind"], 3);
    assert_eq!(
        symbols[0]["selectionRange"],
        json!({"start": position(0, 2), "end": position(0, 27)})
    );
}

#[test]
fn an_unknown_citation_is_an_error_and_ignore_here_silences_it() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let diagnostics = server.diagnostics(&note, 1);
    let line5 = "The deal closed in March [@003_missing].";
    let start = column(line5, "003_missing", "utf-16");
    let unknown = diagnostics
        .iter()
        .find(|d| code_of(d) == "unknown-source")
        .unwrap_or_else(|| panic!("no unknown-source in {diagnostics:#?}"))
        .clone();
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "refnotes");
    assert_eq!(
        unknown["range"],
        json!({"start": position(5, start), "end": position(5, start + 11)})
    );
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": note}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore unknown-source on this line")
        .unwrap_or_else(|| panic!("no ignore action in {actions:#}"));
    assert_eq!(ignore["kind"], "quickfix");
    assert_eq!(ignore["diagnostics"][0]["code"], "unknown-source");
    let edit = &ignore["edit"]["changes"][&note][0];
    assert_eq!(
        *edit,
        json!({"range": {"start": position(5, 0), "end": position(5, 0)}, "newText": "<!-- refnotes-ignore unknown-source -->\n"})
    );
    // Applied as the editor would, the engine honours it.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": note, "version": 2}, "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let after = server.diagnostics(&note, 2);
    assert!(
        !after.iter().any(|d| code_of(d) == "unknown-source"),
        "{after:#?}"
    );
}

#[test]
fn hover_and_definition_on_a_citation_key() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    let line2 = "Harbor Lane Foods agreed to buy Millbrook Dairy for $450 million [@001_harbor].";
    let key = column(line2, "001_harbor", "utf-16");
    let citation = server.request("textDocument/hover", at(&note, 2, key + 2));
    let text = citation["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**Harbor Lane Foods to buy Millbrook Dairy**\n\n`001_harbor`"),
        "{text}"
    );
    assert!(
        text.contains("> Harbor Lane Foods said on Tuesday"),
        "{text}"
    );
    assert_eq!(
        citation["range"],
        json!({"start": position(2, key), "end": position(2, key + 10)})
    );
    let definition = server.request("textDocument/definition", at(&note, 2, key + 2));
    assert_eq!(
        definition,
        json!([{"uri": uri(&root.join("corpus/001_harbor.txt")), "range": {"start": position(0, 0), "end": position(0, 0)}}])
    );
    // On the key of the missing document: hover says so, definition has nothing.
    let line5 = "The deal closed in March [@003_missing].";
    let missing = column(line5, "003_missing", "utf-16") + 1;
    let hover = server.request("textDocument/hover", at(&note, 5, missing));
    assert_eq!(
        hover["contents"]["value"],
        "`@003_missing` matches no document in the corpus."
    );
    assert_eq!(
        server.request("textDocument/definition", at(&note, 5, missing)),
        Value::Null
    );
}

fn code_of(diagnostic: &Value) -> &str {
    diagnostic["code"].as_str().unwrap_or("")
}

// ---- Expectations that need the figure extractor. ----
// They describe the finished engine on the fixture; run them with
// `cargo test --test lsp -- --ignored` once figures land.

#[test]
fn diagnostics_flag_the_wrong_figure_with_related_information() {
    let (_dir, root, mut server, note) = basic(plain_client());
    let diagnostics = server.diagnostics(&note, 1);
    let mismatch = diagnostics
        .iter()
        .find(|d| code_of(d) == "figure-mismatch")
        .unwrap_or_else(|| panic!("no figure-mismatch in {diagnostics:#?}"));
    let line2 = "Harbor Lane Foods agreed to buy Millbrook Dairy for $450 million [@001_harbor].";
    let start = column(line2, "$450", "utf-16");
    assert_eq!(
        mismatch["range"],
        json!({"start": position(2, start), "end": position(2, start + 12)})
    );
    assert_eq!(mismatch["severity"], 2);
    let related = mismatch["relatedInformation"].as_array().unwrap();
    assert!(
        related.iter().any(
            |r| r["location"]["uri"] == uri(&root.join("corpus/001_harbor.txt"))
                && r["location"]["range"]["start"]["line"] == 2
        ),
        "{related:?}"
    );
}

#[test]
fn the_preferred_fix_replaces_the_figure_and_clears_the_diagnostic() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let diagnostics = server.diagnostics(&note, 1);
    let mismatch = diagnostics
        .iter()
        .find(|d| code_of(d) == "figure-mismatch")
        .expect("figure-mismatch")
        .clone();
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": note}, "range": mismatch["range"], "context": {"diagnostics": [mismatch]}}),
    );
    let actions = actions.as_array().unwrap();
    let preferred = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred fix");
    assert_eq!(preferred["kind"], "quickfix");
    let edits = &preferred["edit"]["changes"][&note];
    assert_eq!(edits[0]["range"], mismatch["range"]);
    assert_eq!(edits[0]["newText"], "$410 million");
    assert!(actions
        .iter()
        .any(|a| a["title"] == "Ignore figure-mismatch on this line"));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": note, "version": 2}, "contentChanges": [{"range": edits[0]["range"], "text": edits[0]["newText"]}]}),
    );
    let after = server.diagnostics(&note, 2);
    assert!(
        !after.iter().any(|d| code_of(d) == "figure-mismatch"),
        "{after:#?}"
    );
}

#[test]
fn hover_and_definition_on_a_figure() {
    let (_dir, root, mut server, note) = basic(plain_client());
    server.diagnostics(&note, 1);
    let line2 = "Harbor Lane Foods agreed to buy Millbrook Dairy for $450 million [@001_harbor].";
    let figure_at = at(&note, 2, column(line2, "$450", "utf-16") + 1);
    let figure = server.request("textDocument/hover", figure_at.clone());
    let text = figure["contents"]["value"].as_str().unwrap();
    assert!(text.contains("$410 million"), "{text}");
    assert!(text.contains("✗"), "{text}");
    let definition = server.request("textDocument/definition", figure_at);
    let line =
        "Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for $410 million in cash.";
    let start = column(line, "$410", "utf-16");
    assert!(
        definition.as_array().unwrap().contains(&json!({
            "uri": uri(&root.join("corpus/001_harbor.txt")),
            "range": {"start": position(2, start), "end": position(2, start + 12)}
        })),
        "{definition:#}"
    );
}

#[test]
fn a_source_opened_in_the_editor_links_to_the_other_sources() {
    let (_dir, root, mut server, _note) = basic(plain_client());
    let source = server.open(&root.join("corpus/001_harbor.txt"));
    let diagnostics = server.diagnostics(&source, 1);
    assert!(
        !diagnostics.iter().any(|d| code_of(d) == "no-corpus"),
        "{diagnostics:?}"
    );
    // "Harbor Lane Foods" at the start of line 2 (0-based) of the source.
    let hover = server.request("textDocument/hover", at(&source, 2, 3));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**Harbor Lane Foods**"), "{text}");
    let definition = server.request("textDocument/definition", at(&source, 2, 3));
    let other = uri(&root.join("corpus/002_close.md"));
    let targets = definition.as_array().unwrap();
    assert!(!targets.is_empty());
    assert!(
        targets.iter().all(|t| t["uri"] == other),
        "a source's own mentions are not its sources: {definition:#}"
    );
    assert!(
        targets.contains(
            &json!({"uri": other, "range": {"start": position(4, 32), "end": position(4, 49)}})
        ),
        "{definition:#}"
    );
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

/// Copies `examples/research-pdf` (a PDF study, an HTML press release and a
/// PDF bulletin) to a scratch folder.
fn research_pdf_example() -> (tempfile::TempDir, std::path::PathBuf) {
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

#[test]
fn hover_and_definition_on_a_figure_from_a_pdf_and_an_html_page() {
    let (_dir, root) = research_pdf_example();
    let mut server = server();
    server.initialize(Some(&root), plain_client(), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let note = server.open(&root.join("notes.md"));
    let diagnostics = server.diagnostics(&note, 1);
    let line = "- Each degree above 30 °C brought a 7.4% increase in admissions for respiratory illness [@study].";
    assert!(
        diagnostics
            .iter()
            .any(|d| code_of(d) == "figure-mismatch" && d["range"]["start"]["line"] == 11),
        "{diagnostics:#?}"
    );
    let figure_at = at(&note, 11, column(line, "7.4%", "utf-16") + 1);
    let hover = server.request("textDocument/hover", figure_at.clone());
    let text = hover["contents"]["value"].as_str().unwrap();
    // The original's page and element, and the readable text's line.
    let study = uri(&root.join("corpus/study.pdf"));
    assert!(
        text.contains(&format!("[study.pdf p. 1]({study}#page=1)")),
        "{text}"
    );
    let press = uri(&root.join("corpus/press-release.html"));
    assert!(
        text.contains(&format!("[press-release.html#summary]({press}#summary)")),
        "{text}"
    );
    assert!(text.contains("([text](file://"), "{text}");

    // Go to definition opens the readable text at the source's words.
    let definition = server.request("textDocument/definition", figure_at);
    let targets = definition.as_array().unwrap();
    let in_study = targets
        .iter()
        .find(|t| t["uri"].as_str().unwrap().contains("study.pdf-"))
        .unwrap_or_else(|| panic!("{definition:#}"));
    let path = in_study["uri"]
        .as_str()
        .unwrap()
        .strip_prefix("file://")
        .unwrap()
        .to_string();
    let rendition = std::fs::read_to_string(&path).unwrap();
    assert!(
        rendition.lines().next().unwrap().contains("study.pdf"),
        "{rendition}"
    );
    let line = in_study["range"]["start"]["line"].as_u64().unwrap() as usize;
    let start = in_study["range"]["start"]["character"].as_u64().unwrap() as usize;
    let words: String = rendition
        .lines()
        .nth(line)
        .unwrap()
        .encode_utf16()
        .skip(start)
        .take(4)
        .map(|u| char::from_u32(u as u32).unwrap())
        .collect();
    assert_eq!(words, "4.7%");
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

/// One undecodable frame used to end the session (the protocol library
/// answered -32700 and stopped reading); now it costs one error reply.
#[test]
fn a_bad_frame_gets_an_error_reply_and_the_server_keeps_serving() {
    let (_dir, _root, mut server, note) = basic(plain_client());
    let hover = |id: i64| {
        serde_json::to_string(&json!({
            "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": at(&note, 0, 0)
        }))
        .unwrap()
    };
    let framed = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let bad_frames = [
        (framed("{\"jsonrpc\": \"2.0\", \"id\": 5, "), -32700),
        (framed(&format!("[{}]", hover(6))), -32600),
        (framed("{\"hello\": \"world\"}"), -32600),
        (format!("Content-Length: 7\r\n\r\n{}", hover(7)), -32700),
        (
            format!(
                "Content-Length: {}\r\n\r\n{}",
                hover(8).len() + 12,
                hover(8)
            ),
            -32700,
        ),
    ];
    for (round, (bad, code)) in bad_frames.iter().enumerate() {
        let id = 100 + round as i64;
        // The bad frame and a good one right behind it, in one write.
        server.send_raw(format!("{bad}{}", framed(&hover(id))).as_bytes());
        let error = server.null_id_error();
        assert_eq!(error["error"]["code"], json!(code), "{bad:?}");
        let answer = server.response(id);
        assert!(answer.get("error").is_none(), "{answer}");
    }
    // A lower-case header is read like any other.
    let body = hover(200);
    server.send_raw(format!("content-length: {}\r\n\r\n{body}", body.len()).as_bytes());
    assert!(server.response(200).get("error").is_none());
    server.shutdown();
}

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

// ---- Latency behaviour (issue 13): what each keystroke's publish says. ----

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

/// A corpus holding 20 copies of one wire story (each site adds its own
/// header and footer) and one other report.
fn syndicated_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let story = "Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for $410 million in cash.\n\
        The chief executive, Dana Whitfield, said the purchase was a natural fit for the brands and \
        good news for Harbor Lane Foods, whose shares rose 3 percent in early trading.\n\
        Millbrook Dairy employs about 1,200 people across three plants and sold $880 million of \
        milk, cheese and yoghurt last year, according to the companies.\n";
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for site in 0..20 {
        std::fs::write(
            corpus.join(format!("wire_{site:02}.txt")),
            format!("Harbor Lane to buy Millbrook\n\nSite {site} Daily News\n\n{story}\nCopyright Site {site}.\n"),
        )
        .unwrap();
    }
    std::fs::write(
        corpus.join("filing.txt"),
        "Millbrook filing\n\nHarbor Lane Foods will pay $410 million for Millbrook Dairy, the filing says.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("refnotes.toml"), "corpus = [\"corpus\"]\n").unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    dir
}

#[test]
fn definition_on_a_figure_answers_one_location_for_twenty_copies() {
    let dir = syndicated_corpus();
    let root = dir.path();
    let mut server = server();
    server.initialize(Some(root), plain_client(), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let text = "# Deal\n\nHarbor Lane Foods agreed to buy Millbrook Dairy for $450 million.\n";
    let note = server.open_text(&root.join("notes/deal.md"), text);
    let diagnostics = server.diagnostics(&note, 1);
    let mismatch = diagnostics
        .iter()
        .find(|d| code_of(d) == "figure-mismatch")
        .unwrap_or_else(|| panic!("no figure-mismatch in {diagnostics:#?}"));
    let related = mismatch["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{related:#?}");
    // The copies count as one source, whichever the engine found best.
    let message = related[0]["message"].as_str().unwrap();
    let best_is_a_copy = related[0]["location"]["uri"]
        .as_str()
        .unwrap()
        .contains("/corpus/wire_");
    assert_eq!(
        message.contains("one of 20 copies of the same text"),
        best_is_a_copy,
        "{message}"
    );
    assert!(message.ends_with("; and 1 more source"), "{message}");

    let figure_at = at(
        &note,
        2,
        column(text.lines().nth(2).unwrap(), "$450", "utf-16") + 1,
    );
    let definition = server.request("textDocument/definition", figure_at.clone());
    let locations = definition.as_array().unwrap();
    let wire: Vec<&Value> = locations
        .iter()
        .filter(|l| l["uri"].as_str().unwrap().contains("/corpus/wire_"))
        .collect();
    assert_eq!(wire.len(), 1, "{definition:#}");
    assert!(locations.len() <= 10, "{definition:#}");
    // The compared source comes first.
    assert_eq!(locations[0]["uri"], related[0]["location"]["uri"]);

    // References keep every copy.
    let references = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": note}, "position": figure_at["position"], "context": {"includeDeclaration": true}}),
    );
    let copies = references
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"].as_str().unwrap().contains("/corpus/wire_"))
        .count();
    assert!(copies > 1, "{references:#}");

    let hover = server.request("textDocument/hover", figure_at);
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("copies of it say the same"), "{hover}");
}

#[test]
fn citation_completion_is_ranked_bounded_and_resolves_documentation() {
    let dir = syndicated_corpus();
    let root = dir.path();
    // The newest document, unrelated to the sentence: first without hints.
    std::fs::write(
        root.join("corpus/aaa_weather.md"),
        "---\ntitle: Weather\ndate: 2030-01-01\n---\nRain is expected on Friday.\n",
    )
    .unwrap();
    let mut server = server();
    server.initialize(Some(root), plain_client(), Value::Null);
    server.wait_for("refnotes/status", |p| p["state"] == "ready");
    let text = "Harbor Lane Foods will pay $410 million for Millbrook Dairy [@";
    let note = server.open_text(&root.join("notes/deal.md"), text);
    server.diagnostics(&note, 1);
    let end = text.encode_utf16().count() as u32;
    let list = server.request("textDocument/completion", at(&note, 0, end));
    let items = list["items"].as_array().unwrap();
    assert!(items.len() <= 50, "{list:#}");
    // The documents that state the sentence's figure come before the newest one.
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), 22, "{labels:?}");
    assert_eq!(labels.last(), Some(&"aaa_weather"), "{labels:?}");
    assert_eq!(list["isIncomplete"], false);
    assert!(items[0].get("documentation").is_none(), "{list:#}");
    let resolved = server.request("completionItem/resolve", items[0].clone());
    let documentation = resolved["documentation"]["value"].as_str().unwrap();
    assert!(
        documentation.contains("Millbrook filing"),
        "{documentation}"
    );
}
