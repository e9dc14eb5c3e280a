"""Word, Excel and CSV forms of an appendix, written in the tests: python-docx for Word, openpyxl
for Excel (real date cells, merged section rows, a title, a Key sheet), the csv module for CSV.

`docx_from_rows` keeps the parsed text's rows as they are (a Word table converted from a paper:
repeated headers, rows continued below a page break, section rows merged across the table), each
cell's HTML written as Word paragraphs, line breaks and bold runs. `xlsx_from_rows` and
`csv_from_rows` write the appendix as a tracker keeps it: one row per record, the section
headings as rows between them, dates as real date cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from etl.assemble import _counts_row, _fit, _header, assemble
from etl.cleantext import clean_cell
from etl.dates import find_dates
from etl.extract.rows import Row
from etl.layouts.config import load_layouts


# -- cell HTML as Word paragraphs ---------------------------------------------------------------
class _Paragraphs(HTMLParser):
    """Cell HTML to paragraphs of runs: [[(text, bold) or '\\n' for a line break], ...]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list] = [[]]
        self.bold = 0

    def _new(self):
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "div", "ul", "ol", "tr"):
            self._new()
        elif tag == "br":
            self.paragraphs[-1].append("\n")
        elif tag in ("b", "strong"):
            self.bold += 1

    def handle_endtag(self, tag):
        if tag in ("p", "li", "div", "ul", "ol", "tr"):
            self._new()
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data):
        data = data.replace("\n", " ")
        if data.strip() or self.paragraphs[-1]:
            self.paragraphs[-1].append((data, bool(self.bold)))


def cell_paragraphs(cell_html: str) -> list[list]:
    parser = _Paragraphs()
    parser.feed(cell_html or "")
    parser.close()
    return [p for p in parser.paragraphs if any(isinstance(r, tuple) and r[0].strip() for r in p)]


def write_cell(cell, cell_html: str, bold: bool = False) -> None:
    """A python-docx cell holding the HTML's paragraphs, line breaks and bold runs."""
    paragraphs = cell_paragraphs(cell_html)
    first = cell.paragraphs[0]
    for index, runs in enumerate(paragraphs):
        paragraph = first if index == 0 else cell.add_paragraph()
        for run in runs:
            if run == "\n":
                paragraph.add_run().add_break()
            else:
                paragraph.add_run(run[0]).bold = run[1] or bold or None


# -- the rows of a parsed appendix ----------------------------------------------------------------
def header_index(rows: list[Row]) -> int:
    """The detail table's header: the first header row the assembler reads, not one over a summary
    table of counts."""
    layouts = load_layouts()
    for index, row in enumerate(rows):
        cells = [clean_cell(c) for c in row.cells]
        below = [clean_cell(c) for c in rows[index + 1].cells] if index + 1 < len(rows) else []
        if sum(1 for c in cells if c) >= 2 and _header(cells, layouts) and not _counts_row(below):
            return index
    raise ValueError("no header")


def _fitted(rows: list[Row], width: int) -> list[list[str]]:
    """Every row put under the header's columns as the assembler puts it."""
    widths: dict[int, list[int]] = {}
    for row in rows:
        if len(row.cells) == width:
            for i, c in enumerate(row.cells):
                widths.setdefault(i, []).append(len(clean_cell(c)))
    narrow = sorted(range(width), key=lambda i: sum(widths.get(i, [0])) / max(1, len(widths.get(i, []))))
    out = []
    for row in rows:
        cells = [c or "" for c in row.cells]
        nonempty = [c for c in cells if clean_cell(c)]
        if len(nonempty) == 1 and clean_cell(cells[0]) and not any(clean_cell(c) for c in cells[1:]):
            out.append([cells[0]])  # a one-cell row: a section heading
        else:
            out.append(_fit(cells, width, narrow))
    return out


