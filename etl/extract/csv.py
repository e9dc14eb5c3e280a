"""CSV exports (audit-management systems, a tracker saved as CSV) to the stream of rows.

The encoding is found from the bytes (a UTF-8 or UTF-16 byte-order mark, else UTF-8, else
Windows-1252, which every byte decodes in) and the delimiter by csv.Sniffer over the first lines,
among comma, semicolon, tab and pipe. Quoted cells may hold delimiters and line breaks. Every
record is a row; a line with one value in any column (a title above the header, a group's name) is
a one-cell row. A CSV carries no as-at date of its own unless a line says so: the loader's --as-at
or the manifest gives it, and failing those the latest dated update.

A malformed file is refused with the line to look at, never read short: a quote left open (the
rest of the file, or every line up to a stray quote, would become one cell), a line of more cells
than any table has, bytes that are neither UTF-8 nor Windows-1252."""

from __future__ import annotations

import csv as _csv
import html
import io
from collections import Counter
from pathlib import Path

from etl.extract.kind import HEAD_BYTES, InputKind, Progress
from etl.extract.rows import MAX_CELLS_PER_ROW, ExtractError, Row

MAX_BYTES = 200 * 1024 * 1024
MAX_FIELD = 1024 * 1024  # one cell; the csv module's default is 128 KB
MAX_CELL_LINES = 1_000  # a cell of more lines is a quote left open, not a recommendation
SWALLOWED_ROWS = 2  # lines inside one cell that read as whole rows of the table
_NOT_CP1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}  # the five bytes Windows-1252 leaves undefined
_DELIMITERS = ",;\t|"
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_NOT_TEXT = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP package (an Excel workbook or Word document?)"),
    (b"\xd0\xcf\x11\xe0", "an Office binary file (an old .xls, or a password-protected workbook?)"),
)


def content_problem(head: bytes) -> str | None:
    for magic, what in _NOT_TEXT:
        if head.lstrip()[:8].startswith(magic):
            return f"not a CSV file: the file is {what}"
    if any(head.startswith(bom) for bom, encoding in _BOMS if encoding == "utf-16"):
        return None
    if b"\x00" in head[:HEAD_BYTES]:
        return "not a CSV file: the file is binary, not text"
    return None


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ExtractError(f"the CSV file is damaged: it starts as {encoding.upper()} but is not") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if any(ord(c) > 127 and c != "\ufffd" for c in data.decode("utf-8", errors="replace")):
        raise ExtractError(
            f"the CSV file is UTF-8 text but line {_line_of(data, first_bad)} holds bytes that are not "
            f"UTF-8 ({data[first_bad : first_bad + 4]!r}): save it again as UTF-8"
        ) from None
    undefined = next((i for i, byte in enumerate(data) if byte in _NOT_CP1252), None)
    if undefined is not None:
        raise ExtractError(
            f"the CSV file's encoding is not known: line {_line_of(data, undefined)} holds the byte "
            f"{data[undefined]:#04x}, which is neither UTF-8 nor Windows-1252 text: save it again as UTF-8"
        )
    return data.decode("cp1252")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def delimiter(text: str) -> str:
    """The delimiter csv.Sniffer finds in the first lines, or failing it (very uneven lines) the
    candidate found most often outside quotes."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return _csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except _csv.Error:
        pass
    bare = _outside_quotes(sample)
    counts = {d: bare.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _outside_quotes(text: str) -> str:
    out, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            out.append(ch)
    return "".join(out)


def extract_csv(path: Path) -> list[Row]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ExtractError(f"the CSV file is {size / 2**20:,.0f} MB (more than {MAX_BYTES // 2**20} MB): too large to be an appendix")
    data = path.read_bytes()
    if not data.strip():
        raise ExtractError("the file is empty")
    problem = content_problem(data[:HEAD_BYTES])
    if problem:
        raise ExtractError(problem)
    text = decode(data)
    sep = delimiter(text)
    records = _records(text, sep)
    # A line holding one value is a title or a heading, wherever the value stands (a system writes a
    # directorate or status group's name in the column it groups by): one cell. A CSV record never
    # continues the one above (a quoted cell holds its own line breaks), so no such row is a record's
    # rest. Every other row is positional: a row cut short (an export leaving out empty trailing
    # fields) is padded to the widest row, so no cell moves to another column.
    width = max((len(cells) for cells in records if sum(1 for c in cells if c) >= 2), default=0)
    rows = []
    for cells in records:
        filled = [c for c in cells if c]
        if len(filled) == 1 or len(filled) == 2 and filled[0].endswith(":"):
            # one value, or a label and its value ("Report run:", "2025-10-03 08:14"): one line
            rows.append(Row([" ".join(filled)]))
        else:
            rows.append(Row(cells + [""] * (width - len(cells))))
    return rows


def _records(text: str, sep: str) -> list[list[str]]:
    """The non-blank records of the file, each checked against the lines it was read from."""
    _csv.field_size_limit(MAX_FIELD)
    lines = list(io.StringIO(text, newline=""))  # split where the csv module splits: \n, \r, \r\n
    # strict: a quote that closes a cell must end it, so quotes that pair up wrongly (one left
    # open, the next cell's opening quote taken as its close) stop the reading at the line
    reader = _csv.reader(lines, delimiter=sep, quotechar='"', doublequote=True, strict=True)
    spans: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if len(record) > MAX_CELLS_PER_ROW:
                raise ExtractError(
                    f"line {start} of the CSV file has {len(record):,} cells (more than {MAX_CELLS_PER_ROW}): not an appendix table"
                )
            spans.append((start, record))
            start = reader.line_num + 1
    except _csv.Error as exc:
        raise ExtractError(_quote_problem(exc, start, reader.line_num, len(lines))) from None
    width = _usual_width(spans)
    _check_quotes(spans, sep, width)
    _check_ragged(spans, width)
    records = []
    for _, record in spans:
        cells = [html.escape(c.strip("\ufeff").strip(), quote=False) for c in record]
        if any(cells):
            records.append(cells)
    return records


def _quote_problem(exc: _csv.Error, start: int, stopped: int, lines: int) -> str:
    """What a strict reading's error means, for the record that began on line `start`."""
    if "end of data" in str(exc):
        return (
            f"line {start} of the CSV file opens a quoted cell that is never closed: the rest of the file "
            f'({lines - start + 1:,} lines) would be one cell; close the quote, or double it ("") where it is '
            "part of the text"
        )
    if "field larger" in str(exc):
        return f"line {start} of the CSV file starts a cell of more than {MAX_FIELD:,} characters: not an appendix cell"
    where = f"line {stopped}" if stopped == start else f"lines {start}-{stopped} (a quote left open on line {start}?)"
    return (
        f"the quotes of the CSV file do not pair up at {where}: a quoted cell must end at a delimiter or the "
        f'line\'s end, and a quote inside a cell is doubled ("") ({exc})'
    )


