"""The committee view's charts, drawn large enough to read on paper: open and overdue by risk
level, how long open items are past their first agreed date, and days past by owner. Labels under
a bar are wrapped into short lines, so neighbouring labels never run together on the page or in
the pack ("91–180 days181–365 days")."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import altair as alt
import polars as pl

from app.charts import (
    ACCENT,
    AGEING_ORDER,
    OPEN_STATES_KEY,
    RISK_ORDER,
    count_axis,
    open_state_channels,
    open_states,
    risk_colour,
)
from app.committee.view import CommitteeView
from app.text import header

LABEL_LINE_CHARACTERS = 8  # "181–365" fits a fifth of the chart's width at the pack's font size


def label_lines(label: str) -> list[str]:
    """A label as the lines it is drawn in under its bar: words kept whole, at most
    LABEL_LINE_CHARACTERS a line unless one word is longer."""
    return textwrap.wrap(label, LABEL_LINE_CHARACTERS, break_long_words=False) or [label]


def wrapped_labels(labels: list[str], **axis: Any) -> alt.Axis:
    """A level axis whose labels are drawn as label_lines: a Vega expression that looks each
    label up (a label not known here is drawn as it is)."""
    lines = json.dumps({label: label_lines(label) for label in labels}, ensure_ascii=False)
    return alt.Axis(labelAngle=0, labelExpr=f"{lines}[datum.label] || datum.label", **axis)


def view_charts(view: CommitteeView) -> dict[str, alt.Chart]:
    """'risk' and 'ageing' always; 'owners' when a named directorate or officer has a median to show."""
    big: dict[str, Any] = {"labelFontSize": 14, "titleFontSize": 14}
    by_risk = open_states(view.by_risk, "risk_level")
    out = {
        "risk": alt.Chart(by_risk, title=alt.Title("Open recommendations by risk level", subtitle=OPEN_STATES_KEY))
        .mark_bar(strokeWidth=1.5)
        .encode(
            x=alt.X("risk_level:N", sort=RISK_ORDER, title="Risk level", axis=wrapped_labels(RISK_ORDER, **big)),
            y=alt.Y("recommendations:Q", title="Recommendations", stack=True, axis=count_axis(**big)),
            color=risk_colour().legend(None),
            **open_state_channels(),
            order=alt.Order("state:N", sort="ascending"),
            tooltip=["risk_level", "state", "recommendations"],
        )
        .properties(width=420, height=240),
        "ageing": alt.Chart(view.ageing, title="How long past the first agreed date")
        .mark_bar(color=ACCENT)
        .encode(
            x=alt.X(
                "ageing_band:N",
                sort=AGEING_ORDER,
                scale=alt.Scale(domain=AGEING_ORDER),
                title="Past first agreed date",
                axis=wrapped_labels(AGEING_ORDER, **big),
            ),
            y=alt.Y("open:Q", title=f"{header('open')} recommendations", axis=count_axis(**big)),
            tooltip=["ageing_band", "open"],
        )
        .properties(width=420, height=260),
    }
    owners = view.by_owner.drop_nulls("median_days_past_original").filter(pl.col("owner") != "(not named)")
    if owners.height:
        out["owners"] = (
            alt.Chart(owners, title="Median days past first agreed date, by directorate or officer")
            .mark_bar(color=ACCENT)
            .encode(
                y=alt.Y("owner:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360, **big)),
                x=alt.X("median_days_past_original:Q", title=header("median_days_past_original"), axis=alt.Axis(**big)),
                tooltip=["owner", "open", "median_days_past_original"],
            )
            .properties(width=860, height=alt.Step(26))
        )
    return out


def _counts(frame: pl.DataFrame, label: str) -> str:
    """'critical: 2 overdue, 1 open, not yet overdue; high: …': each row's label and its measures, as the catalogue labels them."""
    values = [name for name in frame.columns if name != label]

    def said(count: int, name: str) -> str:
        return f"{count:,} {header(name).lower()}"

    return "; ".join(f"{row[label]}: " + ", ".join(said(row[name], name) for name in values) for row in frame.iter_rows(named=True))


def _in_order(frame: pl.DataFrame, column: str, order: list[str]) -> pl.DataFrame:
    """Rows in the order the chart draws them (a level not in `order` last)."""
    return frame.sort(pl.col(column).replace_strict(order, list(range(len(order))), default=len(order)))


def alt_texts(view: CommitteeView) -> dict[str, str]:
    """Each chart of view_charts said in words, for readers who cannot see it (the pack's
    alternative text): its title and every bar's figures."""
    texts = {
        "risk": "Bar chart, open recommendations by risk level. "
        + _counts(_in_order(view.by_risk, "risk_level", RISK_ORDER), "risk_level")
        + ".",
        "ageing": "Bar chart, open recommendations by how long past the first agreed date. "
        + _counts(_in_order(view.ageing, "ageing_band", AGEING_ORDER), "ageing_band")
        + ".",
    }
    owners = view.by_owner.drop_nulls("median_days_past_original").filter(pl.col("owner") != "(not named)")
    if owners.height:
        texts["owners"] = (
            "Bar chart, median days past the first agreed date by directorate or officer. "
            + "; ".join(f"{row['owner']}: {row['median_days_past_original']:,.0f} days" for row in owners.iter_rows(named=True))
            + "."
        )
    return texts
