//! The house rules on layout: ARCHITECTURE.md's code map names every file
//! under `src/` and nothing that is gone, and no Rust file in `src/`, `tests/`
//! or `benches/` grows past 1,000 lines, data tables aside.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The longest a Rust file may be.
const MAX_LINES: usize = 1_000;

/// Files that are mostly data and may be longer, each with what it holds.
const DATA_TABLES: [(&str, &str); 1] = [(
    "src/extract/figures/lexicon.rs",
    "the figure scanner's word tables",
)];

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// `path` relative to the crate, with `/` separators.
fn shown(path: &Path) -> String {
    path.strip_prefix(crate_root())
        .expect("under the crate")
        .to_string_lossy()
        .replace('\\', "/")
}

/// The files the code map names. An entry is a line indented by at most four
/// spaces whose first word is a path (`src/cli/`, `  check.rs`, `  figures/`);
/// a folder at the margin is where the indented entries below it are, and
/// the `*.rs` words in a folder entry's description (on its lines and the
/// more deeply indented lines after it) are files in that folder.
fn code_map_files(architecture: &str) -> BTreeSet<String> {
    let start = architecture
        .find("## Code map")
        .expect("ARCHITECTURE.md has a `## Code map` section");
    let block = architecture[start..]
        .split("```")
        .nth(1)
        .expect("the code map is a fenced block");
    let mut files = BTreeSet::new();
    let mut top = String::new();
    let mut folder = String::new();
    for line in block.lines() {
        let indent = line.len() - line.trim_start().len();
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        let is_entry = indent <= 4 && (first.ends_with('/') || first.ends_with(".rs"));
        if is_entry {
            let path = if indent == 0 {
                first.to_string()
            } else {
                format!("{top}{first}")
            };
            if path.ends_with('/') {
                if indent == 0 {
                    top = path.clone();
                }
                folder = path;
            } else {
                files.insert(path);
                folder = String::new();
            }
        }
        if folder.is_empty() {
            continue;
        }
        let description = if is_entry {
            words.collect::<Vec<_>>().join(" ")
        } else {
            line.to_string()
        };
        for word in description.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
            if let Some(stem) = word.strip_suffix(".rs") {
                if !stem.is_empty() {
                    files.insert(format!("{folder}{word}"));
                }
            }
        }
    }
    files.retain(|file| file.starts_with("src/"));
    files
}

#[test]
fn the_code_map_names_every_source_file_and_no_other() {
    let architecture = std::fs::read_to_string(crate_root().join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md is readable");
    let named = code_map_files(&architecture);
    let mut found = Vec::new();
    rust_files(&crate_root().join("src"), &mut found);
    let present: BTreeSet<String> = found.iter().map(|path| shown(path)).collect();
    let missing: Vec<&String> = present.difference(&named).collect();
    let stale: Vec<&String> = named.difference(&present).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "ARCHITECTURE.md's code map does not match src/:\n  not in the code map: {missing:?}\n  \
         in the code map but gone: {stale:?}"
    );
}

#[test]
fn no_rust_file_is_longer_than_a_thousand_lines_but_data_tables() {
    let mut found = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&crate_root().join(dir), &mut found);
    }
    let mut long = Vec::new();
    for path in &found {
        let name = shown(path);
        let text = std::fs::read_to_string(path).expect("readable source");
        let lines = text.lines().count();
        if lines > MAX_LINES && !DATA_TABLES.iter().any(|(table, _)| *table == name) {
            long.push(format!("{name}: {lines} lines"));
        }
    }
    for (table, _) in DATA_TABLES {
        assert!(
            crate_root().join(table).exists(),
            "{table} is gone: remove it from DATA_TABLES"
        );
    }
    assert!(
        long.is_empty(),
        "split these by responsibility (over {MAX_LINES} lines):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_code_map_reader_follows_folders_and_descriptions() {
    let architecture = "## Code map\n\n```\nsrc/main.rs          calls main\n\
        src/extract/         pure functions; see mod.rs\n  figures.rs         the pass\n\
        \x20 figures/           numbers.rs, tail.rs (what\n                     \
        follows), dates.rs\n  words.rs           tokens\nfuzz/                \
        targets.rs\n```\n";
    let files: Vec<String> = code_map_files(architecture).into_iter().collect();
    assert_eq!(
        files,
        [
            "src/extract/figures.rs",
            "src/extract/figures/dates.rs",
            "src/extract/figures/numbers.rs",
            "src/extract/figures/tail.rs",
            "src/extract/mod.rs",
            "src/extract/words.rs",
            "src/main.rs",
        ]
    );
}
