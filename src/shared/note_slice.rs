//! The notes' slice: for a collection too large to copy whole (a team's
//! archive of hundreds of thousands of documents), an editor keeps only the
//! documents its notes may need, asked for once and remembered.
//!
//! Each note is read with the extractor the checker uses, and each thing in
//! it that the sources are looked up for becomes a [`Lookup`]: a candidate
//! query for every figure (its kind, unit and a range around its value,
//! with its sentence's words, so a source that states another value for the
//! same thing is found too), one for every quotation (its words) and for
//! every sentence that names someone without a figure or a quotation, and
//! the documents every citation key names, resolved against the whole
//! collection's ids so a key that is ambiguous there stays ambiguous here.
//!
//! The answers are kept in the slice file with the collection's version: a
//! later run on the same version asks the database only what it has not
//! asked before, and fetches only documents it does not hold. The corpus a
//! run checks against is the documents of its own lookups' answers, so what
//! a note is checked against does not depend on which notes ran before.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{CandidateQuery, QueryTimedOut, SharedStore, SharedUrl, StoredDocument};
use crate::corpus::store::IndexFile;
use crate::extract::{self, FigureKind};

/// The most documents one lookup brings in: each figure's best-ranked
/// candidates (those stating a value in its range and sharing the most
/// of its sentence's rare words rank first).
pub const CANDIDATES_PER_LOOKUP: i64 = 20;
/// Candidate queries in flight at once: each is a round trip that mostly
/// waits on the database.
const PARALLEL_QUERIES: usize = 4;

/// Something a note needs from the collection.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The documents that may state or contradict a figure, quotation or name.
    Candidates(CandidateQuery),
    /// The documents a citation key may name.
    Citation(String),
}

impl Lookup {
    /// What the answer is remembered by.
    pub fn key(&self) -> String {
        match self {
            Lookup::Candidates(query) => format!(
                "q\u{1}{}\u{1}{}\u{1}{:e}\u{1}{:e}\u{1}{}\u{1}{}",
                query.kind, query.unit, query.low, query.high, query.limit, query.words
            ),
            Lookup::Citation(key) => format!("c\u{1}{key}"),
        }
    }
}

