-- in_refresh_scope(council): whether a council's rows are being recomputed: true for every council outside a refresh.
-- A write recomputes only the councils it touched (etl/store/derived.py): it sets the session
-- variable refresh_councils to their names, and the staging views and movement_by_report read only
-- those councils' rows. Every window partitions by council, so a council computed alone gives
-- exactly its rows computed with all the others. Unset (every reader, a full rebuild), every
-- council passes. The variable is folded into a constant when a query is planned, so the filter
-- sits on the table scans, below every window.
CREATE OR REPLACE MACRO in_refresh_scope(council) AS
    getvariable('refresh_councils') IS NULL OR list_contains(getvariable('refresh_councils'), council);
