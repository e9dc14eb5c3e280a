"""Slippage: charts by council, directorate and risk level; revisions; ageing; trend."""
import altair as alt
import polars as pl
import streamlit as st

from app.charts import AGEING_ORDER, RISK_ORDER, bar_chart, clickable, risk_colour, show_chart
from app.data import query, require_data
from app.filters import filtered_summary, sidebar_filters
from app.text import NONE_LABEL

st.title("Slippage")
require_data()

filters = sidebar_filters()
summary = filtered_summary(filters)


def breakdown(name: str, by_council: bool) -> pl.DataFrame:
    return summary.filter((pl.col("breakdown") == name) & (pl.col("by_council") == by_council))


left, right = st.columns(2)
with left:
    councils = breakdown("council", True).drop_nulls("median_days_past_original")
    show_chart(clickable(bar_chart(councils, "council", "median_days_past_original", "Council",
                                   "Median days past original target", "Open recommendations: median days past original target"),
                         "council"), filter_by="council")
with right:
    risk = (breakdown("risk_level", False)
            .with_columns(pl.col("risk_level").fill_null(NONE_LABEL), (pl.col("open") - pl.col("overdue")).alias("open, not overdue"))
            .unpivot(index="risk_level", on=["overdue", "open, not overdue"], variable_name="state", value_name="count"))
    chart = (alt.Chart(risk, title="Open recommendations by risk level")
             .mark_bar()
             .encode(x=alt.X("risk_level:N", sort=RISK_ORDER, title="Risk level", axis=alt.Axis(labelAngle=0)),
                     y=alt.Y("count:Q", title="Recommendations", stack=True),
                     color=risk_colour(),
                     opacity=alt.Opacity("state:N", title="", sort=["overdue", "open, not overdue"],
                                         scale=alt.Scale(domain=["overdue", "open, not overdue"], range=[1.0, 0.4])),
                     tooltip=["risk_level:N", "state:N", "count:Q"]))
    show_chart(chart)

directorates = (breakdown("directorate", True).drop_nulls("directorate").drop_nulls("median_days_past_original")
                .with_columns(pl.format("{} · {}", "directorate", "council").alias("directorate_council"))
                .sort("median_days_past_original", descending=True).head(25))
if directorates.is_empty():
    st.caption("No directorates are named in the filtered reports (some councils list only responsible officers).")
else:
    show_chart(bar_chart(directorates, "directorate_council", "median_days_past_original", "Directorate · council",
                               "Median days past original target", "Open recommendations by directorate: median days past original target"))

left, right = st.columns(2)
with left:
    revisions = query("revision_distribution", **filters.params())
    chart = (alt.Chart(revisions, title="How often targets were moved")
             .mark_bar()
             .encode(x=alt.X("revision_count:O", title="Target-date revisions"),
                     y=alt.Y("recommendations:Q", title="Recommendations", stack=True),
                     color=risk_colour(), tooltip=["revision_count:O", "risk_level:N", "recommendations:Q"]))
    show_chart(chart)
with right:
    ageing = query("ageing", **filters.params())
    chart = (alt.Chart(ageing, title="Open recommendations by time past original target")
             .mark_bar()
             .encode(x=alt.X("ageing_band:N", sort=AGEING_ORDER, title="Past original target", axis=alt.Axis(labelAngle=0)),
                     y=alt.Y("recommendations:Q", title="Recommendations", stack=True),
                     color=risk_colour(), tooltip=["ageing_band:N", "risk_level:N", "recommendations:Q"]))
    show_chart(chart)

trend = query("trend", **filters.params(report=False))
st.subheader("Across reports")
measures = {"open": "Open", "overdue": "Overdue", "median_days_past_original": "Median days past original target",
            "share_no_fresh_update": "Share with no fresh update"}
measure = st.segmented_control("Measure", list(measures), format_func=lambda m: measures[m], default="overdue",
                               key="trend_measure") or "overdue"
chart = (alt.Chart(trend, title=f"{measures[measure]} per report")
         .mark_line(point=True)
         .encode(x=alt.X("report_date:T", title="Report date"),
                 y=alt.Y(f"{measure}:Q", title=measures[measure],
                         axis=alt.Axis(format="%") if measure.startswith("share") else alt.Axis()),
                 color=alt.Color("council:N", title="Council"),
                 tooltip=["council:N", alt.Tooltip("report_date:T", title="Report date"), f"{measure}:Q"]))
show_chart(chart)
