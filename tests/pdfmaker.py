"""Real PDFs for the tests, drawn the way a word processor lays out an appendix: A4, ruled
table, header repeated on every page, rows allowed to break across pages, a running header and a
'Page N of M' footer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

STYLES = getSampleStyleSheet()
CELL = STYLES["BodyText"].clone("cell", fontSize=8, leading=10)


def _furniture(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(doc.leftMargin, doc.pagesize[1] - 20, "Audit Committee — Appendix A")
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 20, f"Page {doc.page}")
    canvas.restoreState()


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str] | str],
    widths: Sequence[float] | None = None,
    rules: str = "grid",
    repeat_header: bool = True,
    split_rows: bool = True,
    shade: bool = True,
) -> LongTable:
    """A table; a str row is a section heading spanning every column. `rules`: "grid" (every
    cell ruled), "across" (a line under the header and under each row, as Excel and light Word
    styles print) or "none"; rows break across pages unless `split_rows` is False (Word's "allow
    row to break across pages" unticked)."""
    data = [[Paragraph(h, CELL) for h in header]]
    style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if shade:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    if rules == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif rules == "across":
        style += [("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.black), ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]
    for row in rows:
        if isinstance(row, str):
            style.append(("SPAN", (0, len(data)), (-1, len(data))))
            data.append([Paragraph(f"<b>{row}</b>", CELL)] + [""] * (len(header) - 1))
        else:
            data.append([Paragraph(c, CELL) for c in row])
    return LongTable(
        data, colWidths=widths, repeatRows=1 if repeat_header else 0, splitInRow=1 if split_rows else 0, style=TableStyle(style)
    )


def build(path: Path, story: list, portrait: bool = False, encrypt: str | None = None) -> Path:
    size = A4 if portrait else landscape(A4)
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=30, rightMargin=30, topMargin=40, bottomMargin=40, encrypt=encrypt)
    doc.build(story, onFirstPage=_furniture, onLaterPages=_furniture)
    return path


def text(line: str) -> Paragraph:
    return Paragraph(line, STYLES["Heading2"])


__all__ = ["build", "table", "text", "image_only_pdf", "PageBreak", "Spacer", "FIXTURES", "HEADER", "WIDTHS"]


# The layout most PDF tests draw, and the real fixtures rendered from two samples.
FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ["Audit", "Risk", "Target Date", "Recommendation", "Latest update"]
WIDTHS = [110, 45, 70, 300, 250]


def image_only_pdf(path: Path) -> Path:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(image, format="PNG")
    image.seek(0)
    c = pdf_canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(image), 50, 500, 400, 200)
    c.save()
    return path
