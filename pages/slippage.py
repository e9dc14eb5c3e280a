"""Slippage: charts by council, directorate and risk level; revisions; ageing; trend. At hundreds
of councils each chart draws the worst few (the reader says how many) and one council the reader
finds, and summarises the rest; the full figures are in a table beside each."""

import altair as alt
import polars as pl
import streamlit as st

from app import address
from app.charts import (
    AGEING_ORDER,
    DEFAULT_TOP,
    OPEN_STATES_KEY,
    RISK_ORDER,
    Ranked,
    clickable,
    count_axis,
    open_state_channels,
    open_states,
    rank_worst_first,
    ranked_bars,
    risk_colour,
    show_chart,
    trend_lines,
)
from app.data import query, require_data
from app.filters import filtered_summary, sidebar_filters
from app.text import MISSING, NONE_LABEL, header, readable_numbers, table_config
from app.text import measure as catalogued

st.title("Slippage")
require_data()

filters = sidebar_filters()
summary = filtered_summary(filters)


def breakdown(name: str, by_council: bool) -> pl.DataFrame:
    return summary.filter((pl.col("breakdown") == name) & (pl.col("by_council") == by_council))


councils = breakdown("council", True)
council_names = sorted(councils["council"].to_list())


def a_council(name: str) -> str:
    if name not in council_names:
        raise ValueError(name)
    return name


unknown = address.held("find_council", "find", None, a_council)
if unknown:
    st.warning(f"No council called '{unknown}' under these filters: none is highlighted.", icon="⚠️")
find, how_many = st.columns([3, 1])
found = find.selectbox(
    "Find a council",
    council_names,
    key="find_council",
    placeholder="Type a council's name to highlight it in every chart",
    help="Shown in every chart, even outside the worst, in another colour",
    on_change=address.keep,
    args=("find_council", "find", None),
)
top = how_many.number_input(
    "Councils drawn one by one",
    min_value=5,
    max_value=50,
    value=DEFAULT_TOP,
    step=5,
    key="top_councils",
    help="The worst, by each chart's measure; the rest are summarised",
)
is_found = pl.col("council").is_in([found] if found else [])

MEDIAN_TITLE = header("median_days_past_original")
TABLE_COLUMNS = ["rank", "council", "median_days_past_original", "open", "overdue", "share_revised_twice", "share_no_fresh_update"]


def ranked_medians(ranked: Ranked, category: str, noun: str, columns: list[str], select: str | None = None) -> None:
    """The worst of a breakdown as bars (a click filters by `select`, default `category`), the rest
    summarised under them, and every row's figures in a table beside them."""
    field = select or category
    chart_side, table_side = st.columns([3, 2])
    with chart_side:
        show_chart(
            clickable(
                ranked_bars(
                    ranked, category, "median_days_past_original", MEDIAN_TITLE, f"{noun.capitalize()}, worst first", select=select
                ),
                field,
            ),
            filter_by=field,
            table=ranked.shown.select(columns),
            description=f"Bar chart: the {ranked.shown.height} {noun} drawn, worst first, by median days past the "
            f"original target of their open recommendations. Every one of the {noun} is in the table "
            "beside it.",
        )
        if ranked.rest:
            st.caption(ranked.rest)
    with table_side:
        figures_table(ranked.table, columns, height=min(36 + 35 * ranked.table.height, 480))


def figures_table(frame: pl.DataFrame, columns: list[str], height: int) -> None:
    table = readable_numbers(frame.select(columns))
    st.dataframe(table, hide_index=True, width="stretch", height=height, placeholder=MISSING, column_config=table_config(table))


ranked = rank_worst_first(councils, "median_days_past_original", top, is_found)
ranked_medians(ranked, "council", "councils", TABLE_COLUMNS)

left, right = st.columns(2)
with left:
    risk = open_states(breakdown("risk_level", False).with_columns(pl.col("risk_level").fill_null(NONE_LABEL)), "risk_level")
    chart = (
        alt.Chart(risk, title=alt.Title("Open recommendations by risk level", subtitle=OPEN_STATES_KEY))
        .mark_bar(strokeWidth=1.5)
        .encode(
            x=alt.X("risk_level:N", sort=RISK_ORDER, title="Risk level", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("recommendations:Q", title="Recommendations", stack=True, axis=count_axis()),
            color=risk_colour().legend(None),
            **open_state_channels(),
            order=alt.Order("state:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("risk_level:N", title="Risk level"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("recommendations:Q", title="Recommendations", format=","),
            ],
        )
    )
    show_chart(clickable(chart, "risk_level"), filter_by="risk_level")
with right:
    ageing = query("ageing", **filters.params())
    chart = (
        alt.Chart(ageing, title="Open recommendations by time past target")
        .mark_bar()
        .encode(
            y=alt.Y("ageing_band:N", sort=AGEING_ORDER, scale=alt.Scale(domain=AGEING_ORDER), title="Past original target"),
            x=alt.X("recommendations:Q", title="Recommendations", stack=True, axis=count_axis()),
            color=risk_colour(),
            tooltip=[
                alt.Tooltip("ageing_band:N", title="Past original target"),
                alt.Tooltip("risk_level:N", title="Risk level"),
                alt.Tooltip("recommendations:Q", title="Recommendations", format=","),
            ],
        )
        .properties(height=alt.Step(34))
    )
    show_chart(clickable(chart, "ageing_band"), filter_by="ageing_band")

directorates = (
    breakdown("directorate", True)
    .drop_nulls("directorate")
    .with_columns(pl.format("{} · {}", "directorate", "council").alias("directorate_council"))
)
if directorates.is_empty():
    st.caption("No directorates are named in the filtered reports (some councils list only responsible officers).")
else:
    ranked_directorates = rank_worst_first(
        directorates, "median_days_past_original", top, is_found, noun="directorate", ties=("directorate", "council")
    )
    columns = ["rank", "directorate", *TABLE_COLUMNS[1:]]
    ranked_medians(ranked_directorates, "directorate_council", "directorates", columns, select="directorate")

left, right = st.columns(2)
with left:
    revisions = query("revision_distribution", **filters.params())
    chart = (
        alt.Chart(revisions, title="How often targets were moved")
        .mark_bar()
        .encode(
            x=alt.X("revision_count:O", title="Target-date revisions", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("recommendations:Q", title="Recommendations", stack=True, axis=count_axis()),
            color=risk_colour(),
            tooltip=[
                alt.Tooltip("revision_count:O", title="Target-date revisions"),
                alt.Tooltip("risk_level:N", title="Risk level"),
                alt.Tooltip("recommendations:Q", title="Recommendations", format=","),
            ],
        )
    )
    show_chart(chart)
with right:
    st.header("Across reports")
    measures = {name: header(name) for name in ("open", "overdue", "median_days_past_original", "share_no_fresh_update")}
    measure = (
        st.segmented_control("Measure", list(measures), format_func=lambda m: measures[m], default="overdue", key="trend_measure")
        or "overdue"
    )
    trend = trend_lines(
        query("trend", **filters.params(report=False)),
        measure,
        measures[measure],
        top,
        found,
        percent=catalogued(measure).format == "share",
    )
    st.caption(
        f"{trend.lines}: one line each, named in the legend under the chart (highest first); a point says its council, date and value."
    )

show_chart(
    trend.chart,
    table=trend.table,
    description=f"Line chart of {measures[measure].lower()} per report date for the councils drawn; the others "
    "as a grey median line and band.",
)
if trend.caption:
    st.caption(trend.caption)
