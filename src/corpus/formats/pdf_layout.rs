//! From the raw text of PDF pages to blocks in reading order.
//!
//! The input is a page's text with its horizontal layout kept in spaces (what
//! `pdftotext -layout` prints; `pdf-extract`'s text has no layout and passes
//! through the same steps unharmed). Per page:
//!
//! 1. Two columns are found by a gutter: a character column that nearly every
//!    line leaves blank, with prose on both sides. Lines that cross it (titles,
//!    full-width figures) split the page into bands; each band is read left
//!    column first.
//! 2. Running headers and footers (the same line, digits aside, at the top or
//!    bottom of most pages) and page numbers are dropped.
//! 3. Lines with several cells separated by wide gaps and a number among them
//!    are table rows and stay rows; other lines join into paragraphs, a word
//!    hyphenated at a line end is joined again, and short stand-alone lines
//!    are headings. Ligatures and soft hyphens are normalised.

use super::{ligature, one_line};

/// A block of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Row(Vec<String>),
}

/// Put around a line that spans both columns: it is a block of its own.
const HARD_BREAK: &str = "\u{c}";

/// How many lines at the top and bottom of a page may be running headers,
/// footers or page numbers.
const MARGIN_LINES: usize = 3;

pub fn pages_to_blocks(pages: &[String]) -> Vec<Vec<Block>> {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|page| reading_order(&normalise(page)))
        .collect();
    let running = running_lines(&pages);
    let mut pages: Vec<Vec<Block>> = pages
        .iter()
        .map(|lines| {
            let kept = drop_margins(lines, &running);
            blocks(&kept)
        })
        .collect();
    join_across_pages(&mut pages);
    pages
}

/// A paragraph that runs on to the next page is joined to its start, so its
/// sentences stay whole; it then counts as on the page where it starts.
fn join_across_pages(pages: &mut [Vec<Block>]) {
    for next in 1..pages.len() {
        let (before, after) = pages.split_at_mut(next);
        let Some(Block::Paragraph(end)) = before[next - 1].last_mut() else {
            continue;
        };
        let Some(Block::Paragraph(start)) = after[0].first() else {
            continue;
        };
        if ends_sentence(end)
            || !start
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
        {
            continue;
        }
        let mut joined = std::mem::take(end);
        join_line(&mut joined, start);
        *end = joined;
        after[0].remove(0);
    }
}

/// Ligatures spelled out, soft hyphens and carriage returns gone, no-break
/// and other odd spaces made plain spaces, tabs expanded.
fn normalise(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for ch in page.chars() {
        match ch {
            '\u{ad}' | '\r' | '\u{200b}' | '\u{feff}' => {}
            '\t' => out.push_str("    "),
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' => out.push(' '),
            _ => match ligature(ch) {
                Some(spelled) => out.push_str(spelled),
                None => out.push(ch),
            },
        }
    }
    out
}

/// The page's lines in reading order, each trimmed at the end; blank lines
/// kept as empty strings, as paragraph hints.
fn reading_order(page: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = page
        .lines()
        .map(|line| line.trim_end().chars().collect())
        .collect();
    let Some(gutter) = find_gutter(&lines) else {
        return lines.iter().map(|line| line.iter().collect()).collect();
    };
    let mut out = Vec::new();
    let mut left: Vec<String> = Vec::new();
    let mut right: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<String>, left: &mut Vec<String>, right: &mut Vec<String>| {
        out.append(left);
        out.push(String::new());
        out.append(right);
        out.push(String::new());
    };
    for line in &lines {
        if crosses(line, gutter) {
            flush(&mut out, &mut left, &mut right);
            out.push(HARD_BREAK.to_string());
            out.push(line.iter().collect::<String>());
            out.push(HARD_BREAK.to_string());
            continue;
        }
        let split = gutter.min(line.len());
        left.push(
            line[..split]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string(),
        );
        if line.len() > split {
            right.push(line[split..].iter().collect::<String>().trim().to_string());
        } else {
            right.push(String::new());
        }
    }
    flush(&mut out, &mut left, &mut right);
    out
}

