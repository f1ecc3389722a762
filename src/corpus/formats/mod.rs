//! Documents that are not plain text: HTML pages, PDFs, Word (DOCX) files and
//! EPUB books, turned into text the engine reads like any other source.
//!
//! Each converter yields blocks (headings, paragraphs, table rows) and page or
//! element marks; [`Rendition`] writes them as a Markdown-flavoured text whose
//! first line names the original and whose `<!-- page 4 -->` marks are HTML
//! comments (not prose to the Markdown reader, so they never become figures).
//! That text is the document's text in the corpus, byte for byte the readable
//! copy an editor opens (the *rendition*), so spans in it need no mapping;
//! [`Origin`] maps a span back to its page or element in the original.
//!
//! Conversion is cached in the cache folder, keyed by the file's content, so a
//! restart reads the rendition instead of converting again. Converters run
//! isolated ([`isolated`]): a panic or a file that takes too long is a skipped
//! file with a warning, never a crash.

mod docx;
mod epub;
mod html;
mod pdf;
mod pdf_layout;

pub use pdf::{convert_with as convert_pdf_with, default_engine as default_pdf_engine, PdfEngine};

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Bumped whenever a converter's output changes, so old renditions in the
/// cache are not reused.
const CONVERTER_VERSION: u32 = 2;

/// The stack of a converter thread: reserved, not committed, so generous.
const CONVERTER_STACK_BYTES: usize = 512 * 1024 * 1024;

/// How long one file may take to convert before it is skipped.
pub const CONVERT_TIME_LIMIT: Duration = Duration::from_secs(30);

/// A document format the corpus reads, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Epub,
}

/// The extensions the corpus reads, for messages.
pub const KNOWN_EXTENSIONS: &str = ".txt, .md, .markdown, .html, .htm, .xhtml, .pdf, .docx, .epub";

impl Format {
    /// The format a file's extension names, if refnotes reads it.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "epub" => Format::Epub,
            _ => return None,
        })
    }

    /// Whether the file is converted to text rather than read as it is.
    pub fn is_converted(self) -> bool {
        !matches!(self, Format::Text | Format::Markdown)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Epub => "EPUB",
        }
    }
}

/// A converted document: its text (the rendition) and metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// Where a converted document came from, and how its text maps back.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    pub format: Format,
    /// The readable copy of the text in the cache folder, when it could be
    /// written there; spans in the document are spans in this file.
    pub rendition: Option<PathBuf>,
    /// Page and element marks, by the offset where they start, ascending.
    pub anchors: Vec<Anchor>,
}

/// A place in the original that text from `offset` on comes from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    pub offset: u32,
    pub place: Place,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Place {
    /// A PDF page, 1-based.
    Page(u32),
    /// An HTML element id, or an EPUB chapter file with an optional id.
    Fragment(String),
}

impl Origin {
    /// The page or element the text at `offset` comes from.
    pub fn place_at(&self, offset: usize) -> Option<&Place> {
        let after = self
            .anchors
            .partition_point(|anchor| anchor.offset as usize <= offset);
        after.checked_sub(1).map(|i| &self.anchors[i].place)
    }

    /// The PDF page of `offset`, if the original is paged.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        match self.place_at(offset)? {
            Place::Page(page) => Some(*page),
            Place::Fragment(_) => None,
        }
    }

    /// What to append to the original's URL to land on `offset`:
    /// `#page=4` for a PDF page, `#id` for an HTML element.
    pub fn url_fragment(&self, offset: usize) -> Option<String> {
        match (self.format, self.place_at(offset)?) {
            (_, Place::Page(page)) => Some(format!("#page={page}")),
            (Format::Html, Place::Fragment(id)) => Some(format!("#{id}")),
            _ => None,
        }
    }

    /// How a person names the place: `p. 4`, `#cooling`, `chap2.xhtml`.
    pub fn label_at(&self, offset: usize) -> Option<String> {
        Some(match self.place_at(offset)? {
            Place::Page(page) => format!("p. {page}"),
            Place::Fragment(id) if self.format == Format::Html => format!("#{id}"),
            Place::Fragment(id) => id.clone(),
        })
    }
}

