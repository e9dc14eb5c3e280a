"""Word documents (.docx) to the same stream of rows the text and PDF extractors give.

The body is read in order: paragraphs outside tables are one-cell rows (the title and the as-at date
above a table, a heading between two tables), and every table row is a row of cells. A cell is HTML
as etl/cleantext.py understands it: each paragraph a <p>, a line break a <br>, and the
bold runs of a cell that is not bold throughout in <b> (a bold first line naming the audit area
above the issue). Merged cells come as a PDF table gives them: a cell spanning columns has its text
in its first column and empty cells after it, a cell merged down is empty below its first row, so a
section row merged across the table is a one-cell row and a header printed in two rows is two rows.
A table that is not a recommendation table (a risk key, a document control box: no header the
layouts map, not record cards) comes as lines of text when it stands before the recommendation table
or has other columns than it, so a key can be read with the notes; a table with the recommendation
table's columns and no header of its own continues it. Deleted revisions, field codes, running
headers and footers, and drawings are not the document's text and are left out.

The main part is read with lxml (the XML library python-docx is built on) after the package checks
of ooxml.py, so nothing but the document's own text is ever inflated."""

from __future__ import annotations

import html
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Protocol, overload

from etl.extract.kind import InputKind, Progress
from etl.extract.ooxml import WORD, check_package, head_problem
from etl.extract.rows import ExtractError, Row
from etl.extract.tables import CARD_ROWS, as_lines, best_header, card_rows
from etl.layouts.config import load_layouts

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # the main part's expanded size (a 300-page paper is ~10 MB)
MAX_ROWS = 200_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements whose content is the paragraph's text, read through.
_THROUGH = {"hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml", "moveTo", "dir", "bdo"}
# Blocks that only wrap other blocks.
_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo"}


class XmlElement(Protocol):
    """What the reader asks of an lxml element (lxml ships no type hints)."""

    @property
    def tag(self) -> object: ...  # the qualified name; a function for a comment or processing instruction
    @property
    def text(self) -> str | None: ...
    def __iter__(self) -> Iterator[XmlElement]: ...
    def find(self, path: str) -> XmlElement | None: ...
    def findall(self, path: str) -> list[XmlElement]: ...
    def iter(self, tag: str) -> Iterator[XmlElement]: ...
    def getparent(self) -> XmlElement | None: ...
    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...


# A block of the body: a paragraph outside tables as its HTML, or a table as its rows of cells.
Block = tuple[Literal["line"], str] | tuple[Literal["table"], list[list[str]]]
# A paragraph of a cell, or the row of a table nested in the cell as its cells.
CellPart = XmlElement | tuple[Literal["row"], list[XmlElement]]


def content_problem(head: bytes) -> str | None:
    return head_problem(head, WORD)


def _local(el: XmlElement) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(props: XmlElement | None, name: str) -> bool:
    """A run property switched on (<w:b/>, <w:b w:val="1"/>, not <w:b w:val="0"/>)."""
    if props is None:
        return False
    el = props.find(_W + name)
    return el is not None and el.get(_W + "val", "true").lower() not in ("0", "false", "off")


def _run_bold(run: XmlElement) -> bool:
    props = run.find(_W + "rPr")
    if _on(props, "b"):
        return True
    style = props.find(_W + "rStyle") if props is not None else None
    return style is not None and "strong" in (style.get(_W + "val") or "").lower()


def _segments(parent: XmlElement, out: list[tuple[str, bool | None]]) -> None:
    """The paragraph's text as (text, bold) pieces in order; ("\\n", None) for a line break."""
    for child in parent:
        name = _local(child)
        if name == "r":
            bold = _run_bold(child)
            for part in child:
                kind = _local(part)
                if kind == "t":
                    out.append((part.text or "", bold))
                elif kind in ("tab", "ptab"):
                    out.append((" ", bold))
                elif kind == "br" and part.get(_W + "type") in (None, "textWrapping") or kind == "cr":
                    out.append(("\n", None))
                elif kind == "noBreakHyphen":
                    out.append(("-", bold))
                elif kind == "AlternateContent":
                    continue  # drawings and text boxes
        elif name in _THROUGH:
            _segments(child, out)


