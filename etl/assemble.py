"""Rows of cells to records: find the header, drop repeats and noise, carry section headings,
join the pieces of a record that a page break cut.

A word processor lets a table row break across pages: the cells' first lines stay at the foot of
one page and the rest of every cell continues at the top of the next, whatever column it is in.
A careful reader tells that continuation from a record that happens to start on the new page by
what every record of the table has: the columns filled in nearly every record (a target date, a
risk, a reference; computed from the table itself). A row at the top of a page (or of a page
chunk of converted text) that lacks one of them continues the record above, each cell joined to
the same column's text; one that has them all is a record. Elsewhere a row whose leading cell is
empty continues the record above, as before."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from etl.cleantext import clean_cell, one_line, strip_markdown
from etl.extract.rows import Row, separator
from etl.extract.tables import fields_of_header
from etl.layouts.config import Layouts
from etl.leave_out import FoundTable, choose
from etl.long_format import fold_changes
from etl.records import RawRecord, Table


class NoTableError(ValueError):
    """No recommendation table could be found; the message says what was seen."""


@dataclass
class Assembled:
    preamble: list[str]
    records: list[RawRecord]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # every line outside the table: keys, headings, notes
    layout_notes: list[str] = field(default_factory=list)  # how the table was read, for `etl inspect`
    # Rows left out on purpose, each with the reason (a totals row, a summary table of counts):
    # the self-check (etl.selfcheck) counts them as read, not lost.
    dropped: list[tuple[Row, str]] = field(default_factory=list)
    cleaned: list[list[str]] = field(default_factory=list)  # every row's cells as read, for the self-check
    summaries: list[list[list[str]]] = field(default_factory=list)  # tables of counts: header row, then rows
    tables_found: list[FoundTable] = field(default_factory=list)  # every table by its header, when listed


# Why a row was left out on purpose (Assembled.dropped), as the self-check's accounting names it.
SUMMARY_ROW = "summary table of counts"
TOTALS_ROW = "totals row"
FOLDED_CHANGE = "target change folded into its recommendation"

_SENTENCE_END = re.compile(r"[.!?:;)]$")


def _join(before: str, after: str) -> str:
    """A cell's text continued by the same column of a continuation row: a new line after a
    finished sentence, nothing where a word or a range was cut at a hyphen, else a space; the same
    text twice is one (a merged cell's text, which each piece of a row cut by a page break has)."""
    if not before:
        return after
    if not after or after == before:
        return before  # the same text again: a merged cell's text given to both pieces of a cut row
    return before + ("\n" if _SENTENCE_END.search(before) else separator(before, after)) + after


def _mean(total: list[int]) -> float:
    return total[0] / max(1, total[1])


def _header(cells: list[str], layouts: Layouts) -> Table | None:
    fields = fields_of_header(cells, layouts)
    return Table(headers=cells, fields=fields) if fields is not None else None


def _second_header_row(table: Table, cells: list[str], layouts: Layouts, seen: dict[tuple[str, ...], Table]) -> Table | None:
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
        candidates.extend(upper[:p] + [f"{upper[p]} {low}" for low in labels] + upper[p + 1 :] for p in range(len(upper)) if upper[p])

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


_Card = tuple[list[tuple[str, str]], str | None, str | None, int | None]  # (label, value) rows, title, section, page


def _card_field(cells: list[str], layouts: Layouts) -> str | None:
    """The field a row's first cell names, where the row reads as a card's label and value."""
    if len(cells) >= 2 and not any(cells[2:]) and cells[0] and len(cells[0].split()) <= layouts.header.max_words:
        return layouts.field_for(cells[0])
    return None


def _read_cards(cleaned: list[tuple[list[str], Row]], layouts: Layouts) -> tuple[list[_Card], list[str], list[str]]:
    """The cards a document prints (each with its title, section and page), the lines before the
    first card and every line outside them."""
    blocks: list[_Card] = []
    preamble: list[str] = []
    notes: list[str] = []
    current: list[tuple[str, str]] | None = None
    lines: list[str] = []  # one-line rows since the last card: section headings, then the card's title
    section: str | None = None
    title: str | None = None
    for cells, row in cleaned:
        nonempty = [c for c in cells if c]
        if not nonempty or all(layouts.is_noise(c) for c in nonempty):
            continue
        field = _card_field(cells, layouts)
        # A label with no value belongs to the card being read; otherwise it is a title line
        # ("Recommendation 2 of 9 – FDC/23/02" names a field too).
        label_row = field is not None and (
            bool(cells[1]) or (current is not None and field not in {layouts.field_for(label) for label, _ in current})
        )
        if label_row:
            if current is None or any(label == cells[0] for label, _ in current):
                if blocks and len(lines) >= 2:
                    section = lines[-2]
                current = []
                title = lines[-1] if lines else None
                blocks.append((current, title, section, row.page))
                lines = []
            current.append((cells[0], cells[1]))
        elif current is not None and len(cells) >= 2 and not cells[0] and cells[1]:
            label, value = current[-1]  # a value carried over a page break
            current[-1] = (label, _join(value, cells[1]))
        elif len(nonempty) == 1:
            line = strip_markdown(one_line(nonempty[0]))
            if current is not None and line == title:
                continue  # the card's title repeated at the top of a new page: the card goes on
            notes.append(line)
            if not blocks:
                preamble.append(line)
            lines.append(line)
            current = None
        else:
            current = None
    return blocks, preamble, notes


def _are_cards(blocks: list[_Card], layouts: Layouts) -> bool:
    """Whether the blocks read are record cards: two or more, each naming enough fields of a record."""
    fields_per_card = [{layouts.field_for(label) for label, _ in block} for block, *_ in blocks]
    return (
        len(blocks) >= 2
        and all(len(f) >= layouts.header.min_mapped + 1 for f in fields_per_card)
        and all(f & set(layouts.header.needs_any) for f in fields_per_card)
    )


def _card_records(blocks: list[_Card], layouts: Layouts) -> list[RawRecord]:
    """One record per card, under one table of every label the cards use (and the reference read
    from the card's title where no label gives one)."""
    labels = list(dict.fromkeys(label for block, *_ in blocks for label, _ in block))
    fields = [layouts.field_for(label) for label in labels]
    with_ref = "ref" not in fields
    table = Table(headers=labels + (["Reference (card title)"] if with_ref else []), fields=fields + (["ref"] if with_ref else []))
    records: list[RawRecord] = []
    for block, card_title, card_section, page in blocks:
        values = dict(block)
        columns = [values.get(label, "") for label in labels]
        if with_ref:
            found = layouts.header.card_title_ref.search(card_title or "")
            columns.append(found.group("ref") if found else "")
        records.append(RawRecord(table=table, columns=columns, page=page, section=card_section, record_no=len(records) + 1))
    return records


def _cards(cleaned: list[tuple[list[str], Row]], layouts: Layouts) -> Assembled | None:
    """A document printing each record as a small table of its own, labels in the first column
    and values in the second ("Audit | Payroll 2023-24", "Priority | High", ...), or None when
    the document is not laid out so. A one-line title above a card ("Recommendation 3 of 9 –
    FDC/23/05") gives the record's reference when no row of the card does."""
    blocks, preamble, notes = _read_cards(cleaned, layouts)
    if not _are_cards(blocks, layouts):
        return None
    return Assembled(preamble=preamble, records=_card_records(blocks, layouts), notes=notes)


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


_COUNT = re.compile(r"^\d[\d,]*(?:\.\d+)?%?$")


def _counts_row(cells: list[str]) -> bool:
    """A row of a summary table: a label, then numbers only ("High | 4 | 1 | 3")."""
    values = [c for c in cells[1:] if c]
    return bool(values) and all(_COUNT.match(c.replace(" ", "")) for c in values)


def _without_summaries(
    cleaned: list[tuple[list[str], Row]], layouts: Layouts
) -> tuple[list[tuple[list[str], Row]], list[list[list[str]]], list[Row]]:
    """The rows without the summary tables of counts a report prints beside its detail table
    ("Priority | Number of recommendations | Implemented | Outstanding", then "High | 4 | 1 | 3"):
    a header the layouts read, under which every row up to the next line of text is a label and
    numbers. Such a table counts records and holds none; it is kept aside (header, then rows), and
    its rows are given back as left out on purpose."""
    kept: list[tuple[list[str], Row]] = []
    summaries: list[list[list[str]]] = []
    set_aside: list[Row] = []
    i = 0
    while i < len(cleaned):
        cells = cleaned[i][0]
        body = i + 1
        while body < len(cleaned) and sum(1 for c in cleaned[body][0] if c) >= 2 and _counts_row(cleaned[body][0]):
            body += 1
        ends = body == len(cleaned) or sum(1 for c in cleaned[body][0] if c) < 2 or _header(cleaned[body][0], layouts) is not None
        if body > i + 1 and ends and sum(1 for c in cells if c) >= 2 and _header(cells, layouts) is not None:
            summaries.append([cells] + [row for row, _ in cleaned[i + 1 : body]])
            set_aside += [row for _, row in cleaned[i:body]]
            i = body
            continue
        kept.append(cleaned[i])
        i += 1
    return kept, summaries, set_aside


def _heading_of_first_table(result: Assembled, first_heading: tuple[str, ...], headed_tables: int) -> None:
    """A document that prints a heading right above each of its tables' headers (an audit's name,
    "Table B – completed"): the line right above the first header heads the first table too,
    though it was read with the text above the table."""
    if not first_heading or not headed_tables:
        return
    for record in result.records:
        if record.section is not None:
            break
        record.section, record.headings = first_heading[-1], first_heading


@dataclass
class _Pending:
    cells: list[str]
    row: Row
    table: Table
    section: str | None
    page_top: bool  # the first row of a page (or page chunk) after its header and furniture
    sheet: str | None = None
    headings: tuple[str, ...] = ()


# A column filled in at least this share of a table's records is one every record has.
_EVERY_RECORD = 0.9
# Words and marks a finished cell does not end on: the text was cut after them.
_OPEN_END = re.compile(
    r"(?:[-–—,&/(]|\b(?:a|an|the|of|to|and|or|for|in|on|at|by|with|from|as|is|are|was|were|be|"
    r"been|has|have|had|will|would|should|could|that|which|this|these|its|their|not|than|into|"
    r"under|over|per|via))$",
    re.IGNORECASE,
)
_OPENING = re.compile(r"^[\"'‘’“(\[]*")
_SHAPE_STEPS = [
    (re.compile(r"[A-Z][a-z]+"), "Aa"),
    (re.compile(r"[a-z]+"), "a"),
    (re.compile(r"[A-Z]+"), "A"),
    (re.compile(r"\d+"), "9"),
    (re.compile(r"\s+"), " "),
]


def _shape(text: str) -> str:
    """What a value looks like: "30 April 2025" and "31 March 2024" are both "9 Aa 9"."""
    for pattern, mark in _SHAPE_STEPS:
        text = pattern.sub(mark, text)
    return text


@dataclass
class _Traits:
    """What the records of one table have in common, read from the rows sure to be records (not at
    a page top, first cell filled)."""

    usual: dict[int, float]  # columns nearly every record fills, with the share filled
    prose: set[int]  # columns of running text: most cells end a sentence
    shapes: dict[int, set[str]]  # columns of short regular values (dates, refs, risks): the shapes they take

    @classmethod
    def of(cls, rows: list[_Pending]) -> _Traits:
        inner = [r.cells for r in rows if not r.page_top and r.cells[0]]
        sample = inner if len(inner) >= 3 else [r.cells for r in rows]
        width = len(sample[0]) if sample else 0
        usual, prose, shapes = {}, set(), {}
        for i in range(width):
            texts = [cells[i] for cells in sample if cells[i]]
            share = len(texts) / len(sample)
            if share >= _EVERY_RECORD:
                usual[i] = share
            if texts and sum(1 for t in texts if _SENTENCE_END.search(t.rstrip("\"'’”"))) >= 0.7 * len(texts):
                prose.add(i)
            short = sorted(len(t.split()) for t in texts)[len(texts) // 2] <= 4 if texts else False
            if len(texts) >= 3 and short:  # only short values have a shape worth knowing; prose is dear to shape
                seen = Counter(_shape(t) for t in texts)
                common = [shape for shape, n in seen.most_common(3) if n >= 2]
                if sum(seen[shape] for shape in common) >= 0.8 * len(texts):
                    shapes[i] = set(common)
        return cls(usual, prose, shapes)

    def looks_cut(self, i: int, before: str, after: str) -> int:
        """How plainly a column's text reads as one piece broken in two: 2 where the second piece
        starts in lower case, the first ends on a word or mark nothing ends on or leaves a bracket
        open, or (in a column of
        regular values) the pieces are unlike its values while together they are like them
        ("31 March" + "2025") or both are unlike them ("SCH" + "07" under refs like "R12"); 1
        where, in a column of running text, the first stops without closing its sentence."""
        if not (before and after):
            return 0
        end = before.rstrip()
        if _OPENING.sub("", after)[:1].islower() or _OPEN_END.search(end) or end.count("(") > end.count(")"):
            return 2
        shapes = self.shapes.get(i)
        if shapes and _shape(after) not in shapes and (_shape(before) not in shapes or _shape(before + " " + after) in shapes):
            return 2
        return int(i in self.prose and not _SENTENCE_END.search(end.rstrip("\"'’”")))

    def continues(self, last: RawRecord, cells: list[str]) -> tuple[bool, list[int]]:
        """Whether a row at a page top continues the record cut at the foot of the page before,
        and the usual columns it lacks (its first cell is filled: a row with an empty one
        continues the record above wherever it is). Lacking a column every other record fills
        settles it; lacking only columns a few records leave empty, the text decides: a cell that
        carries on the record above. A row with every usual column is a record unless its cells
        plainly carry on what the record above left open (the page broke after the first line of
        every cell): two cells or more plainly so, and a third of those both fill."""
        missing = [i for i in self.usual if not cells[i]]
        if any(self.usual[i] >= 1.0 for i in missing):
            return True, missing
        shared = [i for i, (a, b) in enumerate(zip(last.columns, cells)) if a and b]
        cut = [self.looks_cut(i, last.columns[i], cells[i]) for i in shared]
        if missing:
            return any(cut), missing
        plain = sum(1 for strength in cut if strength == 2)
        return plain >= 2 and 3 * plain >= len(shared), missing


# What names a recommendation: an export printing them on an action's first row only leaves them
# for its later rows to take.
_IDENTITY = ("ref", "audit_title", "directorate", "responsible", "risk", "recommendation", "management_response", "finding")


def _another_change(last: RawRecord, cells: list[str]) -> bool:
    """Whether a row with an empty first cell is a further change of the record above in an export
    in long format (its own date of change and a revised date of its own), rather than the rest of
    the record's text."""
    fields = last.table.fields
    if "change_date" not in fields or "revised_target" not in fields:
        return False
    change, revised = fields.index("change_date"), fields.index("revised_target")
    return bool(cells[change] and cells[revised] and cells[revised] != last.columns[revised])


def _before_tables(nonempty: list[str], header_like: list[str] | None, result: Assembled) -> list[str] | None:
    """A row before any table: a line of text is preamble; the first row of three cells or more is
    kept as the header-like row to name if no table is found."""
    if len(nonempty) == 1:
        result.preamble.append(strip_markdown(one_line(nonempty[0])))
        result.notes.append(result.preamble[-1])
    return nonempty if len(nonempty) >= 3 and header_like is None else header_like


def _count_widths(cells: list[str], width_totals: dict[int, list[int]]) -> None:
    for i, c in enumerate(cells):
        total = width_totals.setdefault(i, [0, 0])
        total[0] += len(c)
        total[1] += 1


@dataclass
class _Scan:
    """The pass over the rows: what it has found (the rows to make records of, with their table and
    place; each column's cell lengths; the lines right above the first table's header; how many later
    tables have a heading line right above their header; the last table found, None while there is
    none, and the first header-like row seen before any table), and where it stands."""

    result: Assembled  # takes every line outside a table (keys, headings, notes) and the totals rows
    layouts: Layouts
    pending: list[_Pending] = field(default_factory=list)
    width_totals: dict[int, list[int]] = field(default_factory=dict)  # column -> [sum of cells' lengths, cells counted]
    first_heading: tuple[str, ...] = ()  # the lines right above the first table's header (two at most)
    headed_tables: int = 0  # later tables whose header has a heading line right above it
    table: Table | None = None
    header_like: list[str] | None = None
    two_row_tables: dict[tuple[str, ...], Table] = field(default_factory=dict)
    after_header: bool = False
    previous_line: str | None = None  # the one-line row kept just before the current row, if it was one
    block: list[str] = field(default_factory=list)  # the one-line rows printed together since the last record row
    block_open: bool = False  # no record row since the last of them
    section: str | None = None
    sheet: str | None = None  # the last sheet name given as a heading
    part: object = None  # the page or chunk of the last row kept
    new_part: bool = True  # no record row yet since a page began (or a header or furniture repeated)

    def take(self, cells: list[str], row: Row) -> None:
        """One row: furniture, a header (or its second row), a totals row, a line before any table,
        a heading, or a row to make a record of."""
        if row.part != self.part:
            self.part, self.new_part = row.part, True
        nonempty = [c for c in cells if c]
        if not nonempty:
            return
        if all(self.layouts.is_noise(c) for c in nonempty):
            self.new_part = True  # page furniture ("Page 3 of 12") between chunks of one table
            return
        table = self.table
        second = _second_header_row(table, cells, self.layouts, self.two_row_tables) if self.after_header and table else None
        self.after_header = False
        if second is not None:
            self.table = second
            return
        found = _header(cells, self.layouts) if len(nonempty) >= 2 else None
        line, self.previous_line = self.previous_line, (strip_markdown(one_line(nonempty[0])) if len(nonempty) == 1 else None)
        if found is not None:
            self._header(found, line)
        elif table is not None and self.layouts.is_totals(nonempty):
            self.result.notes.append(" – ".join(nonempty))  # a totals row under the table, not a record
            self.result.dropped.append((row, TOTALS_ROW))
        elif table is None:
            self.header_like = _before_tables(nonempty, self.header_like, self.result)
        elif not (len(nonempty) == 1 and cells[0] and (len(cells) == 1 or not any(cells[1:])) and self._heading(cells, row)):
            self._record_row(cells, row, table)

    def _header(self, found: Table, line: str | None) -> None:
        """A table's header row (`line`: the one-line row right above it): a new table, unless it
        repeats the current one's (on a new page)."""
        if self.table is None:
            self.first_heading = tuple(self.result.preamble[-2:]) if line is not None else ()
        elif line is not None and line == self.section:
            self.headed_tables += 1
        if self.table is None or found.fields != self.table.fields:
            self.table = found
        self.after_header = self.new_part = True

    def _heading(self, cells: list[str], row: Row) -> bool:
        """Whether a row with only its first cell filled is a heading, taken as the section from here.
        A heading spans its row. A PDF row at a page top with only its first cell filled and the
        others drawn empty is the rest of a title cut at the foot of the page before."""
        if self.new_part and self.pending and row.page is not None and any(c is not None for c in row.cells[1:]):
            self.previous_line = None
            return False
        self.section = strip_markdown(one_line(cells[0]))
        self.sheet = self.section if row.sheet_name else self.sheet
        self.result.notes.append(self.section)
        self.block = [*self.block, self.section] if self.block_open else [self.section]
        self.block_open = True
        self.new_part = False  # a heading never sits inside a record: what follows starts one
        return True

    def _record_row(self, cells: list[str], row: Row, table: Table) -> None:
        if len(cells) == len(table.fields):
            _count_widths(cells, self.width_totals)
        self.pending.append(_Pending(cells, row, table, self.section, self.new_part, self.sheet, tuple(self.block)))
        self.new_part = self.block_open = False


def _find_tables(cleaned: list[tuple[list[str], Row]], layouts: Layouts, result: Assembled) -> _Scan:
    """Each table by its header, and under it the rows to make records of; every line outside a
    table (keys, headings, notes) goes to the result's preamble or notes, a totals row is left out."""
    scan = _Scan(result, layouts)
    for cells, row in cleaned:
        scan.take(cells, row)
    return scan


def _no_table(header_like: list[str] | None) -> NoTableError:
    """Why no table was read: a header whose columns no layout maps (named), or none at all."""
    if header_like:
        return NoTableError(
            "the header row could not be mapped to recommendation fields; columns seen: "
            + ", ".join(repr(one_line(c)[:60]) for c in header_like)
            + " (add their names to etl/layouts/layouts.toml)"
        )
    return NoTableError("no recommendation table found")


def _fit_columns(pending: list[_Pending], width_totals: dict[int, list[int]]) -> None:
    """Columns narrowest first (by mean cell length), once per table width: a short row's cells
    are fitted under the narrowest columns it lacks."""
    narrowest: dict[int, list[int]] = {}
    for item in pending:
        width = len(item.table.fields)
        if width not in narrowest:
            narrowest[width] = sorted(range(width), key=lambda i: _mean(width_totals.get(i, [0, 0])))
        item.cells = _fit(item.cells, width, narrowest[width])


def _join_rows(pending: list[_Pending], result: Assembled) -> None:
    """The rows made records: a row carrying on the record above (the rest of a record cut at a
    page foot, a continuation line) is joined to it, warning where that is not plain."""
    tables = {id(p.table): p.table for p in pending}
    traits = {key: _Traits.of([p for p in pending if p.table is table]) for key, table in tables.items()}

    for item in pending:
        cells, row, tbl = item.cells, item.row, item.table
        last = result.records[-1] if result.records else None
        if last is not None and last.table is tbl and item.page_top and cells[0]:
            joined, missing = traits[id(tbl)].continues(last, cells)
            where = f"page {row.page}" if row.page is not None else "a page of the text"
            lacks = ", ".join(repr(one_line(tbl.headers[i])[:30]) for i in missing)
            if joined:
                if missing and not cells[0][:1].islower():
                    result.warnings.append(
                        f"a row at the top of {where} lacks {lacks} and was read as the rest of record "
                        f"{last.record_no}, though its first column reads like a title: {one_line(cells[0])[:60]!r}"
                    )
                elif not missing:
                    result.warnings.append(
                        f"a row at the top of {where} has every usual column but carries on what record "
                        f"{last.record_no} left open, and was read as its rest: {one_line(cells[0])[:60]!r}"
                    )
                last.columns = [_join(a, b) for a, b in zip(last.columns, cells)]
                last.rows.append(row)
                continue
            if missing:
                result.warnings.append(
                    f"a row at the top of {where} lacks {lacks}, like no other record but a few, and was read "
                    f"as a record of its own: {one_line(cells[0])[:60]!r}"
                )
        if not cells[0] and last is not None and last.table is tbl:
            if not _another_change(last, cells):
                last.columns = [_join(a, b) for a, b in zip(last.columns, cells)]
                last.rows.append(row)
                continue
            cells = [c or (a if f in _IDENTITY else "") for f, a, c in zip(tbl.fields, last.columns, cells)]
        if not cells[0] and last is None:
            result.warnings.append(
                "text before the first record was not attached to any record: " + one_line(" ".join(c for c in cells if c))[:80]
            )
            continue
        result.records.append(
            RawRecord(
                table=tbl,
                columns=cells,
                page=row.page,
                section=item.section,
                record_no=len(result.records) + 1,
                sheet=item.sheet,
                headings=item.headings,
                rows=[row],
            )
        )


def assemble(rows: list[Row], layouts: Layouts, list_tables: bool = False) -> Assembled:
    """The records of a document's rows: record cards, or tables found by their headers (summary
    tables of counts set aside), their rows fitted to the columns and joined into records, a long
    export's change rows folded into one record each. Tables and rows a council was taught to
    leave out are left out first (etl/leave_out.py); `list_tables` lists every table found."""
    cleaned = [([clean_cell(c) for c in row.cells], row) for row in rows]
    every_row = [cells for cells, _ in cleaned]
    chosen = choose(cleaned, layouts, list_tables)
    cards = _cards(chosen.kept, layouts)
    if cards is not None:
        cards.cleaned, cards.dropped, cards.tables_found = every_row, chosen.left_out, chosen.tables
        return cards
    cleaned, summaries, set_aside = _without_summaries(chosen.kept, layouts)
    result = Assembled(
        preamble=[],
        records=[],
        cleaned=every_row,
        summaries=summaries,
        tables_found=chosen.tables,
        dropped=chosen.left_out + [(row, SUMMARY_ROW) for row in set_aside],
    )
    found = _find_tables(cleaned, layouts, result)
    if found.table is None:
        raise _no_table(found.header_like)
    _fit_columns(found.pending, found.width_totals)
    _join_rows(found.pending, result)
    _heading_of_first_table(result, found.first_heading, found.headed_tables)
    result.records, result.layout_notes, folded = fold_changes(result.records, layouts)
    result.dropped += [(row, FOLDED_CHANGE) for row in folded]
    return result
