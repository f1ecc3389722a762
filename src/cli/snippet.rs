//! What the reports show of a text: a note's line with where the marker goes
//! (by display width, windowed on long lines) and a source's words with a
//! little context on one line. Shared by the human report and the JSON/SARIF
//! model, below both.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::text::{LineIndex, Span};

/// Lines wider than this many cells are shown as a window around the finding.
const MAX_LINE_WIDTH: usize = 120;
/// How many cells of the line to keep before the finding in a window.
const WINDOW_LEAD: usize = 30;
/// How many characters of context a source excerpt keeps on each side.
const EXCERPT_CONTEXT: usize = 32;
/// Source passages longer than this many characters are cut.
const EXCERPT_MAX: usize = 200;
const TAB: &str = "    ";
/// Bytes of a very long line kept on each side of a finding before the line is
/// measured, so a snippet costs the same on a 1 MB line as on a short one (the
/// shown window is far narrower than this).
const LINE_CUT_BYTES: usize = 1024;

/// A note's line as shown, with where the marker goes (in display cells).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based.
    pub line_number: usize,
    pub text: String,
    pub marker_start: usize,
    pub marker_width: usize,
}

impl Snippet {
    /// The line `line_span` of `text` with `span` marked; the marker stops at
    /// the line's end when the span goes on, and is one cell wide when empty.
    pub fn new(text: &str, line_span: Span, span: Span, line_number: usize) -> Snippet {
        let whole_line = line_span.slice(text);
        let start = floor_boundary(whole_line, span.start().saturating_sub(line_span.start()));
        let end = floor_boundary(
            whole_line,
            span.end().saturating_sub(line_span.start()).max(start),
        );
        // Only a window of the line is ever shown: measure no more than a
        // bounded piece of it around the finding, or one long line with many
        // findings costs its length times theirs.
        let keep_from = floor_boundary(whole_line, start.saturating_sub(LINE_CUT_BYTES));
        let keep_to = ceil_boundary(whole_line, end.min(start + LINE_CUT_BYTES) + LINE_CUT_BYTES);
        let line = &whole_line[keep_from..keep_to];
        let (cut_front, cut_back) = (keep_from > 0, keep_to < whole_line.len());
        let (start, end) = (start - keep_from, end.min(keep_to) - keep_from);
        // Terminals draw grapheme clusters, not characters: an emoji with a
        // skin tone or joined by ZWJ, or a letter with its marks, is one
        // piece whose width only the whole cluster tells.
        let cells: Vec<(usize, &str, usize)> = line
            .grapheme_indices(true)
            .map(|(at, cluster)| {
                let shown = shown_cluster(cluster);
                (at, shown, shown.width())
            })
            .collect();
        let column_at = |byte: usize| -> usize {
            cells
                .iter()
                .take_while(|(at, _, _)| *at < byte)
                .map(|(_, _, w)| w)
                .sum()
        };
        let total: usize = cells.iter().map(|(_, _, w)| w).sum();
        let marker_start = column_at(start);
        let marker_end = column_at(end);

        let (window_start, window_end) = if total <= MAX_LINE_WIDTH {
            (0, total)
        } else {
            let window_start = marker_start
                .saturating_sub(WINDOW_LEAD)
                .min(total.saturating_sub(MAX_LINE_WIDTH));
            (window_start, window_start + MAX_LINE_WIDTH)
        };
        let mut shown = String::new();
        let mut column = 0;
        let mut first_shown = None;
        let mut cut_after = false;
        for (_, piece, width) in &cells {
            let cell_end = column + width;
            if column >= window_start && cell_end <= window_end {
                first_shown.get_or_insert(column);
                shown.push_str(piece);
            } else if column >= window_end {
                cut_after = true;
            }
            column = cell_end;
        }
        let first_shown = first_shown.unwrap_or(window_start);
        let mut offset = 0;
        if first_shown > 0 || cut_front {
            shown.insert(0, '…');
            offset = 1;
        }
        if cut_after || cut_back {
            shown.push('…');
        }
        let visible_end = marker_end.min(window_end).max(marker_start);
        Snippet {
            line_number,
            text: shown,
            marker_start: marker_start.saturating_sub(first_shown) + offset,
            marker_width: (visible_end - marker_start).max(1),
        }
    }
}

