"""The rows a report gives the store, one TypedDict per table (columns as in sql/schema.sql): what
etl/interpret builds, the self-check and the preview read, and etl/store/writes.py inserts.
`report_id` is not here: the write adds it."""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class RecommendationRow(TypedDict):
    """One recommendation as read from the report (the recommendations table)."""

    record_no: int
    source_page: int | None
    section: str | None
    ref: str | None
    audit_title: str | None
    directorate: str | None
    responsible: str | None
    finding: str | None
    recommendation: str | None
    management_response: str | None
    latest_update: str | None
    further_action: str | None
    risk_raw: str | None
    risk_level: str | None
    status: str
    status_raw: str | None
    target_raw: str | None
    original_target_date: date | None
    current_target_date: date | None
    requested_target_date: date | None
    requested_reason: str | None
    latest_update_period: str | None
    no_update_stated: bool
    recommendation_key: str
    percent_complete: float | None
    rag: str | None
    unmapped_columns: str | None


class TargetEventRow(TypedDict):
    """One target date a recommendation's history shows (the target_events table)."""

    record_no: int
    seq: int
    part: int
    in_history: bool
    target_date: date | None
    is_tbc: bool
    raw_text: str
    source: str
    cycle: str | None


class WarningRow(TypedDict):
    """Something read with doubt (the parse_warnings table); record_no None for the whole report."""

    record_no: int | None
    field: str
    raw_text: str | None
    message: str