def _paragraph_html(p: XmlElement, keep_bold: bool = True) -> tuple[str, bool, bool]:
    """(html, has bold text, has plain text) of one paragraph."""
    pieces: list[tuple[str, bool | None]] = []
    _segments(p, pieces)
    out, bold_open = [], False
    has_bold = has_plain = False
    for text, bold in pieces:
        if bold is None:
            if bold_open:
                out.append("</b>")
                bold_open = False
            out.append("<br>")
            continue
        if text.strip():
            has_bold, has_plain = has_bold or bold, has_plain or not bold
        if keep_bold and bold and text.strip() and not bold_open:
            out.append("<b>")
            bold_open = True
        elif bold_open and not bold and text.strip():
            out.append("</b>")
            bold_open = False
        out.append(html.escape(text, quote=False))
    if bold_open:
        out.append("</b>")
    return "".join(out).strip(), has_bold, has_plain


def _cell_paragraphs(container: XmlElement, out: list[CellPart]) -> None:
    """Paragraphs of a cell in order; a table nested in the cell gives one paragraph per row."""
    for child in container:
        name = _local(child)
        if name == "p":
            out.append(child)
        elif name == "tbl":
            for tr in child.iter(_W + "tr"):
                out.append(("row", [c for c in tr if _local(c) == "tc"]))
        elif name in _WRAPPERS:
            _cell_paragraphs(child, out)


def _cell_html(tc: XmlElement) -> str:
    paragraphs: list[CellPart] = []
    _cell_paragraphs(tc, paragraphs)
    read = []
    for p in paragraphs:
        if isinstance(p, tuple):  # a nested table's row: its cells' text on one line
            texts = [_paragraph_html(q, keep_bold=False)[0] for c in p[1] for q in c.iter(_W + "p")]
            read.append((" ".join(t for t in texts if t), False, True))
        else:
            read.append(_paragraph_html(p))
    # Bold is kept only in a cell that is not bold throughout (a bold heading line above text).
    keep = any(b for _, b, _ in read) and any(plain for _, _, plain in read)
    if not keep:
        read = [(_paragraph_html(p, keep_bold=False) if not isinstance(p, tuple) else r) for p, r in zip(paragraphs, read)]
    texts = [text for text, _, _ in read if text and text.replace("<br>", "").strip()]
    if len(texts) == 1:
        return texts[0]
    return "".join(f"<p>{t}</p>" for t in texts)


def _int(el: XmlElement | None, name: str, default: int = 0) -> int:
    found = el.find(_W + name) if el is not None else None
    try:
        return int(found.get(_W + "val", "")) if found is not None else default
    except ValueError:
        return default


class _Below(str):
    """A cell merged down from the row above: empty as printed, but holding the merged cell's text
    and the row it starts in, so a cell merged down a run of records (one audit, several
    recommendations) can give each record its text."""

    text: str
    start: int

    @classmethod
    def of(cls, above: tuple[str, int] | None) -> _Below:
        cell = cls("")
        cell.text, cell.start = above or ("", -1)
        return cell


def _row_cells(tr: XmlElement, above: dict[int, tuple[str, int]], index: int) -> list[str]:
    """A row's cells by grid column; `above` carries each column's open vertical merge."""
    props = tr.find(_W + "trPr")
    cells: list[str] = [""] * _int(props, "gridBefore")
    tcs: list[XmlElement] = []

    def collect(parent: XmlElement) -> None:
        for child in parent:
            name = _local(child)
            if name == "tc":
                tcs.append(child)
            elif name in _WRAPPERS:
                collect(child)

    collect(tr)
    for tc in tcs:
        tc_props = tc.find(_W + "tcPr")
        span = max(1, _int(tc_props, "gridSpan", 1))
        merged = tc_props.find(_W + "vMerge") if tc_props is not None else None
        h_merged = tc_props.find(_W + "hMerge") if tc_props is not None else None
        column = len(cells)
        if merged is not None and merged.get(_W + "val", "continue") == "continue":
            cells.append(_Below.of(above.get(column)))
        elif h_merged is not None and h_merged.get(_W + "val", "continue") == "continue":
            cells.append("")
        else:
            cells.append(_cell_html(tc))
            if merged is not None:
                above[column] = (cells[-1], index)
            else:
                above.pop(column, None)
        cells.extend([""] * (span - 1))
    cells.extend([""] * _int(props, "gridAfter"))
    return cells