/// Why a file could not be converted; the message ends up in a warning.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("encrypted: it needs a password to open; save a copy without one")]
    Encrypted,
    #[error("no text layer: scanned PDF; run OCR first")]
    NoTextLayer,
    #[error("not a readable {format} file: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("no text found in it")]
    Empty,
    #[error("converting it took longer than {} s, so it was stopped", .0.as_secs())]
    TimedOut(Duration),
    #[error("the {0} reader crashed on it")]
    Crashed(&'static str),
}

/// Converts a file's bytes, reading and writing the cache when `cache_dir` is
/// given. Returns the converted text and where its rendition is.
pub fn convert_cached(
    format: Format,
    path: &Path,
    bytes: &[u8],
    cache_dir: Option<&Path>,
) -> Result<(Converted, Origin), ConvertError> {
    let cached_path = cache_dir.map(|dir| rendition_path(dir, format, path, bytes));
    if let Some(cached) = cached_path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
    {
        if let Some(converted) = parse_rendition(&cached) {
            let origin = origin_of(format, &converted.text, cached_path);
            return Ok((converted, origin));
        }
    }
    let converted = convert(format, path, bytes)?;
    let written = cached_path.filter(|p| write_atomically(p, &converted.text).is_ok());
    let origin = origin_of(format, &converted.text, written);
    Ok((converted, origin))
}

/// Converts a file's bytes without the cache.
pub fn convert(format: Format, path: &Path, bytes: &[u8]) -> Result<Converted, ConvertError> {
    let original = path.to_path_buf();
    match format {
        Format::Text | Format::Markdown => Ok(Converted {
            text: String::from_utf8_lossy(bytes).into_owned(),
            ..Converted::default()
        }),
        Format::Html => {
            let html = String::from_utf8_lossy(bytes).into_owned();
            isolated("HTML", move || html::convert(&html, &original))
        }
        Format::Pdf => pdf::convert(path, bytes),
        Format::Docx => {
            let bytes = bytes.to_vec();
            isolated("DOCX", move || docx::convert(&bytes, &original))
        }
        Format::Epub => {
            let bytes = bytes.to_vec();
            isolated("EPUB", move || epub::convert(&bytes, &original))
        }
    }
}

/// Runs a converter on its own thread: a panic becomes [`ConvertError::Crashed`]
/// and a run past [`CONVERT_TIME_LIMIT`] becomes [`ConvertError::TimedOut`]
/// (the thread is left to finish on its own; nothing waits for it).
pub(crate) fn isolated<T: Send + 'static>(
    reader: &'static str,
    work: impl FnOnce() -> Result<T, ConvertError> + Send + 'static,
) -> Result<T, ConvertError> {
    isolated_within(reader, CONVERT_TIME_LIMIT, work)
}

fn isolated_within<T: Send + 'static>(
    reader: &'static str,
    limit: Duration,
    work: impl FnOnce() -> Result<T, ConvertError> + Send + 'static,
) -> Result<T, ConvertError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("refnotes-{reader}"))
        // Parsers recurse over nesting; a deep file must not overflow the
        // stack, which would abort the process rather than panic.
        .stack_size(CONVERTER_STACK_BYTES)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            let _ = sender.send(result);
        });
    if spawned.is_err() {
        return Err(ConvertError::Crashed(reader));
    }
    match receiver.recv_timeout(limit) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(ConvertError::Crashed(reader)),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(ConvertError::TimedOut(limit)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(ConvertError::Crashed(reader)),
    }
}

/// The cache folder: `$REFNOTES_CACHE_DIR`, else `$XDG_CACHE_HOME/refnotes`,
/// else `~/.cache/refnotes`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = from_env("REFNOTES_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(dir) = from_env("XDG_CACHE_HOME") {
        return Some(dir.join("refnotes"));
    }
    from_env("HOME").map(|home| home.join(".cache").join("refnotes"))
}

