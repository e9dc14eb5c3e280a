"""Successive reports of one council: identity, revisions across reports, no-update streaks,
movement, and figures that do not depend on load order. The reports are built from the
Harborough seed: an earlier April report and a later October one around the real July one."""

from datetime import date

import pytest

from etl.load import load
from etl.store.readonly import open_safe
from tests.apptests import dashboard_app
from tests.samples import seed_path

pytestmark = pytest.mark.slow

COUNCIL = "Harborough District Council"
JULY = seed_path("000").read_text(encoding="utf-8")
FIRST_ROW = "Financial Systems Key Controls 2022-23\tHead of Financial Services\tHigh\t31/03/2024"
SECOND_ROW = "Temporary Accommodation 2021-22\tCommunity Partnerships Service Manager\tMedium\t30/09/2022"
TYPO = "To update the Council's website with the most recent Planning Enforcement Register of Issued Notices."
GONE_ROW = (
    "Car Parking 2022-23\tHead of Parking\tMedium\t31/01/2024\tIncome\tReconcile parking income weekly.\tAgreed"
    "\tMarch 2024: reconciliations started.\n"
)


def april() -> str:
    text = JULY.replace(FIRST_ROW, FIRST_ROW.replace("31/03/2024", "31/12/2023"))  # re-dated by July
    text = text.replace("July 2024: HoS tasked", "April 2024: HoS tasked")  # fresh by July
    text = text.replace(TYPO, TYPO.replace("Council's", "Councils").replace("Issued Notices", "issued notices"))
    text = "\n".join(line for line in text.split("\n") if not line.startswith("Managing Major Projects"))  # new by July
    return text.rstrip("\n") + "\n" + GONE_ROW  # gone by July


def october() -> str:
    return JULY.replace(SECOND_ROW, SECOND_ROW.replace("30/09/2022", "31/12/2024"))  # updates all repeated


@pytest.fixture
def reports(tmp_path):
    files = {}
    for name, text in (("april", april()), ("july", JULY), ("october", october())):
        files[name] = tmp_path / f"harborough-{name}.txt"
        files[name].write_text(text, encoding="utf-8")
    return files


AS_AT = {"april": date(2024, 4, 30), "july": date(2024, 7, 31), "october": date(2024, 10, 31)}


def store(tmp_path, reports, order):
    db = tmp_path / f"{'-'.join(order)}.duckdb"
    for name in order:
        [outcome] = load([reports[name]], db, council=COUNCIL, as_at=AS_AT[name])
        assert outcome.outcome == "loaded", outcome.line()
    return open_safe(db)


def row(con, report_date, title_start, field_list="*"):
    return con.sql(
        f"SELECT {field_list} FROM slippage WHERE report_date = ? AND audit_title || ' ' || recommendation LIKE ? ORDER BY record_no",
        params=[report_date, title_start + "%"],
    ).pl()


def test_each_recommendation_keeps_one_key_across_reports(tmp_path, reports):
    con = store(tmp_path, reports, ["april", "july"])
    keys = con.sql("SELECT report_date, count(DISTINCT recommendation_key) AS keys FROM slippage GROUP BY 1 ORDER BY 1").fetchall()
    assert keys == [(date(2024, 4, 30), 20), (date(2024, 7, 31), 20)]
    shared = con.sql("SELECT count(*) FROM (SELECT recommendation_key FROM slippage GROUP BY 1 HAVING count(*) = 2)").fetchall()
    assert shared == [(19,)]  # all but the new one and the gone one
    partnerships = con.sql(
        "SELECT count(DISTINCT recommendation_key) FROM slippage WHERE audit_title = 'Partnerships and shared services 2022-23'"
    ).fetchall()
    assert partnerships == [(6,)]
    typo = con.sql(
        "SELECT count(DISTINCT recommendation_key), count(*) FROM slippage WHERE recommendation ILIKE 'To update the Council%website%'"
    ).fetchall()
    assert typo == [(1, 2)]


def test_a_target_changed_between_reports_is_a_revision(tmp_path, reports):
    con = store(tmp_path, reports, ["april", "july", "october"])
    july = row(con, date(2024, 7, 31), "Financial Systems Key Controls 2022-23 A specific project").row(0, named=True)
    assert july["target_history"] == ["2023-12-31", "2024-03-31"] and july["revision_count"] == 1
    assert july["original_target_date"] == date(2023, 12, 31) and july["current_target_date"] == date(2024, 3, 31)
    assert july["days_past_original_target"] == (date(2024, 7, 31) - date(2023, 12, 31)).days
    housing = row(con, date(2024, 10, 31), "Temporary Accommodation").row(0, named=True)
    assert housing["target_history"] == ["2022-09-30", "2024-12-31"] and housing["original_target_date"] == date(2022, 9, 30)


def test_no_fresh_update_flags_and_streaks(tmp_path, reports):
    con = store(tmp_path, reports, ["april", "july", "october"])
    stale = con.sql(
        "SELECT report_date, no_update_flag, no_update_streak FROM slippage "
        "WHERE latest_update LIKE 'March 2024: still working on sundry debts%' AND audit_title LIKE 'Financial%' "
        "AND recommendation LIKE 'A specific project%' ORDER BY report_date"
    ).fetchall()
    assert stale == [(date(2024, 4, 30), False, 0), (date(2024, 7, 31), True, 1), (date(2024, 10, 31), True, 2)]
    fresh = con.sql(
        "SELECT report_date, no_update_flag, no_update_streak FROM slippage WHERE recommendation LIKE "
        "'Develop a schedule of rolling reviews%' ORDER BY report_date"
    ).fetchall()
    assert fresh == [(date(2024, 4, 30), False, 0), (date(2024, 7, 31), False, 0), (date(2024, 10, 31), True, 1)]


