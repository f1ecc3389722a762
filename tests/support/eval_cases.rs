//! The eval cases the store tests replay: the shared dev cases, the bundled
//! examples and our own held-out fixtures, each a folder with `case.json`
//! and `notes.md`. Under CI the shared cases must be there.

use std::path::{Path, PathBuf};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every eval case, in path order.
pub fn eval_cases() -> Vec<PathBuf> {
    let shared = crate_dir().join("../shared/eval/dev");
    assert!(
        std::env::var_os("CI").is_none() || shared.is_dir(),
        "{} is missing: the tests need ../shared beside the crate",
        shared.display()
    );
    let mut cases = Vec::new();
    for group in [
        shared,
        crate_dir().join("examples"),
        crate_dir().join("tests/fixtures/eval"),
    ] {
        let Ok(entries) = std::fs::read_dir(&group) else {
            eprintln!("skipped: {} is not on this machine", group.display());
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().join("case.json").is_file() {
                cases.push(entry.path());
            }
        }
    }
    cases.sort();
    cases
}

/// The corpus folder a case's `case.json` names.
pub fn corpus_root(case: &Path) -> PathBuf {
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("case.json")).unwrap()).unwrap();
    case.join(spec["corpus"].as_str().expect("case.json names its corpus"))
}
