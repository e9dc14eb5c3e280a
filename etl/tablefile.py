"""A table written to a file in bounded memory: CSV, Excel (a real .xlsx) or Parquet, from Arrow
record batches read one at a time (from DuckDB, a query worker or a frame).

Used by the dashboard's downloads, the SQL page's full-result export (inside the query worker) and
`python -m etl sql --format csv`. Memory stays near one batch whatever the row count: CSV and
Parquet are appended batch by batch, and Excel is written by xlsxwriter in constant_memory mode
(each row flushed to disk as it is written). Given max_bytes, a file is cut on a row's end before
it passes that size (CSV by the bytes written; Excel and Parquet, which compress, by the rows'
uncompressed data) and says so (Written.cut_bytes). Document text is data in every format: CSV cells and
headers that a spreadsheet would run as a formula are neutralised, and Excel cells are written as
strings, never formulas or links.

Columns are named by `header` (a page's readable headers, or the names as they are) and dates
written the UK way ("31 Dec 2024", as pages show them) or as ISO dates for machines (`uk_dates`).
A CSV is the table alone, its header on the first line, so every reader opens it with its defaults;
what produced it (and where it was cut) is `about_text`, a sidecar file the page offers beside it.
Excel says so on its About sheet, Parquet in its key-value metadata."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

import polars as pl
import pyarrow as pa

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# How one value of a column goes into a cell (sheet, row, column, value); values come from pyarrow.
CellWriter = Callable[["Worksheet", int, int, Any], object]

FORMATS = ("csv", "xlsx", "parquet")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
EXCEL_MAX_ROWS = 1_048_575  # a worksheet's 1,048,576 rows, less the header
BATCH_ROWS = 10_000  # rows read at a time: memory stays near one batch of the widest rows
# Excel shows a date cell with a number format; these read "31 Dec 2024" and "31 Dec 2024, 14:05",
# or for machines "2024-12-31" and "2024-12-31 14:05:00".
EXCEL_DATE = "d mmm yyyy"
EXCEL_DATETIME = "d mmm yyyy, hh:mm"
EXCEL_ISO_DATE = "yyyy-mm-dd"
EXCEL_ISO_DATETIME = "yyyy-mm-dd hh:mm:ss"
# A CSV's dates as pages show them (app/text.py UK_DATE and UK_DATETIME).
UK_DATE_TEXT = "%-d %b %Y"
UK_DATETIME_TEXT = "%-d %b %Y, %H:%M"

# OWASP's advice on CSV injection: a cell that begins with one of these is read by a spreadsheet
# as a formula (or, for tab and carriage return, can be made to); a leading single quote makes it
# text. Only text cells are touched, so numbers and dates stay numbers and dates.
FORMULA_START = "=+-@\t\r"
_FORMULA_START = r"^[=+\-@\t\r]"  # FORMULA_START as a pattern
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Written:
    rows: int
    more: bool  # the source held more rows than were written (cut at max_rows or max_bytes)
    cut_bytes: int | None = None  # the byte cap that cut the file, when it did


def megabytes(size: int) -> str:
    """A size for a message: "200 MB", "1.5 MB", and below a tenth of a megabyte "19 KB" (never "0.0 MB")."""
    if size < 100 * 1024:
        return f"{-(-size // 1024):,} KB"
    mb = size / (1024 * 1024)
    return f"{mb:,.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def neutral_text(value: str) -> str:
    """A header or text cell as a spreadsheet must take it: as the characters it is."""
    return "'" + value if value[:1] and value[0] in FORMULA_START else value


def flatten_nested(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists as 'a > b > c' and structs as JSON, for formats that hold one value per cell."""
    nested = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.List, pl.Array, pl.Struct))]
    return frame.with_columns(
        pl.col(n).struct.json_encode() if isinstance(frame.schema[n], pl.Struct) else pl.col(n).cast(pl.List(pl.String)).list.join(" > ")
        for n in nested
    )


