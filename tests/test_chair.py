"""What a committee asks of a report (issue 29): each figure beside the council's previous report,
what falls due before the next meeting, who is called to account, and a pack a council can publish
(a summary in words, the demo said to be synthetic, references whole, headings repeated on
continuation pages, a tagged PDF/UA with embedded fonts). The true figures are counted here from
the slippage view's rows, never by the pages' queries."""

import html
import re
from datetime import date

import polars as pl
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from app.committee import pack_html, pack_pdf, words
from app.committee.view import gather, months_on
from etl.load import load
from etl.store.readonly import open_safe
from etl.store.synth import build_demo_store
from tests.apptests import dashboard_app
from tests.packs import (
    MANY_ITEMS_COUNCIL,
    MANY_ITEMS_REPORT,
    many_items_store,
    page_texts,
    query_on,
    table_rows,
    tagged_structure,
)

pytestmark = pytest.mark.slow

EASTMARCH, NEWEST, PREVIOUS = "Eastmarch County Council", date(2025, 3, 31), date(2024, 12, 31)
RED, GREEN, GREY = (MetricProto.MetricColor.Value(name) for name in ("RED", "GREEN", "GRAY"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo_store(db)
    return db


@pytest.fixture(scope="module")
def eastmarch(demo_db):
    return gather(query_on(demo_db), EASTMARCH, NEWEST, synthetic=True)


def records(db, council: str, report_date: date) -> pl.DataFrame:
    return open_safe(db).sql("SELECT * FROM slippage WHERE council = ? AND report_date = ?", params=[council, report_date]).pl()


def open_records(db, council: str, report_date: date) -> pl.DataFrame:
    return records(db, council, report_date).filter(pl.col("status") == "open")


def due_refs(db, council: str, report_date: date, meeting: date) -> set[str]:
    rows = open_records(db, council, report_date)
    return set(rows.filter((pl.col("current_target_date") >= report_date) & (pl.col("current_target_date") < meeting))["ref"])


def called_refs(db, council: str, report_date: date, times: int) -> set[str]:
    return set(open_records(db, council, report_date).filter(pl.col("revision_count") > times)["ref"])


def test_the_next_meeting_defaults_to_three_months_on_from_the_report():
    assert months_on(date(2025, 3, 31)) == date(2025, 6, 30)
    assert months_on(date(2024, 11, 30)) == date(2025, 2, 28) and months_on(date(2023, 11, 30)) == date(2024, 2, 29)
    assert months_on(date(2024, 12, 31)) == date(2025, 3, 31)


@pytest.mark.parametrize("meeting, times", [(None, 2), (date(2025, 9, 30), 1), (date(2025, 12, 31), 0)])
def test_what_falls_due_and_who_is_called_to_account_are_the_records_that_qualify(demo_db, meeting, times):
    view = gather(query_on(demo_db), EASTMARCH, NEWEST, meeting, times)
    assert view.meeting == (meeting or date(2025, 6, 30))
    (due_heading, due), (called_heading, called) = words.chair_lists(view)
    assert set(due["ref"]) == due_refs(demo_db, EASTMARCH, NEWEST, view.meeting)
    assert set(called["ref"]) == called_refs(demo_db, EASTMARCH, NEWEST, times)
    assert due_heading == f"Falling due before the next meeting ({view.meeting.day} {view.meeting:%b %Y})"
    assert (
        called_heading
        == {
            2: "Extended more than twice: called to account",
            1: "Extended more than once: called to account",
            0: "Extended more than 0 times: called to account",
        }[times]
    )
    # Each says how often it was already extended, and names its officer.
    truth = open_records(demo_db, EASTMARCH, NEWEST)
    for row in called.iter_rows(named=True):
        [record] = truth.filter(pl.col("ref") == row["ref"]).to_dicts()
        count = record["revision_count"]
        assert ("extended once" if count == 1 else f"extended {count} times") in row["situation"]
        assert row["officer"] == (record["responsible"] or record["directorate"])
    assert due.height and called.height or times == 2  # the wider choices do list items


def test_the_pack_opens_with_a_summary_in_words_and_says_the_demo_is_synthetic(eastmarch, demo_db):
    summary = (
        "13 open, 10 overdue, 3 extended twice or more; 1 falls due before the next meeting (30 Jun 2025); "
        "0 extended more than twice. Since the previous report (31 Dec 2024) overdue items are unchanged at 10."
    )
    assert words.summary(eastmarch) == summary
    truth = open_records(demo_db, EASTMARCH, NEWEST)
    assert truth.height == 13 and truth.filter(pl.col("revision_count") >= 2).height == 3
    assert len(due_refs(demo_db, EASTMARCH, NEWEST, date(2025, 6, 30))) == 1
    page = pack_html.to_html(eastmarch)
    assert page.index(words.SYNTHETIC) < page.index("<h1>") < page.index(summary)
    first = " ".join(page_texts(pack_pdf.to_pdf(eastmarch))[0].split())
    assert first.startswith(words.SYNTHETIC)
    assert summary in first
    real = gather(query_on(demo_db), EASTMARCH, NEWEST)
    assert words.SYNTHETIC not in pack_html.to_html(real)


def test_each_pack_figure_stands_beside_the_previous_report_coloured_by_better_or_worse(eastmarch):
    page = pack_html.to_html(eastmarch)
    # Open, extended two or more times: 1 at December, 3 now (worse, red); no update: 1 at December, 0 now (better, green).
    assert "<b>3</b>Open, extended two or more times<span class='change worse'>▲ 2 from 1</span>" in page
    assert "<b>0</b>Open, no update for two or more reports<span class='change better'>▼ 1 from 1</span>" in page
    assert "<b>10</b>Overdue<span class='change'>no change from 10</span>" in page
    assert html.escape("Changes are since the council's previous report, of 31 Dec 2024.") in page


def test_the_pdf_pack_is_tagged_pdf_ua_with_embedded_fonts(eastmarch):
    found = tagged_structure(pack_pdf.to_pdf(eastmarch))
    assert found["marked"] and found["lang"] == "en" and found["pdfua_part"] == "1"
    assert found["title"] == "Slippage pack: Eastmarch County Council, report of 31 Mar 2025" and found["shows_title"]
    assert found["unembedded_fonts"] == set()
    kinds = found["kinds"]
    sections = 2 + len(words.chair_lists(eastmarch)) + len(words.lists(eastmarch))  # and what changed, extensions to approve
    assert kinds.count("H1") == 1 and kinds.count("H2") == sections
    assert {"Table", "THead", "TH", "TD"} <= set(kinds)
    # Each chart has alternative text saying its figures.
    assert len(found["figure_alts"]) == 3
    assert found["figure_alts"][0].startswith("Bar chart, open recommendations by risk level. high: 4 overdue, 1 open, not yet overdue;")
    assert all(alt.startswith("Bar chart") for alt in found["figure_alts"])


def test_references_are_never_split_across_lines(eastmarch):
    refs = [row[0] for row in table_rows(pack_pdf.to_pdf(eastmarch)) if row and "/" in row[0]]
    assert len(refs) >= 8
    assert all(re.fullmatch(r"EM/\d{2}/\d{3}", ref) for ref in refs), refs  # not "EM/23/0 49"


def test_a_sections_heading_is_repeated_on_its_continuation_pages(tmp_path_factory):
    view = gather(query_on(many_items_store(tmp_path_factory.mktemp("many"))), MANY_ITEMS_COUNCIL, MANY_ITEMS_REPORT)
    pages = page_texts(pack_pdf.to_pdf(view))
    heading = "Open, extended two or more times"
    started = next(n for n, text in enumerate(pages) if heading in text.splitlines())
    continued = [n for n, text in enumerate(pages) if f"{heading}, continued" in text]
    listed_on = [n for n, text in enumerate(pages) if "MI-" in text]
    assert len(continued) >= 3 and continued == [n for n in listed_on if n > started][: len(continued)]
    assert f"{heading}, continued" not in pages[started]


def test_committee_page_shows_each_figure_beside_the_previous_report(demo_db, monkeypatch):
    at = dashboard_app(demo_db, monkeypatch, "committee")
    now, before = open_records(demo_db, EASTMARCH, NEWEST), open_records(demo_db, EASTMARCH, PREVIOUS)
    extended_now, extended_before = (frame.filter(pl.col("revision_count") >= 2).height for frame in (now, before))
    assert (extended_now, extended_before) == (3, 1)
    metrics = {m.label: m for m in at.metric}
    extended, stale, overdue = (
        metrics[label].proto for label in ("Open, extended two or more times", "Open, no update for two or more reports", "Overdue")
    )
    assert (extended.body, extended.delta, extended.color) == ("3", "+2", RED)  # more extended: worse
    assert (stale.delta, stale.color) == ("-1", GREEN)  # fewer without an update: better
    assert (overdue.delta, overdue.color) == ("no change", GREY)
    assert "Changes are since the council's previous report, of 31 Dec 2024." in [c.value for c in at.caption]


def test_the_chair_chooses_the_meeting_and_the_limit_and_the_address_keeps_them(demo_db, monkeypatch):
    at = dashboard_app(demo_db, monkeypatch, "committee")
    headings = [s.value for s in at.header]
    assert "Falling due before the next meeting (30 Jun 2025)" in headings
    assert "Extended more than twice: called to account" in headings
    at.date_input(key="committee_meeting").set_value(date(2025, 12, 31)).run()
    at.number_input(key="committee_called").set_value(1).run()
    assert not at.exception
    assert at.query_params["meeting"] == "2025-12-31" and at.query_params["called"] == "1"
    headings = [s.value for s in at.header]
    assert "Falling due before the next meeting (31 Dec 2025)" in headings
    assert "Extended more than once: called to account" in headings
    from tests.test_committee import listed

    shown = listed(at)
    assert set(shown["Falling due before the next meeting (31 Dec 2025)"].value["ref"]) == due_refs(
        demo_db, EASTMARCH, NEWEST, date(2025, 12, 31)
    )
    assert set(shown["Extended more than once: called to account"].value["ref"]) == called_refs(demo_db, EASTMARCH, NEWEST, 1)


def test_an_unreadable_choice_in_the_address_is_said_and_the_default_shown(demo_db, monkeypatch):
    at = dashboard_app(demo_db, monkeypatch, "committee", {"meeting": "soon", "called": "many"})
    warnings = [w.value for w in at.warning]
    assert "The address's meeting date 'soon' is not a date: showing 30 Jun 2025." in warnings
    assert "The address's number of extensions 'many' is not a whole number: showing 2." in warnings
    assert "Falling due before the next meeting (30 Jun 2025)" in [s.value for s in at.header]


def test_overview_shows_each_figure_and_each_councils_change_since_its_previous_report(demo_db, monkeypatch):
    con = open_safe(demo_db)
    truth = con.sql("""
        WITH r AS (SELECT council, report_date, row_number() OVER (PARTITION BY council ORDER BY report_date DESC) AS age
                   FROM (SELECT DISTINCT council, report_date FROM slippage))
        SELECT s.council, r.age,
               count(*) FILTER (WHERE status = 'open') AS open,
               count(*) FILTER (WHERE status = 'open' AND coalesce(current_target_date, original_target_date) < s.report_date)
                   AS overdue
        FROM slippage s JOIN r USING (council, report_date) WHERE r.age <= 2 GROUP BY ALL""").pl()
    newest, previous = (truth.filter(pl.col("age") == age).drop("age") for age in (1, 2))
    change = newest.join(previous, on="council", suffix="_before").with_columns(
        change_open=pl.col("open") - pl.col("open_before"), change_overdue=pl.col("overdue") - pl.col("overdue_before")
    )
    assert change["change_overdue"].n_unique() > 1  # councils moved differently

    at = dashboard_app(demo_db, monkeypatch)
    by_council = pl.from_pandas(at.dataframe[0].value)
    shown = dict(zip(by_council["council"], by_council["change_overdue"]))
    assert shown == dict(zip(change["council"], change["change_overdue"]))
    assert by_council["change_overdue"].dtype.is_integer()  # a number: the column sorts
    metrics = {m.label: m.proto for m in at.metric}

    def signed(n: int) -> str:
        return "no change" if n == 0 else f"{n:+,}"

    assert metrics["Overdue"].delta == signed(change["change_overdue"].sum())
    assert metrics["Open recommendations"].delta == signed(change["change_open"].sum())
    worse = metrics["Overdue"].color == RED
    assert worse == (change["change_overdue"].sum() > 0) or change["change_overdue"].sum() == 0


def test_overview_counts_per_council_what_the_committee_page_lists_by_default(demo_db, monkeypatch):
    at = dashboard_app(demo_db, monkeypatch)
    by_council = pl.from_pandas(at.dataframe[0].value)
    newest = dict(open_safe(demo_db).sql("SELECT council, max(report_date) FROM slippage GROUP BY council").fetchall())
    for row in by_council.iter_rows(named=True):
        report = newest[row["council"]]
        assert row["falls_due_before_meeting"] == len(due_refs(demo_db, row["council"], report, months_on(report)))
        assert row["called_to_account"] == len(called_refs(demo_db, row["council"], report, 2))
    view = gather(query_on(demo_db), EASTMARCH, NEWEST)
    [eastmarch] = by_council.filter(pl.col("council") == EASTMARCH).to_dicts()
    assert eastmarch["falls_due_before_meeting"] == view.due_before_meeting().height == 1
    assert by_council["falls_due_before_meeting"].sum() > 0 and by_council["called_to_account"].sum() > 0


@pytest.fixture
def asked_db(tmp_path):
    """A report whose revised-date column asks for later dates not yet agreed, worded two ways,
    beside an agreed revision and an item with nothing asked."""
    appendix = tmp_path / "asked.txt"
    appendix.write_text(
        "Follow-up at 31/12/2024\n\nRef\tAudit\tImplementation Date\tRevised Date\tResponsible Officer\tStatus\n"
        "K1\tLeasehold\t30/09/2024\t31/03/2025 (requested: supplier delayed)\tHead of Housing\tOpen\n"
        "K2\tPayroll\t31/10/2024\tProposed 30 June 2025 – new system not yet live\tPayroll Manager\tOpen\n"
        "K3\tProcurement\t31/03/2025\t\tHead of Procurement\tOpen\n",
        encoding="utf-8",
    )
    db = tmp_path / "audit.duckdb"
    [outcome] = load([appendix], db, council="Asked Council")
    assert outcome.ok, outcome.line()
    return db


def test_extensions_asked_for_are_listed_to_approve_with_the_date_in_force_and_the_reason(asked_db, monkeypatch):
    view = gather(query_on(asked_db), "Asked Council", date(2024, 12, 31))
    asked = words.approvals(view).to_dicts()
    assert asked == [
        {
            "ref": "K1",
            "audit_title": "Leasehold",
            "officer": "Head of Housing",
            "current_target_date": date(2024, 9, 30),
            "requested_target_date": date(2025, 3, 31),
            "earlier_extensions": 0,
            "requested_reason": "supplier delayed",
        },
        {
            "ref": "K2",
            "audit_title": "Payroll",
            "officer": "Payroll Manager",
            "current_target_date": date(2024, 10, 31),
            "requested_target_date": date(2025, 6, 30),
            "earlier_extensions": 0,
            "requested_reason": "new system not yet live",
        },
    ]
    assert "; 0 extended more than twice; 2 extensions to approve." in words.summary(view)
    page = pack_html.to_html(view)
    assert "<h2>Extensions to approve</h2>" in page and "<td>30 Jun 2025</td><td>0</td><td>new system not yet live</td>" in page
    at = dashboard_app(asked_db, monkeypatch, "committee")
    from tests.test_committee import listed

    shown = listed(at)["Extensions to approve"].value
    assert shown["ref"].tolist() == ["K1", "K2"] and shown["requested_reason"].tolist() == ["supplier delayed", "new system not yet live"]
