"""SQL unit tests: tests/sql/<object>.toml, in the manner of SQLMesh's test files (in TOML), and their runner.

A file tests one object of sql/staging/, sql/macros/ or sql/marts/:

    object = "stg_target_history"            # the view, table or macro under test
    columns = ["report_id", "record_no"]     # what each test compares, unless it says otherwise
    inputs.reports = [ ... ]                 # optional: every test's inputs, but the tables a test gives

    [tests.tbc_in_a_history]
    description = "..."
    query = "SELECT ... FROM stg_target_history"   # optional; default: SELECT <columns> FROM <object>
    ordered = false                                  # optional; default: rows compared as a multiset
    inputs.reports = [ { report_id = 1, council = "A", report_date = 2024-03-31 } ]
    inputs.target_events = [ ... ]
    expected = [ { report_id = 1, record_no = 1, target_history = ["2024-03-31", "TBC"] } ]

Input rows go into the base tables (reports, recommendations, target_events) of an in-memory
store built by the loader's own functions: apply_schema (tables, seeds, staging), then the rows,
then refresh_marts (slippage_facts rebuilt, marts created), exactly as a write does. Rows given
for a seed table (seed_ageing_bands, ...) replace that seed's rows. Columns left out take the
defaults below (NULL otherwise). In expected rows a column left out is NULL; dates are ISO
strings (or TOML dates); numbers are compared to six decimal places; NaN never equals anything
given; a BLOB (a kept file's bytes) is given and compared as ASCII text.

A file tests/sql/queries/<name>.toml tests one page query, sql/queries/<name>.sql, the same way,
run with the named parameters the app binds (app/data.py), given in the file for every test and
in a test over them:

    object = "ageing"
    columns = ["ageing_band", "risk_level", "recommendations"]   # compared, of the columns it returns
    params = { councils = [], directorates = [], leave_out_doubtful = false }
    null_params = ["as_of"]                    # bound to NULL (TOML has no NULL)

    [tests.the_report_chosen]
    params = { councils = ["Anyshire"], as_of = "2024-03-31" }   # over the file's
    keep_rows = { ageing_band = ["over a year"] }  # optional: compare only these rows
    inputs.reports = [ ... ]
    expected = [ ... ]

A query case has no `query`: it runs the file. Every file of sql/queries/ has such a test file."""

from __future__ import annotations

import re
import shutil

import pytest

from etl.store import seeds, sqlfiles
from etl.store.sqlfiles import mart_objects, staging_objects
from tests.sqlcases import CASES, QUERY_CASES, QUERY_CASES_DIR, check


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_sql_object_gives_the_expected_rows(case):
    check(case)


@pytest.mark.parametrize("case", QUERY_CASES, ids=[case.id for case in QUERY_CASES])
def test_page_query_gives_the_expected_rows(case):
    check(case)


def test_every_staging_view_macro_and_mart_has_a_test_file():
    objects = {obj.name for obj in [*staging_objects(), *mart_objects()]}
    tested = {case.object for case in CASES}
    assert objects - tested == set(), "objects without tests/sql/<object>.toml"
    assert tested - objects == set(), "test files for objects that do not exist"


def page_queries() -> set[str]:
    return {path.stem for path in (sqlfiles.SQL_DIR / "queries").glob("*.sql")}


def test_every_page_query_has_a_unit_test():
    tested = {case.object for case in QUERY_CASES}
    untested = page_queries() - tested
    assert untested == set(), f"sql/queries/ files without a test in {QUERY_CASES_DIR}: {sorted(untested)}"


# What a page query's tests must try wherever the query takes the parameter: each leave-out toggle
# on, a report chosen rather than each council's newest, a page after the first.
EXERCISED = {
    "leave_out_doubtful": lambda value: value is True,
    "leave_out_doubtful_reports": lambda value: value is True,
    "as_of": lambda value: value is not None,
    "offset": lambda value: value is not None and value > 0,
}


