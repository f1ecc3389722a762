//! The corpus lifecycle: indexing a workspace's corpus with progress, asking
//! the client to watch its files, applying changed files to it, and holding
//! open notes out of it while they are open.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileChangeType, FileEvent, FileSystemWatcher,
    GlobPattern, MessageType, NumberOrString, OneOf, Registration, RelativePattern,
};

use crate::corpus::Corpus;
use crate::server::convert;
use crate::server::prepared::Prepared;
use crate::server::workspace::{self, CorpusOrigin, WorkspaceConfig};

use super::{empty_corpus, lock, Backend, IndexState};

const PROGRESS_INTERVAL: Duration = Duration::from_millis(200);

impl Backend {
    pub(super) fn spawn_index(&self, root: PathBuf) {
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
            // A shared index's slice opened again (a new version, a note
            // needing more of it) serves the old corpus meanwhile.
            if workspace.config.shared.is_none() || workspace.state != IndexState::Ready {
                workspace.state = IndexState::Indexing;
            }
            (Arc::clone(&workspace.config), workspace.epoch)
        };
        self.send_status(&root).await;
        self.register_watchers(&config).await;
        let progress = self.begin_progress(&config).await;

        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let loader_config = Arc::clone(&config);
        let open_notes = self.open_paths_in(&root);
        let note_texts = if config.shared.is_some() {
            self.open_texts_in(&root)
        } else {
            Vec::new()
        };
        let task = tokio::task::spawn_blocking(move || {
            if loader_config.origin == CorpusOrigin::Missing {
                return Err(None);
            }
            let progress = |done, total| {
                let _ = sender.send((done, total));
            };
            workspace::load_corpus_without(&loader_config, &open_notes, &note_texts, &progress)
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
        let mut shared = None;
        let mut lookups = None;
        let (corpus, state, summary) = match result {
            Ok(loaded) => {
                shared = loaded.shared.clone();
                lookups = loaded.lookups.map(Arc::new);
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
                    workspace.lookups = lookups;
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
        self.cover_open_notes(&root);
        if let IndexState::Failed(message) = &state {
            self.report_failure(&root, message).await;
        }
        self.report_skipped(&root, &skipped).await;
        self.send_status(&root).await;
        self.refresh_workspace(&root).await;
        if let (Some(url), Some(outcome)) = (&config.shared, shared) {
            self.spawn_shared_watch(root, url.clone(), epoch, outcome);
        }
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

    /// A note just opened that is a document of its workspace's corpus too
    /// leaves the corpus while it is open: a note is never its own source.
    pub(super) fn hold_out_open_note(&self, root: &Path, note: PathBuf) {
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
    pub(super) async fn apply_file_changes(
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

/// [`Prepared::build`] on the blocking pool.
async fn prepare(corpus: &Arc<Corpus>) -> Arc<Prepared> {
    let corpus = Arc::clone(corpus);
    tokio::task::spawn_blocking(move || Arc::new(Prepared::build(&corpus)))
        .await
        .unwrap_or_default()
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
