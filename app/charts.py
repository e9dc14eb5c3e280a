"""Charts and the one look they share: the accent colour, risk levels in one order and one
colour each, ageing bands in order, text at readable contrast, report dates as UK dates; bar
charts, charts that stay readable at hundreds of councils (the worst N, one found council, the
rest summarised), and every chart shown with its data as a table on
request and PNG and SVG downloads. The pages and the committee pack both draw with these."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import polars as pl
import streamlit as st
from altair.utils import schemapi

from app.text import MISSING, header, plural, table_config, uk_date
from etl.store.seeds import ageing_bands, risk_levels

# Altair checks each object against the Vega-Lite schema as it is made (every Axis, Scale and
# DateTime, every layer again): a third of the Slippage page's script at 300 councils. The specs the
# pages draw are checked against the schema by their tests instead (tests/test_charts.py); the
# committee pack's to_dict() still checks its charts. This turns the checking off for the whole
# process (the dashboard, the admin app, tests) from the moment this module is imported.
schemapi.disable_debug_mode()

# What show_chart draws: a chart or a layer of charts.
AnyChart = alt.Chart | alt.LayerChart

# The dashboard's accent colour; .streamlit/config.toml's primaryColor is the same colour.
ACCENT = "#3b6ea8"
# A council found with "Find a council": drawn apart from the accent in every chart.
HIGHLIGHT = "#c2410c"
# Axis, legend and title text: Streamlit's body text, 12.5:1 on white (WCAG AA asks 4.5:1). The
# Streamlit theme's own faded grey for axis labels is below that.
TEXT = "#31333f"
# The councils not drawn one by one: their median as a line, their middle half as a band.
OTHERS = "#6e6e6e"
OTHERS_BAND = "#d9d9d9"
# Risk levels and ageing bands in order, and one colour per risk level: the seeds that SQL reads.
RISK_ORDER = [level.level for level in risk_levels()]
RISK_COLOURS = [level.colour for level in risk_levels()]
AGEING_ORDER = [band.band for band in ageing_bands()]
# The two parts of an open recommendation count: the catalogue's measures (sql/measures.toml),
# labelled as the catalogue labels them on every page and in the pack.
OPEN_PARTS = ["overdue", "open_not_yet_overdue"]
OPEN_STATES = [header(name) for name in OPEN_PARTS]
OPEN_STATES_KEY = f"Solid: {OPEN_STATES[0].lower()}. Pale, outlined: {OPEN_STATES[1].lower()}."
# How many councils (or directorates) a chart draws one by one unless the reader asks for more.
DEFAULT_TOP = 15
# d3's pattern for a UK date ("31 Dec 2024"), as app.text.uk_date writes it.
UK_DATE_D3 = "%-d %b %Y"


def count_axis(**more: Any) -> alt.Axis:
    """An axis of counts: whole-number ticks with thousands separators (never steps of 0.2)."""
    return alt.Axis(tickMinStep=1, format=",d", **more)


def risk_colour(title: str = "Risk level") -> alt.Color:
    return alt.Color("risk_level:N", title=title, sort=RISK_ORDER, scale=alt.Scale(domain=RISK_ORDER, range=RISK_COLOURS))


def open_states(frame: pl.DataFrame, index: str) -> pl.DataFrame:
    """The two parts of each row's open recommendations, one row per part: `state` its label,
    `recommendations` its count."""
    return (
        frame.select(index, *OPEN_PARTS)
        .unpivot(index=index, on=OPEN_PARTS, variable_name="state", value_name="recommendations")
        .with_columns(pl.col("state").replace_strict(dict(zip(OPEN_PARTS, OPEN_STATES))))
    )


def open_state_channels(field: str = "state") -> dict[str, alt.FillOpacity | alt.Stroke]:
    """Encodings that tell overdue from open-not-yet-overdue within a risk level's colour: the
    overdue part solid, the other a light tint inside a full-colour outline, so both meet WCAG's
    3:1 for graphics against white (a faded bar alone would not). For a mark_bar(strokeWidth=...);
    Vega-Lite draws no legend for the fill opacity, so the chart says OPEN_STATES_KEY in words."""
    return {
        "fillOpacity": alt.FillOpacity(
            f"{field}:N", title="State", sort=OPEN_STATES, scale=alt.Scale(domain=OPEN_STATES, range=[1.0, 0.15])
        ),
        "stroke": alt.Stroke("risk_level:N", title="Risk level", sort=RISK_ORDER, scale=alt.Scale(domain=RISK_ORDER, range=RISK_COLOURS)),
    }


def bar_chart(
    frame: pl.DataFrame, category: str, value: str, category_title: str, value_title: str, title: str, fmt: str = ",.0f"
) -> alt.Chart:
    """Horizontal bars sorted largest first, labelled, one colour."""
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color=ACCENT)
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=category_title, axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{value}:Q", title=value_title),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
        )
        .properties(height=alt.Step(22))
    )


# -- charts that read at 300 councils -------------------------------------------------------------
@dataclass(frozen=True)
class Ranked:
    """A breakdown ranked worst first: the rows drawn (the worst `top`, and any found row beyond
    them), every row with its rank for the table beside the chart, and a line for the rest."""

    shown: pl.DataFrame
    table: pl.DataFrame
    rest: str | None


def rank_worst_first(
    frame: pl.DataFrame,
    value: str,
    top: int,
    found: pl.Expr | None = None,
    noun: str = "council",
    value_words: str = "medians",
    unit: str = " days",
    ties: tuple[str, ...] = ("council",),
) -> Ranked:
    """Rank `frame` by `value`, largest first (rank 1 is the worst), equal values in the order of
    the `ties` columns (A to Z: the same ranks however the rows came); keep the worst `top` and the
    rows `found` selects; say in one line what the others range over."""
    ranked = (
        frame.sort([value, *ties], descending=[True, *[False] * len(ties)], nulls_last=True)
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
        .with_columns(is_found=found if found is not None else pl.lit(False))
    )
    drawn = pl.col(value).is_not_null() & ((pl.col("rank") <= top) | pl.col("is_found"))
    shown, rest = ranked.filter(drawn), ranked.filter(~drawn)
    line = None
    if rest.height:
        line = f"{plural(rest.height, 'other ' + noun)} (in the table)"
        if rest[value].drop_nulls().len():
            low, high = float(rest[value].min()), float(rest[value].max())  # type: ignore[arg-type]
            line += f": {value_words} from {low:,.0f}{unit} to {high:,.0f}{unit}"
        if rest[value].null_count():
            line += f"; {rest[value].null_count():,} with nothing open to measure"
    return Ranked(shown, ranked.drop("is_found"), line)


# Room for a bar's label: at a phone's 390 px a wider label left the bars no room at all. A longer
# name ends in "…"; the tooltip and the table beside the chart give it whole.
NARROW_LABELS = 170


def title_lines(title: str, width: int = 28) -> list[str] | str:
    """An axis title over as many lines as it needs, so it is not cut at a narrow chart's edge."""
    lines = textwrap.wrap(title, width)
    return lines if len(lines) > 1 else title


