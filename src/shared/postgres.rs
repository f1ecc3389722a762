//! The shared store in PostgreSQL: the schema, the incremental loader and the
//! reads an editor's slice is filled from.
//!
//! Visibility works by versions. A collection row holds the version readers
//! see; a load run writes its documents with `added_in` = the next version
//! and marks replaced or deleted ones with `removed_in`, one transaction per
//! batch, and only its last transaction moves the collection's version (and
//! notifies `refnotes_changes`). Readers select rows alive at the visible
//! version, so a half-loaded run is never seen, and a run killed halfway is
//! resumed by the next one (the `refnotes_runs` row says which version it was
//! writing; rows it wrote and that still match are kept). Rows no version
//! can see any more are deleted after the swap.
//!
//! Rows are guarded by row-level security: a collection names the role whose
//! members may read and write it, and every table's policy reads through the
//! (itself guarded) collections table. Table grants split readers
//! (`refnotes_reader`: SELECT) from writers (`refnotes_writer`); see
//! [`GRANTS`]. All SQL takes values as parameters.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use rayon::prelude::*;
use tokio_postgres::{Client, NoTls};

use super::{
    CandidateQuery, ContentKey, Listed, Listing, LoadEvent, LoadReport, Progress, SharedStore,
    SharedUrl, StoredDocument,
};
use crate::corpus::store::schema_key;
use crate::corpus::SourceText;

mod candidates;
mod copy;
mod schema;
mod tls;

pub use candidates::{DEFAULT_TIMEOUT, RARE_WORDS, VALUE_BUDGET, WORD_BUDGET};
pub use schema::{GRANTS, SCHEMA, TERMS, TERMS_UPGRADE};

/// Rows alive at version `$2` of collection `$1`.
const ALIVE: &str =
    "collection = $1 AND added_in <= $2 AND (removed_in IS NULL OR removed_in > $2)";

/// Documents written per transaction unless `REFNOTES_SHARED_BATCH` says.
const DEFAULT_BATCH: usize = 64;
/// And at most about this much text per batch.
const BATCH_BYTES: usize = 16 << 20;

/// A PostgreSQL database holding refnotes collections.
pub struct PgStore {
    url: SharedUrl,
    config: tokio_postgres::Config,
    tls: tls::Tls,
    pool: Pool,
    runtime: tokio::runtime::Runtime,
}

