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

use super::{SharedStore, SharedUrl, StoredDocument};
use crate::corpus::store::{encode, IndexFile};
use crate::corpus::{Corpus, CorpusOptions};

/// Documents fetched per query.
const FETCH_CHUNK: usize = 256;

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

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The corpus of `url`'s collection: the slice in `index_dir` brought up to
/// date from `store` (and written back), or, when the database does not
/// answer, the slice as it is. `index_dir` `None` keeps no slice. Returns
/// the corpus, how it was had and warnings (a slice that could not be read
/// or written). Fails when there is neither a database nor a slice.
pub fn open_corpus(
    store: Option<&dyn SharedStore>,
    url: &SharedUrl,
    index_dir: Option<&Path>,
    options: CorpusOptions,
) -> Result<(Corpus, SliceOutcome, Vec<String>), String> {
    let mut warnings = Vec::new();
    let file = index_dir.and_then(|dir| match slice_file(url, dir) {
        Ok(file) => Some(file),
        Err(error) => {
            warnings.push(error);
            None
        }
    });
    let old = file
        .as_ref()
        .and_then(|file| read_slice(file, &url.collection, &mut warnings));
    let refreshed = match store {
        Some(store) => refresh(store, url, old.as_ref()),
        None => Err("no connection was made".to_string()),
    };
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
                let written = if unchanged {
                    touch(file.path())
                } else {
                    file.write(&encode(&slice))
                };
                if let Err(error) = written {
                    warnings.push(error);
                }
            }
            (slice, outcome)
        }
        Err(error) => match old {
            Some(slice) => {
                let confirmed = file
                    .as_ref()
                    .and_then(|file| std::fs::metadata(file.path()).ok()?.modified().ok())
                    .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |since| since.as_secs())
                    .max(slice.checked_at);
                let age = Duration::from_secs(now().saturating_sub(confirmed));
                let outcome = SliceOutcome::Offline {
                    version: slice.version,
                    age,
                    error,
                };
                (slice, outcome)
            }
            None => {
                return Err(format!(
                    "{error}; and there is no local slice of collection {} to check from",
                    url.collection
                ))
            }
        },
    };
    let (sources, analyses) = slice
        .documents
        .into_iter()
        .map(StoredDocument::into_source)
        .unzip();
    Ok((
        Corpus::from_analysed(sources, analyses, options),
        outcome,
        warnings,
    ))
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
        for chunk in missing.chunks(FETCH_CHUNK) {
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
            checked_at: now(),
            documents,
        };
        return Ok((slice, missing.len()));
    }
    Err(last_error)
}
