"""The committee view of one council's report, shared by the Committee page and the printable
slippage pack (self-contained HTML and A4 PDF). Figures come from sql/queries/committee_*.sql;
document text is only ever escaped, never rendered as markup."""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import altair as alt
import polars as pl

from app.charts import AGEING_ORDER, RISK_ORDER, risk_colour


Query = Callable[..., pl.DataFrame]


@dataclass
class CommitteeView:
    council: str
    report_date: date
    headline: dict
    by_risk: pl.DataFrame
    by_owner: pl.DataFrame
    ageing: pl.DataFrame
    items: pl.DataFrame
    movement: pl.DataFrame  # recommendations per kind of change since the previous report
    produced_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def revised(self) -> pl.DataFrame:
        return self.items.filter(pl.col("revised_twice")).sort("revision_count", descending=True)

    def no_update(self) -> pl.DataFrame:
        return self.items.filter(pl.col("no_update_twice")).sort("no_update_streak", descending=True)

    def oldest_high_risk(self) -> pl.DataFrame:
        return self.items.filter(pl.col("high_risk")).head(15)


def gather(query: Query, council: str, report_date: date) -> CommitteeView:
    params = {"council": council, "report_date": report_date}
    movement = query("movement_counts", councils=[council], as_of=report_date.isoformat())
    return CommitteeView(council, report_date, query("committee_headline", **params).row(0, named=True),
                         query("committee_by_risk", **params), query("committee_by_owner", **params),
                         query("committee_ageing", **params), query("committee_items", **params), movement)


# -- a chair's words ---------------------------------------------------------------------------
def month_name(period: str | None) -> str | None:
    if not period:
        return None
    year, month = period.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def in_words(row: dict) -> str:
    """'overdue by 120 days; extended 3 times; no update since July 2024'."""
    words = []
    days = row.get("days_past_original_target")
    if days is not None:
        words.append(f"{days:,} days past its first agreed date" if days > 0 else "not yet due")
    revisions = row.get("revision_count") or 0
    if revisions:
        words.append("extended once" if revisions == 1 else f"extended {revisions} times")
    streak = row.get("no_update_streak") or 0
    since = month_name(row.get("latest_update_period"))
    if streak >= 2:
        words.append(f"no update for {streak} reports" + (f" (last: {since})" if since else ""))
    elif since:
        words.append(f"last update {since}")
    return "; ".join(words)


