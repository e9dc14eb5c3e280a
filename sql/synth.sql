-- A synthetic store for benchmarks and demos, built set-based from $recommendations (about how
-- many recommendation rows) and $seed. Randomness is hash-based, so a seed gives the same store.
-- Shape: 300 councils, 12 quarterly reports each, recommendations that live 1-8 reports, are
-- re-dated as they age (some to TBC), close, and carry fresh or repeated updates. Rows are written
-- report by report, as loads write them, so the file is laid out as a real store's is (a council's
-- rows spread over the file, one run per report), not grouped by council nor shuffled.

CREATE TEMP TABLE synth_councils AS
SELECT i AS council_id, 'Synthetic Council ' || lpad(i::VARCHAR, 3, '0') AS council
FROM range(1, 301) t(i);

CREATE TEMP TABLE synth_reports AS
-- Ids follow the store's own: after the highest report id and the sequence's last value, whichever
-- is higher (a removed report's id is never given again), in the order a real store gets its
-- reports: quarter by quarter, every council's report of a quarter before the next quarter's.
SELECT greatest((SELECT coalesce(max(report_id), 0) FROM reports),
                (SELECT coalesce(max(last_value), 0) FROM duckdb_sequences()
                 WHERE sequence_name = 'report_ids' AND database_name = current_database()))
       + row_number() OVER (ORDER BY q, council_id) AS report_id,
       council_id, council, q, last_day(DATE '2022-01-01' + to_months(q * 3 + 2)) AS report_date
FROM synth_councils, range(0, 12) r(q);

-- One row per recommendation over its life; about 3.7 report rows each once clipped to 12 reports.
CREATE TEMP TABLE synth_lives AS
SELECT e AS life_id,
       1 + hash($seed, e, 'council') % 300 AS council_id,
       hash($seed, e, 'start') % 12 AS start_q,
       1 + hash($seed, e, 'life') % 8 AS life,
       hash($seed, e, 'risk') % 100 AS risk_roll,
       hash($seed, e, 'pace') % 3 AS pace,
       ['Adults & Communities', 'Children & Family Services', 'Corporate Resources', 'Environment & Transport',
        'Public Health', 'Chief Executives Department', 'Housing', 'Finance'][(1 + hash($seed, e, 'dir') % 8)::INTEGER] AS directorate,
       ['Payroll', 'Procurement', 'Debt Recovery', 'Business Continuity', 'Safeguarding', 'ICT Asset Management',
        'Contract Management', 'Direct Payments', 'Capital Programme', 'Data Protection'][(1 + hash($seed, e, 'title') % 10)::INTEGER]
           || ' ' || (2019 + hash($seed, e, 'year') % 5)::VARCHAR || '-' || lpad(((20 + hash($seed, e, 'year') % 5) % 100)::VARCHAR, 2, '0') AS audit_title,
       30 + hash($seed, e, 'due') % 240 AS due_days
FROM range(CAST(ceil($recommendations / 3.72) AS BIGINT)) t(e);

CREATE TEMP TABLE synth_rows AS
SELECT l.*, r.report_id, r.report_date, r.council, r.q, r.q - l.start_q AS age,
       r.q = l.start_q + l.life - 1 AND r.q < 11 AS last_report,
       row_number() OVER (PARTITION BY r.report_id ORDER BY l.life_id) AS record_no,
       first_value(r.report_date) OVER (PARTITION BY l.life_id ORDER BY r.q) AS first_report_date
FROM synth_lives l
JOIN synth_reports r ON r.council_id = l.council_id AND r.q BETWEEN l.start_q AND least(l.start_q + l.life - 1, 11);

CREATE TEMP TABLE synth_dated AS
SELECT *,
       first_report_date + to_days(due_days::INTEGER) AS original_target,
       (age * pace) // 2 AS revisions,
       hash($seed, life_id, q, 'tbc') % 10 = 0 AND (age * pace) // 2 > 0 AS current_tbc,
       hash($seed, life_id, q, 'repeat') % 3 = 0 AND age > 0 AS repeated_update
FROM synth_rows;

INSERT INTO reports (report_id, council, title, report_date, report_date_source, source_file, content_hash, parser,
                     pages, record_count, loaded_at, loaded_by)
SELECT r.report_id, r.council, 'Synthetic overdue recommendations', r.report_date, 'given',
       'synthetic-' || r.report_id || '.txt', 'synthetic-' || $seed || '-' || r.report_id, 'synth', NULL,
       (SELECT count(*) FROM synth_rows s WHERE s.report_id = r.report_id), now()::TIMESTAMP, 'synth'
FROM synth_reports r;

INSERT INTO recommendations BY NAME
SELECT report_id, record_no, NULL::INTEGER AS source_page,
       CASE WHEN risk_roll < 30 THEN 'High recommendations overdue' ELSE 'Medium and low recommendations overdue' END AS section,
       NULL AS ref, audit_title, directorate, 'Head of Service ' || (1 + life_id % 40) AS responsible,
       'Finding ' || life_id AS finding,
       'Recommendation ' || life_id || ': strengthen the controls over ' || lower(audit_title) || '.' AS recommendation,
       'Agreed.' AS management_response,
       strftime(report_date - to_months(CASE WHEN repeated_update THEN 3 ELSE 0 END), '%B %Y') || ': work continues on item '
           || life_id || '.' AS latest_update,
       NULL AS further_action,
       CASE WHEN risk_roll < 5 THEN 'E' WHEN risk_roll < 30 THEN 'H' WHEN risk_roll < 80 THEN 'M' ELSE 'L' END AS risk_raw,
       CASE WHEN risk_roll < 5 THEN 'critical' WHEN risk_roll < 30 THEN 'high' WHEN risk_roll < 80 THEN 'medium' ELSE 'low' END AS risk_level,
       CASE WHEN last_report THEN (CASE WHEN hash($seed, life_id, 'how') % 2 = 0 THEN 'implemented' ELSE 'closed' END) ELSE 'open' END AS status,
       NULL AS status_raw, strftime(original_target, '%d/%m/%Y') AS target_raw,
       original_target AS original_target_date,
       CASE WHEN current_tbc THEN NULL ELSE original_target + to_days((revisions * 91)::INTEGER) END AS current_target_date,
       strftime(report_date - to_months(CASE WHEN repeated_update THEN 3 ELSE 0 END), '%Y-%m') AS latest_update_period,
       false AS no_update_stated,
       'synthetic-' || life_id AS recommendation_key
FROM synth_dated
ORDER BY report_id, record_no;

INSERT INTO target_events BY NAME
SELECT report_id, record_no, k + 1 AS seq, 1 AS part, true AS in_history,
       CASE WHEN k = revisions AND current_tbc THEN NULL ELSE original_target + to_days((k * 91)::INTEGER) END AS target_date,
       k = revisions AND current_tbc AS is_tbc,
       CASE WHEN k = revisions AND current_tbc THEN 'TBC' ELSE strftime(original_target + to_days((k * 91)::INTEGER), '%d %B %Y') END AS raw_text,
       CASE WHEN k = 0 THEN 'target' ELSE 'revised' END AS source,
       NULL AS cycle
FROM synth_dated, range(0, 64) t(k)
WHERE k <= revisions
ORDER BY report_id, record_no, seq;

-- The sequence past the ids given, so that loads and removals after this work as on any store.
SELECT setval('report_ids', (SELECT max(report_id) FROM reports));