def ranked_bars(
    ranked: Ranked, category: str, value: str, value_title: str, title: str, select: str | None = None, fmt: str = ",.0f"
) -> alt.Chart:
    """Horizontal bars in rank order, each labelled with its rank ("3. Barnet"); found rows in
    the highlight colour, the bar under the pointer outlined. `select` names the field a click
    picks (default `category`), for clickable()."""
    hover = alt.selection_point(name="hover", on="pointerover", clear="pointerout", fields=[select or category], empty=False)
    # Only what the bars draw, say and select: the browser reads every column a chart is sent.
    drawn = dict.fromkeys(["label", "rank", category, value, "is_found", select or category])
    shown = ranked.shown.with_columns(label=pl.format("{}. {}", "rank", category)).select(list(drawn))
    return (
        alt.Chart(shown, title=title)
        .mark_bar(strokeWidth=2)
        .encode(
            y=alt.Y(
                "label:N",
                sort=alt.EncodingSortField("rank", order="ascending"),
                title=header(category),
                axis=alt.Axis(labelLimit=NARROW_LABELS),
            ),
            x=alt.X(f"{value}:Q", title=title_lines(value_title)),
            color=alt.condition(alt.datum.is_found, alt.value(HIGHLIGHT), alt.value(ACCENT)),
            stroke=alt.condition(hover, alt.value(TEXT), alt.value(None)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=header(category)),
                alt.Tooltip("rank:Q", title="Rank (1 is the worst)"),
                alt.Tooltip(f"{value}:Q", title=value_title, format=fmt),
            ],
        )
        .add_params(hover)
        .properties(height=alt.Step(22))
    )


