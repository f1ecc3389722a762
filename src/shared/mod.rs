//! The team's shared corpus: one analysed collection in a database that many
//! editors read, each checking from a local copy (the *slice*) so that no
//! keystroke waits on the network.
//!
//! [`SharedStore`] is everything refnotes asks of the shared store; the
//! PostgreSQL store ([`postgres`]) is the one implementation, so moving to
//! another engine (a search cluster, say) touches one module. Text goes in
//! through the same extractor the local index uses ([`DocAnalysis`]), and the
//! slice is read back into a [`Corpus`] with [`Corpus::from_analysed`], so a
//! check against the shared index finds exactly what a local check finds.
//!
//! Credentials come only from the URL, the standard `PG*` variables or a
//! service file; every message shows the URL through [`SharedUrl::redacted`].

pub mod note_slice;
pub mod postgres;
mod slice;
mod watch;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::corpus::formats::Origin;
use crate::corpus::index::DocAnalysis;
use crate::corpus::SourceText;

pub use slice::{
    age_words, note_texts, offline_message, open_corpus, SharedCorpus, Slice, SliceOutcome,
};
pub use watch::{Watch, WatchEvent};

/// The content key of a source: its text's 128-bit xxh3 hash, its length
/// and whether it is read as Markdown (the same key the local index uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContentKey {
    pub hash: u128,
    pub len: u64,
    pub markdown: bool,
}

impl ContentKey {
    pub fn of(source: &SourceText) -> ContentKey {
        ContentKey {
            hash: xxhash_rust::xxh3::xxh3_128(source.text.as_bytes()),
            len: source.text.len() as u64,
            markdown: source.markdown,
        }
    }
}

/// One document of a collection as the store lists it: enough to tell
/// whether a local copy is current.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The store's row id, for [`SharedStore::fetch`].
    pub row: i64,
    pub id: String,
    pub path: String,
    pub key: ContentKey,
}

/// One document as the store hands it back: its source text and metadata,
/// and its analysis when the store holds one made by this build.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredDocument {
    pub id: String,
    pub path: String,
    pub key: ContentKey,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub origin: Option<Origin>,
    pub text: String,
    pub analysis: Option<DocAnalysis>,
}

impl StoredDocument {
    /// The document as the corpus reads it, and its analysis (made now when
    /// the store's was made by another build).
    pub fn into_source(self) -> (SourceText, DocAnalysis) {
        let analysis = self
            .analysis
            .filter(|analysis| analysis.fits(self.text.len()))
            .unwrap_or_else(|| DocAnalysis::of(&self.text, self.key.markdown));
        let source = SourceText {
            id: self.id,
            path: PathBuf::from(self.path),
            title: self.title,
            date: self.date,
            url: self.url,
            text: self.text,
            markdown: self.key.markdown,
            origin: self.origin,
        };
        (source, analysis)
    }
}

/// A collection's visible state: its version and its documents, in id order.
#[derive(Clone, Debug)]
pub struct Listing {
    pub version: i64,
    pub documents: Vec<Listed>,
}

/// What a load did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// The collection's version now visible.
    pub version: i64,
    pub documents: usize,
    /// Documents analysed and written by this run.
    pub written: usize,
    /// Documents an interrupted run had written already.
    pub resumed: usize,
    pub removed: usize,
    pub bytes_written: u64,
}

/// How a load reports progress: written and total documents of this run.
pub type Progress<'a> = &'a (dyn Fn(LoadEvent) + Sync);

/// A step of a load, for progress output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadEvent {
    /// A batch was committed: `done` of `total` documents to write.
    Batch { done: usize, total: usize },
    /// Every batch is in; the new version is being made visible.
    Publishing { version: i64 },
}

/// A figure range and words to find candidate sources by, as a note's
/// figure would ask for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CandidateQuery {
    /// The figure kind's name (`money`, `percent`, ...).
    pub kind: String,
    pub unit: String,
    pub low: f64,
    pub high: f64,
    /// Words of the note's sentence, ranked by full-text search.
    pub words: String,
    pub limit: i64,
}

/// A candidate query the database gave up on (its statement timeout): that
/// one question cost too much, the database itself answered. Stores return
/// it (as the error's source) so a caller can go on with other questions.
#[derive(Debug, thiserror::Error)]
#[error("the candidate query timed out after {ms} ms (query_timeout_ms)")]
pub struct QueryTimedOut {
    pub ms: u128,
}

/// What refnotes asks of a shared store. Every call is a round trip; none
/// is made on the editor's keystroke path.
pub trait SharedStore: Send + Sync {
    /// Brings `collection` to `sources` (sorted by id): analyses and writes
    /// the new and changed documents in batches, drops the removed ones, and
    /// makes the result visible at once. Resumes an interrupted run.
    fn load(
        &self,
        collection: &str,
        sources: &[SourceText],
        progress: Progress,
    ) -> anyhow::Result<LoadReport>;

