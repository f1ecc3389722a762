//! Sentence and paragraph boundaries: which lines of a plain-text document
//! form one paragraph, and where a sentence ends inside a block of prose.
//!
//! Both are byte scans with no regexes: the splitter jumps from one end mark
//! (`.`, `!`, `?`, `…`) to the next with `memchr` and looks only at the few
//! characters around each, so it runs at memory speed over large corpora.

use memchr::{memchr3_iter, memmem};

use super::citations;
use crate::text::Span;

/// Lines longer than this (in characters) are not hard-wrapped text.
const WRAP_LIMIT: usize = 100;
/// Sentences longer than this many bytes are cut into pieces no longer (ten
/// times the longest sentence in the eval corpora), so that what one sentence
/// may cost downstream (its figures against each other, their contexts) is
/// bounded and a text with no sentence ends is checked in linear time.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// Paragraph-like blocks of a plain-text document, trimmed, never empty.
///
/// Blank lines always separate paragraphs. Single line breaks separate them
/// too, unless the document looks hard-wrapped (short lines that often run on
/// into a line starting in lowercase), in which case the lines of a paragraph
/// are joined.
pub fn plain_blocks(text: &str) -> Vec<Span> {
    let lines = line_spans(text);
    let mut blocks = Vec::new();
    if let Some(width) = hard_wrap_width(text, &lines) {
        let short = width * 6 / 10;
        let mut current: Option<(usize, usize)> = None;
        for (i, &(start, end)) in lines.iter().enumerate() {
            let line = &text[start..end];
            if line.trim().is_empty() {
                push_trimmed(text, current.take(), &mut blocks);
                continue;
            }
            current = Some(match current {
                Some((block_start, _)) => (block_start, end),
                None => (start, end),
            });
            if let Some(&(next_start, next_end)) = lines.get(i + 1) {
                let next = &text[next_start..next_end];
                if !next.trim().is_empty() && paragraph_ends_between(line, next, short) {
                    push_trimmed(text, current.take(), &mut blocks);
                }
            }
        }
        push_trimmed(text, current, &mut blocks);
    } else {
        for &(start, end) in &lines {
            push_trimmed(text, Some((start, end)), &mut blocks);
        }
    }
    blocks
}

/// In hard-wrapped text, a short line followed by one that does not run on
/// (a title, the last line of a paragraph) or an indented line ends a paragraph.
fn paragraph_ends_between(line: &str, next: &str, short: usize) -> bool {
    let next_indented = next.starts_with([' ', '\t']) && !line.starts_with([' ', '\t']);
    let next_runs_on = next
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase());
    next_indented || (char_count(line.trim_end()) < short && !next_runs_on)
}

fn push_trimmed(text: &str, range: Option<(usize, usize)>, blocks: &mut Vec<Span>) {
    if let Some((start, end)) = range {
        let span = trim_span(text, start, end);
        if !span.is_empty() {
            blocks.push(span);
        }
    }
}

/// The wrap width when the document looks hard-wrapped, else `None`.
fn hard_wrap_width(text: &str, lines: &[(usize, usize)]) -> Option<usize> {
    let mut non_blank = 0usize;
    let mut long = 0usize;
    let mut width = 0usize;
    let mut pairs = 0usize;
    let mut run_ons = 0usize;
    let mut previous: Option<&str> = None;
    for &(start, end) in lines {
        let line = text[start..end].trim_end();
        if line.trim_start().is_empty() {
            previous = None;
            continue;
        }
        non_blank += 1;
        let chars = char_count(line);
        if chars > WRAP_LIMIT {
            long += 1;
        } else {
            width = width.max(chars);
        }
        if let Some(prev) = previous {
            pairs += 1;
            let starts_lower = line
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
            if starts_lower && !ends_with_terminal(prev) {
                run_ons += 1;
            }
        }
        previous = Some(line);
    }
    let wrapped = non_blank >= 3 && long * 10 <= non_blank && pairs > 0 && run_ons * 4 >= pairs;
    wrapped.then_some(width)
}

fn ends_with_terminal(line: &str) -> bool {
    let core = line.trim_end_matches(is_closing_mark);
    core.ends_with(['.', '!', '?', '…', ':'])
}

fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b & 0xC0) != 0x80).count()
}

/// Line content ranges (without line breaks); breaks are `\n`, `\r\n`, `\r`.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r' {
            continue;
        }
        lines.push((start, i));
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    if start < bytes.len() {
        lines.push((start, bytes.len()));
    }
    lines
}

fn trim_span(text: &str, start: usize, end: usize) -> Span {
    let slice = &text[start..end];
    let left = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    Span::new(start + left, start + left + trimmed.len())
}

/// The sentences of `block` (a span of `text`), trimmed, as spans of `text`.
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes and
/// brackets after it) followed by whitespace and then something that can start
/// a sentence: not a lowercase letter. After an abbreviation, an initial or an
/// ellipsis the next word must also be a common sentence opener ("The", "It",
/// "But"...), so "Amazon.com Inc. said" and "Robert F. Kennedy" stay whole.
/// Citations right after a sentence's end ("…customers. [@000]") belong to it.
pub fn split(text: &str, block: Span) -> Vec<Span> {
    let Some(body) = text.get(block.range()) else {
        return Vec::new();
    };
    let base = block.start();
    let bytes = body.as_bytes();
    let mut sentences = Vec::new();
    let mut sentence_start = 0usize;
    let mut resume_at = 0usize;
    for mark in end_marks(bytes) {
        if mark < resume_at || mark < sentence_start {
            continue;
        }
        let (mark_end, mark_kind) = mark_run(bytes, mark);
        resume_at = mark_end;
        let mut end = skip_closers(body, mark_end);
        if end >= bytes.len() {
            break;
        }
        let mut next = skip_whitespace(body, end);
        if next == end {
            continue;
        }
        // Citations after the end mark belong to the sentence they follow.
        let mut cited = false;
        while next < bytes.len() && bytes[next] == b'[' {
            match citations::parse_at(body, next) {
                Some(citation) => {
                    end = citation.span.end();
                    next = skip_whitespace(body, end);
                    cited = true;
                }
                None => break,
            }
        }
        resume_at = resume_at.max(end);
        if next >= bytes.len() {
            break;
        }
        let guarded = match mark_kind {
            MarkKind::Strong => false,
            MarkKind::Ellipsis => true,
            MarkKind::Period => !cited && is_abbreviation_before(body, mark),
        };
        if starts_sentence(body, next, guarded) && !is_enumerator(&body[sentence_start..end]) {
            push_sentence(text, base + sentence_start, base + end, &mut sentences);
            sentence_start = next;
        }
    }
    push_sentence(text, base + sentence_start, block.end(), &mut sentences);
    bound_length(text, merge_citation_only(text, sentences))
}

/// Cuts every sentence longer than [`MAX_SENTENCE_BYTES`] into pieces of at
/// most that length, each ending after a clause mark (`;` or `,`) when one is
/// in the piece's last quarter, else at its last whitespace. A piece with no
/// whitespace at all runs on to the next whitespace, so no word is cut.
fn bound_length(text: &str, sentences: Vec<Span>) -> Vec<Span> {
    if sentences.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES) {
        return sentences;
    }
    let mut bounded = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let mut start = sentence.start();
        while sentence.end() - start > MAX_SENTENCE_BYTES {
            let cut = piece_end(text, start, start + MAX_SENTENCE_BYTES, sentence.end());
            push_sentence(text, start, cut, &mut bounded);
            start = skip_whitespace(text, cut).min(sentence.end());
        }
        push_sentence(text, start, sentence.end(), &mut bounded);
    }
    bounded
}

