"""Parsed-appendix text (.txt/.md/.html) to a stream of table rows.

Three shapes are read: tab-separated lines whose cells hold inline HTML (what document converters
emit), markdown pipe tables, and real HTML tables. Every line outside a table is a one-cell row, so
titles and section headings reach the assembler in document order."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from etl.extract.kind import HEAD_BYTES, InputKind
from etl.extract.rows import MAX_CELL_CHARS, MAX_CELLS_PER_ROW, ExtractError, Row, too_long

# Text saved as "Unicode" by Windows tools is UTF-16 (or, rarely, UTF-32) and says so with a
# byte-order mark; without one, a NUL byte means the file is not text. UTF-32 first: its
# little-endian mark begins with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(head: bytes) -> str | None:
    return next((encoding for bom, encoding in _WIDE_BOMS if head.startswith(bom)), None)


def content_problem(head: bytes) -> str | None:
    wide = _wide_encoding(head)
    if wide:
        text = head.decode(wide, errors="ignore")  # the head may end inside a character
        return "the file is binary, not text" if "\x00" in text else None
    if head.lstrip().startswith(b"%PDF") or b"\x00" in head[:HEAD_BYTES]:
        return "the file is binary, not text"
    return None


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    problem = content_problem(data[:HEAD_BYTES]) if data.strip() else None
    if problem:
        raise ExtractError(problem)
    wide = _wide_encoding(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise ExtractError(f"the file says it is {wide.upper()} but is not: {exc.reason}") from None
        if not text.strip():
            raise ExtractError("the file is empty")
        return text
    if not data.strip():
        raise ExtractError("the file is empty")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# A converter's mark between pages: an HTML comment naming a page ("<!-- PageBreak -->",
# "<!-- PageNumber="3" -->", "<!-- page 4 -->").
_PAGE_MARK = re.compile(r"^\s*<!--\s*page.*-->\s*$", re.IGNORECASE)


def extract_text(path: Path) -> list[Row]:
    text = read_text_file(path)
    if re.search(r"<table\b", text, re.IGNORECASE) and re.search(r"<td\b", text, re.IGNORECASE):
        return _html_table_rows(text)
    return _line_rows(text)


def _line_rows(text: str) -> list[Row]:
    """Rows of tab-separated or markdown text, each with the page chunk it sits in: converters
    write a document page by page, and a blank line, a form feed or a page mark comes between
    the chunks (a row cut by a page break goes on in the next chunk)."""
    rows = []
    chunk = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not raw or (raw.isspace() and "\f" not in raw):  # a blank line: a chunk ends, nothing more to look at
            chunk += 1
            continue
        for i, line in enumerate(raw.split("\f")):
            if i or not line.strip() or _PAGE_MARK.match(line):
                chunk += 1
            row = None if _PAGE_MARK.match(line) else _line_row(line)
            if row is not None:
                if len(row.cells) > MAX_CELLS_PER_ROW:
                    raise ExtractError(f"line {number} has {len(row.cells):,} cells (more than {MAX_CELLS_PER_ROW}): not an appendix table")
                row.chunk = chunk
                rows.append(row)
    return rows


_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _line_row(line: str) -> Row | None:
    if not line.strip():
        return None
    if "\t" in line:
        return Row(line.split("\t"))
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _PIPE_RULE.match(stripped):
            return None
        return Row([cell.strip() for cell in stripped[1:-1].split("|")])
    return Row([line])


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = dict(attrs).get(name) or "1"
    return max(1, min(int(value), 1000)) if value.strip().isdigit() else 1


class _TableParser(HTMLParser):
    """Rows of an HTML document: table rows as cells (inner HTML kept), other blocks as one cell.
    A data cell merged down (rowspan) gives its text to each row it spans, in its column; one
    merged across (colspan) is followed by empty cells. Header cells (th) are left as printed: a
    header in two rows is read by the assembler from its labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.rows: list[Row] = []
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
        self._loose: list[str] = []
        self._depth = 0
        self._spans = (1, 1)  # the open cell's rowspan and colspan
        self._carried: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, text)

    def _carry_into_row(self) -> None:
        """The texts of cells merged down from rows above, placed in the columns they hold."""
        assert self._cells is not None
        while len(self._cells) in self._carried:
            column = len(self._cells)
            left, text = self._carried[column]
            self._cells.append(text)
            if left > 1:
                self._carried[column] = (left - 1, text)
            else:
                del self._carried[column]

    def _flush_loose(self) -> None:
        text = "".join(self._loose).strip()
        if text:
            self.rows.append(Row([text]))
        self._loose = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._flush_loose()
            self._depth += 1
            self._carried = {}
        elif tag == "tr" and self._depth:
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._carry_into_row()
            self._cell = []
            self._spans = (_span(attrs, "rowspan"), _span(attrs, "colspan")) if tag == "td" else (1, 1)
        elif self._cell is not None:
            self._cell.append(self.get_starttag_text() or "")
        elif tag in ("p", "h1", "h2", "h3", "h4", "div", "br") and not self._depth:
            self._flush_loose()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._cells is not None:
            text = "".join(self._cell)
            rows, columns = self._spans
            if rows > 1:
                self._carried[len(self._cells)] = (rows - 1, text)
            self._cells.append(text)
            self._cells.extend([""] * (columns - 1))
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            if self._cells:
                self._carry_into_row()
            if any(c.strip() for c in self._cells):
                self.rows.append(Row(self._cells))
            self._cells = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
        elif self._cell is not None:
            self._cell.append(f"</{tag}>")
        elif tag in ("p", "h1", "h2", "h3", "h4", "div") and not self._depth:
            self._flush_loose()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self._loose.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


# Where one cell of a table ends and the next begins: the text between two of these is at most one cell.
_CELL_BOUNDARY = re.compile(r"</?(?:td|th|tr|table)\b[^<>]*>?", re.IGNORECASE)


def _html_table_rows(text: str) -> list[Row]:
    last = 0  # an over-long cell is refused before the HTML parser, which is slow per character, reads it
    for boundary in [*_CELL_BOUNDARY.finditer(text), None]:
        start = boundary.start() if boundary else len(text)
        if start - last > MAX_CELL_CHARS:
            raise too_long(f"line {text.count(chr(10), 0, last) + 1}", text[last:start])
        last = boundary.end() if boundary else start
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    parser._flush_loose()
    return parser.rows


KIND = InputKind(
    name="text",
    label="parsed text",
    suffixes=(".txt", ".md", ".html", ".htm"),
    content_problem=content_problem,
    read=lambda path, progress: (extract_text(path), None),
)
