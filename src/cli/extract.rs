//! `refnotes extract`: what the engine sees in a document (its figures,
//! quotations and names), so writers can learn why refnotes reads a source the
//! way it does.
//!
//! The JSON format (`"version": 1`):
//!
//! ```json
//! {"version": 1, "files": [{"path": "corpus/000.txt",
//!   "figures": [{"line": 3, "column": 5, "end_line": 3, "end_column": 17,
//!                "text": "$300 million", "kind": "money", "value": 300000000.0,
//!                "low": null, "high": null, "unit": "USD",
//!                "claim": {"subjects": ["Sinnet"], "measures": ["deal"],
//!                          "period": {"year": null, "part": null, "relative": null},
//!                          "role": "level"}}],
//!   "quotes": [{"line": 4, "column": 1, "end_line": 4, "end_column": 30, "text": "“...”"}],
//!   "entities": []}]}
//! ```
//!
//! A PDF, HTML, DOCX or EPUB file is converted first, as the corpus converts
//! it: its listing gains `text_path`, the readable copy in the cache folder
//! that lines and columns refer to, and each figure and quote in a PDF its
//! `page`.

use std::io::{self, Write};

use serde::Serialize;

use super::report::Range;
use super::{ExtractArgs, Output, EXIT_ERROR, EXIT_OK};
use crate::corpus::formats::{self, Format, Origin};
use crate::extract::FigureKind;
use crate::text::LineIndex;

/// The version of the JSON listing's shape.
pub const JSON_VERSION: u32 = 1;

