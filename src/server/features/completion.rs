//! Completion: document ids after `[@` (with their titles), and entity names
//! from the corpus after a capital letter.

use crate::corpus::Corpus;
use crate::text::Span;

/// What a completion item names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Document,
    Entity,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub label: String,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub kind: EntryKind,
}

/// Items that replace `replace` (the partial word before the cursor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completions {
    pub replace: Span,
    pub items: Vec<Entry>,
    /// More matched than were sent: the client should ask again as the user types.
    pub incomplete: bool,
}

const MAX_ITEMS: usize = 100;

/// Completions at `offset` in `text` (a char boundary), if the cursor is in a
/// citation key or after the start of a capitalised word.
pub fn completion(corpus: &Corpus, text: &str, offset: usize) -> Option<Completions> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let key_start = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_key_char(*c))
        .last()
        .map_or(line.len(), |(i, _)| i);
    let typed = &line[key_start..];
    if line[..key_start].ends_with('@') && in_open_bracket(&line[..key_start - 1]) {
        let replace = Span::new(line_start + key_start, offset);
        return Some(document_completions(corpus, typed, replace));
    }
    let word_start = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.' | '&'))
        .last()
        .map_or(line.len(), |(i, _)| i);
    let word = &line[word_start..];
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let replace = Span::new(line_start + word_start, offset);
    let completions = entity_completions(corpus, word, replace);
    (!completions.items.is_empty()).then_some(completions)
}

/// Pandoc citation key characters.
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '_' | '-' | ':' | '.' | '#' | '$' | '%' | '&' | '+' | '?' | '~' | '/'
        )
}

/// Whether `line` has a `[` not yet closed: the cursor is inside `[@a; @b`.
fn in_open_bracket(line: &str) -> bool {
    match (line.rfind('['), line.rfind(']')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

fn document_completions(corpus: &Corpus, typed: &str, replace: Span) -> Completions {
    let typed_lower = typed.to_lowercase();
    let mut prefixed = Vec::new();
    let mut containing = Vec::new();
    for doc in corpus.documents() {
        let id = doc.id.to_lowercase();
        if id.starts_with(&typed_lower) {
            prefixed.push(doc);
        } else if !typed.is_empty()
            && (id.contains(&typed_lower) || doc.title.to_lowercase().contains(&typed_lower))
        {
            containing.push(doc);
        }
    }
    let total = prefixed.len() + containing.len();
    let items = prefixed
        .into_iter()
        .chain(containing)
        .take(MAX_ITEMS)
        .map(|doc| {
            let mut documentation = format!("**{}**", super::escape_markdown(&doc.title));
            if let Some(date) = &doc.date {
                documentation.push_str(&format!(" · {}", super::escape_markdown(date)));
            }
            for line in super::hover::opening_lines(&doc.text, &doc.title, 2) {
                documentation.push_str(&format!("\n\n{}", super::escape_markdown(&line)));
            }
            Entry {
                label: doc.id.clone(),
                detail: Some(doc.title.clone()),
                documentation: Some(documentation),
                kind: EntryKind::Document,
            }
        })
        .collect();
    Completions {
        replace,
        items,
        incomplete: total > MAX_ITEMS,
    }
}

fn entity_completions(corpus: &Corpus, typed: &str, replace: Span) -> Completions {
    let typed_lower = typed.to_lowercase();
    let mut items = Vec::new();
    let mut total = 0;
    for entity in corpus.entities() {
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            if !name.to_lowercase().starts_with(&typed_lower) {
                continue;
            }
            total += 1;
            if items.len() < MAX_ITEMS {
                let count = entity.document_count();
                items.push(Entry {
                    label: name.clone(),
                    detail: Some(if *name == entity.name {
                        format!("{count} documents")
                    } else {
                        format!("{} · {count} documents", entity.name)
                    }),
                    documentation: None,
                    kind: EntryKind::Entity,
                });
            }
        }
    }
    Completions {
        replace,
        items,
        incomplete: total > MAX_ITEMS,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::corpus;
    use super::*;

    fn labels(text: &str) -> Option<(Span, Vec<String>)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        completion(&corpus(), &text, offset)
            .map(|c| (c.replace, c.items.into_iter().map(|i| i.label).collect()))
    }

    #[test]
    fn citation_keys_complete_inside_an_open_bracket() {
        let both = vec!["001_harbor".to_string(), "002_close".to_string()];
        let cases = [
            ("“Quoted” [@|", Some((Span::new(15, 15), both.clone()))),
            ("x [@00|", Some((Span::new(4, 6), both.clone()))),
            (
                "x [@001_harbor; @002|",
                Some((Span::new(17, 20), vec!["002_close".into()])),
            ),
            ("x [@Dairy|", Some((Span::new(4, 9), Vec::new()))),
            (
                "x [@deal|",
                Some((Span::new(4, 8), vec!["002_close".into()])),
            ),
            ("mail me@00|", None),
            ("done [@001] @00|", None),
            ("|", None),
            ("plain words|", None),
        ];
        for (text, expected) in cases {
            assert_eq!(labels(text), expected, "{text}");
        }
    }

    #[test]
    fn document_items_carry_titles() {
        let text = "See [@002";
        let found = completion(&corpus(), text, text.len()).unwrap();
        let item = &found.items[0];
        assert_eq!(item.detail.as_deref(), Some("Millbrook deal closes"));
        assert_eq!(
            item.documentation.as_deref(),
            Some("**Millbrook deal closes** · 2024-03-01\n\nThe Millbrook Dairy purchase, worth about $400 million, closed in March.")
        );
        assert!(!found.incomplete);
    }

    #[test]
    fn odd_offsets_give_nothing() {
        let text = "é [@";
        assert_eq!(completion(&corpus(), text, 1), None);
        assert!(completion(&corpus(), text, 999).is_some());
    }
}
