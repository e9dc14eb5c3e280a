"""Text accounting: every row the extractor handed the assembler, inside a detail table's region,
ends up somewhere a reader can name: in a record, a header, a section heading, known page
furniture, or a row the assembler left out on purpose with its reason (Assembled.dropped). A row
that went into no record is a doubt, quoted.

Rows are matched to records in document order, each cell as printed first (the record's text
holds it, spacing aside: a reader joins the lines of a cell) and failing that by its words (nearly
all of them among the record's: a reader may tidy a cell or strip its label).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.assemble import Assembled
from etl.cleantext import clean_cell, one_line, strip_markdown
from etl.extract.rows import Row
from etl.layouts.config import Layouts
from etl.records import RawRecord

_TOKEN = re.compile(r"[^\W_]+")
# Share of a cell's words that must be found in a record for the cell to be read into it.
_CELL_FOUND = 0.7
# How many records ahead of the last one matched a row is looked for first.
_WINDOW = 3


def words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class Accounting:
    """Where each row of the table's region went: counts by destination, and the rows that went
    nowhere, with the page they were on."""

    rows_in_region: int = 0
    destinations: Counter[str] = field(default_factory=Counter)
    unaccounted: list[tuple[str, int | None]] = field(default_factory=list)  # (row text, page)
    before_table: list[list[str]] = field(default_factory=list)  # filled cells of rows before the first table
    after_table: list[list[str]] = field(default_factory=list)  # and of unread rows after its last record

    def lines(self) -> list[str]:
        """The accounting as `etl inspect` prints it."""
        found = ", ".join(f"{n} {what}" for what, n in self.destinations.most_common())
        lines = [f"{self.rows_in_region} rows in the table's region: {found or 'none'}"]
        lines += [f"  went into no record{_on_page(page)}: {_quote(text)}" for text, page in self.unaccounted]
        return lines


def _on_page(page: int | None) -> str:
    return f" (page {page})" if page is not None else ""


def _quote(text: str, width: int = 70) -> str:
    text = one_line(text)
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _squeezed(text: str) -> str:
    return "".join(text.lower().split())


class _Records:
    """The records' text, and their words when a row's cell is not in a record as printed, for
    finding the record a row's cells went into. The words (and the index of records by word, for a
    row found nowhere near the last) are made only when needed: most rows are found as printed."""

    def __init__(self, records: list[RawRecord], header_words: set[str]):
        self.records = records
        self.text = [_squeezed("".join(r.columns)) for r in records]
        self._words: dict[int, set[str]] = {}
        self._by_word: dict[str, list[int]] | None = None
        self.header_words = header_words
        self.at = 0

    def words_of(self, index: int) -> set[str]:
        if index not in self._words:
            self._words[index] = set(words(" ".join(self.records[index].columns)))
        return self._words[index]

    def _holding_word(self) -> dict[str, list[int]]:
        if self._by_word is None:
            self._by_word = {}
            for index in range(len(self.records)):
                for word in self.words_of(index):
                    self._by_word.setdefault(word, []).append(index)
        return self._by_word

    def _holds(self, index: int, squeezed: str, cell: str) -> int:
        """2 where a cell is in a record as printed (a line break the reader joined without a
        space aside) or by nearly all of its words (a reader may tidy a cell or strip its label),
        1 where it is a label of the table's header (a record card's "Priority"), else 0."""
        if squeezed in self.text[index]:
            return 2
        cell_words = words(cell)
        found = self.words_of(index)
        if sum(1 for w in cell_words if w in found) >= _CELL_FOUND * len(cell_words):
            return 2
        return 1 if set(cell_words) <= self.header_words else 0

    def _row_in(self, index: int, values: list[tuple[str, str]]) -> bool:
        """Every cell of the row in the record, labels aside, and one value at least."""
        valued = False
        for squeezed, c in values:
            held = self._holds(index, squeezed, c)
            if not held:
                return False
            valued = valued or held == 2
        return valued

    def _elsewhere(self, cells: list[str]) -> list[int]:
        """Records that may hold the row, beyond the next few: those holding its rarest word."""
        by_word = self._holding_word()
        known = [by_word[w] for c in cells for w in words(c) if w in by_word]
        return min(known, key=len) if known else []

    def holding(self, cells: list[str]) -> int | None:
        """The record holding every filled cell of the row, its labels aside, looking just ahead
        first; None for a row of labels only."""
        values = [(_squeezed(c), c) for c in cells if _TOKEN.search(c)]
        if not values:
            return None
        ahead = range(self.at, min(len(self.records), self.at + _WINDOW + 1))
        for index in ahead:  # as printed, the usual case: no words needed
            if all(squeezed in self.text[index] for squeezed, _ in values):
                self.at = index
                return index
        for index in ahead:
            if self._row_in(index, values):
                self.at = index
                return index
        for index in self._elsewhere([c for _, c in values]):
            if self._row_in(index, values):
                self.at = index
                return index
        return None


def _header_words(assembled: Assembled) -> set[str]:
    tables = {id(r.table): r.table for r in assembled.records}.values()
    return {w for table in tables for header in table.headers for w in words(header)}


def _running_lines(cleaned: list[tuple[list[str], Row]]) -> set[str]:
    """One-cell lines printed on two pages or more: running headers and footers."""
    pages: dict[str, set[int]] = {}
    for cells, row in cleaned:
        filled = [c for c in cells if c]
        if len(filled) == 1 and row.part is not None:
            pages.setdefault(one_line(filled[0]), set()).add(row.part)
    return {text for text, seen in pages.items() if len(seen) >= 2}


def cleaned_rows(rows: Sequence[Row]) -> list[tuple[list[str], Row]]:
    """Each row's cells as the assembler reads them."""
    return [([clean_cell(c) for c in row.cells], row) for row in rows]


