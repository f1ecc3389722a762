//! Quotations between curly or straight quote marks, told apart from
//! apostrophes ("AWS’s", "don't", "the '90s").

use memchr::memchr3_iter;

use super::Quote;
use crate::text::Span;

/// The quote marks this module knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// “
    CurlyDoubleOpen,
    /// ”
    CurlyDoubleClose,
    /// "
    StraightDouble,
    /// ‘
    CurlySingleOpen,
    /// ’ (also the apostrophe)
    CurlySingleClose,
    /// ' (also the apostrophe)
    StraightSingle,
}

/// Every quotation in `text` (one paragraph or block), spans relative to `text`.
///
/// Only the outermost quotation is reported when quotes nest; an opening mark
/// that is never closed yields nothing; empty quotations are skipped.
pub fn find(text: &str) -> Vec<Quote> {
    let marks = marks(text);
    let mut quotes = Vec::new();
    // Which closers a mark accepts does not depend on where it opened, so once
    // an opening kind finds no closer, later ones of that kind cannot either:
    // remembering it keeps the scan linear.
    let mut exhausted = [false; 4];
    let mut i = 0;
    while i < marks.len() {
        let (open_at, open) = marks[i];
        let kind = match open {
            Mark::CurlyDoubleOpen => 0,
            Mark::StraightDouble => 1,
            Mark::CurlySingleOpen => 2,
            Mark::StraightSingle => 3,
            _ => {
                i += 1;
                continue;
            }
        };
        if exhausted[kind] {
            i += 1;
            continue;
        }
        let closing = match open {
            Mark::CurlyDoubleOpen => find_closer(&marks, i, |_, m| match m {
                Mark::CurlyDoubleClose => Step::Close,
                Mark::CurlyDoubleOpen => Step::Restart,
                _ => Step::Skip,
            }),
            Mark::StraightDouble if opens(text, open_at, 1) => {
                find_closer(&marks, i, |at, m| match m {
                    Mark::StraightDouble if closes(text, at, 1) => Step::Close,
                    Mark::StraightDouble if opens(text, at, 1) => Step::Restart,
                    _ => Step::Skip,
                })
            }
            Mark::CurlySingleOpen | Mark::StraightSingle if opens_single(text, open_at, open) => {
                let close = if open == Mark::CurlySingleOpen {
                    Mark::CurlySingleClose
                } else {
                    Mark::StraightSingle
                };
                let width = if open == Mark::StraightSingle { 1 } else { 3 };
                find_closer(&marks, i, |at, m| {
                    if m == close && closes(text, at, width) {
                        Step::Close
                    } else if m == open && open == Mark::CurlySingleOpen {
                        Step::Restart
                    } else {
                        Step::Skip
                    }
                })
            }
            _ => Found::Nothing,
        };
        match closing {
            Found::Close(j) => {
                let close_at = marks[j].0;
                let close_width = mark_width(marks[j].1);
                let open_width = mark_width(open);
                if let Some(quote) = quote(text, open_at, open_width, close_at, close_width) {
                    quotes.push(quote);
                }
                i = j + 1;
            }
            Found::Restart(j) => i = j,
            Found::Nothing => {
                exhausted[kind] |= opens_any(text, open_at, open);
                i += 1;
            }
        }
    }
    quotes
}

enum Step {
    Close,
    Restart,
    Skip,
}

enum Found {
    Close(usize),
    Restart(usize),
    Nothing,
}

fn find_closer(marks: &[(usize, Mark)], open: usize, step: impl Fn(usize, Mark) -> Step) -> Found {
    for (j, &(at, mark)) in marks.iter().enumerate().skip(open + 1) {
        match step(at, mark) {
            Step::Close => return Found::Close(j),
            Step::Restart => return Found::Restart(j),
            Step::Skip => {}
        }
    }
    Found::Nothing
}

/// Whether the mark at `at` really opened a search (so its failure counts).
fn opens_any(text: &str, at: usize, mark: Mark) -> bool {
    match mark {
        Mark::CurlyDoubleOpen => true,
        Mark::StraightDouble => opens(text, at, 1),
        _ => opens_single(text, at, mark),
    }
}

fn mark_width(mark: Mark) -> usize {
    match mark {
        Mark::StraightDouble | Mark::StraightSingle => 1,
        _ => 3,
    }
}

fn quote(
    text: &str,
    open_at: usize,
    open_width: usize,
    close_at: usize,
    close_width: usize,
) -> Option<Quote> {
    let inside_start = open_at + open_width;
    let inside = &text[inside_start..close_at];
    let left = inside.len() - inside.trim_start().len();
    let trimmed = inside.trim();
    if trimmed.is_empty() {
        return None;
    }
    let inner = Span::new(inside_start + left, inside_start + left + trimmed.len());
    Some(Quote {
        span: Span::new(open_at, close_at + close_width),
        inner,
        word_count: trimmed
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count(),
    })
}

/// Every quote mark in `text` with its byte offset, in order.
fn marks(text: &str) -> Vec<(usize, Mark)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in memchr3_iter(b'"', b'\'', 0xE2, bytes) {
        let mark = match bytes[at] {
            b'"' => Mark::StraightDouble,
            b'\'' => Mark::StraightSingle,
            _ => match bytes.get(at + 1..at + 3) {
                Some([0x80, 0x9C]) => Mark::CurlyDoubleOpen,
                Some([0x80, 0x9D]) => Mark::CurlyDoubleClose,
                Some([0x80, 0x98]) => Mark::CurlySingleOpen,
                Some([0x80, 0x99]) => Mark::CurlySingleClose,
                _ => continue,
            },
        };
        found.push((at, mark));
    }
    found
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn char_after(text: &str, at: usize, width: usize) -> Option<char> {
    text.get(at + width..)?.chars().next()
}

