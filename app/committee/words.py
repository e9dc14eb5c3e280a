"""A committee view in a chair's words, the same on the page and in the pack: the headline
figures' names, the three lists of items to call in (each row told apart from others of the same
audit by its reference, recommendation, risk, targets and officer, with the reader's doubts about
its dates; "extended 3 times; no update for 2 reports (last: July 2024)") and what changed since
the previous report, in the words the rest of the dashboard uses (app.movement, app.text)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from app import change
from app.committee.view import CommitteeView
from app.movement import CHANGE_LABELS
from app.text import header, uk_date, uk_dates_in
from etl.selfcheck import READ_WITH_DOUBTS

if TYPE_CHECKING:
    from app.data import QueryRow

# The measures the page and the pack show as figures, each beside its change, labelled as the
# catalogue labels them: what stands open, then the committee's three asks.
HEADLINE = {name: header(name) for name in ("open", "overdue", "open_revised_twice_or_more", "open_without_update_twice")}
ASKS = {name: header(name) for name in ("falls_due_before_meeting", "extensions_to_approve", "called_to_account")}
CHANGES_HEADING = "What changed since the previous report"
SYNTHETIC = "Demo data: a synthetic history of fictional councils, made up to show what slippage does. No figure here is real."
FIRST_REPORT = "This is the first report loaded for this council"
# A target in force that the report leaves to be confirmed (or never gives).
TO_BE_CONFIRMED = "to be confirmed"
# The columns of every list, in order (app.text.header names each): the page shows them as they
# are, what a chair asks first on screen and the recommendation last; the pack puts the audit and
# its recommendation in one cell and the doubt under where the item stands.
LIST_COLUMNS = (
    "ref",
    "audit_title",
    "risk_level",
    "original_target_date",
    "current_target_date",
    "date_warnings",
    "officer",
    "situation",
    "recommendation",
)
CORRECTED_MARK = "†"  # after the reference of an item an admin corrected
EXCERPT_CHARACTERS = 120  # enough of a recommendation to tell it from its neighbours
# The pack's list columns (LIST_COLUMNS with the audit and its recommendation in one cell, and the
# doubt under where the item stands), headed as the page heads them.
PACK_HEADER = (
    header("ref"),
    f"{header('audit_title')} and {header('recommendation').lower()}",
    header("risk_level"),
    header("original_target_date"),
    header("current_target_date"),
    header("officer"),
    header("situation"),
)
# Their widths in millimetres of the 180 mm between an A4 page's margins.
PACK_WIDTHS_MM = (18, 51, 15, 17, 17, 24, 38)  # a reference is never broken: room for 'EM/23/049'
DOUBT_PREFIX = f"{header('has_doubtful_date')}: "


def title_line(view: CommitteeView) -> str:
    return f"{view.council}: internal audit recommendations"


def report_line(view: CommitteeView) -> str:
    """The council and report on one line: what every page of the pack carries."""
    return f"{view.council}, report of {uk_date(view.report_date)}"


def date_line(view: CommitteeView) -> str:
    return f"Report of {uk_date(view.report_date)}. Produced {uk_date(view.produced_at)} by slippage."


def doubt_line(view: CommitteeView) -> str | None:
    """What the page and the pack say about a report the reader doubts as a whole, with its reasons."""
    if not view.doubts:
        return None
    return (
        f"This report was {READ_WITH_DOUBTS}, so its figures may be wrong: {'; '.join(view.doubts)}. Check them against the report itself."
    )


def month_name(period: str | None) -> str | None:
    if not period:
        return None
    year, month = period.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def in_words(row: QueryRow) -> str:
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


def excerpt(text: str | None, limit: int = EXCERPT_CHARACTERS) -> str:
    """The start of a recommendation, cut at a word where it is longer than `limit`."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" .,;:") + "…"


def doubts(warnings: list[str] | None) -> str:
    """The reader's doubts about a record's target dates, with UK dates; empty when it has none."""
    return "; ".join(uk_dates_in(warning) for warning in warnings or [])


def corrected_mark(ref: str, corrections: list[str] | None) -> str:
    """The reference, marked † when an admin corrected a value of the item (where it stands says
    what): a sign the packs' standard fonts print, narrow enough for the reference column."""
    return f"{ref} {CORRECTED_MARK}" if corrections else ref


def corrected_notes(corrections: list[str] | None) -> str:
    """Who corrected what, when and what was printed, after where the item stands; empty when none."""
    return "".join(f". Corrected: {uk_dates_in(note)}" for note in corrections or [])


def target(value: date | None) -> str:
    return uk_date(value) if value else TO_BE_CONFIRMED


