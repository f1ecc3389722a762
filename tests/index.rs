//! The persisted corpus index (`corpus::store`): findings are the same with
//! and without it on every eval case (through the analyses file and through
//! the corpus-wide tables file), and a damaged, outdated or stale index or
//! tables file is rebuilt, never trusted; concurrent writers and a writer
//! that died mid-write leave a good index behind.

use std::path::{Path, PathBuf};

use refnotes::check::{check_note, CheckOptions, Finding};
use refnotes::corpus::load::{load, LoadOptions};
use refnotes::corpus::store::{self, IndexReport};
use refnotes::corpus::{Corpus, CorpusOptions, SourceText};

#[path = "support/eval_cases.rs"]
mod eval_cases;
use eval_cases::{corpus_root, eval_cases};

fn load_sources(root: &Path, cache: &Path) -> Vec<SourceText> {
    let options = LoadOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..LoadOptions::default()
    };
    load(&[root.to_path_buf()], &options)
        .expect("the case's corpus loads")
        .sources
}

fn through_index(dir: &Path, root: &Path, sources: Vec<SourceText>) -> (Corpus, IndexReport) {
    store::load_corpus(
        Some(dir),
        &[root.to_path_buf()],
        sources,
        CorpusOptions::default(),
        &|_, _| {},
    )
}

fn findings(corpus: &Corpus, note: &str) -> Vec<Finding> {
    check_note(corpus, note, &CheckOptions::default())
}

#[test]
fn findings_are_identical_with_and_without_the_index_on_every_eval_case() {
    let cases = eval_cases();
    assert!(cases.len() >= 10, "found only {cases:?}");
    for case in cases {
        let temp = tempfile::tempdir().unwrap();
        let root = corpus_root(&case);
        let sources = load_sources(&root, &temp.path().join("converted"));
        let count = sources.len();
        assert!(count > 0, "{}: no sources", case.display());
        let note = std::fs::read_to_string(case.join("notes.md")).unwrap();
        let fresh = Corpus::from_sources(sources.clone(), CorpusOptions::default());
        let expected = findings(&fresh, &note);
        assert!(
            !expected.is_empty(),
            "{}: a case with no findings",
            case.display()
        );

        let (cold, report) = through_index(temp.path(), &root, sources.clone());
        assert_eq!((report.analysed, report.reused), (count, 0), "{report:?}");
        assert!(report.written && report.tables_written, "{report:?}");
        // Warm: the tables are decoded, nothing is built.
        let (warm, report) = through_index(temp.path(), &root, sources.clone());
        assert_eq!((report.analysed, report.reused), (0, count), "{report:?}");
        assert!(report.tables_reused, "{report:?}");
        assert!(
            !report.written && !report.tables_written,
            "an index up to date is not written again"
        );
        // Without the tables file: the tables built from the stored analyses.
        let tables = report.file.unwrap().with_extension("rnt");
        std::fs::remove_file(&tables).unwrap();
        let (rebuilt, report) = through_index(temp.path(), &root, sources);
        assert_eq!((report.analysed, report.reused), (0, count), "{report:?}");
        assert!(!report.tables_reused && report.tables_written, "{report:?}");
        for (corpus, how) in [(&cold, "cold"), (&warm, "warm"), (&rebuilt, "rebuilt")] {
            assert_eq!(
                findings(corpus, &note),
                expected,
                "{}: {how} index",
                case.display()
            );
            assert_eq!(corpus.stats(), fresh.stats(), "{}", case.display());
            assert_eq!(corpus.entities(), fresh.entities(), "{}", case.display());
            assert_eq!(corpus.conflicts(), fresh.conflicts(), "{}", case.display());
            assert_eq!(
                corpus.terms().len(),
                fresh.terms().len(),
                "{}",
                case.display()
            );
            assert_eq!(
                corpus.rates().all(),
                fresh.rates().all(),
                "{}",
                case.display()
            );
            for doc in fresh.ids() {
                assert_eq!(
                    corpus.facts(doc).claims,
                    fresh.facts(doc).claims,
                    "{}: {how}",
                    case.display()
                );
            }
        }
    }
}

/// A corpus of three small documents in a temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
}

