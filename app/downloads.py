"""Downloads of a table: CSV, Excel and Parquet. A press of Prepare makes the file on disk, in
bounded memory and at most EXPORT_MAX_MB (app/exports.py), for the store and the rows on show when
the page ran; the page then says what it holds (and where it was cut) and links to it, served from
disk once (app/served.py). Excel is offered only while the rows fit on a worksheet; above that the
page says so and offers CSV and Parquet, which hold every row."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app import served
from app.exports import EXPORT_MAX_MB, frame_file, provenance, query_file
from etl import tablefile
from etl.store.readonly import QueryRefused, QueryResult, count_rows
from etl.tablefile import Written, megabytes

LABELS = {"csv": "CSV", "xlsx": "Excel", "parquet": "Parquet"}
QUERY_EXPORT_ROWS = 2_000_000  # an ad-hoc query's full-result download holds at most this many rows
NARROW_QUERY = "narrow the query: fewer or shorter columns, a WHERE, or a LIMIT"
NARROW_FILTERS = "narrow the rows with the filters or the search"


@dataclass(frozen=True)
class Ready:
    """A file made for this session, waiting on the shelf: for which export, and what it holds."""
    export: str
    fmt: str
    token: str
    written: Written
    size: int


def excel_fits(rows: int | None) -> bool:
    return rows is None or rows <= tablefile.EXCEL_MAX_ROWS


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def _prepare(make: Callable[[str, Path], Written], fmt: str, stem: str, key: str, export: str) -> None:
    try:
        with st.spinner(f"Making the {LABELS[fmt]} file…"):
            token, written, size = served.prepare(_session_id(), f"{stem}.{fmt}", tablefile.MIME[fmt],
                                                  functools.partial(make, fmt))
    except (served.Busy, QueryRefused) as exc:
        st.error(f"The {LABELS[fmt]} file could not be made: {exc}.")
        return
    st.session_state[f"{key}_ready"] = Ready(export, fmt, token, written, size)


def _offer(key: str, export: str, narrow: str) -> None:
    """The file made for this export, if any: its link, what it holds, and where it was cut."""
    ready = st.session_state.get(f"{key}_ready")
    if not isinstance(ready, Ready) or ready.export != export:
        return  # nothing made yet, or made for rows no longer on show
    label = LABELS[ready.fmt]
    st.link_button(f"Download {label} ({megabytes(ready.size)})", served.url(ready.token), type="primary",
                   icon=":material/download:")
    if ready.written.cut_bytes:
        st.warning(f"The {label} file was cut at {megabytes(ready.written.cut_bytes)}, after {ready.written.rows:,} rows: "
                   f"the result is larger than one download may be. To download it whole, {narrow}.")
    else:
        st.caption(f"The {label} file holds {ready.written.rows:,} rows. The link fetches it once, within "
                   f"{served.KEEP_SECONDS // 60} minutes; press Prepare again for another copy.")


def export_buttons(make: Callable[[str, Path], Written], stem: str, key: str, rows: int | None, export: str,
                   narrow: str = NARROW_FILTERS) -> None:
    """Prepare buttons for CSV, Excel and Parquet files of `rows` rows (None: not counted), each
    made by make(format, path) when pressed, then the link to the file made. `export` names what
    the rows are (store, query, filters): a file made for other rows is not offered."""
    formats = [fmt for fmt in tablefile.FORMATS if fmt != "xlsx" or excel_fits(rows)]
    if not excel_fits(rows):
        st.info(f"{rows:,} rows are more than an Excel worksheet holds ({tablefile.EXCEL_MAX_ROWS:,}): "
                "download CSV or Parquet, which hold every row.")
    pressed = [fmt for column, fmt in zip(st.columns(3), formats)
               if column.button(f"Prepare {LABELS[fmt]}", key=f"{key}_{fmt}", icon=":material/draft:",
                                help=f"Makes the file (at most {EXPORT_MAX_MB} MB), then offers it for download")]
    if pressed:
        _prepare(make, pressed[0], stem, key, export)
    _offer(key, export, narrow)


def query_export_buttons(db: Path, query: str, result: QueryResult, key: str) -> None:
    """Downloads of an ad-hoc query's result: the rows on show when they are all of it, else the
    full result (up to QUERY_EXPORT_ROWS), counted first and written by a query worker."""
    about = provenance(Query=query)
    export = f"{db}\n{query}"
    if not result.truncated:
        export_buttons(lambda fmt, path: frame_file(path, result.frame, fmt, about), "query", key, result.frame.height,
                       export, NARROW_QUERY)
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
    export_buttons(lambda fmt, path: query_file(path, db, query, fmt, about, QUERY_EXPORT_ROWS), "query", key, rows,
                   export, NARROW_QUERY)
