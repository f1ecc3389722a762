//! The persisted corpus index: each source document's analysis (sentences,
//! figures, quotations, names, literal numbers, context terms), kept on disk
//! between runs so that `refnotes check` and `refnotes serve` analyse only
//! the documents that are new or changed, then build the corpus-wide tables
//! (entities, claims, term weights, values, rates) from all of them.
//!
//! One file per corpus (its roots), in the index folder (`index_dir` in
//! `refnotes.toml`, else `$XDG_CACHE_HOME/refnotes/index`): a header (magic,
//! schema key, payload length, checksum) and a postcard payload of
//! [`DocAnalysis`] records keyed by their text's content hash. The file is
//! trusted only when all of these match; anything else (another refnotes
//! build, a truncated or corrupted file, a record that does not fit its
//! text) is reported and rebuilt. Writers take a lock beside the file, write
//! a temporary file, sync it and rename it over the old one, so readers see
//! the old index or the new one, never half of one, and a crash mid-write
//! leaves the last good index.
//!
//! Beside it, a second file holds the corpus-wide tables built from all
//! the analyses (`tables.rs`), keyed by every document's content hash: when
//! the corpus is exactly the one they were built for, a load decodes them
//! and builds nothing; otherwise they are rebuilt from the analyses and
//! rewritten.
//!
//! Records are `serde`-derived on the engine's own types, so a field added to
//! them is persisted without code here; the schema key changes with the
//! engine's source (see `build.rs`), so an index from another build is
//! rebuilt, never misread.

mod file;
mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::index::DocAnalysis;
use super::{Corpus, CorpusOptions, SourceText};

pub use file::{encode, schema_key, IndexFile, ReadError};

/// Bumped by hand when the file layout changes; the engine hash (from
/// `build.rs`) covers changes to the records' types and to how they are made.
pub const FORMAT_VERSION: u32 = 1;

/// The index folder used when the config names none: `index` in the cache
/// folder of converted documents.
pub fn default_index_dir() -> Option<PathBuf> {
    super::formats::default_cache_dir().map(|dir| dir.join("index"))
}

/// One document's record in the index file: generic over owning the analysis
/// (reading) or borrowing it (writing), which encode alike.
#[derive(Serialize, Deserialize)]
struct Record<A> {
    id: String,
    path: PathBuf,
    /// The text's length in bytes, and its 128-bit xxh3 hash.
    len: u64,
    hash: u128,
    markdown: bool,
    analysis: A,
}

/// What an index file holds.
#[derive(Serialize, Deserialize)]
struct Snapshot<A> {
    records: Vec<Record<A>>,
}

/// A content key: the same text read the same way has the same analysis.
/// The text's 128-bit xxh3 hash, its length in bytes, its Markdown flag.
type Key = (u128, u64, bool);

fn key_of(source: &SourceText) -> Key {
    (
        xxhash_rust::xxh3::xxh3_128(source.text.as_bytes()),
        source.text.len() as u64,
        source.markdown,
    )
}

/// How a corpus was loaded through the index, for messages and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexReport {
    /// The index file, when an index folder was given.
    pub file: Option<PathBuf>,
    pub documents: usize,
    /// Documents whose analysis came from the index.
    pub reused: usize,
    /// Documents analysed now.
    pub analysed: usize,
    /// Why the index on disk was not used, naming the file (none is no
    /// problem: a first run).
    pub rejected: Option<String>,
    /// Whether a new index was written.
    pub written: bool,
    /// Why writing it (or the tables file) failed; the corpus is built all
    /// the same.
    pub write_error: Option<String>,
    /// Whether the corpus-wide tables came from the tables file (nothing
    /// was built).
    pub tables_reused: bool,
    /// Why the tables file on disk was not used, when that is worth saying
    /// (damaged, not decodable); a corpus that changed is no problem.
    pub tables_rejected: Option<String>,
    /// Whether a new tables file was written.
    pub tables_written: bool,
}

