"""What the Word and Excel readers ask of a table before handing its rows on: does one of its first
rows read as a recommendation header (scored with the layouts, by the rule the assembler applies too),
or is it laid out as record cards (a label and its value on each row)? A table that is neither, such
as a risk key, is given as lines of text, which the interpreter reads with the document's notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from etl.cleantext import clean_cell
from etl.layouts.config import Layouts

if TYPE_CHECKING:
    from etl.layouts.config import Layouts

HEADER_SCAN_ROWS = 40  # the header is looked for among a table's first rows holding text
CARD_ROWS = 4  # label rows that make a table a record card


def header_rules(layouts: Layouts) -> tuple[int, int, set[str]]:
    """(min_mapped, max_words, needs_any) of the layouts' [header] rules."""
    rules = layouts.header
    return rules.min_mapped, rules.max_words, set(rules.needs_any)


def fields_of_header(cells: list[str], layouts: Layouts) -> list[str | None] | None:
    """The field of each cell when the (clean) cells are a table's header row, else None: short
    labels, at least min_mapped of them mapped, one of them a field a table needs, most cells
    mapped. The assembler finds its tables by this rule, and the PDF reader its header rows."""
    rules = layouts.header
    nonempty = [c for c in cells if c]
    # A cell too long to be a label rules the row out before any cell is matched against the
    # layouts' patterns, which is most of a row's reading time.
    if any(len(c.split()) > rules.max_words for c in nonempty):
        return None
    fields = [layouts.field_for(c) if c else None for c in cells]
    mapped = [f for f in fields if f]
    if len(mapped) < rules.min_mapped or not set(mapped) & set(rules.needs_any):
        return None
    # Data rows can contain a word like "Audit"; a header maps most of what it says.
    if len(mapped) * 3 < len(nonempty) * 2:
        return None
    return fields


def header_fields(cells: list[str], layouts: Layouts) -> list[str | None] | None:
    """fields_of_header for cells as an extractor finds them, cleaned first."""
    return fields_of_header([clean_cell(c) for c in cells], layouts)


def header_score(cells: Iterable[str], layouts: Layouts) -> int:
    """How many distinct fields a row names when it reads as a header, else 0: at least min_mapped
    cells mapped, one of them a field a table needs, short labels, most cells mapped."""
    min_mapped, max_words, needs_any = header_rules(layouts)
    labels = [text for text in (clean_cell(c) for c in cells) if text]
    if len(labels) < 2 or any(len(t.split()) > max_words for t in labels):
        return 0
    mapped = [f for f in (layouts.field_for(t) for t in labels) if f]
    if len(mapped) < min_mapped or not set(mapped) & needs_any or len(mapped) * 3 < len(labels) * 2:
        return 0
    return len(set(mapped))


def best_header(rows: list[list[str]], layouts: Layouts) -> tuple[int | None, int]:
    """(index of the best header among the first rows, its score); (None, 0) when none reads so."""
    best, score = None, 0
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = header_score(cells, layouts)
        if found > score:
            best, score = index, found
    return best, score


def card_rows(rows: list[list[str]], layouts: Layouts) -> int:
    """Rows that are a field's label and its value (record cards)."""
    count = 0
    for cells in rows:
        texts = [clean_cell(c) for c in cells]
        filled = [t for t in texts if t]
        if len(filled) == 2 and texts[0] and layouts.field_for(texts[0]):
            count += 1
    return count


def as_lines(rows: list[list[str]]) -> list[str]:
    """A table that is not a recommendation table (a key) as one line per row."""
    lines = []
    for cells in rows:
        texts = [c for c in cells if clean_cell(c)]
        if texts:
            lines.append(" – ".join(texts))
    return lines
