//! The decisions both front ends make about a project folder, made once:
//! where its corpus is, what a severity setting means, and which files are
//! its notes (reading a severity setting is `config`'s, re-exported here).
//! `refnotes check` and `refnotes serve` call these with what
//! they were given (flags, `refnotes.toml`, editor settings), so one folder is
//! read the same way by both.

use std::path::{Path, PathBuf};

pub use crate::config::{parse_severity_setting, severity_for};

use crate::config::Config;
use crate::corpus::load::DEFAULT_MAX_DEPTH;

/// Folder names that hold a corpus by convention, looked for in the project
/// folder when nothing names the corpus.
pub const CONVENTIONAL_CORPUS_FOLDERS: [&str; 2] = ["corpus", "sources"];

/// Folders never walked for notes besides hidden ones: build output and
/// installed packages hold other people's Markdown.
const SKIPPED_FOLDERS: [&str; 2] = ["target", "node_modules"];

/// Where the corpus roots came from, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorpusOrigin {
    /// Named by the user in person: `--corpus`.
    Flags,
    ConfigFile(PathBuf),
    /// The editor's settings.
    Settings,
    /// A `corpus` or `sources` folder in the project folder.
    Convention,
    /// Nothing configured and no conventional folder found.
    Missing,
}

/// The corpus a project reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusChoice {
    pub roots: Vec<PathBuf>,
    pub origin: CorpusOrigin,
    /// Roots the config names outside its own folder tree, left out (each
    /// front end says so in its own words and names its own way to allow them).
    pub refused: Vec<PathBuf>,
}

/// Picks the corpus roots: those named in person (`--corpus`), else the
/// config's (without those outside its folder tree unless `allow_external`),
/// else the editor settings', else a conventional folder in `folder`. When the
/// config names a corpus, nothing further down is looked at, even if every
/// root it names was refused: the project said where its corpus is.
pub fn choose_corpus(
    named: &[PathBuf],
    config: &Config,
    settings: &[PathBuf],
    folder: &Path,
    allow_external: bool,
) -> CorpusChoice {
    let choice = |roots: Vec<PathBuf>, origin| CorpusChoice {
        roots,
        origin,
        refused: Vec::new(),
    };
    if !named.is_empty() {
        return choice(named.to_vec(), CorpusOrigin::Flags);
    }
    if !config.corpus.is_empty() {
        let refused = if allow_external {
            Vec::new()
        } else {
            config.corpus_outside_folder()
        };
        let origin = match &config.path {
            Some(path) => CorpusOrigin::ConfigFile(path.clone()),
            None => CorpusOrigin::Settings,
        };
        return CorpusChoice {
            roots: config
                .corpus
                .iter()
                .filter(|root| !refused.contains(root))
                .cloned()
                .collect(),
            origin,
            refused,
        };
    }
    if !settings.is_empty() {
        return choice(settings.to_vec(), CorpusOrigin::Settings);
    }
    match conventional_corpus(folder) {
        Some(found) => choice(vec![found], CorpusOrigin::Convention),
        None => choice(Vec::new(), CorpusOrigin::Missing),
    }
}

/// The `corpus` or `sources` folder in `folder`, when there is one.
pub fn conventional_corpus(folder: &Path) -> Option<PathBuf> {
    CONVENTIONAL_CORPUS_FOLDERS
        .iter()
        .map(|name| folder.join(name))
        .find(|candidate| candidate.is_dir())
}

/// Whether `path` lies in a conventional corpus folder of `folder` (one
/// appearing there changes where the corpus is).
pub fn in_conventional_corpus(folder: &Path, path: &Path) -> bool {
    CONVENTIONAL_CORPUS_FOLDERS
        .iter()
        .any(|name| path.starts_with(folder.join(name)))
}

/// How to walk a folder for notes.
pub struct NoteWalk<'a> {
    /// Include and exclude globs (the defaults: every Markdown file).
    pub config: &'a Config,
    /// Folders never entered: the corpus is not notes.
    pub corpus_roots: &'a [PathBuf],
    pub follow_links: bool,
    /// Stop after this many notes.
    pub limit: usize,
}

