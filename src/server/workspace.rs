//! Where a workspace's corpus comes from and how it is read: `refnotes.toml`
//! at the folder's root, else the editor settings, else a `corpus` or
//! `sources` folder beside the notes.
//!
//! The project file is read by [`crate::config`] and the corpus by
//! [`crate::corpus::load`], and the corpus roots, severities and notes are
//! chosen by [`crate::project`], exactly as `refnotes check` does; this module
//! adds the editor settings and keeps what the server needs per workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Code, Severity};
use crate::config::{Config, ConfigError};
use crate::corpus::load::{self, LoadOptions, Symlinks};
use crate::corpus::{Corpus, CorpusOptions, SourceText};

use super::settings::Settings;

/// The name of the project config file.
pub const CONFIG_FILE: &str = crate::config::CONFIG_FILE_NAME;

pub use crate::project::CorpusOrigin;

/// The project's `refnotes.toml`, compared by the file it came from.
#[derive(Clone, Debug)]
pub struct ProjectFile(pub Arc<Config>);

impl PartialEq for ProjectFile {
    fn eq(&self, other: &ProjectFile) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.path == other.0.path
    }
}

/// Everything needed to load and check against one workspace's corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceConfig {
    /// The workspace folder, or the folder of a note opened on its own.
    pub root: PathBuf,
    pub origin: CorpusOrigin,
    /// Absolute corpus folders (or single files).
    pub corpus_roots: Vec<PathBuf>,
    pub load: LoadOptions,
    pub tolerance: f64,
    /// Severity per code; `None` turns the code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    pub aliases: Vec<Vec<String>>,
    pub inlay_hints: bool,
    /// The project file, when there is one (its note globs pick the notes for
    /// workspace diagnostics).
    pub project: Option<ProjectFile>,
    /// What is wrong with the project file, when it could not be used.
    pub config_error: Option<ConfigProblem>,
    /// The team's shared index the corpus comes from instead of the roots
    /// (`shared` in refnotes.toml, else the `shared` setting).
    pub shared: Option<crate::shared::SharedUrl>,
}

/// A `refnotes.toml` that could not be used, with where the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: PathBuf,
    /// The byte offset of the problem in the file, when known.
    pub offset: Option<usize>,
    /// What is wrong, without the file's name.
    pub message: String,
    /// The whole error: file, line and column, then what is wrong.
    pub full: String,
}

impl ConfigProblem {
    fn new(error: &ConfigError, path: &Path) -> ConfigProblem {
        let (offset, message) = match error {
            ConfigError::Invalid {
                offset, message, ..
            } => (*offset, message.clone()),
            ConfigError::Read { source, .. } => (None, format!("cannot read: {source}")),
        };
        ConfigProblem {
            path: path.to_path_buf(),
            offset,
            message,
            full: error.to_string(),
        }
    }
}

impl WorkspaceConfig {
    /// The severity to report `code` with, or `None` when it is turned off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        crate::project::severity_for(&self.severity, code)
    }

    /// The notes under the workspace folder, as `refnotes check` would walk
    /// it (see [`crate::project::walk_notes`]), at most `limit` of them.
    pub fn workspace_notes(&self, limit: usize) -> Vec<PathBuf> {
        let defaults = Config::default();
        let walk = crate::project::NoteWalk {
            config: self
                .project
                .as_ref()
                .map_or(&defaults, |project| &project.0),
            corpus_roots: &self.corpus_roots,
            follow_links: self.load.symlinks == Symlinks::Follow,
            limit,
        };
        crate::project::walk_notes(&self.root, &walk).0
    }

    /// Whether `path` lies under one of the corpus roots.
    pub fn is_in_corpus(&self, path: &Path) -> bool {
        self.corpus_roots.iter().any(|root| path.starts_with(root))
    }

    /// Whether a file opened in the editor is a source to show as one, rather
    /// than a note to check. A Markdown file under a corpus root that holds
    /// the workspace folder itself (`corpus = ["."]`) is a note: notes are
    /// never read as their own sources.
    pub fn is_source_file(&self, path: &Path) -> bool {
        let markdown = load::document_kind(path) == Some(true);
        self.corpus_roots
            .iter()
            .any(|root| path.starts_with(root) && !(markdown && self.root.starts_with(root)))
    }

    /// The document id `path` has (or would have) in the corpus: its path
    /// relative to the deepest root holding it, without extension.
    pub fn document_id(&self, path: &Path) -> Option<String> {
        let root = self
            .corpus_roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())?;
        if root == path {
            return path.file_stem().map(|s| s.to_string_lossy().into_owned());
        }
        let relative = path.strip_prefix(root).ok()?.with_extension("");
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    pub fn corpus_options(&self) -> CorpusOptions {
        CorpusOptions {
            aliases: self.aliases.clone(),
        }
    }
}

