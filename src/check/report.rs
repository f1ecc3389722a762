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

/// The report for `corpus`.
pub fn corpus_report(corpus: &Corpus) -> String {
    let stats = corpus.stats();
    let mut out = String::new();
    let _ = writeln!(out, "# Corpus report\n");
    let _ = writeln!(
        out,
        "{} documents ({:.1} MB), {} figures, {} entities, {} source conflicts.\n",
        stats.documents,
        stats.bytes as f64 / 1e6,
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
                format!("{} ({}:{line})", span.slice(&document.text), document.id)
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
            document.id,
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
    }
}
