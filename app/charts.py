"""Charts and the one look they share: the accent colour, risk levels in one order and one
colour each, ageing bands in order; bar charts, and PNG and SVG
downloads of any chart. The pages and the committee pack both draw with these."""
from __future__ import annotations

import functools
import re

import altair as alt
import polars as pl
import streamlit as st

from etl.store.seeds import ageing_bands, risk_levels

# The dashboard's accent colour; .streamlit/config.toml's primaryColor is the same colour.
ACCENT = "#3b6ea8"
# Risk levels and ageing bands in order, and one colour per risk level: the seeds that SQL reads.
RISK_ORDER = [level.level for level in risk_levels()]
RISK_COLOURS = [level.colour for level in risk_levels()]
AGEING_ORDER = [band.band for band in ageing_bands()]


def risk_colour(title: str = "Risk level") -> alt.Color:
    return alt.Color("risk_level:N", title=title, sort=RISK_ORDER,
                     scale=alt.Scale(domain=RISK_ORDER, range=RISK_COLOURS))


def bar_chart(frame: pl.DataFrame, category: str, value: str, category_title: str, value_title: str,
              title: str, fmt: str = ",.0f") -> alt.Chart:
    """Horizontal bars sorted largest first, labelled, one colour."""
    return (alt.Chart(frame, title=title)
            .mark_bar(color=ACCENT)
            .encode(y=alt.Y(f"{category}:N", sort="-x", title=category_title, axis=alt.Axis(labelLimit=320)),
                    x=alt.X(f"{value}:Q", title=value_title),
                    tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                             alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)])
            .properties(height=alt.Step(22)))


def chart_image(spec: dict, fmt: str) -> bytes:
    """A chart as PNG (twice screen resolution) or SVG, rendered without a browser."""
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def clickable(chart: alt.Chart, field: str) -> alt.Chart:
    """The chart with a point selection on `field` (a key of app.filters.CHART_FILTERS), for
    show_chart(..., filter_by=field): a click on a mark filters every page by its value."""
    from app.filters import CHART_PICK

    return chart.add_params(alt.selection_point(name=CHART_PICK, fields=[field]))


def show_chart(chart: alt.Chart, filter_by: str | None = None, key: str | None = None) -> None:
    """The chart, with PNG and SVG downloads of it made only when asked for. With `filter_by`
    (a chart made with clickable(..., filter_by)) and a `key`, a click on a mark sets that filter."""
    if filter_by:
        from app.filters import apply_chart_selection, selection_key

        key = selection_key(key or f"pick_{filter_by}")
        st.altair_chart(chart, width="stretch", key=key, on_select=functools.partial(apply_chart_selection, key, filter_by))
        spec = chart.to_dict()
        spec.pop("params", None)
    else:
        st.altair_chart(chart, width="stretch")
        spec = chart.to_dict()
    title = spec.get("title") or "chart"
    name = _slug(title if isinstance(title, str) else title.get("text", "chart"))
    with st.popover("Download chart", icon=":material/image:"):
        for fmt in ("png", "svg"):
            st.download_button(fmt.upper(), data=functools.partial(chart_image, spec, fmt), file_name=f"{name}.{fmt}",
                               mime="image/png" if fmt == "png" else "image/svg+xml", key=f"chart_{name}_{fmt}",
                               on_click="ignore")
