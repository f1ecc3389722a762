//! The server's state: open documents, one corpus per workspace (an immutable
//! `Arc`, swapped when sources change) and what a request copies out of them.
//! The work on that state is split by responsibility, in the way rust-analyzer
//! keeps `global_state.rs` apart from `reload.rs`:
//!
//! - `config`: settings and `refnotes.toml`, resolving each workspace;
//! - `reload`: the corpus lifecycle (indexing with progress, file watching,
//!   applying changed files, holding open notes out of the corpus);
//! - `documents`: open documents, snapshots and the one analysis per version;
//! - `diagnostics`: checking as edits come (coalesced under a burst) and publishing;
//! - `ext`: the protocol extensions, `refnotes/status` and `refnotes/corpusReport`;
//! - `shared`: keeping a team's shared index current (issue 12).
//!
//! Locks are `std` mutexes held only to copy `Arc`s in or out, never across an
//! `.await`; heavy work (loading, analysis) runs on the blocking pool.

mod config;
mod diagnostics;
mod documents;
mod ext;
mod reload;
mod shared;

pub use ext::{StatusNotification, StatusParams};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::ls_types::{ClientCapabilities, Uri};
use tower_lsp_server::Client;

use crate::check::{NoteAnalysis, NoteCache};
use crate::corpus::{Corpus, CorpusOptions, DocId};
use crate::text::ColumnUnit;

use super::convert;
use super::document::{EditorText, TextSnapshot};
use super::prepared::Prepared;
use super::settings::Settings;
use super::workspace::{self, WorkspaceConfig};

/// What the client said it can do, fixed at `initialize`.
#[derive(Clone, Debug)]
pub struct Session {
    pub encoding: ColumnUnit,
    pub work_done_progress: bool,
    pub pull_diagnostics: bool,
    pub diagnostic_refresh: bool,
    pub watch_registration: bool,
    pub relative_patterns: bool,
    pub configuration: bool,
}

impl Session {
    pub fn from_capabilities(capabilities: &ClientCapabilities) -> Session {
        let workspace = capabilities.workspace.as_ref();
        let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
        Session {
            encoding: convert::negotiate_encoding(capabilities),
            work_done_progress: capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            pull_diagnostics: capabilities
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watch_registration: watched
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            relative_patterns: watched
                .and_then(|w| w.relative_pattern_support)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        }
    }
}

impl Default for Session {
    fn default() -> Session {
        Session::from_capabilities(&ClientCapabilities::default())
    }
}

/// Where a workspace's corpus stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexState {
    Indexing,
    Ready,
    /// Nothing configured and no conventional folder.
    Missing,
    /// Configured but could not be loaded.
    Failed(String),
}

/// One workspace folder (or the folder of a note opened on its own) and its corpus.
struct Workspace {
    config: Arc<WorkspaceConfig>,
    corpus: Arc<Corpus>,
    /// Derived from `corpus`, swapped in with it.
    prepared: Arc<Prepared>,
    state: IndexState,
    /// Changes whenever the corpus or the checking options do; cached analyses
    /// from another generation are stale.
    generation: u64,
    /// Bumped when a full index starts, so a slower, older run cannot win.
    epoch: u64,
    /// Whether the editor named this folder (rather than a lone note's folder).
    folder: bool,
    /// Files changed while a full index was running: index again when it ends.
    reindex_after: bool,
    /// Corpus files changed on disk and not yet applied, by path (`true` when
    /// the last event said deleted), so events for one file coalesce within a
    /// batch and across batches.
    pending_files: std::collections::BTreeMap<PathBuf, bool>,
    /// Whether a task is applying `pending_files`; it takes any that arrive
    /// meanwhile before it stops, so updates never race.
    applying_files: bool,
    /// Open notes that are corpus documents too, each with the document's
    /// path: left out of the corpus while open, as a note is never its own source.
    held_out: HashMap<PathBuf, PathBuf>,
    /// For a notes' slice of a shared index, the lookups it answered: a note
    /// opened or saved with others has the slice opened again.
    lookups: Option<Arc<std::collections::HashSet<String>>>,
}

/// A note's analysis for one text version and corpus generation.
pub struct Analysed {
    pub version: i32,
    pub generation: u64,
    pub source: Option<DocId>,
    pub analysis: NoteAnalysis,
}

/// The one analysis of a document version and corpus generation: whoever
/// asks first computes it, everyone else (the diagnostics run, a hover, a
/// pull) waits for that result instead of starting another.
type AnalysisCell = Arc<tokio::sync::OnceCell<Arc<Analysed>>>;

