#!/usr/bin/env python3
"""Layout zoo, part two: appendices as councils really publish them (issue 25, section 1).

Three made-up councils, each written once as data and rendered into every form it is published in:

* loxbridge_committee_report: the appendix inside a longer committee report (purpose, background,
  the priority key, a summary table of counts, the detail table with an audit title merged down
  over its recommendations and labels inside cells, then background papers and a signature block).
  .docx, .pdf printed from it by LibreOffice, .html.
* marrowby_audit_headings: one table per audit under a heading naming it (with its assurance opinion
  printed beside the title), the tables with different columns in different orders, a later one
  with fewer columns, an update and an officer merged down over several recommendations, labels
  inside cells. .docx and the .pdf printed from it.
* calderholt_ruled_across: twenty recommendations in one table ruled only across (a line under the
  header and under each row, no vertical rules, as Excel and light Word table styles print), rows
  breaking across pages. .pdf drawn by reportlab, .html, .txt.

Ground truth is written by hand in the data (make_zoo.py's Dt and formatters, its Rec and
expected()); nothing is parsed back. Run:  python make_published.py [--no-pdf]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_zoo import (
    OUT,
    TBC,
    Col,
    Doc,
    Lines,
    Rec,
    abbr,
    dates_cell,
    esc,
    expected,
    longd,
    ordinal,
    plain,
    render_html,
    render_txt,
    slash,
    wait_for_soffice,
)

# --------------------------------------------------------------------------- model


@dataclass
class Table:
    """A table in a Word document: its header, its records, and the columns merged down over
    runs of records (column index -> list of (first record, number of records))."""

    heading: list[str]  # paragraphs printed just above it (may be empty)
    cols: list[Col]
    recs: list[Rec]
    merged: dict = field(default_factory=dict)


@dataclass
class Paper:
    name: str
    council: str
    as_at: str | None
    risk_scale: dict
    before: list  # (kind, text) paragraphs before the first table: h1 h2 p
    tables: list  # Table or ("summary", header, rows)
    after: list  # (kind, text) paragraphs after the last table
    landscape: bool = True
    section_of: object = None  # Table -> the section its records carry (None: none)
    rules_across: bool = False  # the Word tables ruled only across

    def doc(self) -> Doc:
        """The make_zoo Doc whose expected() gives this paper's ground truth."""
        sections = [(self.section_of(t) if self.section_of else None, t.recs) for t in self.tables if isinstance(t, Table)]
        return Doc(
            name=self.name,
            council=self.council,
            imitates="",
            as_at=self.as_at,
            as_at_printed=True,
            risk_scale=self.risk_scale,
            preamble=[],
            cols=[],
            sections=sections,
        )


# --------------------------------------------------------------------------- Word


def _add_text(paragraph, content) -> None:
    if isinstance(content, Lines):
        for i, item in enumerate(content.items):
            run = paragraph.add_run(item)
            if i < len(content.items) - 1:
                run.add_break()
    else:
        paragraph.add_run(str(content))


def _fill(cell, content) -> None:
    """Cell content (str, Lines, or a list of paragraphs) as Word paragraphs."""
    parts = content if isinstance(content, list) else [content]
    for i, part in enumerate(p for p in parts if p is not None):
        _add_text(cell.paragraphs[0] if i == 0 else cell.add_paragraph(), part)


def _shade_and_bold(cell, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cell.paragraphs[0].add_run(text).bold = True
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shading)


def _word_table(document, table: Table, paper_landscape: bool) -> None:
    grid = document.add_table(rows=1 + len(table.recs), cols=len(table.cols))
    grid.style = "Table Grid"
    from docx.shared import Cm

    grid.autofit = False
    usable = 25.0 if paper_landscape else 17.0
    for c, column in enumerate(table.cols):
        _shade_and_bold(grid.rows[0].cells[c], column.header)
        width = Cm(usable * (column.width or 100 / len(table.cols)) / 100)
        grid.columns[c].width = width  # the table grid, which LibreOffice lays out by
        for cell in grid.columns[c].cells:
            cell.width = width
    covered: set[tuple[int, int]] = set()
    for c, runs in table.merged.items():
        for first, count in runs:
            top, bottom = grid.cell(1 + first, c), grid.cell(first + count, c)
            top.merge(bottom)
            covered |= {(r, c) for r in range(first + 1, first + count)}
    for r, rec in enumerate(table.recs):
        for c, column in enumerate(table.cols):
            if (r, c) not in covered:
                _fill(grid.cell(1 + r, c), column.get(rec))
    header = grid.rows[0]._tr.get_or_add_trPr()
    from docx.oxml import OxmlElement

    header.append(OxmlElement("w:tblHeader"))  # the header repeats on each page


def _summary_table(document, header: list[str], rows: list[list[str]]) -> None:
    grid = document.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = "Table Grid"
    for c, text in enumerate(header):
        _shade_and_bold(grid.rows[0].cells[c], text)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(1 + r, c).text = text


def _paragraphs(document, items) -> None:
    for kind, text in items:
        if kind == "h1":
            document.add_heading(text, level=1)
        elif kind == "h2":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)


