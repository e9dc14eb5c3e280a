"""The Recommendations page: every matching row sorted in SQL before paging, slippage columns
first, doubtful dates marked, and downloads of every matching row (Streamlit AppTest)."""

import io
import json

import polars as pl
import pytest

from app.exports import page_query_file
from app.filters import Filters
from etl import tablefile
from tests.apptests import dashboard_app, prepare_labels

pytestmark = pytest.mark.slow

NEWEST = "FROM slippage_detail WHERE is_latest_report"


@pytest.fixture
def recs(sample_db, monkeypatch):
    return dashboard_app(sample_db, monkeypatch, "recommendations")


def sort(at, column: str, order: str):
    at.selectbox(key="rec_sort").set_value(column)
    at.radio(key="rec_order").set_value(order)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at.dataframe[0].value


def test_sorting_orders_every_matching_row_before_paging(recs, read):
    [(low, high, rows)] = read(f"SELECT min(days_past_original_target), max(days_past_original_target), count(*) {NEWEST}").rows()
    assert rows > 50 and (low, high) == (-700, 3653)  # more than one page; the store's true extremes
    recs.number_input(key="rec_page").set_value(3).run()
    ascending = sort(recs, "days_past_original_target", "ascending")
    assert recs.number_input(key="rec_page").value == 1  # a new sort starts on the first page
    assert ascending["days_past_original_target"].iloc[0] == low
    assert ascending["days_past_original_target"].dropna().is_monotonic_increasing
    assert any("sorted by **Days past original target** ↑, ascending" in c.value for c in recs.caption)
    descending = sort(recs, "days_past_original_target", "descending")
    assert descending["days_past_original_target"].iloc[0] == high
    # Page 2 continues where page 1 stopped: the sort ran over all rows, not the 50 on screen.
    recs.number_input(key="rec_page").set_value(2).run()
    second = recs.dataframe[0].value["days_past_original_target"]
    assert second.iloc[0] <= descending["days_past_original_target"].iloc[-1]
    by_risk = sort(recs, "risk_level", "descending")
    assert by_risk["risk_level"].iloc[0] == "critical"
    by_council = sort(recs, "council", "ascending")
    assert by_council["council"].iloc[0] == read(f"SELECT min(council) {NEWEST}").item()


def test_slippage_columns_come_first_with_readable_headers_and_uk_dates(recs):
    table = recs.dataframe[0]
    config = json.loads(table.proto.columns)
    shown = list(table.proto.column_order)
    assert shown[:6] == [
        "original_target_date",
        "current_target_date",
        "revision_count",
        "days_past_original_target",
        "days_past_current_target",
        "doubtful_date",
    ]
    assert "report_id" not in shown and "total_rows" not in shown
    assert config["original_target_date"]["label"] == "Original target"
    assert config["original_target_date"]["type_config"]["format"] == "D MMM YYYY"
    assert config["days_past_original_target"]["label"] == "Days past original target ↓"  # the sorted column
    assert all("_" not in config[name]["label"] for name in shown)


def test_a_doubtful_date_is_marked_in_the_table_and_explained_in_the_record(recs, read):
    doubtful = read(
        f"SELECT days_past_original_target, date_warnings {NEWEST} AND has_doubtful_date "
        "ORDER BY days_past_original_target DESC NULLS LAST LIMIT 1"
    ).row(0, named=True)
    table = recs.dataframe[0].value
    assert table["days_past_original_target"].iloc[0] == doubtful["days_past_original_target"] == 3653
    assert table["doubtful_date"].iloc[0] == "⚠ doubtful" and table["doubtful_date"].iloc[1] == ""
    recs.selectbox(key="rec_open").select_index(0).run()
    warning = " ".join(w.value for w in recs.warning)
    assert doubtful["date_warnings"] == ["target 2014-12-31 is more than five years before the report date"]
    assert "target 31 Dec 2014 is more than five years before the report date" in warning


def test_above_excels_limit_the_page_offers_csv_and_parquet(recs, monkeypatch):
    monkeypatch.setattr(tablefile, "EXCEL_MAX_ROWS", 100)
    recs.run()
    assert any("161 rows are more than an Excel worksheet holds (100)" in i.value for i in recs.info)
    assert prepare_labels(recs) == ["Prepare CSV", "Prepare Parquet"]
    recs.text_input(key="rec_search").input("procurement").run()
    assert prepare_labels(recs) == ["Prepare CSV", "Prepare Excel", "Prepare Parquet"]