fn crosses(line: &[char], gutter: usize) -> bool {
    (gutter.saturating_sub(1)..=gutter + 1).any(|i| line.get(i).is_some_and(|c| !c.is_whitespace()))
}

/// A character column that splits the page into two columns of prose.
fn find_gutter(lines: &[Vec<char>]) -> Option<usize> {
    let width = lines.iter().map(Vec::len).max()?;
    if width < 40 {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for column in width * 3 / 10..=width * 7 / 10 {
        let crossing = lines.iter().filter(|line| crosses(line, column)).count();
        if best.is_none_or(|(_, fewest)| crossing < fewest) {
            best = Some((column, crossing));
        }
    }
    let (column, crossing) = best?;
    let right_sides: Vec<String> = lines
        .iter()
        .filter(|line| !crosses(line, column) && line.len() > column + 1)
        .map(|line| line[column..].iter().collect::<String>())
        .collect();
    let two_sided = lines
        .iter()
        .filter(|line| {
            !crosses(line, column)
                && line.len() > column + 1
                && line[..column].iter().any(|c| !c.is_whitespace())
        })
        .count();
    let prose = right_sides
        .iter()
        .filter(|side| side.split_whitespace().count() >= 4 && !is_row(side))
        .count();
    let ok = right_sides.len() >= 5
        && two_sided >= 3
        && crossing * 5 <= right_sides.len()
        && prose * 2 >= right_sides.len();
    ok.then_some(column)
}

/// Lines that repeat, digits aside, at the top or bottom of most pages.
fn running_lines(pages: &[Vec<String>]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for lines in pages {
        let mut seen = std::collections::HashSet::new();
        for line in margin_lines(lines) {
            let key = running_key(line);
            if !key.is_empty() && seen.insert(key.clone()) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let needed = (pages.len() / 2).max(2);
    counts
        .into_iter()
        .filter(|(_, count)| *count >= needed)
        .map(|(key, _)| key)
        .collect()
}

fn margin_lines(lines: &[String]) -> Vec<&String> {
    let filled: Vec<&String> = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let top = margin_size(filled.len());
    let bottom = filled.len().saturating_sub(top).max(top);
    filled[..top]
        .iter()
        .chain(&filled[bottom..])
        .copied()
        .collect()
}

/// How many lines at each end of a page of `filled` lines may be margins:
/// up to [`MARGIN_LINES`], and never the page's middle third.
fn margin_size(filled: usize) -> usize {
    MARGIN_LINES.min(filled / 3)
}

fn running_key(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The page without its running lines and page numbers.
fn drop_margins(lines: &[String], running: &std::collections::HashSet<String>) -> Vec<String> {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let top = margin_size(filled.len());
    let bottom = filled.len().saturating_sub(top).max(top);
    let in_margin: std::collections::HashSet<usize> = filled[..top]
        .iter()
        .chain(&filled[bottom..])
        .copied()
        .collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, line)| {
            !(in_margin.contains(i)
                && (running.contains(&running_key(line)) || is_page_number(line)))
        })
        .map(|(_, line)| line.clone())
        .collect()
}

/// `4`, `- 4 -`, `Page 4`, `4 of 12`, `iv`.
fn is_page_number(line: &str) -> bool {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| {
        (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            || (w.len() <= 5 && w.chars().all(|c| "ivxlc".contains(c)))
    };
    match words.as_slice() {
        [n] => number(n),
        [page, n] => page == "page" && number(n),
        [n, of, m] => number(n) && (of == "of" || of == "/") && number(m),
        [page, n, of, m] => page == "page" && number(n) && of == "of" && number(m),
        _ => false,
    }
}

/// Several cells split by gaps of two or more spaces, one of them a number.
fn is_row(line: &str) -> bool {
    let cells = row_cells(line);
    let numeric = cells
        .iter()
        .filter(|cell| cell.chars().any(|c| c.is_ascii_digit()))
        .count();
    // Mostly numbers, a label and a header cell aside: not a line of
    // widely spaced words.
    cells.len() >= 3 && numeric >= 1 && numeric + 2 >= cells.len()
}

fn row_cells(line: &str) -> Vec<String> {
    line.trim()
        .split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .map(str::to_string)
        .collect()
}

/// A short line of a label and two or more numbers, single-spaced as text
/// without layout has table rows: `Harrowgate Bay 910 1,020 +12.1%`.
fn spaced_row(line: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let numeric = |word: &str| {
        word.chars().any(|c| c.is_ascii_digit())
            && word
                .chars()
                .all(|c| c.is_ascii_digit() || ",.%+-−–$€£()".contains(c))
    };
    let label_len = words.iter().position(|word| numeric(word))?;
    let numbers = &words[label_len..];
    if numbers.len() < 2 || !numbers.iter().all(|word| numeric(word)) {
        return None;
    }
    let mut cells = Vec::new();
    if label_len > 0 {
        cells.push(words[..label_len].join(" "));
    }
    cells.extend(numbers.iter().map(|word| word.to_string()));
    Some(cells)
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', '"', '\u{201d}', ')', ';'])
}

/// The usual length of a line of prose on the page: the median of lines of
/// three or more words (a column's width on a two-column page).
fn typical_width(lines: &[String]) -> usize {
    let mut lengths: Vec<usize> = lines
        .iter()
        .map(|line| line.trim())
        .filter(|line| line.split_whitespace().count() >= 3 && !is_row(line))
        .map(|line| line.chars().count())
        .collect();
    lengths.sort_unstable();
    lengths.get(lengths.len() / 2).copied().unwrap_or(0)
}

fn blocks(lines: &[String]) -> Vec<Block> {
    let width = typical_width(lines);
    let mut last_line_short = false;
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let flush = |out: &mut Vec<Block>, paragraph: &mut String| {
        let text = one_line(paragraph);
        if !text.is_empty() {
            out.push(Block::Paragraph(text));
        }
        paragraph.clear();
    };
    for (index, raw) in lines.iter().enumerate() {
        if raw == HARD_BREAK {
            flush(&mut out, &mut paragraph);
            continue;
        }
        let line = raw.trim();
        if line.is_empty() {
            // A blank line inside a sentence is a gap in the layout, not the
            // end of a paragraph.
            if ends_sentence(&paragraph) || last_line_short || paragraph.trim().is_empty() {
                flush(&mut out, &mut paragraph);
            }
            continue;
        }
        if is_row(raw) {
            flush(&mut out, &mut paragraph);
            out.push(Block::Row(row_cells(raw)));
            continue;
        }
        let next = lines[index + 1..]
            .iter()
            .map(|line| line.trim())
            .find(|line| !line.is_empty());
        let spanning = index > 0
            && lines[index - 1] == HARD_BREAK
            && lines.get(index + 1).is_some_and(|next| next == HARD_BREAK);
        let short = spanning || line.chars().count() * 10 < width * 7;
        last_line_short = short;
        if paragraph.trim().is_empty() && short {
            if let Some(cells) = spaced_row(line) {
                out.push(Block::Row(cells));
                continue;
            }
        }
        if paragraph.trim().is_empty() && short && is_heading(line, next) {
            out.push(Block::Heading(one_line(line)));
            continue;
        }
        join_line(&mut paragraph, line);
        // A sentence's end on a line well short of the column ends a paragraph.
        if ends_sentence(line) && short {
            flush(&mut out, &mut paragraph);
        }
    }
    flush(&mut out, &mut paragraph);
    out
}

/// Appends a line, joining a word hyphenated across the line end.
fn join_line(paragraph: &mut String, line: &str) {
    let hyphenated = paragraph.ends_with('-')
        && paragraph[..paragraph.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
        && line.chars().next().is_some_and(char::is_lowercase);
    if hyphenated {
        paragraph.pop();
    } else if !paragraph.is_empty() {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// A short line that does not end like a sentence, starts with a capital and
/// is followed by text: a section heading.
fn is_heading(line: &str, next: Option<&str>) -> bool {
    let words = line.split_whitespace().count();
    let numbers = line
        .split_whitespace()
        .filter(|word| word.chars().any(|c| c.is_ascii_digit()))
        .count();
    (1..=8).contains(&words)
        && numbers < 2
        && line.chars().count() <= 60
        && !line.ends_with(['.', ',', ';', '-', '!', '?'])
        && line.chars().next().is_some_and(char::is_uppercase)
        && next.is_some_and(|next| next.chars().next().is_some_and(|c| !c.is_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let text = page(&[
            "                 A Title Across The Whole Page Width Here",
            "",
            "Left column starts here and it       Right column text begins over here",
            "goes on for a while with more        and it also continues for a while",
            "words until the sentence ends.       until this sentence ends as well.",
            "Another left paragraph runs on       More right column text follows on",
            "across two lines of text here.       across a second pair of lines now.",
        ]);
        let blocks = pages_to_blocks(&[text]);
        assert_eq!(
            blocks[0],
            vec![
                Block::Heading("A Title Across The Whole Page Width Here".into()),
                Block::Paragraph(
                    "Left column starts here and it goes on for a while with more words until the sentence ends. Another left paragraph runs on across two lines of text here.".into()
                ),
                Block::Paragraph(
                    "Right column text begins over here and it also continues for a while until this sentence ends as well. More right column text follows on across a second pair of lines now.".into()
                ),
            ]
        );
    }

    #[test]
    fn hyphens_ligatures_and_soft_hyphens_are_mended() {
        let text = page(&[
            "The e\u{fb00}ect of tempera-",
            "ture on ad\u{ad}missions is a long-",
            "standing puzzle, A-",
            "B.",
        ]);
        // A compound broken at its own hyphen loses it too ("longstanding"):
        // the line alone cannot tell the two apart. Before a capital the
        // hyphen stays.
        assert_eq!(
            pages_to_blocks(&[text])[0],
            vec![Block::Paragraph(
                "The effect of temperature on admissions is a longstanding puzzle, A- B.".into()
            )]
        );
    }

    #[test]
    fn running_headers_footers_and_page_numbers_are_dropped() {
        let pages: Vec<String> = (1..=3)
            .map(|n| {
                page(&[
                    "Journal of Coastal Health · Volume 12",
                    "",
                    &format!("Body text of page {n} says something true."),
                    &format!("It goes on for {n} more lines on this page."),
                    "Every page has this sentence in its middle.",
                    "",
                    &format!("Page {n} of 3"),
                ])
            })
            .collect();
        let blocks = pages_to_blocks(&pages);
        for (n, blocks) in blocks.iter().enumerate() {
            let n = n + 1;
            assert_eq!(
                blocks,
                &vec![Block::Paragraph(format!(
                    "Body text of page {n} says something true. It goes on for {n} more lines \
                     on this page. Every page has this sentence in its middle."
                ))]
            );
        }
    }

    #[test]
    fn a_paragraph_running_on_to_the_next_page_is_joined() {
        let pages = [
            page(&[
                "First page text ends a sentence.",
                "Westerly lies on the western coast and has",
            ]),
            page(&[
                "hospitals of the region, and 300 more.",
                "",
                "Next paragraph here.",
            ]),
        ];
        let blocks = pages_to_blocks(&pages);
        assert_eq!(
            blocks[0].last(),
            Some(&Block::Paragraph(
                "First page text ends a sentence. Westerly lies on the western coast and has hospitals of the region, and 300 more.".into()
            ))
        );
        assert_eq!(
            blocks[1],
            vec![Block::Paragraph("Next paragraph here.".into())]
        );
    }

    #[test]
    fn table_rows_stay_rows() {
        let text = page(&[
            "Measure                    Q2 2024      Q2 2025     Change",
            "Emergency admissions        17,290       18,344      +6.1%",
        ]);
        assert_eq!(
            pages_to_blocks(&[text])[0],
            vec![
                Block::Row(vec![
                    "Measure".into(),
                    "Q2 2024".into(),
                    "Q2 2025".into(),
                    "Change".into()
                ]),
                Block::Row(vec![
                    "Emergency admissions".into(),
                    "17,290".into(),
                    "18,344".into(),
                    "+6.1%".into()
                ]),
            ]
        );
    }
}
