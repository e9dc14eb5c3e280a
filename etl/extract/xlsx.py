"""Excel workbooks (.xlsx, .xlsm) to the same stream of rows the text and PDF extractors give.

The table is on the sheet whose header the layouts can map (every such sheet, in order, when there
are several); other sheets, such as a risk "Key", give their lines as one-cell rows after the table
(where a paper prints its key), so a key printed there can be read with the notes.

What a cell says is what Excel prints: a real date cell becomes an ISO date ("2025-03-31", read
without day/month guessing), or "March 2025" when its format shows only the month (month-only dates
mean the month's end); a whole number is "61", not "61.0"; a percentage "75%". Rows above the header
are title lines, each one line of text ("Position as at" beside a date cell is "Position as at 31
March 2025"). A merged cell's text stands in its first cell and the cells it covers are empty, as in
a PDF table: a section row merged across the table is a one-cell row, and a header printed in two
rows ("Target date" over "Original | Revised") reaches the assembler as two rows. A bold first line
inside a cell is kept as <b>...</b>. Hidden rows are read like any others (a filter hides records,
it does not close them); hidden columns are a tracker's helper columns and are left out; empty
rows and colour fills give nothing. Where several sheets hold tables, each sheet's name follows its
header as the heading of its rows (a sheet per directorate or service; "Sheet1" names nothing).

Read with openpyxl's full model (number formats, merged cells, hidden rows and rich text need it;
bench/xlsx_readers.py measures it against calamine), after the package checks of ooxml.py and a
streaming count of every sheet's cells, so a workbook too big to be an appendix is refused before
the model is built."""

from __future__ import annotations

import bisect
import html
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from etl.cleantext import clean_cell
from etl.dates import date_reader
from etl.extract.kind import InputKind, Progress
from etl.extract.ooxml import EXCEL, check_package, head_problem
from etl.extract.rows import ExtractError, Row
from etl.extract.tables import CARD_ROWS, HEADER_SCAN_ROWS, best_header, card_rows
from etl.layouts.config import Layouts, load_layouts

if TYPE_CHECKING:
    from openpyxl.cell.rich_text import CellRichText
    from openpyxl.worksheet.worksheet import Worksheet

    from etl.layouts.config import Layouts

    # What openpyxl gives as a cell's value (openpyxl ships no type hints: its classes are Any here).
    CellValue: TypeAlias = CellRichText | str | int | float | bool | date | datetime | time | None

MAX_CELLS = 1_000_000  # cells stored in the whole workbook (the full model holds ~0.6 KB each)
MAX_ROWS = 200_000  # rows of one sheet holding anything
MAX_COLUMNS = 512  # the last column a cell may hold text in

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def content_problem(head: bytes) -> str | None:
    return head_problem(head, EXCEL)


# -- the streaming count, before the model is built --------------------------------------------
def _column_number(ref: str) -> tuple[int, int]:
    m = re.match(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref or "")
    if not m:
        return 0, 0
    column = 0
    for ch in m.group(1).upper():
        column = column * 26 + ord(ch) - 64
    return column, int(m.group(2))


def _count_cells(path: Path) -> None:
    """Refuses a workbook whose sheets store more cells or rows than an appendix could have, or
    text far outside any table (a huge sparse sheet), before openpyxl builds its model."""
    from lxml import etree

    total = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            rows = 0
            with archive.open(name) as fh:
                parser = etree.iterparse(
                    fh, events=("end",), tag=(_NS + "row", _NS + "c"), resolve_entities=False, no_network=True, huge_tree=False
                )
                try:
                    for _, el in parser:
                        if el.tag == _NS + "c":
                            total += 1
                            if total > MAX_CELLS:
                                raise ExtractError(
                                    f"the workbook stores more than {MAX_CELLS:,} cells: too large to be an appendix (refused)"
                                )
                            if len(el):  # a cell holding a value, not only a style
                                column, row = _column_number(el.get("r", ""))
                                if column > MAX_COLUMNS or row > MAX_ROWS:
                                    raise ExtractError(
                                        f"the workbook has a value in cell {el.get('r')}, beyond column "
                                        f"{MAX_COLUMNS} or row {MAX_ROWS:,}: too large to be an appendix (refused)"
                                    )
                        else:
                            rows += 1
                            if rows > MAX_ROWS:
                                raise ExtractError(
                                    f"a sheet of the workbook has more than {MAX_ROWS:,} rows: too large to be an appendix (refused)"
                                )
                            el.clear()
                except etree.XMLSyntaxError:
                    raise ExtractError("the workbook is damaged and cannot be read (a sheet is not well-formed XML)") from None


