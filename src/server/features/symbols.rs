//! Symbols: a note's outline (headings, with its figures and quotes under
//! them) and the corpus's entities and documents for workspace search.

use crate::check::{ClaimKind, NoteAnalysis};
use crate::corpus::{Corpus, DocId};
use crate::text::{LineIndex, Span};

use super::SourceSpan;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Heading,
    Figure,
    Quote,
    Citation,
    Entity,
    Document,
}

/// One entry of a note's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The whole section or claim.
    pub span: Span,
    /// What to highlight: the heading's text or the claim.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The note's headings, nested by level, with figures and quotes under them.
pub fn document_symbols(text: &str, lines: &LineIndex, analysis: &NoteAnalysis) -> Vec<Symbol> {
    let headings = headings(text, lines);
    let claims: Vec<Symbol> = analysis
        .claims
        .iter()
        .filter_map(|claim| {
            let kind = match claim.kind {
                ClaimKind::Figure { .. } => SymbolKind::Figure,
                ClaimKind::Quote { .. } => SymbolKind::Quote,
                _ => return None,
            };
            let name = super::excerpt(text, claim.span, 60);
            (!name.is_empty()).then(|| Symbol {
                name,
                kind,
                span: claim.span,
                selection: claim.span,
                children: Vec::new(),
            })
        })
        .collect();
    nest(text, &headings, claims, text.len())
}

/// An ATX (`## Title`) or setext (`Title` over `===`) heading.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Heading {
    level: usize,
    line_start: usize,
    title: Span,
}

fn headings(text: &str, lines: &LineIndex) -> Vec<Heading> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    let mut line = 0;
    if lines.line_span(text, 0).slice(text).trim_end() == "---" {
        line = (1..lines.line_count())
            .find(|&l| {
                matches!(
                    lines.line_span(text, l).slice(text).trim_end(),
                    "---" | "..."
                )
            })
            .map_or(0, |l| l + 1);
    }
    let mut previous_text: Option<(usize, Span)> = None;
    while line < lines.line_count() {
        let span = lines.line_span(text, line);
        let content = span.slice(text);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        line += 1;
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            previous_text = None;
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if indent < 4 && (1..=6).contains(&hashes) {
            let rest = &trimmed[hashes..];
            if rest.is_empty() || rest.starts_with([' ', '\t']) {
                let title = rest.trim().trim_end_matches('#').trim_end();
                let start = rest.as_ptr() as usize - text.as_ptr() as usize;
                let start = start + (rest.len() - rest.trim_start().len());
                found.push(Heading {
                    level: hashes,
                    line_start: span.start(),
                    title: Span::new(start, start + title.len()),
                });
                previous_text = None;
                continue;
            }
        }
        let underline = trimmed.trim_end();
        if let Some((start, title)) = previous_text {
            if indent < 4
                && !underline.is_empty()
                && underline.chars().all(|c| c == '=' || c == '-')
            {
                let level = if underline.starts_with('=') { 1 } else { 2 };
                found.push(Heading {
                    level,
                    line_start: start,
                    title,
                });
                previous_text = None;
                continue;
            }
        }
        previous_text = (!trimmed.is_empty()).then(|| {
            let start = span.start() + indent;
            (
                span.start(),
                Span::new(start, start + trimmed.trim_end().len()),
            )
        });
    }
    found
}

/// Builds the outline of `[start, end)` from headings and claims sorted by position.
fn nest(text: &str, headings: &[Heading], claims: Vec<Symbol>, end: usize) -> Vec<Symbol> {
    let mut out = Vec::new();
    let mut claims = claims.into_iter().peekable();
    let mut index = 0;
    while index < headings.len() {
        let heading = &headings[index];
        while let Some(claim) = claims.next_if(|c| c.span.start() < heading.line_start) {
            out.push(claim);
        }
        let section_len = headings[index + 1..]
            .iter()
            .position(|h| h.level <= heading.level)
            .unwrap_or(headings.len() - index - 1);
        let section_end = headings
            .get(index + 1 + section_len)
            .map_or(end, |h| h.line_start);
        let mut inner_claims = Vec::new();
        while let Some(claim) = claims.next_if(|c| c.span.start() < section_end) {
            inner_claims.push(claim);
        }
        let children = nest(
            text,
            &headings[index + 1..index + 1 + section_len],
            inner_claims,
            section_end,
        );
        out.push(Symbol {
            name: heading.title.slice(text).to_string(),
            kind: SymbolKind::Heading,
            span: Span::new(heading.line_start, section_end.max(heading.title.end())),
            selection: heading.title,
            children,
        });
        index += 1 + section_len;
    }
    out.extend(claims);
    out
}

