"""The slippage pack as one self-contained HTML file, laid out for A4: the one template of both
packs (pack_pdf.py renders it to a tagged PDF). It opens with the figures in a paragraph of words,
each headline figure beside its change since the previous report, then compact charts (SVG images
with their figures as alternative text). Printed, every page carries the council and report at the
top and "Page N of M" at the bottom (CSS page margin boxes); a list's header row repeats on each
page and a section's heading is repeated at the top of its continuation pages ("…, continued": the
PDF's renderer draws CSS string-set; a browser printing the HTML repeats the header row). A
reference is never broken across lines ("EM/23/0" / "49")."""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

import polars as pl

from app import change
from app.charts import chart_image
from app.committee import words
from app.committee.charts import alt_texts, view_charts
from app.committee.view import CommitteeView
from app.text import figure, uk_date

if TYPE_CHECKING:
    from app.data import QueryRow

_STYLE = (
    "<style>@page{size:A4;margin:15mm}body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:180mm;margin:auto}"
    "h1{font-size:20pt;margin-bottom:2mm}h2{font-size:14pt;margin-top:8mm;break-after:avoid}"
    ".figures{display:flex;gap:6mm}.figure{flex:1;border:1px solid #ccc;padding:3mm}.figure b{font-size:22pt;display:block}"
    "table{width:100%;border-collapse:collapse;font-size:9pt}td,th{border:1px solid #ccc;padding:1.5mm;text-align:left;vertical-align:top}"
    "th{background:#f5f5f5}thead{display:table-header-group}tr.doubt td{background:#fff3c4}p.doubt{color:#7a2e00;margin:1mm 0 0}"
    "table.list{table-layout:fixed;font-size:8pt}td p{margin:0}tr{break-inside:avoid}"
    "svg{max-width:100%;height:auto}.chart{break-inside:avoid}"
    ".charts{display:flex;flex-wrap:wrap;gap:4mm}.charts img{width:86mm;height:auto}.charts img.wide{width:150mm}"
    ".figures+.figures{margin-top:3mm}.figure .change{display:block;font-size:9pt}.worse{color:#b00020}.better{color:#1b7a3a}"
    "p.synthetic{border:1px solid #7a2e00;padding:2mm;color:#7a2e00}p.summary{font-size:11pt}"
    '.ref{white-space:nowrap;overflow-wrap:normal}h2{string-set:section content(text) ", continued"}'
    # Document text can hold a word (or an address) longer than the page is wide: break it.
    "h1,h2,p,td,th{overflow-wrap:anywhere}</style>"
)


