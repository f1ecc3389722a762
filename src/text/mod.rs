//! Byte ranges and line indexes: the position vocabulary of the whole engine.
//!
//! Everything inside refnotes speaks in byte offsets into an immutable `&str`,
//! as half-open [`Span`]s. Lines and columns exist only at the edges (the CLI's
//! reports, the language server's protocol), and [`LineIndex`] is the one place
//! that converts between the two. Line breaks are `\n`, `\r\n` and `\r`, as in
//! the Language Server Protocol.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into some text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    /// True when `offset` lies inside the span; the end counts too, so a cursor
    /// just after a word still "touches" it, as editors expect.
    pub fn touches(self, offset: usize) -> bool {
        self.start() <= offset && offset <= self.end()
    }

    pub fn contains_span(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The span moved by `delta` bytes (clamped at 0): for results computed on
    /// a slice of a text, or kept while the text around them moved.
    pub fn shifted(self, delta: i64) -> Span {
        let moved = |at: u32| (i64::from(at) + delta).clamp(0, i64::from(u32::MAX)) as u32;
        Span {
            start: moved(self.start),
            end: moved(self.end),
        }
    }

    /// The text this span covers, or "" when it does not fit `text` (never panics).
    pub fn slice(self, text: &str) -> &str {
        text.get(self.range()).unwrap_or("")
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// How a column counts the characters before it on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8 (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP `utf-16`, the protocol default).
    Utf16,
    /// Unicode scalar values (the CLI's JSON and human output).
    Char,
}

/// A zero-based line and column, the column counted in some [`ColumnUnit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Bytes between column checkpoints, for texts with long non-ASCII lines.
const CHECKPOINT_BYTES: usize = 4096;

/// Line starts of one text, for converting byte offsets to lines and columns and back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<u32>,
    len: u32,
    /// When a line of non-ASCII text is longer than [`CHECKPOINT_BYTES`]: the
    /// characters and UTF-16 units before every multiple of that many bytes,
    /// so a column on a 1 MB line costs a few kilobytes of counting, not the
    /// line. Empty otherwise.
    checkpoints: Vec<(u32, u32)>,
}

/// Characters and UTF-16 units of `bytes`, which may start or end inside a
/// character: every byte that starts a character counts once, and one that
/// starts a four-byte character (two UTF-16 units) once more.
fn count_units(bytes: &[u8]) -> (u32, u32) {
    let mut chars = 0u32;
    let mut astral = 0u32;
    for &b in bytes {
        chars += u32::from(b & 0xC0 != 0x80);
        astral += u32::from(b >= 0xF0);
    }
    (chars, chars + astral)
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            line_starts.push(next as u32);
            i = next;
        }
        let longest_line = line_starts
            .windows(2)
            .map(|pair| pair[1] - pair[0])
            .chain(line_starts.last().map(|&last| text.len() as u32 - last))
            .max()
            .unwrap_or(0);
        let checkpoints = if longest_line as usize > CHECKPOINT_BYTES && !text.is_ascii() {
            let mut total = (0u32, 0u32);
            let mut checkpoints = vec![total];
            for chunk in bytes.chunks(CHECKPOINT_BYTES) {
                let (chars, utf16) = count_units(chunk);
                total = (total.0 + chars, total.1 + utf16);
                checkpoints.push(total);
            }
            checkpoints
        } else {
            Vec::new()
        };
        LineIndex {
            line_starts,
            len: text.len() as u32,
            checkpoints,
        }
    }

    /// Characters and UTF-16 units of `text[..offset]` from the checkpoints.
    fn units_before(&self, text: &str, offset: usize) -> (u32, u32) {
        let chunk = offset / CHECKPOINT_BYTES;
        let (chars, utf16) = self.checkpoints[chunk];
        let (more_chars, more_utf16) =
            count_units(&text.as_bytes()[chunk * CHECKPOINT_BYTES..offset]);
        (chars + more_chars, utf16 + more_utf16)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of the start of `line`, or the text's end past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.len as usize, |&s| s as usize)
    }

    /// Byte range of `line` without its line break.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        if line + 1 < self.line_starts.len() {
            while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
                end -= 1;
            }
        }
        Span::new(start, end.max(start))
    }

    /// The zero-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Line and column of a byte offset; an offset inside a character or past the
    /// end is clamped to the nearest boundary before it.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let long = offset - start > CHECKPOINT_BYTES && unit != ColumnUnit::Utf8;
        if long && self.checkpoints.len() * CHECKPOINT_BYTES > text.len() {
            let (start_chars, start_utf16) = self.units_before(text, start);
            let (chars, utf16) = self.units_before(text, offset);
            let col = match unit {
                ColumnUnit::Utf16 => utf16 - start_utf16,
                _ => chars - start_chars,
            };
            return LineCol {
                line: line as u32,
                col,
            };
        }
        let before = &text[start..offset];
        LineCol {
            line: line as u32,
            col: column_width(before, unit) as u32,
        }
    }

    /// Byte offset of a line and column; positions past a line's end clamp to its
    /// end, lines past the text's end clamp to the end, and a column inside a
    /// UTF-16 surrogate pair lands before the character. Never panics.
    pub fn offset(&self, text: &str, at: LineCol, unit: ColumnUnit) -> usize {
        let line = at.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let span = self.line_span(text, line);
        let line_text = span.slice(text);
        if unit == ColumnUnit::Utf8 {
            let mut col = (at.col as usize).min(line_text.len());
            while !line_text.is_char_boundary(col) {
                col -= 1;
            }
            return span.start() + col;
        }
        if line_text.is_ascii() {
            return span.start() + (at.col as usize).min(line_text.len());
        }
        let mut counted = 0usize;
        for (byte, ch) in line_text.char_indices() {
            let width = match unit {
                ColumnUnit::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if counted + width > at.col as usize {
                return span.start() + byte;
            }
            counted += width;
        }
        span.end()
    }
}

