//! Which parts of a Markdown note or source are prose: a line-oriented,
//! single-pass reader of CommonMark-ish Markdown.
//!
//! It runs on every keystroke in the editor and over whole corpora, so it
//! never backtracks: each line is classified by looking at its first bytes,
//! and each block's inline markup (code spans, links, HTML) is found in one
//! left-to-right scan of that block. It is not a full CommonMark parser: it
//! knows what it must to tell prose from code, markup and URLs.

use memchr::{memchr, memchr2, memchr2_iter, memmem};

use crate::text::Span;

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

/// The front matter, the offset where the body starts and its line number.
fn read_front_matter(text: &str) -> Option<(FrontMatter, usize, usize)> {
    let bytes = text.as_bytes();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let opening = line_at(bytes, start);
    if text[opening.start..opening.end].trim_end() != "---" || opening.next == opening.end {
        return None;
    }
    let mut front = FrontMatter {
        refnotes_enabled: true,
        ..FrontMatter::default()
    };
    let mut line = line_at(bytes, opening.next);
    // Like Pandoc: a `---` followed by a blank line is a rule, not front matter.
    if text[line.start..line.end].trim().is_empty() {
        return None;
    }
    let mut index = 1;
    loop {
        let content = &text[line.start..line.end];
        if matches!(content.trim_end(), "---" | "...") {
            front.span = Span::new(0, line.end);
            return Some((front, line.next, index + 1));
        }
        read_front_matter_line(content, &mut front);
        if line.next >= bytes.len() {
            return None;
        }
        line = line_at(bytes, line.next);
        index += 1;
    }
}

fn read_front_matter_line(line: &str, front: &mut FrontMatter) {
    if line.starts_with([' ', '\t', '#', '-']) {
        return;
    }
    let Some((key, value)) = line.split_once(':') else {
        return;
    };
    let value = yaml_scalar(value);
    let non_empty = || (!value.is_empty()).then(|| value.clone());
    match key.trim() {
        "title" => front.title = non_empty(),
        "subject" => front.subject = non_empty(),
        "date" => front.date = non_empty(),
        "url" => front.url = non_empty(),
        "refnotes" => {
            if matches!(value.to_ascii_lowercase().as_str(), "false" | "no" | "off") {
                front.refnotes_enabled = false;
            }
        }
        _ => {}
    }
}

/// A YAML scalar on one line: double-quoted (with `\` escapes), single-quoted
/// (with `''`), or bare (up to a ` #` comment).
fn yaml_scalar(raw: &str) -> String {
    let value = raw.trim();
    if let Some(inner) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => break,
                },
                _ => out.push(c),
            }
        }
        out
    } else if let Some(inner) = value.strip_prefix('\'') {
        let mut out = String::new();
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    out.push('\'');
                    continue;
                }
                break;
            }
            out.push(c);
        }
        out
    } else {
        let bare = value.find(" #").map_or(value, |n| &value[..n]);
        bare.trim().to_string()
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

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace())
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

fn run_length(bytes: &[u8], start: usize, end: usize, byte: u8) -> usize {
    bytes[start..end].iter().take_while(|&&b| b == byte).count()
}

/// Block quote depth of a line and where its content starts.
fn quote_markers(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut depth = 0;
    let mut pos = start;
    loop {
        let mut p = pos;
        while p < end && p - pos < 3 && bytes[p] == b' ' {
            p += 1;
        }
        if p < end && bytes[p] == b'>' {
            depth += 1;
            pos = p + 1;
            if pos < end && matches!(bytes[pos], b' ' | b'\t') {
                pos += 1;
            }
        } else {
            return (depth, pos);
        }
    }
}

/// Indentation in columns (tabs to the next multiple of 4) and the offset of
/// the first non-blank byte.
fn indentation(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut columns = 0;
    let mut pos = start;
    while pos < end {
        match bytes[pos] {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => break,
        }
        pos += 1;
    }
    (columns, pos)
}

