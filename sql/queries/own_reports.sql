-- How many loaded reports are not one of the bundled samples ($sample_hashes: their content hashes), i.e. someone's own.
SELECT count(*) AS reports FROM reports WHERE NOT list_contains($sample_hashes, content_hash);
