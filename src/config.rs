//! Configuration: `refnotes.toml`, found by walking up from the notes.
//!
//! The file is shared by every front end (the command-line checker and the
//! language server), so [`Config`] says what the project wants, not how a
//! front end shows it. Every key is optional:
//!
//! ```toml
//! corpus = ["sources"]                      # folders (or files) inside this file's folder tree
//! include = ["**/*.md"]                     # notes to check when walking folders
//! exclude = ["drafts/**"]                   # notes to skip when walking folders
//! tolerance = 0.01                          # extra relative slack when comparing figures
//! max_file_size = "16MiB"                   # bytes, or a size with B/KB/KiB/MB/MiB/GB/GiB
//! follow_symlinks = false                   # follow links inside the corpus folders
//! index_dir = ".refnotes-index"            # the persisted corpus index, inside this folder tree
//!                                           # (default: the cache folder, see corpus::store)
//! shared = "postgres://db/news?collection=desk"  # check against a team's shared index
//!                                           # (no password here: PGPASSWORD or a service file)
//!
//! [severity]                                # per finding code: error, warning,
//! "unsupported-figure" = "off"              # information (or info), hint, or off
//! "figure-mismatch" = "error"
//!
//! [aliases]                                 # extra names for one entity
//! "Beijing Sinnet Technology" = ["Sinnet", "光环新网"]
//! ```
//!
//! Unknown keys, codes and levels are errors that name the file and line, so a
//! typo never silently changes what is checked.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::check::{CheckOptions, Code, Finding, Severity};
use crate::corpus::load::{LoadOptions, Symlinks, DEFAULT_MAX_FILE_SIZE};
use crate::corpus::CorpusOptions;

/// The file name looked for when walking up from the notes (defined beside
/// the corpus walk, which must know it too and sits below this module).
pub use crate::corpus::load::CONFIG_FILE_NAME;

/// A project's settings, with paths resolved against the config file's folder.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file these settings came from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    /// The folder relative paths and globs are taken from.
    pub base_dir: PathBuf,
    /// Corpus roots, already joined to `base_dir`. Empty when the file names none.
    pub corpus: Vec<PathBuf>,
    /// Globs of notes to check when walking folders, relative to `base_dir`;
    /// empty means every `.md` and `.markdown` file.
    pub include: Vec<String>,
    /// Globs of notes to skip when walking folders, relative to `base_dir`.
    pub exclude: Vec<String>,
    /// Extra relative tolerance when comparing figures.
    pub tolerance: f64,
    /// Corpus files larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// Whether symbolic links inside the corpus folders are followed (to
    /// places inside them only; `--follow` lets them lead anywhere).
    pub follow_symlinks: bool,
    /// Severity overrides per code; `None` turns the code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    /// Extra alias groups: each inner list names one entity, its main name first.
    pub aliases: Vec<Vec<String>>,
    /// Where the persisted corpus index is kept, joined to `base_dir`; `None`
    /// uses the default (`$XDG_CACHE_HOME/refnotes/index`).
    pub index_dir: Option<PathBuf>,
    /// The team's shared index to check against instead of a corpus folder
    /// (see [`crate::shared`]).
    pub shared: Option<crate::shared::SharedUrl>,
    include_globs: Option<GlobSet>,
    exclude_globs: Option<GlobSet>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            path: None,
            base_dir: PathBuf::from("."),
            corpus: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            tolerance: CheckOptions::default().tolerance,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            follow_symlinks: false,
            severity: BTreeMap::new(),
            aliases: Vec::new(),
            index_dir: None,
            shared: None,
            include_globs: None,
            exclude_globs: None,
        }
    }
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `location` is the path, with `:line:column` when known.
    #[error("{location}: {message}")]
    Invalid {
        path: PathBuf,
        /// 1-based, when known.
        line: Option<usize>,
        /// The byte offset in the file the problem is at, when known.
        offset: Option<usize>,
        location: String,
        message: String,
    },
}

