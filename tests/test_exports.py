"""Each export opens with its own reader and holds the same rows and types."""
import io

import polars as pl
import pytest
import xlsxwriter  # noqa: F401  (the Excel writer must be installed)

from app.exports import export
from etl.store.readonly import open_safe


@pytest.fixture
def frame(sample_db):
    return open_safe(sample_db).sql("SELECT council, report_date, record_no, audit_title, original_target_date, revision_count, "
                   "no_update_flag, target_history FROM slippage ORDER BY council, record_no").pl()


def test_csv(frame):
    back = pl.read_csv(io.BytesIO(export(frame, "csv", {})), try_parse_dates=True)
    assert back.height == frame.height == 161
    assert back["report_date"].dtype == pl.Date and back["revision_count"].to_list() == frame["revision_count"].to_list()
    assert back["target_history"][0] == " > ".join(frame["target_history"][0])


def test_excel_has_dates_as_dates_and_a_provenance_sheet(frame):
    data = export(frame, "xlsx", {"Filters": "councils: Harborough District Council"})
    back = pl.read_excel(io.BytesIO(data), sheet_name="Data")
    assert back.height == frame.height
    assert back["report_date"].dtype == pl.Date and back["original_target_date"].dtype == pl.Date
    assert back["record_no"].to_list() == frame["record_no"].to_list()
    about = pl.read_excel(io.BytesIO(data), sheet_name="About", has_header=False)
    assert "councils: Harborough District Council" in about.to_series(1).to_list()


def test_parquet_keeps_types(frame):
    back = pl.read_parquet(io.BytesIO(export(frame, "parquet", {})))
    assert back.schema == frame.schema and back.equals(frame)


def test_charts_render_to_png_and_svg():
    from app.charts import bar_chart, chart_image

    chart = bar_chart(pl.DataFrame({"council": ["A", "B"], "open": [3, 5]}), "council", "open", "Council", "Open", "Open by council")
    png = chart_image(chart.to_dict(), "png")
    svg = chart_image(chart.to_dict(), "svg").decode()
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert svg.startswith("<svg") and "Open by council" in svg


def test_excel_keeps_hostile_text_as_text():
    import zipfile

    hostile = ['=HYPERLINK("http://127.0.0.1/x","click")', "+cmd|' /C calc'!A0", "javascript:alert(1)", "<script>x</script>"]
    data = export(pl.DataFrame({"latest_update": hostile}), "xlsx", {})
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet.lower()
    assert pl.read_excel(io.BytesIO(data), sheet_name="Data")["latest_update"].to_list() == hostile


def test_csv_neutralises_formulas_in_text_and_keeps_numbers():
    import csv

    hostile = ['=HYPERLINK("http://127.0.0.1/x","click")', "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", "\tx", "\rx",
               "plain text", "a=b", None]
    frame = pl.DataFrame({"latest_update": hostile, "days": [-5, 1, 2, 3, 4, 5, 6, 7, 8],
                          "score": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
                          "history": [["-1", "=x"], ["a"], [], None, ["b"], ["c"], ["d"], ["e"], ["f"]],
                          "=formula header": ["x"] * 9})
    data = export(frame, "csv", {})
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["latest_update", "days", "score", "history", "'=formula header"]
    assert [r[0] for r in rows[1:]] == [f"'{h}" for h in hostile[:6]] + ["plain text", "a=b", ""]
    assert all(not cell or cell[0] not in "=+-@\t\r" for row in rows for cell in row if not cell.lstrip("-").replace(".", "").isdigit())
    back = pl.read_csv(io.BytesIO(data))
    assert back["days"].dtype == pl.Int64 and back["days"].to_list() == frame["days"].to_list()  # numbers stay numbers
    assert back["score"].dtype == pl.Float64 and back["score"][0] == -1.5
    assert back["history"][0] == "'-1 > =x"


def test_csv_of_text_in_other_alphabets_opens_as_utf8():
    data = export(pl.DataFrame({"council": ["Cyngor Sir Ynys Môn", "Ceredigion – ‘quoted’"]}), "csv", {})
    assert data.decode("utf-8-sig").splitlines()[1:] == ["Cyngor Sir Ynys Môn", "Ceredigion – ‘quoted’"]