impl PgStore {
    /// A pool of connections to the URL's database (none is opened yet).
    pub fn connect(url: &SharedUrl) -> anyhow::Result<PgStore> {
        let (config, tls) = client_config(url)?;
        let manager_config = || ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match &tls {
            tls::Tls::Off => Manager::from_config(config.clone(), NoTls, manager_config()),
            tls::Tls::On(connect) => {
                Manager::from_config(config.clone(), connect.clone(), manager_config())
            }
        };
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(30)))
            .create_timeout(Some(Duration::from_secs(10)))
            .build()
            .map_err(|error| anyhow!("shared index {}: {error}", url.redacted()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("refnotes-pg")
            .enable_all()
            .build()
            .context("cannot start the database client's runtime")?;
        Ok(PgStore {
            url: url.clone(),
            config,
            tls,
            pool,
            runtime,
        })
    }

    /// Says which database a failure came from, without its password.
    fn failed(&self, what: &str) -> impl FnOnce(anyhow::Error) -> anyhow::Error + '_ {
        let shown = self.url.redacted();
        let what = what.to_string();
        move |error| {
            let mut message = chain(&error);
            if message.contains("invalid peer certificate") {
                message.push_str(
                    " (trust the server's certificate authority with sslrootcert=PATH in the \
                     URL, or PGSSLROOTCERT)",
                );
            }
            anyhow!("shared index {shown}: {what}: {message}")
        }
    }

    /// A session of its own, not a pooled one, and the task driving its
    /// connection.
    async fn session(
        &self,
    ) -> Result<
        (
            Client,
            tokio::task::JoinHandle<Result<(), tokio_postgres::Error>>,
        ),
        tokio_postgres::Error,
    > {
        Ok(match &self.tls {
            tls::Tls::Off => {
                let (client, connection) = self.config.connect(NoTls).await?;
                (client, tokio::spawn(connection))
            }
            tls::Tls::On(connect) => {
                let (client, connection) = self.config.connect(connect.clone()).await?;
                (client, tokio::spawn(connection))
            }
        })
    }

    async fn client(&self) -> anyhow::Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|error| match error {
            deadpool_postgres::PoolError::Backend(error) => anyhow::Error::new(error),
            other => anyhow!("{other}"),
        })
    }

    /// The load itself; `plan` takes the batches to write, in order, to the
    /// analysing thread and `analysed` brings them back ready to copy.
    async fn load_async<'s>(
        &self,
        collection: &str,
        sources: &'s [SourceText],
        progress: Progress<'_>,
        plan: std::sync::mpsc::Sender<Vec<Vec<&'s SourceText>>>,
        mut analysed: tokio::sync::mpsc::Receiver<Vec<copy::Prepared<'s>>>,
    ) -> anyhow::Result<LoadReport> {
        // Its own session, not a pooled one: the collection's advisory lock
        // ends with it, however the load ends.
        let (mut client, connection) = self.session().await?;
        ensure_schema(&mut client).await?;
        // One load per collection at a time; a loader that just died may
        // hold the lock until its server process notices.
        client.batch_execute("SET lock_timeout = '60s'").await?;
        if let Err(error) = client
            .execute(
                "SELECT pg_advisory_lock(hashtext('refnotes:' || $1))",
                &[&collection],
            )
            .await
        {
            bail!(
                "another `refnotes index` is loading collection {collection} ({})",
                db_message(&error)
            );
        }
        client.batch_execute("SET lock_timeout = 0").await?;
        client
            .execute(
                "INSERT INTO refnotes_collections (name, role) \
                 VALUES ($1, coalesce($2::name, current_user)) ON CONFLICT (name) DO NOTHING",
                &[&collection, &self.url.role],
            )
            .await
            .map_err(|error| {
                anyhow!(
                    "cannot create collection {collection}: {}",
                    db_message(&error)
                )
            })?;
        let Some(row) = client
            .query_opt(
                "SELECT id, version FROM refnotes_collections WHERE name = $1",
                &[&collection],
            )
            .await?
        else {
            bail!("collection {collection} belongs to a role this user is not a member of");
        };
        let (id, visible): (i32, i64) = (row.get(0), row.get(1));
        let unfinished: Option<i64> = client
            .query_opt(
                "SELECT version FROM refnotes_runs \
                 WHERE collection = $1 AND finished_at IS NULL AND version > $2 \
                 ORDER BY version DESC LIMIT 1",
                &[&id, &visible],
            )
            .await?
            .map(|row| row.get(0));
        let version = unfinished.unwrap_or(visible + 1);

        // What the run's version holds so far: the visible documents, with
        // an interrupted run's changes applied.
        let engine = schema_key() as i64;
        let rows = client
            .query(
                &format!(
                    "SELECT id, doc, path, hash, len, markdown, engine, added_in \
                     FROM refnotes_documents WHERE {ALIVE}"
                ),
                &[&id, &version],
            )
            .await?;
        let mut present: HashMap<String, (i64, String, ContentKey, i64, i64)> = HashMap::new();
        for row in rows {
            present.insert(
                row.get(1),
                (
                    row.get(0),
                    row.get(2),
                    key_from(row.get(3), row.get(4), row.get(5)),
                    row.get(6),
                    row.get(7),
                ),
            );
        }
        let mut report = LoadReport {
            documents: sources.len(),
            ..LoadReport::default()
        };
        let mut to_write = Vec::new();
        let mut gone: Vec<(i64, i64)> = Vec::new();
        for source in sources {
            let key = ContentKey::of(source);
            let path = source.path.to_string_lossy();
            match present.remove(&source.id) {
                Some((_, stored_path, stored_key, stored_engine, added_in))
                    if stored_path == path && stored_key == key && stored_engine == engine =>
                {
                    if added_in == version {
                        report.resumed += 1;
                    }
                }
                Some((row, .., added_in)) => {
                    gone.push((row, added_in));
                    to_write.push(source);
                }
                None => to_write.push(source),
            }
        }
        report.removed = present
            .values()
            .filter(|&&(.., added_in)| added_in <= visible)
            .count();
        gone.extend(
            present
                .into_values()
                .map(|(row, .., added_in)| (row, added_in)),
        );
        if unfinished.is_none() && to_write.is_empty() && gone.is_empty() {
            report.version = visible;
            return Ok(report);
        }
        if unfinished.is_none() {
            client
                .execute(
                    "INSERT INTO refnotes_runs (collection, version) VALUES ($1, $2)",
                    &[&id, &version],
                )
                .await?;
        }
        // Rows only this run wrote go now; rows a reader may see stay until
        // the new version is out.
        let (own, older): (Vec<_>, Vec<_>) =
            gone.iter().partition(|&&(_, added_in)| added_in == version);
        let own: Vec<i64> = own.iter().map(|&&(row, _)| row).collect();
        let older: Vec<i64> = older.iter().map(|&&(row, _)| row).collect();
        client
            .execute("DELETE FROM refnotes_documents WHERE id = ANY($1)", &[&own])
            .await?;
        client
            .execute(
                "UPDATE refnotes_documents SET removed_in = $2 WHERE id = ANY($1)",
                &[&older, &version],
            )
            .await?;

        let batch = std::env::var("REFNOTES_SHARED_BATCH")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_BATCH);
        let runs = batches(&to_write, batch);
        let total = to_write.len();
        // The analysing thread works on the next batch while this one is
        // written; no transaction is open while a batch is awaited.
        let _ = plan.send(runs.iter().map(|run| run.to_vec()).collect());
        drop(plan);
        copy::stage(&client).await?;
        let mut done = 0;
        for _ in &runs {
            let Some(prepared) = analysed.recv().await else {
                bail!("the analysing thread stopped");
            };
            let transaction = client.transaction().await?;
            copy::write(&transaction, id, version, engine, &prepared)
                .await
                .with_context(|| match prepared.as_slice() {
                    [one] => format!("cannot write {}", one.source().path.display()),
                    more => format!("cannot write a batch of {} documents", more.len()),
                })?;
            transaction
                .execute(
                    "UPDATE refnotes_runs SET written = written + $3 \
                     WHERE collection = $1 AND version = $2",
                    &[&id, &version, &(prepared.len() as i32)],
                )
                .await?;
            transaction.commit().await?;
            report.bytes_written += prepared
                .iter()
                .map(|p| p.source().text.len() as u64)
                .sum::<u64>();
            done += prepared.len();
            report.written = done;
            progress(LoadEvent::Batch { done, total });
        }

        progress(LoadEvent::Publishing { version });
        let transaction = client.transaction().await?;
        transaction
            .batch_execute(candidates::PUBLISH_MEMORY)
            .await?;
        transaction
            .execute(candidates::PUBLISH_TERMS, &[&id, &version])
            .await?;
        transaction
            .execute(candidates::DROP_UNUSED_TERMS, &[&id])
            .await?;
        transaction
            .execute(
                "UPDATE refnotes_collections SET version = $2, documents = $3, \
                 updated_at = now() WHERE id = $1",
                &[&id, &version, &(sources.len() as i64)],
            )
            .await?;
        transaction
            .execute(
                "UPDATE refnotes_runs SET finished_at = now() WHERE collection = $1 AND version = $2",
                &[&id, &version],
            )
            .await?;
        transaction
            .execute("SELECT pg_notify('refnotes_changes', $1)", &[&collection])
            .await?;
        transaction.commit().await?;
        // No reader can see these any more.
        client
            .execute(
                "DELETE FROM refnotes_documents WHERE collection = $1 AND removed_in <= $2",
                &[&id, &version],
            )
            .await?;
        drop(client);
        let _ = connection.await;
        report.version = version;
        Ok(report)
    }

    async fn version_async(&self, collection: &str) -> anyhow::Result<Option<i64>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached("SELECT version FROM refnotes_collections WHERE name = $1")
            .await?;
        Ok(client
            .query_opt(&statement, &[&collection])
            .await?
            .map(|row| row.get(0)))
    }

    async fn size_async(&self, collection: &str) -> anyhow::Result<Option<(i64, usize)>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached("SELECT version, documents FROM refnotes_collections WHERE name = $1")
            .await?;
        Ok(client
            .query_opt(&statement, &[&collection])
            .await?
            .map(|row| (row.get(0), row.get::<_, i64>(1).max(0) as usize)))
    }

    /// The visible documents of `collection`, all or only those with ids in
    /// `only`.
    async fn list_async(
        &self,
        collection: &str,
        only: Option<&[String]>,
    ) -> anyhow::Result<Option<Listing>> {
        let mut client = self.client().await?;
        let transaction = client
            .build_transaction()
            .read_only(true)
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .start()
            .await?;
        let statement = transaction
            .prepare_cached("SELECT id, version FROM refnotes_collections WHERE name = $1")
            .await?;
        let Some(row) = transaction.query_opt(&statement, &[&collection]).await? else {
            return Ok(None);
        };
        let (id, version): (i32, i64) = (row.get(0), row.get(1));
        let rows = match only {
            None => {
                let statement = transaction
                    .prepare_cached(&format!(
                        "SELECT id, doc, path, hash, len, markdown FROM refnotes_documents \
                         WHERE {ALIVE} ORDER BY doc COLLATE \"C\""
                    ))
                    .await?;
                transaction.query(&statement, &[&id, &version]).await?
            }
            Some(ids) => {
                let statement = transaction
                    .prepare_cached(&format!(
                        "SELECT id, doc, path, hash, len, markdown FROM refnotes_documents \
                         WHERE {ALIVE} AND doc = ANY($3) ORDER BY doc COLLATE \"C\""
                    ))
                    .await?;
                transaction
                    .query(&statement, &[&id, &version, &ids])
                    .await?
            }
        };
        let documents = rows
            .into_iter()
            .map(|row| Listed {
                row: row.get(0),
                id: row.get(1),
                path: row.get(2),
                key: key_from(row.get(3), row.get(4), row.get(5)),
            })
            .collect();
        transaction.commit().await?;
        Ok(Some(Listing { version, documents }))
    }

    async fn fetch_async(&self, rows: &[i64]) -> anyhow::Result<Vec<StoredDocument>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(
                "SELECT id, doc, path, hash, len, markdown, title, date, url, origin, body, \
                 engine, analysis FROM refnotes_documents WHERE id = ANY($1)",
            )
            .await?;
        let engine = schema_key() as i64;
        let mut by_row = HashMap::new();
        for row in client.query(&statement, &[&rows]).await? {
            let id: String = row.get(1);
            let origin: Option<Vec<u8>> = row.get(9);
            let body: Vec<u8> = row.get(10);
            let text = String::from_utf8(body)
                .map_err(|_| anyhow!("document {id} is not UTF-8 in the database"))?;
            let analysis = Some(row.get::<_, i64>(11))
                .filter(|&stored| stored == engine)
                .and_then(|_| postcard::from_bytes(row.get::<_, &[u8]>(12)).ok());
            let document = StoredDocument {
                key: key_from(row.get(3), row.get(4), row.get(5)),
                path: row.get(2),
                title: row.get(6),
                date: row.get(7),
                url: row.get(8),
                origin: origin.and_then(|bytes| postcard::from_bytes(&bytes).ok()),
                text,
                analysis,
                id,
            };
            by_row.insert(row.get::<_, i64>(0), document);
        }
        rows.iter()
            .map(|row| {
                by_row
                    .remove(row)
                    .ok_or_else(|| anyhow!("document row {row} went away while being read"))
            })
            .collect()
    }
}

