//! Notes about a generated corpus, figures and quotes copied right or
//! altered on purpose ([`generate_note`]), and [`validate`].

use refnotes::corpus::SourceText;

use super::Rng;

/// A sentence of a source that a note can restate.
struct Passage<'a> {
    doc: &'a str,
    text: &'a str,
}

/// Splits prose into sentences well enough to pick lines for a note: at a
/// line break, or at "." (or ".”") before a capitalized word or the end, unless
/// the word before is a short capitalized abbreviation ("Mr.", "Co.", "Nov.",
/// "U.S.").
fn rough_sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        if i < start {
            continue;
        }
        let (end, next_start) = match ch {
            '\n' => (i, i + 1),
            '.' => {
                let mut after = i + 1;
                if text[after..].starts_with('”') {
                    after += '”'.len_utf8();
                }
                let rest = &text[after..];
                let capital_follows = rest
                    .strip_prefix(' ')
                    .and_then(|word| word.chars().next())
                    .is_some_and(|first| first.is_uppercase() || first == '“');
                let breaks = rest.is_empty() || rest.starts_with('\n') || capital_follows;
                if !breaks || after_abbreviation(&text[start..i]) {
                    continue;
                }
                (after, after)
            }
            _ => continue,
        };
        let sentence = text[start..end].trim();
        if !sentence.is_empty() {
            sentences.push(sentence);
        }
        start = next_start;
    }
    sentences
}

fn after_abbreviation(before: &str) -> bool {
    let word = before.rsplit([' ', '(', '\n']).next().unwrap_or("");
    let short_cap = word.len() <= 4 && word.chars().next().is_some_and(char::is_uppercase);
    short_cap || word.contains('.')
}

/// The inner words of the first “…” quote in `sentence`, if any.
fn curly_quote(sentence: &str) -> Option<&str> {
    let open = sentence.find('“')?;
    let inner_start = open + '“'.len_utf8();
    let close = sentence[inner_start..].find('”')? + inner_start;
    Some(&sentence[inner_start..close])
}

/// `sentence` with its first number changed so that no source states it: a
/// year moves by a few years, any other number gets a different leading
/// digit, so the change is larger than any "about" allows.
fn alter_first_number(sentence: &str) -> Option<String> {
    let start = sentence.find(|ch: char| ch.is_ascii_digit())?;
    let len = sentence[start..]
        .find(|ch: char| !ch.is_ascii_digit())
        .unwrap_or(sentence.len() - start);
    let digits = &sentence[start..start + len];
    let year_like = len == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    let at = if year_like { start + 3 } else { start };
    let digit = sentence.as_bytes()[at] - b'0';
    let replacement = if digit >= 5 { digit - 3 } else { digit + 4 };
    let mut altered = String::with_capacity(sentence.len());
    altered.push_str(&sentence[..at]);
    altered.push((b'0' + replacement) as char);
    altered.push_str(&sentence[at + 1..]);
    Some(altered)
}

/// `quote` with one word swapped, so no source contains it.
fn misword(rng: &mut Rng, quote: &str) -> String {
    let words: Vec<&str> = quote.split(' ').collect();
    let at = 1 + rng.below(words.len().saturating_sub(1).max(1));
    let mut out = String::with_capacity(quote.len() + 8);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == at.min(words.len() - 1) {
            out.push_str(if *word == "entirely" {
                "largely"
            } else {
                "entirely"
            });
        } else {
            out.push_str(word);
        }
    }
    out
}