/// How wide `s` is in the given column unit.
pub fn column_width(s: &str, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => s.len(),
        _ if s.is_ascii() => s.len(),
        ColumnUnit::Utf16 => s.encode_utf16().count(),
        ColumnUnit::Char => s.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "é “quote” – — £5\r\n中文 😀 x\rlast\n";

    #[test]
    fn line_breaks_are_lf_crlf_and_cr() {
        let index = LineIndex::new(MIXED);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_span(MIXED, 0).slice(MIXED), "é “quote” – — £5");
        assert_eq!(index.line_span(MIXED, 1).slice(MIXED), "中文 😀 x");
        assert_eq!(index.line_span(MIXED, 2).slice(MIXED), "last");
        assert_eq!(index.line_span(MIXED, 3).slice(MIXED), "");
    }

    #[test]
    fn columns_differ_by_unit_on_wide_characters() {
        let index = LineIndex::new(MIXED);
        let x = MIXED.find(" x").unwrap() + 1;
        // "中文 😀 " is 2 CJK (3 bytes each), an emoji (4 bytes, 2 UTF-16 units), 2 spaces.
        assert_eq!(index.line_col(MIXED, x, ColumnUnit::Utf8).col, 12);
        assert_eq!(index.line_col(MIXED, x, ColumnUnit::Utf16).col, 6);
        assert_eq!(index.line_col(MIXED, x, ColumnUnit::Char).col, 5);
        let pound = MIXED.find('£').unwrap();
        // "é “quote” – — " : é(2) sp “(3) quote ”(3) sp –(3) sp —(3) sp
        assert_eq!(index.line_col(MIXED, pound, ColumnUnit::Utf8).col, 23);
        assert_eq!(index.line_col(MIXED, pound, ColumnUnit::Utf16).col, 14);
    }

    #[test]
    fn offsets_round_trip_in_every_unit() {
        let index = LineIndex::new(MIXED);
        for (offset, _) in MIXED.char_indices() {
            for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
                let at = index.line_col(MIXED, offset, unit);
                let back = index.offset(MIXED, at, unit);
                let is_break = matches!(MIXED.as_bytes()[offset], b'\r' | b'\n');
                if !is_break {
                    assert_eq!(back, offset, "{unit:?} at {offset}");
                }
            }
        }
    }

    #[test]
    fn columns_on_long_non_ascii_lines_match_counting() {
        let line = "é “quote” – — £5 中文 😀 x ".repeat(2_000);
        let text = format!("first\n{line}\r\n{line}\nlast");
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        for offset in (0..text.len()).step_by(997).chain([text.len()]) {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let line = index.line_of(offset);
            let before = &text[index.line_start(line)..offset];
            for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
                let at = index.line_col(&text, offset, unit);
                assert_eq!(at.line as usize, line);
                assert_eq!(
                    at.col as usize,
                    column_width(before, unit),
                    "{unit:?} at {offset}"
                );
                assert_eq!(
                    index.offset(&text, at, unit),
                    offset,
                    "{unit:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let index = LineIndex::new(MIXED);
        let end_of_first = index.line_span(MIXED, 0).end();
        let far = LineCol { line: 0, col: 999 };
        assert_eq!(index.offset(MIXED, far, ColumnUnit::Utf16), end_of_first);
        let past = LineCol { line: 99, col: 0 };
        assert_eq!(index.offset(MIXED, past, ColumnUnit::Utf8), MIXED.len());
        // Inside the emoji's surrogate pair: before the emoji.
        let emoji = MIXED.find('😀').unwrap();
        let mid = LineCol { line: 1, col: 4 };
        assert_eq!(index.offset(MIXED, mid, ColumnUnit::Utf16), emoji);
        // Inside a multi-byte character in UTF-8: before it.
        let inside = LineCol { line: 1, col: 1 };
        assert_eq!(
            index.offset(MIXED, inside, ColumnUnit::Utf8),
            index.line_start(1)
        );
        assert_eq!(index.line_col(MIXED, 10_000, ColumnUnit::Char).line, 3);
    }

    #[test]
    fn spans_shift_both_ways_and_clamp_at_zero() {
        let span = Span::new(10, 14);
        assert_eq!(span.shifted(5), Span::new(15, 19));
        assert_eq!(span.shifted(-10), Span::new(0, 4));
        assert_eq!(span.shifted(-12), Span::new(0, 2));
    }

    #[test]
    fn empty_text_has_one_line() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(
            index.line_col("", 5, ColumnUnit::Utf16),
            LineCol { line: 0, col: 0 }
        );
    }
}