impl SharedStore for PgStore {
    fn load(
        &self,
        collection: &str,
        sources: &[SourceText],
        progress: Progress,
    ) -> anyhow::Result<LoadReport> {
        let (plan, batches) = std::sync::mpsc::channel::<Vec<Vec<&SourceText>>>();
        // One batch analysed ahead of the one being written: enough to keep
        // both the cores and the database busy, little memory.
        let (ready, analysed) = tokio::sync::mpsc::channel(1);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for run in batches.into_iter().flatten() {
                    let prepared: Vec<copy::Prepared> = run
                        .par_iter()
                        .map(|source| copy::Prepared::of(source))
                        .collect();
                    if ready.blocking_send(prepared).is_err() {
                        break;
                    }
                }
            });
            self.runtime
                .block_on(self.load_async(collection, sources, progress, plan, analysed))
                .map_err(self.failed(&format!("loading collection {collection}")))
        })
    }

    fn version(&self, collection: &str) -> anyhow::Result<Option<i64>> {
        self.runtime
            .block_on(self.version_async(collection))
            .map_err(self.failed(&format!("reading collection {collection}")))
    }

    fn size(&self, collection: &str) -> anyhow::Result<Option<(i64, usize)>> {
        self.runtime
            .block_on(self.size_async(collection))
            .map_err(self.failed(&format!("reading collection {collection}")))
    }

    fn list(&self, collection: &str) -> anyhow::Result<Option<Listing>> {
        self.runtime
            .block_on(self.list_async(collection, None))
            .map_err(self.failed(&format!("reading collection {collection}")))
    }

    fn list_only(&self, collection: &str, ids: &[String]) -> anyhow::Result<Option<Listing>> {
        self.runtime
            .block_on(self.list_async(collection, Some(ids)))
            .map_err(self.failed(&format!("reading collection {collection}")))
    }

    fn fetch(&self, rows: &[i64]) -> anyhow::Result<Vec<StoredDocument>> {
        self.runtime
            .block_on(self.fetch_async(rows))
            .map_err(self.failed("reading documents"))
    }

    fn candidates(&self, collection: &str, query: &CandidateQuery) -> anyhow::Result<Vec<String>> {
        let what = format!("querying collection {collection}");
        self.runtime
            .block_on(self.candidates_async(collection, query))
            .map_err(|error| match error.downcast::<super::QueryTimedOut>() {
                // Kept whole, so callers can tell it from a database away.
                Ok(timed_out) => anyhow::Error::new(timed_out)
                    .context(format!("shared index {}: {what}", self.url.redacted())),
                Err(error) => self.failed(&what)(error),
            })
    }
}

