"""Target histories and revision counts."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.interpret.targets import TargetReader, TargetValue, revision_count
from etl.layouts.config import load_layouts

READER = TargetReader(load_layouts())
D = date.fromisoformat


def history(cell, *texts, report=date(2026, 2, 28)):
    reading = READER.read(cell, list(texts), report)
    return [v.label() for v in reading.history], reading


@pytest.mark.parametrize(
    "cell, expected, revisions",
    [
        ("September 2025 Extend to January 2026 Extend to May 2026", ["2025-09-30", "2026-01-31", "2026-05-31"], 2),
        ("March 2025 November 2025 Extend to April 2026", ["2025-03-31", "2025-11-30", "2026-04-30"], 2),
        ("August 2025.\nExtend to December 2025", ["2025-08-31", "2025-12-31"], 1),
        ("January 2026", ["2026-01-31"], 0),
        ("31/03/2024", ["2024-03-31"], 0),
        ("Ongoing", [], 0),
        ("n/a", [], 0),
        ("", [], 0),
        ("TBC", ["TBC"], 0),
    ],
)
def test_target_cells(cell, expected, revisions):
    labels, reading = history(cell)
    assert labels == expected
    assert reading.revision_count == revisions


def test_numbered_parts_take_earliest_original_latest_current_and_busiest_history():
    labels, reading = history(
        "#1 Originally June 2025; Extend to May 2026 #2 Originally June 2025; Extend to May 2026 "
        "#3 Originally June 2025; Extend to May 2026 #4 Originally March 2025; Extend to May 2026"
    )
    assert len(reading.parts) == 4
    assert reading.original == D("2025-03-31") and reading.current == D("2026-05-31")
    assert reading.revision_count == 1


def test_phases_are_not_revisions():
    labels, reading = history("May 2026 (Phase 1) and July 2026 (Phase 2)")
    assert reading.revision_count == 0
    assert reading.original == D("2026-05-31") and reading.current == D("2026-07-31")


GPC_STATUS = """As part of the guidance review, an independent schools admin...
Revised target date: TBC (partially implemented)
Revised target dates from previous reporting cycles:
October 2024 – TBC
July 2024 – 30 September 2024
March 2024 - 30 June 2024
January 2024 - 31 March 2024
December 2023 – 31 December 2023
September 2023 - 30 September 2023"""


def test_cambridgeshire_procurement_cards_history():
    labels, reading = history("01/08/2023", GPC_STATUS, report=date(2024, 12, 31))
    assert labels == ["2023-08-01", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30", "TBC", "TBC"]
    assert reading.revision_count == 6
    assert reading.current is None and reading.original == D("2023-08-01")
    assert [v.cycle for v in reading.history if v.source == "previous_cycle"][0] == "2023-09"


@pytest.mark.parametrize(
    "status, expected",
    [
        # No "Revised target date:" line: the newest bullet is current.
        (
            "x\nRevised target dates from previous reporting cycles:\nOctober 2024 - TBC\nJuly 2024 – 31/08/2024",
            ["2024-06-01", "2024-08-31", "TBC"],
        ),
        # "then" inside one bullet is two successive values; misspelt marker still read.
        (
            "Revised target ate: 31 January 2025\nRevised target dates from previous reporting cycles:\n"
            "July 2024 – 31 July 2024, then 1 Sep 2024",
            ["2024-06-01", "2024-07-31", "2024-09-01", "2025-01-31"],
        ),
        # n/a means none; the current value on the same line is still read.
        ("Revised target date: TBC  Revised target dates from previous reporting cycles: n/a", ["2024-06-01", "TBC"]),
        # A year-less date takes its year from the target before it.
        (
            "Revised target date: 31 January 2025\nRevised target dates from previous reporting cycles:\n"
            "October 2024 – 31 January\nJuly 2024 – 30 September 2024",
            ["2024-06-01", "2024-09-30", "2025-01-31", "2025-01-31"],
        ),
        # Items run together on one line by a page break are still separate cycles.
        (
            "Revised target dates from previous reporting cycles:\nDecember 2023 - 31 January 2024 September 2023 - 1 December 2023",
            ["2024-06-01", "2023-12-01", "2024-01-31"],
        ),
        ("Revised Target Date: TBC", ["2024-06-01", "TBC"]),
        ("Progress is slow. No revision was agreed.", ["2024-06-01"]),
    ],
)
def test_revisions_in_status_text(status, expected):
    labels, _ = history("01/06/2024", status, report=date(2024, 12, 31))
    assert labels == expected


def test_target_events_keep_raw_text():
    _, reading = history("01/08/2023", GPC_STATUS, report=date(2024, 12, 31))
    assert reading.history[-1].raw == "TBC" and reading.history[1].raw == "30 September 2023"


# Real cells of the Cambridgeshire and Leicestershire samples, histories and counts worked out by
# hand: each change between neighbours counts once, to or from TBC included, a repeat does not.
REAL_CELLS = [
    (
        "01/09/2022",
        "Revised target date: TBC.\nRevised target dates from previous reporting cycles:\n"
        "October 2024 – TBC\nJuly 2024 - 31 July 2024\nMarch 2024 - 31 July 2024.\nSeptember 2023 – 31 January 2024.",
        ["2022-09-01", "2024-01-31", "2024-07-31", "2024-07-31", "TBC", "TBC"],
        3,
    ),
    (
        "30/09/2023",
        "Revised target date: 28 February 2025\nRevised target dates from previous reporting cycles:\n"
        "October 2024 – TBC\nJuly 2024 – 30 September 2024\nMarch 2024 - 30 June 2024\n"
        "January 2024 - 30 June 2024\nDecember 2023 - TBC",
        ["2023-09-30", "TBC", "2024-06-30", "2024-06-30", "2024-09-30", "TBC", "2025-02-28"],
        5,
    ),
    (
        "31/03/2024",
        "Revised target date: TBC\nRevised target dates from previous reporting cycles:\n"
        "October 2024 - 31 October 2024\nJuly 2024 - TBC\nMarch 2024 – 31st October 2024",
        ["2024-03-31", "2024-10-31", "TBC", "2024-10-31", "TBC"],
        4,
    ),
    (
        "31/03/2024",
        "Revised target date: 31 January 2025\nRevised target dates from previous reporting cycles\n"
        "October 2024 – 31 March 2025\nJuly 2024 - TBC\nMarch 2024 - TBC",
        ["2024-03-31", "TBC", "TBC", "2025-03-31", "2025-01-31"],
        3,
    ),
    ("September 2025 Extend to March 2026 Extend to April 2026", "", ["2025-09-30", "2026-03-31", "2026-04-30"], 2),
    (
        "March 2026\nExtend to June 2026.\nTwo-year programme of work. Target completion date is July 2027.",
        "",
        ["2026-03-31", "2026-06-30", "2027-07-31"],
        2,
    ),
]


@pytest.mark.parametrize("cell, status, expected, revisions", REAL_CELLS)
def test_revision_counts_of_real_cells(cell, status, expected, revisions):
    labels, reading = history(cell, status, report=date(2024, 12, 31))
    assert labels == expected
    assert reading.revision_count == revisions


def test_revision_count_of_values():
    d1, d2 = D("2024-01-31"), D("2024-03-31")
    values = [TargetValue(v, "raw", "target") for v in (d1, d1, None, None, d2, d1)]
    assert revision_count(values) == 3  # d1→TBC, TBC→d2, d2→d1; the repeats do not count
    assert revision_count(values[:2]) == 0 and revision_count([]) == 0


@given(st.text(), st.text())
def test_reading_arbitrary_text_never_raises(cell, status):
    reading = READER.read(cell, [status], date(2025, 1, 1))
    assert 0 <= reading.revision_count <= max(0, len(reading.history) - 1)


# -- a target cell carrying its own revision; revised cells listing dates with reasons ------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Was 31 March, now 30 June 2025", ["2025-03-31", "2025-06-30"]),
        # A year-less earlier date takes the year that puts it before the date after it.
        ("Was 31 December, now 31 March 2025", ["2024-12-31", "2025-03-31"]),
        ("Originally 31/12/24 – revised to 31/03/25", ["2024-12-31", "2025-03-31"]),
        ("30 Sept 2025 (initially 31 May 2025)", ["2025-05-31", "2025-09-30"]),
        ("31/03/2026, put back from 30/09/2025", ["2025-09-30", "2026-03-31"]),
        ("end of Q3 2024/25, moved to Q1 2025/26", ["2024-12-31", "2025-06-30"]),
        ("Fri 28/03/25", ["2025-03-28"]),
        ("w/c Monday 3 March 2025", ["2025-03-03"]),
        ("2025/26", ["2026-03-31"]),
        ("H1 2025/26", ["2025-09-30"]),
        # A date opening the cell with its condition after it is still the target.
        ("March 2025 – depends on the new system being procured", ["2025-03-31"]),
        # A date only mentioned in a sentence is not a target.
        ("Depends on the new finance system going live in October 2025", []),
    ],
)
def test_target_cells_carrying_their_revision(cell, expected):
    labels, _ = history(cell, report=date(2025, 6, 30))
    assert labels == expected


@pytest.mark.parametrize(
    "revised, expected",
    [
        ("30/06/25 – staff shortages; 30/09/25 – system delay", ["2024-12-31", "2025-06-30", "2025-09-30"]),
        ("30/6/25 - staffing, 30/9/25 - supplier late", ["2024-12-31", "2025-06-30", "2025-09-30"]),
        # A PDF joins a cell's lines: each date still opens its item.
        ("31/3/25 – telematics contract re-let 30/9/25 – new system installation", ["2024-12-31", "2025-03-31", "2025-09-30"]),
        # The reason mentions a date in passing: not a target.
        ("31/12/25 – awaiting the new identity system, which goes live in Oct 2025", ["2024-12-31", "2025-12-31"]),
    ],
)
def test_revised_cells_listing_dates_with_reasons(revised, expected):
    reading = READER.read("31/12/24", [], date(2025, 6, 30), revised)
    assert [v.label() for v in reading.history] == expected


def test_a_year_less_quarter_is_warned_about():
    reading = READER.read("End of Q2", [], date(2025, 4, 30))
    assert [v.label() for v in reading.history] == ["2025-09-30"]
    assert any("no year written" in p for p in reading.problems)