def render_docx(paper: Paper) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(9)
    section = document.sections[0]
    if paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.8)
    _paragraphs(document, paper.before)
    for table in paper.tables:
        if isinstance(table, tuple) and table[0] == "prose":
            _paragraphs(document, table[1])
            continue
        if isinstance(table, tuple):
            _summary_table(document, table[1], table[2])
            continue
        for line in table.heading:
            document.add_heading(line, level=2)
        _word_table(document, table, paper.landscape)
        document.add_paragraph("")
    _paragraphs(document, paper.after)
    path = OUT / f"{paper.name}.docx"
    document.core_properties.author = paper.council
    document.save(path)
    return path


def _html_paragraphs(items) -> list[str]:
    tags = {"h1": "h1", "h2": "h2"}
    return [f"<{tags.get(kind, 'p')}>{esc(text)}</{tags.get(kind, 'p')}>" for kind, text in items]


def _html_content(content) -> str:
    if content is None:
        return ""
    if isinstance(content, Lines):
        return "<br>".join(esc(i) for i in content.items)
    return esc(str(content))


def _html_table(table: Table) -> list[str]:
    starts = {(first, c): count for c, runs in table.merged.items() for first, count in runs}
    covered = {(first + k, c) for (first, c), count in starts.items() for k in range(1, count)}
    out = [f"<h2>{esc(line)}</h2>" for line in table.heading]
    out.append('<table border="1" cellspacing="0" cellpadding="4">')
    out.append("<thead><tr>" + "".join(f"<th>{esc(c.header)}</th>" for c in table.cols) + "</tr></thead><tbody>")
    for r, rec in enumerate(table.recs):
        cells = []
        for c, column in enumerate(table.cols):
            if (r, c) in covered:
                continue
            span = f' rowspan="{starts[(r, c)]}"' if (r, c) in starts else ""
            cells.append(f'<td valign="top"{span}>{_html_content(column.get(rec))}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def render_paper_html(paper: Paper) -> str:
    """The paper as a web page of the committee's papers prints it: the same paragraphs, headings
    and tables, merged cells as rowspans."""
    body = _html_paragraphs(paper.before)
    for table in paper.tables:
        if isinstance(table, tuple) and table[0] == "prose":
            body += _html_paragraphs(table[1])
        elif isinstance(table, tuple):
            body.append(
                '<table border="1" cellspacing="0" cellpadding="4"><thead><tr>'
                + "".join(f"<th>{esc(h)}</th>" for h in table[1])
                + "</tr></thead><tbody>"
            )
            body += ["<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in table[2]]
            body.append("</tbody></table>")
        else:
            body += _html_table(table)
    body += _html_paragraphs(paper.after)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        + esc(paper.council)
        + "</title></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def docx_to_pdf(paths: list[Path]) -> None:
    soffice = wait_for_soffice()
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(OUT),
                *map(str, paths),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
        )


def write_expected(paper_or_doc) -> None:
    doc = paper_or_doc.doc() if isinstance(paper_or_doc, Paper) else paper_or_doc
    (OUT / f"{doc.name}.expected.json").write_text(json.dumps(expected(doc), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def col(header: str, get, width: int | None = None) -> Col:
    return Col(header, get, width)


def target_cell(r: Rec):
    return r.history[0].printed if r.history else None


def revised(r: Rec):
    return dates_cell(r.history[1:])


# --------------------------------------------------------------------------- 1. Loxbridge

LOXBRIDGE_BEFORE = [
    ("h1", "Loxbridge District Council"),
    ("h2", "Audit and Standards Committee – 18 March 2025"),
    ("h2", "Internal Audit: Follow-up of Agreed Recommendations"),
    ("p", "Position as at 28 February 2025"),
    ("h2", "1. Purpose of the report"),
    (
        "p",
        "1.1 This report informs the Committee of the progress made by managers in implementing the "
        "recommendations agreed in internal audit reports. It forms part of the Committee's assurance that "
        "the control weaknesses identified by internal audit are being addressed within the timescales agreed "
        "with management.",
    ),
    (
        "p",
        "1.2 The Committee is asked to note the progress reported and to consider whether any officer should "
        "be invited to the next meeting to explain the delay in implementing a recommendation.",
    ),
    ("h2", "2. Background"),
    (
        "p",
        "2.1 Every internal audit report includes an action plan of recommendations agreed with the service "
        "manager responsible, each with a priority and a target date. Internal audit asks the responsible "
        "officers for an update on each outstanding recommendation before every meeting of this Committee and "
        "tests a sample of those reported as implemented.",
    ),
    (
        "p",
        "2.2 Where a target date has been revised the original date is shown with the revised date beside it. "
        "Revised dates are agreed with the Audit Manager and reported here so that the Committee can see how "
        "far each action has slipped.",
    ),
    ("p", "2.3 The priority given to each recommendation follows the key below."),
    (
        "p",
        "Priority key: High – a fundamental weakness that exposes the Council to significant risk and needs "
        "urgent attention; Medium – a weakness in the control environment that should be addressed within six "
        "months; Low – an improvement to good practice or efficiency.",
    ),
    ("h2", "3. Summary of progress"),
    ("p", "3.1 The table below summarises the recommendations followed up in this period by priority."),
]

LOXBRIDGE_SUMMARY = (
    "summary",
    ["Priority", "Number of recommendations", "Implemented", "Outstanding"],
    [["High", "4", "1", "3"], ["Medium", "4", "1", "3"], ["Low", "2", "0", "2"], ["Total", "10", "2", "8"]],
)

LOXBRIDGE_BETWEEN = [
    ("p", "3.2 The detail of each recommendation followed up, with the responsible officer's update, is set out in Appendix A."),
    ("h2", "Appendix A – Recommendations followed up"),
]

LOXBRIDGE_AFTER = [
    ("h2", "4. Financial implications"),
    ("p", "4.1 There are no direct financial implications arising from this report."),
    ("h2", "Background papers"),
    ("p", "Internal audit reports and action plans held by the Audit Manager, Loxbridge House."),
    ("p", "Contact officer: Priya Ellison, Audit Manager, telephone 01632 960 412."),
    ("p", "Signed: Martin Achebe, Chief Internal Auditor, 3 March 2025"),
]


def loxbridge_records() -> list[Rec]:
    o, s = ordinal, slash
    return [
        Rec(
            ref="LX/23/01",
            audit="Council Tax 2023-24",
            risk="High",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            x={"service": "Service: Revenues and Benefits", "officer": "Revenues Manager"},
            rec="Discounts and exemptions should be reviewed on a risk basis at least every two years, starting "
            "with single person discounts.",
            history=[o("2024-06-30"), s("2024-12-31"), s("2025-06-30")],
            status="open",
            update="A data-matching exercise with the credit reference agency is under way; 1,420 accounts have "
            "been reviewed so far and the remainder will be completed by June.",
        ),
        Rec(
            ref="LX/23/02",
            audit="Council Tax 2023-24",
            risk="Medium",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            x={"service": "Service: Revenues and Benefits", "officer": "Revenues Manager"},
            rec="Refunds over £1,000 should be authorised by a second officer before payment.",
            history=[o("2024-03-31")],
            status="implemented",
            update="Implemented: the workflow now routes every refund over £1,000 to the team leader for approval.",
        ),
        Rec(
            ref="LX/23/03",
            audit="Council Tax 2023-24",
            risk="Low",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            x={"service": "Service: Revenues and Benefits", "officer": "Revenues Manager"},
            rec="Procedure notes for the recovery team should be brought up to date and held in one place.",
            history=[o("2024-09-30"), s("2025-03-31")],
            status="open",
            update="The notes have been drafted and are with the Revenues Manager for sign-off.",
        ),
        Rec(
            ref="LX/23/07",
            audit="Treasury Management 2023-24",
            risk="High",
            directorate="Finance",
            responsible="Head of Finance",
            x={"service": "Service: Finance", "officer": "Lead – Head of Finance"},
            rec="Counterparty limits should be checked in the treasury system before each deal is placed and the check evidenced.",
            history=[o("2024-04-30")],
            status="implemented",
            update="Complete – the system now blocks deals that would breach a limit and logs the check.",
        ),
        Rec(
            ref="LX/23/08",
            audit="Treasury Management 2023-24",
            risk="Medium",
            directorate="Finance",
            responsible="Head of Finance",
            x={"service": "Service: Finance", "officer": "Lead – Head of Finance"},
            rec="The treasury management practices should be reviewed and approved annually by the section 151 officer.",
            history=[o("2024-12-31"), s("2025-04-30")],
            status="open",
            update="The review has been delayed by the closure of the 2023/24 accounts and will be completed in April.",
        ),
        Rec(
            ref="LX/22/14",
            audit="Procurement Cards 2022-23",
            risk="Medium",
            directorate="Corporate Services",
            responsible="Procurement Manager",
            x={"service": "Service: Corporate Services", "officer": "Officer: Procurement Manager"},
            rec="Cardholders who have not used their card for six months should have the card cancelled.",
            history=[o("2023-09-30"), s("2024-03-31"), s("2024-09-30"), s("2025-03-31")],
            status="open",
            update="Awaiting a report from the card provider listing dormant cards; 23 cards were cancelled in January.",
        ),
        Rec(
            ref="LX/23/11",
            audit="Housing Repairs 2023-24",
            risk="High",
            directorate="Housing",
            responsible="Repairs Manager",
            x={"service": "Service: Housing", "officer": "Repairs Manager"},
            rec="Post-inspections should be carried out on a sample of at least 10% of completed repairs each "
            "month and the results reported to the Head of Housing.",
            history=[o("2024-07-31"), s("2024-10-31"), TBC],
            status="open",
            update="Recruitment of a second surveyor has failed twice; a revised date will be set when the post is filled.",
        ),
        Rec(
            ref="LX/23/12",
            audit="Housing Repairs 2023-24",
            risk="Medium",
            directorate="Housing",
            responsible="Repairs Manager",
            x={"service": "Service: Housing", "officer": "Repairs Manager"},
            rec="Variations to repair orders over £500 should be approved by a surveyor before the work is done.",
            history=[o("2024-07-31")],
            status="open",
            update="No update received.",
        ),
        Rec(
            ref="LX/23/13",
            audit="Housing Repairs 2023-24",
            risk="Low",
            directorate="Housing",
            responsible="Repairs Manager",
            x={"service": "Service: Housing", "officer": "Repairs Manager"},
            rec="Van stock should be counted quarterly and differences investigated.",
            history=[o("2024-12-31")],
            status="open",
            update="The first quarterly count took place in December; differences are being investigated.",
        ),
        Rec(
            ref="LX/24/02",
            audit="Data Protection 2023-24",
            risk="High",
            directorate="Legal and Democratic Services",
            responsible="Data Protection Officer",
            x={"service": "Service: Legal and Democratic Services", "officer": "Lead – Data Protection Officer"},
            rec="Every service should complete and keep up to date its record of processing activities.",
            history=[o("2024-10-31"), s("2025-05-31")],
            status="open",
            update="Eleven of fourteen services have completed their records; the remaining three have been "
            "chased by the Monitoring Officer.",
        ),
    ]


def paper_loxbridge() -> Paper:
    recs = loxbridge_records()
    for r in recs:
        if r.update == "No update received.":
            r.no_update = True
    cols = [
        col("Ref", lambda r: r.ref, 7),
        col("Audit", lambda r: r.audit, 10),
        col("Recommendation", lambda r: r.rec, 19),
        col("Priority", lambda r: r.risk, 7),
        col("Service", lambda r: r.x["service"], 10),
        col("Responsible Officer", lambda r: r.x["officer"], 10),
        col("Target Date", target_cell, 8),
        col("Revised Target Date", revised, 8),
        col("Progress Update", lambda r: r.update, 21),
    ]
    detail = Table(heading=[], cols=cols, recs=recs, merged={1: [(0, 3), (3, 2), (6, 3)]})
    summary = LOXBRIDGE_SUMMARY
    return Paper(
        "loxbridge_committee_report",
        "Loxbridge District Council",
        "2025-02-28",
        {"High": "high", "Medium": "medium", "Low": "low"},
        before=LOXBRIDGE_BEFORE,
        tables=[summary, ("prose", LOXBRIDGE_BETWEEN), detail],
        after=LOXBRIDGE_AFTER,
    )


# --------------------------------------------------------------------------- 2. Marrowby

MARROWBY_BEFORE = [
    ("h1", "Marrowby Borough Council"),
    ("h2", "Governance and Audit Committee"),
    ("h2", "Appendix 2: Outstanding Internal Audit Recommendations – position at 31 January 2025"),
    (
        "p",
        "Recommendations are listed under the audit that raised them, with the assurance opinion given in that "
        "audit's report. Priority key: Major – a significant weakness needing immediate action; Moderate – a "
        "weakness that should be addressed promptly; Minor – an improvement to existing controls.",
    ),
]


def marrowby_tables() -> list[Table]:
    o, a, ld = ordinal, abbr, longd
    payroll = [
        Rec(
            ref="PAY/01",
            audit="Payroll 2023-24",
            risk="Major",
            responsible="Payroll Manager",
            rec="Starters should not be paid until a signed contract and right to work check are held on file.",
            history=[o("2024-05-31"), o("2024-11-30")],
            status="open",
            update="A check has been added to the starter workflow; the contract module goes live in March.",
        ),
        Rec(
            ref="PAY/02",
            audit="Payroll 2023-24",
            risk="Moderate",
            responsible="Payroll Manager",
            rec="Overtime claims should be authorised by the budget holder before they are paid.",
            history=[o("2024-06-30")],
            status="open",
            update="Both actions depend on the self-service module, which has been delayed by the supplier until "
            "April 2025. Paper authorisation continues meanwhile.",
        ),
        Rec(
            ref="PAY/03",
            audit="Payroll 2023-24",
            risk="Minor",
            responsible="Payroll Manager",
            rec="Exception reports of pay changes over 10% should be reviewed each month and the review signed.",
            history=[o("2024-06-30")],
            status="open",
            update="Both actions depend on the self-service module, which has been delayed by the supplier until "
            "April 2025. Paper authorisation continues meanwhile.",
        ),
    ]
    for r in payroll:
        r.x["officer"] = "Officer: Payroll Manager"
    creditors = [
        Rec(
            ref="CR/04",
            audit="Creditors and Purchase Ledger 2023/24",
            risk="Moderate",
            responsible="Exchequer Manager",
            rec="Changes to supplier bank details should be verified by a call-back to a number already held.",
            history=[a("2024-03-31")],
            status="implemented",
            update="Implemented – call-back procedure in place since March and tested by audit.",
        ),
        Rec(
            ref="CR/05",
            audit="Creditors and Purchase Ledger 2023/24",
            risk="Major",
            responsible="Exchequer Manager",
            rec="Duplicate payment checks should be run before every payment run and the results reviewed.",
            history=[a("2024-04-30"), a("2024-09-30"), a("2025-03-31")],
            status="open",
            update="The duplicate-checking software has been bought and is being configured.",
        ),
        Rec(
            ref="CR/06",
            audit="Creditors and Purchase Ledger 2023/24",
            risk="Minor",
            responsible="Head of Procurement",
            rec="Purchase orders should be raised before the goods are ordered, not after the invoice arrives.",
            history=[a("2024-06-30"), a("2025-06-30")],
            status="open",
            update="Retrospective orders fell from 31% to 18% of invoices; training for budget holders continues.",
        ),
    ]
    for r in creditors:
        r.x["officer"] = r.responsible
    cyber = [
        Rec(
            ref="CY/01",
            audit="Cyber Security 2024-25",
            risk="Major",
            rec="Multi-factor authentication should be enforced for every remote access account.",
            history=[ld("2025-01-31")],
            status="open",
        ),
        Rec(
            ref="CY/02",
            audit="Cyber Security 2024-25",
            risk="Major",
            rec="Accounts of leavers should be disabled on their last working day.",
            history=[ld("2025-02-28")],
            status="open",
        ),
        Rec(
            ref="CY/03",
            audit="Cyber Security 2024-25",
            risk="Moderate",
            rec="An incident response plan should be written and tested at least once a year.",
            history=[ld("2025-06-30")],
            status="open",
        ),
    ]
    continuity = [
        Rec(
            audit="Business Continuity Planning 2022-23",
            risk="Moderate",
            responsible="Emergency Planning Officer",
            rec="Each service's business continuity plan should be reviewed annually and after any incident.",
            history=[o("2023-12-31"), o("2024-12-31")],
            status="open",
            update="Plans for nine of twelve services were reviewed in 2024; the rest are scheduled for March.",
        ),
        Rec(
            audit="Business Continuity Planning 2022-23",
            risk="Minor",
            responsible="Emergency Planning Officer",
            rec="The contact list in the corporate plan should be checked every quarter.",
            history=[o("2023-09-30")],
            status="implemented",
            update="Complete: the list is now checked each quarter by the Emergency Planning Officer.",
        ),
    ]
    for r in continuity:
        r.x["officer"] = f"Lead – {r.responsible}"
    return [
        Table(
            ["Payroll 2023-24 – Limited Assurance"],
            [
                col("Ref", lambda r: r.ref, 7),
                col("Recommendation", lambda r: r.rec, 28),
                col("Priority", lambda r: r.risk, 8),
                col("Responsible Officer", lambda r: r.x["officer"], 12),
                col("Target Date", target_cell, 9),
                col("Revised Target Date", revised, 9),
                col("Update", lambda r: r.update, 27),
            ],
            payroll,
            merged={3: [(0, 3)], 6: [(1, 2)]},
        ),
        Table(
            ["Creditors and Purchase Ledger 2023/24 (Reasonable Assurance)"],
            [
                col("Rec No.", lambda r: r.ref, 7),
                col("Priority", lambda r: r.risk, 8),
                col("Agreed Action", lambda r: r.rec, 28),
                col("Due Date", target_cell, 9),
                col("Revised Due Date", revised, 9),
                col("Progress", lambda r: r.update, 27),
                col("Officer", lambda r: r.x["officer"], 12),
            ],
            creditors,
        ),
        Table(
            ["Cyber Security 2024-25: No Assurance"],
            [
                col("Ref", lambda r: r.ref, 8),
                col("Recommendation", lambda r: r.rec, 62),
                col("Target Date", target_cell, 15),
                col("Priority", lambda r: r.risk, 15),
            ],
            cyber,
        ),
        Table(
            ["Business Continuity Planning 2022-23"],
            [
                col("Recommendation", lambda r: r.rec, 30),
                col("Priority", lambda r: r.risk, 8),
                col("Responsible Officer", lambda r: r.x["officer"], 14),
                col("Target Date", target_cell, 10),
                col("Revised Target Date", revised, 10),
                col("Latest Update", lambda r: r.update, 28),
            ],
            continuity,
        ),
    ]


MARROWBY_AFTER = [
    ("p", "Report author: Internal Audit Manager, Marrowby Borough Council."),
]


def paper_marrowby() -> Paper:
    return Paper(
        "marrowby_audit_headings",
        "Marrowby Borough Council",
        "2025-01-31",
        {"Major": "high", "Moderate": "medium", "Minor": "low"},
        before=MARROWBY_BEFORE,
        tables=marrowby_tables(),
        after=MARROWBY_AFTER,
        section_of=lambda t: t.heading[0],
    )


# --------------------------------------------------------------------------- 3. Calderholt

CALDERHOLT_ROWS = [
    # ref, audit, priority, officer, recommendation, history (ISO; None = TBC), status, update
    (
        "CH01",
        "Accounts Payable 2023-24",
        "High",
        "Exchequer Manager",
        "Supplier bank detail changes should be confirmed with the supplier using contact details already held.",
        ["2024-03-31", "2024-09-30"],
        "open",
        "Call-back checks are in place for new suppliers; existing suppliers are being validated in batches.",
    ),
    (
        "CH02",
        "Accounts Payable 2023-24",
        "Medium",
        "Exchequer Manager",
        "Invoices should be matched to a goods received note before payment is released.",
        ["2024-06-30"],
        "implemented",
        "Implemented: three-way matching switched on in the finance system.",
    ),
    (
        "CH03",
        "Payroll 2023-24",
        "High",
        "HR and Payroll Manager",
        "Leavers should be removed from the payroll in the month they leave, on notice from the line manager.",
        ["2024-04-30", "2024-10-31", "2025-04-30"],
        "open",
        "Two overpayments to leavers were found in the period; a monthly reminder to managers has been issued.",
    ),
    (
        "CH04",
        "Payroll 2023-24",
        "Low",
        "HR and Payroll Manager",
        "Payroll procedure notes should be reviewed and updated.",
        ["2024-06-30"],
        "open",
        "No update provided.",
    ),
    (
        "CH05",
        "Cyber Security 2023-24",
        "High",
        "Head of Digital Services",
        "Administrator accounts should be reviewed quarterly and unused accounts removed.",
        ["2024-05-31", None],
        "open",
        "The review tool is being procured; a revised date will be agreed once the contract is let.",
    ),
    (
        "CH06",
        "Cyber Security 2023-24",
        "Medium",
        "Head of Digital Services",
        "Security patches should be applied to servers within fourteen days of release.",
        ["2024-09-30"],
        "open",
        "Compliance in January was 82% against the fourteen-day standard, up from 64% in October.",
    ),
    (
        "CH07",
        "Council Tax 2023-24",
        "Medium",
        "Revenues Manager",
        "Single person discounts should be reviewed every two years using data matching.",
        ["2024-12-31", "2025-06-30"],
        "open",
        "Data-matching exercise began in January.",
    ),
    (
        "CH08",
        "Council Tax 2023-24",
        "Low",
        "Revenues Manager",
        "Write-offs should be approved in line with the financial regulations' limits.",
        ["2024-03-31"],
        "implemented",
        "Complete – write-offs now approved on the delegation matrix.",
    ),
    (
        "CH09",
        "Fleet Management 2022-23",
        "Medium",
        "Fleet Manager",
        "Fuel card transactions should be reconciled to vehicle mileage each month.",
        ["2023-09-30", "2024-03-31", "2024-12-31"],
        "open",
        "The telematics system now records mileage; reconciliations start once drivers are trained.",
    ),
    (
        "CH10",
        "Fleet Management 2022-23",
        "Low",
        "Fleet Manager",
        "Vehicle defect reports should be kept for fifteen months.",
        ["2023-12-31"],
        "closed",
        "Superseded – replaced by the new fleet compliance policy adopted in 2024.",
    ),
    (
        "CH11",
        "Grants to Voluntary Bodies 2023-24",
        "High",
        "Communities Manager",
        "Grant agreements should be signed before any payment is made to the organisation.",
        ["2024-07-31"],
        "open",
        "All 2024/25 grants have signed agreements; the older agreements are being re-signed.",
    ),
    (
        "CH12",
        "Grants to Voluntary Bodies 2023-24",
        "Medium",
        "Communities Manager",
        "Monitoring returns should be obtained and reviewed for every grant over £5,000.",
        ["2024-09-30", "2025-03-31"],
        "open",
        "Returns have been received for 14 of 19 grants.",
    ),
    (
        "CH13",
        "Building Control 2023-24",
        "Medium",
        "Building Control Manager",
        "Fee income should be reconciled monthly between the case system and the ledger.",
        ["2024-08-31"],
        "implemented",
        "Implemented: monthly reconciliation signed by the manager since August.",
    ),
    (
        "CH14",
        "Building Control 2023-24",
        "Low",
        "Building Control Manager",
        "Site inspection records should be completed on the mobile system on the day of the visit.",
        ["2024-10-31", "2025-01-31"],
        "open",
        "Mobile devices have been issued; records are checked weekly.",
    ),
    (
        "CH15",
        "Contract Management 2023-24",
        "High",
        "Head of Procurement",
        "Every contract over £100,000 should have a named contract manager and a contract management plan.",
        ["2024-06-30", "2024-12-31", "2025-06-30"],
        "open",
        "Contract managers named for 41 of 47 contracts; plans completed for 30.",
    ),
    (
        "CH16",
        "Contract Management 2023-24",
        "Medium",
        "Head of Procurement",
        "The contracts register should be published quarterly as the transparency code requires.",
        ["2024-03-31"],
        "open",
        "Awaiting update from service.",
    ),
    (
        "CH17",
        "Housing Rents 2023-24",
        "Medium",
        "Income Manager",
        "Former tenant arrears should be pursued or written off within twelve months of the tenancy ending.",
        ["2024-09-30", None],
        "open",
        "A recovery agent is being appointed; the target will be reset when the contract is in place.",
    ),
    (
        "CH18",
        "Housing Rents 2023-24",
        "Low",
        "Income Manager",
        "Rent accounts in credit should be reviewed and refunds made where due.",
        ["2024-12-31"],
        "open",
        "A review of 380 credit accounts is 60% complete.",
    ),
    (
        "CH19",
        "Treasury Management 2023-24",
        "Medium",
        "Chief Accountant",
        "Counterparty limits should be reviewed after each credit rating change.",
        ["2024-04-30"],
        "implemented",
        "Complete – alerts from the treasury advisers now trigger a limit review.",
    ),
    (
        "CH20",
        "Treasury Management 2023-24",
        "Low",
        "Chief Accountant",
        "Treasury deal tickets should be signed by the authorising officer.",
        ["2024-06-30", "2024-09-30"],
        "open",
        "Electronic approval is being added to the deal ticket form.",
    ),
]


# What the paper prints after the table: not records, and not the last record's rest.
CALDERHOLT_AFTER = [
    ("h2", "Background papers"),
    ("p", "Internal audit reports and the action plans agreed with management, held by the Head of Internal Audit."),
    ("p", "Report author: Sam Okoro, Head of Internal Audit, telephone 01632 960 218."),
    ("p", "Signed: Chief Executive, 3 February 2025"),
]


def calderholt_doc() -> Doc:
    recs = []
    for ref, audit, priority, officer, text, history, status, update in CALDERHOLT_ROWS:
        dates = [abbr(iso) if iso else TBC for iso in history]
        recs.append(
            Rec(
                ref=ref,
                audit=audit,
                risk=priority,
                responsible=officer,
                rec=text,
                history=dates,
                status=status,
                update=update,
                no_update=update in ("No update provided.", "Awaiting update from service."),
            )
        )
    cols = [
        col("Ref", lambda r: r.ref, 5),
        col("Audit", lambda r: r.audit, 12),
        col("Priority", lambda r: r.risk, 6),
        col("Recommendation", lambda r: r.rec, 25),
        col("Responsible Officer", lambda r: r.responsible, 11),
        col("Original Date", target_cell, 8),
        col("Revised Date", revised, 8),
        col("Latest Update", lambda r: r.update, 25),
    ]
    return Doc(
        name="calderholt_ruled_across",
        council="Calderholt Metropolitan Borough Council",
        imitates="",
        as_at="2025-01-31",
        as_at_printed=True,
        risk_scale={"High": "high", "Medium": "medium", "Low": "low"},
        preamble=[
            ("h1", "Calderholt Metropolitan Borough Council"),
            ("h2", "Audit Committee – Internal Audit Recommendations Tracker"),
            ("p", "Outstanding and recently implemented recommendations as at 31 January 2025"),
        ],
        cols=cols,
        sections=[(None, recs)],
        orientation="landscape",
        rules="hrules",
        formats=("html", "txt"),
        postscript=CALDERHOLT_AFTER,
    )


def ruled_across_pdf(doc: Doc) -> Path:
    """The tracker as Excel or a light Word table style prints it: a line above and below the header
    and under every row, no vertical rules, no shading; the header repeats and rows break across pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = cell.clone("head", fontName="Helvetica-Bold")

    def para(content) -> Paragraph:
        text = "<br/>".join(content.items) if isinstance(content, Lines) else (plain(content) if content else "")
        return Paragraph(text.replace("&", "&amp;").replace("£", "&#163;"), cell)

    recs = [r for _, rs in doc.sections for r in rs]
    data = [[Paragraph(c.header, head) for c in doc.cols]] + [[para(c.get(r)) for c in doc.cols] for r in recs]
    page_width = landscape(A4)[0] - 60
    widths = [page_width * c.width / 100 for c in doc.cols]
    widths = [w * page_width / sum(widths) for w in widths]
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
        ]
    )
    story = [Paragraph(text, styles["Heading2"] if kind != "p" else styles["BodyText"]) for kind, text in doc.preamble]
    story.append(LongTable(data, colWidths=widths, repeatRows=1, splitInRow=1, style=style))
    story += [Paragraph(text, styles["Heading2"] if kind != "p" else styles["BodyText"]) for kind, text in doc.postscript]

    def footer(canvas, template):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(template.pagesize[0] - 30, 20, f"Page {template.page}")
        canvas.restoreState()

    path = OUT / f"{doc.name}.pdf"
    template = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=30,
        rightMargin=30,
        topMargin=40,
        bottomMargin=40,
        title=doc.council,
        author=doc.council,
        creator="make_published",
        invariant=1,
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


# --------------------------------------------------------------------------- 4. Quarrybank


def paper_quarrybank() -> Paper:
    """Marrowby's tables under their audit headings, in a Word table style ruled only across
    (borders top, bottom and between rows; none down the sides or between columns; no shading),
    as many councils' templates print: the PDF has no vertical rule, the rules between rows break
    off where a cell is merged down, and several tables share a page."""
    paper = paper_marrowby()
    paper.name, paper.council = "quarrybank_tables_across", "Quarrybank Borough Council"
    paper.before = [(kind, text.replace("Marrowby", "Quarrybank")) for kind, text in paper.before]
    paper.after = [(kind, text.replace("Marrowby", "Quarrybank")) for kind, text in paper.after]
    paper.rules_across = True
    return paper


def rule_only_across(path: Path) -> None:
    """Every table of a Word file ruled only across, its header unshaded."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(str(path))
    for table in document.tables:
        table.style = None
        borders = OxmlElement("w:tblBorders")
        for side, value in (
            ("top", "single"),
            ("left", "nil"),
            ("bottom", "single"),
            ("right", "nil"),
            ("insideH", "single"),
            ("insideV", "nil"),
        ):
            border = OxmlElement(f"w:{side}")
            border.set(qn("w:val"), value)
            if value == "single":
                border.set(qn("w:sz"), "4")
                border.set(qn("w:color"), "000000")
            borders.append(border)
        table._tbl.tblPr.append(borders)
        for tc in table._tbl.iter(qn("w:tc")):
            props = tc.get_or_add_tcPr()
            for shading in props.findall(qn("w:shd")):
                props.remove(shading)
    document.save(str(path))


# --------------------------------------------------------------------------- 5. Dunmere


def dunmere_doc() -> Doc:
    """The Calderholt-style tracker printed the way a plain HTML or Word export does: rules only
    across and no padding, so neighbouring columns' words touch ("onBuilding") and two header cells
    stand a space apart ("Revised Date Latest Update"); other columns, in another order, slash dates."""
    recs = []
    for ref, audit, priority, officer, text, history, status, update in CALDERHOLT_ROWS:
        dates = [slash(iso) if iso else TBC for iso in history]
        recs.append(
            Rec(
                ref=ref.replace("CH", "DM-"),
                audit=audit,
                risk=priority,
                responsible=officer,
                rec=text,
                history=dates,
                status=status,
                update=update,
                no_update=update in ("No update provided.", "Awaiting update from service."),
            )
        )
    cols = [
        col("Audit", lambda r: r.audit, 12),
        col("Ref", lambda r: r.ref, 6),
        col("Recommendation", lambda r: r.rec, 26),
        col("Priority", lambda r: r.risk, 6),
        col("Responsible Officer", lambda r: r.responsible, 11),
        col("Original Date", target_cell, 8),
        col("Revised Date", revised, 8),
        col("Latest Update", lambda r: r.update, 23),
    ]
    return Doc(
        name="dunmere_flush_columns",
        council="Dunmere District Council",
        imitates="",
        as_at="2025-03-31",
        as_at_printed=True,
        risk_scale={"High": "high", "Medium": "medium", "Low": "low"},
        preamble=[
            ("h1", "Dunmere District Council"),
            ("h2", "Audit and Risk Committee"),
            ("p", "Internal audit recommendations: position as at 31 March 2025"),
        ],
        cols=cols,
        sections=[(None, recs)],
        orientation="landscape",
        rules="hrules",
        formats=("html",),
        postscript=[
            ("p", "Contact: Internal Audit, Dunmere District Council, Council Offices, Dunmere."),
            ("p", "Approved for publication by the Audit and Risk Committee chair, 14 April 2025."),
        ],
    )


def flush_html(doc: Doc) -> str:
    """The HTML with rules across only and no paragraph margins in the cells: LibreOffice then
    drops the cells' side padding and the columns' words touch."""
    import make_zoo

    padded = make_zoo.html_cell
    make_zoo.html_cell = lambda content, pad=False: padded(content, pad=False)
    try:
        return render_html(doc)
    finally:
        make_zoo.html_cell = padded


def html_to_pdf(paths: list[Path]) -> None:
    soffice = wait_for_soffice()
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(OUT),
                *map(str, paths),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
        )


# --------------------------------------------------------------------------- build


def main(argv: list[str]) -> int:
    papers = [paper_loxbridge(), paper_marrowby(), paper_quarrybank()]
    written = [render_docx(p) for p in papers]
    for p, path in zip(papers, written):
        write_expected(p)
        if p.rules_across:
            rule_only_across(path)
        (OUT / f"{p.name}.html").write_text(render_paper_html(p), encoding="utf-8")
    calder = calderholt_doc()
    (OUT / f"{calder.name}.html").write_text(render_html(calder), encoding="utf-8")
    (OUT / f"{calder.name}.txt").write_text(render_txt(calder), encoding="utf-8")
    write_expected(calder)
    ruled_across_pdf(calder)
    dunmere = dunmere_doc()
    (OUT / f"{dunmere.name}.html").write_text(flush_html(dunmere), encoding="utf-8")
    write_expected(dunmere)
    if "--no-pdf" not in argv:
        docx_to_pdf(written)
        html_to_pdf([OUT / f"{dunmere.name}.html"])
    for p in [*papers, calder, dunmere]:
        doc = p.doc() if isinstance(p, Paper) else p
        print(f"{doc.name}: {sum(len(r) for _, r in doc.sections)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