/// How a grapheme cluster shows: tabs as spaces, other control characters as
/// U+FFFD so they cannot move the cursor.
fn shown_cluster(cluster: &str) -> &str {
    match cluster {
        "\t" => TAB,
        _ if cluster.chars().any(char::is_control) => "\u{fffd}",
        _ => cluster,
    }
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest char boundary of `text` at or after `offset`.
fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// The source's words at `span` with a little context, on one line: spaces
/// and line breaks folded, and `…` where the context or passage was cut.
pub fn excerpt(text: &str, lines: &LineIndex, span: Span) -> String {
    if span.start() > text.len() {
        return String::new();
    }
    let start = floor_boundary(text, span.start());
    let end = floor_boundary(text, span.end().max(start));
    let before_line = lines.line_span(text, lines.line_of(start));
    let after_line = lines.line_span(text, lines.line_of(end));
    // Only a few dozen characters of context are shown: read no more of the
    // line than that could need (four bytes a character at most), so a source
    // written on one 16 MB line costs nothing extra per excerpt.
    let reach = 4 * (EXCERPT_CONTEXT + 1);
    let before_from = ceil_boundary(text, before_line.start().max(start.saturating_sub(reach)));
    let after_to = floor_boundary(text, after_line.end().min(end + reach));
    let before = text.get(before_from.min(start)..start).unwrap_or("");
    let after = text.get(end..after_to.max(end)).unwrap_or("");
    let passage = fold_spaces(&text[start..end]);

    let mut excerpt = String::new();
    let before_chars: Vec<char> = before.chars().collect();
    if before_chars.len() > EXCERPT_CONTEXT {
        let tail: String = before_chars[before_chars.len() - EXCERPT_CONTEXT..]
            .iter()
            .collect();
        // Start after a space so the context does not open mid-word.
        let tail = match tail.find(char::is_whitespace) {
            Some(space) => tail[space..].trim_start().to_string(),
            None => tail,
        };
        excerpt.push('…');
        excerpt.push_str(&fold_spaces(&tail));
    } else {
        excerpt.push_str(fold_spaces(before).trim_start());
    }
    match passage.char_indices().nth(EXCERPT_MAX) {
        Some((cut, _)) => {
            excerpt.push_str(&passage[..cut]);
            excerpt.push('…');
            return excerpt;
        }
        None => excerpt.push_str(&passage),
    }
    let after_chars: Vec<char> = after.chars().collect();
    if after_chars.len() > EXCERPT_CONTEXT {
        let head: String = after_chars[..EXCERPT_CONTEXT].iter().collect();
        let head = match head.rfind(char::is_whitespace) {
            Some(space) => head[..space].trim_end().to_string(),
            None => head,
        };
        excerpt.push_str(&fold_spaces(&head));
        excerpt.push('…');
    } else {
        excerpt.push_str(fold_spaces(after).trim_end());
    }
    excerpt
}

pub fn fold_spaces(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                folded.push(' ');
            }
            in_space = true;
        } else {
            folded.push(if c.is_control() { '\u{fffd}' } else { c });
            in_space = false;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_handle_tabs_wide_text_and_odd_spans() {
        let cases: [(&str, &str, &str); 5] = [
            ("\tA $5 fee", "$5", "    A $5 fee\n      ^^"),
            ("中文 $5", "$5", "中文 $5\n     ^^"),
            ("é\u{301} $5", "$5", "é\u{301} $5\n  ^^"),
            ("ends here", "", "ends here\n         ^"),
            ("bell\u{7} $5", "$5", "bell\u{fffd} $5\n      ^^"),
        ];
        for (line, marked, expected) in cases {
            let start = if marked.is_empty() {
                line.len()
            } else {
                line.find(marked).unwrap()
            };
            let span = Span::new(start, start + marked.len());
            let snippet = Snippet::new(line, Span::new(0, line.len()), span, 1);
            let shown = format!(
                "{}\n{}{}",
                snippet.text,
                " ".repeat(snippet.marker_start),
                "^".repeat(snippet.marker_width)
            );
            assert_eq!(shown, expected, "{line:?}");
        }
    }

    /// The line and its caret line as a terminal shows them.
    fn shown(line: &str, marked: &str) -> String {
        let start = line.find(marked).unwrap();
        let span = Span::new(start, start + marked.len());
        let snippet = Snippet::new(line, Span::new(0, line.len()), span, 1);
        format!(
            "{}\n{}{}",
            snippet.text,
            " ".repeat(snippet.marker_start),
            "^".repeat(snippet.marker_width)
        )
    }

    #[test]
    fn carets_sit_under_wide_combining_and_emoji_text() {
        // Each line's caret is expected under "$5" as a terminal draws it: the
        // columns before it are counted by hand in the comments.
        let cases: [(&str, &str, &str); 8] = [
            // Thai consonant + two combining marks: one cell.
            (
                "\u{e17}\u{e35}\u{e48} $5",
                "$5",
                "\u{e17}\u{e35}\u{e48} $5\n  ^^",
            ),
            // Conjoining Hangul jamo: one syllable, two cells.
            ("\u{1100}\u{1161} $5", "$5", "\u{1100}\u{1161} $5\n   ^^"),
            // Devanagari: हि is two cells, न्दी three.
            ("हिन्दी $5", "$5", "हिन्दी $5\n      ^^"),
            // A text symbol made emoji by VS16: two cells.
            ("\u{2764}\u{fe0f} $5", "$5", "\u{2764}\u{fe0f} $5\n   ^^"),
            // A ZWJ family and a skin-tone modifier: two cells each.
            (
                "👨\u{200d}👩\u{200d}👧 👍🏽 $5",
                "$5",
                "👨\u{200d}👩\u{200d}👧 👍🏽 $5\n      ^^",
            ),
            // A flag: two regional indicators, two cells.
            ("🇫🇷 $5", "$5", "🇫🇷 $5\n   ^^"),
            // Wide CJK under the marker: the caret is as wide as the text.
            ("fee 中文字 paid", "中文字", "fee 中文字 paid\n    ^^^^^^"),
            // Combining accents inside the marked words count no cell.
            (
                "x cafe\u{301}\u{302} y",
                "cafe\u{301}\u{302}",
                "x cafe\u{301}\u{302} y\n  ^^^^",
            ),
        ];
        for (line, marked, expected) in cases {
            assert_eq!(shown(line, marked), expected, "{line:?}");
        }
    }

    #[test]
    fn long_lines_are_windowed_around_the_finding() {
        let line = format!("{} $5 {}", "word ".repeat(60), "tail ".repeat(60));
        let start = line.find("$5").unwrap();
        let snippet = Snippet::new(
            &line,
            Span::new(0, line.len()),
            Span::new(start, start + 2),
            1,
        );
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert!(snippet.text.chars().count() <= MAX_LINE_WIDTH + 2);
        let marked: String = snippet
            .text
            .chars()
            .skip(snippet.marker_start)
            .take(2)
            .collect();
        assert_eq!(marked, "$5");
        // A span running past the line's end stops at the line's end.
        let snippet = Snippet::new(&line, Span::new(0, 10), Span::new(5, 50), 1);
        assert_eq!((snippet.marker_start, snippet.marker_width), (5, 5));
    }

    #[test]
    fn a_megabyte_line_shows_the_same_window_as_a_short_one() {
        let short = format!("{} $5 {}", "wörd ".repeat(60), "tail ".repeat(60));
        let long = format!(
            "{}{short}{}",
            "lead ".repeat(200_000),
            "end ".repeat(200_000)
        );
        let at = |line: &str| {
            let start = line.find("$5").unwrap();
            Snippet::new(
                line,
                Span::new(0, line.len()),
                Span::new(start, start + 2),
                1,
            )
        };
        let (short, long) = (at(&short), at(&long));
        assert_eq!(short, long);
        // A span covering most of the line is marked to the window's end.
        let huge = Snippet::new(
            &long_line(),
            Span::new(0, 900_000),
            Span::new(10, 800_000),
            1,
        );
        assert!(huge.text.ends_with('…'));
        assert_eq!(huge.marker_start, 10);
        assert_eq!(huge.marker_start + huge.marker_width, MAX_LINE_WIDTH);
    }

    #[test]
    fn excerpts_from_a_megabyte_line_read_only_around_the_passage() {
        let around = "context wörds on both sides ".repeat(4);
        let short = format!("{around}for 2 billion yuan ($300 million){around}");
        let long = format!(
            "{}{short}{}",
            "lead ".repeat(200_000),
            "end ".repeat(200_000)
        );
        let at = |text: &str| {
            let start = text.find("2 billion").unwrap();
            let end = text.find(")").unwrap() + 1;
            excerpt(text, &LineIndex::new(text), Span::new(start, end))
        };
        assert_eq!(at(&long), at(&short));
        assert!(at(&long).starts_with('…') && at(&long).ends_with('…'));
    }

    fn long_line() -> String {
        "abc ".repeat(225_000)
    }

    #[test]
    fn excerpts_keep_some_context_on_one_line() {
        let text = "First line.\nA long lead-in sentence that goes on and on, then for 2 billion yuan ($300 million),\nthe deal closed.";
        let lines = LineIndex::new(text);
        let start = text.find("2 billion").unwrap();
        let end = text.find("),").unwrap() + 2;
        expect_test::expect![[r#"…that goes on and on, then for 2 billion yuan ($300 million),"#]]
            .assert_eq(&excerpt(text, &lines, Span::new(start, end)));
        let across = Span::new(text.find("million").unwrap(), text.find(" closed").unwrap());
        expect_test::expect!["…then for 2 billion yuan ($300 million), the deal closed."]
            .assert_eq(&excerpt(text, &lines, across));
        assert_eq!(excerpt(text, &lines, Span::new(5000, 6000)), "");
    }
}
