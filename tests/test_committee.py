"""The committee view and the printable slippage pack."""
import io
from datetime import date

import pdfplumber
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app.committee import pack_html, pack_pdf
from app.committee.view import gather
from app.committee.words import in_words, listing
from etl.load import load
from etl.store.readonly import open_safe
from etl.store.store import ROOT, sql_text
from tests.conftest import seed_path


def query_on(db):
    con = open_safe(db)
    return lambda name, **params: con.sql(sql_text(f"queries/{name}.sql"), params=params).pl()


@pytest.fixture
def cambridgeshire(sample_db):
    return gather(query_on(sample_db), "Cambridgeshire County Council", date(2024, 12, 31))


def test_figures_and_lists(cambridgeshire):
    view = cambridgeshire
    assert view.headline["open"] == 81 and view.headline["overdue"] == 46 and view.headline["revised_twice"] == 34
    gpc = [r for r in listing(view.revised()) if r[0].startswith("Government Procurement")]
    assert gpc == [("Government Procurement cards (GPC)", "–", "518 days past its first agreed date; extended 6 times")]
    assert view.movement.is_empty()


@pytest.mark.parametrize("row, words", [
    ({"days_past_original_target": 120, "revision_count": 3, "no_update_streak": 2, "latest_update_period": "2024-07"},
     "120 days past its first agreed date; extended 3 times; no update for 2 reports (last: July 2024)"),
    ({"days_past_original_target": -5, "revision_count": 1, "no_update_streak": 0, "latest_update_period": None},
     "not yet due; extended once"),
    ({"days_past_original_target": 40, "revision_count": 0, "no_update_streak": 1, "latest_update_period": "2026-02"},
     "40 days past its first agreed date; last update February 2026"),
])
def test_a_chairs_words(row, words):
    assert in_words(row) == words


def test_pack_pdf_prints_on_a4_with_council_date_and_charts(cambridgeshire):
    pdf = pack_pdf.to_pdf(cambridgeshire)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert all((round(p.width), round(p.height)) == (595, 842) for p in document.pages)
        first = document.pages[0]
        text = first.extract_text()
        assert "Cambridgeshire County Council" in text and "Report of 31 December 2024" in text and "Produced" in text
        assert len(first.images) >= 2  # the charts
        everything = "\n".join(p.extract_text() for p in document.pages)
    assert "Government Procurement cards (GPC)" in everything and "extended 6 times" in everything


def test_pack_html_is_self_contained(cambridgeshire):
    page = pack_html.to_html(cambridgeshire)
    assert page.startswith("<!DOCTYPE html>") and "@page{size:A4" in page
    assert page.count("<svg") >= 2 and "http://" not in page.replace("http://www.w3.org", "")
    assert "Cambridgeshire County Council" in page and "31 December 2024" in page


