//! Reading a corpus from disk: the only file-system access in the engine.
//!
//! [`load`] walks one or more roots (folders, or single files) for `.txt`,
//! `.md` and `.markdown` documents, and for HTML, PDF, DOCX and EPUB files,
//! which [`super::formats`] converts to text (writing only to the cache
//! folder), and returns their text as [`SourceText`]s, ready for
//! [`Corpus::from_sources`](super::Corpus::from_sources). It never writes to
//! the corpus. Files of any other kind are skipped with a warning.
//!
//! Bad input does not stop a load: a file with invalid UTF-8 is decoded lossily,
//! and binary files, files over the size limit and files that cannot be read
//! are skipped; each of these leaves a [`LoadWarning`] naming the file. Only a
//! root that is missing, or that is neither a folder nor a document, is a
//! [`LoadError`].
//!
//! A document's id is its path relative to its root, without the extension and
//! with `/` between folders (`2024/filing.txt` is `2024/filing`); a root that is
//! a single file gives the file's stem. When a later root yields an id an
//! earlier root already has, the later document is renamed to
//! `<root folder name>/<id>`, with a warning so citation keys are not a
//! surprise; if that name is taken too (or two files in one root share an id,
//! such as `a.txt` and `a.md`), the later file is skipped with a warning.
//! Files and folders whose names start with `.` are not read.
//!
//! The walk is careful with folders it does not know: it reads only regular
//! files, never device files, FIFOs, sockets or anything under `/proc`, `/sys`
//! and `/dev`; each read is capped at the size limit; it goes at most
//! [`LoadOptions::max_depth`] folders deep and stops after
//! [`LoadOptions::max_entries`] files and folders. Symbolic links are not
//! followed unless [`LoadOptions::symlinks`] says so, and then, unless the user
//! asked for it in person, only to places inside the corpus roots. Every file
//! left out for one of these reasons leaves a warning saying why.

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use super::formats::{self, Format};
use super::SourceText;
use crate::extract::markdown::{self, FrontMatter};

/// The config file's name: `refnotes.toml` (re-exported by `config`).
pub const CONFIG_FILE_NAME: &str = "refnotes.toml";

/// The default size above which a file is skipped: 16 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// How much of a file's start is searched for a NUL byte to tell binary files.
const BINARY_PROBE_LEN: usize = 8 * 1024;

/// Titles longer than this are cut, so a text with no line breaks does not
/// become a megabyte-long title.
const MAX_TITLE_CHARS: usize = 200;

/// How deep a walk goes below a root by default: deeper than any real corpus,
/// shallow enough that a link cycle the loop check misses still ends.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// How many files and folders one root's walk looks at by default before it
/// stops (with a warning): far above a gigabyte of documents, and a bound on a
/// corpus pointed at `/` by mistake.
pub const DEFAULT_MAX_ENTRIES: usize = 1_000_000;

/// Places that look like files but are the kernel's: reading them can block
/// for ever or never end.
#[cfg(unix)]
const SPECIAL_FILE_SYSTEMS: [&str; 3] = ["/proc", "/sys", "/dev"];
#[cfg(not(unix))]
const SPECIAL_FILE_SYSTEMS: [&str; 0] = [];

/// File extensions read as documents; the flag says whether they are Markdown.
const DOCUMENT_EXTENSIONS: [(&str, bool); 3] = [("txt", false), ("md", true), ("markdown", true)];

/// What to read and what to skip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
    /// Globs (relative to each root, `/`-separated) a document must match; an
    /// empty list lets every document through.
    pub include: Vec<String>,
    /// Globs (relative to each root) of documents to leave out.
    pub exclude: Vec<String>,
    /// What to do with symbolic links met while walking a root.
    pub symlinks: Symlinks,
    /// Folders deeper than this below a root are not read (with a warning).
    pub max_depth: usize,
    /// A root's walk stops (with a warning) after this many files and folders.
    pub max_entries: usize,
    /// Where converted documents (PDF, HTML, ...) are cached as text; `None`
    /// converts every time and leaves no readable copy for editors.
    pub cache_dir: Option<PathBuf>,
    /// Where the persisted corpus index is kept ([`super::store`]); `None`
    /// (`--no-cache`) analyses every document every time. `load` itself
    /// does not read it: front ends pass it to [`super::store::load_corpus`].
    pub index_dir: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            include: Vec::new(),
            exclude: Vec::new(),
            symlinks: Symlinks::Skip,
            max_depth: DEFAULT_MAX_DEPTH,
            max_entries: DEFAULT_MAX_ENTRIES,
            cache_dir: formats::default_cache_dir(),
            index_dir: super::store::default_index_dir(),
        }
    }
}