/// The nearest `refnotes.toml` in `start` or a folder above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    crate::config::find_config(start)
}

/// Works out a workspace's corpus and checking options. A broken config file is
/// reported in `warnings` and treated as absent, so the server keeps serving.
pub fn resolve(root: &Path, settings: &Settings, warnings: &mut Vec<String>) -> WorkspaceConfig {
    let mut config = WorkspaceConfig {
        root: root.to_path_buf(),
        origin: CorpusOrigin::Missing,
        corpus_roots: Vec::new(),
        load: LoadOptions::default(),
        tolerance: settings.tolerance.unwrap_or(0.0),
        severity: BTreeMap::new(),
        aliases: Vec::new(),
        inlay_hints: settings.inlay_hints.enable,
        project: None,
        config_error: None,
        shared: None,
    };
    apply_severity(&mut config, &settings.severity, warnings);
    if root.as_os_str().is_empty() {
        return config;
    }

    let config_path = root.join(CONFIG_FILE);
    let mut file = None;
    if config_path.is_file() {
        match Config::load(&config_path) {
            Ok(loaded) => file = Some(loaded),
            Err(error) => {
                warnings.push(error.to_string());
                config.config_error = Some(ConfigProblem::new(&error, &config_path));
            }
        }
    }
    let settings_roots: Vec<PathBuf> = settings.corpus.iter().map(|p| absolute(root, p)).collect();
    let choice = crate::project::choose_corpus(
        &[],
        file.as_ref().unwrap_or(&Config::default()),
        &settings_roots,
        root,
        settings.allow_external_corpus,
    );
    for refused in &choice.refused {
        warnings.push(format!(
            "{}: skipped corpus {}: it lies outside the config's folder, and a \
             config may only name corpus folders inside its own folder tree \
             (the `refnotes.allowExternalCorpus` setting allows it)",
            config_path.display(),
            refused.display()
        ));
    }
    config.corpus_roots = choice.roots.iter().map(|p| normalize(p)).collect();
    config.origin = choice.origin;
    if let Some(file) = file {
        if file.tolerance != crate::check::CheckOptions::default().tolerance {
            config.tolerance = file.tolerance;
        }
        config.load = file.load_options();
        config.severity.extend(file.severity.clone());
        config.aliases = file.aliases.clone();
        if let Some(url) = &file.shared {
            config.shared = Some(url.clone());
            config.origin = CorpusOrigin::ConfigFile(config_path.clone());
        }
        config.project = Some(ProjectFile(Arc::new(file)));
    }
    if let (None, Some(url)) = (&config.shared, &settings.shared) {
        match crate::shared::SharedUrl::parse(url) {
            Ok(url) => {
                config.shared = Some(url);
                config.origin = CorpusOrigin::Settings;
            }
            Err(message) => warnings.push(format!("the refnotes.shared setting: {message}")),
        }
    }
    if settings.follow_symlinks {
        config.load.symlinks = Symlinks::Follow;
    }
    config
}

fn apply_severity(
    config: &mut WorkspaceConfig,
    levels: &BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) {
    for (name, level) in levels {
        let Some(code) = Code::parse(name) else {
            warnings.push(format!(
                "unknown finding code `{name}` in severity settings"
            ));
            continue;
        };
        match crate::project::parse_severity_setting(level) {
            Some(severity) => {
                config.severity.insert(code, severity);
            }
            None => warnings.push(format!("unknown severity `{level}` for `{name}`")),
        }
    }
}

fn absolute(root: &Path, path: &str) -> PathBuf {
    normalize(&root.join(path))
}

/// Removes `.` and `..` components without touching the file system, so paths
/// compare equal to the ones editors send.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Why a corpus could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailure(pub String);

