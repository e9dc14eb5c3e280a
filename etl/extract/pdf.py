"""Committee-paper PDFs to the same stream of rows the text extractor gives.

A page whose table pdfplumber can frame by its rules gives that table's rows: the header repeats
as each page's first row, a section heading is one cell with None in the others, and each cell's
lines come with their breaks told apart (a wrap, a paragraph, a word cut at the column's edge) so
that wrapped lines join back into the text as written. A row cut by a page break comes back as
two rows; the assembler puts them together. Where the rules stop short of a row cut by a page
break, the columns' rules close it. Text just above a table (below the one before) is a heading;
running headers and footers are not table rows and are left out.

A page without a ruled table body (a table ruled only across, or not at all, or a cover page)
gives its positioned words, read into rows by etl.extract.pagetext once every page is in, since
its columns may come from a header printed on an earlier page.

Text above the first table (the title, an as-at date) comes through as one-cell rows. Pages are
read one at a time and their caches dropped, so memory stays flat however long the document; a
run of pages reads on its own, so several processes can share one document."""

from __future__ import annotations

import bisect
import gc
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from etl.extract.kind import InputKind, Pages, Progress
from etl.extract.pagetext import BROKEN_WORD, Line, PageText, Word, cell_text, line_pitch, read_unruled
from etl.extract.rows import ExtractError, Row, separator
from etl.extract.tables import header_fields
from etl.layouts.config import load_layouts

if TYPE_CHECKING:
    from pdfplumber._typing import T_obj_list
    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF
    from pdfplumber.table import CellGroup, Table
    from pdfplumber.utils.text import WordExtractor

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_DIGITS = re.compile(r"\d+")


def content_problem(head: bytes) -> str | None:
    # The header may follow a little junk: readers look for it in the first 1024 bytes.
    return None if b"%PDF" in head[:1024] else "not a PDF (the file does not start with %PDF)"


