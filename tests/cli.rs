//! The `refnotes` binary end to end: fixture folders in, stdout, stderr and
//! exit status out.

#[path = "support/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use cli::{json, project, refnotes};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(name)
}

fn assert_diagnostic_shape(diagnostic: &Value) {
    for key in ["path", "message"] {
        assert!(diagnostic[key].is_string(), "{key} in {diagnostic}");
    }
    for key in ["line", "column", "end_line", "end_column"] {
        assert!(
            diagnostic[key].as_u64().unwrap() >= 1,
            "{key} in {diagnostic}"
        );
    }
    let severity = diagnostic["severity"].as_str().unwrap();
    assert!(["hint", "information", "warning", "error"].contains(&severity));
    assert!(diagnostic["code"].is_string());
    for related in diagnostic["related"].as_array().unwrap() {
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(related[key].as_u64().unwrap() >= 1, "{key} in {related}");
        }
        assert!(related["path"].is_string() && related["message"].is_string());
    }
}

#[test]
fn json_report_of_a_faithful_project_is_clean() {
    let run = refnotes(&fixture("project"), &["check", "--format", "json", "notes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let report = json(&run);
    assert_eq!(report["version"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    for diagnostic in diagnostics {
        assert_diagnostic_shape(diagnostic);
        // Walked notes are shown relative to the working folder; drafts are
        // excluded by the config, sources are never read as notes.
        let path = diagnostic["path"].as_str().unwrap();
        assert!(
            ["notes/dairy-sale.md", "notes/unicode.md"].contains(&path),
            "{path}"
        );
    }
}

#[test]
fn human_report_counts_notes_and_sources() {
    let run = refnotes(&fixture("project"), &["check", "notes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Two notes (the draft is excluded) against two sources; stdout is a pipe,
    // so no colour.
    assert!(
        run.stdout
            .ends_with("0 errors, 0 warnings, 0 information in 2 notes (2 sources)\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'));
}

#[test]
fn sarif_report_has_the_required_shape() {
    let run = refnotes(
        &fixture("beside"),
        &["check", "--format", "sarif", "notes.md"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = json(&run);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "refnotes");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in [
        "figure-mismatch",
        "misquote",
        "unknown-source",
        "wrong-source",
        "unsupported-figure",
    ] {
        assert!(ids.contains(&code), "{code} missing from {ids:?}");
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    assert!(runs[0]["results"].is_array());
}

#[test]
fn corpus_beside_the_notes_is_found_without_config() {
    let run = refnotes(&fixture("beside"), &["check", "notes.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with("in 1 note (1 source)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_empty_corpus_is_reported_in_each_format() {
    let dir = project(
        &[("notes.md", "A “quoted” line — then £5.\n".as_bytes())],
        &["corpus"],
    );
    let human = refnotes(dir.path(), &["check", "--allow-empty-corpus", "notes.md"]);
    // Information does not reach the default minimum, warning.
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human
        .stderr
        .contains("warning: the corpus (corpus) holds no documents"));
    let expected = "\
information[no-corpus]: the corpus holds no documents, so nothing in this note was checked
 --> notes.md:1:1
  |
1 | A “quoted” line — then £5.
  | ^

0 errors, 0 warnings, 1 information in 1 note (0 sources)
";
    assert_eq!(human.stdout, expected);

    let json_run = refnotes(
        dir.path(),
        &[
            "check",
            "--allow-empty-corpus",
            "--format",
            "json",
            "notes.md",
        ],
    );
    let report = json(&json_run);
    assert_eq!(report["diagnostics"][0]["code"], "no-corpus");
    assert_eq!(report["diagnostics"][0]["line"], 1);
    assert_eq!(report["diagnostics"][0]["column"], 1);
    assert_diagnostic_shape(&report["diagnostics"][0]);

    let sarif = json(&refnotes(
        dir.path(),
        &[
            "check",
            "--allow-empty-corpus",
            "--format",
            "sarif",
            "notes.md",
        ],
    ));
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "no-corpus");
    assert_eq!(result["level"], "note");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "notes.md"
    );

    let colored = refnotes(
        dir.path(),
        &[
            "check",
            "--allow-empty-corpus",
            "--color",
            "always",
            "notes.md",
        ],
    );
    assert!(colored
        .stdout
        .contains("\x1b[1;32minformation[no-corpus]\x1b[0m"));
}

#[test]
fn min_severity_and_config_severity_decide_the_exit_status() {
    let dir = project(&[("notes.md", b"Some note.\n")], &["corpus"]);
    let status = |args: &[&str]| refnotes(dir.path(), args).code;
    assert_eq!(status(&["check", "--allow-empty-corpus", "notes.md"]), 0);
    assert_eq!(
        status(&[
            "check",
            "--allow-empty-corpus",
            "--min-severity",
            "info",
            "notes.md"
        ]),
        1
    );
    assert_eq!(
        status(&[
            "check",
            "--allow-empty-corpus",
            "--min-severity",
            "hint",
            "notes.md"
        ]),
        1
    );
    assert_eq!(
        status(&[
            "check",
            "--allow-empty-corpus",
            "--min-severity",
            "error",
            "notes.md"
        ]),
        0
    );

    std::fs::write(
        dir.path().join("refnotes.toml"),
        "[severity]\n\"no-corpus\" = \"error\"\n",
    )
    .unwrap();
    let run = refnotes(
        dir.path(),
        &[
            "check",
            "--allow-empty-corpus",
            "--min-severity",
            "error",
            "notes.md",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("error[no-corpus]"), "{}", run.stdout);
    assert!(run
        .stdout
        .ends_with("1 error, 0 warnings, 0 information in 1 note (0 sources)\n"));

    std::fs::write(
        dir.path().join("refnotes.toml"),
        "[severity]\n\"no-corpus\" = \"off\"\n",
    )
    .unwrap();
    let run = refnotes(
        dir.path(),
        &[
            "check",
            "--allow-empty-corpus",
            "--min-severity",
            "hint",
            "--format",
            "json",
            "notes.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn a_missing_corpus_folder_exits_2_naming_it() {
    let run = refnotes(
        &fixture("beside"),
        &["check", "--corpus", "no-such-folder", "notes.md"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);
}

#[test]
fn no_corpus_anywhere_exits_2_saying_how_to_name_one() {
    let dir = project(&[("notes.md", b"A note.\n")], &[]);
    let run = refnotes(dir.path(), &["check", "notes.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--corpus"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`corpus` or `sources`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_config_exits_2_naming_the_file_and_line() {
    for (config, words) in [
        ("corpus = [\"corpus\"\n", "refnotes.toml:"),
        (
            "corpus = [\"corpus\"]\nseverity_typo = 1\n",
            "refnotes.toml:2:1: unknown field `severity_typo`",
        ),
        (
            "[severity]\nmisquote = \"shouting\"\n",
            "refnotes.toml:2:12: unknown severity \"shouting\"",
        ),
    ] {
        let dir = project(
            &[
                ("refnotes.toml", config.as_bytes()),
                ("notes.md", b"A note.\n"),
                ("corpus/a.txt", b"A.\n"),
            ],
            &[],
        );
        let run = refnotes(dir.path(), &["check", "notes.md"]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert!(run.stderr.contains(words), "{config}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    // Given with --config, the message names the path as given.
    let dir = project(
        &[
            ("conf/bad.toml", b"tolerance = \"x\"\n"),
            ("notes.md", b"x\n"),
        ],
        &["corpus"],
    );
    let run = refnotes(
        dir.path(),
        &["check", "--config", "conf/bad.toml", "notes.md"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("conf/bad.toml:1:13"), "{}", run.stderr);
}

#[test]
fn bad_corpus_files_are_warned_about_and_skipped() {
    let dir = project(
        &[
            ("notes.md", b"A note.\n"),
            ("corpus/good.txt", b"Good source\n\nFine text.\n"),
            ("corpus/latin1.txt", b"Caf\xe9 prices rose 4%.\n"),
            ("corpus/blob.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ],
        &[],
    );
    let run = refnotes(dir.path(), &["check", "notes.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "warning: corpus/blob.txt: skipped: looks like a binary file (it has a NUL byte)",
            "warning: corpus/latin1.txt: invalid UTF-8; undecodable bytes were replaced with U+FFFD",
        ]
    );
    assert!(
        run.stdout.ends_with("in 1 note (2 sources)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn oversized_corpus_files_are_skipped_per_config() {
    let big = vec![b'a'; 2048];
    let dir = project(
        &[
            ("refnotes.toml", b"max_file_size = \"1KiB\"\n"),
            ("notes.md", b"A note.\n"),
            ("corpus/big.txt", &big),
            ("corpus/small.txt", b"Small.\n"),
        ],
        &[],
    );
    let run = refnotes(dir.path(), &["check", "notes.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: corpus/big.txt: skipped: 2048 bytes is over the size limit of 1024 bytes"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.ends_with("in 1 note (1 source)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unreadable_note_is_reported_and_the_others_still_checked() {
    let dir = project(
        &[
            ("good.md", b"A note.\n"),
            ("latin1.md", b"Caf\xe9.\n"),
            ("corpus/a.txt", b"A.\n"),
        ],
        &[],
    );
    let run = refnotes(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "missing.md",
            "good.md",
            "latin1.md",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error: cannot read missing.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: latin1.md: invalid UTF-8"),
        "{}",
        run.stderr
    );
    assert_eq!(json(&run)["version"], 1);
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("beside");
    for args in [
        &["check"][..],
        &["check", "--format", "xml", "notes.md"],
        &["check", "--min-severity", "fatal", "notes.md"],
        &["frobnicate"],
    ] {
        let run = refnotes(&dir, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

#[test]
fn version_and_help_exit_0() {
    let run = refnotes(&fixture("beside"), &["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("refnotes {}", env!("CARGO_PKG_VERSION"))
    );
    let help = refnotes(&fixture("beside"), &["check", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--min-severity"));
    assert!(help.stdout.contains("Exit status: 0 when nothing"));
}

#[test]
fn serve_without_a_client_exits_1_and_says_why() {
    // No client: stdin ends at once, which the protocol treats as an exit
    // without shutdown.
    let run = refnotes(&fixture("beside"), &["serve", "--stdio"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("shut down"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout belongs to the protocol");
}

#[test]
fn extract_lists_what_the_engine_sees() {
    let dir = fixture("project");
    let run = refnotes(
        &dir,
        &[
            "extract",
            "--format",
            "json",
            "sources/wire-report.txt",
            "sources/filing.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listing = json(&run);
    assert_eq!(listing["version"], 1);
    let files = listing["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["sources/wire-report.txt", "sources/filing.md"]);
    for file in files {
        for figure in file["figures"].as_array().unwrap() {
            for key in ["line", "column", "end_line", "end_column"] {
                assert!(figure[key].as_u64().unwrap() >= 1);
            }
            for key in ["text", "kind", "unit"] {
                assert!(figure[key].is_string(), "{key} in {figure}");
            }
            if figure["kind"] == "date" {
                // Dates are ISO 8601 with a year, else null with their parts.
                let value = &figure["value"];
                assert!(value.is_string() || value.is_null(), "{figure}");
                assert!(figure["date"]["month"].is_number(), "{figure}");
            } else {
                assert!(figure["value"].is_number(), "{figure}");
            }
        }
        assert!(file["quotes"].is_array() && file["entities"].is_array());
    }

    let human = refnotes(&dir, &["extract", "sources/filing.md"]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.starts_with("sources/filing.md\n  figures ("),
        "{}",
        human.stdout
    );

    let missing = refnotes(&dir, &["extract", "nope.txt", "sources/filing.md"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.txt"));
    assert!(missing.stdout.starts_with("sources/filing.md"));
}

#[test]
fn logs_go_to_stderr_only() {
    let output = Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .args(["check", "--format", "json", "notes.md"])
        .current_dir(fixture("beside"))
        .env("REFNOTES_LOG", "trace")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    serde_json::from_str::<Value>(&stdout).expect("stdout stays pure JSON with logging on");
    assert!(!output.stderr.is_empty(), "trace logging wrote nothing");
}

#[test]
fn index_builds_once_and_check_reuses_it_with_the_same_findings() {
    let dir = project(
        &[
            (
                "corpus/report.txt",
                b"Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
            ),
            (
                "notes.md",
                b"Norvalen's revenue was $4.7 billion in 2023.\n",
            ),
            (
                "refnotes.toml",
                b"corpus = [\"corpus\"]\nindex_dir = \"index\"\n",
            ),
        ],
        &[],
    );
    let first = refnotes(dir.path(), &["index"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // A corpus of a few bytes is sized in bytes, not "0 MB".
    assert!(
        first
            .stdout
            .contains(" B), 1 analysed now, 0 reused; corpus-wide tables built"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.is_empty(),
        "no progress bar off a terminal: {}",
        first.stderr
    );
    let again = refnotes(dir.path(), &["index"]);
    assert!(
        again
            .stdout
            .contains("0 analysed now, 1 reused; corpus-wide tables read from the index"),
        "{}",
        again.stdout
    );
    let index_files: Vec<_> = std::fs::read_dir(dir.path().join("index"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "rnx" || x == "rnt")
        })
        .collect();
    // The analyses and the corpus-wide tables.
    assert_eq!(index_files.len(), 2, "{index_files:?}");

    let cached = refnotes(dir.path(), &["check", "--format", "json", "notes.md"]);
    let fresh = refnotes(
        dir.path(),
        &["check", "--no-cache", "--format", "json", "notes.md"],
    );
    assert_eq!(cached.code, 1, "{}", cached.stderr);
    assert_eq!(cached.stdout, fresh.stdout);
    assert!(
        cached.stdout.contains("figure-mismatch"),
        "{}",
        cached.stdout
    );
}

#[test]
fn a_corrupted_index_is_named_and_rebuilt() {
    let dir = project(
        &[
            (
                "corpus/report.txt",
                b"Castell Maritime employs 11,500 people.\n",
            ),
            (
                "refnotes.toml",
                b"corpus = [\"corpus\"]\nindex_dir = \"index\"\n",
            ),
        ],
        &[],
    );
    assert_eq!(refnotes(dir.path(), &["index"]).code, 0);
    let file = std::fs::read_dir(dir.path().join("index"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "rnx"))
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let run = refnotes(dir.path(), &["index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("checksum mismatch") && run.stderr.contains(&*file.to_string_lossy()),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 analysed now"), "{}", run.stdout);
}

#[test]
fn an_index_dir_inside_the_corpus_is_refused() {
    let dir = project(
        &[
            (
                "corpus/report.txt",
                b"Castell Maritime employs 11,500 people.\n",
            ),
            (
                "refnotes.toml",
                b"corpus = [\"corpus\"]\nindex_dir = \"corpus/.index\"\n",
            ),
        ],
        &[],
    );
    let run = refnotes(dir.path(), &["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("never writes into the corpus"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("corpus/.index").exists());
}
