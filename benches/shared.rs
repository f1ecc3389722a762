//! The shared index in PostgreSQL (issue 12), on the generated corpus loaded
//! through the real binary (`refnotes index --to`) into a server this bench
//! starts (`tests/pg_server`): the figures ARCHITECTURE.md quotes.
//!
//! `cargo bench --bench shared` runs 100 MB; `REFNOTES_SHARED_BENCH_MB=100,1000`
//! picks the sizes (the corpus is kept under `target/bench-corpus/`, shared
//! with the `index` bench; the database lives in a temporary folder). For
//! each size:
//!
//! - load throughput: `refnotes index --to` into an empty collection (MB of
//!   corpus per second of wall time), and a reload with nothing changed;
//! - database size: the database's growth over the load, per corpus MB,
//!   and the largest tables;
//! - the candidate query (`SharedStore::candidates`: figures of a kind and
//!   unit in a ±1% range, plus documents holding the rarest of the words the
//!   note shares) for 500 figures sampled from the collection (or as many as
//!   2 minutes allow): p50 and p99, and the size of the word counts
//!   (`refnotes_terms`) it ranks by;
//! - an editor getting ready on the generated note: filling an empty local
//!   slice (fetch everything, build the corpus, check the note) and opening
//!   a warm one (list, build, check); then the same from a notes' slice
//!   (`slice=notes`: the note's lookups asked, their documents fetched);
//! - 1 and then `REFNOTES_SHARED_BENCH_READERS` (default 20) concurrent
//!   readers, each its own connection, running candidate queries for a fixed
//!   time on loopback: queries per second and p50/p99 under load.
//!
//! Run as a test (`cargo test --benches`) it does the same on 1 MB, briefly.

mod common;
#[path = "../tests/pg_server/mod.rs"]
mod pg_server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use refnotes::check::{check_note, CheckOptions};
use refnotes::corpus::CorpusOptions;
use refnotes::shared::{self, CandidateQuery, SharedUrl, SliceOutcome};

const NOTE_LINES: usize = 1_000;
/// The most time the one-reader latency sample may take (it stops early,
/// with fewer queries, on a large collection).
const SAMPLE_TIME: Duration = Duration::from_secs(120);

fn sizes() -> Vec<usize> {
    if common::running_as_test() {
        return vec![1];
    }
    std::env::var("REFNOTES_SHARED_BENCH_MB")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .filter(|&mb: &usize| mb > 0)
                .collect()
        })
        .unwrap_or_else(|| vec![100])
}

/// Writes the generated corpus of `mb` MB under `dir` unless a finished one
/// is there (as the `index` bench does, in the same place); returns its size.
fn write_corpus(dir: &Path, mb: usize) -> usize {
    let done = dir.join("done");
    if let Ok(bytes) = std::fs::read_to_string(&done) {
        if let Ok(bytes) = bytes.trim().parse() {
            return bytes;
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let sources = common::generate_corpus(mb * common::MB, common::SEED);
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut bytes = 0;
    for source in &sources {
        let name = source.path.file_name().expect("a file name");
        std::fs::write(corpus.join(name), &source.text).unwrap();
        bytes += source.text.len();
    }
    let note = common::generate_note(&sources, NOTE_LINES, common::SEED);
    std::fs::write(dir.join("note.md"), note).unwrap();
    std::fs::write(&done, bytes.to_string()).unwrap();
    bytes
}

/// Of the sampled queries' words, on average per query: how many the
/// collection's word counts know, and how many the candidate query
/// searches (the rarest, within its limits); and how many queries search
/// at least one word.
fn words_searched(
    server: &pg_server::PgServer,
    collection: &str,
    queries: &[CandidateQuery],
) -> Vec<Option<String>> {
    // The sample's words are letters and digits only (see `sample_queries`).
    let values: Vec<String> = queries
        .iter()
        .enumerate()
        .map(|(n, query)| format!("({n}, '{}')", query.words))
        .collect();
    let (rare, budget) = (shared::postgres::RARE_WORDS, shared::postgres::WORD_BUDGET);
    server
        .admin_query(&format!(
            "WITH q(n, words) AS (VALUES {}), \
         c AS (SELECT id FROM refnotes_collections WHERE name = '{collection}'), \
         known AS (SELECT q.n, row_number() OVER w AS k, sum(t.documents) OVER w AS spent \
           FROM q, LATERAL (SELECT DISTINCT term \
             FROM unnest(tsvector_to_array(to_tsvector('simple', q.words))) term) note, \
           refnotes_terms t, c WHERE t.collection = c.id AND t.term = note.term \
           WINDOW w AS (PARTITION BY q.n ORDER BY t.documents, t.term)) \
         SELECT round(count(*)::numeric / {count}, 2), \
           round(count(*) FILTER (WHERE k <= {rare} AND spent <= {budget})::numeric \
             / {count}, 2), \
           count(DISTINCT n) FILTER (WHERE k <= {rare} AND spent <= {budget}) FROM known",
            values.join(", "),
            count = queries.len().max(1),
        ))
        .pop()
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank]
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1e3)
}