fn count_line_breaks(bytes: &[u8]) -> usize {
    memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
        .count()
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn fence_opener(rest: &[u8]) -> Option<(u8, usize)> {
    let marker = *rest.first()?;
    if marker != b'`' && marker != b'~' {
        return None;
    }
    let len = run_length(rest, 0, rest.len(), marker);
    if len < 3 || (marker == b'`' && memchr(b'`', &rest[len..]).is_some()) {
        return None;
    }
    Some((marker, len))
}

fn is_closing_fence(line: &[u8], fence: Fence) -> bool {
    let (_, start) = indentation(line, 0, line.len());
    let len = run_length(line, start, line.len(), fence.marker);
    len >= fence.len && is_blank(&line[start + len..])
}

/// The content of an ATX heading without its `#`s, trimmed.
fn atx_heading(bytes: &[u8], content: usize, line_end: usize) -> Option<(usize, usize)> {
    let level = run_length(bytes, content, line_end, b'#');
    if level == 0 || level > 6 {
        return None;
    }
    let after = content + level;
    if after < line_end && !matches!(bytes[after], b' ' | b'\t') {
        return None;
    }
    let start = indentation(bytes, after, line_end).1;
    let mut end = trim_end(bytes, start, line_end);
    let mut closing = end;
    while closing > start && bytes[closing - 1] == b'#' {
        closing -= 1;
    }
    if closing == start {
        end = start;
    } else if closing < end && matches!(bytes[closing - 1], b' ' | b'\t') {
        end = trim_end(bytes, start, closing);
    }
    Some((start, end))
}

fn is_setext_underline(rest: &[u8]) -> bool {
    let line = &rest[..trim_end(rest, 0, rest.len())];
    matches!(line.first(), Some(b'=' | b'-')) && line.iter().all(|&b| b == line[0])
}

fn is_thematic_break(rest: &[u8]) -> bool {
    let Some(&marker) = rest.first() else {
        return false;
    };
    if !matches!(marker, b'-' | b'*' | b'_') {
        return false;
    }
    let mut count = 0;
    for &b in rest {
        match b {
            b' ' | b'\t' => {}
            _ if b == marker => count += 1,
            _ => return false,
        }
    }
    count >= 3
}

/// A list item marker at `content`. When `strict` (it would interrupt a
/// paragraph), only a non-empty bullet or an ordered item numbered 1 counts.
fn list_marker(bytes: &[u8], content: usize, line_end: usize, strict: bool) -> Option<ListMarker> {
    let first = *bytes.get(content)?;
    let (marker_len, ordered_one) = if matches!(first, b'-' | b'*' | b'+') {
        (1, true)
    } else {
        let digits = bytes[content..line_end]
            .iter()
            .take(10)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 9 {
            return None;
        }
        match bytes.get(content + digits) {
            Some(b'.' | b')') if content + digits < line_end => {}
            _ => return None,
        }
        (digits + 1, &bytes[content..content + digits] == b"1")
    };
    let after = content + marker_len;
    if after < line_end && !matches!(bytes[after], b' ' | b'\t') {
        return None;
    }
    let (spaces, mut text_start) = indentation(bytes, after, line_end);
    let empty = text_start >= line_end;
    if strict && (empty || !ordered_one) {
        return None;
    }
    let padding = if empty || spaces > 4 { 1 } else { spaces };
    let task = &bytes[text_start..line_end];
    if task.len() >= 3
        && matches!(&task[..3], b"[ ]" | b"[x]" | b"[X]")
        && (task.len() == 3 || matches!(task[3], b' ' | b'\t'))
    {
        text_start = indentation(bytes, text_start + 3, line_end).1;
    }
    Some(ListMarker {
        width: marker_len + padding,
        text_start,
    })
}

/// `[label]: destination`: a link reference definition (not a footnote).
fn is_link_reference_definition(rest: &[u8]) -> bool {
    if rest.first() != Some(&b'[') || rest.get(1) == Some(&b'^') {
        return false;
    }
    let Some(close) = memchr(b']', rest) else {
        return false;
    };
    close > 1
        && memchr(b'[', &rest[1..close]).is_none()
        && rest.get(close + 1) == Some(&b':')
        && rest.get(close + 2).is_none_or(|b| b.is_ascii_whitespace())
}

/// Where the text of a footnote definition `[^label]: text` starts.
fn footnote_definition(bytes: &[u8], content: usize, line_end: usize) -> Option<usize> {
    let rest = &bytes[content..line_end];
    if !rest.starts_with(b"[^") {
        return None;
    }
    let close = memchr(b']', rest)?;
    if close < 3 || rest.get(close + 1) != Some(&b':') {
        return None;
    }
    Some(indentation(bytes, content + close + 2, line_end).1)
}

/// Whether the line is a table's delimiter row: cells of `-` with optional
/// `:` at either end, separated by pipes.
fn is_delimiter_row(line: &[u8]) -> bool {
    let line = &line[..trim_end(line, 0, line.len())];
    if memchr(b'|', line).is_none() || memchr(b'-', line).is_none() {
        return false;
    }
    let cells: Vec<&[u8]> = line.split(|&b| b == b'|').collect();
    let last = cells.len() - 1;
    cells.iter().enumerate().all(|(i, cell)| {
        let start = indentation(cell, 0, cell.len()).1;
        let cell = &cell[start..trim_end(cell, start, cell.len())];
        if cell.is_empty() {
            return i == 0 || i == last;
        }
        let inner = cell.strip_prefix(b":").unwrap_or(cell);
        let inner = inner.strip_suffix(b":").unwrap_or(inner);
        !inner.is_empty() && inner.iter().all(|&b| b == b'-')
    })
}

#[rustfmt::skip]
const BLOCK_TAGS: &[&str] = &[
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
];

/// Whether the line starts an HTML block, and how that block ends.
fn html_block_start(
    bytes: &[u8],
    content: usize,
    line_end: usize,
    in_paragraph: bool,
) -> Option<HtmlStart> {
    let rest = &bytes[content..line_end];
    if rest.first() != Some(&b'<') {
        return None;
    }
    if rest.starts_with(b"<!--") {
        return Some(HtmlStart::Comment);
    }
    if rest.starts_with(b"<?") {
        return Some(HtmlStart::Until("?>"));
    }
    if rest.starts_with(b"<![CDATA[") {
        return Some(HtmlStart::Until("]]>"));
    }
    if rest.starts_with(b"<!") && rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
        return Some(HtmlStart::Until(">"));
    }
    let closing_tag = rest.get(1) == Some(&b'/');
    let name_start = if closing_tag { 2 } else { 1 };
    let name_len = rest[name_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &rest[name_start..name_start + name_len];
    let after_name = rest.get(name_start + name_len);
    let name_ends = after_name.is_none_or(|&b| b == b' ' || b == b'\t' || b == b'>')
        || rest[name_start + name_len..].starts_with(b"/>");
    if !closing_tag && name_ends {
        for (tag, end) in [
            ("script", "</script>"),
            ("pre", "</pre>"),
            ("style", "</style>"),
            ("textarea", "</textarea>"),
        ] {
            if name.eq_ignore_ascii_case(tag.as_bytes()) {
                return Some(HtmlStart::Until(end));
            }
        }
    }
    if name_ends
        && BLOCK_TAGS
            .iter()
            .any(|tag| name.eq_ignore_ascii_case(tag.as_bytes()))
    {
        return Some(HtmlStart::UntilBlank);
    }
    if !in_paragraph {
        if let Some(close) = html_tag_end(bytes, content, line_end) {
            if is_blank(&bytes[close..line_end]) {
                return Some(HtmlStart::UntilBlank);
            }
        }
    }
    None
}

/// The codes of a `refnotes-ignore` comment's inside, if it is one.
fn ignore_codes(inside: &[u8]) -> Option<Vec<String>> {
    let inside = std::str::from_utf8(inside).ok()?.trim_start();
    let rest = inside.strip_prefix("refnotes-ignore")?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    Some(
        rest.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|code| !code.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// The end of a code span opened by `run` backticks at `start`.
fn code_span_end(
    bytes: &[u8],
    start: usize,
    run: usize,
    end: usize,
    unclosable: &mut u64,
) -> Option<usize> {
    let bit = if run < 64 { 1u64 << run } else { 0 };
    if *unclosable & bit != 0 {
        return None;
    }
    let mut at = start + run;
    while let Some(n) = memchr(b'`', &bytes[at..end]) {
        let close = at + n;
        let len = run_length(bytes, close, end, b'`');
        if len == run {
            return Some(close + len);
        }
        at = close + len;
    }
    *unclosable |= bit;
    None
}

/// `<scheme:...>` or `<user@host>`.
fn autolink_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let close = start + 1 + memchr(b'>', &bytes[start + 1..end])?;
    let inside = &bytes[start + 1..close];
    if inside.is_empty() || inside.iter().any(|&b| b <= b' ' || b == b'<') {
        return None;
    }
    let scheme_len = inside
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let uri = inside[0].is_ascii_alphabetic()
        && (2..=32).contains(&scheme_len)
        && inside.get(scheme_len) == Some(&b':');
    let email = memchr(b'@', inside).is_some_and(|at| {
        at > 0 && memchr(b'.', &inside[at..]).is_some() && !inside[..at].contains(&b':')
    });
    (uri || email).then_some(close + 1)
}

/// An inline HTML open or closing tag starting at `start`.
fn html_tag_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let mut i = start + 1;
    if bytes.get(i) == Some(&b'/') {
        i += 1;
    }
    if i >= end || !bytes[i].is_ascii_alphabetic() {
        return None;
    }
    while i < end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i < end && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
        return None;
    }
    let limit = end.min(start + 2048);
    while i < limit {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'<' => return None,
            quote @ (b'"' | b'\'') => i += 1 + memchr(quote, &bytes[i + 1..limit])? + 1,
            _ => i += 1,
        }
    }
    None
}

