"""Per-record corrections: an admin corrects one record's field in the admin app with a reason; the
correction is kept beside what was read (never over it), survives a re-read of the same report, and
shows wherever the value is shown: the record view and table of the Recommendations page, the
Committee page, both packs, every export format, the slippage view (its values) and slippage_corrections (the notes); the Data
page lists them all."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app.committee import pack_html, pack_pdf, words
from app.committee.view import gather
from app.data import connection, query_at
from app.filters import Filters
from etl.layouts.overrides import to_toml
from etl.load import load, remove_report
from etl.store import layout_overrides
from etl.store.corrections import Correction, CorrectionError, correct
from etl.store.store import Store
from tests.apptests import dashboard_app
from tests.packs import table_rows
from tests.teaching import COUNCIL, TAUGHT, first_report

pytestmark = pytest.mark.slow

NOTE = "original target corrected by A. Smith (admin) on {day}: printed '30/09/2024' (the printed date is the date raised)"


def correction_script():
    from app.corrections import correction_section

    correction_section()


@pytest.fixture
def corrected(tmp_path, monkeypatch) -> Path:
    """Marlow Vale's June report loaded as taught, then MV/01's original target corrected in the admin app."""
    db = tmp_path / "store.duckdb"
    with Store(db).writing() as con:
        layout_overrides.save(con, COUNCIL, to_toml(COUNCIL, TAUGHT), "A. Smith (admin)", "taught")
    [outcome] = load([first_report(tmp_path)], db, council=COUNCIL, loaded_by="test")
    assert outcome.outcome == "loaded"
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_function(correction_script, default_timeout=60)
    at.run()
    at.selectbox(key="correct-report").select_index(0).run()
    at.selectbox(key="correct-record").set_value(1).run()
    at.selectbox(key="correct-field").set_value("original_target_date").run()
    assert "Printed: 30/09/2024; read as: 2024-09-30" in [c.value for c in at.caption]
    at.date_input[0].set_value(date(2024, 6, 30))
    at.text_input[0].set_value("the printed date is the date raised")
    at.text_input[1].set_value("A. Smith")
    at.button[0].click().run()
    assert not at.error and "corrected to 2024-06-30" in at.success[0].value
    return db


def note() -> str:
    return NOTE.format(day=f"{date.today().day} {date.today():%b %Y}")


def facts(db: Path) -> dict:
    con = connection(db)
    row = con.execute(
        "SELECT original_target_date, days_past_original_target, corrections FROM slippage "
        "LEFT JOIN slippage_corrections USING (council, report_date, recommendation_key) "
        "WHERE ref = 'MV/01'"
    ).fetchall()[0]
    printed = con.execute("SELECT original_target_date FROM recommendations WHERE ref = 'MV/01'").fetchall()[0][0]
    return {"original": row[0], "days_past": row[1], "notes": row[2], "as_read": printed}


def test_the_correction_is_kept_beside_what_was_read_and_the_figures_use_it(corrected):
    assert facts(corrected) == {"original": date(2024, 6, 30), "days_past": 365, "notes": [note()], "as_read": date(2024, 9, 30)}


def test_a_correction_survives_a_re_read_of_the_same_report(corrected, tmp_path):
    report_id = connection(corrected).execute("SELECT report_id FROM reports").fetchall()[0][0]
    assert remove_report(corrected, report_id, "test").ok
    [outcome] = load([first_report(tmp_path)], corrected, council=COUNCIL, loaded_by="test")
    assert outcome.outcome == "loaded"
    assert facts(corrected)["original"] == date(2024, 6, 30) and facts(corrected)["notes"] == [note()]


def test_a_wrong_value_is_refused_naming_it(corrected):
    with Store(corrected).writing() as con, pytest.raises(CorrectionError, match="'shut' is not a status"):
        correct(con, Correction(1, 2, "status", "shut", "closed", "A. Smith"))
    with Store(corrected).writing() as con, pytest.raises(CorrectionError, match="'31/13/2024' is not a date"):
        correct(con, Correction(1, 2, "original_target_date", "31/13/2024", "misprint", "A. Smith"))


def test_the_record_view_and_table_show_the_correction(corrected, monkeypatch):
    at = dashboard_app(corrected, monkeypatch, "recommendations")
    table = at.dataframe[0].value
    assert table.set_index("ref").loc["MV/01", "corrected"] == "✎ corrected"
    assert table.set_index("ref").loc["MV/02", "corrected"] == ""
    [opened] = [i for i, label in enumerate(at.selectbox(key="rec_open").options) if label.startswith("✎ ")]
    at.selectbox(key="rec_open").set_value(opened).run()
    assert any(f"**Corrected**: {note()}".replace("'", "") in i.value.replace("\\", "").replace("'", "") for i in at.info)


def test_the_committee_page_and_both_packs_mark_the_corrected_item(corrected, monkeypatch):
    # Through the app's own queries: a connection opened before the correction would read the old file.
    view = gather(lambda name, **params: query_at(corrected, name, **params), COUNCIL, date(2025, 6, 30))
    oldest_high = words.lists(view)[2][1]
    row = oldest_high.filter(pl.col("ref").str.starts_with("MV/01")).row(0, named=True)
    assert row["ref"] == "MV/01 †" and row["situation"].endswith(f"Corrected: {note()}")
    assert "MV/01 †" in pack_html.to_html(view) and "Corrected: original target corrected by" in pack_html.to_html(view)
    [pdf_row] = [[" ".join(cell.split()) for cell in row] for row in table_rows(pack_pdf.to_pdf(view)) if row[0].startswith("MV/01")]
    assert pdf_row[0] == "MV/01 †" and "printed '30/09/2024'" in pdf_row[-1]
    at = dashboard_app(corrected, monkeypatch, "committee")
    shown = [frame.value for frame in at.dataframe if "situation" in frame.value.columns]
    assert any("MV/01 †" in frame["ref"].tolist() for frame in shown)


def test_every_export_format_carries_the_correction(corrected, tmp_path):
    from app.exports import page_query_file

    params = Filters().params() | {
        "min_revisions": 0,
        "no_update_only": False,
        "search": "",
        "sort_by": "ref",
        "descending": False,
        "limit": None,
        "offset": 0,
    }
    # As the Recommendations page exports: headed as on the page, or for machines (exports branch).
    for fmt in ("csv", "xlsx", "parquet"):
        for machine in (False, True):
            made = tmp_path / f"rows-{machine}.{fmt}"
            page_query_file(
                made,
                corrected,
                "recommendations",
                params,
                fmt,
                {"test": "corrections"},
                hidden=("report_id", "total_rows"),
                machine=machine,
            )
            frame = {"csv": pl.read_csv, "xlsx": pl.read_excel, "parquet": pl.read_parquet}[fmt](made)
            ref = "ref" if machine else next(c for c in frame.columns if c.lower() == "ref")
            row = frame.filter(pl.col(ref).cast(pl.String) == "MV/01").row(0, named=True)
            assert note() in " ".join(str(v) for v in row.values()), (fmt, machine, row)


def test_the_data_page_lists_every_correction(corrected, monkeypatch):
    at = dashboard_app(corrected, monkeypatch, "data")
    [listed] = [frame.value for frame in at.dataframe if "reason" in frame.value.columns]
    assert listed[["council", "field", "printed", "corrected", "reason"]].values.tolist() == [
        [COUNCIL, "original target date", "30/09/2024", "2024-06-30", "the printed date is the date raised"]
    ]