def _out_of_memory(exc: BaseException) -> bool:
    """pdfplumber wraps what pdfminer raises, a MemoryError too: look through the wrapping."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or any(isinstance(arg, MemoryError) for arg in seen.args):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _open(path: Path) -> PDF:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    with open(path, "rb") as fh:
        problem = content_problem(fh.read(1024))
    if problem:
        raise ExtractError(problem)
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parses the page tree: damage shows here
    except Exception as exc:
        if _out_of_memory(exc):
            raise MemoryError from None
        # pdfplumber wraps pdfminer's errors; the original is its first argument.
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        name = type(inner).__name__
        if isinstance(inner, PDFPasswordIncorrect) or "Encrypt" in name or "Password" in name:
            raise ExtractError("the PDF is encrypted: save an unprotected copy") from None
        raise ExtractError(f"the PDF is damaged and cannot be read ({name})") from None
    if not pdf.pages:
        pdf.close()
        raise ExtractError(_why_no_pages(path))
    return pdf


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _why_no_pages(path: Path) -> str:
    """A document whose page tree is empty has no pages; one that prints page objects the reader
    could not reach through its cross-reference table is damaged (poppler would rebuild it)."""
    with open(path, "rb") as fh:
        if _PAGE_OBJECT.search(fh.read()):
            return "the PDF is damaged and cannot be read (its cross-reference table leads to no page)"
    return "the PDF has no pages"


def _find_tables(page: Page) -> list[Table]:
    """The page's ruled tables. A row cut by a page break may have no rule under it at the foot
    of one page, or none over it at the top of the next, though the columns' rules run on to it:
    close the table where its vertical rules end."""
    found = page.find_tables()
    if not found:
        # A page holding one row cut at both ends: column rules, no rule across but one.
        columns = [e for e in page.vertical_edges if e["bottom"] - e["top"] > 20]
        if len({round(e["x0"]) for e in columns}) < 3:
            return found
        closing = [min(e["top"] for e in columns), max(e["bottom"] for e in columns)]
        return page.find_tables({"explicit_horizontal_lines": closing})
    first, last = min(found, key=lambda t: t.bbox[1]), max(found, key=lambda t: t.bbox[3])
    closing = []
    x0, _, x1, bottom = last.bbox
    below = [e["bottom"] for e in page.vertical_edges if x0 - 1 <= e["x0"] <= x1 + 1 and e["top"] <= bottom + 2]
    if below and max(below) > bottom + 2:
        closing.append(max(below))
    x0, top, x1, _ = first.bbox
    above = [e["top"] for e in page.vertical_edges if x0 - 1 <= e["x0"] <= x1 + 1 and e["bottom"] >= top - 2]
    if above and min(above) < top - 2:
        closing.append(min(above))
    return page.find_tables({"explicit_horizontal_lines": closing}) if closing else found


@dataclass
class PageTables:
    """What one page gives: its ruled tables' cells and, on pages up to the document's first
    table, the lines of text above the table (None where a run of pages had met a table already).
    A page whose text no ruled table holds gives its positioned words instead (`text`), read into
    rows once every page is in, since its columns may come from a header on an earlier page."""

    number: int
    tables: list[list[list[str | None]]]
    above: list[str] | None
    has_text: bool
    text: PageText | None = None
    headings: list[list[tuple[float, str]]] = field(default_factory=list)  # lines (top, text) just above each table
    merges: list[Merges] = field(default_factory=list)  # each table's merged cells cut by the page's edges


def page_count(path: Path) -> int:
    """The number of pages, or an ExtractError saying why the file cannot be read."""
    pdf = _open(path)
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def _lines_of_chars(chars: T_obj_list, extractor: WordExtractor) -> list[Line]:
    """Chars as pdfplumber's extract_text groups them: words, then lines three points apart."""
    from pdfplumber.utils import cluster_objects

    words = extractor.extract_words(chars)
    return [
        Line(
            [Word(w["x0"], w["x1"], w["top"], w["bottom"], w["text"]) for w in line],
            min(w["top"] for w in line),
            max(w["bottom"] for w in line),
        )
        for line in cluster_objects(words, "top", 3)
    ]


@dataclass
class _PlacedChars:
    """A page's chars by where their middles stand, top to bottom then left to right, so that
    the chars of a band across the page are found by bisection instead of a pass over the page."""

    chars: T_obj_list
    placed: list[tuple[float, float, int]]  # (middle's y, middle's x, index in chars), sorted
    middles: list[float]  # each placed char's middle y

    @classmethod
    def of(cls, chars: T_obj_list) -> _PlacedChars:
        placed = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars))
        return cls(chars, placed, [v for v, _, _ in placed])

    def band(self, top: float, bottom: float) -> list[tuple[float, float, int]]:
        """The chars whose middle is at or below `top` and above `bottom`."""
        return self.placed[bisect.bisect_left(self.middles, top) : bisect.bisect_left(self.middles, bottom)]

    def between(self, floor: float, top: float) -> T_obj_list:
        """The chars whose middle is below `floor` and above `top`, in the page's order."""
        band = self.placed[bisect.bisect_right(self.middles, floor) : bisect.bisect_left(self.middles, top)]
        return [self.chars[i] for i in sorted(i for _, _, i in band)]


def _chars_in_cells(
    boxes: list[tuple[float, float, float, float]], in_row: list[tuple[float, float, int]], chars: T_obj_list
) -> list[T_obj_list]:
    """Each cell's chars (those whose middle falls in it), in the order of `in_row`. A char's
    cell is found by bisection on the cells' left edges; cells are looked back over only while
    one reaching further right might hold it."""
    order = sorted(range(len(boxes)), key=lambda k: boxes[k][0])
    starts = [boxes[k][0] for k in order]
    reach = list(accumulate((boxes[k][2] for k in order), max))
    mine: list[T_obj_list] = [[] for _ in boxes]
    for v, h, i in in_row:
        j = bisect.bisect_right(starts, h) - 1
        while j >= 0 and reach[j] > h:
            cx0, ctop, cx1, cbottom = boxes[order[j]]
            if h < cx1 and ctop <= v < cbottom:
                mine[order[j]].append(chars[i])
            j -= 1
    return mine


