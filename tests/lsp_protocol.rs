//! End-to-end tests of `refnotes serve --stdio`, the protocol itself: what
//! `initialize` negotiates, diagnostics published and pulled, odd positions
//! and unknown documents, bad frames, shutdown and exit.

#[path = "support/lsp.rs"]
mod lsp;

use std::path::Path;

use serde_json::{json, Value};

use lsp::client::{uri, TestServer};
use lsp::{at, basic, plain_client, position, server};

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
