//! `refnotes check`: finds the config and the corpus, checks each note and
//! prints the report.
//!
//! Problems with one note (it cannot be read) are reported on stderr and the
//! other notes are still checked; the exit status is then 2, as with ripgrep.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::human::{write_human, Summary};
use super::report::{diagnostics, write_json, write_sarif, NoteFindings};
use super::{CheckArgs, Format, Output, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::check::{check_note, Severity};
use crate::config::{find_config, join_clean, Config};
use crate::corpus::load::{load, Symlinks};
use crate::corpus::store::{self, IndexReport};
use crate::corpus::{Corpus, SourceText};
use crate::extract::markdown::{self, FrontMatter};
use crate::project::{self, CorpusOrigin};
use indicatif::{ProgressBar, ProgressStyle};

/// What `refnotes check` reads: the config, the corpus roots (and those the
/// config named outside its folder, refused) and the notes.
pub(crate) struct Project {
    pub config: Config,
    pub roots: Vec<PathBuf>,
    pub origin: CorpusOrigin,
    pub refused: Vec<PathBuf>,
    pub notes: Vec<PathBuf>,
    /// Folders that could not be walked for notes.
    pub walk_errors: Vec<String>,
}

/// Finds the config, the corpus and the notes for `args`, through
/// [`crate::project`] as the language server does.
pub(crate) fn resolve_project(args: &CheckArgs) -> Result<Project, String> {
    let config = find_and_load_config(args)?;
    // The conventional corpus is looked for beside the first note, or inside
    // the first folder given.
    let folder = match args.paths.first() {
        Some(first) if first.is_dir() => first.clone(),
        Some(first) => first.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => PathBuf::new(),
    };
    let choice = project::choose_corpus(
        &args.corpus,
        &config,
        &[],
        &folder,
        args.allow_external_corpus,
    );
    let (notes, walk_errors) = collect_notes(args, &config, &choice.roots);
    Ok(Project {
        config,
        roots: choice.roots,
        origin: choice.origin,
        refused: choice.refused,
        notes,
        walk_errors,
    })
}

pub fn run(args: &CheckArgs, output: &mut Output) -> i32 {
    let mut had_error = false;

    let Project {
        config,
        roots,
        origin,
        refused,
        notes,
        walk_errors,
    } = match resolve_project(args) {
        Ok(project) => project,
        Err(message) => return output.fail(&message),
    };
    let shared = match super::shared::url_for(args, &config) {
        Ok(shared) => shared,
        Err(message) => return output.fail(&message),
    };
    if origin == CorpusOrigin::Missing && shared.is_none() {
        return output.fail(
            "no corpus to check against: pass --corpus DIR, list folders in \
             `corpus = [...]` in refnotes.toml, or put the sources in a folder \
             named `corpus` or `sources` beside the notes",
        );
    }
    warn_refused(&config, &refused, output);
    for error in &walk_errors {
        output.error(error);
        had_error = true;
    }
    tracing::debug!(?roots, "loading corpus");
    let loaded = match &shared {
        Some(url) => super::shared::corpus(url, &config, args, &notes, output).map(|c| (c, 0)),
        None => load_corpus(args, &config, &roots, &notes, output).map(|(c, _, s)| (c, s)),
    };
    let (corpus, skipped) = match loaded {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    if corpus.is_empty() {
        let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        let skipped = if skipped == 0 {
            String::new()
        } else {
            let count = skipped;
            format!(
                " ({count} file{} skipped, see above)",
                if count == 1 { "" } else { "s" }
            )
        };
        let message = format!(
            "the corpus ({}) holds no documents{skipped}",
            shown.join(", ")
        );
        if !args.allow_empty_corpus {
            return output.fail(&format!(
                "{message}, so nothing would be checked; add sources, or pass \
                 --allow-empty-corpus to check against none"
            ));
        }
        output.warn(&message);
    }

    let check_options = config.check_options();
    let results: Vec<Result<CheckedNote, String>> = notes
        .par_iter()
        .map(|path| check_one(path, &corpus, &config, &check_options))
        .collect();
    let mut checked = Vec::new();
    for result in results {
        match result {
            Ok(note) => {
                if let Some(warning) = note.warning {
                    output.warn(&warning);
                }
                checked.extend(note.findings);
            }
            Err(message) => {
                output.error(&message);
                had_error = true;
            }
        }
    }

    let doc_paths: Vec<String> = corpus
        .documents()
        .iter()
        .map(|doc| doc.path.display().to_string())
        .collect();
    let diagnostics = diagnostics(&checked, &corpus, &doc_paths);
    let summary = Summary {
        notes: checked.len(),
        sources: corpus.documents().len(),
    };
    let color = output.color;
    let written = output.write_stdout(|out: &mut dyn Write| match args.format {
        Format::Human => write_human(
            out,
            &diagnostics,
            args.min_severity.min(Severity::Information),
            summary,
            color,
        ),
        Format::Json => write_json(out, &diagnostics),
        Format::Sarif => write_sarif(out, &diagnostics),
    });
    if let Err(err) = written {
        return output.fail(&format!("cannot write the report: {err}"));
    }

    let severities = checked
        .iter()
        .flat_map(|note| note.findings.iter().map(|finding| finding.severity));
    exit_status(severities, args.min_severity, had_error)
}

/// Warns of corpus folders the config named outside its own folder tree.
pub(super) fn warn_refused(config: &Config, refused: &[PathBuf], output: &mut Output) {
    let config_path = config.path.as_deref().unwrap_or(Path::new("refnotes.toml"));
    for root in refused {
        output.warn(&format!(
            "{}: skipped corpus {}: it lies outside the config's folder, and a config may \
             only name corpus folders inside its own folder tree (pass --corpus {} or \
             --allow-external-corpus to read it)",
            relative_to_cwd(config_path).display(),
            root.display(),
            root.display()
        ));
    }
}

/// The project of `refnotes index` (either target): its config and corpus
/// roots, refused folders warned about; a missing corpus is an error that
/// says what `verb` needed.
fn corpus_project(
    args: &CheckArgs,
    verb: &str,
    output: &mut Output,
) -> Result<(Config, Vec<PathBuf>), i32> {
    let Project {
        config,
        roots,
        origin,
        refused,
        ..
    } = resolve_project(args).map_err(|message| output.fail(&message))?;
    if origin == CorpusOrigin::Missing {
        return Err(output.fail(&format!(
            "no corpus to {verb}: pass --corpus DIR, list folders in `corpus = [...]` in \
             refnotes.toml, or run it in a folder with a `corpus` or `sources` folder"
        )));
    }
    warn_refused(&config, &refused, output);
    Ok((config, roots))
}

/// `refnotes index --to URL`: the corpus resolved as for `refnotes index`,
/// loaded into the shared collection at `url`.
pub fn index_to_shared(args: &CheckArgs, url: &str, output: &mut Output) -> i32 {
    match corpus_project(args, "load", output) {
        Ok((config, roots)) => super::shared::index_to(args, url, &config, &roots, output),
        Err(status) => status,
    }
}

/// `refnotes index`: reads the corpus and brings its persisted index up to
/// date, saying how much was reused.
pub fn index(args: &CheckArgs, output: &mut Output) -> i32 {
    let (config, roots) = match corpus_project(args, "index", output) {
        Ok(project) => project,
        Err(status) => return status,
    };
    let (corpus, report, _) = match load_corpus(args, &config, &roots, &[], output) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let Some(file) = &report.file else {
        // A refused folder was named in a warning already.
        return match report.rejected {
            Some(_) => EXIT_ERROR,
            None => output.fail(
                "no index folder: set index_dir in refnotes.toml, or REFNOTES_CACHE_DIR, \
                 XDG_CACHE_HOME or HOME",
            ),
        };
    };
    if report.write_error.is_some() {
        return EXIT_ERROR;
    }
    let stats = corpus.stats();
    // Whether the corpus-wide tables were read or built says whether the
    // next load will be a warm one.
    let tables = if report.tables_reused {
        "corpus-wide tables read from the index"
    } else {
        "corpus-wide tables built"
    };
    let message = format!(
        "{}: {} documents ({}), {} analysed now, {} reused; {tables}\n",
        file.display(),
        stats.documents,
        crate::check::report::size(stats.bytes as u64),
        report.analysed,
        report.reused
    );
    match output.write_stdout(|out| out.write_all(message.as_bytes())) {
        Ok(()) => EXIT_OK,
        Err(err) => output.fail(&format!("cannot write the report: {err}")),
    }
}

/// Reads the corpus at `roots` (without `notes`) and analyses it through the
/// persisted index unless `--no-cache`, with a progress bar on a terminal.
/// Returns the corpus, how the index was used and how many files were
/// skipped, or the exit status of a failure already reported.
fn load_corpus(
    args: &CheckArgs,
    config: &Config,
    roots: &[PathBuf],
    notes: &[PathBuf],
    output: &mut Output,
) -> Result<(Corpus, IndexReport, usize), i32> {
    let mut load_options = config.load_options();
    if args.follow {
        load_options.symlinks = Symlinks::Follow;
    }
    let loaded = load(roots, &load_options).map_err(|err| output.fail(&err.to_string()))?;
    for warning in &loaded.warnings {
        output.warn(&warning.to_string());
    }
    let sources = without_notes(loaded.sources, notes, roots, output);
    let index_dir = load_options.index_dir.filter(|_| !args.no_cache);
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(sources.len() as u64).with_style(
            ProgressStyle::with_template("indexing {bar:30} {pos}/{len} documents, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    };
    let (corpus, report) = store::load_corpus(
        index_dir.as_deref(),
        roots,
        sources,
        config.corpus_options(),
        &|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    );
    bar.finish_and_clear();
    for warning in report.warnings() {
        output.warn(&warning);
    }
    Ok((corpus, report, loaded.warnings.len()))
}

/// 2 after an I/O problem, else 1 when some finding is at or above
/// `min_severity`, else 0.
pub fn exit_status(
    mut severities: impl Iterator<Item = Severity>,
    min_severity: Severity,
    had_error: bool,
) -> i32 {
    if had_error {
        EXIT_ERROR
    } else if severities.any(|severity| severity >= min_severity) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The config named by `--config`, else the nearest `refnotes.toml` above
/// the first path, else the defaults.
fn find_and_load_config(args: &CheckArgs) -> Result<Config, String> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => args.paths.first().and_then(|first| find_config(first)),
    };
    match path {
        Some(path) => {
            tracing::debug!(config = %path.display(), "reading config");
            let mut config = Config::load(&path).map_err(|err| err.to_string())?;
            // Show corpus paths relative to the working folder when the config
            // was found by walking up (its path is then absolute).
            config.corpus = config
                .corpus
                .iter()
                .map(|root| relative_to_cwd(root))
                .collect();
            Ok(config)
        }
        None => Ok(Config::default()),
    }
}

/// The corpus without the notes being checked: a note is never its own
/// source (nor another note's). Says so once when a corpus root holds notes.
fn without_notes(
    sources: Vec<SourceText>,
    notes: &[PathBuf],
    roots: &[PathBuf],
    output: &mut Output,
) -> Vec<SourceText> {
    let names: std::collections::HashSet<&std::ffi::OsStr> =
        notes.iter().filter_map(|note| note.file_name()).collect();
    let real_notes: std::collections::HashSet<PathBuf> = notes
        .iter()
        .filter_map(|note| note.canonicalize().ok())
        .collect();
    let mut left_out = Vec::new();
    let kept = sources
        .into_iter()
        .filter(|source| {
            // Comparing names first keeps the file system out of it for most sources.
            let is_note = source
                .path
                .file_name()
                .is_some_and(|name| names.contains(name))
                && source
                    .path
                    .canonicalize()
                    .is_ok_and(|real| real_notes.contains(&real));
            if is_note {
                left_out.push(source.path.clone());
            }
            !is_note
        })
        .collect();
    if let Some(first) = left_out.first() {
        let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        let which = match left_out.len() {
            1 => format!("the note {}", first.display()),
            n => format!("{n} notes being checked"),
        };
        output.warn(&format!(
            "the corpus ({}) holds {which}; notes being checked are not read as sources",
            shown.join(", ")
        ));
    }
    kept
}

/// The notes to check: files as given, and the notes found by walking
/// folders ([`project::walk_notes`]: the config's include and exclude globs,
/// never inside a corpus root). Links are followed only with `--follow`, as
/// in the corpus. Also returns the folders that could not be walked.
fn collect_notes(
    args: &CheckArgs,
    config: &Config,
    corpus_roots: &[PathBuf],
) -> (Vec<PathBuf>, Vec<String>) {
    let walk = project::NoteWalk {
        config,
        corpus_roots,
        follow_links: args.follow,
        limit: usize::MAX,
    };
    let (mut notes, mut errors) = (Vec::new(), Vec::new());
    for path in &args.paths {
        if !path.is_dir() {
            // Files given by name are checked whatever their extension; a
            // missing one is reported when it is read.
            notes.push(path.clone());
            continue;
        }
        let (found, failed) = project::walk_notes(path, &walk);
        notes.extend(found);
        errors.extend(failed);
    }
    (notes, errors)
}

/// What checking one note gave.
struct CheckedNote {
    /// `None` when the note's front matter turns refnotes off.
    findings: Option<NoteFindings>,
    /// Said on stderr: the note was not valid UTF-8.
    warning: Option<String>,
}

/// Reads and checks one note.
fn check_one(
    path: &Path,
    corpus: &Corpus,
    config: &Config,
    options: &crate::check::CheckOptions,
) -> Result<CheckedNote, String> {
    let bytes =
        std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let (text, warning) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => (
            String::from_utf8_lossy(err.as_bytes()).into_owned(),
            Some(format!(
                "{}: invalid UTF-8; undecodable bytes were replaced with U+FFFD",
                path.display()
            )),
        ),
    };
    if !note_enabled(markdown::front_matter(&text).as_ref()) {
        tracing::info!(note = %path.display(), "skipped: front matter says refnotes: false");
        return Ok(CheckedNote {
            findings: None,
            warning,
        });
    }
    let findings = check_note(corpus, &text, options)
        .into_iter()
        .filter_map(|finding| config.adjust(finding))
        .collect();
    Ok(CheckedNote {
        findings: Some(NoteFindings {
            path: path.display().to_string(),
            text,
            findings,
        }),
        warning,
    })
}

/// Whether a note asks to be checked: everything does unless its front matter
/// says `refnotes: false`.
pub fn note_enabled(front_matter: Option<&FrontMatter>) -> bool {
    front_matter.is_none_or(|front| front.refnotes_enabled)
}

/// `path` relative to the working folder when it lies under it (or near it),
/// else as it is.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    if !path.is_absolute() {
        return path.to_path_buf();
    }
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    relative_path(&join_clean(path, Path::new("")), &cwd).unwrap_or_else(|| path.to_path_buf())
}

