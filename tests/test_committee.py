"""The committee view and the printable slippage pack."""

import io
import json
from datetime import date
from typing import Any

import pdfplumber
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app.charts import AGEING_ORDER
from app.committee import pack_html, pack_pdf, words
from app.committee.view import gather
from app.committee.words import in_words
from app.movement import CHANGE_LABELS
from etl.load import load
from etl.store.readonly import open_safe
from tests.apptests import dashboard_app
from tests.packs import (
    MANY_ITEMS_COUNCIL,
    MANY_ITEMS_REPORT,
    many_items_store,
    page_texts,
    query_on,
    table_rows,
    text_lines_as_labels,
)
from tests.samples import seed_path


def listed(at: AppTest) -> dict:
    """The Committee page's lists that hold rows, by the heading above each."""
    found: dict = {}
    heading = None
    node: Any
    for node in at.main.children.values():
        if node.type == "header":
            heading = node.value
        elif node.type == "dataframe":
            found[heading] = node
    return found


@pytest.fixture
def cambridgeshire(sample_db):
    return gather(query_on(sample_db), "Cambridgeshire County Council", date(2024, 12, 31))


@pytest.mark.slow
def test_figures_and_lists(cambridgeshire):
    view = cambridgeshire
    assert view.headline["open"] == 81 and view.headline["overdue"] == 46 and view.headline["open_revised_twice_or_more"] == 34
    revised = words.lists(view)[0][1]
    gpc = revised.filter(pl.col("audit_title").str.starts_with("Government Procurement")).to_dicts()
    assert gpc == [
        {
            "ref": "–",
            "audit_title": "Government Procurement cards (GPC)",
            "risk_level": "high",
            "original_target_date": date(2023, 8, 1),
            "current_target_date": None,
            "date_warnings": "",
            "officer": "–",
            "situation": "518 days past its first agreed date; extended 6 times",
            "recommendation": "Clear guidance to schools on GPC use should be developed. This should include clear "
            "guidelines regarding prohibited…",
        }
    ]
    assert view.movement.is_empty()


TOLD_APART_BY = ["ref", "audit_title", "recommendation", "risk_level", "original_target_date", "current_target_date", "officer"]


def test_lists_tell_apart_the_items_of_one_audit(cambridgeshire):
    for heading, rows in words.lists(cambridgeshire):
        assert rows.columns == list(words.LIST_COLUMNS)
        assert rows.select(TOLD_APART_BY).is_unique().all(), heading  # no two rows read the same
    revised = words.lists(cambridgeshire)[0][1]
    dsg = revised.filter(pl.col("audit_title") == "DSG Safety Valve Review")
    assert dsg.height == 6 and dsg["recommendation"].n_unique() == 6
    # The current target: a date, or NULL where the report leaves it to be confirmed (so said in the pack).
    assert dsg["current_target_date"].null_count() == 4 and words.target(None) == "to be confirmed"


def test_lists_name_the_reference_and_the_officer_or_else_the_directorate(sample_db):
    tower_hamlets = gather(query_on(sample_db), "London Borough of Tower Hamlets", date(2021, 4, 30))
    rows = pl.concat([rows for _, rows in words.lists(tower_hamlets)])
    truth = open_safe(sample_db).sql("SELECT ref, responsible FROM slippage_detail WHERE council = 'London Borough of Tower Hamlets'").pl()
    assert rows.height and set(zip(rows["ref"], rows["officer"])) <= set(truth.iter_rows())
    assert "–" not in rows["ref"].to_list() + rows["officer"].to_list()
    leicestershire = gather(query_on(sample_db), "Leicestershire County Council", date(2026, 2, 28))
    rows = pl.concat([rows for _, rows in words.lists(leicestershire)])
    directorates = (
        open_safe(sample_db)
        .sql("SELECT directorate FROM slippage_detail WHERE council = 'Leicestershire County Council' AND responsible IS NULL")
        .pl()["directorate"]
    )
    assert rows.height and set(rows["officer"]) <= set(directorates.drop_nulls())  # no officer named: the directorate