def _table_cells(table: Table, page_chars: _PlacedChars, extractor: WordExtractor) -> tuple[list[list[str | None]], Merges]:
    """A ruled table's cells as pdfplumber's Table.extract gives them (each char in the cell its
    middle falls in), with a blank line where a line ended short of the cell's edge on purpose.
    A row's chars are found by bisection on their height instead of a pass over the page."""
    grid: list[list[tuple[tuple[float, float, float, float], list[Line]] | None]] = []
    for row in table.rows:
        boxes = [cell for cell in row.cells if cell is not None]
        found = iter(_chars_in_cells(boxes, page_chars.band(row.bbox[1], row.bbox[3]), page_chars.chars))
        out: list[tuple[tuple[float, float, float, float], list[Line]] | None] = []
        for cell in row.cells:
            mine = [] if cell is None else next(found)
            out.append(None if cell is None else (cell, _lines_of_chars(mine, extractor) if mine else []))
        grid.append(out)
    pitch = line_pitch(lines for row in grid for cell in row if cell for lines in [cell[1]])
    texts = [[None if cell is None else cell_text(cell[1], cell[0][0], cell[0][2], pitch) for cell in row] for row in grid]
    return _merged_down(table.rows, texts)


@dataclass
class Merges:
    """Cells merged down that a page break may cut: at the table's foot, the text of each column's
    last cell, and whether it is merged down over rows above; at its top, each column whose first
    body cell is drawn empty, with the rows that cell spans (the rest of a merged cell from the page
    before, when the cell at the foot was merged or this one spans rows of its own)."""

    foot: dict[int, tuple[str, bool]] = field(default_factory=dict)  # column -> (text, merged over rows above)
    top: dict[int, list[int]] = field(default_factory=dict)


def _merged_down(rows: list[CellGroup], texts: list[list[str | None]]) -> tuple[list[list[str | None]], Merges]:
    """A cell merged down over several rows (an audit title or an update given once for three
    recommendations) is drawn once, in the first of them; pdfplumber leaves the rows below without a
    cell there. Its text belongs to every row it spans, as a reader takes it; but a cell merged down
    from the header (a header printed in two rows) stays empty below, as the assembler expects."""
    layouts = load_layouts()
    header = next((i for i, cells in enumerate(texts[:3]) if header_fields([c or "" for c in cells], layouts)), None)
    body = 0 if header is None else header + 1
    spanning: dict[int, tuple[int, float, str | None]] = {}  # column -> (its row, bottom, text) of the cell drawn
    merges = Merges()
    for index, (row, cells) in enumerate(zip(rows, texts)):
        top = row.bbox[1]
        for column, box in enumerate(row.cells):
            if box is not None:
                if index >= body:
                    spanning[column] = (index, box[3], cells[column])
                if index == body and not cells[column]:
                    merges.top[column] = [index]
                continue
            start, bottom, text = spanning.get(column, (-1, 0.0, None))
            if bottom > top + 1:
                if text:
                    cells[column] = text
                if start == body and column in merges.top:
                    merges.top[column].append(index)
    if rows:
        last = len(rows) - 1
        foot = rows[-1].bbox[3]
        merges.foot = {column: (text, start < last) for column, (start, bottom, text) in spanning.items() if text and bottom >= foot - 1}
    return texts, merges


