//! The command-line front end: `refnotes check`, `refnotes index`,
//! `refnotes extract` and `refnotes serve`.
//!
//! Arguments are parsed here, logging goes to stderr (filtered by the
//! `REFNOTES_LOG` environment variable, `RUST_LOG` syntax), and each command
//! writes its report to stdout. Exit status, as with ripgrep: 0 when nothing
//! at or above `--min-severity` was found, 1 when something was, 2 on a usage
//! or I/O error.

pub(crate) mod check;
mod extract;
mod human;
mod report;
mod shared;
mod snippet;

use std::ffi::OsString;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::Severity;

pub use check::{exit_status, note_enabled};
pub use extract::{listing, FileListing};
pub use human::{write_human, Summary};
pub use report::{
    diagnostics, path_to_uri, write_json, write_sarif, Diagnostic, NoteFindings, Range,
    RelatedLocation,
};
pub use snippet::Snippet;

/// Nothing at or above `--min-severity` was found.
pub const EXIT_OK: i32 = 0;
/// Something at or above `--min-severity` was found.
pub const EXIT_FINDINGS: i32 = 1;
/// A usage or I/O error.
pub const EXIT_ERROR: i32 = 2;

const CHECK_AFTER_HELP: &str = "\
Corpus: --corpus flags, else `corpus` in refnotes.toml (found by walking up from the first \
path, or given by --config), else a folder named `corpus` or `sources` beside the notes. \
A corpus that holds no documents is an error (exit 2) unless --allow-empty-corpus is given.

Safety: symbolic links inside the corpus are not followed unless `follow_symlinks = true` \
(to places inside the corpus only) or --follow (anywhere); refnotes.toml may only name \
corpus folders inside its own folder tree unless --allow-external-corpus is given; the \
notes being checked are never read as sources.

Output: the human format prints findings at or above `information` (and hints when \
--min-severity is hint); json and sarif include every finding. --min-severity decides \
only the exit status.

Exit status: 0 when nothing at or above --min-severity was found, 1 when something was, \
2 on a usage or I/O error or an empty corpus (other notes are still checked first).";

/// Checks research notes against the sources they were written from.
#[derive(Debug, Parser)]
#[command(name = "refnotes", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour the human report.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check notes against a corpus of sources.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Build or refresh the persisted corpus index that check and serve reuse.
    Index(IndexArgs),
    /// Show what the engine sees in documents: figures, quotations and names.
    Extract(ExtractArgs),
    /// Run the language server.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A folder (or file) of source documents; repeat for more.
    #[arg(long = "corpus", value_name = "DIR")]
    pub corpus: Vec<PathBuf>,
    /// The config file to use instead of the nearest refnotes.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The least severe finding that makes the exit status 1:
    /// hint, information (info), warning or error.
    #[arg(long, value_name = "LEVEL", default_value = "warning", value_parser = parse_severity)]
    pub min_severity: Severity,
    /// Follow symbolic links in the corpus folders, wherever they lead.
    #[arg(long)]
    pub follow: bool,
    /// Exit 0 or 1 as usual when the corpus holds no documents, instead of 2.
    #[arg(long)]
    pub allow_empty_corpus: bool,
    /// Let refnotes.toml name corpus folders outside its own folder tree.
    #[arg(long)]
    pub allow_external_corpus: bool,
    /// Analyse every source now: neither read nor write the corpus index.
    #[arg(long)]
    pub no_cache: bool,
    /// No progress bar while indexing.
    #[arg(long, short)]
    pub quiet: bool,
    /// Check against a team's shared index instead of a corpus folder:
    /// `postgres://host/db?collection=NAME` (else `shared` in refnotes.toml).
    #[arg(long, value_name = "URL")]
    pub shared: Option<String>,
    /// Notes to check; folders are walked for Markdown files.
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// A folder (or file) of source documents; repeat for more.
    #[arg(long = "corpus", value_name = "DIR")]
    pub corpus: Vec<PathBuf>,
    /// The config file to use instead of the nearest refnotes.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Follow symbolic links in the corpus folders, wherever they lead.
    #[arg(long)]
    pub follow: bool,
    /// Let refnotes.toml name corpus folders outside its own folder tree.
    #[arg(long)]
    pub allow_external_corpus: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Load the corpus into a team's shared index instead of the local one:
    /// `postgres://host/db?collection=NAME[&role=ROLE]`.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// Where the config and the default corpus folders are looked for, as
    /// `check` does from its first path (default: the current folder).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
}

