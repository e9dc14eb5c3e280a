-- The store's tables as the migrations in sql/migrations/ leave them. Only the ETL writes these tables
-- (etl/store/); everything else reads the views in sql/staging/ and sql/marts/.
-- Not run by the ETL: every store gets its tables from the migrations, applied in order and recorded in
-- schema_migrations. To change a table, add the next numbered migration and change this file to match;
-- tests/test_migrations.py checks that the two agree.

-- reports: one row per loaded appendix file.
CREATE SEQUENCE report_ids START 1;
CREATE TABLE reports (
    report_id          INTEGER PRIMARY KEY DEFAULT nextval('report_ids'),
    council            VARCHAR NOT NULL,
    title              VARCHAR,
    report_date        DATE NOT NULL,
    report_date_source VARCHAR NOT NULL,   -- given | printed | inferred
    source_file        VARCHAR NOT NULL,
    content_hash       VARCHAR NOT NULL UNIQUE,
    parser             VARCHAR NOT NULL,   -- the input kind's name: pdf | text | docx | xlsx | csv
    pages              INTEGER,
    record_count       INTEGER NOT NULL,
    loaded_at          TIMESTAMP NOT NULL,
    loaded_by          VARCHAR
);

-- recommendations: one row per record per report, text as clean text, dates as interpreted.
CREATE TABLE recommendations (
    report_id            INTEGER NOT NULL,
    record_no            INTEGER NOT NULL,
    source_page          INTEGER,
    section              VARCHAR,
    ref                  VARCHAR,
    audit_title          VARCHAR,
    directorate          VARCHAR,
    responsible          VARCHAR,
    finding              VARCHAR,
    recommendation       VARCHAR,
    management_response  VARCHAR,
    latest_update        VARCHAR,
    further_action       VARCHAR,
    risk_raw             VARCHAR,
    risk_level           VARCHAR,
    status               VARCHAR NOT NULL,
    status_raw           VARCHAR,
    target_raw           VARCHAR,
    original_target_date DATE,
    current_target_date  DATE,
    latest_update_period VARCHAR,
    no_update_stated     BOOLEAN NOT NULL,   -- the document itself says no fresh update was given
    recommendation_key   VARCHAR NOT NULL,
    percent_complete     DOUBLE,             -- a "% complete" column, as printed (0-100)
    rag                  VARCHAR,            -- a RAG progress rating (Red/Amber/Green), neither risk nor status
    unmapped_columns     VARCHAR,            -- "Header: text" of each column no field names, one a line
    requested_target_date DATE,              -- a later date asked for, not yet agreed (not a target)
    requested_reason     VARCHAR,            -- the reason printed with it
    PRIMARY KEY (report_id, record_no)
);

-- target_events: every target value read for a record, in order; in_history marks the values
-- its revisions are counted on (one numbered part when a cell holds several).
CREATE TABLE target_events (
    report_id   INTEGER NOT NULL,
    record_no   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    part        INTEGER NOT NULL,
    in_history  BOOLEAN NOT NULL,
    target_date DATE,                -- NULL when the value is TBC
    is_tbc      BOOLEAN NOT NULL,
    raw_text    VARCHAR,
    source      VARCHAR NOT NULL,    -- target | previous_cycle | revised
    cycle       VARCHAR,             -- YYYY-MM of the reporting cycle that set it, when printed
    PRIMARY KEY (report_id, record_no, seq)
);

-- ingest_log: one row per attempt to load a file, whatever its outcome.
CREATE SEQUENCE attempt_ids START 1;
CREATE TABLE ingest_log (
    attempt_id   INTEGER PRIMARY KEY DEFAULT nextval('attempt_ids'),
    attempted_at TIMESTAMP NOT NULL,
    source_file  VARCHAR NOT NULL,
    content_hash VARCHAR,
    council      VARCHAR,
    report_date  DATE,
    report_id    INTEGER,
    outcome      VARCHAR NOT NULL,   -- loaded | unchanged | replaced | failed | removed
    message      VARCHAR,
    records      INTEGER,
    seconds      DOUBLE,
    loaded_by    VARCHAR
);

-- layout_overrides: each council's layout override, every version kept (004_layout_overrides).
CREATE SEQUENCE layout_override_ids START 1;
CREATE TABLE layout_overrides (
    override_id  INTEGER PRIMARY KEY DEFAULT nextval('layout_override_ids'),
    council_key  VARCHAR NOT NULL,   -- the council's name normalised (case and punctuation ignored)
    council      VARCHAR NOT NULL,   -- as the admin gave it
    version      INTEGER NOT NULL,   -- 1, 2, ... per council
    layout_toml  VARCHAR NOT NULL,
    saved_by     VARCHAR NOT NULL,
    saved_at     TIMESTAMP NOT NULL,
    note         VARCHAR,            -- why: taught in the preview, restored from version N, imported from FILE
    UNIQUE (council_key, version)
);

-- record_corrections: one record's field corrected by an admin, beside what was read (005_record_corrections).
CREATE SEQUENCE correction_ids START 1;
CREATE TABLE record_corrections (
    correction_id      INTEGER PRIMARY KEY DEFAULT nextval('correction_ids'),
    council            VARCHAR NOT NULL,
    report_date        DATE NOT NULL,
    recommendation_key VARCHAR NOT NULL,
    field              VARCHAR NOT NULL,   -- original_target_date | current_target_date | status | risk_level
    printed            VARCHAR,            -- the cell as printed (what the reader read it from)
    read_as            VARCHAR,            -- the value the reader made of it
    corrected          VARCHAR NOT NULL,   -- the right value: an ISO date, or a status or risk level
    reason             VARCHAR NOT NULL,
    corrected_by       VARCHAR NOT NULL,
    corrected_at       TIMESTAMP NOT NULL
);

-- report_sources: each loaded report's file, for re-reading it without the file at hand (007_report_sources, 008).
CREATE TABLE report_sources (
    content_hash VARCHAR PRIMARY KEY,   -- the report's reports.content_hash; goes with the report
    file_name    VARCHAR NOT NULL,
    bytes        BLOB NOT NULL,
    stored_at    TIMESTAMP NOT NULL,
    compression  VARCHAR             -- 'zlib': bytes compressed; NULL: as loaded (008_report_sources_compressed)
);

-- parse_warnings: cells that were read with doubt or not at all, with the raw text.
CREATE TABLE parse_warnings (
    report_id INTEGER NOT NULL,
    record_no INTEGER,
    field     VARCHAR NOT NULL,
    raw_text  VARCHAR,
    message   VARCHAR NOT NULL
);

-- schema_migrations: one row per migration applied to the store (sql/migrations/NNN_name.sql); the last is the store's version.
CREATE TABLE schema_migrations (
    number     INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- derived_objects: one row per view, macro and materialised table of sql/macros, sql/staging and sql/marts in the store.
CREATE TABLE derived_objects (
    name       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,     -- view | macro | table macro | table
    definition VARCHAR NOT NULL,     -- hash of its SQL (comments and spacing aside) and of all it reads
    defined_at TIMESTAMP NOT NULL    -- when the store got this definition (a table: its last full rebuild)
);
