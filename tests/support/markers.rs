//! Expected findings written under the text they are about, as texlab's tests
//! write them: a line of carets under the exact characters, then the code.
//!
//! ```text
//! Marlowe agreed to sell Northgate Ferries to Castell for £85m.
//!                                                         ^^^^ figure-mismatch
//! ```
//!
//! A marker line is blank up to its carets and refers to the nearest text
//! line above it; several marker lines may follow one text line. Columns
//! count characters, so carets sit under `£` and `“` as they look. A finding
//! that runs past its line's end is marked to the end of that line. The text
//! is dedented by its common indent (so it can sit indented in a raw string)
//! and a leading empty line is dropped.

/// A finding as (byte start, byte end, code), the end exclusive.
pub type Marked = (usize, usize, String);

/// The text without its marker lines, and the findings they mark, sorted.
pub fn parse(annotated: &str) -> (String, Vec<Marked>) {
    let annotated = dedent(annotated);
    let mut text = String::new();
    let mut marked = Vec::new();
    // The byte offset where the last text line starts, and that line.
    let mut last_line: Option<(usize, String)> = None;
    for line in annotated.split_inclusive('\n') {
        if let Some((columns, code)) = marker(line) {
            let (start, text_line) = last_line
                .as_ref()
                .unwrap_or_else(|| panic!("marker line with no text above it: {line:?}"));
            let byte = |column: usize| {
                start
                    + text_line
                        .char_indices()
                        .nth(column)
                        .map_or(text_line.trim_end_matches('\n').len(), |(at, _)| at)
            };
            marked.push((byte(columns.start), byte(columns.end), code));
            continue;
        }
        last_line = Some((text.len(), line.to_string()));
        text.push_str(line);
    }
    marked.sort();
    (text, marked)
}

/// `text` with a marker line under the start of each finding: what
/// [`parse`] reads back.
pub fn render(text: &str, findings: &[Marked]) -> String {
    let mut out = String::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push('\n');
        }
        let content = line.trim_end_matches(['\n', '\r']);
        let line_end = offset + content.len();
        let mut here: Vec<&Marked> = findings
            .iter()
            .filter(|(start, _, _)| (offset..offset + line.len()).contains(start))
            .collect();
        here.sort();
        for (start, end, code) in here {
            let column = |byte: usize| content[..byte.min(line_end) - offset].chars().count();
            let (from, to) = (column(*start), column(*end).max(column(*start) + 1));
            out.push_str(&" ".repeat(from));
            out.push_str(&"^".repeat(to - from));
            out.push(' ');
            out.push_str(code);
            out.push('\n');
        }
        offset += line.len();
    }
    out
}

/// Asserts that `found` (byte start, byte end, code) are exactly the findings
/// `annotated` marks, showing both as marked text when they differ.
pub fn assert_marked(annotated: &str, found: Vec<Marked>) {
    let (text, expected) = parse(annotated);
    let mut found = found;
    found.sort();
    assert_eq!(
        render(&text, &found),
        render(&text, &expected),
        "\nfound (left) and expected (right) findings differ"
    );
}

/// The characters a marker line marks and its code, when `line` is one: blank,
/// then carets, then a space and the code.
fn marker(line: &str) -> Option<(std::ops::Range<usize>, String)> {
    let line = line.trim_end_matches(['\n', '\r']);
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let rest = &line[indent..];
    let carets = rest.chars().take_while(|c| *c == '^').count();
    let code = rest[carets..].strip_prefix(' ')?.trim();
    let is_code = !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    (carets > 0 && is_code).then(|| (indent..indent + carets, code.to_string()))
}

fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        out.push_str(
            line.get(indent..)
                .unwrap_or_else(|| line.trim_start_matches(' ')),
        );
    }
    // A raw string's closing line leaves the indent after the last newline.
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        let (text, marked) = parse(
            r#"
            Castell paid £85m for “Northgate”.
                         ^^^^ figure-mismatch
                                  ^^^^^^^^^^^ misquote
            Next line.
            "#,
        );
        assert_eq!(text, "Castell paid £85m for “Northgate”.\nNext line.\n");
        let pound = text.find('£').unwrap();
        assert_eq!(
            marked[0],
            (pound, pound + "£85m".len(), "figure-mismatch".into())
        );
        let quote = text.find('“').unwrap();
        assert_eq!(
            marked[1],
            (quote, quote + "“Northgate”".len(), "misquote".into())
        );
        assert_eq!(parse(&render(&text, &marked)), (text, marked));
    }
}
