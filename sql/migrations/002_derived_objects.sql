-- 002_derived_objects: the version of a store is the last migration applied, no longer a hash of the SQL text, and each derived object is recorded with the hash of its definition.
-- store_version held that hash (views_version()): any edit to any SQL file, a comment included,
-- made the dashboard rebuild the whole store. derived_objects lets a write rebuild a materialised
-- table (slippage_facts, movement_by_report) only when its definition, or the definition of
-- something it reads, changed; otherwise a write refreshes just the councils it touched.
DROP TABLE IF EXISTS store_version;

-- derived_objects: one row per view, macro and materialised table of sql/macros, sql/staging and sql/marts in the store.
CREATE TABLE derived_objects (
    name       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,     -- view | macro | table macro | table
    definition VARCHAR NOT NULL,     -- hash of its SQL (comments and spacing aside) and of all it reads
    defined_at TIMESTAMP NOT NULL    -- when the store got this definition (a table: its last full rebuild)
);
