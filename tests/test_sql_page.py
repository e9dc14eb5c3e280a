"""The SQL page (Streamlit AppTest on the sample store): the query kept across pages, the chart
the user picks (never rows added up unasked), and results with UK dates and blank nulls."""

import json
from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app.results import ChartChoice, result_chart
from tests.apptests import dashboard_app

pytestmark = pytest.mark.slow

REVISIONS = "SELECT council, revision_count FROM slippage WHERE council LIKE 'Harborough%'"


@pytest.fixture
def sql(sample_db, monkeypatch):
    return dashboard_app(sample_db, monkeypatch, "sql")


def run(at, text: str) -> AppTest:
    at.text_area(key="sql_text").input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def chart_rows(at) -> list[dict]:
    """The rows the one chart on the page draws (its data, as Vega-Lite gets it)."""
    (chart,) = at.get("vega_lite_chart")
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pylist()


def test_the_query_survives_leaving_the_page(sql):
    run(sql, "SELECT 41 + 1 AS answer")
    sql.switch_page("pages/overview.py").run()
    sql.switch_page("pages/sql.py").run()
    assert sql.text_area(key="sql_text").value == "SELECT 41 + 1 AS answer"
    assert sql.query_params["q"] == "SELECT 41 + 1 AS answer"
    assert sql.dataframe[-1].value["answer"].to_list() == [42]


def test_no_chart_until_asked_and_rows_never_added_up_unasked(sql, read):
    run(sql, REVISIONS)
    assert not sql.get("vega_lite_chart")
    sql.toggle(key="sql_chart_on").set_value(True).run()
    sql.selectbox(key="sql_chart_x").select("council").run()
    sql.selectbox(key="sql_chart_y").select("revision_count").run()
    # Twenty rows of one council: with no aggregation there is no honest bar chart of them.
    assert sql.selectbox(key="sql_chart_aggregation").value == "none"
    assert not sql.get("vega_lite_chart")
    assert any("rows share an x value" in i.value for i in sql.info)

    expected = read("SELECT max(revision_count) AS m, sum(revision_count) AS s FROM slippage WHERE council LIKE 'Harborough%'")
    sql.selectbox(key="sql_chart_aggregation").select("max").run()
    assert chart_rows(sql) == [{"x": "Harborough District Council", "y": expected["m"][0]}]
    sql.selectbox(key="sql_chart_aggregation").select("sum").run()
    assert chart_rows(sql) == [{"x": "Harborough District Council", "y": expected["s"][0]}]
    spec = json.loads(sql.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["y"]["title"] == "sum of revision_count" and spec["mark"]["type"] == "bar"

    sql.selectbox(key="sql_chart_aggregation").select("none").run()
    sql.selectbox(key="sql_chart_mark").select("point").run()  # points show every row as it is
    assert len(chart_rows(sql)) == read(REVISIONS).height


def test_result_chart_of_dates_reads_uk_dates():
    frame = pl.DataFrame({"report_date": [date(2024, 12, 31), date(2025, 3, 31)], "open": [5, 7]})
    spec = result_chart(frame, ChartChoice("report_date", "open", "none", "line")).to_dict()
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["x"]["axis"]["format"] == "%-d %b %Y"
    assert "is not a number" in result_chart(frame, ChartChoice("open", "report_date", "sum", "bar"))


def test_results_show_uk_dates_and_blank_nulls(sql):
    run(sql, "SELECT DATE '2024-12-31' AS due, NULL::INTEGER AS revisions, 'x' AS note")
    table = sql.dataframe[-1]
    config = json.loads(table.proto.columns)
    assert config["due"]["type_config"]["format"] == "D MMM YYYY"
    assert config["due"]["label"] == "due"  # as the analyst wrote it
    assert table.proto.placeholder == ""  # a null is a blank cell, never "None"
    assert table.proto.HasField("placeholder")


def test_the_schema_lists_the_readers_views_and_tables_before_the_stores_bookkeeping(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch, "sql")
    listed = [e.label.split("**")[1] for e in at.expander]
    assert listed[0] == "slippage"
    internal = [i for i, name in enumerate(listed) if name in ("derived_objects", "schema_migrations") or name.startswith("seed_")]
    assert internal and internal == list(range(len(listed) - len(internal), len(listed)))  # all of them last
    assert listed.index("reports") < internal[0] and listed.index("slippage_facts") < internal[0]


def test_the_example_picker_lets_go_of_an_example_once_the_query_is_edited(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch, "sql")
    example = at.selectbox(key="sql_example").options[1]
    at.selectbox(key="sql_example").set_value(example).run()
    assert at.selectbox(key="sql_example").value == example
    at.text_area(key="sql_text").input(at.text_area(key="sql_text").value + " LIMIT 1").run()
    assert at.selectbox(key="sql_example").value == ""


def test_a_typo_is_called_a_mistake_and_a_write_is_refused(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch, "sql")
    at.text_area(key="sql_text").input("SELECT counsil FROM slippage").run()
    [said] = [e.value for e in at.error]
    assert said.startswith('There is a mistake in the query: Referenced column "counsil" not found')
    at.text_area(key="sql_text").input("DELETE FROM reports").run()
    assert [e.value for e in at.error] == ["Refused: only read queries (SELECT) are allowed; this is a DELETE statement"]