/// The nearest `refnotes.toml` in `start` (a folder, or a file whose folder is
/// used) or any folder above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let folder = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    folder
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Validates config text as if read from `path` (used for relative paths
    /// and in messages); nothing is read from disk.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let offset = span.map(|span| span.start.min(text.len()));
            let position = offset.map(|offset| line_column(text, offset));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line: position.map(|(line, _)| line),
                offset,
                location: match position {
                    Some((line, column)) => format!("{}:{line}:{column}", path.display()),
                    None => path.display().to_string(),
                },
                message,
            }
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|err| invalid(err.span(), err.message().to_string()))?;

        let base_dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut config = Config {
            path: Some(path.to_path_buf()),
            corpus: raw
                .corpus
                .map(OneOrMany::into_vec)
                .unwrap_or_default()
                .iter()
                .map(|entry| join_clean(&base_dir, Path::new(entry)))
                .collect(),
            base_dir,
            ..Config::default()
        };

        if let Some(include) = raw.include {
            config.include_globs = build_globs(include.get_ref())
                .map_err(|message| invalid(Some(include.span()), message))?;
            config.include = include.into_inner().into_vec();
        }
        if let Some(exclude) = raw.exclude {
            config.exclude_globs = build_globs(exclude.get_ref())
                .map_err(|message| invalid(Some(exclude.span()), message))?;
            config.exclude = exclude.into_inner().into_vec();
        }
        if let Some(tolerance) = raw.tolerance {
            let value = *tolerance.get_ref();
            if !(value.is_finite() && (0.0..1.0).contains(&value)) {
                return Err(invalid(
                    Some(tolerance.span()),
                    format!(
                        "tolerance must be a fraction from 0 up to 1 (0.01 is 1%), not {value}"
                    ),
                ));
            }
            config.tolerance = value;
        }
        if let Some(size) = raw.max_file_size {
            config.max_file_size = match size.get_ref() {
                SizeValue::Bytes(bytes) => *bytes,
                SizeValue::Text(text) => {
                    parse_size(text).ok_or_else(|| invalid(Some(size.span()), size_error(text)))?
                }
            };
        }
        config.follow_symlinks = raw.follow_symlinks.unwrap_or(false);
        if let Some(dir) = raw.index_dir {
            // A config that came with a folder may not make refnotes write elsewhere.
            let escapes = Path::new(dir.get_ref())
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
            if escapes || dir.get_ref().trim().is_empty() {
                return Err(invalid(
                    Some(dir.span()),
                    format!(
                        "index_dir {:?} must be a folder inside this file's folder tree \
                         (a relative path without `..`)",
                        dir.get_ref()
                    ),
                ));
            }
            config.index_dir = Some(join_clean(&config.base_dir, Path::new(dir.get_ref())));
        }
        if let Some(url) = raw.shared {
            // A config file is shared and committed: no secrets in it.
            if crate::shared::redact(url.get_ref()) != *url.get_ref() {
                return Err(invalid(
                    Some(url.span()),
                    "shared: the URL holds a password; leave it out and give it through \
                     PGPASSWORD or a service file (PGSERVICE)"
                        .to_string(),
                ));
            }
            config.shared = Some(
                crate::shared::SharedUrl::parse(url.get_ref())
                    .map_err(|message| invalid(Some(url.span()), message))?,
            );
        }
        for (code_name, level_name) in raw.severity.unwrap_or_default() {
            let code = Code::parse(code_name.get_ref()).ok_or_else(|| {
                invalid(
                    Some(code_name.span()),
                    format!(
                        "unknown finding code {:?} in [severity]; known codes: {}",
                        code_name.get_ref(),
                        known_codes()
                    ),
                )
            })?;
            let level = parse_severity_setting(level_name.get_ref()).ok_or_else(|| {
                invalid(
                    Some(level_name.span()),
                    format!(
                        "unknown severity {:?} for {code}; use error, warning, information, hint or off",
                        level_name.get_ref()
                    ),
                )
            })?;
            config.severity.insert(code, level);
        }
        for (name, others) in raw.aliases.unwrap_or_default() {
            let mut group = vec![name.trim().to_string()];
            group.extend(
                others
                    .into_vec()
                    .into_iter()
                    .map(|other| other.trim().to_string()),
            );
            group.retain(|alias| !alias.is_empty());
            if group.len() > 1 {
                config.aliases.push(group);
            }
        }
        Ok(config)
    }

    /// The severity findings with `code` get: the configured one, else the
    /// code's default; `None` when the code is turned off.
    pub fn severity_for(&self, code: Code) -> Option<Severity> {
        severity_for(&self.severity, code)
    }

    /// A finding as this project wants it: its severity replaced when the
    /// config sets one for its code (the engine's own choice kept otherwise),
    /// or `None` when the code is turned off.
    pub fn adjust(&self, mut finding: Finding) -> Option<Finding> {
        match self.severity.get(&finding.code) {
            Some(None) => None,
            Some(Some(severity)) => {
                finding.severity = *severity;
                Some(finding)
            }
            None => Some(finding),
        }
    }

    /// Whether a note found while walking a folder should be checked: it must
    /// match `include` (or be Markdown when there is none) and not `exclude`.
    /// Globs are matched against the path relative to `base_dir`; a note
    /// outside that folder is matched against its file name.
    pub fn includes_note(&self, path: &Path) -> bool {
        let relative = relative_for_globs(&self.base_dir, path);
        let included = match &self.include_globs {
            Some(globs) => globs.is_match(&relative),
            None => crate::corpus::load::document_kind(path) == Some(true),
        };
        included
            && !self
                .exclude_globs
                .as_ref()
                .is_some_and(|globs| globs.is_match(&relative))
    }

    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            tolerance: self.tolerance,
        }
    }

    pub fn corpus_options(&self) -> CorpusOptions {
        CorpusOptions {
            aliases: self.aliases.clone(),
        }
    }

    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            max_file_size: self.max_file_size,
            symlinks: if self.follow_symlinks {
                Symlinks::FollowWithinRoots
            } else {
                Symlinks::Skip
            },
            index_dir: self
                .index_dir
                .clone()
                .or_else(crate::corpus::store::default_index_dir),
            ..LoadOptions::default()
        }
    }

    /// The corpus roots that lie outside this file's folder tree, as written
    /// or once symbolic links are resolved. A config that came with a folder
    /// (a cloned repository) may not read the rest of the machine: front ends
    /// refuse these unless the user allows it in person.
    pub fn corpus_outside_folder(&self) -> Vec<PathBuf> {
        if self.path.is_none() {
            return Vec::new();
        }
        let absolute = |path: &Path| {
            std::path::absolute(path)
                .map(|path| join_clean(&path, Path::new("")))
                .unwrap_or_else(|_| path.to_path_buf())
        };
        let base = absolute(&self.base_dir);
        let real_base = base.canonicalize().unwrap_or_else(|_| base.clone());
        self.corpus
            .iter()
            .filter(|root| {
                let written = absolute(root);
                let real = written.canonicalize();
                !written.starts_with(&base) || real.is_ok_and(|real| !real.starts_with(&real_base))
            })
            .cloned()
            .collect()
    }
}