def column_names(names: list[str], header: Callable[[str], str] = str) -> list[str]:
    """Each column's name in a file: header(name), unless another column took it already (two
    columns of one name would confuse every reader); then the name as it is."""
    taken: set[str] = set()
    chosen = []
    for name in names:
        wanted = header(name)
        chosen.append(name if wanted in taken else wanted)
        taken.add(chosen[-1])
    return chosen


def _csv_cells(frame: pl.DataFrame, uk_dates: bool) -> pl.DataFrame:
    """Lists flattened, text unable to start a formula, and dates as text in the chosen way
    (written here, not by write_csv's date_format, so a date holding a comma is quoted)."""
    flat = flatten_nested(frame)
    text = [name for name, dtype in flat.schema.items() if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)]
    # For machines polars writes ISO dates and times (with any fraction of a second) itself.
    dates = [
        pl.col(name).dt.strftime(UK_DATE_TEXT if dtype == pl.Date else UK_DATETIME_TEXT)
        for name, dtype in flat.schema.items()
        if uk_dates and (dtype == pl.Date or isinstance(dtype, pl.Datetime))
    ]
    return flat.with_columns(
        *dates,
        *(
            pl.when(pl.col(name).cast(pl.String).str.contains(_FORMULA_START))
            .then(pl.lit("'") + pl.col(name).cast(pl.String))
            .otherwise(pl.col(name).cast(pl.String))
            .alias(name)
            for name in text
        ),
    )


def _fitting(frame: pl.DataFrame, room: int, encode: Callable[[pl.DataFrame], Any], size: Callable[[Any], int]) -> tuple[pl.DataFrame, Any]:
    """The longest head of `frame` whose encoding is at most `room` bytes, with that encoding:
    guessed from the mean row size, then shrunk until it fits (rows differ in width)."""
    encoded = encode(frame)
    rows = frame.height
    while rows and size(encoded) > room:
        rows = min(rows - 1, int(rows * room / size(encoded)))
        frame = frame.head(rows)
        encoded = encode(frame)
    return frame, encoded


def _pieces(
    reader: pa.RecordBatchReader,
    max_rows: int | None,
    max_bytes: int | None = None,
    encode: Callable[[pl.DataFrame], Any] = lambda frame: frame,
    size: Callable[[Any], int] = lambda frame: frame.estimated_size(),
    spent: int = 0,
) -> tuple[Iterable[Any], Callable[[], Written]]:
    """The reader's batches as frames, each encoded by `encode` (what the writer writes), stopping
    after max_rows rows or before the encoded pieces pass max_bytes (`spent` bytes are written
    already); and, once they are used up, what was written and whether more rows remained."""
    rows, more, cut = 0, False, None

    def pieces() -> Iterable[Any]:
        nonlocal rows, more, cut, spent
        for batch in reader:
            if max_rows is not None and rows + batch.num_rows > max_rows:
                batch, more = batch.slice(0, max_rows - rows), True
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            encoded = encode(frame)
            if max_bytes is not None and spent + size(encoded) > max_bytes:
                frame, encoded = _fitting(frame, max_bytes - spent, encode, size)
                more, cut = True, max_bytes
            rows, spent = rows + frame.height, spent + size(encoded)
            if frame.height:
                yield encoded
            if more:
                return

    return pieces(), lambda: Written(rows, more, cut)


def cut_note(written: Written) -> str:
    """What a file cut at its byte cap says about it."""
    return (
        f"the file was cut at {megabytes(written.cut_bytes or 0)} after {written.rows:,} rows; "
        "the result holds more: narrow it (fewer columns, a WHERE, a LIMIT, or the filters) to download it whole"
    )


def about_entries(provenance: dict[str, str] | None, written: Written) -> dict[str, str]:
    """What a file says about itself: what produced it, the rows it holds, and where it was cut."""
    entries = {**(provenance or {}), "Rows": f"{written.rows:,}"}
    if written.cut_bytes:
        entries["Cut"] = cut_note(written)
    elif written.more:
        entries["Cut"] = f"the result has more rows than the {written.rows:,} written here" + (
            " (Excel's limit): download CSV or Parquet for every row" if written.rows == EXCEL_MAX_ROWS else ""
        )
    return entries


