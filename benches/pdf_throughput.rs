//! PDF conversion throughput on a folder of 200 PDFs, beside poppler's
//! `pdftotext` on the same files: the figures the README quotes.
//!
//! `cargo bench --bench pdf_throughput`. The PDFs are two-column pages with a
//! running header and page numbers, made here from the generated news corpus
//! of `benches/common` (so their words look like real sources), or taken from
//! `REFNOTES_BENCH_PDFS` (a folder) to measure real files. For each file it
//! times, one file after another on one thread:
//!
//! - `pdftotext -layout FILE -` alone: the floor, what poppler itself costs;
//! - refnotes with poppler: `pdftotext -layout -htmlmeta`, then the layout pass;
//! - refnotes with pdf-extract, in process;
//! - then a whole corpus load of the folder on all cores, with an empty
//!   cache and again with the cache full (what a restart costs).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pdf_extract::{content::Content, content::Operation, dictionary, Document, Object, Stream};
use refnotes::corpus::formats::{self, PdfEngine};
use refnotes::corpus::load::{load, LoadOptions};

const FILES: usize = 200;

fn main() {
    let scratch = tempfile::tempdir().unwrap();
    let folder = match std::env::var_os("REFNOTES_BENCH_PDFS") {
        Some(folder) => PathBuf::from(folder),
        None => {
            let count = if common::running_as_test() { 5 } else { FILES };
            let folder = scratch.path().join("pdfs");
            write_pdfs(&folder, count);
            folder
        }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        })
        .collect();
    files.sort();
    let bytes: u64 = files.iter().map(|f| f.metadata().unwrap().len()).sum();
    let pages: usize = files.iter().map(|f| page_count(f)).sum();
    println!(
        "{} PDFs, {pages} pages, {:.1} MB in {}",
        files.len(),
        bytes as f64 / 1e6,
        folder.display()
    );
    let poppler = Command::new("pdftotext").arg("-v").output().is_ok();
    println!("| Reader | Total | Per file p50 / p99 | Files/s |");
    println!("|---|---|---|---|");
    if poppler {
        report("pdftotext -layout alone", &files, |file| {
            let status = Command::new("pdftotext")
                .args(["-layout", "-enc", "UTF-8", "-q"])
                .arg(file)
                .arg("-")
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        });
        report("refnotes, poppler", &files, |file| {
            convert(PdfEngine::Poppler, file);
        });
    } else {
        println!("(pdftotext is not installed: poppler rows skipped)");
    }
    report("refnotes, pdf-extract", &files, |file| {
        convert(PdfEngine::PdfExtract, file);
    });
    if poppler {
        agreement(&files);
    }
    let options = LoadOptions {
        cache_dir: Some(scratch.path().join("cache")),
        ..LoadOptions::default()
    };
    for run in ["corpus load, empty cache", "corpus load, cache full"] {
        let start = Instant::now();
        let loaded = load(std::slice::from_ref(&folder), &options).unwrap();
        let took = start.elapsed();
        assert_eq!(loaded.sources.len(), files.len(), "{:?}", loaded.warnings);
        println!(
            "| {run} ({}, all cores) | {:.2} s | | {:.0} |",
            engine_name(),
            took.as_secs_f64(),
            files.len() as f64 / took.as_secs_f64()
        );
    }
}

/// How far pdf-extract's text agrees with poppler's: the share of poppler's
/// words it also has (as multisets), and of the figures refnotes finds.
fn agreement(files: &[PathBuf]) {
    let (mut words_shared, mut words_total) = (0usize, 0usize);
    let (mut figures_shared, mut figures_total) = (0usize, 0usize);
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        let read = |engine| {
            formats::convert_pdf_with(engine, file, &bytes)
                .unwrap()
                .text
        };
        let (poppler, extracted) = (read(PdfEngine::Poppler), read(PdfEngine::PdfExtract));
        let (shared, total) = multiset_overlap(words(&poppler), words(&extracted));
        words_shared += shared;
        words_total += total;
        let (shared, total) = multiset_overlap(figures(&poppler), figures(&extracted));
        figures_shared += shared;
        figures_total += total;
    }
    println!(
        "pdf-extract against poppler: {:.3} of words, {:.3} of figures ({figures_total} figures)",
        words_shared as f64 / words_total.max(1) as f64,
        figures_shared as f64 / figures_total.max(1) as f64
    );
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| !word.starts_with("<!--") && *word != "-->" && *word != "|")
        .map(str::to_string)
        .collect()
}