/// Symbolic links met while walking a corpus root (the roots themselves are
/// always followed: the user named them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Symlinks {
    /// Not followed; each one that names a document or a folder is reported.
    #[default]
    Skip,
    /// Followed when they resolve to a place inside one of the roots
    /// (`follow_symlinks = true` in a project's config).
    FollowWithinRoots,
    /// Followed wherever they lead (`--follow`, or the editor setting): the
    /// user asked in person.
    Follow,
}

/// The documents read, and what went wrong with the files that were not.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Sorted by id.
    pub sources: Vec<SourceText>,
    pub warnings: Vec<LoadWarning>,
}

/// A problem with one file that did not stop the load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadWarning {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Why a corpus could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("corpus folder {} does not exist", path.display())]
    MissingRoot { path: PathBuf },
    #[error("corpus path {} is neither a folder nor a document refnotes reads ({})", path.display(), formats::KNOWN_EXTENSIONS)]
    NotAFolder { path: PathBuf },
    #[error("cannot read corpus folder {}: {source}", path.display())]
    UnreadableRoot {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid glob {pattern:?}: {message}")]
    Glob { pattern: String, message: String },
}

/// Reads every document under `roots`.
pub fn load(roots: &[PathBuf], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let include = build_globs(&options.include)?;
    let exclude = build_globs(&options.exclude)?;
    let mut candidates = Vec::new();
    let mut warnings = Vec::new();
    let real_roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|root| root.canonicalize().ok())
        .collect();
    let walk = Walk {
        include: &include,
        exclude: &exclude,
        options,
        real_roots: &real_roots,
    };
    for (root_index, root) in roots.iter().enumerate() {
        let found = list_root(root, &walk, &mut warnings)?;
        candidates.extend(found.into_iter().map(|candidate| (root_index, candidate)));
    }

    let read: Vec<(usize, Candidate, Result<ReadFile, String>)> = candidates
        .into_par_iter()
        .map(|(root_index, candidate)| {
            let result = read_document(
                &candidate.path,
                candidate.format,
                options.max_file_size,
                options.cache_dir.as_deref(),
            );
            (root_index, candidate, result)
        })
        .collect();

    let mut sources = Vec::with_capacity(read.len());
    let mut taken: HashSet<String> = HashSet::new();
    let mut id_root: std::collections::HashMap<String, usize> = Default::default();
    for (root_index, candidate, result) in read {
        let file = match result {
            Ok(file) => file,
            Err(message) => {
                warnings.push(LoadWarning {
                    path: candidate.path,
                    message,
                });
                continue;
            }
        };
        if file.lossy {
            warnings.push(LoadWarning {
                path: candidate.path.clone(),
                message: "invalid UTF-8; undecodable bytes were replaced with U+FFFD".into(),
            });
        }
        let mut id = candidate.id;
        if taken.contains(&id) {
            let first_root = id_root.get(&id).copied();
            let renamed = root_name(&roots[root_index]).map(|name| format!("{name}/{id}"));
            match renamed {
                Some(renamed) if first_root != Some(root_index) && !taken.contains(&renamed) => {
                    warnings.push(LoadWarning {
                        path: candidate.path.clone(),
                        message: format!(
                            "another corpus root already has a document with id {id:?}; \
                             this one is {renamed:?}"
                        ),
                    });
                    id = renamed;
                }
                _ => {
                    warnings.push(LoadWarning {
                        path: candidate.path,
                        message: format!("skipped: another document already has the id {id:?}"),
                    });
                    continue;
                }
            }
        }
        taken.insert(id.clone());
        id_root.insert(id.clone(), root_index);
        let mut source = source_text(
            id,
            candidate.path,
            file.text,
            candidate.format != Format::Text,
        );
        if let Some(converted) = file.converted {
            source.title = converted.title.unwrap_or(source.title);
            source.date = converted.date;
            source.url = converted.url;
            source.origin = Some(converted.origin);
        }
        sources.push(source);
    }
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    // Stable, so several warnings about one file keep their order.
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Loaded { sources, warnings })
}

