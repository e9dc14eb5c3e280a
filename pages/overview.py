"""Overview: headline figures for the filtered councils' newest reports."""
import polars as pl
import streamlit as st

from app.change import MetricDelta, metric_delta
from app.data import query, require_data
from app.filters import filtered_summary, sidebar_filters
from app.movement import CHANGE_LABELS, ROUTINE_CHANGE
from app.text import MISSING, SHARE_FORMAT, days, header, percent, readable_numbers, table_config

CHANGES_PER_PAGE = 50

st.title("Overview")
st.caption("Each council's newest report, or the report chosen in the sidebar. "
           "Days are counted from the first agreed target to the report date.")
require_data()

filters = sidebar_filters()
summary = filtered_summary(filters)
row = summary.filter(pl.col("breakdown") == "all").row(0, named=True)

# Each figure beside its value at each council's previous report (sql/marts/slippage_change.sql).
compared = query("summary_change", **filters.params())
was = compared.filter(pl.col("breakdown") == "all").row(0, named=True)


def previous(measure: str, kind: str = "count") -> MetricDelta:
    return metric_delta(row[measure], was[f"previous_{measure}"], kind)


cols = st.columns(5)
cols[0].metric("Open recommendations", f"{row['open']:,}", help="Not implemented or closed in the newest report",
               **previous("open"))
cols[1].metric("Overdue", f"{row['overdue']:,}", help="Open and past the target in force (or the original, when the new one is TBC)",
               **previous("overdue"))
cols[2].metric("Median days past original target", days(row["median_days_past_original"]),
               help="Open recommendations; negative means not yet due", **previous("median_days_past_original", "days"))
cols[3].metric("Revised two or more times", percent(row["share_revised_twice"]),
               help=f"{row['revised_twice_or_more']:,} of {row['recommendations']:,} recommendations",
               **previous("share_revised_twice", "share"))
cols[4].metric("No fresh update", percent(row["share_no_fresh_update"]),
               help=f"{row['no_fresh_update']:,} recommendations whose update is missing, repeated or stale",
               **previous("share_no_fresh_update", "share"))
st.caption("Changes are against each council's previous report; a council with nothing earlier loaded adds no change.")

st.header("By council")
st.caption("Sort by a change column to see which council got worse since its previous report (a rise is worse).")
by_council = (summary.filter(pl.col("breakdown") == "council")
              .join(query("council_reports"), on="council", how="left")
              .join(compared.filter(pl.col("breakdown") == "council")
                    .select("council", "previous_report", "change_open", "change_overdue"), on="council", how="left")
              .join(query("council_calls", **filters.params()), on="council", how="left")
              .sort("overdue", descending=True)
              .select("council", "newest_report", "reports", "recommendations", "open", "change_open", "overdue",
                      "change_overdue", "due_within_three_months", "extended_more_than_twice", "previous_report",
                      "median_days_past_original", "share_revised_twice", "share_no_fresh_update"))
by_council = readable_numbers(by_council)
st.dataframe(by_council, hide_index=True, width="stretch", placeholder=MISSING, column_config=table_config(
    by_council,
    change_open=st.column_config.NumberColumn("Open: change", format="%+d",
                                              help="Since the council's previous report; empty for its first"),
    change_overdue=st.column_config.NumberColumn("Overdue: change", format="%+d",
                                                 help="Since the council's previous report; a rise is worse"),
    due_within_three_months=st.column_config.NumberColumn(
        "Due in 3 months", help="Open items whose target in force falls within three months of the report: what falls "
                                "due before the next meeting (the Committee page takes its date)"),
    extended_more_than_twice=st.column_config.NumberColumn(
        "Extended 3+ times", help="Open items extended more than twice: the officers a committee calls to account"),
    share_revised_twice=st.column_config.ProgressColumn(header("share_revised_twice"), format=SHARE_FORMAT, min_value=0,
                                                        max_value=100),
    share_no_fresh_update=st.column_config.ProgressColumn(header("share_no_fresh_update"), format=SHARE_FORMAT,
                                                          min_value=0, max_value=100)))

st.header("Since the previous report")
counts = dict(query("movement_counts", **filters.params()).iter_rows())
if not counts:
    if not query("council_reports").filter(pl.col("reports") > 1).is_empty():
        st.caption("No change since the previous report matches the filters (a council's first loaded report has "
                   "nothing before it to compare with).")
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
    page = st.number_input("Page of changes", min_value=1, max_value=pages, value=1, step=1, key="changes_page") \
        if pages > 1 else 1
    first = (page - 1) * CHANGES_PER_PAGE
    movement = query("movement", **filters.params(), limit=CHANGES_PER_PAGE, offset=first)
    st.caption(f"Changes {first + 1:,} to {first + movement.height:,} of {total:,}, by council and kind of change"
               + (f" (page {page:,} of {pages:,})." if pages > 1 else "."))
    st.dataframe(movement, hide_index=True, width="stretch", column_config=table_config(movement), placeholder=MISSING)
