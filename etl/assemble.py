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
    notes: list[str] = field(default_factory=list)  # every line outside the table: keys, headings, notes


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


def _second_header_row(table: Table, cells: list[str], layouts: Layouts, seen: dict[tuple, Table]) -> Table | None:
    """The table read with its header's second row, when `cells` (the row under the header) is one:
    short labels under a label that spans them ("Target date" over "Original | Revised"). Each
    column is named by the label above it (or, under a span, the span's label) and the one under
    it. None when the row is not such a second row. The same header read twice (repeated on each
    page) gives the same Table, so rows broken across pages still join."""
    labels = [c for c in cells if c]
    rules = layouts.header
    if not labels or any(len(c.split()) > rules.second_row_max_words or re.search(r"\d", c) for c in labels):
        return None
    upper = table.headers
    candidates: list[list[str]] = []
    if len(cells) >= len(upper) and len(labels) < len(cells):
        # Printed in columns (PDF, tab-separated text): an empty upper cell is under a span.
        upper = upper + [""] * (len(cells) - len(upper))
        headers, group = [], ""
        for above, below in zip(upper, cells):
            group = above or group
            headers.append(" ".join(t for t in ((above or (group if below else "")), below) if t))
        candidates.append(headers)
    elif len(cells) == len(labels) < len(upper):
        # HTML without its spans: the lower labels sit under one upper label; try each.
        candidates.extend(upper[:p] + [f"{upper[p]} {low}" for low in labels] + upper[p + 1:]
                          for p in range(len(upper)) if upper[p])

    def score(headers: list[str]) -> tuple[int, int]:
        fields = [layouts.field_for(h) if h else None for h in headers]
        mapped = [f for f in fields if f]
        return len(set(mapped)), -(len(mapped) - len(set(mapped)))

    if not candidates:
        return None
    ranked = sorted(candidates, key=score, reverse=True)
    best = ranked[0]
    if len(ranked) > 1 and score(ranked[1]) == score(best):
        return None  # no one reading is better than another
    if score(best) <= score(table.headers):
        return None
    key = tuple(best)
    if key not in seen:
        seen[key] = Table(headers=best, fields=[layouts.field_for(h) if h else None for h in best])
    return seen[key]


def _cards(cleaned: list[tuple[list[str], Row]], layouts: Layouts) -> Assembled | None:
    """A document printing each record as a small table of its own, labels in the first column
    and values in the second ("Audit | Payroll 2023-24", "Priority | High", ...), or None when
    the document is not laid out so. A one-line title above a card ("Recommendation 3 of 9 –
    FDC/23/05") gives the record's reference when no row of the card does."""
    blocks: list[tuple[list[tuple[str, str]], str | None, str | None, int | None]] = []
    preamble: list[str] = []
    notes: list[str] = []
    current: list[tuple[str, str]] | None = None
    lines: list[str] = []  # one-line rows since the last card: section headings, then the card's title
    section: str | None = None
    for cells, row in cleaned:
        nonempty = [c for c in cells if c]
        if not nonempty or all(layouts.is_noise(c) for c in nonempty):
            continue
        label_row = len(cells) >= 2 and not any(cells[2:]) and cells[0] and layouts.field_for(cells[0]) is not None \
            and len(cells[0].split()) <= layouts.header.max_words
        if label_row:
            if current is None or any(label == cells[0] for label, _ in current):
                if blocks and len(lines) >= 2:
                    section = lines[-2]
                current = []
                blocks.append((current, lines[-1] if lines else None, section, row.page))
                lines = []
            current.append((cells[0], cells[1]))
        elif current is not None and len(cells) >= 2 and not cells[0] and cells[1]:
            label, value = current[-1]  # a value carried over a page break
            current[-1] = (label, _join(value, cells[1]))
        elif len(nonempty) == 1:
            line = strip_markdown(one_line(nonempty[0]))
            notes.append(line)
            if not blocks:
                preamble.append(line)
            lines.append(line)
            current = None
        else:
            current = None
    fields_per_card = [{layouts.field_for(label) for label, _ in block} for block, *_ in blocks]
    if len(blocks) < 2 or any(len(f) < layouts.header.min_mapped + 1 for f in fields_per_card) \
            or not all(f & set(layouts.header.needs_any) for f in fields_per_card):
        return None
    labels = list(dict.fromkeys(label for block, *_ in blocks for label, _ in block))
    fields = [layouts.field_for(label) for label in labels]
    with_ref = "ref" not in fields
    table = Table(headers=labels + (["Reference (card title)"] if with_ref else []),
                  fields=fields + (["ref"] if with_ref else []))
    result = Assembled(preamble=preamble, records=[], notes=notes)
    for block, card_title, card_section, page in blocks:
        values = dict(block)
        columns = [values.get(label, "") for label in labels]
        if with_ref:
            found = layouts.header.card_title_ref.search(card_title or "")
            columns.append(found.group("ref") if found else "")
        result.records.append(RawRecord(table=table, columns=columns, page=page, section=card_section,
                                        record_no=len(result.records) + 1))
    return result


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
    cards = _cards(cleaned, layouts)
    if cards is not None:
        return cards
    result = Assembled(preamble=[], records=[])
    after_header, two_row_tables = False, {}
    table: Table | None = None
    section: str | None = None
    widths: dict[int, list[int]] = {}
    pending: list[tuple[list[str], Row, Table, str | None]] = []
    header_like: list[str] | None = None

    for cells, row in cleaned:
        nonempty = [c for c in cells if c]
        if not nonempty or all(layouts.is_noise(c) for c in nonempty):
            continue
        second = _second_header_row(table, cells, layouts, two_row_tables) if after_header and table else None
        after_header = False
        if second is not None:
            table = second
            continue
        found = _header(cells, layouts) if len(nonempty) >= 2 else None
        if found is not None:
            if table is None or found.fields != table.fields:
                table = found
            after_header = True
            continue
        if table is None:
            if len(nonempty) >= 3 and header_like is None:
                header_like = nonempty
            if len(nonempty) == 1:
                result.preamble.append(strip_markdown(one_line(nonempty[0])))
                result.notes.append(result.preamble[-1])
            continue
        if len(nonempty) == 1 and cells[0] and (len(cells) == 1 or not any(cells[1:])):
            section = strip_markdown(one_line(cells[0]))
            result.notes.append(section)
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
