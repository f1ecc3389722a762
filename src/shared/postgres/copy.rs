//! The loader's bulk write: a batch of analysed documents goes into the
//! shared store by binary `COPY`, and the rows each document yields (claims,
//! names) are worked out beforehand, off the database connection.
//!
//! `COPY FROM` is refused on tables with row-level security, so rows are
//! copied into temporary staging tables (the session's own, emptied at each
//! commit) and moved into the guarded tables with one `INSERT … SELECT` per
//! table, which the policies check as they check any insert. The sentences'
//! `tsvector`s are computed there, from the sentence text the stage holds.
//! Document ids are drawn from the table's sequence first, so every row of a
//! batch can be staged before anything is inserted.

use std::borrow::Cow;
use std::pin::pin;

use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Transaction};

use super::super::ContentKey;
use crate::corpus::index::DocAnalysis;
use crate::corpus::SourceText;
use crate::extract::claims;
use crate::text::Span;

/// The staging tables, created once per loading session. They hold one
/// batch at a time (`ON COMMIT DELETE ROWS`); the larger `temp_buffers`
/// (which must be set before a session's first temporary table) keeps a
/// 16 MB batch in memory.
const STAGE: &str = r#"
SET temp_buffers = '64MB';
CREATE TEMPORARY TABLE refnotes_stage_documents (
    id bigint, doc text, path text, hash bytea, len bigint, markdown boolean, title text,
    date text, url text, origin bytea, body bytea, analysis bytea
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE refnotes_stage_sentences (
    document bigint, n int, start_byte int, end_byte int, words text
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE refnotes_stage_claims (
    document bigint, sentence int, kind text, unit text, value float8, low float8,
    high float8, subject text, measure text, period text, role text, span_start int,
    span_end int
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE refnotes_stage_entities (
    document bigint, name text, key text, alias_of text
) ON COMMIT DELETE ROWS;
"#;

/// Creates the session's staging tables.
pub(super) async fn stage(client: &Client) -> anyhow::Result<()> {
    client.batch_execute(STAGE).await?;
    Ok(())
}

/// One document ready to write: its row's values and the rows it yields,
/// built on the analysing thread.
pub(super) struct Prepared<'a> {
    source: &'a SourceText,
    key: ContentKey,
    origin: Option<Vec<u8>>,
    analysis: Vec<u8>,
    /// Each sentence's byte span.
    sentences: Vec<(i32, i32)>,
    claims: ClaimRows,
    names: NameRows,
}

impl<'a> Prepared<'a> {
    /// Analyses `source` (the CPU-heavy part of a load) and lays out its rows.
    pub(super) fn of(source: &'a SourceText) -> Prepared<'a> {
        let key = ContentKey::of(source);
        let analysis = DocAnalysis::of(&source.text, source.markdown);
        let text = &source.text;
        Prepared {
            source,
            key,
            origin: source
                .origin
                .as_ref()
                .map(|origin| postcard::to_allocvec(origin).expect("an origin always encodes")),
            analysis: postcard::to_allocvec(&analysis).expect("an analysis always encodes"),
            sentences: analysis
                .analysis
                .sentences
                .iter()
                .map(|s| (s.start() as i32, s.end() as i32))
                .collect(),
            claims: ClaimRows::of(text, &analysis.analysis),
            names: NameRows::of(text, &analysis.analysis),
        }
    }

    /// The document this came from.
    pub(super) fn source(&self) -> &'a SourceText {
        self.source
    }
}

/// Writes a batch inside `transaction`: the documents as version `version`
/// of collection `collection`, with their sentences, claims and names.
pub(super) async fn write(
    transaction: &Transaction<'_>,
    collection: i32,
    version: i64,
    engine: i64,
    batch: &[Prepared<'_>],
) -> anyhow::Result<()> {
    let ids: Vec<i64> = transaction
        .query(
            "SELECT nextval('refnotes_documents_id_seq') FROM generate_series(1, $1::int)",
            &[&(batch.len() as i32)],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    copy_documents(transaction, &ids, batch).await?;
    copy_sentences(transaction, &ids, batch).await?;
    copy_claims(transaction, &ids, batch).await?;
    copy_names(transaction, &ids, batch).await?;
    transaction
        .execute(
            "INSERT INTO refnotes_documents (id, collection, doc, path, hash, len, markdown, \
             title, date, url, origin, body, engine, analysis, added_in) \
             SELECT id, $1, doc, path, hash, len, markdown, title, date, url, origin, body, \
             $2, analysis, $3 FROM refnotes_stage_documents",
            &[&collection, &engine, &version],
        )
        .await?;
    transaction
        .execute(
            "INSERT INTO refnotes_sentences (document, collection, n, start_byte, end_byte, \
             words) SELECT document, $1, n, start_byte, end_byte, to_tsvector('simple', words) \
             FROM refnotes_stage_sentences",
            &[&collection],
        )
        .await?;
    transaction
        .execute(
            "INSERT INTO refnotes_claims (document, collection, sentence, kind, unit, value, \
             low, high, subject, measure, period, role, span_start, span_end) \
             SELECT document, $1, sentence, kind, unit, value, low, high, subject, measure, \
             period, role, span_start, span_end FROM refnotes_stage_claims",
            &[&collection],
        )
        .await?;
    transaction
        .execute(
            "INSERT INTO refnotes_entities (document, collection, name, key, alias_of) \
             SELECT document, $1, name, key, alias_of FROM refnotes_stage_entities",
            &[&collection],
        )
        .await?;
    Ok(())
}

/// A binary `COPY` of `rows` (each of `types`) into one staging table.
async fn copy_into(
    transaction: &Transaction<'_>,
    table: &str,
    types: &[Type],
    rows: Vec<Vec<&(dyn ToSql + Sync)>>,
) -> anyhow::Result<()> {
    let sink = transaction
        .copy_in(&format!("COPY {table} FROM STDIN (FORMAT binary)"))
        .await?;
    let mut writer = pin!(BinaryCopyInWriter::new(sink, types));
    for row in rows {
        writer.as_mut().write(&row).await?;
    }
    writer.finish().await?;
    Ok(())
}

struct DocumentValues<'a> {
    body: &'a [u8],
    hash: Vec<u8>,
    len: i64,
    path: String,
    title: String,
}

async fn copy_documents(
    transaction: &Transaction<'_>,
    ids: &[i64],
    batch: &[Prepared<'_>],
) -> anyhow::Result<()> {
    let values: Vec<DocumentValues> = batch
        .iter()
        .map(|document| DocumentValues {
            body: document.source.text.as_bytes(),
            hash: document.key.hash.to_le_bytes().to_vec(),
            len: document.key.len as i64,
            path: document.source.path.to_string_lossy().into_owned(),
            title: document.source.title.replace('\0', ""),
        })
        .collect();
    let rows = batch
        .iter()
        .zip(ids)
        .zip(&values)
        .map(|((document, id), values)| {
            let source = document.source;
            let row: Vec<&(dyn ToSql + Sync)> = vec![
                id,
                &source.id,
                &values.path,
                &values.hash,
                &values.len,
                &document.key.markdown,
                &values.title,
                &source.date,
                &source.url,
                &document.origin,
                &values.body,
                &document.analysis,
            ];
            row
        })
        .collect();
    let types = [
        Type::INT8,
        Type::TEXT,
        Type::TEXT,
        Type::BYTEA,
        Type::INT8,
        Type::BOOL,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::BYTEA,
        Type::BYTEA,
        Type::BYTEA,
    ];
    copy_into(transaction, "refnotes_stage_documents", &types, rows).await
}

async fn copy_sentences(
    transaction: &Transaction<'_>,
    ids: &[i64],
    batch: &[Prepared<'_>],
) -> anyhow::Result<()> {
    // The sentence text is what its `tsvector` is made of; PostgreSQL text
    // cannot hold NUL, which says nothing about words anyway.
    let mut values: Vec<(&i64, i32, &i32, &i32, Cow<'_, str>)> = Vec::new();
    for (document, id) in batch.iter().zip(ids) {
        let text = &document.source.text;
        for (n, (start, end)) in document.sentences.iter().enumerate() {
            let words = text.get(*start as usize..*end as usize).unwrap_or("");
            let words = match words.contains('\0') {
                true => Cow::Owned(words.replace('\0', " ")),
                false => Cow::Borrowed(words),
            };
            values.push((id, n as i32, start, end, words));
        }
    }
    let rows = values
        .iter()
        .map(|(id, n, start, end, words)| {
            let row: Vec<&(dyn ToSql + Sync)> = vec![*id, n, *start, *end, words];
            row
        })
        .collect();
    let types = [Type::INT8, Type::INT4, Type::INT4, Type::INT4, Type::TEXT];
    copy_into(transaction, "refnotes_stage_sentences", &types, rows).await
}

async fn copy_claims(
    transaction: &Transaction<'_>,
    ids: &[i64],
    batch: &[Prepared<'_>],
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for (document, id) in batch.iter().zip(ids) {
        let c = &document.claims;
        for i in 0..c.sentence.len() {
            let row: Vec<&(dyn ToSql + Sync)> = vec![
                id,
                &c.sentence[i],
                &c.kind[i],
                &c.unit[i],
                &c.value[i],
                &c.low[i],
                &c.high[i],
                &c.subject[i],
                &c.measure[i],
                &c.period[i],
                &c.role[i],
                &c.start[i],
                &c.end[i],
            ];
            rows.push(row);
        }
    }
    let types = [
        Type::INT8,
        Type::INT4,
        Type::TEXT,
        Type::TEXT,
        Type::FLOAT8,
        Type::FLOAT8,
        Type::FLOAT8,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::INT4,
        Type::INT4,
    ];
    copy_into(transaction, "refnotes_stage_claims", &types, rows).await
}

async fn copy_names(
    transaction: &Transaction<'_>,
    ids: &[i64],
    batch: &[Prepared<'_>],
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for (document, id) in batch.iter().zip(ids) {
        let names = &document.names;
        for i in 0..names.key.len() {
            let row: Vec<&(dyn ToSql + Sync)> =
                vec![id, &names.shown[i], &names.key[i], &names.alias_of[i]];
            rows.push(row);
        }
    }
    let types = [Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT];
    copy_into(transaction, "refnotes_stage_entities", &types, rows).await
}

/// A document's names as columns: as the text shows each, its key, and the
/// key of the name an alias the text defines stands for.
struct NameRows {
    shown: Vec<String>,
    key: Vec<String>,
    alias_of: Vec<Option<String>>,
}

impl NameRows {
    fn of(text: &str, analysis: &crate::extract::TextAnalysis) -> NameRows {
        let names = &analysis.names;
        let mut alias_of: Vec<Option<String>> = vec![None; names.len()];
        for &(name, alias) in &analysis.alias_definitions {
            if let (Some(slot), Some((main, _))) = (alias_of.get_mut(alias), names.get(name)) {
                *slot = Some(main.key.clone());
            }
        }
        NameRows {
            shown: names
                .iter()
                .map(|(name, _)| name.span.slice(text).replace('\0', ""))
                .collect(),
            key: names.iter().map(|(name, _)| name.key.clone()).collect(),
            alias_of,
        }
    }
}

/// A document's claims as columns: each figure with what its sentence says
/// it is about (the first name of its clause, by its key), what it measures,
/// its period and its role, read by the same claim model as the checker.
#[derive(Default)]
struct ClaimRows {
    sentence: Vec<i32>,
    kind: Vec<String>,
    unit: Vec<String>,
    value: Vec<f64>,
    low: Vec<Option<f64>>,
    high: Vec<Option<f64>>,
    subject: Vec<Option<String>>,
    measure: Vec<Option<String>>,
    period: Vec<Option<String>>,
    role: Vec<String>,
    start: Vec<i32>,
    end: Vec<i32>,
}

impl ClaimRows {
    fn of(text: &str, analysis: &crate::extract::TextAnalysis) -> ClaimRows {
        let mut rows = ClaimRows::default();
        let figures = &analysis.figures;
        let mut start = 0;
        while start < figures.len() {
            let index = figures[start].1;
            let end = start + figures[start..].partition_point(|(_, s)| *s == index);
            let sentence = analysis.sentences[index as usize];
            let names: Vec<(Span, &str)> = analysis
                .names
                .iter()
                .filter(|(name, _)| sentence.contains_span(name.span))
                .filter(|(name, _)| !claims::is_vocabulary(name.span.slice(text)))
                .map(|(name, _)| (name.span, name.key.as_str()))
                .collect();
            let spans: Vec<Span> = names.iter().map(|(span, _)| *span).collect();
            let in_sentence: Vec<&crate::extract::Figure> =
                figures[start..end].iter().map(|(f, _)| f).collect();
            let frames = claims::frames(text, sentence, &in_sentence, &spans);
            for (figure, frame) in in_sentence.iter().zip(frames) {
                rows.sentence.push(index as i32);
                rows.kind.push(crate::shared::enum_name(&figure.kind));
                rows.unit.push(figure.unit.clone());
                rows.value.push(figure.value);
                rows.low.push(figure.low);
                rows.high.push(figure.high);
                rows.subject.push(
                    frame
                        .clause_subjects
                        .first()
                        .or(frame.sentence_subjects.first())
                        .map(|&i| names[i].1.to_string()),
                );
                rows.measure
                    .push(frame.measures.first().map(|m| m.head.to_string()));
                rows.period.push(
                    Some(&frame.period)
                        .filter(|p| p.is_known())
                        .map(|p| serde_json::to_string(p).unwrap_or_default()),
                );
                rows.role.push(crate::shared::enum_name(&frame.role));
                rows.start.push(figure.span.start() as i32);
                rows.end.push(figure.span.end() as i32);
            }
            start = end;
        }
        rows
    }
}
