"""Table exports in the formats people use: CSV, Excel (a real .xlsx) and Parquet.

Each takes a polars frame straight from DuckDB (no pandas round trip) and returns bytes. Document
text is data in every format: the CSV neutralises text that a spreadsheet would run as a formula,
and the Excel file writes every string as a string."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import polars as pl
import xlsxwriter

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists and structs as text, for formats that hold one value per cell."""
    nested = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.List, pl.Array, pl.Struct))]
    return frame.with_columns(
        pl.col(n).cast(pl.List(pl.String)).list.join(" > ") if not isinstance(frame.schema[n], pl.Struct)
        else pl.col(n).struct.json_encode()
        for n in nested)


# OWASP's advice on CSV injection: a cell that begins with one of these is read by a spreadsheet
# as a formula (or, for tab and carriage return, can be made to); a leading single quote makes it
# text. Only text cells are touched, so numbers and dates stay numbers and dates.
FORMULA_START = "=+-@\t\r"
_FORMULA_START = r"^[=+\-@\t\r]"  # FORMULA_START as a pattern
UTF8_BOM = b"\xef\xbb\xbf"


def neutral_text(value: str) -> str:
    """A header or text cell as a spreadsheet must take it: as the characters it is."""
    return "'" + value if value[:1] and value[0] in FORMULA_START else value


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel does not read it as the local code page), a header
    and text cells that cannot start a formula."""
    flat = _flat(frame)
    text = [name for name, dtype in flat.schema.items() if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)]
    flat = flat.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([neutral_text(name) for name in flat.columns])
    body = flat.write_csv(include_header=False) if flat.width else ""
    return UTF8_BOM + (header.getvalue() + body).encode("utf-8")


def to_parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def to_xlsx(frame: pl.DataFrame, provenance: dict[str, str]) -> bytes:
    """Data on the first sheet (header frozen, dates as dates, widths set); on the second, what
    produced it (filters or query) and when."""
    buffer = io.BytesIO()
    # Document text is data: a cell starting "=" or holding a URL must stay a string, never a
    # formula or a live link.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        flat = _flat(frame)
        flat.write_excel(workbook=workbook, worksheet="Data", autofit=True, freeze_panes=(1, 0),
                         dtype_formats={pl.Date: "yyyy-mm-dd", pl.Datetime: "yyyy-mm-dd hh:mm"},
                         table_style="Table Style Light 9")
        about = workbook.add_worksheet("About")
        bold = workbook.add_format({"bold": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        rows = {"Produced by": "slippage", "Produced at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "Rows": str(frame.height), **provenance}
        for index, (key, value) in enumerate(rows.items()):
            about.write_string(index, 0, key, bold)
            about.write_string(index, 1, value, wrap)
        about.set_column(0, 0, 18)
        about.set_column(1, 1, 100)
    return buffer.getvalue()


def export(frame: pl.DataFrame, fmt: str, provenance: dict[str, str]) -> bytes:
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame, provenance)
    if fmt == "parquet":
        return to_parquet(frame)
    raise ValueError(f"unknown export format {fmt!r}")
