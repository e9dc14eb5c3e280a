"""The Slippage and Overview pages at 300 councils (AppTest on a synthetic store), the charts'
wording, dates and contrast, and their text alternatives."""

import dataclasses
import itertools
import json
import re
from datetime import date

import altair as alt
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app.charts import ACCENT, HIGHLIGHT, OTHERS, TEXT
from app.movement import CHANGE_LABELS
from etl.store.readonly import open_safe
from etl.store.seeds import ChangeKind, ageing_bands, risk_levels
from etl.store.store import ROOT
from tests.apptests import dashboard_app
from tests.charting import chart_frames, chart_spec, chart_titled, contrast, lab_distance, titles

pytestmark = pytest.mark.slow


@pytest.fixture
def slippage(synth_db, monkeypatch) -> AppTest:
    return dashboard_app(synth_db, monkeypatch, "slippage", timeout=120)


# -- contrast and colour --------------------------------------------------------------------------
def test_risk_colours_meet_wcag_aa_against_white_and_differ_from_each_other():
    colours = {level.level: level.colour for level in risk_levels()}
    assert {level: round(contrast(c), 2) for level, c in colours.items() if contrast(c) < 3} == {}
    close = {
        (a, b): round(lab_distance(colours[a], colours[b]))
        for a, b in itertools.combinations(colours, 2)
        if lab_distance(colours[a], colours[b]) < 25
    }
    assert close == {}


def test_chart_text_and_marks_meet_wcag_aa():
    assert contrast(TEXT) >= 4.5
    assert all(contrast(colour) >= 3 for colour in (ACCENT, HIGHLIGHT, OTHERS))
    assert lab_distance(ACCENT, HIGHLIGHT) >= 25  # a found council stands out from the rest


def test_every_chart_sets_its_text_colour_and_draws_as_svg(slippage):
    for element in slippage.get("vega_lite_chart"):
        spec = chart_spec(element)
        assert spec["config"]["axis"] == {"labelColor": TEXT, "titleColor": TEXT}
        assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
        assert element.proto.alt.startswith(("Bar chart", "Line chart", "Chart: "))


def test_every_chart_drawn_is_valid_vega_lite(slippage):
    # The page draws its specs unchecked (Altair's checks cost it a third of its script): checked here.
    charts = slippage.get("vega_lite_chart")
    assert len(charts) == 6
    for element in charts:
        alt.Root.validate(chart_spec(element))


def _used_fields(spec) -> set[str]:
    """Every field a spec draws, says in a tooltip, sorts by, selects or tests (datum.NAME)."""
    used: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "field" and isinstance(value, str):
                used.add(value)
            elif key == "fields" and isinstance(value, list):
                used.update(value)
            elif key == "test" and isinstance(value, str):
                used.update(re.findall(r"datum\.(\w+)", value))
            else:
                used |= _used_fields(value)
    elif isinstance(spec, list):
        for item in spec:
            used |= _used_fields(item)
    return used


def test_every_chart_is_sent_only_the_columns_it_draws(slippage):
    # The browser reads every column of a chart's data: the bar charts of councils and directorates
    # were sent the summary's 25 columns to draw 5.
    for element in slippage.get("vega_lite_chart"):
        used = _used_fields(chart_spec(element))
        for frame in chart_frames(element):
            assert set(frame.columns) <= used, (chart_spec(element)["title"], set(frame.columns) - used)


def test_open_not_yet_overdue_is_outlined_in_its_risk_colour_not_faded(slippage):
    spec = chart_spec(chart_titled(slippage, "Open recommendations by risk level"))
    encoding = spec["encoding"]
    assert "opacity" not in encoding
    assert encoding["stroke"]["scale"]["range"] == [level.colour for level in risk_levels()]
    assert encoding["fillOpacity"]["scale"]["domain"] == ["Overdue", "Open, not yet overdue"]
    assert spec["mark"]["strokeWidth"] >= 1.5
    assert spec["title"]["subtitle"] == "Solid: overdue. Pale, outlined: open, not yet overdue."


