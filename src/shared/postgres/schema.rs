//! The shared store's SQL schema and the grants an administrator runs once:
//! text, kept apart from the code that loads and reads through it.

/// The tables, indexes and policies, created by the first load into a
/// database (by a role allowed to create tables there), with [`TERMS`].
pub const SCHEMA: &str = r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE refnotes_collections (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    role name NOT NULL DEFAULT current_user,
    version bigint NOT NULL DEFAULT 0,
    documents bigint NOT NULL DEFAULT 0,
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

/// How many of a collection's visible documents hold each word, as the
/// sentences' `tsvector`s spell it: what the candidate query picks a note's
/// rare words by. The loader changes it in the transaction that moves the
/// collection's version, so it always describes the visible version.
/// Part of [`SCHEMA`]'s first run, and added on its own to a database made
/// before it existed (see [`TERMS_UPGRADE`]).
pub const TERMS: &str = r#"
CREATE TABLE refnotes_terms (
    collection int NOT NULL REFERENCES refnotes_collections ON DELETE CASCADE,
    term text NOT NULL,
    documents int NOT NULL,
    PRIMARY KEY (collection, term)
);
ALTER TABLE refnotes_terms ENABLE ROW LEVEL SECURITY;
CREATE POLICY refnotes_member ON refnotes_terms
    USING (collection IN (SELECT id FROM refnotes_collections));
"#;

/// Brings a database whose schema predates [`TERMS`] up to date: the
/// column and table, the grants [`GRANTS`] now gives, and every
/// collection's counts at its visible version.
pub const TERMS_UPGRADE: &str = r#"
ALTER TABLE refnotes_collections ADD COLUMN IF NOT EXISTS documents bigint NOT NULL DEFAULT 0;
UPDATE refnotes_collections c SET documents = (SELECT count(*) FROM refnotes_documents d
    WHERE d.collection = c.id AND d.added_in <= c.version
    AND (d.removed_in IS NULL OR d.removed_in > c.version));
INSERT INTO refnotes_terms (collection, term, documents)
SELECT d.collection, w.term, count(*) FROM refnotes_collections c
JOIN refnotes_documents d ON d.collection = c.id AND d.added_in <= c.version
    AND (d.removed_in IS NULL OR d.removed_in > c.version),
LATERAL (SELECT DISTINCT t.term FROM refnotes_sentences s,
    unnest(tsvector_to_array(s.words)) AS t(term) WHERE s.document = d.id) w
GROUP BY d.collection, w.term;
DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'refnotes_reader') THEN
        GRANT SELECT ON refnotes_terms TO refnotes_reader;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'refnotes_writer') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON refnotes_terms TO refnotes_writer;
    END IF;
END $$;
"#;

/// What an administrator runs once after the schema exists: the group roles
/// editors (`refnotes_reader`) and loaders (`refnotes_writer`) are granted.
/// The README quotes it (a test holds it to this).
pub const GRANTS: &str = r#"CREATE ROLE refnotes_reader NOLOGIN;
CREATE ROLE refnotes_writer NOLOGIN;
GRANT SELECT ON refnotes_collections, refnotes_runs, refnotes_documents,
    refnotes_sentences, refnotes_claims, refnotes_entities, refnotes_terms
    TO refnotes_reader, refnotes_writer;
GRANT INSERT, UPDATE, DELETE ON refnotes_collections, refnotes_runs,
    refnotes_documents, refnotes_sentences, refnotes_claims, refnotes_entities,
    refnotes_terms TO refnotes_writer;
GRANT USAGE ON SEQUENCE refnotes_collections_id_seq, refnotes_documents_id_seq
    TO refnotes_writer;"#;
