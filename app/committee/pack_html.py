"""The slippage pack as one self-contained HTML file (charts as inline SVG), laid out for A4."""
from __future__ import annotations

import html

from app.charts import chart_image
from app.committee import words
from app.committee.charts import view_charts
from app.committee.view import CommitteeView

_STYLE = (
    "<style>@page{size:A4;margin:15mm}body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:180mm;margin:auto}"
    "h1{font-size:20pt;margin-bottom:2mm}h2{font-size:14pt;margin-top:8mm;break-after:avoid}"
    ".figures{display:flex;gap:6mm}.figure{flex:1;border:1px solid #ccc;padding:3mm}.figure b{font-size:22pt;display:block}"
    "table{width:100%;border-collapse:collapse;font-size:9pt}td,th{border:1px solid #ccc;padding:1.5mm;text-align:left;vertical-align:top}"
    "tr{break-inside:avoid}svg{max-width:100%;height:auto}.chart{break-inside:avoid}"
    # Document text can hold a word (or an address) longer than the page is wide: break it.
    "h1,h2,p,td,th{overflow-wrap:anywhere}</style>")


def _esc(value) -> str:
    return html.escape("" if value is None else str(value))


def to_html(view: CommitteeView) -> str:
    """One self-contained file (charts as inline SVG), laid out for A4."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Slippage pack: {_esc(view.council)}, {view.report_date:%d %B %Y}</title>",
        _STYLE + "</head><body>",
        f"<h1>{_esc(words.title_line(view))}</h1>",
        f"<p>{_esc(words.date_line(view))}</p>",
        "<div class='figures'>" + "".join(f"<div class='figure'><b>{view.headline[key]:,}</b>{_esc(label)}</div>"
                                          for key, label in words.HEADLINE.items()) + "</div>",
    ]
    for chart in view_charts(view).values():
        parts.append(f"<div class='chart'>{chart_image(chart.to_dict(), 'svg').decode('utf-8')}</div>")
    parts.append(f"<h2>{words.CHANGES_HEADING}</h2>")
    if view.movement.height:
        parts.append("<table>" + "".join(f"<tr><td>{_esc(w)}</td><td>{n}</td></tr>" for w, n in words.changes(view)) + "</table>")
    else:
        parts.append(f"<p>{words.FIRST_REPORT}.</p>")
    for heading, rows in words.lists(view):
        parts.append(f"<h2>{_esc(heading)}</h2>")
        if rows:
            parts.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in words.LIST_COLUMNS) + "</tr>"
                         + "".join(f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td><td>{_esc(c)}</td></tr>" for a, b, c in rows)
                         + "</table>")
        else:
            parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "".join(parts)