fn figures(text: &str) -> Vec<String> {
    refnotes::extract::analyze(text, true, false)
        .figures
        .iter()
        .map(|(figure, _)| format!("{:?} {} {}", figure.kind, figure.value, figure.unit))
        .collect()
}

/// How many of `reference`'s items `other` has too, counting repeats.
fn multiset_overlap(reference: Vec<String>, other: Vec<String>) -> (usize, usize) {
    let mut counts: std::collections::HashMap<String, isize> = Default::default();
    for item in other {
        *counts.entry(item).or_default() += 1;
    }
    let total = reference.len();
    let shared = reference
        .into_iter()
        .filter(|item| {
            let count = counts.entry(item.clone()).or_default();
            *count -= 1;
            *count >= 0
        })
        .count();
    (shared, total)
}

fn engine_name() -> &'static str {
    match formats::default_pdf_engine() {
        PdfEngine::Poppler => "poppler",
        PdfEngine::PdfExtract => "pdf-extract",
    }
}

fn convert(engine: PdfEngine, file: &Path) {
    let bytes = std::fs::read(file).unwrap();
    let converted = formats::convert_pdf_with(engine, file, &bytes).unwrap();
    assert!(converted.text.len() > 100);
}

fn report(name: &str, files: &[PathBuf], mut run: impl FnMut(&Path)) {
    let mut times: Vec<Duration> = Vec::with_capacity(files.len());
    let start = Instant::now();
    for file in files {
        let one = Instant::now();
        run(file);
        times.push(one.elapsed());
    }
    let total = start.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "| {name} | {:.2} s | {:.1} / {:.1} ms | {:.0} |",
        total.as_secs_f64(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        files.len() as f64 / total.as_secs_f64()
    );
}

fn page_count(file: &Path) -> usize {
    Document::load(file)
        .map(|doc| doc.get_pages().len())
        .unwrap_or(0)
}

/// Writes `count` two-column PDFs from the generated news corpus.
fn write_pdfs(folder: &Path, count: usize) {
    std::fs::create_dir_all(folder).unwrap();
    let sources = common::generate_corpus(count * 12_000, 7);
    // Several stories to a file, so files run to a few pages like reports.
    for index in 0..count {
        let text: String = sources
            .iter()
            .skip(index)
            .step_by(count)
            .map(|source| source.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        let path = folder.join(format!("report-{index:03}.pdf"));
        write_pdf(&path, &format!("Report {index}"), &text);
    }
}

const COLUMN_CHARS: usize = 52;
const LINES_PER_COLUMN: usize = 58;

fn write_pdf(path: &Path, title: &str, text: &str) {
    let lines = wrap(text, COLUMN_CHARS);
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for (page_index, page_lines) in lines.chunks(LINES_PER_COLUMN * 2).enumerate() {
        let mut operations = Vec::new();
        let mut text_at = |x: i64, y: i64, size: i64, line: &str| {
            operations.push(Operation::new("BT", vec![]));
            operations.push(Operation::new("Tf", vec!["F1".into(), size.into()]));
            operations.push(Operation::new("Td", vec![x.into(), y.into()]));
            operations.push(Operation::new(
                "Tj",
                vec![Object::string_literal(win_ansi(line))],
            ));
            operations.push(Operation::new("ET", vec![]));
        };
        text_at(200, 810, 8, &format!("{title} · Quarterly review"));
        for (i, line) in page_lines.iter().enumerate() {
            let (column, row) = (i / LINES_PER_COLUMN, i % LINES_PER_COLUMN);
            text_at(50 + 260 * column as i64, 780 - 12 * row as i64, 9, line);
        }
        text_at(295, 30, 8, &(page_index + 1).to_string());
        let content = Content { operations };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    doc.save(path).unwrap();
}

/// Lines of at most `width` characters, a blank line between paragraphs.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.push(String::new());
    }
    lines
}

/// Text in the standard fonts' WinAnsi encoding; other characters become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x80 || ((c as u32) >= 0xa0 && (c as u32) <= 0xff) => c as u8,
            _ => b'?',
        })
        .collect()
}
