"""One council's report as the committee reads it: its figures, gathered by the pages' queries."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

Query = Callable[..., pl.DataFrame]


@dataclass
class CommitteeView:
    council: str
    report_date: date
    headline: dict
    by_risk: pl.DataFrame
    by_owner: pl.DataFrame
    ageing: pl.DataFrame
    items: pl.DataFrame
    movement: pl.DataFrame  # recommendations per kind of change since the previous report
    doubts: list[str] = field(default_factory=list)  # the reader's doubts about the report's reading as a whole
    produced_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def revised(self) -> pl.DataFrame:
        return self.items.filter(pl.col("revised_twice")).sort("revision_count", descending=True)

    def no_update(self) -> pl.DataFrame:
        return self.items.filter(pl.col("no_update_twice")).sort("no_update_streak", descending=True)

    def oldest_high_risk(self) -> pl.DataFrame:
        return self.items.filter(pl.col("high_risk")).head(15)


def gather(query: Query, council: str, report_date: date) -> CommitteeView:
    params = {"council": council, "report_date": report_date}
    # The council's whole report: none of the sidebar's other filters.
    movement = query("movement_counts", councils=[council], directorates=[], risks=[], statuses=[], ageing_bands=[],
                     leave_out_doubtful=False, leave_out_doubtful_reports=False,
                     as_of=report_date.isoformat())
    return CommitteeView(council, report_date, query("committee_headline", **params).row(0, named=True),
                         query("committee_by_risk", **params), query("committee_by_owner", **params),
                         query("committee_ageing", **params), query("committee_items", **params), movement,
                         doubts=query("report_doubts", **params)["doubt"].to_list())


def file_stem(view: CommitteeView) -> str:
    """The pack's file name without its extension (the same for the PDF and the HTML)."""
    safe = "".join(c if c.isalnum() else "-" for c in view.council.lower()).strip("-")
    return f"slippage-pack-{safe}-{view.report_date:%Y-%m-%d}"
