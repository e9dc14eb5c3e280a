"""Appendices the reader must doubt as a whole, written as councils write them, and a store holding
one: for the tests of the self-check (tests/test_selfcheck.py) and of where its doubt is shown."""

from __future__ import annotations

from pathlib import Path

from etl.load import load

DOUBTFUL_COUNCIL = "Wyrebrook Borough Council"
DOUBTFUL_DATE = "2025-09-30"

_HEADER = "| Audit | Priority | Recommendation | Responsible Officer | Target Date | Progress |\n|---|---|---|---|---|---|\n"
ROWS = [
    "| Payroll 2023-24 | High | Starters and leavers should be processed only on an authorised form, checked against the "
    "HR record. | HR Manager | 31/03/2025 | New form in use since May; evidence awaited. |",
    "| Creditors 2024-25 | Medium | Supplier bank detail changes should be verified by a call-back to a number already "
    "held. | Finance Manager | 30/06/2025 | Call-back procedure drafted and with the team. |",
    "| Fleet Management 2023-24 | Low | Fuel card statements should be reconciled monthly to vehicle mileage records. "
    "| Fleet Manager | 31/12/2024 | Reconciliations started in August; two months still missing. |",
    "| Council Tax 2024-25 | High | Write-offs should be approved in line with the financial regulations before they "
    "are processed. | Revenues Manager | 31/07/2025 | Approval limits configured in the test system. |",
    "| Cyber Security 2024-25 | Medium | Administrator accounts should be reviewed quarterly and leavers removed the "
    "same day. | Head of ICT | 30/09/2025 | First quarterly review done in July. |",
]


def appendix(summary: str, rows: list[str] = ROWS) -> str:
    """An appendix inside a committee report: title, a summary of counts, then the detail table."""
    return (
        f"# {DOUBTFUL_COUNCIL}\n\n## Audit Committee – Appendix B: outstanding audit recommendations as at "
        f"30 September 2025\n\n{summary}\n\n" + _HEADER + "\n".join(rows) + "\n\nBackground papers: none.\n"
    )


# The summary counts seven recommendations; the table holds five: two are missing from what was read.
SUMMARY_SEVEN = "Recommendations outstanding by priority:\n\nHigh priority: 3\n\nMedium priority: 2\n\nLow priority: 2\n\nTotal: 7"
SUMMARY_FIVE = "Recommendations outstanding by priority:\n\nHigh priority: 2\n\nMedium priority: 2\n\nLow priority: 1\n\nTotal: 5"


def doubtful_appendix(folder: Path) -> Path:
    path = folder / "wyrebrook-2025-09.md"
    path.write_text(appendix(SUMMARY_SEVEN), encoding="utf-8")
    return path


def add_doubtful_report(db: Path, folder: Path) -> None:
    """Load into `db` one report the reader doubts (its summary counts seven, five were read)."""
    [outcome] = load([doubtful_appendix(folder)], db, council=DOUBTFUL_COUNCIL)
    assert outcome.outcome == "loaded", outcome.line()
