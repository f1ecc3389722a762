//! Hover: what the corpus says about the name, figure, quote or citation under
//! the cursor, as Markdown with links to the source lines.

use std::fmt::Write;

use crate::check::{Claim, ClaimKind, NoteAnalysis, SourceRef, Verdict};
use crate::corpus::copies::Copies;
use crate::corpus::{Corpus, DocId, EntityId};
use crate::extract::citations::Resolution;
use crate::extract::Figure;
use crate::text::Span;

use super::{document, escape_markdown, excerpt, short_id, source_link};

/// Hover text for a range of the note.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverText {
    pub span: Span,
    pub markdown: String,
}

const MAX_SOURCES: usize = 6;
const EXCERPT_CHARS: usize = 240;

/// The hover at `offset`, if a claim lies under it.
pub fn hover(
    corpus: &Corpus,
    copies: &Copies,
    analysis: &NoteAnalysis,
    note: &str,
    offset: usize,
) -> Option<HoverText> {
    let claim = analysis.claim_at(offset)?;
    let markdown = match &claim.kind {
        ClaimKind::Entity { entity } => entity_hover(corpus, copies, *entity, claim)?,
        ClaimKind::Figure { figure, reading } => {
            figure_hover(corpus, copies, figure, reading, note, claim)
        }
        ClaimKind::Quote { .. } => quote_hover(corpus, copies, claim),
        ClaimKind::Citation { key, doc } => citation_hover(corpus, key, *doc),
    };
    Some(HoverText {
        span: claim.span,
        markdown,
    })
}

/// Sources with copies of one document folded into the first of them: each
/// with how many more of its copies say the same (with the same verdict).
fn grouped<'a>(
    sources: impl Iterator<Item = &'a SourceRef>,
    copies: &Copies,
) -> Vec<(&'a SourceRef, usize)> {
    let mut out: Vec<(&SourceRef, usize)> = Vec::new();
    for source in sources {
        // Another place in a document listed is listed too; a copy's is counted.
        let shown = out.iter_mut().find(|(first, _)| {
            first.doc != source.doc
                && first.verdict == source.verdict
                && copies.same(first.doc, source.doc)
        });
        match shown {
            Some((_, more)) => *more += 1,
            None => out.push((source, 0)),
        }
    }
    out
}

fn entity_hover(
    corpus: &Corpus,
    copies: &Copies,
    entity: EntityId,
    claim: &Claim,
) -> Option<String> {
    let info = corpus.entities().get(entity.0 as usize)?;
    let mut out = format!("**{}**", escape_markdown(&info.name));
    if !info.aliases.is_empty() {
        let aliases: Vec<String> = info.aliases.iter().map(|a| escape_markdown(a)).collect();
        let _ = write!(out, "  \nalso: {}", aliases.join(", "));
    }
    let count = info.document_count();
    let _ = write!(
        out,
        "\n\nMentioned in {count} {}.",
        plural(count, "document", "documents")
    );
    if !claim.sources.is_empty() {
        out.push_str("\n\nWhat the sources say:\n");
        // The claim lists the best mention of each source first (see
        // `check::note`), so these lines cover as many sources as fit.
        let groups = grouped(claim.sources.iter(), copies);
        let mut shown = 0;
        for (source, more) in groups.iter().take(MAX_SOURCES) {
            push_source_line(&mut out, corpus, source, None, *more);
            shown += 1 + more;
        }
        let rest = info.mentions.len().saturating_sub(shown);
        if rest > 0 {
            let _ = writeln!(
                out,
                "- … and {rest} more {}: find references lists every one, and the corpus \
                 report counts each name's mentions and documents",
                plural(rest, "mention", "mentions")
            );
        }
    }
    Some(out)
}