/// The lookups of `note` (Markdown), each once, in note order.
pub fn lookups(note: &str) -> Vec<Lookup> {
    let analysis = extract::analyze(note, true, true);
    let mut found = Vec::new();
    let words_only = |words: &str| {
        Lookup::Candidates(CandidateQuery {
            words: words.to_string(),
            limit: CANDIDATES_PER_LOOKUP,
            ..CandidateQuery::default()
        })
    };
    for (index, sentence) in analysis.sentences.iter().enumerate() {
        let index = index as u32;
        let text = sentence.slice(note);
        let figures = extract::of_sentence(&analysis.figures, index);
        let quotes = extract::of_sentence(&analysis.quotes, index);
        for (figure, _) in figures {
            let mut figure = Some(figure);
            while let Some(f) = figure {
                found.push(Lookup::Candidates(figure_query(f, text)));
                figure = f.equivalent.as_deref();
            }
        }
        for (quote, _) in quotes {
            found.push(words_only(quote.inner.slice(note)));
        }
        // A word capitalised only as a sentence's first ("Nothing") names
        // no one; a doubtful name is looked up with its sentence's others.
        let named = extract::of_sentence(&analysis.names, index)
            .iter()
            .any(|(name, _)| !name.doubtful);
        if figures.is_empty() && quotes.is_empty() && named {
            found.push(words_only(text));
        }
        for (citation, _) in extract::of_sentence(&analysis.citations, index) {
            found.extend(
                citation
                    .keys
                    .iter()
                    .map(|key| Lookup::Citation(key.key.clone())),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|lookup| seen.insert(lookup.key()));
    found
}

/// The lookups of all `notes`, each once.
pub fn lookups_of(notes: &[String]) -> Vec<Lookup> {
    let mut seen = std::collections::HashSet::new();
    notes
        .iter()
        .flat_map(|note| lookups(note))
        .filter(|lookup| seen.insert(lookup.key()))
        .collect()
}

/// The candidate query of a figure in `sentence`: its kind and unit, and a
/// range around what it states wide enough for the rounding it claims (a
/// year, or a date, only its own step).
fn figure_query(figure: &extract::Figure, sentence: &str) -> CandidateQuery {
    let low = figure.low.unwrap_or(figure.value).min(figure.value);
    let high = figure.high.unwrap_or(figure.value).max(figure.value);
    let slack = match figure.kind {
        FigureKind::Year | FigureKind::Date => figure.step.abs(),
        _ => figure.step.abs().max(figure.value.abs() * 0.01),
    };
    CandidateQuery {
        kind: super::enum_name(&figure.kind),
        unit: figure.unit.clone(),
        low: low - slack,
        high: high + slack,
        words: sentence.to_string(),
        limit: CANDIDATES_PER_LOOKUP,
    }
}

/// What the notes' slice file holds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NoteSlice {
    pub collection: String,
    /// The collection's version the answers were given at.
    pub version: i64,
    /// When the database last confirmed it, in seconds since the epoch.
    pub checked_at: u64,
    /// Each lookup's answer (document ids), by [`Lookup::key`].
    pub answers: HashMap<String, Vec<String>>,
    /// The documents the answers name, in id order.
    pub documents: Vec<StoredDocument>,
}

/// Where the notes' slice of `url`'s collection lives in `index_dir`.
pub(super) fn slice_file(url: &SharedUrl, index_dir: &Path) -> Result<IndexFile, String> {
    // Beside the whole slice's name (see `slice::slice_file`), never a
    // local corpus's.
    let root = PathBuf::from(format!(
        "/refnotes-shared/{:016x}/{}/notes",
        xxhash_rust::xxh3::xxh3_64(url.slice_key().as_bytes()),
        url.collection
    ));
    IndexFile::for_roots(index_dir, &[root])
}

/// Answers `wanted` from `slice` and, where it lacks them, from `store` (at
/// the collection's visible version), and brings `slice` up to date.
/// Returns the documents the answers name, in id order, how many were
/// fetched, and how many lookups the database gave up on (left unanswered,
/// to be asked again). Fails when the store does not answer, leaving
/// `slice` as it was. Every question is bounded by the notes, not by the collection,
/// but for resolving a citation key, which lists the collection's ids.
pub(super) fn refresh(
    store: &dyn SharedStore,
    url: &SharedUrl,
    slice: &mut NoteSlice,
    wanted: &[Lookup],
) -> Result<(Vec<StoredDocument>, usize, usize), String> {
    let fail = |error: anyhow::Error| format!("{error:#}");
    let no_collection = || {
        format!(
            "shared index {}: there is no collection {} (or this user's role may not read it)",
            url.redacted(),
            url.collection
        )
    };
    let version = store
        .version(&url.collection)
        .map_err(fail)?
        .ok_or_else(no_collection)?;
    // Another version may answer otherwise: its answers are asked again,
    // and its documents reused where the listing shows them unchanged.
    let same = slice.collection == url.collection && slice.version == version;
    let mut answers = if same {
        slice.answers.clone()
    } else {
        HashMap::new()
    };

    let asked: Vec<&Lookup> = wanted
        .iter()
        .filter(|lookup| !answers.contains_key(&lookup.key()))
        .collect();
    let citations: Vec<&str> = asked
        .iter()
        .filter_map(|lookup| match lookup {
            Lookup::Citation(key) => Some(key.as_str()),
            Lookup::Candidates(_) => None,
        })
        .collect();
    if !citations.is_empty() {
        let listing = store
            .list(&url.collection)
            .map_err(fail)?
            .ok_or_else(no_collection)?;
        let ids: Vec<&str> = listing
            .documents
            .iter()
            .map(|doc| doc.id.as_str())
            .collect();
        let keys = extract::citations::KeyIndex::new(&ids);
        for key in citations {
            let named = match keys.resolve(key) {
                extract::citations::Resolution::Unique(i) => vec![i],
                extract::citations::Resolution::Ambiguous(all) => all,
                extract::citations::Resolution::Unknown => Vec::new(),
            };
            let answer = named.into_iter().map(|i| ids[i].to_string()).collect();
            answers.insert(Lookup::Citation(key.to_string()).key(), answer);
        }
    }
    let queries: Vec<&CandidateQuery> = asked
        .iter()
        .filter_map(|lookup| match lookup {
            Lookup::Candidates(query) => Some(query),
            Lookup::Citation(_) => None,
        })
        .collect();
    let mut timed_out = 0;
    for (query, answer) in queries.iter().zip(candidates(store, url, &queries)?) {
        match answer {
            Some(answer) => {
                answers.insert(Lookup::Candidates((*query).clone()).key(), answer);
            }
            None => timed_out += 1,
        }
    }

    let needed = needed_ids(&answers, wanted);
    let mut kept: Vec<bool> = vec![true; slice.documents.len()];
    let mut fetched = Vec::new();
    let held: BTreeSet<&str> = slice.documents.iter().map(|doc| doc.id.as_str()).collect();
    let missing = needed.iter().any(|id| !held.contains(id.as_str()));
    if missing || !same {
        // At a new version only the needed documents stay (see below), so
        // only they are looked up: held ones to see they are unchanged,
        // the others for their rows.
        let needed: Vec<String> = needed.iter().cloned().collect();
        let listing = store
            .list_only(&url.collection, &needed)
            .map_err(fail)?
            .ok_or_else(no_collection)?;
        let rows: HashMap<&str, &super::Listed> = listing
            .documents
            .iter()
            .map(|doc| (doc.id.as_str(), doc))
            .collect();
        // A document held in another version than the listing's is dropped
        // (and fetched again).
        if !same {
            for (keep, doc) in kept.iter_mut().zip(&slice.documents) {
                *keep = rows
                    .get(doc.id.as_str())
                    .is_some_and(|row| row.path == doc.path && row.key == doc.key);
            }
        }
        let current: BTreeSet<&str> = slice
            .documents
            .iter()
            .zip(&kept)
            .filter(|(_, keep)| **keep)
            .map(|(doc, _)| doc.id.as_str())
            .collect();
        let to_fetch: Vec<i64> = needed
            .iter()
            .filter(|id| !current.contains(id.as_str()))
            .filter_map(|id| rows.get(id.as_str()).map(|row| row.row))
            .collect();
        for chunk in to_fetch.chunks(super::FETCH_CHUNK) {
            fetched.extend(store.fetch(chunk).map_err(fail)?);
        }
    }
    let count = fetched.len();
    // Only documents some remembered answer names are kept: after a new
    // version that is this run's, so the slice does not grow for ever.
    let named: std::collections::HashSet<&str> =
        answers.values().flatten().map(String::as_str).collect();
    let mut keep = kept.into_iter();
    slice
        .documents
        .retain(|doc| keep.next().unwrap_or(false) && named.contains(doc.id.as_str()));
    slice.documents.extend(fetched);
    slice.documents.sort_by(|a, b| a.id.cmp(&b.id));
    slice.collection = url.collection.clone();
    slice.version = version;
    slice.answers = answers;
    slice.checked_at = super::now();
    Ok((documents_of(slice, &needed), count, timed_out))
}

/// Runs `queries` against the store, a few at a time: answers in order,
/// `None` for a query the database gave up on ([`QueryTimedOut`]), which
/// is not remembered and is asked again next time. Any other failure (the
/// database away) stops the asking and fails the whole.
fn candidates(
    store: &dyn SharedStore,
    url: &SharedUrl,
    queries: &[&CandidateQuery],
) -> Result<Vec<Option<Vec<String>>>, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let answers: Vec<std::sync::Mutex<Option<anyhow::Result<Vec<String>>>>> =
        queries.iter().map(|_| Default::default()).collect();
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_QUERIES.min(queries.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(query) = queries.get(i) else { break };
                let answer = store.candidates(&url.collection, query);
                let away = matches!(&answer, Err(error) if !timed_out(error));
                *answers[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(answer);
                if away {
                    // The rest would fail the same way; stop asking.
                    next.store(queries.len(), std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    answers
        .into_iter()
        .map(|answer| {
            match answer
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Err(anyhow::anyhow!("a candidate query was not run")))
            {
                Ok(found) => Ok(Some(found)),
                Err(error) if timed_out(&error) => Ok(None),
                Err(error) => Err(format!("{error:#}")),
            }
        })
        .collect()
}

fn timed_out(error: &anyhow::Error) -> bool {
    error.downcast_ref::<QueryTimedOut>().is_some()
}

/// The ids `wanted`'s answers name, each once, in id order.
fn needed_ids(answers: &HashMap<String, Vec<String>>, wanted: &[Lookup]) -> BTreeSet<String> {
    wanted
        .iter()
        .filter_map(|lookup| answers.get(&lookup.key()))
        .flatten()
        .cloned()
        .collect()
}

/// The documents of `slice` with ids in `needed`, in id order.
fn documents_of(slice: &NoteSlice, needed: &BTreeSet<String>) -> Vec<StoredDocument> {
    slice
        .documents
        .iter()
        .filter(|doc| needed.contains(&doc.id))
        .cloned()
        .collect()
}

/// The notes' slice as it is, when the database does not answer: the
/// documents of the lookups it has answers for, and how many it lacks.
pub(super) fn offline(slice: &NoteSlice, wanted: &[Lookup]) -> (Vec<StoredDocument>, usize) {
    let needed = needed_ids(&slice.answers, wanted);
    let unanswered = wanted
        .iter()
        .filter(|lookup| !slice.answers.contains_key(&lookup.key()))
        .count();
    (documents_of(slice, &needed), unanswered)
}

#[cfg(test)]
mod tests {
    use super::super::Listing;
    use super::*;

    fn query(lookup: &Lookup) -> &CandidateQuery {
        match lookup {
            Lookup::Candidates(query) => query,
            Lookup::Citation(key) => panic!("a citation of {key}"),
        }
    }

    #[test]
    fn a_note_asks_for_each_figure_quotation_name_and_citation_once() {
        let note = "Amazon sold the assets for 2 billion yuan ($300 million) in 2023 [@reuters].\n\n\
                    Sinnet called it \u{201c}a milestone for our cloud business\u{201d}.\n\n\
                    Sinnet is based in Beijing.\n\n\
                    Amazon sold the assets for 2 billion yuan ($300 million) in 2023 [@reuters].\n\n\
                    Nothing here names anyone or counts anything.\n";
        let lookups = lookups(note);
        let described: Vec<String> = lookups
            .iter()
            .map(|lookup| match lookup {
                Lookup::Citation(key) => format!("cite {key}"),
                Lookup::Candidates(q) if q.kind.is_empty() => format!("words {}", q.words),
                Lookup::Candidates(q) => format!("{} {} {}..{}", q.kind, q.unit, q.low, q.high),
            })
            .collect();
        assert_eq!(
            described,
            [
                "money CNY 1000000000..3000000000",
                "money USD 200000000..400000000",
                "year  2022..2024",
                "cite reuters",
                "words a milestone for our cloud business",
                "words Sinnet is based in Beijing.",
            ],
            "the repeated sentence asks nothing more"
        );
        let figure = query(&lookups[0]);
        assert!(
            figure.words.starts_with("Amazon sold the assets"),
            "{figure:?}"
        );
        assert_eq!(figure.limit, CANDIDATES_PER_LOOKUP);
        // Answers are remembered by everything that shapes them.
        let mut wider = figure.clone();
        wider.high += 1.0;
        assert_ne!(Lookup::Candidates(wider).key(), lookups[0].key());
    }

    /// A collection in memory: each document's text is its id's words, and a
    /// candidate query finds the documents holding any of its words.
    struct Collection {
        version: i64,
        texts: std::collections::BTreeMap<String, String>,
        queries: std::sync::atomic::AtomicUsize,
        listings: std::sync::atomic::AtomicUsize,
        fetched: std::sync::atomic::AtomicUsize,
    }

    impl Collection {
        fn new(texts: &[(&str, &str)]) -> Collection {
            Collection {
                version: 1,
                texts: texts
                    .iter()
                    .map(|(id, text)| (id.to_string(), text.to_string()))
                    .collect(),
                queries: Default::default(),
                listings: Default::default(),
                fetched: Default::default(),
            }
        }

        fn listed(&self) -> Vec<super::super::Listed> {
            self.texts
                .iter()
                .enumerate()
                .map(|(row, (id, text))| super::super::Listed {
                    row: row as i64,
                    id: id.clone(),
                    path: format!("{id}.txt"),
                    key: super::super::ContentKey {
                        hash: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
                        len: text.len() as u64,
                        markdown: false,
                    },
                })
                .collect()
        }
    }

    impl SharedStore for Collection {
        fn load(
            &self,
            _: &str,
            _: &[crate::corpus::SourceText],
            _: super::super::Progress,
        ) -> anyhow::Result<super::super::LoadReport> {
            unreachable!("the slice never loads")
        }

        fn version(&self, _: &str) -> anyhow::Result<Option<i64>> {
            Ok(Some(self.version))
        }

        fn size(&self, _: &str) -> anyhow::Result<Option<(i64, usize)>> {
            Ok(Some((self.version, self.texts.len())))
        }

        fn list(&self, _: &str) -> anyhow::Result<Option<Listing>> {
            Ok(Some(Listing {
                version: self.version,
                documents: self.listed(),
            }))
        }

        fn list_only(&self, _: &str, ids: &[String]) -> anyhow::Result<Option<Listing>> {
            self.listings
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(Some(Listing {
                version: self.version,
                documents: self
                    .listed()
                    .into_iter()
                    .filter(|doc| ids.contains(&doc.id))
                    .collect(),
            }))
        }

        fn fetch(&self, rows: &[i64]) -> anyhow::Result<Vec<StoredDocument>> {
            self.fetched
                .fetch_add(rows.len(), std::sync::atomic::Ordering::Relaxed);
            let listed = self.listed();
            Ok(rows
                .iter()
                .map(|&row| {
                    let doc = &listed[row as usize];
                    StoredDocument {
                        id: doc.id.clone(),
                        path: doc.path.clone(),
                        key: doc.key,
                        title: doc.id.clone(),
                        date: None,
                        url: None,
                        origin: None,
                        text: self.texts[&doc.id].clone(),
                        analysis: None,
                    }
                })
                .collect())
        }

        fn candidates(&self, _: &str, query: &CandidateQuery) -> anyhow::Result<Vec<String>> {
            self.queries
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if query.words == "slow" {
                return Err(QueryTimedOut { ms: 5 }.into());
            }
            if query.words == "down" {
                anyhow::bail!("connection refused");
            }
            Ok(self
                .texts
                .iter()
                .filter(|(_, text)| query.words.split(' ').any(|w| text.contains(w)))
                .map(|(id, _)| id.clone())
                .collect())
        }
    }

    fn words(words: &str) -> Lookup {
        Lookup::Candidates(CandidateQuery {
            words: words.to_string(),
            ..CandidateQuery::default()
        })
    }

    fn ids(documents: &[StoredDocument]) -> Vec<&str> {
        documents.iter().map(|doc| doc.id.as_str()).collect()
    }

    #[test]
    fn answers_are_kept_per_version_and_the_slice_holds_only_what_they_name() {
        let url = SharedUrl::parse("postgres://h/db?collection=desk").unwrap();
        let mut store = Collection::new(&[
            ("a", "apples and pears"),
            ("b", "boats"),
            ("c", "cars and carts"),
            ("d", "dogs"),
        ]);
        let mut slice = NoteSlice::default();
        let first = [words("apples"), Lookup::Citation("d".to_string())];
        let (documents, fetched, _) = refresh(&store, &url, &mut slice, &first).unwrap();
        assert_eq!((ids(&documents), fetched), (vec!["a", "d"], 2));

        // The same lookups again: no query, no listing, nothing fetched.
        let listed = store.listings.load(std::sync::atomic::Ordering::Relaxed);
        let (documents, fetched, _) = refresh(&store, &url, &mut slice, &first).unwrap();
        assert_eq!((ids(&documents), fetched), (vec!["a", "d"], 0));
        assert_eq!(store.queries.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(
            store.listings.load(std::sync::atomic::Ordering::Relaxed),
            listed
        );

        // Another note's lookups add to the slice; this run's corpus is its own.
        let second = [words("boats")];
        let (documents, fetched, _) = refresh(&store, &url, &mut slice, &second).unwrap();
        assert_eq!((ids(&documents), fetched), (vec!["b"], 1));
        assert_eq!(ids(&slice.documents), ["a", "b", "d"]);

        // A new version: answers are asked again, unchanged documents reused,
        // a changed one fetched again, and what no answer names dropped.
        store.version = 2;
        store
            .texts
            .insert("a".to_string(), "apples, ripe".to_string());
        store.queries.store(0, std::sync::atomic::Ordering::Relaxed);
        let (documents, fetched, _) = refresh(&store, &url, &mut slice, &first).unwrap();
        assert_eq!((ids(&documents), fetched), (vec!["a", "d"], 1));
        assert_eq!(documents[0].text, "apples, ripe");
        assert_eq!(store.queries.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(
            ids(&slice.documents),
            ["a", "d"],
            "b is named by no answer now"
        );

        // A lookup the database gives up on is left unanswered and asked
        // again; the others are answered.
        let with_slow = [words("apples"), words("slow")];
        let (documents, _, timed_out) = refresh(&store, &url, &mut slice, &with_slow).unwrap();
        assert_eq!((ids(&documents), timed_out), (vec!["a"], 1));
        let (_, _, timed_out) = refresh(&store, &url, &mut slice, &with_slow).unwrap();
        assert_eq!(timed_out, 1, "asked again");
        // The database away fails the whole and changes nothing.
        let before = slice.answers.len();
        let error = refresh(&store, &url, &mut slice, &[words("down")]).unwrap_err();
        assert!(error.contains("connection refused"), "{error}");
        assert_eq!(slice.answers.len(), before);

        // Offline: what was answered serves, and the rest is counted.
        let (documents, unanswered) = offline(&slice, &[words("apples"), words("cars")]);
        assert_eq!((ids(&documents), unanswered), (vec!["a"], 1));
    }
}
