//! The local slice: an editor's copy of a shared collection, kept in the
//! index folder in the persisted index's file format (header, schema key,
//! checksum, postcard payload), so checking never waits on the database and
//! goes on when the database is away.
//!
//! A refresh lists the collection's documents (ids and content keys, one
//! small query) and fetches only those the slice lacks or holds in another
//! version; this build's analyses come with them, so only the corpus-wide
//! tables are built here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::note_slice::{Lookup, NoteSlice};
use super::{SharedStore, SharedUrl, SliceMode, StoredDocument, NOTES_SLICE_ABOVE};
use crate::corpus::store::{encode, IndexFile};
use crate::corpus::{Corpus, CorpusOptions};

/// What the slice file holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Slice {
    pub collection: String,
    /// The collection's version the slice is a copy of.
    pub version: i64,
    /// When the database last confirmed it, in seconds since the epoch.
    pub checked_at: u64,
    pub documents: Vec<StoredDocument>,
}

/// How the corpus was had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SliceOutcome {
    /// The database answered: the slice is its visible version now.
    Current {
        version: i64,
        fetched: usize,
        reused: usize,
    },
    /// The database did not answer; the slice on disk serves, this old.
    Offline {
        version: i64,
        age: Duration,
        error: String,
    },
}

impl SliceOutcome {
    /// The status line an editor shows and the checker warns with, when offline.
    pub fn offline_message(&self) -> Option<String> {
        match self {
            SliceOutcome::Current { .. } => None,
            SliceOutcome::Offline { age, error, .. } => Some(offline_message(*age, error)),
        }
    }
}

/// The status line for a slice serving alone: `refnotes: shared index
/// offline, 3 min old (why)`.
pub fn offline_message(age: Duration, error: &str) -> String {
    format!(
        "refnotes: shared index offline, {} old ({error})",
        age_words(age)
    )
}

/// `3 min`, `2 h`, `4 days`.
pub fn age_words(age: Duration) -> String {
    let minutes = age.as_secs() / 60;
    match minutes {
        0..=119 => format!("{minutes} min"),
        120..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} days", minutes / 1440),
    }
}

/// Where the slice of `url`'s collection lives in `index_dir`.
fn slice_file(url: &SharedUrl, index_dir: &Path) -> Result<IndexFile, String> {
    // Named by the database and collection, never by who reads it; a path
    // no corpus has, so it never names a local corpus's index.
    let root = PathBuf::from(format!(
        "/refnotes-shared/{:016x}/{}",
        xxhash_rust::xxh3::xxh3_64(url.slice_key().as_bytes()),
        url.collection
    ));
    IndexFile::for_roots(index_dir, &[root])
}

/// The slice on disk, if there is a good one. A bad one is reported in
/// `warnings` and replaced.
fn read_slice(file: &IndexFile, collection: &str, warnings: &mut Vec<String>) -> Option<Slice> {
    match file.read::<Slice>() {
        Ok(Some(slice)) if slice.collection == collection => Some(slice),
        Ok(_) => None,
        Err(error) => {
            warnings.push(error.to_string());
            None
        }
    }
}

/// Marks `path` as confirmed now.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|error| format!("slice {}: cannot update its time ({error})", path.display()))
}

/// The corpus of `url`'s collection for checking `notes`: the slice in
/// `index_dir` brought up to date from `store` (and written back), or, when
/// the database does not answer, the slice as it is. Which slice follows
/// the URL's [`SliceMode`]: the whole collection, or the notes' candidates
/// ([`super::note_slice`]); by default the whole one up to
/// [`NOTES_SLICE_ABOVE`] documents. `index_dir` `None` keeps no slice.
/// Fails when there is neither a database nor a slice.
pub fn open_corpus(
    store: Option<&dyn SharedStore>,
    url: &SharedUrl,
    index_dir: Option<&Path>,
    options: CorpusOptions,
    notes: &[String],
) -> Result<SharedCorpus, String> {
    let mut warnings = Vec::new();
    let (mode, asked) = match (url.slice, store) {
        (SliceMode::Whole, _) => (SliceMode::Whole, Ok(())),
        (SliceMode::Notes, _) => (SliceMode::Notes, Ok(())),
        (SliceMode::Auto, Some(store)) => match store.size(&url.collection) {
            Ok(Some((_, documents))) if documents > NOTES_SLICE_ABOVE => (SliceMode::Notes, Ok(())),
            Ok(_) => (SliceMode::Whole, Ok(())),
            Err(error) => (auto_offline(url, index_dir), Err(format!("{error:#}"))),
        },
        (SliceMode::Auto, None) => (
            auto_offline(url, index_dir),
            Err("no connection was made".to_string()),
        ),
    };
    let store = asked.and_then(|()| store.ok_or_else(|| "no connection was made".to_string()));
    let (sources, outcome, lookups) = if mode == SliceMode::Notes {
        let wanted = super::note_slice::lookups_of(notes);
        let (sources, outcome) = open_notes(store, url, index_dir, &wanted, &mut warnings)?;
        let keys = wanted.iter().map(Lookup::key).collect();
        (sources, outcome, Some(keys))
    } else {
        let (sources, outcome) = open_whole(store, url, index_dir, &mut warnings)?;
        (sources, outcome, None)
    };
    let (sources, analyses) = sources.into_iter().map(StoredDocument::into_source).unzip();
    Ok(SharedCorpus {
        corpus: Corpus::from_analysed(sources, analyses, options),
        outcome,
        warnings,
        lookups,
    })
}