def docx_from_rows(rows: list[Row], path: Path) -> Path:
    """The rows as a Word document: the lines above the header as paragraphs (the title in bold),
    the rest as one table, its first header row repeated on each page, one-cell rows merged
    across the table."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    try:
        start = header_index(rows)
    except ValueError:  # no header row (record cards): each run of rows is a table of its own
        return _docx_blocks(rows, path)
    width = len(rows[start].cells)
    document = Document()
    for index, row in enumerate(rows[:start]):
        text = " ".join(clean_cell(c) for c in row.cells if clean_cell(c))
        if text:
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = index == 0 or None
    body = _fitted(rows[start:], width)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for index, cells in enumerate(body):
        row = table.add_row()
        if index == 0:
            props = row._tr.get_or_add_trPr()
            props.append(OxmlElement("w:tblHeader"))
        if len(cells) == 1:
            merged = row.cells[0].merge(row.cells[width - 1])
            write_cell(merged, cells[0], bold=True)
            continue
        for cell, text in zip(row.cells, cells):
            write_cell(cell, text, bold=index == 0)
    assert qn("w:tblHeader")
    document.save(str(path))
    return path


def _docx_blocks(rows: list[Row], path: Path) -> Path:
    from docx import Document

    document = Document()
    block: list[Row] = []

    def flush():
        if block:
            width = max(len(r.cells) for r in block)
            table = document.add_table(rows=0, cols=width)
            for r in block:
                for cell, text in zip(table.add_row().cells, r.cells):
                    write_cell(cell, text or "")
            block.clear()

    for row in rows:
        if sum(1 for c in row.cells if clean_cell(c)) <= 1 and len(row.cells) == 1:
            flush()
            document.add_paragraph(clean_cell(row.cells[0]))
        else:
            block.append(row)
    flush()
    document.save(str(path))
    return path


# -- the appendix as a tracker -------------------------------------------------------------------
@dataclass
class Tracker:
    title: list[str]
    rows: list[tuple[str, list[str]]]  # ("header" | "section" | "record", cells)


def tracker(rows: list[Row]) -> Tracker:
    assembled = assemble(rows, load_layouts())
    out: list[tuple[str, list[str]]] = []
    table, section = None, None
    for record in assembled.records:
        if record.table is not table:
            out.append(("header", [clean_cell(h) for h in record.table.headers]))
            table = record.table
        if record.section != section and record.section:
            out.append(("section", [record.section]))
        section = record.section
        out.append(("record", list(record.columns)))
    return Tracker(assembled.preamble, out)


def date_value(text: str) -> tuple[date, str] | None:
    """A cell that is one date and nothing else, as the date and the Excel format that prints it
    the way the paper does (a month alone stays a month)."""
    tokens = find_dates(text)
    if len(tokens) != 1 or tokens[0].value is None or tokens[0].raw.strip() != text.strip():
        return None
    value = tokens[0].value
    if text.strip()[:1].isdigit():
        return value, "dd/mm/yyyy"
    if tokens[0].raw.strip()[:1].isalpha():  # "October 2021": the month's end is the value read
        return value.replace(day=1), "mmmm yyyy"
    return value, "d mmmm yyyy"


KEY = [
    ("Risk", "Meaning"),
    ("High", "Action is imperative to ensure that the objectives are met"),
    ("Medium", "Action is required to avoid exposure to significant risks"),
    ("Low", "Action is advised to enhance control"),
]


def xlsx_from_rows(rows: list[Row], path: Path, key: bool = True, sheet: str = "Tracker") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    layout = tracker(rows)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for line in layout.title:
        ws.append([line])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    width = max(len(cells) for _, cells in layout.rows)
    for kind, cells in layout.rows:
        if kind == "section":
            ws.append([cells[0]])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
            continue
        values: list[object] = []
        formats: dict[int, str] = {}
        for column, text in enumerate(cells, start=1):
            found = date_value(text) if kind == "record" else None
            if found:
                values.append(found[0])
                formats[column] = found[1]
            elif kind == "record" and text.isdigit() and not text.startswith("0"):
                values.append(int(text))
            else:
                values.append(text or None)
        ws.append(values)
        for column, fmt in formats.items():
            ws.cell(ws.max_row, column).number_format = fmt
        for column in range(1, len(values) + 1):
            ws.cell(ws.max_row, column).alignment = Alignment(wrap_text=True, vertical="top")
            if kind == "header":
                ws.cell(ws.max_row, column).font = Font(bold=True)
    if key:
        sheet_key = workbook.create_sheet("Key")
        for key_line in KEY:
            sheet_key.append(list(key_line))
    workbook.save(path)
    return path


def xlsx_from_paper_rows(rows: list[Row], path: Path) -> Path:
    """The rows as a paper's table pasted into Excel: title lines above, then every row as it
    stands (repeated headers, rows continued below a page break), one-cell rows merged across
    the table, a header printed in two rows merged as the paper prints it, dates as date cells."""
    from openpyxl import Workbook

    start = header_index_safe(rows)
    workbook = Workbook()
    ws = workbook.active
    for row in rows[: start or 0]:
        ws.append([" ".join(clean_cell(c) for c in row.cells if clean_cell(c))])
    first = ws.max_row + 1 if start else 1
    if start is None:  # no header (record cards): every row as it stands
        width = 0
        body: list[Sequence[str | None]] = [list(r.cells) for r in rows]
    else:
        width = len(rows[start].cells)
        body = [*_fitted(rows[start:], width)]
    for index, cells in enumerate(body):
        texts = [clean_cell(c) for c in cells]
        values: list[object] = []
        formats: dict[int, str] = {}
        for column, text in enumerate(texts, start=1):
            found = date_value(text) if index > 1 else None
            if found:
                values.append(found[0])
                formats[column] = found[1]
            else:
                values.append(text or None)
        ws.append(values)
        for column, fmt in formats.items():
            ws.cell(ws.max_row, column).number_format = fmt
        if len(cells) == 1 and width > 1 and index:
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    if len(body) > 1:  # a header printed in two rows: merged as printed
        upper, lower = [clean_cell(c) for c in body[0]], [clean_cell(c) for c in body[1]]
        if len(upper) == len(lower) and any(lower) and not lower[0] and not all(lower):
            column = 0
            while column < len(upper):
                end = column
                while end + 1 < len(upper) and not upper[end + 1] and lower[end + 1]:
                    end += 1
                if upper[column] and not lower[column]:
                    ws.merge_cells(start_row=first, start_column=column + 1, end_row=first + 1, end_column=column + 1)
                elif upper[column] and end > column:
                    ws.merge_cells(start_row=first, start_column=column + 1, end_row=first, end_column=end + 1)
                column = end + 1
    workbook.save(path)
    return path


def header_index_safe(rows: list[Row]) -> int | None:
    try:
        return header_index(rows)
    except ValueError:
        return None


def csv_text(rows: list[Row], delimiter: str = ",", title: bool = True) -> str:
    layout = tracker(rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if title:
        for line in layout.title:
            writer.writerow([line])
    for _, cells in layout.rows:
        writer.writerow(cells)
    return buffer.getvalue()


def csv_from_rows(rows: list[Row], path: Path, delimiter: str = ",", encoding: str = "utf-8-sig", title: bool = True) -> Path:
    text = csv_text(rows, delimiter, title)
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


# -- comparing with the text parse -----------------------------------------------------------------
RAW_FIELDS = {"target_raw"}  # the text as printed: a real date cell prints no text, it is read as ISO


def squeeze(value):
    """Fields compared as a reader would: same words, wherever the lines wrap."""
    return None if value is None else " ".join(str(value).split())


def agreement(report, text_report, skip=("source_page",)) -> tuple[int, int, list[tuple]]:
    """(fields equal, fields compared, misses) over the records of two parses of one appendix."""
    right = total = 0
    misses = []
    for got, want in zip(report.records, text_report.records):
        for field, value in want.items():
            if field in skip:
                continue
            total += 1
            if squeeze(got.get(field)) == squeeze(value):
                right += 1
            else:
                misses.append((want["record_no"], field, value, got.get(field)))
    return right, total, misses


def ole_file(encrypted: bool = True) -> bytes:
    """A compound (OLE) file as Office writes a password-protected document: streams
    EncryptionInfo and EncryptedPackage (or, unencrypted, a 97-2003 'Workbook' stream)."""
    import struct

    sector = 512
    names = ["EncryptionInfo", "EncryptedPackage"] if encrypted else ["Workbook"]
    stream_sectors = 8  # 4096 bytes each: above the mini-stream cutoff
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header[76:512] = b"\xff" * 436
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for index in range(len(names)):
        first = 2 + index * stream_sectors
        fat += [first + k + 1 for k in range(stream_sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    fat_sector = struct.pack(f"<{sector // 4}I", *fat)

    def entry(name, kind, child=0xFFFFFFFF, right=0xFFFFFFFF, start=0xFFFFFFFE, size=0):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, child=1)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, right=right, start=2 + index * stream_sectors, size=4096)
    directory = directory.ljust(sector, b"\0")
    streams = b"".join(bytes([index + 1]) * 4096 for index in range(len(names)))
    return bytes(header) + fat_sector + directory + streams


def zip_with(path: Path, parts: dict[str, bytes | str], compress: bool = True) -> Path:
    """A ZIP package of the given parts, written as they are."""
    import zipfile

    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def declare_size(path: Path, part: str, size: int) -> Path:
    """The ZIP's central directory made to declare `size` bytes for one part (a lying bomb)."""
    import struct

    data = bytearray(path.read_bytes())
    name = part.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            raise ValueError(part)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 4
    path.write_bytes(bytes(data))
    return path
