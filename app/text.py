"""How values read on a page: numbers, days and UK dates as text, readable column headers, document
text made safe for Markdown, and the label of a missing value."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st

from etl.wording import uk_date as uk_date  # the pages' own: the ETL says dates the same way (etl/wording.py)

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

# The label for a missing directorate or risk level. sql/queries spells the same label in SQL.
NONE_LABEL = "(none)"

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's Markdown turns bare addresses into links after escapes are read ("http://…",
# "www.…", "name@host.org"), so escaping cannot stop it. An invisible WORD JOINER (U+2060) after
# the scheme, after "www" and after "@" breaks each pattern and changes nothing that is seen.
_AUTOLINK_STARTS = re.compile(r"(?i)((?:https?|ftps?|mailto|xmpp|www)(?=[:.])|@)")
WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """Document text for an element that renders Markdown (headings, captions, alerts): every
    Markdown character escaped and every bare address broken, so a link, image, address or HTML in
    a cell is shown as the characters it is and never becomes a link."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", _AUTOLINK_STARTS.sub(r"\1" + WORD_JOINER, text or ""))


# One way to write each kind of number, on every page: counts with thousands separators, shares
# as whole percentages, days as a count of days.
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count with its noun, singular or plural as the count asks: "1 row", "2 rows",
    "1,234 matches" (`many` for a plural not made with -s or -es)."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {many or (noun + 'es' if noun.endswith(('s', 'sh', 'ch', 'x')) else noun + 's')}"


def days(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} days"


# UK dates everywhere a date is shown: "31 Dec 2024" (st.column_config's moment.js pattern and
# Python's strftime say the same thing).
UK_DATE = "D MMM YYYY"
UK_DATETIME = "D MMM YYYY, HH:mm"


_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def uk_dates_in(text: str) -> str:
    """Text (a reader's warning) with every ISO date in it said as a UK date; a string shaped like
    a date that is none ("2024-02-30") stays as it is."""
    def said(found: re.Match[str]) -> str:
        try:
            return uk_date(found.group(1))
        except ValueError:
            return found.group(1)
    return _ISO_DATE.sub(said, text)


# One header per column name in every table on every page (and in exports' About sheet); a name
# not listed reads as its words ("days_past_current_target" -> "Days past current target").
HEADERS = {
    "council": "Council", "report_date": "Report", "ref": "Ref", "audit_title": "Audit", "directorate": "Directorate",
    "responsible": "Responsible officer", "risk_level": "Risk", "risk_raw": "Risk as printed", "status": "Status",
    "original_target_date": "Original target", "current_target_date": "Current target",
    "revision_count": "Revisions", "days_past_original_target": "Days past original target",
    "days_past_current_target": "Days past current target", "no_update_flag": "No fresh update",
    "no_update_streak": "Reports without update", "latest_update_period": "Update stamp",
    "has_doubtful_date": "Doubtful date", "date_warnings": "Date warnings", "ageing_band": "Past original target",
    "source_file": "Source file", "record_no": "Record", "recommendation": "Recommendation",
    "officer": "Officer or directorate", "situation": "Where it stands", "doubtful_date": "Doubtful date",
    "previous_report": "Previous report", "latest_report": "Latest report", "change": "Change",
    "previous_target": "Previous target", "latest_target": "New target", "previous_status": "Previous status",
    "latest_status": "Status now", "newest_report": "Newest report", "rank": "Rank", "directorate_council": "Directorate · council",
    "median_days_past_original": "Median days past original", "share_revised_twice": "Revised 2+ times",
    "share_no_fresh_update": "No fresh update",
    # the Data page's tables: reports loaded, cells read with doubt, load attempts
    "report_id": "Report no.", "report_date_source": "Report date from", "title": "Title", "parser": "Read as",
    "pages": "Pages", "record_count": "Records", "records": "Records", "loaded_at": "Loaded", "loaded_by": "Loaded by",
    "content_hash": "Content hash (SHA-256)", "field": "Field", "raw_text": "As printed", "message": "Message",
    "attempted_at": "Attempted", "outcome": "Outcome", "seconds": "Seconds",
}


def header(name: str) -> str:
    return HEADERS.get(name) or (name[:1].upper() + name[1:]).replace("_", " ")


# A share as a table shows it, once readable_numbers made it a whole percentage: "13%", as percent() writes it.
SHARE_FORMAT = "%d%%"


def readable_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame's shares (share_*, 0 to 1) as whole percentages and its medians (median_*) as whole
    numbers, so a table says "13%" and "4,027" as the page's text does, not "13.33%" and "4027.5"."""
    return frame.with_columns(
        [(pl.col(name) * 100).round(0).cast(pl.Int64) for name in frame.columns if name.startswith("share_")]
        + [pl.col(name).round(0).cast(pl.Int64) for name in frame.columns if name.startswith("median_")])


def table_config(frame: pl.DataFrame, **overrides: ColumnConfig | str) -> dict[str, ColumnConfig | str]:
    """st.dataframe column_config for any frame: every header readable, dates as UK dates, whole
    numbers with thousands separators, shares (after readable_numbers) as percentages; `overrides`
    replaces the config of the columns it names."""
    config: dict[str, ColumnConfig | str] = {}
    for name, dtype in frame.schema.items():
        if dtype.is_integer():
            config[name] = st.column_config.NumberColumn(
                header(name), format=SHARE_FORMAT if name.startswith("share_") else "localized")
        elif dtype == pl.Date:
            config[name] = st.column_config.DateColumn(header(name), format=UK_DATE)
        elif isinstance(dtype, pl.Datetime):
            config[name] = st.column_config.DatetimeColumn(header(name), format=UK_DATETIME)
        else:
            config[name] = header(name)
    return config | overrides


MISSING = "–"  # a missing value as a table shows it (never "None")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_dates_in_column(column: str) -> pl.Expr:
    """A text column with every ISO date in it written as a UK date ("target 2014-12-31 is …" ->
    "target 31 Dec 2014 is …"): messages the ETL writes with ISO dates, as a page shows them."""
    expr = pl.col(column)
    for number, month in enumerate(_MONTHS, start=1):
        expr = (expr.str.replace_all(rf"\b(\d{{4}})-{number:02d}-0(\d)\b", rf"${{2}} {month} ${{1}}")
                    .str.replace_all(rf"\b(\d{{4}})-{number:02d}-(\d{{2}})\b", rf"${{2}} {month} ${{1}}"))
    return expr


def filled(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every missing value shown as MISSING, since st.dataframe prints "None": a
    text column is filled; a date, time or number column with a gap becomes its text (dates as UK
    dates), so it sorts as text."""
    gaps = [name for name in frame.columns if frame[name].null_count()]
    written = []
    for name in gaps:
        dtype = frame.schema[name]
        if dtype == pl.Date:
            text = pl.col(name).dt.strftime("%-d %b %Y")
        elif isinstance(dtype, pl.Datetime):
            text = pl.col(name).dt.strftime("%-d %b %Y, %H:%M")
        else:
            text = pl.col(name).cast(pl.String)
        written.append(text.fill_null(MISSING).alias(name))
    return frame.with_columns(written)
