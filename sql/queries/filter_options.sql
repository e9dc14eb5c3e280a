-- Values offered by the global filters: one row per (kind, value).
SELECT 'council' AS kind, council AS value FROM reports GROUP BY council
UNION ALL
SELECT 'directorate', coalesce(directorate, none_label()) FROM recommendations GROUP BY 2
UNION ALL
SELECT 'risk_level', coalesce(risk_level, none_label()) FROM recommendations GROUP BY 2
UNION ALL
SELECT 'status', status FROM recommendations GROUP BY status
UNION ALL
SELECT 'report_date', strftime(report_date, '%Y-%m-%d') FROM reports GROUP BY report_date
ORDER BY kind, value DESC;