def listing(frame: pl.DataFrame) -> pl.DataFrame:
    """One list's rows in LIST_COLUMNS: the targets stay dates (NULL where to be confirmed), so the
    page sorts them as dates; every other column is text, never NULL."""
    rows = [
        {
            "ref": corrected_mark(row["ref"] or "–", row.get("corrections")),
            "audit_title": row["audit_title"] or "(untitled)",
            "recommendation": excerpt(row["recommendation"]),
            "risk_level": row["risk_level"],
            "original_target_date": row["original_target_date"],
            "current_target_date": row["current_target_date"],
            "date_warnings": doubts(row["date_warnings"]),
            "officer": row["officer"] or "–",
            "situation": in_words(row) + corrected_notes(row.get("corrections")),
        }
        for row in frame.iter_rows(named=True)
    ]
    schema = {name: pl.Date if name.endswith("_date") else pl.String for name in LIST_COLUMNS}
    return pl.DataFrame(rows, schema=schema, orient="row")


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


def count_of(count: int, one: str, many: str | None = None) -> str:
    """'1 row', '2 rows': the count and its noun, singular for exactly one."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def due_heading(view: CommitteeView) -> str:
    return f"{header('falls_due_before_meeting')} ({uk_date(view.meeting)})"


def called_heading(view: CommitteeView) -> str:
    return f"Extended more than {times(view.called_after)}: {header('called_to_account').lower()}"


def chair_lists(view: CommitteeView) -> list[tuple[str, pl.DataFrame]]:
    """What a committee takes first, each with its heading: the items falling due before the next
    meeting and those whose officer is called to account (shown before lists())."""
    return [(due_heading(view), listing(view.due_before_meeting())), (called_heading(view), listing(view.called_to_account()))]


APPROVALS_HEADING = header("extensions_to_approve")
# The extensions list's columns: what the committee approves or refuses, and why it is asked.
APPROVAL_COLUMNS = (
    "ref",
    "audit_title",
    "officer",
    "current_target_date",
    "requested_target_date",
    "earlier_extensions",
    "requested_reason",
)
APPROVAL_HEADERS = {
    "requested_target_date": "Date asked for",
    "earlier_extensions": "Earlier extensions",
    "requested_reason": "Reason given",
    "current_target_date": header("current_target_date"),
    "ref": header("ref"),
    "audit_title": header("audit_title"),
    "officer": header("officer"),
}


def approvals(view: CommitteeView) -> pl.DataFrame:
    """The extensions asked for and not yet agreed: the date in force, the date asked for, how
    often the item was extended before and the reason where the report prints one."""
    return view.extensions_asked().select(
        pl.col("ref").fill_null("–"),
        pl.col("audit_title").fill_null("(untitled)"),
        pl.col("officer").fill_null("–"),
        "current_target_date",
        "requested_target_date",
        pl.col("revision_count").alias("earlier_extensions"),
        pl.col("requested_reason").fill_null("–"),
    )


def lists(view: CommitteeView) -> list[tuple[str, pl.DataFrame]]:
    """The three lists a chair may call items in from, each with its heading."""
    return [
        (heading, listing(frame))
        for heading, frame in (
            (header("open_revised_twice_or_more"), view.revised()),
            (header("open_without_update_twice"), view.no_update()),
            ("Oldest open high and critical risk recommendations", view.oldest_high_risk()),
        )
    ]


def headline_change(view: CommitteeView, key: str) -> str:
    """A headline figure's change since the previous report: '▲ 3 from 10'; '' for a first report."""
    return change.in_words(key, view.headline[key], view.previous[key] if view.previous else None)


def previous_line(view: CommitteeView) -> str:
    if view.previous is None:
        return f"{FIRST_REPORT}: nothing to compare with."
    return f"Changes are since the council's previous report, of {uk_date(view.previous['report_date'])}."


def summary(view: CommitteeView) -> str:
    """The pack's opening paragraph: '13 open, 10 overdue, 3 extended twice or more; 2 fall due
    before the next meeting (31 Mar 2025); 1 extended more than twice.' and the change in overdue."""
    figures = view.headline
    due, called = figures["falls_due_before_meeting"], figures["called_to_account"]
    said = (
        f"{figures['open']:,} open, {figures['overdue']:,} overdue, {figures['open_revised_twice_or_more']:,} "
        "extended twice or more; "
        f"{count_of(due, 'falls', 'fall')} due before the next meeting ({uk_date(view.meeting)}); "
        f"{called:,} extended more than {times(view.called_after)}"
        + (f"; {count_of(asked, 'extension')} to approve." if (asked := figures["extensions_to_approve"]) else ".")
    )
    if view.previous is None:
        return f"{said} {FIRST_REPORT}."
    now, before = figures["overdue"], view.previous["overdue"]
    trend = f"unchanged at {before:,}" if now == before else f"{'up' if now > before else 'down'} {abs(now - before):,} from {before:,}"
    return f"{said} Since the previous report ({uk_date(view.previous['report_date'])}) overdue items are {trend}."


def changes(view: CommitteeView) -> list[tuple[str, int]]:
    """How many recommendations changed in each way since the previous report, in the labels the
    Overview uses for the same changes."""
    counts = dict(view.movement.iter_rows())
    return [(label, counts.get(change, 0)) for change, label in CHANGE_LABELS.items()]
