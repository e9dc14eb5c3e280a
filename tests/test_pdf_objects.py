"""A PDF page's objects made the quick way (etl/extract/pdfobjects.py) are pdfplumber's own, dict
for dict: every char, line, rectangle, curve and image, key for key in the same order, on the test
PDFs (portrait, landscape, turned a quarter, French and Chinese text, a scanned image, tables ruled
and not) and on a page drawn here with what those lack: curves, colours in CMYK, turned text and a
MediaBox that does not start at the origin."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from etl.extract import pdfobjects
from etl.extract.pdfobjects import read_objects_quickly

DOCUMENTS = Path(__file__).parent / "documents"
SAMPLES = [
    DOCUMENTS / "corpus" / name
    for name in (
        "appendix_no_rules.pdf",
        "appendix_hrules_shaded_header.pdf",
        "appendix_landscape_section.pdf",
        "appendix_rotate90.pdf",
        "appendix_rows_split_every_column.pdf",
        "cjk_table.pdf",
        "french_table.pdf",
        "image_only_scan.pdf",
    )
] + [DOCUMENTS / "pdf" / "seed-001-portrait.pdf", DOCUMENTS / "zoo" / "fenwick_record_cards.pdf"]


def _drawn_page(path: Path) -> Path:
    """A page with curves, a rounded box, CMYK and RGB text, a turned line of text and a rule,
    its MediaBox moved off the origin."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFillColorCMYK(0.1, 0.6, 0.2, 0.05)
    pdf.drawString(72, 760, "Recommendation – implemented ﬁnally")
    pdf.setFillColorRGB(0.2, 0.4, 0.6)
    pdf.drawString(72, 740, "Revised target: 31/03/2025")
    pdf.bezier(72, 700, 150, 760, 250, 640, 320, 700)
    pdf.roundRect(72, 560, 200, 80, 12, stroke=1, fill=0)
    pdf.line(72, 540, 500, 540)
    pdf.rect(300, 560, 120, 60, stroke=1, fill=1)
    pdf.saveState()
    pdf.translate(520, 400)
    pdf.rotate(90)
    pdf.drawString(0, 0, "Turned text")
    pdf.restoreState()
    pdf.save()
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    writer.pages[0].mediabox = RectangleObject((20, 30, 580, 820))
    writer.write(path)
    return path


def _both_ways(path: Path) -> tuple[list[list[tuple[str, list[list[tuple[str, object]]]]]], Counter[str]]:
    """Each page's objects, by pdfplumber and the quick way, as lists of (key, value) in order."""
    pairs = []
    kinds: Counter[str] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            theirs = page.parse_objects()
            read_objects_quickly(page)
            ours = page.parse_objects()  # the same layout, read again the quick way
            pairs.append([(kind, [list(o.items()) for o in objs]) for kind, objs in ours.items()])
            pairs.append([(kind, [list(o.items()) for o in objs]) for kind, objs in theirs.items()])
            kinds.update({kind: len(objs) for kind, objs in theirs.items()})
    return pairs, kinds


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_quick_way_makes_pdfplumbers_own_objects(path):
    pairs, kinds = _both_ways(path)
    assert kinds["char"] or kinds["image"]
    for ours, theirs in zip(pairs[::2], pairs[1::2]):
        assert ours == theirs


def test_curves_colours_turned_text_and_a_moved_mediabox_come_out_the_same(tmp_path):
    pairs, kinds = _both_ways(_drawn_page(tmp_path / "drawn.pdf"))
    assert kinds["curve"] >= 2 and kinds["line"] and kinds["rect"] and kinds["char"] > 40
    ours, theirs = pairs
    assert ours == theirs
    chars = [dict(c) for kind, objs in theirs if kind == "char" for c in objs]
    assert any(not c["upright"] for c in chars) and any(len(c["non_stroking_color"]) == 4 for c in chars)
    with pdfplumber.open(tmp_path / "drawn.pdf") as pdf:
        assert pdf.pages[0].mediabox[0] == 20  # objects are moved back by the MediaBox's corner


def test_the_quick_way_follows_the_pdfplumber_installed_and_stands_aside_for_another(monkeypatch):
    """An upgrade of pdfplumber fails here, so the quick way is checked against the new
    process_object before it is used again; until then any other version reads its own way."""
    assert pdfplumber.__version__ == pdfobjects.FOLLOWS
    with pdfplumber.open(SAMPLES[0]) as pdf:
        page = pdf.pages[0]
        read_objects_quickly(page)
        assert page.process_object.__func__ is pdfobjects.process_object
    monkeypatch.setattr(pdfobjects, "FOLLOWS", "0.0.0")
    with pdfplumber.open(SAMPLES[0]) as pdf:
        other = pdf.pages[0]
        read_objects_quickly(other)
        assert other.process_object.__func__ is not pdfobjects.process_object
