//! Test data from the shared folder beside the crate (`../shared`), found
//! relative to the crate so the tests read it wherever the checkout is.

use std::path::{Path, PathBuf};

/// The path of `relative` under `../shared`. Under CI (`CI` set) missing data
/// fails the test instead of letting it pass by reading nothing.
pub fn shared(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    assert!(
        std::env::var_os("CI").is_none() || path.exists(),
        "{} is missing: the tests need ../shared beside the crate",
        path.display()
    );
    path
}

/// Writes `text` to `name` under `dir`, making the folders on the way.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A corpus of plain-text documents `d0`, `d1`, … holding `texts`.
pub fn corpus(texts: &[&str]) -> crate::corpus::Corpus {
    use crate::corpus::{Corpus, CorpusOptions, SourceText};
    let sources = texts
        .iter()
        .enumerate()
        .map(|(i, text)| SourceText {
            id: format!("d{i}"),
            text: text.to_string(),
            ..SourceText::default()
        })
        .collect();
    Corpus::from_sources(sources, CorpusOptions::default())
}
