//! Completion: document ids after `[@` (with their titles), and entity names
//! from the corpus after a capital letter, both from a [`CompletionIndex`]
//! prepared once per corpus, so a request costs a binary search and the
//! ranking of what matched, never a pass over every id.

use std::collections::HashMap;

use crate::check::{ClaimKind, NoteAnalysis, Verdict};
use crate::corpus::{Corpus, DocId};
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
    /// For a document, its index: the editor asks for its documentation
    /// (`completionItem/resolve`) only for the item it shows.
    pub doc: Option<DocId>,
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

pub const MAX_ITEMS: usize = 50;

/// Matches up to which a document list is ranked by sorting them.
const SORT_AT_MOST: usize = 2_048;

/// What the note around the cursor says about which documents to offer first.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// Documents that state the claims of the sentence being written, best first.
    pub stating: Vec<DocId>,
    /// Documents the note cites, nearest the cursor first.
    pub cited: Vec<DocId>,
}

/// Lower-cased words to look documents and names up by, sorted for prefix
/// search, and the documents' order by date; built once per corpus.
#[derive(Debug, Default)]
pub struct CompletionIndex {
    /// Each document's id, the id's parts (split at `/`, `_`, `-`, `.`) and
    /// its title's words, lower-cased, with the document and whether the word
    /// is the id's start.
    document_words: Vec<(Box<str>, u32, bool)>,
    /// Documents newest first (dated ones by date, then the undated).
    newest_first: Vec<u32>,
    /// Each document's place in `newest_first`.
    recency: Vec<u32>,
    /// Entity names and aliases, lower-cased: (name, entity, alias index + 1 or 0).
    names: Vec<(Box<str>, u32, u32)>,
    /// How many documents mention each entity.
    entity_documents: Vec<u32>,
    /// For each prefix of one or two characters: the documents it matches,
    /// ranked as [`Self::documents_by_walk`] ranks them with no hints (the
    /// first [`SHORT_PREFIX_RANKED`]), and how many it matches in all. The
    /// first keystrokes of a key match most of a large corpus, and walking
    /// every match on each of them was most of a request's time.
    short_prefixes: HashMap<Box<str>, (Vec<u32>, usize)>,
    /// Each document's entries in `document_words`: those of document `d`
    /// are `word_places[word_starts[d]..word_starts[d + 1]]`.
    word_starts: Vec<u32>,
    word_places: Vec<u32>,
}

/// How many ranked documents are kept for each short prefix: enough for a
/// full list after every hinted document has taken its place first.
const SHORT_PREFIX_RANKED: usize = 3 * MAX_ITEMS;

