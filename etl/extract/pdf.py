"""Committee-paper PDFs to the same stream of rows the text extractor gives.

pdfplumber finds one ruled table per page: the header repeats as each page's first row, a row
split by a page break comes back with empty leading cells, a section heading is one cell with
None in the others, and wrapped lines are newlines inside a cell. Text above the first table
(the title, an as-at date) comes through as one-cell rows; running headers and footers on later
pages are not table rows and are left out. Pages are read one at a time and their caches
dropped, so memory stays flat however long the document."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from etl.extract.registry import InputKind, Pages, Progress
from etl.extract.rows import ExtractError, Row, separator

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def content_problem(head: bytes) -> str | None:
    # The header may follow a little junk: readers look for it in the first 1024 bytes.
    return None if b"%PDF" in head[:1024] else "not a PDF (the file does not start with %PDF)"


def _open(path: Path):
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
        # pdfplumber wraps pdfminer's errors; the original is its first argument.
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        name = type(inner).__name__
        if isinstance(inner, PDFPasswordIncorrect) or "Encrypt" in name or "Password" in name:
            raise ExtractError("the PDF is encrypted: save an unprotected copy") from None
        raise ExtractError(f"the PDF is damaged and cannot be read ({name})") from None
    return pdf


def _find_tables(page):
    """The page's ruled tables. A row continuing on the next page may have no rule under it;
    where the table's vertical rules run on below the last line found, close it there."""
    found = page.find_tables()
    if not found:
        return found
    last = max(found, key=lambda t: t.bbox[3])
    x0, _, x1, bottom = last.bbox
    verticals = [e["bottom"] for e in page.vertical_edges if x0 - 1 <= e["x0"] <= x1 + 1 and e["top"] <= bottom + 2]
    if verticals and max(verticals) > bottom + 2:
        found = page.find_tables({"explicit_horizontal_lines": [max(verticals)]})
    return found


@dataclass
class PageTables:
    """What one page gives: its ruled tables' raw cells and, on pages up to the document's first
    table, the lines of text above the table (None where a run of pages had met a table already)."""
    number: int
    tables: list[list[list[str | None]]]
    above: list[str] | None
    has_text: bool


def page_count(path: Path) -> int:
    """The number of pages, or an ExtractError saying why the file cannot be read."""
    pdf = _open(path)
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def read_pages(path: Path, first: int = 1, last: int | None = None,
               progress: Progress | None = None) -> list[PageTables]:
    """Pages first..last (1-based, inclusive; all by default). Runs of pages are independent,
    so a long document can be read by several processes at once."""
    pdf = _open(path)
    read: list[PageTables] = []
    table_met = False
    try:
        total = len(pdf.pages)
        for number in range(first, min(last or total, total) + 1):
            page = pdf.pages[number - 1]
            try:
                found = sorted(_find_tables(page), key=lambda t: (t.bbox[1], t.bbox[0]))
                above = None
                if not table_met:
                    top = min((t.bbox[1] for t in found), default=page.height)
                    text = (page.crop((0, 0, page.width, top)).extract_text() or "") if top > 1 else ""
                    above = [line for line in text.splitlines() if line.strip()]
                    table_met = bool(found)
                read.append(PageTables(number, [table.extract() for table in found], above, bool(page.chars)))
            except Exception as exc:
                raise ExtractError(f"page {number} cannot be read ({type(exc).__name__})") from None
            finally:
                page.close()  # drops the page's cached layout objects
            if progress:
                progress(number, total)
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(f"the PDF is damaged and cannot be read ({type(exc).__name__})") from None
    finally:
        pdf.close()
    return read


def _vocabulary(tables) -> Counter:
    """Words the document prints whole (not at a line break), to tell a word broken by wrapping
    from two words."""
    words: Counter = Counter()
    for _, rows in tables:
        for row in rows:
            for cell in row:
                for line in (cell or "").split("\n"):
                    inner = _WORD.findall(line)[1:-1]
                    words.update(w.lower() for w in inner)
    return words


def _join_wrapped(cell: str | None, vocabulary: Counter) -> str | None:
    """A cell's wrapped lines joined back into the text as written; list items keep their lines."""
    if cell is None or "\n" not in cell:
        return cell
    lines = [line.strip() for line in cell.split("\n")]
    text = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        if not text:
            text = line
            continue
        gap = separator(text, line)
        if gap == " " and _broken_word(text, line, vocabulary):
            gap = ""
        elif gap == "" and text.endswith("-") and _soft_hyphen(text, line, vocabulary):
            text = text[:-1]
        text += gap + line
    return text


def _broken_word(before: str, after: str, vocabulary: Counter) -> bool:
    """A word too long for its column, broken without a hyphen: the document prints the whole
    word elsewhere but not one of its pieces."""
    head, tail = _WORD.findall(before[-40:]), _WORD.findall(after[:40])
    if not (head and tail and before[-1:].isalpha() and after[:1].isalpha()):
        return False
    return (vocabulary[(head[-1] + tail[0]).lower()] > 0
            and (vocabulary[head[-1].lower()] == 0 or vocabulary[tail[0].lower()] == 0))


def _soft_hyphen(before: str, after: str, vocabulary: Counter) -> bool:
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
    rows = []
    for page in pages:  # a run read after the first table has no text above it: stop there
        rows.extend(Row([line], page.number) for line in page.above or [])
        if page.tables:
            break
    tables = [(page.number, table) for page in pages for table in page.tables]
    vocabulary = _vocabulary(tables)
    for number, table in tables:
        for raw in table:
            rows.append(Row([_join_wrapped(c, vocabulary) for c in raw], number))
    return rows


def _read_whole(path: Path, progress: Progress | None) -> tuple[list[Row], int]:
    pages = read_pages(path, progress=progress)
    return rows_from_pages(pages), len(pages)


KIND = InputKind(name="pdf", label="PDF", suffixes=(".pdf",), content_problem=content_problem, read=_read_whole,
                 pages=Pages(count=page_count, read=read_pages, rows=rows_from_pages))
