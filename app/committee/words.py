"""A committee view in a chair's words, the same on the page and in the pack: the headline
figures' names, the three lists of items to call in ("extended 3 times; no update for 2 reports
(last: July 2024)") and what changed since the previous report."""
from __future__ import annotations

from datetime import date

import polars as pl

from app.committee.view import CommitteeView
from app.movement import CHANGE_LABELS

HEADLINE = {"open": "Open", "overdue": "Overdue", "revised_twice": "Extended two or more times",
            "no_update_twice": "No update for two or more reports"}
CHANGES_HEADING = "What changed since the previous report"
FIRST_REPORT = "This is the first report loaded for this council"
LIST_COLUMNS = ("Recommendation", "Directorate or officer", "Where it stands")


def title_line(view: CommitteeView) -> str:
    return f"{view.council}: internal audit recommendations"


def date_line(view: CommitteeView) -> str:
    return f"Report of {view.report_date:%d %B %Y}. Produced {view.produced_at:%d %B %Y at %H:%M} by slippage."


def month_name(period: str | None) -> str | None:
    if not period:
        return None
    year, month = period.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def in_words(row: dict) -> str:
    """'120 days past its first agreed date; extended 3 times; no update for 2 reports (last: July 2024)'."""
    words = []
    days = row.get("days_past_original_target")
    if days is not None:
        words.append(f"{days:,} days past its first agreed date" if days > 0 else "not yet due")
    revisions = row.get("revision_count") or 0
    if revisions:
        words.append("extended once" if revisions == 1 else f"extended {revisions} times")
    streak = row.get("no_update_streak") or 0
    since = month_name(row.get("latest_update_period"))
    if streak >= 2:
        words.append(f"no update for {streak} reports" + (f" (last: {since})" if since else ""))
    elif since:
        words.append(f"last update {since}")
    return "; ".join(words)


def listing(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(reference and title, owner, the situation in words) per row: LIST_COLUMNS."""
    rows = []
    for row in frame.iter_rows(named=True):
        title = row["audit_title"] or "(untitled)"
        rows.append((f"{row['ref']} {title}" if row["ref"] else title, row["owner"] or "–", in_words(row)))
    return rows


def lists(view: CommitteeView) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The three lists a chair may call items in from, each with its heading."""
    return [(heading, listing(frame)) for heading, frame in (
        ("Extended two or more times", view.revised()),
        ("No fresh update for two or more reports", view.no_update()),
        ("Oldest open high and critical risk recommendations", view.oldest_high_risk()))]


def changes(view: CommitteeView) -> list[tuple[str, int]]:
    """How many recommendations changed in each way since the previous report, in words."""
    counts = dict(view.movement.iter_rows())
    return [(words, counts.get(change, 0)) for change, words in CHANGE_LABELS.items()]
