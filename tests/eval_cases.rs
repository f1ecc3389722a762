//! The checker on real articles: the shared eval cases (the seed articles and
//! an earnings corpus) and the bundled examples, each note's scored findings
//! compared line by line with what a careful reader expects. Cases that are
//! not on this machine are skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use refnotes::check::{check_note, CheckOptions, Code};
use refnotes::corpus::load::{load, LoadOptions};
use refnotes::corpus::{Corpus, CorpusOptions};
use refnotes::text::LineIndex;

const SCORED: [Code; 4] = [
    Code::FigureMismatch,
    Code::Misquote,
    Code::WrongSource,
    Code::UnknownSource,
];

type Findings = BTreeSet<(usize, String)>;

fn run_case(case: &Path) -> (Findings, Findings) {
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("case.json")).unwrap()).unwrap();
    let root = case.join(spec["corpus"].as_str().unwrap());
    let loaded = load(&[root], &LoadOptions::default()).expect("the case's corpus loads");
    let corpus = Corpus::from_sources(loaded.sources, CorpusOptions::default());
    let note = std::fs::read_to_string(case.join("notes.md")).unwrap();
    let lines = LineIndex::new(&note);
    let found = check_note(&corpus, &note, &CheckOptions::default())
        .into_iter()
        .filter(|f| SCORED.contains(&f.code))
        .map(|f| {
            (
                lines.line_of(f.span.start()) + 1,
                f.code.as_str().to_string(),
            )
        })
        .collect();
    let expect: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("notes.expect.json")).unwrap())
            .unwrap();
    let expected = expect["expect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap() as usize,
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, expected)
}

fn shared_case(name: &str) -> Option<PathBuf> {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval/dev")
        .join(name);
    if case.join("case.json").exists() {
        Some(case)
    } else {
        eprintln!("skipped: {} is not on this machine", case.display());
        None
    }
}

#[test]
fn seed_articles_case() {
    let Some(case) = shared_case("aws-china") else {
        return;
    };
    let (found, expected) = run_case(&case);
    assert_eq!(found, expected);
}

#[test]
fn earnings_case() {
    let Some(case) = shared_case("halvard") else {
        return;
    };
    let (found, expected) = run_case(&case);
    assert_eq!(found, expected);
}

#[test]
fn bundled_example() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china");
    let (found, expected) = run_case(&case);
    assert_eq!(found, expected);
}

/// The PDF and HTML example: a study, a press release about it and a
/// statistics bulletin, read by whichever PDF reader this machine has.
#[test]
fn research_pdf_example() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/research-pdf");
    let (found, expected) = run_case(&case);
    assert_eq!(found, expected);
}
