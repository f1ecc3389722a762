//! The README's sample output is what the bundled example prints: each block
//! after a `<!-- output of: refnotes ARGS -->` line is compared with the
//! binary's output for those arguments, run from the crate's folder, and the
//! JSON block after `<!-- first diagnostic of: refnotes ARGS -->` with the
//! first diagnostic of that run.

use std::path::Path;
use std::process::{Command, Output};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The arguments of each `<!-- LABEL refnotes ARGS -->` line, with the fenced
/// block right after it.
fn marked_blocks(readme: &str, label: &str) -> Vec<(Vec<String>, String)> {
    let marker = format!("<!-- {label} refnotes ");
    let mut blocks = Vec::new();
    let mut rest = readme;
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let end = after.find(" -->").expect("a marker ends with -->");
        let args = after[..end].split_whitespace().map(String::from).collect();
        let fence = after.find("```").expect("a block after the marker");
        let body_start = fence + after[fence..].find('\n').expect("a fence line") + 1;
        let body_end = body_start + after[body_start..].find("```").expect("a closing fence");
        blocks.push((args, after[body_start..body_end].to_string()));
        rest = &after[body_end..];
    }
    blocks
}

fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("REFNOTES_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_readme_shows_what_the_example_prints() {
    let readme = readme();
    let blocks = marked_blocks(&readme, "output of:");
    assert!(!blocks.is_empty(), "the README marks its sample output");
    for (args, shown) in blocks {
        let output = run(&args);
        let printed = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(
            shown,
            printed,
            "README.md shows other output than `refnotes {}` prints; paste this:\n{printed}",
            args.join(" ")
        );
        // The example's notes hold deliberate mistakes.
        assert_eq!(output.status.code(), Some(1), "{}", args.join(" "));
    }
}

#[test]
fn the_readme_json_sample_is_the_example_first_diagnostic() {
    let readme = readme();
    let blocks = marked_blocks(&readme, "first diagnostic of:");
    assert!(!blocks.is_empty(), "the README marks its JSON sample");
    for (args, shown) in blocks {
        let shown: serde_json::Value = serde_json::from_str(&shown).expect("the sample is JSON");
        let printed: serde_json::Value =
            serde_json::from_slice(&run(&args).stdout).expect("the output is JSON");
        let first = serde_json::json!({
            "version": printed["version"],
            "diagnostics": [printed["diagnostics"][0]],
        });
        assert_eq!(
            shown,
            first,
            "README.md's JSON sample is not the first diagnostic of `refnotes {}`",
            args.join(" ")
        );
    }
}