def _headings(found: list[Table], page_chars: _PlacedChars, extractor: WordExtractor) -> list[list[tuple[float, str]]]:
    """For each ruled table, the block of text lines printed just above it and starting in its
    first column (a heading such as "Table B: recommendations completed"), below the table
    before it."""
    boxes = [t.bbox for t in found]
    headings = []
    for i, (_, top, _, _) in enumerate(boxes):
        floor = boxes[i - 1][3] if i else 0.0
        between = page_chars.between(floor, top)
        block: list[Line] = []
        edge = top
        first_column = min((cell[2] for row in found[i].rows for cell in row.cells[:1] if cell), default=boxes[i][2])
        for line in sorted(_lines_of_chars(between, extractor) if between else [], key=lambda line: -line.top):
            if line.x0 >= first_column:
                break  # text in a later column is no heading: a piece of a row the rules left out
            if edge - line.bottom > 2 * (line.bottom - line.top) + 4:
                break
            block.insert(0, line)
            edge = line.top
        headings.append([(line.top, line.text) for line in block])
    return headings


def _rules(page: Page) -> list[tuple[float, float, float]]:
    """The page's horizontal rules (lines and rectangle edges), pieces side by side merged: y, x0, x1."""
    edges = sorted((round(e["top"] * 2) / 2, e["x0"], e["x1"]) for e in page.horizontal_edges)
    merged: list[list[float]] = []
    for y, x0, x1 in edges:
        if merged and abs(merged[-1][0] - y) <= 1 and x0 <= merged[-1][2] + 2:
            merged[-1][2] = max(merged[-1][2], x1)
        else:
            merged.append([y, x0, x1])
    return [(y, x0, x1) for y, x0, x1 in merged if x1 - x0 > 10]


def _page_text(page: Page, number: int, found: list[Table], chars: T_obj_list) -> PageText:
    """A page without a ruled table body: its words (split at smaller gaps than pdfplumber's
    default, since nothing but white space parts the columns), rules, and a one-row ruled table
    (a shaded header) if it has one."""
    from pdfplumber.utils.text import WordExtractor

    words = [
        Word(w["x0"], w["x1"], w["top"], w["bottom"], w["text"], tuple(c["x1"] for c in w["chars"][:-1]))
        for w in WordExtractor(x_tolerance=1.5).extract_words(chars, return_chars=True)
    ]
    text = PageText(number, float(page.width), float(page.height), words, _rules(page))
    if found:
        head = found[0]
        [cells], _ = _table_cells(head, _PlacedChars.of(chars), _extractor())
        boxes = head.rows[0].cells
        if all(box is not None for box in boxes) and any(cells):
            text.header = [(box[0], box[2], cell or "") for box, cell in zip(boxes, cells) if box is not None]
            text.header_box = (head.bbox[1], head.bbox[3])
    return text