@pytest.mark.parametrize("name", sorted(page_queries()))
def test_each_page_query_is_tested_with_its_toggles_on_a_report_chosen_and_a_later_page(name):
    text = (sqlfiles.SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")
    cases = [case for case in QUERY_CASES if case.object == name]
    untried = [
        param
        for param, tried in EXERCISED.items()
        if re.search(rf"\${param}\b", text) and not any(tried(case.params.get(param)) for case in cases)
    ]
    assert untried == [], f"no test of sql/queries/{name}.sql sets {untried}"


# -- each test can fail: break the SQL (or a seed) on purpose, and the named test must fail ---------
# (file under sql/, text in it, what replaces it, the test that must then fail)
MUTATIONS = [
    (
        "marts/slippage_corrections.sql",
        "WHERE len(corrections) > 0",
        "WHERE true",
        "slippage_corrections.toml::only_corrected_rows_with_their_notes",
    ),
    (
        "staging/stg_corrected_recommendations.sql",
        "ORDER BY c.correction_id DESC",
        "ORDER BY c.correction_id",
        "stg_corrected_recommendations.toml::the_newest_correction_applies_by_identity_with_its_note",
    ),
    ("staging/stg_target_history.sql", "ORDER BY seq", "ORDER BY seq DESC", "stg_target_history.toml::in_seq_order_with_tbc"),
    ("staging/stg_target_history.sql", "WHERE in_history", "WHERE true", "stg_target_history.toml::in_seq_order_with_tbc"),
    (
        "staging/stg_recommendation_reports.sql",
        "lower(coalesce(rec.latest_update, ''))",
        "coalesce(rec.latest_update, '')",
        "stg_recommendation_reports.toml::report_fields_history_and_normalised_update",
    ),
    (
        "staging/stg_history_across_reports.sql",
        "lambda t, i: i = 1 OR t <> joined_history[i - 1]",
        "lambda t, i: true",
        "stg_history_across_reports.toml::layout_printing_only_the_target_in_force",
    ),
    (
        "staging/stg_history_across_reports.sql",
        "len(printed_history) >= len(across_history)",
        "false",
        "stg_history_across_reports.toml::layout_listing_its_earlier_cycles",
    ),
    (
        "staging/stg_history_across_reports.sql",
        "PARTITION BY council, recommendation_key",
        "PARTITION BY recommendation_key",
        "stg_history_across_reports.toml::layout_printing_only_the_target_in_force",
    ),
    (
        "staging/stg_slippage_computed.sql",
        "'%Y-%m-%d')) < previous_report_date",
        "'%Y-%m-%d')) <= previous_report_date",
        "stg_slippage_computed.toml::no_update_flags_and_streaks",
    ),
    (
        "staging/stg_slippage_computed.sql",
        "- CASE WHEN fresh_updates_so_far > 0 THEN 1 ELSE 0 END",
        "",
        "stg_slippage_computed.toml::no_update_flags_and_streaks",
    ),
    (
        "staging/stg_slippage_computed.sql",
        "coalesce(current_target_date, original_target_date) < report_date",
        "current_target_date < report_date",
        "stg_slippage_computed.toml::overdue_and_ageing_bands_at_their_boundaries",
    ),
    (
        "staging/stg_slippage_computed.sql",
        "coalesce(h.first_original, r.original_target_date)",
        "r.original_target_date",
        "stg_slippage_computed.toml::first_original_target_and_newest_report",
    ),
    (
        "seeds/ageing_bands.csv",
        "0–90 days,2,1,90\n91–180 days,3,91,",
        "0–90 days,2,1,89\n91–180 days,3,90,",
        "stg_slippage_computed.toml::overdue_and_ageing_bands_at_their_boundaries",
    ),
    ("macros/none_label.sql", "'(none)'", "'(None)'", "none_label.toml::the_label"),
    ("macros/falls_due.sql", "target_in_force < meeting", "target_in_force <= meeting", "falls_due.toml::at_the_boundaries"),
    ("macros/falls_due.sql", "coalesce(status = 'open' AND", "(status = 'open' AND", "falls_due.toml::at_the_boundaries"),
    ("macros/in_refresh_scope.sql", "IS NULL OR", "IS NOT NULL OR", "in_refresh_scope.toml::every_council_outside_a_refresh"),
    (
        "marts/slippage_facts.sql",
        "ORDER BY council, report_date, record_no",
        "ORDER BY report_id, record_no",
        "slippage_facts.toml::rebuilt_in_council_date_record_order",
    ),
    (
        "marts/slippage_detail.sql",
        "SELECT * FROM slippage_facts",
        "SELECT * REPLACE (NULL::VARCHAR AS finding) FROM slippage_facts",
        "slippage_detail.toml::full_texts_and_page_fields",
    ),
    (
        "marts/slippage.sql",
        "days_past_current_target::INTEGER AS",
        "days_past_original_target::INTEGER AS",
        "slippage.toml::every_contract_column_of_one_record",
    ),
    ("marts/slippage.sql", "revision_count::INTEGER", "revision_count::BIGINT", "slippage.toml::contract_types_in_order"),
    ("marts/latest_slippage.sql", "WHERE is_latest_report", "WHERE true", "latest_slippage.toml::each_councils_newest_report"),
    (
        "marts/filtered_detail.sql",
        "coalesce(directorate, none_label())",
        "directorate",
        "filtered_detail.toml::none_label_matches_a_missing_directorate",
    ),
    (
        "marts/filtered_detail.sql",
        "(len(statuses) = 0 OR list_contains(statuses, status))",
        "true",
        "filtered_detail.toml::every_filter_at_once",
    ),
    ("marts/snapshot.sql", "report_date = as_of::DATE", "report_date >= as_of::DATE", "snapshot.toml::the_report_dated_as_of"),
    (
        "marts/slippage_measures.sql",
        "median(rec.days_past_original_target) FILTER (WHERE rec.status = 'open')",
        "median(rec.days_past_original_target)",
        "slippage_measures.toml::four_records",
    ),
    ("marts/slippage_measures.sql", "/ nullif(count(*), 0)", "/ count(*)", "slippage_measures.toml::no_records"),
    ("marts/slippage_measures.sql", "rec.revision_count > times", "rec.revision_count >= times", "slippage_measures.toml::four_records"),
    (
        "marts/slippage_measures.sql",
        "WHERE rec.status = 'open' AND rec.no_update_streak >= 2",
        "WHERE rec.no_update_streak >= 2",
        "slippage_measures.toml::four_records",
    ),
    (
        "marts/slippage_measures.sql",
        "NOT coalesce(rec.is_overdue, false)",
        "NOT rec.is_overdue",
        "slippage_measures.toml::an_open_item_with_no_target_at_all",
    ),
    ("marts/slippage_summary.sql", ", (council, risk_level))", ")", "slippage_summary.toml::every_breakdown_of_the_newest_reports"),
    ("marts/slippage_measures.sql", "/ nullif(count(*), 0)", "/ count(*)", "slippage_summary.toml::nothing_matches"),
    (
        "marts/filtered_detail.sql",
        "(len(ageing_bands) = 0 OR list_contains(ageing_bands, ageing_band))",
        "true",
        "filtered_detail.toml::ageing_bands_keep_the_open_records_in_them",
    ),
    (
        "marts/filtered_detail.sql",
        "NOT (leave_out_doubtful AND has_doubtful_date)",
        "true",
        "filtered_detail.toml::leave_out_doubtful_drops_records_with_a_doubted_target",
    ),
    (
        "marts/filtered_detail.sql",
        "NOT (leave_out_doubtful AND has_doubtful_date)",
        "NOT has_doubtful_date",
        "filtered_detail.toml::doubtful_records_stay_unless_asked",
    ),
    (
        "marts/filtered_detail.sql",
        "leave_out_doubtful_reports AND report_id IN",
        "false AND report_id IN",
        "filtered_detail.toml::leave_out_doubtful_reports_drops_every_record_of_a_report_read_with_doubts",
    ),
    (
        "marts/doubtful_reports.sql",
        "w.record_no IS NULL AND w.field = 'document'",
        "w.field = 'document'",
        "doubtful_reports.toml::only_doubts_about_the_whole_document",
    ),
    (
        "marts/filtered_trend.sql",
        "filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,",
        "filtered_detail(councils, [], [], statuses, ageing_bands, leave_out_doubtful,",
        "filtered_trend.toml::high_risk_only",
    ),
    (
        "marts/slippage_by_council.sql",
        "breakdown = 'council'",
        "breakdown IN ('council', 'all')",
        "slippage_by_council.toml::each_councils_newest_report",
    ),
    ("marts/slippage_by_directorate.sql", "AND by_council", "", "slippage_by_directorate.toml::within_each_council"),
    ("marts/slippage_by_risk.sql", "AND by_council", "", "slippage_by_risk.toml::within_each_council"),
    (
        "marts/slippage_trend.sql",
        "filtered_trend([], [], [], [], [], false)",
        "filtered_trend([], [], [], ['open'], [], false)",
        "slippage_trend.toml::every_report_not_only_the_newest",
    ),
    ("marts/movement_by_report.sql", "WHEN is_closed THEN 'closed'", "", "movement_by_report.toml::every_kind_between_two_reports"),
    (
        "marts/movement_by_report.sql",
        "l.status IN ('closed', 'implemented')",
        "l.status = 'closed'",
        "movement_by_report.toml::every_kind_between_two_reports",
    ),
    (
        "marts/movement_by_report.sql",
        "lag(report_date) OVER (PARTITION BY council ORDER BY report_date)",
        "first_value(report_date) OVER (PARTITION BY council ORDER BY report_date)",
        "movement_by_report.toml::each_report_against_the_one_before",
    ),
    (
        "marts/slippage_change.sql",
        "k.report_date < a.report_date",
        "k.report_date <= a.report_date",
        "slippage_change.toml::each_council_against_its_previous_report",
    ),
    (
        "marts/slippage_change.sql",
        "WHERE NOT (leave_out_doubtful_reports AND",
        "WHERE NOT (false AND",
        "slippage_change.toml::leave_out_doubtful_reports_compares_with_the_report_before_one_read_with_doubts",
    ),
    (
        "marts/slippage_change.sql",
        "FROM (SELECT DISTINCT council, report_date FROM reports) a)",
        "FROM kept a)",
        "slippage_change.toml::leave_out_doubtful_reports_keeps_the_report_on_show",
    ),
    (
        "marts/slippage_change.sql",
        "THEN coalesce(b.m, (SELECT m FROM nothing)) END",
        "THEN b.m END",
        "slippage_change.toml::no_record_passing_the_filters_at_the_previous_report_counts_zero",
    ),
    (
        "marts/movement.sql",
        "m.latest_report = n.newest",
        "m.latest_report <= n.newest",
        "movement.toml::the_two_newest_reports_of_each_council",
    ),
    # the page queries (tests/sql/queries/)
    (
        "queries/ageing.sql",
        "WHERE ageing_band IS NOT NULL",
        "WHERE true",
        "queries/ageing.toml::each_councils_newest_report_open_records_with_a_band",
    ),
    (
        "queries/ageing.sql",
        "$ageing_bands, $leave_out_doubtful,",
        "$ageing_bands, $leave_out_doubtful AND false,",
        "queries/ageing.toml::leave_out_doubtful_drops_a_record_with_a_doubted_target",
    ),
    (
        "queries/ageing.sql",
        "$leave_out_doubtful_reports)",
        "$leave_out_doubtful_reports AND false)",
        "queries/ageing.toml::leave_out_doubtful_reports_drops_a_report_read_with_doubts",
    ),
    (
        "queries/revision_distribution.sql",
        "ORDER BY revision_count",
        "ORDER BY revision_count DESC",
        "queries/revision_distribution.toml::fewest_revisions_first",
    ),
    (
        "queries/revision_distribution.sql",
        "$leave_out_doubtful, $as_of,",
        "$leave_out_doubtful, nullif($as_of, $as_of),",
        "queries/revision_distribution.toml::the_report_chosen",
    ),
    (
        "queries/council_report_files.sql",
        "s.content_hash IS NOT NULL AS file_kept",
        "r.content_hash IS NOT NULL AS file_kept",
        "queries/council_report_files.toml::any_case_oldest_first_saying_which_files_are_kept",
    ),
    (
        "queries/council_report_files.sql",
        "lower(r.council) = lower($council)",
        "r.council = $council",
        "queries/council_report_files.toml::any_case_oldest_first_saying_which_files_are_kept",
    ),
    (
        "queries/council_report_files.sql",
        "lower(r.council) = lower($council)",
        "regexp_replace(lower(r.council), '[^a-z]', '', 'g') = regexp_replace(lower($council), '[^a-z]', '', 'g')",
        "queries/council_report_files.toml::punctuation_is_part_of_the_name",
    ),
    (
        "queries/council_report_files.sql",
        "ORDER BY r.report_date, r.report_id",
        "ORDER BY r.report_date, r.report_id DESC",
        "queries/council_report_files.toml::any_case_oldest_first_saying_which_files_are_kept",
    ),
    (
        "queries/council_sources.sql",
        "LEFT JOIN report_sources",
        "JOIN report_sources",
        "queries/council_sources.toml::any_case_oldest_first_with_each_kept_file_or_none",
    ),
    (
        "queries/council_sources.sql",
        "lower(r.council) = lower($council)",
        "r.council = $council",
        "queries/council_sources.toml::any_case_oldest_first_with_each_kept_file_or_none",
    ),
    (
        "queries/council_sources.sql",
        "lower(r.council) = lower($council)",
        "regexp_replace(lower(r.council), '[^a-z]', '', 'g') = regexp_replace(lower($council), '[^a-z]', '', 'g')",
        "queries/council_sources.toml::punctuation_is_part_of_the_name",
    ),
    (
        "queries/council_sources.sql",
        "ORDER BY r.report_date, r.report_id",
        "ORDER BY r.report_id",
        "queries/council_sources.toml::any_case_oldest_first_with_each_kept_file_or_none",
    ),
    (
        "queries/council_sources.sql",
        "s.file_name",
        "r.source_file AS file_name",
        "queries/council_sources.toml::any_case_oldest_first_with_each_kept_file_or_none",
    ),
    (
        "queries/council_reports.sql",
        "max(report_date)",
        "min(report_date)",
        "queries/council_reports.toml::newest_date_and_count_per_council",
    ),
    (
        "queries/committee_ageing.sql",
        "AND report_date = $report_date",
        "AND report_date <= $report_date",
        "queries/committee_ageing.toml::open_records_by_band",
    ),
    ("queries/committee_ageing.sql", "AND ageing_band IS NOT NULL", "", "queries/committee_ageing.toml::open_records_by_band"),
    (
        "queries/committee_by_owner.sql",
        "ORDER BY median_days_past_original DESC NULLS LAST",
        "ORDER BY median_days_past_original",
        "queries/committee_by_owner.toml::by_directorate_else_officer",
    ),
    ("queries/committee_by_owner.sql", "AND status = 'open'", "", "queries/committee_by_owner.toml::by_directorate_else_officer"),
    ("queries/committee_by_risk.sql", "AND status = 'open'", "", "queries/committee_by_risk.toml::open_records_by_risk"),
    (
        "queries/committee_by_risk.sql",
        "coalesce(risk_level, none_label()) AS",
        "risk_level AS",
        "queries/committee_by_risk.toml::open_records_by_risk",
    ),
    (
        "queries/committee_headline.sql",
        "report_date < $report_date::DATE",
        "report_date <= $report_date::DATE",
        "queries/committee_headline.toml::the_report_and_the_one_before",
    ),
    (
        "queries/committee_headline.sql",
        "d.report_date + date_diff('day', c.report_date, $meeting::DATE)::INTEGER",
        "$meeting::DATE",
        "queries/committee_headline.toml::the_meeting_at_the_previous_report_is_as_far_after_it",
    ),
    (
        "queries/committee_items.sql",
        "revision_count >= 2 AS revised_twice",
        "revision_count > 2 AS revised_twice",
        "queries/committee_items.toml::each_item_and_why",
    ),
    (
        "queries/committee_items.sql",
        "revision_count > $times AS called_to_account",
        "revision_count >= $times AS called_to_account",
        "queries/committee_items.toml::the_chairs_limit",
    ),
    ("queries/committee_items.sql", "OR requested_target_date IS NOT NULL)", ")", "queries/committee_items.toml::an_earlier_meeting"),
    (
        "queries/committee_items.sql",
        "WHERE council = $council AND report_date = $report_date AND status = 'open'",
        "WHERE council = $council AND report_date = $report_date",
        "queries/committee_items.toml::each_item_and_why",
    ),
    ("queries/committee_reports.sql", "report_date DESC", "report_date", "queries/committee_reports.toml::newest_first"),
    (
        "queries/corrections.sql",
        "ORDER BY c.correction_id DESC",
        "ORDER BY c.correction_id",
        "queries/corrections.toml::newest_first_with_the_record_it_corrects",
    ),
    (
        "queries/corrections.sql",
        "AND r.recommendation_key = c.recommendation_key",
        "",
        "queries/corrections.toml::newest_first_with_the_record_it_corrects",
    ),
    (
        "queries/doubtful_reports.sql",
        "ORDER BY report_date DESC, council",
        "ORDER BY report_date, council",
        "queries/doubtful_reports.toml::newest_first_then_council_reasons_joined",
    ),
    ("queries/doubtful_reports.sql", "'; '", "', '", "queries/doubtful_reports.toml::newest_first_then_council_reasons_joined"),
    (
        "queries/filter_options.sql",
        "OR list_contains($directorates, directorate)",
        "",
        "queries/filter_options.toml::a_chosen_value_stays_offered_so_it_can_be_removed",
    ),
    (
        "queries/filter_options.sql",
        "WHERE report_date = $as_of::DATE AND",
        "WHERE false AND",
        "queries/filter_options.toml::the_report_chosen_and_its_date_kept_when_the_filters_empty_it",
    ),
    (
        "queries/filter_options.sql",
        "count(*) FILTER (has_doubtful_date)",
        "count(*) FILTER (has_doubtful_date AND doubt_passes)",
        "queries/filter_options.toml::leave_out_doubtful_keeps_the_count_of_what_it_leaves_out",
    ),
    (
        "queries/filter_options.sql",
        "WHERE (directorate_passes AND risk_passes",
        "WHERE (council_passes AND directorate_passes AND risk_passes",
        "queries/filter_options.toml::each_list_under_the_other_filters_not_its_own",
    ),
    ("queries/filter_options.sql", "any_value(r.sort_order)", "NULL", "queries/filter_options.toml::every_list_in_the_order_shown"),
    (
        "queries/ingest_log.sql",
        "ORDER BY attempt_id DESC",
        "ORDER BY attempt_id",
        "queries/ingest_log.toml::newest_attempt_first_whatever_its_outcome",
    ),
    ("queries/ingest_log.sql", "round(seconds, 1)", "seconds", "queries/ingest_log.toml::newest_attempt_first_whatever_its_outcome"),
    (
        "queries/layout_override.sql",
        "ORDER BY version DESC",
        "ORDER BY version",
        "queries/layout_override.toml::every_version_of_the_council_newest_first",
    ),
    (
        "queries/layout_override_councils.sql",
        "arg_max(council, version)",
        "arg_min(council, version)",
        "queries/layout_override_councils.toml::one_row_per_council_named_as_in_its_newest_version",
    ),
    (
        "queries/movement.sql",
        "k.sort_order, m.audit_title",
        "m.change, m.audit_title",
        "queries/movement.toml::each_councils_newest_report_against_the_one_before_in_the_seeds_order",
    ),
    (
        "queries/movement.sql",
        "CASE WHEN m.is_gone THEN m.previous_report ELSE m.latest_report END",
        "m.latest_report",
        "queries/movement.toml::a_gone_recommendation_passes_the_filters_by_its_record_before_the_others_by_their_newest",
    ),
    ("queries/movement.sql", "OFFSET $offset", "OFFSET $offset - 1", "queries/movement.toml::a_page_from_an_offset"),
    (
        "queries/movement.sql",
        "coalesce($as_of::DATE, n.newest)",
        "coalesce(nullif($as_of, $as_of)::DATE, n.newest)",
        "queries/movement.toml::the_report_chosen_against_the_one_before_it",
    ),
    (
        "queries/movement_counts.sql",
        "CASE WHEN m.is_gone THEN m.previous_report ELSE m.latest_report END",
        "m.latest_report",
        "queries/movement_counts.toml::a_gone_recommendation_passes_the_filters_by_its_record_before_the_others_by_their_newest",
    ),
    (
        "queries/movement_counts.sql",
        "$ageing_bands, $leave_out_doubtful,",
        "$ageing_bands, $leave_out_doubtful AND false,",
        "queries/movement_counts.toml::leave_out_doubtful_drops_a_recommendation_whose_counted_record_was_doubted",
    ),
    (
        "queries/movement_counts.sql",
        "$leave_out_doubtful_reports)",
        "$leave_out_doubtful_reports AND false)",
        "queries/movement_counts.toml::leave_out_doubtful_reports_drops_a_report_read_with_doubts",
    ),
    (
        "queries/movement_counts.sql",
        "coalesce($as_of::DATE, n.newest)",
        "coalesce(nullif($as_of, $as_of)::DATE, n.newest)",
        "queries/movement_counts.toml::the_report_chosen_against_the_one_before_it",
    ),
    ("queries/own_reports.sql", "NOT list_contains", "list_contains", "queries/own_reports.toml::the_reports_that_are_not_samples"),
    (
        "queries/parse_warnings.sql",
        "r.report_date DESC, w.record_no",
        "r.report_date, w.record_no",
        "queries/parse_warnings.toml::by_council_newest_report_first_then_record",
    ),
    (
        "queries/parse_warnings.sql",
        "LEFT JOIN recommendations rec",
        "JOIN recommendations rec",
        "queries/parse_warnings.toml::by_council_newest_report_first_then_record",
    ),
    (
        "queries/recommendations.sql",
        "THEN -(SELECT sort_order",
        "THEN (SELECT sort_order",
        "queries/recommendations.toml::risk_by_severity_the_corrected_level_counting_and_none_last",
    ),
    ("queries/recommendations.sql", "lower(CASE $sort_by", "(CASE $sort_by", "queries/recommendations.toml::text_ignores_case"),
    (
        "queries/recommendations.sql",
        "CASE WHEN NOT $descending THEN number_key END ASC NULLS LAST",
        "CASE WHEN NOT $descending THEN number_key END ASC NULLS FIRST",
        "queries/recommendations.toml::ascending_keeps_no_days_last",
    ),
    (
        "queries/recommendations.sql",
        "days_past_original_target DESC NULLS LAST, council, record_no",
        "council, record_no",
        "queries/recommendations.toml::ties_most_slipped_first_then_document_order",
    ),
    ("queries/recommendations.sql", "OR no_update_flag)", "OR true)", "queries/recommendations.toml::no_fresh_update_only"),
    (
        "queries/recommendations.sql",
        "revision_count >= $min_revisions",
        "revision_count > $min_revisions",
        "queries/recommendations.toml::revised_at_least",
    ),
    (
        "queries/recommendations.sql",
        "lower($search)",
        "$search",
        "queries/recommendations.toml::search_any_case_in_title_text_update_reference_or_officer",
    ),
    (
        "queries/recommendations.sql",
        "latest_update, ref, responsible)",
        "latest_update, ref)",
        "queries/recommendations.toml::search_an_officer",
    ),
    (
        "queries/recommendations.sql",
        "count(*) OVER ()",
        "count(*) OVER (ORDER BY record_no ROWS UNBOUNDED PRECEDING)",
        "queries/recommendations.toml::a_page_is_cut_after_every_row_is_sorted_and_counted",
    ),
    (
        "queries/recommendations.sql",
        "$leave_out_doubtful_reports)",
        "$leave_out_doubtful_reports AND false)",
        "queries/recommendations.toml::leave_out_doubtful_reports_drops_a_report_read_with_doubts",
    ),
    (
        "queries/record.sql",
        "AND record_no = $record_no",
        "AND record_no >= $record_no",
        "queries/record.toml::that_record_of_that_report_with_its_measures",
    ),
    (
        "queries/record_history.sql",
        "ORDER BY report_date",
        "ORDER BY report_date DESC",
        "queries/record_history.toml::every_report_of_that_council_oldest_first",
    ),
    (
        "queries/record_history.sql",
        "WHERE council = $council AND",
        "WHERE $council IS NOT NULL AND",
        "queries/record_history.toml::another_council_same_key",
    ),
    (
        "queries/record_targets.sql",
        "ORDER BY seq",
        "ORDER BY seq DESC",
        "queries/record_targets.toml::in_order_set_with_tbc_and_uncounted_parts",
    ),
    ("queries/record_targets.sql", "'%-d %b %Y'", "'%d %b %Y'", "queries/record_targets.toml::in_order_set_with_tbc_and_uncounted_parts"),
    (
        "queries/report_doubts.sql",
        "AND report_date = $report_date",
        "AND report_date <= $report_date",
        "queries/report_doubts.toml::each_doubt_about_the_whole_of_that_report",
    ),
    (
        "queries/report_reading.sql",
        "WHERE rec.report_id = $report_id",
        "WHERE rec.report_id >= $report_id",
        "queries/report_reading.toml::that_reports_records_in_record_order_with_every_field_read",
    ),
    (
        "queries/report_reading.sql",
        "ORDER BY rec.record_no",
        "ORDER BY rec.recommendation_key",
        "queries/report_reading.toml::that_reports_records_in_record_order_with_every_field_read",
    ),
    (
        "queries/report_reading.sql",
        "th.target_history",
        "NULL AS target_history",
        "queries/report_reading.toml::that_reports_records_in_record_order_with_every_field_read",
    ),
    (
        "queries/report_records.sql",
        "ORDER BY record_no",
        "ORDER BY record_no DESC",
        "queries/report_records.toml::that_reports_records_in_order_with_corrections_applied",
    ),
    (
        "queries/reports.sql",
        "ORDER BY loaded_at DESC",
        "ORDER BY report_date DESC",
        "queries/reports.toml::newest_load_first_not_newest_report",
    ),
    (
        "queries/reports_by_content.sql",
        "WHERE list_contains",
        "WHERE NOT list_contains",
        "queries/reports_by_content.toml::the_reports_of_the_hashes_asked_for",
    ),
    (
        "queries/schema_columns.sql",
        r"NOT LIKE 'stg\_%'",
        r"NOT LIKE 'stg\_x%'",
        "queries/schema_columns.toml::tables_then_views_each_in_column_order_staging_left_out",
    ),
    (
        "queries/schema_columns.sql",
        "ORDER BY t.table_type, c.table_name",
        "ORDER BY c.table_name, t.table_type",
        "queries/schema_columns.toml::tables_then_views_each_in_column_order_staging_left_out",
    ),
    (
        "queries/summary.sql",
        "$leave_out_doubtful, $as_of,",
        "$leave_out_doubtful AND false, $as_of,",
        "queries/summary.toml::leave_out_doubtful_drops_a_record_with_a_doubted_target",
    ),
    (
        "queries/summary.sql",
        "$leave_out_doubtful, $as_of,",
        "$leave_out_doubtful, nullif($as_of, $as_of),",
        "queries/summary.toml::the_report_chosen",
    ),
    (
        "queries/summary.sql",
        "leave_out_doubtful_reports := $leave_out_doubtful_reports",
        "leave_out_doubtful_reports := $leave_out_doubtful_reports AND false",
        "queries/summary.toml::leave_out_doubtful_reports_drops_a_report_read_with_doubts",
    ),
    (
        "queries/summary_change.sql",
        "$leave_out_doubtful, $as_of,",
        "$leave_out_doubtful AND false, $as_of,",
        "queries/summary_change.toml::leave_out_doubtful_drops_doubted_records_on_both_sides",
    ),
    (
        "queries/summary_change.sql",
        "$leave_out_doubtful, $as_of,",
        "$leave_out_doubtful, nullif($as_of, $as_of),",
        "queries/summary_change.toml::the_report_chosen",
    ),
    (
        "queries/summary_change.sql",
        "leave_out_doubtful_reports := $leave_out_doubtful_reports",
        "leave_out_doubtful_reports := $leave_out_doubtful_reports AND false",
        "queries/summary_change.toml::leave_out_doubtful_reports_drops_a_report_read_with_doubts",
    ),
    (
        "queries/trend.sql",
        "ORDER BY council, report_date",
        "ORDER BY report_date, council",
        "queries/trend.toml::every_report_by_council_then_date",
    ),
    (
        "queries/trend.sql",
        "$ageing_bands, $leave_out_doubtful,",
        "$ageing_bands, $leave_out_doubtful AND false,",
        "queries/trend.toml::leave_out_doubtful_drops_a_record_with_a_doubted_target",
    ),
]


def test_every_object_and_page_query_has_a_mutation_its_tests_catch():
    mutated = {f"sql/{file}" for file, *_ in MUTATIONS}
    objects = {obj.file for obj in [*staging_objects(), *mart_objects()]}
    queries = {f"sql/queries/{name}.sql" for name in page_queries()}
    assert objects | queries <= mutated, f"no mutation for {sorted(objects | queries - mutated)}"


@pytest.mark.slow
@pytest.mark.parametrize("file, old, new, case_id", MUTATIONS, ids=[f"{m[0]}:{m[1][:30]}" for m in MUTATIONS])
def test_a_broken_object_fails_its_test(file, old, new, case_id, tmp_path, monkeypatch):
    sql = tmp_path / "sql"
    shutil.copytree(sqlfiles.SQL_DIR, sql)
    target = sql / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer holds {old!r}: update the mutation"
    target.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(sqlfiles, "SQL_DIR", sql)
    monkeypatch.setattr(seeds, "SEEDS_DIR", sql / "seeds")
    [case] = [case for case in [*CASES, *QUERY_CASES] if case.id == case_id]
    with pytest.raises(AssertionError, match="does not give the expected rows"):
        check(case)
