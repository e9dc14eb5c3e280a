-- 004_layout_overrides: a council's layout override taught in the admin app or read in by etl layout import, every version kept.
-- The override is TOML in the format of etl/layouts/councils/*.toml, merged over that council's
-- shipped file (if any) and the defaults. A new version is a new row, never an update, so the history
-- (who, when, what it was before and after) is the table itself; the latest version applies, and an
-- empty layout_toml means the council has no override from that version on.
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