/// The file as written; validated into a [`Config`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    corpus: Option<OneOrMany>,
    include: Option<Spanned<OneOrMany>>,
    exclude: Option<Spanned<OneOrMany>>,
    tolerance: Option<Spanned<f64>>,
    max_file_size: Option<Spanned<SizeValue>>,
    follow_symlinks: Option<bool>,
    index_dir: Option<Spanned<String>>,
    shared: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    aliases: Option<BTreeMap<String, OneOrMany>>,
}

/// A string or a list of strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

impl std::ops::Deref for OneOrMany {
    type Target = [String];

    fn deref(&self) -> &[String] {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one),
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

fn known_codes() -> String {
    Code::ALL.map(Code::as_str).join(", ")
}

fn size_error(text: &str) -> String {
    format!(
        "max_file_size {text:?} is not a size; write bytes (16777216) or a size such as \"16MiB\""
    )
}

/// Parses "16MiB", "512 KB", "1.5GiB" or "1000" into bytes.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number: f64 = text[..split].parse().ok()?;
    let multiplier: f64 = match text[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = number * multiplier;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then_some(bytes.round() as u64)
}

fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|err| format!("invalid glob {pattern:?}: {}", err.kind()))?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|err| err.to_string())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// `base` joined with `path`, with `.` and `..` folded away where that can be
/// done without looking at the disk.
pub fn join_clean(base: &Path, path: &Path) -> PathBuf {
    let mut cleaned = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop =
                    matches!(cleaned.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    cleaned.pop();
                } else if !matches!(
                    cleaned.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_))
                ) {
                    cleaned.push("..");
                }
            }
            other => cleaned.push(other),
        }
    }
    if cleaned.as_os_str().is_empty() {
        cleaned.push(".");
    }
    cleaned
}

