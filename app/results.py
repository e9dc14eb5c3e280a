"""A query result as the SQL page shows it: a table with UK dates and blank nulls (column names as
the analyst wrote them), and a chart only when the user asks for one, of the x, y, aggregation and
mark the user picks. Rows are never combined unless an aggregation is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import altair as alt
import polars as pl
import streamlit as st

from app.charts import ACCENT
from app.text import UK_DATE, UK_DATETIME

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

AGGREGATIONS = ("none", "sum", "mean", "median", "min", "max", "count")
MARKS = {"bar": "Bars", "line": "Line", "point": "Points", "area": "Area"}
# Vega-Lite's pattern for the same UK date as app/text.uk_date ("31 Dec 2024").
AXIS_DATE = "%-d %b %Y"


def result_table(frame: pl.DataFrame) -> None:
    config: dict[str, ColumnConfig] = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            config[name] = st.column_config.DateColumn(name, format=UK_DATE)
        elif isinstance(dtype, pl.Datetime):
            config[name] = st.column_config.DatetimeColumn(name, format=UK_DATETIME)
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, placeholder="")


@dataclass(frozen=True)
class ChartChoice:
    x: str
    y: str
    aggregation: str  # one of AGGREGATIONS
    mark: str  # a key of MARKS


def chart_choice(frame: pl.DataFrame, key: str) -> ChartChoice | None:
    """The chart the user asks for, or None (the default: no chart until asked)."""
    if frame.is_empty() or not st.toggle("Chart the result", key=f"{key}_on"):
        return None
    x_col, y_col, aggregation_col, mark_col = st.columns(4)
    x = x_col.selectbox("x", frame.columns, key=f"{key}_x")
    numbers = [name for name, dtype in frame.schema.items() if dtype.is_numeric()]
    y = y_col.selectbox("y", numbers + [n for n in frame.columns if n not in numbers], key=f"{key}_y")
    aggregation = aggregation_col.selectbox(
        "Aggregation", AGGREGATIONS, key=f"{key}_aggregation", help="How rows that share an x are combined; none draws every row as it is"
    )
    mark = mark_col.selectbox("Mark", list(MARKS), format_func=MARKS.__getitem__, key=f"{key}_mark")
    return ChartChoice(x, y, aggregation, mark)


def result_chart(frame: pl.DataFrame, choice: ChartChoice) -> alt.Chart | str:
    """The chart of the choice, or why it cannot be drawn as asked."""
    x, y, aggregation = choice.x, choice.y, choice.aggregation
    if aggregation != "count" and not frame.schema[y].is_numeric():
        return f"{y} is not a number: choose a numeric y, or count."
    # The chart's own column names: a result's may hold characters Vega-Lite reads as syntax ("a.b", "count(*)").
    if aggregation == "none":
        shared = frame.height - frame[x].n_unique()
        if shared and choice.mark != "point":
            return f"{shared:,} rows share an x value with another row: choose an aggregation to combine them, or points to show every row."
        data, value = frame.select(pl.col(x).alias("x"), pl.col(y).alias("y")), y
    else:
        value = f"{aggregation} of {y}"
        combine = {
            "sum": pl.col(y).sum(),
            "mean": pl.col(y).mean(),
            "median": pl.col(y).median(),
            "min": pl.col(y).min(),
            "max": pl.col(y).max(),
            "count": pl.col(y).count(),
        }[aggregation]
        data = frame.group_by(pl.col(x).alias("x"), maintain_order=True).agg(combine.alias("y"))
    dtype = frame.schema[x]
    kind: Literal["temporal", "quantitative", "nominal"] = (
        "temporal" if dtype.is_temporal() else "quantitative" if dtype.is_numeric() else "nominal"
    )
    dates = AXIS_DATE if kind == "temporal" else alt.Undefined
    x_axis = alt.X("x", type=kind, title=x, sort=None, axis=alt.Axis(labelLimit=240, format=dates))
    mark = {"bar": alt.Chart.mark_bar, "line": alt.Chart.mark_line, "point": alt.Chart.mark_point, "area": alt.Chart.mark_area}[choice.mark]
    return mark(alt.Chart(data, title=f"{value} by {x}"), color=ACCENT).encode(
        x=x_axis,
        y=alt.Y("y", type="quantitative", title=value, stack=None),
        tooltip=[
            alt.Tooltip("x", type="ordinal" if kind == "quantitative" else kind, title=x, format=dates),
            alt.Tooltip("y", type="quantitative", title=value),
        ],
    )