/// A corpus read from disk, with the problems met on the way.
pub struct LoadedCorpus {
    pub corpus: Corpus,
    pub warnings: Vec<String>,
    /// Open notes that were corpus documents too, each with the document's
    /// path: left out of the corpus, as a note is never its own source.
    pub held_out: Vec<(PathBuf, PathBuf)>,
    /// For a corpus from the team's shared index: how the slice was had.
    pub shared: Option<crate::shared::SliceOutcome>,
    /// For a notes' slice of the shared index, the lookups it answered
    /// ([`crate::shared::SharedCorpus::lookups`]).
    pub lookups: Option<std::collections::HashSet<String>>,
}

/// Reads and analyses a workspace's corpus through the persisted index;
/// `progress(done, total)` is told after each batch of documents analysed. Blocking: run it off the async workers.
pub fn load_corpus(
    config: &WorkspaceConfig,
    progress: &dyn Fn(usize, usize),
) -> Result<LoadedCorpus, LoadFailure> {
    load_corpus_without(config, &[], &[], progress)
}

/// [`load_corpus`], leaving out the documents that are the open `notes`;
/// a notes' slice of a shared index is fetched for `note_texts`, the open
/// notes as the editor has them.
pub fn load_corpus_without(
    config: &WorkspaceConfig,
    notes: &[PathBuf],
    note_texts: &[String],
    progress: &dyn Fn(usize, usize),
) -> Result<LoadedCorpus, LoadFailure> {
    if let Some(url) = &config.shared {
        return load_shared(config, url, note_texts);
    }
    let mut loaded =
        load::load(&config.corpus_roots, &config.load).map_err(|e| LoadFailure(e.to_string()))?;
    let paths: Vec<&Path> = loaded.sources.iter().map(|s| s.path.as_path()).collect();
    let held_out = documents_that_are_notes(config, &paths, notes);
    loaded
        .sources
        .retain(|source| !held_out.iter().any(|(_, doc)| *doc == source.path));
    let mut warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    let (corpus, report) = crate::corpus::store::load_corpus(
        config.load.index_dir.as_deref(),
        &config.corpus_roots,
        loaded.sources,
        config.corpus_options(),
        progress,
    );
    warnings.extend(report.warnings());
    Ok(LoadedCorpus {
        corpus,
        warnings,
        held_out,
        shared: None,
        lookups: None,
    })
}

/// The corpus of the shared collection, through the local slice: the slice
/// as it is (with a warning) when the database does not answer. A notes'
/// slice is asked for `notes`' texts.
fn load_shared(
    config: &WorkspaceConfig,
    url: &crate::shared::SharedUrl,
    notes: &[String],
) -> Result<LoadedCorpus, LoadFailure> {
    let store = crate::shared::open(url).map_err(|error| LoadFailure(format!("{error:#}")))?;
    let crate::shared::SharedCorpus {
        corpus,
        outcome,
        warnings,
        lookups,
    } = crate::shared::open_corpus(
        Some(store.as_ref()),
        url,
        config.load.index_dir.as_deref(),
        config.corpus_options(),
        notes,
    )
    .map_err(LoadFailure)?;
    tracing::info!(
        "shared collection {}: {} documents ({outcome:?}), for {} open notes",
        url.collection,
        corpus.documents().len(),
        notes.len()
    );
    Ok(LoadedCorpus {
        corpus,
        warnings,
        held_out: Vec::new(),
        shared: Some(outcome),
        lookups,
    })
}

/// Which of the documents at `paths` are the notes at `notes` (the same
/// path, or the same file reached through a link), as (note, document) pairs.
/// Files the editor shows as sources are not notes.
pub fn documents_that_are_notes(
    config: &WorkspaceConfig,
    paths: &[&Path],
    notes: &[PathBuf],
) -> Vec<(PathBuf, PathBuf)> {
    let mut found = Vec::new();
    for note in notes {
        if config.is_source_file(note) {
            continue;
        }
        let real = note.canonicalize().ok();
        // Comparing names first keeps the file system out of it for most documents.
        let same = paths.iter().find(|doc| {
            **doc == note.as_path()
                || (doc.file_name() == note.file_name()
                    && real.is_some()
                    && doc.canonicalize().ok() == real)
        });
        if let Some(doc) = same {
            found.push((note.clone(), doc.to_path_buf()));
        }
    }
    found
}