/// `path` relative to `base` (both absolute), climbing at most two folders.
fn relative_path(path: &Path, base: &Path) -> Option<PathBuf> {
    let path_parts: Vec<_> = path.components().collect();
    let base_parts: Vec<_> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let ups = base_parts.len() - common;
    // Sharing only the root (or climbing far) reads worse than the absolute path.
    if common <= 1 || ups > 2 {
        return None;
    }
    let mut relative = PathBuf::new();
    for _ in 0..ups {
        relative.push("..");
    }
    for part in &path_parts[common..] {
        relative.push(part);
    }
    if relative.as_os_str().is_empty() {
        relative.push(".");
    }
    Some(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_follows_the_minimum_severity() {
        use Severity::*;
        let cases: [(&[Severity], Severity, bool, i32); 7] = [
            (&[], Warning, false, 0),
            (&[Information, Hint], Warning, false, 0),
            (&[Information, Warning], Warning, false, 1),
            (&[Warning], Error, false, 0),
            (&[Error], Error, false, 1),
            (&[Hint], Hint, false, 1),
            (&[], Warning, true, 2),
        ];
        for (severities, min, had_error, expected) in cases {
            assert_eq!(
                exit_status(severities.iter().copied(), min, had_error),
                expected,
                "{severities:?} {min:?}"
            );
        }
    }

    #[test]
    fn refnotes_false_in_front_matter_skips_the_note() {
        let off = FrontMatter {
            refnotes_enabled: false,
            ..FrontMatter::default()
        };
        let on = FrontMatter {
            refnotes_enabled: true,
            ..FrontMatter::default()
        };
        assert!(!note_enabled(Some(&off)));
        assert!(note_enabled(Some(&on)));
        assert!(note_enabled(None));
    }

    #[test]
    fn paths_are_shown_relative_when_close() {
        for (path, base, expected) in [
            ("/w/repo/corpus/a.txt", "/w/repo", Some("corpus/a.txt")),
            ("/w/repo/sources", "/w/repo/notes", Some("../sources")),
            ("/w/repo", "/w/repo", Some(".")),
            ("/elsewhere/x", "/w/repo", None),
            ("/w/a/b", "/w/c/d/e", None),
        ] {
            assert_eq!(
                relative_path(Path::new(path), Path::new(base)),
                expected.map(PathBuf::from),
                "{path} from {base}"
            );
        }
    }
}
