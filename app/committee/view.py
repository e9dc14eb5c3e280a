"""One council's report as the committee reads it: its figures, gathered by the pages' queries."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import polars as pl

from etl.store.measures import catalogue

if TYPE_CHECKING:
    from app.data import QueryRow

Query = Callable[..., pl.DataFrame]
# The chair's defaults, the catalogue's (sql/measures.toml): an item extended more than CALLED_AFTER
# times is called to account; the next meeting is MEETING_MONTHS after the report.
CALLED_AFTER = int(catalogue().parameter("times").default)
MEETING_MONTHS = catalogue().meeting_months


def months_on(day: date, months: int = MEETING_MONTHS) -> date:
    """The same day `months` later, or that month's last day where it is shorter (30 Nov from 31 Aug)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class CommitteeView:
    council: str
    report_date: date
    headline: QueryRow  # every measure of the catalogue, by name, for the report
    previous: QueryRow | None  # the same at the council's previous report; None for its first
    by_risk: pl.DataFrame
    by_owner: pl.DataFrame
    ageing: pl.DataFrame
    items: pl.DataFrame
    movement: pl.DataFrame  # recommendations per kind of change since the previous report
    doubts: list[str] = field(default_factory=list)  # the reader's doubts about the report's reading as a whole
    meeting: date = date.max  # the next meeting: items falling due before it are listed
    called_after: int = CALLED_AFTER
    synthetic: bool = False  # the demo's made-up councils: the pack says so, as every page does
    produced_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def revised(self) -> pl.DataFrame:
        return self.items.filter(pl.col("revised_twice")).sort("revision_count", descending=True)

    def no_update(self) -> pl.DataFrame:
        return self.items.filter(pl.col("no_update_twice")).sort("no_update_streak", descending=True)

    def oldest_high_risk(self) -> pl.DataFrame:
        return self.items.filter(pl.col("high_risk")).head(15)

    def due_before_meeting(self) -> pl.DataFrame:
        return self.items.filter(pl.col("due_before_meeting")).sort("current_target_date", "record_no")

    def extensions_asked(self) -> pl.DataFrame:
        return self.items.filter(pl.col("extension_asked")).sort("requested_target_date", "record_no")

    def called_to_account(self) -> pl.DataFrame:
        return self.items.filter(pl.col("called_to_account")).sort("revision_count", descending=True)


def gather(
    query: Query, council: str, report_date: date, meeting: date | None = None, called_after: int = CALLED_AFTER, synthetic: bool = False
) -> CommitteeView:
    """The view of one report; the next meeting defaults to MEETING_MONTHS after the report."""
    meeting = meeting or months_on(report_date)
    params = {"council": council, "report_date": report_date}
    # The council's whole report: none of the sidebar's other filters.
    movement = query(
        "movement_counts",
        councils=[council],
        directorates=[],
        risks=[],
        statuses=[],
        ageing_bands=[],
        leave_out_doubtful=False,
        leave_out_doubtful_reports=False,
        as_of=report_date.isoformat(),
    )
    headlines = query("committee_headline", **params, meeting=meeting, times=called_after).to_dicts()
    now = next((row for row in headlines if not row["is_previous"]), {})
    previous = next((row for row in headlines if row["is_previous"]), None)
    return CommitteeView(
        council,
        report_date,
        now,
        previous,
        query("committee_by_risk", **params),
        query("committee_by_owner", **params),
        query("committee_ageing", **params),
        query("committee_items", **params, meeting=meeting, times=called_after),
        movement,
        doubts=query("report_doubts", **params)["doubt"].to_list(),
        meeting=meeting,
        called_after=called_after,
        synthetic=synthetic,
    )


def file_stem(view: CommitteeView) -> str:
    """The pack's file name without its extension (the same for the PDF and the HTML)."""
    safe = "".join(c if c.isalnum() else "-" for c in view.council.lower()).strip("-")
    return f"slippage-pack-{safe}-{view.report_date:%Y-%m-%d}"
