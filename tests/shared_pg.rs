//! The team's shared index in a real PostgreSQL started by the tests
//! (`pg_server`): every eval case checks the same through it as from its
//! folder; loads are incremental, resumable and never half visible; roles
//! see only their collections; a stopped database leaves the editor's slice
//! serving; passwords never show; the candidate query ranks by a note's
//! rare words (by word counts kept with each version, and added to a
//! database made before them), keeps a crowded range's claims nearest its
//! middle, and gives up when the database is slow.

mod pg_server;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pg_server::{index_to, PgServer};
use refnotes::corpus::CorpusOptions;
use refnotes::shared::{self, CandidateQuery, SharedUrl, SliceOutcome};

#[path = "support/eval_cases.rs"]
mod eval_cases;
use eval_cases::{corpus_root, eval_cases};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `refnotes ARGS` with its caches in `cache` and no PG* settings from the
/// machine.
fn refnotes(cache: &Path, args: &[&str]) -> Output {
    command(cache, args).output().expect("refnotes runs")
}

fn command(cache: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_refnotes"));
    command
        .args(args)
        .env("REFNOTES_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .current_dir(crate_dir());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PG") {
            command.env_remove(name);
        }
    }
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_eval_case_checks_the_same_through_the_shared_index() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let cases = eval_cases();
    assert!(cases.len() >= 10, "found only {cases:?}");
    for (i, case) in cases.iter().enumerate() {
        let root = corpus_root(case);
        let note = case.join("notes.md");
        let url = server.admin_url(&format!("case{i}"));
        let loaded = index_to(cache.path(), &root, &url);
        assert!(loaded.contains("version 1"), "{loaded}");
        let args = |source: &[&str]| -> Output {
            let mut all = vec!["check", "--format", "json"];
            all.extend_from_slice(source);
            all.push(note.to_str().unwrap());
            refnotes(cache.path(), &all)
        };
        let local = args(&["--corpus", root.to_str().unwrap()]);
        let shared = args(&["--shared", &url]);
        assert!(
            local.status.code() != Some(2),
            "{}: {}",
            case.display(),
            stderr(&local)
        );
        assert!(
            stdout(&local).contains("\"code\""),
            "{}: a case with no findings",
            case.display()
        );
        assert_eq!(
            stdout(&shared),
            stdout(&local),
            "{}: findings differ\n{}",
            case.display(),
            stderr(&shared)
        );
        assert_eq!(
            shared.status.code(),
            local.status.code(),
            "{}",
            case.display()
        );
        // A warm slice, too: the second run fetches nothing and says the same.
        let again = args(&["--shared", &url]);
        assert_eq!(stdout(&again), stdout(&local), "{}", case.display());
        // And from the notes' slice: only the note's candidates, empty and warm.
        let notes_url = format!("{url}&slice=notes");
        for run in ["empty", "warm"] {
            let sliced = args(&["--shared", &notes_url]);
            assert_eq!(
                stdout(&sliced),
                stdout(&local),
                "{}: findings differ from the notes' slice, {run}\n{}",
                case.display(),
                stderr(&sliced)
            );
        }
    }
}

/// A small corpus in a temporary folder.
/// A running database with [`Fixture`] loaded into collection `name`, and
/// what the load printed; `None` where PostgreSQL is missing (outside CI).
struct Loaded {
    server: PgServer,
    cache: tempfile::TempDir,
    fixture: Fixture,
    url: String,
    printed: String,
}

fn loaded(name: &str) -> Option<Loaded> {
    let server = PgServer::start()?;
    let cache = tempfile::tempdir().unwrap();
    let fixture = Fixture::new();
    let url = server.admin_url(name);
    let printed = index_to(cache.path(), &fixture.root(), &url);
    Some(Loaded {
        server,
        cache,
        fixture,
        url,
        printed,
    })
}

struct Fixture {
    dir: tempfile::TempDir,
}