/// Where a piece of a long sentence starting at `start` ends: at a clause end
/// or whitespace at or before `limit`, else at the first whitespace after it
/// (or the sentence's `end`).
fn piece_end(text: &str, start: usize, limit: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let window = &bytes[start..limit];
    let late = window.len() * 3 / 4;
    let is_space = |b: &u8| b.is_ascii_whitespace();
    let clause = window
        .windows(2)
        .rposition(|pair| matches!(pair[0], b';' | b',') && is_space(&pair[1]));
    if let Some(at) = clause.filter(|&at| at >= late) {
        return start + at + 1;
    }
    if let Some(at) = window.iter().rposition(is_space).filter(|&at| at > 0) {
        return start + at;
    }
    bytes[limit..end]
        .iter()
        .position(is_space)
        .map_or(end, |at| limit + at)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MarkKind {
    /// A single period: may be an abbreviation's.
    Period,
    /// `!` or `?` (possibly with other marks).
    Strong,
    /// `…` or `..`/`...`.
    Ellipsis,
}

/// Byte offsets of every `.`, `!`, `?` and `…` in order.
fn end_marks(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut ascii = memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    let mut ellipses = memmem::find_iter(bytes, "…".as_bytes()).peekable();
    std::iter::from_fn(move || match (ascii.peek(), ellipses.peek()) {
        (Some(&a), Some(&e)) if e < a => ellipses.next(),
        (Some(_), _) => ascii.next(),
        (None, _) => ellipses.next(),
    })
}

/// The end of the run of end marks starting at `start`, and what it is.
fn mark_run(bytes: &[u8], start: usize) -> (usize, MarkKind) {
    let ellipsis = "…".as_bytes();
    let mut i = start;
    let mut periods = 0;
    let mut strong = false;
    let mut has_ellipsis = false;
    loop {
        match bytes.get(i) {
            Some(b'.') => {
                periods += 1;
                i += 1;
            }
            Some(b'!' | b'?') => {
                strong = true;
                i += 1;
            }
            _ if bytes[i..].starts_with(ellipsis) => {
                has_ellipsis = true;
                i += ellipsis.len();
            }
            _ => break,
        }
    }
    let kind = if strong {
        MarkKind::Strong
    } else if has_ellipsis || periods > 1 {
        MarkKind::Ellipsis
    } else {
        MarkKind::Period
    };
    (i, kind)
}

fn is_closing_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}' | '*' | '_'
    )
}

fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '{' | '*' | '_' | '¿' | '¡'
    )
}

fn skip_closers(body: &str, mut i: usize) -> usize {
    while let Some(c) = body[i..].chars().next() {
        if !is_closing_mark(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

fn skip_whitespace(body: &str, i: usize) -> usize {
    let rest = &body[i..];
    i + (rest.len() - rest.trim_start().len())
}

/// Whether the text at `at` can open a new sentence. When `guarded`, only a
/// common sentence opener will do.
fn starts_sentence(body: &str, at: usize, guarded: bool) -> bool {
    let mut word_start = at;
    for (offset, c) in body[at..].char_indices().take(4) {
        if !is_opening_mark(c) {
            word_start = at + offset;
            break;
        }
    }
    let Some(first) = body[word_start..].chars().next() else {
        return true;
    };
    if first.is_lowercase() {
        return false;
    }
    if !guarded {
        return true;
    }
    let word_end = body[word_start..]
        .find(|c: char| !c.is_alphabetic())
        .map_or(body.len(), |n| word_start + n);
    SENTENCE_OPENERS.contains(&&body[word_start..word_end])
}

/// Capitalised function words that open sentences but rarely follow an
/// abbreviation inside one.
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&str] = &[
    "A", "About", "After", "Also", "Although", "An", "And", "Another", "As", "At", "Because",
    "Before", "Both", "But", "By", "During", "Each", "Even", "For", "From", "He", "Her", "Here",
    "His", "How", "However", "I", "If", "In", "Instead", "It", "Its", "Last", "Meanwhile", "Most",
    "My", "Now", "Of", "On", "One", "Or", "Our", "Since", "She", "So", "Some", "Still", "That",
    "The", "Their", "Then", "There", "These", "They", "This", "Those", "Though", "To", "Under",
    "We", "What", "When", "Where", "Which", "While", "Who", "Why", "With", "Yet", "You", "Your",
];

/// Abbreviations that take a period and are often followed by a capital.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "apr", "assn", "aug", "ave", "bros", "cf", "co", "col", "corp", "dec", "dept",
    "dr", "est", "etc", "feb", "fig", "ft", "gen", "gov", "inc", "jan", "jr", "jul", "jun", "lt",
    "ltd", "mar", "messrs", "mr", "mrs", "ms", "mt", "no", "nos", "nov", "oct", "pp", "prof",
    "rep", "rev", "sen", "sep", "sept", "sr", "st", "vol", "vs",
];

/// Whether the period at `mark` closes an abbreviation, an initial or a
/// dotted short form ("U.S.", "e.g.", "a.m.").
fn is_abbreviation_before(body: &str, mark: usize) -> bool {
    let head = &body[..mark];
    let token_start = head
        .char_indices()
        .rev()
        .take(32)
        .take_while(|&(_, c)| c.is_alphabetic() || c == '.')
        .last()
        .map_or(mark, |(i, _)| i);
    let token = head[token_start..].trim_start_matches('.');
    if token.is_empty() {
        return false;
    }
    let mut chars = token.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() {
        return first.is_uppercase();
    }
    if token.contains('.') {
        return token
            .split('.')
            .all(|piece| !piece.is_empty() && piece.chars().count() <= 2);
    }
    token.len() <= 8 && ABBREVIATIONS.contains(&token.to_ascii_lowercase().as_str())
}

/// A list number standing alone ("1.", "(b)", "iv."): not a sentence of its own.
fn is_enumerator(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_suffix(['.', ')']).unwrap_or(s);
    let s = s.strip_prefix('(').unwrap_or(s);
    let digits = !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    let letter = s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic());
    let roman = !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b"ivxIVX".contains(&b));
    digits || letter || roman
}