/// The `/`-separated path of `path` relative to `base`, for glob matching.
fn relative_for_globs(base: &Path, path: &Path) -> String {
    let absolute = |p: &Path| std::path::absolute(p).map(|p| join_clean(&p, Path::new("")));
    let relative = match (absolute(base), absolute(path)) {
        (Ok(base), Ok(path)) => path.strip_prefix(&base).map(Path::to_path_buf).ok(),
        _ => None,
    };
    let relative =
        relative.unwrap_or_else(|| path.file_name().map(PathBuf::from).unwrap_or_default());
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// What a severity setting says, in `refnotes.toml` and in editor settings
/// alike: `error`, `warning`, `information` (or `info`), `hint`, or `off`
/// (or `none`) to drop the code. `None` when it is none of these.
pub fn parse_severity_setting(name: &str) -> Option<Option<Severity>> {
    if name.eq_ignore_ascii_case("off") || name.eq_ignore_ascii_case("none") {
        return Some(None);
    }
    Severity::parse(name).map(Some)
}

/// The severity findings with `code` get under `overrides`: the one set,
/// else the code's default; `None` when the code is turned off.
pub fn severity_for(overrides: &BTreeMap<Code, Option<Severity>>, code: Code) -> Option<Severity> {
    match overrides.get(&code) {
        Some(level) => *level,
        None => Some(code.default_severity()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("project/refnotes.toml"))
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            r#"
corpus = ["sources", "../more"]
include = ["**/*.md"]
exclude = ["drafts/**"]
tolerance = 0.01
max_file_size = "2 MiB"

[severity]
"figure-mismatch" = "error"
"unsupported-figure" = "off"
misquote = "info"

[aliases]
"Beijing Sinnet Technology" = ["Sinnet", "光环新网"]
"Amazon Web Services" = "AWS"
"#,
        )
        .unwrap();
        assert_eq!(
            config.corpus,
            [PathBuf::from("project/sources"), PathBuf::from("more")]
        );
        assert_eq!(config.base_dir, PathBuf::from("project"));
        assert_eq!(config.tolerance, 0.01);
        assert_eq!(config.max_file_size, 2 * 1024 * 1024);
        assert_eq!(
            config.severity_for(Code::FigureMismatch),
            Some(Severity::Error)
        );
        assert_eq!(config.severity_for(Code::UnsupportedFigure), None);
        assert_eq!(
            config.severity_for(Code::Misquote),
            Some(Severity::Information)
        );
        assert_eq!(
            config.severity_for(Code::UnknownSource),
            Some(Severity::Error)
        );
        assert_eq!(
            config.corpus_options().aliases,
            [
                vec!["Amazon Web Services".to_string(), "AWS".into()],
                vec![
                    "Beijing Sinnet Technology".into(),
                    "Sinnet".into(),
                    "光环新网".into()
                ],
            ]
        );
        assert!(config.includes_note(Path::new("project/notes/a.md")));
        assert!(!config.includes_note(Path::new("project/drafts/a.md")));
        assert!(!config.includes_note(Path::new("project/notes/a.txt")));
    }

    #[test]
    fn index_dir_stays_inside_the_folder_tree() {
        let config = parse("index_dir = \".cache/index\"\n").unwrap();
        assert_eq!(
            config.index_dir,
            Some(PathBuf::from("project/.cache/index"))
        );
        assert_eq!(
            config.load_options().index_dir,
            Some(PathBuf::from("project/.cache/index"))
        );
        for bad in ["../elsewhere", "/elsewhere/index", "a/../../b", ""] {
            let error = parse(&format!("index_dir = {bad:?}\n"))
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with("project/refnotes.toml:1:")
                    && error.contains("inside this file's folder tree"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let config = parse("").unwrap();
        assert!(config.corpus.is_empty());
        assert_eq!(config.max_file_size, DEFAULT_MAX_FILE_SIZE);
        assert_eq!(config.tolerance, CheckOptions::default().tolerance);
        assert!(config.includes_note(Path::new("project/x.md")));
        assert!(config.includes_note(Path::new("project/x.markdown")));
        assert!(!config.includes_note(Path::new("project/x.txt")));
        for code in Code::ALL {
            assert_eq!(config.severity_for(code), Some(code.default_severity()));
        }
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let cases = [
            (
                "corpus = [\"a\"]\ncorpuss = 1\n",
                "project/refnotes.toml:2:1:",
                "corpuss",
            ),
            (
                "[severity]\n\"figure-mismatc\" = \"error\"\n",
                "project/refnotes.toml:2:1:",
                "figure-mismatc",
            ),
            (
                "[severity]\nmisquote = \"loud\"\n",
                "project/refnotes.toml:2:12:",
                "\"loud\"",
            ),
            (
                "tolerance = 5.0\n",
                "project/refnotes.toml:1:13:",
                "tolerance",
            ),
            (
                "max_file_size = \"big\"\n",
                "project/refnotes.toml:1:17:",
                "not a size",
            ),
            (
                "include = [\"[\"]\n",
                "project/refnotes.toml:1:11:",
                "invalid glob",
            ),
            ("corpus = \n", "project/refnotes.toml:1:", "string"),
        ];
        for (text, location, words) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(location), "{text:?} gave {err}");
            assert!(err.contains(words), "{text:?} gave {err}");
        }
    }

    #[test]
    fn severity_overrides_apply_at_the_edge() {
        let config = parse("[severity]\nmisquote = \"error\"\nwrong-source = \"off\"\n").unwrap();
        let finding = |code| Finding {
            span: crate::text::Span::new(0, 1),
            code,
            severity: Severity::Hint,
            message: String::new(),
            related: Vec::new(),
            fixes: Vec::new(),
        };
        assert_eq!(
            config.adjust(finding(Code::Misquote)).map(|f| f.severity),
            Some(Severity::Error)
        );
        assert_eq!(config.adjust(finding(Code::WrongSource)), None);
        // Unconfigured codes keep the engine's own severity.
        assert_eq!(
            config
                .adjust(finding(Code::FigureMismatch))
                .map(|f| f.severity),
            Some(Severity::Hint)
        );
    }

    #[test]
    fn sizes_accept_units() {
        for (text, bytes) in [
            ("1000", Some(1000)),
            ("16MiB", Some(16 * 1024 * 1024)),
            ("16 MB", Some(16_000_000)),
            ("1.5 KiB", Some(1536)),
            ("2gib", Some(2 * 1024 * 1024 * 1024)),
            ("", None),
            ("MiB", None),
            ("12 parsecs", None),
            ("1e999", None),
        ] {
            assert_eq!(parse_size(text), bytes, "{text}");
        }
    }

    #[test]
    fn config_is_found_walking_up() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("note.md"), "x").unwrap();
        // Nothing between the temporary folder and the deep folder.
        assert_eq!(find_config(&deep), find_config(dir.path()));
        std::fs::write(dir.path().join("a").join(CONFIG_FILE_NAME), "").unwrap();
        let found = find_config(&deep.join("note.md")).unwrap();
        assert_eq!(
            found,
            std::path::absolute(dir.path().join("a/refnotes.toml")).unwrap()
        );
        let err = Config::load(&deep.join(CONFIG_FILE_NAME)).unwrap_err();
        assert!(err.to_string().contains("a/b/refnotes.toml"), "{err}");
    }

    #[test]
    fn paths_are_joined_without_dots() {
        for (base, path, joined) in [
            ("project", "sources", "project/sources"),
            ("project", "../more", "more"),
            (".", "./sources", "sources"),
            ("..", "../x", "../../x"),
            ("/", "../x", "/x"),
            ("a", "..", "."),
        ] {
            assert_eq!(
                join_clean(Path::new(base), Path::new(path)),
                PathBuf::from(joined)
            );
        }
    }
}