def test_trend_counts_every_report_of_the_filtered_records(tmp_path, reports):
    con = store(tmp_path, reports, ["april", "july", "october"])
    trend = con.sql(
        "SELECT report_date, recommendations, open, no_fresh_update FROM filtered_trend([], [], ['high'], [], [], false) "
        "ORDER BY report_date"
    ).fetchall()
    counted = con.sql(
        "SELECT report_date, count(*), count(*) FILTER (WHERE status = 'open'), "
        "count(*) FILTER (WHERE no_update_flag) FROM slippage WHERE risk_level = 'high' "
        "GROUP BY report_date ORDER BY report_date"
    ).fetchall()
    assert [r[0] for r in trend] == list(AS_AT.values()) and trend == counted
    everything = con.sql("SELECT sum(recommendations) FROM slippage_trend").fetchall()
    assert everything == con.sql("SELECT count(*) FROM slippage").fetchall() and trend[0][1] < everything[0][0]


def test_movement_between_the_two_latest_reports(tmp_path, reports):
    con = store(tmp_path, reports, ["april", "july"])
    movement = con.sql("SELECT change, audit_title, previous_target, latest_target FROM movement").pl()
    changes = dict(zip(*movement.group_by("change").len().sort("change").to_dict(as_series=False).values()))
    assert changes["new"] == 1 and changes["gone"] == 1 and changes["re-dated"] == 1
    assert movement.filter(change="new")["audit_title"].to_list() == ["Managing Major Projects 2022-23"]
    assert movement.filter(change="gone")["audit_title"].to_list() == ["Car Parking 2022-23"]
    redated = movement.filter(change="re-dated").row(0, named=True)
    assert (redated["previous_target"], redated["latest_target"]) == (date(2023, 12, 31), date(2024, 3, 31))
    assert changes["update unchanged"] == 12 and changes["updated"] == 6  # only the six "HoS tasked" updates changed
    # Gone is reported, never deleted: the April record is still in the store.
    assert con.sql("SELECT count(*) FROM slippage WHERE audit_title = 'Car Parking 2022-23'").fetchall() == [(1,)]


def test_figures_do_not_depend_on_load_order(tmp_path, reports):
    figures = (
        "SELECT report_date, record_no, audit_title, original_target_date, current_target_date, target_history, "
        "revision_count, days_past_original_target, no_update_flag, no_update_streak FROM slippage "
        "ORDER BY report_date, record_no"
    )
    in_order = store(tmp_path, reports, ["april", "july", "october"]).sql(figures).pl()
    shuffled = store(tmp_path, reports, ["october", "april", "july"]).sql(figures).pl()
    assert in_order.equals(shuffled)
    moved = "SELECT change, audit_title FROM movement ORDER BY ALL"
    assert (
        store(tmp_path, reports, ["april", "july"]).sql(moved).fetchall()
        == store(tmp_path, reports, ["july", "april"]).sql(moved).fetchall()
    )


def test_pages_show_what_changed_and_a_record_across_reports(tmp_path, reports, monkeypatch):
    store(tmp_path, reports, ["april", "july"]).close()
    at = dashboard_app(tmp_path / "april-july.duckdb", monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["New"], metrics["No longer reported"], metrics["Given a new date"], metrics["Same update as last time"]) == (
        "1",
        "1",
        "1",
        "12",
    )
    at.switch_page("pages/recommendations.py")
    at.run()
    at.text_input(key="rec_search").input("A specific project should be established").run()
    at.selectbox(key="rec_open").select_index(0).run()
    assert not at.exception
    across = at.dataframe[-1].value
    assert across["report_date"].astype(str).tolist() == ["2024-04-30", "2024-07-31"]
    assert across["target_history"].tolist() == ["2023-12-31", "2023-12-31 > 2024-03-31"]
    assert len(at.get("vega_lite_chart")) == 2


def test_what_changed_follows_every_filter(tmp_path, reports, monkeypatch):
    """The re-dated record is high risk, the one no longer reported (counted by its April record)
    medium: each filter keeps its own changes only."""
    store(tmp_path, reports, ["april", "july"]).close()
    for risk, redated, gone in (("high", "1", "0"), ("medium", "0", "1")):
        at = dashboard_app(tmp_path / "april-july.duckdb", monkeypatch, address={"risk": risk})
        metrics = {m.label: m.value for m in at.metric}
        assert (metrics["Given a new date"], metrics["No longer reported"]) == (redated, gone), risk
        assert set(at.dataframe[-1].value["risk_level"]) == {risk}


def test_a_view_with_no_change_to_show_says_why(tmp_path, reports, monkeypatch):
    """A store with two reports, showing the first (nothing before it): the Overview says no
    change matches, not that each council has only one report."""
    store(tmp_path, reports, ["april", "july"]).close()
    at = dashboard_app(tmp_path / "april-july.duckdb", monkeypatch, address={"report": "2024-04-30"})
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No change since the previous report matches the filters") for c in captions), captions
    assert not any("one report loaded" in c for c in captions)