/// Where the rendition of these bytes at this path is cached:
/// `<cache>/converted/<file name>-<hash>.txt`. The path is part of the key
/// because the rendition's first line names it.
fn rendition_path(cache_dir: &Path, format: Format, path: &Path, bytes: &[u8]) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut first = std::collections::hash_map::DefaultHasher::new();
    let mut second = std::collections::hash_map::DefaultHasher::new();
    0xa5a5_u32.hash(&mut second);
    for hasher in [&mut first, &mut second] {
        CONVERTER_VERSION.hash(hasher);
        format.hash(hasher);
        pdf::engine_name(format).hash(hasher);
        absolute.hash(hasher);
        bytes.hash(hasher);
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    cache_dir.join("converted").join(format!(
        "{name}-{:016x}{:016x}.txt",
        first.finish(),
        second.finish()
    ))
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Unique per process and call: two threads may convert one file at once.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = path.with_extension(format!("tmp{}-{write}", std::process::id()));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// How much of the first paragraph makes a title when nothing else does.
const TITLE_FROM_TEXT_CHARS: usize = 80;

const HEADER_START: &str = "<!-- refnotes: text of ";
const TITLE_MARK: &str = "<!-- title: ";
const DATE_MARK: &str = "<!-- date: ";
const URL_MARK: &str = "<!-- url: ";
const PAGE_MARK: &str = "<!-- page ";
const FRAGMENT_MARK: &str = "<!-- at ";
const MARK_END: &str = " -->";

/// Reads a cached rendition's metadata back from its header lines.
fn parse_rendition(text: &str) -> Option<Converted> {
    if !text.starts_with(HEADER_START) {
        return None;
    }
    let mut converted = Converted {
        text: text.to_string(),
        ..Converted::default()
    };
    for line in text.lines().skip(1).take(4) {
        let value = |mark: &str| {
            line.strip_prefix(mark)
                .and_then(|rest| rest.strip_suffix(MARK_END))
                .map(str::to_string)
        };
        if let Some(title) = value(TITLE_MARK) {
            converted.title = Some(title);
        } else if let Some(date) = value(DATE_MARK) {
            converted.date = Some(date);
        } else if let Some(url) = value(URL_MARK) {
            converted.url = Some(url);
        }
    }
    Some(converted)
}

/// The page and element marks of a rendition.
fn origin_of(format: Format, text: &str, rendition: Option<PathBuf>) -> Origin {
    let mut anchors = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        let mark = |prefix: &str| {
            bare.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(MARK_END))
        };
        if let Some(page) = mark(PAGE_MARK).and_then(|n| n.parse().ok()) {
            anchors.push(Anchor {
                offset: offset as u32,
                place: Place::Page(page),
            });
        } else if let Some(fragment) = mark(FRAGMENT_MARK) {
            anchors.push(Anchor {
                offset: offset as u32,
                place: Place::Fragment(fragment.to_string()),
            });
        }
        offset += line.len();
    }
    Origin {
        format,
        rendition,
        anchors,
    }
}

/// Writes a converted document as Markdown-flavoured text: a header naming
/// the original, then blocks separated by blank lines, with page and element
/// marks as HTML comments.
pub(crate) struct Rendition {
    out: String,
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    original: PathBuf,
    first_heading: Option<String>,
    first_paragraph: Option<String>,
}

impl Rendition {
    pub fn new(original: &Path) -> Rendition {
        Rendition {
            out: String::new(),
            title: None,
            date: None,
            url: None,
            original: original.to_path_buf(),
            first_heading: None,
            first_paragraph: None,
        }
    }

    pub fn set_title(&mut self, title: Option<String>) {
        self.title = clean_meta(title);
    }

    pub fn set_date(&mut self, date: Option<String>) {
        self.date = clean_meta(date);
    }

    pub fn set_url(&mut self, url: Option<String>) {
        self.url = clean_meta(url);
    }

    pub fn page(&mut self, page: u32) {
        self.out
            .push_str(&format!("{PAGE_MARK}{page}{MARK_END}\n\n"));
    }

    /// Marks that what follows comes from this element id or chapter.
    pub fn fragment(&mut self, fragment: &str) {
        let fragment: String = comment_safe(fragment)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !fragment.is_empty() {
            self.out
                .push_str(&format!("{FRAGMENT_MARK}{fragment}{MARK_END}\n\n"));
        }
    }

