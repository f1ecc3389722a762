//! PDFs: the text of each page, by poppler's `pdftotext` when it is on the
//! PATH (one run of `pdftotext -layout -htmlmeta` gives text and metadata),
//! else in process by the pure-Rust `pdf-extract`.
//!
//! Either engine yields one raw text per page; [`super::pdf_layout`] turns
//! those into blocks in reading order. `pdftotext -layout` keeps each line's
//! horizontal layout, which is what lets the layout pass split two columns and
//! keep table rows whole. `pdftotext` runs as a child process with a time
//! bound (it is killed past it); `pdf-extract` runs on its own thread through
//! [`super::isolated`], as it can panic or loop on odd files.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{isolated, pdf_layout, ConvertError, Converted, Format, Rendition, CONVERT_TIME_LIMIT};

/// Which program reads the PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PdfEngine {
    /// poppler's `pdftotext`, as a child process.
    Poppler,
    /// The `pdf-extract` crate, in process.
    PdfExtract,
}

/// The engine used unless told otherwise: `REFNOTES_PDF_ENGINE` (`poppler`
/// or `pdf-extract`), else poppler when `pdftotext` runs, else pdf-extract.
pub fn default_engine() -> PdfEngine {
    static ENGINE: OnceLock<PdfEngine> = OnceLock::new();
    *ENGINE.get_or_init(|| match std::env::var("REFNOTES_PDF_ENGINE").as_deref() {
        Ok("pdf-extract") => PdfEngine::PdfExtract,
        Ok("poppler") => PdfEngine::Poppler,
        _ if poppler_available() => PdfEngine::Poppler,
        _ => PdfEngine::PdfExtract,
    })
}

fn poppler_available() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Part of the cache key: a rendition made by one engine is not reused by
/// the other.
pub(super) fn engine_name(format: Format) -> &'static str {
    if format != Format::Pdf {
        return "";
    }
    match default_engine() {
        PdfEngine::Poppler => "poppler",
        PdfEngine::PdfExtract => "pdf-extract",
    }
}

pub(super) fn convert(path: &Path, bytes: &[u8]) -> Result<Converted, ConvertError> {
    convert_with(default_engine(), path, bytes)
}

/// The raw text of each page and the document's metadata.
#[derive(Debug, Default)]
pub(crate) struct RawPdf {
    pub pages: Vec<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

pub fn convert_with(
    engine: PdfEngine,
    path: &Path,
    bytes: &[u8],
) -> Result<Converted, ConvertError> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err(corrupt("it does not start with %PDF"));
    }
    let raw = match engine {
        PdfEngine::Poppler => poppler(path)?,
        PdfEngine::PdfExtract => {
            let bytes = bytes.to_vec();
            isolated("PDF", move || pdf_extract_pages(&bytes))?
        }
    };
    let pages = pdf_layout::pages_to_blocks(&raw.pages);
    if pages.iter().all(|blocks| blocks.is_empty()) {
        return Err(ConvertError::NoTextLayer);
    }
    let mut rendition = Rendition::new(path);
    rendition.set_title(raw.title);
    rendition.set_date(raw.date);
    for (index, blocks) in pages.iter().enumerate() {
        rendition.page(index as u32 + 1);
        for block in blocks {
            match block {
                pdf_layout::Block::Heading(text) => rendition.heading(2, text),
                pdf_layout::Block::Paragraph(text) => rendition.paragraph(text),
                pdf_layout::Block::Row(cells) => rendition.row(cells),
            }
        }
    }
    rendition.finish()
}

fn corrupt(detail: impl Into<String>) -> ConvertError {
    ConvertError::Corrupt {
        format: "PDF",
        detail: detail.into(),
    }
}

fn poppler(path: &Path) -> Result<RawPdf, ConvertError> {
    let deadline = Instant::now() + CONVERT_TIME_LIMIT;
    // `-htmlmeta` puts the title and dates in a head before the text: one
    // process instead of `pdftotext` and `pdfinfo`.
    let output = run_bounded(
        Command::new("pdftotext")
            .args(["-layout", "-htmlmeta", "-enc", "UTF-8"])
            .arg(path)
            .arg("-"),
        deadline,
    )?;
    let html = match output {
        Ok(html) => html,
        Err(stderr) => {
            if stderr.contains("password") {
                return Err(ConvertError::Encrypted);
            }
            let first = stderr
                .lines()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("pdftotext could not read it")
                .trim();
            return Err(corrupt(
                first.trim_start_matches("Syntax Error: ").to_string(),
            ));
        }
    };
    Ok(parse_htmlmeta(&html))
}

