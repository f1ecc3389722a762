//! Front matter: the `---` fenced YAML at the start of a file, read for the
//! few keys refnotes uses (title, subject, date, url, `refnotes: false`).

use crate::text::Span;

use super::{line_at, FrontMatter};

/// The front matter, the offset where the body starts and its line number.
pub(super) fn read_front_matter(text: &str) -> Option<(FrontMatter, usize, usize)> {
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
