"""Words the command line and the apps share, so each is said once: a date as people in the UK
write it, and where a file whose content was loaded before went ("already loaded under Manchester
City Council, report of 31 Jan 2023 (report 4, loaded 7 Dec 2026, 14:05 by ann), not under Test
Borough Council: nothing changed")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from etl.store.sqlfiles import sql_text


def printable(text: str) -> str:
    """Text on one line whatever it holds: characters that do not print (a newline, a carriage
    return, an escape, a direction override) written as escapes, so a file name can neither start a
    new line nor rewrite the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def uk_date(value: date | datetime | str | None) -> str:
    """'31 Dec 2024'; a datetime keeps its time ('31 Dec 2024, 14:05'); an ISO string is read first."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return f"{value.day} {value:%b %Y, %H:%M}"
    return f"{value.day} {value:%b %Y}"


@dataclass(frozen=True)
class EarlierLoad:
    """The report a file's content went into when it was first loaded."""

    report_id: int
    council: str
    report_date: date
    loaded_at: datetime | None
    loaded_by: str | None


def earlier_loads(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, EarlierLoad]:
    """The reports holding content with these hashes (sql/queries/reports_by_content.sql), by hash."""
    rows = con.execute(sql_text("queries/reports_by_content.sql"), {"hashes": hashes}).fetchall()
    return {
        digest: EarlierLoad(report_id, council, report_date, loaded_at, loaded_by)
        for digest, report_id, council, report_date, _source, loaded_at, loaded_by in rows
    }


def already_loaded(earlier: EarlierLoad, council: str | None) -> str:
    """What loading content loaded before did, saying where it went; `council` is the one given
    this time, named when it is another."""
    where = f"already loaded under {earlier.council}, report of {uk_date(earlier.report_date)}"
    loaded = f"(report {earlier.report_id}, loaded {uk_date(earlier.loaded_at)} by {earlier.loaded_by or 'unknown'})"
    if council and earlier.council != council:
        return f"{where} {loaded}, not under {council}: nothing changed"
    return f"{where} {loaded}: nothing changed"
