"""Each export opens with its own reader, holds the same rows and types, says what made it, and
is built in bounded memory however many rows it holds. A CSV opens with every reader's defaults
(polars, pandas, Python's csv module, LibreOffice): it once began with seven "#" lines of
provenance, which each of them read as the header and rows of a table of two columns."""

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from app import exports
from app.filters import Filters
from etl import tablefile
from etl.cli import main
from etl.store.readonly import QueryRefused, export_query
from etl.store.store import ROOT
from etl.tablefile import EXCEL_DATE

ABOUT = {"Produced by": "slippage", "Filters": "councils: Harborough District Council"}


def file_bytes(frame: pl.DataFrame, fmt: str, about: dict[str, str], machine: bool = False) -> bytes:
    """The file the dashboard makes of a result on the page, as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"result.{fmt}"
        exports.frame_file(path, frame, fmt, about, machine)
        return path.read_bytes()


@pytest.fixture
def frame(read):
    return read(
        "SELECT council, report_date, record_no, audit_title, original_target_date, revision_count, "
        "no_update_flag, target_history FROM slippage ORDER BY council, record_no"
    )


def test_csv_for_machines_has_iso_dates_a_reader_parses(frame):
    back = pl.read_csv(io.BytesIO(file_bytes(frame, "csv", ABOUT, machine=True)), try_parse_dates=True)
    assert back.columns == frame.columns and back.height == frame.height == 161
    assert back["report_date"].dtype == pl.Date and back["report_date"].to_list() == frame["report_date"].to_list()
    assert back["revision_count"].to_list() == frame["revision_count"].to_list()
    assert back["target_history"][0] == " > ".join(frame["target_history"][0])


def test_csv_for_people_has_uk_dates_as_the_page_shows_them():
    moments = pl.DataFrame(
        {"report_date": [date(2024, 8, 31), None], "loaded_at": [datetime(2024, 9, 2, 14, 5), datetime(2024, 12, 1, 9, 0)]}
    )
    rows = list(csv.reader(io.StringIO(file_bytes(moments, "csv", ABOUT).decode("utf-8-sig"), newline="")))
    # "2 Sep 2024, 14:05" holds a comma: it is quoted, so it stays one cell
    assert rows == [["report_date", "loaded_at"], ["31 Aug 2024", "2 Sep 2024, 14:05"], ["", "1 Dec 2024, 09:00"]]


def test_a_csv_is_the_table_alone_and_its_provenance_is_a_sidecar():
    about = {"Produced by": "slippage", "Filters": "councils: A, B", "Query": "SELECT 1 AS n"}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.csv"
        written = exports.frame_file(path, pl.DataFrame({"n": [1]}), "csv", about)
        assert path.read_bytes() == b"\xef\xbb\xbfn\n1\n"
    assert tablefile.about_text(about, written) == ("Produced by: slippage\nFilters: councils: A, B\nQuery: SELECT 1 AS n\nRows: 1\n")


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


@pytest.mark.slow
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


HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","click")', "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", "\tx", "\rx", "plain text", "a=b", None]


def test_csv_neutralises_formulas_in_text_and_keeps_numbers():
    frame = pl.DataFrame(
        {
            "latest_update": HOSTILE,
            "days": [-5, 1, 2, 3, 4, 5, 6, 7, 8],
            "score": [-1.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "history": [["-1", "=x"], ["a"], [], None, ["b"], ["c"], ["d"], ["e"], ["f"]],
            "=formula header": ["x"] * 9,
        }
    )
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
    assert (
        main(
            [
                "sql",
                "SELECT '=1+1' AS note, ['-1', 'b'] AS history, 3 AS n, DATE '2024-12-31' AS due",
                "--db",
                str(sample_db),
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out = capfd.readouterr().out
    assert list(csv.reader(io.StringIO(out))) == [["note", "history", "n", "due"], ["'=1+1", "'-1 > b", "3", "2024-12-31"]]


def test_a_full_result_export_is_written_by_the_query_worker(sample_db, tmp_path):
    target = tmp_path / "full.csv"
    written = export_query(sample_db, "SELECT range AS n FROM range(25000)", "csv", target, {"Query": "range"}, 20_000)
    assert (written.rows, written.more) == (20_000, True)
    assert pl.read_csv(target)["n"].to_list() == list(range(20_000))
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
    done = subprocess.run(
        [sys.executable, "-c", BUILD_EXCEL, str(db), str(target), str(rows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
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
    back = {
        "csv": lambda: pl.read_csv(target),
        "parquet": lambda: pl.read_parquet(target),
        "xlsx": lambda: pl.read_excel(target, sheet_name="Data"),
    }[fmt]()
    assert back.equals(WIDE.head(written.rows))  # whole rows, the first ones, and nothing else


def test_a_cut_file_says_where_and_how_to_narrow_it_beside_its_rows(tmp_path):
    """The CSV's note of the cut was once its last line ("# Cut,..."), which a reader without
    comment handling took as a row; it is now in the sidecar, the About sheet and the metadata."""
    files, written = {fmt: tmp_path / f"wide.{fmt}" for fmt in tablefile.FORMATS}, {}
    for fmt, target in files.items():
        with target.open("wb") as out:
            written[fmt] = tablefile.write_table(tablefile.frame_reader(WIDE), fmt, out, ABOUT, max_bytes=CAP)

    def note(fmt: str) -> str:
        return (
            f"the file was cut at 1.0 MB after {written[fmt].rows:,} rows; the result holds more: narrow it "
            "(fewer columns, a WHERE, a LIMIT, or the filters) to download it whole"
        )

    last = list(csv.reader(io.StringIO(files["csv"].read_text(encoding="utf-8-sig"))))[-1]
    assert last[0] == str(written["csv"].rows - 1)  # the last row of the table, nothing after it
    assert f"Cut: {note('csv')}\n" in tablefile.about_text(ABOUT, written["csv"])
    about = pl.read_excel(files["xlsx"], sheet_name="About", has_header=False)
    assert note("xlsx") in about.to_series(1).to_list()
    assert pq.read_metadata(files["parquet"]).metadata[b"Cut"] == note("parquet").encode()


def test_the_query_worker_cuts_a_full_result_at_its_byte_cap(sample_db, tmp_path):
    target = tmp_path / "big.csv"
    query = "SELECT md5(range::VARCHAR) || repeat('x', 468) AS wide FROM range(200000)"  # 100 MB as CSV
    written = export_query(sample_db, query, "csv", target, {"Query": query}, 2_000_000, max_bytes=2 * CAP)
    assert written.cut_bytes == 2 * CAP and 4000 < written.rows < 4200
    assert 2 * CAP - 4096 < target.stat().st_size <= 2 * CAP + 1024


# -- a CSV opens in every reader with its defaults -----------------------------------------------------
EVERY_ROW = Filters().params() | {
    "min_revisions": 0,
    "no_update_only": False,
    "search": "",
    "sort_by": "council",
    "descending": False,
    "limit": None,
    "offset": 0,
}


def libreoffice_workbook(csv_path: Path) -> openpyxl.Workbook:
    """The CSV as a UK user's LibreOffice opens it, saved as xlsx and read back: comma-separated,
    quoted with '"', UTF-8 from line 1, English (UK) (44,34,76,1,,2057), as its Text Import
    dialog proposes for a file that begins with a UTF-8 byte-order mark. (Headless with no options
    it reads every CSV as Latin-1, with a mark or without, so no file shows "Môn" there; Excel
    needs the mark to read UTF-8.) A profile of its own, so another LibreOffice running on the
    machine does not lock it."""
    folder = csv_path.parent / "libreoffice"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,76,1,,2057",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return openpyxl.load_workbook(folder / f"{csv_path.stem}.xlsx")


@pytest.mark.slow
@pytest.mark.parametrize("machine", [False, True], ids=["for people", "for machines"])
def test_a_recommendations_csv_opens_with_every_readers_defaults(sample_db, tmp_path, machine):
    import pandas as pd

    path = tmp_path / "recommendations.csv"
    written = exports.page_query_file(
        path, sample_db, "recommendations", EVERY_ROW, "csv", ABOUT, hidden=("report_id", "total_rows"), machine=machine
    )
    assert written.rows == 161
    headers = pl.read_csv(path).columns
    assert headers[:3] == (
        ["original_target_date", "current_target_date", "revision_count"] if machine else ["Original target", "Current target", "Revisions"]
    )
    assert (pl.read_csv(path).height, len(pd.read_csv(path))) == (161, 161)
    assert list(pd.read_csv(path).columns) == headers
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == headers and len(rows) == 162
    report = rows[1][headers.index("report_date" if machine else "Report")]
    assert report == ("2024-12-31" if machine else "31 Dec 2024")  # Cambridgeshire's report: sorted by council
    sheet = libreoffice_workbook(path).active
    assert [cell.value for cell in sheet[1]] == headers and sheet.max_row == 162
    opened = sheet.cell(2, headers.index("report_date" if machine else "Report") + 1)
    assert opened.is_date and opened.value.date() == date(2024, 12, 31)  # "31 Dec 2024" is a UK date


@pytest.mark.parametrize("machine", [False, True], ids=["for people", "for machines"])
def test_excel_and_parquet_are_headed_and_dated_as_the_page_or_for_machines(sample_db, tmp_path, machine):
    files = {fmt: tmp_path / f"recommendations.{fmt}" for fmt in ("xlsx", "parquet")}
    for fmt, path in files.items():
        exports.page_query_file(
            path, sample_db, "recommendations", EVERY_ROW, fmt, ABOUT, hidden=("report_id", "total_rows"), machine=machine
        )
    sheet = openpyxl.load_workbook(files["xlsx"])["Data"]
    headers = [cell.value for cell in sheet[1]]
    report = sheet.cell(2, headers.index("report_date" if machine else "Report") + 1)
    assert headers[:3] == (
        ["original_target_date", "current_target_date", "revision_count"] if machine else ["Original target", "Current target", "Revisions"]
    )
    assert report.is_date and report.number_format == ("yyyy-mm-dd" if machine else "d mmm yyyy")
    parquet = pl.read_parquet(files["parquet"])
    assert parquet.columns == headers and parquet.height == sheet.max_row - 1 == 161
    assert parquet[headers[report.column - 1]].dtype == pl.Date  # a date, whichever way it is shown
    assert pq.read_metadata(files["parquet"]).metadata[b"Rows"] == b"161"
