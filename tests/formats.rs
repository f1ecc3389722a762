//! Sources that are not plain text, end to end: real PDF (a two-column
//! paper, an annual report, a statistics bulletin), HTML, DOCX and EPUB
//! files made by `tests/fixtures/formats/make_fixtures.py` go through the
//! converters and the `refnotes` binary, with the text they yield, the
//! findings against them pointing into the original, and the warnings for
//! files that cannot be read.
//!
//! PDFs are read both ways: with poppler's `pdftotext` (installed by
//! `.ci/run`; without it these tests fail under `CI` and skip that engine
//! elsewhere) and in process with `pdf-extract`.

use std::path::{Path, PathBuf};
use std::process::Command;

use refnotes::corpus::formats::{self, Format, PdfEngine};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

fn pdftotext_available() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "pdftotext is missing; .ci/run installs poppler-utils"
    );
    found
}

/// The engines to test here: pdf-extract always, poppler when installed.
fn engines() -> Vec<(PdfEngine, &'static str)> {
    let mut engines = vec![(PdfEngine::PdfExtract, "pdf-extract")];
    if pdftotext_available() {
        engines.push((PdfEngine::Poppler, "poppler"));
    }
    engines
}

fn convert_pdf(engine: PdfEngine, name: &str) -> formats::Converted {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    formats::convert_pdf_with(engine, &path, &bytes)
        .unwrap_or_else(|err| panic!("{name} with {engine:?}: {err}"))
}

fn convert(name: &str) -> formats::Converted {
    let path = fixture(name);
    let format = Format::of(&path).unwrap();
    formats::convert(format, &path, &std::fs::read(&path).unwrap()).unwrap()
}

/// The figures the engine finds in a converted text, as written.
fn figures(text: &str) -> Vec<String> {
    refnotes::extract::analyze(text, true, false)
        .figures
        .iter()
        .map(|(figure, _)| figure.span.slice(text).to_string())
        .collect()
}

#[test]
fn a_two_column_pdf_reads_column_by_column_with_rows_and_without_running_lines() {
    for (engine, name) in engines() {
        let converted = convert_pdf(engine, "study.pdf");
        let text = &converted.text;
        for sentence in [
            "We examined 41,920 emergency hospital admissions recorded in twelve coastal cities between 2015 and 2024.",
            // Hyphenated at a line end and typeset with ligatures in the PDF.
            "Each rise of one degree in the daily maximum temperature above 30 °C was associated with a 4.7% increase in admissions for respiratory illness.",
            "We fitted distributed-lag models",
            "“Heat is a quiet emergency: it fills wards without making headlines,” said Marta Olsen",
            "The study was funded by the Coastal Health Trust with a grant of $2.4 million over three years.",
            // The left column's last paragraph comes before the right column's first.
            "are less precise than the others.\n\n## Appendix: city profiles",
        ] {
            assert!(text.contains(sentence), "{name}: {sentence:?} not in\n{text}");
        }
        assert!(
            text.contains("| Portmere | 6,412 | 7,105 | +10.8% |"),
            "{name}: the table row is not a row in\n{text}"
        );
        assert!(
            !text.contains("Journal of Coastal Public Health"),
            "{name}: running header kept"
        );
        assert!(
            !text.contains('\u{fb01}') && !text.contains('\u{ad}'),
            "{name}"
        );
        assert!(
            !text
                .lines()
                .any(|line| line.trim() == "1" || line.trim() == "2"),
            "{name}: page number kept"
        );
        assert!(text.contains("<!-- page 2 -->"), "{name}");
        assert_eq!(
            converted.title.as_deref(),
            Some("Heat and Hospital Admissions in Twelve Coastal Cities, 2015–2024"),
            "{name}"
        );
        assert_eq!(converted.date.as_deref(), Some("2025-03-14"), "{name}");
        let found = figures(text);
        for figure in [
            "41,920 emergency hospital admissions",
            "4.7%",
            "$2.4 million",
            "7,105",
        ] {
            assert!(
                found.iter().any(|f| f.contains(figure)),
                "{name}: {figure} not in {found:?}"
            );
        }
    }
}

