"""Which tables and rows of a document hold its records, as an admin taught them for a council
(the [records] section of its layout override): a summary table or a sheet of totals left out by
its header row, rows left out by a pattern or by their number. Applied to a document's rows before
the assembler looks for its tables (etl/assemble.py), so a table left out is never read as records;
each row left out is given back with the reason, for the self-check's accounting. The tables found
are listed for the admin app's preview, left out or not, so any can be chosen again."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.cleantext import normalise_label, one_line
from etl.extract.rows import Row
from etl.extract.tables import header_fields
from etl.layouts.config import Layouts, RecordRules

FIRST_ROWS = 3  # rows under a table's header the preview shows
TAUGHT = "left out as taught"


@dataclass
class FoundTable:
    """A table of the document, by its header row: what the preview shows of it."""

    name: str  # the header's filled cells parted by " | ": how an override names it
    header: list[str]
    header_row: int  # the header's row number in the file (1-based)
    sheet: str | None = None  # the workbook sheet it stands on, where the workbook names it
    first_rows: list[tuple[int, list[str]]] = field(default_factory=list)  # row number, cells
    row_count: int = 0  # rows under its header (a header repeated on each page counts once)
    left_out: bool = False


@dataclass
class Chosen:
    kept: list[tuple[list[str], Row]]
    left_out: list[tuple[Row, str]]
    tables: list[FoundTable]


def table_name(cells: list[str]) -> str:
    return " | ".join(one_line(c) for c in cells if c)


def _table_at(cells: list[str], layouts: Layouts, tables: dict[str, FoundTable], number: int) -> FoundTable | None:
    """The table whose header these cells are (the same header again is the same table), or None."""
    if sum(1 for c in cells if c) < 2 or header_fields(cells, layouts) is None:
        return None
    name = table_name(cells)
    if name not in tables:
        left_out = normalise_label(name) in layouts.records.leave_out_tables
        tables[name] = FoundTable(name, cells, number, left_out=left_out)
    return tables[name]


def _why_left_out(cells: list[str], number: int, table: FoundTable | None, layouts: Layouts) -> str | None:
    rules = layouts.records
    # A line of its own (a heading, a note) is not a row of the table: it may head the next one.
    if table is not None and table.left_out and (number == table.header_row or sum(1 for c in cells if c) >= 2):
        return f"{TAUGHT}: table {table.name!r}"
    if rules.row_number_left_out(number):
        return f"{TAUGHT}: row {number}"
    pattern = next((p for p in rules.leave_out_rows if any(p.search(one_line(c)) for c in cells if c)), None)
    return f"{TAUGHT}: a row matching {pattern.pattern!r}" if pattern is not None else None


def choose(cleaned: list[tuple[list[str], Row]], layouts: Layouts, list_tables: bool = False) -> Chosen:
    """The rows that hold records (and the text around them), the rows left out with why, and (when
    taught, or asked to list them) every table found. A table runs from its header to the next
    table's header; a workbook's sheet name, given as a heading under the header, names its sheet.
    Nothing taught and no list asked for: every row, at no cost (most loads)."""
    if not list_tables and layouts.records == RecordRules():
        return Chosen(cleaned, [], [])
    tables: dict[str, FoundTable] = {}
    table: FoundTable | None = None
    chosen = Chosen([], [], [])
    for number, (cells, row) in enumerate(cleaned, start=1):
        header = _table_at(cells, layouts, tables, number)
        if header is not None:
            table = header
        elif table is not None and row.sheet_name:
            table.sheet = table.sheet or one_line(cells[0])
        elif table is not None and sum(1 for c in cells if c) >= 2:
            table.row_count += 1
            if len(table.first_rows) < FIRST_ROWS:
                table.first_rows.append((number, cells))
        why = _why_left_out(cells, number, table, layouts) if header is None or header.left_out else None
        if why is not None and (any(cells) or header is not None):
            chosen.left_out.append((row, why))
        else:
            chosen.kept.append((cells, row))
    chosen.tables = list(tables.values())
    return chosen