fn figure_hover(
    corpus: &Corpus,
    copies: &Copies,
    figure: &Figure,
    reading: &str,
    note: &str,
    claim: &Claim,
) -> String {
    let mut out = format!("**{}**", escape_markdown(figure.span.slice(note).trim()));
    let groups = grouped(claim.sources.iter(), copies);
    let agree = groups
        .iter()
        .filter(|(s, _)| s.verdict == Verdict::Agrees)
        .count();
    let differ = groups.len() - agree;
    let summary = match (agree, differ) {
        (0, 0) => "no source states this figure".to_string(),
        (n, 0) => format!("{n} {} agree", plural(n, "source", "sources")),
        (0, n) => format!(
            "no source agrees; {n} {} otherwise",
            plural(n, "states it", "state it")
        ),
        (a, d) => format!("sources differ: {a} agree, {d} state it otherwise"),
    };
    let _ = write!(out, " — {summary}\n\n");
    if !reading.is_empty() {
        // Only sources that state a compatible claim are compared at all.
        let _ = write!(out, "Read as a claim {}.\n\n", escape_markdown(reading));
    }
    for (source, more) in groups.iter().take(MAX_SOURCES) {
        let mark = match source.verdict {
            Verdict::Agrees => "✓",
            Verdict::Differs => "✗",
        };
        push_source_line(&mut out, corpus, source, Some(mark), *more);
        if let Some(note) = conversion_note(corpus, source) {
            let _ = writeln!(out, "  - {note}");
        }
    }
    push_more(&mut out, groups.len());
    out
}

/// "2 billion yuan ≈ $300 million (1 CNY ≈ 0.15 USD, the rate this source uses)"
/// when the source writes the figure in two currencies.
fn conversion_note(corpus: &Corpus, source: &SourceRef) -> Option<String> {
    let doc = document(corpus, source.doc)?;
    let sentence = source.sentence.slice(&doc.text);
    let offset = source.sentence.start();
    let figure = crate::extract::figures::find(sentence)
        .into_iter()
        .find(|f| {
            Span::new(f.span.start() + offset, f.span.end() + offset).overlaps(source.span)
        })?;
    let equivalent = figure.equivalent.as_deref()?;
    if figure.value == 0.0 || equivalent.unit == figure.unit {
        return None;
    }
    let main_words = Span::new(figure.span.start(), equivalent.span.start())
        .slice(sentence)
        .trim_end_matches([' ', '(', '['])
        .trim();
    let rate = equivalent.value / figure.value;
    Some(format!(
        "converts: {} ≈ {} (1 {} ≈ {} {}, the rate this source uses)",
        escape_markdown(main_words),
        escape_markdown(equivalent.span.slice(sentence)),
        figure.unit,
        format_rate(rate),
        equivalent.unit
    ))
}

fn format_rate(rate: f64) -> String {
    let digits = if rate >= 100.0 {
        0
    } else if rate >= 1.0 {
        2
    } else {
        4
    };
    let text = format!("{rate:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn quote_hover(corpus: &Corpus, copies: &Copies, claim: &Claim) -> String {
    let found = grouped(
        claim
            .sources
            .iter()
            .filter(|s| s.verdict == Verdict::Agrees),
        copies,
    );
    if found.is_empty() {
        let mut out = "No source contains these words.".to_string();
        if let Some(closest) = claim.sources.first() {
            out.push_str("\n\nClosest passage:\n");
            push_source_line(&mut out, corpus, closest, None, 0);
        }
        return out;
    }
    let mut out = "Quoted from:\n".to_string();
    for (source, more) in found.iter().take(MAX_SOURCES) {
        push_source_line(&mut out, corpus, source, None, *more);
    }
    out
}

fn citation_hover(corpus: &Corpus, key: &str, doc: Option<DocId>) -> String {
    let Some(found) = doc.and_then(|id| document(corpus, id)) else {
        return match corpus.resolve_key(key) {
            Resolution::Ambiguous(candidates) => {
                let mut out = format!(
                    "{} could mean several documents:\n",
                    code(&format!("@{key}"))
                );
                for index in candidates.iter().take(MAX_SOURCES) {
                    if let Some(doc) = corpus.documents().get(*index) {
                        let _ =
                            writeln!(out, "- {} {}", code(&doc.id), escape_markdown(&doc.title));
                    }
                }
                out
            }
            _ => format!(
                "{} matches no document in the corpus.",
                code(&format!("@{key}"))
            ),
        };
    };
    let mut out = format!(
        "**{}**\n\n{}",
        escape_markdown(&found.title),
        code(&found.id)
    );
    if let Some(date) = &found.date {
        let _ = write!(out, " · {}", escape_markdown(date));
    }
    if let Some(url) = &found.url {
        let _ = write!(out, " · <{url}>");
    }
    let opening = opening_lines(&found.text, &found.title, 3);
    if !opening.is_empty() {
        out.push_str("\n\n");
        for line in opening {
            let _ = writeln!(out, "> {}  ", escape_markdown(&line));
        }
    }
    let _ = write!(out, "\n{}", source_link(found, Span::new(0, 0)));
    out
}

/// The first few lines of a document's body, after front matter and its title line.
pub fn opening_lines(text: &str, title: &str, count: usize) -> Vec<String> {
    let body_start = crate::extract::markdown::front_matter(text)
        .map(|front| front.span.end())
        .or_else(|| simple_front_matter_end(text))
        .unwrap_or(0);
    text.get(body_start..)
        .unwrap_or("")
        .lines()
        .map(|line| line.trim().trim_start_matches('#').trim())
        // Converted sources start with comment lines naming the original.
        .filter(|line| !line.is_empty() && *line != title.trim() && !line.starts_with("<!--"))
        .take(count)
        .map(|line| excerpt(line, Span::new(0, line.len()), 160))
        .collect()
}

fn simple_front_matter_end(text: &str) -> Option<usize> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let close = rest.find("\n---")?;
    let after = text.len() - rest.len() + close + 4;
    Some(
        text[after..]
            .find('\n')
            .map_or(text.len(), |i| after + i + 1),
    )
}

