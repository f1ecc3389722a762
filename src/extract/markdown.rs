//! Which parts of a Markdown file are prose.
// PLACEHOLDER: replaced by the Markdown reader.

use crate::text::Span;

/// Front matter between `---` lines at the very start of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The whole front matter, fences included.
    pub span: Span,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    /// False when the front matter says `refnotes: false`.
    pub refnotes_enabled: bool,
}

/// The kind of a Markdown block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    BlockQuote,
    TableRow,
}

/// A block of prose: its span covers the text after any block markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub span: Span,
    pub kind: BlockKind,
}

/// A `<!-- refnotes-ignore CODE... -->` comment: silences the codes (all when
/// none are named) on the line after it, or on its own line when it trails text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreDirective {
    pub span: Span,
    /// The zero-based line it applies to.
    pub line: usize,
    pub codes: Vec<String>,
}

/// What of a Markdown text is prose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prose {
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    /// Spans inside blocks that are not prose: inline code, link destinations,
    /// autolinks, HTML comments and tags.
    pub hidden: Vec<Span>,
    pub ignores: Vec<IgnoreDirective>,
}

pub fn front_matter(text: &str) -> Option<FrontMatter> {
    let _ = text;
    None
}

pub fn parse(text: &str) -> Prose {
    Prose {
        blocks: vec![Block {
            span: Span::new(0, text.len()),
            kind: BlockKind::Paragraph,
        }],
        ..Prose::default()
    }
}