    pub fn heading(&mut self, level: usize, text: &str) {
        let text = one_line(text);
        if text.is_empty() {
            return;
        }
        if self.first_heading.is_none() {
            self.first_heading = Some(text.clone());
        }
        self.out.push_str(&"#".repeat(level.clamp(1, 6)));
        self.out.push(' ');
        self.out.push_str(&text);
        self.out.push_str("\n\n");
    }

    pub fn paragraph(&mut self, text: &str) {
        let text = one_line(text);
        if text.is_empty() {
            return;
        }
        if self.first_paragraph.is_none() {
            self.first_paragraph = Some(text.chars().take(TITLE_FROM_TEXT_CHARS).collect());
        }
        self.out.push_str(&escape_block_start(&text));
        self.out.push_str("\n\n");
    }

    /// One table row, as a Markdown table row so each row is its own block.
    pub fn row(&mut self, cells: &[String]) {
        let cells: Vec<String> = cells
            .iter()
            .map(|cell| one_line(cell).replace('|', "/"))
            .filter(|cell| !cell.is_empty())
            .collect();
        if cells.is_empty() {
            return;
        }
        self.out.push_str("| ");
        self.out.push_str(&cells.join(" | "));
        self.out.push_str(" |\n\n");
    }

    /// Whether any text (not just marks) was written.
    fn has_text(&self) -> bool {
        self.out.lines().any(|line| {
            let line = line.trim();
            let mark = line.starts_with("<!-- ") && line.ends_with(MARK_END);
            !line.is_empty() && !mark
        })
    }

    pub fn finish(self) -> Result<Converted, ConvertError> {
        if !self.has_text() {
            return Err(ConvertError::Empty);
        }
        // Without a title in the metadata, the first heading, else the
        // opening words, as for a plain-text source.
        let title = self
            .title
            .or(self.first_heading)
            .or(self.first_paragraph.map(|words| words.trim().to_string()));
        let mut text = format!(
            "{HEADER_START}{}, extracted by refnotes for reading; the original is the source{MARK_END}\n",
            comment_safe(&self.original.display().to_string())
        );
        for (mark, value) in [
            (TITLE_MARK, &title),
            (DATE_MARK, &self.date),
            (URL_MARK, &self.url),
        ] {
            if let Some(value) = value {
                text.push_str(&format!("{mark}{}{MARK_END}\n", comment_safe(value)));
            }
        }
        text.push('\n');
        text.push_str(self.out.trim_end());
        text.push('\n');
        Ok(Converted {
            text,
            title,
            date: self.date,
            url: self.url,
        })
    }
}

fn clean_meta(value: Option<String>) -> Option<String> {
    value
        .map(|value| one_line(&value))
        .filter(|value| !value.is_empty())
}

/// Whitespace runs (line breaks included) as one space, soft hyphens and
/// zero-width characters gone, ligatures spelled out.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if matches!(
            ch,
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'
        ) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match ligature(ch) {
            Some(spelled) => out.push_str(spelled),
            None => out.push(ch),
        }
    }
    out
}

/// The letters a typographic ligature stands for.
pub(crate) fn ligature(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        _ => return None,
    })
}

/// `-->` would end a mark early.
fn comment_safe(text: &str) -> String {
    text.replace("-->", "- ->").replace(['\n', '\r'], " ")
}

