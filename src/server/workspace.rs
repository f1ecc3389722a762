//! Where a workspace's corpus comes from and how it is read: `refnotes.toml`
//! at the folder's root, else the editor settings, else a `corpus` or
//! `sources` folder beside the notes.
//!
//! Everything the server knows about config files and corpus loading goes
//! through this module, so that switching to the engine's own loader and
//! config reader (`corpus::load`, `config`) touches nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::{Code, Severity};
use crate::corpus::{Corpus, CorpusOptions, SourceText};

use super::settings::Settings;

/// The name of the project config file.
pub const CONFIG_FILE: &str = "refnotes.toml";
/// Folder names that hold a corpus by convention.
const CONVENTIONAL_FOLDERS: [&str; 2] = ["corpus", "sources"];
const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Where the corpus paths of a workspace came from, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorpusOrigin {
    ConfigFile(PathBuf),
    Settings,
    Convention,
    /// Nothing configured and no conventional folder found.
    Missing,
}

/// Everything needed to load and check against one workspace's corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceConfig {
    /// The workspace folder, or the folder of a note opened on its own.
    pub root: PathBuf,
    pub origin: CorpusOrigin,
    /// Absolute corpus folders.
    pub corpus_roots: Vec<PathBuf>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    pub tolerance: f64,
    /// Severity per code; `None` turns the code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    pub aliases: Vec<Vec<String>>,
    pub inlay_hints: bool,
}

impl WorkspaceConfig {
    /// The severity to report `code` with, or `None` when it is turned off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(level) => *level,
            None => Some(code.default_severity()),
        }
    }

    /// Whether `path` lies under one of the corpus folders.
    pub fn is_in_corpus(&self, path: &Path) -> bool {
        self.corpus_roots.iter().any(|root| path.starts_with(root))
    }

    /// Whether `path` is a file the corpus loader would read.
    pub fn is_corpus_file(&self, path: &Path) -> bool {
        self.corpus_roots
            .iter()
            .any(|root| path.starts_with(root) && self.accepts(root, path))
    }

    /// The document id `path` has in the corpus, if it belongs to it.
    pub fn document_id(&self, path: &Path) -> Option<String> {
        let root = self
            .corpus_roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())?;
        let relative = path.strip_prefix(root).ok()?.with_extension("");
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    fn accepts(&self, root: &Path, path: &Path) -> bool {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(extension, "txt" | "md" | "markdown") {
            return false;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            return false;
        };
        let included = self.include.is_empty() || matches_any(&self.include, relative);
        included && !matches_any(&self.exclude, relative)
    }

    pub fn corpus_options(&self) -> CorpusOptions {
        CorpusOptions {
            aliases: self.aliases.clone(),
        }
    }
}

fn matches_any(globs: &[String], path: &Path) -> bool {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in globs {
        if let Ok(glob) = globset::Glob::new(glob) {
            builder.add(glob);
        }
    }
    builder.build().is_ok_and(|set| set.is_match(path))
}

/// The parts of `refnotes.toml` the server uses.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct ConfigFile {
    corpus: OneOrMany,
    include: Vec<String>,
    exclude: Vec<String>,
    tolerance: Option<f64>,
    #[serde(alias = "max_file_size")]
    max_file_size: Option<u64>,
    severity: BTreeMap<String, String>,
    aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(path) => vec![path],
            OneOrMany::Many(paths) => paths,
        }
    }
}

/// The nearest `refnotes.toml` in `start` or a folder above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

/// Works out a workspace's corpus and checking options. A broken config file is
/// reported in `warnings` and treated as absent, so the server keeps serving.
pub fn resolve(root: &Path, settings: &Settings, warnings: &mut Vec<String>) -> WorkspaceConfig {
    let mut config = WorkspaceConfig {
        root: root.to_path_buf(),
        origin: CorpusOrigin::Missing,
        corpus_roots: Vec::new(),
        include: Vec::new(),
        exclude: Vec::new(),
        max_file_size: DEFAULT_MAX_FILE_SIZE,
        tolerance: settings.tolerance.unwrap_or(0.0),
        severity: BTreeMap::new(),
        aliases: Vec::new(),
        inlay_hints: settings.inlay_hints.enable,
    };
    apply_severity(&mut config, &settings.severity, warnings);
    if root.as_os_str().is_empty() {
        return config;
    }

    let config_path = root.join(CONFIG_FILE);
    if config_path.is_file() {
        match read_config_file(&config_path) {
            Ok(file) => {
                let paths = file.corpus.into_vec();
                if !paths.is_empty() {
                    config.corpus_roots = paths.iter().map(|p| absolute(root, p)).collect();
                    config.origin = CorpusOrigin::ConfigFile(config_path.clone());
                }
                config.include = file.include;
                config.exclude = file.exclude;
                config.tolerance = file.tolerance.unwrap_or(config.tolerance);
                config.max_file_size = file.max_file_size.unwrap_or(config.max_file_size);
                apply_severity(&mut config, &file.severity, warnings);
                config.aliases = file
                    .aliases
                    .into_iter()
                    .map(|(name, mut others)| {
                        others.insert(0, name);
                        others
                    })
                    .collect();
            }
            Err(message) => warnings.push(message),
        }
    }
    if config.corpus_roots.is_empty() && !settings.corpus.is_empty() {
        config.corpus_roots = settings.corpus.iter().map(|p| absolute(root, p)).collect();
        config.origin = CorpusOrigin::Settings;
    }
    if config.corpus_roots.is_empty() {
        if let Some(folder) = CONVENTIONAL_FOLDERS
            .iter()
            .map(|name| root.join(name))
            .find(|dir| dir.is_dir())
        {
            config.corpus_roots = vec![folder];
            config.origin = CorpusOrigin::Convention;
        }
    }
    config
}

