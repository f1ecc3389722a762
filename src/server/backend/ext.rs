//! The protocol extensions: the `refnotes/status` notification (what a
//! workspace's corpus holds) and the `refnotes/corpusReport` request.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{notification::Notification, Uri};

use crate::server::convert;

use super::diagnostics::missing_reason;
use super::{lock, Backend, IndexState};

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

impl Backend {
    pub(super) async fn send_status(&self, root: &Path) {
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