/// A Markdown research note of exactly `lines` lines about `corpus`: front
/// matter, headings, and bullet points that restate the sources' figures and
/// quotes (most correct and cited, some with a figure altered, a quote
/// misworded, a citation to the wrong document or to one that does not
/// exist), prose with no figures, and numbers unrelated to the sources
/// (reading times, to-do counts, inline code). Same input, same note.
pub fn generate_note(corpus: &[SourceText], lines: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed ^ 0x6e07e);
    let mut passages: Vec<Passage<'_>> = Vec::new();
    // A few hundred documents are plenty to draw a note from, and keep this
    // fast on the largest corpora.
    for _ in 0..corpus.len().min(300) {
        let source = &corpus[rng.below(corpus.len())];
        let body = match source.text.strip_prefix("---\n") {
            Some(rest) => rest.find("\n---\n").map_or(rest, |end| &rest[end + 5..]),
            None => &source.text,
        };
        for text in rough_sentences(body) {
            let useful = text.len() < 400
                && !text.starts_with('#')
                && !text.starts_with('-')
                && (text.contains('“') || text.bytes().any(|b| b.is_ascii_digit()));
            if useful {
                passages.push(Passage {
                    doc: &source.id,
                    text,
                });
            }
        }
    }

    let mut note = String::with_capacity(lines * 120);
    let header = [
        "---",
        "title: Sector reading notes",
        "author: Research desk",
        "date: 2024-11-15",
        "---",
        "",
        "# Sector reading notes",
        "",
        "*Reading time: 25 minutes. Open items: 4.*",
        "",
    ];
    let mut written = 0;
    for line in header.iter().take(lines) {
        note.push_str(line);
        note.push('\n');
        written += 1;
    }
    let mut section = 0;
    while written < lines {
        let line = if written % 40 == 10 {
            section += 1;
            format!("## Section {section}")
        } else if written % 40 == 11 || passages.is_empty() {
            String::new()
        } else {
            note_line(&mut rng, &passages, corpus, written)
        };
        note.push_str(&line);
        note.push('\n');
        written += 1;
    }
    note
}

fn note_line(
    rng: &mut Rng,
    passages: &[Passage<'_>],
    corpus: &[SourceText],
    line: usize,
) -> String {
    let passage = rng.pick_ref(passages);
    match rng.below(100) {
        // A figure or quote restated and cited right.
        0..=39 => format!("- {} [@{}]", passage.text, passage.doc),
        // The same, uncited.
        40..=49 => format!("- {}", passage.text),
        // A figure altered.
        50..=61 => match alter_first_number(passage.text) {
            Some(altered) => format!("- {altered}"),
            None => format!("- {}", passage.text),
        },
        // A quote misworded, or a correct one with its source.
        62..=71 => match curly_quote(passage.text) {
            Some(quote) if rng.chance(50) => {
                format!("- They said: “{}” [@{}]", misword(rng, quote), passage.doc)
            }
            Some(quote) => format!("- They said: “{quote}” [@{}]", passage.doc),
            None => format!("- {} [@{}]", passage.text, passage.doc),
        },
        // Cited to a document that does not say it.
        72..=77 => {
            let other = &corpus[rng.below(corpus.len())].id;
            format!("- {} [@{other}]", passage.text)
        }
        // Cited to a document that is not in the corpus.
        78..=80 => format!("- See also [@missing-source-{line}] on this point."),
        // Prose with no figures.
        81..=88 => "Follow up on the competitive picture and the regulatory angle.".to_string(),
        // Numbers that have nothing to do with the sources.
        89..=94 => format!(
            "- [ ] TODO: draft {} charts; call scheduled for {}pm.",
            rng.between(2, 9),
            rng.between(1, 5)
        ),
        _ => format!(
            "Re-run `refnotes check --corpus corpus notes.md` after {} more sources land.",
            rng.between(2, 20)
        ),
    }
}

/// Checks what the benches rely on in a generated corpus and note: the size
/// asked for, documents of 2–8 KB (plus the last sentence that crossed the
/// mark), ids unique and never a prefix of one another (so every citation key
/// the note uses resolves to one document), and a note of exactly
/// `note_lines` lines that cites the corpus. Returns what is wrong.
pub fn validate(
    sources: &[SourceText],
    bytes: usize,
    note: &str,
    note_lines: usize,
) -> Result<(), String> {
    let total: usize = sources.iter().map(|source| source.text.len()).sum();
    if total < bytes || total > bytes + 10_000 {
        return Err(format!("corpus holds {total} bytes, asked for {bytes}"));
    }
    if let Some(source) = sources
        .iter()
        .find(|source| !(2_000..=9_000).contains(&source.text.len()))
    {
        return Err(format!(
            "{} holds {} bytes, outside 2–8 KB",
            source.id,
            source.text.len()
        ));
    }
    let mut ids: Vec<&str> = sources.iter().map(|source| source.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[1].starts_with(pair[0])) {
        return Err(format!("id {} is a prefix of {}", pair[0], pair[1]));
    }
    if note.lines().count() != note_lines {
        return Err(format!(
            "note has {} lines, asked for {note_lines}",
            note.lines().count()
        ));
    }
    let cited = note.matches("[@").count();
    if note_lines >= 100 && cited < note_lines / 4 {
        return Err(format!(
            "note cites only {cited} times in {note_lines} lines"
        ));
    }
    Ok(())
}
