//! Notes against the corpus: every finding the engine reports, as plain data.
//!
//! A [`Finding`] has a byte range in the note, a stable [`Code`], a default
//! [`Severity`], a message and related source locations. Severity and wording
//! for a particular front end are chosen at that edge, from config; the codes
//! never change once released.

pub mod figure_words;
pub mod figures;
pub mod fit;
mod note;
pub mod quotes;
pub mod report;

// Agreement sits below, in `corpus` (a corpus finds its own conflicts when
// built), and context terms in `extract` (both sides' sentences are read by
// them); their old paths stay for the code that still names them so.
pub use crate::corpus::agree;

use serde::Serialize;

use crate::corpus::DocId;
use crate::text::Span;

/// What a finding is about. The string forms are stable public names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The note states a figure the corpus states differently.
    FigureMismatch,
    /// A quotation that no source contains.
    Misquote,
    /// A citation key that names no document, or several.
    UnknownSource,
    /// The cited source does not say it; another one does.
    WrongSource,
    /// A figure about something in the corpus that no source states.
    UnsupportedFigure,
    /// Sources disagree about one fact (reported in source documents).
    SourceConflict,
    /// The corpus could not be loaded or is empty, so nothing was checked.
    NoCorpus,
}

impl Code {
    pub const ALL: [Code; 7] = [
        Code::FigureMismatch,
        Code::Misquote,
        Code::UnknownSource,
        Code::WrongSource,
        Code::UnsupportedFigure,
        Code::SourceConflict,
        Code::NoCorpus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::FigureMismatch => "figure-mismatch",
            Code::Misquote => "misquote",
            Code::UnknownSource => "unknown-source",
            Code::WrongSource => "wrong-source",
            Code::UnsupportedFigure => "unsupported-figure",
            Code::SourceConflict => "source-conflict",
            Code::NoCorpus => "no-corpus",
        }
    }

    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.as_str() == name)
    }

    /// One line on what the code means, for SARIF rules and help text.
    pub fn description(self) -> &'static str {
        match self {
            Code::FigureMismatch => "The note states a figure that the sources state differently.",
            Code::Misquote => "A quotation of four or more words that no source contains.",
            Code::UnknownSource => "A citation key that matches no document, or more than one.",
            Code::WrongSource => {
                "The cited source does not state the figure or quote; another source does."
            }
            Code::UnsupportedFigure => {
                "A figure about something in the corpus that no source states."
            }
            Code::SourceConflict => "Sources disagree about one fact.",
            Code::NoCorpus => "The corpus could not be loaded or holds no documents.",
        }
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnknownSource => Severity::Error,
            Code::FigureMismatch | Code::Misquote | Code::WrongSource => Severity::Warning,
            Code::UnsupportedFigure | Code::SourceConflict | Code::NoCorpus => {
                Severity::Information
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is; ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Accepts the names used in config files and on the command line.
    pub fn parse(name: &str) -> Option<Severity> {
        match name.to_ascii_lowercase().as_str() {
            "hint" => Some(Severity::Hint),
            "information" | "info" | "note" => Some(Severity::Information),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A place in a source document that bears on a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    pub doc: DocId,
    /// The figure or passage in the source.
    pub span: Span,
    /// What the source says there, in its own words.
    pub message: String,
}

/// A text edit in the note: replace `span` with `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A fix the writer may accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The one obvious fix, which editors may apply with a single key.
    pub preferred: bool,
}

/// One thing the checker has to say about a note.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub span: Span,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// Tuning for a check run.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOptions {
    /// Extra relative tolerance when comparing figures, on top of the precision
    /// each figure states (0.01 lets "$303 million" agree with "$300 million").
    pub tolerance: f64,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions { tolerance: 0.0 }
    }
}

/// Whether a source passage agrees with what the note says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Agrees,
    Differs,
}

/// A passage in a source that a claim in a note refers to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    pub doc: DocId,
    /// The figure, quoted words or name in the source.
    pub span: Span,
    /// The source sentence around it.
    pub sentence: Span,
    pub verdict: Verdict,
}

/// What a claim in a note is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum ClaimKind {
    Figure {
        figure: crate::extract::Figure,
        /// How the checker read the figure as a claim ("about Acme; net
        /// revenue; q3; change"), for hover.
        reading: String,
    },
    Quote {
        quote: crate::extract::Quote,
    },
    Entity {
        entity: crate::corpus::EntityId,
    },
    Citation {
        key: String,
        doc: Option<DocId>,
    },
}

/// Something in a note that can be looked up in the corpus: a figure, a quote,
/// a name or a citation key, with the source passages it refers to (best first).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    pub span: Span,
    pub kind: ClaimKind,
    /// Shared, not owned: a name's list (up to twenty passages) is the same
    /// for each of its mentions, and a note's cached claims are copied out
    /// again on every keystroke, so cloning a claim must not copy its list.
    pub sources: std::sync::Arc<[SourceRef]>,
}

/// Everything the engine knows about one note.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NoteAnalysis {
    pub findings: Vec<Finding>,
    /// Claims in note order.
    pub claims: Vec<Claim>,
}

impl NoteAnalysis {
    /// The innermost claim whose span touches `offset`.
    pub fn claim_at(&self, offset: usize) -> Option<&Claim> {
        self.claims
            .iter()
            .filter(|claim| claim.span.touches(offset))
            .min_by_key(|claim| claim.span.len())
    }
}

/// Analyses a note: its claims, what the sources say of each, and the findings.
pub fn analyze_note(
    corpus: &crate::corpus::Corpus,
    note: &str,
    options: &CheckOptions,
) -> NoteAnalysis {
    note::analyze_note(corpus, note, options)
}

pub use note::{analyze_note_cached, analyze_note_cancellable, NoteCache};

/// The findings for a note, in note order.
pub fn check_note(
    corpus: &crate::corpus::Corpus,
    note: &str,
    options: &CheckOptions,
) -> Vec<Finding> {
    analyze_note(corpus, note, options).findings
}

/// Analyses a source document of the corpus as the editor shows it: its
/// figures, quotes and names as claims (pointing at the other sources that state
/// the same fact), and its conflicts with other sources as findings.
pub fn analyze_source(corpus: &crate::corpus::Corpus, doc: DocId) -> NoteAnalysis {
    note::analyze_source(corpus, doc)
}
