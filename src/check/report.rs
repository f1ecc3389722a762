//! The corpus report: what the reference base holds (documents, the most
//! mentioned entities, figures by kind) and where its sources disagree, as
//! Markdown for an editor's read-only view.

use std::fmt::Write;

use crate::corpus::Corpus;
use crate::extract::FigureKind;

/// Entities listed at most, most mentioned first.
const MAX_ENTITIES: usize = 50;
/// Documents and conflicts listed at most.
const MAX_ROWS: usize = 200;
/// Ids longer than this many characters are cut between words.
const MAX_ID_CHARS: usize = 32;

/// The report for `corpus`.
pub fn corpus_report(corpus: &Corpus) -> String {
    let stats = corpus.stats();
    let mut out = String::new();
    let _ = writeln!(out, "# Corpus report\n");
    let _ = writeln!(
        out,
        "{} documents ({}), {} figures, {} entities, {} source conflicts.\n",
        stats.documents,
        size(stats.bytes as u64),
        stats.figures,
        stats.entities,
        stats.conflicts
    );
    write_conflicts(corpus, &mut out);
    write_documents(corpus, &mut out);
    write_entities(corpus, &mut out);
    write_figure_kinds(corpus, &mut out);
    out
}

/// A byte count in the largest decimal unit that shows it as at least 1
/// ("154 B", "12.4 KB", "5.3 MB"): a small corpus is not "0.0 MB".
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1_000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1e3;
    for unit in &UNITS[..UNITS.len() - 1] {
        // 999.96 KB would print as "1000.0 KB": the next unit shows it.
        if value < 999.95 {
            return format!("{value:.1} {unit}");
        }
        value /= 1e3;
    }
    format!("{value:.1} {}", UNITS[UNITS.len() - 1])
}

/// A document id short enough for a table column: a long one is cut at the
/// last separator that fits, with an ellipsis, so a narrow column never
/// shows it broken inside a word; an id of one long word is kept whole.
fn short_id(id: &str) -> std::borrow::Cow<'_, str> {
    let Some((fits, _)) = id.char_indices().nth(MAX_ID_CHARS) else {
        return id.into();
    };
    match id[..fits].rfind(['-', '_', '/', '.', ' ']) {
        Some(cut) if cut > 0 => format!("{}…", &id[..cut]).into(),
        _ => id.into(),
    }
}

/// Table cells must not break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn write_conflicts(corpus: &Corpus, out: &mut String) {
    let conflicts = corpus.conflicts();
    let _ = writeln!(out, "## Source conflicts\n");
    if conflicts.is_empty() {
        let _ = writeln!(out, "No two sources state one fact differently.\n");
        return;
    }
    let _ = writeln!(out, "| About | What each source says |\n|---|---|");
    for conflict in conflicts.iter().take(MAX_ROWS) {
        let said: Vec<String> = conflict
            .statements
            .iter()
            .map(|(doc, span, _)| {
                let document = corpus.document(*doc);
                let line = document.lines.line_of(span.start()) + 1;
                let id = short_id(&document.id);
                format!("{} ({id}:{line})", span.slice(&document.text))
            })
            .collect();
        let _ = writeln!(
            out,
            "| {}… | {} |",
            cell(&conflict.subject),
            cell(&said.join("; "))
        );
    }
    let _ = writeln!(out);
}

fn write_documents(corpus: &Corpus, out: &mut String) {
    let _ = writeln!(
        out,
        "## Documents\n\n| Id | Title | Date | Figures |\n|---|---|---|---|"
    );
    for doc in corpus.ids().take(MAX_ROWS) {
        let document = corpus.document(doc);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            short_id(&document.id),
            cell(&document.title),
            document.date.as_deref().unwrap_or(""),
            corpus.facts(doc).analysis.figures.len()
        );
    }
    if corpus.documents().len() > MAX_ROWS {
        let _ = writeln!(out, "\n…and {} more.", corpus.documents().len() - MAX_ROWS);
    }
    let _ = writeln!(out);
}