impl IndexReport {
    /// Problems worth a warning: an index that could not be used or written.
    pub fn warnings(&self) -> Vec<String> {
        self.rejected
            .iter()
            .chain(&self.tables_rejected)
            .chain(&self.write_error)
            .cloned()
            .collect()
    }
}

/// The corpus of `sources` (sorted by id, as `load` gives them), reusing the
/// analyses in the index of `roots` in `index_dir` and writing an updated
/// index when any document was analysed or dropped. `index_dir` `None` (the
/// `--no-cache` flag) analyses everything and touches no file.
/// `progress(done, total)` is called on this thread after each batch of
/// documents.
pub fn load_corpus(
    index_dir: Option<&Path>,
    roots: &[PathBuf],
    sources: Vec<SourceText>,
    options: CorpusOptions,
    progress: &dyn Fn(usize, usize),
) -> (Corpus, IndexReport) {
    let mut report = IndexReport {
        documents: sources.len(),
        ..IndexReport::default()
    };
    let file = index_dir.and_then(|dir| match IndexFile::for_roots(dir, roots) {
        Ok(file) => Some(file),
        Err(message) => {
            report.rejected = Some(message);
            None
        }
    });
    report.file = file.as_ref().map(|f| f.path().to_path_buf());
    let keys: Vec<Key> = sources.par_iter().map(key_of).collect();
    let sources = match &file {
        Some(file) => match from_tables(file, &keys, sources, &options, &mut report) {
            Ok(corpus) => {
                progress(report.documents, report.documents);
                return (corpus, report);
            }
            Err(sources) => sources,
        },
        None => sources,
    };

    let mut known: HashMap<Key, DocAnalysis> = HashMap::new();
    let mut stored = 0;
    // The checksum of the analyses file on disk, for the tables' key.
    let mut stored_checksum = None;
    if let Some(file) = &file {
        match read_analyses(file) {
            Ok(Some((snapshot, checksum))) => {
                stored = snapshot.records.len();
                stored_checksum = Some(checksum);
                for record in snapshot.records {
                    if !record.analysis.fits(record.len as usize) {
                        report.rejected = Some(format!(
                            "index {}: the record of {} does not fit its text; rebuilding it",
                            file.path().display(),
                            record.id
                        ));
                        continue;
                    }
                    known.insert((record.hash, record.len, record.markdown), record.analysis);
                }
            }
            Ok(None) => {}
            Err(error) => report.rejected = Some(error.to_string()),
        }
    }

    let mut analyses: Vec<Option<DocAnalysis>> = Vec::with_capacity(keys.len());
    let mut first_with: HashMap<Key, usize> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        // Copies of one text within the corpus share a record.
        let analysis = known
            .remove(key)
            .or_else(|| first_with.get(key).and_then(|&j| analyses[j].clone()));
        analyses.push(analysis);
        first_with.entry(*key).or_insert(i);
    }
    drop(known);
    report.reused = analyses.iter().filter(|a| a.is_some()).count();
    let missing: Vec<usize> = (0..sources.len())
        .filter(|&i| analyses[i].is_none())
        .collect();
    report.analysed = missing.len();
    let total = sources.len();
    let mut done = report.reused;
    progress(done, total);
    for batch in missing.chunks(batch_size(missing.len())) {
        let fresh: Vec<DocAnalysis> = batch
            .par_iter()
            .map(|&i| DocAnalysis::of(&sources[i].text, sources[i].markdown))
            .collect();
        for (&i, analysis) in batch.iter().zip(fresh) {
            analyses[i] = Some(analysis);
        }
        done += batch.len();
        progress(done, total);
    }
    let analyses: Vec<DocAnalysis> = analyses.into_iter().flatten().collect();

    let changed = report.analysed > 0 || stored != sources.len() || report.rejected.is_some();
    let mut new_checksum = None;
    let writer = file.as_ref().filter(|_| changed).map(|file| {
        let snapshot = Snapshot {
            records: sources
                .iter()
                .zip(&keys)
                .zip(&analyses)
                .map(|((source, key), analysis)| Record {
                    id: source.id.clone(),
                    path: source.path.clone(),
                    len: key.1,
                    hash: key.0,
                    markdown: key.2,
                    analysis,
                })
                .collect(),
        };
        let bytes = file::encode(&snapshot);
        new_checksum = Some(file::checksum_of(&bytes));
        let file = IndexFile::clone(file);
        // Written while the corpus-wide tables are built.
        std::thread::spawn(move || file.write(&bytes))
    });
    let corpus = Corpus::from_analysed(sources, analyses, options.clone());
    // The tables are keyed by the analyses file they sit beside: the one
    // just written, else the one read (unchanged).
    let tables_bytes = file.as_ref().map(|_| {
        let key = tables::TablesKey {
            analyses: new_checksum.or(stored_checksum).unwrap_or_default(),
            aliases: options.aliases.clone(),
            documents: keys,
        };
        tables::encode(&key, &corpus)
    });
    let mut analyses_on_disk = !changed && stored_checksum.is_some();
    if let Some(writer) = writer {
        match writer.join() {
            Ok(Ok(())) => {
                report.written = true;
                analyses_on_disk = true;
            }
            Ok(Err(error)) => report.write_error = Some(error),
            Err(_) => report.write_error = Some("the index writer panicked".to_string()),
        }
    }
    // Tables beside no analyses file (a write that failed) would never be
    // used: their key names a file that is not there.
    if let (Some(file), Some(bytes), true) = (&file, tables_bytes, analyses_on_disk) {
        match file.tables().write(&bytes) {
            Ok(()) => report.tables_written = true,
            Err(error) => {
                report.write_error.get_or_insert(error);
            }
        }
    }
    (corpus, report)
}

