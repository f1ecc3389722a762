//! Settings and `refnotes.toml`: reading the editor's settings, resolving a
//! workspace's config (and showing what is wrong with it), and re-resolving
//! every workspace when either changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{ConfigurationItem, Diagnostic, MessageType};

use crate::server::convert;
use crate::server::settings::Settings;
use crate::server::workspace::{self, WorkspaceConfig};

use super::{empty_corpus, lock, Backend, IndexState, Workspace};

impl Backend {
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
    pub(super) fn open_workspace(&self, root: PathBuf, folder: bool) {
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
                    lookups: None,
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

    pub(super) fn reconfigure_workspace(&self, root: &Path) {
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
}
