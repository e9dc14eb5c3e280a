"""Table exports in the formats people use: CSV, Excel (a real .xlsx) and Parquet.

Each takes a polars frame straight from DuckDB (no pandas round trip) and returns bytes."""
from __future__ import annotations

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


def to_csv(frame: pl.DataFrame) -> bytes:
    return _flat(frame).write_csv().encode("utf-8")


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
