"""Downloads of a table: CSV, Excel and Parquet. A press of Prepare makes the file on disk, in
bounded memory and at most EXPORT_MAX_MB (app/exports.py), for the store and the rows on show when
the page ran; the page then says what it holds (and where it was cut) and links to it, served from
disk once (app/served.py). Excel is offered only while the rows fit on a worksheet; above that the
page says so and offers CSV and Parquet, which hold every row.

A file holds the table as it is on screen (its headers, UK dates), or with the toggle above the
buttons, column names and ISO dates for programs. A CSV is the table alone, so Excel, LibreOffice,
pandas and polars open it with their defaults; what made it, and where it was cut, is a small text
file offered beside it (Excel says so on its About sheet, Parquet in its metadata). A zip of the two
was the other way: it opens in none of those by a double-click or a plain read_csv."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app import served
from app.exports import EXPORT_MAX_MB, frame_file, provenance, query_file
from app.filenames import query_stem
from etl import tablefile
from etl.store.readonly import QueryRefused, QueryResult, count_rows
from etl.tablefile import Written, megabytes

LABELS = {"csv": "CSV", "xlsx": "Excel", "parquet": "Parquet"}
QUERY_EXPORT_ROWS = 2_000_000  # an ad-hoc query's full-result download holds at most this many rows
NARROW_QUERY = "narrow the query: fewer or shorter columns, a WHERE, or a LIMIT"
NARROW_FILTERS = "narrow the rows with the filters or the search"
MACHINE = "Column names and dates for machines (snake_case, ISO dates)"
FOR_PEOPLE = "as on the page (its headers, UK dates)"
FOR_MACHINES = "for machines (column names as stored, ISO dates)"
# make(format, path, provenance, for machines): the file written, and what it holds.
Make = Callable[[str, Path, dict[str, str], bool], Written]


@dataclass(frozen=True)
class Ready:
    """A file made for this session, waiting on the shelf: for which export, its name, what it
    holds, and what it says about itself (a CSV's sidecar)."""

    export: str
    fmt: str
    token: str
    written: Written
    size: int
    name: str
    about: str


def excel_fits(rows: int | None) -> bool:
    return rows is None or rows <= tablefile.EXCEL_MAX_ROWS


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def _prepare(make: Make, fmt: str, stem: str, about: dict[str, str], machine: bool, key: str, export: str) -> None:
    about = about | {"Column names and dates": FOR_MACHINES if machine else FOR_PEOPLE}
    name = f"{stem}.{fmt}"
    try:
        with st.spinner(f"Making the {LABELS[fmt]} file…"):
            token, written, size = served.prepare(_session_id(), name, tablefile.MIME[fmt], lambda path: make(fmt, path, about, machine))
    except (served.Busy, QueryRefused) as exc:
        st.error(f"The {LABELS[fmt]} file could not be made: {exc}.")
        return
    sidecar = tablefile.about_text({"File": name} | about, written)
    st.session_state[f"{key}_ready"] = Ready(export, fmt, token, written, size, name, sidecar)


def _offer(key: str, export: str, narrow: str) -> None:
    """The file made for this export, if any: its link (and a CSV's sidecar), what it holds, and
    where it was cut."""
    ready = st.session_state.get(f"{key}_ready")
    if not isinstance(ready, Ready) or ready.export != export:
        return  # nothing made yet, or made for rows no longer on show
    label = LABELS[ready.fmt]
    link, sidecar = st.columns([1, 1])
    link.link_button(
        f"Download {label} ({megabytes(ready.size)})", served.url(ready.token), type="primary", icon=":material/download:", help=ready.name
    )
    if ready.fmt == "csv":
        # A few hundred bytes: st.download_button holds it in memory, as it does a chart's image.
        sidecar.download_button(
            "About this file (.txt)",
            ready.about,
            file_name=f"{ready.name.removesuffix('.csv')}-about.txt",
            mime="text/plain",
            icon=":material/info:",
            on_click="ignore",
            key=f"{key}_about",
            help="What made the CSV: the store, the filters or query, when, and its rows",
        )
    if ready.written.cut_bytes:
        st.warning(
            f"The {label} file was cut at {megabytes(ready.written.cut_bytes)}, after {ready.written.rows:,} rows: "
            f"the result is larger than one download may be. To download it whole, {narrow}."
        )
    else:
        st.caption(
            f"The {label} file holds {ready.written.rows:,} rows. The link fetches it once, within "
            f"{served.KEEP_SECONDS // 60} minutes; press Prepare again for another copy."
        )


def export_buttons(
    make: Make, about: dict[str, str], stem: str, key: str, rows: int | None, export: str, narrow: str = NARROW_FILTERS
) -> None:
    """Prepare buttons for CSV, Excel and Parquet files of `rows` rows (None: not counted), named
    STEM.FORMAT, each made by make(format, path, about, for machines) when pressed, then the link
    to the file made; the toggle above them chooses for people or machines. `export` names what
    the rows are (store, query, filters): a file made for other rows, or the other way, is not offered."""
    formats = [fmt for fmt in tablefile.FORMATS if fmt != "xlsx" or excel_fits(rows)]
    if not excel_fits(rows):
        st.info(
            f"{rows:,} rows are more than an Excel worksheet holds ({tablefile.EXCEL_MAX_ROWS:,}): "
            "download CSV or Parquet, which hold every row."
        )
    # Above the buttons, on a line of its own: its label is read whole at any width.
    machine = st.toggle(
        MACHINE,
        key=f"{key}_machine",
        help="Off: the table as it is on screen, with its headers and dates such as 31 Dec 2024. "
        "On: column names as stored (report_date) and ISO dates (2024-12-31), for programs.",
    )
    pressed = [
        fmt
        for column, fmt in zip(st.columns(3), formats)
        if column.button(
            f"Prepare {LABELS[fmt]}",
            key=f"{key}_{fmt}",
            icon=":material/draft:",
            help=f"Makes the file (at most {EXPORT_MAX_MB} MB), then offers it for download",
        )
    ]
    export = f"{export}\n{'machines' if machine else 'people'}"
    if pressed:
        _prepare(make, pressed[0], stem, about, machine, key, export)
    _offer(key, export, narrow)


def query_export_buttons(db: Path, query: str, result: QueryResult, key: str) -> None:
    """Downloads of an ad-hoc query's result: the rows on show when they are all of it, else the
    full result (up to QUERY_EXPORT_ROWS), counted first and written by a query worker."""
    about, stem = provenance(Query=query), query_stem()
    export = f"{db}\n{query}"
    if not result.truncated:
        export_buttons(
            lambda fmt, path, about, machine: frame_file(path, result.frame, fmt, about, machine),
            about,
            stem,
            key,
            result.frame.height,
            export,
            NARROW_QUERY,
        )
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
    export_buttons(
        lambda fmt, path, about, machine: query_file(path, db, query, fmt, about, QUERY_EXPORT_ROWS, machine),
        about,
        stem,
        key,
        rows,
        export,
        NARROW_QUERY,
    )
