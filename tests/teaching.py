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
SECOND = [FIRST[0], FIRST[1],
          "MV/04,Cyber 2024/25,Test backups quarterly,Gold,02/04/2024,ICT Manager,31/03/2026,Open,Test failed; rerun",
          "MV/05,Housing rents 2025/26,Chase arrears over 90 days,Bronze,01/09/2025,Rents Manager,31/03/2026,Open,"
          "Letters sent 10/12/2025"]
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