const NOTE: &str = "Norvalen's revenue was $4.7 billion in 2023. \
                    Castell Maritime employs 12,000 people.\n";

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Fixture { dir };
        fixture.write(
            "a.txt",
            "Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
        );
        fixture.write(
            "b.md",
            "# Castell\n\nCastell Maritime employs 11,500 people.\n",
        );
        fixture.write("c.txt", "Castell Maritime said its fleet has 40 ships.\n");
        fixture
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::create_dir_all(self.root()).unwrap();
        std::fs::write(self.root().join(name), text).unwrap();
    }

    fn sources(&self) -> Vec<SourceText> {
        load_sources(&self.root(), &self.dir.path().join("converted"))
    }

    fn load(&self) -> (Corpus, IndexReport) {
        through_index(&self.index_dir(), &self.root(), self.sources())
    }

    fn index_file(&self) -> PathBuf {
        let (_, report) = self.load();
        report.file.expect("an index file")
    }

    /// Findings through the index equal a fresh analysis of the same files.
    fn assert_same_as_fresh(&self, corpus: &Corpus) {
        let fresh = Corpus::from_sources(self.sources(), CorpusOptions::default());
        assert_eq!(findings(corpus, NOTE), findings(&fresh, NOTE));
        assert_eq!(corpus.stats(), fresh.stats());
    }
}

#[test]
fn changed_added_and_deleted_files_are_analysed_again_alone() {
    let fixture = Fixture::new();
    let (corpus, report) = fixture.load();
    assert_eq!((report.analysed, report.reused), (3, 0));
    let mismatches = |corpus: &Corpus| {
        findings(corpus, NOTE)
            .iter()
            .filter(|f| f.code == refnotes::check::Code::FigureMismatch)
            .count()
    };
    assert_eq!(mismatches(&corpus), 1, "{:?}", findings(&corpus, NOTE));

    fixture.write(
        "a.txt",
        "Norvalen Data Services said revenue was $4.7 billion in 2023.\n",
    );
    std::fs::remove_file(fixture.root().join("c.txt")).unwrap();
    fixture.write(
        "d.txt",
        "Castell Maritime employs 12,000 people, it said.\n",
    );
    let (corpus, report) = fixture.load();
    assert_eq!((report.analysed, report.reused), (2, 1), "{report:?}");
    assert!(report.written);
    fixture.assert_same_as_fresh(&corpus);
    assert_eq!(mismatches(&corpus), 0, "{:?}", findings(&corpus, NOTE));

    // A file whose content is back to what it was is no change at all.
    let (_, report) = fixture.load();
    assert_eq!((report.analysed, report.reused), (0, 3), "{report:?}");
}

#[test]
fn server_updates_go_through_the_index() {
    let fixture = Fixture::new();
    let (corpus, _) = fixture.load();
    let changed = SourceText {
        text: "Castell Maritime employs 12,000 people.\n".to_string(),
        ..corpus
            .document(corpus.document_by_id("c").unwrap())
            .to_source()
    };
    let (updated, report) = store::with_changes(
        Some(&fixture.index_dir()),
        &[fixture.root()],
        &corpus,
        vec![changed.clone()],
        &["a".to_string()],
    );
    assert_eq!((report.analysed, report.reused), (1, 1), "{report:?}");
    let mut sources = fixture.sources();
    sources.retain(|s| s.id == "b");
    sources.push(changed);
    let fresh = Corpus::from_sources(sources, CorpusOptions::default());
    assert_eq!(findings(&updated, NOTE), findings(&fresh, NOTE));
}

/// Damages the index file with `damage`, then expects the next load to say
/// why (naming the file), rebuild it, and the load after to reuse it whole.
fn assert_rebuilt_after(damage: impl Fn(&mut Vec<u8>), reason: &str) {
    let fixture = Fixture::new();
    let file = fixture.index_file();
    let mut bytes = std::fs::read(&file).unwrap();
    damage(&mut bytes);
    std::fs::write(&file, &bytes).unwrap();

    let (corpus, report) = fixture.load();
    let rejected = report.rejected.clone().unwrap_or_default();
    assert!(
        rejected.contains(reason) && rejected.contains(&file.display().to_string()),
        "{report:?}"
    );
    assert_eq!((report.analysed, report.reused), (3, 0), "{report:?}");
    assert!(report.written, "{report:?}");
    fixture.assert_same_as_fresh(&corpus);
    let (_, report) = fixture.load();
    assert_eq!(
        (report.analysed, report.reused, report.rejected),
        (0, 3, None)
    );
}

#[test]
fn a_flipped_byte_is_caught_by_the_checksum() {
    assert_rebuilt_after(
        |bytes| {
            let last = bytes.len() - 10;
            bytes[last] ^= 0x40;
        },
        "checksum mismatch",
    );
}

#[test]
fn a_truncated_index_is_rebuilt() {
    assert_rebuilt_after(|bytes| bytes.truncate(bytes.len() / 2), "truncated");
    assert_rebuilt_after(|bytes| bytes.truncate(5), "not a refnotes index");
}

#[test]
fn an_index_from_another_version_is_rebuilt_not_read() {
    // The schema key follows the 8 magic bytes.
    assert_rebuilt_after(|bytes| bytes[8] ^= 1, "another version of refnotes");
}