/// A shared collection opened for checking.
pub struct SharedCorpus {
    pub corpus: Corpus,
    /// How the slice was had.
    pub outcome: SliceOutcome,
    /// Problems with the slice's file (unreadable, unwritable) and lookups
    /// an offline notes' slice never made.
    pub warnings: Vec<String>,
    /// For a notes' slice, the lookups ([`Lookup::key`]) it answered: a
    /// note that needs others needs the slice opened again. `None` for the
    /// whole collection.
    pub lookups: Option<std::collections::HashSet<String>>,
}

/// Which slice serves a default (`auto`) URL when the database does not
/// answer: the notes' when there is one and no whole one.
fn auto_offline(url: &SharedUrl, index_dir: Option<&Path>) -> SliceMode {
    let exists = |file: Result<IndexFile, String>| file.is_ok_and(|file| file.path().exists());
    match index_dir {
        Some(dir)
            if !exists(slice_file(url, dir)) && exists(super::note_slice::slice_file(url, dir)) =>
        {
            SliceMode::Notes
        }
        _ => SliceMode::Whole,
    }
}

/// The index file at `make(url, dir)`, when there is an index folder.
fn index_file(
    index_dir: Option<&Path>,
    url: &SharedUrl,
    make: fn(&SharedUrl, &Path) -> Result<IndexFile, String>,
    warnings: &mut Vec<String>,
) -> Option<IndexFile> {
    index_dir.and_then(|dir| match make(url, dir) {
        Ok(file) => Some(file),
        Err(error) => {
            warnings.push(error);
            None
        }
    })
}

/// How old a slice whose file is `file` and that was confirmed at
/// `checked_at` is: its file's time is touched whenever the database
/// confirms it.
fn age(file: Option<&IndexFile>, checked_at: u64) -> Duration {
    let confirmed = file
        .and_then(|file| std::fs::metadata(file.path()).ok()?.modified().ok())
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_secs())
        .max(checked_at);
    Duration::from_secs(super::now().saturating_sub(confirmed))
}

/// Writes a refreshed slice to `file`, or only marks it confirmed when
/// nothing changed.
fn write_back(file: &IndexFile, bytes: Option<Vec<u8>>, warnings: &mut Vec<String>) {
    let written = match bytes {
        Some(bytes) => file.write(&bytes),
        None => touch(file.path()),
    };
    if let Err(error) = written {
        warnings.push(error);
    }
}