def test_committee_page(sample_db, monkeypatch):
    monkeypatch.setenv("SLIPPAGE_DB", str(sample_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/committee.py")
    at.run()
    assert not at.exception
    at.selectbox(key="committee_council").select("Leicestershire County Council").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open"] == "7" and metrics["Extended two or more times"] == "5"
    assert len(at.get("vega_lite_chart")) == 3
    assert [b.proto.label for b in at.get("download_button")][-2:] == ["Pack as PDF", "Pack as HTML"]


@pytest.fixture
def cambridgeshire_three_reports(fresh_db, tmp_path):
    """The samples plus two later Cambridgeshire reports that repeat the December one: targets
    fall further behind and the repeated updates build no-update streaks."""
    text = seed_path("001").read_text(encoding="utf-8")
    for blank_lines, as_at in ((1, date(2025, 3, 31)), (2, date(2025, 6, 30))):
        later = tmp_path / f"cambridgeshire-{as_at:%Y-%m}.txt"
        later.write_text(text + "\n" * blank_lines, encoding="utf-8")  # the same records, a new file
        [outcome] = load([later], fresh_db, council="Cambridgeshire County Council", as_at=as_at)
        assert outcome.ok, outcome.line()
    return fresh_db


def test_committee_page_headline_for_a_chosen_report(cambridgeshire_three_reports, monkeypatch):
    db = cambridgeshire_three_reports
    # The true figures, counted here from the slippage view's rows, not by the page's query.
    rows = open_safe(db).sql("SELECT status, original_target_date, current_target_date, report_date, revision_count, "
                             "no_update_streak FROM slippage WHERE council = ? AND report_date = ?",
                             params=["Cambridgeshire County Council", date(2025, 3, 31)]).pl()
    open_ = rows.filter(pl.col("status") == "open")
    expected = {
        "Open": open_.height,
        "Overdue": open_.filter(pl.coalesce("current_target_date", "original_target_date") < pl.col("report_date")).height,
        "Extended two or more times": open_.filter(pl.col("revision_count") >= 2).height,
        "No update for two or more reports": open_.filter(pl.col("no_update_streak") >= 2).height,
    }
    assert len(set(expected.values())) == 4 and 0 not in expected.values()  # four different figures, none zero

    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/committee.py")
    at.run()
    assert at.selectbox(key="committee_council").value == "Cambridgeshire County Council"  # the first council
    assert at.selectbox(key="committee_report").value == date(2025, 6, 30)  # its newest report
    at.selectbox(key="committee_report").set_value(date(2025, 3, 31)).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric[:4]} == {label: f"{n:,}" for label, n in expected.items()}
    assert expected == {"Open": 81, "Overdue": 69, "Extended two or more times": 34, "No update for two or more reports": 3}
    assert at.subheader[0].value == "What changed since the previous report" and len(at.metric) == 4 + 6


HOSTILE = ("<script>alert('x')</script>Payroll <img src=x onerror=alert(1)> "
           "<a href=\"javascript:alert(2)\">click</a> [evil](javascript:alert(3)) **bold** <b>raw</b>")


def test_hostile_cell_text_stays_inert(tmp_path, monkeypatch):
    appendix = tmp_path / "hostile.txt"
    appendix.write_text("Overdue actions as at 31 March 2025\n\nAudit\tRisk\tTarget Date\tRecommendation\tLatest update\n"
                        f"Payroll [x](javascript:alert(4))\tHigh\t31/12/2024\t{HOSTILE}"
                        "\tMarch 2025: &lt;script&gt;alert(5)&lt;/script&gt;\n",
                        encoding="utf-8")
    db = tmp_path / "audit.duckdb"
    [outcome] = load([appendix], db, council="Test <b>Council</b>")
    assert outcome.ok
    [row] = open_safe(db).sql("SELECT recommendation, latest_update FROM slippage").fetchall()
    assert "<script>" not in row[0] and "onerror" not in row[0] and "alert('x')" not in row[0]
    assert row[1] == "March 2025: <script>alert(5)</script>"  # an escaped tag in the document is text, kept as text
    view = gather(query_on(db), "Test <b>Council</b>", date(2025, 3, 31))
    page = pack_html.to_html(view)
    assert "<script>alert" not in page and "Test &lt;b&gt;Council&lt;/b&gt;" in page
    assert "[x](javascript:alert(4))" in page  # Markdown stays literal text
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/recommendations.py")
    at.run()
    at.selectbox[0].select_index(0).run()
    assert not at.exception
    shown = [t.value for t in at.text]
    assert "March 2025: <script>alert(5)</script>" in shown  # st.text: shown, never run
    rendered = [m.value for m in at.markdown] + [h.value for h in at.subheader]
    assert all("](javascript" not in value and "<b>" not in value for value in rendered)
    assert any("\\[x\\]\\(javascript" in value for value in rendered)  # escaped: shown as typed


LONG_WORD = "x" * 10_000
ADDRESSES = "See http://evil.example/x, www.evil.example and clerk@evil.example"


@pytest.fixture
def long_words_db(tmp_path):
    """One high-risk open item whose title holds addresses and a 10,000-character word."""
    appendix = tmp_path / "long-words.txt"
    appendix.write_text("Overdue actions as at 31 March 2025\n\nAudit\tRisk\tTarget Date\tRecommendation\tLatest update\n"
                        f"{ADDRESSES} {LONG_WORD}\tHigh\t31/12/2024\tPay {LONG_WORD}\tMarch 2025: none\n"
                        "Payroll\tHigh\t30/06/2024\tReconcile monthly\tMarch 2025: in hand\n", encoding="utf-8")
    db = tmp_path / "audit.duckdb"
    [outcome] = load([appendix], db, council="Long Words Council")
    assert outcome.ok, outcome.line()
    return db


def test_pack_pdf_breaks_a_word_longer_than_the_page(long_words_db):
    view = gather(query_on(long_words_db), "Long Words Council", date(2025, 3, 31))
    assert any(LONG_WORD in a for a, _, _ in words_in_lists(view))
    assert pack_pdf.problem(view) is None
    with pdfplumber.open(io.BytesIO(pack_pdf.to_pdf(view))) as document:
        assert all((round(p.width), round(p.height)) == (595, 842) for p in document.pages)
        everything = "".join(p.extract_text() for p in document.pages)
    assert "xxxxxxxxxx" in everything and "more characters: see the dashboard" in everything.replace("\n", "")
    page = pack_html.to_html(view)
    assert LONG_WORD in page and "overflow-wrap:anywhere" in page


def words_in_lists(view):
    from app.committee.words import lists

    return [row for _, rows in lists(view) for row in rows]


def test_the_page_says_in_one_line_when_the_pdf_pack_cannot_be_made(long_words_db, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    def refuse(view, charts):
        raise LayoutError("Flowable <Table> too large on page 1\nin frame 'normal'")

    monkeypatch.setattr(pack_pdf, "_build", refuse)
    monkeypatch.setenv("SLIPPAGE_DB", str(long_words_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/committee.py")
    at.run()
    assert not at.exception
    [error] = at.error
    shown = error.value.replace("\\", "")  # the reason is Markdown-escaped
    assert shown.startswith("The PDF pack cannot be made for this report (LayoutError: Flowable <Table> too large")
    assert "\n" not in shown
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["Pack as PDF"].disabled and not buttons["Pack as HTML"].disabled


def test_addresses_in_document_text_are_never_links(long_words_db, monkeypatch):
    from app.text import WORD_JOINER, plain

    assert "http://" not in plain("http://evil.example") and "www." not in plain("www.evil.example")
    assert plain("clerk@evil.example").startswith("clerk@" + WORD_JOINER)
    monkeypatch.setenv("SLIPPAGE_DB", str(long_words_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/recommendations.py")
    at.run()
    titles = at.selectbox[0].options
    at.selectbox[0].select_index([i for i, t in enumerate(titles) if t.startswith("See")][0]).run()
    assert not at.exception
    [heading] = [h for h in at.subheader if "evil" in h.value]
    assert heading.proto.anchor == "" or heading.proto.hide_anchor
    for shown in (heading.value, *[m.value for m in at.markdown]):
        assert "http:" not in shown and "www." not in shown and "@evil" not in shown
    assert "http" + WORD_JOINER in heading.value and "@" + WORD_JOINER in heading.value