const NOTE: &str = "Norvalen's revenue was $4.7 billion in 2023. \
                    Castell Maritime employs 12,000 people.\n";

impl Fixture {
    fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(fixture.root()).unwrap();
        fixture.write(
            "a.txt",
            "Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
        );
        fixture.write(
            "b.md",
            "# Castell\n\nCastell Maritime employs 11,500 people.\n",
        );
        fixture.write("c.txt", "Castell Maritime said its fleet has 40 ships.\n");
        std::fs::write(fixture.note(), NOTE).unwrap();
        fixture
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn note(&self) -> PathBuf {
        self.dir.path().join("note.md")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.root().join(name), text).unwrap();
    }

    fn check(&self, cache: &Path, url: &str) -> Output {
        refnotes(
            cache,
            &[
                "check",
                "--format",
                "json",
                "--shared",
                url,
                self.note().to_str().unwrap(),
            ],
        )
    }

    fn check_local(&self, cache: &Path) -> Output {
        refnotes(
            cache,
            &[
                "check",
                "--format",
                "json",
                "--corpus",
                self.root().to_str().unwrap(),
                self.note().to_str().unwrap(),
            ],
        )
    }
}

/// The corpus of `url`'s collection through the slice in `index_dir`, as
/// `check --shared` reads it.
fn open(url: &str, index_dir: &Path) -> (refnotes::corpus::Corpus, SliceOutcome) {
    let url = SharedUrl::parse(url).unwrap();
    let store = shared::open(&url).unwrap();
    let shared::SharedCorpus {
        corpus,
        outcome,
        warnings,
        ..
    } = shared::open_corpus(
        Some(store.as_ref()),
        &url,
        Some(index_dir),
        CorpusOptions::default(),
        &[],
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    (corpus, outcome)
}

#[test]
fn a_changed_and_a_deleted_file_refresh_the_collection_and_the_slice() {
    let Some(Loaded {
        server,
        cache,
        fixture,
        url,
        printed: first,
    }) = loaded("desk")
    else {
        return;
    };
    let slices = tempfile::tempdir().unwrap();
    assert!(
        first.contains("3 documents, version 1: 3 written now"),
        "{first}"
    );
    let again = index_to(cache.path(), &fixture.root(), &url);
    assert!(again.contains("version 1: 0 written now"), "{again}");
    let (corpus, outcome) = open(&url, slices.path());
    assert_eq!(corpus.documents().len(), 3);
    assert_eq!(
        outcome,
        SliceOutcome::Current {
            version: 1,
            fetched: 3,
            reused: 0
        }
    );
    assert_eq!(
        stdout(&fixture.check(cache.path(), &url)),
        stdout(&fixture.check_local(cache.path()))
    );

    // One file changes: only it is written, and only it is fetched.
    fixture.write(
        "a.txt",
        "Norvalen Data Services said revenue was $4.7 billion in 2023.\n",
    );
    let changed = index_to(cache.path(), &fixture.root(), &url);
    assert!(changed.contains("version 2: 1 written now"), "{changed}");
    let (corpus, outcome) = open(&url, slices.path());
    assert_eq!(
        outcome,
        SliceOutcome::Current {
            version: 2,
            fetched: 1,
            reused: 2
        }
    );
    let a = corpus.document_by_id("a").unwrap();
    assert!(corpus.document(a).text.contains("$4.7 billion"));
    let shared = fixture.check(cache.path(), &url);
    assert_eq!(stdout(&shared), stdout(&fixture.check_local(cache.path())));

    // One file goes: the collection and the slice drop it; its rows are gone.
    std::fs::remove_file(fixture.root().join("c.txt")).unwrap();
    let removed = index_to(cache.path(), &fixture.root(), &url);
    assert!(removed.contains("version 3: 0 written now"), "{removed}");
    assert!(removed.contains("1 removed"), "{removed}");
    let (corpus, outcome) = open(&url, slices.path());
    assert_eq!(
        outcome,
        SliceOutcome::Current {
            version: 3,
            fetched: 0,
            reused: 2
        }
    );
    assert!(corpus.document_by_id("c").is_none());
    assert_eq!(
        stdout(&fixture.check(cache.path(), &url)),
        stdout(&fixture.check_local(cache.path()))
    );
    // Old versions' rows were collected; what is left is the live set.
    let rows = server.admin_query("SELECT count(*) FROM refnotes_documents");
    assert_eq!(rows[0][0].as_deref(), Some("2"));
    let claims = server.admin_query(
        "SELECT count(*) FROM refnotes_claims c JOIN refnotes_documents d ON d.id = c.document \
         WHERE d.doc = 'a' AND c.kind = 'money' AND c.value = 4700000000",
    );
    assert_eq!(
        claims[0][0].as_deref(),
        Some("1"),
        "the new figure is a claim"
    );
}

#[test]
fn roles_read_only_their_collections() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let admin = SharedUrl::parse(&server.admin_url("setup")).unwrap();
    shared::postgres::install(&admin).unwrap();
    server
        .admin_sql(
            "CREATE ROLE desk_a NOLOGIN; CREATE ROLE desk_b NOLOGIN;
             CREATE ROLE writer_a LOGIN PASSWORD 'wa' IN ROLE refnotes_writer, desk_a;
             CREATE ROLE writer_b LOGIN PASSWORD 'wb' IN ROLE refnotes_writer, desk_b;
             CREATE ROLE editor_a LOGIN PASSWORD 'ea' IN ROLE refnotes_reader, desk_a;",
        )
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let fixture = Fixture::new();
    let url_a = format!("{}&role=desk_a", server.url("writer_a", "wa", "a"));
    let url_b = format!("{}&role=desk_b", server.url("writer_b", "wb", "b"));
    index_to(cache.path(), &fixture.root(), &url_a);
    index_to(cache.path(), &fixture.root(), &url_b);

    let list = |user: &str, password: &str, collection: &str| {
        let url = SharedUrl::parse(&server.url(user, password, collection)).unwrap();
        shared::open(&url).unwrap().list(collection).unwrap()
    };
    assert!(list("writer_a", "wa", "a").is_some());
    assert!(list("writer_a", "wa", "b").is_none(), "writer_a reads b");
    assert!(list("writer_b", "wb", "a").is_none(), "writer_b reads a");
    assert_eq!(list("editor_a", "ea", "a").unwrap().documents.len(), 3);
    assert!(list("editor_a", "ea", "b").is_none(), "editor_a reads b");
    // Not even by row id: b's documents are not there for writer_a.
    let b_rows: Vec<i64> = list(pg_server::ADMIN, pg_server::ADMIN_PASSWORD, "b")
        .unwrap()
        .documents
        .iter()
        .map(|doc| doc.row)
        .collect();
    let as_a = SharedUrl::parse(&server.url("writer_a", "wa", "a")).unwrap();
    let error = shared::open(&as_a).unwrap().fetch(&b_rows).unwrap_err();
    assert!(format!("{error:#}").contains("went away"), "{error:#}");
    // Nor through the candidate query and its word counts.
    let editor = SharedUrl::parse(&server.url("editor_a", "ea", "a")).unwrap();
    let editor = shared::open(&editor).unwrap();
    let query = words_query("castell maritime fleet");
    assert_eq!(editor.candidates("a", &query).unwrap(), ["c", "b"]);
    assert_eq!(
        editor.candidates("b", &query).unwrap(),
        Vec::<String>::new()
    );

    // Reading b as writer_a says there is nothing it may read.
    let output = fixture.check(cache.path(), &server.url("writer_a", "wa", "b"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("there is no collection b (or this user's role may not read it)"),
        "{}",
        stderr(&output)
    );
    // An editor cannot load, and loading into another desk's collection fails.
    let output = refnotes(
        cache.path(),
        &[
            "index",
            "--quiet",
            "--corpus",
            fixture.root().to_str().unwrap(),
            "--to",
            &server.url("editor_a", "ea", "a"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("permission denied"),
        "{}",
        stderr(&output)
    );
    let output = refnotes(
        cache.path(),
        &[
            "index",
            "--quiet",
            "--corpus",
            fixture.root().to_str().unwrap(),
            "--to",
            &server.url("writer_a", "wa", "b"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("belongs to a role this user is not a member of"),
        "{}",
        stderr(&output)
    );
    // The password comes from PGPASSWORD as well as from the URL.
    let output = command(
        cache.path(),
        &[
            "check",
            "--format",
            "json",
            "--shared",
            &format!(
                "postgres://editor_a@127.0.0.1:{}/postgres?collection=a",
                server.port
            ),
            fixture.note().to_str().unwrap(),
        ],
    )
    .env("PGPASSWORD", "ea")
    .output()
    .unwrap();
    assert_eq!(
        stdout(&output),
        stdout(&fixture.check_local(cache.path())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_interrupted_load_is_never_visible_and_resumes() {
    let Some(Loaded {
        server,
        cache,
        fixture,
        url,
        ..
    }) = loaded("desk")
    else {
        return;
    };
    let slices = tempfile::tempdir().unwrap();
    for i in 0..20 {
        fixture.write(
            &format!("more{i}.txt"),
            &format!("Castell Maritime said its fleet has {} ships.\n", 41 + i),
        );
    }

    // Holding the collection's row stops the load at its last step, the
    // version swap, with every batch committed: then it is killed.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = format!(
        "host=127.0.0.1 port={} user={} password={} dbname=postgres",
        server.port,
        pg_server::ADMIN,
        pg_server::ADMIN_PASSWORD
    );
    let (mut client, connection) = runtime
        .block_on(tokio_postgres::connect(&config, tokio_postgres::NoTls))
        .unwrap();
    runtime.spawn(connection);
    let holder = runtime.block_on(client.transaction()).unwrap();
    runtime
        .block_on(holder.batch_execute(
            "SELECT * FROM refnotes_collections WHERE name = 'desk' FOR NO KEY UPDATE",
        ))
        .unwrap();
    let mut loader = command(
        cache.path(),
        &[
            "index",
            "--corpus",
            fixture.root().to_str().unwrap(),
            "--to",
            &url,
        ],
    )
    .env("REFNOTES_SHARED_BATCH", "3")
    .stderr(Stdio::piped())
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(loader.stderr.take().unwrap()).lines();
    let said = lines.next().expect("a line").unwrap();
    assert_eq!(said, "publishing version 2 of collection desk");
    // Every batch is in, and readers still see version 1 only.
    let (corpus, outcome) = open(&url, slices.path());
    assert_eq!(corpus.documents().len(), 3);
    assert!(matches!(outcome, SliceOutcome::Current { version: 1, .. }));
    let written = server.admin_query("SELECT written FROM refnotes_runs WHERE version = 2");
    assert_eq!(written[0][0].as_deref(), Some("20"));
    loader.kill().unwrap();
    loader.wait().unwrap();
    runtime.block_on(holder.rollback()).unwrap();

    // Another file changes meanwhile; the next run picks up what is done.
    fixture.write(
        "more0.txt",
        "Castell Maritime said its fleet has 99 ships.\n",
    );
    let resumed = index_to(cache.path(), &fixture.root(), &url);
    assert!(
        resumed.contains("23 documents, version 2: 1 written now")
            && resumed.contains("19 from an interrupted run"),
        "{resumed}"
    );
    let (corpus, outcome) = open(&url, slices.path());
    assert_eq!(corpus.documents().len(), 23);
    assert!(matches!(outcome, SliceOutcome::Current { version: 2, .. }));
    let more0 = corpus.document_by_id("more0").unwrap();
    assert!(corpus.document(more0).text.contains("99 ships"));
    assert_eq!(
        stdout(&fixture.check(cache.path(), &url)),
        stdout(&fixture.check_local(cache.path()))
    );
}

#[test]
fn a_stopped_database_leaves_the_slice_serving() {
    let Some(mut server) = PgServer::start() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let fixture = Fixture::new();
    let url = server.admin_url("desk");
    index_to(cache.path(), &fixture.root(), &url);
    let online = fixture.check(cache.path(), &url);
    assert_eq!(online.status.code(), Some(1), "{}", stderr(&online));
    assert!(!stderr(&online).contains("offline"), "{}", stderr(&online));

    server.stop();
    let offline = fixture.check(cache.path(), &url);
    assert_eq!(stdout(&offline), stdout(&online));
    assert_eq!(offline.status.code(), Some(1));
    let said = stderr(&offline);
    assert!(
        said.contains("refnotes: shared index offline, 0 min old"),
        "{said}"
    );
    assert!(
        said.contains("127.0.0.1") && !said.contains(pg_server::ADMIN_PASSWORD),
        "{said}"
    );

    // Without a slice there is nothing to check from: a clear error.
    let empty = tempfile::tempdir().unwrap();
    let output = fixture.check(empty.path(), &url);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("there is no local slice of collection desk"),
        "{}",
        stderr(&output)
    );

    // Back again: the slice is current once more.
    server.run();
    let url = server.admin_url("desk");
    let back = fixture.check(cache.path(), &url);
    assert_eq!(stdout(&back), stdout(&online));
    assert!(!stderr(&back).contains("offline"), "{}", stderr(&back));
}

#[test]
fn passwords_never_appear_in_messages() {
    let cache = tempfile::tempdir().unwrap();
    let fixture = Fixture::new();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://writer:hunter2@127.0.0.1:{port}/news?collection=desk");
    for args in [
        vec!["check", "--shared", &url, fixture.note().to_str().unwrap()],
        vec![
            "index",
            "--corpus",
            fixture.root().to_str().unwrap(),
            "--to",
            &url,
        ],
    ] {
        let output = refnotes(cache.path(), &args);
        assert_eq!(output.status.code(), Some(2));
        let said = format!("{}{}", stderr(&output), stdout(&output));
        assert!(!said.contains("hunter2"), "{said}");
        assert!(said.contains("postgres://writer:***@127.0.0.1"), "{said}");
    }
    // Nor may a config file hold one.
    std::fs::write(
        fixture.dir.path().join("refnotes.toml"),
        format!("shared = \"{url}\"\n"),
    )
    .unwrap();
    let output = refnotes(cache.path(), &["check", fixture.note().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("refnotes.toml:1:10: shared: the URL holds a password"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("hunter2"), "{}", stderr(&output));
}

/// A note's words as the candidate query takes them, with a figure no
/// document holds, so only the words find anything.
fn words_query(words: &str) -> CandidateQuery {
    CandidateQuery {
        kind: "none".to_string(),
        words: words.to_string(),
        limit: 20,
        ..CandidateQuery::default()
    }
}

/// Rows of `refnotes_terms` that a recount of `collection`'s visible
/// documents disagrees with (none when the loader kept them right).
fn miscounted_terms(server: &PgServer, collection: &str) -> Vec<Vec<Option<String>>> {
    server.admin_query(&format!(
        "WITH c AS (SELECT id, version FROM refnotes_collections WHERE name = '{collection}'), \
         recount AS (SELECT w.term, count(DISTINCT s.document)::int AS documents \
           FROM c JOIN refnotes_documents d ON d.collection = c.id AND d.added_in <= c.version \
             AND (d.removed_in IS NULL OR d.removed_in > c.version) \
           JOIN refnotes_sentences s ON s.document = d.id, \
           unnest(tsvector_to_array(s.words)) AS w(term) GROUP BY w.term), \
         stored AS (SELECT t.term, t.documents FROM refnotes_terms t, c \
           WHERE t.collection = c.id) \
         (SELECT 'missing', * FROM (SELECT * FROM recount EXCEPT SELECT * FROM stored) m) \
         UNION ALL \
         (SELECT 'wrong', * FROM (SELECT * FROM stored EXCEPT SELECT * FROM recount) w)"
    ))
}

/// An empty corpus folder, in a temporary folder that lives as long as
/// the first value.
fn empty_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir(&root).unwrap();
    (dir, root)
}

#[test]
fn candidates_rank_by_rare_words_and_forget_removed_documents() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let (_dir, root) = empty_corpus();
    let write = |name: &str, text: &str| std::fs::write(root.join(name), text).unwrap();
    // Ten documents hold every common word of the note, several times; one
    // holds both its rare words, one only the less rare of them.
    for i in 0..10 {
        write(
            &format!("common{i}.txt"),
            &format!(
                "The company said quarterly revenue rose. The company said quarterly revenue \
                 fell in region {i}.\n"
            ),
        );
    }
    write("rare.txt", "Quokka sightings near Zanzibar were counted.\n");
    write("also.txt", "A quokka was seen on the island.\n");
    let url = server.admin_url("words");
    index_to(cache.path(), &root, &url);
    assert_eq!(
        miscounted_terms(&server, "words"),
        Vec::<Vec<Option<String>>>::new()
    );
    let store = shared::open(&SharedUrl::parse(&url).unwrap()).unwrap();
    let note = words_query("the company said quarterly revenue zanzibar quokka");
    let found = store.candidates("words", &note).unwrap();
    assert_eq!(found[..2], ["rare", "also"], "{found:?}");
    assert_eq!(found.len(), 12, "{found:?}");

    // Gone and changed documents stop counting: their words' counts drop
    // with the version that drops them, and they rank no more.
    std::fs::remove_file(root.join("rare.txt")).unwrap();
    write("common0.txt", "Nothing in common.\n");
    index_to(cache.path(), &root, &url);
    assert_eq!(
        miscounted_terms(&server, "words"),
        Vec::<Vec<Option<String>>>::new()
    );
    let counts = server.admin_query(
        "SELECT t.term, t.documents FROM refnotes_terms t \
         JOIN refnotes_collections c ON c.id = t.collection \
         WHERE c.name = 'words' AND t.term IN ('company', 'quokka', 'zanzibar') ORDER BY 1",
    );
    assert_eq!(
        counts,
        [
            [Some("company".to_string()), Some("9".to_string())],
            [Some("quokka".to_string()), Some("1".to_string())],
        ]
    );
    let found = store.candidates("words", &note).unwrap();
    assert_eq!(found[0], "also", "{found:?}");
    assert!(
        !found.iter().any(|doc| doc == "rare" || doc == "common0"),
        "{found:?}"
    );
    assert_eq!(
        store.candidates("words", &words_query("zanzibar")).unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn a_slow_database_times_the_candidate_query_out() {
    // The index cache and the folder are not needed once the load is done.
    let Some(Loaded { server, url, .. }) = loaded("slow") else {
        return;
    };
    let timed = SharedUrl::parse(&format!("{url}&query_timeout_ms=300")).unwrap();
    let store = shared::open(&timed).unwrap();
    let query = words_query("castell maritime fleet");
    assert_eq!(store.candidates("slow", &query).unwrap(), ["c", "b"]);

    std::thread::scope(|scope| {
        // Another session holds a lock every reader waits for: without a
        // timeout the query would wait as long as the lock is held.
        let holder = scope.spawn(|| {
            let _ = server.admin_sql(
                "BEGIN; LOCK TABLE refnotes_claims IN ACCESS EXCLUSIVE MODE; \
                 SELECT pg_sleep(120); COMMIT;",
            );
        });
        let locked = Instant::now();
        while server.admin_query(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
             WHERE c.relname = 'refnotes_claims' AND l.mode = 'AccessExclusiveLock' AND l.granted",
        )[0][0]
            .as_deref()
            != Some("1")
        {
            assert!(locked.elapsed() < Duration::from_secs(30), "no lock taken");
            std::thread::sleep(Duration::from_millis(20));
        }
        let start = Instant::now();
        let error = store.candidates("slow", &query).unwrap_err();
        let waited = start.elapsed();
        let message = format!("{error:#}");
        // Typed, so a notes' slice goes on with its other lookups.
        assert!(
            error.downcast_ref::<shared::QueryTimedOut>().is_some(),
            "{message}"
        );
        server
            .admin_sql(
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity \
                 WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()",
            )
            .unwrap();
        holder.join().unwrap();
        assert!(waited < Duration::from_secs(5), "waited {waited:?}");
        assert!(message.contains("timed out after 300 ms"), "{message}");
        assert!(message.contains(&timed.redacted()), "{message}");
        assert!(!message.contains(pg_server::ADMIN_PASSWORD), "{message}");
    });
    // The store answers again once the database does.
    assert_eq!(store.candidates("slow", &query).unwrap(), ["c", "b"]);
}

#[test]
fn a_database_from_before_the_word_counts_gets_them_on_the_next_load() {
    let Some(Loaded {
        server,
        cache,
        fixture,
        url,
        ..
    }) = loaded("old")
    else {
        return;
    };
    server
        .admin_sql(
            "DROP TABLE refnotes_terms; \
             ALTER TABLE refnotes_collections DROP COLUMN documents;",
        )
        .unwrap();
    // Nothing changed in the folder; the load still adds what is missing.
    let again = index_to(cache.path(), &fixture.root(), &url);
    assert!(again.contains("version 1: 0 written now"), "{again}");
    assert_eq!(
        miscounted_terms(&server, "old"),
        Vec::<Vec<Option<String>>>::new()
    );
    let count = server.admin_query("SELECT documents FROM refnotes_collections WHERE name = 'old'");
    assert_eq!(count[0][0].as_deref(), Some("3"));
    let store = shared::open(&SharedUrl::parse(&url).unwrap()).unwrap();
    assert_eq!(
        store
            .candidates("old", &words_query("castell maritime fleet"))
            .unwrap(),
        ["c", "b"]
    );
}

#[test]
fn a_crowded_figure_range_keeps_the_claims_nearest_its_middle() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let (_dir, root) = empty_corpus();
    let write = |name: &str, text: &str| std::fs::write(root.join(name), text).unwrap();
    // A range of 0 to 2,000 tonnes, middle 1,000. Above the middle, one
    // document states it exactly and another 600 amounts just over it, more
    // than the query takes from that side; a third states one near the
    // range's top, in range but farther than all of them. Below the middle
    // there is one claim, which the other side's crowd must not crowd out.
    write("middle.txt", "The Aster mill shipped 1,000 tonnes.\n");
    let crowd: String = (1..=600)
        .map(|i| format!("The mill shipped {} tonnes.\n", 1_000 + i))
        .collect();
    write("crowd.txt", &crowd);
    write("edge.txt", "The Birch mill shipped 1,990 tonnes.\n");
    write("below.txt", "The Cedar mill shipped 400 tonnes.\n");
    let url = server.admin_url("mills");
    index_to(cache.path(), &root, &url);
    let store = shared::open(&SharedUrl::parse(&url).unwrap()).unwrap();
    let query = CandidateQuery {
        kind: "quantity".to_string(),
        unit: "tonne".to_string(),
        low: 0.0,
        high: 2_000.0,
        limit: 20,
        ..CandidateQuery::default()
    };
    let mut found = store.candidates("mills", &query).unwrap();
    found.sort();
    assert_eq!(found, ["below", "crowd", "middle"]);
    // The edge is a candidate of a range it is near the middle of.
    let near_edge = CandidateQuery {
        low: 1_980.0,
        high: 2_000.0,
        ..query
    };
    assert_eq!(store.candidates("mills", &near_edge).unwrap(), ["edge"]);
}