DOUBT = "revised target 31 Jan 2025 is earlier than the one before it (31 Mar 2025)"


@pytest.mark.slow
def test_a_doubtful_target_is_marked_with_its_warning_on_page_and_in_both_packs(cambridgeshire, sample_db, monkeypatch):
    revised = words.lists(cambridgeshire)[0][1]
    doubtful = revised.filter(pl.col("date_warnings") != "")
    assert doubtful["audit_title"].to_list() == ["Local transport Capital Block Funding (grant)"]
    assert doubtful["date_warnings"].to_list() == [DOUBT]  # the reader's warning, with UK dates
    # Listed where it was extended two or more times and where its officer is called to account.
    # Listed as falling due before the next meeting (31 Jan 2025, before 31 Mar 2025), as called to
    # account (extended more than twice) and as extended two or more times: the same row each time.
    row, *again = [r for r in table_rows(pack_pdf.to_pdf(cambridgeshire)) if r[1].startswith("Local transport")]
    assert again == [row, row]
    assert row[3:6] == ["31 Mar 2024", "31 Jan 2025", "–"] and row[6].endswith(f"Doubtful date: {DOUBT}")
    page = pack_html.to_html(cambridgeshire)
    assert "<tr class=doubt>" in page and f"<p class='doubt'>Doubtful date: {DOUBT}</p>" in page

    at = dashboard_app(sample_db, monkeypatch, "committee")
    assert at.selectbox(key="committee_report").options == ["31 Dec 2024 (newest)"]
    extended = listed(at)["Open, extended two or more times"]
    assert list(extended.proto.column_order) == [
        "situation",
        "audit_title",
        "risk_level",
        "current_target_date",
        "officer",
        "original_target_date",
        "ref",
        "recommendation",
    ]
    headers = json.loads(extended.proto.columns)
    assert [headers[name]["label"] for name in extended.proto.column_order] == [
        "Where it stands",
        "Audit",
        "Risk",
        "Current target",
        "Officer or directorate",
        "Original target",
        "Ref",
        "Recommendation",
    ]  # no "Doubtful date" column: doubt is a mark
    assert extended.proto.placeholder == "to be confirmed"  # shown for a missing target, the only missing values
    shown = extended.value
    assert shown.drop(columns=["original_target_date", "current_target_date"]).notna().all().all()
    assert shown[shown["audit_title"].str.startswith("⚠ ")]["audit_title"].tolist() == ["⚠ Local transport Capital Block Funding (grant)"]
    # the item is in the chair's list of items extended more than twice too: each list says it under itself
    said = [c.value for c in at.caption if c.value.startswith("⚠ 1 item rests on a target date the reader doubted")]
    assert said and all(
        s.endswith(
            "\n- Local transport Capital Block Funding \\(grant\\): revised target 31 Jan 2025 is earlier than "
            "the one before it \\(31 Mar 2025\\)"
        )
        for s in said
    )  # the reason, in text


@pytest.mark.slow
def test_chart_labels_each_have_room(cambridgeshire):
    import vl_convert

    from app.committee.charts import label_lines, view_charts

    made = view_charts(cambridgeshire)
    for name, levels in (("ageing", AGEING_ORDER), ("risk", ["critical", "high", "medium"])):
        drawn = text_lines_as_labels(vl_convert.vegalite_to_pdf(made[name].to_dict()))
        lines = [label_lines(level) for level in levels]
        # Line by line under the bars, each label apart from its neighbours (none run together).
        for depth in range(max(map(len, lines))):
            assert [line[depth] for line in lines if len(line) > depth] in drawn, (name, drawn)
    assert [label_lines(band) for band in AGEING_ORDER] == [
        ["not yet", "due"],
        ["0–90", "days"],
        ["91–180", "days"],
        ["181–365", "days"],
        ["over a", "year"],
    ]


