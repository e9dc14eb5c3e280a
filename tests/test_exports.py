"""Each export opens with its own reader, holds the same rows and types, says what made it, and
is built in bounded memory however many rows it holds."""
import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from app import exports
from etl import tablefile
from etl.cli import main
from etl.store.readonly import QueryRefused, export_query
from etl.store.store import ROOT
from etl.tablefile import EXCEL_DATE

ABOUT = {"Produced by": "slippage", "Filters": "councils: Harborough District Council"}


def file_bytes(frame: pl.DataFrame, fmt: str, about: dict[str, str]) -> bytes:
    """The file the dashboard makes of a result on the page, as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"result.{fmt}"
        exports.frame_file(path, frame, fmt, about)
        return path.read_bytes()


@pytest.fixture
def frame(read):
    return read("SELECT council, report_date, record_no, audit_title, original_target_date, revision_count, "
                "no_update_flag, target_history FROM slippage ORDER BY council, record_no")


def test_csv(frame):
    back = pl.read_csv(io.BytesIO(file_bytes(frame, "csv", ABOUT)), try_parse_dates=True, comment_prefix="#")
    assert back.height == frame.height == 161
    assert back["report_date"].dtype == pl.Date and back["revision_count"].to_list() == frame["revision_count"].to_list()
    assert back["target_history"][0] == " > ".join(frame["target_history"][0])


def test_csv_says_which_filters_made_it_in_lines_a_spreadsheet_shows_safely():
    about = {"Produced by": "slippage", "Filters": "councils: A, B", "Search": "x,=HYPERLINK(\"http://e/\")",
             "Query": "=cmd|' /C calc'!A0\nSELECT 1"}
    data = file_bytes(pl.DataFrame({"n": [1]}), "csv", about)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    # Each line is "# key" then the value in one cell: a spreadsheet cannot split a value into a
    # cell of its own, and a value cannot start a formula.
    assert rows[:4] == [["# Produced by", "slippage"], ["# Filters", "councils: A, B"],
                        ["# Search", 'x,=HYPERLINK("http://e/")'], ["# Query", "'=cmd|' /C calc'!A0 SELECT 1"]]
    assert rows[4:] == [["n"], ["1"]]


def test_excel_has_uk_dates_as_dates_and_a_provenance_sheet(frame):
    data = file_bytes(frame, "xlsx", ABOUT)
    back = pl.read_excel(io.BytesIO(data), sheet_name="Data")
    assert back.height == frame.height
    assert back["report_date"].dtype == pl.Date and back["original_target_date"].dtype == pl.Date
    assert back["record_no"].to_list() == frame["record_no"].to_list()
    cell = openpyxl.load_workbook(io.BytesIO(data))["Data"]["B2"]
    assert cell.is_date and cell.number_format == EXCEL_DATE == "d mmm yyyy"  # shown as "31 Jul 2024"
    about = pl.read_excel(io.BytesIO(data), sheet_name="About", has_header=False)
    assert "councils: Harborough District Council" in about.to_series(1).to_list()
    assert f"{frame.height:,}" in about.to_series(1).to_list()


def test_parquet_keeps_types_and_says_what_made_it(frame):
    data = file_bytes(frame, "parquet", ABOUT)
    back = pl.read_parquet(io.BytesIO(data))
    assert back.schema == frame.schema and back.equals(frame)
    assert pq.read_schema(io.BytesIO(data)).metadata[b"Filters"] == b"councils: Harborough District Council"


def test_charts_render_to_png_and_svg():
    from app.charts import bar_chart, chart_image

    chart = bar_chart(pl.DataFrame({"council": ["A", "B"], "open": [3, 5]}), "council", "open", "Council", "Open", "Open by council")
    png = chart_image(chart.to_dict(), "png")
    svg = chart_image(chart.to_dict(), "svg").decode()
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert svg.startswith("<svg") and "Open by council" in svg


def test_excel_keeps_hostile_text_as_text():
    hostile = ['=HYPERLINK("http://127.0.0.1/x","click")', "+cmd|' /C calc'!A0", "javascript:alert(1)", "<script>x</script>"]
    data = file_bytes(pl.DataFrame({"latest_update": hostile}), "xlsx", {})
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<hyperlink" not in sheet.lower()  # no formula, no link: text in cells
    assert pl.read_excel(io.BytesIO(data), sheet_name="Data")["latest_update"].to_list() == hostile


HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","click")', "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", "\tx", "\rx",
           "plain text", "a=b", None]


def test_csv_neutralises_formulas_in_text_and_keeps_numbers():
    frame = pl.DataFrame({"latest_update": HOSTILE, "days": [-5, 1, 2, 3, 4, 5, 6, 7, 8],
                          "score": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
                          "history": [["-1", "=x"], ["a"], [], None, ["b"], ["c"], ["d"], ["e"], ["f"]],
                          "=formula header": ["x"] * 9})
    data = file_bytes(frame, "csv", {})
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["latest_update", "days", "score", "history", "'=formula header"]
    assert [r[0] for r in rows[1:]] == [f"'{h}" for h in HOSTILE[:6]] + ["plain text", "a=b", ""]
    assert all(not cell or cell[0] not in "=+-@\t\r" for row in rows for cell in row if not cell.lstrip("-").replace(".", "").isdigit())
    back = pl.read_csv(io.BytesIO(data))
    assert back["days"].dtype == pl.Int64 and back["days"].to_list() == frame["days"].to_list()  # numbers stay numbers
    assert back["score"].dtype == pl.Float64 and back["score"][0] == -1.5
    assert back["history"][0] == "'-1 > =x"


def test_csv_of_text_in_other_alphabets_opens_as_utf8():
    data = file_bytes(pl.DataFrame({"council": ["Cyngor Sir Ynys Môn", "Ceredigion – ‘quoted’"]}), "csv", {})
    assert data.decode("utf-8-sig").splitlines()[1:] == ["Cyngor Sir Ynys Môn", "Ceredigion – ‘quoted’"]


def test_the_command_line_csv_neutralises_formulas_and_flattens_lists(sample_db, capfd):
    assert main(["sql", "SELECT '=1+1' AS note, ['-1', 'b'] AS history, 3 AS n, DATE '2024-12-31' AS due",
                 "--db", str(sample_db), "--format", "csv"]) == 0
    out = capfd.readouterr().out
    assert list(csv.reader(io.StringIO(out))) == [["note", "history", "n", "due"], ["'=1+1", "'-1 > b", "3", "2024-12-31"]]


def test_a_full_result_export_is_written_by_the_query_worker(sample_db, tmp_path):
    target = tmp_path / "full.csv"
    written = export_query(sample_db, "SELECT range AS n FROM range(25000)", "csv", target, {"Query": "range"}, 20_000)
    assert (written.rows, written.more) == (20_000, True)
    assert pl.read_csv(target, comment_prefix="#")["n"].to_list() == list(range(20_000))
    with pytest.raises(QueryRefused, match="only read queries"):
        export_query(sample_db, "DELETE FROM reports", "csv", tmp_path / "no.csv", {}, 10)


# Builds an Excel file of ROWS rows the way the SQL page's export worker does, in this (child)
# process, and reports the rows written and the process's peak resident memory.
BUILD_EXCEL = """
import json, sys
from pathlib import Path
from etl.store.readonly import write_query_file
db, target, rows = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
query = ("SELECT range AS n, DATE '2020-01-01' + (range % 2000)::INTEGER AS due, "
         "'recommendation ' || range || ' ' || repeat('text ', 12) AS note, [range::VARCHAR, 'x'] AS history "
         f"FROM range({rows})")
