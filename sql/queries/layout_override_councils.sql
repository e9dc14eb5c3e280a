-- The councils with a layout override in the store (any version), by name as last given.
SELECT arg_max(council, version) AS council, council_key, max(version) AS versions
FROM layout_overrides GROUP BY council_key ORDER BY council;