fn write_entities(corpus: &Corpus, out: &mut String) {
    let mut entities: Vec<_> = corpus.entities().iter().collect();
    entities.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(a.name.cmp(&b.name))
    });
    let _ = writeln!(
        out,
        "## Entities\n\n| Name | Also | Mentions | Documents |\n|---|---|---|---|"
    );
    for entity in entities.iter().take(MAX_ENTITIES) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&entity.name),
            cell(&entity.aliases.join(", ")),
            entity.mentions.len(),
            entity.document_count()
        );
    }
    let _ = writeln!(out);
}

fn write_figure_kinds(corpus: &Corpus, out: &mut String) {
    let _ = writeln!(out, "## Figures by kind\n\n| Kind | Figures |\n|---|---|");
    for kind in FigureKind::ALL {
        let count: usize = corpus
            .ids()
            .map(|doc| corpus.facts(doc).figures_of_kind(kind).len())
            .sum();
        let _ = writeln!(out, "| {} | {count} |", kind.plural());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusOptions, SourceText};

    #[test]
    fn the_report_lists_documents_entities_figures_and_conflicts() {
        let source = |id: &str, text: &str| SourceText {
            id: id.into(),
            title: format!("{id} | title"),
            text: text.into(),
            ..SourceText::default()
        };
        let corpus = Corpus::from_sources(
            vec![
                source("a", "Northgate Ferries employs about 640 people on its Irish Sea routes.\n"),
                source("b", "Northgate Ferries employs about 710 people on its Irish Sea routes, the union said.\n"),
            ],
            CorpusOptions::default(),
        );
        let report = corpus_report(&corpus);
        assert!(report.contains("2 documents"), "{report}");
        assert!(report.contains("| `a` | a \\| title |"), "{report}");
        assert!(
            report.contains("about 640 people (a:1); about 710 people (b:1)")
                || report.contains("640 people (a:1); 710 people (b:1)"),
            "{report}"
        );
        assert!(report.contains("| Northgate Ferries |"), "{report}");
        assert!(report.contains("| counts | 2 |"), "{report}");
        // A few hundred bytes: shown in bytes, not "0.0 MB".
        assert!(report.contains("2 documents (152 B)"), "{report}");
    }

    #[test]
    fn sizes_take_the_unit_that_shows_them() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1_000, "1.0 KB"),
            (12_400, "12.4 KB"),
            (999_949, "999.9 KB"),
            (999_950, "1.0 MB"),
            (5_300_000, "5.3 MB"),
            (2_500_000_000, "2.5 GB"),
        ];
        for (bytes, shown) in cases {
            assert_eq!(size(bytes), shown, "{bytes} bytes");
        }
    }

    #[test]
    fn long_ids_are_cut_between_words_with_an_ellipsis() {
        let long = "reuters-2017-11-14-amazon-sells-china-cloud-assets-to-beijing-sinnet";
        let cut = short_id(long);
        assert_eq!(cut, "reuters-2017-11-14-amazon-sells…");
        assert!(cut.chars().count() <= MAX_ID_CHARS + 1);
        assert_eq!(short_id("reuters-2017-11-14"), "reuters-2017-11-14");
        // One long word is shown whole rather than broken.
        let word = "a".repeat(60);
        assert_eq!(short_id(&word), word);
        // In the report, the table cell holds the cut id.
        let corpus = Corpus::from_sources(
            vec![SourceText {
                id: long.into(),
                title: "t".into(),
                text: "Northgate Ferries employs about 640 people.\n".into(),
                ..SourceText::default()
            }],
            CorpusOptions::default(),
        );
        let report = corpus_report(&corpus);
        assert!(
            report.contains("| `reuters-2017-11-14-amazon-sells…` | t |"),
            "{report}"
        );
    }
}