# -- at 300 councils ------------------------------------------------------------------------------
def test_the_council_chart_draws_the_worst_15_and_tables_them_all(slippage, read):
    bars = chart_frames(chart_titled(slippage, "Councils, worst first"))[0]
    assert bars.height == 15
    assert bars["median_days_past_original"].to_list() == sorted(bars["median_days_past_original"], reverse=True)
    assert bars["label"][0] == f"1. {bars['council'][0]}"
    table = slippage.dataframe[0].value
    assert len(table) >= 285 and table["council"].tolist()[:15] == bars["council"].to_list()
    assert table["median_days_past_original"].max() == round(bars["median_days_past_original"][0])  # whole days in the table
    others = [c.value for c in slippage.caption if " other councils (in the table): medians from " in c.value]
    assert others and others[0].startswith(f"{len(table) - 15:,} other councils")


def test_a_found_council_is_drawn_highlighted_even_outside_the_worst(slippage):
    table = slippage.dataframe[0].value
    lowest = table.dropna(subset=["median_days_past_original"])["council"].tolist()[-1]
    slippage.selectbox(key="find_council").select(lowest).run()
    bars = chart_frames(chart_titled(slippage, "Councils, worst first"))[0]
    assert bars.height == 16 and bars.filter(pl.col("is_found"))["council"].to_list() == [lowest]
    trend = chart_titled(slippage, "Overdue per report")
    lines = next(f for f in chart_frames(trend) if "council" in f.columns)
    assert lowest in lines["council"].to_list()
    colour = chart_spec(trend)["layer"][-1]["encoding"]["color"]["scale"]
    assert colour["range"][colour["domain"].index(lowest)] == HIGHLIGHT
    assert slippage.query_params["find"] == lowest  # a link to the page highlights it too


def test_the_reader_chooses_how_many_and_the_trend_never_draws_300_lines(slippage):
    slippage.number_input(key="top_councils").set_value(5).run()
    assert chart_frames(chart_titled(slippage, "Councils, worst first"))[0].height == 5
    assert chart_frames(chart_titled(slippage, "Directorates, worst first"))[0].height == 5
    trend = chart_titled(slippage, "Overdue per report")
    band, lines = sorted(chart_frames(trend), key=lambda f: "council" in f.columns)
    assert lines["council"].n_unique() == 5
    assert 280 <= band["councils"].max() <= 295  # the other councils reporting on each date, as one band
    # Each council's line is told apart by its colour and dash, and named in the legend highest first.
    lines_layer = chart_spec(trend)["layer"][-1]["encoding"]
    newest = lines.sort("report_date").group_by("council").agg(pl.col("overdue").last())
    assert lines_layer["color"]["scale"]["domain"] == newest.sort(["overdue", "council"], descending=[True, False])["council"].to_list()
    assert len(set(lines_layer["color"]["scale"]["range"])) == 5
    assert lines_layer["color"]["title"] == "Council (highest first)"


def test_time_axis_ticks_are_the_report_dates_in_uk_form(slippage, synth_db):
    con = open_safe(synth_db)
    dates = [d for (d,) in con.execute("SELECT DISTINCT report_date FROM reports ORDER BY 1").fetchall()]
    spec = chart_spec(chart_titled(slippage, "Overdue per report"))
    x = spec["layer"][-1]["encoding"]["x"]
    assert [date(v["year"], v["month"], v["date"]) for v in x["axis"]["values"]] == dates
    assert x["axis"]["format"] == "%-d %b %Y" and x["scale"]["type"] == "utc"
    tooltips = spec["layer"][-1]["encoding"]["tooltip"]
    assert {"field": "report", "title": "Report date", "type": "nominal"} in tooltips
    lines = next(f for f in chart_frames(chart_titled(slippage, "Overdue per report")) if "council" in f.columns)
    assert set(lines["report"]) == {f"{d.day} {d:%b %Y}" for d in dates}


