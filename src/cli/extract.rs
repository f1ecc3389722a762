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
//!                "low": null, "high": null, "unit": "USD"}],
//!   "quotes": [{"line": 4, "column": 1, "end_line": 4, "end_column": 30, "text": "“...”"}],
//!   "entities": []}]}
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::report::Range;
use super::{ExtractArgs, Output, EXIT_ERROR, EXIT_OK};
use crate::corpus::load::document_kind;
use crate::extract::{figures, markdown, quotes, sentences, Figure, FigureKind, Quote};
use crate::text::{LineIndex, Span};

/// The version of the JSON listing's shape.
pub const JSON_VERSION: u32 = 1;

/// What the engine found in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileListing {
    pub path: String,
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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteEntry {
    #[serde(flatten)]
    pub range: Range,
    pub text: String,
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
        match std::fs::read(path) {
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
                let markdown = document_kind(path) != Some(false);
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

/// Runs the extractors over a file's prose: Markdown blocks (without front
/// matter, code, link targets or comments) or plain-text paragraphs; figures
/// sentence by sentence, quotations block by block.
pub fn listing(path: &str, text: &str, markdown: bool) -> FileListing {
    let (blocks, hidden): (Vec<Span>, Vec<Span>) = if markdown {
        let prose = markdown::parse(text);
        (
            prose.blocks.iter().map(|block| block.span).collect(),
            prose.hidden,
        )
    } else {
        (sentences::plain_blocks(text), Vec::new())
    };
    let visible = |span: Span| !hidden.iter().any(|h| h.overlaps(span));
    let lines = LineIndex::new(text);
    let mut found_figures: Vec<Figure> = Vec::new();
    let mut found_quotes: Vec<Quote> = Vec::new();
    for block in blocks {
        let block_text = block.slice(text);
        for mut quote in quotes::find(block_text) {
            quote.span = shift(quote.span, block.start());
            if visible(quote.span) {
                found_quotes.push(quote);
            }
        }
        for sentence in sentences::split(text, block) {
            for mut figure in figures::find(sentence.slice(text)) {
                figure.span = shift(figure.span, sentence.start());
                if visible(figure.span) {
                    found_figures.push(figure);
                }
            }
        }
    }
    FileListing {
        path: path.to_string(),
        figures: found_figures
            .into_iter()
            .map(|figure| FigureEntry {
                range: Range::of(text, &lines, figure.span),
                text: figure.span.slice(text).to_string(),
                kind: figure.kind,
                value: figure.value,
                low: figure.low,
                high: figure.high,
                unit: figure.unit,
            })
            .collect(),
        quotes: found_quotes
            .into_iter()
            .map(|quote| QuoteEntry {
                range: Range::of(text, &lines, quote.span),
                text: quote.span.slice(text).to_string(),
            })
            .collect(),
        // Names join this listing once the entity extractor's API is settled.
        entities: Vec::new(),
    }
}

fn shift(span: Span, by: usize) -> Span {
    Span::new(span.start() + by, span.end() + by)
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
        writeln!(out, "{}", file.path)?;
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
                position(figure.range),
                kind,
                figure.text,
                number(figure.value),
                figure.unit,
                bounds
            )?;
        }
        writeln!(out, "  quotes ({})", file.quotes.len())?;
        for quote in &file.quotes {
            writeln!(out, "    {:<12} {}", position(quote.range), quote.text)?;
        }
        writeln!(out, "  entities ({})", file.entities.len())?;
        for entity in &file.entities {
            writeln!(
                out,
                "    {:<12} {}  ({})",
                position(entity.range),
                entity.text,
                entity.aliases.join(", ")
            )?;
        }
    }
    Ok(())
}

fn position(range: Range) -> String {
    format!("{}:{}", range.line, range.column)
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
    use crate::extract::Qualifier;
    use std::path::Path;

    fn listing_for(path: &Path) -> FileListing {
        let text = std::fs::read_to_string(path).unwrap();
        listing(
            &path.display().to_string(),
            &text,
            document_kind(path) != Some(false),
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
        }
    }

    #[test]
    fn json_listing_has_the_documented_shape() {
        let text = "Intro\n“Quoted” — é up to $300 million\n";
        let files = vec![FileListing {
            path: "a.txt".into(),
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
                "low": null, "high": 301200000.0, "unit": "USD"}],
                "quotes": [], "entities": []}]})
        );
        let mut human = Vec::new();
        write_human(&mut human, &files).unwrap();
        expect_test::expect![[r#"
            a.txt
              figures (1)
                2:14         money     up to $300 million  = 300000000 USD [… to 301200000]
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
