//! Which parts of a Markdown note or source are prose: a line-oriented,
//! single-pass reader of CommonMark-ish Markdown.
//!
//! It runs on every keystroke in the editor and over whole corpora, so it
//! never backtracks: each line is classified by looking at its first bytes,
//! and each block's inline markup (code spans, links, HTML) is found in one
//! left-to-right scan of that block. It is not a full CommonMark parser: it
//! knows what it must to tell prose from code, markup and URLs.
//!
//! The parser that walks the lines and keeps the open blocks is here;
//! `front_matter` reads the front matter, `blocks` classifies a line's
//! block structure and `inline` finds the inline markup in a block.

mod blocks;
mod front_matter;
mod inline;
#[cfg(test)]
mod tests;

use memchr::{memchr, memchr2, memmem};

use crate::text::Span;
use blocks::{
    atx_heading, contains_ignore_case, count_line_breaks, fence_opener, footnote_definition,
    html_block_start, indentation, is_blank, is_closing_fence, is_delimiter_row,
    is_link_reference_definition, is_setext_underline, is_thematic_break, list_marker,
    quote_markers, trim_end,
};
use front_matter::read_front_matter;
use inline::{
    at_url_boundary, autolink_end, bare_url_end, code_span_end, footnote_reference_end,
    html_tag_end, ignore_codes, inline_link_tail_end, reference_tail_end,
};

/// Front matter between `---` lines at the very start of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The whole front matter, fences included.
    pub span: Span,
    pub title: Option<String>,
    /// Who or what the note is about (`subject: Halvard Foods`), for figures
    /// whose sentence, list and headings name nobody.
    pub subject: Option<String>,
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

/// The front matter at the start of `text`: `---`, YAML-ish `key: value`
/// lines, then `---` or `...`. Reads `title`, `date`, `url` and `refnotes`.
pub fn front_matter(text: &str) -> Option<FrontMatter> {
    read_front_matter(text).map(|(front, _, _)| front)
}

/// Where the blocks, hidden spans and ignore directives of `text` are.
pub fn parse(text: &str) -> Prose {
    let (front, body_start, body_line) = match read_front_matter(text) {
        Some((front, start, line)) => (Some(front), start, line),
        None => (None, 0, 0),
    };
    let mut parser = Parser::new(text, body_line);
    parser.run(body_start);
    let mut prose = parser.finish();
    prose.front_matter = front;
    prose
}

/// One line: its content (without the break) and where the next one starts.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn line_at(bytes: &[u8], start: usize) -> Line {
    match memchr2(b'\n', b'\r', &bytes[start..]) {
        Some(n) => {
            let end = start + n;
            let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                end + 2
            } else {
                end + 1
            };
            Line { start, end, next }
        }
        None => Line {
            start,
            end: bytes.len(),
            next: bytes.len(),
        },
    }
}

/// A block whose last line may still be followed by continuation lines.
#[derive(Debug)]
struct OpenBlock {
    kind: BlockKind,
    start: usize,
    end: usize,
    line: usize,
    quote_depth: usize,
    /// Quote markers of continuation lines, inside the span.
    markers: Vec<Span>,
}

#[derive(Debug, Clone, Copy)]
struct Fence {
    marker: u8,
    len: usize,
    quote_depth: usize,
}

#[derive(Debug, Clone, Copy)]
enum HtmlEnd {
    BlankLine,
    /// A line containing this (ASCII, matched without case).
    Text(&'static str),
}

enum HtmlStart {
    Comment,
    Until(&'static str),
    UntilBlank,
}

struct ListMarker {
    /// Columns from the marker's start to the item's content.
    width: usize,
    text_start: usize,
}

struct Parser<'a> {
    bytes: &'a [u8],
    blocks: Vec<Block>,
    hidden: Vec<Span>,
    ignores: Vec<IgnoreDirective>,
    /// Directives on lines of their own, waiting for the next non-blank line.
    pending: Vec<IgnoreDirective>,
    open: Option<OpenBlock>,
    fence: Option<Fence>,
    html_end: Option<HtmlEnd>,
    in_table: bool,
    /// Content columns of the open list items, innermost last.
    list_indents: Vec<usize>,
    quote_depth: usize,
    line_no: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        Parser {
            bytes: text.as_bytes(),
            blocks: Vec::new(),
            hidden: Vec::new(),
            ignores: Vec::new(),
            pending: Vec::new(),
            open: None,
            fence: None,
            html_end: None,
            in_table: false,
            list_indents: Vec::new(),
            quote_depth: 0,
            line_no: first_line,
        }
    }

