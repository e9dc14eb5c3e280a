-- 001_initial: the tables of the first release (sql/schema.sql at commit 1a9ad24): reports, recommendations, target_events, ingest_log, parse_warnings.
-- A store written before migrations existed holds exactly these tables and is recorded as being at
-- this migration without running it (etl/store/migrations.py checks their columns first).

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
    parser             VARCHAR NOT NULL,   -- text | pdf
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

-- parse_warnings: cells that were read with doubt or not at all, with the raw text.
CREATE TABLE parse_warnings (
    report_id INTEGER NOT NULL,
    record_no INTEGER,
    field     VARCHAR NOT NULL,
    raw_text  VARCHAR,
    message   VARCHAR NOT NULL
);