struct OpenDocument {
    version: i32,
    text: EditorText,
    /// This version's analysis, by corpus generation, once someone asked for it.
    analysis: Option<(u64, AnalysisCell)>,
    /// The newest finished analysis of any version, for what may use a
    /// slightly stale one rather than wait (completion's ranking).
    last_analysis: Option<Arc<Analysed>>,
    /// Per-sentence results kept between edits, so a keystroke re-checks
    /// only the sentence it changed.
    sentences: Arc<Mutex<NoteCache>>,
    /// A diagnostics run is going on for this document.
    checking: bool,
    /// An edit (or a corpus change) came during that run: run again when it ends.
    recheck: bool,
    /// Set when this version's text is replaced or closed: its analyses, on
    /// the blocking pool where aborting a task cannot reach, then stop at
    /// the next sentence instead of holding the sentence cache and a thread.
    superseded: Arc<AtomicBool>,
}

/// Everything a request needs, copied out of the state at once.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub note: Arc<TextSnapshot>,
    /// The open document's sentence cache (a fresh one for closed files).
    pub sentences: Arc<Mutex<NoteCache>>,
    /// Set once the snapshot's version is no longer the document's.
    pub superseded: Arc<AtomicBool>,
    pub path: Option<PathBuf>,
    pub root: PathBuf,
    pub config: Arc<WorkspaceConfig>,
    pub corpus: Arc<Corpus>,
    pub prepared: Arc<Prepared>,
    pub state: IndexState,
    pub generation: u64,
    pub unit: ColumnUnit,
}

#[derive(Default)]
struct State {
    session: RwLock<Session>,
    settings: RwLock<Settings>,
    folders: Mutex<Vec<PathBuf>>,
    documents: Mutex<HashMap<Uri, OpenDocument>>,
    workspaces: Mutex<HashMap<PathBuf, Workspace>>,
    next_generation: AtomicU64,
    reported_failures: Mutex<HashSet<(PathBuf, String)>>,
    /// Config files with a diagnostic published on them, to clear once fixed.
    config_diagnostics: Mutex<HashSet<PathBuf>>,
    watched_roots: Mutex<HashSet<PathBuf>>,
    shutdown_requested: AtomicBool,
}

/// A workspace's config, corpus, what is prepared from it, and its state.
pub type WorkspaceCorpus = (Arc<WorkspaceConfig>, Arc<Corpus>, Arc<Prepared>, IndexState);

/// The language server: a client handle and shared state. Cheap to clone into tasks.
#[derive(Clone)]
pub struct Backend {
    pub client: Client,
    state: Arc<State>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(State::default()),
        }
    }

    pub fn session(&self) -> Session {
        self.state
            .session
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn settings(&self) -> Settings {
        self.state
            .settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn shutdown_requested(&self) -> bool {
        self.state.shutdown_requested.load(Ordering::SeqCst)
    }

    pub fn mark_shutdown(&self) {
        self.state.shutdown_requested.store(true, Ordering::SeqCst);
    }

    /// Records what `initialize` negotiated.
    pub fn start_session(&self, session: Session, settings: Settings, folders: Vec<PathBuf>) {
        *self
            .state
            .session
            .write()
            .unwrap_or_else(|p| p.into_inner()) = session;
        *self
            .state
            .settings
            .write()
            .unwrap_or_else(|p| p.into_inner()) = settings;
        *lock(&self.state.folders) = folders;
    }

    fn next_generation(&self) -> u64 {
        self.state.next_generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The workspace a note belongs to: the deepest folder holding it, else its
    /// own folder (where `refnotes.toml` is, if one is above it).
    fn workspace_root_for(&self, path: Option<&Path>) -> PathBuf {
        let workspaces = lock(&self.state.workspaces);
        let folders = lock(&self.state.folders);
        let Some(path) = path else {
            return folders.first().cloned().unwrap_or_default();
        };
        let known = folders
            .iter()
            .chain(workspaces.keys())
            .filter(|root| !root.as_os_str().is_empty() && path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len());
        if let Some(root) = known {
            return root.clone();
        }
        let parent = path.parent().unwrap_or(Path::new(""));
        workspace::find_config(parent)
            .and_then(|config| config.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| parent.to_path_buf())
    }

    /// Every workspace's corpus, for workspace-wide requests.
    pub fn corpora(&self) -> Vec<WorkspaceCorpus> {
        lock(&self.state.workspaces)
            .values()
            .map(|w| {
                (
                    Arc::clone(&w.config),
                    Arc::clone(&w.corpus),
                    Arc::clone(&w.prepared),
                    w.state.clone(),
                )
            })
            .collect()
    }

    pub fn folders(&self) -> Vec<PathBuf> {
        lock(&self.state.folders).clone()
    }
}

fn empty_corpus() -> Corpus {
    Corpus::from_sources(Vec::new(), CorpusOptions::default())
}
