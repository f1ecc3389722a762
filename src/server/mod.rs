//! The language server: the only module that speaks LSP.
//!
//! `refnotes serve` runs [`run_stdio`]. The layout follows rust-analyzer and
//! texlab: [`handlers`] is the table of protocol methods, each a few lines;
//! [`convert`] is the one place that turns byte offsets into lines, columns
//! and URIs and back; each editor feature is a pure function in [`features`]
//! over the corpus, a note's analysis and a byte offset; [`backend`] holds the
//! state (open documents in ropes, one corpus `Arc` per workspace) and the
//! background work (indexing, diagnostics as edits come, file watching); and
//! [`workspace`] decides where a corpus comes from and reads it.

pub mod backend;
pub mod convert;
pub mod document;
pub mod features;
pub mod handlers;
pub mod prepared;
pub mod settings;
pub mod transport;
pub mod workspace;

use anyhow::Context;
use tower_lsp_server::{LspService, Server};

use backend::Backend;

/// Serves LSP over stdin and stdout until the client says `exit`. Logs go to
/// stderr (filter with `REFNOTES_LOG`, e.g. `REFNOTES_LOG=refnotes=debug`).
/// Fails when the client exits without `shutdown` or the input closes early.
pub fn run_stdio() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("refnotes-lsp")
        .build()
        .context("cannot start the async runtime")?;
    let clean = runtime.block_on(async {
        let (service, socket) = LspService::build(Backend::new)
            .custom_method("refnotes/corpusReport", Backend::corpus_report)
            .finish();
        let backend = service.inner().clone();
        // Our own framing reads stdin, so a bad frame is answered and skipped
        // rather than ending the session (see `transport`).
        let output = transport::SharedOutput::stdout();
        let (to_library, from_client) = tokio::io::duplex(1 << 20);
        tokio::spawn(transport::forward_frames(
            tokio::io::stdin(),
            to_library,
            output.clone(),
        ));
        Server::new(from_client, output, socket)
            .serve(service)
            .await;
        backend.shutdown_requested()
    });
    // Indexing may still be running on the blocking pool: don't wait for it.
    runtime.shutdown_background();
    anyhow::ensure!(clean, "the client exited without asking to shut down first");
    Ok(())
}