/// What the engine found in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileListing {
    pub path: String,
    /// For a converted file, the text that lines and columns refer to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_path: Option<String>,
    pub figures: Vec<FigureEntry>,
    pub quotes: Vec<QuoteEntry>,
    pub entities: Vec<EntityEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureEntry {
    #[serde(flatten)]
    pub range: Range,
    pub text: String,
    pub kind: FigureKind,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub unit: String,
    /// What the figure is read as a claim about.
    pub claim: ClaimEntry,
    /// The PDF page, for a figure in a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// A figure's claim as the checker reads it (see [`crate::extract::claims`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimEntry {
    /// The names of its clause, else of its sentence: who it is about.
    pub subjects: Vec<String>,
    /// Measures as "modifier head" ("organic revenue", "adjusted eps").
    pub measures: Vec<String>,
    pub period: crate::extract::claims::Period,
    pub role: crate::extract::claims::Role,
    /// All of it in a few words ("about Acme; net revenue; q3; change").
    #[serde(skip)]
    pub described: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteEntry {
    #[serde(flatten)]
    pub range: Range,
    pub text: String,
    /// The PDF page, for a quote in a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// A name the engine recognises, with its other names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityEntry {
    #[serde(flatten)]
    pub range: Range,
    pub text: String,
    pub aliases: Vec<String>,
}

pub fn run(args: &ExtractArgs, output: &mut Output) -> i32 {
    let mut had_error = false;
    let mut listings = Vec::new();
    for path in &args.files {
        let format = Format::of(path);
        match std::fs::read(path) {
            Ok(bytes) if format.is_some_and(Format::is_converted) => {
                let format = format.expect("checked");
                let cache = formats::default_cache_dir();
                match formats::convert_cached(format, path, &bytes, cache.as_deref()) {
                    Ok((converted, origin)) => listings.push(listing_with_origin(
                        &path.display().to_string(),
                        &converted.text,
                        true,
                        Some(&origin),
                    )),
                    Err(err) => {
                        output.error(&format!("{}: {err}", path.display()));
                        had_error = true;
                    }
                }
            }
            Ok(bytes) => {
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(err) => {
                        output.warn(&format!(
                            "{}: invalid UTF-8; undecodable bytes were replaced with U+FFFD",
                            path.display()
                        ));
                        String::from_utf8_lossy(err.as_bytes()).into_owned()
                    }
                };
                // What is not Markdown is read as plain text.
                let markdown = format == Some(Format::Markdown);
                listings.push(listing(&path.display().to_string(), &text, markdown));
            }
            Err(err) => {
                output.error(&format!("cannot read {}: {err}", path.display()));
                had_error = true;
            }
        }
    }
    let written = output.write_stdout(|out: &mut dyn Write| match args.format {
        super::ExtractFormat::Human => write_human(out, &listings),
        super::ExtractFormat::Json => write_json(out, &listings),
    });
    if let Err(err) = written {
        return output.fail(&format!("cannot write the listing: {err}"));
    }
    if had_error {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

/// Runs the engine's extractors over a file (see [`crate::extract::analyze`]):
/// Markdown prose or plain-text paragraphs, figures sentence by sentence,
/// quotations block by block, names with the aliases the file defines.
pub fn listing(path: &str, text: &str, markdown: bool) -> FileListing {
    listing_with_origin(path, text, markdown, None)
}

/// [`listing`] for a converted file: with its readable copy and pages.
fn listing_with_origin(
    path: &str,
    text: &str,
    markdown: bool,
    origin: Option<&Origin>,
) -> FileListing {
    let page = |offset: usize| origin.and_then(|origin| origin.page_at(offset));
    let analysis = crate::extract::analyze(text, markdown, false);
    let lines = LineIndex::new(text);
    let mut entities: Vec<EntityEntry> = Vec::new();
    for (index, (name, _)) in analysis.names.iter().enumerate() {
        if name.doubtful {
            continue;
        }
        let aliases = analysis
            .alias_definitions
            .iter()
            .filter_map(|&(full, short)| match index {
                i if i == full => Some(short),
                i if i == short => Some(full),
                _ => None,
            })
            .map(|other| analysis.names[other].0.span.slice(text).to_string())
            .collect();
        entities.push(EntityEntry {
            range: Range::of(text, &lines, name.span),
            text: name.span.slice(text).to_string(),
            aliases,
        });
    }
    let claims = claim_entries(text, &analysis);
    FileListing {
        path: path.to_string(),
        text_path: origin
            .and_then(|origin| origin.rendition.as_ref())
            .map(|rendition| rendition.display().to_string()),
        figures: analysis
            .figures
            .into_iter()
            .zip(claims)
            .map(|((figure, _), claim)| FigureEntry {
                range: Range::of(text, &lines, figure.span),
                text: figure.span.slice(text).to_string(),
                kind: figure.kind,
                value: figure.value,
                low: figure.low,
                high: figure.high,
                unit: figure.unit,
                claim,
                page: page(figure.span.start()),
            })
            .collect(),
        quotes: analysis
            .quotes
            .into_iter()
            .map(|(quote, _)| QuoteEntry {
                range: Range::of(text, &lines, quote.span),
                text: quote.span.slice(text).to_string(),
                page: page(quote.span.start()),
            })
            .collect(),
        entities,
    }
}

/// The claim of every figure of `analysis`, in its order, read sentence by
/// sentence with the text's own names.
fn claim_entries(text: &str, analysis: &crate::extract::TextAnalysis) -> Vec<ClaimEntry> {
    use crate::extract::claims;
    let mut entries = Vec::with_capacity(analysis.figures.len());
    let mut start = 0;
    while start < analysis.figures.len() {
        let sentence = analysis.figures[start].1;
        let end = start + analysis.figures[start..].partition_point(|(_, s)| *s == sentence);
        let names: Vec<&str> = analysis
            .names
            .iter()
            .filter(|(n, s)| *s == sentence && !claims::is_vocabulary(n.span.slice(text)))
            .map(|(n, _)| n.span.slice(text))
            .collect();
        let spans: Vec<crate::text::Span> = analysis
            .names
            .iter()
            .filter(|(n, s)| *s == sentence && !claims::is_vocabulary(n.span.slice(text)))
            .map(|(n, _)| n.span)
            .collect();
        let figures: Vec<&crate::extract::Figure> = analysis.figures[start..end]
            .iter()
            .map(|(f, _)| f)
            .collect();
        let span = analysis.sentences[sentence as usize];
        for frame in claims::frames(text, span, &figures, &spans) {
            let subjects = if frame.clause_subjects.is_empty() {
                &frame.sentence_subjects
            } else {
                &frame.clause_subjects
            };
            let subject_names: Vec<&str> = subjects.iter().map(|&i| names[i]).collect();
            let described =
                claims::describe(&subject_names, &frame.measures, &frame.period, frame.role);
            entries.push(ClaimEntry {
                subjects: subject_names.iter().map(|n| n.to_string()).collect(),
                described,
                measures: frame
                    .measures
                    .iter()
                    .map(|m| {
                        let mut words = m.modifier_names();
                        words.push(m.head);
                        words.join(" ")
                    })
                    .collect(),
                period: frame.period,
                role: frame.role,
            });
        }
        start = end;
    }
    entries
}

pub fn write_json(out: &mut dyn Write, files: &[FileListing]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Listing<'a> {
        version: u32,
        files: &'a [FileListing],
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Listing {
            version: JSON_VERSION,
            files,
        },
    )?;
    writeln!(out)
}

pub fn write_human(out: &mut dyn Write, files: &[FileListing]) -> io::Result<()> {
    for (i, file) in files.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match &file.text_path {
            Some(text_path) => writeln!(out, "{} (as text: {text_path})", file.path)?,
            None => writeln!(out, "{}", file.path)?,
        }
        writeln!(out, "  figures ({})", file.figures.len())?;
        for figure in &file.figures {
            let kind = serde_json::to_value(figure.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let bounds = match (figure.low, figure.high) {
                (None, None) => String::new(),
                (low, high) => format!(
                    " [{} to {}]",
                    low.map_or("…".into(), number),
                    high.map_or("…".into(), number)
                ),
            };
            writeln!(
                out,
                "    {:<12} {:<9} {}  = {} {}{}",
                position(figure.range, figure.page),
                kind,
                figure.text,
                number(figure.value),
                figure.unit,
                bounds
            )?;
            let claim = &figure.claim.described;
            if !claim.is_empty() {
                writeln!(out, "    {:<12} claim: {claim}", "")?;
            }
        }
        writeln!(out, "  quotes ({})", file.quotes.len())?;
        for quote in &file.quotes {
            writeln!(
                out,
                "    {:<12} {}",
                position(quote.range, quote.page),
                quote.text
            )?;
        }
        writeln!(out, "  entities ({})", file.entities.len())?;
        for entity in &file.entities {
            writeln!(
                out,
                "    {:<12} {}  ({})",
                position(entity.range, None),
                entity.text,
                entity.aliases.join(", ")
            )?;
        }
    }
    Ok(())
}

/// `12:5`, or `p. 4 12:5` in a PDF.
fn position(range: Range, page: Option<u32>) -> String {
    match page {
        Some(page) => format!("p. {page} {}:{}", range.line, range.column),
        None => format!("{}:{}", range.line, range.column),
    }
}

/// A number without a useless fraction: 300000000, 4.62.
fn number(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Figure, Qualifier};
    use crate::text::Span;
    use std::path::Path;

    fn listing_for(path: &Path) -> FileListing {
        let text = std::fs::read_to_string(path).unwrap();
        listing(
            &path.display().to_string(),
            &text,
            crate::corpus::load::document_kind(path) != Some(false),
        )
    }

    fn figure_entry(text: &str, marked: &str) -> FigureEntry {
        let lines = LineIndex::new(text);
        let start = text.find(marked).unwrap();
        let figure = Figure {
            span: Span::new(start, start + marked.len()),
            kind: FigureKind::Money,
            value: 300e6,
            low: None,
            high: Some(301.2e6),
            step: 1e8,
            unit: "USD".into(),
            qualifier: Qualifier::AtMost,
            date: None,
            per: None,
            equivalent: None,
        };
        FigureEntry {
            range: Range::of(text, &lines, figure.span),
            text: marked.into(),
            kind: figure.kind,
            value: figure.value,
            low: figure.low,
            high: figure.high,
            unit: figure.unit,
            claim: ClaimEntry {
                subjects: vec!["Sinnet".into()],
                measures: vec!["deal".into()],
                period: Default::default(),
                role: crate::extract::claims::Role::Level,
                described: "about Sinnet; deal; level".into(),
            },
            page: None,
        }
    }

    #[test]
    fn json_listing_has_the_documented_shape() {
        let text = "Intro\n“Quoted” — é up to $300 million\n";
        let files = vec![FileListing {
            path: "a.txt".into(),
            text_path: None,
            figures: vec![figure_entry(text, "up to $300 million")],
            quotes: Vec::new(),
            entities: Vec::new(),
        }];
        let mut out = Vec::new();
        write_json(&mut out, &files).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"version": 1, "files": [{"path": "a.txt", "figures": [{
                "line": 2, "column": 14, "end_line": 2, "end_column": 32,
                "text": "up to $300 million", "kind": "money", "value": 300000000.0,
                "low": null, "high": 301200000.0, "unit": "USD",
                "claim": {"subjects": ["Sinnet"], "measures": ["deal"],
                          "period": {"year": null, "part": null, "relative": null},
                          "role": "level"}}],
                "quotes": [], "entities": []}]})
        );
        let mut human = Vec::new();
        write_human(&mut human, &files).unwrap();
        expect_test::expect![[r#"
            a.txt
              figures (1)
                2:14         money     up to $300 million  = 300000000 USD [… to 301200000]
                             claim: about Sinnet; deal; level
              quotes (0)
              entities (0)
        "#]]
        .assert_eq(&String::from_utf8(human).unwrap());
    }

    #[test]
    fn listing_never_panics_on_odd_text() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            (
                "a.md",
                "---\ntitle: x\n---\n# H\n\n“q” `code` [l](http://x) 😀\n",
            ),
            ("b.txt", ""),
            ("c.txt", "\r\n\r\n£5\r"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let listing = listing_for(&path);
            assert!(listing.path.ends_with(name));
        }
    }
}