impl CompletionIndex {
    pub fn build(corpus: &Corpus) -> CompletionIndex {
        let documents = corpus.documents();
        let mut document_words = Vec::with_capacity(documents.len() * 8);
        for (index, doc) in documents.iter().enumerate() {
            let id = doc.id.to_lowercase();
            let mut words: Vec<&str> = id
                .split(['/', '_', '-', '.'])
                .chain(doc.title.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .collect();
            words.sort_unstable();
            words.dedup();
            let title_words: Vec<String> = words
                .iter()
                .map(|w| w.to_lowercase())
                .filter(|w| !id.starts_with(w.as_str()))
                .collect();
            document_words.push((id.clone().into_boxed_str(), index as u32, true));
            let mut seen = std::collections::HashSet::new();
            for word in title_words {
                if seen.insert(word.clone()) {
                    document_words.push((word.into_boxed_str(), index as u32, false));
                }
            }
        }
        document_words.sort_unstable();
        let mut newest_first: Vec<u32> = (0..documents.len() as u32).collect();
        // ISO-like dates sort as text; undated documents go last, in corpus order.
        newest_first.sort_by(|&a, &b| {
            let date = |i: u32| documents[i as usize].date.as_deref();
            match (date(a), date(b)) {
                (Some(x), Some(y)) => y.cmp(x).then(a.cmp(&b)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(&b),
            }
        });
        let mut recency = vec![0u32; documents.len()];
        for (rank, &doc) in newest_first.iter().enumerate() {
            recency[doc as usize] = rank as u32;
        }
        let short_prefixes = short_prefixes(&document_words, &recency);
        let (word_starts, word_places) = places_by_document(&document_words, documents.len());
        let mut names = Vec::new();
        let mut entity_documents = Vec::with_capacity(corpus.entities().len());
        for (index, entity) in corpus.entities().iter().enumerate() {
            names.push((entity.name.to_lowercase().into_boxed_str(), index as u32, 0));
            for (alias, name) in entity.aliases.iter().enumerate() {
                names.push((
                    name.to_lowercase().into_boxed_str(),
                    index as u32,
                    alias as u32 + 1,
                ));
            }
            entity_documents.push(entity.document_count() as u32);
        }
        names.sort_unstable();
        CompletionIndex {
            document_words,
            newest_first,
            recency,
            names,
            entity_documents,
            short_prefixes,
            word_starts,
            word_places,
        }
    }

    /// The documents whose id, id part or title word starts with `typed`
    /// (any case), ranked: those in `hints.stating`, then those the note
    /// cites, nearest first, then the rest newest first (an id that starts
    /// with `typed` before a title word that does); at most `limit`, and
    /// whether more matched.
    pub fn documents(&self, typed: &str, hints: &Hints, limit: usize) -> (Vec<DocId>, bool) {
        let n = self.recency.len();
        let stating = |doc: u32| hints.stating.iter().position(|d| d.0 == doc);
        let cited = |doc: u32| hints.cited.iter().position(|d| d.0 == doc);
        // Lower keys rank first.
        let key = |doc: u32, id_start: bool| -> (u8, u32, bool, u32) {
            match (stating(doc), cited(doc)) {
                (Some(at), _) => (0, at as u32, !id_start, 0),
                (None, Some(at)) => (1, at as u32, !id_start, 0),
                (None, None) => (2, 0, !id_start, self.recency[doc as usize]),
            }
        };
        if typed.is_empty() {
            // Everything matches: the hinted documents, then the newest.
            let mut out: Vec<DocId> = Vec::with_capacity(limit);
            let hinted = hints.stating.iter().chain(&hints.cited);
            for doc in hinted.copied().filter(|d| d.index() < n) {
                if out.len() < limit && !out.contains(&doc) {
                    out.push(doc);
                }
            }
            for &doc in &self.newest_first {
                if out.len() >= limit {
                    break;
                }
                if !out.contains(&DocId(doc)) {
                    out.push(DocId(doc));
                }
            }
            return (out, n > limit);
        }
        let typed = typed.to_lowercase();
        if let Some(found) = self.documents_by_short_prefix(&typed, hints, limit) {
            return found;
        }
        let first = self
            .document_words
            .partition_point(|(word, _, _)| **word < *typed);
        let end = first
            + self.document_words[first..]
                .partition_point(|(word, _, _)| word.starts_with(typed.as_str()));
        let matched = self.document_words[first..end].iter();
        // A short list is ranked by sorting; a long one (a prefix that
        // matches most of the corpus) by one byte per document and a walk of
        // the documents newest first, so no request hashes every match.
        if end - first > SORT_AT_MOST {
            return self.documents_by_walk(matched, hints, limit);
        }
        let mut ranked: Vec<((u8, u32, bool, u32), u32)> = matched
            .map(|(_, doc, id_start)| (key(*doc, *id_start), *doc))
            .collect();
        // One entry per document, its best key.
        ranked.sort_unstable_by_key(|(key, doc)| (*doc, *key));
        ranked.dedup_by_key(|(_, doc)| *doc);
        let total = ranked.len();
        if ranked.len() > limit {
            ranked.select_nth_unstable(limit);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        (
            ranked.into_iter().map(|(_, doc)| DocId(doc)).collect(),
            total > limit,
        )
    }

    /// [`Self::documents`] for a prefix of one or two characters, from its
    /// ranked list: the hinted documents it matches in their order, then the
    /// list's. `None` when the prefix is not of those, or when its kept list
    /// could run out before `limit` once the hinted ones are set aside.
    fn documents_by_short_prefix(
        &self,
        typed: &str,
        hints: &Hints,
        limit: usize,
    ) -> Option<(Vec<DocId>, bool)> {
        let (ranked, total) = self.short_prefixes.get(typed)?;
        let hinted = hints.stating.len() + hints.cited.len();
        if ranked.len() < *total && ranked.len() < limit + hinted {
            return None;
        }
        let mut out: Vec<DocId> = Vec::with_capacity(limit);
        for &doc in hints.stating.iter().chain(&hints.cited) {
            if out.len() < limit && !out.contains(&doc) && self.matches(doc, typed) {
                out.push(doc);
            }
        }
        for &doc in ranked {
            if out.len() >= limit {
                break;
            }
            if !out.contains(&DocId(doc)) {
                out.push(DocId(doc));
            }
        }
        Some((out, *total > limit))
    }

    /// Whether a word of the document's starts with `typed` (lower-cased).
    fn matches(&self, doc: DocId, typed: &str) -> bool {
        let (Some(&start), Some(&end)) = (
            self.word_starts.get(doc.index()),
            self.word_starts.get(doc.index() + 1),
        ) else {
            return false;
        };
        self.word_places[start as usize..end as usize]
            .iter()
            .any(|&place| self.document_words[place as usize].0.starts_with(typed))
    }

    /// [`Self::documents`] for a prefix that matches many documents: each
    /// matched document marked (2 where its id starts with the prefix, else
    /// 1), then the hinted ones in their order, then the marked ones newest
    /// first, those whose id starts with the prefix before the others.
    fn documents_by_walk<'a>(
        &self,
        matched: impl Iterator<Item = &'a (Box<str>, u32, bool)>,
        hints: &Hints,
        limit: usize,
    ) -> (Vec<DocId>, bool) {
        let mut marks = vec![0u8; self.recency.len()];
        let mut total = 0usize;
        for (_, doc, id_start) in matched {
            let mark = &mut marks[*doc as usize];
            total += usize::from(*mark == 0);
            *mark = (*mark).max(1 + u8::from(*id_start));
        }
        let mut out: Vec<DocId> = Vec::with_capacity(limit);
        for doc in hints.stating.iter().chain(&hints.cited) {
            if out.len() < limit && marks.get(doc.index()).is_some_and(|m| *m > 0) {
                out.push(*doc);
                marks[doc.index()] = 0;
            }
        }
        for wanted in [2, 1] {
            for &doc in &self.newest_first {
                if out.len() >= limit {
                    break;
                }
                if marks[doc as usize] == wanted {
                    out.push(DocId(doc));
                }
            }
        }
        (out, total > limit)
    }

    /// Entity names and aliases that start with `typed` (any case), in
    /// name order, at most `limit`; and whether more matched.
    fn names(&self, typed: &str, limit: usize) -> (Vec<(u32, u32)>, bool) {
        let typed = typed.to_lowercase();
        let first = self.names.partition_point(|(name, _, _)| **name < *typed);
        let mut found = Vec::new();
        let mut more = false;
        for (name, entity, alias) in &self.names[first..] {
            if !name.starts_with(typed.as_str()) {
                break;
            }
            if found.len() == limit {
                more = true;
                break;
            }
            found.push((*entity, *alias));
        }
        (found, more)
    }
}

/// The ranked documents of every prefix of one or two characters of the
/// words in `document_words` (see [`CompletionIndex::short_prefixes`]): a walk
/// of the documents newest first, those whose id starts with the prefix before
/// those with only another word that does.
fn short_prefixes(
    document_words: &[(Box<str>, u32, bool)],
    recency: &[u32],
) -> HashMap<Box<str>, (Vec<u32>, usize)> {
    // Each document's best mark per prefix: 2 where its id starts with it.
    let mut marks: HashMap<&str, Vec<(u32, u8)>> = HashMap::new();
    for (word, doc, id_start) in document_words {
        for prefix in word
            .char_indices()
            .skip(1)
            .map(|(at, _)| &word[..at])
            .chain(std::iter::once(&word[..]))
            .take(2)
        {
            marks
                .entry(prefix)
                .or_default()
                .push((*doc, 1 + u8::from(*id_start)));
        }
    }
    marks
        .into_iter()
        .map(|(prefix, mut docs)| {
            // Best mark first, so dedup keeps it.
            docs.sort_unstable_by_key(|&(doc, mark)| (doc, std::cmp::Reverse(mark)));
            docs.dedup_by_key(|(doc, _)| *doc);
            let total = docs.len();
            let rank = |&(doc, mark): &(u32, u8)| (std::cmp::Reverse(mark), recency[doc as usize]);
            if docs.len() > SHORT_PREFIX_RANKED {
                docs.select_nth_unstable_by_key(SHORT_PREFIX_RANKED, rank);
                docs.truncate(SHORT_PREFIX_RANKED);
            }
            docs.sort_unstable_by_key(rank);
            let ranked = docs.into_iter().map(|(doc, _)| doc).collect();
            (prefix.into(), (ranked, total))
        })
        .collect()
}

/// Where each document's words stand in `document_words` (see
/// [`CompletionIndex::word_places`]).
fn places_by_document(
    document_words: &[(Box<str>, u32, bool)],
    documents: usize,
) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; documents + 1];
    for (_, doc, _) in document_words {
        starts[*doc as usize + 1] += 1;
    }
    for d in 0..documents {
        starts[d + 1] += starts[d];
    }
    let mut next = starts.clone();
    let mut places = vec![0u32; document_words.len()];
    for (place, (_, doc, _)) in document_words.iter().enumerate() {
        let at = &mut next[*doc as usize];
        places[*at as usize] = place as u32;
        *at += 1;
    }
    (starts, places)
}

