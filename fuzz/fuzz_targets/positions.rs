//! Position conversion on any text: every character boundary converts to a
//! line and column in each unit and back, and any line and column converts
//! to a boundary, never panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refnotes::text::{column_width, ColumnUnit, LineCol, LineIndex};

fuzz_target!(|input: (&str, u32, u32)| {
    let (text, line, col) = input;
    let index = LineIndex::new(text);
    let units = [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char];
    for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
        let line_start = index.line_start(index.line_of(offset));
        for unit in units {
            let at = index.line_col(text, offset, unit);
            assert_eq!(
                at.col as usize,
                column_width(&text[line_start..offset], unit)
            );
            let inside_crlf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            if !inside_crlf {
                assert_eq!(index.offset(text, at, unit), offset, "{unit:?}");
            }
        }
    }
    for unit in units {
        let offset = index.offset(text, LineCol { line, col }, unit);
        assert!(offset <= text.len() && text.is_char_boundary(offset));
    }
});