/// The whole collection's slice: its documents and how they were had.
fn open_whole(
    store: Result<&dyn SharedStore, String>,
    url: &SharedUrl,
    index_dir: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<(Vec<StoredDocument>, SliceOutcome), String> {
    let file = index_file(index_dir, url, slice_file, warnings);
    let old = file
        .as_ref()
        .and_then(|file| read_slice(file, &url.collection, warnings));
    let refreshed = store.and_then(|store| refresh(store, url, old.as_ref()));
    let (slice, outcome) = match refreshed {
        Ok((slice, fetched)) => {
            let outcome = SliceOutcome::Current {
                version: slice.version,
                fetched,
                reused: slice.documents.len() - fetched,
            };
            if let Some(file) = &file {
                let unchanged = fetched == 0
                    && old.as_ref().is_some_and(|old| {
                        old.version == slice.version && old.documents.len() == slice.documents.len()
                    });
                // An unchanged slice is not written again; its file's time
                // says when the database last confirmed it.
                write_back(file, (!unchanged).then(|| encode(&slice)), warnings);
            }
            (slice, outcome)
        }
        Err(error) => match old {
            Some(slice) => {
                let outcome = SliceOutcome::Offline {
                    version: slice.version,
                    age: age(file.as_ref(), slice.checked_at),
                    error,
                };
                (slice, outcome)
            }
            None => return Err(no_slice(&error, url)),
        },
    };
    Ok((slice.documents, outcome))
}

/// The notes' slice ([`super::note_slice`]): the documents `wanted` needs
/// and how they were had.
fn open_notes(
    store: Result<&dyn SharedStore, String>,
    url: &SharedUrl,
    index_dir: Option<&Path>,
    wanted: &[Lookup],
    warnings: &mut Vec<String>,
) -> Result<(Vec<StoredDocument>, SliceOutcome), String> {
    let file = index_file(index_dir, url, super::note_slice::slice_file, warnings);
    let mut slice = file
        .as_ref()
        .and_then(|file| match file.read::<NoteSlice>() {
            Ok(slice) => slice.filter(|slice| slice.collection == url.collection),
            Err(error) => {
                warnings.push(error.to_string());
                None
            }
        });
    let had_slice = slice.is_some();
    let working = slice.get_or_insert_with(NoteSlice::default);
    let before = (
        working.version,
        working.answers.len(),
        working.documents.len(),
    );
    let refreshed = store.and_then(|store| super::note_slice::refresh(store, url, working, wanted));
    match refreshed {
        Ok((documents, fetched, timed_out)) => {
            if timed_out > 0 {
                warnings.push(format!(
                    "shared index {}: the database gave up on {timed_out} of the notes' {} \
                     lookups (query_timeout_ms); their figures are checked without those \
                     sources this time, and asked for again next time",
                    url.redacted(),
                    wanted.len()
                ));
            }
            let outcome = SliceOutcome::Current {
                version: working.version,
                fetched,
                reused: documents.len() - fetched.min(documents.len()),
            };
            if let Some(file) = &file {
                let after = (
                    working.version,
                    working.answers.len(),
                    working.documents.len(),
                );
                let unchanged = had_slice && fetched == 0 && before == after;
                write_back(file, (!unchanged).then(|| encode(&*working)), warnings);
            }
            Ok((documents, outcome))
        }
        Err(error) if had_slice => {
            let (documents, unanswered) = super::note_slice::offline(working, wanted);
            if unanswered > 0 {
                warnings.push(format!(
                    "shared index {}: {unanswered} of the notes' {} figures, quotations, names \
                     and citations were never looked up, and are checked without sources",
                    url.redacted(),
                    wanted.len()
                ));
            }
            let outcome = SliceOutcome::Offline {
                version: working.version,
                age: age(file.as_ref(), working.checked_at),
                error,
            };
            Ok((documents, outcome))
        }
        Err(error) => Err(no_slice(&error, url)),
    }
}

/// The texts of the notes at `paths` as saved, for a notes' slice; a note
/// that cannot be read is left out (its check reports it).
pub fn note_texts(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|note| std::fs::read_to_string(note).ok())
        .collect()
}

/// The error of a database that did not answer when there is no slice.
fn no_slice(error: &str, url: &SharedUrl) -> String {
    format!(
        "{error}; and there is no local slice of collection {} to check from",
        url.collection
    )
}

/// The slice of the collection's visible version, reusing `old`'s documents
/// where they are current; also how many were fetched.
fn refresh(
    store: &dyn SharedStore,
    url: &SharedUrl,
    old: Option<&Slice>,
) -> Result<(Slice, usize), String> {
    let mut kept: HashMap<(&str, &str, super::ContentKey), &StoredDocument> = old
        .map(|slice| {
            slice
                .documents
                .iter()
                .map(|doc| ((doc.id.as_str(), doc.path.as_str(), doc.key), doc))
                .collect()
        })
        .unwrap_or_default();
    // A load that finishes between listing and fetching may drop rows the
    // listing named; the next listing has their replacements.
    let mut last_error = String::new();
    for _ in 0..3 {
        let listing = store
            .list(&url.collection)
            .map_err(|error| format!("{error:#}"))?
            .ok_or_else(|| {
                format!(
                    "shared index {}: there is no collection {} (or this user's role may not \
                     read it)",
                    url.redacted(),
                    url.collection
                )
            })?;
        let missing: Vec<i64> = listing
            .documents
            .iter()
            .filter(|doc| !kept.contains_key(&(doc.id.as_str(), doc.path.as_str(), doc.key)))
            .map(|doc| doc.row)
            .collect();
        let mut fetched: HashMap<i64, StoredDocument> = HashMap::new();
        let mut failed = None;
        for chunk in missing.chunks(super::FETCH_CHUNK) {
            match store.fetch(chunk) {
                Ok(documents) => fetched.extend(chunk.iter().copied().zip(documents)),
                Err(error) => {
                    failed = Some(format!("{error:#}"));
                    break;
                }
            }
        }
        if let Some(error) = failed {
            last_error = error;
            continue;
        }
        let documents = listing
            .documents
            .iter()
            .map(|doc| match fetched.remove(&doc.row) {
                Some(document) => document,
                None => kept
                    .remove(&(doc.id.as_str(), doc.path.as_str(), doc.key))
                    .expect("a listed document is kept or fetched")
                    .clone(),
            })
            .collect();
        let slice = Slice {
            collection: url.collection.clone(),
            version: listing.version,
            checked_at: super::now(),
            documents,
        };
        return Ok((slice, missing.len()));
    }
    Err(last_error)
}