/// A file that looks like a document, before it is read.
struct Candidate {
    path: PathBuf,
    id: String,
    format: Format,
}

struct ReadFile {
    text: String,
    lossy: bool,
    /// Metadata of a converted document; `text` is its rendition.
    converted: Option<ConvertedMeta>,
}

struct ConvertedMeta {
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    origin: formats::Origin,
}

fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>, LoadError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|err| LoadError::Glob {
            pattern: pattern.clone(),
            message: err.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|err| LoadError::Glob {
        pattern: patterns.join(", "),
        message: err.to_string(),
    })
}

/// Whether `path` names a document, and if so whether it is Markdown.
pub fn document_kind(path: &Path) -> Option<bool> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    DOCUMENT_EXTENSIONS
        .iter()
        .find(|(known, _)| *known == extension)
        .map(|&(_, markdown)| markdown)
}

/// What a walk needs besides the root it walks.
struct Walk<'a> {
    include: &'a Option<GlobSet>,
    exclude: &'a Option<GlobSet>,
    options: &'a LoadOptions,
    /// Every root of the load, resolved, for links that must stay inside them.
    real_roots: &'a [PathBuf],
}

/// The documents under one root, in a stable order.
fn list_root(
    root: &Path,
    walk: &Walk<'_>,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<Candidate>, LoadError> {
    let metadata = match std::fs::metadata(root) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError::MissingRoot {
                path: root.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(LoadError::UnreadableRoot {
                path: root.to_path_buf(),
                source,
            })
        }
    };
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if let Some(place) = special_place(&real_root) {
        warnings.push(LoadWarning {
            path: root.to_path_buf(),
            message: format!("skipped: {place} holds the kernel's files, not documents"),
        });
        return Ok(Vec::new());
    }
    if metadata.is_file() {
        let (Some(format), Some(stem)) = (Format::of(root), root.file_stem()) else {
            return Err(LoadError::NotAFolder {
                path: root.to_path_buf(),
            });
        };
        return Ok(vec![Candidate {
            path: root.to_path_buf(),
            id: stem.to_string_lossy().into_owned(),
            format,
        }]);
    }
    if !metadata.is_dir() {
        return Err(LoadError::NotAFolder {
            path: root.to_path_buf(),
        });
    }
    if let Err(source) = std::fs::read_dir(root) {
        return Err(LoadError::UnreadableRoot {
            path: root.to_path_buf(),
            source,
        });
    }

    let options = walk.options;
    let follow = options.symlinks != Symlinks::Skip;
    let mut found = Vec::new();
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(follow)
        .max_depth(options.max_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    let mut seen = 0usize;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let message = match err.loop_ancestor() {
                    Some(ancestor) => format!(
                        "skipped: symbolic link loops back to {}",
                        ancestor.display()
                    ),
                    None => format!("skipped: {}", io_message(&err)),
                };
                warnings.push(LoadWarning { path, message });
                continue;
            }
        };
        seen += 1;
        if seen > options.max_entries {
            warnings.push(LoadWarning {
                path: root.to_path_buf(),
                message: format!(
                    "stopped walking after {} files and folders (the walk's limit); \
                     the rest was not read: point the corpus at a smaller folder",
                    options.max_entries
                ),
            });
            break;
        }
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type();
        let skip = |message: String| LoadWarning {
            path: path.to_path_buf(),
            message,
        };
        if file_type.is_symlink() {
            // Only when links are not followed; say so for the ones that matter.
            if Format::of(path).is_some() || path.is_dir() {
                warnings.push(skip(
                    "skipped: symbolic link (not followed; set follow_symlinks = true \
                     in refnotes.toml or pass --follow to read it)"
                        .into(),
                ));
            }
            continue;
        }
        if entry.path_is_symlink() {
            let target = match path.canonicalize() {
                Ok(target) => target,
                Err(err) => {
                    warnings.push(skip(format!("skipped: cannot read: {err}")));
                    continue;
                }
            };
            let outside = options.symlinks == Symlinks::FollowWithinRoots
                && !walk.real_roots.iter().any(|root| target.starts_with(root));
            let refusal = if let Some(place) = special_place(&target) {
                Some(format!(
                    "skipped: symbolic link into {place}, which holds the kernel's files"
                ))
            } else if outside {
                Some(format!(
                    "skipped: symbolic link to {}, outside the corpus (pass --follow to read it)",
                    target.display()
                ))
            } else {
                None
            };
            if let Some(message) = refusal {
                if file_type.is_dir() || Format::of(path).is_some() {
                    warnings.push(skip(message));
                }
                if file_type.is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if file_type.is_dir() {
            let real = entry
                .path()
                .strip_prefix(root)
                .map(|relative| real_root.join(relative))
                .unwrap_or_else(|_| path.to_path_buf());
            if let Some(place) = special_place(&real) {
                warnings.push(skip(format!(
                    "skipped: {place} holds the kernel's files, not documents"
                )));
                walker.skip_current_dir();
            } else if entry.depth() == options.max_depth {
                warnings.push(skip(format!(
                    "skipped: deeper than {} folders below the corpus root",
                    options.max_depth
                )));
            }
            continue;
        }
        if !file_type.is_file() {
            warnings.push(skip(format!(
                "skipped: not a regular file ({})",
                special_kind(&file_type)
            )));
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = slash_path(relative);
        if walk
            .include
            .as_ref()
            .is_some_and(|globs| !globs.is_match(&relative))
            || walk
                .exclude
                .as_ref()
                .is_some_and(|globs| globs.is_match(&relative))
        {
            continue;
        }
        let Some(format) = Format::of(entry.path()) else {
            // refnotes' own config, in a corpus that is the project folder.
            let own_config = entry.file_name() == CONFIG_FILE_NAME;
            if !own_config && !is_saved_page_asset(entry.path(), root) {
                warnings.push(unknown_format(entry.path()));
            }
            continue;
        };
        found.push(Candidate {
            path: path.to_path_buf(),
            id: strip_extension(&relative).to_string(),
            format,
        });
    }
    Ok(found)
}

/// The kernel's file system `path` lies in, if any (`/proc`, `/sys`, `/dev`).
fn special_place(path: &Path) -> Option<&'static str> {
    SPECIAL_FILE_SYSTEMS
        .into_iter()
        .find(|place| path.starts_with(place))
}

