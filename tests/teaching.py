"""A council whose papers read wrong for reasons no general rule can know, for the teaching tests:
Marlow Vale grades its recommendations Gold, Silver and Bronze (no scale ranks those), and prints
the date each was raised in a column headed only "Date" beside the agreed "Deadline". Two
successive reports, as CSV exports of its tracker."""

from __future__ import annotations

from pathlib import Path

COUNCIL = "Marlow Vale District Council"
HEADER = "Ref,Audit,Recommendation,Grade,Date,Responsible Officer,Deadline,Status,Update"
FIRST = [
    "MV/01,Payroll 2024/25,Reconcile payroll to the ledger monthly,Gold,12/03/2024,Head of HR,30/09/2024,Open,"
    "Reconciliation drafted as at 30/06/2025",
    "MV/02,Procurement 2024/25,Keep a register of waivers,Silver,14/03/2024,Procurement Manager,31/10/2024,In hand,"
    "Register started 15/06/2025",
    "MV/03,Fleet 2024/25,Record vehicle checks,Bronze,02/04/2024,Fleet Manager,31/12/2024,Done,Checks now logged",
    "MV/04,Cyber 2024/25,Test backups quarterly,Gold,02/04/2024,ICT Manager,31/01/2025,Open,First test booked",
]
# Six months on: a new recommendation, a Bronze one, and MV/04's deadline moved.
SECOND = [
    FIRST[0],
    FIRST[1],
    "MV/04,Cyber 2024/25,Test backups quarterly,Gold,02/04/2024,ICT Manager,31/03/2026,Open,Test failed; rerun",
    "MV/05,Housing rents 2025/26,Chase arrears over 90 days,Bronze,01/09/2025,Rents Manager,31/03/2026,Open,Letters sent 10/12/2025",
]
# What an admin teaches: the grades' levels, and that "Date" is not a field to read.
TAUGHT = {"columns": {"Date": "unmapped"}, "risk": {"key": {"Gold": "high", "Silver": "medium", "Bronze": "low"}}}
LEVELS = {"MV/01": "high", "MV/02": "medium", "MV/03": "low", "MV/04": "high", "MV/05": "low"}


def write_report(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def first_report(folder: Path) -> Path:
    return write_report(folder, "marlow-vale-2025-06.csv", FIRST)


def second_report(folder: Path) -> Path:
    return write_report(folder, "marlow-vale-2025-12.csv", SECOND)


# Kestrel Moor prints a summary by audit above its recommendations. The summary's header names
# fields ("Audit", "Priority", "Recommendations", "Implemented") and its rows are not counts alone
# (a priority beside each audit), so no rule can tell it from a table of records: untaught, each
# summary row is read as a record whose recommendation is a number. What an admin teaches: leave
# that table out.
KESTREL = "Kestrel Moor Borough Council"
KESTREL_SUMMARY = "Audit | Priority | Recommendations | Implemented | Outstanding"
KESTREL_TAUGHT = {"records": {"leave_out_tables": [KESTREL_SUMMARY]}}
_KESTREL_RECORDS = {
    "KM/01": (
        "Payroll 2024/25",
        "Reconcile payroll to the ledger every month.",
        "Priority 1",
        "Head of HR",
        "31/03/2025",
        "Implemented",
        "Reconciliations done monthly since April.",
    ),
    "KM/02": (
        "Payroll 2024/25",
        "Remove leavers from the payroll within a week.",
        "Priority 1",
        "Head of HR",
        "30/06/2025",
        "Open",
        "Revised process drafted.",
    ),
    "KM/03": (
        "Cyber security 2024/25",
        "Test the restore of backups each quarter.",
        "Priority 2",
        "ICT Manager",
        "31/05/2025",
        "Open",
        "First restore test booked for October.",
    ),
    "KM/04": (
        "Grants 2024/25",
        "Check grant claims against evidence before payment.",
        "Priority 3",
        "Grants Officer",
        "31/07/2025",
        "Open",
        "Checklist in use from August.",
    ),
    "KM/05": (
        "Car parks income 2025/26",
        "Bank car park takings within two days.",
        "Priority 2",
        "Parking Manager",
        "31/01/2026",
        "Open",
        "Cash office rota agreed.",
    ),
}
KESTREL_LEVELS = {"KM/01": "high", "KM/02": "high", "KM/03": "medium", "KM/04": "low", "KM/05": "medium"}


def _kestrel_paper(as_at: str, refs: list[str]) -> str:
    audits: dict[tuple[str, str], list[str]] = {}
    for ref in refs:
        audit, _, priority, _, _, status, _ = _KESTREL_RECORDS[ref]
        audits.setdefault((audit, priority), []).append(status)
    summary = [
        f"| {audit} | {priority} | {len(done)} | {done.count('Implemented')} | {len(done) - done.count('Implemented')} |"
        for (audit, priority), done in audits.items()
    ]
    records = [f"| {ref} | " + " | ".join(_KESTREL_RECORDS[ref]) + " |" for ref in refs]
    return "\n".join(
        [
            "# Kestrel Moor Borough Council – Audit and Governance Committee",
            "",
            f"## Follow-up of internal audit recommendations, position as at {as_at}",
            "",
            "### Summary by audit",
            "",
            f"| {KESTREL_SUMMARY} |",
            "|---|---|---|---|---|",
            *summary,
            "",
            "### Recommendations outstanding",
            "",
            "| Ref | Audit | Recommendation | Priority | Officer | Target date | Status | Update |",
            "|---|---|---|---|---|---|---|---|",
            *records,
            "",
        ]
    )


def kestrel_first(folder: Path) -> Path:
    path = folder / "kestrel-moor-2025-09.md"
    path.write_text(_kestrel_paper("30 September 2025", ["KM/01", "KM/02", "KM/03", "KM/04"]), encoding="utf-8")
    return path


def kestrel_second(folder: Path) -> Path:
    path = folder / "kestrel-moor-2026-03.md"
    path.write_text(_kestrel_paper("31 March 2026", ["KM/02", "KM/03", "KM/04", "KM/05"]), encoding="utf-8")
    return path


def kestrel_third(folder: Path) -> Path:
    path = folder / "kestrel-moor-2026-09.md"
    path.write_text(_kestrel_paper("30 September 2026", ["KM/03", "KM/04", "KM/05"]), encoding="utf-8")
    return path