    fn run(&mut self, start: usize) {
        let mut pos = start;
        let mut skip_next = false;
        while pos < self.bytes.len() {
            let line = line_at(self.bytes, pos);
            if skip_next {
                skip_next = false;
            } else {
                skip_next = self.line(line);
            }
            pos = line.next;
            self.line_no += 1;
        }
    }

    fn finish(mut self) -> Prose {
        self.close();
        let end_line = self.line_no;
        for mut directive in self.pending.drain(..) {
            directive.line = end_line;
            self.ignores.push(directive);
        }
        self.ignores.sort_by_key(|d| d.span);
        Prose {
            front_matter: None,
            blocks: self.blocks,
            hidden: self.hidden,
            ignores: self.ignores,
        }
    }

    /// Reads one line; returns true when the next line is to be skipped (a
    /// table's delimiter row).
    fn line(&mut self, line: Line) -> bool {
        let bytes = self.bytes;
        let (depth, after_quotes) = quote_markers(bytes, line.start, line.end);
        let blank = bytes[after_quotes..line.end]
            .iter()
            .all(|&b| b == b' ' || b == b'\t');

        if let Some(fence) = self.fence {
            if depth >= fence.quote_depth {
                if !blank {
                    self.assign_pending();
                }
                if depth == fence.quote_depth
                    && is_closing_fence(&bytes[after_quotes..line.end], fence)
                {
                    self.fence = None;
                }
                return false;
            }
            self.fence = None;
        }
        match self.html_end {
            Some(HtmlEnd::BlankLine) if !blank => return false,
            Some(HtmlEnd::BlankLine) => self.html_end = None,
            Some(HtmlEnd::Text(needle)) => {
                if contains_ignore_case(&bytes[line.start..line.end], needle.as_bytes()) {
                    self.html_end = None;
                }
                return false;
            }
            None => {}
        }
        if blank {
            self.close();
            self.in_table = false;
            if depth != self.quote_depth {
                self.list_indents.clear();
                self.quote_depth = depth;
            }
            return false;
        }
        self.assign_pending();

        let continuable = !self.in_table
            && self.open.as_ref().is_some_and(|open| {
                matches!(
                    open.kind,
                    BlockKind::Paragraph | BlockKind::ListItem | BlockKind::BlockQuote
                )
            });
        let mut continuable = continuable;
        if depth > self.quote_depth || (depth < self.quote_depth && !continuable) {
            self.close();
            self.enter_depth(depth);
            continuable = false;
        }

        let (indent, content) = indentation(bytes, after_quotes, line.end);
        if self.in_table {
            if memchr(b'|', &bytes[content..line.end]).is_some() {
                self.table_row(content, line.end);
                return false;
            }
            self.in_table = false;
        }

        let base = self
            .list_indents
            .iter()
            .rev()
            .find(|&&col| col <= indent)
            .copied()
            .unwrap_or(0);
        if indent - base >= 4 {
            if continuable {
                self.continue_block(line, depth, after_quotes);
            } else {
                // An indented code line.
                self.start_new(depth);
            }
            return false;
        }
        let rest = &bytes[content..line.end];

        if let Some((marker, len)) = fence_opener(rest) {
            self.start_new(depth);
            self.fence = Some(Fence {
                marker,
                len,
                quote_depth: depth,
            });
            return false;
        }
        if let Some((start, end)) = atx_heading(bytes, content, line.end) {
            self.start_new(depth);
            self.pop_lists(indent);
            self.open_block(BlockKind::Heading, start, end, depth);
            self.close();
            return false;
        }
        if let Some(open) = self.open.as_mut() {
            let paragraph_like = matches!(open.kind, BlockKind::Paragraph | BlockKind::BlockQuote);
            if paragraph_like && open.quote_depth == depth && is_setext_underline(rest) {
                open.kind = BlockKind::Heading;
                self.close();
                return false;
            }
        }
        if is_thematic_break(rest) {
            self.start_new(depth);
            return false;
        }
        if let Some(kind) = html_block_start(bytes, content, line.end, continuable) {
            if self.html_block(kind, content, line, depth) {
                return false;
            }
        }
        if memchr(b'|', rest).is_some() && line.next < bytes.len() {
            let next = line_at(bytes, line.next);
            let (_, next_content) = quote_markers(bytes, next.start, next.end);
            if is_delimiter_row(&bytes[next_content..next.end]) {
                self.start_new(depth);
                self.pop_lists(indent);
                self.table_row(content, line.end);
                self.in_table = true;
                return true;
            }
        }
        let strict = continuable && self.list_indents.is_empty();
        if let Some(marker) = list_marker(bytes, content, line.end, strict) {
            self.start_new(depth);
            self.pop_lists(indent);
            self.list_indents.push(indent + marker.width);
            let end = trim_end(bytes, marker.text_start, line.end);
            self.open_block(BlockKind::ListItem, marker.text_start, end, depth);
            return false;
        }
        if !continuable && is_link_reference_definition(rest) {
            self.start_new(depth);
            return false;
        }
        if let Some(text_start) = footnote_definition(bytes, content, line.end) {
            self.start_new(depth);
            let end = trim_end(bytes, text_start, line.end);
            self.open_block(BlockKind::Paragraph, text_start, end, depth);
            return false;
        }
        if continuable {
            self.continue_block(line, depth, after_quotes);
            return false;
        }
        self.start_new(depth);
        self.pop_lists(indent);
        let kind = if depth > 0 {
            BlockKind::BlockQuote
        } else {
            BlockKind::Paragraph
        };
        let end = trim_end(bytes, content, line.end);
        self.open_block(kind, content, end, depth);
        false
    }