# -- what a cell says ------------------------------------------------------------------------
def _strip_format(number_format: str) -> str:
    """A number format without its quoted text, escapes and [colour]/[locale] sections."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format or "")
    return fmt.split(";")[0].lower()


def _date_text(value: date, number_format: str, words: bool) -> str:
    """A date as the ETL reads it: ISO (or '31 March 2025' in a title line); the month alone when
    the format shows no day."""
    fmt = _strip_format(number_format)
    if "m" in fmt and "y" in fmt and "d" not in fmt:
        return value.strftime("%B %Y")
    if words:
        return f"{value.day} {value.strftime('%B %Y')}"
    return value.isoformat()


def _number_text(value: float | int, number_format: str) -> str:
    fmt = _strip_format(number_format)
    if "%" in fmt:
        places = len(m.group(1)) if (m := re.search(r"\.(0+)", fmt)) else 0
        return f"{value * 100:.{places}f}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    decimals = re.search(r"\.(0+)", fmt)
    grouping = "," if "#,##" in fmt or "0,0" in fmt else ""
    if decimals:
        return f"{value:{grouping}.{len(decimals.group(1))}f}"
    if isinstance(value, int):
        return f"{value:{grouping}d}"
    return repr(round(value, 10))


def _rich_text(value: CellRichText) -> str:
    """Rich text as cell HTML: the bold runs of a cell that is not bold throughout in <b>."""
    runs = []
    for part in value:
        text = getattr(part, "text", part)
        font = getattr(part, "font", None)
        runs.append((str(text), bool(font is not None and font.b)))
    if not any(bold and text.strip() for text, bold in runs) or all(bold or not text.strip() for text, bold in runs):
        return html.escape("".join(text for text, _ in runs), quote=False)
    out = []
    for text, bold in runs:
        escaped = html.escape(text, quote=False)
        if bold and text.strip():
            parts = re.match(r"(\s*)(.*?)(\s*)$", escaped, re.DOTALL)
            assert parts is not None  # the pattern matches any text
            lead, core, trail = parts.groups()
            out.append(f"{lead}<b>{core}</b>{trail}")
        else:
            out.append(escaped)
    return "".join(out).replace("</b><b>", "")


def cell_text(value: CellValue, number_format: str = "General", words: bool = False) -> str:
    """What Excel prints in a cell, as cell HTML (text escaped, newlines kept)."""
    from openpyxl.cell.rich_text import CellRichText

    if value is None:
        return ""
    if isinstance(value, CellRichText):
        return _rich_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0) or "h" not in _strip_format(number_format):
            return _date_text(value.date(), number_format, words)
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return _date_text(value, number_format, words)
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, (int, float)):
        return _number_text(value, number_format)
    return html.escape(str(value), quote=False).strip()


# -- a sheet as a grid of text ----------------------------------------------------------------
@dataclass
class _Sheet:
    name: str
    visible: bool
    rows: list[tuple[int, dict[int, str]]]  # row number, column -> text
    words: dict[tuple[int, int], str] = field(default_factory=dict)  # date cells in words, for title lines
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # merged anchors: columns covered
    downs: list[tuple[int, int, int]] = field(default_factory=list)  # merged down: first row, column, last row
    header: int | None = None  # index in rows
    score: int = 0


def _hidden_columns(ws: Worksheet) -> set[int]:
    """Columns the sheet hides: a tracker's helper columns (days overdue, lookups), not the table's."""
    hidden: set[int] = set()
    for dimension in ws.column_dimensions.values():
        if dimension.hidden and dimension.min:
            hidden.update(range(dimension.min, min(dimension.max or dimension.min, MAX_COLUMNS) + 1))
    return hidden


def _read_sheet(ws: Worksheet) -> _Sheet:
    cells: dict[int, dict[int, str]] = {}
    words: dict[tuple[int, int], str] = {}
    hidden = _hidden_columns(ws)
    # ws._cells holds only the cells the file stores: iterating rows and columns up to ws.max_row
    # and ws.max_column would create every cell of a sparse sheet.
    for (r, c), cell in ws._cells.items():
        value = cell.value
        if value is None or c > MAX_COLUMNS or r > MAX_ROWS or c in hidden:
            continue
        text = cell_text(value, cell.number_format)
        if not text.strip():
            continue
        cells.setdefault(r, {})[c] = text
        if isinstance(value, (date, datetime)):
            words[(r, c)] = cell_text(value, cell.number_format, words=True)
    spans, downs = {}, []
    for merged in ws.merged_cells.ranges:
        if merged.max_col > merged.min_col:
            spans[(merged.min_row, merged.min_col)] = merged.max_col - merged.min_col + 1
        if merged.max_row > merged.min_row:
            downs.append((merged.min_row, merged.min_col, merged.max_row))
    return _Sheet(name=ws.title, visible=ws.sheet_state == "visible", rows=sorted(cells.items()), words=words, spans=spans, downs=downs)


def _find_header(sheet: _Sheet, layouts: Layouts) -> None:
    sheet.header, sheet.score = best_header([list(row.values()) for _, row in sheet.rows], layouts)
    if sheet.header is None:
        return
    # A cell merged down a run of records (one audit, several recommendations) gives each row
    # its text; merged down from the header (a header in two rows) it stays empty, as printed.
    first = sheet.rows[sheet.header][0]
    numbers = [number for number, _ in sheet.rows]
    for top, column, bottom in sheet.downs:
        at = bisect.bisect_left(numbers, top)
        if top <= first or at == len(numbers) or numbers[at] != top or column not in sheet.rows[at][1]:
            continue
        text = sheet.rows[at][1][column]
        for _, row in sheet.rows[at + 1 : bisect.bisect_right(numbers, bottom)]:
            row.setdefault(column, text)


# Fields a sheet's header must name for its rows to be read as records beside a wider table: a key
# or an instructions sheet ("Priority | Timescale", "Column | What to enter") names fewer.
_SHORT_TABLE = 3
# What a summary's cells hold: counts and percentages.
_COUNT = re.compile(r"[\d.,%\s]*")
# Fields whose cells, in a table of records, hold text or dates rather than counts.
_RECORD_FIELDS = ("recommendation", "management_response", "target", "latest_update")


def _holds_records(sheet: _Sheet, layouts: Layouts) -> bool:
    """Whether most rows under a sheet's header hold text, not counts, in a recommendation, target
    or update column: a table of records however few columns it prints, not a summary."""
    assert sheet.header is not None
    columns = [c for c, text in sheet.rows[sheet.header][1].items() if layouts.field_for(clean_cell(text)) in _RECORD_FIELDS]
    body = [row for _, row in sheet.rows[sheet.header + 1 :]]
    worded = [row for row in body if any(not _COUNT.fullmatch(row.get(c, "")) for c in columns)]
    return bool(body) and len(worded) * 2 > len(body)


def _line(sheet: _Sheet, number: int, row: dict[int, str], joiner: str = " – ") -> str:
    """A row above or beside the table as one line: its cells parted by a dash, as a printed key
    parts a label from its meaning ("P1 – Urgent – ..."), except a label before a date cell, which
    reads as one phrase ("Position as at 31 March 2025")."""
    if any((number, c) in sheet.words for c in row):
        joiner = " "
    return joiner.join(sheet.words.get((number, c), text) for c, text in sorted(row.items()))


# A sheet Excel named itself ("Sheet1", "Sheet 2") names nothing.
_DEFAULT_NAME = re.compile(r"^sheet\s*\d*$", re.IGNORECASE)


def _table_rows(sheet: _Sheet, with_name: bool) -> list[Row]:
    """The header and everything under it, columns cut to those holding anything."""
    body = sheet.rows[sheet.header :]
    columns = sorted({c for _, row in body for c in row})
    width = len(columns)
    position = {c: i for i, c in enumerate(columns)}
    out = []
    for index, (number, row) in enumerate(body):
        cells = [""] * width
        for c, text in row.items():
            cells[position[c]] = text
        if len(row) == 1 and index > 0:
            [(c, text)] = row.items()
            # A section heading merged across the table, its text set in a later column.
            if position[c] > 0 and sheet.spans.get((number, c), 1) * 2 >= width:
                cells[position[c]], cells[0] = "", text
        out.append(Row(cells))
        if index == 0 and with_name and not _DEFAULT_NAME.match(sheet.name):
            out.append(Row([html.escape(sheet.name, quote=False)], sheet_name=True))
    return out


def extract_xlsx(path: Path) -> list[Row]:
    check_package(path, EXCEL)
    _count_cells(path)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            workbook = load_workbook(path, data_only=True, rich_text=True, keep_links=False)
    except ExtractError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        raise ExtractError(f"the workbook is damaged and cannot be read ({type(exc).__name__})") from None
    try:
        sheets = [_read_sheet(ws) for ws in workbook.worksheets]
    finally:
        workbook.close()
    layouts = load_layouts()
    for sheet in sheets:
        _find_header(sheet, layouts)
    tables = [s for s in sheets if s.header is not None and s.visible] or [s for s in sheets if s.header is not None]
    if not tables:
        cards = [s for s in sheets if s.visible and card_rows([list(r.values()) for _, r in s.rows], layouts) >= CARD_ROWS]
        if cards:  # record cards: a label and its value on each row, for the assembler to read
            return [row for sheet in cards for row in _raw_rows(sheet)]
        raise ExtractError(_no_table(sheets))
    # A summary beside the tracker may map a few columns ("Audit", "Recommendations", "Implemented"):
    # the tables are the sheets whose header names nearly as many fields as the best one, or whose
    # rows say more than counts (a sheet of closed items printing fewer columns).
    best = max(s.score for s in tables)
    tables = [s for s in tables if s.score * 4 >= best * 3 or s.score >= _SHORT_TABLE and _holds_records(s, layouts)]
    others = [s for s in sheets if s.header is None and s.visible and s not in tables]
    rows: list[Row] = []
    for number, sheet in enumerate(tables):
        rows.extend(Row([line]) for line in _title_lines(sheet))
        if number == 0:
            rows.extend(Row([line]) for line in _as_at_lines(others, layouts))
        rows.extend(_table_rows(sheet, with_name=len(tables) > 1))
    # A Key or notes sheet: its lines follow the table, where a printed paper puts its key, as
    # one-cell rows the interpreter reads with the document's notes. Put above the table they
    # would take the title's place and part the heading above the table from its header.
    for sheet in others:
        rows.extend(Row([_line(sheet, n, row)]) for n, row in sheet.rows)
    return rows


def _title_lines(sheet: _Sheet) -> list[str]:
    """The rows above the header as lines; a row holding only a date cell finishes the line above
    it ("Outstanding recommendations as at" over "30 September 2025")."""
    lines: list[str] = []
    for number, row in sheet.rows[: sheet.header]:
        line = _line(sheet, number, row)
        lone_date = len(row) == 1 and (number, next(iter(row))) in sheet.words
        if lone_date and lines:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _as_at_lines(sheets: list[_Sheet], layouts: Layouts) -> list[str]:
    """Lines of a cover or notes sheet that state the workbook's as-at date ("Position as at 30
    September 2025"): they join the title lines, where the date is looked for, after the table's
    own (whose date comes first)."""
    dates = date_reader(layouts)
    lines = [_line(sheet, n, row) for sheet in sheets for n, row in sheet.rows]
    return [line for line in lines if layouts.dates.cover_as_at.search(line) and dates.printed_as_at([line])][:1]


def _raw_rows(sheet: _Sheet) -> list[Row]:
    """A sheet's rows as they stand; a row with one value in its first column (a card's title)
    is one cell, as a line of text is."""
    columns = sorted({c for _, row in sheet.rows for c in row})
    position = {c: i for i, c in enumerate(columns)}
    out = []
    for _, row in sheet.rows:
        if len(row) == 1 and position[next(iter(row))] == 0:
            out.append(Row(list(row.values())))
            continue
        cells = [""] * len(columns)
        for c, text in row.items():
            cells[position[c]] = text
        out.append(Row(cells))
    return out


def _no_table(sheets: list[_Sheet]) -> str:
    seen = []
    for sheet in sheets:
        widest = max((row for _, row in sheet.rows[:HEADER_SCAN_ROWS]), key=len, default={})
        columns = ", ".join(repr(html.unescape(t)[:40]) for t in list(widest.values())[:8])
        seen.append(f"'{sheet.name}'" + (f" (columns {columns})" if len(widest) >= 2 else " (no table)"))
    return (
        "no sheet has a recommendation table whose header the layouts can map; sheets seen: "
        + "; ".join(seen)
        + " (add the column names to etl/layouts/layouts.toml)"
    )


def _read(path: Path, progress: Progress | None) -> tuple[list[Row], int | None]:
    return extract_xlsx(path), None


KIND = InputKind(name="xlsx", label="Excel workbook", suffixes=(".xlsx", ".xlsm"), content_problem=content_problem, read=_read)
