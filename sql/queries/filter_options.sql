-- Values the global filters offer under the other filters: one row per (kind, value), in the order shown.
-- Each list holds the values present in the report on show among the records that pass every other
-- filter (so a choice never leads to an empty page), plus the values already chosen that the report
-- on show holds, so they can be removed. Report dates: the dates with a report holding such records,
-- with the councils that have a report of that date. 'doubtful' counts the records passing the
-- other filters whose target dates the reader doubted (what leaving them out leaves out);
-- 'doubtful_reports' counts the records passing the other filters that come from reports read with
-- doubts (doubtful_reports).
WITH shown AS (
    SELECT council, coalesce(directorate, none_label()) AS directorate, coalesce(risk_level, none_label()) AS risk_level,
           status, ageing_band, has_doubtful_date, doubted.report_id IS NOT NULL AS in_doubtful_report,
           len($councils) = 0 OR list_contains($councils, council) AS council_passes,
           len($directorates) = 0 OR list_contains($directorates, coalesce(directorate, none_label())) AS directorate_passes,
           len($risks) = 0 OR list_contains($risks, coalesce(risk_level, none_label())) AS risk_passes,
           len($statuses) = 0 OR list_contains($statuses, status) AS status_passes,
           len($ageing_bands) = 0 OR list_contains($ageing_bands, ageing_band) AS band_passes,
           NOT ($leave_out_doubtful AND has_doubtful_date)
             AND NOT ($leave_out_doubtful_reports AND doubted.report_id IS NOT NULL) AS doubt_passes
    FROM slippage_detail
    LEFT JOIN (SELECT report_id FROM doubtful_reports) doubted USING (report_id)
    WHERE CASE WHEN $as_of IS NULL THEN is_latest_report ELSE report_date = $as_of::DATE END
), options AS (
    SELECT 'council' AS kind, council AS value, NULL AS sort_order, NULL::VARCHAR[] AS councils, count(*) AS records
    FROM shown
    WHERE (directorate_passes AND risk_passes AND status_passes AND band_passes AND doubt_passes)
       OR list_contains($councils, council)
    GROUP BY council
    UNION ALL
    SELECT 'directorate', directorate, NULL, NULL, count(*)
    FROM shown
    WHERE (council_passes AND risk_passes AND status_passes AND band_passes AND doubt_passes)
       OR list_contains($directorates, directorate)
    GROUP BY directorate
    UNION ALL
    SELECT 'risk_level', s.risk_level, any_value(r.sort_order), NULL, count(*)
    FROM shown s LEFT JOIN seed_risk_levels r ON r.level = s.risk_level
    WHERE (council_passes AND directorate_passes AND status_passes AND band_passes AND doubt_passes)
       OR list_contains($risks, s.risk_level)
    GROUP BY s.risk_level
    UNION ALL
    SELECT 'status', status, NULL, NULL, count(*)
    FROM shown
    WHERE (council_passes AND directorate_passes AND risk_passes AND band_passes AND doubt_passes)
       OR list_contains($statuses, status)
    GROUP BY status
    UNION ALL
    SELECT 'ageing_band', s.ageing_band, any_value(b.sort_order), NULL, count(*)
    FROM shown s JOIN seed_ageing_bands b ON b.band = s.ageing_band
    WHERE (council_passes AND directorate_passes AND risk_passes AND status_passes AND doubt_passes)
       OR list_contains($ageing_bands, s.ageing_band)
    GROUP BY s.ageing_band
    UNION ALL
    SELECT 'doubtful', 'doubtful', NULL, NULL, count(*) FILTER (has_doubtful_date)
    FROM shown
    WHERE council_passes AND directorate_passes AND risk_passes AND status_passes AND band_passes
    UNION ALL
    SELECT 'doubtful_reports', 'doubtful_reports', NULL, NULL, count(*) FILTER (in_doubtful_report)
    FROM shown
    WHERE council_passes AND directorate_passes AND risk_passes AND status_passes AND band_passes
    UNION ALL
    SELECT 'report_date', strftime(report_date, '%Y-%m-%d'), NULL, list(DISTINCT council ORDER BY council), NULL
    FROM (SELECT council, report_date
          FROM filtered_detail($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful,
                               leave_out_doubtful_reports := $leave_out_doubtful_reports)
          UNION ALL
          SELECT council, report_date FROM reports
          WHERE report_date = $as_of::DATE AND (len($councils) = 0 OR list_contains($councils, council)))
    GROUP BY report_date
)
SELECT kind, value, councils, records
FROM options
ORDER BY kind, sort_order NULLS LAST, CASE WHEN kind = 'report_date' THEN value END DESC, value;
