"""The slippage pack as an A4 PDF: charts as images, the figures and lists as tables."""
from __future__ import annotations

import html
import io

from app.charts import chart_image
from app.committee import words
from app.committee.charts import view_charts
from app.committee.view import CommitteeView


def to_pdf(view: CommitteeView) -> bytes:
    """The same pack as an A4 PDF: charts as images, tables, the council, report date and when."""
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
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    width = A4[0] - 30 * mm

    def text(value, style=cell):
        return Paragraph(html.escape("" if value is None else str(value)), style)

    def grid(rows, widths):
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        return table

    story = [text(words.title_line(view), styles["Title"]),
             text(words.date_line(view)),
             Spacer(1, 4 * mm),
             grid([[text(label) for label in words.HEADLINE.values()],
                   [text(f"{view.headline[key]:,}", styles["Heading2"]) for key in words.HEADLINE]],
                  [width / 4] * 4)]
    for chart in view_charts(view).values():
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