/// The client's settings: the URL's, then the standard `PG*` variables and
/// the service file for what it leaves out, as libpq reads them.
fn client_config(url: &SharedUrl) -> anyhow::Result<(tokio_postgres::Config, tls::Tls)> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut service: HashMap<String, String> = HashMap::new();
    if let Some(name) = env("PGSERVICE") {
        service = read_service(&name)
            .map_err(|error| anyhow!("shared index {}: {error}", url.redacted()))?;
    }
    let setting = |key: &str, var: &str| env(var).or_else(|| service.get(key).cloned());
    let (connect, tls) = tls::take_tls(&url.connect, setting, &url.redacted())?;
    let mut config: tokio_postgres::Config = connect
        .parse()
        .map_err(|error| anyhow!("shared index {}: {error}", url.redacted()))?;
    if config.get_hosts().is_empty() {
        config.host(setting("host", "PGHOST").unwrap_or_else(|| "localhost".to_string()));
    }
    if config.get_ports().is_empty() {
        if let Some(port) = setting("port", "PGPORT") {
            let port = port.parse().map_err(|_| {
                anyhow!("PGPORT or the service's port {port:?} is not a port number")
            })?;
            config.port(port);
        }
    }
    if config.get_user().is_none() {
        let user = setting("user", "PGUSER")
            .or_else(|| env("USER"))
            .unwrap_or_else(|| "postgres".to_string());
        config.user(&user);
    }
    if config.get_password().is_none() {
        if let Some(password) = setting("password", "PGPASSWORD") {
            config.password(password);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(dbname) = setting("dbname", "PGDATABASE") {
            config.dbname(&dbname);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    config.application_name("refnotes");
    // What TLS there is was chosen above: the client must not try its own.
    config.ssl_mode(match tls {
        tls::Tls::Off => tokio_postgres::config::SslMode::Disable,
        tls::Tls::On(_) => tokio_postgres::config::SslMode::Require,
    });
    Ok((config, tls))
}

/// The settings of service `name` from `PGSERVICEFILE` (else
/// `~/.pg_service.conf`), then `$PGSYSCONFDIR/pg_service.conf`.
fn read_service(name: &str) -> Result<HashMap<String, String>, String> {
    let mut files = Vec::new();
    match std::env::var_os("PGSERVICEFILE") {
        Some(file) => files.push(std::path::PathBuf::from(file)),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                files.push(std::path::Path::new(&home).join(".pg_service.conf"));
            }
        }
    }
    if let Some(dir) = std::env::var_os("PGSYSCONFDIR") {
        files.push(std::path::Path::new(&dir).join("pg_service.conf"));
    }
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some(settings) = service_settings(&text, name) {
            return Ok(settings);
        }
    }
    Err(format!(
        "PGSERVICE names service {name:?}, which no service file defines"
    ))
}