/// `[^label]`: a footnote reference.
fn footnote_reference_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let close = start + memchr(b']', &bytes[start..end])?;
    let label = &bytes[start + 2..close];
    (!label.is_empty() && !label.iter().any(|b| b.is_ascii_whitespace() || *b == b'['))
        .then_some(close + 1)
}

/// The end of `(destination "title")` starting at the `(` at `open`.
fn inline_link_tail_end(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let skip_space = |mut i: usize| {
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = skip_space(open + 1);
    if i < end && bytes[i] == b'<' {
        let close = i + memchr(b'>', &bytes[i..end])?;
        if memchr2(b'\n', b'<', &bytes[i + 1..close]).is_some() {
            return None;
        }
        i = close + 1;
    } else {
        let mut depth = 0usize;
        while i < end {
            match bytes[i] {
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b if b.is_ascii_whitespace() || b.is_ascii_control() => break,
                _ => {}
            }
            i += 1;
        }
    }
    i = skip_space(i);
    if i < end && matches!(bytes[i], b'"' | b'\'' | b'(') {
        let closer = if bytes[i] == b'(' { b')' } else { bytes[i] };
        i += 1;
        while i < end && bytes[i] != closer {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        if i >= end {
            return None;
        }
        i = skip_space(i + 1);
    }
    (i < end && bytes[i] == b')').then_some(i + 1)
}

/// The end of `[ref]` in a reference link `[text][ref]`.
fn reference_tail_end(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let close = open + memchr(b']', &bytes[open..end])?;
    (memchr(b'[', &bytes[open + 1..close]).is_none() && close - open <= 1000).then_some(close + 1)
}

fn at_url_boundary(bytes: &[u8], at: usize, start: usize) -> bool {
    at == start
        || matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'*' | b'_' | b'~' | b'"' | b'\'' | b'>'
        )
        || bytes[at - 1] >= 0x80
}

/// A bare `http(s)://` or `www.` URL, without trailing punctuation or an
/// unbalanced closing bracket (as GitHub reads them).
fn bare_url_end(bytes: &[u8], start: usize, end: usize, in_brackets: bool) -> Option<usize> {
    let rest = &bytes[start..end];
    let prefix = if rest.starts_with(b"https://") {
        8
    } else if rest.starts_with(b"http://") {
        7
    } else if rest.starts_with(b"www.") {
        4
    } else {
        return None;
    };
    let body_start = start + prefix;
    let mut i = body_start;
    while i < end {
        let b = bytes[i];
        if b.is_ascii_whitespace() || b == b'<' || b >= 0x80 || (in_brackets && b == b']') {
            break;
        }
        i += 1;
    }
    while i > body_start {
        let last = bytes[i - 1];
        if b"?!.,:*_~'\"".contains(&last) {
            i -= 1;
        } else if last == b')' {
            let url = &bytes[start..i];
            let opens = url.iter().filter(|&&b| b == b'(').count();
            let closes = url.iter().filter(|&&b| b == b')').count();
            if closes > opens {
                i -= 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (i > body_start).then_some(i)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// One line per block: its kind and its text with hidden parts in ⟦⟧.
    fn render(text: &str) -> String {
        let prose = parse(text);
        let mut out = String::new();
        for block in &prose.blocks {
            let mut shown = String::new();
            let mut at = block.span.start();
            for hidden in prose
                .hidden
                .iter()
                .filter(|h| block.span.contains_span(**h))
            {
                shown.push_str(&text[at..hidden.start()]);
                shown.push('⟦');
                shown.push_str(hidden.slice(text));
                shown.push('⟧');
                at = hidden.end();
            }
            shown.push_str(&text[at..block.span.end()]);
            out.push_str(&format!(
                "{:?}: {}\n",
                block.kind,
                shown.replace("\r\n", "⏎").replace('\n', "⏎")
            ));
        }
        for directive in &prose.ignores {
            out.push_str(&format!(
                "ignore line {} {:?}\n",
                directive.line, directive.codes
            ));
        }
        out
    }

    fn check(text: &str, expected: Expect) {
        let prose = parse(text);
        for span in prose
            .blocks
            .iter()
            .map(|b| b.span)
            .chain(prose.hidden.iter().copied())
        {
            assert!(text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()));
        }
        for pair in prose.hidden.windows(2) {
            assert!(
                pair[0].end < pair[1].start,
                "hidden spans overlap: {pair:?}"
            );
        }
        expected.assert_eq(&render(text));
    }

    #[test]
    fn front_matter_fields() {
        let text = "---\ntitle: \"Halvard: Q3\"\ndate: 2025-10-28\nurl: 'https://example.com/it''s'\nrefnotes: false # off\n---\nBody.\n";
        let front = front_matter(text).expect("front matter");
        assert_eq!(front.title.as_deref(), Some("Halvard: Q3"));
        assert_eq!(front.date.as_deref(), Some("2025-10-28"));
        assert_eq!(front.url.as_deref(), Some("https://example.com/it's"));
        assert!(!front.refnotes_enabled);
        assert_eq!(
            front.span.slice(text),
            &text[..text.find("---\nBody").unwrap() + 3]
        );
        let prose = parse(text);
        assert_eq!(prose.front_matter, Some(front));
        assert_eq!(prose.blocks.len(), 1);
        assert_eq!(prose.blocks[0].span.slice(text), "Body.");

        let crlf = "---\r\ntitle: Plain title\r\n---\r\nBody.\r\n";
        let front = front_matter(crlf).expect("crlf front matter");
        assert_eq!(front.title.as_deref(), Some("Plain title"));
        assert!(front.refnotes_enabled);
        for not_front in [
            "---\n\nText\n---\n",
            "Text\n---\n",
            "---\ntitle: x\n",
            "---",
        ] {
            assert_eq!(front_matter(not_front), None, "{not_front:?}");
        }
    }

    #[test]
    fn blocks_and_markers() {
        check(
            "# Heading one #\n\
             Para line one\n\
             lazy line two.\n\
             \n\
             - item one\n\
             \x20 continued here\n\
             - [ ] task item\n\
             \x20 1. nested ordered\n\
             > quoted line\n\
             > second quoted\n\
             \n\
             Setext title\n\
             ===\n\
             ***\n\
             ## Closing hashes ##   \n\
             #hashtag is text\n",
            expect![[r#"
                Heading: Heading one
                Paragraph: Para line one⏎lazy line two.
                ListItem: item one⏎  continued here
                ListItem: task item
                ListItem: nested ordered
                BlockQuote: quoted line⏎⟦> ⟧second quoted
                Heading: Setext title
                Heading: Closing hashes
                Paragraph: #hashtag is text
            "#]],
        );
    }

    #[test]
    fn code_and_html_are_not_prose() {
        check(
            "Before.\n\
             ```rust\n\
             let x = \"$300 million\";\n\
             ```\n\
             ~~~~\n\
             ~~~\n\
             still code\n\
             ~~~~\n\
             \n\
             \x20   indented code\n\
             \n\
             <div class=\"note\">\n\
             hidden html\n\
             </div>\n\
             \n\
             [ref]: https://example.com \"Title\"\n\
             After.\n\
             ````\n\
             unclosed fence runs to the end\n",
            expect![[r#"
                Paragraph: Before.
                Paragraph: After.
            "#]],
        );
    }

    #[test]
    fn inline_hidden_spans() {
        check(
            "Use ``code with ` tick`` and `x`, see [the text](https://a.com/x_(y) \"A title\") \
             and ![alt `c`](img.png) <https://auto.link> <b>bold</b> \
             visit https://example.com/path?q=1. or www.example.org), \
             cite [@000] and [@a; @b], note[^1], [ref link][id], \\`escaped`.\n",
            expect![[r#"
                Paragraph: Use ⟦``code with ` tick``⟧ and ⟦`x`⟧, see ⟦[⟧the text⟦](https://a.com/x_(y) "A title")⟧ and ⟦![alt `c`](img.png)⟧ ⟦<https://auto.link>⟧ ⟦<b>⟧bold⟦</b>⟧ visit ⟦https://example.com/path?q=1⟧. or ⟦www.example.org⟧), cite [@000] and [@a; @b], note⟦[^1]⟧, ⟦[⟧ref link⟦][id]⟧, \`escaped`.
            "#]],
        );
    }

    #[test]
    fn multi_line_links_and_quotes() {
        check(
            "> A quote with [a link\n> over lines](http://x.y) ends.\n\
             > - a list in a quote\n",
            expect![[r#"
                BlockQuote: A quote with ⟦[⟧a link⏎⟦> ⟧over lines⟦](http://x.y)⟧ ends.
                ListItem: a list in a quote
            "#]],
        );
    }

    #[test]
    fn tables() {
        check(
            "| Company | Price |\n\
             |:--------|------:|\n\
             | Sinnet  | `2bn` yuan |\n\
             | AWS \\| China | $300m |\n\
             Not a row\n\
             \n\
             a | b\n\
             --|--\n\
             1 | 2\n",
            expect![[r#"
                TableRow: Company ⟦|⟧ Price
                TableRow: Sinnet  ⟦|⟧ ⟦`2bn`⟧ yuan
                TableRow: AWS \| China ⟦|⟧ $300m
                Paragraph: Not a row
                TableRow: a ⟦|⟧ b
                TableRow: 1 ⟦|⟧ 2
            "#]],
        );
    }

    #[test]
    fn ignore_directives() {
        check(
            "Line zero.\n\
             <!-- refnotes-ignore -->\n\
             \n\
             Line three is ignored.\n\
             Line four. <!-- refnotes-ignore figure-mismatch, misquote -->\n\
             <!-- refnotes-ignore-file -->\n\
             `<!-- refnotes-ignore -->` in code\n\
             ```\n\
             <!-- refnotes-ignore -->\n\
             ```\n\
             <!-- refnotes-ignore misquote --> Text after it.\n\
             <!-- refnotes-ignore unknown-source -->\n",
            expect![[r#"
                Paragraph: Line zero.
                Paragraph: Line three is ignored.⏎Line four. ⟦<!-- refnotes-ignore figure-mismatch, misquote -->⟧
                Paragraph: ⟦`<!-- refnotes-ignore -->`⟧ in code
                Paragraph: ⟦<!-- refnotes-ignore misquote -->⟧ Text after it.
                ignore line 3 []
                ignore line 4 ["figure-mismatch", "misquote"]
                ignore line 10 ["misquote"]
                ignore line 12 ["unknown-source"]
            "#]],
        );
    }

    #[test]
    fn crlf_and_unicode() {
        check(
            "---\r\ntitle: T\r\n---\r\n# Café “quoted” — £5\r\n\r\n- item é\r\n  more ’s\r\n<!-- refnotes-ignore -->\r\n\r\nLast 😀 line.",
            expect![[r#"
                Heading: Café “quoted” — £5
                ListItem: item é⏎  more ’s
                Paragraph: Last 😀 line.
                ignore line 9 []
            "#]],
        );
    }

    #[test]
    fn list_context_and_indented_paragraphs() {
        check(
            "1. First item\n\
             2) Second item\n\
             \n\
             \x20  A second paragraph of item two.\n\
             \n\
             \x20      code inside the item\n\
             \n\
             Back to text\n\
             2. a list number cannot interrupt\n\
             - but a bullet can\n\
             * * *\n\
             + plus item\n",
            expect![[r#"
                ListItem: First item
                ListItem: Second item
                Paragraph: A second paragraph of item two.
                Paragraph: Back to text⏎2. a list number cannot interrupt
                ListItem: but a bullet can
                ListItem: plus item
            "#]],
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        let samples = [
            "",
            "\n",
            "\r",
            "#",
            "# ",
            "-",
            "- ",
            "1.",
            ">",
            "> ",
            "```",
            "~~~",
            "<",
            "<!--",
            "<!-- x",
            "[",
            "]",
            "![",
            "[a](",
            "[a](<",
            "[a](\"t",
            "`",
            "``a`",
            "|",
            "|\n|-|",
            "a|b\n-|-\n|",
            "---\n",
            "---\nx",
            "<https://",
            "http://",
            "www.",
            "\\",
            "[^",
            "[^]",
            "<a href=\"x",
            "é<é>é",
            "é|é\n-|-\né|é",
            "> - [ ] ",
            "***",
            "=\n=",
            "a\n===",
            "    ",
            "\t\tcode",
        ];
        for text in samples {
            let prose = parse(text);
            for span in prose
                .blocks
                .iter()
                .map(|b| b.span)
                .chain(prose.hidden.iter().copied())
            {
                assert!(
                    span.end() <= text.len() && span.start() <= span.end(),
                    "{text:?}"
                );
                assert!(text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()));
            }
        }
    }

    /// Random mixes of markup characters through every text extractor.
    #[test]
    fn fuzzed_markup_never_panics() {
        use crate::extract::{citations, quotes, sentences};
        let pieces = [
            "`",
            "``",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "!",
            "@",
            "#",
            "-",
            "*",
            "|",
            ":",
            "\n",
            "\r\n",
            "\r",
            " ",
            "    ",
            "\t",
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "’",
            "…",
            ".",
            "?",
            "é",
            "£",
            "😀",
            "<!--",
            "-->",
            "```",
            "~~~",
            "---",
            "http://",
            "www.",
            "[@a]",
            "[^1]",
            "Inc.",
            "A",
            "b",
            "1.",
            "\\",
            "refnotes-ignore",
            "\u{feff}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20000 {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let mut text = String::new();
            for _ in 0..(next() % 40) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let prose = parse(&text);
            let boundary = |span: Span| {
                span.start() <= span.end()
                    && text.is_char_boundary(span.start())
                    && text.is_char_boundary(span.end())
            };
            assert!(prose.hidden.iter().all(|&h| boundary(h)), "{text:?}");
            for block in &prose.blocks {
                assert!(boundary(block.span), "{text:?}");
                for sentence in sentences::split(&text, block.span) {
                    assert!(
                        boundary(sentence) && block.span.contains_span(sentence),
                        "{text:?}"
                    );
                }
                let body = block.span.slice(&text);
                for quote in quotes::find(body) {
                    assert!(body.is_char_boundary(quote.inner.start()), "{text:?}");
                    assert!(body.is_char_boundary(quote.inner.end()), "{text:?}");
                }
                for citation in citations::find(body) {
                    assert!(body.is_char_boundary(citation.span.end()), "{text:?}");
                }
            }
            for block in sentences::plain_blocks(&text) {
                assert!(boundary(block), "{text:?}");
                let _ = sentences::split(&text, block);
            }
        }
    }

    #[test]
    fn shared_notes_and_sources() {
        let mut paths: Vec<std::path::PathBuf> = vec![
            crate::test_support::shared("eval/dev/aws-china/notes.md"),
            crate::test_support::shared("eval/dev/halvard/notes.md"),
            crate::test_support::shared("eval/dev/halvard/corpus/halvard-q3-release.md"),
        ];
        if let Ok(entries) = std::fs::read_dir(crate::test_support::shared("seeds")) {
            paths.extend(entries.flatten().map(|e| e.path()));
        }
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let prose = parse(&text);
            for block in &prose.blocks {
                assert!(text.is_char_boundary(block.span.start()));
                assert!(text.is_char_boundary(block.span.end()));
            }
            let name = path.to_string_lossy();
            let blocks: Vec<&str> = prose.blocks.iter().map(|b| b.span.slice(&text)).collect();
            if name.ends_with("aws-china/notes.md") {
                assert!(
                    blocks
                        .iter()
                        .any(|b| b.contains("\nThe buyout is also covered in [@007].\n")),
                    "{blocks:#?}"
                );
                assert!(blocks.contains(&"AWS in China: reading notes"));
                assert!(prose.hidden.is_empty(), "{:?}", prose.hidden);
            } else if name.ends_with("halvard-q3-release.md") {
                let front = prose.front_matter.as_ref().expect("front matter");
                assert_eq!(front.date.as_deref(), Some("2025-10-28"));
                assert!(blocks[0].starts_with("Halvard Foods Inc."));
            } else if name.ends_with("halvard/notes.md") {
                assert!(prose.blocks.iter().any(|b| b.kind == BlockKind::ListItem
                    && b.span.slice(&text) == "See [@halvard-q4] for next quarter."));
            }
        }
    }
}
