"""CSV exports (audit-management systems, a tracker saved as CSV) to the stream of rows.

The encoding is found from the bytes (a UTF-8 or UTF-16 byte-order mark, else UTF-8, else
Windows-1252, which every byte decodes in) and the delimiter by csv.Sniffer over the first lines,
among comma, semicolon, tab and pipe. Quoted cells may hold delimiters and line breaks. Every
record is a row; a line with one value in any column (a title above the header, a group's name) is
a one-cell row. A CSV
carries no as-at date of its own unless a line says so: the loader's --as-at or the manifest gives
it, and failing those the latest dated update."""
from __future__ import annotations

import csv as _csv
import html
import io
from pathlib import Path

from etl.extract.registry import HEAD_BYTES, InputKind, Progress
from etl.extract.rows import ExtractError, Row

MAX_BYTES = 200 * 1024 * 1024
MAX_FIELD = 1024 * 1024          # one cell; the csv module's default is 128 KB
_DELIMITERS = ",;\t|"
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_NOT_TEXT = ((b"%PDF", "a PDF"), (b"PK\x03\x04", "a ZIP package (an Excel workbook or Word document?)"),
             (b"\xd0\xcf\x11\xe0", "an Office binary file (an old .xls, or a password-protected workbook?)"))


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
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
    _csv.field_size_limit(MAX_FIELD)
    records = []
    try:
        for record in _csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', doublequote=True):
            cells = [html.escape(c.strip("\ufeff").strip(), quote=False) for c in record]
            if any(cells):
                records.append(cells)
    except _csv.Error as exc:
        raise ExtractError(f"the CSV file cannot be read ({exc})") from None
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


def _read(path: Path, progress: Progress | None) -> tuple[list[Row], int | None]:
    return extract_csv(path), None


KIND = InputKind(name="csv", label="CSV", suffixes=(".csv",), content_problem=content_problem, read=_read)