PACK_FONT = "Liberation Sans"  # Debian's metric twin of Helvetica and Arial, which the pack asks for


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _css_string(text: str) -> str:
    """Text as a CSS string: every character but letters, digits and spaces escaped by its code,
    so document text (a council's name) can neither end the string nor the style sheet."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def _running_lines(view: CommitteeView) -> str:
    """The council and report at the top of every printed page, the page number at the bottom."""
    return (
        "<style>@page{"
        f"@top-left{{content:{_css_string(words.report_line(view))};font:8pt Helvetica,Arial,sans-serif;color:#555}}"
        f"@bottom-left{{content:{_css_string(f'Produced {uk_date(view.produced_at)} by slippage')};"
        "font:8pt Helvetica,Arial,sans-serif;color:#555}"
        '@bottom-right{content:"Page " counter(page) " of " counter(pages);font:8pt Helvetica,Arial,sans-serif;color:#555}'
        "@top-right{content:string(section, first-except);font:bold 8pt Helvetica,Arial,sans-serif;color:#555}"
        "}</style>"
    )


def _list_row(item: QueryRow) -> str:
    doubt = f"<p class='doubt'>{_esc(words.DOUBT_PREFIX + item['date_warnings'])}</p>" if item["date_warnings"] else ""
    cells = (
        f"<span class=ref>{_esc(item['ref'])}</span>",
        f"<b>{_esc(item['audit_title'])}</b><br>{_esc(item['recommendation'])}",
        _esc(item["risk_level"]),
        _esc(words.target(item["original_target_date"])),
        _esc(words.target(item["current_target_date"])),
        _esc(item["officer"]),
        f"<p>{_esc(item['situation'])}</p>{doubt}",
    )
    return f"<tr{' class=doubt' if doubt else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _figure(view: CommitteeView, key: str, label: str) -> str:
    before = view.previous[key] if view.previous else None
    moved, colour = change.in_words(key, view.headline[key], before), change.colour(key, view.headline[key], before)
    tone = {change.WORSE: " worse", change.BETTER: " better"}.get(colour or "", "")
    said = f"<span class='change{tone}'>{_esc(moved)}</span>" if moved else ""
    return f"<div class='figure'><b>{_esc(figure(key, view.headline[key]))}</b>{_esc(label)}{said}</div>"


def _charts(view: CommitteeView) -> str:
    """The charts, small enough for two side by side, each an SVG image with its figures as alt text."""
    alts = alt_texts(view)
    images = []
    for name, chart in view_charts(view).items():
        # The chart measured and drawn in the pack's own font: with the default sans-serif, the PDF's
        # renderer draws wider glyphs than the chart was laid out for, and long labels are cut.
        spec = chart.to_dict() | {"config": chart.to_dict().get("config", {}) | {"font": PACK_FONT}}
        svg = base64.b64encode(chart_image(spec, "svg")).decode("ascii")
        images.append(
            f"<img class='{'wide' if name == 'owners' else 'half'}' alt='{_esc(alts[name])}' src='data:image/svg+xml;base64,{svg}'>"
        )
    return "<div class='charts chart'>" + "".join(images) + "</div>"


def _list(heading: str, rows: pl.DataFrame) -> str:
    if not rows.height:
        return f"<h2>{_esc(heading)}</h2><p>None.</p>"
    shares = [mm / sum(words.PACK_WIDTHS_MM) for mm in words.PACK_WIDTHS_MM]
    return (
        f"<h2>{_esc(heading)}</h2><table class='list'><colgroup>"
        + "".join(f"<col style='width:{share:.1%}'>" for share in shares)
        + "</colgroup><thead><tr>"
        + "".join(f"<th scope='col'>{_esc(name)}</th>" for name in words.PACK_HEADER)
        + "</tr></thead><tbody>"
        + "".join(_list_row(item) for item in rows.iter_rows(named=True))
        + "</tbody></table>"
    )


def _approvals(view: CommitteeView) -> str:
    rows = words.approvals(view)
    if not rows.height:
        return f"<h2>{words.APPROVALS_HEADING}</h2><p>None: no later date is asked for and not yet agreed.</p>"
    cells = [
        [
            _esc(item["ref"]),
            _esc(item["audit_title"]),
            _esc(item["officer"]),
            _esc(words.target(item["current_target_date"])),
            _esc(uk_date(item["requested_target_date"])),
            f"{item['earlier_extensions']:,}",
            _esc(item["requested_reason"]),
        ]
        for item in rows.iter_rows(named=True)
    ]
    return (
        f"<h2>{words.APPROVALS_HEADING}</h2><table class='list'><thead><tr>"
        + "".join(f"<th scope='col'>{_esc(words.APPROVAL_HEADERS[name])}</th>" for name in words.APPROVAL_COLUMNS)
        + "</tr></thead><tbody>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in cells)
        + "</tbody></table>"
    )


def to_html(view: CommitteeView, charts: bool = True) -> str:
    """One self-contained file (charts as SVG images in the page), laid out for A4."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Slippage pack: {_esc(words.report_line(view))}</title>",
        _STYLE + _running_lines(view) + "</head><body>",
        f"<p class='synthetic'>{_esc(words.SYNTHETIC)}</p>" if view.synthetic else "",
        f"<h1>{_esc(words.title_line(view))}</h1>",
        f"<p>{_esc(words.date_line(view))}</p>",
        *([f"<p class='doubt'>{_esc(doubt)}</p>"] if (doubt := words.doubt_line(view)) else []),
        f"<p class='summary'>{_esc(words.summary(view))}</p>",
        *(
            "<div class='figures'>" + "".join(_figure(view, key, label) for key, label in shown.items()) + "</div>"
            for shown in (words.HEADLINE, words.ASKS)
        ),
        f"<p>{_esc(words.previous_line(view))}</p>",
        _charts(view) if charts else "",
        f"<h2>{words.CHANGES_HEADING}</h2>",
    ]
    if view.movement.height:
        parts.append(
            "<table><thead><tr><th scope='col'>Change</th><th scope='col'>Recommendations</th></tr></thead><tbody>"
            + "".join(f"<tr><td>{_esc(w)}</td><td>{n:,}</td></tr>" for w, n in words.changes(view))
            + "</tbody></table>"
        )
    else:
        parts.append(f"<p>{words.FIRST_REPORT}.</p>")
    parts.append(_approvals(view))
    parts += [_list(heading, rows) for heading, rows in words.chair_lists(view) + words.lists(view)]
    parts.append("</body></html>")
    return "".join(parts)
