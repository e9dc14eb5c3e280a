"""The page address (st.query_params) as the home of a view's state, so a link opens the same view
and the browser's Back and Forward step through its changes.

How Streamlit (1.67) makes that work: a change to st.query_params during a run sends the new query
string to the browser, which pushes a history entry for it (replaces the entry instead while a Back
or Forward is being replayed). On Back or Forward the browser reruns the page with that entry's
query string, and st.query_params holds it. So a page reads its state from the address on every
run, and a user's change is written to the address in the widget's callback (before the run that
shows it): one history entry per change, and none for a run that changes nothing. Parameters a
caller does not name (the SQL page's q, the store choice's data) are left as they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage


def values(name: str) -> list[str]:
    """Every value of a repeated parameter (?council=A&council=B), empty values left out."""
    return [v for v in st.query_params.get_all(name) if v]


def value(name: str) -> str | None:
    return st.query_params.get(name) or None


def change(changes: Mapping[str, Iterable[str] | str | None]) -> None:
    """Set the named parameters (empty or None removes one), others untouched, in one
    step: one history entry however many parameters change."""
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    for name, given in changes.items():
        listed = [v for v in ([given] if isinstance(given, str) else given or ()) if v]
        if listed:
            current[name] = listed
        else:
            current.pop(name, None)
    if current != {name: st.query_params.get_all(name) for name in st.query_params}:
        st.query_params.from_dict(current)


def navigation(pages: list[StreamlitPage]) -> None:
    """Links to the pages, in the sidebar, that carry the page address along. Streamlit's own
    navigation drops every parameter not bound to a widget when the page changes, so filters
    would be lost on the way (and a link to the new page would not say them); a page link given
    the address's parameters opens the new page with them, as one history entry."""
    carried = {name: st.query_params.get_all(name) for name in st.query_params}
    with st.sidebar.container(key="page_links"):
        for page in pages:
            st.page_link(page, query_params=carried)
        st.divider()


def held(key: str, name: str, default: object, read: Callable[[str], object] = str) -> str | None:
    """Widget `key` shows what the address's `name` says (`read` turns the text into the widget's
    value), or `default` when the address says nothing. Returns the text the address gave that
    `read` could not take (so the page can say so), else None."""
    given = value(name)
    try:
        st.session_state[key] = default if given is None else read(given)
    except (ValueError, TypeError):
        st.session_state[key] = default
        return given
    return None


def keep(key: str, name: str, default: object, also: Mapping[str, str | None] | None = None) -> None:
    """on_change of a widget held in the address: its new value goes into `name` (left out when it
    is the default, so a plain view has a short address), with `also` set in the same step."""
    chosen = st.session_state[key]
    said = None if chosen == default else "yes" if chosen is True else str(chosen)
    change({name: said, **(also or {})})
