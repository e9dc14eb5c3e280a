#!/usr/bin/env python3
"""Layout zoo: synthetic UK-council internal-audit "outstanding recommendations" appendices.

Every document is one data block below (a `Doc` with its records written once); this script
renders each into .html (always), .md / .txt (some), <name>.expected.json (hand-written
ground truth carried in the data: ISO dates, statuses, periods), and a PDF rendered from the
HTML by LibreOffice.  Run:  python make_zoo.py  [--no-pdf] [--only NAME ...]

Deterministic: no clocks, no randomness; re-running overwrites the same files.
Standard library only, plus pdfplumber (in /work/main/requirements.txt) for the PDF checks.

Ground-truth conventions (see README.md):
* Every printed date is written once as Dt(printed, iso): the printed text goes into the
  document, the ISO value (hand-checked) into expected.json.  iso=None is "TBC".
* target_history is the list of Dt values a careful reader collects (agreed target first,
  then each revision, TBC included).  original/current/revision_count follow from it.
* status, latest_update_period, no_update_stated are written by hand per record.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Dt:
    """A date as printed, with the value a careful reader takes from it (None = TBC)."""

    printed: str
    iso: str | None = None

    @property
    def hist(self) -> str:
        return self.iso if self.iso else "TBC"


TBC = Dt("TBC")


@dataclass(frozen=True)
class B:
    """A bold line inside a cell."""

    text: str


@dataclass(frozen=True)
class UL:
    """A bulleted list inside a cell."""

    items: tuple


@dataclass(frozen=True)
class Lines:
    """Short lines separated by line breaks (e.g. several dates in one cell)."""

    items: tuple


@dataclass
class Rec:
    audit: str
    rec: object  # recommendation text (str or list of blocks)
    history: list  # list[Dt], hand-written
    status: str  # expected: open | implemented | closed
    ref: str | None = None
    directorate: str | None = None
    responsible: str | None = None
    risk: str | None = None  # risk label exactly as printed
    status_printed: str | None = None
    finding: object = None
    response: object = None  # management response / agreed action (when separate)
    update: object = None  # latest-update cell (str or list of blocks)
    latest: int = 0  # which block of `update` is the latest update
    period: str | None = None  # YYYY-MM of the latest update's stamp (hand-written)
    no_update: bool = False
    pct: float | None = None
    rag: str | None = None
    x: dict = field(default_factory=dict)  # layout-specific printed cells


@dataclass
class Col:
    header: str
    get: object  # Rec -> cell content
    width: int | None = None  # percent of table width
    nowrap: bool = False


@dataclass
class Doc:
    name: str
    council: str
    imitates: str
    as_at: str | None
    as_at_printed: bool
    risk_scale: dict
    preamble: list  # list of (kind, text): h1 h2 p small key
    cols: list
    sections: list  # list of (heading or None, [Rec])
    orientation: str = "portrait"
    rules: str = "grid"  # grid | hrules | none
    section_style: str = "rows"  # rows (heading row in one table) | tables (one table each)
    header_rows: list | None = None  # explicit HTML header rows: [[(text, rowspan, colspan)]]
    txt_header_rows: list | None = None
    formats: tuple = ("html",)
    title_risk: str | None = None  # label printed in the title when there is no risk column
    min_pages: int = 1
    font_pt: float = 9
    head_bg: str | None = "#D9D9D9"
    postscript: list = field(default_factory=list)
    card: bool = False  # one small two-column table per record
    card_rows: list | None = None  # [(label, getter)]
    card_title: object = None  # Rec -> str


# --------------------------------------------------------------------------- text helpers


def blocks(content) -> list:
    if content is None:
        return []
    if isinstance(content, (str, B, UL, Lines)):
        return [content]
    return list(content)


def text_of(block) -> str:
    if isinstance(block, str):
        return block
    if isinstance(block, B):
        return block.text
    if isinstance(block, (UL, Lines)):
        return " ".join(block.items)
    raise TypeError(block)


def plain(content) -> str:
    return " ".join(text_of(b) for b in blocks(content))


def starts(content, index: int = 0) -> str | None:
    bl = blocks(content)
    if not bl:
        return None
    return " ".join(text_of(b) for b in bl[index:])[:40]


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def dates_cell(ds) -> object:
    """Several dates in one cell, one per line."""
    ds = [d.printed for d in ds]
    if not ds:
        return None
    if len(ds) == 1:
        return ds[0]
    return Lines(tuple(ds))


# --------------------------------------------------------------------------- HTML

P_STYLE = 'style="margin-top:0cm; margin-bottom:0.12cm"'
P_STYLE_PAD = 'style="margin-top:0cm; margin-bottom:0.08cm; margin-left:0.12cm; margin-right:0.12cm"'


def html_cell(content, pad: bool = False) -> str:
    """pad: wrap everything in paragraphs with side margins.  LibreOffice drops a cell's left
    and right padding when the cell has a border on some sides only (the horizontal-rules
    layout), so neighbouring columns' words would touch; paragraph indents put the gap back."""
    p_style = P_STYLE_PAD if pad else P_STYLE
    bl = blocks(content)
    if not bl:
        return "&nbsp;"
    if len(bl) == 1 and isinstance(bl[0], str) and not pad:
        return esc(bl[0])
    if len(bl) == 1 and isinstance(bl[0], Lines) and not pad:
        return "<br>".join(esc(i) for i in bl[0].items)
    out = []
    for b in bl:
        if isinstance(b, str):
            out.append(f"<p {p_style}>{esc(b)}</p>")
        elif isinstance(b, B):
            out.append(f"<p {p_style}><b>{esc(b.text)}</b></p>")
        elif isinstance(b, Lines):
            out.append(f"<p {p_style}>" + "<br>".join(esc(i) for i in b.items) + "</p>")
        elif isinstance(b, UL):
            out.append('<ul style="margin-top:0cm; margin-bottom:0.12cm">' + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
    return "".join(out)


def cell_style(doc: Doc, head: bool) -> str:
    if doc.rules == "hrules":
        top = "border-top: 1.0pt solid #000000; " if head else ""
        bottom = "1.0pt" if head else "0.5pt"
        return f' style="{top}border-bottom: {bottom} solid #000000; border-left: none; border-right: none"'
    return ""


def table_open(doc: Doc) -> str:
    # Column widths go on the header cells: LibreOffice ignores <colgroup> widths.
    border = "1" if doc.rules == "grid" else "0"
    return f'<table border="{border}" cellspacing="0" cellpadding="4" width="100%">'


def th(doc: Doc, text: str, rowspan=1, colspan=1, width=None) -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if width:
        attrs += f' width="{width}%"'
    if doc.head_bg and doc.rules == "grid":
        attrs += f' bgcolor="{doc.head_bg}"'
    inner = html_cell(text, pad=True) if doc.rules == "hrules" else esc(text)
    return f'<th valign="top" align="left"{attrs}{cell_style(doc, True)}>{inner}</th>'


def html_header(doc: Doc) -> str:
    if doc.header_rows:
        rows = []
        for row in doc.header_rows:
            rows.append("<tr>" + "".join(th(doc, *cell) for cell in row) + "</tr>")
        return "<thead>" + "".join(rows) + "</thead>"
    return "<thead><tr>" + "".join(th(doc, c.header, width=c.width) for c in doc.cols) + "</tr></thead>"


def html_row(doc: Doc, rec: Rec) -> str:
    cells = []
    for c in doc.cols:
        nowrap = " nowrap" if c.nowrap else ""
        inner = html_cell(c.get(rec), pad=doc.rules == "hrules")
        cells.append(f'<td valign="top"{nowrap}{cell_style(doc, False)}>{inner}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


def html_section_row(doc: Doc, heading: str) -> str:
    bg = ' bgcolor="#F2F2F2"' if doc.rules == "grid" else ""
    return f'<tr><td colspan="{len(doc.cols)}" valign="top"{bg}{cell_style(doc, False)}><b>{esc(heading)}</b></td></tr>'


def html_preamble(items) -> str:
    out = []
    for kind, text in items:
        if kind == "h1":
            out.append(f'<p style="margin-bottom:0.1cm"><font size="4"><b>{esc(text)}</b></font></p>')
        elif kind == "h2":
            out.append(f'<p style="margin-bottom:0.1cm"><b>{esc(text)}</b></p>')
        elif kind == "right":
            out.append(f'<p align="right" style="margin-bottom:0.1cm"><b>{esc(text)}</b></p>')
        elif kind == "small":
            out.append(f'<p style="margin-bottom:0.1cm"><font size="1">{esc(text)}</font></p>')
        elif kind == "key":
            out.append(f'<p style="margin-bottom:0.2cm"><i>{esc(text)}</i></p>')
        else:
            out.append(f'<p style="margin-bottom:0.15cm">{esc(text)}</p>')
    return "\n".join(out)


def render_html(doc: Doc) -> str:
    size = "A4 landscape" if doc.orientation == "landscape" else "A4 portrait"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{esc(doc.council)} – {esc(doc.name)}</title>",
        "<style>",
        f"@page {{ size: {size}; margin: 1.6cm 1.5cm 1.6cm 1.5cm }}",
        f"body {{ font-family: Arial, 'Liberation Sans', sans-serif; font-size: {doc.font_pt}pt }}",
        f"td, th {{ font-family: Arial, 'Liberation Sans', sans-serif; font-size: {doc.font_pt}pt }}",
        "</style></head><body>",
        html_preamble(doc.preamble),
    ]
    if doc.card:
        parts.append(render_cards_html(doc))
    elif doc.section_style == "tables":
        for heading, recs in doc.sections:
            parts.append(f'<p style="margin-top:0.4cm; margin-bottom:0.15cm"><b>{esc(heading)}</b></p>')
            if not recs:
                parts.append("<p>There are no recommendations in this category.</p>")
                continue
            parts.append(table_open(doc))
            parts.append(html_header(doc))
            parts.append("<tbody>" + "\n".join(html_row(doc, r) for r in recs) + "</tbody></table>")
    else:
        parts.append(table_open(doc))
        parts.append(html_header(doc))
        body = []
        for heading, recs in doc.sections:
            if heading:
                body.append(html_section_row(doc, heading))
            body.extend(html_row(doc, r) for r in recs)
        parts.append("<tbody>" + "\n".join(body) + "</tbody></table>")
    if doc.postscript:
        parts.append(html_preamble(doc.postscript))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_cards_html(doc: Doc) -> str:
    out = []
    n = sum(len(r) for _, r in doc.sections)
    i = 0
    for heading, recs in doc.sections:
        if heading:
            out.append(f'<p style="margin-top:0.4cm"><b>{esc(heading)}</b></p>')
        for r in recs:
            i += 1
            out.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">')
            out.append(f'<thead><tr><th colspan="2" align="left" bgcolor="#DEEAF6">{esc(doc.card_title(r, i, n))}</th></tr></thead><tbody>')
            for k, (label, get) in enumerate(doc.card_rows):
                w = ' width="26%"' if k == 0 else ""
                out.append(
                    f'<tr><td valign="top" bgcolor="#F2F2F2"{w}><b>{esc(label)}</b></td><td valign="top">{html_cell(get(r))}</td></tr>'
                )
            out.append("</tbody></table><p>&nbsp;</p>")
    return "\n".join(out)


# --------------------------------------------------------------------------- TXT (parsed-appendix text)


def txt_cell(content) -> str:
    bl = blocks(content)
    if not bl:
        return ""
    if len(bl) == 1 and isinstance(bl[0], str):
        return bl[0]
    out = []
    for b in bl:
        if isinstance(b, str):
            out.append(f"<p>{esc(b)}</p>")
        elif isinstance(b, B):
            out.append(f"<p><b>{esc(b.text)}</b></p>")
        elif isinstance(b, Lines):
            out.append("<br>".join(esc(i) for i in b.items))
        elif isinstance(b, UL):
            out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
    return " ".join(out)


def txt_preamble(items) -> list:
    return [text for _, text in items]


def render_txt(doc: Doc) -> str:
    lines = ["", ""] + txt_preamble(doc.preamble) + [""]
    header_lines = doc.txt_header_rows or [[c.header for c in doc.cols]]
    hdr = ["\t".join(h) for h in header_lines]
    if doc.card:
        for _heading, recs in doc.sections:
            n = sum(len(r) for _, r in doc.sections)
            for i, r in enumerate(recs, 1):
                lines.append(doc.card_title(r, i, n))
                for label, get in doc.card_rows:
                    lines.append(f"{label}\t{txt_cell(get(r))}")
                lines.append("")
    elif doc.section_style == "tables":
        for heading, recs in doc.sections:
            lines += [heading, ""]
            if not recs:
                lines += ["There are no recommendations in this category.", ""]
                continue
            lines += hdr
            lines += ["\t".join(txt_cell(c.get(r)) for c in doc.cols) for r in recs]
            lines.append("")
    else:
        lines += hdr
        for heading, recs in doc.sections:
            if heading:
                lines.append(f"<b>{esc(heading)}</b>" + "\t" * (len(doc.cols) - 1))
            lines += ["\t".join(txt_cell(c.get(r)) for c in doc.cols) for r in recs]
        lines.append("")
    lines += txt_preamble(doc.postscript)
    for ln in lines:
        assert "\n" not in ln, ln
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Markdown


def md_cell(content) -> str:
    out = []
    for b in blocks(content):
        if isinstance(b, str):
            out.append(b)
        elif isinstance(b, B):
            out.append(f"**{b.text}**")
        elif isinstance(b, Lines):
            out.append("<br>".join(b.items))
        elif isinstance(b, UL):
            out.append("<br>".join(f"• {i}" for i in b.items))
    return "<br>".join(out).replace("|", "\\|")


def render_md(doc: Doc) -> str:
    lines = []
    for kind, text in doc.preamble:
        if kind == "h1":
            lines += [f"# {text}", ""]
        elif kind == "h2":
            lines += [f"## {text}", ""]
        elif kind == "key":
            lines += [f"*{text}*", ""]
        else:
            lines += [text, ""]
    hdr = "| " + " | ".join(c.header for c in doc.cols) + " |"
    rule = "|" + "|".join("---" for _ in doc.cols) + "|"
    if doc.section_style == "tables":
        for heading, recs in doc.sections:
            lines += [f"### {heading}", ""]
            if not recs:
                lines += ["There are no recommendations in this category.", ""]
                continue
            lines += [hdr, rule]
            lines += ["| " + " | ".join(md_cell(c.get(r)) for c in doc.cols) + " |" for r in recs]
            lines.append("")
    else:
        lines += [hdr, rule]
        for heading, recs in doc.sections:
            if heading:
                lines.append("| " + " | ".join([f"**{heading}**"] + [""] * (len(doc.cols) - 1)) + " |")
            lines += ["| " + " | ".join(md_cell(c.get(r)) for c in doc.cols) + " |" for r in recs]
        lines.append("")
    for _kind, text in doc.postscript:
        lines += [text, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- expected.json

LEVELS = {"critical", "high", "medium", "low"}


def expected(doc: Doc) -> dict:
    assert set(doc.risk_scale.values()) <= LEVELS, doc.risk_scale
    records = []
    for heading, recs in doc.sections:
        for r in recs:
            assert r.status in {"open", "implemented", "closed"}, (doc.name, r.ref, r.status)
            hist = [d.hist for d in r.history]
            risk_raw = r.risk if r.risk is not None else doc.title_risk
            if risk_raw is not None:
                assert risk_raw in doc.risk_scale, (doc.name, risk_raw)
            first = plain(r.rec)
            records.append(
                {
                    "ref": r.ref,
                    "audit_title": r.audit,
                    "directorate": r.directorate,
                    "responsible": r.responsible,
                    "risk_raw": risk_raw,
                    "risk_level": doc.risk_scale.get(risk_raw) if risk_raw else None,
                    "status": r.status,
                    "original_target_date": r.history[0].iso if r.history else None,
                    "current_target_date": r.history[-1].iso if r.history else None,
                    "target_history": hist,
                    "revision_count": sum(1 for a, b in zip(hist, hist[1:]) if a != b),
                    "latest_update_period": r.period,
                    "no_update_stated": r.no_update,
                    "section": heading,
                    "percent_complete": r.pct,
                    "rag": r.rag,
                    "recommendation_starts": first[:40],
                    "latest_update_starts": starts(r.update, r.latest),
                }
            )
    return {
        "council": doc.council,
        "as_at": doc.as_at,
        "as_at_printed": doc.as_at_printed,
        "risk_scale": doc.risk_scale,
        "records": records,
    }


# --------------------------------------------------------------------------- date forms
# Each returns Dt(printed, iso): the printed form is written from the hand-chosen ISO value,
# so text and ground truth cannot drift apart.  Month-only and quarter forms assert that the
# ISO value is the last day of the month / financial quarter, as a careful reader takes it.

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _ymd(iso: str):
    y, m, d = (int(p) for p in iso.split("-"))
    return y, m, d


def _month_end(iso: str) -> None:
    y, m, d = _ymd(iso)
    last = 29 if (m == 2 and y % 4 == 0) else MONTH_DAYS[m - 1]
    assert d == last, f"{iso} is not a month end"


def abbr(iso):  # 31-Mar-24
    y, m, d = _ymd(iso)
    return Dt(f"{d:02d}-{MONTHS[m - 1][:3]}-{y % 100:02d}", iso)


def slash(iso):  # 30/09/2024
    y, m, d = _ymd(iso)
    return Dt(f"{d:02d}/{m:02d}/{y}", iso)


def dots(iso):  # 31.03.25
    y, m, d = _ymd(iso)
    return Dt(f"{d:02d}.{m:02d}.{y % 100:02d}", iso)


def _ord(d: int) -> str:
    return f"{d}{'th' if 11 <= d <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"


def ordinal(iso):  # 31st March 2025
    y, m, d = _ymd(iso)
    return Dt(f"{_ord(d)} {MONTHS[m - 1]} {y}", iso)


def longd(iso):  # 30 June 2024
    y, m, d = _ymd(iso)
    return Dt(f"{d} {MONTHS[m - 1]} {y}", iso)


def mon(iso):  # Mar 2025  (last day of the month)
    _month_end(iso)
    y, m, _ = _ymd(iso)
    return Dt(f"{MONTHS[m - 1][:3]} {y}", iso)


def month(iso):  # March 2025  (last day of the month)
    _month_end(iso)
    y, m, _ = _ymd(iso)
    return Dt(f"{MONTHS[m - 1]} {y}", iso)


def endof(iso):  # end of June 2025
    _month_end(iso)
    y, m, _ = _ymd(iso)
    return Dt(f"end of {MONTHS[m - 1]} {y}", iso)


def fq(iso):  # Q3 2024/25 (UK financial year April-March)
    y, m, d = _ymd(iso)
    q = {6: 1, 9: 2, 12: 3, 3: 4}[m]
    _month_end(iso)
    start = y if q != 4 else y - 1
    return Dt(f"Q{q} {start}/{(start + 1) % 100:02d}", iso)


def col(header, attr=None, width=None, fn=None, nowrap=False):
    get = fn if fn is not None else (lambda r, a=attr: getattr(r, a))
    return Col(header, get, width, nowrap)


def orig_cell(r: Rec):
    return r.history[0].printed if r.history else None


def revised_cell(r: Rec):
    return dates_cell(r.history[1:])


# =========================================================================== documents
# --------------------------------------------------------------------------- 1. Tables A-E


def doc_taw_valley() -> Doc:
    """North Devon style: separate tables A-E by status, references like '22 PAY 03'."""
    H, M, L = "1 - High", "2 - Medium", "3 - Low"
    a = abbr
    overdue = [
        Rec(
            ref="21 BCFU 07",
            audit="Business Continuity Follow Up 2021-22",
            risk=H,
            responsible="Emergency Planning Officer",
            rec="Service business continuity plans should be reviewed and tested at least annually, "
            "with the results of each test and any lessons learned reported to the Strategic "
            "Management Team.",
            history=[a("2022-03-31"), a("2023-03-31"), a("2024-09-30")],
            status="open",
            update="Feb 2025 – All service plans have been refreshed on the new template. A desktop "
            "exercise with Waste and Recycling took place on 29 January 2025; exercises for "
            "the remaining critical services are being scheduled for April and May.",
            period="2025-02",
        ),
        Rec(
            ref="22 PAY 03",
            audit="Payroll 2022-23",
            risk=M,
            responsible="Payroll and HR Systems Manager",
            rec="An exception report of changes to employee bank details should be produced every "
            "pay period and independently checked against the authorised change request before "
            "the BACS file is released.",
            history=[a("2022-12-31"), a("2023-06-30")],
            status="open",
            update="Mar 2025 – The report has been built in iTrent and is being run alongside the "
            "existing manual check. The procedure note will be signed off at the next Payroll "
            "Board.",
            period="2025-03",
        ),
        Rec(
            ref="22 CRED 05",
            audit="Creditors 2022-23",
            risk=H,
            responsible="Head of Finance (Deputy S151 Officer)",
            rec="Requests to amend supplier bank details must be verified by telephone using contact "
            "details held independently of the request, and the verification recorded on the "
            "supplier file.",
            history=[a("2023-03-31"), a("2023-10-31"), a("2024-03-31"), a("2024-12-31")],
            status="open",
            update="Jan 2025 – A verification checklist has been in use since November. A sample of "
            "20 changes found three without the call-back recorded; further training has been "
            "given to the Creditors team and compliance will be reported to the next meeting.",
            period="2025-01",
        ),
        Rec(
            ref="23 CTAX 02",
            audit="Council Tax 2023-24",
            risk=M,
            responsible="Revenues and Benefits Manager",
            rec="Single person discounts should be reviewed on a rolling basis using the National "
            "Fraud Initiative data matches, with each review completed within three months of "
            "the match report.",
            history=[a("2024-09-30")],
            status="open",
            update="No update provided.",
            no_update=True,
        ),
        Rec(
            ref="22 HRP 06",
            audit="Housing Repairs 2022-23",
            risk=H,
            responsible="Head of Housing Property Services",
            rec="Variations to responsive repair orders above £1,000 should be approved by a Repairs "
            "Surveyor before the work is carried out, and the approval recorded on the repairs "
            "system.",
            history=[a("2023-07-31"), a("2024-03-31"), TBC],
            status="open",
            update="Dec 2024 – Go-live of the new repairs system has moved to summer 2025, so the "
            "automated approval workflow cannot be introduced until then. Interim manual "
            "sign-off continues. A revised date will be set once go-live is confirmed.",
            period="2024-12",
        ),
        Rec(
            ref="23 CYB 01",
            audit="Cyber Security 2023-24",
            risk=H,
            responsible="ICT Infrastructure Manager",
            rec="Multi-factor authentication should be enforced for all remote access to the "
            "council's network, including third-party support accounts.",
            history=[a("2024-12-31")],
            status="open",
            update="Mar 2025 – MFA is enforced for all staff accounts. Four supplier support accounts "
            "remain; suppliers have been told that accounts without MFA will be disabled on "
            "30 April.",
            period="2025-03",
        ),
    ]
    completed = [
        Rec(
            ref="23 S106 02",
            audit="Section 106 Agreements 2023-24",
            risk=M,
            responsible="Planning Obligations Officer",
            rec="The Section 106 monitoring spreadsheet should be reconciled to the general ledger at "
            "least quarterly, and unreconciled items investigated and cleared.",
            history=[a("2024-11-30")],
            status="implemented",
            update="Reconciliations for quarters 2 and 3 completed and reviewed by the Principal "
            "Accountant. Evidence seen by Internal Audit.",
        ),
        Rec(
            ref="22 PAY 04",
            audit="Payroll 2022-23",
            risk=L,
            responsible="Payroll and HR Systems Manager",
            rec="Final pay calculations for leavers should be checked by a second officer before "
            "payment and the check evidenced on the leaver checklist.",
            history=[a("2023-03-31"), a("2024-09-30")],
            status="implemented",
            update="Feb 2025 – Second check now evidenced on every leaver checklist since October. Verified by Internal Audit.",
            period="2025-02",
        ),
        Rec(
            ref="23 DFG 04",
            audit="Disabled Facilities Grants 2023-24",
            risk=M,
            responsible="Private Sector Housing Manager",
            rec="A sample of completed Disabled Facilities Grant works should be inspected each "
            "quarter by an officer independent of the case, to confirm that the works paid for "
            "were completed to standard.",
            history=[a("2024-03-31"), a("2024-12-31")],
            status="implemented",
            update="Quarterly inspection programme in place from October 2024; the first two inspections found no issues.",
        ),
        Rec(
            ref="24 PCARD 01",
            audit="Procurement Cards 2024-25",
            risk=L,
            responsible="Procurement Manager",
            rec="The purchasing card policy should be updated to set out prohibited spend categories "
            "and the action to be taken when receipts are not provided.",
            history=[a("2025-01-31")],
            status="implemented",
            update="Jan 2025 – Revised policy approved by the Senior Leadership Team on 14 January and published on the intranet.",
            period="2025-01",
        ),
    ]
    not_due = [
        Rec(
            ref="24 SAFE 03",
            audit="Safeguarding 2024-25",
            risk=H,
            responsible="Community Safety and Safeguarding Lead",
            rec="All staff and councillors whose roles bring regular contact with children or adults "
            "at risk should complete safeguarding training every three years, with completion "
            "monitored by HR.",
            history=[a("2025-06-30")],
            status="open",
            update="Mar 2025 – Training matrix drafted; e-learning module being procured through the Devon-wide framework.",
            period="2025-03",
        ),
        Rec(
            ref="24 TRE 01",
            audit="Treasury Management 2024-25",
            risk=L,
            responsible="Principal Accountant",
            rec="The treasury management practices should be reviewed and updated to reflect current "
            "staffing, authorised signatories and counterparty limits.",
            history=[a("2025-04-30")],
            status="open",
            update="On track.",
        ),
        Rec(
            ref="24 WST 02",
            audit="Trade Waste Income 2024-25",
            risk=M,
            responsible="Waste and Recycling Manager",
            rec="Trade waste customers should be invoiced in advance for the contract year, and "
            "collections suspended where invoices remain unpaid after 60 days.",
            history=[a("2025-05-31")],
            status="open",
            update="Not yet due. Invoicing in advance will start with the 2025/26 renewals.",
        ),
    ]
    deferred = [
        Rec(
            ref="22 PLAN 02",
            audit="Planning Fees 2022-23",
            risk=M,
            responsible="Development Manager",
            rec="Pre-application advice fees received should be reconciled monthly to the planning "
            "system, and unmatched income followed up with the applicant.",
            history=[a("2023-03-31"), a("2024-03-31"), a("2025-09-30")],
            status="open",
            update="Deferred by the Audit and Governance Committee in November 2024 until the new planning system is in place.",
        ),
        Rec(
            ref="21 ICT 09",
            audit="ICT Asset Management 2021-22",
            risk=L,
            responsible="ICT Service Desk Manager",
            rec="A complete register of laptops, mobile phones and other portable devices should be "
            "maintained, showing the user, location and date of issue of each device.",
            history=[a("2021-12-31"), a("2022-12-31"), TBC],
            status="open",
            update="Deferred until the device refresh programme is complete. Revised target date to be agreed.",
        ),
    ]
    superseded = [
        Rec(
            ref="22 LEI 01",
            audit="Leisure Contract Monitoring 2022-23",
            risk=M,
            responsible="Leisure and Culture Manager",
            rec="Monthly contract monitoring meetings should be held with the leisure operator and "
            "minuted, with performance against the contract KPIs reviewed at each meeting.",
            history=[a("2023-09-30")],
            status="closed",
            update="Superseded – the leisure service returned in-house on 1 October 2024 and the contract has ended.",
        ),
        Rec(
            ref="21 BCFU 11",
            audit="Business Continuity Follow Up 2021-22",
            risk=L,
            responsible="Emergency Planning Officer",
            rec="The staff call cascade list should be updated every six months and tested by a call-out exercise.",
            history=[a("2022-03-31"), a("2023-03-31")],
            status="closed",
            update="No longer applicable – replaced by the Resilience Direct notification system.",
        ),
    ]
    return Doc(
        name="taw_valley_tables_a_e",
        council="Taw Valley District Council",
        imitates="North Devon Council (tables A to E by status, references '22 PAY 03')",
        as_at="2025-03-17",
        as_at_printed=True,
        risk_scale={H: "high", M: "medium", L: "low"},
        preamble=[
            ("right", "Appendix A"),
            ("h1", "Taw Valley District Council"),
            ("h2", "Audit and Governance Committee – 8 April 2025"),
            ("h2", "Internal Audit Recommendations Tracker at 17 March 2025"),
            (
                "p",
                "This appendix lists every internal audit recommendation that was outstanding at "
                "the last meeting or has been agreed since. Recommendations are grouped by status "
                "in Tables A to E. Dates shown are the due date agreed in the final audit report "
                "and any revised due date agreed since.",
            ),
            (
                "key",
                "Priority: 1 - High (fundamental control weakness); 2 - Medium (significant "
                "control weakness); 3 - Low (minor weakness or best practice).",
            ),
        ],
        cols=[
            col("Ref", "ref", 8),
            col("Audit", "audit", 12),
            col("Recommendation", "rec", 27),
            col("Priority", "risk", 7),
            col("Responsible Officer", "responsible", 11),
            col("Due Date", fn=orig_cell, width=8, nowrap=True),
            col("Revised Due Date", fn=revised_cell, width=8),
            col("Comments", "update", 19),
        ],
        sections=[
            ("Table A – Recommendations overdue", overdue),
            ("Table B – Recommendations completed since the last meeting", completed),
            ("Table C – Recommendations not yet due", not_due),
            ("Table D – Recommendations deferred", deferred),
            ("Table E – Recommendations superseded or no longer applicable", superseded),
        ],
        section_style="tables",
        rules="grid",
        formats=("html", "txt"),
        min_pages=3,
        head_bg="#C6D9F1",
    )


# --------------------------------------------------------------------------- 2. Bromsgrove style


def doc_clent_hills() -> Doc:
    """Bromsgrove style: 'Target Completion Date' and 'Revised Target Completion Date' columns."""
    P1, P2, P3 = "Priority 1", "Priority 2", "Priority 3"
    o, s = ordinal, slash
    recs = [
        Rec(
            audit="Incident & Problem Management 2022-23",
            ref="1",
            risk=P2,
            responsible="Head of ICT & Digital",
            rec="ICT incidents should be categorised and prioritised consistently, using the "
            "definitions in the ICT Service Management Policy, so that response and resolution "
            "times can be monitored.",
            response="Categories in the service desk tool will be reviewed and aligned to the policy, "
            "and service desk staff reminded of the definitions.",
            history=[o("2024-03-31"), s("2024-09-30"), s("2024-12-31"), s("2025-03-31")],
            status="open",
            update="The new service desk tool went live in December 2024 with the revised categories. "
            "Two full months of data are needed to evidence consistent use before this can be "
            "closed.",
        ),
        Rec(
            audit="Incident & Problem Management 2022-23",
            ref="3",
            risk=P3,
            responsible="ICT Service Desk Team Leader",
            rec="A problem record should be raised where an incident recurs three or more times in a "
            "month, and the root cause analysis documented.",
            response="The problem management process will be documented and introduced with the new tool.",
            history=[o("2024-03-31"), s("2025-03-31")],
            status="open",
            update="Process drafted; to be trialled with the new tool from February 2025.",
        ),
        Rec(
            audit="Pensions 2023-24",
            ref="2",
            risk=P1,
            responsible="Financial Services Manager",
            rec="Monthly pension contribution returns to the Pension Fund should be reconciled to the "
            "payroll control account before submission, and any differences investigated.",
            response="Agreed. A reconciliation template will be introduced and signed off by the Financial Services Manager each month.",
            history=[o("2024-09-30"), s("2025-01-31")],
            status="open",
            update="Template in use from October 2024. Differences from 2023/24 totalling £4,812 are "
            "still being investigated with the Pension Fund.",
        ),
        Rec(
            audit="Pensions 2023-24",
            ref="4",
            risk=P2,
            responsible="HR & OD Manager",
            rec="Starter and leaver notifications should be sent to the Pension Fund within the "
            "timescales set out in the Fund's administration strategy.",
            response="HR will monitor notifications monthly and report exceptions to the Financial Services Manager.",
            history=[o("2024-12-31")],
            status="open",
            update="Monitoring log set up. Three late notifications in quarter 3, all followed up with the managers concerned.",
        ),
        Rec(
            audit="Council Tax & NNDR 2023-24",
            ref="1",
            risk=P1,
            responsible="Revenues Manager",
            rec="Write-offs of council tax and business rates debts should be approved in line with "
            "the Financial Regulations, with the approval evidenced before the write-off is "
            "processed.",
            response="The write-off procedure will be amended and approval limits built into the revenues system.",
            history=[o("2024-07-31"), s("2024-10-31"), s("2025-01-31"), s("2025-04-30")],
            status="open",
            update="Approval limits are configured in the test system. Release to live was delayed "
            "by the supplier's annual upgrade; the revised date reflects the upgrade timetable.",
        ),
        Rec(
            audit="Main Accounting 2023-24",
            ref="2",
            risk=P2,
            responsible="Chief Accountant",
            rec="Journals above £10,000 should be reviewed and approved by a second officer, and the "
            "review evidenced within the finance system.",
            response="Agreed – workflow approval will be switched on in the finance system.",
            history=[o("2025-03-31")],
            status="open",
            update="Workflow approval switched on for journals over £10,000 from 1 January 2025. "
            "Evidence for a full quarter will be provided in April.",
        ),
        Rec(
            audit="Fleet Management 2022-23",
            ref="3",
            risk=P2,
            responsible="Fleet and Depot Manager",
            rec="Fuel card transactions should be reconciled monthly against vehicle mileage records and anomalies investigated.",
            response="A monthly reconciliation will be introduced by the Fleet Officer.",
            history=[o("2023-06-30"), s("2023-12-31"), s("2024-06-30"), TBC],
            status="open",
            update="The telematics contract is being re-tendered and the reconciliation relies on the "
            "new system. A revised date will be confirmed once the contract is awarded.",
        ),
        Rec(
            audit="Grounds Maintenance 2023-24",
            ref="1",
            risk=P3,
            responsible="Streetscene Manager",
            rec="A schedule of grass cutting and shrub bed maintenance should be agreed with each "
            "parish council that contributes to the cost of the service.",
            response="Schedules will be issued to parishes before the 2024 growing season ends.",
            history=[o("2024-10-31"), s("2025-02-28")],
            status="open",
            update="Schedules agreed with 14 of the 17 contributing parishes.",
        ),
        Rec(
            audit="Housing Benefit Overpayments 2022-23",
            ref="2",
            risk=P2,
            responsible="Benefits Manager",
            rec="Recovery action on housing benefit overpayments should be reviewed monthly and "
            "cases with no recovery arrangement escalated.",
            response="A monthly recovery report will be produced and reviewed by the Benefits Manager.",
            history=[o("2024-01-31"), s("2024-09-30")],
            status="implemented",
            update="Implemented: the monthly recovery report is reviewed by the Benefits Manager and "
            "actions are logged. Evidence provided to Internal Audit in January 2025.",
        ),
        Rec(
            audit="Elections 2023-24",
            ref="1",
            risk=P2,
            responsible="Electoral Services Manager",
            rec="Fees paid to polling station staff and count staff should be paid through payroll "
            "so that tax and national insurance are deducted correctly.",
            response="Agreed – fees will be paid through payroll from the next scheduled election.",
            history=[o("2024-09-30")],
            status="open",
            update="All fees for the July 2024 general election were paid through payroll. Evidence "
            "to be provided to Internal Audit so that the recommendation can be closed.",
        ),
        Rec(
            audit="Data Protection and FOI 2022-23",
            ref="5",
            risk=P1,
            responsible="Data Protection Officer",
            rec="Information asset registers should be completed for every service and reviewed annually by the Information Asset Owner.",
            response="Services will be asked to complete registers using the corporate template.",
            history=[o("2023-03-31"), s("2023-09-30"), s("2024-03-31"), s("2024-09-30"), s("2025-03-31")],
            status="open",
            update="17 of 22 service registers completed. The remaining five (Planning, Building "
            "Control, Licensing, Housing Options and Customer Services) have been chased "
            "through the Corporate Management Team.",
        ),
        Rec(
            audit="Procurement Cards 2023-24",
            ref="2",
            risk=P3,
            responsible="Procurement Manager",
            rec="Cardholders should obtain and upload a VAT receipt for every transaction so that input VAT can be recovered.",
            response="Cardholders will be reminded and missing receipts reported monthly to managers.",
            history=[o("2024-12-31"), s("2025-03-31")],
            status="open",
            update="Reminder issued in November 2024. Missing receipts fell from 61 in September to 18 in December.",
        ),
    ]
    return Doc(
        name="clent_hills_bromsgrove",
        council="Clent Hills District Council",
        imitates="Bromsgrove District Council (Target Completion Date / Revised Target Completion Date, 'Priority 1 = High' key)",
        as_at="2025-01-31",
        as_at_printed=True,
        risk_scale={P1: "high", P2: "medium", P3: "low"},
        preamble=[
            ("h1", "Clent Hills District Council"),
            ("h2", "Audit, Standards and Governance Committee"),
            ("h2", "Appendix 2 – Internal Audit Monitoring: Outstanding Recommendations as at 31st January 2025"),
            ("key", "Priority 1 = High, Priority 2 = Medium, Priority 3 = Low"),
        ],
        cols=[
            col("Audit", "audit", 8),
            col("Rec No.", "ref", 4),
            col("Priority", "risk", 6),
            col("Recommendation", "rec", 20),
            col("Agreed Action", "response", 16),
            col("Action Owner", "responsible", 9),
            col("Target Completion Date", fn=orig_cell, width=9),
            col("Revised Target Completion Date", fn=revised_cell, width=9),
            col("Progress to date", "update", 19),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html", "md"),
        min_pages=2,
        head_bg="#E2EFDA",
    )


# --------------------------------------------------------------------------- 3. RAG tracker


def doc_pennine_moor() -> Doc:
    """Progress tracker: '% complete' and 'RAG' (progress, not risk) beside a 4-level risk."""
    C, H, M, L = "Critical", "High", "Medium", "Low"

    def due(r: Rec):
        h = r.history
        if len(h) == 1:
            return h[0].printed
        if r.x.get("due_style") == "rev":
            if h[-1].iso is None:
                return f"{h[0].printed} (revised date TBC)"
            return f"{h[0].printed} (rev. {', '.join(d.printed for d in h[1:])})"
        return Lines((h[0].printed,) + tuple(f"Revised: {d.printed}" for d in h[1:]))

    def pct(r: Rec):
        return "n/a" if r.pct is None else f"{r.pct:g}%"

    recs = [
        Rec(
            ref="PMBC/23/01",
            directorate="Resources",
            audit="Payroll 2023/24",
            risk=H,
            responsible="Head of HR and OD",
            rec="Overtime claims should be authorised by the claimant's line manager before "
            "submission to Payroll, and Payroll should reject claims without authorisation.",
            history=[mon("2024-09-30"), mon("2025-03-31")],
            status="open",
            status_printed="In progress",
            pct=60,
            rag="Amber",
            update="Feb 2025: e-claim workflow configured and live for Environmental Services. "
            "Roll-out to remaining services planned for March, subject to training.",
            period="2025-02",
        ),
        Rec(
            ref="PMBC/23/04",
            directorate="Resources",
            audit="Creditors 2023/24",
            risk=C,
            responsible="Head of Finance",
            rec="Changes to supplier bank details must be independently verified with the supplier "
            "using previously held contact details before the change is made.",
            history=[mon("2024-12-31")],
            status="open",
            status_printed="Overdue",
            pct=40,
            rag="Red",
            update="No update received this quarter",
            no_update=True,
        ),
        Rec(
            ref="PMBC/23/07",
            directorate="Place",
            audit="Car Parking Income 2023/24",
            risk=M,
            responsible="Parking Services Manager",
            rec="Cash collected from pay and display machines should be counted by two officers and "
            "reconciled to the machine audit tickets before banking.",
            history=[endof("2025-06-30")],
            status="open",
            status_printed="Not started",
            pct=0,
            rag="Green",
            update="Work will begin once the replacement pay and display machines are installed in April 2025.",
        ),
        Rec(
            ref="PMBC/24/02",
            directorate="Housing",
            audit="Housing Repairs 2024/25",
            risk=H,
            responsible="Head of Housing Assets",
            rec="Post-inspections should be carried out on at least 10% of completed responsive "
            "repairs, selected at random, with the results reported to the Housing Board.",
            history=[mon("2025-03-31")],
            status="open",
            status_printed="In progress",
            pct=80,
            rag="Green",
            update="Feb 2025: post-inspection target met in December and January (11% and 12%). "
            "First report to Housing Board scheduled for 18 March.",
            period="2025-02",
        ),
        Rec(
            ref="PMBC/24/03",
            directorate="Housing",
            audit="Housing Repairs 2024/25",
            risk=M,
            responsible="Repairs Manager",
            rec="Orders raised after the work has been completed should be reported monthly and the "
            "reasons reviewed by the Repairs Manager.",
            history=[endof("2025-06-30")],
            status="open",
            status_printed="Not yet due",
            pct=20,
            rag="Green",
            update="Report specification agreed with the systems team.",
        ),
        Rec(
            ref="PMBC/22/11",
            directorate="Resources",
            audit="Cyber Security 2022/23",
            risk=C,
            responsible="Head of Digital",
            rec="Unsupported server operating systems should be upgraded or isolated from the "
            "network, and a risk acceptance recorded for any that cannot be.",
            history=[mon("2023-03-31"), mon("2023-12-31"), mon("2024-09-30"), mon("2025-06-30")],
            x={"due_style": "rev"},
            status="open",
            status_printed="Partially implemented",
            pct=70,
            rag="Amber",
            update=[
                "Feb 2025: 9 of the 13 legacy servers have been decommissioned. The remaining "
                "four host the planning back-office system, which is being replaced; they have "
                "been moved to an isolated network segment in the meantime.",
                "Nov 2024: migration of the finance and HR servers completed.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="PMBC/24/05",
            directorate="People",
            audit="Safeguarding 2024/25",
            risk=H,
            responsible="Corporate Safeguarding Lead",
            rec="DBS checks for staff in eligible roles should be renewed every three years and a central record kept of check dates.",
            history=[endof("2025-03-31")],
            status="open",
            status_printed="In progress",
            pct=50,
            rag="Amber",
            update="Central record built from HR data. 37 renewals identified as due; 19 completed.",
        ),
        Rec(
            ref="PMBC/24/06",
            directorate="People",
            audit="Disabled Facilities Grants 2024/25",
            risk=M,
            responsible="Private Sector Housing Manager",
            rec="Grant approvals should be signed off by an officer independent of the case officer, "
            "and the sign-off held on the case file.",
            history=[mon("2025-01-31")],
            status="open",
            status_printed="Overdue",
            pct=90,
            rag="Amber",
            update="Feb 2025: independent sign-off in place; awaiting the updated procedure note before closure.",
            period="2025-02",
        ),
        Rec(
            ref="PMBC/23/09",
            directorate="Place",
            audit="Section 106 Agreements 2023/24",
            risk=H,
            responsible="Planning Policy Manager",
            rec="Section 106 contributions nearing their spend deadline should be reported quarterly "
            "to the Corporate Leadership Team so that funds are not returned to developers.",
            history=[mon("2024-09-30")],
            status="implemented",
            status_printed="Implemented",
            pct=100,
            rag="Green",
            update="Quarterly report to CLT in place since October 2024; evidence reviewed by Internal Audit.",
        ),
        Rec(
            ref="PMBC/24/08",
            directorate="Resources",
            audit="Procurement Cards 2024/25",
            risk=L,
            responsible="Procurement Lead",
            rec="Single transaction and monthly limits should be reviewed for every cardholder and "
            "reduced where they exceed business need.",
            history=[mon("2025-04-30")],
            status="open",
            status_printed="Not yet due",
            pct=0,
            rag="Green",
            update="Review scheduled for April 2025 alongside the card renewal.",
        ),
        Rec(
            ref="PMBC/23/12",
            directorate="Chief Executive's",
            audit="Corporate Complaints 2023/24",
            risk=L,
            responsible="Customer Experience Manager",
            rec="Stage 2 complaint responses should be issued within the 20 working days set out in "
            "the complaints policy, or the complainant told of the delay.",
            history=[mon("2024-12-31")],
            status="open",
            status_printed="Overdue",
            pct=25,
            rag="Red",
            update="Dec 2024: new case management system delayed; timeliness reported manually in the meantime.",
            period="2024-12",
        ),
        Rec(
            ref="PMBC/24/09",
            directorate="Place",
            audit="Building Control Fees 2024/25",
            risk=M,
            responsible="Building Control Manager",
            rec="Building control fee income should be reconciled monthly between the building control system and the general ledger.",
            history=[endof("2025-06-30")],
            status="open",
            status_printed="Not started",
            pct=0,
            rag="Green",
            update="Not started – due to begin in April 2025.",
        ),
        Rec(
            ref="PMBC/22/14",
            directorate="Resources",
            audit="Business Rates 2022/23",
            risk=M,
            responsible="Revenues Manager",
            rec="Empty property relief should be reviewed by inspection at least every six months "
            "for properties with relief of more than £5,000 a year.",
            history=[mon("2024-03-31"), TBC],
            x={"due_style": "rev"},
            status="open",
            status_printed="In progress",
            pct=30,
            rag="Red",
            update="Feb 2025: inspection programme paused while the Visiting Officer post is vacant. Recruitment under way.",
            period="2025-02",
        ),
        Rec(
            ref="PMBC/24/11",
            directorate="Housing",
            audit="Tenancy Fraud 2024/25",
            risk=H,
            responsible="Tenancy Services Manager",
            rec="Tenancy audits should be carried out on all new tenancies within 12 months of the "
            "start date, including photographic identification checks.",
            history=[mon("2025-02-28")],
            status="open",
            status_printed="Partially implemented",
            pct=65,
            rag="Amber",
            update="Audits being carried out on new tenancies from October 2024. Backlog of 84 "
            "tenancies from April to September still to be visited.",
        ),
        Rec(
            ref="PMBC/23/15",
            directorate="People",
            audit="Direct Payments 2023/24",
            risk=C,
            responsible="Head of Adult Social Care Commissioning",
            rec="Direct payment accounts should be audited annually, and surplus balances above eight weeks' funding recovered.",
            history=[mon("2024-10-31"), mon("2025-03-31")],
            status="open",
            status_printed="In progress",
            pct=55,
            rag="Amber",
            update="Feb 2025: 212 of 390 annual account audits completed; £143,000 of surplus balances recovered to date.",
            period="2025-02",
        ),
        Rec(
            ref="PMBC/24/12",
            directorate="Resources",
            audit="Pensions 2024/25",
            risk=L,
            responsible="Payroll Manager",
            rec="The pensions interface file should be checked against the payroll report before "
            "submission to the Pension Fund each month.",
            history=[mon("2025-03-31")],
            status="closed",
            status_printed="Superseded",
            pct=None,
            rag=None,
            update="Superseded – the Pension Fund now takes data directly from the payroll system "
            "through the monthly i-Connect submission.",
        ),
    ]
    return Doc(
        name="pennine_moor_rag_tracker",
        council="Pennine Moor Borough Council",
        imitates="Metropolitan-borough recommendation trackers (e.g. Oldham, Rochdale) with % complete and RAG progress columns",
        as_at="2025-02-28",
        as_at_printed=True,
        risk_scale={C: "critical", H: "high", M: "medium", L: "low"},
        preamble=[
            ("h1", "Pennine Moor Borough Council – Internal Audit Recommendation Tracker"),
            ("h2", "Outstanding recommendations – update to 28 February 2025"),
            ("p", "Governance and Audit Committee, 20 March 2025. Report of the Head of Audit and Counter Fraud."),
            (
                "key",
                "Risk: Critical, High, Medium or Low (definitions in Appendix C). The RAG column "
                "shows progress against the agreed implementation date (Green – on track; Amber "
                "– at risk of slipping; Red – date passed or no progress) and is not a risk "
                "rating. % complete is as reported by the service and has not been verified by "
                "Internal Audit.",
            ),
        ],
        cols=[
            col("Ref", "ref", 6),
            col("Service Area", "directorate", 7),
            col("Audit", "audit", 9),
            col("Recommendation", "rec", 21),
            col("Risk", "risk", 5),
            col("Lead Officer", "responsible", 9),
            col("Due", fn=due, width=8),
            col("Status", "status_printed", 7),
            col("% complete", fn=pct, width=5),
            col("RAG", "rag", 4),
            col("Latest position", "update", 19),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html", "txt"),
        min_pages=2,
        head_bg="#FCE4D6",
    )


# --------------------------------------------------------------------------- 4. two-row header


def doc_hartmoor() -> Doc:
    """'Target date' spanning 'Original | Revised'; horizontal rules only; dates like 31.03.25."""
    F, S, Mo, MA = "Fundamental", "Significant", "Moderate", "Merits attention"
    d = dots
    recs = [
        Rec(
            ref="1",
            audit="Adult Social Care Charging 2022-23",
            risk=F,
            responsible="Head of Income and Assessments",
            rec="Financial assessments for residents entering long-term residential care should be "
            "completed within 28 days of the placement starting, so that charges are raised "
            "promptly and debts do not build up.",
            history=[d("2023-03-31"), d("2023-09-30"), d("2024-03-31"), d("2024-12-31")],
            status="open",
            status_printed="In progress",
            update="The backlog of 212 assessments in March has been reduced to 64. Agency "
            "assessors are contracted until December 2024, when the backlog is expected to "
            "be cleared.",
        ),
        Rec(
            ref="2",
            audit="Schools Financial Value Standard 2023-24",
            risk=Mo,
            responsible="Schools Finance Manager",
            rec="Schools that have not submitted their Schools Financial Value Standard return by "
            "the deadline should be followed up and reported to the Director of Education.",
            history=[d("2024-07-31")],
            status="implemented",
            status_printed="Implemented",
            update="All 2024 returns received; escalation procedure documented and used for the three late schools.",
        ),
        Rec(
            ref="3",
            audit="Highways Maintenance Contract 2022-23",
            risk=S,
            responsible="Highways Contracts Manager",
            rec="Contractor applications for payment should be checked against completed works "
            "orders and site measurement before certification.",
            history=[d("2023-09-30"), d("2025-03-31")],
            status="open",
            status_printed="In progress",
            update="Measurement checks are carried out on all schemes over £50,000. Extending the "
            "checks to the term maintenance orders depends on the new contract starting in "
            "April 2025.",
        ),
        Rec(
            ref="4",
            audit="Cyber Security 2023-24",
            risk=S,
            responsible="Head of ICT",
            rec="Critical and high security patches should be applied to servers within 14 days of "
            "release, with exceptions approved by the Head of ICT and recorded.",
            history=[d("2024-03-31"), TBC],
            status="open",
            status_printed="In progress",
            update="Patching compliance for September was 78% against the 14-day standard. A managed "
            "patching service is being procured and the date will depend on the contract "
            "start. Revised target date: TBC",
        ),
        Rec(
            ref="5",
            audit="Payroll 2023-24",
            risk=Mo,
            responsible="Payroll Manager",
            rec="Payroll should obtain a monthly establishment report from HR and reconcile it to "
            "the employees paid, investigating any employee paid who is not on the establishment.",
            history=[d("2024-12-31")],
            status="open",
            status_printed="Not started",
            update="Not yet due; work is scheduled for the third quarter.",
        ),
        Rec(
            ref="6",
            audit="Council Tax Support 2022-23",
            risk=MA,
            responsible="Revenues and Benefits Manager",
            rec="The council tax support scheme guidance for staff should be updated to reflect the 2023/24 scheme changes.",
            history=[d("2023-03-31"), d("2024-03-31")],
            status="closed",
            status_printed="Superseded",
            update="Superseded by the new banded council tax support scheme from April 2024, for which new guidance was written.",
        ),
        Rec(
            ref="7",
            audit="Children's Residential Homes 2023-24",
            risk=F,
            responsible="Head of Children's Residential Services",
            rec="Young people's savings and pocket money held at each home should be recorded in "
            "individual ledgers, reconciled weekly and checked monthly by the Registered Manager.",
            history=[d("2024-06-30"), d("2024-09-30")],
            status="open",
            status_printed="In progress",
            update="Ledgers are in place at all five homes. Monthly checks by the Registered Manager "
            "were evidenced at three; the remaining two have new managers starting in October.",
        ),
        Rec(
            ref="8",
            audit="Procurement Compliance 2022-23",
            risk=S,
            responsible="Head of Procurement",
            rec="Waivers of the Contract Procedure Rules should be approved before the contract is "
            "let, and a waiver register reported to the Audit Committee annually.",
            history=[d("2022-12-31"), d("2023-06-30"), d("2023-12-31"), d("2024-06-30"), d("2025-03-31")],
            status="open",
            status_printed="Deferred",
            update="Deferred so that the waiver process can be rewritten as part of the new Contract "
            "Procedure Rules required by the Procurement Act 2023, which now takes effect in "
            "February 2025.",
        ),
        Rec(
            ref="9",
            audit="Disabled Facilities Grants 2023-24",
            risk=Mo,
            responsible="Adaptations Manager",
            rec="Quotations for adaptation works above £10,000 should be obtained from at least two contractors on the approved list.",
            history=[d("2024-10-31")],
            status="open",
            status_printed="In progress",
            update="Two quotations obtained on all eligible cases since July. Procedure note being updated.",
        ),
        Rec(
            ref="10",
            audit="Bereavement Services 2023-24",
            risk=MA,
            responsible="Bereavement Services Manager",
            rec="Cremation fees should be reconciled to the cremation register each month, and the "
            "reconciliation signed by the Bereavement Services Manager.",
            history=[d("2024-05-31")],
            status="implemented",
            status_printed="Implemented",
            update="Monthly reconciliation in place since May; signed copies seen by Internal Audit.",
        ),
        Rec(
            ref="11",
            audit="Libraries Income 2022-23",
            risk=Mo,
            responsible="Library Services Manager",
            rec="Income from room hire, printing and book sales should be banked weekly and reconciled to the till reports.",
            history=[d("2024-01-31"), d("2024-07-31")],
            status="open",
            status_printed="In progress",
            update="Cashless payment introduced at the Central Library. Branch libraries still "
            "bank fortnightly because of the courier contract.",
        ),
        Rec(
            ref="12",
            audit="Section 106 Agreements 2023-24",
            risk=S,
            responsible="Planning Obligations Manager",
            rec="Developer contributions due on commencement of development should be invoiced "
            "within 30 days of commencement being notified.",
            history=[d("2024-11-30")],
            status="open",
            status_printed="In progress",
            update="Commencement notices are now passed to the Planning Obligations team by Building Control each week.",
        ),
    ]
    hdr1 = [
        ("No.", 2, 1, 4),
        ("Audit", 2, 1, 12),
        ("Recommendation", 2, 1, 25),
        ("Rating", 2, 1, 9),
        ("Responsible Officer", 2, 1, 11),
        ("Target date", 1, 2, 14),
        ("Status", 2, 1, 8),
        ("Progress update", 2, 1, 17),
    ]
    hdr2 = [("Original", 1, 1, 7), ("Revised", 1, 1, 7)]
    return Doc(
        name="hartmoor_two_row_header",
        council="Hartmoor Metropolitan Borough Council",
        imitates="Metropolitan borough follow-up reports with a two-row header (e.g. Wigan, "
        "Sefton) and a Fundamental/Significant/Moderate/Merits attention scale",
        as_at="2024-09-30",
        as_at_printed=True,
        risk_scale={F: "critical", S: "high", Mo: "medium", MA: "low"},
        preamble=[
            ("right", "Agenda item 6 – Appendix 1"),
            ("h1", "Hartmoor Metropolitan Borough Council"),
            ("h2", "Audit Committee: Follow-up of Internal Audit Recommendations"),
            ("h2", "Status at 30.09.2024"),
            (
                "key",
                "Recommendation ratings: Fundamental – action is imperative to ensure that the "
                "objectives of the area under review are met; Significant – requires action to "
                "avoid exposure to significant risks; Moderate – action advised to enhance "
                "control; Merits attention – housekeeping and best practice.",
            ),
        ],
        cols=[
            col("No.", "ref", 4),
            col("Audit", "audit", 12),
            col("Recommendation", "rec", 25),
            col("Rating", "risk", 8),
            col("Responsible Officer", "responsible", 11),
            col("Original", fn=orig_cell, width=7),
            col("Revised", fn=revised_cell, width=7),
            col("Status", "status_printed", 8),
            col("Progress update", "update", 18),
        ],
        header_rows=[hdr1, hdr2],
        txt_header_rows=[
            ["No.", "Audit", "Recommendation", "Rating", "Responsible Officer", "Target date", "", "Status", "Progress update"],
            ["", "", "", "", "", "Original", "Revised", "", ""],
        ],
        sections=[(None, recs)],
        orientation="portrait",
        rules="hrules",
        formats=("html", "txt"),
        min_pages=2,
        font_pt=8.5,
    )


# --------------------------------------------------------------------------- 5. dates first


def doc_eskvale() -> Doc:
    """Target date is the first column ('Due', financial quarters); no risk column; no rules."""

    def due(r: Rec):
        h = r.history
        if len(h) == 1:
            return h[0].printed
        assert len(h) == 2
        return f"{h[1].printed} (was {h[0].printed})"

    NOUP = "The service has not provided an update."
    recs = [
        Rec(
            history=[fq("2024-06-30")],
            audit="Creditors 2023-24",
            ref="3",
            responsible="Exchequer Manager",
            rec="The duplicate payments report should be run before every payment run and retained with the payment run authorisation.",
            status="open",
            update="(March 2025) The report is run before every weekly payment run and saved to the "
            "Exchequer SharePoint site. Internal Audit will test a sample in April before "
            "closing the action.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2024-09-30")],
            audit="Payroll 2023-24",
            ref="1",
            responsible="Payroll Manager",
            rec="Starters should not be set up on the payroll until a signed contract and right to work check have been received from HR.",
            status="open",
            update=NOUP,
            no_update=True,
        ),
        Rec(
            history=[fq("2024-06-30"), fq("2024-12-31")],
            audit="Housing Allocations 2023-24",
            ref="2",
            responsible="Housing Options Manager",
            rec="Band changes on the housing register should be checked by a second officer, with "
            "the reason for the change recorded on the applicant's file.",
            status="open",
            update="(February 2025) Second-officer check built into the Abritas workflow in "
            "January. A month of reports is being reviewed before the action is signed off.",
            period="2025-02",
        ),
        Rec(
            history=[fq("2024-12-31")],
            audit="Cyber Security 2023-24",
            ref="4",
            responsible="ICT Manager",
            rec="Administrator accounts should be reviewed quarterly and accounts no longer needed should be disabled.",
            status="open",
            update="(March 2025) First quarterly review completed in January; six dormant admin "
            "accounts disabled. Second review due in April.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2024-12-31")],
            audit="Council Tax 2023-24",
            ref="2",
            responsible="Revenues Manager",
            rec="Council tax accounts in credit for more than six months should be reviewed and "
            "refunded or transferred to the correct account.",
            status="open",
            update="(January 2025) Credit balance review started; 412 accounts reviewed and £38,600 refunded. About 300 accounts remain.",
            period="2025-01",
        ),
        Rec(
            history=[fq("2025-03-31")],
            audit="Section 106 Agreements 2024-25",
            ref="1",
            responsible="Principal Planning Officer (Obligations)",
            rec="A single register of Section 106 obligations should be maintained, showing trigger "
            "points, amounts due, amounts received and spend deadlines.",
            status="implemented",
            update="(March 2025) Complete – the register went live on the Exacom system on 3 March "
            "and is now the single source of Section 106 information.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2024-09-30"), fq("2025-03-31")],
            audit="Disabled Facilities Grants 2023-24",
            ref="3",
            responsible="Private Sector Housing Officer",
            rec="Completed grant files should hold the occupational therapist's recommendation, the "
            "approved quotation and a signed completion certificate.",
            status="open",
            update="(March 2025) File checklist introduced. A review of the 2024/25 completed files "
            "is under way and will finish by the end of April.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2025-03-31")],
            audit="Procurement Cards 2024-25",
            ref="1",
            responsible="Procurement Officer",
            rec="Cardholders should sign the cardholder agreement before a card is issued, and "
            "signed agreements should be kept for every current card.",
            status="open",
            update=NOUP,
            no_update=True,
        ),
        Rec(
            history=[fq("2025-03-31")],
            audit="Safeguarding 2024-25",
            ref="2",
            responsible="Safeguarding Lead Officer",
            rec="Safeguarding referrals made by council staff should be logged centrally and "
            "reviewed quarterly by the Safeguarding Lead Officer.",
            status="open",
            update="(February 2025) Central log set up in January. The first quarterly review will take place in April.",
            period="2025-02",
        ),
        Rec(
            history=[fq("2025-06-30")],
            audit="Waste Collection Rounds 2024-25",
            ref="1",
            responsible="Waste Operations Manager",
            rec="Missed collection reports should be analysed monthly by round and crew, and repeat "
            "misses followed up with the crew supervisor.",
            status="open",
            update="(March 2025) In-cab system now records missed collections by round; monthly report being designed.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2024-12-31"), fq("2025-06-30")],
            audit="Licensing 2023-24",
            ref="5",
            responsible="Licensing Manager",
            rec="Taxi driver licences should not be renewed until an enhanced DBS check dated within the last six months has been seen.",
            status="open",
            update="(March 2025) Subscription to the DBS Update Service agreed for all drivers from "
            "the next renewal cycle; policy change goes to Licensing Committee in May.",
            period="2025-03",
        ),
        Rec(
            history=[fq("2025-09-30")],
            audit="Leisure Centre Income 2024-25",
            ref="2",
            responsible="Leisure Services Manager",
            rec="Membership direct debit income should be reconciled monthly to the leisure management system and the ledger.",
            status="open",
            update="Not yet due.",
        ),
        Rec(
            history=[fq("2025-09-30")],
            audit="Food Safety 2024-25",
            ref="3",
            responsible="Environmental Health Manager",
            rec="Food hygiene inspections should be prioritised by risk category, and overdue "
            "category A and B inspections reported monthly to the Head of Service.",
            status="open",
            update="(March 2025) Risk-based inspection plan for 2025/26 drafted.",
            period="2025-03",
        ),
        Rec(
            history=[TBC],
            audit="Asset Management 2022-23",
            ref="4",
            responsible="Estates Manager",
            rec="Condition surveys should be completed for all operational buildings on a five-year "
            "rolling programme and used to set the planned maintenance budget.",
            status="open",
            update="(March 2025) Depends on the outcome of the asset review reporting to Cabinet in June; a date will be agreed then.",
            period="2025-03",
        ),
    ]
    return Doc(
        name="eskvale_dates_first",
        council="Eskvale District Council",
        imitates="District council action lists ordered by due quarter (e.g. Ryedale/Craven style), with no risk column and no table rules",
        as_at="2025-03-31",
        as_at_printed=True,
        risk_scale={},
        preamble=[
            ("h1", "Eskvale District Council"),
            ("h2", "Internal Audit – Agreed Actions by Due Date"),
            ("p", "Position as at 31 March 2025"),
            (
                "p",
                "Actions are listed by the financial quarter in which they fall due (the financial "
                "year runs from April to March). Where a due date has been moved, the earlier "
                "date is shown in brackets.",
            ),
        ],
        cols=[
            col("Due", fn=due, width=12),
            col("Audit", "audit", 15),
            col("Rec No.", "ref", 5),
            col("Agreed Action", "rec", 28),
            col("Action Owner", "responsible", 12),
            col("Officer Update", "update", 28),
        ],
        sections=[(None, recs)],
        orientation="portrait",
        rules="none",
        formats=("html", "md"),
        min_pages=1,
        head_bg=None,
        font_pt=9,
    )