/// `text` as a Markdown code span, which shows backslashes and stars as written.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn push_source_line(
    out: &mut String,
    corpus: &Corpus,
    source: &SourceRef,
    mark: Option<&str>,
    copies: usize,
) {
    let Some(doc) = document(corpus, source.doc) else {
        return;
    };
    let words = escape_markdown(&excerpt(&doc.text, source.sentence, EXCERPT_CHARS));
    let mark = mark.map(|m| format!("{m} ")).unwrap_or_default();
    let _ = write!(
        out,
        "- {mark}**{}** {}: “{words}”",
        short_id(&doc.id),
        source_link(doc, source.span)
    );
    if copies > 0 {
        let _ = write!(out, " ({})", super::copies_say_the_same(copies));
    }
    out.push('\n');
}

fn push_more(out: &mut String, total: usize) {
    if total > MAX_SOURCES {
        let _ = writeln!(out, "- … and {} more", total - MAX_SOURCES);
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use expect_test::expect;

    const NOTE: &str = "# Deal\nHarbor Lane paid $450 million for Millbrook [@001_harbor]; the boss saw “a natural fit for our brands”.\n";

    fn analysis() -> NoteAnalysis {
        NoteAnalysis {
            findings: Vec::new(),
            claims: vec![
                figure_claim(
                    NOTE,
                    "$450 million",
                    450e6,
                    vec![
                        source_ref(0, "$410 million", Verdict::Differs),
                        source_ref(1, "about $400 million", Verdict::Differs),
                    ],
                ),
                citation_claim(NOTE, "001_harbor", Some(0)),
                quote_claim(
                    NOTE,
                    "“a natural fit for our brands”",
                    vec![source_ref(
                        0,
                        "a natural fit for our brands",
                        Verdict::Agrees,
                    )],
                ),
            ],
        }
    }

    fn check(needle: &str, expected: expect_test::Expect) {
        let corpus = corpus();
        let offset = NOTE.find(needle).unwrap() + 1;
        let text = hover(&corpus, &Copies::find(&corpus), &analysis(), NOTE, offset)
            .map(|h| format!("{}..{}\n{}", h.span.start, h.span.end, h.markdown))
            .unwrap_or_default();
        expected.assert_eq(&text);
    }

    #[test]
    fn hover_on_a_figure_lists_what_each_source_says() {
        check(
            "$450",
            expect![[r#"
                24..36
                **$450 million** — no source agrees; 2 state it otherwise

                - ✗ **001** [001_harbor:3](file:///corpus/001_harbor.txt#L3): “Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for $410 million in cash.”
                - ✗ **002** [002_close:5](file:///corpus/002_close.md#L5): “The Millbrook Dairy purchase, worth about $400 million, closed in March.”
            "#]],
        );
    }

    #[test]
    fn hover_on_a_citation_shows_title_and_opening_lines() {
        check(
            "001_harbor",
            expect![[r#"
                53..63
                **Harbor Lane Foods**

                `001_harbor`

                > Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for $410 million in cash.  
                > The chief executive called it “a natural fit for our brands”.  

                [001_harbor:1](file:///corpus/001_harbor.txt#L1)"#]],
        );
    }

    #[test]
    fn hover_on_a_quote_shows_the_source_sentence() {
        check(
            "“a natural",
            expect![[r#"
                79..113
                Quoted from:
                - **001** [001_harbor:4](file:///corpus/001_harbor.txt#L4): “The chief executive called it “a natural fit for our brands”.”
            "#]],
        );
    }

    #[test]
    fn unknown_citation_and_empty_places_answer_sensibly() {
        let corpus = corpus();
        let note = "See [@nothing].";
        let analysis = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![citation_claim(note, "nothing", None)],
        };
        let text = hover(&corpus, &Copies::default(), &analysis, note, 7)
            .unwrap()
            .markdown;
        assert_eq!(text, "`@nothing` matches no document in the corpus.");
        assert_eq!(hover(&corpus, &Copies::default(), &analysis, note, 0), None);
        assert_eq!(
            hover(&corpus, &Copies::default(), &analysis, note, 10_000),
            None
        );
    }

    #[test]
    fn citation_opening_lines_skip_front_matter() {
        let lines = opening_lines(SOURCE_B, "Millbrook deal closes", 3);
        assert_eq!(
            lines,
            ["The Millbrook Dairy purchase, worth about $400 million, closed in March."]
        );
    }

    #[test]
    fn hover_on_a_name_shows_each_source_before_more_of_one() {
        use crate::check::{analyze_note, CheckOptions};
        use crate::corpus::{CorpusOptions, SourceText};
        let source = |id: &str, text: String| SourceText {
            id: id.into(),
            path: format!("corpus/{id}.txt").into(),
            title: id.into(),
            text,
            ..SourceText::default()
        };
        // One source names the company in every sentence, with a figure each
        // time; two others name it once, with no figure.
        let busy: String = (1..=12)
            .map(|i| format!("Harbor Lane Foods opened {i} new plants in year {i}.\n\n"))
            .collect();
        let corpus = Corpus::from_sources(
            vec![
                source("a-busy", busy),
                source(
                    "b-wire",
                    "Analysts said Harbor Lane Foods is growing.\n".into(),
                ),
                source(
                    "c-trade",
                    "The trade press covered Harbor Lane Foods at length.\n".into(),
                ),
            ],
            CorpusOptions::default(),
        );
        let note = "Harbor Lane Foods keeps growing.\n";
        let analysis = analyze_note(&corpus, note, &CheckOptions::default());
        let text = hover(&corpus, &Copies::find(&corpus), &analysis, note, 1)
            .expect("a hover on the name")
            .markdown;
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("- ")).collect();
        let first_three: Vec<&str> = lines
            .iter()
            .take(3)
            .map(|l| l.split("**").nth(1).unwrap_or(""))
            .collect();
        let mut sources = first_three.clone();
        sources.sort();
        assert_eq!(sources, ["a-busy", "b-wire", "c-trade"], "{text}");
        // Six lines shown of 14 mentions: the rest are counted, and where to see them.
        assert_eq!(lines.len(), MAX_SOURCES + 1, "{text}");
        assert!(
            lines[MAX_SOURCES].starts_with("- … and 8 more mentions: find references"),
            "{text}"
        );
        assert!(text.contains("corpus report"), "{text}");
    }

    #[test]
    fn rates_print_with_sensible_precision() {
        assert_eq!(format_rate(0.15), "0.15");
        assert_eq!(format_rate(7.25), "7.25");
        assert_eq!(format_rate(150.0), "150");
        assert_eq!(format_rate(0.123456), "0.1235");
    }
}
