"""Overview: headline figures for the filtered councils' newest reports."""
import polars as pl
import streamlit as st

from app.data import query, require_data
from app.filters import filtered_summary, sidebar_filters
from app.movement import CHANGE_LABELS
from app.text import days, percent

st.title("Overview")
st.caption("Each council's newest report, or the report chosen in the sidebar. "
           "Days are counted from the first agreed target to the report date.")
require_data()

filters = sidebar_filters()
summary = filtered_summary(filters)
row = summary.filter(pl.col("breakdown") == "all").row(0, named=True)

cols = st.columns(5)
cols[0].metric("Open recommendations", f"{row['open']:,}", help="Not implemented or closed in the newest report")
cols[1].metric("Overdue", f"{row['overdue']:,}", help="Open and past the target in force (or the original, when the new one is TBC)")
cols[2].metric("Median days past original target", days(row["median_days_past_original"]),
               help="Open recommendations; negative means not yet due")
cols[3].metric("Revised two or more times", percent(row["share_revised_twice"]),
               help=f"{row['revised_twice_or_more']:,} of {row['recommendations']:,} recommendations")
cols[4].metric("No fresh update", percent(row["share_no_fresh_update"]),
               help=f"{row['no_fresh_update']:,} recommendations whose update is missing, repeated or stale")

st.subheader("By council")
by_council = (summary.filter(pl.col("breakdown") == "council")
              .join(query("council_reports"), on="council", how="left")
              .sort("overdue", descending=True))
st.dataframe(
    by_council.select("council", "newest_report", "reports", "recommendations", "open", "overdue",
                      "median_days_past_original", "share_revised_twice", "share_no_fresh_update"),
    hide_index=True, width="stretch",
    column_config={
        "council": "Council", "newest_report": st.column_config.DateColumn("Newest report"),
        "reports": "Reports", "recommendations": "Recommendations", "open": "Open", "overdue": "Overdue",
        "median_days_past_original": st.column_config.NumberColumn("Median days past original", format="%d"),
        "share_revised_twice": st.column_config.ProgressColumn("Revised 2+ times", format="percent", min_value=0, max_value=1),
        "share_no_fresh_update": st.column_config.ProgressColumn("No fresh update", format="percent", min_value=0, max_value=1),
    })

st.subheader("Since the previous report")
counts = dict(query("movement_counts", **filters.params()).iter_rows())
if not counts:
    st.caption("Each council here has one report loaded: load an earlier or later report to see what changed.")
else:
    for col, (change, label) in zip(st.columns(len(CHANGE_LABELS)), CHANGE_LABELS.items()):
        col.metric(label, f"{counts.get(change, 0):,}")
    movement = query("movement", **filters.params(), limit=500)
    if sum(counts.values()) > movement.height:
        st.caption(f"The first {movement.height:,} of {sum(counts.values()):,} changes; filter by council to see the rest.")
    st.dataframe(movement, hide_index=True, width="stretch",
                 column_config={"previous_report": st.column_config.DateColumn("Previous report"),
                                "latest_report": st.column_config.DateColumn("Latest report"),
                                "previous_target": st.column_config.DateColumn("Previous target"),
                                "latest_target": st.column_config.DateColumn("New target")})
