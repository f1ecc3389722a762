//! Keeping a workspace's slice of the team's shared index current: after
//! each load, a task polls the collection's version ([`crate::shared::Watch`])
//! and indexes again when it changes or the database comes back; while the
//! database is away the slice keeps serving and the editor is told once,
//! `refnotes: shared index offline, N min old`. Nothing here blocks a request.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::MessageType;

use crate::shared::{self, SharedStore, SharedUrl, SliceOutcome, Watch, WatchEvent};

use super::{lock, Backend, IndexState};

impl Backend {
    /// When the workspace at `root` checks from a notes' slice and an open
    /// note has figures, quotations, names or citations the slice was not
    /// asked for (a note just opened, or saved with new ones), opens the
    /// slice again for them, in the background: the old corpus serves
    /// meanwhile. An empty slice (no note was open when it was opened) has
    /// nothing to serve, so the note waits for its sources, as for a first
    /// index, rather than being told the corpus is empty.
    pub(super) fn cover_open_notes(&self, root: &Path) {
        let (covered, empty) = match lock(&self.state.workspaces).get(root) {
            Some(workspace) if workspace.state == IndexState::Ready => {
                (workspace.lookups.clone(), workspace.corpus.is_empty())
            }
            _ => return,
        };
        let Some(covered) = covered else {
            return;
        };
        let texts = self.open_texts_in(root);
        let uncovered = move || {
            shared::note_slice::lookups_of(&texts)
                .iter()
                .any(|lookup| !covered.contains(&lookup.key()))
        };
        if empty {
            if uncovered() {
                if let Some(workspace) = lock(&self.state.workspaces).get_mut(root) {
                    workspace.state = IndexState::Indexing;
                }
                self.spawn_index(root.to_path_buf());
            }
            return;
        }
        let backend = self.clone();
        let root = root.to_path_buf();
        tokio::spawn(async move {
            let uncovered = tokio::task::spawn_blocking(uncovered)
                .await
                .unwrap_or(false);
            if uncovered {
                tracing::info!(
                    "{}: open notes need more of the shared index; opening its slice again",
                    root.display()
                );
                backend.spawn_index(root);
            }
        });
    }

    /// Watches `url`'s collection for the workspace at `root` while its
    /// index `epoch` is current (a newer index starts its own watch).
    pub(super) fn spawn_shared_watch(
        &self,
        root: PathBuf,
        url: SharedUrl,
        epoch: u64,
        outcome: SliceOutcome,
    ) {
        let backend = self.clone();
        tokio::spawn(async move { backend.watch_shared(root, url, epoch, outcome).await });
    }

    async fn watch_shared(&self, root: PathBuf, url: SharedUrl, epoch: u64, outcome: SliceOutcome) {
        let (mut watch, mut offline) = match &outcome {
            SliceOutcome::Current { version, .. } => (
                Watch::new(&url.collection, Some(*version), Default::default()),
                false,
            ),
            SliceOutcome::Offline { version, age, .. } => {
                (Watch::new(&url.collection, Some(*version), *age), true)
            }
        };
        if let Some(message) = outcome.offline_message() {
            self.client
                .show_message(MessageType::WARNING, message)
                .await;
        }
        // The store lives and dies on the blocking pool: its client runtime
        // may not be dropped on an async worker.
        let opened = tokio::task::spawn_blocking({
            let url = url.clone();
            move || shared::open(&url).map(Arc::<dyn SharedStore>::from)
        })
        .await;
        let store = match opened {
            Ok(Ok(store)) => store,
            Ok(Err(error)) => {
                tracing::error!("{error:#}");
                return;
            }
            Err(_) => return,
        };
        let mut wait = match &outcome {
            // Counted as the first failure, so the retries back off from here.
            SliceOutcome::Offline { error, .. } => watch.observe(Err(anyhow::anyhow!("{error}"))).1,
            SliceOutcome::Current { .. } => watch.interval(),
        };
        loop {
            tokio::time::sleep(wait).await;
            let current = lock(&self.state.workspaces)
                .get(&root)
                .is_some_and(|workspace| workspace.epoch == epoch);
            if !current {
                break;
            }
            let answer = tokio::task::spawn_blocking({
                let (store, collection) = (Arc::clone(&store), url.collection.clone());
                move || store.version(&collection)
            })
            .await
            .unwrap_or_else(|error| Err(anyhow::anyhow!("the poll failed: {error}")));
            let (event, next) = watch.observe(answer);
            wait = next;
            match event {
                WatchEvent::Current => {}
                WatchEvent::Changed { version } => {
                    tracing::info!(
                        "{}: shared collection {} at version {version}; reloading",
                        root.display(),
                        url.collection
                    );
                    if offline {
                        self.client
                            .show_message(
                                MessageType::INFO,
                                format!("refnotes: shared index {} back online", url.collection),
                            )
                            .await;
                    }
                    self.spawn_index(root.clone());
                    break;
                }
                WatchEvent::Offline { message } => {
                    tracing::warn!("{message}");
                    if !offline {
                        offline = true;
                        self.client
                            .show_message(MessageType::WARNING, message)
                            .await;
                    }
                }
            }
        }
        let _ = tokio::task::spawn_blocking(move || drop(store)).await;
    }
}