@pytest.fixture(scope="module")
def many_items(tmp_path_factory):
    db = many_items_store(tmp_path_factory.mktemp("many"))
    return gather(query_on(db), MANY_ITEMS_COUNCIL, MANY_ITEMS_REPORT)


@pytest.mark.slow
def test_a_long_pack_carries_page_numbers_council_and_report_on_every_page(many_items):
    pdf = pack_pdf.to_pdf(many_items)
    pages = page_texts(pdf)
    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Many Items Council, report of 31 Mar 2025" in text
    rows = {row[0]: row for row in table_rows(pdf) if row[0].startswith("MI-")}
    assert rows["MI-052"] == [
        "MI-052",
        "DSG Safety Valve Review Recommendation 52: reconcile the high needs block each month",
        "critical",
        "4 Feb 2024",
        "31 Dec 2024",
        "Officer 3",
        "421 days past its first agreed date; extended 2 times; last update March 2025",
    ]
    assert len({row[0] for row in rows.values()}) == 121  # every item, each under its own reference
    assert sum(row[0] == words.PACK_HEADER[0] for row in table_rows(pdf)) >= len(pages) - 1  # headers repeat per page


@pytest.mark.browser
def test_the_html_pack_prints_page_numbers_council_and_report_on_every_page(many_items, page, tmp_path):
    # The HTML pack printed as a reader prints it (Chromium), read back page by page.
    html_file = tmp_path / "pack.html"
    html_file.write_text(pack_html.to_html(many_items), encoding="utf-8")
    page.goto(html_file.as_uri())
    pages = page_texts(page.pdf(prefer_css_page_size=True))
    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text and "Many Items Council, report of 31 Mar 2025" in text


@pytest.mark.parametrize(
    "row, words",
    [
        (
            {"days_past_original_target": 120, "revision_count": 3, "no_update_streak": 2, "latest_update_period": "2024-07"},
            "120 days past its first agreed date; extended 3 times; no update for 2 reports (last: July 2024)",
        ),
        (
            {"days_past_original_target": -5, "revision_count": 1, "no_update_streak": 0, "latest_update_period": None},
            "not yet due; extended once",
        ),
        (
            {"days_past_original_target": 40, "revision_count": 0, "no_update_streak": 1, "latest_update_period": "2026-02"},
            "40 days past its first agreed date; last update February 2026",
        ),
    ],
)
def test_a_chairs_words(row, words):
    assert in_words(row) == words


@pytest.mark.slow
def test_pack_pdf_prints_on_a4_with_council_date_and_charts(cambridgeshire):
    pdf = pack_pdf.to_pdf(cambridgeshire)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert all((round(p.width), round(p.height)) == (595, 842) for p in document.pages)
        first = document.pages[0]
        text = first.extract_text()
        assert "Cambridgeshire County Council" in text and "Report of 31 Dec 2024" in text and "Produced" in text
        drawn = "".join(text.split())  # a chart's SVG text comes back without its spaces
        assert "Openrecommendationsbyrisklevel" in drawn and "Howlongpastthefirstagreeddate" in drawn  # the charts
    assert any(row[1].startswith("Government Procurement cards (GPC)") and "extended 6 times" in row[6] for row in table_rows(pdf))


@pytest.mark.slow
def test_pack_html_is_self_contained(cambridgeshire):
    page = pack_html.to_html(cambridgeshire)
    assert page.startswith("<!DOCTYPE html>") and "@page{size:A4" in page
    assert page.count("src='data:image/svg+xml;base64,") >= 2 and "http://" not in page.replace("http://www.w3.org", "")
    assert "Cambridgeshire County Council" in page and "31 Dec 2024" in page


@pytest.mark.slow
def test_committee_page(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch, "committee")
    at.selectbox(key="committee_council").select("Leicestershire County Council").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open recommendations"] == "7" and metrics["Open, extended two or more times"] == "5"
    assert len(at.get("vega_lite_chart")) == 3
    # The PDF is laid out on request, not on every run of the page.
    assert [b.proto.label for b in at.get("download_button")][-1:] == ["Pack as HTML"]
    at.button(key="pack_pdf_prepare").click().run()
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