/// The corpus from the tables file when it was built for exactly these
/// documents (`keys`, in order), this config and the analyses file on disk,
/// which must itself be intact; else the sources back for a full load.
fn from_tables(
    file: &IndexFile,
    keys: &[Key],
    sources: Vec<SourceText>,
    options: &CorpusOptions,
    report: &mut IndexReport,
) -> Result<Corpus, Vec<SourceText>> {
    let tables_file = file.tables();
    if !tables_file.path().exists() {
        return Err(sources);
    }
    // A damaged analyses file is reported (and rebuilt) by the full load.
    let Ok(Some(analyses)) = file.verify() else {
        return Err(sources);
    };
    let key = tables::TablesKey {
        analyses,
        aliases: options.aliases.clone(),
        documents: keys.to_vec(),
    };
    match tables::load(&tables_file, &key, sources, options) {
        Ok(corpus) => {
            report.reused = report.documents;
            report.tables_reused = true;
            Ok(corpus)
        }
        Err((sources, why)) => {
            report.tables_rejected = why;
            Err(sources)
        }
    }
}

/// The analyses file's records and its checksum; `None` when there is none.
fn read_analyses(file: &IndexFile) -> Result<Option<(Snapshot<DocAnalysis>, u64)>, ReadError> {
    let Some(bytes) = file.read_bytes()? else {
        return Ok(None);
    };
    let payload = file::payload(file.path(), file::MAGIC, &bytes)?;
    let snapshot = postcard::from_bytes(payload).map_err(|error| ReadError::Decode {
        path: file.path().to_path_buf(),
        message: error.to_string(),
    })?;
    Ok(Some((snapshot, file::checksum_of(&bytes))))
}

/// [`Corpus::with_changes`] through the index: unchanged documents' analyses
/// are read back from it, only `changed` ones are analysed.
pub fn with_changes(
    index_dir: Option<&Path>,
    roots: &[PathBuf],
    corpus: &Corpus,
    changed: Vec<SourceText>,
    removed: &[String],
) -> (Corpus, IndexReport) {
    let sources = corpus.sources_with_changes(changed, removed);
    load_corpus(
        index_dir,
        roots,
        sources,
        corpus.options().clone(),
        &|_, _| {},
    )
}

/// Documents analysed between two progress reports: about a hundred reports
/// for a large corpus, and enough per batch to keep every core busy.
fn batch_size(documents: usize) -> usize {
    (documents / 100)
        .max(4 * rayon::current_num_threads())
        .max(1)
}