/// Reads one corpus file again, with the id the full load gives it.
/// `Ok(None)` when it is not a corpus document; `Err` with a warning when it
/// is skipped (too big, binary, unreadable).
pub fn read_source(config: &WorkspaceConfig, path: &Path) -> Result<Option<SourceText>, String> {
    let Some(id) = config.document_id(path) else {
        return Ok(None);
    };
    if crate::corpus::formats::Format::of(path).is_none() || !path.is_file() {
        return Ok(None);
    }
    // What the walk would not read, a changed file does not bring in.
    if config.load.symlinks != Symlinks::Follow {
        let is_link = path.symlink_metadata().is_ok_and(|m| m.is_symlink());
        let real = path.canonicalize().ok();
        let inside = real.as_ref().is_some_and(|real| {
            config
                .corpus_roots
                .iter()
                .filter_map(|root| root.canonicalize().ok())
                .any(|root| real.starts_with(root))
        });
        if (is_link && config.load.symlinks == Symlinks::Skip) || !inside {
            return Err(format!(
                "{}: skipped: symbolic link (not followed, or leading outside the corpus)",
                path.display()
            ));
        }
    }
    let relative_glob_options = LoadOptions {
        include: Vec::new(),
        exclude: Vec::new(),
        ..config.load.clone()
    };
    if !passes_globs(config, path) {
        return Ok(None);
    }
    let loaded = load::load(&[path.to_path_buf()], &relative_glob_options)
        .map_err(|error| error.to_string())?;
    if let Some(warning) = loaded.warnings.first() {
        if loaded.sources.is_empty() {
            return Err(warning.to_string());
        }
    }
    Ok(loaded
        .sources
        .into_iter()
        .next()
        .map(|source| SourceText { id, ..source }))
}

