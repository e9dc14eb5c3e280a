"""What the chair chooses on the Committee page, kept in the page address (app/address.py) so a
link opens the same view: the next meeting's date (?meeting=2025-06-30; default MEETING_MONTHS
after the report) and how many extensions call an officer to account (?called=2; default
CALLED_AFTER). A value the address gives that cannot be read is said, and the default shown."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app import address
from app.committee.view import CALLED_AFTER, months_on
from app.text import uk_date

MEETING, CALLED = "meeting", "called"
MEETING_KEY, CALLED_KEY = "committee_meeting", "committee_called"


def _to_address(name: str, key: str) -> None:
    chosen = st.session_state[key]
    address.change({name: chosen.isoformat() if isinstance(chosen, date) else str(chosen)})


def asked_meeting(report_date: date) -> tuple[date, str | None]:
    """The meeting date the address gives, else the default; with what was wrong with it."""
    default = months_on(report_date)
    given = address.value(MEETING)
    if given is None:
        return default, None
    try:
        return date.fromisoformat(given), None
    except ValueError:
        return default, f"The address's meeting date {given!r} is not a date: showing {uk_date(default)}."


def asked_called_after() -> tuple[int, str | None]:
    given = address.value(CALLED)
    if given is None:
        return CALLED_AFTER, None
    if given.isdigit():
        return int(given), None
    return CALLED_AFTER, f"The address's number of extensions {given!r} is not a whole number: showing {CALLED_AFTER}."


def choose(report_date: date) -> tuple[date, int]:
    """The chair's two inputs, drawn side by side, as the address says them."""
    meeting, meeting_problem = asked_meeting(report_date)
    called_after, called_problem = asked_called_after()
    for problem in (meeting_problem, called_problem):
        if problem:
            st.warning(problem)
    st.session_state[MEETING_KEY], st.session_state[CALLED_KEY] = meeting, called_after
    left, right, _ = st.columns([1, 1, 2])
    left.date_input(
        "Next meeting",
        key=MEETING_KEY,
        format="DD/MM/YYYY",
        on_change=_to_address,
        args=(MEETING, MEETING_KEY),
        help="Items whose target in force falls from the report date up to the day before are listed",
    )
    right.number_input(
        "Called to account after more than",
        min_value=0,
        step=1,
        key=CALLED_KEY,
        on_change=_to_address,
        args=(CALLED, CALLED_KEY),
        help="Items extended more than this many times are listed with their officer",
    )
    return meeting, called_after
