-- The loaded reports whose file had one of these content hashes ($hashes): where a load of the same file already went (etl/wording.py).
SELECT content_hash, report_id, council, report_date, source_file, loaded_at, loaded_by
FROM reports WHERE list_contains($hashes, content_hash);