    /// The collection's visible version: one cheap query, polled by
    /// long-running front ends; `None` as for [`SharedStore::list`].
    fn version(&self, collection: &str) -> anyhow::Result<Option<i64>>;

    /// The collection's visible version and how many documents it holds:
    /// one cheap query; `None` as for [`SharedStore::list`].
    fn size(&self, collection: &str) -> anyhow::Result<Option<(i64, usize)>>;

    /// The collection's visible version and documents; `None` when there
    /// is no such collection (or the role may not read it).
    fn list(&self, collection: &str) -> anyhow::Result<Option<Listing>>;

    /// As [`SharedStore::list`], only the documents with these ids (those
    /// the visible version holds): a lookup by index, whatever the
    /// collection's size.
    fn list_only(&self, collection: &str, ids: &[String]) -> anyhow::Result<Option<Listing>>;

    /// The documents with these row ids (from [`SharedStore::list`]).
    fn fetch(&self, rows: &[i64]) -> anyhow::Result<Vec<StoredDocument>>;

    /// Ids of documents with a figure of that kind and unit within the range
    /// or a sentence sharing the words, best ranked first.
    fn candidates(&self, collection: &str, query: &CandidateQuery) -> anyhow::Result<Vec<String>>;
}

/// A shared-store URL: `postgres://[user[:password]@]host[:port]/db?collection=NAME`,
/// with refnotes' own parameters (`collection`, `role`, `query_timeout_ms`,
/// `slice`) taken out.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedUrl {
    /// The URL without refnotes' parameters, as the database client reads it.
    pub connect: String,
    pub collection: String,
    /// The role whose members may read the collection (`role=`), for a
    /// collection created by this load; default: the loading user.
    pub role: Option<String>,
    /// How long a candidate query may take (`query_timeout_ms=`); default
    /// [`postgres::DEFAULT_TIMEOUT`].
    pub query_timeout: Duration,
    /// How much of the collection an editor copies (`slice=`).
    pub slice: SliceMode,
}

/// Above this many documents a default (`slice=auto`) URL keeps only the
/// notes' candidates: a whole slice of 50,000 news articles is about 250 MB
/// of text to fetch and a corpus to build at every start.
pub const NOTES_SLICE_ABOVE: usize = 50_000;

/// How much of a collection an editor keeps locally.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SliceMode {
    /// The whole collection up to [`NOTES_SLICE_ABOVE`] documents, the
    /// notes' candidates beyond (`slice=auto`, the default).
    #[default]
    Auto,
    /// Every document (`slice=whole`).
    Whole,
    /// Only what the notes being checked may need (`slice=notes`).
    Notes,
}

impl std::fmt::Debug for SharedUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl SharedUrl {
    pub fn parse(url: &str) -> Result<SharedUrl, String> {
        let shown = redact(url);
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(format!(
                "shared index {shown}: not a postgres:// URL (the only shared store refnotes \
                 reads)"
            ));
        }
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, query),
            None => (url, ""),
        };
        let mut collection = None;
        let mut role = None;
        let mut query_timeout = postgres::DEFAULT_TIMEOUT;
        let mut slice = SliceMode::Auto;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "collection" => collection = Some(value.to_string()),
                "role" => role = Some(value.to_string()),
                "query_timeout_ms" => {
                    query_timeout = value
                        .parse()
                        .ok()
                        .filter(|&ms| ms > 0)
                        .map(Duration::from_millis)
                        .ok_or_else(|| {
                            format!(
                                "shared index {shown}: query_timeout_ms={value} is not a \
                                 positive number of milliseconds"
                            )
                        })?
                }
                "slice" => {
                    slice = match value {
                        "auto" => SliceMode::Auto,
                        "whole" => SliceMode::Whole,
                        "notes" => SliceMode::Notes,
                        _ => {
                            return Err(format!(
                                "shared index {shown}: slice={value} is not one of auto, whole, \
                                 notes"
                            ))
                        }
                    }
                }
                _ => kept.push(pair),
            }
        }
        let collection = collection.filter(|c| !c.is_empty()).ok_or_else(|| {
            format!("shared index {shown}: name the collection with ?collection=NAME")
        })?;
        if !collection
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(format!(
                "shared index {shown}: collection {collection:?} may hold only letters, digits, \
                 '-', '_' and '.'"
            ));
        }
        let connect = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        Ok(SharedUrl {
            connect,
            collection,
            role,
            query_timeout,
            slice,
        })
    }

    /// The URL with any password replaced by `***`, for messages.
    pub fn redacted(&self) -> String {
        format!(
            "{}{}collection={}",
            redact(&self.connect),
            if self.connect.contains('?') { "&" } else { "?" },
            self.collection
        )
    }

    /// What names this collection's local slice: the URL without the user
    /// and password, so each database and collection has its own slice and
    /// every user of one machine shares it.
    pub fn slice_key(&self) -> String {
        let without_user = match self.connect.split_once("://") {
            Some((scheme, rest)) => {
                let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
                format!("{scheme}://{rest}")
            }
            None => self.connect.clone(),
        };
        format!("{without_user}\0{}", self.collection)
    }
}

