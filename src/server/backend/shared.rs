//! Keeping a workspace's slice of the team's shared index current: after
//! each load, a task polls the collection's version ([`crate::shared::Watch`])
//! and indexes again when it changes or the database comes back; while the
//! database is away the slice keeps serving and the editor is told once,
//! `refnotes: shared index offline, N min old`. Nothing here blocks a request.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::MessageType;

use crate::shared::{self, SharedStore, SharedUrl, SliceOutcome, Watch, WatchEvent};

use super::{lock, Backend};

impl Backend {
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
