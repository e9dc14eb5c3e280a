"""Overview: headline figures for the filtered councils' newest reports."""

import polars as pl
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from app.change import metric_delta, with_changes
from app.data import query, require_data
from app.filters import filtered_summary, sidebar_filters
from app.movement import CHANGE_LABELS, ROUTINE_CHANGE
from app.text import MISSING, SHARE_FORMAT, figure, header, measure, readable_numbers, table_config

CHANGES_PER_PAGE = 50

st.title("Overview")
st.caption(
    "Each council's newest report, or the report chosen in the sidebar. Days are counted from the first agreed target to the report date."
)
require_data()

filters = sidebar_filters()
summary = filtered_summary(filters)
row = summary.filter(pl.col("breakdown") == "all").row(0, named=True)

# Each figure beside its value at each council's previous report (sql/marts/slippage_change.sql).
compared = with_changes(query("summary_change", **filters.params()))
was = compared.filter(pl.col("breakdown") == "all").row(0, named=True)

# The headline figures: measures of the catalogue (sql/measures.toml), labelled, helped and
# formatted as it says; a share's help says what it is a share of.
HEADLINE = ("open", "overdue", "median_days_past_original", "share_revised_twice", "share_no_fresh_update")
SHARE_OF = {"share_revised_twice": "revised_twice_or_more", "share_no_fresh_update": "no_fresh_update"}


def said(name: str) -> str:
    if name in SHARE_OF:
        return f"{measure(name).help} {row[SHARE_OF[name]]:,} of {row['recommendations']:,}."
    return measure(name).help


for col, name in zip(st.columns(len(HEADLINE)), HEADLINE):
    col.metric(header(name), figure(name, row[name]), help=said(name), **metric_delta(name, row[name], was[f"previous_{name}"]))
st.caption("Changes are against each council's previous report; a council with nothing earlier loaded adds no change.")

st.header("By council")
st.caption(
    "Sort by a change column to see which council got worse since its previous report (a rise is worse). "
    "What falls due before the next meeting takes the meeting three months after each council's report; the "
    "Committee page takes its date, and the number of extensions after which an officer is called to account."
)
by_council = (
    summary.filter(pl.col("breakdown") == "council")
    .join(query("council_reports"), on="council", how="left")
    .join(
        compared.filter(pl.col("breakdown") == "council").select("council", "previous_report", "change_open", "change_overdue"),
        on="council",
        how="left",
    )
    .sort("overdue", descending=True)
    .select(
        "council",
        "newest_report",
        "reports",
        "recommendations",
        "open",
        "change_open",
        "overdue",
        "change_overdue",
        "falls_due_before_meeting",
        "called_to_account",
        "extensions_to_approve",
        "previous_report",
        "median_days_past_original",
        "share_revised_twice",
        "share_no_fresh_update",
    )
)
by_council = readable_numbers(by_council)


def share_bar(name: str) -> ColumnConfig:
    return st.column_config.ProgressColumn(header(name), format=SHARE_FORMAT, min_value=0, max_value=100, help=measure(name).help)


st.dataframe(
    by_council,
    hide_index=True,
    width="stretch",
    placeholder=MISSING,
    column_config=table_config(
        by_council, share_revised_twice=share_bar("share_revised_twice"), share_no_fresh_update=share_bar("share_no_fresh_update")
    ),
)

st.header("Since the previous report")
counts = dict(query("movement_counts", **filters.params()).iter_rows())
if not counts:
    if not query("council_reports").filter(pl.col("reports") > 1).is_empty():
        st.caption(
            "No change since the previous report matches the filters (a council's first loaded report has "
            "nothing before it to compare with)."
        )
    else:
        st.caption("Each council here has one report loaded: load an earlier or later report to see what changed.")
else:
    shown = {change: label for change, label in CHANGE_LABELS.items() if change != ROUTINE_CHANGE}
    for col, (change, label) in zip(st.columns(len(shown)), shown.items()):
        col.metric(label, f"{counts.get(change, 0):,}")
    total = sum(counts.values())
    pages = -(-total // CHANGES_PER_PAGE)
    if st.session_state.get("changes_page", 1) > pages:  # fewer changes match the filters than before
        st.session_state["changes_page"] = 1
    page = st.number_input("Page of changes", min_value=1, max_value=pages, value=1, step=1, key="changes_page") if pages > 1 else 1
    first = (page - 1) * CHANGES_PER_PAGE
    movement = query("movement", **filters.params(), limit=CHANGES_PER_PAGE, offset=first)
    st.caption(
        f"Changes {first + 1:,} to {first + movement.height:,} of {total:,}, by council and kind of change"
        + (f" (page {page:,} of {pages:,})." if pages > 1 else ".")
    )
    st.dataframe(movement, hide_index=True, width="stretch", column_config=table_config(movement), placeholder=MISSING)