def _extractor() -> WordExtractor:
    from pdfplumber.utils.text import WordExtractor

    return WordExtractor()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading a page makes some hundred thousand small objects (a dict a char), next to none of them
    in a reference cycle: the cycle collector would go over them again and again for nothing (a tenth
    of the reading's time). It is off while a page is read; whatever cycles the page left are
    collected soon after it is back on, so memory stays flat."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _read_page(page: Page, number: int, table_met: bool, extractor: WordExtractor) -> PageTables:
    """One page's tables (or its words, for a page without a ruled table body); on pages up to
    the document's first table (`table_met` false), the lines of text above the table."""
    from etl.extract.pdfobjects import read_objects_quickly

    read_objects_quickly(page)
    found = sorted(_find_tables(page), key=lambda t: (t.bbox[1], t.bbox[0]))
    chars = page.chars
    if not any(len(t.rows) > 1 for t in found):
        return PageTables(number, [], None, bool(chars), _page_text(page, number, found, chars))
    above = None
    if not table_met:
        top = min(t.bbox[1] for t in found)
        # Only text wholly above the table: a header's letters may reach over its top rule.
        text = (page.within_bbox((0, 0, page.width, top)).extract_text() or "") if top > 1 else ""
        above = [line for line in text.splitlines() if line.strip()]
    page_chars = _PlacedChars.of(chars)
    cells = [_table_cells(t, page_chars, extractor) for t in found]
    return PageTables(
        number,
        [c for c, _ in cells],
        above,
        bool(chars),
        headings=_headings(found, page_chars, extractor),
        merges=[m for _, m in cells],
    )


def read_pages(path: Path, first: int = 1, last: int | None = None, progress: Progress | None = None) -> list[PageTables]:
    """Pages first..last (1-based, inclusive; all by default). Runs of pages are independent,
    so a long document can be read by several processes at once."""
    pdf = _open(path)
    read: list[PageTables] = []
    table_met = False
    extractor = _extractor()
    try:
        total = len(pdf.pages)
        for number in range(first, min(last or total, total) + 1):
            page = pdf.pages[number - 1]
            with _no_cycle_collection():
                try:
                    read.append(_read_page(page, number, table_met, extractor))
                except Exception as exc:
                    if _out_of_memory(exc):
                        raise MemoryError from None
                    raise ExtractError(f"page {number} cannot be read ({type(exc).__name__})") from None
                finally:
                    page.close()  # drops the page's cached layout objects
            table_met = table_met or read[-1].above is not None
            if progress:
                progress(number, total)
    except (ExtractError, MemoryError):
        raise
    except Exception as exc:
        if _out_of_memory(exc):
            raise MemoryError from None
        raise ExtractError(f"the PDF is damaged and cannot be read ({type(exc).__name__})") from None
    finally:
        pdf.close()
    return read


def _vocabulary(rows: list[Row]) -> Counter[str]:
    """Words the document prints whole, to tell a word broken by wrapping from two words: every
    word but a line's last where the line may end inside a word (at a hyphen, or running to the
    column's edge) and the next line's first."""
    words: Counter[str] = Counter()
    for row in rows:
        for cell in row.cells:
            lines = (cell or "").split("\n")
            for i, line in enumerate(lines):
                found = _WORD.findall(line)
                cut_before = i > 0 and lines[i - 1].rstrip().endswith((BROKEN_WORD, "-"))
                cut_after = line.rstrip().endswith((BROKEN_WORD, "-"))
                words.update(w.lower() for w in found[int(cut_before) : len(found) - int(cut_after)])
    return words


def _join_wrapped(cell: str | None, vocabulary: Counter[str]) -> str | None:
    """A cell's wrapped lines joined back into the text as written; paragraphs (after a blank
    line) and list items keep their lines."""
    if cell is None or "\n" not in cell:
        return cell
    if "\n\n" in cell:
        return "\n".join(_join_wrapped(part, vocabulary) or "" for part in cell.split("\n\n"))
    lines = [line.strip() for line in cell.split("\n")]
    text = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        if not text:
            text = line
            continue
        gap = separator(text, line)
        if text.endswith(BROKEN_WORD):
            text = text[:-1]
            gap = separator(text, line)
            if _inside_a_word(text, line, vocabulary):
                gap = ""
        elif gap == " " and _broken_word(text, line, vocabulary):
            gap = ""
        elif gap == "" and text.endswith("-") and _soft_hyphen(text, line, vocabulary):
            text = text[:-1]
        text += gap + line
    return text


def _broken_word(before: str, after: str, vocabulary: Counter[str]) -> bool:
    """A word too long for its column, broken without a hyphen: the document prints the whole
    word elsewhere but not one of its pieces."""
    head, tail = _WORD.findall(before[-40:]), _WORD.findall(after[:40])
    if not (head and tail and before[-1:].isalpha() and after[:1].isalpha()):
        return False
    return vocabulary[(head[-1] + tail[0]).lower()] > 0 and (vocabulary[head[-1].lower()] == 0 or vocabulary[tail[0].lower()] == 0)


def _inside_a_word(before: str, after: str, vocabulary: Counter[str]) -> bool:
    """A line that ran to its column's edge was cut inside a word: a letter before, a lower-case
    letter after (capitals on both sides in an acronym), and the document prints the whole word,
    or prints neither piece as a word of its own."""
    head, tail = _WORD.findall(before[-40:]), _WORD.findall(after[:40])
    if not (head and tail and before[-1:].isalpha() and (after[:1].islower() or (head[-1] + tail[0]).isupper())):
        return False  # the rest of a word cut in the middle starts in lower case (or both pieces are capitals)
    whole = (head[-1] + tail[0]).lower()
    return vocabulary[whole] > 0 or not (vocabulary[head[-1].lower()] or vocabulary[tail[0].lower()])


def _soft_hyphen(before: str, after: str, vocabulary: Counter[str]) -> bool:
    """A hyphen the word processor added to break a word ("recon-" + "ciliation"): the document
    prints the word whole elsewhere, and never its first piece on its own."""
    head, tail = _WORD.findall(before[-40:]), _WORD.findall(after[:40])
    if not (head and tail and before[-2:-1].isalpha() and after[:1].islower()):
        return False
    return vocabulary[(head[-1] + tail[0]).lower()] > 0 and vocabulary[head[-1].lower()] == 0


def rows_from_pages(pages: list[PageTables]) -> list[Row]:
    """The row stream of a document read page by page: text above its first table, then every
    table row with wrapped lines joined."""
    if not any(page.has_text for page in pages):
        raise ExtractError("the PDF has no text layer (a scanned image?): run it through OCR first")
    unruled = _unruled([page.text for page in pages if page.text is not None])
    # A line above tables on several pages at the same height is a running header, not a heading.
    placed = Counter((round(top / 3), _DIGITS.sub("#", text)) for page in pages for lines in page.headings for top, text in lines)
    rows: list[Row] = []
    table: list[Row] = []
    open_at_foot: dict[int, tuple[str, bool]] = {}
    for page in pages:  # text above the first table; a run read after it has none
        if page.number in unruled:
            above, page_rows = unruled[page.number]
            open_at_foot = {}
        else:
            above, page_rows = page.above or [], []
            _carry_merges(page, open_at_foot)
            open_at_foot = page.merges[-1].foot if page.merges else {}
            for i, cells in enumerate(page.tables):
                heading = [
                    text
                    for top, text in (page.headings[i] if i < len(page.headings) else [])
                    if placed[(round(top / 3), _DIGITS.sub("#", text))] < 2
                ]
                if heading and (i or table):
                    page_rows.append(Row([" ".join(heading)], page.number))
                page_rows.extend(Row(row, page.number) for row in cells)
        if not table:
            rows.extend(Row([line], page.number) for line in above)
        table.extend(page_rows)
    vocabulary = _vocabulary(table)
    rows.extend(Row([_join_wrapped(c, vocabulary) for c in row.cells], row.page) for row in table)
    return rows


def _carry_merges(page: PageTables, open_at_foot: dict[int, tuple[str, bool]]) -> None:
    """A cell merged down past the foot of the page before goes on in the first body cells of the
    page's first table (drawn empty there): they take its text."""
    if not (open_at_foot and page.tables and page.merges):
        return
    cells = page.tables[0]
    for column, indices in page.merges[0].top.items():
        text, merged = open_at_foot.get(column, ("", False))
        if text and (merged or len(indices) > 1):
            for index in indices:
                cells[index][column] = text


def _unruled(texts: list[PageText]) -> dict[int, tuple[list[str], list[Row]]]:
    if not texts:
        return {}
    layouts = load_layouts()
    return read_unruled(texts, lambda cells: header_fields(cells, layouts), lambda text: layouts.field_for(text) is not None)


def _read_whole(path: Path, progress: Progress | None) -> tuple[list[Row], int]:
    pages = read_pages(path, progress=progress)
    return rows_from_pages(pages), len(pages)


KIND = InputKind(
    name="pdf",
    label="PDF",
    suffixes=(".pdf",),
    content_problem=content_problem,
    read=_read_whole,
    pages=Pages(count=page_count, read=read_pages, rows=rows_from_pages),
)
