//! Inline markup found in one scan of a block: ignore comments, code spans,
//! autolinks, HTML tags, footnote references, link tails and bare URLs.

use memchr::{memchr, memchr2};

use super::run_length;

/// The codes of a `refnotes-ignore` comment's inside, if it is one.
pub(super) fn ignore_codes(inside: &[u8]) -> Option<Vec<String>> {
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
pub(super) fn code_span_end(
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
pub(super) fn autolink_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
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
pub(super) fn html_tag_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
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
pub(super) fn footnote_reference_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let close = start + memchr(b']', &bytes[start..end])?;
    let label = &bytes[start + 2..close];
    (!label.is_empty() && !label.iter().any(|b| b.is_ascii_whitespace() || *b == b'['))
        .then_some(close + 1)
}

/// The end of `(destination "title")` starting at the `(` at `open`.
pub(super) fn inline_link_tail_end(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
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
pub(super) fn reference_tail_end(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let close = open + memchr(b']', &bytes[open..end])?;
    (memchr(b'[', &bytes[open + 1..close]).is_none() && close - open <= 1000).then_some(close + 1)
}

pub(super) fn at_url_boundary(bytes: &[u8], at: usize, start: usize) -> bool {
    at == start
        || matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'*' | b'_' | b'~' | b'"' | b'\'' | b'>'
        )
        || bytes[at - 1] >= 0x80
}

/// A bare `http(s)://` or `www.` URL, without trailing punctuation or an
/// unbalanced closing bracket (as GitHub reads them).
pub(super) fn bare_url_end(
    bytes: &[u8],
    start: usize,
    end: usize,
    in_brackets: bool,
) -> Option<usize> {
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
