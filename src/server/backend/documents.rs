//! Open documents: opening, editing and closing them, the snapshot a request
//! copies out, and the one analysis of each version and corpus generation.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::check::{
    analyze_note_cancellable, analyze_source, CheckOptions, NoteAnalysis, NoteCache,
};
use crate::corpus::{Corpus, DocId};
use crate::server::convert;
use crate::server::document::{EditorText, TextChange, TextSnapshot};
use crate::server::workspace::{self, WorkspaceConfig};

use super::{
    empty_corpus, lock, Analysed, AnalysisCell, Backend, IndexState, OpenDocument, Snapshot,
};

impl Backend {
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
        self.cover_open_notes(&root);
        self.schedule_diagnostics(uri);
    }

    /// A note saved: a notes' slice may need to be asked for its new figures.
    pub fn save_document(&self, uri: &Uri) {
        let path = convert::uri_to_path(uri);
        let root = self.workspace_root_for(path.as_deref());
        self.cover_open_notes(&root);
    }

    /// The open documents in the workspace at `root`, with their paths.
    fn open_in(&self, root: &Path) -> Vec<(Uri, PathBuf)> {
        // Roots are found without the documents' lock held: finding one
        // takes the workspaces' lock, which others take before it.
        let uris: Vec<Uri> = lock(&self.state.documents).keys().cloned().collect();
        uris.into_iter()
            .filter_map(|uri| Some((convert::uri_to_path(&uri)?, uri)))
            .filter(|(path, _)| self.workspace_root_for(Some(path)) == root)
            .map(|(path, uri)| (uri, path))
            .collect()
    }

    /// The paths of the open documents in the workspace at `root`.
    pub(super) fn open_paths_in(&self, root: &Path) -> Vec<PathBuf> {
        self.open_in(root)
            .into_iter()
            .map(|(_, path)| path)
            .collect()
    }

    /// The texts of the open documents in the workspace at `root`, as the
    /// editor has them.
    pub(super) fn open_texts_in(&self, root: &Path) -> Vec<String> {
        let inside = self.open_in(root);
        let mut documents = lock(&self.state.documents);
        inside
            .iter()
            .filter_map(|(uri, _)| Some(documents.get_mut(uri)?.text.snapshot().text.clone()))
            .collect()
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

    /// The open document's text and version, if open.
    pub fn open_text(&self, uri: &Uri) -> Option<(i32, Arc<TextSnapshot>)> {
        lock(&self.state.documents)
            .get_mut(uri)
            .map(|d| (d.version, d.text.snapshot()))
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
