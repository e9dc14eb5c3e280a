"""Spreadsheet and export members of the layout zoo: Excel trackers as audit teams keep them and
audit-management-system exports in long format (one row per target-date change), as .xlsx and .csv.

`python make_sheets.py` writes each document and its hand-checked `<name>.expected.json` (the
format of make_zoo.py, whose Rec, Doc and expected() it uses). The councils, officers and figures
are invented. Every date a cell holds is written from the ISO value the ground truth gives it: a
real date cell carries that date (with the tracker's own number format), a date typed as text is
printed from it, so the cells and the JSON cannot drift apart.

Formula cells keep the value Excel would have cached (openpyxl writes none), because a reader
opening a saved tracker sees the cached values, not the formulas. Each run writes the same bytes
(a fixed save time)."""

from __future__ import annotations

import csv
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_zoo import OUT, Doc, Dt, Rec, expected
from openpyxl import Workbook
from openpyxl.styles import Font


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def uk(iso: str, form: str = "%d/%m/%Y") -> str:
    """A date typed as text in one of the forms trackers use."""
    return d(iso).strftime(form)


@dataclass
class Typed:
    """A cell's value as stored: a date cell with its number format, or text."""

    value: object
    number_format: str | None = None


def day(iso: str, fmt: str = "dd/mm/yyyy") -> Typed:
    return Typed(d(iso), fmt)


# --------------------------------------------------------------------------- workbooks


@dataclass
class Sheet:
    title: str
    title_rows: list[list[object]]  # rows above the header, each a list of cell values
    header: list[str]
    rows: list[list[object]]  # record rows, values in header order
    hidden: dict[str, object] = field(default_factory=dict)  # hidden helper column: header -> formula template
    totals: list[object] | None = None  # a totals row under the records
    merges_down: list[tuple[int, int, int]] = field(default_factory=list)  # (column index, first row, last row) of rows
    widths: dict[int, int] = field(default_factory=dict)


def _put(ws, row: int, column: int, value: object) -> None:
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Typed):
        cell.value = value.value
        if value.number_format:
            cell.number_format = value.number_format
    else:
        cell.value = value


def write_sheet(wb: Workbook, sheet: Sheet, cached: dict[str, dict[str, object]]) -> None:
    ws = wb.create_sheet(sheet.title)
    r = 1
    for values in sheet.title_rows:
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
        if r == 1 and values:
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        r += 1
    r += 1  # a blank row before the header
    header_row = r
    headers = sheet.header + list(sheet.hidden)
    for c, text in enumerate(headers, start=1):
        ws.cell(row=r, column=c, value=text).font = Font(bold=True)
    first = r + 1
    for i, values in enumerate(sheet.rows):
        for c, value in enumerate(values, start=1):
            _put(ws, first + i, c, value)
    last = first + len(sheet.rows) - 1
    own = cached.setdefault(sheet.title, {})
    for k, helper in enumerate(sheet.hidden.values()):
        column = len(sheet.header) + 1 + k
        letter = ws.cell(row=1, column=column).column_letter
        ws.column_dimensions[letter].hidden = True
        for i in range(len(sheet.rows)):
            formula, value = helper(first + i, sheet.rows[i])
            ws.cell(row=first + i, column=column, value=formula)
            own[f"{letter}{first + i}"] = value
    for column, top, bottom in sheet.merges_down:
        ws.merge_cells(start_row=first + top, start_column=column + 1, end_row=first + bottom, end_column=column + 1)
    if sheet.totals is not None:
        row = last + 1
        for c, value in enumerate(sheet.totals, start=1):
            if isinstance(value, str) and value.startswith("="):
                ws.cell(row=row, column=c, value=value.format(first=first, last=last))
                own[f"{ws.cell(row=row, column=c).column_letter}{row}"] = len(sheet.rows)
            else:
                _put(ws, row, c, value)
    last_letter = ws.cell(row=1, column=len(headers)).column_letter
    ws.auto_filter.ref = f"A{header_row}:{last_letter}{last}"
    ws.freeze_panes = f"A{first}"
    for c, width in sheet.widths.items():
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = width


SAVED = "2025-10-03T09:00:00Z"