#[test]
fn a_payload_that_decodes_to_nonsense_is_rejected() {
    // A consistent header (valid checksum) over a payload that is no index.
    let fixture = Fixture::new();
    let file = fixture.index_file();
    let bytes = std::fs::read(&file).unwrap();
    let payload = b"\x05garbage that is no snapshot";
    let mut forged = bytes[..16].to_vec();
    forged.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes());
    forged.extend_from_slice(payload);
    std::fs::write(&file, forged).unwrap();
    let (corpus, report) = fixture.load();
    assert!(
        report
            .rejected
            .as_deref()
            .is_some_and(|r| r.contains("cannot be decoded")),
        "{report:?}"
    );
    assert_eq!(report.analysed, 3);
    fixture.assert_same_as_fresh(&corpus);
}

#[test]
fn a_writer_that_died_mid_write_leaves_the_last_good_index() {
    let fixture = Fixture::new();
    let file = fixture.index_file();
    let good = std::fs::read(&file).unwrap();
    // What a writer killed before its rename leaves: half a temporary file.
    let leftover = file.with_extension("rnx.tmp999999");
    std::fs::write(&leftover, &good[..good.len() / 2]).unwrap();
    let (_, report) = fixture.load();
    assert_eq!((report.analysed, report.reused), (0, 3), "{report:?}");
    assert_eq!(std::fs::read(&file).unwrap(), good);

    // The next writer clears the leftover.
    fixture.write("e.txt", "Another 7 ships were ordered.\n");
    let (_, report) = fixture.load();
    assert!(report.written);
    assert!(!leftover.exists());
}

#[test]
fn concurrent_writers_leave_one_good_index() {
    let fixture = Fixture::new();
    let all = fixture.sources();
    std::thread::scope(|scope| {
        for writer in 0..6 {
            let mut sources = all.clone();
            // Each writer has its own view of the corpus, so each writes.
            sources.truncate(1 + writer % 3);
            let (dir, root) = (fixture.index_dir(), fixture.root());
            scope.spawn(move || {
                for _ in 0..5 {
                    let (_, report) = through_index(&dir, &root, sources.clone());
                    assert_eq!(report.rejected, None, "a reader saw a half-written index");
                    assert_eq!(report.write_error, None);
                }
            });
        }
    });
    let (corpus, report) = fixture.load();
    assert_eq!(report.rejected, None);
    assert_eq!(report.analysed + report.reused, 3);
    fixture.assert_same_as_fresh(&corpus);
    let leftovers: Vec<_> = std::fs::read_dir(fixture.index_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_index_folder_inside_the_corpus_is_refused() {
    let fixture = Fixture::new();
    let inside = fixture.root().join(".index");
    let (corpus, report) = through_index(&inside, &fixture.root(), fixture.sources());
    assert!(
        report
            .rejected
            .as_deref()
            .is_some_and(|r| r.contains("never writes into the corpus")),
        "{report:?}"
    );
    assert!(!inside.exists());
    assert_eq!(corpus.documents().len(), 3);
}

#[test]
fn no_cache_touches_no_file() {
    let fixture = Fixture::new();
    let (corpus, report) = store::load_corpus(
        None,
        &[fixture.root()],
        fixture.sources(),
        CorpusOptions::default(),
        &|_, _| {},
    );
    assert_eq!((report.analysed, report.file), (3, None));
    assert!(!fixture.index_dir().exists());
    fixture.assert_same_as_fresh(&corpus);
}

#[test]
fn progress_is_reported_per_batch() {
    let fixture = Fixture::new();
    // More documents than one batch holds on any machine.
    let extra = 10 * rayon::current_num_threads();
    for i in 0..extra {
        fixture.write(
            &format!("more-{i:03}.txt"),
            &format!("Item {i} cost ${i}.5 million.\n"),
        );
    }
    let calls = std::sync::Mutex::new(Vec::new());
    store::load_corpus(
        Some(&fixture.index_dir()),
        &[fixture.root()],
        fixture.sources(),
        CorpusOptions::default(),
        &|done, total| calls.lock().unwrap().push((done, total)),
    );
    let calls = calls.into_inner().unwrap();
    let total = extra + 3;
    assert_eq!(calls.first(), Some(&(0, total)));
    assert_eq!(calls.last(), Some(&(total, total)));
    assert!(calls.len() > 2, "only {calls:?}");
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "{calls:?}");
}

/// Damages the tables file with `damage`, then expects the next load to say
/// why (naming the file), build the tables again from the stored analyses
/// (analysing nothing) and rewrite them, and the load after to use them.
fn assert_tables_rebuilt_after(damage: impl Fn(&mut Vec<u8>), reason: &str) {
    let fixture = Fixture::new();
    let tables = fixture.index_file().with_extension("rnt");
    let mut bytes = std::fs::read(&tables).unwrap();
    damage(&mut bytes);
    std::fs::write(&tables, &bytes).unwrap();

    let (corpus, report) = fixture.load();
    let rejected = report.tables_rejected.clone().unwrap_or_default();
    assert!(
        rejected.contains(reason) && rejected.contains(&tables.display().to_string()),
        "{report:?}"
    );
    assert!(report.warnings().contains(&rejected), "{report:?}");
    assert_eq!((report.analysed, report.reused), (0, 3), "{report:?}");
    assert!(!report.tables_reused && report.tables_written, "{report:?}");
    fixture.assert_same_as_fresh(&corpus);
    let (corpus, report) = fixture.load();
    assert!(report.tables_reused, "{report:?}");
    assert_eq!(report.warnings(), Vec::<String>::new());
    fixture.assert_same_as_fresh(&corpus);
}

#[test]
fn a_damaged_tables_file_is_caught_by_its_checksum_and_rebuilt() {
    assert_tables_rebuilt_after(
        |bytes| {
            let last = bytes.len() - 10;
            bytes[last] ^= 0x40;
        },
        "checksum mismatch",
    );
    assert_tables_rebuilt_after(|bytes| bytes.truncate(bytes.len() / 2), "truncated");
    assert_tables_rebuilt_after(|bytes| bytes.truncate(5), "not a refnotes index");
    assert_tables_rebuilt_after(|bytes| bytes[8] ^= 1, "another version of refnotes");
}

#[test]
fn a_tables_file_whose_payload_is_nonsense_is_rejected() {
    let fixture = Fixture::new();
    let tables = fixture.index_file().with_extension("rnt");
    let bytes = std::fs::read(&tables).unwrap();
    let payload = b"\x05garbage that is no table";
    let mut forged = bytes[..16].to_vec();
    forged.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes());
    forged.extend_from_slice(payload);
    std::fs::write(&tables, forged).unwrap();
    let (corpus, report) = fixture.load();
    assert!(
        report
            .tables_rejected
            .as_deref()
            .is_some_and(|r| r.contains("cannot be decoded")),
        "{report:?}"
    );
    assert!(report.tables_written, "{report:?}");
    fixture.assert_same_as_fresh(&corpus);
}

