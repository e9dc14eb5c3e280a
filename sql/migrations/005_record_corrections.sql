-- 005_record_corrections: an admin's correction of one record's field (a misread original target, a wrong status), kept beside what was read.
-- A correction never changes recommendations: it names the record by its identity (council, report
-- date and recommendation_key), so it survives a re-read or a replacement of the same report, and
-- the staging views show the corrected value with the note of who corrected it, when and what was printed.
-- A new correction of the same field is a new row; the newest applies and the older ones are the history.
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
