//! The candidate query (which documents may hold a note's figure) and the
//! per-collection word counts it ranks by.
//!
//! Ranking every sentence that shares a word with the note costs as much as
//! the note's commonest word is common: at 1 GB a word like "company"
//! matches millions of sentences. So the query looks up the note's words in
//! `refnotes_terms` (how many visible documents hold each) and searches only
//! for its rarest few, within a budget of matching documents; a document
//! ranks by the share of that rare weight (idf) it holds. The work is
//! bounded by [`RARE_WORDS`] and [`WORD_BUDGET`], not by the collection;
//! the figure's half likewise by [`VALUE_BUDGET`] claims.
//!
//! The counts describe the collection's visible version: the loader changes
//! them ([`PUBLISH_TERMS`]) in the transaction that moves the version.
//!
//! Every query runs under `statement_timeout` (the URL's `query_timeout_ms`,
//! default [`DEFAULT_TIMEOUT`]), and the client gives up a little later
//! still, so a slow or stuck database answers with an error, not a wait.

use std::time::Duration;

use anyhow::anyhow;
use tokio_postgres::error::SqlState;
use tokio_postgres::Transaction;

use super::PgStore;
use crate::shared::{CandidateQuery, QueryTimedOut};

/// How long a candidate query may run unless the URL says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// The most words of a note searched for.
pub const RARE_WORDS: i64 = 8;
/// The most documents those words may be in, together: a word that would
/// take the sum past it (and every commoner one) is left out.
pub const WORD_BUDGET: i64 = 5_000;
/// The most claims taken from each side of the range's middle, nearest
/// first: a wide range over a common kind (a year ±1% is 40 years) holds
/// hundreds of thousands at 1 GB.
pub const VALUE_BUDGET: i64 = 500;
/// How much longer than the statement's own limit the client waits for a
/// pooled connection and the round trips around the statement.
const CLIENT_GRACE: Duration = Duration::from_secs(5);

/// Applies a finished load's changes to `refnotes_terms`, inside the
/// transaction that makes version `$2` of collection `$1` visible: each
/// word of the documents the version adds counts once more, each of the
/// documents it removes once less. Words come from the stored `tsvector`s,
/// so they are spelled exactly as the sentence search matches them. Each
/// document's words are made distinct on their own (a small set), so only
/// the per-word sums are grouped across the load: at 1 GB, making the
/// (document, word) pairs distinct all at once spilled a 6 GB sort to disk.
pub(super) const PUBLISH_TERMS: &str = "\
    WITH changes AS (\
        SELECT w.term, sum(CASE WHEN d.added_in = $2 THEN 1 ELSE -1 END) AS change \
        FROM refnotes_documents d, LATERAL (\
            SELECT DISTINCT t.term FROM refnotes_sentences s, \
            unnest(tsvector_to_array(s.words)) AS t(term) WHERE s.document = d.id\
        ) w \
        WHERE d.collection = $1 AND (d.added_in = $2 OR d.removed_in = $2) \
        GROUP BY w.term\
    ) \
    INSERT INTO refnotes_terms AS t (collection, term, documents) \
    SELECT $1, term, change::int FROM changes WHERE change <> 0 \
    ON CONFLICT (collection, term) DO UPDATE SET documents = t.documents + excluded.documents";

/// Memory for [`PUBLISH_TERMS`]' grouping (one entry per distinct word), so
/// a large load's words are counted in memory rather than on disk.
pub(super) const PUBLISH_MEMORY: &str = "SET LOCAL work_mem = '64MB'";

/// Drops the words no visible document of collection `$1` holds any more.
pub(super) const DROP_UNUSED_TERMS: &str =
    "DELETE FROM refnotes_terms WHERE collection = $1 AND documents <= 0";

