-- The demo history the dashboard opens on (etl/store/synth.py build_demo_store): six fictional
-- councils, six to eight quarterly reports each (30 Jun 2023 to 31 Mar 2025), about 330
-- recommendations that are listed, extended (some to TBC), closed or dropped, updated or not, a few
-- with the doubtful dates a reader warns about. Every figure is made up; every page says so.
-- Randomness is hash-based on $seed, so a build always gives the same store. It is a real store,
-- written like a load: report ids from the store's sequence, load attempts in ingest_log, doubtful
-- dates in parse_warnings worded as the reader words them (etl/interpret/report.py).

CREATE TEMP TABLE demo_councils AS
SELECT * FROM (VALUES
    (1, 'Eastmarch County Council', 'EM', 0, 'three'),
    (2, 'Fernleigh District Council', 'FD', 0, 'priority'),
    (3, 'Harrowdene Borough Council', 'HB', 1, 'four'),
    (4, 'Kingsmere City Council', 'KC', 0, 'four'),
    (5, 'Stourvale District Council', 'SD', 2, 'three'),
    (6, 'Wexcombe Borough Council', 'WB', 1, 'priority')
) t(council_id, council, prefix, first_q, scale);

-- Audit areas: the directorate and officer that own them, a finding and the recommendation agreed.
CREATE TEMP TABLE demo_areas AS
SELECT * FROM (VALUES
    (0, 'Payroll', 'Corporate Resources', 'Head of HR and Payroll',
     'Leavers were paid after their leaving date in three of 25 cases tested.',
     'Leavers should be removed from the payroll before their final pay date, on a form signed by their manager.'),
    (1, 'Procurement', 'Corporate Resources', 'Procurement Manager',
     'Orders above the quotation threshold were placed without the required three quotes.',
     'Contracts above the quotation threshold should be let only after three written quotes, recorded on the contracts register.'),
    (2, 'Sundry Debt Recovery', 'Finance', 'Head of Financial Services',
     'Debts over 90 days old had no recovery action recorded.',
     'Overdue sundry debts should be reviewed monthly, and recovery action taken or write-off approved.'),
    (3, 'Business Continuity', 'Chief Executive''s Department', 'Emergency Planning Officer',
     'Four of nine service continuity plans had not been tested in the last two years.',
     'Each service should test its business continuity plan at least once a year and record the lessons learnt.'),
    (4, 'Safeguarding Checks', 'Children and Family Services', 'Service Manager, Safeguarding',
     'DBS renewals were overdue for staff in regulated activity.',
     'DBS checks should be renewed every three years for staff in regulated activity, with renewals monitored centrally.'),
    (5, 'ICT Asset Management', 'Corporate Resources', 'Head of ICT',
     'The asset register did not record the location of 14% of laptops sampled.',
     'The ICT asset register should be kept up to date, and devices recovered from leavers on their last day.'),
    (6, 'Contract Management', 'Environment and Transport', 'Commissioning Manager',
     'Performance meetings with key suppliers were not minuted.',
     'Contract managers should hold quarterly performance meetings with key suppliers and record the outcomes.'),
    (7, 'Direct Payments', 'Adults and Communities', 'Head of Adult Social Care',
     'Surplus balances on direct payment accounts had not been reclaimed.',
     'Direct payment accounts should be audited every year and surplus balances reclaimed.'),
    (8, 'Capital Programme', 'Finance', 'Capital Programme Manager',
     'Two schemes were committed before their business cases were approved.',
     'Capital schemes should be approved before any commitment, and variations reported to members.'),
    (9, 'Data Protection', 'Chief Executive''s Department', 'Data Protection Officer',
     'Retention schedules had not been reviewed since 2019.',
     'Information asset owners should review their retention schedules every year and complete the annual training.'),
    (10, 'Housing Rents', 'Housing', 'Income Manager',
     'Rent arrears cases were not escalated in line with the policy.',
     'Rent arrears should be escalated at the stages the income policy sets, with each step recorded on the case.'),
    (11, 'Fleet Management', 'Environment and Transport', 'Fleet Manager',
     'Vehicle inspections were missed for five of 30 vehicles.',
     'Every fleet vehicle should have its six-weekly safety inspection recorded before it is next used.')
) t(area_id, area, directorate, responsible, finding, recommendation);

