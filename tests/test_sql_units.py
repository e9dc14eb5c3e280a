"""SQL unit tests: tests/sql/<object>.toml, in the manner of SQLMesh's test files (in TOML), and their runner.

A file tests one object of sql/staging/, sql/macros/ or sql/marts/:

    object = "stg_target_history"            # the view, table or macro under test
    columns = ["report_id", "record_no"]     # what each test compares, unless it says otherwise
    inputs.reports = [ ... ]                 # optional: the inputs of every test that gives none

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
given."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.store import seeds, store
from etl.store.store import mart_objects, staging_objects
from tests.sqlcases import CASES, CASES_DIR, check


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_sql_object_gives_the_expected_rows(case):
    check(case)


def test_every_staging_view_macro_and_mart_has_a_test_file():
    objects = {obj.name for obj in [*staging_objects(), *mart_objects()]}
    tested = {path.stem for path in CASES_DIR.glob("*.toml")}
    assert objects - tested == set(), "objects without tests/sql/<object>.toml"
    assert tested - objects == set(), "test files for objects that do not exist"


# -- each test can fail: break the SQL (or a seed) on purpose, and the named test must fail ---------
# (file under sql/, text in it, what replaces it, the test that must then fail)
MUTATIONS = [
    ("marts/slippage_corrections.sql", "WHERE len(corrections) > 0", "WHERE true",
     "slippage_corrections.toml::only_corrected_rows_with_their_notes"),
    ("staging/stg_corrected_recommendations.sql", "ORDER BY c.correction_id DESC", "ORDER BY c.correction_id",
     "stg_corrected_recommendations.toml::the_newest_correction_applies_by_identity_with_its_note"),
    ("staging/stg_target_history.sql", "ORDER BY seq", "ORDER BY seq DESC", "stg_target_history.toml::in_seq_order_with_tbc"),
    ("staging/stg_target_history.sql", "WHERE in_history", "WHERE true", "stg_target_history.toml::in_seq_order_with_tbc"),
    ("staging/stg_recommendation_reports.sql", "lower(coalesce(rec.latest_update, ''))", "coalesce(rec.latest_update, '')",
     "stg_recommendation_reports.toml::report_fields_history_and_normalised_update"),
    ("staging/stg_history_across_reports.sql", "lambda t, i: i = 1 OR t <> joined_history[i - 1]", "lambda t, i: true",
     "stg_history_across_reports.toml::layout_printing_only_the_target_in_force"),
    ("staging/stg_history_across_reports.sql", "len(printed_history) >= len(across_history)", "false",
     "stg_history_across_reports.toml::layout_listing_its_earlier_cycles"),
    ("staging/stg_history_across_reports.sql", "PARTITION BY council, recommendation_key", "PARTITION BY recommendation_key",
     "stg_history_across_reports.toml::layout_printing_only_the_target_in_force"),
    ("staging/stg_slippage_computed.sql", "'%Y-%m-%d')) < previous_report_date", "'%Y-%m-%d')) <= previous_report_date",
     "stg_slippage_computed.toml::no_update_flags_and_streaks"),
    ("staging/stg_slippage_computed.sql", "- CASE WHEN fresh_updates_so_far > 0 THEN 1 ELSE 0 END", "",
     "stg_slippage_computed.toml::no_update_flags_and_streaks"),
    ("staging/stg_slippage_computed.sql", "coalesce(current_target_date, original_target_date) < report_date",
     "current_target_date < report_date", "stg_slippage_computed.toml::overdue_and_ageing_bands_at_their_boundaries"),
    ("staging/stg_slippage_computed.sql", "coalesce(h.first_original, r.original_target_date)", "r.original_target_date",
     "stg_slippage_computed.toml::first_original_target_and_newest_report"),
    ("seeds/ageing_bands.csv", "0–90 days,2,1,90\n91–180 days,3,91,", "0–90 days,2,1,89\n91–180 days,3,90,",
     "stg_slippage_computed.toml::overdue_and_ageing_bands_at_their_boundaries"),
    ("macros/none_label.sql", "'(none)'", "'(None)'", "none_label.toml::the_label"),
    ("macros/falls_due.sql", "target_in_force < meeting", "target_in_force <= meeting", "falls_due.toml::at_the_boundaries"),
    ("macros/falls_due.sql", "coalesce(status = 'open' AND", "(status = 'open' AND", "falls_due.toml::at_the_boundaries"),
    ("macros/in_refresh_scope.sql", "IS NULL OR", "IS NOT NULL OR", "in_refresh_scope.toml::every_council_outside_a_refresh"),
    ("marts/slippage_facts.sql", "ORDER BY council, report_date, record_no", "ORDER BY report_id, record_no",
     "slippage_facts.toml::rebuilt_in_council_date_record_order"),
    ("marts/slippage_detail.sql", "SELECT * FROM slippage_facts", "SELECT * REPLACE (NULL::VARCHAR AS finding) FROM slippage_facts",
     "slippage_detail.toml::full_texts_and_page_fields"),
    ("marts/slippage.sql", "days_past_current_target::INTEGER AS", "days_past_original_target::INTEGER AS",
     "slippage.toml::every_contract_column_of_one_record"),
    ("marts/slippage.sql", "revision_count::INTEGER", "revision_count::BIGINT", "slippage.toml::contract_types_in_order"),
    ("marts/latest_slippage.sql", "WHERE is_latest_report", "WHERE true", "latest_slippage.toml::each_councils_newest_report"),
    ("marts/filtered_detail.sql", "coalesce(directorate, none_label())", "directorate",
     "filtered_detail.toml::none_label_matches_a_missing_directorate"),
    ("marts/filtered_detail.sql", "(len(statuses) = 0 OR list_contains(statuses, status))", "true",
     "filtered_detail.toml::every_filter_at_once"),
    ("marts/snapshot.sql", "report_date = as_of::DATE", "report_date >= as_of::DATE", "snapshot.toml::the_report_dated_as_of"),
    ("marts/slippage_measures.sql", "median(rec.days_past_original_target) FILTER (WHERE rec.status = 'open')",
     "median(rec.days_past_original_target)",
     "slippage_measures.toml::four_records"),
    ("marts/slippage_measures.sql", "/ nullif(count(*), 0)", "/ count(*)", "slippage_measures.toml::no_records"),
    ("marts/slippage_measures.sql", "rec.revision_count > times", "rec.revision_count >= times",
     "slippage_measures.toml::four_records"),
    ("marts/slippage_measures.sql", "WHERE rec.status = 'open' AND rec.no_update_streak >= 2",
     "WHERE rec.no_update_streak >= 2", "slippage_measures.toml::four_records"),
    ("marts/slippage_measures.sql", "NOT coalesce(rec.is_overdue, false)", "NOT rec.is_overdue",
     "slippage_measures.toml::an_open_item_with_no_target_at_all"),
    ("marts/slippage_summary.sql", ", (council, risk_level))", ")", "slippage_summary.toml::every_breakdown_of_the_newest_reports"),
    ("marts/slippage_measures.sql", "/ nullif(count(*), 0)", "/ count(*)", "slippage_summary.toml::nothing_matches"),
    ("marts/filtered_detail.sql", "(len(ageing_bands) = 0 OR list_contains(ageing_bands, ageing_band))", "true",
     "filtered_detail.toml::ageing_bands_keep_the_open_records_in_them"),
    ("marts/filtered_detail.sql", "NOT (leave_out_doubtful AND has_doubtful_date)", "true",
     "filtered_detail.toml::leave_out_doubtful_drops_records_with_a_doubted_target"),
    ("marts/filtered_detail.sql", "NOT (leave_out_doubtful AND has_doubtful_date)", "NOT has_doubtful_date",
     "filtered_detail.toml::doubtful_records_stay_unless_asked"),
    ("marts/filtered_detail.sql", "leave_out_doubtful_reports AND report_id IN", "false AND report_id IN",
     "filtered_detail.toml::leave_out_doubtful_reports_drops_every_record_of_a_report_read_with_doubts"),
    ("marts/doubtful_reports.sql", "w.record_no IS NULL AND w.field = 'document'", "w.field = 'document'",
     "doubtful_reports.toml::only_doubts_about_the_whole_document"),
    ("marts/filtered_trend.sql", "filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,",
     "filtered_detail(councils, [], [], statuses, ageing_bands, leave_out_doubtful,",
     "filtered_trend.toml::high_risk_only"),
    ("marts/slippage_by_council.sql", "breakdown = 'council'", "breakdown IN ('council', 'all')",
     "slippage_by_council.toml::each_councils_newest_report"),
    ("marts/slippage_by_directorate.sql", "AND by_council", "", "slippage_by_directorate.toml::within_each_council"),
    ("marts/slippage_by_risk.sql", "AND by_council", "", "slippage_by_risk.toml::within_each_council"),
    ("marts/slippage_trend.sql", "filtered_trend([], [], [], [], [], false)", "filtered_trend([], [], [], ['open'], [], false)",
     "slippage_trend.toml::every_report_not_only_the_newest"),
    ("marts/movement_by_report.sql", "WHEN is_closed THEN 'closed'", "", "movement_by_report.toml::every_kind_between_two_reports"),
    ("marts/movement_by_report.sql", "l.status IN ('closed', 'implemented')", "l.status = 'closed'",
     "movement_by_report.toml::every_kind_between_two_reports"),
    ("marts/movement_by_report.sql", "lag(report_date) OVER (PARTITION BY council ORDER BY report_date)",
     "first_value(report_date) OVER (PARTITION BY council ORDER BY report_date)",
     "movement_by_report.toml::each_report_against_the_one_before"),
    ("marts/slippage_change.sql", "lag(report_date) OVER (PARTITION BY council ORDER BY report_date)",
     "lag(report_date, 2) OVER (PARTITION BY council ORDER BY report_date)",
     "slippage_change.toml::each_council_against_its_previous_report"),
    ("marts/slippage_change.sql", "THEN coalesce(b.m, (SELECT m FROM nothing)) END", "THEN b.m END",
     "slippage_change.toml::no_record_passing_the_filters_at_the_previous_report_counts_zero"),
    ("marts/movement.sql", "m.latest_report = n.newest", "m.latest_report <= n.newest",
     "movement.toml::the_two_newest_reports_of_each_council"),
]


def test_every_object_has_a_mutation_its_tests_catch():
    mutated = {Path(file).stem for file, *_ in MUTATIONS}
    assert {obj.name for obj in [*staging_objects(), *mart_objects()]} <= mutated


@pytest.mark.parametrize("file, old, new, case_id", MUTATIONS, ids=[f"{m[0]}:{m[1][:30]}" for m in MUTATIONS])
def test_a_broken_object_fails_its_test(file, old, new, case_id, tmp_path, monkeypatch):
    sql = tmp_path / "sql"
    shutil.copytree(store.SQL_DIR, sql)
    target = sql / file
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer holds {old!r}: update the mutation"
    target.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(store, "SQL_DIR", sql)
    monkeypatch.setattr(seeds, "SEEDS_DIR", sql / "seeds")
    [case] = [case for case in CASES if case.id == case_id]
    with pytest.raises(AssertionError, match="does not give the expected rows"):
        check(case)
