-- 008_report_sources_compressed: a kept file may be stored zlib-compressed (compression = 'zlib'; NULL: the bytes as loaded, as 007 kept them).
-- DuckDB needs about five times a blob's size to write it: a 90 MB text appendix kept raw took a load past 1 GB,
-- while its text compresses about fifty-fold (issue 26).
ALTER TABLE report_sources ADD COLUMN compression VARCHAR;
