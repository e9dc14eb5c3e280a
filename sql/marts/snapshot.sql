-- snapshot(...): one row per record of the report on show for each council passing the filters: the report dated as_of when one is chosen, else each council's newest.
CREATE OR REPLACE MACRO snapshot(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, as_of, leave_out_doubtful_reports := false) AS TABLE
SELECT *
FROM filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,
                     leave_out_doubtful_reports := leave_out_doubtful_reports)
WHERE CASE WHEN as_of IS NULL THEN is_latest_report ELSE report_date = as_of::DATE END;
