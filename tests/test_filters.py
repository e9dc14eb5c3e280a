"""The global filters (Streamlit AppTest on real stores): each list narrowed by the others, the
report filter's labels and one-click clearing, the ageing band and doubtful-date filters, the
single "Clear filters", and every filter in the page address."""

import pytest
from streamlit.testing.v1 import AppTest

from app.filters import Filters
from tests.apptests import dashboard_app

pytestmark = pytest.mark.slow

CAMBRIDGESHIRE = "Cambridgeshire County Council"


def start(db, monkeypatch, **address) -> AppTest:
    return dashboard_app(db, monkeypatch, address=address)


def offered(at, key: str) -> list[str]:
    return list(at.sidebar.multiselect(key=key).options)


def open_count(at) -> str:
    return next(m.value for m in at.metric if m.label == "Open recommendations")


@pytest.fixture
def app(sample_db, monkeypatch):
    return start(sample_db, monkeypatch)


def test_each_list_offers_only_what_the_other_filters_leave(app, read):
    assert offered(app, "filter_statuses") == ["closed", "implemented", "open"]
    app.sidebar.multiselect(key="filter_councils").select(CAMBRIDGESHIRE).run()
    # Cambridgeshire's report holds open recommendations only, and no low or unrated ones.
    assert offered(app, "filter_statuses") == ["open"]
    assert offered(app, "filter_risks") == ["critical", "high", "medium"]
    assert offered(app, "filter_councils") == sorted(read("SELECT DISTINCT council FROM reports")["council"])

    app.sidebar.multiselect(key="filter_councils").unselect(CAMBRIDGESHIRE).run()
    app.sidebar.multiselect(key="filter_statuses").select("closed").run()
    with_closed = read("SELECT DISTINCT council FROM latest_slippage WHERE status = 'closed'")["council"].to_list()
    assert offered(app, "filter_councils") == with_closed == ["Leicestershire County Council"]
    app.sidebar.multiselect(key="filter_councils").select("Leicestershire County Council").run()
    app.sidebar.multiselect(key="filter_statuses").select("open").run()
    assert open_count(app) == "7"
    # A value already chosen stays listed, so it can be removed, though the others would not offer it.
    app.sidebar.multiselect(key="filter_councils").select(CAMBRIDGESHIRE).run()
    assert "closed" in offered(app, "filter_statuses")


def test_report_filter_names_its_councils_and_clears_in_one_click(shared_date_db, monkeypatch):
    at = start(shared_date_db, monkeypatch)
    report = at.sidebar.selectbox(key="filter_report")
    assert report.value is None and report.format_func("2024-12-31") == f"31 Dec 2024 — {CAMBRIDGESHIRE}, Surrey County Council"
    assert report.format_func("2024-07-31") == "31 Jul 2024 — Harborough District Council"
    both = open_count(at)

    report.select("2024-12-31").run()
    assert at.query_params["report"] == "2024-12-31"
    assert set(at.sidebar.multiselect(key="filter_councils").options) == {CAMBRIDGESHIRE, "Surrey County Council"}
    at.sidebar.button(key="filter_report_clear").click().run()
    assert "report" not in at.query_params and open_count(at) == both

    at.sidebar.multiselect(key="filter_councils").select("Harborough District Council").run()
    assert at.sidebar.selectbox(key="filter_report").options == ["31 Jul 2024 — Harborough District Council"]


def test_leaving_out_doubtful_dates_changes_the_overview(app, read):
    doubtful = read(
        "SELECT count(*) AS n FROM latest_slippage l JOIN slippage_detail d USING (council, report_date, record_no) "
        "WHERE d.has_doubtful_date"
    )["n"][0]
    assert doubtful == 3  # the samples' three target warnings, all on open Cambridgeshire records
    assert any(c.value == "3 records shown rest on a doubtful date" for c in app.sidebar.caption)
    before = {m.label: m.value for m in app.metric}
    assert before["Open recommendations"] == "136"

    app.sidebar.toggle(key="filter_leave_out_doubtful").set_value(True).run()
    after = {m.label: m.value for m in app.metric}
    assert after["Open recommendations"] == "133"
    assert after["Median days past original target"] != before["Median days past original target"]
    assert any(c.value == "3 records with doubtful dates left out" for c in app.sidebar.caption)
    assert app.query_params["doubtful"] == "leave-out"
    # The record topping "most slipped" on a target ten years before its report is gone from the table too.
    app.switch_page("pages/recommendations.py").run()
    shown = app.dataframe[0].value
    assert shown["days_past_original_target"].max() < 3653
    assert app.sidebar.toggle(key="filter_leave_out_doubtful").value is True


