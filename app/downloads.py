"""Download buttons for a table: CSV, Excel and Parquet, each file made only when its button is
pressed (app/exports.py makes it in bounded memory). Excel is offered only while the rows fit on
a worksheet; above that the buttons say so and offer CSV and Parquet, which hold every row."""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from app.exports import frame_file, provenance, query_file
from etl import tablefile
from etl.store.readonly import QueryRefused, QueryResult, count_rows

LABELS = {"csv": "CSV", "xlsx": "Excel", "parquet": "Parquet"}
QUERY_EXPORT_ROWS = 2_000_000  # an ad-hoc query's full-result download holds at most this many rows


def excel_fits(rows: int | None) -> bool:
    return rows is None or rows <= tablefile.EXCEL_MAX_ROWS


def export_buttons(make_file: Callable[[str], bytes], stem: str, key: str, rows: int | None) -> None:
    """CSV, Excel and Parquet downloads of `rows` rows (None: not counted); each file is made only
    when its button is pressed, by make_file(format)."""
    formats = [fmt for fmt in tablefile.FORMATS if fmt != "xlsx" or excel_fits(rows)]
    if not excel_fits(rows):
        st.info(f"{rows:,} rows are more than an Excel worksheet holds ({tablefile.EXCEL_MAX_ROWS:,}): "
                "download CSV or Parquet, which hold every row.")
    for column, fmt in zip(st.columns(3), formats):
        column.download_button(f"Download {LABELS[fmt]}", data=functools.partial(make_file, fmt),
                               file_name=f"{stem}.{fmt}", mime=tablefile.MIME[fmt], key=f"{key}_{fmt}",
                               on_click="ignore", icon=":material/download:")


def query_export_buttons(db: Path, query: str, result: QueryResult, key: str) -> None:
    """Downloads of an ad-hoc query's result: the rows on show when they are all of it, else the
    full result (up to QUERY_EXPORT_ROWS), counted first and written by a query worker."""
    about = provenance(Query=query)
    if not result.truncated:
        export_buttons(lambda fmt: frame_file(result.frame, fmt, about), "query", key, result.frame.height)
        return
    try:
        rows: int | None = count_rows(db, query)
    except QueryRefused:  # counting took longer than a query may: the downloads still hold the rows
        rows = None
    if rows is None:
        st.caption(f"The result was not counted within the time limit: the downloads hold up to {QUERY_EXPORT_ROWS:,} rows.")
    elif rows > QUERY_EXPORT_ROWS:
        st.caption(f"The result has {rows:,} rows: the downloads hold the first {QUERY_EXPORT_ROWS:,}.")
    else:
        st.caption(f"The downloads hold all {rows:,} rows of the result.")
    export_buttons(lambda fmt: query_file(db, query, fmt, about, QUERY_EXPORT_ROWS), "query", key, rows)
