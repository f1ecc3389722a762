//! Open documents: the editor's text in a rope, kept in step with incremental
//! changes, and an immutable snapshot of it for the engine.
//!
//! The rope is what makes a keystroke cheap: a change finds its place through
//! the rope's line index and edits a few nodes, so applying it costs the same
//! at any length of note. The engine reads one contiguous `&str`, so a
//! snapshot is flattened from the rope, but only when something asks for it
//! (an analysis, a request), once per version: a burst of keystrokes that
//! arrives while a check is running is flattened once, not once per keystroke.

use std::sync::Arc;

use ropey::Rope;

use crate::text::{ColumnUnit, LineIndex};

/// One immutable version of a document's text, with its line index.
#[derive(Debug)]
pub struct TextSnapshot {
    pub text: String,
    pub lines: LineIndex,
}

impl TextSnapshot {
    pub fn new(text: String) -> TextSnapshot {
        let lines = LineIndex::new(&text);
        TextSnapshot { text, lines }
    }
}

/// A zero-based position as the protocol sends it, columns in the negotiated unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawPosition {
    pub line: u32,
    pub character: u32,
}

/// One content change: a range to replace, or the whole text when `range` is `None`.
#[derive(Clone, Debug)]
pub struct TextChange {
    pub range: Option<(RawPosition, RawPosition)>,
    pub text: String,
}

/// The text of a document the editor has open.
#[derive(Debug)]
pub struct EditorText {
    rope: Rope,
    /// The current version as one string; `None` after an edit until asked for.
    snapshot: Option<Arc<TextSnapshot>>,
}

impl EditorText {
    pub fn new(text: String) -> EditorText {
        EditorText {
            rope: Rope::from_str(&text),
            snapshot: Some(Arc::new(TextSnapshot::new(text))),
        }
    }

    /// The current text, flattened from the rope if an edit came since the last call.
    pub fn snapshot(&mut self) -> Arc<TextSnapshot> {
        let rope = &self.rope;
        Arc::clone(
            self.snapshot
                .get_or_insert_with(|| Arc::new(TextSnapshot::new(rope.to_string()))),
        )
    }

    /// Applies changes in order, each against the text the previous one left.
    /// Positions past a line's or the text's end clamp; nothing panics.
    pub fn apply(&mut self, changes: &[TextChange], unit: ColumnUnit) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some((start, end)) => {
                    let start = char_index(&self.rope, start, unit);
                    let end = char_index(&self.rope, end, unit).max(start);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
        self.snapshot = None;
    }
}

/// The rope's char index at a protocol position.
fn char_index(rope: &Rope, at: RawPosition, unit: ColumnUnit) -> usize {
    let line = at.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let wanted = at.character as usize;
    let mut counted = 0usize;
    let mut chars = 0usize;
    for ch in rope.line(line).chars() {
        if ch == '\n' || ch == '\r' {
            break;
        }
        let width = match unit {
            ColumnUnit::Utf8 => ch.len_utf8(),
            ColumnUnit::Utf16 => ch.len_utf16(),
            ColumnUnit::Char => 1,
        };
        if counted + width > wanted {
            break;
        }
        counted += width;
        chars += 1;
    }
    line_start + chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> RawPosition {
        RawPosition { line, character }
    }

    fn edit(
        text: &str,
        from: RawPosition,
        to: RawPosition,
        insert: &str,
        unit: ColumnUnit,
    ) -> String {
        let mut doc = EditorText::new(text.to_string());
        doc.apply(
            &[TextChange {
                range: Some((from, to)),
                text: insert.to_string(),
            }],
            unit,
        );
        doc.snapshot().text.clone()
    }

    #[test]
    fn edits_land_after_wide_characters_in_each_unit() {
        // "“é” 😀 x": “(3 bytes, 1 unit) é(2, 1) ”(3, 1) space 😀(4, 2) space
        let text = "a\n“é” 😀 x\r\nlast";
        let cases = [
            (ColumnUnit::Utf16, 7, "a\n“é” 😀 Y\r\nlast"),
            (ColumnUnit::Utf8, 14, "a\n“é” 😀 Y\r\nlast"),
            (ColumnUnit::Char, 6, "a\n“é” 😀 Y\r\nlast"),
        ];
        for (unit, col, expected) in cases {
            assert_eq!(
                edit(text, at(1, col), at(1, col + 1), "Y", unit),
                expected,
                "{unit:?}"
            );
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "one\ntwo";
        assert_eq!(
            edit(text, at(0, 99), at(0, 120), "!", ColumnUnit::Utf16),
            "one!\ntwo"
        );
        assert_eq!(
            edit(text, at(9, 0), at(12, 4), "!", ColumnUnit::Utf16),
            "one\ntwo!"
        );
        // Inside the emoji's surrogate pair: before it.
        assert_eq!(
            edit("😀z", at(0, 1), at(0, 1), "!", ColumnUnit::Utf16),
            "!😀z"
        );
        // Reversed range: treated as an insertion at the start.
        assert_eq!(
            edit(text, at(1, 2), at(1, 0), "!", ColumnUnit::Utf16),
            "one\ntw!o"
        );
    }

    #[test]
    fn changes_apply_in_sequence_and_full_text_replaces() {
        let mut doc = EditorText::new("abc\n".into());
        doc.apply(
            &[
                TextChange {
                    range: Some((at(0, 0), at(0, 0))),
                    text: "x".into(),
                },
                TextChange {
                    range: Some((at(1, 0), at(1, 0))),
                    text: "end".into(),
                },
            ],
            ColumnUnit::Utf16,
        );
        assert_eq!(doc.snapshot().text, "xabc\nend");
        doc.apply(
            &[TextChange {
                range: None,
                text: "new\r\n".into(),
            }],
            ColumnUnit::Utf16,
        );
        assert_eq!(doc.snapshot().text, "new\r\n");
        assert_eq!(doc.snapshot().lines.line_count(), 2);
    }
}