/// Splits `pdftotext -htmlmeta` output into metadata and pages.
fn parse_htmlmeta(html: &str) -> RawPdf {
    let between = |start: &str, end: &str| -> Option<&str> {
        let from = html.find(start)? + start.len();
        let to = html[from..].find(end)? + from;
        Some(&html[from..to])
    };
    let title = between("<title>", "</title>")
        .map(unescape)
        .filter(|title| !title.trim().is_empty());
    let date = between("<meta name=\"CreationDate\" content=\"", "\"").map(iso_day);
    let body = between("<pre>\n", "</pre>")
        .or_else(|| between("<pre>", "</pre>"))
        .unwrap_or("");
    let mut pages: Vec<String> = unescape(body).split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.len() > 1 && pages.last().is_some_and(|page| page.trim().is_empty()) {
        pages.pop();
    }
    RawPdf { pages, title, date }
}

/// The five escapes poppler writes in its HTML.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Runs a command to its end or the deadline. `Ok(Ok(stdout))` on success,
/// `Ok(Err(stderr))` when it failed, `Err` when it could not run or ran long.
fn run_bounded(
    command: &mut Command,
    deadline: Instant,
) -> Result<Result<String, String>, ConvertError> {
    limit_memory(command);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| ConvertError::Crashed("pdftotext"))?;
    // Read both pipes on threads so a full pipe never blocks the child.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ConvertError::TimedOut(CONVERT_TIME_LIMIT));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(_) => return Err(ConvertError::Crashed("pdftotext")),
        }
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if status.success() {
        Ok(Ok(String::from_utf8_lossy(&out).into_owned()))
    } else {
        Ok(Err(String::from_utf8_lossy(&err).into_owned()))
    }
}

/// How much address space the PDF reader's process may take: a malformed
/// file that makes it allocate without end fails that file, not the machine.
const CHILD_MEMORY_LIMIT: u64 = 2 << 30;

#[cfg(unix)]
fn limit_memory(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and calls
    // only setrlimit, which is async-signal-safe; it allocates nothing.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: CHILD_MEMORY_LIMIT as libc::rlim_t,
                rlim_max: CHILD_MEMORY_LIMIT as libc::rlim_t,
            };
            // A limit that cannot be set leaves the child unlimited, as before.
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_command: &mut Command) {}

/// `2025-03-14T09:00:00Z` → `2025-03-14`; `D:20250314090000Z` → `2025-03-14`.
fn iso_day(date: &str) -> String {
    let digits = date.trim_start_matches("D:");
    let bytes = digits.as_bytes();
    if bytes.len() >= 8 && bytes[..8].iter().all(u8::is_ascii_digit) {
        return format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]);
    }
    date.get(..10).unwrap_or(date).to_string()
}

fn pdf_extract_pages(bytes: &[u8]) -> Result<RawPdf, ConvertError> {
    use pdf_extract::{Document, Object};

    let mut document = Document::load_mem(bytes).map_err(|err| corrupt(err.to_string()))?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(ConvertError::Encrypted);
    }
    let info_string = |key: &[u8]| -> Option<String> {
        let info = document.trailer.get(b"Info").ok()?;
        let info = match info {
            Object::Reference(id) => document.get_dictionary(*id).ok()?,
            Object::Dictionary(dict) => dict,
            _ => return None,
        };
        match info.get(key).ok()? {
            Object::String(bytes, _) => Some(pdf_string(bytes)),
            _ => None,
        }
    };
    let title = info_string(b"Title");
    let date = info_string(b"CreationDate").map(|date| iso_day(&date));
    let mut pages = Vec::new();
    for page_number in document.get_pages().keys() {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        // A page that fails to decode is an empty page; the others still count.
        let _ = pdf_extract::output_doc_page(&document, &mut output, *page_number);
        pages.push(text);
    }
    Ok(RawPdf { pages, title, date })
}

/// A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding
/// (read as Latin-1, which it matches for letters and digits).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htmlmeta_output_gives_metadata_and_pages() {
        let html = "<html><head>\n<title>Q&amp;A: costs &lt; 5%</title>\n\
                    <meta name=\"CreationDate\" content=\"2025-03-14T09:00:00Z\"/>\n\
                    </head><body><pre>\nPage one &amp; more\n\u{c}Page two\n\u{c}</pre></body></html>";
        let raw = parse_htmlmeta(html);
        assert_eq!(raw.title.as_deref(), Some("Q&A: costs < 5%"));
        assert_eq!(raw.date.as_deref(), Some("2025-03-14"));
        assert_eq!(raw.pages, ["Page one & more\n", "Page two\n"]);
    }

    #[test]
    fn dates_become_iso_days() {
        assert_eq!(iso_day("2025-03-14T09:00:00Z"), "2025-03-14");
        assert_eq!(iso_day("D:20250314090000Z"), "2025-03-14");
    }

    #[test]
    fn pdf_strings_decode_utf16_and_latin1() {
        assert_eq!(
            pdf_string(&[0xfe, 0xff, 0x00, 0x48, 0x20, 0x13]),
            "H\u{2013}"
        );
        assert_eq!(pdf_string(b"caf\xe9"), "caf\u{e9}");
    }
}
