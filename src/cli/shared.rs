//! `refnotes index --to URL` and `refnotes check --shared URL`: the command
//! line's side of the team's shared index ([`crate::shared`]).

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};

use super::{CheckArgs, Output, EXIT_OK};
use crate::config::Config;
use crate::corpus::load::{load, Symlinks};
use crate::corpus::Corpus;
use crate::shared::{self, LoadEvent, SharedUrl};

/// The shared index to check against: `--shared`, else the config's `shared`.
pub(crate) fn url_for(args: &CheckArgs, config: &Config) -> Result<Option<SharedUrl>, String> {
    match &args.shared {
        Some(url) => SharedUrl::parse(url).map(Some),
        None => Ok(config.shared.clone()),
    }
}

/// The corpus of the shared collection for checking `notes`, through the
/// local slice in the index folder (none with `--no-cache`); warns when the
/// database did not answer and the slice serves. Returns the exit status of
/// a failure already reported. A note that cannot be read is left to the
/// check to report.
pub(crate) fn corpus(
    url: &SharedUrl,
    config: &Config,
    args: &CheckArgs,
    notes: &[std::path::PathBuf],
    output: &mut Output,
) -> Result<Corpus, i32> {
    let index_dir = config.load_options().index_dir.filter(|_| !args.no_cache);
    let store = shared::open(url).map_err(|error| output.fail(&format!("{error:#}")))?;
    let shared::SharedCorpus {
        corpus,
        outcome,
        warnings,
        ..
    } = shared::open_corpus(
        Some(store.as_ref()),
        url,
        index_dir.as_deref(),
        config.corpus_options(),
        &crate::shared::note_texts(notes),
    )
    .map_err(|error| output.fail(&error))?;
    for warning in warnings {
        output.warn(&warning);
    }
    if let Some(message) = outcome.offline_message() {
        output.warn(&message);
    }
    tracing::debug!(?outcome, "shared corpus");
    Ok(corpus)
}

/// `refnotes index --to URL`: loads the corpus at `roots` (resolved by the
/// caller, as for `refnotes index`) into the shared collection.
pub(crate) fn index_to(
    args: &CheckArgs,
    url: &str,
    config: &Config,
    roots: &[std::path::PathBuf],
    output: &mut Output,
) -> i32 {
    let url = match SharedUrl::parse(url) {
        Ok(url) => url,
        Err(message) => return output.fail(&message),
    };
    let mut load_options = config.load_options();
    if args.follow {
        load_options.symlinks = Symlinks::Follow;
    }
    let loaded = match load(roots, &load_options) {
        Ok(loaded) => loaded,
        Err(error) => return output.fail(&error.to_string()),
    };
    for warning in &loaded.warnings {
        output.warn(&warning.to_string());
    }
    let store = match shared::open(&url) {
        Ok(store) => store,
        Err(error) => return output.fail(&format!("{error:#}")),
    };
    let terminal = !args.quiet && std::io::stderr().is_terminal();
    let bar = if terminal {
        ProgressBar::new(0).with_style(
            ProgressStyle::with_template("loading {bar:30} {pos}/{len} documents, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    } else {
        ProgressBar::hidden()
    };
    let quiet = args.quiet;
    let collection = url.collection.clone();
    let progress = move |event: LoadEvent| match event {
        LoadEvent::Batch { done, total } => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        LoadEvent::Publishing { version } => {
            bar.finish_and_clear();
            if !quiet {
                // Said before the swap, so a watcher knows every batch is in.
                let _ = writeln!(
                    std::io::stderr(),
                    "publishing version {version} of collection {collection}"
                );
            }
        }
    };
    let report = match store.load(&url.collection, &loaded.sources, &progress) {
        Ok(report) => report,
        Err(error) => return output.fail(&format!("{error:#}")),
    };
    let message = format!(
        "{}: {} documents, version {}: {} written now ({} MB), {} from an interrupted run, \
         {} removed\n",
        url.redacted(),
        report.documents,
        report.version,
        report.written,
        report.bytes_written / 1_000_000,
        report.resumed,
        report.removed
    );
    match output.write_stdout(|out| out.write_all(message.as_bytes())) {
        Ok(()) => EXIT_OK,
        Err(err) => output.fail(&format!("cannot write the report: {err}")),
    }
}