/// An opening mark follows the start, whitespace or opening punctuation, and
/// is followed by something other than whitespace.
fn opens(text: &str, at: usize, width: usize) -> bool {
    let before_ok = char_before(text, at).is_none_or(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '"' | '\'' | '*' | '_' | ':'
            )
    });
    let after_ok = char_after(text, at, width).is_some_and(|c| !c.is_whitespace());
    before_ok && after_ok
}

/// A closing mark follows something other than whitespace and is not
/// followed by a letter or digit (which would make it an apostrophe).
fn closes(text: &str, at: usize, width: usize) -> bool {
    let before_ok = char_before(text, at).is_some_and(|c| !c.is_whitespace());
    let after_ok = char_after(text, at, width).is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

/// Single marks also open decade abbreviations ("the '90s", "‘90s").
fn opens_single(text: &str, at: usize, mark: Mark) -> bool {
    let width = mark_width(mark);
    if !opens(text, at, width) {
        return false;
    }
    let after = text.get(at + width..).unwrap_or("").as_bytes();
    let decade = after.len() >= 3
        && after[0].is_ascii_digit()
        && after[1].is_ascii_digit()
        && after[2] == b's';
    !decade
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inners(text: &str) -> Vec<&str> {
        find(text).iter().map(|q| q.inner.slice(text)).collect()
    }

    #[test]
    fn finds_quotations_not_apostrophes() {
        let cases: &[(&str, &[&str])] = &[
            ("He said “we sold assets.”", &["we sold assets."]),
            ("He said \"we sold assets\" today.", &["we sold assets"]),
            ("She called it ‘a mess’ then.", &["a mess"]),
            ("She called it 'a mess', then.", &["a mess"]),
            (
                "“AWS did not sell, and AWS’s services go on.”",
                &["AWS did not sell, and AWS’s services go on."],
            ),
            ("It’s AWS’s, not Halvard's or don't.", &[]),
            ("The '90s and the ‘90s were good.", &[]),
            ("The students' work and the 'best' one.", &["best"]),
            (
                "“He called it ‘a mess’ today,” she said.",
                &["He called it ‘a mess’ today,"],
            ),
            ("He said “unclosed and then more", &[]),
            ("He said “first and “second one” here", &["second one"]),
            ("A 6'2\" player said \"hi there\".", &["hi there"]),
            ("“”", &[]),
            ("—“Dashes—and £5,” he wrote.", &["Dashes—and £5,"]),
            ("(\"bracketed\")", &["bracketed"]),
            ("Two: “one” and “two”.", &["one", "two"]),
            ("Stray ” closer and ’ apostrophe", &[]),
            ("\"Multi\r\nline\" quote", &["Multi\r\nline"]),
            ("'Tis not a quote", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&inners(text), expected, "quotes in {text:?}");
        }
    }

    #[test]
    fn spans_and_word_counts() {
        let text = "Lee: “Amazon has  already missed — the boat. ”";
        let quote = &find(text)[0];
        assert_eq!(
            quote.span.slice(text),
            "“Amazon has  already missed — the boat. ”"
        );
        assert_eq!(
            quote.inner.slice(text),
            "Amazon has  already missed — the boat."
        );
        assert_eq!(quote.word_count, 6);
    }

    #[test]
    fn never_panics_on_odd_marks() {
        let samples = [
            "\u{e2}",
            "“",
            "”",
            "‘",
            "’",
            "'",
            "\"",
            "\"\"",
            "“ ”",
            "‘’",
            "\u{2026}’",
            "'a",
            "a'",
            "é“é”é",
            "\u{201e}x\u{201c}",
            "€'",
            "😀\"😀\"",
        ];
        for s in samples {
            for q in find(s) {
                for span in [q.span, q.inner] {
                    assert!(s.is_char_boundary(span.start()) && s.is_char_boundary(span.end()));
                }
            }
        }
    }

    #[test]
    fn shared_texts_quotes() {
        let mut paths = Vec::new();
        for dir in [
            crate::test_support::shared("seeds"),
            crate::test_support::shared("eval/dev/halvard/corpus"),
        ] {
            if let Ok(entries) = std::fs::read_dir(dir) {
                paths.extend(entries.flatten().map(|e| e.path()));
            }
        }
        paths.push(crate::test_support::shared("eval/dev/aws-china/notes.md"));
        paths.push(crate::test_support::shared("eval/dev/halvard/notes.md"));
        let mut all = Vec::new();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for line in text.lines() {
                for q in find(line) {
                    assert!(q.span.contains_span(q.inner));
                    all.push(q.inner.slice(line).to_string());
                }
            }
        }
        if let Some(aws) = all.iter().find(|q| q.starts_with("AWS did not sell")) {
            assert!(aws.contains("AWS’s industry leading"), "{aws}");
        } else {
            assert!(all.is_empty() || !crate::test_support::shared("seeds").exists());
        }
        assert!(all.iter().all(|q| !q.starts_with("s ")));
    }
}
