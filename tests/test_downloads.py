"""Every download holds the rows of the store on show: on the demo, the samples and a store named
by SLIPPAGE_DB, with and without a filter, the Recommendations page's file holds the rows its
table and count show, and the SQL page's the result on screen (Streamlit AppTest). A download's
file was once made in a thread with no session, from data/audit.duckdb whatever the page showed.
Also: each file is fetched once from disk and gone, and every file is cut at its byte cap."""
import re

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from etl.store import store
from etl.store.store import ROOT
from tests.conftest import prepared_download

DASHBOARD = str(ROOT / "dashboard.py")
COMPARED = ["council", "report_date", "ref", "audit_title", "status", "days_past_original_target", "revision_count"]


@pytest.fixture
def first_run(tmp_path, monkeypatch):
    """The dashboard with no SLIPPAGE_DB and nothing built: its default store (and the demo
    beside it) in tmp_path; opened on the store the address asks for (?data=demo or samples)."""
    monkeypatch.delenv("SLIPPAGE_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "audit.duckdb")

    def open_on(data: str) -> AppTest:
        at = AppTest.from_file(DASHBOARD, default_timeout=180)
        at.query_params["data"] = data
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_on


@pytest.fixture
def named_store(sample_db, tmp_path, monkeypatch):
    """SLIPPAGE_DB names a store; the default store beside it is the demo's first run, unbuilt."""
    monkeypatch.setenv("SLIPPAGE_DB", str(sample_db))
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "audit.duckdb")
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def on_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rows_matching(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if "recommendations in the report on show match" in c.value)
    return int(re.match(r"([\d,]+) recommendations", caption).group(1).replace(",", ""))


def on_screen(at: AppTest) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[0].value).select(COMPARED)


def assert_download_is_the_table_on_screen(at: AppTest) -> None:
    total, shown = rows_matching(at), on_screen(at)
    csv = pl.read_csv(prepared_download(at, "CSV"), comment_prefix="#", try_parse_dates=True)
    parquet = pl.read_parquet(prepared_download(at, "Parquet"))
    assert csv.height == parquet.height == total > 0
    for file in (csv, parquet):
        assert file.head(shown.height).select(COMPARED).equals(shown.cast(file.select(COMPARED).schema)), file.head(3)


def filter_one_council(at: AppTest) -> str:
    chooser = at.sidebar.multiselect(key="filter_councils")
    council = chooser.options[-1]
    chooser.select(council).run()
    assert not at.exception, [e.message for e in at.exception]
    return council


@pytest.mark.parametrize("data", ["demo", "samples"])
def test_recommendations_downloads_hold_the_rows_on_show_on_a_first_run(first_run, data):
    at = on_page(first_run(data), "recommendations")
    assert_download_is_the_table_on_screen(at)
    council = filter_one_council(at)
    assert set(on_screen(at)["council"]) == {council}
    assert_download_is_the_table_on_screen(at)


def test_recommendations_downloads_hold_the_rows_of_the_store_slippage_db_names(named_store):
    at = on_page(named_store, "recommendations")
    assert rows_matching(at) == 161
    assert_download_is_the_table_on_screen(at)
    filter_one_council(at)
    assert_download_is_the_table_on_screen(at)


@pytest.mark.parametrize("data", ["demo", "samples"])
def test_the_sql_pages_download_holds_the_result_on_screen(first_run, data):
    at = on_page(first_run(data), "sql")
    at.text_area(key="sql_text").input("SELECT council, count(*) AS n FROM slippage GROUP BY 1 ORDER BY 1").run()
    shown = pl.from_pandas(at.dataframe[-1].value)
    assert shown.height > 0
    assert pl.read_csv(prepared_download(at, "CSV"), comment_prefix="#").equals(shown.cast({"n": pl.Int64}))
