"""The first run: the dashboard opens on a labelled demo history (several reporting cycles, built
on first run), with the real samples one click away; with SLIPPAGE_DB set it shows that store
alone; once someone loads their own reports it opens on them. Also the Data page's tables and the
viewer's toolbar. Every test points the default store at a folder of its own (SLIPPAGE_DATA_DIR), so nothing is
written into the repository's data/."""

import shutil
import time

import duckdb
import polars as pl
import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from app.data import QUERIES
from app.filters import Filters
from etl.load import load
from etl.store.readonly import open_safe
from etl.store.store import ROOT, SAMPLES_DIR
from etl.store.synth import build_demo_store
from tests.samples import seed_path
from tests.servers import open_page, screenshot, streamlit_server
from tests.stores import snapshot

pytestmark = pytest.mark.slow

DASHBOARD = str(ROOT / "dashboard.py")
DEMO_COUNCILS = {
    "Eastmarch County Council",
    "Fernleigh District Council",
    "Harrowdene Borough Council",
    "Kingsmere City Council",
    "Stourvale District Council",
    "Wexcombe Borough Council",
}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """No SLIPPAGE_DB, and the default store (and the demo beside it) in tmp_path."""
    monkeypatch.delenv("SLIPPAGE_DB", raising=False)
    monkeypatch.setenv("SLIPPAGE_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_store(db)
    return db


def first_run(link: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    for name, value in (link or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def banner(at: AppTest) -> list[str]:
    return [i.value for i in at.info if i.value.startswith("**Demo data**")]


def switch(at: AppTest):
    found = [r for r in at.sidebar.radio if r.label == "Data shown"]
    return found[0] if found else None


def run_query_file(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return con.sql((QUERIES / f"{name}.sql").read_text(encoding="utf-8"), params=params).pl()


# -- the dashboard's choice of store --------------------------------------------------------------
def test_a_first_run_builds_the_demo_and_says_it_is_one(data_dir):
    stale = [data_dir / "demo-000000000000.duckdb", data_dir / "demo-000000000000.duckdb.lock"]
    for left in stale:  # a demo from an earlier builder
        left.write_bytes(b"")
    started = time.perf_counter()
    at = first_run()
    seconds = time.perf_counter() - started
    [demo] = data_dir.glob("demo-*.duckdb")  # built where the store is, not in the repository
    assert demo.name != stale[0].name and not any(left.exists() for left in stale)
    assert (data_dir / "audit.duckdb").exists()  # and the samples, one click away
    assert seconds < 30  # about 3 s here: the demo in about 1 s, the samples in about 2 s

    [said] = banner(at)
    assert "synthetic history of 6 fictional councils with 6–8 quarterly reports" in said and "No figure here is real" in said
    assert at.query_params["data"] == "demo"
    shown = switch(at)
    assert shown.value == "demo" and shown.options == ["Demo history (synthetic)", "Bundled samples (real reports)"]
    assert set(at.sidebar.multiselect(key="filter_councils").options) == DEMO_COUNCILS

    con = open_safe(demo)
    newest = con.sql(
        "SELECT count(*) FROM recommendations JOIN reports USING (report_id) "
        "JOIN (SELECT council, max(report_date) AS report_date FROM reports GROUP BY 1) USING (council, report_date) "
        "WHERE status = 'open'"
    ).fetchall()[0][0]
    con.close()
    assert at.metric[0].label == "Open recommendations" and at.metric[0].value == f"{newest:,}"


def test_a_link_to_the_samples_shows_the_samples(data_dir):
    at = first_run({"data": "samples"})
    assert not banner(at)
    assert switch(at).value == "samples" and at.query_params["data"] == "samples"
    assert at.metric[0].value == "136"  # the five samples' open recommendations
    assert "Cambridgeshire County Council" in at.sidebar.multiselect(key="filter_councils").options


def test_with_slippage_db_the_dashboard_shows_that_store_alone(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SLIPPAGE_DB", str(sample_db))
    monkeypatch.setenv("SLIPPAGE_DATA_DIR", str(tmp_path))
    at = first_run({"data": "demo"})  # even a link that asks for the demo
    assert not banner(at) and switch(at) is None
    assert at.metric[0].value == "136"
    assert not list(tmp_path.iterdir())  # no demo, no default store built


def test_once_own_reports_are_loaded_the_dashboard_opens_on_them(data_dir, tmp_path):
    own = tmp_path / "test-borough-2025.txt"
    own.write_text(
        seed_path("003")
        .read_text(encoding="utf-8")
        .replace("Appendix 1 – Implemented Recommendations", "Outstanding Recommendations as at 30 June 2025"),
        encoding="utf-8",
    )
    load([SAMPLES_DIR], data_dir / "audit.duckdb")
    at = first_run()
    assert switch(at).value == "demo"  # the samples alone are not someone's own reports
    assert all(o.ok for o in load([own], data_dir / "audit.duckdb", council="Test Borough Council"))

    at = first_run()
    assert not banner(at) and at.query_params["data"] == "samples"
    assert switch(at).value == "samples" and switch(at).options == ["Demo history (synthetic)", "Your reports"]
    assert at.metric[0].value == "151"  # 136 and the 15 open ones loaded
    assert banner(first_run({"data": "demo"}))  # the demo is still one click away


def test_every_page_works_on_the_demo(data_dir):
    at = first_run()
    for page in ("overview", "slippage", "recommendations", "committee", "sql", "data"):
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
    at.switch_page("pages/sql.py")
    at.run()
    at.text_area(key="sql_text").input("SELECT council, count(*) AS reports FROM reports GROUP BY 1").run()
    assert set(at.dataframe[-1].value["council"]) == DEMO_COUNCILS


# -- the demo history itself ----------------------------------------------------------------------
def test_the_demo_has_reporting_cycles_movement_and_trends(demo_db):
    con = open_safe(demo_db)
    try:
        reports = con.sql("SELECT council, count(*) AS n FROM reports GROUP BY 1").pl()
        assert set(reports["council"]) == DEMO_COUNCILS and reports["n"].min() >= 6 and reports["n"].max() == 8
        assert 250 <= con.sql("SELECT count(DISTINCT recommendation_key) FROM recommendations").fetchall()[0][0] <= 500

        moved = run_query_file(con, "movement_counts", **Filters().params())
        assert {"new", "closed", "gone", "re-dated", "update unchanged"} <= set(moved["change"])
        trend = run_query_file(con, "trend", **Filters().params(report=False))
        assert trend.group_by("council").len()["len"].min() >= 6
        assert trend["overdue"].sum() > 0 and trend["median_days_past_original"].n_unique() > 10

        facts = con.sql("SELECT * FROM slippage_facts").pl()
        assert facts["revision_count"].max() >= 4  # extended again and again
        assert facts["target_history"].list.contains("TBC").any()
        assert facts["no_update_streak"].max() >= 3 and facts["no_update_flag"].any()
        assert {"open", "implemented", "closed"} <= set(facts["status"])
        doubtful = facts.filter("has_doubtful_date")
        assert (
            doubtful.height
            and doubtful["date_warnings"]
            .explode()
            .str.contains("before the audit's own year|more than five years after|earlier than the one before it")
            .all()
        )
        assert facts.filter("is_latest_report", "has_doubtful_date").height  # doubts in the reports on show
    finally:
        con.close()


def test_the_demo_is_the_same_every_time_and_quick(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    seconds = build_demo_store(again)
    assert seconds < 10  # about 1 s here
    assert snapshot(again) == snapshot(demo_db)


def test_the_demo_is_a_real_store_that_takes_loads(demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    [outcome] = load([seed_path("002")], copy, council="Leicestershire County Council")
    assert outcome.outcome == "loaded", outcome.line()
    assert build_demo_store(copy) < 10  # building over a store that holds reports leaves it as it is
    con = open_safe(copy)
    assert con.sql("SELECT count(*) FROM reports").fetchall()[0][0] == 44 + 1  # the demo's 44 and the one loaded
    con.close()


# -- the Data page --------------------------------------------------------------------------------
def test_the_data_page_reads_as_words_and_uk_dates(sample_db, monkeypatch):
    import json

    monkeypatch.setenv("SLIPPAGE_DB", str(sample_db))
    at = first_run()
    at.switch_page("pages/data.py")
    at.run()
    dated = set()
    for table in at.dataframe:
        config = json.loads(table.proto.columns)
        shown = pl.from_pandas(table.value)
        labels = {name: config[name]["label"] for name in shown.columns}
        assert all("_" not in label and label[:1].isupper() for label in labels.values()), labels
        for name in shown.columns:
            if config[name].get("type_config", {}).get("type") in ("date", "datetime"):
                assert config[name]["type_config"]["format"].startswith("D MMM YYYY")
                dated.add(name)
        assert all(shown[name].null_count() == 0 for name in shown.columns)  # st.dataframe prints "None"
    assert {"report_date", "loaded_at", "attempted_at"} <= dated
    reports, warnings, attempts = (pl.from_pandas(t.value) for t in at.dataframe)
    assert set(reports["pages"]) == {"–"}  # text files have no pages
    assert warnings["message"].str.contains("31 Dec 2014").any()
    assert not warnings["message"].str.contains(r"\d{4}-\d{2}-\d{2}").any()
    assert attempts["message"].str.contains(r"report date \d{1,2} [A-Z][a-z]{2} \d{4}").all()


# -- in the browser -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def first_run_server(tmp_path_factory):
    """The dashboard as the README's first command starts it: no SLIPPAGE_DB, nothing built yet."""
    folder = tmp_path_factory.mktemp("first-run")
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": "", "SLIPPAGE_DATA_DIR": str(folder)}) as (url, _):
        yield url


@pytest.mark.browser
def test_the_demo_is_labelled_on_every_page_and_the_samples_are_one_click_away(first_run_server, page):
    demo_banner = page.get_by_text("Demo data: a synthetic history of 6 fictional councils")
    # The server's first page view, and a link to a page, not to "/": Streamlit, seeing pages/ and
    # no st.navigation yet, would run the page alone, without dashboard.py's choice of store.
    open_page(page, first_run_server, "slippage")
    expect(demo_banner).to_be_visible(timeout=60_000)
    expect(page).to_have_url(f"{first_run_server}/slippage?data=demo")
    expect(page.get_by_text("Database built")).to_have_count(0)  # the samples were built quietly, beside it
    page.get_by_role("link", name="Overview").click()
    expect(page).to_have_url(f"{first_run_server}/?data=demo")
    for name in ("Recommendations", "Committee", "SQL", "Data"):
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=name, exact=False).first).to_be_visible(timeout=30_000)
        expect(demo_banner).to_be_visible(timeout=30_000)
        assert "data=demo" in page.url, (name, page.url)
    screenshot(page, "demo-data-page")

    page.get_by_role("link", name="Overview").click()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.get_by_text("Bundled samples (real reports)").click()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("136", timeout=30_000)
    expect(demo_banner).to_have_count(0)
    assert "data=samples" in page.url
    page.get_by_role("link", name="Recommendations").click()  # the choice is kept across pages
    expect(page.get_by_text("recommendations in the report on show match", exact=False)).to_be_visible(timeout=30_000)
    expect(demo_banner).to_have_count(0)
    assert "data=samples" in page.url
    screenshot(page, "samples-after-switch")

    open_page(page, first_run_server, "?data=demo")  # a link to the demo opens the demo
    expect(demo_banner).to_be_visible(timeout=30_000)


@pytest.mark.browser
def test_viewers_get_no_deploy_menu(first_run_server, page):
    open_page(page, first_run_server)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stToolbar"]')).to_be_attached()
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    expect(page.get_by_text("Deploy", exact=True)).to_have_count(0)
    screenshot(page, "toolbar-for-viewers")
