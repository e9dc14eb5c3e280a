"""Re-reading a council's earlier reports in the admin app, once it has been taught (app/preview.py):
each report read again from its file kept in the store (etl/reread.py), in one transaction each,
logged in ingest_log as replaced with who, and what changed said per report. A report loaded before
the store kept files is named as needing its file (preview it with the file, and Load)."""

from __future__ import annotations

from typing import Any

import streamlit as st

OFFER = "reread-offer"  # session state: the council just taught, and the content it was taught on


def offer_after_teaching(council: str, digest: str) -> None:
    """Remember to offer the re-read on the next page runs (a button's click lasts one run only)."""
    st.session_state[OFFER] = (council, digest)


def earlier_reports(council: str, leave_out: str = "") -> list[dict[str, Any]]:
    """The council's reports, oldest first, but the one of this content (just loaded with the teaching)."""
    from app.data import query_at, real_store_path

    found = query_at(real_store_path(), "council_report_files", council=council)
    return [row for row in found.iter_rows(named=True) if row["content_hash"] != leave_out]


def reread_offer(council: str, form_key: str, leave_out: str = "") -> None:
    """'Re-read N earlier reports of this council' (after teaching on the file of content `leave_out`),
    or 'Re-read N reports' (beside the override), asking who; then each outcome, with what changed."""
    from app.text import plain, uk_dates_in
    from app.uploads import counted
    from etl.outcomes import LoadOutcome

    reports = earlier_reports(council, leave_out)
    if not reports:
        return
    missing = [r for r in reports if not r["file_kept"]]
    named = counted(len(reports), "earlier report" if leave_out else "report")
    with st.form(form_key):
        st.markdown(
            f"**{plain(council)}** has {named}"
            + (" read before this teaching" if leave_out else "")
            + (f", {len(missing)} of them loaded before the store kept files (they need their file)" if missing else "")
            + ": re-read them with what it was taught now."
        )
        who = st.text_input("Your name (recorded with the re-read)", key=f"{form_key}-who")
        asked = st.form_submit_button(f"Re-read {named} of this council")
    if not asked:
        return
    if not who.strip():
        st.error("Give your name: it is recorded with each re-read.")
        return
    from app.data import real_store_path
    from etl.reread import reread_council

    for outcome in reread_council(real_store_path(), council, f"{who.strip()} (re-read)", leave_out=frozenset({leave_out})):
        shown_as = {LoadOutcome.REPLACED: st.success, LoadOutcome.NEEDS_ITS_FILE: st.warning}
        show = shown_as.get(outcome.outcome, st.error)
        show(f"{plain(outcome.file.name)}: {outcome.outcome}: {plain(uk_dates_in(outcome.message))}")