CREATE TEMP TABLE demo_progress AS
SELECT * FROM (VALUES
    (0, 'New procedure drafted and awaiting sign-off by the management team.'),
    (1, 'Training for staff scheduled; completion expected next quarter.'),
    (2, 'System change requested from the supplier; testing under way.'),
    (3, 'Resourcing pressures have delayed this work; an extension has been requested.'),
    (4, 'Policy updated and circulated; compliance checks to follow.'),
    (5, 'Partially implemented: two of the three actions are complete.'),
    (6, 'Awaiting the outcome of the service restructure before this can proceed.'),
    (7, 'First half of the year reconciled; the remaining months are in progress.'),
    (8, 'Dependent on the new finance system going live.'),
    (9, 'Work has started; the officer will report progress at the next committee.')
) t(phrase_id, phrase);

CREATE TEMP TABLE demo_reports AS
SELECT greatest((SELECT coalesce(max(report_id), 0) FROM reports),
                (SELECT coalesce(max(last_value), 0) FROM duckdb_sequences()
                 WHERE sequence_name = 'report_ids' AND database_name = current_database()))
       + row_number() OVER (ORDER BY q, council_id) AS report_id,
       c.council_id, c.council, c.prefix, c.scale, q,
       last_day(DATE '2023-04-01' + to_months(q * 3 + 2)) AS report_date
FROM demo_councils c, range(0, 8) r(q)
WHERE q >= c.first_q;

-- One row per recommendation over its life. A third are the backlog the first report lists; the
-- rest are agreed later. Some are never updated again (neglected); a few carry a doubtful date.
CREATE TEMP TABLE demo_lives AS
SELECT e AS life_id, c.council_id, c.prefix, c.first_q, c.scale,
       e // 6 + 1 AS number_in_council,
       CASE WHEN hash($seed, e, 'backlog') % 100 < 35 THEN c.first_q
            ELSE c.first_q + (hash($seed, e, 'start') % (8 - c.first_q))::INTEGER END AS start_q,
       1 + (hash($seed, e, 'life') % 7)::INTEGER AS life,
       hash($seed, e, 'close') % 100 < 85 AS closes,
       (hash($seed, e, 'risk') % 100)::INTEGER AS risk_roll,
       (hash($seed, e, 'pace') % 100)::INTEGER AS pace_roll,
       CASE WHEN hash($seed, e, 'step') % 3 = 0 THEN 6 ELSE 3 END AS step_months,
       hash($seed, e, 'neglect') % 100 < 12 AS neglected,
       CASE hash($seed, e, 'doubt') % 100 WHEN 0 THEN 'before audit year' WHEN 1 THEN 'before audit year'
            WHEN 2 THEN 'before audit year' WHEN 3 THEN 'far future' WHEN 4 THEN 'earlier revision'
            WHEN 5 THEN 'earlier revision' END AS doubt,
       (hash($seed, e, 'area') % 12)::INTEGER AS area_id,
       -180 + (hash($seed, e, 'due') % 420)::INTEGER AS due_days
FROM range(0, 330) t(e)
JOIN demo_councils c ON c.council_id = 1 + e % 6;

CREATE TEMP TABLE demo_rows AS
SELECT l.*, r.report_id, r.report_date, r.q, r.q - l.start_q AS age,
       l.closes AND r.q = l.start_q + l.life - 1 AS closed_here,
       row_number() OVER (PARTITION BY r.report_id ORDER BY l.life_id) AS record_no,
       first_value(r.report_date) OVER (PARTITION BY l.life_id ORDER BY r.q) AS first_report_date,
       -- An update is fresh in its first report, in most later ones, never again once neglected.
       r.q = l.start_q OR (NOT l.neglected AND hash($seed, l.life_id, r.q, 'fresh') % 10 < 7) AS fresh
