-- 003_progress_columns: a tracker's "% complete" and RAG progress columns, and the text of columns no field names, on each recommendation.
-- Many trackers print a % complete and a Red/Amber/Green progress rating: they are neither risk nor
-- status, so they are kept in columns of their own. A column the layouts cannot map is kept as
-- "Header: text" lines rather than dropped. Earlier reports have NULL in all three.
ALTER TABLE recommendations ADD COLUMN percent_complete DOUBLE;
ALTER TABLE recommendations ADD COLUMN rag VARCHAR;
ALTER TABLE recommendations ADD COLUMN unmapped_columns VARCHAR;