/// `url` with the password of its user part (and any `password=`
/// parameter) replaced by `***`.
pub fn redact(url: &str) -> String {
    let mut shown = url.to_string();
    if let Some(scheme_end) = shown.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = shown[rest_start..]
            .find(['/', '?'])
            .map_or(shown.len(), |i| rest_start + i);
        if let Some(at) = shown[rest_start..authority_end].rfind('@') {
            let userinfo = &shown[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                shown.replace_range(rest_start + colon + 1..rest_start + at, "***");
            }
        }
    }
    if let Some(query_start) = shown.find('?') {
        let (base, query) = shown.split_at(query_start + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        shown = format!("{base}{}", query.join("&"));
    }
    shown
}

/// Documents fetched per query.
const FETCH_CHUNK: usize = 256;

/// Seconds since the epoch, as slices record when the database confirmed them.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A unit enum's name as it is serialised and stored (`money`, `level`).
pub(crate) fn enum_name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The store a URL names.
pub fn open(url: &SharedUrl) -> anyhow::Result<Box<dyn SharedStore>> {
    Ok(Box::new(postgres::PgStore::connect(url)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let url = SharedUrl::parse(
            "postgres://writer:s3cr%40t@db.example:5433/news?collection=desk&sslmode=disable",
        )
        .unwrap();
        assert_eq!(url.collection, "desk");
        assert_eq!(
            url.connect,
            "postgres://writer:s3cr%40t@db.example:5433/news?sslmode=disable"
        );
        let shown = url.redacted();
        assert!(!shown.contains("s3cr"), "{shown}");
        assert_eq!(
            shown,
            "postgres://writer:***@db.example:5433/news?sslmode=disable&collection=desk"
        );
        assert!(!format!("{url:?}").contains("s3cr"));
        assert_eq!(
            redact("postgresql://u@h/db?password=hunter2&x=1"),
            "postgresql://u@h/db?password=***&x=1"
        );
        // The slice's name does not depend on who reads it.
        let same = SharedUrl::parse(
            "postgres://reader:pw@db.example:5433/news?collection=desk&sslmode=disable",
        )
        .unwrap();
        assert_eq!(url.slice_key(), same.slice_key());
        assert!(!url.slice_key().contains("writer"));
        let other = SharedUrl::parse("postgres://db.example:5433/news?collection=other").unwrap();
        assert_ne!(url.slice_key(), other.slice_key());
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let error = SharedUrl::parse("postgres://u:pw@h/db").unwrap_err();
        assert!(
            error.contains("?collection=NAME") && !error.contains("pw"),
            "{error}"
        );
        let error = SharedUrl::parse("mysql://u:pw@h/db?collection=a").unwrap_err();
        assert!(
            error.contains("not a postgres:// URL") && !error.contains(":pw"),
            "{error}"
        );
        let error = SharedUrl::parse("postgres://h/db?collection=a;drop").unwrap_err();
        assert!(error.contains("may hold only"), "{error}");
        let error =
            SharedUrl::parse("postgres://u:pw@h/db?collection=a&query_timeout_ms=0").unwrap_err();
        assert!(
            error.contains("query_timeout_ms=0 is not a positive") && !error.contains(":pw"),
            "{error}"
        );
        let url = SharedUrl::parse("postgres://h/db?collection=a&query_timeout_ms=250").unwrap();
        assert_eq!(url.query_timeout, Duration::from_millis(250));
        assert_eq!(url.connect, "postgres://h/db");
        let url = SharedUrl::parse("postgres://h/db?collection=a").unwrap();
        assert_eq!(url.query_timeout, postgres::DEFAULT_TIMEOUT);
        assert_eq!(url.slice, SliceMode::Auto);
        let url = SharedUrl::parse("postgres://h/db?slice=notes&collection=a").unwrap();
        assert_eq!(
            (url.slice, url.connect.as_str()),
            (SliceMode::Notes, "postgres://h/db")
        );
        let error = SharedUrl::parse("postgres://h/db?collection=a&slice=half").unwrap_err();
        assert!(error.contains("slice=half is not one of"), "{error}");
    }
}