def account(cleaned: list[tuple[list[str], Row]], assembled: Assembled, layouts: Layouts) -> Accounting:
    """Where every row went. The table's region runs from the header over its first record (or that
    record, without one) to its last record (or a row the assembler left out after it: a totals
    row); filled rows outside it are kept for the check of a table skipped."""
    dropped = {id(row): why for row, why in assembled.dropped}
    headers = _header_words(assembled)
    notes = {strip_markdown(one_line(n)) for n in assembled.notes}
    running = _running_lines(cleaned)
    records = _Records(assembled.records, headers)
    seen = [
        (_destination(filled, row, dropped, headers, notes, running, layouts, records), filled, row)
        for cells, row in cleaned
        if (filled := [c for c in cells if c])
    ]
    kept = [i for i, (where, _, row) in enumerate(seen) if where == "record" or id(row) in dropped]
    result = Accounting()
    if not kept:
        return result
    first = next((i for i in range(kept[0], -1, -1) if seen[i][0] == "header"), kept[0])
    for index, (where, filled, row) in enumerate(seen):
        if not first <= index <= kept[-1]:
            if where == "no record" and len(filled) >= 2:
                (result.before_table if index < first else result.after_table).append(filled)
            continue
        result.rows_in_region += 1
        result.destinations[where] += 1
        if where == "no record":
            result.unaccounted.append((" | ".join(filled), row.page))
    return result


def _destination(
    filled: list[str],
    row: Row,
    dropped: dict[int, str],
    headers: set[str],
    notes: set[str],
    running: set[str],
    layouts: Layouts,
    records: _Records,
) -> str:
    if id(row) in dropped:
        return dropped[id(row)]
    if all(layouts.is_noise(c) for c in filled):
        return "page furniture"
    if len(filled) == 1 and one_line(filled[0]) in running:
        return "running header or footer"
    if len(filled) >= 2 and all(set(words(c)) <= headers for c in filled):
        return "header"
    if len(filled) == 1 and strip_markdown(one_line(filled[0])) in notes:
        return "section heading"
    if records.holding(filled) is not None:
        return "record"
    if not any(words(c) for c in filled):
        return "marks without words"
    return "no record"
