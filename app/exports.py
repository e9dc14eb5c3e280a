"""The dashboard's downloads as files, made in bounded memory and bounded in size: a page query
streamed from DuckDB, a result already on the page, or an ad-hoc query streamed by its worker,
batch by batch into a file on disk (etl/tablefile.py) of at most EXPORT_MAX_MB, which
app/served.py then hands to the browser from disk. Each is given the store it reads, chosen while
the page ran: the file holds the rows of the store on show, whichever thread makes it.

Each is made for people (the page's headers, UK dates: the table as it is on screen) or, with
`machine`, for programs (column names as they are, ISO dates)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa

from app.data import QueryParams, connection, sql_file
from app.text import header
from etl import tablefile
from etl.store.readonly import export_query
from etl.tablefile import Written

EXPORT_MAX_MB = 200  # what one download may hold: a larger result is cut there, and the page says so
EXPORT_MAX_BYTES = EXPORT_MAX_MB * 1024 * 1024


def provenance(**entries: str) -> dict[str, str]:
    """What every file says about itself: what made it and when, then the filters or query."""
    return tablefile.produced() | entries


def _columns(reader: pa.RecordBatchReader, shown: tuple[str, ...], hidden: tuple[str, ...]) -> pa.RecordBatchReader:
    """The columns the page shows first, in its order, then the others but those hidden."""
    names = reader.schema.names
    keep = [n for n in shown if n in names] + [n for n in names if n not in shown and n not in hidden]
    return pa.RecordBatchReader.from_batches(pa.schema([reader.schema.field(n) for n in keep]), (batch.select(keep) for batch in reader))


def page_query_file(
    target: Path,
    db: Path,
    name: str,
    params: QueryParams,
    fmt: str,
    about: dict[str, str],
    hidden: tuple[str, ...] = (),
    machine: bool = False,
    shown: tuple[str, ...] = (),
) -> Written:
    """sql/queries/NAME.sql on the store `db` with `params`, every row up to EXPORT_MAX_MB, into
    `target`: the rows go from DuckDB to the file a batch at a time, headed as the page heads them
    (app/text.py HEADERS) unless `machine`; the columns the page `shown` first, in its order, and
    those `hidden` left out."""
    cursor = connection(db).cursor()
    try:
        reader = _columns(cursor.sql(sql_file(name), params=params).to_arrow_reader(tablefile.BATCH_ROWS), shown, hidden)
        with target.open("wb") as out:
            return tablefile.write_table(
                reader, fmt, out, about, header=str if machine else header, max_bytes=EXPORT_MAX_BYTES, uk_dates=not machine
            )
    finally:
        cursor.close()


def frame_file(target: Path, frame: pl.DataFrame, fmt: str, about: dict[str, str], machine: bool = False) -> Written:
    """A small result already on the page, into `target` (its column names as they are: the SQL
    page shows a query's names as the analyst wrote them)."""
    with target.open("wb") as out:
        return tablefile.write_table(tablefile.frame_reader(frame), fmt, out, about, max_bytes=EXPORT_MAX_BYTES, uk_dates=not machine)


def query_file(target: Path, db: Path, query: str, fmt: str, about: dict[str, str], max_rows: int, machine: bool = False) -> Written:
    """An ad-hoc query's full result into `target`, written by its query worker (within the
    read-only executor's limits, cut at EXPORT_MAX_MB there): the rows never pass through the
    server's memory."""
    return export_query(db, query, fmt, target, about, max_rows, max_bytes=EXPORT_MAX_BYTES, uk_dates=not machine)
