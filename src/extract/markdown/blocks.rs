//! Block structure, one line at a time: blank lines, block quote markers,
//! indentation, fences, headings, thematic breaks, list markers, link
//! reference and footnote definitions, table delimiter rows, HTML blocks.

use memchr::{memchr, memchr2_iter};

use super::inline::html_tag_end;
use super::{run_length, Fence, HtmlStart, ListMarker};

pub(super) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace())
}

pub(super) fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

/// Block quote depth of a line and where its content starts.
pub(super) fn quote_markers(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
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
pub(super) fn indentation(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
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

pub(super) fn count_line_breaks(bytes: &[u8]) -> usize {
    memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
        .count()
}

pub(super) fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn fence_opener(rest: &[u8]) -> Option<(u8, usize)> {
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

pub(super) fn is_closing_fence(line: &[u8], fence: Fence) -> bool {
    let (_, start) = indentation(line, 0, line.len());
    let len = run_length(line, start, line.len(), fence.marker);
    len >= fence.len && is_blank(&line[start + len..])
}

/// The content of an ATX heading without its `#`s, trimmed.
pub(super) fn atx_heading(bytes: &[u8], content: usize, line_end: usize) -> Option<(usize, usize)> {
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

pub(super) fn is_setext_underline(rest: &[u8]) -> bool {
    let line = &rest[..trim_end(rest, 0, rest.len())];
    matches!(line.first(), Some(b'=' | b'-')) && line.iter().all(|&b| b == line[0])
}

pub(super) fn is_thematic_break(rest: &[u8]) -> bool {
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
pub(super) fn list_marker(
    bytes: &[u8],
    content: usize,
    line_end: usize,
    strict: bool,
) -> Option<ListMarker> {
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
pub(super) fn is_link_reference_definition(rest: &[u8]) -> bool {
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
pub(super) fn footnote_definition(bytes: &[u8], content: usize, line_end: usize) -> Option<usize> {
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
pub(super) fn is_delimiter_row(line: &[u8]) -> bool {
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
pub(super) fn html_block_start(
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