/// Hints from a note's analysis for completing at `offset` in `text`: the
/// sources of the claims on the cursor's line before it (the sentence being
/// written), and every citation's document, nearest the cursor first. The
/// analysis may be of a version a few keystrokes old: completion does not
/// wait for the newest one, and an edit at the cursor moves nothing before it.
pub fn hints(analysis: &NoteAnalysis, text: &str, offset: usize) -> Hints {
    let offset = offset.min(text.len());
    let line_start = text
        .get(..offset)
        .and_then(|before| before.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1);
    let mut hints = Hints::default();
    let mut agreeing = Vec::new();
    let mut differing = Vec::new();
    let mut citations: Vec<(usize, DocId)> = Vec::new();
    for claim in &analysis.claims {
        if let ClaimKind::Citation { doc: Some(doc), .. } = claim.kind {
            citations.push((claim.span.start().abs_diff(offset), doc));
            continue;
        }
        if claim.span.start() < line_start || claim.span.start() >= offset {
            continue;
        }
        for source in claim.sources.iter() {
            match source.verdict {
                Verdict::Agrees => agreeing.push(source.doc),
                Verdict::Differs => differing.push(source.doc),
            }
        }
    }
    for doc in agreeing.into_iter().chain(differing) {
        if !hints.stating.contains(&doc) && hints.stating.len() < MAX_ITEMS {
            hints.stating.push(doc);
        }
    }
    citations.sort();
    for (_, doc) in citations {
        if !hints.cited.contains(&doc) && hints.cited.len() < MAX_ITEMS {
            hints.cited.push(doc);
        }
    }
    hints
}