def _table_rows(tbl: XmlElement) -> list[list[str]]:
    grid = tbl.find(_W + "tblGrid")
    width = len(grid.findall(_W + "gridCol")) if grid is not None else 0
    rows: list[list[str]] = []
    above: dict[int, tuple[str, int]] = {}
    for tr in tbl:
        if _local(tr) not in ("tr", "customXml", "sdt"):
            continue
        for real in [tr] if _local(tr) == "tr" else tr.iter(_W + "tr"):
            cells = _row_cells(real, above, len(rows))
            if any(c for c in cells):
                rows.append(cells)
                if len(rows) > MAX_ROWS:
                    raise ExtractError(f"the Word document has more than {MAX_ROWS:,} table rows: too large to be an appendix")
    width = max([width, *(len(r) for r in rows)])
    return [r + [""] * (width - len(r)) for r in rows]  # cells fill a row from the left


def _merged_down(rows: list[list[str]], header: int | None) -> list[list[str]]:
    """Cells merged down from a data row take its text; under the header they stay empty (a
    header printed in two rows reaches the assembler as a PDF prints it)."""
    out = []
    for cells in rows:
        out.append([(c.text if header is None or c.start > header else "") if isinstance(c, _Below) else c for c in cells])
    return out


def _is_layout_table(tbl: XmlElement) -> bool:
    """A one-column table wrapping the real tables (a layout frame)."""
    rows = [[c for c in tr if _local(c) == "tc"] for tr in tbl if _local(tr) == "tr"]
    return bool(rows) and all(len(r) == 1 for r in rows) and any(r[0].find(".//" + _W + "tbl") is not None for r in rows)


def _blocks(parent: XmlElement, items: list[Block]) -> None:
    """The body in order: ("line", html) for a paragraph, ("table", rows of cells) for a table."""
    for child in parent:
        name = _local(child)
        if name == "p":
            text = _paragraph_html(child, keep_bold=False)[0]
            if text.replace("<br>", "").strip():
                items.append(("line", text))
        elif name == "tbl":
            if _is_layout_table(child):
                for tc in child.iter(_W + "tc"):
                    row = tc.getparent()
                    if row is not None and row.getparent() is child:
                        _blocks(tc, items)
                continue
            items.append(("table", _table_rows(child)))
        elif name in _WRAPPERS or name == "AlternateContent":
            choice = child.find(_MC + "Choice") if name == "AlternateContent" else child
            if choice is not None:
                _blocks(choice, items)


def _rows(items: list[Block]) -> list[Row]:
    """Rows for the assembler. A table that is not a recommendation table (no header the layouts
    map, not record cards), printed before the first one or with another number of columns after
    it, is a key or a note: its rows come as lines. A table with the columns of the one before is
    that table continued."""
    layouts = load_layouts()
    headers = {i: best_header(item[1], layouts) for i, item in enumerate(items) if item[0] == "table"}
    scores = {i: score for i, (_, score) in headers.items()}
    tables = {i: _merged_down(item[1], headers[i][0]) for i, item in enumerate(items) if item[0] == "table"}
    mapped = [i for i, score in scores.items() if score]
    first = mapped[0] if mapped else None
    width = max((len(r) for r in tables[first]), default=0) if first is not None else 0
    rows: list[Row] = []
    for i, item in enumerate(items):
        if item[0] == "line":
            rows.append(Row([item[1]]))
            continue
        content = tables[i]
        own = max((len(r) for r in content), default=0)
        if first is not None and not scores[i] and (i < first or own != width) and card_rows(content, layouts) < CARD_ROWS:
            rows.extend(Row([line]) for line in as_lines(content))
        else:
            rows.extend(Row(cells) for cells in content)
    return rows


def extract_docx(path: Path) -> list[Row]:
    main = check_package(path, WORD)
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(main)
        if info.file_size > MAX_DOCUMENT_BYTES:
            raise ExtractError(
                f"the Word document's text would expand to {info.file_size / 2**20:,.0f} MB (more than "
                f"{MAX_DOCUMENT_BYTES // 2**20} MB): too large to be an appendix (refused)"
            )
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
            root = etree.fromstring(archive.read(main), parser)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ExtractError(f"the Word document is damaged and cannot be read ({type(exc).__name__})") from None
    body = root.find(_W + "body")
    if body is None:
        raise ExtractError("the Word document is damaged: it has no body")
    items: list[Block] = []
    _blocks(body, items)
    if not any(kind == "table" for kind, _ in items):
        raise ExtractError("the Word document has no table: slippage reads the recommendations from a table")
    return _rows(items)


def _read(path: Path, progress: Progress | None) -> tuple[list[Row], int | None]:
    return extract_docx(path), None


KIND = InputKind(name="docx", label="Word document", suffixes=(".docx",), content_problem=content_problem, read=_read)