/// Documents with a claim of the kind and unit in the range (rank 1 each;
/// those nearest the range's middle, at most [`VALUE_BUDGET`] either side)
/// and documents sharing the note's rare words (rank: the share of their
/// idf weight a document holds, 0 to 1), summed, best first.
const QUERY: &str = "\
    WITH c AS (SELECT id, version, documents FROM refnotes_collections WHERE name = $1), \
    alive AS (SELECT d.id, d.doc FROM refnotes_documents d, c \
        WHERE d.collection = c.id AND d.added_in <= c.version \
        AND (d.removed_in IS NULL OR d.removed_in > c.version)), \
    by_value AS (SELECT DISTINCT v.document, 1.0::float8 AS rank FROM (\
        (SELECT cl.document FROM refnotes_claims cl \
            WHERE cl.collection = (SELECT id FROM c) AND cl.kind = $2 AND cl.unit = $3 \
            AND cl.value >= ($4::float8 + $5::float8) / 2 AND cl.value <= $5 ORDER BY cl.value LIMIT $10) \
        UNION ALL \
        (SELECT cl.document FROM refnotes_claims cl \
            WHERE cl.collection = (SELECT id FROM c) AND cl.kind = $2 AND cl.unit = $3 \
            AND cl.value >= $4 AND cl.value < ($4::float8 + $5::float8) / 2 ORDER BY cl.value DESC LIMIT $10)\
        ) v), \
    note AS (SELECT DISTINCT w.term FROM unnest(tsvector_to_array(to_tsvector('simple', $6))) \
        AS w(term)), \
    known AS (SELECT t.term, ln((c.documents + 1)::float8 / t.documents) AS idf, \
        sum(t.documents) OVER (ORDER BY t.documents, t.term) AS spent, \
        row_number() OVER (ORDER BY t.documents, t.term) AS k \
        FROM refnotes_terms t, c, note WHERE t.collection = c.id AND t.term = note.term \
        AND t.documents > 0), \
    rare AS (SELECT term, idf FROM known WHERE spent <= $8 AND k <= $9), \
    by_words AS (SELECT m.document, sum(r.idf) / (SELECT sum(idf) FROM rare) AS rank \
        FROM rare r CROSS JOIN LATERAL (SELECT DISTINCT s.document \
            FROM refnotes_sentences s, c \
            WHERE s.collection = c.id AND s.words @@ plainto_tsquery('simple', r.term)) m \
        GROUP BY m.document ORDER BY 2 DESC LIMIT $7) \
    SELECT a.doc, sum(h.rank) AS rank FROM \
        (SELECT * FROM by_value UNION ALL SELECT * FROM by_words) h \
        JOIN alive a ON a.id = h.document \
    GROUP BY a.doc ORDER BY rank DESC, a.doc LIMIT $7";

impl PgStore {
    /// The candidate query, bounded in time: the statement by
    /// `statement_timeout`, the whole call (connection included) by the
    /// client.
    pub(super) async fn candidates_async(
        &self,
        collection: &str,
        query: &CandidateQuery,
    ) -> anyhow::Result<Vec<String>> {
        let limit = self.url.query_timeout;
        let ms = limit.as_millis();
        match tokio::time::timeout(limit + CLIENT_GRACE, self.run_candidates(collection, query))
            .await
        {
            Ok(Err(error)) if is_timeout(&error) => Err(QueryTimedOut { ms }.into()),
            Ok(result) => result,
            Err(_) => Err(anyhow!(
                "the candidate query timed out after {} ms waiting for the database \
                 (query_timeout_ms {ms}, plus {} ms to connect)",
                (limit + CLIENT_GRACE).as_millis(),
                CLIENT_GRACE.as_millis()
            )),
        }
    }

    async fn run_candidates(
        &self,
        collection: &str,
        query: &CandidateQuery,
    ) -> anyhow::Result<Vec<String>> {
        let mut client = self.client().await?;
        let transaction = client.build_transaction().read_only(true).start().await?;
        set_timeout(&transaction, self.url.query_timeout).await?;
        let statement = transaction.prepare_cached(QUERY).await?;
        let rows = transaction
            .query(
                &statement,
                &[
                    &collection,
                    &query.kind,
                    &query.unit,
                    &query.low,
                    &query.high,
                    &query.words,
                    &query.limit,
                    &WORD_BUDGET,
                    &RARE_WORDS,
                    &VALUE_BUDGET,
                ],
            )
            .await?;
        transaction.commit().await?;
        Ok(rows.into_iter().map(|row| row.get(0)).collect())
    }
}

/// Limits every later statement of `transaction` to `limit`.
async fn set_timeout(transaction: &Transaction<'_>, limit: Duration) -> anyhow::Result<()> {
    // `SET LOCAL` takes no parameters; `set_config(…, true)` is the same.
    transaction
        .execute(
            "SELECT set_config('statement_timeout', $1, true)",
            &[&format!("{}ms", limit.as_millis().max(1))],
        )
        .await?;
    Ok(())
}

/// Whether the server cancelled the statement (its `statement_timeout`).
fn is_timeout(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<tokio_postgres::Error>())
        .any(|error| error.code() == Some(&SqlState::QUERY_CANCELED))
}
