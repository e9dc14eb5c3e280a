"""The slippage pack as one self-contained HTML file (charts as inline SVG), laid out for A4: printed,
every page carries the council and report at the top and "Page N of M" at the bottom (CSS page
margin boxes), and a list's header row repeats on each page."""
from __future__ import annotations

import html

from app.charts import chart_image
from app.committee import words
from app.committee.charts import view_charts
from app.committee.view import CommitteeView
from app.text import uk_date

_STYLE = (
    "<style>@page{size:A4;margin:15mm}body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:180mm;margin:auto}"
    "h1{font-size:20pt;margin-bottom:2mm}h2{font-size:14pt;margin-top:8mm;break-after:avoid}"
    ".figures{display:flex;gap:6mm}.figure{flex:1;border:1px solid #ccc;padding:3mm}.figure b{font-size:22pt;display:block}"
    "table{width:100%;border-collapse:collapse;font-size:9pt}td,th{border:1px solid #ccc;padding:1.5mm;text-align:left;vertical-align:top}"
    "th{background:#f5f5f5}thead{display:table-header-group}tr.doubt td{background:#fff3c4}p.doubt{color:#7a2e00;margin:1mm 0 0}"
    "table.list{table-layout:fixed;font-size:8pt}td p{margin:0}tr{break-inside:avoid}"
    "svg{max-width:100%;height:auto}.chart{break-inside:avoid}"
    # Document text can hold a word (or an address) longer than the page is wide: break it.
    "h1,h2,p,td,th{overflow-wrap:anywhere}</style>")


def _esc(value) -> str:
    return html.escape("" if value is None else str(value))


def _css_string(text: str) -> str:
    """Text as a CSS string: every character but letters, digits and spaces escaped by its code,
    so document text (a council's name) can neither end the string nor the style sheet."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def _running_lines(view: CommitteeView) -> str:
    """The council and report at the top of every printed page, the page number at the bottom."""
    return ("<style>@page{"
            f"@top-left{{content:{_css_string(words.report_line(view))};font:8pt Helvetica,Arial,sans-serif;color:#555}}"
            f"@bottom-left{{content:{_css_string(f'Produced {uk_date(view.produced_at)} by slippage')};"
            "font:8pt Helvetica,Arial,sans-serif;color:#555}"
            "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font:8pt Helvetica,Arial,sans-serif;color:#555}"
            "}</style>")


def _list_row(item: dict) -> str:
    doubt = f"<p class='doubt'>{_esc(words.DOUBT_PREFIX + item['date_warnings'])}</p>" if item["date_warnings"] else ""
    cells = (_esc(item["ref"]), f"<b>{_esc(item['audit_title'])}</b><br>{_esc(item['recommendation'])}",
             _esc(item["risk_level"]), _esc(words.target(item["original_target_date"])),
             _esc(words.target(item["current_target_date"])), _esc(item["officer"]), f"<p>{_esc(item['situation'])}</p>{doubt}")
    return f"<tr{' class=doubt' if doubt else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def to_html(view: CommitteeView) -> str:
    """One self-contained file (charts as inline SVG), laid out for A4."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Slippage pack: {_esc(words.report_line(view))}</title>",
        _STYLE + _running_lines(view) + "</head><body>",
        f"<h1>{_esc(words.title_line(view))}</h1>",
        f"<p>{_esc(words.date_line(view))}</p>",
        *([f"<p class='doubt'>{_esc(doubt)}</p>"] if (doubt := words.doubt_line(view)) else []),
        "<div class='figures'>" + "".join(f"<div class='figure'><b>{view.headline[key]:,}</b>{_esc(label)}</div>"
                                          for key, label in words.HEADLINE.items()) + "</div>",
    ]
    for chart in view_charts(view).values():
        parts.append(f"<div class='chart'>{chart_image(chart.to_dict(), 'svg').decode('utf-8')}</div>")
    parts.append(f"<h2>{words.CHANGES_HEADING}</h2>")
    if view.movement.height:
        parts.append("<table>" + "".join(f"<tr><td>{_esc(w)}</td><td>{n:,}</td></tr>" for w, n in words.changes(view)) + "</table>")
    else:
        parts.append(f"<p>{words.FIRST_REPORT}.</p>")
    shares = [mm / sum(words.PACK_WIDTHS_MM) for mm in words.PACK_WIDTHS_MM]
    for heading, rows in words.lists(view):
        parts.append(f"<h2>{_esc(heading)}</h2>")
        if rows.height:
            parts.append("<table class='list'><colgroup>" + "".join(f"<col style='width:{share:.1%}'>" for share in shares)
                         + "</colgroup><thead><tr>" + "".join(f"<th>{_esc(name)}</th>" for name in words.PACK_HEADER)
                         + "</tr></thead><tbody>" + "".join(_list_row(item) for item in rows.iter_rows(named=True))
                         + "</tbody></table>")
        else:
            parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "".join(parts)