/// Completions at `offset` in `text` (a char boundary), if the cursor is in a
/// citation key or after the start of a capitalised word.
pub fn completion(
    corpus: &Corpus,
    index: &CompletionIndex,
    text: &str,
    offset: usize,
    hints: &Hints,
) -> Option<Completions> {
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
        return Some(document_completions(corpus, index, typed, replace, hints));
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
    let completions = entity_completions(corpus, index, word, replace);
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

fn document_completions(
    corpus: &Corpus,
    index: &CompletionIndex,
    typed: &str,
    replace: Span,
    hints: &Hints,
) -> Completions {
    let (docs, incomplete) = index.documents(typed, hints, MAX_ITEMS);
    let items = docs
        .into_iter()
        .filter_map(|doc| {
            let found = super::document(corpus, doc)?;
            Some(Entry {
                label: found.id.clone(),
                detail: Some(found.title.clone()),
                doc: Some(doc),
                kind: EntryKind::Document,
            })
        })
        .collect();
    Completions {
        replace,
        items,
        incomplete,
    }
}

/// A document's completion documentation: its title, date and first lines.
pub fn document_documentation(corpus: &Corpus, doc: DocId) -> Option<String> {
    let doc = super::document(corpus, doc)?;
    let mut documentation = format!("**{}**", super::escape_markdown(&doc.title));
    if let Some(date) = &doc.date {
        documentation.push_str(&format!(" · {}", super::escape_markdown(date)));
    }
    for line in super::hover::opening_lines(&doc.text, &doc.title, 2) {
        documentation.push_str(&format!("\n\n{}", super::escape_markdown(&line)));
    }
    Some(documentation)
}

fn entity_completions(
    corpus: &Corpus,
    index: &CompletionIndex,
    typed: &str,
    replace: Span,
) -> Completions {
    let (found, incomplete) = index.names(typed, MAX_ITEMS);
    let items = found
        .into_iter()
        .filter_map(|(entity, alias)| {
            let info = corpus.entities().get(entity as usize)?;
            let count = index
                .entity_documents
                .get(entity as usize)
                .copied()
                .unwrap_or(0);
            let (label, detail) = match alias.checked_sub(1) {
                None => (info.name.clone(), format!("{count} documents")),
                Some(alias) => (
                    info.aliases.get(alias as usize)?.clone(),
                    format!("{} · {count} documents", info.name),
                ),
            };
            Some(Entry {
                label,
                detail: Some(detail),
                doc: None,
                kind: EntryKind::Entity,
            })
        })
        .collect();
    Completions {
        replace,
        items,
        incomplete,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::corpus;
    use super::*;
    use crate::corpus::{CorpusOptions, SourceText};

    fn complete(corpus: &Corpus, text: &str, offset: usize) -> Option<Completions> {
        let index = CompletionIndex::build(corpus);
        completion(corpus, &index, text, offset, &Hints::default())
    }

    fn labels(text: &str) -> Option<(Span, Vec<String>)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        complete(&corpus(), &text, offset)
            .map(|c| (c.replace, c.items.into_iter().map(|i| i.label).collect()))
    }

    #[test]
    fn citation_keys_complete_inside_an_open_bracket() {
        // The dated document is the newer one: it comes first.
        let both = vec!["002_close".to_string(), "001_harbor".to_string()];
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
            (
                "x [@HARB|",
                Some((Span::new(4, 8), vec!["001_harbor".into()])),
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
    fn document_items_carry_titles_and_resolve_to_their_opening() {
        let corpus = corpus();
        let text = "See [@002";
        let found = complete(&corpus, text, text.len()).unwrap();
        let item = &found.items[0];
        assert_eq!(item.detail.as_deref(), Some("Millbrook deal closes"));
        assert_eq!(
            document_documentation(&corpus, item.doc.unwrap()).as_deref(),
            Some("**Millbrook deal closes** · 2024-03-01\n\nThe Millbrook Dairy purchase, worth about $400 million, closed in March.")
        );
        assert!(!found.incomplete);
    }

    #[test]
    fn entity_names_complete_after_a_capital() {
        let corpus = corpus();
        let text = "The buyer, Harb";
        let found = complete(&corpus, text, text.len()).unwrap();
        assert_eq!(found.items[0].label, "Harbor Lane Foods");
        assert_eq!(found.items[0].kind, EntryKind::Entity);
        assert_eq!(found.items[0].detail.as_deref(), Some("1 documents"));
    }

    #[test]
    fn odd_offsets_give_nothing() {
        let text = "é [@";
        assert_eq!(complete(&corpus(), text, 1), None);
        assert!(complete(&corpus(), text, 999).is_some());
    }

    /// 50,000 documents: a bounded list, the documents that state the
    /// sentence's claims first, then the ones the note cites, then the newest.
    #[test]
    fn a_large_corpus_gives_a_bounded_ranked_list() {
        const DOCUMENTS: usize = 50_000;
        let sources: Vec<SourceText> = (0..DOCUMENTS)
            .map(|i| SourceText {
                id: format!("wire/{i:05}_story"),
                path: format!("/corpus/wire/{i:05}_story.txt").into(),
                title: format!("Story {i}"),
                // Dates cycle over one year, so many share a day.
                date: Some(format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
                text: format!("Story {i}\n\nShipments rose {} percent.\n", i % 90),
                ..SourceText::default()
            })
            .collect();
        let corpus = Corpus::from_sources(sources, CorpusOptions::default());
        let index = CompletionIndex::build(&corpus);
        let hints = Hints {
            stating: vec![DocId(31_000), DocId(7)],
            cited: vec![DocId(49_999)],
        };
        let text = "Shipments rose 5 percent [@";
        let found = completion(&corpus, &index, text, text.len(), &hints).unwrap();
        assert_eq!(found.items.len(), MAX_ITEMS);
        assert!(found.incomplete);
        let labels: Vec<&str> = found.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            &labels[..3],
            ["wire/31000_story", "wire/00007_story", "wire/49999_story"]
        );
        // Then the newest: every one of them dated December 2024, the latest day first.
        let dates: Vec<&str> = found.items[3..]
            .iter()
            .map(|i| corpus.document(i.doc.unwrap()).date.as_deref().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
        assert!(dates[0].starts_with("2024-12-"), "{dates:?}");

        // A typed prefix narrows the list; it stays bounded and ranked.
        let text = "Shipments rose 5 percent [@wire/4999";
        let found = completion(&corpus, &index, text, text.len(), &hints).unwrap();
        let labels: Vec<&str> = found.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels.len(), 10);
        assert!(!found.incomplete);
        assert_eq!(labels[0], "wire/49999_story");
        assert!(labels.iter().all(|l| l.starts_with("wire/4999")));
        // A title word matches too, any case.
        let text = "[@story";
        let found = completion(&corpus, &index, text, text.len(), &hints).unwrap();
        assert_eq!(found.items.len(), MAX_ITEMS);
        assert!(found.incomplete);
        assert_eq!(found.items[0].label, "wire/31000_story");
    }

    /// The lists kept for prefixes of one or two characters rank as walking
    /// every match does, with and without hints, the hinted documents that
    /// do not match left out.
    #[test]
    fn short_prefixes_rank_as_the_walk_over_every_match() {
        let topics = ["Storm", "stocks", "Wheat", "whale", "01 report", "Zinc"];
        let sources: Vec<SourceText> = (0..3_000)
            .map(|i| SourceText {
                id: format!("{}/{i:04}_{}", ["wire", "web", "st"][i % 3], i % 7),
                title: format!("{} {i}", topics[i % topics.len()]),
                // Dates scattered over the ids, so newest first mixes them.
                date: (i % 5 != 0).then(|| {
                    let day = (i as u64).wrapping_mul(2_654_435_761) >> 7;
                    format!("2024-{:02}-{:02}", day % 12 + 1, (day / 12) % 28 + 1)
                }),
                text: format!("Story {i}\n\nShipments rose {} percent.\n", i % 90),
                ..SourceText::default()
            })
            .collect();
        let corpus = Corpus::from_sources(sources, CorpusOptions::default());
        let index = CompletionIndex::build(&corpus);
        let no_hints = Hints::default();
        let hints = Hints {
            stating: vec![DocId(2_999), DocId(4), DocId(1_500)],
            cited: vec![DocId(10), DocId(4)],
        };
        let mut prefixes: Vec<&str> = index.short_prefixes.keys().map(|p| &**p).collect();
        prefixes.sort_unstable();
        assert!(prefixes.len() > 20, "{prefixes:?}");
        for prefix in prefixes {
            let first = index
                .document_words
                .partition_point(|(word, _, _)| **word < *prefix);
            let end = first
                + index.document_words[first..]
                    .partition_point(|(word, _, _)| word.starts_with(prefix));
            for hints in [&no_hints, &hints] {
                for limit in [5, MAX_ITEMS] {
                    let walked = index.documents_by_walk(
                        index.document_words[first..end].iter(),
                        hints,
                        limit,
                    );
                    let kept = index.documents_by_short_prefix(prefix, hints, limit);
                    assert_eq!(kept, Some(walked), "prefix {prefix:?}, limit {limit}");
                }
            }
        }
    }
}