def with_cached_values(path: Path, titles: list[str], cached: dict[str, dict[str, object]]) -> None:
    """Give each formula cell the value Excel caches when it saves the file."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for number, title in enumerate(titles, start=1):
        name = f"xl/worksheets/sheet{number}.xml"
        xml = parts[name].decode("utf-8")
        for ref, value in cached.get(title, {}).items():
            kind = ' t="str"' if isinstance(value, str) else ""
            xml = re.sub(
                rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                lambda m, r=ref, v=value, t=kind: f'<c r="{r}"{m.group(1)}{t}><f>{m.group(2)}</f><v>{v}</v></c>',
                xml,
            )
        parts[name] = xml.encode("utf-8")
    # A fixed save time, in the properties and the package, so each run writes the same bytes.
    parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", SAVED.encode(), parts["docProps/core.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 10, 3, 9, 0, 0)), data, zipfile.ZIP_DEFLATED)


def save_workbook(path: Path, sheets: list[Sheet | tuple[str, list[list[object]]]]) -> None:
    """Sheets in order: a Sheet is a tracker sheet; (title, rows) a sheet of lines (notes, key)."""
    wb = Workbook()
    wb.remove(wb.active)
    cached: dict[str, dict[str, object]] = {}
    titles = []
    for sheet in sheets:
        if isinstance(sheet, Sheet):
            write_sheet(wb, sheet, cached)
            titles.append(sheet.title)
        else:
            title, lines = sheet
            ws = wb.create_sheet(title)
            for r, values in enumerate(lines, start=1):
                for c, value in enumerate(values, start=1):
                    _put(ws, r, c, value)
            titles.append(title)
    wb.save(path)
    with_cached_values(path, titles, cached)


def write_expected(doc: Doc) -> None:
    (OUT / f"{doc.name}.expected.json").write_text(json.dumps(expected(doc), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def days_over(as_at: str, target_column: int):
    """A hidden helper column: days past the target, as a formula with the value Excel caches."""

    def helper(row: int, values: list[object]):
        target = values[target_column]
        when = target.value if isinstance(target, Typed) else None
        days = (d(as_at) - when).days if isinstance(when, date) else 0
        letter = chr(ord("A") + target_column)
        return f'=IF(ISNUMBER({letter}{row}),MAX(0,$B$3-{letter}{row}),"")', max(0, days)

    return helper


# --------------------------------------------------------------------------- Lydcombe


def doc_lydcombe() -> tuple[Doc, list]:
    """Lydcombe District Council: a tracker with one sheet per directorate, a Notes sheet first,
    a four-level priority key on a sheet of its own (the table uses only 1-3), title rows with the
    as-at date in a date cell beside its words, a hidden helper column of formulas, an autofilter,
    a totals row under each sheet, an audit and an update merged down two recommendations, date
    cells in several custom formats beside dates typed as text, and a sheet of completed items."""
    as_at = "2025-09-30"
    resources = [
        Rec(
            "Payroll 2024-25",
            "Reconcile the payroll system to the general ledger every month and review variances.",
            [Dt("", "2025-03-31"), Dt("", "2025-06-30"), Dt("", "2025-12-31")],
            "open",
            ref="CR-01",
            directorate="Corporate Resources",
            responsible="Head of HR and Payroll",
            risk="2",
            update="September 2025: New reconciliation template in use from August; both actions reviewed monthly.",
            period="2025-09",
            x={"agreed": day("2025-03-31"), "revised": "30/06/2025\n31/12/2025", "status": "In progress"},
        ),
        Rec(
            "Payroll 2024-25",
            "Retain signed starter forms for every new employee before first payment.",
            [Dt("", "2025-10-31")],
            "open",
            ref="CR-02",
            directorate="Corporate Resources",
            responsible="Payroll Manager",
            risk="3",
            update="September 2025: New reconciliation template in use from August; both actions reviewed monthly.",
            period="2025-09",
            x={"agreed": day("2025-10-31", "d mmmm yyyy"), "revised": None, "status": "Not yet due"},
        ),
        Rec(
            "Creditors 2024-25",
            "Verify supplier bank detail changes by call-back to a known contact before processing.",
            [Dt("", "2024-12-31"), Dt("", "2025-03-31")],
            "open",
            ref="CR-03",
            directorate="Corporate Resources",
            responsible="Exchequer Services Manager",
            risk="1",
            update="No update received from the service.",
            no_update=True,
            x={"agreed": uk("2024-12-31", "%d/%m/%y"), "revised": day("2025-03-31", "mmm-yy"), "status": "Overdue"},
        ),
        Rec(
            "ICT Asset Management 2023-24",
            "Complete a full physical verification of laptops against the asset register.",
            [Dt("", "2025-06-30"), Dt("TBC")],
            "open",
            ref="CR-04",
            directorate="Corporate Resources",
            responsible="ICT Service Manager",
            risk="2",
            update="August 2025: Asset register migration delayed by the supplier; revised date to follow.",
            period="2025-08",
            x={"agreed": day("2025-06-30", "d mmmm yyyy"), "revised": "TBC", "status": "Delayed"},
        ),
    ]
    place = [
        Rec(
            "Planning Enforcement 2024-25",
            "Maintain a single enforcement register with case priorities and review dates.",
            [Dt("", "2025-05-31"), Dt("", "2025-10-31")],
            "open",
            ref="CP-01",
            directorate="Communities & Place",
            responsible="Planning Enforcement Team Leader",
            risk="2",
            update="September 2025: Enforcement register now live; backlog review under way.",
            period="2025-09",
            x={"agreed": day("2025-05-31", "dd-mmm-yy"), "revised": day("2025-10-31", "dd-mmm-yy"), "status": "In progress"},
        ),
        Rec(
            "Waste Collection Contract 2024-25",
            "Check contractor invoices against collection data before payment.",
            [Dt("", "2025-12-31")],
            "open",
            ref="CP-02",
            directorate="Communities & Place",
            responsible="Waste Services Manager",
            risk="1",
            update="July 2025: Contract variation drafted.",
            period="2025-07",
            x={"agreed": day("2025-12-31"), "revised": None, "status": "Not yet due"},
        ),
        Rec(
            "Waste Collection Contract 2024-25",
            "Report missed-collection performance to the contract board quarterly.",
            [Dt("", "2025-08-31"), Dt("", "2025-11-30")],
            "open",
            ref="CP-03",
            directorate="Communities & Place",
            responsible="Waste Services Manager",
            risk="3",
            update="June 2025: First quarterly report drafted; board meeting moved to November.",
            period="2025-06",
            x={"agreed": "31 Aug 2025", "revised": "30/11/2025", "status": "Partially implemented"},
        ),
    ]
    completed = [
        Rec(
            "Treasury Management 2023-24",
            "Require dual authorisation for every payment released from the banking portal.",
            [Dt("", "2025-03-31")],
            "implemented",
            ref="CM-01",
            directorate="Corporate Resources",
            responsible="Chief Accountant",
            risk="2",
            update="Dual authorisation enforced in the banking portal; verified by Internal Audit in June 2025.",
            x={"agreed": day("2025-03-31"), "revised": None},
        ),
        Rec(
            "Licensing 2023-24",
            "Publish the fees for every licence type on the council's website.",
            [Dt("", "2025-06-30"), Dt("", "2025-07-31")],
            "closed",
            ref="CM-02",
            directorate="Communities & Place",
            responsible="Licensing Manager",
            risk="3",
            update="Superseded – replaced by the new licensing policy adopted in July 2025.",
            x={"agreed": day("2025-06-30", "dd-mmm-yy"), "revised": "31/07/2025"},
        ),
    ]
    header = ["Ref", "Audit", "Recommendation", "Priority", "Responsible Officer", "Agreed Date", "Revised Date", "Status", "Latest Update"]

    def row(r: Rec) -> list[object]:
        return [r.ref, r.audit, r.rec, int(r.risk), r.responsible, r.x["agreed"], r.x["revised"], r.x["status"], r.update]

    def titles(directorate: str) -> list[list[object]]:
        return [
            ["Lydcombe District Council"],
            [f"Internal Audit Recommendations Tracker – {directorate}"],
            ["Position as at", Typed(d(as_at), "d mmmm yyyy")],
        ]

    def tracker(title: str, recs: list[Rec], merges: list[tuple[int, int, int]]) -> Sheet:
        rows = [row(r) for r in recs]
        for column, top, bottom in merges:  # a merged cell keeps its value in its first cell only
            for i in range(top + 1, bottom + 1):
                rows[i][column] = None
        return Sheet(
            title,
            titles(title),
            header,
            rows,
            hidden={"Days Overdue": days_over(as_at, 5)},
            totals=["Total", None, "=COUNTA(C{first}:C{last})"],
            merges_down=merges,
            widths={2: 28, 3: 60, 9: 60},
        )

    sheets: list = [
        (
            "Notes",
            [
                ["How to use this tracker"],
                ["Responsible officers update the Status and Latest Update columns by the fifth working day of each quarter."],
                ["Move an action to the Completed Actions sheet once Internal Audit has verified it."],
                ["The Days Overdue column is calculated: do not edit it."],
            ],
        ),
        (
            "Priority Key",
            [
                ["Priority", "Rating", "Definition"],
                [1, "Critical", "Fundamental weakness exposing the council to serious loss: immediate action"],
                [2, "High", "Significant weakness: action within three months"],
                [3, "Medium", "Weakness in the control framework: action within six months"],
                [4, "Low", "Improvement to good practice: action within twelve months"],
            ],
        ),
        tracker("Corporate Resources", resources, [(1, 0, 1), (8, 0, 1)]),
        tracker("Communities & Place", place, [(1, 1, 2)]),
        Sheet(
            "Completed Actions",
            [["Lydcombe District Council"], ["Completed actions (verified)"]],
            [
                "Ref",
                "Directorate",
                "Audit",
                "Recommendation",
                "Priority",
                "Responsible Officer",
                "Agreed Date",
                "Revised Date",
                "Closure Comment",
            ],
            [
                [r.ref, r.directorate, r.audit, r.rec, int(r.risk), r.responsible, r.x["agreed"], r.x["revised"], r.update]
                for r in completed
            ],
            widths={3: 28, 4: 60, 9: 60},
        ),
    ]
    doc = Doc(
        name="lydcombe_directorate_workbook",
        council="Lydcombe District Council",
        imitates="district-council trackers kept in Excel, one sheet per directorate",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"1": "critical", "2": "high", "3": "medium"},
        preamble=[],
        cols=[],
        sections=[("Corporate Resources", resources), ("Communities & Place", place), ("Completed Actions", completed)],
    )
    return doc, sheets


# --------------------------------------------------------------------------- Hallam Fells


def doc_hallam_fells() -> tuple[Doc, list]:
    """Hallam Fells Borough Council: one sheet per service, the as-at date typed as text in a title
    row and a four-level key (P1 Urgent ... P4 Advisory, no level words) in the title rows above the
    header, which sits on row 12; Original and Current Target columns (a current target equal to
    the original restates it); dates as text ("30/06/25", "31 March 2026") and as date cells
    ("d mmmm yyyy", "mmm-yy": a month's end); a RAG column of progress; a hidden helper column
    flagging overdue rows; a totals row; a Closed sheet whose rows carry a Status or none; a
    Guidance sheet last."""
    as_at = "2025-08-31"
    revenues = [
        Rec(
            "Council Tax 2024-25",
            "Review all single person discounts annually through data matching.",
            [Dt("", "2025-03-31"), Dt("", "2025-09-30")],
            "open",
            ref="RB-01",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            risk="P1",
            finding="Single person discounts are not reviewed.",
            update="Aug 2025 – Review 60% complete; data-matching exercise delayed by the software supplier.",
            period="2025-08",
            rag="Red",
            x={"orig": day("2025-03-31", "d mmmm yyyy"), "current": "30/09/2025"},
        ),
        Rec(
            "Council Tax 2024-25",
            "Issue a procedure note on backdating reliefs.",
            [Dt("", "2025-06-30")],
            "implemented",
            ref="RB-02",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            risk="P2",
            finding="No written procedure for backdated reliefs.",
            update="Aug 2025 – Complete. Procedure note issued to all assessors.",
            period="2025-08",
            rag="Green",
            x={"orig": uk("2025-06-30", "%d/%m/%y"), "current": day("2025-06-30")},
        ),
        Rec(
            "Housing Benefit Overpayments 2023-24",
            "Refer recoverable overpayments for recovery within 28 days.",
            [Dt("", "2024-12-31"), Dt("", "2026-03-31")],
            "open",
            ref="RB-03",
            directorate="Revenues and Benefits",
            responsible="Benefits Manager",
            risk="P3",
            finding="Overpayments are referred late.",
            update="No update provided by the service at the deadline.",
            no_update=True,
            rag="Amber",
            x={"orig": day("2024-12-31", "dd/mm/yy"), "current": "31 March 2026"},
        ),
    ]
    leisure = [
        Rec(
            "Leisure Centre Income 2024-25",
            "Reconcile till takings to bank deposits daily at each centre.",
            [Dt("", "2025-05-31"), Dt("", "2025-11-30")],
            "open",
            ref="LS-01",
            directorate="Leisure Services",
            responsible="Leisure Operations Manager",
            risk="P2",
            finding="Till takings are not reconciled daily.",
            update="Aug 2025 – Till reconciliation tool procured; go-live planned for November.",
            period="2025-08",
            rag="Amber",
            x={"orig": day("2025-05-31", "d mmmm yyyy"), "current": day("2025-11-30", "mmm-yy")},
        ),
        Rec(
            "Leisure Centre Income 2024-25",
            "Restrict refund authority to duty managers.",
            [Dt("", "2025-07-31"), Dt("TBC")],
            "open",
            ref="LS-02",
            directorate="Leisure Services",
            responsible="Leisure Operations Manager",
            risk="P1",
            finding="Refunds are processed by any cashier.",
            update="Jul 2025 – Awaiting the new card payment contract; date to be confirmed.",
            period="2025-07",
            rag="Red",
            x={"orig": uk("2025-07-31", "%d %B %Y"), "current": "TBC"},
        ),
    ]
    closed = [
        Rec(
            "NNDR Reliefs 2023-24",
            "Reconcile relief awards to the NNDR1 return each year.",
            [Dt("", "2025-03-31"), Dt("", "2025-05-31")],
            "closed",
            ref="CL-01",
            directorate="Revenues and Benefits",
            responsible="Revenues Manager",
            risk="P2",
            update="May 2025 – Replaced by the new NNDR system controls.",
            period="2025-05",
            x={"orig": day("2025-03-31", "d mmmm yyyy"), "current": "31/05/2025", "status": "Closed – superseded"},
        ),
        Rec(
            "Leisure Centre Income 2024-25",
            "Introduce a documented cash-up procedure at each centre.",
            [Dt("", "2025-04-30")],
            "implemented",
            ref="CL-02",
            directorate="Leisure Services",
            responsible="Leisure Operations Manager",
            risk="P3",
            update="Jun 2025 – New cash-up procedure in place.",
            period="2025-06",
            x={"orig": day("2025-04-30", "d mmmm yyyy"), "current": day("2025-04-30", "d mmmm yyyy"), "status": "Implemented"},
        ),
        Rec(
            "Leisure Centre Income 2024-25",
            "Train all duty managers in the cash-up procedure.",
            [Dt("", "2025-06-30")],
            "closed",
            ref="CL-03",
            directorate="Leisure Services",
            responsible="Leisure Operations Manager",
            risk="P3",
            update="Jul 2025 – Training delivered to all staff.",
            period="2025-07",
            x={"orig": uk("2025-06-30", "%d/%m/%Y"), "current": None, "status": None},
        ),
    ]
    key = [
        ["Priority ratings"],
        ["P1 – Urgent: a fundamental weakness needing immediate attention"],
        ["P2 – Important: a significant weakness to address within three months"],
        ["P3 – Routine: a weakness to address within six months"],
        ["P4 – Advisory: good practice to consider"],
    ]
    header = [
        "Ref",
        "Audit Title",
        "Finding",
        "Agreed Action",
        "Priority",
        "Action Owner",
        "Original Target",
        "Current Target",
        "RAG",
        "Progress Update",
    ]

    def service(title: str, recs: list[Rec]) -> Sheet:
        rows = [[r.ref, r.audit, r.finding, r.rec, r.risk, r.responsible, r.x["orig"], r.x["current"], r.rag, r.update] for r in recs]
        titles = [
            ["Hallam Fells Borough Council"],
            ["Internal Audit: follow-up of agreed actions"],
            [title],
            [f"Status at {uk(as_at)}"],
            [],
            *key,
        ]
        return Sheet(
            title,
            titles,
            header,
            rows,
            hidden={"Overdue check": lambda row, values: (f'=IF(H{row}<DATE(2025,8,31),"Overdue","")', "Overdue")},
            totals=["Number of actions", None, None, "=COUNTA(D{first}:D{last})"],
            widths={3: 40, 4: 50, 10: 60},
        )

    sheets: list = [
        service("Revenues and Benefits", revenues),
        service("Leisure Services", leisure),
        Sheet(
            "Closed",
            [["Hallam Fells Borough Council"], ["Actions closed since the last report"]],
            [
                "Ref",
                "Service",
                "Audit Title",
                "Agreed Action",
                "Priority",
                "Action Owner",
                "Original Target",
                "Current Target",
                "Status",
                "Progress Update",
            ],
            [
                [r.ref, r.directorate, r.audit, r.rec, r.risk, r.responsible, r.x["orig"], r.x["current"], r.x["status"], r.update]
                for r in closed
            ],
            widths={4: 50, 10: 60},
        ),
        (
            "Guidance",
            [
                ["Guidance for action owners"],
                ["Give a dated progress update for every open action by the deadline."],
                ["RAG shows progress against the current target, not the priority."],
            ],
        ),
    ]
    doc = Doc(
        name="hallam_fells_service_workbook",
        council="Hallam Fells Borough Council",
        imitates="borough follow-up trackers, one sheet per service, key in the title rows",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"P1": "critical", "P2": "high", "P3": "medium"},
        preamble=[],
        cols=[],
        sections=[("Revenues and Benefits", revenues), ("Leisure Services", leisure), ("Closed", closed)],
    )
    return doc, sheets


# --------------------------------------------------------------------------- long exports


@dataclass
class Change:
    """One row of a long export: a target-date change (or, with no new date, the action's only row)."""

    revised: str | None
    changed: str | None
    reason: str = ""
    comment: str = ""


def long_rows(recs: list[Rec], changes: dict[str, list[Change]]) -> list[tuple[Rec, Change]]:
    return [(r, c) for r in recs for c in changes[r.ref]]


def doc_marlow_chase() -> tuple[Doc, list[list[str]]]:
    """Marlow Chase Council: a CSV export from an audit-management system, one row per target-date
    change, the run date on a line above the header ("Report run: 2025-10-03 08:14"), an Audit Year
    column beside the audit, rows grouped under directorate rows (a row holding only the name, in
    the second column, as the system writes a group), one action's changes newest first, ISO dates."""
    as_at = "2025-10-03"
    adults = [
        Rec(
            "Direct Payments",
            "",
            [Dt("", "2025-03-31"), Dt("", "2025-06-30"), Dt("", "2025-09-30")],
            "open",
            ref="A-101",
            directorate="Adults and Health",
            responsible="Head of Commissioning",
            risk="High",
            update="Reconciliations restarted in June; two months outstanding.",
            status_printed="In Progress",
        ),
        Rec(
            "Deprivation of Liberty Safeguards",
            "",
            [Dt("", "2025-11-30")],
            "open",
            ref="A-102",
            directorate="Adults and Health",
            responsible="DoLS Team Manager",
            risk="Medium",
            status_printed="Not Started",
        ),
        Rec(
            "Care Home Contracts",
            "",
            [Dt("", "2024-12-31"), Dt("", "2025-03-31"), Dt("", "2025-12-31")],
            "open",
            ref="A-103",
            directorate="Adults and Health",
            responsible="Contracts Manager",
            risk="Low",
            update="Retender timetable not yet agreed.",
            status_printed="Overdue",
        ),
    ]
    children = [
        Rec(
            "School Admissions",
            "",
            [Dt("", "2025-04-30"), Dt("", "2025-08-31")],
            "implemented",
            ref="C-201",
            directorate="Children's Services",
            responsible="Admissions Manager",
            risk="Medium",
            update="Upgrade completed in August; checks now automated.",
            status_printed="Implemented",
        ),
        Rec(
            "Foster Carer Payments",
            "",
            [Dt("", "2025-06-30")],
            "implemented",
            ref="C-202",
            directorate="Children's Services",
            responsible="Fostering Service Manager",
            risk="High",
            update="Payments now reconciled monthly.",
            status_printed="Implemented",
        ),
    ]
    environment = [
        Rec(
            "Fleet Management",
            "",
            [Dt("", "2024-09-30"), Dt("", "2025-01-31"), Dt("", "2025-05-31"), Dt("", "2025-10-31")],
            "open",
            ref="E-301",
            directorate="Environment and Regeneration",
            responsible="Fleet Manager",
            risk="High",
            update="Telematics installed in 80% of vehicles.",
            status_printed="In Progress",
        ),
        Rec(
            "Grounds Maintenance",
            "",
            [Dt("", "2025-12-31")],
            "open",
            ref="E-302",
            directorate="Environment and Regeneration",
            responsible="Parks Manager",
            risk="Low",
            update="On track.",
            status_printed="Open",
        ),
    ]
    years = {
        "A-101": "2024/25",
        "A-102": "2024/25",
        "A-103": "2023/24",
        "C-201": "2024/25",
        "C-202": "2024/25",
        "E-301": "2023/24",
        "E-302": "2024/25",
    }
    changes = {
        # newest first, as this system lists one action's changes
        "A-101": [
            Change("2025-09-30", "2025-06-25", "Staff vacancies", "Reconciliations restarted in June; two months outstanding."),
            Change("2025-06-30", "2025-03-20", "Awaiting new finance system module", "Finance module testing delayed."),
        ],
        "A-102": [Change(None, None)],
        "A-103": [
            Change("2025-03-31", "2024-12-15", "Provider consultation", "Consultation extended."),
            Change("2025-12-31", "2025-04-02", "Contract retender", "Retender timetable not yet agreed."),
        ],
        "C-201": [Change("2025-08-31", "2025-04-28", "Software upgrade", "Upgrade completed in August; checks now automated.")],
        "C-202": [Change(None, None, "", "Payments now reconciled monthly.")],
        "E-301": [
            Change("2025-01-31", "2024-09-20", "Vehicle supply", "Telematics contract signed."),
            Change("2025-05-31", "2025-01-25", "Installation delays", "Installation under way."),
            Change("2025-10-31", "2025-05-28", "Depot works", "Telematics installed in 80% of vehicles."),
        ],
        "E-302": [Change(None, None, "", "On track.")],
    }
    header = [
        "Action ID",
        "Audit",
        "Audit Year",
        "Priority",
        "Owner",
        "Original Due Date",
        "Revised Due Date",
        "Date of Change",
        "Reason for Change",
        "Status",
        "Comment",
    ]
    lines: list[list[str]] = [["Audit Action Tracking – Target Date Changes"], ["Report run: 2025-10-03 08:14"], [], header]
    for heading, recs in (("Adults and Health", adults), ("Children's Services", children), ("Environment and Regeneration", environment)):
        lines.append(["", heading] + [""] * (len(header) - 2))
        for r, c in long_rows(recs, changes):
            lines.append(
                [
                    r.ref,
                    r.audit,
                    years[r.ref],
                    r.risk,
                    r.responsible,
                    r.history[0].iso,
                    c.revised or "",
                    c.changed or "",
                    c.reason,
                    r.status_printed,
                    c.comment,
                ]
            )
    doc = Doc(
        name="marlow_chase_long_export",
        council="Marlow Chase Council",
        imitates="audit-management-system exports, one row per target-date change, grouped by directorate",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"High": "high", "Medium": "medium", "Low": "low"},
        preamble=[],
        cols=[],
        sections=[("Adults and Health", adults), ("Children's Services", children), ("Environment and Regeneration", environment)],
    )
    return doc, lines


def doc_brackenridge() -> tuple[Doc, list]:
    """Brackenridge City Council: an Excel export from another audit system, one row per target-date
    change, the whole export sorted by the date of the change (one action's rows apart), the
    extraction date and time in a date-time cell beside "Data extracted:", a Period column, a
    Recommendation column, a three-level Major/Moderate/Minor rating, real date cells (yyyy-mm-dd)."""
    as_at = "2025-10-02"
    recs = [
        Rec(
            "Cyber Security",
            "Enforce multi-factor authentication for all remote access.",
            [Dt("", "2025-03-31"), Dt("", "2025-06-30"), Dt("", "2025-11-30")],
            "open",
            ref="BR-0012",
            responsible="Head of Digital",
            risk="Major",
            update="MFA rolled out to 85% of accounts.",
            status_printed="Open",
            x={"period": "2024/25"},
        ),
        Rec(
            "Procurement Cards",
            "Review card limits annually and cancel unused cards.",
            [Dt("", "2025-05-31"), Dt("", "2025-08-31")],
            "implemented",
            ref="BR-0015",
            responsible="Procurement Lead",
            risk="Moderate",
            update="Annual review completed; 14 cards cancelled.",
            status_printed="Implemented",
            x={"period": "2024/25"},
        ),
        Rec(
            "Business Continuity",
            "Test the corporate business continuity plan each year.",
            [Dt("", "2025-09-30")],
            "open",
            ref="BR-0021",
            responsible="Emergency Planning Officer",
            risk="Major",
            update="Plan drafted; exercise booked for October.",
            status_printed="Open",
            x={"period": "2025/26"},
        ),
        Rec(
            "Council Housing Rents",
            "Escalate arrears over eight weeks to the tenancy team.",
            [Dt("", "2024-12-31"), Dt("", "2025-03-31"), Dt("", "2025-07-31")],
            "implemented",
            ref="BR-0023",
            responsible="Rents Manager",
            risk="Minor",
            update="Arrears escalation procedure adopted in July 2025.",
            status_printed="Implemented",
            x={"period": "2023/24"},
        ),
        Rec(
            "Building Control Fees",
            "Reconcile building control fee income to the ledger monthly.",
            [Dt("", "2025-10-31")],
            "open",
            ref="BR-0030",
            responsible="Building Control Manager",
            risk="Moderate",
            status_printed="Not started",
            x={"period": "2025/26"},
        ),
    ]
    changes = {
        "BR-0012": [
            Change("2025-06-30", "2025-03-28", "Supplier delay", "Pilot with IT staff complete."),
            Change("2025-11-30", "2025-06-27", "Licence procurement", "MFA rolled out to 85% of accounts."),
        ],
        "BR-0015": [Change("2025-08-31", "2025-05-30", "Card data late from bank", "Annual review completed; 14 cards cancelled.")],
        "BR-0021": [Change(None, None, "", "Plan drafted; exercise booked for October.")],
        "BR-0023": [
            Change("2025-03-31", "2024-12-19", "System change", "New arrears reports being built."),
            Change("2025-07-31", "2025-03-25", "Policy approval", "Arrears escalation procedure adopted in July 2025."),
        ],
        "BR-0030": [Change(None, None)],
    }
    header = [
        "Ref",
        "Engagement",
        "Period",
        "Recommendation",
        "Rating",
        "Action Owner",
        "Due Date (Original)",
        "New Due Date",
        "Changed On",
        "Change Reason",
        "Action Status",
        "Latest Comment",
    ]
    pairs = sorted(long_rows(recs, changes), key=lambda rc: rc[1].changed or "")
    iso = "yyyy-mm-dd"
    rows = [
        [
            r.ref,
            r.audit,
            r.x["period"],
            r.rec,
            r.risk,
            r.responsible,
            day(r.history[0].iso, iso),
            day(c.revised, iso) if c.revised else None,
            day(c.changed, iso) if c.changed else None,
            c.reason,
            r.status_printed,
            c.comment,
        ]
        for r, c in pairs
    ]
    sheets: list = [
        Sheet(
            "Export",
            [
                ["Brackenridge City Council"],
                ["Recommendation due date history"],
                ["Data extracted:", Typed(datetime(2025, 10, 2, 16, 40), "yyyy-mm-dd hh:mm")],
            ],
            header,
            rows,
            widths={4: 50, 12: 50},
        ),
    ]
    doc = Doc(
        name="brackenridge_long_export",
        council="Brackenridge City Council",
        imitates="audit-management-system exports to Excel, one row per due-date change",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"Major": "high", "Moderate": "medium", "Minor": "low"},
        preamble=[],
        cols=[],
        sections=[(None, recs)],
    )
    return doc, sheets


