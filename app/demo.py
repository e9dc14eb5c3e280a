"""The demo history the dashboard opens on, and the one-click switch to the real store.

Which store a dashboard session shows:
- with $SLIPPAGE_DB set, exactly that store, and no switch;
- else the page address's `data` parameter: `demo`, or `samples` for the real store
  (data/audit.duckdb, built from the bundled samples), so a shared link keeps the choice;
- else the session's earlier choice (a change of page can drop the address's parameters; the
  choice is put back);
- else the real store once it holds a report that is not one of the bundled samples (someone has
  loaded their own), otherwise the demo.
The demo says so on every page, in a banner above the page."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from app.data import SHOWN, demo_store_path, ensure_store, query_at, real_store_path
from etl import settings
from etl.parse import content_hash
from etl.store.store import SAMPLES_DIR

DATA_PARAM = "data"  # the page address's choice: ?data=demo or ?data=samples
DEMO, REAL = "demo", "samples"
CHOICE = "data_choice"  # session state: the choice, for pages whose address lost it
SWITCH = "data_switch"  # the sidebar switch's key


def demo_offered() -> bool:
    """The demo is offered unless $SLIPPAGE_DB names the one store to show."""
    return settings.DB.value() is None


@functools.cache
def sample_hashes() -> tuple[str, ...]:
    """The bundled samples' content hashes: a store's reports are its owner's when not among these."""
    return tuple(sorted(content_hash(path) for path in SAMPLES_DIR.iterdir() if path.name != "manifest.toml"))


def holds_own_reports() -> bool:
    """Whether the real store holds a report that is not one of the bundled samples."""
    real = real_store_path()
    return real.exists() and query_at(real, "own_reports", sample_hashes=list(sample_hashes()))["reports"][0] > 0


def _choice() -> str:
    asked = st.query_params.get(DATA_PARAM)
    if asked in (DEMO, REAL):
        return asked
    kept = st.session_state.get(CHOICE)
    if kept in (DEMO, REAL):
        return kept
    return REAL if holds_own_reports() else DEMO


def _switched() -> None:
    st.session_state[CHOICE] = st.query_params[DATA_PARAM] = st.session_state[SWITCH]


def show_chosen_store() -> None:
    """Choose this session's store (see the module's docstring), build it on first run, and, where
    the demo is offered, draw the switch in the sidebar and the demo's banner above the page."""
    if not demo_offered():
        st.session_state[SHOWN] = str(real_store_path())
        ensure_store(real_store_path())
        return
    choice = _choice()
    st.session_state[CHOICE] = choice
    if st.query_params.get(DATA_PARAM) != choice:
        st.query_params[DATA_PARAM] = choice  # only this parameter: the filters keep theirs
    path = demo_store_path() if choice == DEMO else real_store_path()
    st.session_state[SHOWN] = str(path)
    # Both on first run, so the other is one click away at once.
    ensure_store(real_store_path(), shown=choice == REAL)
    ensure_store(demo_store_path())
    labels = {DEMO: "Demo history (synthetic)", REAL: "Your reports" if holds_own_reports() else "Bundled samples (real reports)"}
    st.session_state[SWITCH] = choice
    st.sidebar.radio(
        "Data shown",
        [DEMO, REAL],
        format_func=labels.__getitem__,
        key=SWITCH,
        on_change=_switched,
        help="The demo is made up, to show what slippage does across several reports; the real "
        "store is data/audit.duckdb, built from the bundled sample appendices, plus any "
        "reports loaded in the admin app.",
    )
    if choice == DEMO:
        _banner(path)


def _banner(path: Path) -> None:
    reports = query_at(path, "council_reports")
    counts = reports["reports"].to_list()
    fewest, most = min(counts), max(counts)
    cycles = f"{fewest}–{most}" if fewest != most else f"{most}"
    st.info(
        f"**Demo data**: a synthetic history of {reports.height} fictional councils with {cycles} quarterly "
        "reports each, made up to show what slippage does across reporting cycles. No figure here is real. "
        "The real bundled samples are one click away: **Data shown** in the sidebar.",
        icon=":material/science:",
    )
