//! Diagnostics: a note's findings as LSP diagnostics (with the no-corpus
//! notice naming the folder and the cause), checked as edits come and
//! published to push clients.

use std::path::Path;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::server::convert;
use crate::server::features;
use crate::server::workspace::WorkspaceConfig;

use super::{lock, Backend, IndexState, Snapshot};

impl Backend {
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
    pub(super) fn schedule_diagnostics(&self, uri: Uri) {
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
    pub(super) async fn refresh_workspace(&self, root: &Path) {
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

    pub(super) fn refresh_all(&self) {
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        for uri in uris {
            self.schedule_diagnostics(uri);
        }
    }
}

pub(super) fn missing_reason(config: &WorkspaceConfig) -> String {
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
