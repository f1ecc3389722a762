//! Word documents (`.docx`): paragraphs, headings and table rows in order
//! from `word/document.xml`, title and date from `docProps/core.xml`.
//!
//! Read directly with `zip` and `quick-xml`: the DOCX crates were slower and
//! read nothing more that refnotes needs.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{ConvertError, Converted, Rendition};

/// Parts larger than this are not read: a zip bomb should not fill memory.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub(super) fn convert(bytes: &[u8], original: &Path) -> Result<Converted, ConvertError> {
    let mut archive = open_zip(bytes, "DOCX")?;
    let body = read_part(&mut archive, "word/document.xml", "DOCX")?
        .ok_or_else(|| corrupt("DOCX", "it has no word/document.xml"))?;
    let mut rendition = Rendition::new(original);
    if let Some(core) = read_part(&mut archive, "docProps/core.xml", "DOCX")? {
        rendition.set_title(element_text(&core, b"title"));
        rendition.set_date(
            element_text(&core, b"created")
                .or_else(|| element_text(&core, b"date"))
                .map(|date| date.get(..10).unwrap_or(&date).to_string()),
        );
    }
    write_body(&body, &mut rendition)?;
    rendition.finish()
}

pub(super) fn open_zip<'a>(
    bytes: &'a [u8],
    format: &'static str,
) -> Result<zip::ZipArchive<std::io::Cursor<&'a [u8]>>, ConvertError> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|err| corrupt(format, &err.to_string()))
}

pub(super) fn corrupt(format: &'static str, detail: &str) -> ConvertError {
    ConvertError::Corrupt {
        format,
        detail: detail.to_string(),
    }
}

/// A part of the archive as text, `None` when it is not there.
pub(super) fn read_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    format: &'static str,
) -> Result<Option<String>, ConvertError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(corrupt(format, &format!("{name}: {err}"))),
    };
    if file.encrypted() {
        return Err(ConvertError::Encrypted);
    }
    let mut text = String::new();
    file.take(MAX_PART_BYTES)
        .read_to_string(&mut text)
        .map_err(|err| corrupt(format, &format!("{name}: {err}")))?;
    Ok(Some(text))
}

/// The text of the first element with this local name.
pub(super) fn element_text(xml: &str, local_name: &[u8]) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) if start.local_name().as_ref() == local_name => inside = true,
            Event::End(end) if inside && end.local_name().as_ref() == local_name => {
                let text = text.trim().to_string();
                return (!text.is_empty()).then_some(text);
            }
            Event::Text(t) if inside => text.push_str(&t.decode().ok()?),
            Event::GeneralRef(r) if inside => text.push_str(&resolve_entity(&r.decode().ok()?)),
            Event::Eof => return None,
            _ => {}
        }
    }
}

pub(super) fn resolve_entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let code = name
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()));
            code.and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
    }
}

/// Walks `w:body`: each `w:p` is a paragraph (a heading when its style says
/// so), each `w:tr` a row of its cells' text.
fn write_body(xml: &str, rendition: &mut Rendition) -> Result<(), ConvertError> {
    let mut reader = Reader::from_str(xml);
    let mut paragraph = String::new();
    let mut heading: Option<usize> = None;
    let mut in_text = false;
    let mut row: Option<Vec<String>> = None;
    let mut cell = String::new();
    let mut table_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| corrupt("DOCX", &format!("word/document.xml: {err}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    paragraph.clear();
                    heading = None;
                }
                b"pStyle" => {
                    heading = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"val")
                        .and_then(|a| heading_level(&String::from_utf8_lossy(&a.value)));
                }
                b"t" => in_text = true,
                b"tab" => paragraph.push(' '),
                b"br" | b"cr" => paragraph.push(' '),
                b"tbl" => table_depth += 1,
                b"tr" if table_depth == 1 => row = Some(Vec::new()),
                b"tc" => cell.clear(),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if row.is_some() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&paragraph);
                    } else if let Some(level) = heading {
                        rendition.heading(level, &paragraph);
                    } else {
                        rendition.paragraph(&paragraph);
                    }
                    paragraph.clear();
                }
                b"tc" => {
                    if let Some(row) = row.as_mut() {
                        row.push(std::mem::take(&mut cell));
                    }
                }
                b"tr" => {
                    if let Some(cells) = row.take() {
                        rendition.row(&cells);
                    }
                }
                b"tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if in_text => {
                paragraph.push_str(&t.decode().unwrap_or_default());
            }
            Event::GeneralRef(r) if in_text => {
                paragraph.push_str(&resolve_entity(&r.decode().unwrap_or_default()));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// `Heading1` → 1, `Title` → 1; other styles are not headings.
fn heading_level(style: &str) -> Option<usize> {
    let lower = style.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    lower
        .strip_prefix("heading")
        .and_then(|level| level.trim().parse().ok())
        .filter(|level| (1..=6).contains(level))
}
