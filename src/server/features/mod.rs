//! Editor features as pure functions over the corpus, a note's analysis and a
//! byte offset. Each returns plain data in byte spans; `convert` turns it into
//! protocol types at the edge, so these never see a line, a column or a URI.

pub mod code_actions;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod hover;
pub mod inlay_hints;
pub mod references;
pub mod symbols;

use std::path::Path;

use tower_lsp_server::ls_types::Uri;

use crate::corpus::{Corpus, DocId, Document};
use crate::text::Span;

/// A range in a source document of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceSpan {
    pub doc: DocId,
    pub span: Span,
}

/// The document with this id, if the corpus still has it (an analysis may
/// outlive the corpus it was made from by a moment).
pub fn document(corpus: &Corpus, doc: DocId) -> Option<&Document> {
    corpus.documents().get(doc.index())
}

/// The short name editors show for a source: the file name up to its first
/// `_` ("000" for `000_846349f2e14b5448`), else the whole file name.
pub fn short_id(id: &str) -> &str {
    let name = id.rsplit('/').next().unwrap_or(id);
    match name.split_once('_') {
        Some((head, _)) if !head.is_empty() => head,
        _ => name,
    }
}

/// A Markdown link to a line of a source: `[000:3](file:///…#L3)`, or just
/// the label when the path cannot be made a URL. For a converted source, a
/// link to the page or element of the original (`[report.pdf p. 4](file:///…/report.pdf#page=4)`)
/// and one to the line of its readable text.
pub fn source_link(doc: &Document, span: Span) -> String {
    let line = doc.lines.line_of(span.start()) + 1;
    if let Some(origin) = &doc.origin {
        let label = doc.place_in_original(span.start());
        let fragment = origin.url_fragment(span.start()).unwrap_or_default();
        let original = match file_url(&doc.path) {
            Some(url) => format!("[{label}]({url}{fragment})"),
            None => format!("`{label}`"),
        };
        let text = origin
            .rendition
            .as_deref()
            .and_then(file_url)
            .map(|url| format!(" ([text]({url}#L{line}))"))
            .unwrap_or_default();
        return format!("{original}{text}");
    }
    let label = format!("{}:{line}", doc.id);
    match file_url(&doc.path) {
        Some(url) => format!("[{label}]({url}#L{line})"),
        None => format!("`{label}`"),
    }
}

/// `span`'s text on one line, whitespace collapsed, cut to about `max_chars`.
pub fn excerpt(text: &str, span: Span, max_chars: usize) -> String {
    let mut out = String::new();
    let mut last_space = false;
    for ch in span.slice(text).trim().chars() {
        if out.chars().count() >= max_chars {
            out.push('…');
            break;
        }
        if ch.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(ch);
            last_space = false;
        }
    }
    out
}

/// "1 copy of it says the same", "19 copies of it say the same": how hovers
/// and messages count the copies a source stands for.
pub fn copies_say_the_same(copies: usize) -> String {
    if copies == 1 {
        "1 copy of it says the same".to_string()
    } else {
        format!("{copies} copies of it say the same")
    }
}

/// "one of 20 copies of the same text": what a diagnostic's source says of
/// the group of copies it stands for.
pub fn one_of_copies(group: usize) -> String {
    format!("one of {group} copies of the same text")
}

