//! Pandoc-style citations in notes, and resolving their keys to documents.
// PLACEHOLDER: replaced by the citation extractor.

use super::Citation;

/// Every bracketed citation in `text`, spans relative to `text`.
pub fn find(text: &str) -> Vec<Citation> {
    let _ = text;
    Vec::new()
}

/// What a citation key names among the corpus's document ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one document: its index in `ids`.
    Unique(usize),
    /// Several documents share the key as a prefix: their indexes.
    Ambiguous(Vec<usize>),
    Unknown,
}

/// Resolves `key` against document ids: an exact id wins, else a unique prefix.
pub fn resolve(key: &str, ids: &[&str]) -> Resolution {
    match ids.iter().position(|id| *id == key) {
        Some(i) => Resolution::Unique(i),
        None => Resolution::Unknown,
    }
}
