//! The shared store's SQL schema and the grants an administrator runs once:
//! text, kept apart from the code that loads and reads through it.

/// The tables, indexes and policies, created by the first load into a
/// database (by a role allowed to create tables there).
pub const SCHEMA: &str = r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE refnotes_collections (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    role name NOT NULL DEFAULT current_user,
    version bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE refnotes_runs (
    collection int NOT NULL REFERENCES refnotes_collections ON DELETE CASCADE,
    version bigint NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    written int NOT NULL DEFAULT 0,
    PRIMARY KEY (collection, version)
);
CREATE TABLE refnotes_documents (
    id bigserial PRIMARY KEY,
    collection int NOT NULL REFERENCES refnotes_collections ON DELETE CASCADE,
    doc text NOT NULL,
    path text NOT NULL,
    hash bytea NOT NULL,
    len bigint NOT NULL,
    markdown boolean NOT NULL,
    title text NOT NULL,
    date text,
    url text,
    origin bytea,
    body bytea NOT NULL,
    engine bigint NOT NULL,
    analysis bytea NOT NULL,
    added_in bigint NOT NULL,
    removed_in bigint
);
CREATE INDEX refnotes_documents_alive ON refnotes_documents (collection, doc COLLATE "C", added_in);
CREATE TABLE refnotes_sentences (
    document bigint NOT NULL REFERENCES refnotes_documents ON DELETE CASCADE,
    collection int NOT NULL,
    n int NOT NULL,
    start_byte int NOT NULL,
    end_byte int NOT NULL,
    words tsvector NOT NULL,
    PRIMARY KEY (document, n)
);
CREATE INDEX refnotes_sentences_words ON refnotes_sentences USING gin (words);
CREATE TABLE refnotes_claims (
    document bigint NOT NULL REFERENCES refnotes_documents ON DELETE CASCADE,
    collection int NOT NULL,
    sentence int NOT NULL,
    kind text NOT NULL,
    unit text NOT NULL,
    value float8 NOT NULL,
    low float8,
    high float8,
    subject text,
    measure text,
    period text,
    role text NOT NULL,
    span_start int NOT NULL,
    span_end int NOT NULL
);
CREATE INDEX refnotes_claims_value ON refnotes_claims (collection, kind, unit, value);
CREATE INDEX refnotes_claims_subject ON refnotes_claims (collection, subject, measure);
CREATE INDEX refnotes_claims_document ON refnotes_claims (document);
CREATE TABLE refnotes_entities (
    document bigint NOT NULL REFERENCES refnotes_documents ON DELETE CASCADE,
    collection int NOT NULL,
    name text NOT NULL,
    key text NOT NULL,
    alias_of text
);
CREATE INDEX refnotes_entities_name ON refnotes_entities USING gin (key gin_trgm_ops);
CREATE INDEX refnotes_entities_document ON refnotes_entities (document);
ALTER TABLE refnotes_collections ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_collections
    USING (pg_has_role(current_user, role, 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, role, 'MEMBER'));
ALTER TABLE refnotes_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_runs
    USING (collection IN (SELECT id FROM refnotes_collections));
ALTER TABLE refnotes_documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_documents
    USING (collection IN (SELECT id FROM refnotes_collections));
ALTER TABLE refnotes_sentences ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_sentences
    USING (collection IN (SELECT id FROM refnotes_collections));
ALTER TABLE refnotes_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_claims
    USING (collection IN (SELECT id FROM refnotes_collections));
ALTER TABLE refnotes_entities ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_entities
    USING (collection IN (SELECT id FROM refnotes_collections));
"#;

/// What an administrator runs once after the schema exists: the group roles
/// editors (`refnotes_reader`) and loaders (`refnotes_writer`) are granted.
/// The README quotes it (a test holds it to this).
pub const GRANTS: &str = r#"CREATE ROLE refnotes_reader NOLOGIN;
CREATE ROLE refnotes_writer NOLOGIN;
GRANT SELECT ON refnotes_collections, refnotes_runs, refnotes_documents,
    refnotes_sentences, refnotes_claims, refnotes_entities
    TO refnotes_reader, refnotes_writer;
GRANT INSERT, UPDATE, DELETE ON refnotes_collections, refnotes_runs,
    refnotes_documents, refnotes_sentences, refnotes_claims, refnotes_entities
    TO refnotes_writer;
GRANT USAGE ON SEQUENCE refnotes_collections_id_seq, refnotes_documents_id_seq
    TO refnotes_writer;"#;