/// What a file that is neither a folder nor a regular file is, in words.
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device file";
        }
    }
    let _ = file_type;
    "a special file"
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

fn io_message(err: &walkdir::Error) -> String {
    match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    }
}

/// A relative path with `/` between its parts, whatever the platform.
fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn strip_extension(relative: &str) -> &str {
    let name_start = relative.rfind('/').map_or(0, |slash| slash + 1);
    match relative[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &relative[..name_start + dot],
        _ => relative,
    }
}

/// The last part of a root's path, used to tell apart documents from two roots.
fn root_name(root: &Path) -> Option<String> {
    let absolute = std::path::absolute(root).ok()?;
    let name = absolute.file_name()?.to_string_lossy().into_owned();
    Some(name)
}

/// Whether `path` is in the `NAME_files` folder a browser saves beside
/// `NAME.html` (its images, scripts and styles): skipped without a warning.
fn is_saved_page_asset(path: &Path, root: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|folder| folder.starts_with(root) && *folder != root)
        .any(|folder| {
            let Some(name) = folder.file_name().and_then(|name| name.to_str()) else {
                return false;
            };
            let Some(page) = name.strip_suffix("_files") else {
                return false;
            };
            ["html", "htm"].iter().any(|extension| {
                folder
                    .with_file_name(format!("{page}.{extension}"))
                    .is_file()
            })
        })
}

