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
//!                          "period": {"year": null, "part": null, "relative": null, "horizon_days": null},
//!                          "role": "level"}}],
//!   "quotes": [{"line": 4, "column": 1, "end_line": 4, "end_column": 30, "text": "“...”"}],
//!   "entities": []}]}
//! ```
//!
//! A date's `value`, `low` and `high` are ISO 8601 strings (`"2017-11-10"`)
//! when its year is known, else `null`, and its `date` field holds the parts
//! written (`{"year": null, "month": 11, "day": 17}`).
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
use crate::extract::{DateParts, FigureKind};
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
    /// `null` for a date without a year (its parts are in `date`).
    pub value: Option<Amount>,
    pub low: Option<Amount>,
    pub high: Option<Amount>,
    pub unit: String,
    /// A date's parts as written ("Nov. 17" has no year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateParts>,
    /// What the figure is read as a claim about.
    pub claim: ClaimEntry,
    /// The PDF page, for a figure in a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// A figure's amount: a number, or for a date with a year its ISO 8601 form
/// (`"2017-11-10"`, `"2017-11"`); the engine's own encoding of dates as
/// numbers (`20171110`, `1117` for Nov. 17) is no one else's business.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Amount {
    Number(f64),
    Date(String),
}

impl Amount {
    /// `value` (a figure's value or bound) as shown for a figure of `kind`:
    /// `None` for a date without a year.
    fn of(kind: FigureKind, value: f64) -> Option<Amount> {
        match kind {
            FigureKind::Date => iso_date(decode_date(value)).map(Amount::Date),
            FigureKind::Money
            | FigureKind::Percent
            | FigureKind::Count
            | FigureKind::Quantity
            | FigureKind::Year
            | FigureKind::Duration => Some(Amount::Number(value)),
        }
    }
}

/// The parts of a date the engine encodes as `year * 10000 + month * 100 +
/// day` (a missing part is 0).
fn decode_date(value: f64) -> DateParts {
    let encoded = value.max(0.0).round() as u64;
    let part = |n: u64| (n != 0).then_some(n);
    DateParts {
        year: part(encoded / 10_000).and_then(|y| i32::try_from(y).ok()),
        month: part(encoded / 100 % 100).and_then(|m| u8::try_from(m).ok()),
        day: part(encoded % 100).and_then(|d| u8::try_from(d).ok()),
    }
}

/// `2017-11-10`, `2017-11` or `2017`; `None` without a year.
fn iso_date(date: DateParts) -> Option<String> {
    let year = date.year?;
    Some(match (date.month, date.day) {
        (Some(month), Some(day)) => format!("{year:04}-{month:02}-{day:02}"),
        (Some(month), None) => format!("{year:04}-{month:02}"),
        (None, _) => format!("{year:04}"),
    })
}

/// A date for people: ISO 8601 with a year, else "November 17", "June".
fn human_date(date: DateParts) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if let Some(iso) = iso_date(date) {
        return iso;
    }
    let month = date
        .month
        .and_then(|m| MONTHS.get(usize::from(m).checked_sub(1)?));
    match (month, date.day) {
        (Some(month), Some(day)) => format!("{month} {day}"),
        (Some(month), None) => month.to_string(),
        (None, Some(day)) => format!("day {day}"),
        (None, None) => "a date".to_string(),
    }
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
                value: Amount::of(figure.kind, figure.value),
                low: figure.low.and_then(|low| Amount::of(figure.kind, low)),
                high: figure.high.and_then(|high| Amount::of(figure.kind, high)),
                unit: figure.unit,
                date: (figure.kind == FigureKind::Date)
                    .then(|| figure.date.unwrap_or_else(|| decode_date(figure.value))),
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
            let shown = |amount: &Option<Amount>| match amount {
                Some(Amount::Number(value)) => number(*value),
                Some(Amount::Date(iso)) => iso.clone(),
                None => "…".into(),
            };
            let bounds = match (&figure.low, &figure.high) {
                (None, None) => String::new(),
                // A single day is its own bounds.
                (low, high) if *low == figure.value && *high == figure.value => String::new(),
                (low, high) => format!(" [{} to {}]", shown(low), shown(high)),
            };
            let value = match figure.date {
                Some(date) => human_date(date),
                None => format!("{} {}", shown(&figure.value), figure.unit),
            };
            writeln!(
                out,
                "    {:<12} {:<9} {}  = {}{}",
                position(figure.range, figure.page),
                kind,
                figure.text,
                value.trim_end(),
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
            value: Amount::of(figure.kind, figure.value),
            low: None,
            high: Some(Amount::Number(301.2e6)),
            unit: figure.unit,
            date: None,
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
                          "period": {"year": null, "part": null, "relative": null, "horizon_days": null},
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
    fn dates_are_shown_as_dates() {
        let text = "Both sides signed on Nov. 10, 2017. Rules took effect in June. \
                    Sinnet and Amazon signed on Nov. 17.\n";
        let files = vec![listing("a.txt", text, false)];
        let dates: Vec<&FigureEntry> = files[0]
            .figures
            .iter()
            .filter(|f| f.kind == FigureKind::Date)
            .collect();
        let mut out = Vec::new();
        write_json(&mut out, &files).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let json_dates: Vec<(serde_json::Value, serde_json::Value)> = value["files"][0]["figures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "date")
            .map(|f| (f["value"].clone(), f["date"].clone()))
            .collect();
        assert_eq!(
            json_dates,
            [
                (
                    serde_json::json!("2017-11-10"),
                    serde_json::json!({"year": 2017, "month": 11, "day": 10})
                ),
                (
                    serde_json::Value::Null,
                    serde_json::json!({"year": null, "month": 6, "day": null})
                ),
                (
                    serde_json::Value::Null,
                    serde_json::json!({"year": null, "month": 11, "day": 17})
                ),
            ],
            "{dates:?}"
        );
        let mut human = Vec::new();
        write_human(&mut human, &files).unwrap();
        let human = String::from_utf8(human).unwrap();
        for shown in ["= 2017-11-10\n", "= June\n", "= November 17\n"] {
            assert!(human.contains(shown), "{shown:?} in {human}");
        }
        assert!(
            !human.contains("= 600") && !human.contains("1117"),
            "{human}"
        );
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