/// Keeps a paragraph from reading as Markdown markup it is not: a code fence,
/// a list item's number, a heading, a quote or HTML.
fn escape_block_start(text: &str) -> String {
    let first = text.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '#' | '>' | '<' | '`' | '~' | '|' | '=' | '+' | '*' | '-'
    ) || text.split_once(". ").is_some_and(|(number, _)| {
        !number.is_empty() && number.len() <= 9 && number.bytes().all(|b| b.is_ascii_digit())
    }) {
        format!("\\{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions_case_blind() {
        assert_eq!(Format::of(Path::new("a/B.PDF")), Some(Format::Pdf));
        assert_eq!(Format::of(Path::new("page.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("book.epub")), Some(Format::Epub));
        assert_eq!(Format::of(Path::new("sheet.xlsx")), None);
        assert_eq!(Format::of(Path::new("README")), None);
    }

    #[test]
    fn a_rendition_names_its_original_and_maps_offsets_to_pages() {
        let mut rendition = Rendition::new(Path::new("corpus/report.pdf"));
        rendition.set_title(Some("Annual\nreport".into()));
        rendition.set_date(Some("2025-03-14".into()));
        rendition.page(1);
        rendition.heading(1, "Results");
        rendition.paragraph("Revenue rose 4% to\n$12 e\u{fb03}cient mil\u{ad}lion.");
        rendition.page(2);
        rendition.row(&["Portmere".into(), "7,105".into()]);
        let converted = rendition.finish().unwrap();
        assert!(converted
            .text
            .starts_with("<!-- refnotes: text of corpus/report.pdf, extracted"));
        assert!(converted
            .text
            .contains("\n<!-- title: Annual report -->\n<!-- date: 2025-03-14 -->\n\n<!-- page 1 -->\n\n# Results\n\nRevenue rose 4% to $12 efficient million.\n\n<!-- page 2 -->\n\n| Portmere | 7,105 |\n"),
            "{}", converted.text);
        let origin = origin_of(Format::Pdf, &converted.text, None);
        let revenue = converted.text.find("Revenue").unwrap();
        let row = converted.text.find("Portmere").unwrap();
        assert_eq!(origin.page_at(0), None);
        assert_eq!(origin.page_at(revenue), Some(1));
        assert_eq!(origin.page_at(row), Some(2));
        assert_eq!(origin.url_fragment(row).as_deref(), Some("#page=2"));
        assert_eq!(origin.label_at(row).as_deref(), Some("p. 2"));
        assert_eq!(parse_rendition(&converted.text), Some(converted));
    }

    #[test]
    fn without_metadata_or_headings_the_opening_words_are_the_title() {
        let mut rendition = Rendition::new(Path::new("memo.docx"));
        rendition.paragraph("Budget memo for the harbour board");
        rendition.paragraph("Second paragraph.");
        let converted = rendition.finish().unwrap();
        assert_eq!(
            converted.title.as_deref(),
            Some("Budget memo for the harbour board")
        );
    }

    #[test]
    fn marks_only_is_no_text() {
        let mut rendition = Rendition::new(Path::new("scan.pdf"));
        rendition.page(1);
        rendition.paragraph("  \n ");
        assert_eq!(rendition.finish(), Err(ConvertError::Empty));
    }

    #[test]
    fn paragraphs_that_look_like_markup_are_escaped() {
        assert_eq!(escape_block_start("1. First"), "\\1. First");
        assert_eq!(escape_block_start("```rust"), "\\```rust");
        assert_eq!(escape_block_start("2024 was good"), "2024 was good");
    }

    #[test]
    fn a_converter_that_panics_or_hangs_is_reported_not_fatal() {
        let crashed = isolated_within("test", Duration::from_secs(5), || -> Result<(), _> {
            panic!("converter bug")
        });
        assert_eq!(crashed, Err(ConvertError::Crashed("test")));
        let hung = isolated_within("test", Duration::from_millis(50), || -> Result<(), _> {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        });
        assert_eq!(hung, Err(ConvertError::TimedOut(Duration::from_millis(50))));
    }

    #[test]
    fn the_cache_is_keyed_by_content_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        let html = b"<html><head><title>T</title></head><body><p>Sales rose 4%.</p></body></html>";
        let (first, origin) = convert_cached(Format::Html, &path, html, Some(dir.path())).unwrap();
        let rendition = origin.rendition.clone().unwrap();
        assert!(rendition.starts_with(dir.path().join("converted")));
        assert_eq!(std::fs::read_to_string(&rendition).unwrap(), first.text);
        // A tampered cache entry is what is read back: proof the cache is used.
        let tampered = first.text.replace("Sales rose 4%.", "Sales rose 5%.");
        std::fs::write(&rendition, &tampered).unwrap();
        let (again, _) = convert_cached(Format::Html, &path, html, Some(dir.path())).unwrap();
        assert_eq!(again.text, tampered);
        assert_eq!(again.title, first.title);
        // Other bytes are another entry.
        let other = b"<html><body><p>Sales rose 6%.</p></body></html>";
        let (fresh, origin) = convert_cached(Format::Html, &path, other, Some(dir.path())).unwrap();
        assert!(fresh.text.contains("6%"));
        assert_ne!(origin.rendition.unwrap(), rendition);
    }
}