#[test]
fn a_statistics_bulletin_keeps_its_table_rows() {
    for (engine, name) in engines() {
        let text = convert_pdf(engine, "bulletin.pdf").text;
        assert!(
            text.contains("Emergency admissions in the second quarter of 2025 totalled 18,344, up 6.1% from a year earlier."),
            "{name}:\n{text}"
        );
        // pdf-extract puts a table drawn cell by cell on one line; only
        // poppler's layout keeps its rows apart.
        let row = match engine {
            PdfEngine::Poppler => "| Emergency admissions | 17,290 | 18,344 | +6.1% |",
            PdfEngine::PdfExtract => "Emergency admissions 17,290 18,344 +6.1%",
        };
        assert!(text.contains(row), "{name}:\n{text}");
    }
}

#[test]
fn an_annual_report_keeps_its_income_statement_rows_on_their_page() {
    for (engine, name) in engines() {
        let converted = convert_pdf(engine, "annual-report.pdf");
        let text = &converted.text;
        assert!(
            text.contains("Revenue rose 8.2% to £412.6 million, as passenger numbers"),
            "{name}:\n{text}"
        );
        assert!(
            !text.contains("Annual Report 2024 \u{b7}"),
            "{name}: running header kept"
        );
        let page_two = text.find("<!-- page 2 -->").expect("two pages");
        let revenue = match engine {
            PdfEngine::Poppler => "| Revenue | 412.6 | 381.3 | +8.2% |",
            PdfEngine::PdfExtract => "Revenue 412.6 381.3 +8.2%",
        };
        let row = text
            .find(revenue)
            .unwrap_or_else(|| panic!("{name}:\n{text}"));
        assert!(row > page_two, "{name}: the table is on page 2");
        if engine == PdfEngine::Poppler {
            assert!(
                text.contains("| Cost of sales | (301.2) | (285.0) | +5.7% |"),
                "{text}"
            );
            assert!(
                text.contains("| Earnings per share (p) | 21.8 | 17.5 | +24.6% |"),
                "{text}"
            );
        }
        let found = figures(text);
        for figure in ["£412.6 million", "£38.1 million", "610,000 vehicles"] {
            assert!(
                found.iter().any(|f| f.contains(figure)),
                "{name}: {figure} not in {found:?}"
            );
        }
    }
}