def doc_kestrel_bay() -> tuple[Doc, list]:
    """Kestrel Bay Council: one sheet of outstanding actions with a Directorate column merged down
    each directorate's rows, and a sheet of actions closed in the quarter; title rows with the as-at
    date beside "As at:" and the four-level key laid out in cells ("Priority 1 | Critical | ...")
    above the header on row 11 (the table uses Priority 1-3); due dates in a custom locale format,
    extended dates as text (several in one cell) and as date cells; a progress cell merged down two
    recommendations of different audits; a hidden lookup column; a totals row."""
    as_at = "2025-07-31"
    outstanding = [
        Rec(
            "Highways Maintenance 2024-25",
            "Inspect category 1 defects within 24 hours and record the result.",
            [Dt("", "2025-03-31"), Dt("", "2025-09-30")],
            "open",
            ref="K1",
            directorate="Place",
            responsible="Highways Manager",
            risk="Priority 1",
            update="Jul 2025: New inspection app live; compliance at 92%.",
            period="2025-07",
            x={"due": day("2025-03-31", "[$-en-GB]d-mmm-yyyy;@"), "ext": "30 Sep 2025"},
        ),
        Rec(
            "Highways Maintenance 2024-25",
            "Reconcile contractor claims to completed works orders.",
            [Dt("", "2025-06-30")],
            "open",
            ref="K2",
            directorate="Place",
            responsible="Highways Manager",
            risk="Priority 2",
            update="Jul 2025: Works order reconciliation now monthly for both contracts.",
            period="2025-07",
            x={"due": day("2025-06-30", "[$-en-GB]d-mmm-yyyy;@"), "ext": None},
        ),
        Rec(
            "Car Parking Income 2024-25",
            "Bank car park cash within two working days.",
            [Dt("", "2025-05-31"), Dt("", "2025-08-31")],
            "open",
            ref="K3",
            directorate="Place",
            responsible="Parking Manager",
            risk="Priority 3",
            update="Jul 2025: Works order reconciliation now monthly for both contracts.",
            period="2025-07",
            x={"due": day("2025-05-31", "[$-en-GB]d-mmm-yyyy;@"), "ext": day("2025-08-31")},
        ),
        Rec(
            "Procurement 2023-24",
            "Publish every contract over £5,000 on the contracts register.",
            [Dt("", "2024-12-31"), Dt("", "2025-03-31"), Dt("", "2025-06-30"), Dt("", "2025-10-31")],
            "open",
            ref="K4",
            directorate="Resources",
            responsible="Procurement Manager",
            risk="Priority 2",
            update="Jun 2025: Register 80% complete; data cleansing continuing.",
            period="2025-06",
            x={"due": day("2024-12-31", "[$-en-GB]d-mmm-yyyy;@"), "ext": "31/03/2025\n30/06/2025\n31/10/2025"},
        ),
        Rec(
            "Debt Recovery 2024-25",
            "Write off irrecoverable debts only with documented approval.",
            [Dt("", "2025-08-31")],
            "open",
            ref="K5",
            directorate="Resources",
            responsible="Income Manager",
            risk="Priority 1",
            update="No update received at the deadline.",
            no_update=True,
            x={"due": day("2025-08-31", "[$-en-GB]d-mmm-yyyy;@"), "ext": None},
        ),
    ]
    closed = [
        Rec(
            "Insurance 2023-24",
            "Reconcile the claims log to the insurer's statements monthly.",
            [Dt("", "2025-03-31")],
            "implemented",
            ref="K-C1",
            directorate="Resources",
            responsible="Insurance Officer",
            risk="Priority 3",
            update="May 2025: Claims log now reconciled monthly.",
            period="2025-05",
            x={"due": day("2025-03-31", "[$-en-GB]d-mmm-yyyy;@"), "ext": None, "status": "Implemented"},
        ),
        Rec(
            "Markets 2023-24",
            "Issue receipts for every market pitch fee taken in cash.",
            [Dt("", "2025-04-30"), Dt("", "2025-07-31")],
            "closed",
            ref="K-C2",
            directorate="Place",
            responsible="Markets Officer",
            risk="Priority 2",
            update="Market operation transferred to the town council.",
            x={"due": day("2025-04-30", "[$-en-GB]d-mmm-yyyy;@"), "ext": "31/07/2025", "status": "Withdrawn"},
        ),
    ]
    header = ["No.", "Directorate", "Audit", "Agreed Action", "Grade", "Officer", "Due", "Extended Date", "Progress"]
    rows = [[r.ref, r.directorate, r.audit, r.rec, r.risk, r.responsible, r.x["due"], r.x["ext"], r.update] for r in outstanding]
    merges = [(1, 0, 2), (1, 3, 4), (8, 1, 2)]
    for column, top, bottom in merges:
        for i in range(top + 1, bottom + 1):
            rows[i][column] = None
    titles: list[list[object]] = [
        ["Kestrel Bay Council"],
        ["Audit and Governance Committee – outstanding audit actions"],
        ["As at:", Typed(d(as_at), "dd/mm/yyyy")],
        [],
        ["Grade", "Meaning", "Expected response"],
        ["Priority 1", "Critical", "Fundamental control failure: immediate action"],
        ["Priority 2", "High", "Significant weakness: action within three months"],
        ["Priority 3", "Medium", "Moderate weakness: action within six months"],
        ["Priority 4", "Low", "Minor improvement: action within a year"],
    ]
    sheets: list = [
        Sheet(
            "Outstanding Actions",
            titles,
            header,
            rows,
            hidden={"Lookup": lambda row, values: (f"=VLOOKUP(E{row},$A$6:$B$9,2,FALSE)", "Critical")},
            totals=["Total actions outstanding", None, None, "=COUNTA(D{first}:D{last})"],
            merges_down=merges,
            widths={3: 28, 4: 55, 9: 55},
        ),
        Sheet(
            "Closed in Quarter",
            [["Kestrel Bay Council"], ["Actions closed in the quarter"]],
            header + ["Status"],
            [
                [r.ref, r.directorate, r.audit, r.rec, r.risk, r.responsible, r.x["due"], r.x["ext"], r.update, r.x["status"]]
                for r in closed
            ],
            widths={4: 55, 9: 55},
        ),
    ]
    doc = Doc(
        name="kestrel_bay_audit_workbook",
        council="Kestrel Bay Council",
        imitates="committee trackers in one workbook: outstanding and closed sheets, key in title-row cells",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"Priority 1": "critical", "Priority 2": "high", "Priority 3": "medium"},
        preamble=[],
        cols=[],
        sections=[("Outstanding Actions", outstanding), ("Closed in Quarter", closed)],
    )
    return doc, sheets