/// An entity or document matching a workspace symbol query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub place: SourceSpan,
    pub container: Option<String>,
}

/// Entities and documents whose names contain `query` (case-insensitively).
pub fn workspace_symbols(corpus: &Corpus, query: &str, limit: usize) -> Vec<CorpusSymbol> {
    let query = query.to_lowercase();
    let matches = |name: &str| query.is_empty() || name.to_lowercase().contains(&query);
    let mut out = Vec::new();
    for entity in corpus.entities() {
        if out.len() >= limit {
            return out;
        }
        let named = std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .any(|name| matches(name));
        if let (true, Some(&(doc, span))) = (named, entity.mentions.first()) {
            out.push(CorpusSymbol {
                name: entity.name.clone(),
                kind: SymbolKind::Entity,
                place: SourceSpan { doc, span },
                container: (!entity.aliases.is_empty()).then(|| entity.aliases.join(", ")),
            });
        }
    }
    for (index, doc) in corpus.documents().iter().enumerate() {
        if out.len() >= limit {
            break;
        }
        if matches(&doc.id) || matches(&doc.title) {
            out.push(CorpusSymbol {
                name: doc.id.clone(),
                kind: SymbolKind::Document,
                place: SourceSpan {
                    doc: DocId(index as u32),
                    span: Span::new(0, 0),
                },
                container: Some(doc.title.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::check::Verdict;

    fn outline(symbols: &[Symbol], text: &str, depth: usize, out: &mut String) {
        for symbol in symbols {
            let name = &symbol.name;
            if symbol.kind == SymbolKind::Heading {
                assert_eq!(name, symbol.selection.slice(text));
            }
            out.push_str(&format!(
                "{}{:?} {name:?} {}..{}\n",
                "  ".repeat(depth),
                symbol.kind,
                symbol.span.start,
                symbol.span.end
            ));
            assert!(symbol.span.contains_span(symbol.selection), "{symbol:?}");
            for child in &symbol.children {
                assert!(
                    symbol.span.contains_span(child.span),
                    "{child:?} outside {symbol:?}"
                );
            }
            outline(&symbol.children, text, depth + 1, out);
        }
    }

    #[test]
    fn outline_nests_headings_and_puts_claims_under_them() {
        let note = "---\ntitle: x\n---\nIntro $1 million.\n# Deal ##\nPaid $410 million.\n```\n# not a heading\n```\n## Quotes\nHe said “a natural fit for our brands”.\nPeople\n------\n# Next\n";
        let analysis = NoteAnalysis {
            findings: Vec::new(),
            claims: vec![
                figure_claim(note, "$1 million", 1e6, Vec::new()),
                figure_claim(
                    note,
                    "$410 million",
                    410e6,
                    vec![source_ref(0, "$410 million", Verdict::Agrees)],
                ),
                quote_claim(note, "“a natural fit for our brands”", Vec::new()),
            ],
        };
        let symbols = document_symbols(note, &LineIndex::new(note), &analysis);
        let mut out = String::new();
        outline(&symbols, note, 0, &mut out);
        expect_test::expect![[r#"
            Figure "$1 million" 23..33
            Heading "Deal" 35..156
              Figure "$410 million" 50..62
              Heading "Quotes" 88..142
                Quote "“a natural fit for our brands”" 106..140
              Heading "People" 142..156
            Heading "Next" 156..163
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn workspace_symbols_find_documents_by_id_or_title() {
        let corpus = corpus();
        let names: Vec<String> = workspace_symbols(&corpus, "DEAL", 10)
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert!(names.contains(&"002_close".to_string()), "{names:?}");
        assert!(!names.contains(&"001_harbor".to_string()), "{names:?}");
        let documents = |query: &str, limit: usize| {
            workspace_symbols(&corpus, query, limit)
                .into_iter()
                .filter(|s| s.kind == SymbolKind::Document)
                .count()
        };
        assert_eq!(documents("", 100), 2);
        assert_eq!(workspace_symbols(&corpus, "", 1).len(), 1);
    }
}
