//! End-to-end tests of `refnotes serve --stdio`, the editor features:
//! diagnostics and their fixes, hover, definition, references, symbols and
//! completion, on notes and on sources (Markdown, PDF, HTML).

#[path = "support/lsp.rs"]
mod lsp;

use serde_json::{json, Value};

use lsp::client::uri;
use lsp::{
    at, basic, code_of, column, plain_client, position, research_pdf_example, rich_client, server,
};

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

/// The note's line 3 and the source's line 3 both have curly quotes before the
/// name, so UTF-16 and UTF-8 columns differ on both ends of the jump.
const NOTE_QUOTE_LINE: &str = "Its chief executive called the purchase “a natural fit for our brands”, Harbor Lane Foods said [@001_harbor].";

const SOURCE_QUOTE_LINE: &str = "The chief executive, Dana Whitfield, said the purchase was “a natural fit for our brands” and good news for Harbor Lane Foods.";

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
