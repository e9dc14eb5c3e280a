"""One record's field corrected by an admin (table record_corrections, sql/migrations/005), kept
beside what was read and never over it. A correction names the record by its identity (council,
report date, recommendation_key), so a re-read of the same report keeps it; the staging view
stg_corrected_recommendations applies it, and the council's facts are recomputed at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from etl.layouts.config import LEVELS, STATUSES
from etl.store.derived import refresh_councils

# The fields an admin may correct, and the cell each is read from (what "printed" quotes).
PRINTED_FROM = {"original_target_date": "target_raw", "current_target_date": "target_raw", "status": "status_raw", "risk_level": "risk_raw"}


class CorrectionError(ValueError):
    """A correction that cannot be made; the message says why, in one line."""


@dataclass(frozen=True)
class Correction:
    report_id: int
    record_no: int
    field: str
    value: str  # an ISO date for a date field, else a status or a risk level
    reason: str
    corrected_by: str


def checked_value(field: str, value: str) -> str:
    """The value as stored, or a CorrectionError naming what is wrong with it."""
    if field not in PRINTED_FROM:
        raise CorrectionError(f"{field!r} cannot be corrected (these can: {', '.join(PRINTED_FROM)})")
    if field.endswith("_date"):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise CorrectionError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    allowed = STATUSES if field == "status" else LEVELS
    if value not in allowed:
        raise CorrectionError(f"{value!r} is not a {field.replace('_', ' ')} ({', '.join(allowed)})")
    return value


def correct(con: duckdb.DuckDBPyConnection, correction: Correction) -> str:
    """Record the correction and recompute the council's figures; returns the council. Call inside
    the write's transaction."""
    value = checked_value(correction.field, correction.value)
    if not correction.reason.strip() or not correction.corrected_by.strip():
        raise CorrectionError("a correction needs a reason and the name of who made it")
    found = con.execute(
        f"SELECT rep.council, rep.report_date, rec.recommendation_key, rec.{PRINTED_FROM[correction.field]},"
        f" rec.{correction.field}::VARCHAR FROM recommendations rec JOIN reports rep USING (report_id)"
        " WHERE report_id = ? AND record_no = ?",
        [correction.report_id, correction.record_no],
    ).fetchall()
    if not found:
        raise CorrectionError(f"report {correction.report_id} has no record {correction.record_no}")
    council, report_date, key, printed, read_as = found[0]
    con.execute(
        "INSERT INTO record_corrections (council, report_date, recommendation_key, field, printed, read_as, corrected,"
        " reason, corrected_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            council,
            report_date,
            key,
            correction.field,
            printed,
            read_as,
            value,
            correction.reason.strip(),
            correction.corrected_by.strip(),
            datetime.now(),
        ],
    ).fetchall()
    refresh_councils(con, [council])
    return str(council)
