//! The server's state and its background work: open documents, one corpus per
//! workspace (an immutable `Arc`, swapped when sources change), indexing with
//! progress, diagnostics checked as edits come (coalesced under a burst) and
//! corpus file watching.
//!
//! Locks are `std` mutexes held only to copy `Arc`s in or out, never across an
//! `.await`; heavy work (loading, analysis) runs on the blocking pool.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    notification::Notification, ClientCapabilities, ConfigurationItem, Diagnostic,
    DidChangeWatchedFilesRegistrationOptions, FileChangeType, FileEvent, FileSystemWatcher,
    GlobPattern, MessageType, NumberOrString, OneOf, Registration, RelativePattern, Uri,
};
use tower_lsp_server::Client;

use crate::check::{
    analyze_note_cancellable, analyze_source, CheckOptions, NoteAnalysis, NoteCache,
};
use crate::corpus::{Corpus, CorpusOptions, DocId};
use crate::text::ColumnUnit;

use super::convert;
use super::document::{EditorText, TextChange, TextSnapshot};
use super::features;
use super::prepared::Prepared;
use super::settings::Settings;
use super::workspace::{self, CorpusOrigin, WorkspaceConfig};

const PROGRESS_INTERVAL: Duration = Duration::from_millis(200);

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

/// The `refnotes/status` notification: what a workspace's corpus holds.
pub enum StatusNotification {}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusParams {
    /// The workspace folder, or the folder of a lone note.
    pub root: String,
    /// `indexing`, `ready`, `missing` or `failed`.
    pub state: String,
    pub documents: usize,
    pub figures: usize,
    pub entities: usize,
    pub conflicts: usize,
    pub bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Notification for StatusNotification {
    type Params = StatusParams;
    const METHOD: &'static str = "refnotes/status";
}

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

    /// After `initialized`: reads settings, resolves every folder's corpus and indexes it.
    pub async fn start_workspaces(&self) {
        let changed = self.refresh_settings(None).await;
        let folders = lock(&self.state.folders).clone();
        for folder in folders {
            self.open_workspace(folder, true);
        }
        if changed {
            // A note opened while the settings were being fetched started its
            // workspace with the initialization options: bring it up to date.
            let roots: Vec<PathBuf> = lock(&self.state.workspaces).keys().cloned().collect();
            for root in roots {
                self.reconfigure_workspace(&root);
            }
            self.refresh_all();
        }
    }

