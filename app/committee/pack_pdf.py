"""The slippage pack as an A4 PDF: charts as images, the figures and lists as tables.

Document text can be anything: a cell holds at most CELL_CHARACTERS characters (the rest is
named, not printed), a word longer than its column is broken, and a row taller than a page
continues on the next, so no text stops the pack being made."""
from __future__ import annotations

import html
import io

from app.charts import chart_image
from app.committee import words
from app.committee.charts import view_charts
from app.committee.view import CommitteeView
from app.text import uk_date

CELL_CHARACTERS = 600  # an audit title is rarely 200; a pack cell is read, not searched


def to_pdf(view: CommitteeView) -> bytes:
    """The same pack as an A4 PDF: charts as images, tables, the council, report date and when."""
    return _build(view, charts=True)


def problem(view: CommitteeView) -> str | None:
    """Why the pack cannot be made, in one line, or None. The text is laid out in full; the
    charts, images scaled to fit, are left out, so this takes a fraction of the time to_pdf does."""
    try:
        _build(view, charts=False)
    except Exception as exc:  # the page says so in one line instead of a failed download
        reason = (str(exc).strip().splitlines() or [""])[0][:200]
        return f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__
    return None


def shorten(value, limit: int = CELL_CHARACTERS) -> str:
    """Document text cut to what a cell of a printed pack shows, saying how much is left out."""
    text = "" if value is None else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters: see the dashboard)"


DOUBTFUL_TINT = "#fff3c4"  # a row whose target dates the reader doubted


def _running_canvas(view: CommitteeView):
    """A canvas that writes, on every page once the pack is laid out, the council and report at
    the top and "Page N of M" and when it was produced at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    top_line, produced = words.report_line(view), f"Produced {uk_date(view.produced_at)} by slippage"

    def fitted(line: str, room: float) -> str:
        # A council's name is document text: cut one too long for the line instead of running off the page.
        if stringWidth(line, "Helvetica", 8) <= room:
            return line
        while line and stringWidth(line + "…", "Helvetica", 8) > room:
            line = line[:len(line) * 9 // 10]
        return line.rstrip() + "…"

    class RunningCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._laid_out: list[dict] = []

        def showPage(self):  # reportlab calls this at the end of each page: keep it until the total is known
            self._laid_out.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, page in enumerate(self._laid_out, start=1):
                self.__dict__.update(page)
                self.setFont("Helvetica", 8)
                self.setFillGray(0.3)
                self.drawString(15 * mm, A4[1] - 10 * mm, fitted(top_line, A4[0] - 30 * mm))
                self.drawString(15 * mm, 9 * mm, produced)
                self.drawRightString(A4[0] - 15 * mm, 9 * mm, f"Page {number} of {len(self._laid_out)}")
                super().showPage()
            super().save()

    return RunningCanvas


def _build(view: CommitteeView, charts: bool) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.splitLongWords = 1  # a word wider than its column is broken, not left to overflow
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    heading_cell = cell.clone("heading_cell", fontName="Helvetica-Bold")
    doubt = cell.clone("doubt", textColor=colors.HexColor("#7a2e00"))
    width = A4[0] - 30 * mm

    def text(value, style=cell):
        return Paragraph(html.escape(shorten(value)), style)

    def grid(rows, widths, tinted=()):
        # splitInRow: a row taller than a page (a long cell in a narrow column) goes on over
        # the page break instead of stopping the build with LayoutError.
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]
                                  + [("BACKGROUND", (0, row), (-1, row), colors.HexColor(DOUBTFUL_TINT)) for row in tinted]))
        return table

    def list_row(item: dict) -> list:
        about = Paragraph(f"<b>{html.escape(shorten(item['audit_title']))}</b><br/>{html.escape(shorten(item['recommendation']))}",
                          cell)
        standing = [text(item["situation"])] + ([text(words.DOUBT_PREFIX + item["date_warnings"], doubt)]
                                                 if item["date_warnings"] else [])
        return [text(item["ref"]), about, text(item["risk_level"]), text(words.target(item["original_target_date"])),
                text(words.target(item["current_target_date"])), text(item["officer"]), standing]

    story = [text(words.title_line(view), styles["Title"]),
             text(words.date_line(view)),
             *([text(doubt_line, doubt)] if (doubt_line := words.doubt_line(view)) else []),
             Spacer(1, 4 * mm),
             grid([[text(label) for label in words.HEADLINE.values()],
                   [text(f"{view.headline[key]:,}", styles["Heading2"]) for key in words.HEADLINE]],
                  [width / 4] * 4)]
    for chart in view_charts(view).values() if charts else ():
        image = Image(io.BytesIO(chart_image(chart.to_dict(), "png")))
        ratio = min(width / image.imageWidth, 100 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        story += [Spacer(1, 4 * mm), KeepTogether([image])]
    story += [Spacer(1, 4 * mm), text(words.CHANGES_HEADING, styles["Heading2"])]
    story.append(grid([[text(w), text(f"{n:,}")] for w, n in words.changes(view)], [width * 0.7, width * 0.3])
                 if view.movement.height else text(f"{words.FIRST_REPORT}."))
    for heading, rows in words.lists(view):
        story.append(text(heading, styles["Heading2"]))
        items = list(rows.iter_rows(named=True))
        story.append(grid([[text(name, heading_cell) for name in words.PACK_HEADER]] + [list_row(item) for item in items],
                          [share * mm for share in words.PACK_WIDTHS_MM],
                          tinted=[number for number, item in enumerate(items, start=1) if item["date_warnings"]])
                     if items else text("None."))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                      title=f"Slippage pack: {view.council}", author="slippage").build(story, canvasmaker=_running_canvas(view))
    return buffer.getvalue()
