-- 007_report_sources: each loaded report's file kept in the store, so a council's earlier reports can be re-read after it is taught.
-- Keyed by the report's content hash (reports.content_hash): a report's removal or replacement takes its
-- file out with it (etl/store/writes.py), and the store is then rewritten so no byte of it remains.
-- Reports loaded before this migration have no row: their file must be at hand to re-read them.
CREATE TABLE report_sources (
    content_hash VARCHAR PRIMARY KEY,
    file_name    VARCHAR NOT NULL,
    bytes        BLOB NOT NULL,
    stored_at    TIMESTAMP NOT NULL
);
