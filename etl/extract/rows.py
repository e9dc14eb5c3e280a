"""What every extractor gives the assembler: rows of cells in document order, with the page or
sheet each came from, and the one error type that says a file cannot be read. Also the one rule
for putting back text that a line or page break cut, used by the extractors and the assembler."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Row:
    cells: Sequence[str | None]
    page: int | None = None  # the PDF page (None for text input, whose pages are not known)
    chunk: int | None = None  # text input: the page chunk a converter wrote it in (blank lines, form feeds)
    sheet_name: bool = False  # a workbook sheet's name, given as the heading of the sheet's rows

    @property
    def part(self) -> int | None:
        """The page or page chunk the row sits in: a row that starts a new one is at a page top."""
        return self.page if self.page is not None else self.chunk


MAX_CELLS_PER_ROW = 512  # as for a worksheet (etl/extract/xlsx.py): no appendix table is wider
# The longest cell in any paper seen is about 2,500 characters. Every reading of cell text is
# linear in its length, so a cell within this bound costs at most about a second to interpret;
# a longer one (10 MB of "1/1/1/...") is refused, not read for minutes.
MAX_CELL_CHARS = 100_000


class ExtractError(ValueError):
    """The file cannot be read as an appendix; the message is one line for the user."""


def check_cells(rows: Sequence[Row]) -> None:
    """An ExtractError for the first cell longer than any appendix cell."""
    for number, row in enumerate(rows, start=1):
        for cell in row.cells:
            if cell and len(cell) > MAX_CELL_CHARS:
                raise too_long(f"row {number} of the table", cell)


def too_long(where: str, cell: str) -> ExtractError:
    return ExtractError(
        f"{where} holds a cell of {len(cell):,} characters (more than {MAX_CELL_CHARS:,}), starting {cell[:40]!r}: not an appendix cell"
    )


# A line that starts a list item keeps its line.
LIST_ITEM = re.compile(r"^\s*(?:[•●▪◦·\uf0b7]|\d+[.)]\s|[a-z][.)]\s)")
_BROKEN_AT_HYPHEN = re.compile(r"[^\W_]-$")  # "2022-", "go-", "COVID-"
_HYPHEN_FIRST = re.compile(r"^-[^\W\d_]")  # "-live"
_DATE = re.compile(r"^\d{1,2}([/.])\d{1,2}\1\d{4}$")
_LAST_TOKEN = re.compile(r"(\S+)$")
_FIRST_TOKEN = re.compile(r"^(\S+)")


_MONTH_NAMES = ("january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december")
_LAST_LETTERS = re.compile(r"([A-Za-z]+)$")
_FIRST_LETTERS = re.compile(r"^([a-z]+)\b")


def _broken_month(before: str, after: str) -> bool:
    head, tail = _LAST_LETTERS.search(before), _FIRST_LETTERS.match(after)
    return bool(head and tail and (head.group(1) + tail.group(1)).lower() in _MONTH_NAMES and head.group(1).lower() not in _MONTH_NAMES)


def separator(before: str, after: str) -> str:
    """What a line break between two pieces of one cell's text stood for: nothing where it cut
    a word ("2022-" + "23", "go-" + "live", "31/03/20" + "24", "Septembe" + "r 2024"), a new line
    before a list item, otherwise a space."""
    if not before or not after:
        return ""
    if LIST_ITEM.match(after):
        return "\n"
    if _BROKEN_AT_HYPHEN.search(before) and (
        after[:1].isdigit() or after[:1].islower() or (after[:1].isalpha() and before[-2:-1].isalpha())
    ):
        return ""  # a compound ("go-live", "Anti-Fraud", "24-hour") or a range ("2022-23") broken after its hyphen
    if _HYPHEN_FIRST.match(after) and before[-1:].isalpha():
        return ""  # broken before the hyphen
    if before.endswith("/") and before[-2:-1].isalnum() and after[:1].isalnum():
        return ""  # a reference or year broken after its slash: "DT/" + "23/04", "2023/" + "24"
    if _broken_month(before, after):
        return ""  # a month's name too wide for a date column: "30th Septembe" + "r 2024"
    last, first = _LAST_TOKEN.search(before), _FIRST_TOKEN.match(after)
    if (
        last
        and first
        and first.group(1)[:1].isdigit()
        and not _DATE.match(last.group(1))
        and _DATE.match((last.group(1) + first.group(1)).rstrip(".,;)"))
    ):
        return ""  # a date too wide for its column: "31/03/20" + "24"
    return " "