/// Escapes Markdown punctuation so a source's words show as written.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small corpus and hand-made analyses for the feature tests, so they
    //! exercise real data before and after the engine fills claims in.

    use crate::check::{Claim, ClaimKind, SourceRef, Verdict};
    use crate::corpus::{Corpus, CorpusOptions, DocId, SourceText};
    use crate::extract::{Figure, FigureKind, Qualifier, Quote};
    use crate::text::Span;

    pub const SOURCE_A: &str = "Harbor Lane Foods\n\nHarbor Lane Foods said on Tuesday it will buy Millbrook Dairy for $410 million in cash.\nThe chief executive called it “a natural fit for our brands”.\n";
    pub const SOURCE_B: &str = "---\ntitle: Millbrook deal closes\ndate: 2024-03-01\n---\nThe Millbrook Dairy purchase, worth about $400 million, closed in March.\n";

    pub fn corpus() -> Corpus {
        let sources = vec![
            SourceText {
                id: "001_harbor".into(),
                path: "/corpus/001_harbor.txt".into(),
                title: "Harbor Lane Foods".into(),
                text: SOURCE_A.into(),
                ..SourceText::default()
            },
            SourceText {
                id: "002_close".into(),
                path: "/corpus/002_close.md".into(),
                title: "Millbrook deal closes".into(),
                date: Some("2024-03-01".into()),
                text: SOURCE_B.into(),
                markdown: true,
                ..SourceText::default()
            },
        ];
        Corpus::from_sources(sources, CorpusOptions::default())
    }

    /// The span of the `nth` occurrence of `needle` in `text`.
    pub fn find(text: &str, needle: &str) -> Span {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"));
        Span::new(start, start + needle.len())
    }

    pub fn sentence(text: &str, inside: &str) -> Span {
        let at = find(text, inside);
        let start = text[..at.start()].rfind(['\n', '.']).map_or(0, |i| i + 1);
        let end = text[at.end()..]
            .find('\n')
            .map_or(text.len(), |i| at.end() + i);
        Span::new(start, end)
    }

    pub fn money(span: Span, value: f64) -> Figure {
        Figure {
            span,
            kind: FigureKind::Money,
            value,
            low: Some(value),
            high: Some(value),
            step: 1e7,
            unit: "USD".into(),
            qualifier: Qualifier::Exact,
            date: None,
            per: None,
            equivalent: None,
        }
    }

    pub fn figure_claim(note: &str, words: &str, value: f64, sources: Vec<SourceRef>) -> Claim {
        let span = find(note, words);
        Claim {
            span,
            kind: ClaimKind::Figure {
                figure: money(span, value),
                reading: String::new(),
            },
            sources: sources.into(),
        }
    }

    pub fn source_ref(doc: u32, words: &str, verdict: Verdict) -> SourceRef {
        let text = if doc == 0 { SOURCE_A } else { SOURCE_B };
        SourceRef {
            doc: DocId(doc),
            span: find(text, words),
            sentence: sentence(text, words),
            verdict,
        }
    }

    pub fn quote_claim(note: &str, quoted: &str, sources: Vec<SourceRef>) -> Claim {
        let span = find(note, quoted);
        Claim {
            span,
            kind: ClaimKind::Quote {
                quote: Quote {
                    span,
                    inner: Span::new(span.start() + 3, span.end() - 3),
                    word_count: 5,
                },
            },
            sources: sources.into(),
        }
    }

    pub fn citation_claim(note: &str, key: &str, doc: Option<u32>) -> Claim {
        let needle = format!("@{key}");
        let start = note
            .match_indices(&needle)
            .map(|(at, _)| at + 1)
            .find(|at| {
                let next = note[at + key.len()..].chars().next();
                !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
            .unwrap_or_else(|| panic!("@{key} not in note"));
        Claim {
            span: Span::new(start, start + key.len()),
            kind: ClaimKind::Citation {
                key: key.to_string(),
                doc: doc.map(DocId),
            },
            sources: Vec::new().into(),
        }
    }
}

/// A `file://` URL for a path, for links in Markdown. (Here rather than in
/// `convert`, which depends on the features, so the two form no cycle.)
pub fn file_url(path: &Path) -> Option<String> {
    path.is_absolute()
        .then(|| Uri::from_file_path(path))
        .flatten()
        .map(|uri| uri.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_keep_the_leading_number() {
        let cases = [
            ("000_846349f2e14b5448", "000"),
            ("press/001_abc", "001"),
            ("plain", "plain"),
            ("_odd", "_odd"),
            ("", ""),
        ];
        for (id, short) in cases {
            assert_eq!(short_id(id), short, "{id}");
        }
    }

    #[test]
    fn excerpts_collapse_whitespace_and_cut_on_characters() {
        let text = "  “Quoted\n  words” — £5 and 中文 more  ";
        let all = Span::new(0, text.len());
        assert_eq!(excerpt(text, all, 100), "“Quoted words” — £5 and 中文 more");
        assert_eq!(excerpt(text, all, 6), "“Quote…");
        assert_eq!(excerpt(text, Span::new(0, 999), 5), "");
    }

    #[test]
    fn file_urls_are_absolute_and_escaped() {
        assert_eq!(
            file_url(Path::new("/corpus/a b.txt")).as_deref(),
            Some("file:///corpus/a%20b.txt")
        );
        assert_eq!(file_url(Path::new("relative.txt")), None);
    }
}