written = write_query_file(db, query, "xlsx", target, {"Query": query}, 2_000_000)
# VmHWM, the peak resident set of this program (ru_maxrss would also count the parent's pages
# that a forked child held before it started this program).
peak_kb = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1])
print(json.dumps({"rows": written.rows, "peak_mb": peak_kb / 1024}))
"""
PEAK_MB = 300  # what the whole process may reach: the interpreter, DuckDB, Arrow, polars and one batch


def build_excel(db, target, rows: int) -> dict:
    done = subprocess.run([sys.executable, "-c", BUILD_EXCEL, str(db), str(target), str(rows)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_large_excel_export_stays_under_a_fixed_memory_bound(sample_db, tmp_path):
    rows = 300_000
    built = build_excel(sample_db, tmp_path / "large.xlsx", rows)
    assert built["rows"] == rows and built["peak_mb"] < PEAK_MB, built
    book = openpyxl.load_workbook(tmp_path / "large.xlsx", read_only=True)
    sheet = book["Data"]
    assert sheet.max_row == rows + 1 and [c.value for c in next(sheet.iter_rows(max_row=1))] == ["n", "due", "note", "history"]
    assert pl.read_excel(tmp_path / "large.xlsx", sheet_name="Data").height == rows  # every row, read back


# -- every file is bounded in bytes --------------------------------------------------------------------
WIDE = pl.DataFrame({"n": range(20_000), "text": [f"row {n} " + "x" * 200 for n in range(20_000)]})  # about 4.3 MB as CSV
CAP = 1024 * 1024


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_file_is_cut_at_its_byte_cap_on_a_whole_row(fmt, tmp_path):
    target = tmp_path / f"wide.{fmt}"
    with target.open("wb") as out:
        written = tablefile.write_table(tablefile.frame_reader(WIDE), fmt, out, ABOUT, max_bytes=CAP)
    assert written.cut_bytes == CAP and written.more and 0 < written.rows < WIDE.height
    assert target.stat().st_size <= CAP + 1024  # the table within the cap; the note of the cut after it
    back = {"csv": lambda: pl.read_csv(target, comment_prefix="#"), "parquet": lambda: pl.read_parquet(target),
            "xlsx": lambda: pl.read_excel(target, sheet_name="Data")}[fmt]()
    assert back.equals(WIDE.head(written.rows))  # whole rows, the first ones, and nothing else


def test_a_cut_file_says_where_and_how_to_narrow_it(tmp_path):
    csv_file, workbook = tmp_path / "wide.csv", tmp_path / "wide.xlsx"
    with csv_file.open("wb") as out:
        written = tablefile.write_table(tablefile.frame_reader(WIDE), "csv", out, ABOUT, max_bytes=CAP)
    last = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))[-1]
    assert last == ["# Cut", f"the file was cut at 1.0 MB after {written.rows:,} rows; the result holds more: narrow it "
                             "(fewer columns, a WHERE, a LIMIT, or the filters) to download it whole"]
    with workbook.open("wb") as out:
        tablefile.write_table(tablefile.frame_reader(WIDE), "xlsx", out, ABOUT, max_bytes=CAP)
    about = pl.read_excel(workbook, sheet_name="About", has_header=False)
    assert any(str(value).startswith("the file was cut at 1.0 MB") for value in about.to_series(1).to_list())


def test_the_query_worker_cuts_a_full_result_at_its_byte_cap(sample_db, tmp_path):
    target = tmp_path / "big.csv"
    query = "SELECT md5(range::VARCHAR) || repeat('x', 468) AS wide FROM range(200000)"  # 100 MB as CSV
    written = export_query(sample_db, query, "csv", target, {"Query": query}, 2_000_000, max_bytes=2 * CAP)
    assert written.cut_bytes == 2 * CAP and 4000 < written.rows < 4200
    assert 2 * CAP - 4096 < target.stat().st_size <= 2 * CAP + 1024