def test_the_download_holds_every_matching_row_in_the_pages_order_and_says_how_it_was_made(sample_db, read, tmp_path):
    params = Filters(statuses=("open",)).params() | {
        "min_revisions": 0,
        "no_update_only": False,
        "search": "",
        "sort_by": "days_past_original_target",
        "descending": False,
        "limit": None,
        "offset": 0,
    }
    about = {"Filters": "statuses: open", "Sorted by": "Days past original target, ascending"}
    page_query_file(
        tmp_path / "rows.csv", sample_db, "recommendations", params, "csv", about, hidden=("report_id", "total_rows"), machine=True
    )
    data = (tmp_path / "rows.csv").read_bytes()
    assert data.decode("utf-8-sig").startswith("original_target_date,current_target_date,")  # the header first
    table = pl.read_csv(io.BytesIO(data))
    expected = read(f"SELECT days_past_original_target {NEWEST} AND status = 'open' ORDER BY 1")
    assert table["days_past_original_target"].to_list() == expected["days_past_original_target"].to_list()
    assert table.columns[:5] == [
        "original_target_date",
        "current_target_date",
        "revision_count",
        "days_past_original_target",
        "days_past_current_target",
    ]
    assert "report_id" not in table.columns and "date_warnings" in table.columns
    page_query_file(tmp_path / "rows.xlsx", sample_db, "recommendations", params, "xlsx", about, hidden=("report_id",))
    sheet = pl.read_excel(tmp_path / "rows.xlsx", sheet_name="Data")
    assert sheet.columns[:2] == ["Original target", "Current target"] and sheet.height == expected.height
    made = pl.read_excel(tmp_path / "rows.xlsx", sheet_name="About", has_header=False).to_series(1).to_list()
    assert {"statuses: open", "Days past original target, ascending"} <= set(made)


def test_sql_page_offers_csv_and_parquet_for_a_result_above_excels_limit(sample_db, monkeypatch):
    monkeypatch.setattr(tablefile, "EXCEL_MAX_ROWS", 15_000)
    at = dashboard_app(sample_db, monkeypatch, "sql")
    at.text_area(key="sql_text").input("SELECT * FROM range(20000)").run()
    assert any("The downloads hold all 20,000 rows of the result." in c.value for c in at.caption)
    assert any("20,000 rows are more than an Excel worksheet holds (15,000)" in i.value for i in at.info)
    assert prepare_labels(at) == ["Prepare CSV", "Prepare Parquet"]


def test_search_revisions_sort_and_page_are_kept_in_the_address_and_a_link_opens_them(recs, sample_db, monkeypatch):
    recs.text_input(key="rec_search").input("audit").run()
    recs.number_input(key="rec_min_revisions").set_value(1).run()
    recs.selectbox(key="rec_sort").set_value("council").run()
    recs.radio(key="rec_order").set_value("ascending").run()
    assert dict(recs.query_params) == {"search": "audit", "revised": "1", "sort": "council", "order": "ascending"}
    caption = next(c.value for c in recs.caption if "sorted by" in c.value)
    linked = dashboard_app(sample_db, monkeypatch)
    linked.query_params.update(recs.query_params)
    linked.switch_page("pages/recommendations.py").run()
    assert linked.text_input(key="rec_search").value == "audit"
    assert linked.number_input(key="rec_min_revisions").value == 1
    assert linked.selectbox(key="rec_sort").value == "council" and linked.radio(key="rec_order").value == "ascending"
    assert next(c.value for c in linked.caption if "sorted by" in c.value) == caption


def test_the_page_number_is_in_the_address_and_a_new_search_starts_on_page_one(recs):
    recs.number_input(key="rec_page").set_value(2).run()
    assert recs.query_params["page"] == "2"
    recs.text_input(key="rec_search").input("a").run()
    assert "page" not in recs.query_params and recs.number_input(key="rec_page").value == 1


def test_a_view_the_page_cannot_show_is_said_not_silently_replaced(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch)
    at.query_params.update({"sort": "shoe_size", "page": "999", "revised": "many"})
    at.switch_page("pages/recommendations.py").run()
    said = [w.value for w in at.warning]
    assert "No column called 'shoe_size' to sort by: sorted by Days past original target." in said
    assert "No revised 'many' on this page: showing 0." in said
    assert any(w.startswith("There is no page 999: the 161 matches fill 4 pages. Showing page 1.") for w in said)
    assert at.number_input(key="rec_page").value == 1


def test_counts_are_said_with_the_right_plural(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch)
    at.query_params["search"] = "procurement cards"
    at.switch_page("pages/recommendations.py").run()
    caption = next(c.value for c in at.caption if "sorted by" in c.value)
    assert caption.startswith("1 recommendation in the report on show match")