def test_ageing_band_filters_every_figure(app, read):
    assert offered(app, "filter_ageing_bands") == ["not yet due", "0–90 days", "91–180 days", "181–365 days", "over a year"]
    app.sidebar.multiselect(key="filter_ageing_bands").select("over a year").run()
    expected = read("SELECT count(*) AS n FROM slippage_detail WHERE is_latest_report AND ageing_band = 'over a year'")["n"][0]
    assert open_count(app) == f"{expected:,}" and app.query_params["ageing"] == "over a year"
    app.switch_page("pages/slippage.py").run()
    ageing = [c for c in app.get("vega_lite_chart") if "time past target" in str(c.proto.spec)]
    assert ageing and "91–180 days" not in ageing[0].proto.datasets[0].data.data.decode(errors="ignore")


def test_a_chart_click_on_an_ageing_bar_sets_the_filter():
    def clicked():
        import streamlit as st

        from app.filters import apply_chart_selection

        st.session_state["ageing_chart"] = {"selection": {"pick": [{"ageing_band": "over a year"}]}}
        apply_chart_selection("ageing_chart", "ageing_band")

    at = AppTest.from_function(clicked)
    at.query_params["data"] = "demo"
    at.run()
    assert at.query_params == {"data": "demo", "ageing": "over a year"}


def test_clear_filters_clears_every_filter_and_leaves_other_parameters(sample_db, monkeypatch):
    at = start(sample_db, monkeypatch, council=CAMBRIDGESHIRE, risk="high", doubtful="leave-out", data="samples")
    assert at.sidebar.multiselect(key="filter_councils").value == [CAMBRIDGESHIRE]
    assert at.sidebar.toggle(key="filter_leave_out_doubtful").value is True
    assert open_count(at) == "18"  # the doubtful records are not high risk
    at.sidebar.button(key="filter_clear").click().run()
    assert at.query_params == {"data": "samples"}
    assert open_count(at) == "136" and at.sidebar.multiselect(key="filter_councils").value == []
    assert at.sidebar.button(key="filter_clear").disabled


def test_a_link_opens_its_filters_and_drops_what_the_store_lacks(sample_db, monkeypatch):
    at = start(sample_db, monkeypatch, council=[CAMBRIDGESHIRE, "Nowhere Council"], status="open")
    assert at.sidebar.multiselect(key="filter_councils").value == [CAMBRIDGESHIRE]
    assert at.sidebar.multiselect(key="filter_statuses").value == ["open"]
    assert open_count(at) == "81"
    assert offered(at, "filter_risks") == ["critical", "high", "medium"]  # narrowed by Cambridgeshire alone


def test_filters_describe_themselves_in_words():
    filters = Filters(councils=(CAMBRIDGESHIRE,), ageing_bands=("over a year",), report="2024-12-31", leave_out_doubtful=True)
    assert filters.describe() == (
        f"councils: {CAMBRIDGESHIRE}; past original target: over a year; report of 31 Dec 2024; records with doubtful dates left out"
    )
    assert Filters().describe() == "each council's newest report"
    assert filters.params() == {
        "councils": [CAMBRIDGESHIRE],
        "directorates": [],
        "risks": [],
        "statuses": [],
        "ageing_bands": ["over a year"],
        "leave_out_doubtful": True,
        "leave_out_doubtful_reports": False,
        "as_of": "2024-12-31",
    }


def test_every_query_that_takes_filters_takes_them_all():
    from app.data import QUERIES

    takers = [path.name for path in QUERIES.glob("*.sql") if "$councils" in path.read_text(encoding="utf-8")]
    assert {"summary.sql", "trend.sql", "ageing.sql", "movement.sql", "movement_counts.sql"} <= set(takers)
    for name in takers:
        text = (QUERIES / name).read_text(encoding="utf-8")
        assert all(f"${param}" in text for param in Filters().params(report=False)), name


def test_a_value_the_store_lacks_is_said_not_silently_dropped(sample_db, monkeypatch):
    at = start(sample_db, monkeypatch, council="Nowhere", report="2031-01-01")
    said = [w.value for w in at.warning]
    assert "No council called 'Nowhere' in this store (under the other filters): showing all councils." in said
    assert ("No report dated '2031-01-01' in this store (under the other filters): showing each council's newest report.") in said
    assert at.sidebar.multiselect(key="filter_councils").value == []