    /// Starts an HTML block (or, for a comment followed by text on its line,
    /// declines so the line is read as prose). Returns whether it did.
    fn html_block(&mut self, kind: HtmlStart, content: usize, line: Line, depth: usize) -> bool {
        let bytes = self.bytes;
        match kind {
            HtmlStart::Comment => {
                let close =
                    memmem::find(&bytes[content + 4..], b"-->").map(|n| content + 4 + n + 3);
                if let Some(close) = close {
                    if close <= line.end && !is_blank(&bytes[close..line.end]) {
                        return false;
                    }
                }
                self.start_new(depth);
                match close {
                    Some(close) => {
                        if let Some(codes) = ignore_codes(&bytes[content + 4..close - 3]) {
                            self.pending.push(IgnoreDirective {
                                span: Span::new(content, close),
                                line: self.line_no + 1,
                                codes,
                            });
                        }
                        if close > line.end {
                            self.html_end = Some(HtmlEnd::Text("-->"));
                        }
                    }
                    None => self.html_end = Some(HtmlEnd::Text("-->")),
                }
            }
            HtmlStart::Until(needle) => {
                self.start_new(depth);
                if !contains_ignore_case(&bytes[content + 1..line.end], needle.as_bytes()) {
                    self.html_end = Some(HtmlEnd::Text(needle));
                }
            }
            HtmlStart::UntilBlank => {
                self.start_new(depth);
                self.html_end = Some(HtmlEnd::BlankLine);
            }
        }
        true
    }

    fn enter_depth(&mut self, depth: usize) {
        if depth != self.quote_depth {
            self.list_indents.clear();
            self.quote_depth = depth;
        }
    }

    fn start_new(&mut self, depth: usize) {
        self.close();
        self.enter_depth(depth);
    }

    fn pop_lists(&mut self, indent: usize) {
        while self.list_indents.last().is_some_and(|&col| col > indent) {
            self.list_indents.pop();
        }
    }

    fn assign_pending(&mut self) {
        let line = self.line_no;
        for mut directive in self.pending.drain(..) {
            directive.line = line;
            self.ignores.push(directive);
        }
    }

    fn open_block(&mut self, kind: BlockKind, start: usize, end: usize, depth: usize) {
        self.open = Some(OpenBlock {
            kind,
            start,
            end,
            line: self.line_no,
            quote_depth: depth,
            markers: Vec::new(),
        });
    }

    fn continue_block(&mut self, line: Line, depth: usize, after_quotes: usize) {
        let end = trim_end(self.bytes, line.start, line.end);
        if let Some(open) = self.open.as_mut() {
            if depth > 0 {
                open.markers.push(Span::new(line.start, after_quotes));
            }
            open.end = end;
        }
    }

    fn close(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        if open.start >= open.end {
            return;
        }
        self.blocks.push(Block {
            span: Span::new(open.start, open.end),
            kind: open.kind,
        });
        let first = self.hidden.len();
        self.hidden.extend(open.markers);
        self.scan_inline(open.start, open.end, open.line, false);
        normalize(&mut self.hidden, first);
    }

