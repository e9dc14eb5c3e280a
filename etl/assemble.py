"""Rows of cells to records: find the header, drop repeats and noise, carry section headings,
join continuation rows (a row whose leading cell is empty continues the record above)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.extract.rows import Row
from etl.interpret.cleantext import clean_cell, one_line, strip_markdown
from etl.layouts.config import Layouts


class NoTableError(ValueError):
    """No recommendation table could be found; the message says what was seen."""


@dataclass
class Table:
    headers: list[str]
    fields: list[str | None]  # one per column; None where the layouts know no field


@dataclass
class RawRecord:
    table: Table
    columns: list[str]  # clean text per column of its table
    page: int | None
    section: str | None
    record_no: int = 0

    def text(self, name: str) -> str:
        """The record's text for one field (columns mapped to the same field are joined)."""
        parts = [c for f, c in zip(self.table.fields, self.columns) if f == name and c]
        return "\n".join(parts)

    def has(self, name: str) -> bool:
        return name in self.table.fields


@dataclass
class Assembled:
    preamble: list[str]
    records: list[RawRecord]
    warnings: list[str] = field(default_factory=list)


_SENTENCE_END = re.compile(r"[.!?:;)]$")


def _join(before: str, after: str) -> str:
    if not before:
        return after
    if not after:
        return before
    return before + ("\n" if _SENTENCE_END.search(before) else " ") + after


def _header(cells: list[str], layouts: Layouts) -> Table | None:
    fields = [layouts.field_for(c) if c else None for c in cells]
    mapped = [f for f in fields if f]
    rules = layouts.header
    nonempty = [c for c in cells if c]
    if any(len(c.split()) > rules.max_words for c in nonempty):
        return None
    if len(mapped) < rules.min_mapped or not set(mapped) & set(rules.needs_any):
        return None
    # Data rows can contain a word like "Audit"; a header maps most of what it says.
    if len(mapped) * 3 < len(nonempty) * 2:
        return None
    return Table(headers=cells, fields=fields)


def _fit(cells: list[str], width: int, narrow_order: list[int]) -> list[str]:
    """Cells of a row printed with fewer or more columns than its header, put under the header.

    A converter that loses columns loses the narrowest ones (a risk letter, a date), so a short
    row keeps its first cell in the first column and skips the columns that are narrowest in
    the rest of the table."""
    if len(cells) > width:
        extra = [c for c in cells[width:] if c]
        cells = cells[:width]
        if extra:
            cells[-1] = _join(cells[-1], " ".join(extra))
        return cells
    if len(cells) == width:
        return cells
    skip = set(c for c in narrow_order if c != 0)
    skip = set(sorted(skip, key=narrow_order.index)[: width - len(cells)])
    keep = [i for i in range(width) if i not in skip]
    fitted = [""] * width
    for position, text in zip(keep, cells):
        fitted[position] = text
    return fitted


def assemble(rows: list[Row], layouts: Layouts) -> Assembled:
    cleaned = [([clean_cell(c) for c in row.cells], row) for row in rows]
    result = Assembled(preamble=[], records=[])
    table: Table | None = None
    section: str | None = None
    widths: dict[int, list[int]] = {}
    pending: list[tuple[list[str], Row, Table, str | None]] = []
    header_like: list[str] | None = None

    for cells, row in cleaned:
        nonempty = [c for c in cells if c]
        if not nonempty or all(layouts.is_noise(c) for c in nonempty):
            continue
        found = _header(cells, layouts) if len(nonempty) >= 2 else None
        if found is not None:
            if table is None or found.fields != table.fields:
                table = found
            continue
        if table is None:
            if len(nonempty) >= 3 and header_like is None:
                header_like = nonempty
            if len(nonempty) == 1:
                result.preamble.append(strip_markdown(one_line(nonempty[0])))
            continue
        if len(nonempty) == 1 and cells[0] and (len(cells) == 1 or not any(cells[1:])):
            section = strip_markdown(one_line(cells[0]))
            continue
        if len(cells) == len(table.fields):
            for i, c in enumerate(cells):
                widths.setdefault(i, []).append(len(c))
        pending.append((cells, row, table, section))

    if table is None:
        if header_like:
            raise NoTableError(
                "the header row could not be mapped to recommendation fields; columns seen: "
                + ", ".join(repr(one_line(c)[:60]) for c in header_like)
                + " (add their names to etl/layouts/layouts.toml)"
            )
        raise NoTableError("no recommendation table found")

    for cells, row, tbl, sec in pending:
        width = len(tbl.fields)
        narrow = sorted(range(width), key=lambda i: sum(widths.get(i, [0])) / max(1, len(widths.get(i, []))))
        cells = _fit(cells, width, narrow)
        last = result.records[-1] if result.records else None
        if not cells[0] and last is not None and last.table is tbl:
            last.columns = [_join(a, b) for a, b in zip(last.columns, cells)]
            continue
        if not cells[0] and last is None:
            result.warnings.append("text before the first record was not attached to any record: "
                                   + one_line(" ".join(c for c in cells if c))[:80])
            continue
        result.records.append(RawRecord(table=tbl, columns=cells, page=row.page, section=sec,
                                        record_no=len(result.records) + 1))
    return result