fn read_config_file(path: &Path) -> Result<ConfigFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    toml::from_str(&text).map_err(|error| format!("cannot parse {}: {error}", path.display()))
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
        if level.eq_ignore_ascii_case("off") || level.eq_ignore_ascii_case("none") {
            config.severity.insert(code, None);
        } else if let Some(severity) = Severity::parse(level) {
            config.severity.insert(code, Some(severity));
        } else {
            warnings.push(format!("unknown severity `{level}` for `{name}`"));
        }
    }
}

fn absolute(root: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    normalize(&joined)
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
}

/// Reads and analyses a workspace's corpus. `progress(done, total)` is called
/// as files are read. Blocking: run it off the async workers.
pub fn load_corpus(
    config: &WorkspaceConfig,
    progress: &dyn Fn(usize, usize),
) -> Result<LoadedCorpus, LoadFailure> {
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    for root in &config.corpus_roots {
        if !root.is_dir() {
            return Err(LoadFailure(format!(
                "corpus folder {} does not exist",
                root.display()
            )));
        }
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if config.accepts(root, entry.path()) {
                        files.push(entry.into_path());
                    }
                }
                Ok(_) => {}
                Err(error) => warnings.push(format!("cannot read corpus entry: {error}")),
            }
        }
    }
    let total = files.len();
    progress(0, total);
    let mut sources = Vec::with_capacity(total);
    for (done, path) in files.iter().enumerate() {
        match read_source(config, path) {
            Ok(Some(source)) => sources.push(source),
            Ok(None) => {}
            Err(warning) => warnings.push(warning),
        }
        if (done + 1) % 64 == 0 || done + 1 == total {
            progress(done + 1, total);
        }
    }
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    sources.dedup_by(|later, earlier| {
        let duplicate = later.id == earlier.id;
        if duplicate {
            warnings.push(format!(
                "{} has the same document id as {}; skipped",
                later.path.display(),
                earlier.path.display()
            ));
        }
        duplicate
    });
    let corpus = Corpus::from_sources(sources, config.corpus_options());
    Ok(LoadedCorpus { corpus, warnings })
}

/// Reads one corpus file. `Ok(None)` when it is not part of the corpus;
/// `Err` with a warning when it is skipped (too big, binary, unreadable).
pub fn read_source(config: &WorkspaceConfig, path: &Path) -> Result<Option<SourceText>, String> {
    let Some(id) = config.document_id(path) else {
        return Ok(None);
    };
    let metadata = std::fs::metadata(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    if metadata.len() > config.max_file_size {
        return Err(format!(
            "{} is larger than {} bytes; skipped",
            path.display(),
            config.max_file_size
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(format!("{} looks binary; skipped", path.display()));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            tracing::warn!("{} is not valid UTF-8; decoded lossily", path.display());
            String::from_utf8_lossy(error.as_bytes()).into_owned()
        }
    };
    let markdown = path
        .extension()
        .is_some_and(|e| e == "md" || e == "markdown");
    let front = if markdown {
        front_matter(&text)
    } else {
        FrontMatterFields::default()
    };
    let title = front
        .title
        .or_else(|| first_line(&text, markdown))
        .unwrap_or_else(|| id.clone());
    Ok(Some(SourceText {
        id,
        path: path.to_path_buf(),
        title,
        date: front.date,
        url: front.url,
        text,
        markdown,
    }))
}

#[derive(Default)]
struct FrontMatterFields {
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

/// `title`, `date` and `url` from `---` front matter; the engine's Markdown
/// reader replaces this once the loader lands.
fn front_matter(text: &str) -> FrontMatterFields {
    let mut fields = FrontMatterFields::default();
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return fields;
    }
    for line in lines {
        if line.trim_end() == "---" {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string();
        match key.trim() {
            "title" => fields.title = Some(value),
            "date" => fields.date = Some(value),
            "url" => fields.url = Some(value),
            _ => {}
        }
    }
    fields
}

/// The first non-empty line after any front matter, without Markdown heading marks.
fn first_line(text: &str, markdown: bool) -> Option<String> {
    let mut lines = text.lines().peekable();
    if markdown && lines.peek().map(|l| l.trim_end()) == Some("---") {
        lines.next();
        for line in lines.by_ref() {
            if line.trim_end() == "---" {
                break;
            }
        }
    }
    lines
        .map(|line| line.trim().trim_start_matches('#').trim())
        .find(|line| !line.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

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
            "corpus = [\"docs/../refs\"]\ntolerance = 0.05\n[severity]\nmisquote = \"error\"\nunsupported-figure = \"off\"\n[aliases]\n\"Acme Corp\" = [\"Acme\"]\n",
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
        assert!(warnings[0].contains("cannot parse"), "{warnings:?}");
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
        assert_eq!(docs[1].title, "Second");
        assert_eq!(docs[1].date.as_deref(), Some("2024-01-02"));
        assert!(docs[1].markdown);
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert_eq!(calls.into_inner().unwrap().last(), Some(&(3, 3)));
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
}