@pytest.mark.slow
def test_committee_page_headline_for_a_chosen_report(cambridgeshire_three_reports, monkeypatch):
    db = cambridgeshire_three_reports
    # The true figures, counted here from the slippage view's rows, not by the page's query.
    rows = (
        open_safe(db)
        .sql(
            "SELECT status, original_target_date, current_target_date, report_date, revision_count, "
            "no_update_streak FROM slippage WHERE council = ? AND report_date = ?",
            params=["Cambridgeshire County Council", date(2025, 3, 31)],
        )
        .pl()
    )
    open_ = rows.filter(pl.col("status") == "open")
    expected = {
        "Open recommendations": open_.height,
        "Overdue": open_.filter(pl.coalesce("current_target_date", "original_target_date") < pl.col("report_date")).height,
        "Open, extended two or more times": open_.filter(pl.col("revision_count") >= 2).height,
        "Open, no update for two or more reports": open_.filter(pl.col("no_update_streak") >= 2).height,
    }
    assert len(set(expected.values())) == 4 and 0 not in expected.values()  # four different figures, none zero

    at = dashboard_app(db, monkeypatch, "committee")
    assert at.selectbox(key="committee_council").value == "Cambridgeshire County Council"  # the first council
    assert at.selectbox(key="committee_report").value == date(2025, 6, 30)  # its newest report
    at.selectbox(key="committee_report").set_value(date(2025, 3, 31)).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric[:4]} == {label: f"{n:,}" for label, n in expected.items()}
    assert expected == {
        "Open recommendations": 81,
        "Overdue": 69,
        "Open, extended two or more times": 34,
        "Open, no update for two or more reports": 3,
    }
    assert at.header[0].value == "What changed since the previous report" and len(at.metric) == 7 + len(CHANGE_LABELS)
    # One council with many reports: newest first, as UK dates, the newest said to be so.
    assert at.selectbox(key="committee_report").options == ["30 Jun 2025 (newest)", "31 Mar 2025", "31 Dec 2024"]
    # A view shared with a report chosen in the sidebar opens on that report.
    at = dashboard_app(db, monkeypatch, "committee", {"report": "2025-03-31"})
    assert at.selectbox(key="committee_report").value == date(2025, 3, 31)
    assert {m.label: m.value for m in at.metric[:4]} == {label: f"{n:,}" for label, n in expected.items()}


HOSTILE = (
    "<script>alert('x')</script>Payroll <img src=x onerror=alert(1)> "
    '<a href="javascript:alert(2)">click</a> [evil](javascript:alert(3)) **bold** <b>raw</b>'
)


@pytest.mark.slow
def test_hostile_cell_text_stays_inert(tmp_path, monkeypatch):
    appendix = tmp_path / "hostile.txt"
    appendix.write_text(
        "Overdue actions as at 31 March 2025\n\nAudit\tRisk\tTarget Date\tRecommendation\tLatest update\n"
        f"Payroll [x](javascript:alert(4))\tHigh\t31/12/2024\t{HOSTILE}"
        "\tMarch 2025: &lt;script&gt;alert(5)&lt;/script&gt;\n",
        encoding="utf-8",
    )
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
    at = dashboard_app(db, monkeypatch, "recommendations")
    at.selectbox(key="rec_open").select_index(0).run()
    assert not at.exception
    shown = [t.value for t in at.text]
    assert "March 2025: <script>alert(5)</script>" in shown  # st.text: shown, never run
    rendered = [m.value for m in at.markdown] + [h.value for h in at.header]
    assert all("](javascript" not in value and "<b>" not in value for value in rendered)
    assert any("\\[x\\]\\(javascript" in value for value in rendered)  # escaped: shown as typed


LONG_WORD = "x" * 10_000
ADDRESSES = "See http://evil.example/x, www.evil.example and clerk@evil.example"


