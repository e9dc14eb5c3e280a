-- Tables and views with their columns, for the SQL page's schema panel.
SELECT c.table_name, t.table_type, c.column_name, c.data_type, c.ordinal_position
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'main' AND c.table_name NOT LIKE 'stg\_%' ESCAPE '\'
ORDER BY t.table_type, c.table_name, c.ordinal_position;