def doc_oakhurst() -> tuple[Doc, list[list[str]]]:
    """Oakhurst Borough Council: a semicolon-separated export of due-date amendments, each row the
    old and the new due date of one change (so the earliest old date is the original) with the
    date changed, one action's rows newest first, UK dates, a Financial Year column, rows grouped
    under status rows ("Open", "Implemented") in the first column, one implemented row with no
    status of its own, and the extraction date on a line above the header."""
    as_at = "2025-10-01"
    open_recs = [
        Rec(
            "Business Rates",
            "",
            [Dt("", "2025-12-31")],
            "open",
            ref="OA-3",
            directorate="Revenues",
            responsible="Revenues Manager",
            risk="Medium",
            update="Reliefs review scheduled for November.",
        ),
        Rec(
            "Cash Handling",
            "",
            [Dt("", "2025-03-31"), Dt("", "2025-06-30"), Dt("", "2025-10-31")],
            "open",
            ref="OA-7",
            directorate="Customer Services",
            responsible="Customer Services Manager",
            risk="High",
            update="Upgrade scheduled for October.",
        ),
        Rec(
            "Contract Management",
            "",
            [Dt("", "2025-01-31"), Dt("", "2025-05-31"), Dt("", "2025-09-30"), Dt("", "2025-12-31")],
            "open",
            ref="OA-9",
            directorate="Procurement",
            responsible="Head of Procurement",
            risk="High",
            update="Contract register migration delayed again.",
        ),
    ]
    implemented = [
        Rec(
            "Payroll",
            "",
            [Dt("", "2025-04-30"), Dt("", "2025-07-31")],
            "implemented",
            ref="OA-2",
            directorate="Human Resources",
            responsible="Payroll Manager",
            risk="Low",
            update="Exception reports now reviewed weekly.",
        ),
        Rec(
            "Payroll",
            "",
            [Dt("", "2025-06-30")],
            "implemented",
            ref="OA-5",
            directorate="Human Resources",
            responsible="Payroll Manager",
            risk="Medium",
            update="Starter checks now signed off by HR.",
        ),
    ]
    status = {"OA-3": "Open", "OA-7": "Open", "OA-9": "Open", "OA-2": "Implemented", "OA-5": ""}
    years = {"OA-3": "2025/26", "OA-7": "2024/25", "OA-9": "2023/24", "OA-2": "2024/25", "OA-5": "2024/25"}
    # (old due date, new due date, date changed, reason, comment), newest first as the system lists them
    changes = {
        "OA-3": [("2025-12-31", None, None, "", "Reliefs review scheduled for November.")],
        "OA-7": [
            ("2025-06-30", "2025-10-31", "2025-06-20", "Awaiting system upgrade", "Upgrade scheduled for October."),
            ("2025-03-31", "2025-06-30", "2025-03-25", "Staff shortage", "Recruitment under way."),
        ],
        "OA-9": [
            ("2025-09-30", "2025-12-31", "2025-09-26", "Supplier delay", "Contract register migration delayed again."),
            ("2025-05-31", "2025-09-30", "2025-05-28", "Resourcing", "Migration started."),
            ("2025-01-31", "2025-05-31", "2025-01-15", "New system procured", "System procured."),
        ],
        "OA-2": [("2025-04-30", "2025-07-31", "2025-04-22", "Payroll system release", "Exception reports now reviewed weekly.")],
        "OA-5": [("2025-06-30", None, None, "", "Starter checks now signed off by HR.")],
    }
    header = [
        "Action Ref",
        "Audit Name",
        "Financial Year",
        "Service",
        "Risk",
        "Responsible Officer",
        "Old Due Date",
        "New Due Date",
        "Date Changed",
        "Reason",
        "Current Status",
        "Latest Officer Comment",
    ]
    lines: list[list[str]] = [
        ["Oakhurst Borough Council"],
        ["Audit Actions – Due Date Amendments"],
        ["Extracted on 01/10/2025 at 07:30"],
        header,
    ]
    for heading, recs in (("Open", open_recs), ("Implemented", implemented)):
        lines.append([heading] + [""] * (len(header) - 1))
        for r in recs:
            for old, new, changed, reason, comment in changes[r.ref]:
                lines.append(
                    [
                        r.ref,
                        r.audit,
                        years[r.ref],
                        r.directorate,
                        r.risk,
                        r.responsible,
                        uk(old),
                        uk(new) if new else "",
                        uk(changed) if changed else "",
                        reason,
                        status[r.ref],
                        comment,
                    ]
                )
    doc = Doc(
        name="oakhurst_long_export",
        council="Oakhurst Borough Council",
        imitates="audit-system exports of due-date amendments (old and new date per row), grouped by status",
        as_at=as_at,
        as_at_printed=True,
        risk_scale={"High": "high", "Medium": "medium", "Low": "low"},
        preamble=[],
        cols=[],
        sections=[("Open", open_recs), ("Implemented", implemented)],
    )
    return doc, lines


def write_csv(doc: Doc, lines: list[list[str]], delimiter: str = ",") -> None:
    with open(OUT / f"{doc.name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(lines)
    write_expected(doc)
    print(f"{doc.name}.csv: {len(expected(doc)['records'])} records")


def main() -> int:
    for make in (doc_lydcombe, doc_hallam_fells, doc_kestrel_bay, doc_brackenridge):
        doc, sheets = make()
        save_workbook(OUT / f"{doc.name}.xlsx", sheets)
        write_expected(doc)
        print(f"{doc.name}.xlsx: {len(expected(doc)['records'])} records")
    write_csv(*doc_marlow_chase())
    write_csv(*doc_oakhurst(), delimiter=";")
    return 0


if __name__ == "__main__":
    sys.exit(main())