def test_the_ageing_chart_names_all_five_bands(slippage):
    spec = chart_spec(chart_titled(slippage, "Open recommendations by time past target"))
    band_axis = spec["encoding"]["y"]  # bands down the side: their labels never collide
    assert band_axis["field"] == "ageing_band" and band_axis["scale"]["domain"] == [b.band for b in ageing_bands()]


def test_no_snake_case_in_any_chart_or_table(slippage):
    for element in slippage.get("vega_lite_chart"):
        spec = chart_spec(element)
        assert [t for t in titles(spec["encoding"] if "encoding" in spec else spec["layer"]) if "_" in t] == []
    for table in slippage.dataframe:
        labels = {name: config.get("label", name) for name, config in json.loads(table.proto.columns).items() if name != "_index"}
        assert [label for label in labels.values() if "_" in label] == []


def test_every_chart_shows_its_figures_as_a_table_on_request(slippage):
    before = [d.value.shape for d in slippage.dataframe]
    for toggle in slippage.main.toggle:  # not the sidebar's filter toggle
        toggle.set_value(True)
    slippage.run()
    assert len(slippage.dataframe) == len(before) + len(slippage.get("vega_lite_chart")) == len(before) + 6
    council_figures = slippage.dataframe[0].value  # the first chart's own figures, above the table of every council
    assert council_figures.shape == (15, 7) and council_figures["rank"].tolist() == list(range(1, 16))


def test_page_clicks_filter_by_council_risk_directorate_and_ageing_band(slippage):
    picks = {
        chart_spec(e)["params"][-1]["select"]["fields"][0] if any(p["name"] == "pick" for p in chart_spec(e).get("params", [])) else None
        for e in slippage.get("vega_lite_chart")
    }
    assert {"council", "risk_level", "directorate", "ageing_band"} <= picks
    # a click reruns the page; hovering (the outline under the pointer) stays in the browser
    assert [list(e.proto.selection_mode) for e in slippage.get("vega_lite_chart") if e.proto.selection_mode] == [["pick"]] * 4


# -- wording --------------------------------------------------------------------------------------
def test_one_wording_per_change_kind_for_every_page_and_the_pack():
    assert [f.name for f in dataclasses.fields(ChangeKind)] == ["kind", "sort_order", "label"]  # one wording a kind
    assert CHANGE_LABELS["re-dated"] == "Given a new date"
    from app.committee.words import changes

    class View:
        movement = pl.DataFrame({"change": ["re-dated"], "recommendations": [3]})

    assert ("Given a new date", 3) in changes(View())


def test_no_page_says_open_not_overdue():
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("app/**/*.py"), *ROOT.glob("sql/**/*.sql")]:
        assert not re.search(r"open, not overdue", path.read_text(encoding="utf-8")), path


# -- the Overview's changes, paged in SQL ---------------------------------------------------------
def paging_caption(at) -> str:
    """The change table's 'Changes N to M of T' line (the Overview's other captions may start 'Changes' too)."""
    return next(c.value for c in at.caption if re.match(r"Changes [\d,]+ to ", c.value))


