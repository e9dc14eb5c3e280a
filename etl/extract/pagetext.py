"""Positioned words to table rows, for tables pdfplumber's rules cannot frame.

A table printed from Excel or in a light Word style is ruled only across (or not at all): only its
shaded header, if anything, forms a ruled table. A reader still sees its columns and rows, and so
does this module, from the words' positions:

* Columns come from the header row, found by its words: the layouts say what a header is. A
  header drawn as a ruled (shaded) row gives its cells' edges; a header of bare words gives its
  cells, and each boundary between two columns is set in the white space the body's words leave
  between the two header cells. The columns carry on to later pages that print no header.
* Rows come from the horizontal rules where the table has them (each band between two rules is a
  row); without rules, from the text's line positions: cells are top-aligned, so a record starts
  on a line where every column the records fill starts a new block of text at once (the columns
  are found from the table itself).
* A line whose words run across a column boundary (a heading spanning the row), or a line alone in
  the first column, set apart above and followed by a record, is a section heading: one cell.
* Lines repeated at the same place at the top or foot of several pages (running headers, "Page 3
  of 12") are page furniture and are left out; so is text far below the table, and text below a
  ruled table's last rule that runs across its columns (background papers, a signature).
* A page may hold several tables, each under its own header (one table per audit): each is read by
  its header's columns. A rule that breaks off in some columns leaves those cells merged down: their
  text belongs to each row they span.

Each cell's lines are given as pdfplumber gives a ruled cell's (one line of text a line), with a
blank line where a line ended short of the column's edge although the next line's first word would
have fitted: a deliberate break (a new paragraph), not a wrap."""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from etl.extract.rows import Row


class Word(NamedTuple):
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    cuts: tuple[float, ...] = ()  # where each char but the last ends: a word may be cut there

    def split_at(self, x: float) -> tuple[Word, Word] | None:
        """The word cut between two chars at most a point and a half from x (text of two cells
        printed with no space between them), or None."""
        if not self.cuts:
            return None
        i = min(range(len(self.cuts)), key=lambda k: abs(self.cuts[k] - x))
        if abs(self.cuts[i] - x) > 1.5:
            return None
        at = self.cuts[i]
        return (
            Word(self.x0, at, self.top, self.bottom, self.text[: i + 1], self.cuts[:i]),
            Word(at, self.x1, self.top, self.bottom, self.text[i + 1 :], self.cuts[i + 1 :]),
        )