#[test]
fn html_docx_and_epub_give_their_text_and_metadata() {
    let page = convert("press-release.html");
    assert!(page
        .text
        .contains("The city will spend $850,000 on cooling centres this summer"));
    assert!(!page.text.contains("cookies"), "{}", page.text);
    assert_eq!(page.date.as_deref(), Some("2025-03-18"));

    let briefing = convert("briefing.docx");
    assert_eq!(
        briefing.title.as_deref(),
        Some("Board briefing on heat readiness")
    );
    assert_eq!(briefing.date.as_deref(), Some("2025-04-02"));
    let cooling = briefing.text.find("## Cooling centres").expect("heading");
    let staffing = briefing.text.find("## Hospital staffing").expect("heading");
    let open = briefing
        .text
        .find("The department will open 14 cooling centres by June, at a cost of $850,000.")
        .unwrap();
    assert!(cooling < open && open < staffing, "{}", briefing.text);
    assert!(briefing.text.contains("| Budget | $2.05 million |"));
    assert!(figures(&briefing.text).iter().any(|f| f == "$1.2 million"));

    let book = convert("history.epub");
    assert_eq!(book.title.as_deref(), Some("A Short History of Heat"));
    assert_eq!(book.date.as_deref(), Some("2024-11-05"));
    let chapters: Vec<usize> = ["# Chapter 1", "# Chapter 2", "# Chapter 3"]
        .iter()
        .map(|heading| {
            book.text
                .find(heading)
                .unwrap_or_else(|| panic!("{heading}"))
        })
        .collect();
    assert!(chapters.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(book
        .text
        .contains("By 2020 the city had planted 48,000 street trees."));
}

struct Run {
    stdout: String,
    stderr: String,
}

fn refnotes(args: &[&str], cache: &Path, pdf_engine: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("REFNOTES_CACHE_DIR", cache)
        .env("REFNOTES_PDF_ENGINE", pdf_engine)
        .env("NO_COLOR", "1")
        .env_remove("REFNOTES_LOG")
        .output()
        .expect("the binary runs");
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A note with one wrong figure per format, checked against all of them.
const NOTE: &str = "\
# Notes

Each degree above 30 °C was associated with a 7.4% increase in admissions for respiratory illness [@study].

The city will spend $950,000 on cooling centres this summer, the health department said [@press-release].

Hospitals will add 210 nurses to their summer rosters [@briefing].

By 2020 the city had planted 84,000 street trees [@history].
";

#[test]
fn a_figure_mismatch_in_each_format_points_into_the_original() {
    for (_, engine) in engines() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for name in [
            "study.pdf",
            "press-release.html",
            "briefing.docx",
            "history.epub",
        ] {
            std::fs::copy(fixture(name), corpus.join(name)).unwrap();
        }
        let note = dir.path().join("notes.md");
        std::fs::write(&note, NOTE).unwrap();
        let cache = dir.path().join("cache");
        let args = [
            "check",
            "--corpus",
            corpus.to_str().unwrap(),
            "--format",
            "json",
            note.to_str().unwrap(),
        ];
        let run = refnotes(&args, &cache, engine);
        let report: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|err| panic!("{err}: {}\n{}", run.stdout, run.stderr));
        let mismatches: Vec<&Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "figure-mismatch")
            .collect();
        let related = |line: u64, file: &str| -> Value {
            let diagnostic = mismatches
                .iter()
                .find(|d| d["line"] == line)
                .unwrap_or_else(|| {
                    panic!(
                        "{engine}: no figure-mismatch on line {line}: {}",
                        run.stdout
                    )
                });
            diagnostic["related"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["path"].as_str().unwrap().ends_with(file))
                .unwrap_or_else(|| panic!("{engine}: nothing in {file}: {diagnostic}"))
                .clone()
        };
        let study = related(3, "study.pdf");
        assert_eq!(study["page"], 1, "{engine}: {study}");
        let press = related(5, "press-release.html");
        assert_eq!(press["fragment"], "#cooling", "{press}");
        related(7, "briefing.docx");
        related(9, "history.epub");

        // Line and column point into the readable text in the cache, which
        // names the original on its first line; the corpus is untouched.
        let text_path = PathBuf::from(study["text_path"].as_str().unwrap());
        assert!(text_path.starts_with(&cache), "{text_path:?}");
        let text = std::fs::read_to_string(&text_path).unwrap();
        assert!(text.lines().next().unwrap().contains("study.pdf"));
        let line = text
            .lines()
            .nth(study["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        assert!(line.contains("4.7%"), "{line}");
        let names: Vec<String> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");

        // The human format names the page.
        let human_args = [
            "check",
            "--corpus",
            corpus.to_str().unwrap(),
            note.to_str().unwrap(),
        ];
        let human = refnotes(&human_args, &cache, engine);
        assert!(
            human
                .stdout
                .contains("study.pdf p. 1: \"…30 °C was associated with a 4.7% increase"),
            "{engine}: {}",
            human.stdout
        );
    }
}

#[test]
fn unreadable_and_unknown_files_are_skipped_with_the_reason() {
    for (_, engine) in engines() {
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("notes.md");
        std::fs::write(&note, NOTE).unwrap();
        let bad = fixture("bad");
        let args = [
            "check",
            "--corpus",
            bad.to_str().unwrap(),
            note.to_str().unwrap(),
        ];
        let run = refnotes(&args, &dir.path().join("cache"), engine);
        let warning = |file: &str| -> String {
            run.stderr
                .lines()
                .find(|line| line.contains(&format!("{file}: ")))
                .unwrap_or_else(|| panic!("{engine}: no warning about {file}:\n{}", run.stderr))
                .to_string()
        };
        assert!(
            warning("scanned.pdf")
                .ends_with("scanned.pdf: skipped: no text layer: scanned PDF; run OCR first"),
            "{engine}: {}",
            run.stderr
        );
        assert!(
            warning("encrypted.pdf").contains("skipped: encrypted: it needs a password"),
            "{engine}: {}",
            run.stderr
        );
        assert!(
            warning("corrupt.pdf").contains("skipped: not a readable PDF file"),
            "{engine}: {}",
            run.stderr
        );
        assert!(
            warning("not-really.docx").contains("skipped: not a readable DOCX file"),
            "{}",
            run.stderr
        );
        assert!(
            warning("figures.xlsx").contains("skipped: refnotes does not read .xlsx files"),
            "{}",
            run.stderr
        );
        assert!(
            warning("encrypted.pdf").starts_with("warning: "),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn extract_reads_each_file_by_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let study = fixture("study.pdf");
    let run = refnotes(
        &["extract", "--format", "json", study.to_str().unwrap()],
        &dir.path().join("cache"),
        "pdf-extract",
    );
    let listing: Value = serde_json::from_str(&run.stdout).unwrap();
    let file = &listing["files"][0];
    assert!(file["text_path"].as_str().unwrap().ends_with(".txt"));
    let figure = file["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "$2.4 million")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(figure["page"], 1);
    assert_eq!(figure["value"], 2.4e6);
}