def about_text(provenance: dict[str, str] | None, written: Written) -> str:
    """A CSV's sidecar: one "Key: value" line per entry of about_entries, for people to read."""
    return "".join(f"{key}: {value}\n" for key, value in about_entries(provenance, written).items())


def write_csv(
    reader: pa.RecordBatchReader,
    out: BinaryIO,
    max_rows: int | None = None,
    bom: bool = True,
    max_bytes: int | None = None,
    header: Callable[[str], str] = str,
    uk_dates: bool = False,
) -> Written:
    """UTF-8 with a byte-order mark (so Excel does not read it as the local code page); the header
    on the first line, then the rows, text cells unable to start a formula. Nothing else: a line
    of provenance before the header, or a note after the last row, breaks readers' defaults.
    Cut at max_bytes, on a row's end (Written says so)."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([neutral_text(n) for n in column_names(reader.schema.names, header)])
    head = (UTF8_BOM if bom else b"") + line.getvalue().encode("utf-8")
    out.write(head)
    encode = functools.partial(_csv_bytes, uk_dates=uk_dates)
    pieces, written = _pieces(reader, max_rows, max_bytes, encode=encode, size=len, spent=len(head))
    for piece in pieces:
        out.write(piece)
    return written()


def _csv_bytes(frame: pl.DataFrame, uk_dates: bool) -> bytes:
    return _csv_cells(frame, uk_dates).write_csv(include_header=False).encode("utf-8")


def write_parquet(
    reader: pa.RecordBatchReader,
    out: BinaryIO,
    provenance: dict[str, str] | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    header: Callable[[str], str] = str,
) -> Written:
    """Every type kept (dates are dates, whichever way a page shows them); the provenance, the
    rows and any cut in the file's key-value metadata; a row group per batch. Cut once the rows
    written hold max_bytes of data (counted uncompressed, so the file, which Parquet encodes and
    compresses, is smaller)."""
    import pyarrow.parquet as pq

    names = column_names(reader.schema.names, header)
    fields = [field.with_name(name) for field, name in zip(reader.schema, names)]
    schema = pa.schema(fields, metadata={**(reader.schema.metadata or {}), **(provenance or {})})
    frames, written = _pieces(reader, max_rows, max_bytes)
    with pq.ParquetWriter(out, schema) as parquet:
        for frame in frames:
            parquet.write_table(frame.to_arrow().rename_columns(names).cast(schema))
        result = written()
        parquet.add_key_value_metadata(about_entries(None, result))
    return result


def _excel_writers(workbook: Workbook, schema: pa.Schema, uk_dates: bool) -> list[CellWriter]:
    """For each column, how one of its values is written: dates as dates shown the UK way (or
    the ISO way), numbers as numbers, text always as a string."""
    date_format = workbook.add_format({"num_format": EXCEL_DATE if uk_dates else EXCEL_ISO_DATE})
    datetime_format = workbook.add_format({"num_format": EXCEL_DATETIME if uk_dates else EXCEL_ISO_DATETIME})
    writers: list[CellWriter] = []
    for field in schema:
        kind = field.type
        if pa.types.is_date(kind):
            writers.append(lambda sheet, row, col, value: sheet.write_datetime(row, col, value, date_format))
        elif pa.types.is_timestamp(kind):
            writers.append(lambda sheet, row, col, value: sheet.write_datetime(row, col, value, datetime_format))
        elif pa.types.is_boolean(kind):
            writers.append(lambda sheet, row, col, value: sheet.write_boolean(row, col, value))
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            writers.append(lambda sheet, row, col, value: sheet.write_number(row, col, value))
        else:
            writers.append(lambda sheet, row, col, value: sheet.write_string(row, col, str(value)))
    return writers


def _width(values: Iterable[object]) -> int:
    return min(60, max([10, *(len(str(v)) + 2 for v in values if v is not None)]))


def write_xlsx(
    reader: pa.RecordBatchReader,
    out: BinaryIO,
    provenance: dict[str, str] | None = None,
    max_rows: int | None = None,
    header: Callable[[str], str] = str,
    max_bytes: int | None = None,
    uk_dates: bool = False,
) -> Written:
    """Data on the first sheet (header frozen and filterable, dates as dates shown the UK way or
    the ISO way, widths from the first rows); on the second, what produced it. At most
    EXCEL_MAX_ROWS rows (or max_rows), and rows holding at most max_bytes of data (counted
    uncompressed: the workbook is zipped)."""
    import xlsxwriter

    limit = EXCEL_MAX_ROWS if max_rows is None else min(max_rows, EXCEL_MAX_ROWS)
    # Document text is data: a cell starting "=" or holding a URL must stay a string, never a
    # formula or a live link. constant_memory flushes each row to disk once the next is begun.
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
        "nan_inf_to_errors": True,
    }
    frames, written = _pieces(reader, limit, max_bytes)
    with xlsxwriter.Workbook(out, options) as workbook:
        data = workbook.add_worksheet("Data")
        bold = workbook.add_format({"bold": True})
        names = reader.schema.names
        headers = column_names(names, header)
        writers = _excel_writers(workbook, reader.schema, uk_dates)
        row = 0
        for frame in map(flatten_nested, frames):
            if row == 0:  # widths must be set before the first row is flushed
                for col, name in enumerate(names):
                    data.set_column(col, col, _width([headers[col], *frame[name].head(200).to_list()]))
                for col, title in enumerate(headers):
                    data.write_string(0, col, title, bold)
            for values in frame.iter_rows():
                row += 1
                for col, value in enumerate(values):
                    if value is not None:
                        writers[col](data, row, col, value)
        if row == 0:
            for col, title in enumerate(headers):
                data.write_string(0, col, title, bold)
        data.freeze_panes(1, 0)
        if names:
            data.autofilter(0, 0, row, len(names) - 1)
        result = written()
        about = workbook.add_worksheet("About")
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        for index, (key, value) in enumerate(about_entries(provenance, result).items()):
            about.write_string(index, 0, key, bold)
            about.write_string(index, 1, value, wrap)
        about.set_column(0, 0, 18)
        about.set_column(1, 1, 100)
    return result


def write_table(
    reader: pa.RecordBatchReader,
    fmt: str,
    out: BinaryIO,
    provenance: dict[str, str] | None = None,
    max_rows: int | None = None,
    header: Callable[[str], str] = str,
    max_bytes: int | None = None,
    uk_dates: bool = False,
) -> Written:
    """The rows of `reader` into `out` as `fmt` (csv, xlsx or parquet), columns named by
    `header`, dates the UK way or ISO, cut at max_rows rows or max_bytes bytes (see each writer for
    how it counts them). A CSV holds the table alone: its provenance is about_text(provenance,
    the Written returned), for a sidecar."""
    if fmt == "csv":
        return write_csv(reader, out, max_rows, max_bytes=max_bytes, header=header, uk_dates=uk_dates)
    if fmt == "xlsx":
        return write_xlsx(reader, out, provenance, max_rows, header, max_bytes, uk_dates)
    if fmt == "parquet":
        return write_parquet(reader, out, provenance, max_rows, max_bytes, header)
    raise ValueError(f"unknown export format {fmt!r}")


def produced(at: datetime | None = None) -> dict[str, str]:
    """The provenance every file starts with: what made it and when (a UK date and time)."""
    at = at or datetime.now()
    return {"Produced by": "slippage", "Produced at": f"{at.day} {at:%b %Y, %H:%M}"}


def frame_reader(frame: pl.DataFrame) -> pa.RecordBatchReader:
    """A frame already in memory, read like any other source."""
    table = frame.to_arrow()
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(BATCH_ROWS))