    /// Asks the client for the `refnotes` section when it can answer; otherwise
    /// takes pushed settings, if any. Returns whether the settings changed.
    async fn refresh_settings(&self, pushed: Option<serde_json::Value>) -> bool {
        let mut fetched = None;
        if self.session().configuration {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some("refnotes".to_string()),
            };
            match self.client.configuration(vec![item]).await {
                Ok(values) => fetched = values.into_iter().next().filter(|v| !v.is_null()),
                Err(error) => tracing::warn!("workspace/configuration failed: {error}"),
            }
        }
        let Some(value) = fetched.or(pushed.filter(|v| !v.is_null())) else {
            return false;
        };
        let settings = Settings::from_json(Some(&value));
        let mut current = self
            .state
            .settings
            .write()
            .unwrap_or_else(|p| p.into_inner());
        let changed = *current != settings;
        *current = settings;
        changed
    }

    /// Resolves a workspace's config and starts indexing it, unless it is known.
    fn open_workspace(&self, root: PathBuf, folder: bool) {
        {
            let mut workspaces = lock(&self.state.workspaces);
            if let Some(existing) = workspaces.get_mut(&root) {
                existing.folder |= folder;
                return;
            }
            let config = self.resolve_config(&root);
            self.spawn_config_report(&config);
            workspaces.insert(
                root.clone(),
                Workspace {
                    config: Arc::new(config),
                    corpus: Arc::new(empty_corpus()),
                    prepared: Arc::default(),
                    state: IndexState::Indexing,
                    generation: self.next_generation(),
                    epoch: 0,
                    folder,
                    reindex_after: false,
                    pending_files: Default::default(),
                    applying_files: false,
                    held_out: HashMap::new(),
                },
            );
        }
        self.spawn_index(root);
    }

    fn resolve_config(&self, root: &Path) -> WorkspaceConfig {
        let mut warnings = Vec::new();
        let config = workspace::resolve(root, &self.settings(), &mut warnings);
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        // A broken config file gets its own message, from `report_config`.
        warnings.retain(|warning| {
            config
                .config_error
                .as_ref()
                .is_none_or(|problem| *warning != problem.full)
        });
        if !warnings.is_empty() {
            let backend = self.clone();
            let root = root.to_path_buf();
            tokio::spawn(async move {
                for warning in warnings {
                    backend
                        .show_once(&root, MessageType::WARNING, &warning)
                        .await;
                }
            });
        }
        config
    }

    /// Shows a message once per workspace and text.
    async fn show_once(&self, root: &Path, kind: MessageType, message: &str) {
        let first =
            lock(&self.state.reported_failures).insert((root.to_path_buf(), message.to_string()));
        if first {
            self.client
                .show_message(kind, format!("refnotes: {message}"))
                .await;
        }
    }

    fn spawn_config_report(&self, config: &WorkspaceConfig) {
        let backend = self.clone();
        let config = config.clone();
        tokio::spawn(async move { backend.report_config(&config).await });
    }

    /// Shows a broken `refnotes.toml` to the user (a message and a diagnostic
    /// at the problem in the file), or clears the diagnostic once it is fixed.
    async fn report_config(&self, config: &WorkspaceConfig) {
        let path = config.root.join(workspace::CONFIG_FILE);
        let Some(uri) = convert::path_to_uri(&path) else {
            return;
        };
        let Some(problem) = &config.config_error else {
            if lock(&self.state.config_diagnostics).remove(&path) {
                // Fixed: the same mistake made again is shown again.
                let shown = path.display().to_string();
                lock(&self.state.reported_failures)
                    .retain(|(root, message)| *root != config.root || !message.contains(&shown));
                self.client.publish_diagnostics(uri, Vec::new(), None).await;
            }
            return;
        };
        let kept = if config.project.is_some() {
            "the last good settings stay in force"
        } else {
            "the defaults apply"
        };
        self.show_once(
            &config.root,
            MessageType::ERROR,
            &format!("{}; {kept} until it is fixed", problem.full),
        )
        .await;
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines = crate::text::LineIndex::new(&text);
        let start = problem.offset.unwrap_or(0).min(text.len());
        let line_end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |end| start + end);
        let span = crate::text::Span::new(start, line_end);
        let diagnostic = Diagnostic {
            range: convert::range(&text, &lines, span, self.session().encoding),
            severity: Some(tower_lsp_server::ls_types::DiagnosticSeverity::ERROR),
            source: Some("refnotes".to_string()),
            message: format!("{}; {kept} until it is fixed", problem.message),
            ..Diagnostic::default()
        };
        lock(&self.state.config_diagnostics).insert(path);
        self.client
            .publish_diagnostics(uri, vec![diagnostic], None)
            .await;
    }

    fn next_generation(&self) -> u64 {
        self.state.next_generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Settings or `refnotes.toml` changed: re-resolve every workspace, re-index
    /// those whose corpus changed and re-check the open documents.
    pub async fn reconfigure(&self, pushed: Option<serde_json::Value>) {
        self.refresh_settings(pushed).await;
        let roots: Vec<PathBuf> = lock(&self.state.workspaces).keys().cloned().collect();
        for root in roots {
            self.reconfigure_workspace(&root);
        }
        self.refresh_all();
    }

    fn reconfigure_workspace(&self, root: &Path) {
        let mut config = self.resolve_config(root);
        let reindex = {
            let mut workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get_mut(root) else {
                return;
            };
            // A config file broken by an edit leaves the last good settings in force.
            if config.config_error.is_some() && workspace.config.project.is_some() {
                config = WorkspaceConfig {
                    config_error: config.config_error.clone(),
                    ..workspace.config.as_ref().clone()
                };
            }
            self.spawn_config_report(&config);
            let old = &workspace.config;
            let corpus_changed = old.corpus_roots != config.corpus_roots
                || old.load != config.load
                || old.aliases != config.aliases
                || old.origin != config.origin;
            if *old.as_ref() != config {
                workspace.config = Arc::new(config);
                workspace.generation = self.next_generation();
            }
            corpus_changed
        };
        if reindex {
            self.spawn_index(root.to_path_buf());
        }
    }

    fn spawn_index(&self, root: PathBuf) {
        let backend = self.clone();
        tokio::spawn(async move { backend.index(root).await });
    }

    /// Loads a workspace's corpus off the async workers, with work-done progress.
    async fn index(&self, root: PathBuf) {
        let (config, epoch) = {
            let mut workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get_mut(&root) else {
                return;
            };
            workspace.epoch += 1;
            workspace.state = IndexState::Indexing;
            (Arc::clone(&workspace.config), workspace.epoch)
        };
        self.send_status(&root).await;
        self.register_watchers(&config).await;
        let progress = self.begin_progress(&config).await;

        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let loader_config = Arc::clone(&config);
        let open_notes = self.open_paths_in(&root);
        let task = tokio::task::spawn_blocking(move || {
            if loader_config.origin == CorpusOrigin::Missing {
                return Err(None);
            }
            workspace::load_corpus_without(&loader_config, &open_notes, &|done, total| {
                let _ = sender.send((done, total));
            })
            .map_err(|failure| Some(failure.0))
        });
        let mut last_report = Instant::now();
        while let Some((done, total)) = receiver.recv().await {
            if let Some(progress) = &progress {
                if done == total || last_report.elapsed() >= PROGRESS_INTERVAL {
                    last_report = Instant::now();
                    let percent = (done * 100).checked_div(total).unwrap_or(100) as u32;
                    progress
                        .report_with_message(
                            format!(
                                "Indexing corpus: {} / {} documents",
                                group(done),
                                group(total)
                            ),
                            percent,
                        )
                        .await;
                }
            }
        }
        let result = task
            .await
            .unwrap_or_else(|error| Err(Some(format!("indexing failed: {error}"))));

        let mut held_out = HashMap::new();
        let mut skipped = Vec::new();
        let (corpus, state, summary) = match result {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    tracing::warn!("{warning}");
                    if warning.contains(": skipped") {
                        skipped.push(warning.clone());
                    }
                }
                held_out.extend(loaded.held_out);
                let stats = loaded.corpus.stats();
                let summary = format!(
                    "Indexed {} documents, {} figures, {} entities",
                    group(stats.documents),
                    group(stats.figures),
                    group(stats.entities)
                );
                (loaded.corpus, IndexState::Ready, summary)
            }
            Err(None) => (empty_corpus(), IndexState::Missing, "No corpus".to_string()),
            Err(Some(message)) => (
                empty_corpus(),
                IndexState::Failed(message),
                "Corpus not loaded".to_string(),
            ),
        };
        let corpus = Arc::new(corpus);
        let prepared = prepare(&corpus).await;
        if let Some(progress) = progress {
            progress.finish_with_message(summary).await;
        }
        let (applied, again) = {
            let mut workspaces = lock(&self.state.workspaces);
            match workspaces.get_mut(&root) {
                Some(workspace) if workspace.epoch == epoch => {
                    workspace.held_out = held_out.clone();
                    workspace.corpus = corpus;
                    workspace.prepared = prepared;
                    workspace.state = state.clone();
                    workspace.generation = self.next_generation();
                    (true, std::mem::take(&mut workspace.reindex_after))
                }
                _ => (false, false),
            }
        };
        if !applied {
            return;
        }
        if again {
            self.spawn_index(root.clone());
        }
        if let Some((note, _)) = held_out.iter().next() {
            self.tell_held_out(&root, note).await;
        }
        // Notes opened while the corpus was being read.
        for note in self.open_paths_in(&root) {
            self.hold_out_open_note(&root, note);
        }
        if let IndexState::Failed(message) = &state {
            self.report_failure(&root, message).await;
        }
        self.report_skipped(&root, &skipped).await;
        self.send_status(&root).await;
        self.refresh_workspace(&root).await;
    }

    async fn begin_progress(
        &self,
        config: &WorkspaceConfig,
    ) -> Option<
        tower_lsp_server::OngoingProgress<
            tower_lsp_server::Bounded,
            tower_lsp_server::NotCancellable,
        >,
    > {
        if !self.session().work_done_progress || config.origin == CorpusOrigin::Missing {
            return None;
        }
        let token = NumberOrString::String(format!("refnotes/index/{}", self.next_generation()));
        if let Err(error) = self.client.create_work_done_progress(token.clone()).await {
            tracing::debug!("client refused progress: {error}");
            return None;
        }
        Some(
            self.client
                .progress(token, "refnotes")
                .with_message("Indexing corpus")
                .with_percentage(0)
                .begin()
                .await,
        )
    }

    /// Shows a load failure once per workspace and message; it is always logged.
    async fn report_failure(&self, root: &Path, message: &str) {
        tracing::error!("{}: {message}", root.display());
        let first =
            lock(&self.state.reported_failures).insert((root.to_path_buf(), message.to_string()));
        if first {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("refnotes: {message}; notes are not checked until it is fixed"),
                )
                .await;
        }
    }

    /// Shows the corpus files that were skipped (a scanned PDF, an unknown
    /// format...) once per workspace and list, naming the first few.
    async fn report_skipped(&self, root: &Path, skipped: &[String]) {
        if skipped.is_empty() {
            return;
        }
        const SHOWN: usize = 3;
        let mut message = format!(
            "refnotes skipped {} corpus file{}: {}",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            skipped[..skipped.len().min(SHOWN)].join("; ")
        );
        if skipped.len() > SHOWN {
            message.push_str(&format!(
                "; and {} more (see the log)",
                skipped.len() - SHOWN
            ));
        }
        let first =
            lock(&self.state.reported_failures).insert((root.to_path_buf(), message.clone()));
        if first {
            self.client
                .show_message(MessageType::WARNING, message)
                .await;
        }
    }

    async fn send_status(&self, root: &Path) {
        let params = {
            let workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get(root) else {
                return;
            };
            let stats = workspace.corpus.stats();
            let (state, message) = match &workspace.state {
                IndexState::Indexing => ("indexing", None),
                IndexState::Ready => ("ready", None),
                IndexState::Missing => ("missing", Some(missing_reason(&workspace.config))),
                IndexState::Failed(message) => ("failed", Some(message.clone())),
            };
            StatusParams {
                root: convert::path_to_uri(root)
                    .map(|uri| uri.as_str().to_string())
                    .unwrap_or_default(),
                state: state.to_string(),
                documents: stats.documents,
                figures: stats.figures,
                entities: stats.entities,
                conflicts: stats.conflicts,
                bytes: stats.bytes,
                message,
            }
        };
        self.client
            .send_notification::<StatusNotification>(params)
            .await;
    }

    /// Asks the client to watch the corpus folders and the config file.
    async fn register_watchers(&self, config: &WorkspaceConfig) {
        let session = self.session();
        if !session.watch_registration || config.root.as_os_str().is_empty() {
            return;
        }
        if !lock(&self.state.watched_roots).insert(config.root.clone()) {
            return;
        }
        let mut targets: Vec<(PathBuf, &str)> = config
            .corpus_roots
            .iter()
            .map(|root| {
                (
                    root.clone(),
                    "**/*.{txt,md,markdown,html,htm,xhtml,pdf,docx,epub}",
                )
            })
            .collect();
        targets.push((config.root.clone(), workspace::CONFIG_FILE));
        if config.corpus_roots.is_empty() {
            targets.push((
                config.root.clone(),
                "{corpus,sources}/**/*.{txt,md,markdown,html,htm,xhtml,pdf,docx,epub}",
            ));
        }
        let watchers: Vec<FileSystemWatcher> = targets
            .into_iter()
            .filter_map(|(base, pattern)| {
                let glob_pattern = if session.relative_patterns {
                    GlobPattern::Relative(RelativePattern {
                        base_uri: OneOf::Right(convert::path_to_uri(&base)?),
                        pattern: pattern.to_string(),
                    })
                } else {
                    GlobPattern::String(format!("{}/{pattern}", base.display()))
                };
                Some(FileSystemWatcher {
                    glob_pattern,
                    kind: None,
                })
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: format!("refnotes/watch/{}", config.root.display()),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("could not register file watchers: {error}");
        }
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

    // ---- documents ----

    pub fn open_document(&self, uri: Uri, version: i32, text: String) {
        let path = convert::uri_to_path(&uri);
        let root = self.workspace_root_for(path.as_deref());
        self.open_workspace(root.clone(), false);
        lock(&self.state.documents).insert(
            uri.clone(),
            OpenDocument {
                version,
                text: EditorText::new(text),
                analysis: None,
                last_analysis: None,
                sentences: Arc::default(),
                checking: false,
                recheck: false,
                superseded: Arc::default(),
            },
        );
        if let Some(path) = path {
            self.hold_out_open_note(&root, path);
        }
        self.schedule_diagnostics(uri);
    }

    /// The paths of the open documents in the workspace at `root`.
    fn open_paths_in(&self, root: &Path) -> Vec<PathBuf> {
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        uris.iter()
            .filter_map(convert::uri_to_path)
            .filter(|path| self.workspace_root_for(Some(path)) == root)
            .collect()
    }

    /// A note just opened that is a document of its workspace's corpus too
    /// leaves the corpus while it is open: a note is never its own source.
    fn hold_out_open_note(&self, root: &Path, note: PathBuf) {
        let document = {
            let mut workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get_mut(root) else {
                return;
            };
            if workspace.state != IndexState::Ready || workspace.held_out.contains_key(&note) {
                return;
            }
            let paths: Vec<&Path> = workspace
                .corpus
                .documents()
                .iter()
                .map(|doc| doc.path.as_path())
                .collect();
            let found = workspace::documents_that_are_notes(
                &workspace.config,
                &paths,
                std::slice::from_ref(&note),
            );
            let Some((_, document)) = found.into_iter().next() else {
                return;
            };
            workspace.held_out.insert(note.clone(), document.clone());
            document
        };
        let backend = self.clone();
        let root = root.to_path_buf();
        tokio::spawn(async move {
            backend.tell_held_out(&root, &note).await;
            backend
                .apply_file_changes(root, [(document, true)].into_iter().collect())
                .await;
        });
    }

    /// Says once per workspace that open notes in the corpus are not sources.
    async fn tell_held_out(&self, root: &Path, note: &Path) {
        let message = format!(
            "the corpus of {} holds open notes (such as {}); a note is checked, \
             and not read as a source, while it is open",
            root.display(),
            note.display()
        );
        tracing::info!("{message}");
        let first = lock(&self.state.reported_failures)
            .insert((root.to_path_buf(), "held out".to_string()));
        if first {
            self.client
                .show_message(MessageType::INFO, format!("refnotes: {message}"))
                .await;
        }
    }

    pub fn change_document(&self, uri: Uri, version: i32, changes: Vec<TextChange>) {
        let unit = self.session().encoding;
        {
            let mut documents = lock(&self.state.documents);
            let Some(document) = documents.get_mut(&uri) else {
                tracing::warn!("change to a document that is not open: {}", uri.as_str());
                return;
            };
            document.text.apply(&changes, unit);
            document.version = version;
            document.analysis = None;
            document.superseded.store(true, Ordering::Relaxed);
            document.superseded = Arc::default();
        }
        self.schedule_diagnostics(uri);
    }

    pub async fn close_document(&self, uri: Uri) {
        let removed = lock(&self.state.documents).remove(&uri);
        if let Some(path) = convert::uri_to_path(&uri) {
            // A closed note that was held out of the corpus is a source again.
            let root = self.workspace_root_for(Some(&path));
            let document = lock(&self.state.workspaces)
                .get_mut(&root)
                .and_then(|workspace| workspace.held_out.remove(&path));
            if let Some(document) = document {
                let backend = self.clone();
                tokio::spawn(async move {
                    backend
                        .apply_file_changes(root, [(document, false)].into_iter().collect())
                        .await;
                });
            }
        }
        if let Some(removed) = removed {
            // Its diagnostics run stops at the next sentence and finds it gone.
            removed.superseded.store(true, Ordering::Relaxed);
        }
        if !self.session().pull_diagnostics {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    /// Copies out what a request on `uri` needs; `None` for documents not open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let (version, note, sentences, superseded) = {
            let mut documents = lock(&self.state.documents);
            let document = documents.get_mut(uri)?;
            (
                document.version,
                document.text.snapshot(),
                Arc::clone(&document.sentences),
                Arc::clone(&document.superseded),
            )
        };
        let path = convert::uri_to_path(uri);
        let root = self.workspace_root_for(path.as_deref());
        let unit = self.session().encoding;
        let workspaces = lock(&self.state.workspaces);
        let (config, corpus, prepared, state, generation) = match workspaces.get(&root) {
            Some(w) => (
                Arc::clone(&w.config),
                Arc::clone(&w.corpus),
                Arc::clone(&w.prepared),
                w.state.clone(),
                w.generation,
            ),
            None => (
                Arc::new(workspace::resolve(
                    Path::new(""),
                    &self.settings(),
                    &mut Vec::new(),
                )),
                Arc::new(empty_corpus()),
                Arc::default(),
                IndexState::Indexing,
                0,
            ),
        };
        Some(Snapshot {
            uri: uri.clone(),
            version,
            sentences,
            superseded,
            note,
            path,
            root,
            config,
            corpus,
            prepared,
            state,
            generation,
            unit,
        })
    }

    /// The analysis of a snapshot's text: one per version and corpus
    /// generation, computed on the blocking pool by whoever asks first.
    pub async fn analysis(&self, snapshot: &Snapshot) -> Arc<Analysed> {
        let cell = {
            let mut documents = lock(&self.state.documents);
            match documents.get_mut(&snapshot.uri) {
                Some(document) if document.version == snapshot.version => {
                    match &document.analysis {
                        Some((generation, cell)) if *generation == snapshot.generation => {
                            Arc::clone(cell)
                        }
                        _ => {
                            let cell = AnalysisCell::default();
                            document.analysis = Some((snapshot.generation, Arc::clone(&cell)));
                            cell
                        }
                    }
                }
                // Closed, or edited since the snapshot: nobody else wants it.
                _ => AnalysisCell::default(),
            }
        };
        let analysed = cell.get_or_init(|| self.compute_analysis(snapshot)).await;
        Arc::clone(analysed)
    }

    async fn compute_analysis(&self, snapshot: &Snapshot) -> Arc<Analysed> {
        let corpus = Arc::clone(&snapshot.corpus);
        let note = Arc::clone(&snapshot.note);
        let config = Arc::clone(&snapshot.config);
        let path = snapshot.path.clone();
        let sentences = Arc::clone(&snapshot.sentences);
        let superseded = Arc::clone(&snapshot.superseded);
        let (version, generation) = (snapshot.version, snapshot.generation);
        let computed = tokio::task::spawn_blocking(move || {
            let cancelled = || superseded.load(Ordering::Relaxed);
            if cancelled() {
                // Not worth waiting for the sentence cache: nobody wants this.
                return None;
            }
            let (source, analysis) = analyse(
                &corpus,
                &note,
                &config,
                path.as_deref(),
                &mut lock(&sentences),
                &cancelled,
            )?;
            Some(Analysed {
                version,
                generation,
                source,
                analysis,
            })
        })
        .await
        .unwrap_or_else(|error| {
            tracing::error!("analysis failed: {error}");
            None
        });
        let finished = computed.is_some();
        let computed = Arc::new(computed.unwrap_or(Analysed {
            version,
            generation,
            source: None,
            analysis: NoteAnalysis::default(),
        }));
        if finished {
            if let Some(document) = lock(&self.state.documents).get_mut(&snapshot.uri) {
                let newer = document
                    .last_analysis
                    .as_ref()
                    .is_some_and(|last| last.version > version);
                if !newer {
                    document.last_analysis = Some(Arc::clone(&computed));
                }
            }
        }
        computed
    }

    /// The newest finished analysis of the document, whatever its version.
    pub fn last_analysis(&self, uri: &Uri) -> Option<Arc<Analysed>> {
        lock(&self.state.documents)
            .get(uri)
            .and_then(|document| document.last_analysis.clone())
    }

    /// The diagnostics for a snapshot, or `None` while its corpus is indexing.
    pub async fn diagnostics(&self, snapshot: &Snapshot) -> Option<Vec<Diagnostic>> {
        if snapshot.state == IndexState::Indexing {
            return None;
        }
        let analysed = self.analysis(snapshot).await;
        let note = &snapshot.note;
        let mut findings = features::diagnostics::findings(&analysed.analysis, &snapshot.config);
        if analysed.source.is_none() {
            let reason = match &snapshot.state {
                IndexState::Missing => Some(missing_reason(&snapshot.config)),
                IndexState::Failed(message) => Some(message.clone()),
                _ if snapshot.corpus.is_empty() => Some(format!(
                    "the corpus in {} holds no documents",
                    display_roots(&snapshot.config)
                )),
                _ => None,
            };
            if let Some(reason) = reason {
                // Ours names the folder and the cause; the engine's says only that.
                findings.retain(|f| f.code != crate::check::Code::NoCorpus);
                let notice = features::diagnostics::no_corpus(
                    &note.text,
                    &note.lines,
                    &reason,
                    &snapshot.config,
                );
                findings.splice(0..0, notice);
            }
        }
        Some(
            findings
                .iter()
                .map(|f| {
                    convert::diagnostic(
                        f,
                        note,
                        &snapshot.corpus,
                        &snapshot.prepared.copies,
                        snapshot.unit,
                    )
                })
                .collect(),
        )
    }

    /// Checks `uri` now, or, when a check of it is already running, once that
    /// one ends: no fixed delay when the server is idle, and under a burst of
    /// keystrokes the edits that arrive during one run coalesce into the next
    /// (the running one, superseded, stops at its next sentence). Push clients
    /// get the result published; pull clients find it ready when they ask.
    fn schedule_diagnostics(&self, uri: Uri) {
        {
            let mut documents = lock(&self.state.documents);
            let Some(document) = documents.get_mut(&uri) else {
                return;
            };
            if document.checking {
                document.recheck = true;
                return;
            }
            document.checking = true;
        }
        let backend = self.clone();
        tokio::spawn(async move { backend.check_until_current(uri).await });
    }

    async fn check_until_current(&self, uri: Uri) {
        loop {
            if self.session().pull_diagnostics {
                if let Some(snapshot) = self.snapshot(&uri) {
                    if snapshot.state != IndexState::Indexing {
                        self.analysis(&snapshot).await;
                    }
                }
            } else {
                self.publish(uri.clone()).await;
            }
            let mut documents = lock(&self.state.documents);
            let Some(document) = documents.get_mut(&uri) else {
                return;
            };
            if !std::mem::take(&mut document.recheck) {
                document.checking = false;
                return;
            }
        }
    }

    async fn publish(&self, uri: Uri) {
        let Some(snapshot) = self.snapshot(&uri) else {
            return;
        };
        let Some(diagnostics) = self.diagnostics(&snapshot).await else {
            return;
        };
        let current = lock(&self.state.documents).get(&uri).map(|d| d.version);
        if current != Some(snapshot.version) {
            return;
        }
        self.client
            .publish_diagnostics(uri, diagnostics, Some(snapshot.version))
            .await;
    }

    /// Re-checks the open documents of one workspace after its corpus changed.
    async fn refresh_workspace(&self, root: &Path) {
        if self.session().pull_diagnostics {
            if self.session().diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        for uri in uris {
            let path = convert::uri_to_path(&uri);
            if self.workspace_root_for(path.as_deref()) == root {
                self.schedule_diagnostics(uri);
            }
        }
    }

    fn refresh_all(&self) {
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        for uri in uris {
            self.schedule_diagnostics(uri);
        }
    }

    /// The snapshots and analyses of every open note in the same workspace as
    /// `current`, `current` first.
    pub async fn open_notes(&self, current: &Snapshot) -> Vec<(Snapshot, Arc<Analysed>)> {
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        let mut notes = Vec::new();
        for uri in std::iter::once(current.uri.clone())
            .chain(uris.into_iter().filter(|u| *u != current.uri))
        {
            let Some(snapshot) = self.snapshot(&uri) else {
                continue;
            };
            if snapshot.root != current.root {
                continue;
            }
            let analysed = self.analysis(&snapshot).await;
            notes.push((snapshot, analysed));
        }
        notes
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

    /// The open document's text and version, if open.
    pub fn open_text(&self, uri: &Uri) -> Option<(i32, Arc<TextSnapshot>)> {
        lock(&self.state.documents)
            .get_mut(uri)
            .map(|d| (d.version, d.text.snapshot()))
    }

    pub fn folders(&self) -> Vec<PathBuf> {
        lock(&self.state.folders).clone()
    }

    pub fn add_folders(&self, added: Vec<PathBuf>, removed: Vec<PathBuf>) {
        {
            let mut folders = lock(&self.state.folders);
            folders.retain(|f| !removed.contains(f));
            let mut workspaces = lock(&self.state.workspaces);
            for root in &removed {
                workspaces.remove(root);
            }
        }
        for folder in added {
            lock(&self.state.folders).push(folder.clone());
            self.open_workspace(folder, true);
        }
        self.refresh_all();
    }

    // ---- watched files ----

    /// Re-indexes only the corpus files that changed, swaps in the new corpus
    /// and re-checks the open notes; a changed `refnotes.toml` re-resolves its workspace.
    pub async fn files_changed(&self, events: Vec<FileEvent>) {
        // Path -> deleted, the last event for a path winning.
        let mut per_root: HashMap<PathBuf, std::collections::BTreeMap<PathBuf, bool>> =
            HashMap::new();
        let mut reconfigure = HashSet::new();
        let workspaces: Vec<(PathBuf, Arc<WorkspaceConfig>)> = lock(&self.state.workspaces)
            .iter()
            .map(|(root, w)| (root.clone(), Arc::clone(&w.config)))
            .collect();
        for event in events {
            let Some(path) = convert::uri_to_path(&event.uri) else {
                continue;
            };
            for (root, config) in &workspaces {
                let is_config = path
                    .file_name()
                    .is_some_and(|n| n == workspace::CONFIG_FILE)
                    && path.parent() == Some(root);
                // A conventional corpus folder appearing changes where the corpus is.
                let is_conventional = config.corpus_roots.is_empty()
                    && crate::project::in_conventional_corpus(root, &path);
                if is_config || is_conventional {
                    reconfigure.insert(root.clone());
                } else if config.is_in_corpus(&path) {
                    per_root
                        .entry(root.clone())
                        .or_default()
                        .insert(path.clone(), event.typ == FileChangeType::DELETED);
                }
            }
        }
        for root in &reconfigure {
            self.reconfigure_workspace(root);
            per_root.remove(root);
        }
        for (root, files) in per_root {
            self.apply_file_changes(root, files).await;
        }
        if !reconfigure.is_empty() {
            self.refresh_all();
        }
    }

    /// Queues changed corpus files for a workspace and applies the queue,
    /// unless another task is applying it already (that one takes these too).
    async fn apply_file_changes(
        &self,
        root: PathBuf,
        files: std::collections::BTreeMap<PathBuf, bool>,
    ) {
        {
            let mut workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get_mut(&root) else {
                return;
            };
            workspace.pending_files.extend(files);
            if workspace.applying_files {
                return;
            }
            workspace.applying_files = true;
        }
        loop {
            let files = {
                let mut workspaces = lock(&self.state.workspaces);
                let Some(workspace) = workspaces.get_mut(&root) else {
                    return;
                };
                if workspace.pending_files.is_empty() {
                    workspace.applying_files = false;
                    return;
                }
                std::mem::take(&mut workspace.pending_files)
            };
            self.apply_pending_files(&root, files).await;
        }
    }

    async fn apply_pending_files(
        &self,
        root: &Path,
        files: std::collections::BTreeMap<PathBuf, bool>,
    ) {
        let (config, corpus, state, held_out) = {
            let workspaces = lock(&self.state.workspaces);
            let Some(w) = workspaces.get(root) else {
                return;
            };
            (
                Arc::clone(&w.config),
                Arc::clone(&w.corpus),
                w.state.clone(),
                w.held_out.values().cloned().collect::<HashSet<PathBuf>>(),
            )
        };
        if state == IndexState::Indexing {
            if let Some(workspace) = lock(&self.state.workspaces).get_mut(root) {
                workspace.reindex_after = true;
            }
            return;
        }
        if state != IndexState::Ready {
            // A corpus that failed to load (say, its folder was missing) may load now.
            self.spawn_index(root.to_path_buf());
            return;
        }
        let base = Arc::clone(&corpus);
        let updated = tokio::task::spawn_blocking(move || {
            let mut sources = Vec::new();
            let mut removed = Vec::new();
            for (path, deleted) in &files {
                if *deleted {
                    removed.extend(config.document_id(path));
                    // A deleted folder takes every document under it.
                    if let Some(prefix) = config.document_id(&path.join("x")) {
                        let prefix = prefix.strip_suffix('x').unwrap_or(&prefix).to_string();
                        removed.extend(
                            corpus
                                .documents()
                                .iter()
                                .filter(|d| d.id.starts_with(&prefix))
                                .map(|d| d.id.clone()),
                        );
                    }
                    continue;
                }
                if held_out.contains(path) {
                    // An open note stays out of the corpus, however it changes on disk.
                    removed.extend(config.document_id(path));
                    continue;
                }
                match workspace::read_source(&config, path) {
                    Ok(Some(source)) => sources.push(source),
                    Ok(_) => {}
                    Err(warning) => {
                        tracing::warn!("{warning}");
                        removed.extend(config.document_id(path));
                    }
                }
            }
            let index_dir = config.load.index_dir.as_deref();
            let (updated, report) = crate::corpus::store::with_changes(
                index_dir,
                &config.corpus_roots,
                &corpus,
                sources,
                &removed,
            );
            for warning in report.warnings() {
                tracing::warn!("{warning}");
            }
            let updated = Arc::new(updated);
            let prepared = Arc::new(Prepared::build(&updated));
            (updated, prepared)
        })
        .await;
        let Ok((updated, prepared)) = updated else {
            return;
        };
        {
            let mut workspaces = lock(&self.state.workspaces);
            let Some(workspace) = workspaces.get_mut(root) else {
                return;
            };
            if !Arc::ptr_eq(&workspace.corpus, &base) {
                // Something newer landed meanwhile (a full index): let it stand.
                return;
            }
            workspace.corpus = updated;
            workspace.prepared = prepared;
            workspace.generation = self.next_generation();
        }
        self.send_status(root).await;
        self.refresh_workspace(root).await;
    }
}

impl Backend {
    /// `refnotes/corpusReport`: Markdown on the corpus of the workspace folder
    /// named in `{"workspaceFolder": uri}` (else the first one): its documents,
    /// entities, figures and source conflicts.
    pub async fn corpus_report(
        &self,
        params: serde_json::Value,
    ) -> tower_lsp_server::jsonrpc::Result<serde_json::Value> {
        let folder = params
            .get("workspaceFolder")
            .and_then(serde_json::Value::as_str)
            .and_then(|uri| uri.parse::<Uri>().ok())
            .and_then(|uri| convert::uri_to_path(&uri));
        let root = self.workspace_root_for(folder.as_deref());
        let corpus = {
            let workspaces = lock(&self.state.workspaces);
            workspaces
                .get(&root)
                .or_else(|| workspaces.values().next())
                .map(|w| Arc::clone(&w.corpus))
        };
        let Some(corpus) = corpus else {
            return Ok(serde_json::json!({
                "markdown": "# Corpus report\n\nNo corpus is loaded for this workspace yet.\n"
            }));
        };
        let markdown =
            tokio::task::spawn_blocking(move || crate::check::report::corpus_report(&corpus))
                .await
                .map_err(|error| {
                    tower_lsp_server::jsonrpc::Error::invalid_params(error.to_string())
                })?;
        Ok(serde_json::json!({ "markdown": markdown }))
    }
}

/// Analyses a note, or a source document of the corpus opened in the editor.
fn analyse(
    corpus: &Corpus,
    note: &TextSnapshot,
    config: &WorkspaceConfig,
    path: Option<&Path>,
    sentences: &mut NoteCache,
    cancelled: &dyn Fn() -> bool,
) -> Option<(Option<DocId>, NoteAnalysis)> {
    let source = path
        .filter(|p| config.is_source_file(p))
        .and_then(|p| corpus.document_by_path(p));
    let analysis = match source {
        Some(doc) => analyze_source(corpus, doc),
        // A superseded analysis ends early with nothing: its version is
        // neither published nor kept (both check the version first).
        None => analyze_note_cancellable(
            corpus,
            &note.text,
            &CheckOptions {
                tolerance: config.tolerance,
            },
            sentences,
            cancelled,
        )?,
    };
    Some((source, analysis))
}

/// [`Prepared::build`] on the blocking pool.
async fn prepare(corpus: &Arc<Corpus>) -> Arc<Prepared> {
    let corpus = Arc::clone(corpus);
    tokio::task::spawn_blocking(move || Arc::new(Prepared::build(&corpus)))
        .await
        .unwrap_or_default()
}

fn empty_corpus() -> Corpus {
    Corpus::from_sources(Vec::new(), CorpusOptions::default())
}

fn missing_reason(config: &WorkspaceConfig) -> String {
    if config.root.as_os_str().is_empty() {
        "no corpus: open the notes' folder, or set `refnotes.corpus`".to_string()
    } else {
        format!(
            "no corpus for {}: add a `corpus` folder, a refnotes.toml, or the `refnotes.corpus` setting",
            config.root.display()
        )
    }
}

fn display_roots(config: &WorkspaceConfig) -> String {
    let roots: Vec<String> = config
        .corpus_roots
        .iter()
        .map(|r| r.display().to_string())
        .collect();
    roots.join(", ")
}

/// 10000 as "10,000".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1204, "1,204"),
            (10_000, "10,000"),
            (1_234_567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(group(n), text);
        }
    }
}