@dataclass
class Line:
    words: list[Word]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def base(self) -> float:
        """Where most of the line's words stand (a superscript does not move it)."""
        bottoms = sorted(w.bottom for w in self.words)
        return bottoms[len(bottoms) // 2]


@dataclass
class PageText:
    """What a page without a ruled table gives: its words, its horizontal rules (y, x0, x1) and the
    cells (x0, x1, text) of a one-row ruled table on it (a shaded header), with that row's top and
    bottom."""

    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    header: list[tuple[float, float, str]] | None = None
    header_box: tuple[float, float] | None = None


def lines_of(words: Iterable[Word]) -> list[Line]:
    """Words grouped into lines, top to bottom, each line left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        if lines and lines[-1].top <= middle <= lines[-1].bottom:
            line = lines[-1]
            line.words.append(word)
            line.top, line.bottom = min(line.top, word.top), max(line.bottom, word.bottom)
        else:
            lines.append(Line([word], word.top, word.bottom))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def cell_text(lines: list[Line], left: float, right: float, pitch: float | None = None) -> str:
    """One cell's lines as text: "\n" where the text wrapped, "\n\n" where a paragraph ended: the
    line stopped although the next line's first word would have fitted after it, or the next line
    stands further below than the usual distance between lines (`pitch`)."""
    if not lines:
        return ""
    padding = max(0.0, min(line.x0 for line in lines) - left)
    limit = right - padding
    parts = [lines[0].text]
    for before, line in zip(lines, lines[1:]):
        first = line.words[0]
        size = first.bottom - first.top
        fits = before.x1 + 0.3 * size + (first.x1 - first.x0) < limit - 1
        apart = pitch is not None and line.base - before.base > pitch + 0.1 * size
        # A line ending on a letter, the next starting in lower case, is one piece of text even where
        # the next word seems to fit: a narrow column breaks a word ("Mediu" + "m") by less than we measure.
        carried_on = fits and not apart and before.text[-1:].isalpha() and first.text[:1].islower()
        if (fits or apart) and not before.text.endswith("-") and not carried_on:
            parts.append("\n\n")
        elif len(before.words) == 1 and before.x1 >= limit - 0.6 * size and before.text[-1:].isalpha() and first.text[:1].isalpha():
            parts.append(BROKEN_WORD + "\n")  # one word running to the edge: perhaps a word too wide for the column
        else:
            parts.append("\n")
        parts.append(line.text)
    return "".join(parts)


# Marks the end of a line of one word that ran to its column's edge, the next line starting with a letter.
BROKEN_WORD = "\u2060"


def line_pitch(cells: Iterable[list[Line]]) -> float | None:
    """The usual distance from one line to the next inside a cell (most breaks are wraps)."""
    steps = [b.base - a.base for lines in cells for a, b in zip(lines, lines[1:]) if b.base > a.base]
    return statistics.median(steps) if steps else None


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default


# -- the header and the columns -----------------------------------------------------------------
HeaderTest = Callable[[list[str]], "list[str | None] | None"]


@dataclass
class _Cluster:
    """Header words read as one cell so far: its left and right edges, its (line index, word)
    members, and the height of the last word added."""

    x0: float
    x1: float
    members: list[tuple[int, Word]]
    height: float


def _clusters(lines: list[Line], ratio: float = 0.45, gutters: Sequence[float] = (), glue: bool = False) -> list[tuple[float, float, str]]:
    """A band of header lines cut into cells: words overlapping, or apart by less than `ratio`
    of their height (a space is about a quarter), belong to one cell, read line by line; but never
    across one of `gutters` (x positions where the columns part). With `glue`, a line of a cell
    starting in lower case carries on the word the line above ended ("Recomm" + "endation")."""
    items = sorted(((w.x0, w.x1, i, w) for i, line in enumerate(lines) for w in line.words), key=lambda t: t[0])
    groups: list[_Cluster] = []
    for x0, x1, index, word in items:
        parted = groups and any(groups[-1].x1 < x < x0 for x in gutters)
        if groups and not parted and x0 <= groups[-1].x1 + ratio * max(word.bottom - word.top, groups[-1].height):
            groups[-1].x1 = max(groups[-1].x1, x1)
            groups[-1].members.append((index, word))
            groups[-1].height = word.bottom - word.top
        else:
            groups.append(_Cluster(x0, x1, [(index, word)], word.bottom - word.top))
    return [(g.x0, g.x1, _cell_words(sorted(g.members, key=lambda m: (m[0], m[1].x0)), glue)) for g in groups]


def _cell_words(members: list[tuple[int, Word]], glue: bool) -> str:
    text = ""
    for k, (line, word) in enumerate(members):
        broken = glue and k and line != members[k - 1][0] and word.text[:1].islower() and text[-1:].isalpha()
        text += ("" if broken or not text else " ") + word.text
    return text


def _score(cells: list[tuple[float, float, str]], is_header: HeaderTest) -> int:
    fields = is_header([text for _, _, text in cells])
    return len({f for f in fields if f}) if fields is not None else 0


def _gutters(band: list[Line], body: list[Line]) -> list[float]:
    """Where a header's words stand wider apart than a space and nothing below crosses: columns
    printed with no padding between them ("Revised Date" and "Latest Update" 4 points apart), which
    the body's white space parts though the header's own gap is small."""
    words = sorted((w for line in band for w in line.words), key=lambda w: w.x0)
    below = [w for line in body[:80] for w in line.words]
    found = []
    for a, b in zip(words, words[1:]):
        height = a.bottom - a.top
        if not 0.3 * height < b.x0 - a.x1 < 2 * height:
            continue
        x = (a.x1 + b.x0) / 2
        if below and sum(1 for w in below if w.x0 < x < w.x1) <= 0.02 * len(body[:80]):
            found.append(x)
    return found


def _header_cells(band: list[Line], body: list[Line], is_header: HeaderTest) -> tuple[list[tuple[float, float, str]], int]:
    """A band of lines cut into header cells, with how many fields they name: cut at the body's
    gutters, or with words broken at a line end glued back, where that names more fields than
    cutting by the header's own gaps."""
    cells = _clusters(band)
    score = _score(cells, is_header)
    readings = [_clusters(band, glue=True)]
    if len(cells) > 1:
        gutters = _gutters(band, body)
        if gutters:
            readings += [_clusters(band, gutters=gutters), _clusters(band, gutters=gutters, glue=True)]
    tried = {tuple(text for _, _, text in cells)}
    for reading in readings:
        texts = tuple(text for _, _, text in reading)
        if texts in tried:
            continue  # the same cells: nothing glued or parted
        tried.add(texts)
        better = _score(reading, is_header)
        if better > score:
            cells, score = reading, better
    return cells, score


@dataclass
class Header:
    first: int  # index of its first line
    last: int  # index of its last line
    cells: list[tuple[float, float, str]]
    bottom: float
    mapped: int = 0  # how many of its cells the layouts know


def find_header(
    lines: list[Line],
    is_header: HeaderTest,
    mapped: Callable[[str], bool],
    rules: list[float],
    height: float,
    line_gap: float,
    first_line_only: bool = False,
) -> Header | None:
    """The band of up to six close lines whose cells the layouts read as a header naming the
    most fields (the first such band where several name as many): a title line that mentions
    recommendations names one field, however many times."""
    tight = line_gap + 0.35 * height
    best: Header | None = None
    for i, line in enumerate(lines[:1] if first_line_only else lines):
        if not any(mapped(text) for _, _, text in _clusters([line])):
            continue
        for last in range(i, min(i + 6, len(lines))):
            if last > i:
                above, below = lines[last - 1], lines[last]
                if below.top - above.bottom > tight or any(above.bottom - 1 < y < below.top + 1 for y in rules):
                    break
            cells, score = _header_cells(lines[i : last + 1], lines[last + 1 :], is_header)
            if score >= 2 and (best is None or score > best.mapped or (score == best.mapped and best.first == i)):
                best = Header(i, last, cells, max(line.bottom for line in lines[i : last + 1]), score)
    return best


@dataclass
class Grid:
    """A table's columns: edges[i] to edges[i + 1] is column i."""

    key: tuple[str, ...]
    edges: list[float]
    mapped: int = 0  # how many of its header's cells the layouts know
    starts: tuple[float, ...] = ()  # where its header's cells start

    def same_header(self, other: Grid) -> bool:
        """The same header printed at the same place (repeated on a new page)."""
        return (
            self.key == other.key
            and len(self.starts) == len(other.starts)
            and all(abs(a - b) <= 2 for a, b in zip(self.starts, other.starts))
        )

    def column(self, x: float) -> int:
        return min(max(bisect.bisect_right(self.edges, x) - 1, 0), len(self.edges) - 2)

    @property
    def width(self) -> float:
        return self.edges[-1] - self.edges[0]


def grid_from_ruled(cells: list[tuple[float, float, str]]) -> Grid:
    inner = [(a[1] + b[0]) / 2 for a, b in zip(cells, cells[1:])]
    return Grid(tuple(c[2] for c in cells), [cells[0][0]] + inner + [cells[-1][1]])


def grid_from_words(cells: list[tuple[float, float, str]], body: list[Word]) -> Grid:
    """Columns from a header of bare words: each boundary lies between the end of one header
    cell and the start of the next, where the body's words leave the widest white space."""
    left = min([cells[0][0]] + [w.x0 for w in body]) - 1
    right = max([cells[-1][1]] + [w.x1 for w in body]) + 1
    start = int(left)
    cover = [0] * (int(right) - start + 2)
    for w in body:
        first, last = int(w.x0) - start, int(w.x1) - start
        cover[max(first, 0)] += 1
        cover[min(last + 1, len(cover) - 1)] -= 1
    running = 0
    for i, step in enumerate(cover):
        running += step
        cover[i] = running
    inner = []
    for a, b in zip(cells, cells[1:]):
        lo, hi = int(a[1]) - start + 1, int(b[0]) - start
        if hi <= lo:
            inner.append((a[1] + b[0]) / 2)
            continue
        segment = cover[lo:hi]
        least = min(segment)
        widest, at, run = 0, 0, None
        for x, value in enumerate(segment + [least + 1]):
            if value == least:
                run = x if run is None else run
            elif run is not None:
                if x - run > widest:
                    widest, at = x - run, run
                run = None
        gutter = start + lo + at + widest / 2
        # A column whose words start where its header starts (set flush left) begins there; where a
        # word runs up to it from the column before (no padding), the gutter is that start.
        flush = sum(1 for w in body if abs(w.x0 - b[0]) <= 1) >= 3
        if flush and (least > 0 or any(w.x0 < gutter < w.x1 or w.x0 < b[0] - 0.5 < w.x1 for w in body)):
            gutter = b[0] - 0.5
        inner.append(gutter)
    return Grid(tuple(c[2] for c in cells), [left] + inner + [right], starts=tuple(c[0] for c in cells))


# -- rows ---------------------------------------------------------------------------------------
@dataclass
class _Placed:
    """A body line with its words put in columns."""

    line: Line
    columns: dict[int, list[Word]]
    spanning: bool
    page: int
    grid: Grid
    part: int = 0  # which of its table's runs of rows (a page may hold several tables) it is in


def _place(line: Line, grid: Grid, page: int, height: float) -> _Placed:
    """A line's words put in the columns their middles fall in. A word across a boundary is cut
    there when its chars part there (two cells printed with no space between them); one that
    still runs across, or a line that is one run of words from the first column into others, is
    a heading spanning the row."""
    inner = grid.edges[1:-1]
    words: list[Word] = []
    across = False
    for word in line.words:
        for edge in inner:
            if word.x0 < edge - 1 and word.x1 > edge + 1:
                parts = word.split_at(edge)
                if parts is None:
                    across = True
                    break
                words.append(parts[0])
                word = parts[1]
        words.append(word)
    columns: dict[int, list[Word]] = {}
    for word in words:
        columns.setdefault(grid.column((word.x0 + word.x1) / 2), []).append(word)
    one_run = 0 in columns and len(columns) > 1 and all(b.x0 - a.x1 < 0.6 * height for a, b in zip(line.words, line.words[1:]))
    return _Placed(line, columns, len(columns) > 1 and (across or one_run), page, grid)


def _cells(group: list[_Placed], pitch: float | None) -> list[str]:
    grid = group[0].grid
    cells = []
    for c in range(len(grid.edges) - 1):
        lines = [Line(p.columns[c], p.line.top, p.line.bottom) for p in group if c in p.columns]
        cells.append(cell_text(lines, grid.edges[c], grid.edges[c + 1], pitch))
    return cells


def _pitch(placed: list[_Placed]) -> float | None:
    """The usual distance between lines of one column."""
    steps = [
        b.line.base - a.line.base
        for a, b in zip(placed, placed[1:])
        if a.page == b.page and set(a.columns) & set(b.columns) and b.line.base > a.line.base
    ]
    return statistics.median(steps) if steps else None


def _heading(group: list[_Placed]) -> Row:
    return Row([" ".join(p.line.text for p in group)], group[0].page)


def _rows_by_rules(
    placed: list[_Placed],
    rules: list[float],
    pitch: float | None,
    table_ends: bool = False,
    open_columns: dict[float, set[int]] | None = None,
) -> list[Row]:
    """Each band between two rules is a row; a band of lines spanning the columns is a heading.
    On the page where the table ends, text below its last rule that runs across the columns is
    what the paper prints after the table (background papers, a signature): lines, not a row.
    A rule broken off in some columns (`open_columns`, by the rule's height) leaves a cell merged
    down across it: that cell's text belongs to each row it spans."""
    rows: list[Row] = []
    bands: dict[int, list[_Placed]] = {}
    for p in placed:
        middle = (p.line.top + p.line.bottom) / 2
        bands.setdefault(bisect.bisect_right(rules, middle), []).append(p)
    records: dict[int, Row] = {}
    for index, group in sorted(bands.items()):
        if all(p.spanning for p in group):
            rows.append(_heading(group))
        elif table_ends and rules and index == len(rules) and any(p.spanning for p in group):
            rows.extend(Row([p.line.text], p.page) for p in group)
        else:
            rows.append(Row(_cells(group, pitch), group[0].page))
            records[index] = rows[-1]
    _share_merged(records, rules, open_columns or {})
    return rows


def _share_merged(records: dict[int, Row], rules: list[float], open_columns: dict[float, set[int]]) -> None:
    """Rows (by band) joined by a rule open in a column: the column's text, pieces joined, in each."""
    runs: dict[int, list[list[int]]] = {}  # column -> runs of bands its cell spans
    for index in sorted(records):
        below = rules[index] if index < len(rules) else None
        for column in range(len(records[index].cells)):
            column_runs = runs.setdefault(column, [[]])
            column_runs[-1].append(index)
            if below is None or column not in open_columns.get(below, set()) or index + 1 not in records:
                column_runs.append([])
    for column, column_runs in runs.items():
        for bands in column_runs:
            if len(bands) > 1:
                text = "\n".join(t for i in bands if (t := records[i].cells[column] or ""))
                for i in bands:
                    cells = list(records[i].cells)
                    cells[column] = text
                    records[i].cells = cells


def _starts(placed: list[_Placed], height: float) -> list[set[int]]:
    """For each line, the columns where a new block of text starts on it: the column was empty on
    the line before, or this line is set apart from it by more than a wrap's spacing."""
    gaps = [
        b.line.top - a.line.bottom
        for a, b in zip(placed, placed[1:])
        if a.page == b.page and set(a.columns) & set(b.columns) and not (a.spanning or b.spanning)
    ]
    limit = _median(gaps, 0.2 * height) + 0.3 * height
    starts: list[set[int]] = []
    for i, p in enumerate(placed):
        before = placed[i - 1] if i else None
        if before is None or before.page != p.page or before.spanning:
            starts.append(set(p.columns))
            continue
        starts.append({c for c in p.columns if c not in before.columns or p.line.top - before.line.bottom > limit})
    return starts


def _rows_by_lines(placed: list[_Placed], height: float) -> list[tuple[_Placed, Row]]:
    """Rows of a table without rules: a record starts on a line where every column the records
    fill starts a block of text at once (all but one, where three or more do: a record may leave
    one of them empty)."""
    starts = _starts(placed, height)
    pitch = _pitch(placed)
    first_on_page = [i == 0 or placed[i - 1].page != p.page for i, p in enumerate(placed)]
    counts = [len(s) for i, s in enumerate(starts) if not first_on_page[i] and not placed[i].spanning]
    most = max(counts, default=0)
    candidates = [s for i, s in enumerate(starts) if not first_on_page[i] and not placed[i].spanning and len(s) >= max(2, -(-most // 2))]
    tally = Counter(c for s in candidates for c in s)
    usual = {c for c, n in tally.items() if n >= 0.8 * len(candidates)}
    if not usual and tally:
        usual = {tally.most_common(1)[0][0]}
    # A line alone in the first column, set apart above, followed by a line where the other usual
    # columns start: a section heading the width of the first column.
    heading = [False] * len(placed)
    for i, p in enumerate(placed[:-1]):
        after = placed[i + 1]
        if (
            set(p.columns) == {0}
            and 0 in starts[i]
            and not usual <= starts[i]
            and after.page == p.page
            and (usual - {0}) <= starts[i + 1]
            and (0 not in usual or 0 in after.columns)
        ):
            heading[i] = True
            starts[i + 1] |= set(after.columns)
    rows: list[tuple[_Placed, Row]] = []
    group: list[_Placed] = []
    span: list[_Placed] = []

    def flush() -> None:
        if group:
            rows.append((group[0], Row(_cells(group, pitch), group[0].page)))
            group.clear()
        if span:
            rows.append((span[0], _heading(span)))
            span.clear()

    for i, p in enumerate(placed):
        if p.spanning or heading[i]:
            if group:
                flush()
            span.append(p)
            continue
        missing = usual - starts[i]
        begins = bool(usual) and (not missing or (len(missing) == 1 and len(usual & starts[i]) >= 3))
        if span or begins or (group and (group[0].page, group[0].part) != (p.page, p.part)):
            flush()
        group.append(p)
    flush()
    return rows


# -- pages --------------------------------------------------------------------------------------
_DIGITS = re.compile(r"\d+")


def _furniture_key(line: Line, page: PageText) -> tuple[int, str] | None:
    """Where and what a line at the top or foot of a page says (numbers folded), for lines that
    might be running headers and footers."""
    if page.height * 0.12 < line.top and line.bottom < page.height * 0.88:
        return None
    return round(line.top / 3), _DIGITS.sub("#", line.text)


def _later_headers(
    lines: list[Line],
    first: Header,
    is_header: HeaderTest,
    mapped: Callable[[str], bool],
    rules: list[float],
    height: float,
    line_gap: float,
) -> list[Header]:
    """Headers of further tables below the first on a page (one table per audit, each under its
    heading): bands of at least three cells every one of which names a field, other than the header
    above, top to bottom."""
    found: list[Header] = []
    start = first.last + 1
    while start < len(lines):
        if sum(1 for _, _, text in _clusters([lines[start]]) if mapped(text)) < 3:
            start += 1  # a header's first line names three fields at least: most lines are soon passed
            continue
        header = find_header(lines[start : start + 6], is_header, mapped, rules, height, line_gap, first_line_only=True)
        named = (is_header([text for _, _, text in header.cells]) or []) if header is not None else []
        before = (found or [first])[-1]
        if header is None or header.mapped < 3 or not all(named) or [c[2] for c in header.cells] == [c[2] for c in before.cells]:
            start += 1  # the same header again is read as a row of the table it repeats, as before
            continue
        found.append(Header(start, header.last + start, header.cells, header.bottom, header.mapped))
        start += header.last + 1
    return found


def _page_headers(
    page: PageText, lines: list[Line], is_header: HeaderTest, mapped: Callable[[str], bool], height: float, line_gap: float
) -> list[Header]:
    """The page's table headers, top to bottom: a shaded (ruled) header row or a band of words."""
    rule_ys = [y for y, x0, x1 in page.rules]
    header = None
    if page.header is not None and is_header([text for _, _, text in page.header]) is not None:
        top, bottom = page.header_box or (0.0, 0.0)
        inside = [i for i, line in enumerate(lines) if top - 1 <= (line.top + line.bottom) / 2 <= bottom + 1]
        first = inside[0] if inside else next((i for i, line in enumerate(lines) if line.top > bottom), len(lines))
        fields = is_header([text for _, _, text in page.header]) or []
        header = Header(first, inside[-1] if inside else first - 1, page.header, bottom, len({f for f in fields if f}))
    if header is None:
        header = find_header(lines, is_header, mapped, rule_ys, height, line_gap)
    if header is None:
        return []
    return [header, *_later_headers(lines, header, is_header, mapped, rule_ys, height, line_gap)]


@dataclass
class _Part:
    """One table's run of rows on one page (a page may hold several tables): where its rows go."""

    page: PageText
    placed: list[_Placed]
    height: float
    limit: float  # the top of the next table's header on the page: its rules are not this table's
    rows: list[Row]  # the page's rows of this table, its header row first


def read_unruled(pages: list[PageText], is_header: HeaderTest, mapped: Callable[[str], bool]) -> dict[int, tuple[list[str], list[Row]]]:
    """Each page's lines outside any table (for the text above the first table) and its table
    rows: for each table on it, the header row as printed, then the body rows."""
    found: dict[int, tuple[list[Line], list[Header], float, float]] = {}
    for page in pages:
        lines = lines_of(page.words)
        height = _median([w.bottom - w.top for w in page.words], 8.0)
        line_gap = _median([b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top > a.bottom], 0.2 * height)
        found[page.number] = (lines, _page_headers(page, lines, is_header, mapped, height, line_gap), height, line_gap)
    seen = Counter(
        key
        for page in pages
        for i, line in enumerate(found[page.number][0])
        if not any(h.first <= i <= h.last for h in found[page.number][1])
        if (key := _furniture_key(line, page)) is not None
    )
    repeated = {key for key, n in seen.items() if n >= 2}

    out: dict[int, tuple[list[str], list[Row]]] = {}
    grid: Grid | None = None
    previous_number = None
    tables: list[list[_Part]] = []  # each table's runs of rows, page by page
    page_parts: dict[int, list[_Part]] = {}
    for page in pages:
        lines, headers, height, line_gap = found[page.number]
        if previous_number is not None and page.number != previous_number + 1:
            grid = None  # a ruled table came between: its columns are not these
        previous_number = page.number
        if (
            headers
            and grid is not None
            and headers[0].cells is not page.header
            and (tuple(text for _, _, text in headers[0].cells) != grid.key and headers[0].mapped < grid.mapped)
        ):
            headers = headers[1:]  # lines of the table that read like a header, less of one than the table's own
        if not headers and grid is None:
            out[page.number] = ([line.text for line in lines], [])
            continue
        above = [line.text for line in lines[: headers[0].first]] if headers else []
        ends = [h.first for h in headers[1:]] + [len(lines)]
        parts: list[_Part] = []
        runs: list[Header | None] = list(headers) or [None]  # no header: the table from the page before goes on
        for header, end in zip(runs, ends):
            body_start = 0 if header is None else header.last + 1
            if header is not None:
                grid = _grid_for(header, page, lines[body_start:end], repeated, grid, tables)
            assert grid is not None
            body = _body(lines[body_start:end], page, grid, repeated, height, line_gap)
            limit = lines[end].top if end < len(lines) else page.height
            head_rows = [Row([text for _, _, text in header.cells], page.number)] if header is not None else []
            parts.append(_Part(page, [_place(line, grid, page.number, height) for line in body], height, limit, head_rows))
            tables[-1].append(parts[-1])
        out[page.number] = (above, [])
        page_parts[page.number] = parts
    for table in tables:
        _read_table(table)
    for number, parts in page_parts.items():
        out[number][1].extend(row for part in parts for row in part.rows)
    return out


def _grid_for(
    header: Header, page: PageText, body: list[Line], repeated: set[tuple[int, str]], grid: Grid | None, tables: list[list[_Part]]
) -> Grid:
    """The columns a header sets, starting a new table where its columns differ from the table
    before. A header repeated at the same place keeps the columns the first page's body set: a page
    with few rows leaves less white space to find them by."""
    if header.cells is page.header:
        new = grid_from_ruled(header.cells)
    else:
        new = grid_from_words(header.cells, [w for line in body for w in line.words if _furniture_key(line, page) not in repeated])
    new.mapped = header.mapped
    if grid is None or new.key != grid.key:
        tables.append([])
    if grid is None or header.cells is page.header or not grid.same_header(new):
        return new
    return grid


def _body(lines: list[Line], page: PageText, grid: Grid, repeated: set[tuple[int, str]], height: float, line_gap: float) -> list[Line]:
    """A table's lines on a page, without page furniture and text beside the table; the table ends
    on the page where the text stops flowing (a gap of several lines near the foot)."""
    body = [
        line
        for line in lines
        if _furniture_key(line, page) not in repeated and line.x1 > grid.edges[0] - 2 and line.x0 < grid.edges[-1] + 2
    ]
    for i, (a, b) in enumerate(zip(body, body[1:])):
        if b.top - a.bottom > 3 * (height + line_gap) and b.top > page.height * 0.85:
            return body[: i + 1]
    return body


def _read_table(parts: list[_Part]) -> None:
    """A table's rows, page by page: by its rules across where it has them (two a page at least),
    else by its lines."""
    height = _median([part.height for part in parts], 8.0)
    body_rules: list[list[float]] = []
    open_columns: dict[float, set[int]] = {}  # each rule's columns it does not cross (a cell merged down)
    for part in parts:
        if not part.placed:
            body_rules.append([])
            continue
        grid = part.placed[0].grid
        left, right, top = grid.edges[0], grid.edges[-1], part.placed[0].line.top - 2
        # A rule across the table, though a cell merged down over several rows breaks it into pieces.
        pieces: dict[float, list[tuple[float, float]]] = {}
        for y, x0, x1 in part.page.rules:
            if top < y < part.limit:
                pieces.setdefault(y, []).append((x0, x1))
        ys = sorted(
            y for y, spans in pieces.items() if sum(max(0.0, min(x1, right) - max(x0, left)) for x0, x1 in spans) >= 0.5 * grid.width
        )
        body_rules.append([y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 1.5])
        middles = [(a + b) / 2 for a, b in zip(grid.edges, grid.edges[1:])]
        open_columns.update({y: {c for c, m in enumerate(middles) if not any(x0 - 1 <= m <= x1 + 1 for x0, x1 in pieces[y])} for y in ys})
    if sum(len(ys) for ys in body_rules) >= 2 * len(parts):
        pitch = _pitch([p for part in parts for p in part.placed])
        for part, rules in zip(parts, body_rules):
            part.rows.extend(_rows_by_rules(part.placed, rules, pitch, part is parts[-1], open_columns))
    else:
        for index, part in enumerate(parts):
            for p in part.placed:
                p.part = index
        for first, row in _rows_by_lines([p for part in parts for p in part.placed], height):
            parts[first.part].rows.append(row)