/// The notes under `folder`, sorted by path: files the config's globs pick,
/// neither hidden nor inside hidden folders, `target`, `node_modules` or the
/// corpus roots.
/// Folders that cannot be read are returned as messages naming them.
pub fn walk_notes(folder: &Path, walk: &NoteWalk) -> (Vec<PathBuf>, Vec<String>) {
    let corpus_roots: Vec<PathBuf> = walk
        .corpus_roots
        .iter()
        .filter_map(|root| root.canonicalize().ok())
        .collect();
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(walk.follow_links)
        .max_depth(DEFAULT_MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') {
                return false;
            }
            !entry.file_type().is_dir()
                || !(SKIPPED_FOLDERS.contains(&name.as_ref())
                    || entry
                        .path()
                        .canonicalize()
                        .is_ok_and(|real| corpus_roots.contains(&real)))
        });
    let (mut notes, mut errors) = (Vec::new(), Vec::new());
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if walk.config.includes_note(entry.path()) {
                    notes.push(entry.into_path());
                    if notes.len() >= walk.limit {
                        break;
                    }
                }
            }
            Ok(_) => {}
            Err(err) => {
                let at = err.path().unwrap_or(folder);
                errors.push(format!("cannot read {}: {err}", at.display()));
            }
        }
    }
    (notes, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Code, Severity};
    use crate::server::settings::Settings;
    use crate::server::workspace;
    use crate::test_support::write;

    /// The corpus roots, severities and notes `refnotes check FOLDER` reads.
    fn as_the_cli_reads(folder: &Path) -> (Vec<PathBuf>, Vec<Option<Severity>>, Vec<PathBuf>) {
        let args = crate::cli::CheckArgs {
            corpus: Vec::new(),
            config: None,
            format: crate::cli::Format::Human,
            min_severity: Severity::Warning,
            follow: false,
            allow_empty_corpus: false,
            allow_external_corpus: false,
            no_cache: true,
            quiet: true,
            shared: None,
            paths: vec![folder.to_path_buf()],
        };
        let project = crate::cli::check::resolve_project(&args).expect("resolves");
        let severities = Code::ALL
            .iter()
            .map(|&code| project.config.severity_for(code))
            .collect();
        let real = |paths: Vec<PathBuf>| -> Vec<PathBuf> {
            paths.iter().map(|p| p.canonicalize().unwrap()).collect()
        };
        (real(project.roots), severities, real(project.notes))
    }

    /// The same as the language server reads it with `folder` as its workspace.
    fn as_the_server_reads(
        folder: &Path,
        settings: &Settings,
    ) -> (Vec<PathBuf>, Vec<Option<Severity>>, Vec<PathBuf>) {
        let config = workspace::resolve(folder, settings, &mut Vec::new());
        let severities = Code::ALL
            .iter()
            .map(|&code| config.severity_of(code))
            .collect();
        let real = |paths: &[PathBuf]| -> Vec<PathBuf> {
            paths.iter().map(|p| p.canonicalize().unwrap()).collect()
        };
        (
            real(&config.corpus_roots),
            severities,
            real(&config.workspace_notes(usize::MAX)),
        )
    }

    #[test]
    fn the_cli_and_the_server_read_a_folder_alike() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // A conventional folder, notes in hidden, build and package folders,
        // and a Markdown source in the corpus.
        write(root, "sources/a.txt", "Acme sold 5 ships.\n");
        write(root, "sources/b.md", "# A source\n");
        write(root, "notes.md", "Acme sold 5 ships.\n");
        write(root, "deep/more.markdown", "More.\n");
        write(root, "deep/readme.txt", "Not a note.\n");
        for hidden in [
            ".git/x.md",
            ".draft.md",
            "target/doc.md",
            "node_modules/pkg/README.md",
        ] {
            write(root, hidden, "Not a note.\n");
        }
        let cli = as_the_cli_reads(root);
        assert_eq!(cli, as_the_server_reads(root, &Settings::default()));
        let real = root.canonicalize().unwrap();
        assert_eq!(cli.0, vec![real.join("sources")]);
        assert_eq!(
            cli.2,
            vec![real.join("deep/more.markdown"), real.join("notes.md")]
        );

        // A config: its corpus wins over the conventional folder (and one
        // outside the folder is refused by both), its globs pick the notes,
        // and `none` turns a code off for both.
        write(root, "refs/c.txt", "Acme sold 6 ships.\n");
        write(
            root,
            "refnotes.toml",
            "corpus = [\"refs\", \"../elsewhere\"]\nexclude = [\"deep/**\"]\n\
             [severity]\nmisquote = \"none\"\n\"unsupported-figure\" = \"error\"\n",
        );
        let cli = as_the_cli_reads(root);
        assert_eq!(cli, as_the_server_reads(root, &Settings::default()));
        assert_eq!(cli.0, vec![real.join("refs")]);
        // `sources` is no corpus now, so its Markdown file is a note.
        assert_eq!(
            cli.2,
            vec![real.join("notes.md"), real.join("sources/b.md")]
        );
        assert_eq!(cli.1[Code::Misquote as usize], None);
        assert_eq!(
            cli.1[Code::UnsupportedFigure as usize],
            Some(Severity::Error)
        );
    }

    #[test]
    fn severity_settings_mean_one_thing() {
        for (name, expected) in [
            ("error", Some(Some(Severity::Error))),
            ("info", Some(Some(Severity::Information))),
            ("Hint", Some(Some(Severity::Hint))),
            ("off", Some(None)),
            ("none", Some(None)),
            ("loud", None),
        ] {
            assert_eq!(parse_severity_setting(name), expected, "{name}");
            // The config file reads it so too.
            let text = format!("[severity]\nmisquote = \"{name}\"\n");
            let config = Config::parse(&text, Path::new("refnotes.toml"));
            match expected {
                Some(level) => assert_eq!(config.unwrap().severity[&Code::Misquote], level),
                None => assert!(config.is_err(), "{name}"),
            }
        }
    }
}
