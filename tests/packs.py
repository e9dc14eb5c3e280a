"""Helpers for tests of the committee view and its pack: the pages' queries on a store file, a
council whose report has many items to call in, and a PDF read back as a person reads it (the text
of each page, the rows of its tables, the lines of labels under a chart's bars)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber

from etl.load import load
from etl.store.readonly import open_safe
from etl.store.sqlfiles import sql_text

MANY_ITEMS_COUNCIL = "Many Items Council"
MANY_ITEMS_REPORT = date(2025, 3, 31)


def query_on(db: Path):
    """app.data.query's contract (a query's name and its parameters) on one store file."""
    con = open_safe(db)
    return lambda name, **params: con.sql(sql_text(f"queries/{name}.sql"), params=params).pl()


def many_items_store(folder: Path, items: int = 120) -> Path:
    """One report of MANY_ITEMS_COUNCIL: `items` recommendations of one audit, all extended twice,
    each with its own reference, officer and first target, and one more whose target the reader
    doubts (ten years before the report)."""
    rows = ["Overdue actions as at 31 March 2025", "", "Ref\tAudit\tRisk\tTarget Date\tRecommendation\tResponsible Officer\tLatest update"]
    for n in range(1, items + 1):
        rows.append(
            f"MI-{n:03d}\tDSG Safety Valve Review\t{'High' if n % 2 else 'Critical'}\t"
            f"{28 - n % 28:02d}/02/2024 Extend to June 2024 Extend to December 2024\t"
            f"Recommendation {n}: reconcile the high needs block each month\tOfficer {n % 7}\tMarch 2025: in hand"
        )
    rows.append("MI-999\tPayroll\tHigh\t31/12/2014\tReconcile the payroll\tOfficer 1\tMarch 2025: none")
    appendix = folder / "many-items.txt"
    appendix.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = folder / "many-items.duckdb"
    [outcome] = load([appendix], db, council=MANY_ITEMS_COUNCIL)
    assert outcome.ok, outcome.line()
    return db


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() for page in document.pages]


def table_rows(pdf: bytes) -> list[list[str]]:
    """Every row of every ruled table, each cell's lines joined by spaces."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            [" ".join((cell or "").split()) for cell in row] for page in document.pages for table in page.extract_tables() for row in table
        ]


def text_lines_as_labels(pdf: bytes, gap: float = 8.0) -> list[list[str]]:
    """Each line of text of a one-page PDF (a chart) split into the labels it holds: words further
    apart than `gap` points are two labels. Labels that run together come back as one
    ("91–180 days181–365 days")."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[0].extract_words()
    lines: dict[int, list[dict]] = {}
    for word in words:
        lines.setdefault(round(word["top"]), []).append(word)
    out = []
    for _, line in sorted(lines.items()):
        line.sort(key=lambda w: w["x0"])
        labels = [line[0]["text"]]
        for before, word in zip(line, line[1:]):
            if word["x0"] - before["x1"] > gap:
                labels.append(word["text"])
            else:
                labels[-1] += " " + word["text"]
        out.append(labels)
    return out


def tagged_structure(pdf: bytes) -> dict:
    """What a PDF/UA checker looks at, read from the file itself with pypdf: whether it is marked
    as tagged, its language, title and whether a viewer shows that title, the PDF/UA part claimed
    in its XMP metadata, the structure types its tag tree holds (H1, H2, Table, TH, Figure, ...),
    the alternative text of each Figure, and the fonts used but not embedded."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    kinds: list[str] = []
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/S" in node:
            kinds.append(str(node["/S"]).lstrip("/"))
            if node["/S"] == "/Figure":
                alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node["/K"])

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    unembedded = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for listed in (resources.get("/Font") or {}).values():
            font: Any = listed.get_object()
            described = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if not any(key in described.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(str(font["/BaseFont"]))
    metadata = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    return {
        "marked": bool((root.get("/MarkInfo") or {}).get("/Marked")),
        "lang": str(root.get("/Lang", "")),
        "title": str(reader.metadata.title if reader.metadata else ""),
        "shows_title": bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")),
        "pdfua_part": (re.findall(r"pdfuaid:part(?:=\"|>)(\d)", metadata) or [None])[0],
        "kinds": kinds,
        "figure_alts": alts,
        "unembedded_fonts": unembedded,
    }


def html_sections(page: str) -> dict[str, list[list[str]]]:
    """The HTML pack's sections: each h2's text -> the rows of the table under it (each cell's
    text), none where the section says 'None.'."""
    from html.parser import HTMLParser

    sections: dict[str, list[list[str]]] = {}

    class Reader(HTMLParser):
        heading: str | None = None
        text = ""
        in_body = False

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in ("h2", "td"):
                self.text = ""
            elif tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body and self.heading is not None:
                sections[self.heading].append([])

        def handle_endtag(self, tag: str) -> None:
            if tag == "h2":
                self.heading = " ".join(self.text.split())
                sections[self.heading] = []
            elif tag == "td" and self.in_body and self.heading is not None:
                sections[self.heading][-1].append(" ".join(self.text.split()))
            elif tag == "tbody":
                self.in_body = False

        def handle_data(self, data: str) -> None:
            self.text += data

    Reader().feed(page)
    return sections