/// Whether the load options' include and exclude globs (relative to the root) let `path` in.
fn passes_globs(config: &WorkspaceConfig, path: &Path) -> bool {
    let Some(root) = config
        .corpus_roots
        .iter()
        .find(|root| path.starts_with(root))
    else {
        return false;
    };
    let relative = path.strip_prefix(root).unwrap_or(path);
    let matches = |globs: &[String]| {
        globs.iter().any(|glob| {
            globset::Glob::new(glob).is_ok_and(|g| g.compile_matcher().is_match(relative))
        })
    };
    (config.load.include.is_empty() || matches(&config.load.include))
        && !matches(&config.load.exclude)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::write;

    #[test]
    fn config_file_wins_then_settings_then_conventional_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sources")).unwrap();
        let settings = Settings {
            corpus: vec!["from-settings".into()],
            ..Settings::default()
        };
        let mut warnings = Vec::new();
        let config = resolve(root, &Settings::default(), &mut warnings);
        assert_eq!(config.origin, CorpusOrigin::Convention);
        assert_eq!(config.corpus_roots, vec![root.join("sources")]);

        let config = resolve(root, &settings, &mut warnings);
        assert_eq!(config.origin, CorpusOrigin::Settings);
        assert_eq!(config.corpus_roots, vec![root.join("from-settings")]);

        write(
            root,
            CONFIG_FILE,
            "corpus = [\"docs/../refs\"]\ntolerance = 0.05\n[severity]\nmisquote = \"error\"\n\"unsupported-figure\" = \"off\"\n[aliases]\n\"Acme Corp\" = [\"Acme\"]\n",
        );
        let config = resolve(root, &settings, &mut warnings);
        assert_eq!(
            config.origin,
            CorpusOrigin::ConfigFile(root.join(CONFIG_FILE))
        );
        assert_eq!(config.corpus_roots, vec![root.join("refs")]);
        assert_eq!(config.tolerance, 0.05);
        assert_eq!(config.severity_of(Code::Misquote), Some(Severity::Error));
        assert_eq!(config.severity_of(Code::UnsupportedFigure), None);
        assert_eq!(
            config.severity_of(Code::UnknownSource),
            Some(Severity::Error)
        );
        assert_eq!(
            config.aliases,
            vec![vec!["Acme Corp".to_string(), "Acme".into()]]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn broken_config_is_a_warning_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE, "corpus = [");
        let mut warnings = Vec::new();
        let config = resolve(dir.path(), &Settings::default(), &mut warnings);
        assert_eq!(config.origin, CorpusOrigin::Missing);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains(CONFIG_FILE), "{warnings:?}");
    }

    #[test]
    fn loading_reads_text_and_markdown_with_ids_titles_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        write(&corpus, "a/one.txt", "\n  First line here\nmore\n");
        write(
            &corpus,
            "two.md",
            "---\ntitle: \"Second\"\ndate: 2024-01-02\n---\n# Body\n",
        );
        write(&corpus, "skip.pdf", "not read");
        std::fs::write(corpus.join("bin.txt"), b"abc\0def").unwrap();
        let mut warnings = Vec::new();
        let config = resolve(dir.path(), &Settings::default(), &mut warnings);
        let calls = std::sync::Mutex::new(Vec::new());
        let loaded = load_corpus(&config, &|done, total| {
            calls.lock().unwrap().push((done, total))
        })
        .unwrap();
        let docs = loaded.corpus.documents();
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a/one", "two"]);
        assert_eq!(docs[0].title, "First line here");
        assert!(docs[1].markdown);
        // The binary file, and the PDF that is not one.
        assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
        assert_eq!(calls.into_inner().unwrap().last(), Some(&(2, 2)));

        let changed = corpus.join("a/one.txt");
        std::fs::write(&changed, "Changed title\n").unwrap();
        let source = read_source(&config, &changed).unwrap().unwrap();
        assert_eq!(
            (source.id.as_str(), source.title.as_str()),
            ("a/one", "Changed title")
        );
        // A PDF is read (and this one is not a PDF); a spreadsheet is not a source.
        assert!(read_source(&config, &corpus.join("skip.pdf")).is_err());
        std::fs::write(corpus.join("sheet.xlsx"), "PK").unwrap();
        assert!(matches!(
            read_source(&config, &corpus.join("sheet.xlsx")),
            Ok(None)
        ));
        assert!(read_source(&config, &corpus.join("bin.txt")).is_err());
    }

    #[test]
    fn a_missing_corpus_folder_fails_to_load() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            corpus: vec!["nowhere".into()],
            ..Settings::default()
        };
        let config = resolve(dir.path(), &settings, &mut Vec::new());
        let failure = load_corpus(&config, &|_, _| {}).err().unwrap();
        assert!(failure.0.contains("does not exist"), "{failure:?}");
    }

    #[test]
    fn a_config_may_not_name_a_corpus_outside_its_folder_unless_settings_allow() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        write(dir.path(), "outside/secret.txt", "Secret.\n");
        write(&repo, "sources/a.txt", "A.\n");
        write(
            &repo,
            CONFIG_FILE,
            "corpus = [\"sources\", \"../outside\"]\nfollow_symlinks = true\n",
        );
        let mut warnings = Vec::new();
        let config = resolve(&repo, &Settings::default(), &mut warnings);
        assert_eq!(config.corpus_roots, vec![repo.join("sources")]);
        assert_eq!(config.load.symlinks, Symlinks::FollowWithinRoots);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("skipped corpus") && warnings[0].contains("outside"),
            "{warnings:?}"
        );

        let trusting = Settings {
            allow_external_corpus: true,
            follow_symlinks: true,
            ..Settings::default()
        };
        let mut warnings = Vec::new();
        let config = resolve(&repo, &trusting, &mut warnings);
        assert_eq!(
            config.corpus_roots,
            vec![repo.join("sources"), dir.path().join("outside")]
        );
        assert_eq!(config.load.symlinks, Symlinks::Follow);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_changed_file_that_is_a_link_out_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "outside/secret.txt", "Secret.\n");
        write(dir.path(), "corpus/a.txt", "A.\n");
        let link = dir.path().join("corpus/creds.txt");
        std::os::unix::fs::symlink(dir.path().join("outside/secret.txt"), &link).unwrap();
        let config = resolve(dir.path(), &Settings::default(), &mut Vec::new());
        let refused = read_source(&config, &link).unwrap_err();
        assert!(refused.contains("skipped: symbolic link"), "{refused}");
        assert!(read_source(&config, &dir.path().join("corpus/a.txt"))
            .unwrap()
            .is_some());
    }

    #[test]
    fn a_broken_config_carries_where_the_problem_is() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE, "corpus = [\"c\"]\ntolerance = 7\n");
        let config = resolve(dir.path(), &Settings::default(), &mut Vec::new());
        let problem = config.config_error.expect("a problem");
        assert_eq!(problem.offset, Some("corpus = [\"c\"]\ntolerance = ".len()));
        assert!(
            problem.message.starts_with("tolerance must be"),
            "{problem:?}"
        );
        assert!(problem.full.contains("refnotes.toml:2:13"), "{problem:?}");
    }
}
