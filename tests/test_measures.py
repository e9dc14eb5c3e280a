"""The catalogue of measures (sql/measures.toml, etl/store/measures.py): the macro and the docs are
written from it, each measure reads only its population, a new entry shows labelled the same in
the docs, the headers and the roll-ups, every figure a page or pack shows is one of its measures,
and the Committee's figures agree with the Slippage and Overview figures wherever they name the
same measure."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from app import exports
from app.change import with_changes
from app.committee import pack_html
from app.committee.view import gather, months_on
from app.filters import Filters
from app.text import COLUMN_HEADERS, HEADERS, header, measure_headers
from etl.store import measures, store
from etl.store.measures import CatalogueError
from etl.store.readonly import open_safe
from etl.store.synth import build_demo_store
from tests.apptests import dashboard_app
from tests.packs import query_on
from tests.sqlcases import build_store

pytestmark = pytest.mark.slow  # pages walked in AppTest, packs rendered, stores built

NO_FILTERS = Filters().params(report=False)
NEW_ENTRY = """
[[measure]]
name = "open_high_risk"
population = "open"
sql = "count(*) FILTER (WHERE rec.status = 'open' AND rec.risk_level IN ('critical', 'high'))"
label = "Open, high or critical risk"
help = "Open recommendations rated high or critical."
format = "count"
unit = "recommendations"
better = "lower"
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_store(db)
    return db


def test_the_committed_macro_and_docs_are_written_from_the_catalogue():
    catalogue = measures.read()
    assert measures.MACRO_FILE.read_text(encoding="utf-8") == measures.macro_sql(catalogue), (
        "sql/marts/slippage_measures.sql differs from the catalogue: run python -m etl.store.measures"
    )
    docs = measures.DOCS_FILE.read_text(encoding="utf-8")
    assert docs == measures.docs_text(docs, catalogue), "docs/measures.md differs: run python -m etl.store.measures"


@pytest.mark.parametrize(
    "old, new, problem",
    [
        ('label = "Overdue"', 'label = "Open recommendations"', "the label 'Open recommendations' is given to more than one measure"),
        ('sql = "count(*) FILTER (WHERE rec.is_overdue)"\n', "", "measures.toml, measure 3: missing or empty sql"),
        (
            'name = "overdue"\npopulation = "open"',
            'name = "overdue"\npopulation = "opened"',
            "measures.toml, measure 3: population 'opened' is not one of all, open",
        ),
        ('format = "days"', 'format = "minutes"', "format 'minutes' is not one of count, share, days, decimal"),
    ],
)
def test_a_catalogue_that_cannot_be_read_is_refused_naming_the_entry(tmp_path, old, new, problem):
    text = measures.CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "measures.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(problem)) as refused:
        measures.read(broken)
    assert str(refused.value).startswith("measures.toml")


def test_each_measure_reads_only_its_population(demo_db):
    """A measure of the open records gives the same over every record as over the open ones alone;
    one of every record does not (the demo has closed records, re-dated and without updates)."""
    con = open_safe(demo_db)
    grouped = "SELECT council, report_date, slippage_measures(d) AS m FROM slippage_detail d {} GROUP BY ALL"
    every = con.sql(grouped.format("")).pl().unnest("m").sort("council", "report_date")
    open_only = con.sql(grouped.format("WHERE status = 'open'")).pl().unnest("m").sort("council", "report_date")
    catalogue = measures.read()
    for entry in catalogue.measures:
        same = every[entry.name].equals(open_only[entry.name])
        assert same == (entry.population == "open"), entry.name