    fn table_row(&mut self, content: usize, line_end: usize) {
        let bytes = self.bytes;
        let mut start = content;
        let mut end = trim_end(bytes, content, line_end);
        if start < end && bytes[start] == b'|' {
            start = indentation(bytes, start + 1, end).1;
        }
        if end > start && bytes[end - 1] == b'|' && (end < start + 2 || bytes[end - 2] != b'\\') {
            end = trim_end(bytes, start, end - 1);
        }
        if start >= end {
            return;
        }
        self.blocks.push(Block {
            span: Span::new(start, end),
            kind: BlockKind::TableRow,
        });
        let first = self.hidden.len();
        self.scan_inline(start, end, self.line_no, true);
        normalize(&mut self.hidden, first);
    }

    /// Finds the inline spans of `[start, end)` that are not prose.
    fn scan_inline(&mut self, start: usize, end: usize, first_line: usize, hide_pipes: bool) {
        let b = self.bytes;
        let mut brackets: Vec<(usize, bool)> = Vec::new();
        // Bit n: no run of exactly n backticks remains, so a later opener of
        // that length cannot close either (keeps the scan linear).
        let mut unclosable_ticks: u64 = 0;
        let mut i = start;
        while i < end {
            match b[i] {
                b'\\' => {
                    i += if i + 1 < end && b[i + 1].is_ascii_punctuation() {
                        2
                    } else {
                        1
                    };
                }
                b'`' => {
                    let run = run_length(b, i, end, b'`');
                    match code_span_end(b, i, run, end, &mut unclosable_ticks) {
                        Some(close) => {
                            self.hidden.push(Span::new(i, close));
                            i = close;
                        }
                        None => i += run,
                    }
                }
                b'<' => {
                    if b[i..end].starts_with(b"<!--") {
                        if let Some(n) = memmem::find(&b[i + 4..end], b"-->") {
                            let close = i + 4 + n + 3;
                            self.hidden.push(Span::new(i, close));
                            if let Some(codes) = ignore_codes(&b[i + 4..close - 3]) {
                                self.ignores.push(IgnoreDirective {
                                    span: Span::new(i, close),
                                    line: first_line + count_line_breaks(&b[start..i]),
                                    codes,
                                });
                            }
                            i = close;
                            continue;
                        }
                    }
                    match autolink_end(b, i, end).or_else(|| html_tag_end(b, i, end)) {
                        Some(close) => {
                            self.hidden.push(Span::new(i, close));
                            i = close;
                        }
                        None => i += 1,
                    }
                }
                b'[' => {
                    if b.get(i + 1) == Some(&b'^') {
                        if let Some(close) = footnote_reference_end(b, i, end) {
                            self.hidden.push(Span::new(i, close));
                            i = close;
                            continue;
                        }
                    }
                    let image = i > start && b[i - 1] == b'!';
                    brackets.push((i, image));
                    i += 1;
                }
                b']' => {
                    let Some((open, image)) = brackets.pop() else {
                        i += 1;
                        continue;
                    };
                    let tail = match b.get(i + 1) {
                        Some(b'(') if i + 1 < end => inline_link_tail_end(b, i + 1, end),
                        Some(b'[') if i + 1 < end && memchr(b'@', &b[open..i]).is_none() => {
                            reference_tail_end(b, i + 1, end)
                        }
                        _ => None,
                    };
                    match tail {
                        Some(close) if image => {
                            self.hidden.push(Span::new(open - 1, close));
                            i = close;
                        }
                        Some(close) => {
                            self.hidden.push(Span::new(open, open + 1));
                            self.hidden.push(Span::new(i, close));
                            // Links do not nest: earlier brackets are plain text now.
                            brackets.clear();
                            i = close;
                        }
                        None => i += 1,
                    }
                }
                b'h' | b'w' if at_url_boundary(b, i, start) => {
                    match bare_url_end(b, i, end, !brackets.is_empty()) {
                        Some(close) => {
                            self.hidden.push(Span::new(i, close));
                            i = close;
                        }
                        None => i += 1,
                    }
                }
                b'|' if hide_pipes => {
                    self.hidden.push(Span::new(i, i + 1));
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }
}

/// How many times `byte` repeats from `start` (fences, headings, backticks).
fn run_length(bytes: &[u8], start: usize, end: usize, byte: u8) -> usize {
    bytes[start..end].iter().take_while(|&&b| b == byte).count()
}

/// Sorts and merges `spans[first..]` in place.
fn normalize(spans: &mut Vec<Span>, first: usize) {
    spans[first..].sort_unstable();
    let mut write = first;
    for read in first..spans.len() {
        let span = spans[read];
        if write > first && spans[write - 1].end >= span.start {
            let last = &mut spans[write - 1];
            last.end = last.end.max(span.end);
        } else {
            spans[write] = span;
            write += 1;
        }
    }
    spans.truncate(write);
}