FROM demo_lives l
JOIN demo_reports r ON r.council_id = l.council_id AND r.q BETWEEN l.start_q AND l.start_q + l.life - 1;

CREATE TEMP TABLE demo_dated AS
SELECT d.*, a.area, a.directorate, a.responsible, a.finding, a.recommendation,
       year(first_report_date) - 1 - (hash($seed, life_id, 'audit year') % 2)::INTEGER AS audit_year,
       (first_report_date + to_days(due_days))::DATE AS agreed_target,
       -- Extensions: none for 40%, one every other report for 35%, one every report for a quarter.
       CASE WHEN pace_roll < 40 THEN 0 WHEN pace_roll < 75 THEN age // 2 ELSE age END AS revisions,
       hash($seed, life_id, q, 'tbc') % 9 = 0 AS tbc_roll,
       max(CASE WHEN fresh THEN q END) OVER (PARTITION BY life_id ORDER BY q ROWS UNBOUNDED PRECEDING) AS update_q,
       NOT fresh AND hash($seed, life_id, q, 'said') % 4 = 0 AS no_update_stated
FROM demo_rows d JOIN demo_areas a USING (area_id);

-- Every target value printed for a record in a report, oldest first: the agreed one (as printed:
-- a mistyped year for some), then each extension; the newest may be TBC.
CREATE TEMP TABLE demo_targets AS
SELECT report_id, record_no, k,
       k = revisions AND revisions > 0 AND tbc_roll AND NOT closed_here AS is_tbc,
       CASE WHEN k = 0 AND doubt = 'before audit year' THEN agreed_target - to_years(10)
            WHEN k = 0 AND doubt = 'far future' THEN agreed_target + to_years(30)
            WHEN k = 1 AND doubt = 'earlier revision' THEN agreed_target - to_months(2)
            ELSE agreed_target + to_months((k * step_months)::INTEGER) END::DATE AS value
FROM demo_dated, range(0, 8) t(k)
WHERE k <= revisions;

INSERT INTO reports (report_id, council, title, report_date, report_date_source, source_file, content_hash, parser,
                     pages, record_count, loaded_at, loaded_by)
SELECT r.report_id, r.council, 'Outstanding internal audit recommendations (demo: synthetic)', r.report_date, 'given',
       'demo-' || lower(r.prefix) || '-' || strftime(r.report_date, '%Y-%m') || '.txt',
       'demo-' || $seed || '-' || r.report_id, 'demo', NULL,
       (SELECT count(*) FROM demo_rows d WHERE d.report_id = r.report_id),
       r.report_date + INTERVAL 16 DAY + INTERVAL 10 HOUR, 'demo builder'
FROM demo_reports r;