# --------------------------------------------------------------------------- 6. revised date 1 / 2


def doc_severnside() -> Doc:
    """'Revised date 1' / 'Revised date 2' columns, combined 'Audit area and issue' column,
    P1-P4 four-level key, long cells with bullets (landscape, several pages), no as-at date."""
    P1, P2, P3, P4 = "P1", "P2", "P3", "P4"
    s = slash

    def area(r: Rec):
        return [B(r.audit)] + blocks(r.finding)

    def rev1(r: Rec):
        return r.history[1].printed if len(r.history) > 1 else None

    def rev2(r: Rec):
        return ", ".join(d.printed for d in r.history[2:]) or None

    recs = [
        Rec(
            ref="2023/24-03",
            audit="Payroll 2023-24",
            risk=P2,
            responsible="Head of Payroll and Pensions",
            finding=[
                "Overpayments to leavers totalled £96,400 in 2022/23. In 14 of 25 cases tested "
                "the leaver form reached Payroll after the final pay date, and recovery had "
                "been started in only 9 of the 14."
            ],
            rec=[
                "Leaver notifications will be submitted through the HR self-service system so that "
                "Payroll receives them on the day the manager records the leaving date. Payroll "
                "will:",
                UL(
                    (
                        "issue an invoice for every overpayment within 10 working days;",
                        "report overpayments and recoveries monthly to the Director of Finance;",
                        "refer cases over £1,000 that remain unpaid after 60 days to Legal Services.",
                    )
                ),
            ],
            history=[s("2024-03-31"), s("2024-09-30"), s("2025-03-31")],
            status="open",
            update=[
                "February 2025: The self-service leaver form went live on 6 January 2025 for "
                "all directorates except Schools. Overpayments in January fell to £3,100 "
                "(six cases), all invoiced within 10 days. Schools will move to the form when "
                "their HR traded service changes in April.",
                "October 2024: Testing of the leaver form delayed by the system upgrade; a manual weekly reminder to managers is in place.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-07",
            audit="Creditors and Accounts Payable 2023-24",
            risk=P1,
            responsible="Head of Financial Services",
            finding=[
                "Supplier bank detail changes were not independently verified in 6 of 20 cases "
                "tested. One change, on a fraudulent request, diverted £48,250 before it was "
                "detected by the supplier."
            ],
            rec=[
                "All requests to change supplier bank details will be verified by a call-back to a "
                "contact number held on the vendor file before the request was received. The "
                "call-back will be recorded on the vendor record and checked by a second officer "
                "before the change is made live."
            ],
            history=[s("2023-12-31"), s("2024-03-31")],
            status="open",
            update=[
                "February 2025: Call-back and second-officer check in place since April 2024. "
                "Internal Audit re-testing in January 2025 found full compliance in 25 of 25 "
                "changes. The service has asked for the recommendation to be closed at the next "
                "meeting once the procedure note is formally approved.",
                "September 2024: Procedure note drafted.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="2022/23-15",
            audit="Highways Asset Management 2022-23",
            risk=P3,
            responsible="Asset Manager (Highways)",
            finding=[
                "The highways asset register did not agree to the Whole of Government Accounts "
                "return, and carriageway condition data was three years old."
            ],
            rec=[
                "An annual reconciliation between the asset register and the WGA return will be "
                "completed, and condition surveys commissioned on a rolling three-year basis."
            ],
            history=[s("2023-09-30"), s("2024-09-30"), s("2025-09-30")],
            status="open",
            update=[
                "January 2025: Condition survey contract awarded in November 2024; surveys of "
                "the A and B road network are complete and the C and unclassified network will "
                "be surveyed by July 2025. The reconciliation for 2023/24 was completed in "
                "December."
            ],
            period="2025-01",
        ),
        Rec(
            ref="2023/24-11",
            audit="Adult Social Care Direct Payments 2023-24",
            risk=P1,
            responsible="Assistant Director, Adult Social Care Operations",
            finding=[
                "Annual reviews of direct payment recipients were overdue in 38% of cases, and "
                "surplus balances of £1.9m were held in recipients' accounts.",
                "Monitoring of how direct payments were spent was not carried out for people using pre-paid cards.",
            ],
            rec=[
                "The service will:",
                UL(
                    (
                        "clear the backlog of overdue annual reviews, prioritising people with the highest weekly payments;",
                        "recover surplus balances above eight weeks' payments;",
                        "introduce quarterly monitoring of pre-paid card transactions, with a risk-based "
                        "sample of accounts reviewed in detail.",
                    )
                ),
            ],
            history=[s("2024-06-30"), s("2024-12-31"), TBC],
            status="open",
            update=[
                "February 2025: Progress has been made on each part of the action:",
                UL(
                    (
                        "overdue reviews reduced from 612 to 284;",
                        "£1.1m of surplus balances recovered;",
                        "pre-paid card monitoring has started for the 200 largest packages.",
                    )
                ),
                "The remaining reviews depend on the outcome of the restructure of the review "
                "team, due in April. A revised date will be proposed once the new team is in "
                "place.",
                "November 2024: Additional review staff funded until March 2025.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-14",
            audit="Cyber Security – Backup and Recovery 2023-24",
            risk=P1,
            responsible="Chief Digital Officer",
            finding=[
                "Backups of the social care case management system had not been test-restored "
                "in the previous 18 months, and backup copies were not held offline or in an "
                "immutable store."
            ],
            rec=[
                "Immutable backups will be introduced for all critical systems, and a test restore "
                "of each critical system will be carried out at least every six months, with "
                "results reported to the Information Governance Board."
            ],
            history=[s("2024-03-31"), s("2024-09-30"), s("2024-12-31"), s("2025-03-31")],
            status="open",
            update=[
                "February 2025: Immutable backup storage is live for all 14 critical systems. "
                "Test restores have been completed for 11; the remaining three (including the "
                "Revenues and Benefits system) are booked for March 2025.",
                "December 2024: Hardware delivered and configured.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-18",
            audit="Schools Catering Traded Service 2023-24",
            risk=P3,
            responsible="Catering Services Manager",
            finding=[
                "Meal numbers charged to schools were taken from kitchen estimates rather than "
                "the schools' registers, and 11 schools had been under-charged."
            ],
            rec=[
                "Meal numbers will be taken from each school's management information system each "
                "month and reconciled to kitchen records before invoices are raised."
            ],
            history=[s("2024-08-31")],
            status="implemented",
            update=[
                "January 2025: Implemented. Invoices since September 2024 are based on the "
                "schools' own meal returns, reconciled by the Catering Finance Officer. Under-"
                "charges for 2023/24 (£27,900) have been recovered."
            ],
            period="2025-01",
        ),
        Rec(
            ref="2022/23-21",
            audit="Property Lettings and Rent Reviews 2022-23",
            risk=P2,
            responsible="Head of Estates",
            finding=["Rent reviews were overdue on 23 commercial leases, with an estimated loss of income of £210,000 a year."],
            rec=[
                "A rent review schedule will be maintained in the estates system and reviewed "
                "monthly by the Head of Estates, with reviews started six months before the review "
                "date."
            ],
            history=[s("2023-06-30"), s("2024-03-31"), s("2024-09-30")],
            status="open",
            update=[
                "March 2025: 17 of the 23 overdue reviews are settled, adding £164,000 a year to "
                "rental income. Five are with the valuers and one is going to arbitration.",
                "December 2024: Estates system schedule in place and reviewed at monthly Estates team meetings.",
            ],
            period="2025-03",
        ),
        Rec(
            ref="2023/24-22",
            audit="Fostering Allowances 2023-24",
            risk=P2,
            responsible="Head of Fostering Services",
            finding=["Allowances continued to be paid after placements ended in 7 cases, resulting in overpayments of £18,300."],
            rec=[
                "Placement end dates will be notified to the Payments Team through the case "
                "management system on the day the placement ends, and a monthly reconciliation of "
                "placements to payments will be carried out."
            ],
            history=[s("2024-09-30")],
            status="open",
            update=[
                "February 2025: The automated notification was switched on in December. The "
                "first two monthly reconciliations found no overpayments. Recovery of the "
                "historic overpayments is under way: £9,100 recovered and repayment plans agreed "
                "for the rest."
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-25",
            audit="Capital Programme Monitoring 2023-24",
            risk=P3,
            responsible="Capital Programme Manager",
            finding=[
                "Re-profiling of capital budgets was not approved in line with the Financial Procedure Rules in 4 of 12 schemes tested."
            ],
            rec=[
                "Capital re-profiling requests will be approved by the Capital Strategy Group and "
                "recorded in the monthly capital monitoring report."
            ],
            history=[s("2024-06-30"), s("2024-12-31")],
            status="open",
            update=[
                "February 2025: Capital Strategy Group terms of reference updated to include "
                "re-profiling approval; first approvals recorded in the January monitoring "
                "report."
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-29",
            audit="Home to School Transport 2023-24",
            risk=P1,
            responsible="Head of Passenger Transport",
            finding=[
                "Contracts worth £6.4m a year had been extended without competition, and "
                "mileage claims by operators were paid without checking against the agreed "
                "routes."
            ],
            rec=[
                "The service will:",
                UL(
                    (
                        "re-tender all routes with expired contracts through the dynamic purchasing system;",
                        "check operator mileage claims against route planning software before payment.",
                    )
                ),
            ],
            history=[s("2024-07-31"), s("2025-07-31")],
            status="open",
            update=[
                "March 2025: 142 of 230 expired routes have been re-tendered, producing annual "
                "savings of £390,000. The remaining routes will be tendered for the September "
                "2025 school year. Route checks against the planning software are in place for "
                "all new contracts.",
                "November 2024: Dynamic purchasing system refreshed and reopened to operators.",
            ],
            period="2025-03",
        ),
        Rec(
            ref="2023/24-31",
            audit="Pensions 2023-24",
            risk=P4,
            responsible="Pensions Administration Manager",
            finding=[
                "Evidence of continued entitlement (life certificates) had not been obtained for pensioners living overseas since 2020."
            ],
            rec=[
                "Life certificates will be issued to all overseas pensioners every two years, and "
                "pensions suspended where certificates are not returned within three months."
            ],
            history=[s("2024-09-30"), s("2025-06-30")],
            status="open",
            update=[
                "January 2025: Certificates issued to all 1,240 overseas pensioners in "
                "November; 1,012 returned. Reminders sent; suspensions will start in April for "
                "those still outstanding."
            ],
            period="2025-01",
        ),
        Rec(
            ref="2022/23-30",
            audit="Grants to Voluntary Organisations 2022-23",
            risk=P3,
            responsible="Head of Communities",
            finding=[
                "Grant agreements were not in place for 5 of 15 grants tested, and monitoring "
                "returns were not obtained for the larger grants."
            ],
            rec=[
                "Signed grant agreements will be in place before any payment is made, and "
                "monitoring returns obtained for all grants over £10,000."
            ],
            history=[s("2023-09-30"), s("2024-03-31"), s("2024-09-30")],
            status="closed",
            update=[
                "February 2025: The grants programme was ended as part of the 2025/26 budget "
                "and the remaining commitments transferred to the Community Foundation, which "
                "applies its own controls. The recommendation is no longer applicable and is "
                "proposed for closure."
            ],
            period="2025-02",
        ),
        Rec(
            ref="2023/24-34",
            audit="Information Governance 2023-24",
            risk=P2,
            responsible="Data Protection Officer",
            finding=["Data protection impact assessments had not been completed for three new systems that process special category data."],
            rec=["DPIAs will be completed for the three systems and a DPIA screening step added to the ICT project gateway."],
            history=[s("2024-04-30"), s("2024-10-31"), s("2025-04-30")],
            status="open",
            update=[
                "February 2025: DPIAs for two of the three systems are signed off. The third "
                "(the new telecare platform) awaits information from the supplier. The screening "
                "step has been added to the gateway.",
                "September 2024: Extension agreed by the Audit and Governance Committee.",
            ],
            period="2025-02",
        ),
        Rec(
            ref="2024/25-02",
            audit="Procurement Cards 2024-25",
            risk=P4,
            responsible="Procurement Compliance Officer",
            finding=["Monthly card statements were not reviewed and signed by budget holders in 9 of 30 cases."],
            rec=[
                "Budget holders will approve statements in the card provider's online portal each "
                "month, and unapproved statements reported to the Head of Procurement."
            ],
            history=[s("2025-06-30")],
            status="open",
            update=["March 2025: Portal approval configured; training for budget holders arranged for April and May."],
            period="2025-03",
        ),
    ]
    return Doc(
        name="severnside_revised_dates",
        council="Severnside County Council",
        imitates="County council follow-up appendices with successive revised-date columns and a "
        "combined audit/issue column (e.g. Shropshire, Gloucestershire)",
        as_at=None,
        as_at_printed=False,
        risk_scale={P1: "critical", P2: "high", P3: "medium", P4: "low"},
        preamble=[
            ("right", "Item 9 – Appendix 2"),
            ("h1", "Severnside County Council"),
            ("h2", "Audit and Governance Committee – 20 March 2025"),
            ("h2", "Internal audit recommendations: progress with implementation"),
            (
                "key",
                "Priority: P1 – Critical: immediate action required to address a fundamental "
                "weakness; P2 – High: action required within three months; P3 – Medium: action "
                "required within six months; P4 – Low: improvement to be made within twelve "
                "months.",
            ),
        ],
        cols=[
            col("Rec No.", "ref", 6),
            col("Audit area and issue", fn=area, width=17),
            col("Priority", "risk", 5),
            col("Agreed Action", "rec", 20),
            col("Lead Officer", "responsible", 9),
            col("Implementation Date", fn=orig_cell, width=7),
            col("Revised date 1", fn=rev1, width=7),
            col("Revised date 2", fn=rev2, width=7),
            col("Updated Management Response", "update", 22),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html",),
        min_pages=3,
        head_bg="#DDEBF7",
    )


# --------------------------------------------------------------------------- 7. directorate groups


def doc_northfold() -> Doc:
    """County council list grouped under directorate heading rows; Major/Significant/Minor;
    'Update Jan 2025 – ' stamps, newest first; 'Complete – ' openers; an extension only requested."""
    MA, SI, MI = "Major", "Significant", "Minor"

    def current(r: Rec):
        h = r.history
        if len(h) <= 2:
            return h[-1].printed
        return Lines((h[-1].printed,) + tuple(f"(previously {d.printed})" for d in reversed(h[1:-1])))

    ahw = "Adults, Health and Wellbeing"
    cf = "Children and Families"
    ete = "Economy, Transport and Environment"
    rcs = "Resources and Corporate Services"
    adults = [
        Rec(
            ref="AHW-01",
            directorate=ahw,
            audit="Deprivation of Liberty Safeguards 2023-24",
            risk=MA,
            responsible="Head of Safeguarding Adults",
            rec="The backlog of DoLS applications awaiting assessment should be prioritised using the "
            "ADASS screening tool, and the highest-priority applications assessed within the "
            "statutory timescales. Performance should be reported monthly to the Adults "
            "Leadership Team.",
            history=[mon("2024-06-30"), mon("2024-12-31"), mon("2025-06-30")],
            status="open",
            update=[
                "Update Jan 2025 – The backlog has fallen from 1,420 to 860 applications. All "
                "high-priority applications are now screened within 5 days. Monthly reporting "
                "to the Adults Leadership Team started in November. The new target reflects the "
                "time needed to clear the remaining medium-priority cases with the additional "
                "Best Interests Assessors funded from January.",
                "Update Oct 2024 – Screening tool adopted; two agency assessors appointed.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="AHW-02",
            directorate=ahw,
            audit="Care Home Contract Monitoring 2023-24",
            risk=SI,
            responsible="Commissioning Manager – Residential Care",
            rec="Quality monitoring visits should be made to every contracted care home at least "
            "annually, using a risk-based schedule, and the findings followed up with the "
            "provider through an action plan.",
            history=[mon("2024-09-30")],
            status="implemented",
            update="Complete – all 96 homes have been visited in the last twelve months and the "
            "risk-based schedule for 2025 is agreed. Action plans are tracked on the "
            "provider portal.",
        ),
        Rec(
            ref="AHW-03",
            directorate=ahw,
            audit="Client Financial Services 2022-23",
            risk=MA,
            responsible="Client Finance Manager",
            rec="Appointee accounts should be reconciled monthly, and each client's balance checked "
            "against the capital limit so that care charges and benefits are correct.",
            history=[mon("2023-09-30"), mon("2024-03-31"), mon("2024-12-31")],
            status="open",
            update=[
                "Update Jan 2025 – Overdue. Monthly reconciliations are up to date for 310 of "
                "372 accounts. The remaining 62 are held on the old system and will be "
                "reconciled when they are migrated in February. An extension to Apr 2025 will "
                "be requested at the next meeting.",
                "Update Oct 2024 – Migration of appointee accounts to the new banking platform started.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="AHW-04",
            directorate=ahw,
            audit="Public Health Grant 2023-24",
            risk=MI,
            responsible="Public Health Business Manager",
            rec="The public health grant return should be supported by a reconciliation to the "
            "ledger, reviewed by the Director of Public Health before sign-off.",
            history=[mon("2024-07-31")],
            status="implemented",
            update="Complete – the 2023/24 return was supported by a ledger reconciliation signed "
            "by the Director of Public Health on 19 July 2024.",
        ),
    ]
    children = [
        Rec(
            ref="CF-01",
            directorate=cf,
            audit="Children's Social Care Placements 2023-24",
            risk=MA,
            responsible="Head of Placements and Sufficiency",
            rec="Every external placement should have a signed individual placement agreement before "
            "the first payment is made, and payments should stop automatically on the recorded "
            "placement end date.",
            history=[mon("2024-05-31"), mon("2024-11-30"), mon("2025-05-31")],
            status="open",
            update=[
                "Update Jan 2025 – Individual placement agreements are in place for 88% of "
                "current external placements, up from 54% at the time of the audit. Automatic "
                "end-dating of payments has been built into the case management system and will "
                "go live with the April 2025 release.",
                "Update Oct 2024 – Backlog project team set up with Business Support.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="CF-02",
            directorate=cf,
            audit="Schools Themed Audit – Purchasing 2023-24",
            risk=SI,
            responsible="Head of Schools Finance",
            rec="Schools should be reminded that orders over £5,000 require three written quotations, "
            "and compliance should be included in the annual schools financial health check.",
            history=[mon("2024-12-31")],
            status="open",
            update=[
                "Update Jan 2025 – Extension requested to Sep 2025. The reminder was issued in "
                "the Schools Bulletin in November, but the financial health check will not be "
                "revised until the 2025/26 cycle. The Committee is asked to agree the extension."
            ],
            period="2025-01",
        ),
        Rec(
            ref="CF-03",
            directorate=cf,
            audit="Special Educational Needs Transport 2022-23",
            risk=SI,
            responsible="SEN Transport Manager",
            rec="Eligibility for SEN transport should be reassessed at each phase transfer, and "
            "the reassessment recorded on the pupil's transport record.",
            history=[mon("2023-08-31"), mon("2024-08-31")],
            status="open",
            update=[
                "Update Jan 2025 – Not started. Resources have been directed to the September "
                "2024 route re-tender; reassessment at phase transfer will begin with the "
                "September 2025 intake.",
                "Update Oct 2024 – No progress this period.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="CF-04",
            directorate=cf,
            audit="Youth Justice Grant 2023-24",
            risk=MI,
            responsible="Youth Justice Service Manager",
            rec="Expenditure claimed against the Youth Justice Board grant should be supported by ledger reports retained with the claim.",
            history=[mon("2024-06-30")],
            status="implemented",
            update="Complete – supporting ledger reports are now filed with each quarterly claim.",
        ),
    ]
    ete_recs = [
        Rec(
            ref="ETE-01",
            directorate=ete,
            audit="Highways Capital Schemes 2023-24",
            risk=MA,
            responsible="Head of Highways Delivery",
            rec="Compensation events under the highways term contract should be assessed and agreed "
            "within the contract timescales, and a register of events maintained and reported "
            "monthly to the contract board.",
            history=[mon("2024-03-31"), mon("2024-09-30"), mon("2025-03-31")],
            status="open",
            update=[
                "Update Jan 2025 – The register is in place and reported monthly. 41 of the 57 "
                "events outstanding at the time of the audit have been settled. The contractor "
                "has disputed the assessment of the remaining 16, which are being resolved "
                "through the contract's adjudication process.",
                "Update Oct 2024 – Commercial manager appointed to lead on compensation events.",
                "Update Jul 2024 – Register set up.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="ETE-02",
            directorate=ete,
            audit="Waste Disposal Contract 2023-24",
            risk=SI,
            responsible="Waste Contracts Manager",
            rec="Tonnage invoiced by the waste disposal contractor should be reconciled monthly to weighbridge records before payment.",
            history=[mon("2024-10-31")],
            status="open",
            update=[
                "Update Jan 2025 – Reconciliation for October to December completed; a "
                "difference of 312 tonnes is being queried with the contractor."
            ],
            period="2025-01",
        ),
        Rec(
            ref="ETE-03",
            directorate=ete,
            audit="Concessionary Fares 2022-23",
            risk=MI,
            responsible="Passenger Transport Manager",
            rec="Reimbursement claims from bus operators should be checked against ticket machine data before payment.",
            history=[mon("2023-12-31"), mon("2024-06-30")],
            status="closed",
            update="Superseded – reimbursement moved to the fixed-sum arrangement in the Enhanced "
            "Partnership from April 2024, so claims are no longer based on journeys.",
        ),
        Rec(
            ref="ETE-04",
            directorate=ete,
            audit="Flood Risk Management 2023-24",
            risk=SI,
            responsible="Flood Risk Manager",
            rec="The register of flood risk assets should be completed and inspections scheduled according to asset condition.",
            history=[mon("2025-03-31")],
            status="open",
            update=["Update Jan 2025 – 70% of assets surveyed; on track for March."],
            period="2025-01",
        ),
        Rec(
            ref="ETE-05",
            directorate=ete,
            audit="Planning Enforcement 2023-24",
            risk=MI,
            responsible="Planning Enforcement Team Leader",
            rec="Enforcement cases should be prioritised in line with the Local Enforcement Plan "
            "and reviewed by the Team Leader when they pass their target date.",
            history=[mon("2024-09-30"), mon("2025-03-31")],
            status="open",
            update=["Update Jan 2025 – New case management module in testing; case review dashboard agreed."],
            period="2025-01",
        ),
    ]
    resources = [
        Rec(
            ref="RCS-01",
            directorate=rcs,
            audit="Payroll 2023-24",
            risk=SI,
            responsible="Head of HR Operations",
            rec="Changes to standing data in the payroll system, such as pay grades and allowances, "
            "should be independently checked against the authorised change before the payroll "
            "is run.",
            history=[mon("2024-06-30"), mon("2024-10-31"), mon("2025-02-28")],
            status="open",
            update=[
                "Update Jan 2025 – A system report of standing data changes is checked by a "
                "second officer each month. Evidence for November and December has been "
                "provided; evidence for January will be provided before the recommendation is "
                "closed in February.",
                "Update Oct 2024 – Report design agreed with the supplier.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="RCS-02",
            directorate=rcs,
            audit="Cyber Security 2023-24",
            risk=MA,
            responsible="Chief Information Security Officer",
            rec="All staff should complete annual cyber security awareness training, and phishing "
            "simulations should be run quarterly with repeat clickers offered further training.",
            history=[mon("2024-09-30"), mon("2025-03-31")],
            status="open",
            update=[
                "Update Jan 2025 – Training completion is 84% against a target of 95%. "
                "Quarterly phishing simulations have run since June; the click rate fell from "
                "14% to 6%.",
                "Update Oct 2024 – Completion 71%; reminders sent through directorate management teams.",
            ],
            period="2025-01",
        ),
        Rec(
            ref="RCS-03",
            directorate=rcs,
            audit="Treasury Management 2023-24",
            risk=MI,
            responsible="Treasury and Investments Manager",
            rec="Counterparty limits in the treasury management system should be updated on the "
            "same day as any change to the approved counterparty list.",
            history=[mon("2024-04-30")],
            status="implemented",
            update="Complete – limits were updated on the day of each change in 2024/25 and checked by the Finance Manager.",
        ),
        Rec(
            ref="RCS-04",
            directorate=rcs,
            audit="Council Tax 2023-24",
            risk=SI,
            responsible="Revenues Manager",
            rec="Discounts and exemptions awarded for empty and second homes should be reviewed "
            "annually, using the new premium powers from April 2025.",
            history=[mon("2025-04-30")],
            status="open",
            update=["Update Jan 2025 – Not yet due. Review letters drafted for issue in March."],
            period="2025-01",
        ),
        Rec(
            ref="RCS-05",
            directorate=rcs,
            audit="Contract Management 2022-23",
            risk=MA,
            responsible="Head of Commercial",
            rec="Every contract over £500,000 should have a named contract manager, a contract "
            "management plan and quarterly performance reviews recorded on the contract "
            "register.",
            history=[mon("2023-06-30"), mon("2023-12-31"), mon("2024-06-30"), mon("2025-06-30")],
            status="open",
            update=[
                "Update Jan 2025 – 52 of the 67 contracts over £500,000 now have a named "
                "manager and plan. Quarterly reviews are being recorded on the new contract "
                "register module, which went live in December. The date has been moved to allow "
                "for the Procurement Act 2023 changes to the register.",
                "Update Oct 2024 – Contract management training delivered to 40 officers.",
                "Update Jul 2024 – Contract register module procured.",
            ],
            period="2025-01",
        ),
    ]
    return Doc(
        name="northfold_directorates_long",
        council="Northfold County Council",
        imitates="County council reports grouped by directorate (e.g. Derbyshire, North Yorkshire) with stamped update histories",
        as_at="2025-01-31",
        as_at_printed=True,
        risk_scale={MA: "high", SI: "medium", MI: "low"},
        preamble=[
            ("h1", "Northfold County Council"),
            ("h2", "Audit and Standards Committee – 27 February 2025"),
            ("h2", "Internal Audit Recommendations Outstanding at 31 January 2025"),
            (
                "p",
                "Recommendations are shown by directorate. The latest update from the action owner "
                "is shown first, followed by earlier updates. Where a target has been moved more "
                "than once, earlier revised targets are shown in brackets.",
            ),
            (
                "key",
                "Ratings: Major – significant risk to the achievement of objectives; "
                "Significant – risk that should be addressed by management; Minor – improvement "
                "to control or efficiency.",
            ),
        ],
        cols=[
            col("Rec No.", "ref", 7),
            col("Audit", "audit", 12),
            col("Recommendation", "rec", 24),
            col("Rating", "risk", 8),
            col("Action Owner", "responsible", 11),
            col("Original target", fn=orig_cell, width=8),
            col("Current target", fn=current, width=9),
            col("Latest update", "update", 21),
        ],
        sections=[(ahw, adults), (cf, children), (ete, ete_recs), (rcs, resources)],
        orientation="portrait",
        rules="grid",
        formats=("html", "txt"),
        min_pages=3,
        head_bg="#D9D9D9",
        font_pt=9,
    )


# --------------------------------------------------------------------------- 8. high priority only


def doc_westmarch() -> Doc:
    """No risk column; the title says every record is High priority. 'Implemented:' and
    'Complete –' openers; ordinal dates; 'Revised:' lines in the date cell."""

    def agreed(r: Rec):
        h = r.history
        if len(h) == 1:
            return h[0].printed
        return Lines((h[0].printed,) + tuple(f"Revised: {d.printed}" for d in h[1:]))

    o = ordinal
    recs = [
        Rec(
            audit="Housing Rents 2023-24",
            responsible="Head of Housing Management",
            rec="Former tenant arrears should be pursued in line with the Income Management Policy, "
            "and debts over £1,000 referred to the council's enforcement agents within 3 months "
            "of the tenancy ending.",
            history=[o("2024-06-30"), o("2024-12-31")],
            status="open",
            update="The Former Tenant Arrears Officer post was filled in October. 146 cases over "
            "£1,000 have been reviewed and 97 referred; the remainder need a trace before "
            "referral. Revised target: 31st March 2025 (to be agreed by Committee).",
        ),
        Rec(
            audit="Council Tax Reduction 2023-24",
            responsible="Benefits Manager",
            rec="Changes in circumstances reported through the DWP's automated transfer data should "
            "be processed within 10 working days of receipt to prevent overpayments.",
            history=[o("2024-09-30")],
            status="implemented",
            update="Implemented: automation of ATLAS and VEP notifications went live in September "
            "2024 and 92% are now processed within 10 working days.",
        ),
        Rec(
            audit="Cyber Security 2023-24",
            responsible="ICT Security Manager",
            rec="An incident response plan for a ransomware attack should be approved and tested "
            "through an exercise involving the Corporate Management Team.",
            history=[o("2024-03-31"), o("2024-09-30"), TBC],
            status="open",
            update="The plan has been approved. The exercise was postponed because of the general "
            "election and will be rearranged through the Local Resilience Forum. Date to be "
            "confirmed.",
        ),
        Rec(
            audit="Temporary Accommodation 2023-24",
            responsible="Housing Options Manager",
            rec="Nightly-paid temporary accommodation should only be booked through approved "
            "providers under a signed agreement, with rates approved by the Housing Options "
            "Manager.",
            history=[o("2024-10-31")],
            status="open",
            update="Framework of approved providers in place since August; 4 of the 31 providers "
            "used in the last quarter have not yet signed the agreement.",
        ),
        Rec(
            audit="Procurement Cards 2023-24",
            responsible="Head of Procurement",
            rec="Cards should be cancelled on the day a cardholder leaves, using the HR leavers "
            "report, and the cancellation confirmed by the card provider.",
            history=[o("2024-05-31")],
            status="implemented",
            update="Complete – the leavers report is checked weekly by the Card Administrator and "
            "cancellations confirmed by email from the bank.",
        ),
        Rec(
            audit="Safeguarding 2023-24",
            responsible="Community Services Manager",
            rec="DBS checks for taxi drivers, leisure staff and staff working with children should "
            "be renewed every three years and monitored through a central record.",
            history=[o("2024-07-31"), o("2025-01-31")],
            status="open",
            update="Central DBS record in place. 23 of 41 renewals completed; the remainder are booked for January.",
        ),
        Rec(
            audit="Creditors 2023-24",
            responsible="Exchequer Services Manager",
            rec="Payments should not be made without a purchase order except for the categories "
            "listed in the No PO No Pay exemptions list.",
            history=[o("2024-12-31")],
            status="open",
            update="No PO No Pay policy approved; communications to suppliers go out in January and "
            "the system block will be switched on from 1st April 2025.",
        ),
        Rec(
            audit="Capital Programme 2022-23",
            responsible="Capital and Treasury Accountant",
            rec="Business cases for capital schemes over £250,000 should be approved by the Capital Board before expenditure is committed.",
            history=[o("2023-09-30"), o("2024-03-31")],
            status="implemented",
            update="Implemented: Capital Board approvals evidenced for all 2024/25 schemes.",
        ),
        Rec(
            audit="Disabled Facilities Grants 2023-24",
            responsible="Home Improvement Agency Manager",
            rec="Grant payments should only be released when a signed completion certificate and "
            "the client's satisfaction form have been received.",
            history=[o("2024-08-31"), o("2024-11-30")],
            status="open",
            update="Satisfaction form built into the case system in November; awaiting the first "
            "month's report to confirm that payments are blocked without it.",
        ),
        Rec(
            audit="Building Safety (Housing) 2023-24",
            responsible="Head of Building Safety",
            rec="Actions from fire risk assessments of council-owned blocks should be recorded on "
            "a single tracker and high-risk actions completed within the timescales set by the "
            "assessor.",
            history=[o("2024-04-30"), o("2024-10-31"), o("2025-03-31")],
            status="open",
            update="All actions are now on the Assure tracker. 31 high-risk actions remain overdue, "
            "mainly fire door replacements awaiting delivery.",
        ),
    ]
    return Doc(
        name="westmarch_high_priority",
        council="Westmarch Borough Council",
        imitates="Borough councils that report only high-priority recommendations with no rating column (e.g. Gedling, Erewash)",
        as_at="2024-12-31",
        as_at_printed=True,
        risk_scale={"High": "high"},
        title_risk="High",
        preamble=[
            ("right", "Appendix B"),
            ("h1", "Westmarch Borough Council"),
            ("h2", "Outstanding High Priority Internal Audit Recommendations"),
            (
                "p",
                "Recommendations outstanding as at 31st December 2024, with the updated management "
                "response provided by the responsible officer.",
            ),
        ],
        cols=[
            col("Audit", "audit", 14),
            col("Recommendation", "rec", 32),
            col("Responsible Officer", "responsible", 14),
            col("Agreed date", fn=agreed, width=13),
            col("Updated Management Response", "update", 27),
        ],
        sections=[(None, recs)],
        orientation="portrait",
        rules="grid",
        formats=("html", "txt"),
        min_pages=1,
        head_bg="#BDD7EE",
    )


# --------------------------------------------------------------------------- 9. status column


def doc_kingsmead() -> Doc:
    """London borough follow-up with a Status column of many words, a Directorate column,
    High/Significant/Low (Significant is the middle), 'Awaiting update from service'."""
    H, S, L = "High", "Significant", "Low"
    s = slash

    def impl(r: Rec):
        # a TBC revision is printed only in the Comments ("Revised target date: TBC")
        h = r.history[:-1] if r.history[-1].iso is None else r.history
        return dates_cell(h)

    AW = "Awaiting update from service"
    recs = [
        Rec(
            ref="KM-24-001",
            directorate="Resources",
            audit="Incident & Problem Management 2022-23",
            risk=H,
            responsible="Head of IT Service Delivery",
            rec="Major ICT incidents should be subject to a documented post-incident review within "
            "ten working days, with actions tracked to completion.",
            history=[s("2023-09-30"), s("2024-06-30"), s("2024-12-31")],
            status="open",
            status_printed="Overdue",
            update="Post-incident review template agreed. Reviews completed for 3 of the 5 major "
            "incidents since July; the two outstanding relate to the October network outage.",
        ),
        Rec(
            ref="KM-24-002",
            directorate="Resources",
            audit="Incident & Problem Management 2022-23",
            risk=S,
            responsible="IT Service Desk Manager",
            rec="The known error database should be maintained and linked to the service desk so "
            "that workarounds are available to first-line analysts.",
            history=[s("2024-03-31")],
            status="closed",
            status_printed="Superseded",
            update="Superseded – the new ITSM platform procured in 2024 includes a knowledge base that replaces the known error database.",
        ),
        Rec(
            ref="KM-24-003",
            directorate="Resources",
            audit="Pensions 2023-24",
            risk=H,
            responsible="Pensions Manager",
            rec="Annual benefit statements should be issued to all active and deferred members by the statutory deadline of 31 August.",
            history=[s("2024-08-31")],
            status="open",
            status_printed="Partially implemented",
            update="96% of statements issued by the deadline; the remainder were delayed by missing "
            "year-end data from two academy trusts. Breach reported to the Pensions Regulator.",
        ),
        Rec(
            ref="KM-24-004",
            directorate="Resources",
            audit="Pensions 2023-24",
            risk=L,
            responsible="Pensions Manager",
            rec="The Pension Fund's breaches log should be reviewed at every meeting of the Local Pension Board.",
            history=[s("2024-06-30")],
            status="implemented",
            status_printed="Implemented",
            update="Breaches log now a standing item on the Local Pension Board agenda.",
        ),
        Rec(
            ref="KM-24-005",
            directorate="Housing and Regeneration",
            audit="Housing Repairs 2023-24",
            risk=H,
            responsible="Director of Housing Property Services",
            rec="Damp and mould reports should be inspected within 10 working days and remedial "
            "works completed within the timescales in the Damp and Mould Policy.",
            history=[s("2024-06-30"), s("2024-09-30")],
            status="open",
            status_printed="In progress",
            update="Inspections within 10 days rose to 81% in November. A dedicated damp and mould team of 12 operatives is now in place.",
        ),
        Rec(
            ref="KM-24-006",
            directorate="Housing and Regeneration",
            audit="Leaseholder Service Charges 2023-24",
            risk=S,
            responsible="Head of Home Ownership",
            rec="Estimated service charges should be reconciled to actual costs within six months of "
            "the year end and balancing charges issued to leaseholders.",
            history=[s("2024-09-30")],
            status="open",
            status_printed="Extension requested",
            update="The service has asked for an extension to 31/03/2025 because the 2023/24 "
            "major works accounts are not yet final. The request will be considered by the "
            "Audit Committee in January.",
        ),
        Rec(
            ref="KM-24-007",
            directorate="Children and Culture",
            audit="Schools Payroll 2023-24",
            risk=S,
            responsible="Schools HR Manager",
            rec="Schools using the council's payroll service should return signed monthly payroll checklists before the payroll is run.",
            history=[s("2024-12-31")],
            status="open",
            status_printed="Not yet due",
            update="Checklist issued to all schools in November.",
        ),
        Rec(
            ref="KM-24-008",
            directorate="Children and Culture",
            audit="No Recourse to Public Funds 2023-24",
            risk=H,
            responsible="Head of Service, Children with No Recourse to Public Funds",
            rec="Subsistence payments to families with no recourse to public funds should be "
            "reviewed every three months and stopped when the family's immigration status "
            "changes.",
            history=[s("2024-09-30"), TBC],
            status="open",
            status_printed="Overdue",
            update="Review schedule drafted. The case management system change needed to flag "
            "status changes has not yet been scheduled by IT. Revised target date: TBC",
        ),
        Rec(
            ref="KM-24-009",
            directorate="Health, Adults and Community",
            audit="Home Care Payments 2023-24",
            risk=H,
            responsible="Head of Commissioning",
            rec="Payments to home care providers should be based on electronic call monitoring data rather than planned hours.",
            history=[s("2024-10-31")],
            status="open",
            status_printed="In progress",
            update=AW,
            no_update=True,
        ),
        Rec(
            ref="KM-24-010",
            directorate="Health, Adults and Community",
            audit="Disabled Facilities Grants 2023-24",
            risk=S,
            responsible="Occupational Therapy Service Manager",
            rec="Cases waiting more than six months for an occupational therapy assessment should "
            "be reviewed monthly by the service manager.",
            history=[s("2024-07-31"), s("2025-01-31")],
            status="open",
            status_printed="Deferred",
            update="Deferred by the Corporate Director pending the restructure of the occupational "
            "therapy service; the monthly review will restart in January.",
        ),
        Rec(
            ref="KM-24-011",
            directorate="Place",
            audit="Parking Enforcement 2023-24",
            risk=L,
            responsible="Parking Services Manager",
            rec="Cancelled penalty charge notices should be reviewed monthly by a supervisor, with "
            "the reason for each cancellation recorded.",
            history=[s("2024-11-30")],
            status="open",
            status_printed="Overdue",
            update=AW,
            no_update=True,
        ),
        Rec(
            ref="KM-24-012",
            directorate="Place",
            audit="Section 106 and CIL 2023-24",
            risk=H,
            responsible="Head of Infrastructure Planning",
            rec="Community Infrastructure Levy receipts should be reconciled quarterly to the CIL "
            "software and the ledger, and the annual Infrastructure Funding Statement agreed "
            "to these records.",
            history=[s("2024-12-31")],
            status="open",
            status_printed="In progress",
            update="Quarter 1 and 2 reconciliations completed. The Infrastructure Funding Statement "
            "for 2023/24 was published on 20/12/2024.",
        ),
        Rec(
            ref="KM-24-013",
            directorate="Place",
            audit="Street Trading Licences 2023-24",
            risk=L,
            responsible="Licensing Manager",
            rec="Street trading licence fees should be collected before the licence is issued.",
            history=[s("2024-05-31")],
            status="implemented",
            status_printed="Implemented",
            update="Online payment now required at application.",
        ),
        Rec(
            ref="KM-24-014",
            directorate="Governance",
            audit="Members' Allowances 2023-24",
            risk=L,
            responsible="Head of Democratic Services",
            rec="Councillors' travel and subsistence claims should be submitted within three months "
            "of the expense and checked against the Members' Allowances Scheme.",
            history=[s("2025-03-31")],
            status="open",
            status_printed="Not started",
            update="Not started. Will be taken forward after the scheme review in February.",
        ),
    ]
    return Doc(
        name="kingsmead_status_column",
        council="London Borough of Kingsmead",
        imitates="London borough follow-up tables with a Status column (e.g. Tower Hamlets-style "
        "trackers, Lambeth) and a High/Significant/Low scale",
        as_at="2024-12-31",
        as_at_printed=True,
        risk_scale={H: "high", S: "medium", L: "low"},
        preamble=[
            ("h1", "London Borough of Kingsmead"),
            ("h2", "Audit Committee – 23 January 2025"),
            ("h2", "Internal Audit: Recommendations Follow-up"),
            ("p", "Follow-up position at 31/12/2024"),
            (
                "key",
                "Priority: High – action required immediately to address a major control "
                "weakness; Significant – action required within three months; Low – "
                "improvement recommended.",
            ),
        ],
        cols=[
            col("Ref", "ref", 8),
            col("Directorate", "directorate", 10),
            col("Audit", "audit", 9),
            col("Recommendation", "rec", 24),
            col("Priority", "risk", 7),
            col("Officer", "responsible", 10),
            col("Implementation Date", fn=impl, width=9),
            col("Status", "status_printed", 8),
            col("Comments", "update", 15),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html", "md"),
        min_pages=2,
        head_bg="#E7E6E6",
        font_pt=9,
    )


# --------------------------------------------------------------------------- 10. one card per record


def doc_fenwick() -> Doc:
    """Each recommendation printed as its own two-column label/value table ('card')."""
    H, M, L = "High", "Medium", "Low"
    ld = longd

    def revised(r: Rec):
        h = r.history[1:]
        if not h:
            return "None"
        return ", then ".join(d.printed for d in h)

    recs = [
        Rec(
            ref="FDC/23/01",
            audit="Payroll 2023-24",
            risk=H,
            responsible="HR and Payroll Manager",
            rec="Payroll should reconcile gross pay between consecutive months and investigate "
            "variances above £500 before the payroll is authorised.",
            history=[ld("2024-03-31"), ld("2024-06-30")],
            status="implemented",
            status_printed="Implemented",
            update="June 2024: The month-on-month reconciliation has been in place since April and "
            "is signed by the HR and Payroll Manager. Internal Audit has reviewed April and "
            "May.",
            period="2024-06",
        ),
        Rec(
            ref="FDC/23/02",
            audit="Payroll 2023-24",
            risk=M,
            responsible="HR and Payroll Manager",
            rec="Access to the payroll system should be reviewed every six months and access for "
            "leavers removed on their last working day.",
            history=[ld("2024-03-31")],
            status="open",
            status_printed="Overdue",
            update="June 2024: First review completed in May. Two leavers' accounts were found still "
            "active and have been removed. The six-monthly review is not yet scheduled.",
            period="2024-06",
        ),
        Rec(
            ref="FDC/23/05",
            audit="Council Tax and Business Rates 2023-24",
            risk=M,
            responsible="Revenues Team Leader",
            rec="Suppressed recovery action should be reviewed monthly and the reason for each suppression recorded on the account.",
            history=[ld("2024-01-31"), ld("2024-04-30"), ld("2024-08-31")],
            status="open",
            status_printed="Partially implemented",
            update="May 2024: Reasons are now recorded for new suppressions. Historic suppressions "
            "(about 900 accounts) are being worked through.",
            period="2024-05",
        ),
        Rec(
            ref="FDC/23/07",
            audit="Cyber Security 2023-24",
            risk=H,
            responsible="ICT Manager",
            rec="The council should achieve and maintain Cyber Essentials Plus certification, "
            "addressing the vulnerabilities found in the 2023 assessment.",
            history=[ld("2024-06-30"), ld("2024-09-30")],
            status="open",
            status_printed="In progress",
            update="June 2024: 11 of the 14 vulnerabilities fixed. Assessment booked for September.",
            period="2024-06",
        ),
        Rec(
            ref="FDC/24/01",
            audit="Housing Benefit Subsidy 2023-24",
            risk=H,
            responsible="Benefits Manager",
            rec="Quality checks should be carried out on 4% of benefit assessments each month, "
            "targeted at the error types found in the subsidy audit.",
            history=[ld("2024-09-30")],
            status="open",
            status_printed="Not started",
            update="Not started – awaiting the appointment of a Quality Officer.",
        ),
        Rec(
            ref="FDC/24/02",
            audit="Community Grants 2023-24",
            risk=L,
            responsible="Communities Officer",
            rec="Grant recipients should return an end-of-project report with evidence of spend before the final 20% of the grant is paid.",
            history=[ld("2024-04-30")],
            status="implemented",
            status_printed="Implemented",
            update="April 2024: Grant conditions changed for the 2024/25 round.",
            period="2024-04",
        ),
        Rec(
            ref="FDC/24/03",
            audit="Car Parks 2023-24",
            risk=M,
            responsible="Car Parks Manager",
            rec="Income from cashless parking should be reconciled monthly between the provider's reports and the ledger.",
            history=[ld("2024-05-31"), TBC],
            status="open",
            status_printed="Overdue",
            update="June 2024: The provider has changed its reporting platform and reports are not "
            "yet available in the new format. Revised date to be confirmed.",
            period="2024-06",
        ),
        Rec(
            ref="FDC/24/04",
            audit="Planning Applications 2023-24",
            risk=L,
            responsible="Planning Support Team Leader",
            rec="Refunds of planning fees should be authorised by the Development Manager before payment.",
            history=[ld("2024-07-31")],
            status="open",
            status_printed="In progress",
            update="Authorisation step added to the refund form; awaiting evidence of use.",
        ),
        Rec(
            ref="FDC/24/05",
            audit="Fleet and Fuel 2023-24",
            risk=M,
            responsible="Depot Manager",
            rec="Bulk fuel deliveries should be dipped and reconciled to the delivery note, and "
            "monthly stock reconciliations signed by the Depot Manager.",
            history=[ld("2024-06-30"), ld("2024-08-31"), ld("2024-10-31")],
            status="open",
            status_printed="In progress",
            update="June 2024: Dip readings now taken at each delivery. The fuel management system "
            "upgrade needed for the monthly reconciliation has slipped to October.",
            period="2024-06",
        ),
    ]
    return Doc(
        name="fenwick_record_cards",
        council="Fenwick District Council",
        imitates="Shared-service audit partnerships that print one box per recommendation (e.g. SIAS in Hertfordshire, Veritau)",
        as_at="2024-06-30",
        as_at_printed=True,
        risk_scale={H: "high", M: "medium", L: "low"},
        preamble=[
            ("h1", "Fenwick District Council"),
            ("h2", "Governance Committee – 23 July 2024"),
            ("h2", "Internal Audit Follow-Up: Detailed Position of Recommendations as at 30 June 2024"),
            ("key", "Priority ratings: High, Medium, Low."),
        ],
        cols=[],
        sections=[(None, recs)],
        card=True,
        card_rows=[
            ("Audit", lambda r: r.audit),
            ("Recommendation", lambda r: r.rec),
            ("Priority", lambda r: r.risk),
            ("Responsible officer", lambda r: r.responsible),
            ("Original implementation date", orig_cell),
            ("Revised implementation date(s)", revised),
            ("Status", lambda r: r.status_printed),
            ("Progress reported", lambda r: r.update),
        ],
        card_title=lambda r, i, n: f"Recommendation {i} of {n} – {r.ref}",
        orientation="portrait",
        rules="grid",
        formats=("html", "txt"),
        min_pages=2,
    )


# --------------------------------------------------------------------------- 11. bilingual, RAG = risk


def doc_dyffryn() -> Doc:
    """Welsh bilingual headers; the 'RAG' column here IS the risk rating (Red = High), the
    opposite trap to the Pennine Moor tracker; dates like 31/03/25."""
    R, A, G = "Red", "Amber", "Green"

    def s2(iso):
        y, m, d = _ymd(iso)
        return Dt(f"{d:02d}/{m:02d}/{y % 100:02d}", iso)

    recs = [
        Rec(
            ref="DT/23/04",
            audit="Payroll 2023-24",
            risk=A,
            responsible="Payroll Manager",
            rec="Honoraria and acting-up payments should have an end date recorded in the payroll system so that they stop automatically.",
            history=[s2("2024-06-30"), s2("2024-12-31")],
            status="open",
            update="Mawrth/March 2025: End dates added to 141 of 150 current payments; the remaining "
            "nine are being confirmed with managers.",
            period="2025-03",
        ),
        Rec(
            ref="DT/23/09",
            audit="Social Services Charging 2023-24",
            risk=R,
            responsible="Head of Adult Services Finance",
            rec="Charges for non-residential care should be reassessed annually in April, in line "
            "with the Welsh Government maximum weekly charge.",
            history=[s2("2024-04-30"), s2("2025-04-30")],
            status="open",
            update="Annual reassessment for 2025-26 in progress; letters issued to 2,310 service users in March.",
        ),
        Rec(
            ref="DT/23/11",
            audit="Schools Delegated Budgets 2023-24",
            risk=G,
            responsible="Schools Finance Manager",
            rec="Schools in deficit should agree a recovery plan with the local authority within three months of the year end.",
            history=[s2("2024-06-30")],
            status="implemented",
            update="Implemented: recovery plans agreed with all 11 schools in deficit.",
        ),
        Rec(
            ref="DT/24/01",
            audit="Cyber Security 2024-25",
            risk=R,
            responsible="Head of ICT",
            rec="Privileged access to the council's systems should be managed through a privileged "
            "access management tool, with all sessions logged.",
            history=[s2("2025-03-31"), TBC],
            status="open",
            update="Tool procurement paused pending the all-Wales framework. Revised target date: TBC",
        ),
        Rec(
            ref="DT/24/03",
            audit="Housing Revenue Account 2024-25",
            risk=A,
            responsible="Housing Finance Manager",
            rec="Recharges from the General Fund to the Housing Revenue Account should be "
            "supported by an agreed methodology reviewed annually.",
            history=[s2("2025-02-28")],
            status="open",
            update="Methodology drafted; to be agreed with the Section 151 Officer in April.",
        ),
        Rec(
            ref="DT/24/05",
            audit="Welsh Language Standards 2024-25",
            risk=G,
            responsible="Welsh Language Officer",
            rec="Compliance with the Welsh Language Standards for correspondence should be "
            "monitored quarterly by sampling letters and emails from each service.",
            history=[s2("2025-06-30")],
            status="open",
            update="Not yet due.",
        ),
        Rec(
            ref="DT/22/14",
            audit="Fleet Management 2022-23",
            risk=A,
            responsible="Fleet Manager",
            rec="Vehicle utilisation should be reviewed annually and under-used vehicles disposed of or re-allocated.",
            history=[s2("2023-03-31"), s2("2024-03-31"), s2("2024-09-30")],
            status="closed",
            update="Wedi'i ddisodli / Superseded – the fleet review commissioned by Cabinet in 2024 has replaced this recommendation.",
        ),
        Rec(
            ref="DT/24/07",
            audit="Disabled Facilities Grants 2024-25",
            risk=R,
            responsible="Private Sector Housing Manager",
            rec="The waiting list for Disabled Facilities Grants should be reviewed monthly and "
            "cases waiting over 12 months escalated to the Head of Housing.",
            history=[s2("2024-12-31")],
            status="open",
            update="Ni dderbyniwyd diweddariad / No update received this quarter",
            no_update=True,
        ),
    ]

    def rev(r: Rec):
        h = r.history[1:]
        return dates_cell([d for d in h if d.iso]) if h and h[-1].iso is None else dates_cell(h)

    return Doc(
        name="dyffryn_teifi_bilingual",
        council="Dyffryn Teifi County Council",
        imitates="Welsh county councils' bilingual committee papers (e.g. Ceredigion, Carmarthenshire) with a RAG risk rating",
        as_at="2025-03-31",
        as_at_printed=True,
        risk_scale={R: "high", A: "medium", G: "low"},
        preamble=[
            ("h1", "Cyngor Sir Dyffryn Teifi / Dyffryn Teifi County Council"),
            ("h2", "Pwyllgor Llywodraethu ac Archwilio / Governance and Audit Committee"),
            ("h2", "Argymhellion Archwilio Mewnol sy'n Weddill / Outstanding Internal Audit Recommendations"),
            ("p", "Sefyllfa ar 31 Mawrth 2025 / Position at 31 March 2025"),
            ("key", "Sgôr risg / Risk rating (RAG): Coch / Red – High; Ambr / Amber – Medium; Gwyrdd / Green – Low."),
        ],
        cols=[
            col("Cyf. / Ref", "ref", 8),
            col("Archwiliad / Audit", "audit", 12),
            col("Argymhelliad / Recommendation", "rec", 26),
            col("RAG", "risk", 6),
            col("Swyddog Arweiniol / Lead Officer", "responsible", 12),
            col("Dyddiad Targed / Target Date", fn=orig_cell, width=9),
            col("Dyddiad Diwygiedig / Revised Date", fn=rev, width=9),
            col("Cynnydd / Progress", "update", 18),
        ],
        sections=[(None, recs)],
        orientation="portrait",
        rules="grid",
        formats=("html", "md"),
        min_pages=1,
        head_bg="#E2EFDA",
    )


# =========================================================================== build

DOCS = [
    doc_taw_valley,
    doc_clent_hills,
    doc_pennine_moor,
    doc_hartmoor,
    doc_eskvale,
    doc_severnside,
    doc_northfold,
    doc_westmarch,
    doc_kingsmead,
    doc_fenwick,
    doc_dyffryn,
]


def write_sources(doc: Doc) -> list:
    written = []
    (OUT / f"{doc.name}.html").write_text(render_html(doc), encoding="utf-8")
    written.append(f"{doc.name}.html")
    if "md" in doc.formats:
        (OUT / f"{doc.name}.md").write_text(render_md(doc), encoding="utf-8")
        written.append(f"{doc.name}.md")
    if "txt" in doc.formats:
        (OUT / f"{doc.name}.txt").write_text(render_txt(doc), encoding="utf-8")
        written.append(f"{doc.name}.txt")
    exp = expected(doc)
    (OUT / f"{doc.name}.expected.json").write_text(json.dumps(exp, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(f"{doc.name}.expected.json")
    return written


def wait_for_soffice(limit_s: int = 900, poll_s: int = 30) -> str:
    waited = 0
    while True:
        path = shutil.which("soffice")
        if path:
            return path
        if waited >= limit_s:
            sys.exit("soffice not found after waiting; is LibreOffice installed?")
        print(f"waiting for soffice ({waited}s)...", flush=True)
        time.sleep(poll_s)
        waited += poll_s


def render_pdfs(docs) -> None:
    """HTML -> PDF with LibreOffice Writer.

    The HTML is imported with the 'HTML (StarWriter)' filter (Writer proper).  The default for
    .html is Writer/Web (writer_web_pdf_Export), which in LibreOffice 7.4 dropped the first
    heading and emitted a blank first page here.  The Writer import honours
    `@page { size: A4 landscape }`, inline cell border styles, rowspan/colspan and repeats
    <thead> rows on each page.  A private profile keeps this run apart from any other soffice.
    """
    soffice = wait_for_soffice()
    profile = OUT / "_lo_profile"
    files = [str(OUT / f"{d.name}.html") for d in docs]
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--infilter=HTML (StarWriter)",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(OUT),
    ] + files
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)
    for d in docs:
        assert (OUT / f"{d.name}.pdf").exists(), f"{d.name}.pdf was not produced"


def _squash(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def verify_pdfs(docs) -> list:
    """Open each PDF with pdfplumber and check pages, orientation, text layer and rules."""
    import pdfplumber

    problems, rows = [], []
    for d in docs:
        with pdfplumber.open(OUT / f"{d.name}.pdf") as pdf:
            pages = pdf.pages
            n = len(pages)
            landscape = all(p.width > p.height for p in pages)
            portrait = all(p.height > p.width for p in pages)
            chars = sum(len(p.chars) for p in pages)
            h = sum(1 for p in pages for e in p.edges if e["orientation"] == "h")
            v = sum(1 for p in pages for e in p.edges if e["orientation"] == "v")
            nlines = sum(len(p.lines) for p in pages)
            nrects = sum(len(p.rects) for p in pages)
            ncurves = sum(len(p.curves) for p in pages)
            text = _squash(" ".join(p.extract_text() or "" for p in pages))
            # Cell-level text: ruled tables via pdfplumber's table finder; otherwise the bag of
            # words (reading order interleaves columns, so openings are checked word by word).
            cell_text = ""
            if d.rules == "grid":
                cells = " ".join(c or "" for p in pages for tb in p.find_tables() for row in tb.extract() for c in row)
                cell_text = _squash(cells)
            words = {_squash(w["text"]) for p in pages for w in p.extract_words()}
        recs = [r for _, rs in d.sections for r in rs]

        def seen(r: Rec, d=d, cell_text=cell_text, words=words) -> bool:
            # 15 characters: a row that breaks across a page leaves only its first line or two
            # in the cell on the earlier page.
            if d.rules == "grid":
                return _squash(plain(r.rec))[:15] in cell_text
            first = [_squash(w) for w in plain(r.rec).split()[:6]]
            return all(w in words for w in first if w)

        found = sum(1 for r in recs if seen(r))
        if n < d.min_pages:
            problems.append(f"{d.name}: {n} pages, expected at least {d.min_pages}")
        if d.orientation == "landscape" and not landscape:
            problems.append(f"{d.name}: not landscape")
        if d.orientation == "portrait" and not portrait:
            problems.append(f"{d.name}: not portrait")
        if chars == 0:
            problems.append(f"{d.name}: no text layer")
        if d.rules == "grid" and not (h and v):
            problems.append(f"{d.name}: grid expected, edges h={h} v={v}")
        if d.rules == "hrules" and not (h and v == 0):
            problems.append(f"{d.name}: horizontal rules only expected, edges h={h} v={v}")
        if d.rules == "none" and (h or v or nrects or ncurves):
            problems.append(f"{d.name}: no rules expected, edges h={h} v={v} rects={nrects}")
        if _squash(d.council) not in text:
            problems.append(f"{d.name}: council name not found in text")
        if found != len(recs):
            problems.append(f"{d.name}: only {found}/{len(recs)} recommendation openings found in text")
        rows.append(
            (
                d.name,
                n,
                "landscape" if landscape else "portrait" if portrait else "mixed",
                d.rules,
                h,
                v,
                nlines,
                nrects,
                chars,
                f"{found}/{len(recs)}",
            )
        )
    print(f"{'document':32} pages orient    rules  h-edges v-edges lines rects chars  recs")
    for r in rows:
        print(f"{r[0]:32} {r[1]:5} {r[2]:9} {r[3]:6} {r[4]:7} {r[5]:7} {r[6]:5} {r[7]:5} {r[8]:6} {r[9]}")
    return problems


def main(argv) -> int:
    only = set()
    no_pdf = "--no-pdf" in argv
    if "--only" in argv:
        only = set(argv[argv.index("--only") + 1 :])
    docs = [f() for f in DOCS]
    names = [d.name for d in docs]
    assert len(set(names)) == len(names), "duplicate document names"
    if only:
        docs = [d for d in docs if d.name in only]
    for d in docs:
        files = write_sources(d)
        nrec = sum(len(r) for _, r in d.sections)
        print(f"{d.name}: {nrec} records -> {', '.join(files)}")
    if no_pdf:
        return 0
    render_pdfs(docs)
    problems = verify_pdfs(docs)
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