#[test]
fn the_tables_file_is_not_used_for_another_corpus_config_or_analyses_file() {
    let fixture = Fixture::new();
    fixture.load();
    let (_, report) = fixture.load();
    assert!(report.tables_reused, "{report:?}");

    // One file changed: the tables are built again, quietly.
    fixture.write("c.txt", "Castell Maritime said its fleet has 41 ships.\n");
    let (corpus, report) = fixture.load();
    assert_eq!((report.analysed, report.reused), (1, 2), "{report:?}");
    assert!(!report.tables_reused && report.tables_written, "{report:?}");
    assert_eq!(report.warnings(), Vec::<String>::new());
    fixture.assert_same_as_fresh(&corpus);

    // Other alias groups in the config group entities otherwise.
    let aliases = CorpusOptions {
        aliases: vec![vec!["Castell Maritime".to_string(), "Norvalen".to_string()]],
    };
    let load_with = |options: CorpusOptions| {
        store::load_corpus(
            Some(&fixture.index_dir()),
            &[fixture.root()],
            fixture.sources(),
            options,
            &|_, _| {},
        )
    };
    let (corpus, report) = load_with(aliases.clone());
    assert!(!report.tables_reused && report.tables_written, "{report:?}");
    let fresh = Corpus::from_sources(fixture.sources(), aliases.clone());
    assert_eq!(corpus.entities(), fresh.entities());
    let (_, report) = load_with(aliases);
    assert!(report.tables_reused, "{report:?}");

    // Tables beside an analyses file other than the one they were built
    // with (another writer's) are not used.
    let (_, report) = fixture.load();
    assert!(!report.tables_reused, "{report:?}");
    let analyses = report.file.unwrap();
    let tables = std::fs::read(analyses.with_extension("rnt")).unwrap();
    fixture.write("c.txt", "Castell Maritime said its fleet has 42 ships.\n");
    fixture.load();
    fixture.write("c.txt", "Castell Maritime said its fleet has 41 ships.\n");
    std::fs::write(analyses.with_extension("rnt"), tables).unwrap();
    let (corpus, report) = fixture.load();
    assert!(!report.tables_reused, "{report:?}");
    fixture.assert_same_as_fresh(&corpus);
}