/// The `key=value` lines of section `[name]` of a service file.
fn service_settings(text: &str, name: &str) -> Option<HashMap<String, String>> {
    let mut settings = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if settings.is_some() {
                break;
            }
            if section.trim() == name {
                settings = Some(HashMap::new());
            }
        } else if let (Some(settings), Some((key, value))) =
            (settings.as_mut(), line.split_once('='))
        {
            settings.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    settings
}

/// Creates the schema when the database has none, once, under a lock,
/// and adds what a database made by an earlier refnotes lacks.
async fn ensure_schema(client: &mut Client) -> anyhow::Result<()> {
    const PRESENT: &str = "SELECT to_regclass('refnotes_collections') IS NOT NULL, \
                           to_regclass('refnotes_terms') IS NOT NULL";
    let row = client.query_one(PRESENT, &[]).await?;
    if row.get::<_, bool>(0) && row.get::<_, bool>(1) {
        return Ok(());
    }
    let transaction = client.transaction().await?;
    transaction
        .execute(
            "SELECT pg_advisory_xact_lock(hashtext('refnotes:schema'))",
            &[],
        )
        .await?;
    let row = transaction.query_one(PRESENT, &[]).await?;
    let (tables, terms): (bool, bool) = (row.get(0), row.get(1));
    let missing = match (tables, terms) {
        (false, _) => format!("{SCHEMA}{TERMS}"),
        (true, false) => format!("{TERMS}{TERMS_UPGRADE}"),
        (true, true) => String::new(),
    };
    if !missing.is_empty() {
        transaction.batch_execute(&missing).await.map_err(|error| {
            anyhow!(
                "the database lacks refnotes tables and this user cannot create them: {}",
                db_message(&error)
            )
        })?;
    }
    transaction.commit().await?;
    Ok(())
}

