//! EPUB books: `META-INF/container.xml` names the package (OPF) file, whose
//! spine lists the chapters in reading order; each chapter's XHTML goes
//! through the HTML reader. Title and date come from the package's Dublin
//! Core metadata. Each chapter starts with a mark naming its file, so a span
//! maps back to the chapter.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::docx::{corrupt, element_text, open_zip, read_part};
use super::{ConvertError, Converted, Rendition};

pub(super) fn convert(bytes: &[u8], original: &Path) -> Result<Converted, ConvertError> {
    let mut archive = open_zip(bytes, "EPUB")?;
    let container = read_part(&mut archive, "META-INF/container.xml", "EPUB")?
        .ok_or_else(|| corrupt("EPUB", "it has no META-INF/container.xml"))?;
    let package_path = first_attribute(&container, b"rootfile", b"full-path")
        .ok_or_else(|| corrupt("EPUB", "container.xml names no package file"))?;
    let package = read_part(&mut archive, &package_path, "EPUB")?.ok_or_else(|| {
        corrupt(
            "EPUB",
            &format!("the package file {package_path} is missing"),
        )
    })?;
    let base = match package_path.rfind('/') {
        Some(slash) => package_path[..=slash].to_string(),
        None => String::new(),
    };
    let mut rendition = Rendition::new(original);
    rendition.set_title(element_text(&package, b"title"));
    rendition.set_date(element_text(&package, b"date"));
    let (manifest, spine) = manifest_and_spine(&package)?;
    for idref in spine {
        let Some((href, media_type)) = manifest.get(&idref) else {
            continue;
        };
        if !media_type.contains("html") {
            continue;
        }
        let path = format!("{base}{}", percent_decode(href));
        let Some(chapter) = read_part(&mut archive, &path, "EPUB")? else {
            continue;
        };
        // The navigation document lists chapters; it is not one.
        if chapter.contains("epub:type=\"toc\"") {
            continue;
        }
        rendition.fragment(href);
        super::html::write_html(&chapter, &mut rendition, false, false);
    }
    rendition.finish()
}

fn first_attribute(xml: &str, element: &[u8], attribute: &[u8]) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                return e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == attribute)
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

type Manifest = HashMap<String, (String, String)>;

/// Manifest items by id (href, media type) and the spine's item ids in order.
fn manifest_and_spine(package: &str) -> Result<(Manifest, Vec<String>), ConvertError> {
    let mut reader = Reader::from_str(package);
    let mut manifest = HashMap::new();
    let mut spine = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|err| corrupt("EPUB", &format!("package file: {err}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let attribute = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == name)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                match e.local_name().as_ref() {
                    b"item" => {
                        if let (Some(id), Some(href)) = (attribute(b"id"), attribute(b"href")) {
                            let media = attribute(b"media-type").unwrap_or_default();
                            manifest.insert(id, (href, media));
                        }
                    }
                    b"itemref" => spine.extend(attribute(b"idref")),
                    _ => {}
                }
            }
            Event::Eof => return Ok((manifest, spine)),
            _ => {}
        }
    }
}

fn percent_decode(href: &str) -> String {
    let href = href.split('#').next().unwrap_or(href);
    let bytes = href.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&href[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
