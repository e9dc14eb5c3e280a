"""The PDF pack passes the PDF/UA-1 checks (tests/pdfua.py, in place of veraPDF, which cannot be
installed here): on the demo's Eastmarch, on a council whose lists run over many pages, and on the
300-council synthetic store. Each rule is shown to catch the fault it names, on a copy of the pack
with that one fault put in, and an untagged rendering of the same template fails."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pypdf
import pytest
from pypdf.generic import DecodedStreamObject, NameObject

from app.committee import pack_html, pack_pdf
from app.committee.view import CommitteeView, gather
from etl.store.readonly import open_safe
from etl.store.synth import build_demo_store
from tests.packs import MANY_ITEMS_COUNCIL, MANY_ITEMS_REPORT, many_items_store, query_on
from tests.pdfua import pdfua_failures

pytestmark = pytest.mark.slow  # each renders a PDF pack with WeasyPrint


@pytest.fixture(scope="module")
def eastmarch(tmp_path_factory) -> CommitteeView:
    db = tmp_path_factory.mktemp("pdfua") / "demo.duckdb"
    build_demo_store(db)
    return gather(query_on(db), "Eastmarch County Council", date(2025, 3, 31), synthetic=True)


@pytest.fixture(scope="module")
def pack(eastmarch) -> bytes:
    return pack_pdf.to_pdf(eastmarch)


def test_the_demo_pack_passes_every_pdf_ua_check(pack):
    assert pdfua_failures(pack) == []


def test_a_pack_of_many_pages_passes_every_pdf_ua_check(tmp_path):
    view = gather(query_on(many_items_store(tmp_path)), MANY_ITEMS_COUNCIL, MANY_ITEMS_REPORT)
    pdf = pack_pdf.to_pdf(view)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) > 3  # continuation pages, running heads on each
    assert pdfua_failures(pdf) == []


def test_a_pack_from_the_300_council_store_passes_every_pdf_ua_check(synth_db):
    """The council with the most rows at its newest report: the longest lists the store makes."""
    [(council, report)] = (
        open_safe(synth_db).sql("SELECT council, report_date FROM slippage GROUP BY ALL ORDER BY count(*) DESC, council LIMIT 1").fetchall()
    )
    assert pdfua_failures(pack_pdf.to_pdf(gather(query_on(synth_db), council, report))) == []


def test_the_same_template_rendered_untagged_fails(eastmarch):
    from weasyprint import HTML

    untagged = HTML(string=pack_html.to_html(eastmarch)).write_pdf()
    failures = pdfua_failures(untagged)
    assert "7.1: no structure tree (StructTreeRoot): the content is untagged" in failures
    assert "5: the XMP metadata does not identify the file as PDF/UA-1 (pdfuaid:part 1)" in failures
    assert "7.1: the catalogue's MarkInfo does not say Marked true" in failures


def mutated(pdf: bytes, change: Callable[[pypdf.PdfWriter], None]) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def elements(writer: pypdf.PdfWriter, kind: str, under: Any = None) -> list[Any]:
    """The structure elements of one kind, in document order, under `under` (default: all)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == f"/{kind}":
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(under if under is not None else writer._root_object["/StructTreeRoot"])
    return found


def drop_alt(writer: pypdf.PdfWriter) -> None:
    del elements(writer, "Figure")[0][NameObject("/Alt")]


def h1_as_h3(writer: pypdf.PdfWriter) -> None:
    elements(writer, "H1")[0][NameObject("/S")] = NameObject("/H3")


def headers_as_cells(writer: pypdf.PdfWriter) -> None:
    for cell in elements(writer, "TH", under=elements(writer, "Table")[0]):
        cell[NameObject("/S")] = NameObject("/TD")


def unmarked_rectangle(writer: pypdf.PdfWriter) -> None:
    page: Any = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(b"0 0 10 10 re f\n" + page.get_contents().get_data())
    page[NameObject("/Contents")] = writer._add_object(stream)


def font_not_embedded(writer: pypdf.PdfWriter) -> None:
    page: Any = writer.pages[0]
    font: Any = next(iter(page["/Resources"]["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    del descriptor[NameObject("/FontFile2")]
    del font[NameObject("/ToUnicode")]


def title_not_shown_and_no_language(writer: pypdf.PdfWriter) -> None:
    del writer._root_object[NameObject("/ViewerPreferences")]
    del writer._root_object[NameObject("/Lang")]


def unknown_type(writer: pypdf.PdfWriter) -> None:
    elements(writer, "H1")[0][NameObject("/S")] = NameObject("/Heading")


@pytest.mark.parametrize(
    "fault, expected",
    [
        (drop_alt, ["7.3: 1 figures without alternative text (Alt)"]),
        (h1_as_h3, ["7.4: the first heading is H3, not H1"]),
        (headers_as_cells, ["7.5: table 1 has no header cells (TH)"]),
        (unmarked_rectangle, ["7.1: page 1: 1 painting operations neither tagged nor marked as artifact"]),
        (
            font_not_embedded,
            ["7.21.4: font /{name} is not embedded", "7.21.7: font /{name} has no ToUnicode map: its text cannot be read out"],
        ),
        (
            title_not_shown_and_no_language,
            [
                "7.1: ViewerPreferences DisplayDocTitle is not true: viewers show the file name, not the title",
                "7.2: no natural language (Lang) in the catalogue",
            ],
        ),
        (unknown_type, ["7.1: structure type Heading is neither standard nor role-mapped", "7.4: the first heading is H2, not H1"]),
    ],
)
def test_each_check_catches_the_fault_it_names(pack, fault, expected):
    font: Any = next(iter(pypdf.PdfReader(io.BytesIO(pack)).pages[0]["/Resources"]["/Font"].values())).get_object()
    name = str(font["/BaseFont"]).lstrip("/")
    assert pdfua_failures(mutated(pack, fault)) == [line.format(name=name) for line in expected]