/// Figures of the collection to ask about, with words of their sentences,
/// as a note's figures would ask.
fn sample_queries(server: &pg_server::PgServer, count: usize) -> Vec<CandidateQuery> {
    let rows = server.admin_query(&format!(
        "SELECT c.kind, c.unit, c.value, \
           convert_from(substring(d.body FROM s.start_byte + 1 FOR s.end_byte - s.start_byte), 'UTF8') \
         FROM refnotes_claims c \
         JOIN refnotes_documents d ON d.id = c.document \
         JOIN refnotes_sentences s ON s.document = c.document AND s.n = c.sentence \
         ORDER BY hashint8(c.document * 1000 + c.span_start) LIMIT {count}"
    ));
    rows.into_iter()
        .map(|row| {
            let value: f64 = row[2].as_deref().unwrap().parse().unwrap();
            let sentence = row[3].clone().unwrap_or_default();
            // A few of the sentence's longer words, as a note would share.
            let words: Vec<&str> = sentence
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 5)
                .take(4)
                .collect();
            let (low, high) = if value >= 0.0 {
                (value * 0.99, value * 1.01)
            } else {
                (value * 1.01, value * 0.99)
            };
            CandidateQuery {
                kind: row[0].clone().unwrap(),
                unit: row[1].clone().unwrap(),
                low,
                high,
                words: words.join(" "),
                limit: 20,
            }
        })
        .collect()
}

/// An editor getting ready on the note: the slice opened (and filled) and
/// the corpus built, then the note checked.
struct Ready {
    open: f64,
    total: f64,
    documents: usize,
    findings: usize,
}

