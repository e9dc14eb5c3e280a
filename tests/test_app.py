"""Every page renders on the sample data with its charts, tables and downloads (Streamlit AppTest)."""

import json

import polars as pl
import pytest

from tests.apptests import dashboard_app, prepare_labels

pytestmark = pytest.mark.slow


@pytest.fixture
def app(sample_db, monkeypatch):
    return dashboard_app(sample_db, monkeypatch)


def open_page(at, page):
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def charts(at):
    return at.get("vega_lite_chart")


# Each council's newest report, joined to rows that carry council and report_date.
NEWEST = "JOIN (SELECT council, max(report_date) AS report_date FROM reports GROUP BY council) USING (council, report_date)"


def test_overview_headline_figures(app, read):
    # The true figures, counted here from the base tables (and the slippage view's per-row
    # revisions and no-update flags), not through the page's summary query.
    rows = read(
        "SELECT council, status, original_target_date, current_target_date, report_date "
        "FROM recommendations JOIN reports USING (report_id) " + NEWEST
    ).with_columns(
        is_open=pl.col("status") == "open",
        is_overdue=(pl.col("status") == "open") & (pl.coalesce("current_target_date", "original_target_date") < pl.col("report_date")),
        days_past=(pl.col("report_date") - pl.col("original_target_date")).dt.total_days(),
    )
    median_days = rows.filter("is_open")["days_past"].median()
    flags = read("SELECT revision_count >= 2 AS revised_twice, no_update_flag FROM slippage " + NEWEST)
    revised, stale = flags["revised_twice"].sum(), flags["no_update_flag"].sum()

    shown = {m.label: m.value for m in app.metric}
    assert shown == {
        "Open recommendations": f"{rows['is_open'].sum():,}",
        "Overdue": f"{rows['is_overdue'].sum():,}",
        "Median days past original target": f"{median_days:,.0f} days",
        "Share revised two or more times": f"{revised / flags.height:.0%}",
        "Share with no fresh update": f"{stale / flags.height:.0%}",
    }
    assert shown["Open recommendations"] == "136" and shown["Median days past original target"] == "152 days"
    helps = {m.label: m.proto.help for m in app.metric}
    assert helps["Share revised two or more times"].endswith(f" {revised} of {flags.height}.")
    assert helps["Share with no fresh update"].endswith(f" {stale} of {flags.height}.")
    by_council = {r.council: (r.open, r.overdue) for r in app.dataframe[0].value.itertuples()}
    counted = rows.group_by("council").agg(pl.col("is_open").sum(), pl.col("is_overdue").sum())
    assert by_council == {council: (open_, overdue) for council, open_, overdue in counted.iter_rows()}


def test_filters_change_the_figures(app):
    app.sidebar.multiselect(key="filter_councils").select("Harborough District Council").run()
    assert app.metric[0].value == "20" and app.metric[1].value == "20"
    app.sidebar.multiselect(key="filter_risks").select("high").run()
    assert app.metric[0].value == "1"


def test_slippage_charts(app):
    at = open_page(app, "slippage")
    assert len(charts(at)) == 6
    assert [b.proto.label for b in at.get("download_button")] == ["PNG", "SVG"] * 6
    assert [t.value for t in at.title] == ["Slippage"]


def test_recommendations_table_record_and_exports(app):
    at = open_page(app, "recommendations")
    table = at.dataframe[0].value
    assert table.shape[0] == 50 and "audit_title" in table.columns
    assert prepare_labels(at) == ["Prepare CSV", "Prepare Excel", "Prepare Parquet"]
    assert not charts(at)
    at.text_input(key="rec_search").input("procurement cards").run()
    assert at.dataframe[0].value.shape[0] == 1
    at.selectbox(key="rec_open").select_index(0).run()
    texts = [t.value for t in at.text]
    assert any("Clear guidance to schools on GPC use" in t for t in texts)
    assert at.dataframe[1].value["target"].to_list()[-2:] == ["TBC", "TBC"]


def test_sql_page_runs_examples_and_refuses_writes(app):
    at = open_page(app, "sql")
    assert not at.get("download_button")  # no chart until one is asked for
    assert prepare_labels(at) == ["Prepare CSV", "Prepare Excel", "Prepare Parquet"]
    assert at.dataframe[-1].value.shape[0] > 0
    at.text_area(key="sql_text").input("DELETE FROM reports").run()
    assert any("Refused" in e.value for e in at.error)
    at.text_area(key="sql_text").input("SELECT council, count(*) AS n FROM slippage GROUP BY 1").run()
    assert at.dataframe[-1].value.shape[0] == 5 and not charts(at)
    assert at.query_params["q"] == "SELECT council, count(*) AS n FROM slippage GROUP BY 1"


