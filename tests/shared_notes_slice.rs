//! The notes' slice of a shared collection (`slice=notes`, and the default
//! above `NOTES_SLICE_ABOVE` documents), against a real PostgreSQL started
//! by the tests (`pg_server`): on a generated news collection of hundreds of
//! documents, a note checks the same from its candidates alone as from the
//! whole corpus, while the slice holds a fraction of the collection; a warm
//! slice asks nothing it asked before; a new figure asks for its own; and
//! with the database stopped the slice serves what it answered.

#[path = "../benches/common/mod.rs"]
mod common;
mod pg_server;

use std::path::Path;

use pg_server::PgServer;
use refnotes::check::{check_note, CheckOptions};
use refnotes::corpus::{Corpus, CorpusOptions};
use refnotes::shared::{self, SharedUrl, SliceOutcome};

/// The corpus of `url`'s collection for `notes`, through the slice in
/// `index_dir`, and how it was had.
fn open(url: &str, index_dir: &Path, notes: &[String]) -> (Corpus, SliceOutcome, Vec<String>) {
    let url = SharedUrl::parse(url).unwrap();
    let store = shared::open(&url).ok();
    let opened = shared::open_corpus(
        store.as_deref(),
        &url,
        Some(index_dir),
        CorpusOptions::default(),
        notes,
    )
    .unwrap();
    (opened.corpus, opened.outcome, opened.warnings)
}

/// What the note's findings say, source for source ([`findings_json`]), and
/// where they are: their places, codes and severities, and what each says
/// of the note (its message up to the first `;`, before the sources). A
/// notes' slice ranks a finding's sources by its own term weights, so which
/// of several disagreeing sources comes first may differ from the whole
/// corpus's ranking; the findings do not.
fn findings_summary(corpus: &Corpus, note: &str) -> Vec<String> {
    check_note(corpus, note, &CheckOptions::default())
        .iter()
        .map(|finding| {
            format!(
                "{:?} {} {:?} {}",
                finding.span,
                finding.code.as_str(),
                finding.severity,
                finding.message.split(';').next().unwrap_or_default()
            )
        })
        .collect()
}

/// The note's findings as JSON, each source named by its id rather than by
/// its place in the corpus (which differs between corpora).
fn findings_json(corpus: &Corpus, note: &str) -> String {
    fn name_docs(value: &mut serde_json::Value, corpus: &Corpus) {
        match value {
            serde_json::Value::Object(fields) => {
                for (key, field) in fields.iter_mut() {
                    match field.as_u64() {
                        Some(doc) if key == "doc" => {
                            *field = corpus.documents()[doc as usize].id.clone().into()
                        }
                        _ => name_docs(field, corpus),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().for_each(|item| name_docs(item, corpus))
            }
            _ => {}
        }
    }
    let mut findings =
        serde_json::to_value(check_note(corpus, note, &CheckOptions::default())).unwrap();
    name_docs(&mut findings, corpus);
    serde_json::to_string_pretty(&findings).unwrap()
}

#[test]
fn a_notes_slice_checks_a_large_collection_from_the_notes_candidates() {
    let Some(mut server) = PgServer::start() else {
        return;
    };
    let sources = common::generate_corpus(3 * common::MB, common::SEED);
    let note = common::generate_note(&sources, 30, common::SEED);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir(&root).unwrap();
    for source in &sources {
        std::fs::write(root.join(source.path.file_name().unwrap()), &source.text).unwrap();
    }
    let url = server.admin_url("generated");
    pg_server::index_to(&dir.path().join("cache"), &root, &url);
    let whole = Corpus::from_sources(sources.clone(), CorpusOptions::default());
    let expected = findings_summary(&whole, &note);
    assert!(expected.len() >= 3, "the note has findings: {expected:?}");

    let slices = tempfile::tempdir().unwrap();
    let notes_url = format!("{url}&slice=notes");
    let notes = [note.clone()];
    let (sliced, outcome, warnings) = open(&notes_url, slices.path(), &notes);
    assert!(warnings.is_empty(), "{warnings:?}");
    let SliceOutcome::Current { fetched, .. } = outcome else {
        panic!("{outcome:?}")
    };
    let held = sliced.documents().len();
    assert_eq!(fetched, held, "an empty slice fetches what it holds");
    assert!(
        held > 0 && held * 4 < sources.len() * 3,
        "the slice holds {held} of {} documents",
        sources.len()
    );
    assert_eq!(findings_summary(&sliced, &note), expected);
    let exact = findings_json(&sliced, &note);

    // Warm: nothing fetched, the same corpus and findings.
    let (warm, outcome, _) = open(&notes_url, slices.path(), &notes);
    assert!(
        matches!(outcome, SliceOutcome::Current { fetched: 0, .. }),
        "{outcome:?}"
    );
    assert_eq!(warm.documents().len(), held);
    assert_eq!(findings_json(&warm, &note), exact);

    // A note about another company's figure brings in that figure's sources.
    let other = sources
        .iter()
        .find(|source| !sliced.documents().iter().any(|doc| doc.id == source.id))
        .expect("a document the slice lacks");
    let sentence = other
        .text
        .split(". ")
        .find(|s| s.contains('$') && s.len() < 300)
        .expect("a sentence with money in it");
    let second = format!("{}.\n", sentence.trim());
    let both = [note.clone(), second.clone()];
    let (grown, outcome, _) = open(&notes_url, slices.path(), &both);
    let SliceOutcome::Current { fetched, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(fetched > 0, "the new figure's candidates are fetched");
    assert!(
        grown.documents().iter().any(|doc| doc.id == other.id),
        "the sentence's own document is among its candidates"
    );
    // The first note alone is checked against its own candidates only, as
    // before: what a note is checked against does not depend on other notes.
    let (again, _, _) = open(&notes_url, slices.path(), &notes);
    assert_eq!(again.documents().len(), held);

    // The database stopped: the slice serves what it answered, and says how
    // many lookups it never made.
    server.stop();
    let (offline, outcome, warnings) = open(&notes_url, slices.path(), &notes);
    assert!(
        matches!(outcome, SliceOutcome::Offline { .. }),
        "{outcome:?}"
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(findings_json(&offline, &note), exact);
    let (_, _, warnings) = open(
        &notes_url,
        slices.path(),
        &[note, "Nobody sold 123,456 widgets.\n".to_string()],
    );
    assert!(
        warnings.iter().any(|w| w.contains("1 of the notes'")),
        "{warnings:?}"
    );
}
