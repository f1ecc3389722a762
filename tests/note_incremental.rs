//! Checking a note incrementally (`analyze_note_cached`: blocks read again
//! only when their text changes, sentences checked again only when their key
//! does) gives exactly what a full check of the same text gives: on every
//! eval case, through random edits and their undoing; and a figure edit that
//! makes a finding appear, and the edit that takes it back, each show in the
//! very next result.

use std::path::Path;

use refnotes::check::{analyze_note, analyze_note_cached, CheckOptions, NoteCache};
use refnotes::corpus::load::{load, LoadOptions};
use refnotes::corpus::{Corpus, CorpusOptions};

#[path = "support/eval_cases.rs"]
mod eval_cases;
use eval_cases::{corpus_root, eval_cases};

fn corpus_of(root: &Path, cache: &Path) -> Corpus {
    let options = LoadOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..LoadOptions::default()
    };
    let sources = load(&[root.to_path_buf()], &options)
        .expect("the case's corpus loads")
        .sources;
    Corpus::from_sources(sources, CorpusOptions::default())
}

/// A small xorshift generator: the edits are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Edits a writer makes: a letter, a digit, a space, a deleted character,
/// a line break, a heading or list marker at a line's start, a quote mark,
/// a backtick, a period.
fn random_edit(note: &str, rng: &mut Rng) -> String {
    let mut at = rng.below(note.len() + 1);
    while !note.is_char_boundary(at) {
        at -= 1;
    }
    let mut edited = note.to_string();
    match rng.below(9) {
        0 => edited.insert(at, 'x'),
        1 => edited.insert(at, char::from(b'0' + rng.below(10) as u8)),
        2 => {
            if let Some(c) = note[at..].chars().next() {
                edited.replace_range(at..at + c.len_utf8(), "");
            }
        }
        3 => edited.insert_str(at, "\n\n"),
        4 => {
            let line_start = note[..at].rfind('\n').map_or(0, |i| i + 1);
            let marker = ["# ", "## ", "- ", "  - "][rng.below(4)];
            edited.insert_str(line_start, marker);
        }
        5 => edited.insert(at, '"'),
        6 => edited.insert(at, '`'),
        7 => edited.insert_str(at, ". "),
        _ => edited.insert(at, ' '),
    }
    edited
}

#[test]
fn incremental_results_equal_a_full_check_on_every_eval_case_and_random_edits() {
    let cases = eval_cases();
    assert!(!cases.is_empty());
    let options = CheckOptions::default();
    for (number, case) in cases.iter().enumerate() {
        let temp = tempfile::tempdir().unwrap();
        let corpus = corpus_of(&corpus_root(case), temp.path());
        let original = std::fs::read_to_string(case.join("notes.md")).unwrap();
        let mut cache = NoteCache::default();
        let first = analyze_note_cached(&corpus, &original, &options, &mut cache);
        assert_eq!(
            first,
            analyze_note(&corpus, &original, &options),
            "{case:?}"
        );
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ number as u64);
        let mut note = original.clone();
        let mut history = vec![original.clone()];
        for step in 0..12 {
            // Now and then an undo: back to an earlier text.
            note = if step % 4 == 3 {
                history[rng.below(history.len())].clone()
            } else {
                random_edit(&note, &mut rng)
            };
            history.push(note.clone());
            let incremental = analyze_note_cached(&corpus, &note, &options, &mut cache);
            let full = analyze_note(&corpus, &note, &options);
            assert!(
                incremental == full,
                "{case:?}, step {step}: the incremental check differs from a full one on\n{note}"
            );
        }
    }
}

#[test]
fn a_figure_edit_and_its_undoing_each_show_in_the_next_result() {
    let temp = tempfile::tempdir().unwrap();
    let corpus_dir = temp.path().join("corpus");
    std::fs::create_dir_all(&corpus_dir).unwrap();
    std::fs::write(
        corpus_dir.join("wire.txt"),
        "Norvalen Data Services Inc. said revenue rose 12% to $4.62 billion in 2025, \
         the company reported on Tuesday.\n",
    )
    .unwrap();
    let corpus = corpus_of(&corpus_dir, &temp.path().join("converted"));
    let options = CheckOptions::default();
    let mut cache = NoteCache::default();
    let mut lines = vec!["# Norvalen\n".to_string(), "\n".to_string()];
    for i in 0..40 {
        lines.push(format!("Paragraph {i} says nothing in figures.\n\n"));
    }
    let right = "Norvalen Data Services Inc. said revenue rose 12% to $4.62 billion in 2025.\n";
    let wrong = right.replace("$4.62", "$7.62");
    lines.push(right.to_string());
    let note = lines.concat();
    let wrong_note = note.replace(right, &wrong);
    let mismatches = |note: &str, cache: &mut NoteCache| {
        analyze_note_cached(&corpus, note, &options, cache)
            .findings
            .iter()
            .filter(|f| f.code.as_str() == "figure-mismatch")
            .count()
    };
    assert_eq!(mismatches(&note, &mut cache), 0);
    assert_eq!(
        mismatches(&wrong_note, &mut cache),
        1,
        "the edit makes a finding"
    );
    assert_eq!(
        mismatches(&note, &mut cache),
        0,
        "its undoing takes it away"
    );
    assert_eq!(
        mismatches(&wrong_note, &mut cache),
        1,
        "and again, from the cache"
    );
}