def test_a_new_measure_appears_labelled_the_same_in_docs_headers_and_roll_ups(tmp_path, sql_copy):
    catalogue_file = tmp_path / "measures.toml"
    catalogue_file.write_text(measures.CATALOGUE.read_text(encoding="utf-8") + NEW_ENTRY, encoding="utf-8")
    extended = measures.read(catalogue_file)
    docs = tmp_path / "measures.md"
    docs.write_text(measures.DOCS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    measures.write(extended, macro_file=sql_copy / "marts" / "slippage_measures.sql", docs_file=docs)

    assert "| `open_high_risk` | Open, high or critical risk: Open recommendations rated high or critical. |" in docs.read_text(
        encoding="utf-8"
    )
    headers = measure_headers(extended)
    assert headers["open_high_risk"] == "Open, high or critical risk"
    assert headers["change_open_high_risk"] == "Open, high or critical risk: change"
    con = build_store(
        {
            "reports": [{"report_id": 1, "council": "Anyshire", "report_date": date(2024, 6, 30)}],
            "recommendations": [
                {"report_id": 1, "record_no": 1, "risk_level": "high"},
                {"report_id": 1, "record_no": 2, "risk_level": "low"},
                {"report_id": 1, "record_no": 3, "risk_level": "critical", "status": "closed"},
            ],
        }
    )
    try:
        [(count,)] = con.sql(
            "SELECT open_high_risk FROM slippage_summary([], [], [], [], [], false, NULL) WHERE breakdown = 'all'"
        ).fetchall()
        changed = con.sql("SELECT * FROM slippage_change([], [], [], [], [], false, NULL)").pl()
    finally:
        con.close()
    assert count == 1
    assert {"open_high_risk", "previous_open_high_risk"} <= set(changed.columns)


def test_no_other_column_is_headed_with_a_measures_label():
    """One label per measure, never the same label over other rows (a record's own flag included)."""
    labels = set(measure_headers(measures.read()).values())
    assert not labels & set(COLUMN_HEADERS.values())
    assert all(HEADERS[name] == label for name, label in measure_headers(measures.read()).items())


def _figures_on(at) -> set[str]:
    return {metric.label for metric in at.metric}


# Figures a page shows that are not a measure of a group of records: how many recommendations
# changed in each way since the previous report (the seed change_kinds labels them).
def _change_kind_labels() -> set[str]:
    from app.movement import CHANGE_LABELS

    return set(CHANGE_LABELS.values())


# Numbers in the pages' tables that are not measures of a group: a rank, how many reports a
# council has, and a record's own fields (app/text.py COLUMN_HEADERS heads them).
NOT_MEASURES = {"rank", "reports"} | set(COLUMN_HEADERS)


@pytest.mark.parametrize("page", ["overview", "slippage", "committee"])
def test_every_figure_a_page_shows_is_a_catalogue_measure(demo_db, monkeypatch, page):
    at = dashboard_app(demo_db, monkeypatch, page)
    assert not at.exception
    labels = set(measure_headers(measures.read()).values())
    assert _figures_on(at) - labels - _change_kind_labels() == set()
    if page != "slippage":
        assert _figures_on(at) & labels  # a page of figures shows some
    for table in at.dataframe:
        frame = pl.from_pandas(table.value)
        numbers = [name for name, dtype in frame.schema.items() if dtype.is_numeric()]
        assert set(numbers) - set(measure_headers(measures.read())) - NOT_MEASURES == set(), page


def test_every_figure_the_pack_shows_is_a_catalogue_measure(demo_db):
    view = gather(query_on(demo_db), "Eastmarch County Council", date(2025, 3, 31))
    page = pack_html.to_html(view, charts=False)
    figures = re.findall(r"<div class='figure'><b>[^<]*</b>([^<]+)", page)
    assert len(figures) == 7
    assert set(figures) <= set(measure_headers(measures.read()).values())


def _councils_and_reports(db: Path) -> list[tuple[str, date]]:
    return open_safe(db).sql("SELECT council, max(report_date) FROM reports GROUP BY council ORDER BY council").fetchall()


def test_committee_figures_agree_with_the_slippage_figures_of_the_same_measure(demo_db):
    """For every council's newest report, each measure on the Committee page (its default meeting
    and limit) equals the same measure in the Slippage and Overview roll-ups filtered to that
    council, now and at its previous report; and each list is as long as its count."""
    query = query_on(demo_db)
    catalogue = measures.read()
    for council, report in _councils_and_reports(demo_db):
        view = gather(query, council, report)
        summary = query("summary", **NO_FILTERS | {"councils": [council], "as_of": None})
        compared = with_changes(query("summary_change", **NO_FILTERS | {"councils": [council], "as_of": None}))
        [slippage] = summary.filter(pl.col("breakdown") == "council").to_dicts()
        [overview] = compared.filter(pl.col("breakdown") == "council").to_dicts()
        for name in catalogue.names:
            assert view.headline[name] == slippage[name] == overview[name], (council, name)
            before = view.previous[name] if view.previous else None
            assert before == overview[f"previous_{name}"], (council, name)
        assert view.meeting == months_on(report)
        assert view.headline["falls_due_before_meeting"] == view.due_before_meeting().height
        assert view.headline["called_to_account"] == view.called_to_account().height
        assert view.headline["extensions_to_approve"] == view.extensions_asked().height
        assert view.headline["open_revised_twice_or_more"] == view.revised().height
        assert view.headline["open_without_update_twice"] == view.no_update().height
        chosen = gather(query, council, report, months_on(report, 6), called_after=0)
        assert chosen.headline["falls_due_before_meeting"] == chosen.due_before_meeting().height
        assert chosen.headline["called_to_account"] == chosen.called_to_account().height


def test_the_committee_and_overview_pages_show_the_same_figure_for_a_measure(demo_db, monkeypatch):
    council, report = _councils_and_reports(demo_db)[0]
    committee = dashboard_app(demo_db, monkeypatch, "committee")
    assert committee.selectbox(key="committee_council").value == council
    overview = dashboard_app(demo_db, monkeypatch, "overview")
    overview.sidebar.multiselect(key="filter_councils").select(council).run()
    on_committee = {metric.label: metric.value for metric in committee.metric}
    on_overview = {metric.label: metric.value for metric in overview.metric}
    shared = set(on_committee) & set(on_overview) & set(measure_headers(measures.read()).values())
    assert {header("open"), header("overdue")} <= shared
    assert {label: on_committee[label] for label in shared} == {label: on_overview[label] for label in shared}


def test_the_macro_is_one_object_the_store_applies(tmp_path):
    """The written macro is what every write creates: applied to an empty store, it answers."""
    con = duckdb.connect(str(tmp_path / "store.duckdb"))
    try:
        store.apply_schema(con)
        store.refresh_marts(con)
        [(fields,)] = con.sql("SELECT slippage_measures(d) FROM slippage_detail d").fetchall()
    finally:
        con.close()
    assert list(fields) == measures.read().names


def test_an_export_heads_each_measure_with_its_catalogue_label(demo_db, tmp_path):
    """A page query's download for people heads a measure's column (and its previous value's) as
    the catalogue labels it; for programs, by its name."""
    params = NO_FILTERS | {"as_of": None}
    for machine in (False, True):
        target = tmp_path / f"change-{machine}.csv"
        exports.page_query_file(target, demo_db, "summary_change", params, "csv", {"made by": "test"}, machine=machine)
        columns = next(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
        for entry in measures.read().measures:
            named = entry.name if machine else entry.label
            previous = f"previous_{entry.name}" if machine else f"{entry.label}, previous report"
            assert named in columns and previous in columns
