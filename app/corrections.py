"""Correcting one record in the admin app (admin.py, behind the upload key): a misread original
target, a wrong status or risk level, with a reason and who. The correction is kept beside what was
read (etl/store/corrections.py) and shows wherever the value is shown; the Data page lists them all."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.data import QueryRow
from etl.layouts.config import LEVELS, STATUSES
from etl.store.corrections import PRINTED_FROM

FIELD_LABELS = {
    "original_target_date": "original target",
    "current_target_date": "current target",
    "status": "status",
    "risk_level": "risk level",
}


def _record_label(row: QueryRow) -> str:
    title = row["audit_title"] or "(untitled)"
    return f"#{row['record_no']} {row['ref'] or ''} {title}: {(row['recommendation'] or '')[:60]}".replace("  ", " ")


def _value_control(field: str, row: QueryRow) -> str | None:
    """The widget for the right value, starting from the value as it stands."""
    if field.endswith("_date"):
        chosen = st.date_input(f"Right {FIELD_LABELS[field]}", value=row[field], format="DD/MM/YYYY")
        return chosen.isoformat() if isinstance(chosen, date) else None
    options = list(STATUSES if field == "status" else LEVELS)
    current = row[field]
    return st.selectbox(f"Right {FIELD_LABELS[field]}", options, index=options.index(current) if current in options else None)


def save(report_id: int, record_no: int, field: str, value: str, reason: str, who: str) -> None:
    from app.data import real_store_path
    from etl.load import in_one_transaction
    from etl.store.corrections import Correction, CorrectionError, correct
    from etl.store.store import Store

    correction = Correction(report_id, record_no, field, value, reason, f"{who} (admin)")
    try:
        with Store(real_store_path()).writing() as con:
            in_one_transaction(con, lambda: correct(con, correction))
    except CorrectionError as exc:
        st.error(f"Not corrected: {exc}")
        return
    st.success(f"Record {record_no}'s {FIELD_LABELS[field]} corrected to {value}; what was read is kept beside it.")


def correction_section() -> None:
    from app.data import has_data, query, report_choices

    if not has_data():
        return
    st.header("Correct one record")
    ids = report_choices()
    label = st.selectbox("Report to correct", list(ids), index=None, placeholder="Choose a report", key="correct-report")
    if label is None:
        return
    rows = {row["record_no"]: row for row in query("report_records", report_id=ids[label]).iter_rows(named=True)}
    record_no = st.selectbox(
        "Record to correct", list(rows), format_func=lambda n: _record_label(rows[n]), index=None, key="correct-record"
    )
    if record_no is None:
        return
    row = rows[record_no]
    for note in row["corrections"] or []:
        st.caption(note)
    fields: list[str] = list(PRINTED_FROM)
    field: str = st.selectbox("Field", fields, format_func=lambda name: FIELD_LABELS[name], key="correct-field") or fields[0]
    with st.form("correct"):
        st.caption(f"Printed: {row[PRINTED_FROM[field]] or 'nothing'}; read as: {row[field] or 'nothing'}")
        value = _value_control(field, row)
        reason = st.text_input("Reason (shown with the correction)")
        who = st.text_input("Your name (recorded with the correction)")
        if not st.form_submit_button("Save the correction"):
            return
    if value is None or not reason.strip() or not who.strip():
        st.error("Give the right value, the reason and your name.")
        return
    save(ids[label], record_no, field, value, reason.strip(), who.strip())