def report_dates_x(dates: Iterable[date], title: str = "Report date") -> alt.X:
    """A time axis whose ticks are exactly the report dates, as UK dates, in UTC (as the dates
    reach the browser) so no time zone moves a report to the day before."""
    ticks = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in sorted(set(dates))]
    return alt.X(
        "report_date:T",
        title=title,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(values=ticks, format=UK_DATE_D3, labelAngle=-40, labelOverlap="greedy"),
    )


def with_uk_report_date(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with `report`, its report date as a UK date, for tooltips."""
    return frame.with_columns(report=pl.col("report_date").map_elements(uk_date, return_dtype=pl.String))


@dataclass(frozen=True)
class Trend:
    chart: alt.LayerChart
    table: pl.DataFrame  # what the chart draws, for its table
    caption: str | None  # what the grey band stands for
    lines: str  # which councils are drawn as lines, in words


def trend_lines(trend: pl.DataFrame, measure: str, measure_title: str, top: int, found: str | None, percent: bool = False) -> Trend:
    """A measure per report for each council: the worst `top` councils (by their newest report)
    and a found one as lines, every other council as one grey band (their middle half) and one
    grey line (their median). Never more than top + 1 lines, whatever the number of councils."""
    data = trend.drop_nulls(measure)
    newest = data.sort("report_date").group_by("council").agg(pl.col(measure).last()).sort([measure, "council"], descending=[True, False])
    drawn = newest["council"].head(top).to_list()
    drawn += [found] if found and found not in drawn and found in newest["council"] else []
    lines = with_uk_report_date(data.filter(pl.col("council").is_in(drawn)).select("council", "report_date", measure))
    others = data.filter(~pl.col("council").is_in(drawn))
    value_fmt = ".0%" if percent else ",.0f"

    # One title on the shared y axis: Vega-Lite would join every layer's (and y2's) title.
    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=measure_title, axis=alt.Axis(format="%") if percent else count_axis())

    x = report_dates_x(data["report_date"].to_list())
    layers: list[alt.Chart] = []
    caption = None
    table = lines.select("council", "report_date", measure)
    if others.height:
        band = _others_band(others, measure)
        layers += _band_layers(band, x, y, value_fmt)
        caption = (
            f"Grey: the other {plural(others['council'].n_unique(), 'council')}, their median (dashed) and middle "
            "half (band). Every council's figures are in the table."
        )
        table = pl.concat(
            [table, band.select(pl.lit("Median of the other councils").alias("council"), "report_date", pl.col("median").alias(measure))],
            how="vertical_relaxed",
        )
    layers.append(_council_lines(lines, drawn, found, x, y, measure, measure_title, value_fmt))
    chart = alt.LayerChart(layer=layers, title=f"{measure_title} per report", height=380)
    highest = len(drawn) - (1 if found and found not in newest["council"].head(top) else 0)
    said = f"The {plural(highest, 'council')} highest at their newest report"
    if highest < len(drawn):
        said += f", and {found}"
    return Trend(chart, table.sort("council", "report_date"), caption, said)


# Line colours a council is told apart by, each at least 3:1 on white (WCAG's contrast for graphics);
# after them the colours repeat, dashed and then dotted, so each pair of colour and dash is one council.
LINE_COLOURS = ["#0072b2", "#009e73", "#7b3294", "#8c510a", "#222222", "#c51b7d", "#00727a", "#5e6e00"]
LINE_DASHES = [[1, 0], [7, 3], [2, 2]]


def _council_lines(
    lines: pl.DataFrame,
    drawn: list[str],
    found: str | None,
    x: alt.X,
    y: Callable[[str], alt.Y],
    measure: str,
    measure_title: str,
    value_fmt: str,
) -> alt.Chart:
    """One line per council, told apart by colour and dash, named in the legend highest first (the
    found council in the highlight colour); every point says its council, report date and value."""
    colours = [HIGHLIGHT if c == found else LINE_COLOURS[i % len(LINE_COLOURS)] for i, c in enumerate(drawn)]
    dashes = [[1, 0] if c == found else LINE_DASHES[i // len(LINE_COLOURS) % len(LINE_DASHES)] for i, c in enumerate(drawn)]
    legend = alt.Legend(orient="bottom", columns=3, labelLimit=320, symbolType="stroke", symbolStrokeWidth=2.5)
    hover = alt.selection_point(name="hover_line", on="pointerover", clear="pointerout", fields=["council"], empty=False)
    return (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y(measure),
            color=alt.Color("council:N", title="Council (highest first)", scale=alt.Scale(domain=drawn, range=colours), legend=legend),
            strokeDash=alt.StrokeDash("council:N", scale=alt.Scale(domain=drawn, range=dashes), legend=None),
            strokeWidth=alt.condition(hover, alt.value(4), alt.value(2)),
            tooltip=[
                alt.Tooltip("council:N", title="Council"),
                alt.Tooltip("report:N", title="Report date"),
                alt.Tooltip(f"{measure}:Q", title=measure_title, format=value_fmt),
            ],
        )
        .add_params(hover)
    )


def _others_band(others: pl.DataFrame, measure: str) -> pl.DataFrame:
    return with_uk_report_date(
        others.group_by("report_date")
        .agg(
            pl.col(measure).quantile(0.25).alias("lower_quartile"),
            pl.col(measure).median().alias("median"),
            pl.col(measure).quantile(0.75).alias("upper_quartile"),
            pl.col("council").n_unique().alias("councils"),
        )
        .sort("report_date")
    )


def _band_layers(band: pl.DataFrame, x: alt.X, y: Callable[[str], alt.Y], value_fmt: str) -> list[alt.Chart]:
    """The councils not drawn one by one: their middle half as a grey band, their median as a line."""
    base = alt.Chart(band)
    tips = [
        alt.Tooltip("report:N", title="Report date"),
        alt.Tooltip("councils:Q", title="Other councils"),
        alt.Tooltip("median:Q", title="Median", format=value_fmt),
        alt.Tooltip("lower_quartile:Q", title="Lower quartile", format=value_fmt),
        alt.Tooltip("upper_quartile:Q", title="Upper quartile", format=value_fmt),
    ]
    return [
        base.mark_area(color=OTHERS_BAND).encode(x=x, y=y("lower_quartile"), y2=alt.Y2("upper_quartile:Q", title=None), tooltip=tips),
        base.mark_line(color=OTHERS, strokeDash=[4, 3], strokeWidth=2).encode(x=x, y=y("median"), tooltip=tips),
    ]


# -- showing a chart ------------------------------------------------------------------------------
def chart_image(spec: dict[str, Any], fmt: str) -> bytes:
    """A chart as PNG (twice screen resolution) or SVG, rendered without a browser."""
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def _chart_file(chart: AnyChart, fmt: str) -> bytes:
    """A chart's download, its data in the spec (vl-convert reads no Arrow), made when asked for."""
    return chart_image(readable(chart.to_dict(validate=False)), fmt)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def clickable(chart: alt.Chart, field: str) -> alt.Chart:
    """The chart with a point selection on `field` (a key of app.filters.CHART_FILTERS), for
    show_chart(..., filter_by=field): a click on a mark filters every page by its value."""
    from app.filters import CHART_PICK

    return chart.add_params(alt.selection_point(name=CHART_PICK, fields=[field]))


# Chart text at WCAG AA contrast (every page's charts and their downloads).
READABLE_CONFIG = {
    "axis": {"labelColor": TEXT, "titleColor": TEXT},
    "legend": {"labelColor": TEXT, "titleColor": TEXT},
    "title": {"color": TEXT},
}


def readable(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its text at WCAG AA contrast, drawn as SVG (so its labels are text a screen
    reader and a test can read). Set on the spec, not with Altair's configure_*, which check each
    setting against the schema and cost a page a tenth of a second."""
    config = spec.setdefault("config", {})
    for part, settings in READABLE_CONFIG.items():
        config[part] = {**config.get(part, {}), **settings}
    spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
    return spec


def _chart_data(chart: AnyChart) -> pl.DataFrame | None:
    data = getattr(chart, "data", None)
    if isinstance(data, pl.DataFrame):
        return data
    for layer in getattr(chart, "layer", []):
        if isinstance(getattr(layer, "data", None), pl.DataFrame):
            return layer.data
    return None


def drawn_spec(chart: AnyChart) -> dict[str, Any]:
    """The readable spec Streamlit draws, made once and not checked against the Vega-Lite schema
    (st.altair_chart checks it again, the page's dearest step at 300 councils). As Streamlit draws
    an Altair chart: each frame sent as Arrow (Altair wrote it into the spec as rows of JSON, under
    a name the spec refers to), and without Altair's theme, whose fixed 300-pixel view would size
    every chart."""
    spec = chart.to_dict(validate=False)
    for part, part_spec in [(chart, spec), *zip(getattr(chart, "layer", []), spec.get("layer", []))]:
        data, named = getattr(part, "data", None), part_spec.get("data", {}).get("name")
        if isinstance(data, pl.DataFrame) and named in spec.get("datasets", {}):
            spec["datasets"][named] = data
    theme = alt.theme.get()
    if theme is not None and spec.get("config", {}).get("view") == theme().get("config", {}).get("view"):
        spec["config"].pop("view")
    return readable(spec)


def show_chart(
    chart: AnyChart, filter_by: str | None = None, key: str | None = None, table: pl.DataFrame | None = None, description: str | None = None
) -> None:
    """The chart with its text alternatives: `description` for screen readers (default: its title)
    and its data as a readable table on request (`table`, default the chart's own data); and PNG
    and SVG downloads of it, made only when asked for. With `filter_by` (a chart made with
    clickable(..., filter_by)), a click on a mark sets that filter."""
    shown = drawn_spec(chart)
    title = shown.get("title") or "chart"
    title = title if isinstance(title, str) else title.get("text", "chart")
    name = _slug(title)
    alt_text = description or f"Chart: {title}. Its figures are in the table under it (Show as table)."
    if filter_by:
        from app.filters import CHART_PICK, apply_chart_selection, keyboard_filter, selection_key

        key = selection_key(key or f"pick_{filter_by}")
        # Only a click reruns the page: the hover highlight stays in the browser.
        st.vega_lite_chart(
            shown,
            width="stretch",
            key=key,
            alt=alt_text,
            selection_mode=CHART_PICK,
            on_select=functools.partial(apply_chart_selection, key, filter_by),
        )
        data = _chart_data(chart)
        if data is not None and filter_by in data.columns:
            keyboard_filter(filter_by, data[filter_by].drop_nulls().cast(pl.String).to_list(), f"{key}_keys")
    else:
        st.vega_lite_chart(shown, width="stretch", alt=alt_text)
    figures = table if table is not None else _chart_data(chart)
    left, right = st.columns([1, 1], vertical_alignment="center")
    if figures is not None and left.toggle("Show as table", key=f"table_{key or name}"):
        st.dataframe(figures, hide_index=True, width="stretch", column_config=table_config(figures), placeholder=MISSING)
    with right.popover("Download chart", icon=":material/image:"):
        for fmt in ("png", "svg"):
            st.download_button(
                fmt.upper(),
                data=functools.partial(_chart_file, chart, fmt),
                file_name=f"{name}.{fmt}",
                mime="image/png" if fmt == "png" else "image/svg+xml",
                key=f"chart_{name}_{fmt}",
                on_click="ignore",
            )
