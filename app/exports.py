"""The dashboard's downloads as files, made in bounded memory: a page query streamed from DuckDB,
or an ad-hoc query streamed by its worker, batch by batch into a temporary file
(etl/tablefile.py), whose bytes are handed to Streamlit once the file is complete. Nothing here
holds more than a batch of rows; Streamlit keeps the finished file until the session moves on."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa

from app.data import connection, sql_file
from app.text import header
from etl import tablefile
from etl.store.readonly import export_query


def provenance(**entries: str) -> dict[str, str]:
    """What every file says about itself: what made it and when, then the filters or query."""
    return tablefile.produced() | entries


def _made(write: Callable[[Path], object]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="slippage-export-") as folder:
        path = Path(folder) / "export"
        write(path)
        return path.read_bytes()


def _without(reader: pa.RecordBatchReader, hidden: tuple[str, ...]) -> pa.RecordBatchReader:
    keep = [name for name in reader.schema.names if name not in hidden]
    return pa.RecordBatchReader.from_batches(pa.schema([reader.schema.field(n) for n in keep]),
                                             (batch.select(keep) for batch in reader))


def page_query_file(name: str, params: dict, fmt: str, about: dict[str, str], hidden: tuple[str, ...] = ()) -> bytes:
    """sql/queries/NAME.sql with `params`, every row, as a file: the rows go from DuckDB to the
    file a batch at a time (Excel with readable headers); columns in `hidden` are left out."""
    cursor = connection().cursor()
    try:
        reader = _without(cursor.sql(sql_file(name), params=params).to_arrow_reader(tablefile.BATCH_ROWS), hidden)

        def write(path: Path) -> None:
            with path.open("wb") as out:
                tablefile.write_table(reader, fmt, out, about, header=header)

        return _made(write)
    finally:
        cursor.close()


def frame_file(frame: pl.DataFrame, fmt: str, about: dict[str, str]) -> bytes:
    """A small result already on the page, as a file."""
    def write(path: Path) -> None:
        with path.open("wb") as out:
            tablefile.write_table(tablefile.frame_reader(frame), fmt, out, about)

    return _made(write)


def query_file(db: Path, query: str, fmt: str, about: dict[str, str], max_rows: int) -> bytes:
    """An ad-hoc query's full result as a file, written by its query worker (within the
    read-only executor's limits): the rows never pass through the server's memory."""
    return _made(lambda path: export_query(db, query, fmt, path, about, max_rows))