def test_the_change_table_pages_through_every_change(synth_db, monkeypatch):
    at = dashboard_app(synth_db, monkeypatch, "overview", timeout=120)
    [(total,)] = (
        open_safe(synth_db)
        .execute(
            "SELECT count(*) FROM movement_by_report m JOIN (SELECT council, max(report_date) AS d FROM reports GROUP BY 1) n "
            "ON n.council = m.council AND m.latest_report = n.d"
        )
        .fetchall()
    )
    caption = paging_caption(at)
    assert caption.startswith(f"Changes 1 to 50 of {total:,}") and f"of {-(-total // 50):,})" in caption
    first = at.dataframe[-1].value
    assert len(first) == 50 and set(first["change"]) <= set(CHANGE_LABELS.values())
    at.number_input(key="changes_page").set_value(-(-total // 50)).run()
    last = at.dataframe[-1].value
    assert len(last) == total - 50 * (-(-total // 50) - 1)
    assert paging_caption(at).startswith(f"Changes {total - len(last) + 1:,} to {total:,}")
    config = json.loads(at.dataframe[-1].proto.columns)
    assert config["latest_target"]["label"] == "New target" and config["latest_target"]["type_config"]["format"] == "D MMM YYYY"
    assert all("_" not in c["label"] for name, c in config.items() if name != "_index")


def test_the_trend_has_one_y_axis_title_and_every_point_says_council_date_and_value(slippage):
    import vl_convert

    spec = chart_spec(chart_titled(slippage, "Overdue per report"))
    compiled = vl_convert.vegalite_to_vega(spec)
    assert [a["title"] for a in compiled["axes"] if a.get("title")] == ["Report date", "Overdue"]
    lines = spec["layer"][-1]
    assert lines["mark"]["point"] is True
    # No "nearest" hover: its invisible Voronoi layer sat over the points and swallowed their tooltips.
    assert all("nearest" not in param["select"] for param in spec.get("params", []) + lines.get("params", []))
    assert [t["title"] for t in lines["encoding"]["tooltip"]] == ["Council", "Report date", "Overdue"]
    assert spec["layer"][-1]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # counts step by whole numbers


def test_a_found_council_the_store_lacks_is_said_and_not_highlighted(synth_db, monkeypatch):
    at = dashboard_app(synth_db, monkeypatch, "slippage", {"find": "Nowhere"}, timeout=90)
    assert "No council called 'Nowhere' under these filters: none is highlighted." in [w.value for w in at.warning]
    assert at.selectbox(key="find_council").value is None


def test_every_clickable_chart_has_a_keyboard_way_to_the_same_filter(slippage):
    lists = [s for s in slippage.selectbox if s.label.startswith("Filter every page by")]
    assert [s.label for s in lists] == [
        f"Filter every page by {name} (as a click on a bar does)" for name in ("council", "risk", "past original target", "directorate")
    ]
    risk = lists[1]
    risk.set_value("high").run()
    assert slippage.query_params["risk"] == "high"  # as the sidebar's filter and a click on the bar set it
    assert slippage.sidebar.multiselect(key="filter_risks").value == ["high"]


def test_no_table_on_the_slippage_page_prints_none(slippage):
    figures = slippage.dataframe[0]
    assert figures.value["median_days_past_original"].isna().any()  # councils with nothing open to measure
    assert figures.proto.placeholder == "–"


def test_the_trend_says_how_many_councils_it_draws(slippage):
    slippage.number_input(key="top_councils").set_value(5).run()
    assert any(c.value.startswith("The 5 councils highest at their newest report: one line each") for c in slippage.caption)
    lowest = slippage.dataframe[0].value.dropna(subset=["median_days_past_original"])["council"].tolist()[-1]
    slippage.selectbox(key="find_council").select(lowest).run()
    assert any(c.value.startswith(f"The 5 councils highest at their newest report, and {lowest}: one line each") for c in slippage.caption)


def test_councils_with_equal_medians_rank_the_same_however_the_rows_came():
    """DuckDB returns a roll-up's groups in no set order: equal medians once ranked differently
    from one server start to the next, so "1." named another council."""
    import polars as pl

    from app.charts import rank_worst_first

    rows = {"council": ["Bexley", "Aldershot", "Crewe", "Dover"], "median_days_past_original": [144, 144, 200, None]}
    ranks = {
        tuple(rank_worst_first(frame, "median_days_past_original", 3).table.select("council", "rank").iter_rows())
        for frame in (pl.DataFrame(rows), pl.DataFrame(rows).reverse(), pl.DataFrame(rows).sample(fraction=1.0, shuffle=True, seed=3))
    }
    assert ranks == {(("Crewe", 1), ("Aldershot", 2), ("Bexley", 3), ("Dover", 4))}