INSERT INTO recommendations BY NAME
SELECT d.report_id, d.record_no, NULL::INTEGER AS source_page,
       CASE WHEN closed_here THEN 'Implemented since the last report' ELSE 'Outstanding recommendations' END AS section,
       d.prefix || '/' || (audit_year % 100)::VARCHAR || '/' || lpad(number_in_council::VARCHAR, 3, '0') AS ref,
       area || ' ' || audit_year || '/' || lpad(((audit_year + 1) % 100)::VARCHAR, 2, '0') AS audit_title,
       directorate, responsible, finding, recommendation,
       'Agreed. ' || responsible || ' to lead.' AS management_response,
       CASE WHEN closed_here THEN strftime(d.report_date - to_months(1), '%B %Y')
                                  || ': Implemented. Evidence of the new control has been given to Internal Audit.'
            WHEN no_update_stated THEN 'No update has been received for this reporting cycle.'
            ELSE strftime(u.report_date - to_months(1), '%B %Y') || ': ' || p.phrase END AS latest_update,
       NULL AS further_action,
       CASE d.scale WHEN 'three' THEN CASE WHEN risk_roll < 30 THEN 'High' WHEN risk_roll < 75 THEN 'Medium' ELSE 'Low' END
                  WHEN 'priority' THEN CASE WHEN risk_roll < 30 THEN 'Priority 1' WHEN risk_roll < 75 THEN 'Priority 2'
                                            ELSE 'Priority 3' END
                  ELSE CASE WHEN risk_roll < 6 THEN 'Fundamental' WHEN risk_roll < 30 THEN 'Significant'
                            WHEN risk_roll < 75 THEN 'Moderate' ELSE 'Merits attention' END END AS risk_raw,
       CASE WHEN d.scale = 'four' AND risk_roll < 6 THEN 'critical' WHEN risk_roll < 30 THEN 'high'
            WHEN risk_roll < 75 THEN 'medium' ELSE 'low' END AS risk_level,
       CASE WHEN NOT closed_here THEN 'open' WHEN hash($seed, life_id, 'how') % 4 = 0 THEN 'closed'
            ELSE 'implemented' END AS status,
       CASE WHEN closed_here THEN 'Implemented' END AS status_raw,
       strftime(first_target.value, '%d/%m/%Y') AS target_raw,
       first_target.value AS original_target_date,
       CASE WHEN last_target.is_tbc THEN NULL ELSE last_target.value END AS current_target_date,
       CASE WHEN closed_here THEN strftime(d.report_date - to_months(1), '%Y-%m')
            WHEN NOT no_update_stated THEN strftime(u.report_date - to_months(1), '%Y-%m') END AS latest_update_period,
       no_update_stated,
       'demo-' || life_id AS recommendation_key
FROM demo_dated d
JOIN demo_reports u ON u.council_id = d.council_id AND u.q = d.update_q
JOIN demo_progress p ON p.phrase_id = hash($seed, d.life_id, d.update_q, 'phrase') % 10
JOIN demo_targets first_target ON first_target.report_id = d.report_id AND first_target.record_no = d.record_no
                              AND first_target.k = 0
JOIN demo_targets last_target ON last_target.report_id = d.report_id AND last_target.record_no = d.record_no
                             AND last_target.k = d.revisions
ORDER BY d.report_id, d.record_no;

INSERT INTO target_events BY NAME
SELECT report_id, record_no, k + 1 AS seq, 1 AS part, true AS in_history,
       CASE WHEN is_tbc THEN NULL ELSE value END AS target_date, is_tbc,
       CASE WHEN is_tbc THEN 'TBC' ELSE strftime(value, '%d/%m/%Y') END AS raw_text,
       CASE WHEN k = 0 THEN 'target' ELSE 'revised' END AS source,
       NULL AS cycle
FROM demo_targets
ORDER BY report_id, record_no, seq;

-- The reader's doubts, in its words, in every report that prints the doubtful value.
INSERT INTO parse_warnings BY NAME
SELECT t.report_id, t.record_no, 'target' AS field, strftime(t.value, '%d/%m/%Y') AS raw_text,
       CASE d.doubt WHEN 'before audit year' THEN 'target ' || t.value || ' is before the audit''s own year (' || d.audit_year || ')'
                    WHEN 'far future' THEN 'target ' || t.value || ' is more than five years after the report date'
                    ELSE 'revised target ' || t.value || ' is earlier than the one before it ('
                         || (t.value + to_months(2))::DATE || ')' END AS message
FROM demo_targets t
JOIN demo_dated d USING (report_id, record_no)
WHERE (d.doubt IN ('before audit year', 'far future') AND t.k = 0) OR (d.doubt = 'earlier revision' AND t.k = 1)
ORDER BY t.report_id, t.record_no;

INSERT INTO ingest_log (attempted_at, source_file, content_hash, council, report_date, report_id, outcome, message,
                        records, seconds, loaded_by)
SELECT loaded_at, source_file, content_hash, council, report_date, report_id, 'loaded',
       record_count || ' records, ' || council || ', report date ' || report_date || ' (given)', record_count,
       0.2 + (hash($seed, report_id, 'seconds') % 30) / 10, 'demo builder'
FROM reports
WHERE parser = 'demo'
ORDER BY loaded_at, report_id;

SELECT setval('report_ids', (SELECT max(report_id) FROM reports));