fn push_sentence(text: &str, start: usize, end: usize, sentences: &mut Vec<Span>) {
    let span = trim_span(text, start, end);
    if !span.is_empty() {
        sentences.push(span);
    }
}

/// Folds a "sentence" made only of citations into the one before it.
fn merge_citation_only(text: &str, sentences: Vec<Span>) -> Vec<Span> {
    let mut merged: Vec<Span> = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        if let Some(previous) = merged.last_mut() {
            if is_only_citations(sentence.slice(text)) {
                *previous = previous.cover(sentence);
                continue;
            }
        }
        merged.push(sentence);
    }
    merged
}

fn is_only_citations(s: &str) -> bool {
    let mut i = 0;
    let mut any = false;
    while i < s.len() {
        match citations::parse_at(s, i) {
            Some(citation) => {
                any = true;
                i = citation.span.end();
                let rest = &s[i..];
                let rest = rest.trim_start_matches(['.', ',', ';']);
                i = s.len() - rest.trim_start().len();
            }
            None => return false,
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text, Span::new(0, text.len()))
            .into_iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn long_sentences_are_cut_into_bounded_pieces_between_words() {
        let clauses: Vec<String> = (0..3_000)
            .map(|i| format!("revenue rose {i} percent in China"))
            .collect();
        let text = format!("{}.", clauses.join(", "));
        let pieces = split(&text, Span::new(0, text.len()));
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(piece.len() <= MAX_SENTENCE_BYTES, "{}", piece.len());
            // Each piece ends after a clause, where a writer would pause.
            assert!(piece.slice(&text).ends_with([',', '.']), "{piece:?}");
        }
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let rejoined: Vec<String> = pieces.iter().flat_map(|p| words(p.slice(&text))).collect();
        assert_eq!(rejoined, words(&text));
        // No whitespace at all: the piece runs to the end rather than cut a word.
        let digits = "7".repeat(3 * MAX_SENTENCE_BYTES);
        assert_eq!(sentences(&digits), [digits.as_str()]);
        let followed = format!("{digits}\n\n");
        assert_eq!(sentences(&followed), [digits.as_str()]);
        let sentence = format!("{} tail", "9".repeat(3 * MAX_SENTENCE_BYTES));
        assert_eq!(
            sentences(&sentence),
            [&sentence[..sentence.len() - 5], "tail"]
        );
        // Sentences of ordinary length are untouched.
        assert_eq!(sentences("One, two. Three."), ["One, two.", "Three."]);
    }

    #[test]
    fn splits_at_sentence_ends_only() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            ("Is it? Yes! Fine.", &["Is it?", "Yes!", "Fine."]),
            (
                "Amazon.com Inc. said late Monday it sold assets.",
                &["Amazon.com Inc. said late Monday it sold assets."],
            ),
            (
                "It was signed Nov. 10 in Beijing. The deal closed.",
                &["It was signed Nov. 10 in Beijing.", "The deal closed."],
            ),
            (
                "A partner called Beijing Sinnet Technology Co. The reports followed.",
                &[
                    "A partner called Beijing Sinnet Technology Co.",
                    "The reports followed.",
                ],
            ),
            (
                "Teaming up with Huawei Technologies Co. Ltd. to deliver services.",
                &["Teaming up with Huawei Technologies Co. Ltd. to deliver services."],
            ),
            (
                "It operates in the U.S. The company grew.",
                &["It operates in the U.S.", "The company grew."],
            ),
            (
                "U.S. tech firms face pressure.",
                &["U.S. tech firms face pressure."],
            ),
            (
                "Books by J. K. Rowling sold well. Robert F. Kennedy spoke.",
                &[
                    "Books by J. K. Rowling sold well.",
                    "Robert F. Kennedy spoke.",
                ],
            ),
            (
                "Sales hit $1.13bn, or 4.62 per share. Costs fell.",
                &["Sales hit $1.13bn, or 4.62 per share.", "Costs fell."],
            ),
            (
                "He said “we sold certain physical assets.” Then he left.",
                &[
                    "He said “we sold certain physical assets.”",
                    "Then he left.",
                ],
            ),
            (
                "Revenue rose (see the 2017 report.) Margins fell.",
                &["Revenue rose (see the 2017 report.)", "Margins fell."],
            ),
            (
                "It boasted of thousands of customers. [@000] Next one.",
                &["It boasted of thousands of customers. [@000]", "Next one."],
            ),
            (
                "It boasted of customers. [@000; @001]",
                &["It boasted of customers. [@000; @001]"],
            ),
            (
                "Prices rose, e.g. for rice. Fine.",
                &["Prices rose, e.g. for rice.", "Fine."],
            ),
            (
                "Dr. Smith and Mr. Jones met at 9 a.m. Tuesday.",
                &["Dr. Smith and Mr. Jones met at 9 a.m. Tuesday."],
            ),
            (
                "We waited … Then nothing.",
                &["We waited …", "Then nothing."],
            ),
            (
                "We waited … Amazon said nothing.",
                &["We waited … Amazon said nothing."],
            ),
            (
                "Note: one thing; another. Then more.",
                &["Note: one thing; another.", "Then more."],
            ),
            (
                "Growth was 5.1%. 2016 was worse.",
                &["Growth was 5.1%.", "2016 was worse."],
            ),
            (
                "A price of £75m. “Too much,” he said.",
                &["A price of £75m.", "“Too much,” he said."],
            ),
            (
                "Multi-line\r\ntext. With CRLF.\r\n",
                &["Multi-line\r\ntext.", "With CRLF."],
            ),
            ("no end mark at all", &["no end mark at all"]),
            (
                "  1. Amazon’s view. 2. Their view.",
                &["1. Amazon’s view.", "2. Their view."],
            ),
            (
                "Founded in 2016. 2017 was better.",
                &["Founded in 2016.", "2017 was better."],
            ),
            ("  ", &[]),
            ("Ends with period.", &["Ends with period."]),
            ("Yahoo! said so. Fine?", &["Yahoo! said so.", "Fine?"]),
            (
                "The firm — a unit of Corp. — grew.",
                &["The firm — a unit of Corp. — grew."],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&sentences(text), expected, "splitting {text:?}");
        }
    }

    #[test]
    fn split_respects_the_block_span() {
        let text = "Head. Inside one. Inside two. Tail.";
        let block = Span::new(6, 29);
        let got: Vec<&str> = split(text, block).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got, ["Inside one.", "Inside two."]);
        assert!(split(text, Span::new(3, 400)).is_empty());
    }

    #[test]
    fn plain_blocks_one_paragraph_per_line() {
        let text = "A title without a period\nFirst paragraph is a long line. It goes on.\nSecond paragraph.\n\nThird.\n";
        let got: Vec<&str> = plain_blocks(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(
            got,
            [
                "A title without a period",
                "First paragraph is a long line. It goes on.",
                "Second paragraph.",
                "Third."
            ]
        );
    }

    #[test]
    fn plain_blocks_joins_hard_wrapped_lines() {
        let text = "Quarterly results\n\
\n\
The company reported sales of $4.6 billion for the quarter, helped\n\
by its purchase of a snack maker, and raised its outlook for the\n\
year as volumes improved across most regions.\n\
\n\
Shares rose 4.2% in morning trading, after analysts had expected\n\
weaker sales in the period.\n";
        let got: Vec<&str> = plain_blocks(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!(got[0], "Quarterly results");
        assert!(got[1].starts_with("The company") && got[1].ends_with("regions."));
        assert!(got[2].ends_with("period."));
    }

    #[test]
    fn plain_blocks_wrapped_title_directly_above_text() {
        let text = "Halvard lifts its outlook\n\
The company reported sales of $4.6 billion for the quarter, helped\n\
by its purchase of a snack maker, and raised its outlook for the\n\
year as volumes improved.\n";
        let got: Vec<&str> = plain_blocks(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0], "Halvard lifts its outlook");
    }

    #[test]
    fn plain_blocks_handles_crlf_and_blank_input() {
        let text = "One line.\r\nTwo line.\r\n\r\n  \r\n";
        let got: Vec<&str> = plain_blocks(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got, ["One line.", "Two line."]);
        assert!(plain_blocks("").is_empty());
        assert!(plain_blocks("\n\n \n").is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "…",
            ".",
            "..",
            "?!",
            "a.\u{a0}B",
            "é. É. ‘x.’ “y.” ",
            "[@",
            ". [@a",
            "x. [@a] ",
            "Co.",
            "U.S.",
            "\r\r\n.",
            "£. €. ¥.",
            "😀. 😀!",
        ];
        for s in samples {
            for block in plain_blocks(s) {
                for sentence in split(s, block) {
                    assert!(
                        s.is_char_boundary(sentence.start()) && s.is_char_boundary(sentence.end())
                    );
                }
            }
            let _ = split(s, Span::new(0, s.len()));
        }
    }

    fn shared_files() -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for dir in [
            crate::test_support::shared("seeds"),
            crate::test_support::shared("eval/dev/halvard/corpus"),
        ] {
            if let Ok(entries) = std::fs::read_dir(dir) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        files
    }

    #[test]
    fn shared_sources_split_sanely() {
        let files = shared_files();
        if files.is_empty() {
            return;
        }
        let mut all = Vec::new();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for block in plain_blocks(&text) {
                assert!(text.is_char_boundary(block.start()) && text.is_char_boundary(block.end()));
                for sentence in split(&text, block) {
                    assert!(block.contains_span(sentence));
                    assert!(text.is_char_boundary(sentence.start()));
                    assert!(text.is_char_boundary(sentence.end()));
                    all.push(sentence.slice(&text).to_string());
                }
            }
        }
        let containing = |needle: &str| all.iter().find(|s| s.contains(needle)).cloned();
        if let Some(s) = containing("Beijing Sinnet Technology Co") {
            assert!(s.contains("Beijing Sinnet Technology Co."), "{s}");
            assert!(s.starts_with("Earlier reports"), "{s}");
        }
        if let Some(s) = containing("Amazon.com Inc.") {
            assert!(s.contains("Amazon.com Inc. said late Monday"), "{s}");
        }
        if let Some(s) = containing("Huawei Technologies Co.") {
            assert!(s.contains("Co. Ltd. to deliver"), "{s}");
        }
    }

    #[test]
    fn shared_notes_keep_citations_with_their_sentence() {
        let Ok(text) =
            std::fs::read_to_string(crate::test_support::shared("eval/dev/aws-china/notes.md"))
        else {
            return;
        };
        let prose = super::super::markdown::parse(&text);
        let all: Vec<&str> = prose
            .blocks
            .iter()
            .flat_map(|b| split(&text, b.span))
            .map(|s| s.slice(&text))
            .collect();
        for expected in [
            "The 2013 press release boasted of thousands of Chinese customers. [@000]",
            "The buyout is also covered in [@007].",
            "The agreement was signed on Nov. 10.",
            "Reuters put the price at up to 2 billion yuan ($301.2 million). [@001]",
        ] {
            assert!(all.contains(&expected), "{expected:?} not in {all:#?}");
        }
    }
}
