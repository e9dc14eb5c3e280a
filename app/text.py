"""How values read on a page: numbers, days and UK dates as text, readable column headers, document
text made safe for Markdown, and the label of a missing value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st

from etl.store.measures import Catalogue, Measure, catalogue
from etl.store.seeds import risk_levels
from etl.wording import uk_date as uk_date  # the ETL says dates the same way (etl/wording.py)

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

# The label for a missing directorate or risk level: the risk-level seed's last row (sorted after
# every level), which tests/test_sql_store.py pins to SQL's none_label() (sql/macros/none_label.sql).
NONE_LABEL = risk_levels()[-1].level

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
    return "–" if value is None else f"{value:,.0f} day" + ("" if round(value) == 1 else "s")


def formatted(value: float | None, number_format: str) -> str:
    """A figure in its catalogue format (sql/measures.toml): count '1,204', share '26%', days
    '151 days', decimal '1.5'; '–' where there is none."""
    if value is None:
        return "–"
    if number_format == "share":
        return percent(value)
    if number_format == "days":
        return days(value)
    if number_format == "decimal":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def measure(name: str) -> Measure:
    """A measure of the catalogue, by the column name every roll-up gives it."""
    return catalogue()[name]


def figure(name: str, value: float | None) -> str:
    """A measure's value as every page and pack writes it."""
    return formatted(value, measure(name).format)


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
    "council": "Council",
    "report_date": "Report",
    "ref": "Ref",
    "audit_title": "Audit",
    "directorate": "Directorate",
    "responsible": "Responsible officer",
    "risk_level": "Risk",
    "risk_raw": "Risk as printed",
    "status": "Status",
    "original_target_date": "Original target",
    "current_target_date": "Current target",
    "revision_count": "Revisions",
    "days_past_original_target": "Days past original target",
    "days_past_current_target": "Days past current target",
    "no_update_flag": "Without a fresh update",
    "no_update_streak": "Reports without update",
    "latest_update_period": "Update stamp",
    "has_doubtful_date": "Doubtful date",
    "date_warnings": "Date warnings",
    "ageing_band": "Past original target",
    "source_file": "Source file",
    "record_no": "Record",
    "recommendation": "Recommendation",
    "officer": "Officer or directorate",
    "situation": "Where it stands",
    "doubtful_date": "Doubtful date",
    "previous_report": "Previous report",
    "latest_report": "Latest report",
    "change": "Change",
    "previous_target": "Previous target",
    "latest_target": "New target",
    "previous_status": "Previous status",
    "latest_status": "Status now",
    "newest_report": "Newest report",
    "rank": "Rank",
    "directorate_council": "Directorate · council",
    # the Data page's tables: reports loaded, cells read with doubt, load attempts
    "report_id": "Report no.",
    "report_date_source": "Report date from",
    "title": "Title",
    "parser": "Read as",
    "pages": "Pages",
    "record_count": "Records",
    "records": "Records",
    "loaded_at": "Loaded",
    "loaded_by": "Loaded by",
    "content_hash": "Content hash (SHA-256)",
    "field": "Field",
    "raw_text": "As printed",
    "message": "Message",
    "attempted_at": "Attempted",
    "outcome": "Outcome",
    "seconds": "Seconds",
}
# The headers of columns that are not measures; every measure's label, and those of its value at
# the previous report and its change, come from the catalogue (measure_headers).
COLUMN_HEADERS = dict(HEADERS)


def measure_headers(given: Catalogue) -> dict[str, str]:
    """Each measure's column headed by its catalogue label, and the columns of its value at the
    council's previous report (previous_<name>) and its change (change_<name>)."""
    headers: dict[str, str] = {}
    for entry in given.measures:
        headers |= {
            entry.name: entry.label,
            f"previous_{entry.name}": f"{entry.label}, previous report",
            f"change_{entry.name}": f"{entry.label}: change",
        }
    return headers


HEADERS |= measure_headers(catalogue())


def measure_of(column: str) -> Measure | None:
    """The measure a column holds (its own name, or previous_ or change_ before it), or None."""
    for prefix in ("", "previous_", "change_"):
        if column.startswith(prefix) and column[len(prefix) :] in catalogue().names:
            return measure(column[len(prefix) :])
    return None


def header(name: str) -> str:
    return HEADERS.get(name) or (name[:1].upper() + name[1:]).replace("_", " ")


# A share as a table shows it, once readable_numbers made it a whole percentage: "13%", as percent() writes it.
SHARE_FORMAT = "%d%%"


def _format_of(column: str) -> str | None:
    found = measure_of(column)
    return found.format if found else None


def readable_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame's measures in their catalogue formats: shares (0 to 1) as whole percentages, days
    as whole numbers, so a table says "13%" and "4,027" as the page's text does, not "13.33%" and
    "4027.5"."""
    return frame.with_columns(
        [(pl.col(name) * 100).round(0).cast(pl.Int64) for name in frame.columns if _format_of(name) == "share"]
        + [pl.col(name).round(0).cast(pl.Int64) for name in frame.columns if _format_of(name) == "days"]
    )


def _number_format(column: str) -> str:
    """st.column_config's format for a number column: a share (after readable_numbers) as a
    percentage, a change with its sign, a decimal with one place, every other number localised."""
    number_format = _format_of(column)
    if column.startswith("change_"):
        return "%+d%%" if number_format == "share" else "%+.1f" if number_format == "decimal" else "%+d"
    return {"share": SHARE_FORMAT, "decimal": "%.1f"}.get(number_format or "", "localized")


def table_config(frame: pl.DataFrame, **overrides: ColumnConfig | str) -> dict[str, ColumnConfig | str]:
    """st.dataframe column_config for any frame: every header readable, dates as UK dates, whole
    numbers with thousands separators, shares (after readable_numbers) as percentages; `overrides`
    replaces the config of the columns it names."""
    config: dict[str, ColumnConfig | str] = {}
    for name, dtype in frame.schema.items():
        if dtype.is_integer() or (dtype.is_numeric() and measure_of(name)):
            config[name] = st.column_config.NumberColumn(
                header(name), format=_number_format(name), help=found.help if (found := measure_of(name)) else None
            )
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
        expr = expr.str.replace_all(rf"\b(\d{{4}})-{number:02d}-0(\d)\b", rf"${{2}} {month} ${{1}}").str.replace_all(
            rf"\b(\d{{4}})-{number:02d}-(\d{{2}})\b", rf"${{2}} {month} ${{1}}"
        )
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