impl IndexArgs {
    /// The `check` arguments that find the same config and corpus.
    fn as_check(&self) -> CheckArgs {
        CheckArgs {
            corpus: self.corpus.clone(),
            config: self.config.clone(),
            format: Format::Human,
            min_severity: Severity::Warning,
            follow: self.follow,
            allow_empty_corpus: true,
            allow_external_corpus: self.allow_external_corpus,
            no_cache: false,
            quiet: self.quiet,
            shared: None,
            paths: vec![self.path.clone()],
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    #[arg(long, value_enum, default_value_t = ExtractFormat::Human)]
    pub format: ExtractFormat,
    /// Documents to read (.md and .markdown as Markdown, anything else as text).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Talk over stdin and stdout (the only transport).
    #[arg(long)]
    pub stdio: bool,
}

/// How `check` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style, with the note's line and the sources' words.
    Human,
    /// `{"version": 1, "diagnostics": [...]}`.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// How `extract` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

fn parse_severity(name: &str) -> Result<Severity, String> {
    Severity::parse(name)
        .ok_or_else(|| format!("unknown level {name:?}: use hint, information, warning or error"))
}

/// Runs the binary with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    run(std::env::args_os())
}

/// Runs the binary with these arguments (the first is the program name).
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0; usage errors to
            // stderr with status 2.
            let _ = err.print();
            return err.exit_code();
        }
    };
    // The server logs what it does (its stderr is the editor's log view); the
    // checker speaks only of trouble.
    let serving = matches!(cli.command, Command::Serve(_));
    init_logging(
        stderr_color_allowed(cli.color) && !serving,
        if serving {
            "warn,refnotes=info"
        } else {
            "warn"
        },
    );
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let stderr_color = stderr_color_allowed(cli.color);
    let mut output = Output {
        color,
        stderr_color,
    };
    match &cli.command {
        Command::Check(args) => check::run(args, &mut output),
        Command::Index(args) => match &args.to {
            Some(url) => check::index_to_shared(&args.as_check(), url, &mut output),
            None => check::index(&args.as_check(), &mut output),
        },
        Command::Extract(args) => extract::run(args, &mut output),
        Command::Serve(_) => match crate::server::run_stdio() {
            Ok(()) => EXIT_OK,
            // The protocol asks for status 1 when the client exits without
            // a shutdown request.
            Err(error) => {
                output.error(&format!("refnotes serve: {error:#}"));
                1
            }
        },
    }
}

fn stderr_color_allowed(choice: ColorChoice) -> bool {
    choice != ColorChoice::Never
        && io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Logs to stderr only: stdout carries reports and the language server's protocol.
fn init_logging(color: bool, default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REFNOTES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(color)
        .with_target(false)
        .try_init();
}

/// Where a command's report and complaints go.
pub struct Output {
    /// Colour the report on stdout.
    pub color: bool,
    stderr_color: bool,
}

impl Output {
    fn say(&self, label: &str, ansi: &str, message: &str) {
        let label = if self.stderr_color {
            format!("\x1b[{ansi}m{label}\x1b[0m")
        } else {
            label.to_string()
        };
        // Nothing useful can be done when stderr itself is gone.
        let _ = writeln!(io::stderr().lock(), "{label}: {message}");
    }

    /// `warning: message` on stderr.
    pub fn warn(&mut self, message: &str) {
        self.say("warning", "1;33", message);
    }

    /// `error: message` on stderr.
    pub fn error(&mut self, message: &str) {
        self.say("error", "1;31", message);
    }

    /// Reports an error that ends the command; returns the exit status for it.
    pub fn fail(&mut self, message: &str) -> i32 {
        self.error(message);
        EXIT_ERROR
    }

    /// Writes to stdout through a buffer; a closed pipe (`| head`) is not an error.
    pub fn write_stdout(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut out = BufWriter::new(io::stdout().lock());
        let result = write(&mut out).and_then(|()| out.flush());
        match result {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_2_and_help_exits_0() {
        assert_eq!(run(["refnotes", "check"]), EXIT_ERROR);
        assert_eq!(
            run(["refnotes", "check", "--min-severity", "loud", "x.md"]),
            EXIT_ERROR
        );
        assert_eq!(run(["refnotes", "frobnicate"]), EXIT_ERROR);
        assert_eq!(run(["refnotes", "serve", "--tcp"]), EXIT_ERROR);
    }

    #[test]
    fn arguments_parse_into_options() {
        let cli = Cli::try_parse_from([
            "refnotes",
            "check",
            "--corpus",
            "a",
            "--corpus",
            "b",
            "--format",
            "sarif",
            "--min-severity",
            "info",
            "n.md",
            "dir",
        ])
        .unwrap();
        let Command::Check(args) = cli.command else {
            panic!("not check");
        };
        assert_eq!(args.corpus, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.format, Format::Sarif);
        assert_eq!(args.min_severity, Severity::Information);
        assert_eq!(args.paths, [PathBuf::from("n.md"), PathBuf::from("dir")]);
    }
}