/// Candidate query latencies of `readers` concurrent readers for `duration`:
/// queries per second overall (answered ones), the sorted latencies of the
/// answered queries, and how many failed (timed out, on a loaded machine).
fn concurrent(
    url: &SharedUrl,
    queries: &Arc<Vec<CandidateQuery>>,
    readers: usize,
    duration: Duration,
) -> (f64, Vec<f64>, usize) {
    let stop = Arc::new(AtomicBool::new(false));
    // Connecting (and its password exchange) is not part of a query: every
    // reader connects first, then all start together.
    let ready = Arc::new(Barrier::new(readers + 1));
    let handles: Vec<_> = (0..readers)
        .map(|reader| {
            let (url, queries, stop) = (url.clone(), queries.clone(), stop.clone());
            let ready = ready.clone();
            std::thread::spawn(move || {
                let store = shared::open(&url).unwrap();
                // Warms the connection; under load it may time out, which the
                // phase counts below.
                let _ = store.candidates(&url.collection, &queries[0]);
                ready.wait();
                let mut latencies = Vec::new();
                let mut failed = 0;
                let mut i = reader * 7;
                while !stop.load(Ordering::Relaxed) {
                    let query = &queries[i % queries.len()];
                    let start = Instant::now();
                    match store.candidates(&url.collection, query) {
                        Ok(_) => latencies.push(start.elapsed().as_secs_f64()),
                        Err(error) => {
                            if failed == 0 {
                                eprintln!("reader {reader}: {error:#}");
                            }
                            failed += 1;
                        }
                    }
                    i += 1;
                }
                (latencies, failed)
            })
        })
        .collect();
    ready.wait();
    let started = Instant::now();
    std::thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<f64> = Vec::new();
    let mut failed = 0;
    for handle in handles {
        let (latencies, failures) = handle.join().unwrap();
        all.extend(latencies);
        failed += failures;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    (all.len() as f64 / elapsed, all, failed)
}

fn main() {
    let Some(server) = pg_server::PgServer::start() else {
        return;
    };
    let testing = common::running_as_test();
    let readers: usize = std::env::var("REFNOTES_SHARED_BENCH_READERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let window = Duration::from_secs(if testing { 1 } else { 10 });
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    for mb in sizes() {
        let dir = target.join(format!("{mb}MB"));
        let bytes = write_corpus(&dir, mb);
        let corpus_dir = dir.join("corpus");
        let note = std::fs::read_to_string(dir.join("note.md")).unwrap();
        let corpus_mb = bytes as f64 / 1e6;
        let collection = format!("bench{mb}");
        let url_text = server.admin_url(&collection);
        let url = SharedUrl::parse(&url_text).unwrap();
        let cache = tempfile::tempdir().unwrap();
        let db_size = || -> f64 {
            server.admin_query("SELECT pg_database_size('postgres')")[0][0]
                .as_deref()
                .unwrap()
                .parse::<f64>()
                .unwrap()
                / 1e6
        };
        let before = db_size();

        let index = || {
            let start = Instant::now();
            let output = Command::new(env!("CARGO_BIN_EXE_refnotes"))
                .env("REFNOTES_CACHE_DIR", cache.path())
                .args(["index", "--quiet", "--corpus"])
                .arg(&corpus_dir)
                .args(["--to", &url_text])
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "index --to failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            eprintln!("{}", String::from_utf8_lossy(&output.stdout).trim());
            start.elapsed().as_secs_f64()
        };
        let load = index();
        let reload = index();
        server.admin_sql("VACUUM ANALYZE").unwrap();
        let after = db_size();
        let tables = server.admin_query(
            "SELECT relname, pg_total_relation_size(oid) / 1000000 FROM pg_class \
             WHERE relname LIKE 'refnotes_%' AND relkind = 'r' ORDER BY 2 DESC",
        );
        let counts = server.admin_query(
            "SELECT (SELECT count(*) FROM refnotes_documents), \
                    (SELECT count(*) FROM refnotes_sentences), \
                    (SELECT count(*) FROM refnotes_claims), \
                    (SELECT count(*) FROM refnotes_entities)",
        );

        let queries = Arc::new(sample_queries(&server, 500));
        assert!(!queries.is_empty(), "the collection has claims");
        let store = shared::open(&url).unwrap();
        // Bounded in time: at 1 GB a query can take a second on this machine.
        let sampling = Instant::now();
        let mut single_failed = 0;
        let mut single: Vec<f64> = queries
            .iter()
            .take_while(|_| sampling.elapsed() < SAMPLE_TIME)
            .filter_map(|query| {
                let start = Instant::now();
                let found = match store.candidates(&collection, query) {
                    Ok(found) => found,
                    Err(error) => {
                        eprintln!("{error:#}");
                        single_failed += 1;
                        return None;
                    }
                };
                assert!(
                    !found.is_empty(),
                    "a figure of the collection finds its source"
                );
                Some(start.elapsed().as_secs_f64())
            })
            .collect();
        single.sort_by(f64::total_cmp);
        let words = words_searched(&server, &collection, &queries);

        let slices = tempfile::tempdir().unwrap();
        let whole_url = SharedUrl::parse(&format!("{url_text}&slice=whole")).unwrap();
        let notes_url = SharedUrl::parse(&format!("{url_text}&slice=notes")).unwrap();
        let notes = [note.clone()];
        let ready = |label: &str, url: &SharedUrl, notes: &[String]| {
            let start = Instant::now();
            let opened = shared::open_corpus(
                Some(store.as_ref()),
                url,
                Some(slices.path()),
                CorpusOptions::default(),
                notes,
            )
            .unwrap();
            let open = start.elapsed().as_secs_f64();
            let findings = check_note(&opened.corpus, &note, &CheckOptions::default()).len();
            let total = start.elapsed().as_secs_f64();
            let outcome = opened.outcome;
            assert!(
                matches!(outcome, SliceOutcome::Current { .. }),
                "{outcome:?}"
            );
            let documents = opened.corpus.documents().len();
            eprintln!("{label}: {outcome:?}, {documents} documents, {findings} findings");
            for warning in &opened.warnings {
                eprintln!("  {warning}");
            }
            Ready {
                open,
                total,
                documents,
                findings,
            }
        };
        let empty = ready("empty slice", &whole_url, &[]);
        let warm = ready("warm slice", &whole_url, &[]);
        let lookups = shared::note_slice::lookups(&note).len();
        let notes_empty = ready("empty notes' slice", &notes_url, &notes);
        let notes_warm = ready("warm notes' slice", &notes_url, &notes);

        let (one_qps, one, one_failed) = concurrent(&url, &queries, 1, window);
        let (many_qps, many, many_failed) = concurrent(&url, &queries, readers, window);

        println!("\n{mb} MB corpus ({corpus_mb:.1} MB), collection {collection}");
        let count = |i: usize| counts[0][i].clone().unwrap_or_default();
        println!(
            "  rows: {} documents, {} sentences, {} claims, {} names",
            count(0),
            count(1),
            count(2),
            count(3)
        );
        println!(
            "  load (index --to, empty collection): {:.1} s, {:.2} MB/s",
            load,
            corpus_mb / load
        );
        println!("  reload, nothing changed: {reload:.2} s");
        println!(
            "  database: {:.0} MB over the load, {:.2} MB per corpus MB",
            after - before,
            (after - before) / corpus_mb
        );
        for table in &tables {
            println!(
                "    {}: {} MB",
                table[0].as_deref().unwrap_or(""),
                table[1].as_deref().unwrap_or("")
            );
        }
        println!(
            "  candidate query, one reader, {} queries: p50 {}, p99 {}, {single_failed} failed",
            single.len(),
            ms(percentile(&single, 0.5)),
            ms(percentile(&single, 0.99))
        );
        let word = |i: usize| words.get(i).cloned().flatten().unwrap_or_default();
        println!(
            "    note words a query shares: {} known to the collection, {} rare enough to \
             search; {} of {} queries search some",
            word(0),
            word(1),
            word(2),
            queries.len()
        );
        println!(
            "  editor ready on the {NOTE_LINES}-line note, empty slice: {:.2} s (slice filled and \
             corpus built {:.2} s; {} documents, {} findings)",
            empty.total, empty.open, empty.documents, empty.findings
        );
        println!(
            "  editor ready, warm slice: {:.2} s (listed and corpus built {:.2} s)",
            warm.total, warm.open
        );
        println!(
            "  editor ready, empty notes' slice: {:.2} s ({lookups} lookups asked, {} documents \
             fetched and corpus built {:.2} s; {} findings)",
            notes_empty.total, notes_empty.documents, notes_empty.open, notes_empty.findings
        );
        println!(
            "  editor ready, warm notes' slice: {:.2} s (corpus built {:.2} s)",
            notes_warm.total, notes_warm.open
        );
        println!(
            "  1 reader for {:?}: {:.0} queries/s, p50 {}, p99 {}, {one_failed} failed",
            window,
            one_qps,
            ms(percentile(&one, 0.5)),
            ms(percentile(&one, 0.99))
        );
        println!(
            "  {readers} readers for {:?}: {:.0} queries/s, p50 {}, p99 {}, {many_failed} failed",
            window,
            many_qps,
            ms(percentile(&many, 0.5)),
            ms(percentile(&many, 0.99))
        );
    }
}
