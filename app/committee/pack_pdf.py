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
    width = A4[0] - 30 * mm

    def text(value, style=cell):
        return Paragraph(html.escape(shorten(value)), style)

    def grid(rows, widths):
        # splitInRow: a row taller than a page (a long cell in a narrow column) goes on over
        # the page break instead of stopping the build with LayoutError.
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        return table

    story = [text(words.title_line(view), styles["Title"]),
             text(words.date_line(view)),
             Spacer(1, 4 * mm),
             grid([[text(label) for label in words.HEADLINE.values()],
                   [text(f"{view.headline[key]:,}", styles["Heading2"]) for key in words.HEADLINE]],
                  [width / 4] * 4)]
    for chart in view_charts(view).values() if charts else ():
        image = Image(io.BytesIO(chart_image(chart.to_dict(), "png")))
        ratio = min(width / image.imageWidth, 110 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        story += [Spacer(1, 4 * mm), KeepTogether([image])]
    story += [Spacer(1, 4 * mm), text(words.CHANGES_HEADING, styles["Heading2"])]
    story.append(grid([[text(w), text(n)] for w, n in words.changes(view)], [width * 0.7, width * 0.3])
                 if view.movement.height else text(f"{words.FIRST_REPORT}."))
    for heading, rows in words.lists(view):
        story.append(text(heading, styles["Heading2"]))
        story.append(grid([[text(c) for c in words.LIST_COLUMNS]]
                          + [[text(a), text(b), text(c)] for a, b, c in rows], [width * 0.45, width * 0.25, width * 0.30])
                     if rows else text("None."))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                      title=f"Slippage pack: {view.council}", author="slippage").build(story)
    return buffer.getvalue()
