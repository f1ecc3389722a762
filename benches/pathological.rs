//! Time to check pathological inputs: a 100 KB and a 200 KB sentence, `$1 …
//! $8000` on one line, runs of ranges, percentages, citations and quotations,
//! megabyte lines of digits and commas (each against the bundled AWS China
//! corpus), and the bundled notes against that corpus plus one 16 MB source
//! file (the default size limit); each must take well under a second. Last,
//! a generated 1,000-line note against that corpus, for scale.
//!
//! `cargo bench --bench pathological` prints one row per input: its size, the
//! best of a few runs of the engine (`analyze_note`) and of placing and
//! printing the findings as the CLI does, and what the engine found. The
//! README's performance section quotes the table.

mod common;
#[path = "common/pathological.rs"]
mod pathological;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use refnotes::check::{analyze_note, CheckOptions, NoteAnalysis};
use refnotes::cli::{diagnostics, write_human, NoteFindings, Summary};
use refnotes::corpus::load::{load, LoadOptions};
use refnotes::corpus::{Corpus, CorpusOptions, SourceText};

const RUNS: usize = 3;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china")
}

fn example_sources() -> Vec<SourceText> {
    load(&[example().join("corpus")], &LoadOptions::default())
        .expect("the bundled example corpus loads")
        .sources
}

fn aliases() -> CorpusOptions {
    CorpusOptions {
        aliases: vec![vec![
            "Beijing Sinnet Technology Co.".into(),
            "Beijing Sinnet".into(),
            "Sinnet".into(),
        ]],
    }
}

/// The best of [`RUNS`] runs of `work`, and its last result.
fn best_of<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = work();
        best = best.min(start.elapsed());
        last = Some(result);
    }
    (best, last.expect("at least one run"))
}

/// Times the engine and the CLI's report on one note; prints a table row.
fn measure(name: &str, corpus: &Corpus, note: &str) {
    let options = CheckOptions::default();
    let (engine, analysis): (Duration, NoteAnalysis) =
        best_of(|| analyze_note(corpus, note, &options));
    let doc_paths: Vec<String> = corpus
        .documents()
        .iter()
        .map(|d| d.path.display().to_string())
        .collect();
    let notes = [NoteFindings {
        path: "note.md".into(),
        text: note.to_string(),
        findings: analysis.findings.clone(),
    }];
    let (report, printed) = best_of(|| {
        let placed = diagnostics(&notes, corpus, &doc_paths);
        let mut out = Vec::new();
        let summary = Summary {
            notes: 1,
            sources: corpus.documents().len(),
        };
        write_human(
            &mut out,
            &placed,
            refnotes::check::Severity::Hint,
            summary,
            false,
        )
        .expect("writing to memory");
        out.len()
    });
    println!(
        "| {name} | {:.0} KB | {:.0} ms | {:.0} ms | {} | {} | {} KB |",
        note.len() as f64 / 1000.0,
        engine.as_secs_f64() * 1000.0,
        report.as_secs_f64() * 1000.0,
        analysis.claims.len(),
        analysis.findings.len(),
        printed / 1000,
    );
}

fn main() {
    // `cargo test --benches` runs this binary too: one quick pass is enough.
    let quick = common::running_as_test();
    let vocabulary: String = example_sources()
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let corpus = Corpus::from_sources(example_sources(), aliases());
    println!("| input | size | engine | report | claims | findings | report size |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for case in pathological::notes(&vocabulary) {
        measure(case.name, &corpus, &case.note);
        if quick {
            break;
        }
    }
    if quick {
        return;
    }
    // One source file at the default size limit, made of generated news.
    let limit = LoadOptions::default().max_file_size as usize;
    let generated = common::generate_corpus(limit - 64 * 1024, common::SEED);
    let mut big = String::with_capacity(limit);
    for source in &generated {
        if big.len() + source.text.len() + 2 > limit {
            break;
        }
        big.push_str(&source.text);
        big.push_str("\n\n");
    }
    let mut sources = example_sources();
    sources.push(SourceText {
        id: "big".into(),
        path: PathBuf::from("big.txt"),
        title: "Sixteen megabytes of news".into(),
        text: big,
        ..SourceText::default()
    });
    let start = Instant::now();
    let corpus = Corpus::from_sources(sources, aliases());
    let indexed = start.elapsed();
    let notes = std::fs::read_to_string(example().join("notes.md")).expect("example notes");
    measure("example notes, corpus plus a 16 MB file", &corpus, &notes);
    let note = common::generate_note(&corpus_sources_of(&corpus), 1_000, common::SEED);
    measure("1,000-line generated note, same corpus", &corpus, &note);
    println!(
        "\nindexing the example corpus plus the 16 MB file: {:.2} s",
        indexed.as_secs_f64()
    );
}

/// The corpus's documents as sources again, for the note generator.
fn corpus_sources_of(corpus: &Corpus) -> Vec<SourceText> {
    corpus
        .documents()
        .iter()
        .map(|d| SourceText {
            id: d.id.clone(),
            path: d.path.clone(),
            title: d.title.clone(),
            date: d.date.clone(),
            url: d.url.clone(),
            text: d.text.clone(),
            markdown: d.markdown,
            origin: d.origin.clone(),
        })
        .collect()
}