fn unknown_format(path: &Path) -> LoadWarning {
    let kind = match path.extension() {
        Some(extension) => format!(".{} files", extension.to_string_lossy()),
        None => "files without an extension".to_string(),
    };
    LoadWarning {
        path: path.to_path_buf(),
        message: format!(
            "skipped: refnotes does not read {kind} (it reads {})",
            formats::KNOWN_EXTENSIONS
        ),
    }
}

/// Reads one file, converting it when it is not plain text or Markdown, or
/// says why it was skipped. Only a regular file is read, and never more than
/// the size limit, whatever its size claims to be.
fn read_document(
    path: &Path,
    format: Format,
    max_file_size: u64,
    cache_dir: Option<&Path>,
) -> Result<ReadFile, String> {
    use std::io::Read;
    let cannot_read = |err: std::io::Error| format!("skipped: cannot read: {err}");
    // Checked before opening: opening a FIFO would wait for a writer.
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(format!(
            "skipped: not a regular file ({})",
            special_kind(&metadata.file_type())
        ));
    }
    if metadata.len() > max_file_size {
        return Err(too_large(metadata.len(), max_file_size));
    }
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    // The path may have been swapped for something else since it was looked at.
    let opened = file.metadata().map_err(cannot_read)?;
    if !opened.is_file() {
        return Err(format!(
            "skipped: not a regular file ({})",
            special_kind(&opened.file_type())
        ));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(max_file_size) as usize);
    file.take(max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    // The file may have grown since its size was read.
    if bytes.len() as u64 > max_file_size {
        return Err(format!(
            "skipped: over the size limit of {max_file_size} bytes (max_file_size)"
        ));
    }
    if format.is_converted() {
        let (converted, origin) = formats::convert_cached(format, path, &bytes, cache_dir)
            .map_err(|err| format!("skipped: {err}"))?;
        return Ok(ReadFile {
            text: converted.text,
            lossy: false,
            converted: Some(ConvertedMeta {
                title: converted.title,
                date: converted.date,
                url: converted.url,
                origin,
            }),
        });
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE_LEN)]).is_some() {
        return Err("skipped: looks like a binary file (it has a NUL byte)".into());
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => ReadFile {
            text,
            lossy: false,
            converted: None,
        },
        Err(err) => ReadFile {
            text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
            lossy: true,
            converted: None,
        },
    })
}

fn too_large(size: u64, limit: u64) -> String {
    format!("skipped: {size} bytes is over the size limit of {limit} bytes (max_file_size)")
}

fn source_text(id: String, path: PathBuf, text: String, markdown: bool) -> SourceText {
    let front = if markdown {
        markdown::front_matter(&text)
    } else {
        None
    };
    let title = title_of(&text, front.as_ref());
    let (date, url) = front
        .map(|front| (front.date, front.url))
        .unwrap_or_default();
    SourceText {
        id,
        path,
        title,
        date,
        url,
        text,
        markdown,
        origin: None,
    }
}

/// The front matter's title, else the first non-empty line after the front
/// matter with any Markdown heading marks taken off.
pub fn title_of(text: &str, front: Option<&FrontMatter>) -> String {
    if let Some(title) = front.and_then(|front| front.title.as_deref()) {
        let title = title.trim();
        if !title.is_empty() {
            return shorten(title);
        }
    }
    let body_start = front.map_or(0, |front| front.span.end());
    let body = text.get(body_start..).unwrap_or(text);
    let first_line = body
        .lines()
        .map(|line| line.trim_start_matches('\u{feff}').trim())
        .find(|line| !line.is_empty())
        .unwrap_or("");
    shorten(first_line.trim_start_matches('#').trim())
}

fn shorten(title: &str) -> String {
    match title.char_indices().nth(MAX_TITLE_CHARS) {
        Some((cut, _)) => format!("{}…", title[..cut].trim_end()),
        None => title.to_string(),
    }
}