@pytest.fixture
def long_words_db(tmp_path):
    """One high-risk open item whose title holds addresses and a 10,000-character word."""
    appendix = tmp_path / "long-words.txt"
    appendix.write_text(
        "Overdue actions as at 31 March 2025\n\nAudit\tRisk\tTarget Date\tRecommendation\tLatest update\n"
        f"{ADDRESSES} {LONG_WORD}\tHigh\t31/12/2024\tPay {LONG_WORD}\tMarch 2025: none\n"
        "Payroll\tHigh\t30/06/2024\tReconcile monthly\tMarch 2025: in hand\n",
        encoding="utf-8",
    )
    db = tmp_path / "audit.duckdb"
    [outcome] = load([appendix], db, council="Long Words Council")
    assert outcome.ok, outcome.line()
    return db


@pytest.mark.slow
def test_pack_pdf_breaks_a_word_longer_than_the_page(long_words_db):
    view = gather(query_on(long_words_db), "Long Words Council", date(2025, 3, 31))
    assert any(LONG_WORD in row["audit_title"] for _, rows in words.lists(view) for row in rows.iter_rows(named=True))
    assert pack_pdf.problem(view) is None
    with pdfplumber.open(io.BytesIO(pack_pdf.to_pdf(view))) as document:
        assert all((round(p.width), round(p.height)) == (595, 842) for p in document.pages)
        everything = "".join(p.extract_text() for p in document.pages)
    assert everything.count("x") >= len(LONG_WORD)  # the whole title, broken across lines, never cut off
    page = pack_html.to_html(view)
    assert LONG_WORD in page and "overflow-wrap:anywhere" in page


class LayoutError(Exception):
    """A renderer's failure, as the PDF pack's renderer may raise one."""


@pytest.mark.slow
def test_the_page_says_in_one_line_when_the_pdf_pack_cannot_be_made(long_words_db, monkeypatch):
    def refuse(view, charts):
        raise LayoutError("Flowable <Table> too large on page 1\nin frame 'normal'")

    monkeypatch.setattr(pack_pdf, "_build", refuse)
    at = dashboard_app(long_words_db, monkeypatch, "committee")
    assert not at.error  # the page opens without laying the PDF out
    at.button(key="pack_pdf_prepare").click().run()
    [error] = at.error
    shown = error.value.replace("\\", "")  # the reason is Markdown-escaped
    assert shown.startswith("The PDF pack cannot be made for this report (LayoutError: Flowable <Table> too large")
    assert "\n" not in shown
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert "Pack as PDF" not in buttons and not buttons["Pack as HTML"].disabled


@pytest.mark.slow
def test_addresses_in_document_text_are_never_links(long_words_db, monkeypatch):
    from app.text import WORD_JOINER, plain

    assert "http://" not in plain("http://evil.example") and "www." not in plain("www.evil.example")
    assert plain("clerk@evil.example").startswith("clerk@" + WORD_JOINER)
    at = dashboard_app(long_words_db, monkeypatch, "recommendations")
    titles = at.selectbox(key="rec_open").options
    at.selectbox(key="rec_open").select_index([i for i, t in enumerate(titles) if t.startswith("See")][0]).run()
    assert not at.exception
    [heading] = [h for h in at.header if "evil" in h.value]
    assert heading.proto.anchor == "" or heading.proto.hide_anchor
    for shown in (heading.value, *[m.value for m in at.markdown]):
        assert "http:" not in shown and "www." not in shown and "@evil" not in shown
    assert "http" + WORD_JOINER in heading.value and "@" + WORD_JOINER in heading.value


def test_count_axes_step_by_whole_numbers(cambridgeshire):
    from app.committee.charts import view_charts

    made = view_charts(cambridgeshire)
    for name in ("risk", "ageing"):
        axis = made[name].to_dict()["encoding"]["y"]["axis"]
        assert axis["tickMinStep"] == 1 and axis["format"] == ",d", name
