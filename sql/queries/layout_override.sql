-- A council's layout override, every version newest first (the first row is the one that applies).
SELECT version, layout_toml, saved_by, saved_at, note
FROM layout_overrides WHERE council_key = $council_key ORDER BY version DESC;