def test_data_page_lists_reports_warnings_and_attempts(app):
    at = open_page(app, "data")
    reports, warnings, attempts = (d.value for d in at.dataframe)
    assert reports.shape[0] == 5 and attempts.shape[0] == 5
    assert warnings["message"].str.contains("31 Dec 2014").any()


def test_first_run_builds_the_store_from_the_samples(tmp_path, monkeypatch):
    db = tmp_path / "new.duckdb"
    at = dashboard_app(db, monkeypatch, timeout=120)
    assert db.exists()
    assert at.metric[0].value == "136"


def test_filters_are_kept_across_pages(app):
    app.sidebar.multiselect(key="filter_councils").select("Cambridgeshire County Council").run()
    at = open_page(app, "recommendations")
    assert at.sidebar.multiselect(key="filter_councils").value == ["Cambridgeshire County Council"]
    assert set(at.dataframe[0].value["council"]) == {"Cambridgeshire County Council"}
    at = open_page(at, "overview")
    assert at.metric[0].value == "81"


@pytest.mark.parametrize(
    "name",
    ["insert", "ddl", "read_csv", "read_text", "glob", "copy_to", "attach", "export", "install", "load", "set", "two_statements", "http"],
)
def test_sql_page_refuses_every_attack(name, fresh_db, monkeypatch):
    import hashlib

    from tests.attacks import ATTACKS

    before = hashlib.sha256(fresh_db.read_bytes()).hexdigest()
    at = dashboard_app(fresh_db, monkeypatch, "sql")
    at.text_area(key="sql_text").input(ATTACKS[name]).run()
    assert not at.exception
    assert any(e.value.startswith("Refused:") for e in at.error)
    assert not prepare_labels(at)
    assert hashlib.sha256(fresh_db.read_bytes()).hexdigest() == before


def test_sql_page_says_when_rows_were_cut(app):
    at = open_page(app, "sql")
    at.text_area(key="sql_text").input("SELECT * FROM range(20000)").run()
    assert any("cut at 10,000 rows" in w.value for w in at.warning)
    assert at.dataframe[-1].value.shape[0] == 10_000
    assert prepare_labels(at) == ["Prepare CSV", "Prepare Excel", "Prepare Parquet"]


def test_a_shared_link_opens_with_its_query(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch)
    at.query_params["q"] = "SELECT 41 + 1 AS answer"
    at = open_page(at, "sql")
    assert at.text_area(key="sql_text").value == "SELECT 41 + 1 AS answer"
    assert any("press **Run query**" in i.value for i in at.info)  # a link alone never runs a query
    assert not [d for d in at.dataframe if "answer" in d.value.columns]
    at.button(key="sql_run").click().run()
    assert at.dataframe[-1].value["answer"].to_list() == [42]


@pytest.mark.parametrize("page", ["overview", "slippage", "recommendations", "committee", "data"])
def test_an_empty_store_says_what_to_do(page, tmp_path, monkeypatch):
    from etl.store.store import Store

    db = tmp_path / "empty.duckdb"
    with Store(db).writing():  # tables and views, no reports (a load of nothing makes no store)
        pass
    at = dashboard_app(db, monkeypatch, page)
    assert any("No reports loaded yet: load one in the admin app" in i.value for i in at.info)
    assert not charts(at)


def test_filters_that_match_nothing_say_so(app):
    app.sidebar.multiselect(key="filter_councils").select("Harborough District Council").run()
    app.sidebar.multiselect(key="filter_risks").select("critical").run()
    assert any("No recommendations match the filters" in i.value for i in app.info)
    assert not app.metric
    at = open_page(app, "slippage")
    assert any("No recommendations match the filters" in i.value for i in at.info) and not charts(at)


def test_one_format_per_kind_of_number_in_the_tables(app):
    table = app.dataframe[0]
    config = json.loads(table.proto.columns)
    shares = table.value["share_revised_twice"]
    assert shares.dtype.kind == "i" and shares.between(0, 100).all()  # whole percentages, as the headline says
    assert config["share_revised_twice"]["type_config"]["format"] == "%d%%"
    assert config["median_days_past_original"]["type_config"]["format"] == "localized"  # 4,027, not 4027
    assert config["open"]["type_config"]["format"] == "localized"
