-- movement: one row per recommendation in either of a council's two newest reports.
CREATE OR REPLACE VIEW movement AS
SELECT m.* FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n
  ON m.council = n.council AND m.latest_report = n.newest;
