"""A report read with doubts says so wherever its figures are used: the Data page, the Committee page,
both packs, and the sidebar can leave such reports out (kept in the page address, like doubtful
dates). The store is the samples plus one report the reader doubts (tests/doubts.py)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from app.committee import pack_html, pack_pdf
from app.committee.view import gather
from tests.apptests import dashboard_app
from tests.doubts import DOUBTFUL_COUNCIL, add_doubtful_report
from tests.packs import page_texts, query_on

pytestmark = pytest.mark.slow

REASON = "the summary counts printed (High priority 3, Medium priority 2, Low priority 2, Total 7) disagree"


@pytest.fixture(scope="module")
def doubtful_db(tmp_path_factory, sample_db):
    folder = tmp_path_factory.mktemp("doubtful")
    db = folder / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    add_doubtful_report(db, folder)
    return db


def test_the_data_page_lists_reports_read_with_doubts_and_why(doubtful_db, monkeypatch):
    at = dashboard_app(doubtful_db, monkeypatch, "data")
    assert "Reports read with doubts" in [h.value for h in at.header]
    assert any(w.value.startswith("1 report was read with doubts: records may be missing") for w in at.warning)
    [listed] = [d.value for d in at.dataframe if "doubts" in d.value.columns]
    assert listed["council"].tolist() == [DOUBTFUL_COUNCIL]
    assert REASON in listed["doubts"][0] and "it prints a total of 7, 5 records were read" in listed["doubts"][0]


def test_the_data_page_of_reports_read_well_says_nothing_of_doubts(sample_db, monkeypatch):
    at = dashboard_app(sample_db, monkeypatch, "data")
    assert "Reports read with doubts" not in [h.value for h in at.header] and not at.warning


def test_the_committee_page_says_read_with_doubts_and_why(doubtful_db, monkeypatch):
    at = dashboard_app(doubtful_db, monkeypatch, "committee")
    assert not [w for w in at.warning if "read with doubts" in w.value]  # the first council's report was read well
    at.selectbox(key="committee_council").select(DOUBTFUL_COUNCIL).run()
    [warning] = [w.value.replace("\\", "") for w in at.warning if "read with doubts" in w.value]  # markdown escapes off
    assert warning.startswith("This report was read with doubts, so its figures may be wrong: ") and REASON in warning


def test_both_packs_say_read_with_doubts_and_why(doubtful_db):
    view = gather(query_on(doubtful_db), DOUBTFUL_COUNCIL, date(2025, 9, 30))
    page = pack_html.to_html(view)
    assert "<p class='doubt'>This report was read with doubts, so its figures may be wrong: " in page
    assert "it prints a total of 7, 5 records were read" in page
    first_page = " ".join(page_texts(pack_pdf.to_pdf(view))[0].split())
    assert "This report was read with doubts, so its figures may be wrong:" in first_page
    assert "it prints a total of 7, 5 records were read" in first_page


def test_a_pack_of_a_report_read_well_says_nothing_of_doubts(doubtful_db):
    view = gather(query_on(doubtful_db), "Leicestershire County Council", date(2026, 2, 28))
    assert "read with doubts" not in pack_html.to_html(view)
    assert not any("read with doubts" in text for text in page_texts(pack_pdf.to_pdf(view)))


def test_the_sidebar_leaves_out_reports_read_with_doubts(doubtful_db, monkeypatch):
    at = dashboard_app(doubtful_db, monkeypatch)
    assert {m.label: m.value for m in at.metric}["Open recommendations"] == "141"  # 136 of the samples, 5 doubted
    assert "5 records shown come from reports read with doubts" in [c.value for c in at.sidebar.caption]
    at.sidebar.toggle(key="filter_leave_out_doubtful_reports").set_value(True).run()
    assert {m.label: m.value for m in at.metric}["Open recommendations"] == "136"
    assert at.query_params["doubtful-reports"] == "leave-out"
    assert "5 records from reports read with doubts left out" in [c.value for c in at.sidebar.caption]
    assert DOUBTFUL_COUNCIL not in at.sidebar.multiselect(key="filter_councils").options
    at.switch_page("pages/recommendations.py").run()  # the choice is kept across pages
    assert at.sidebar.toggle(key="filter_leave_out_doubtful_reports").value is True
    assert DOUBTFUL_COUNCIL not in set(at.dataframe[0].value.get("council", []))