/// Creates the schema (and the reader and writer roles' grants) as an
/// administrator would, for setting a database up by hand or in tests.
pub fn install(url: &SharedUrl) -> anyhow::Result<()> {
    let store = PgStore::connect(url)?;
    store
        .runtime
        .block_on(async {
            let (mut client, connection) = store.session().await?;
            ensure_schema(&mut client).await?;
            client.batch_execute(GRANTS).await?;
            drop(client);
            let _ = connection.await;
            Ok(())
        })
        .map_err(store.failed("installing the schema"))
}

fn key_from(hash: &[u8], len: i64, markdown: bool) -> ContentKey {
    let mut bytes = [0u8; 16];
    let n = hash.len().min(16);
    bytes[..n].copy_from_slice(&hash[..n]);
    ContentKey {
        hash: u128::from_le_bytes(bytes),
        len: len as u64,
        markdown,
    }
}

/// `sources` in runs of at most `count` documents and about [`BATCH_BYTES`].
fn batches<'a, 's>(sources: &'a [&'s SourceText], count: usize) -> Vec<&'a [&'s SourceText]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sources.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < sources.len() && end - start < count && (end == start || bytes < BATCH_BYTES) {
            bytes += sources[end].text.len();
            end += 1;
        }
        out.push(&sources[start..end]);
        start = end;
    }
    out
}

/// A database error's own words (the server's message and detail), which
/// never include the connection's password.
fn db_message(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => chain(&anyhow::Error::msg(error.to_string())),
    }
}

/// An error and its causes, joined: `error connecting to server: Connection refused`.
fn chain(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = match cause.downcast_ref::<tokio_postgres::Error>() {
            Some(pg) => match pg.as_db_error() {
                Some(db) => db.message().to_string(),
                None => pg.to_string(),
            },
            None => cause.to_string(),
        };
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_shows_the_grants() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(GRANTS),
            "paste GRANTS into README.md's Teams section"
        );
    }

    #[test]
    fn service_files_are_read_by_section() {
        let text = "# team\n[desk]\nhost=db.example\nport = 6432\n\n[other]\nhost=x\n";
        let settings = service_settings(text, "desk").unwrap();
        assert_eq!(settings["host"], "db.example");
        assert_eq!(settings["port"], "6432");
        assert_eq!(service_settings(text, "other").unwrap()["host"], "x");
        assert!(service_settings(text, "missing").is_none());
    }

    #[test]
    fn batches_keep_every_source_once_in_order() {
        let sources: Vec<SourceText> = (0..10)
            .map(|i| SourceText {
                id: i.to_string(),
                text: "x".repeat(i),
                ..SourceText::default()
            })
            .collect();
        let refs: Vec<&SourceText> = sources.iter().collect();
        let runs = batches(&refs, 3);
        assert_eq!(
            runs.iter().map(|b| b.len()).collect::<Vec<_>>(),
            [3, 3, 3, 1]
        );
        let ids: Vec<&str> = runs
            .iter()
            .flat_map(|b| b.iter().map(|s| s.id.as_str()))
            .collect();
        assert_eq!(ids, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    }
}