def _usual_width(spans: list[tuple[int, list[str]]]) -> int:
    """The number of cells most rows of two or more values have: the table's width."""
    widths = Counter(len(record) for _, record in spans if sum(1 for c in record if c.strip()) >= 2)
    return max(widths, key=lambda w: (widths[w], w), default=0)


def _check_ragged(spans: list[tuple[int, list[str]]], width: int) -> None:
    """Refuse a row with text beyond the table's last column: a delimiter left unquoted in a cell,
    which would move every later cell of the row into the wrong column. (Empty cells past the end,
    a trailing delimiter, are harmless; a row cut short is padded.)"""
    for start, record in spans:
        beyond = [c for c in record[width:] if c.strip()]
        if width >= 3 and beyond:
            raise ExtractError(
                f"line {start} of the CSV file has {len(record)} cells where the table's rows have {width}"
                f" (text past the last column: {beyond[0][:40]!r}): a delimiter inside a cell that is "
                "not quoted? Quote that cell"
            )


def _check_quotes(spans: list[tuple[int, list[str]]], sep: str, width: int) -> None:
    """Refuse a quoted cell that took in what were meant as rows: one holding lines that read as
    whole rows of the table (a quote left open, closed by a stray one far below), or one far
    longer than any cell."""
    for start, record in spans:
        for number, cell in enumerate(record):
            breaks = cell.count("\n")
            if not breaks:
                continue
            inner = cell.split("\n")[1:-1]
            rows = sum(1 for line in inner if width >= 3 and len(next(_csv.reader([line], delimiter=sep), [])) >= width)
            if breaks > MAX_CELL_LINES or rows >= SWALLOWED_ROWS:
                opened = _opening_line(start, record[: number + 1])
                what = (
                    f"{rows:,} lines that read as rows of the table"
                    if rows >= SWALLOWED_ROWS
                    else f"{breaks + 1:,} lines, more than any cell holds"
                )
                raise ExtractError(
                    f"line {opened} of the CSV file opens a quoted cell that runs to line "
                    f"{opened + breaks} and holds {what}: a quote left open? Close it, or double it "
                    '("") where it is part of the text'
                )


def _opening_line(start: int, record: list[str]) -> int:
    """The line on which a record's last cell begins: the record's first line and the line
    breaks inside the cells before it."""
    return start + sum(cell.count("\n") for cell in record[:-1])


def _read(path: Path, progress: Progress | None) -> tuple[list[Row], int | None]:
    return extract_csv(path), None


KIND = InputKind(name="csv", label="CSV", suffixes=(".csv",), content_problem=content_problem, read=_read)