def listing(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(reference and title, owner, the situation in words) per row."""
    rows = []
    for row in frame.iter_rows(named=True):
        title = row["audit_title"] or "(untitled)"
        rows.append((f"{row['ref']} {title}" if row["ref"] else title, row["owner"] or "–", in_words(row)))
    return rows


CHANGE_WORDS = {"new": "New since the last report", "closed": "Closed or implemented", "gone": "No longer reported",
                "re-dated": "Given a new date", "update unchanged": "Same update as last time", "updated": "Updated"}


def changes(view: CommitteeView) -> list[tuple[str, int]]:
    counts = dict(view.movement.iter_rows())
    return [(words, counts.get(change, 0)) for change, words in CHANGE_WORDS.items()]


# -- charts ------------------------------------------------------------------------------------
def charts(view: CommitteeView) -> dict[str, alt.Chart]:
    big = {"labelFontSize": 14, "titleFontSize": 14}
    by_risk = view.by_risk.unpivot(index="risk_level", variable_name="state", value_name="recommendations")
    out = {
        "risk": alt.Chart(by_risk, title="Open recommendations by risk level").mark_bar().encode(
            x=alt.X("risk_level:N", sort=RISK_ORDER, title="Risk level", axis=alt.Axis(labelAngle=0, **big)),
            y=alt.Y("recommendations:Q", title="Recommendations", stack=True, axis=alt.Axis(**big)),
            color=risk_colour(),
            opacity=alt.Opacity("state:N", title="", sort=["overdue", "open, not yet overdue"],
                                scale=alt.Scale(domain=["overdue", "open, not yet overdue"], range=[1.0, 0.4])),
            tooltip=["risk_level", "state", "recommendations"]).properties(width=420, height=260),
        "ageing": alt.Chart(view.ageing, title="How long past the first agreed date").mark_bar(color="#3b6ea8").encode(
            x=alt.X("ageing_band:N", sort=AGEING_ORDER, scale=alt.Scale(domain=AGEING_ORDER), title="Past first agreed date",
                    axis=alt.Axis(labelAngle=0, **big)),
            y=alt.Y("recommendations:Q", title="Open recommendations", axis=alt.Axis(**big)),
            tooltip=["ageing_band", "recommendations"]).properties(width=420, height=260),
    }
    owners = view.by_owner.drop_nulls("median_days_past_original").filter(pl.col("owner") != "(not named)")
    if owners.height:
        out["owners"] = alt.Chart(owners, title="Median days past first agreed date, by directorate or officer").mark_bar(
            color="#3b6ea8").encode(
            y=alt.Y("owner:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360, **big)),
            x=alt.X("median_days_past_original:Q", title="Median days", axis=alt.Axis(**big)),
            tooltip=["owner", "open", "median_days_past_original"]).properties(width=860, height=alt.Step(26))
    return out


# -- the printable pack ------------------------------------------------------------------------
def _esc(value) -> str:
    return html.escape("" if value is None else str(value))


def to_html(view: CommitteeView) -> str:
    """One self-contained file (charts as inline SVG), laid out for A4."""
    import vl_convert

    figures = [(label, value) for label, value in (
        ("Open", view.headline["open"]), ("Overdue", view.headline["overdue"]),
        ("Extended two or more times", view.headline["revised_twice"]),
        ("No update for two or more reports", view.headline["no_update_twice"]))]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Slippage pack: {_esc(view.council)}, {view.report_date:%d %B %Y}</title>",
        "<style>@page{size:A4;margin:15mm}body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:180mm;margin:auto}"
        "h1{font-size:20pt;margin-bottom:2mm}h2{font-size:14pt;margin-top:8mm;break-after:avoid}"
        ".figures{display:flex;gap:6mm}.figure{flex:1;border:1px solid #ccc;padding:3mm}.figure b{font-size:22pt;display:block}"
        "table{width:100%;border-collapse:collapse;font-size:9pt}td,th{border:1px solid #ccc;padding:1.5mm;text-align:left;vertical-align:top}"
        "tr{break-inside:avoid}svg{max-width:100%;height:auto}.chart{break-inside:avoid}</style></head><body>",
        f"<h1>{_esc(view.council)}: internal audit recommendations</h1>",
        f"<p>Report of {view.report_date:%d %B %Y}. Produced {view.produced_at:%d %B %Y at %H:%M} by slippage.</p>",
        "<div class='figures'>" + "".join(f"<div class='figure'><b>{v:,}</b>{_esc(k)}</div>" for k, v in figures) + "</div>",
    ]
    for chart in charts(view).values():
        parts.append(f"<div class='chart'>{vl_convert.vegalite_to_svg(chart.to_dict())}</div>")
    parts.append("<h2>What changed since the previous report</h2>")
    if view.movement.height:
        parts.append("<table>" + "".join(f"<tr><td>{_esc(w)}</td><td>{n}</td></tr>" for w, n in changes(view)) + "</table>")
    else:
        parts.append("<p>This is the first report loaded for this council.</p>")
    for heading, frame in (("Extended two or more times", view.revised()),
                           ("No fresh update for two or more reports", view.no_update()),
                           ("Oldest open high and critical risk recommendations", view.oldest_high_risk())):
        parts.append(f"<h2>{_esc(heading)}</h2>")
        rows = listing(frame)
        if rows:
            parts.append("<table><tr><th>Recommendation</th><th>Directorate or officer</th><th>Where it stands</th></tr>"
                         + "".join(f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td><td>{_esc(c)}</td></tr>" for a, b, c in rows)
                         + "</table>")
        else:
            parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(view: CommitteeView) -> bytes:
    """The same pack as an A4 PDF: charts as images, tables, the council, report date and when."""
    import vl_convert
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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

    story = [text(f"{view.council}: internal audit recommendations", styles["Title"]),
             text(f"Report of {view.report_date:%d %B %Y}. Produced {view.produced_at:%d %B %Y at %H:%M} by slippage."),
             Spacer(1, 4 * mm),
             grid([[text(k) for k in ("Open", "Overdue", "Extended two or more times", "No update for two or more reports")],
                   [text(f"{view.headline[k]:,}", styles["Heading2"]) for k in ("open", "overdue", "revised_twice", "no_update_twice")]],
                  [width / 4] * 4)]
    for chart in charts(view).values():
        png = vl_convert.vegalite_to_png(chart.to_dict(), scale=2)
        image = Image(io.BytesIO(png))
        ratio = min(width / image.imageWidth, 110 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        story += [Spacer(1, 4 * mm), KeepTogether([image])]
    story += [Spacer(1, 4 * mm), text("What changed since the previous report", styles["Heading2"])]
    story.append(grid([[text(w), text(n)] for w, n in changes(view)], [width * 0.7, width * 0.3])
                 if view.movement.height else text("This is the first report loaded for this council."))
    for heading, frame in (("Extended two or more times", view.revised()),
                           ("No fresh update for two or more reports", view.no_update()),
                           ("Oldest open high and critical risk recommendations", view.oldest_high_risk())):
        story.append(text(heading, styles["Heading2"]))
        rows = listing(frame)
        story.append(grid([[text("Recommendation"), text("Directorate or officer"), text("Where it stands")]]
                          + [[text(a), text(b), text(c)] for a, b, c in rows], [width * 0.45, width * 0.25, width * 0.30])
                     if rows else text("None."))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                      title=f"Slippage pack: {view.council}", author="slippage").build(story)
    return buffer.getvalue()


def file_stem(view: CommitteeView) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in view.council.lower()).strip("-")
    return f"slippage-pack-{safe}-{view.report_date:%Y-%m-%d}"

