"""A measure beside its value at the council's previous report, as Power BI cards and Metabase's
trend numbers show it: the change with an arrow, coloured by whether it is better or worse. Which
way is better is the measure's own (`better` in the catalogue, sql/measures.toml): for every
measure shown today a rise is worse, so it is drawn red (st.metric's delta_color="inverse"). Shares
change in percentage points, never in percent of a percent. slippage_change gives each measure and
its previous_ value; the change is now − previous (with_changes)."""

from __future__ import annotations

from typing import Literal, TypedDict

import polars as pl

from app.text import formatted, measure

UP, DOWN = "▲", "▼"
WORSE, BETTER = "#b00020", "#1b7a3a"  # red and green with at least 4.5:1 contrast on white


class MetricDelta(TypedDict, total=False):
    """st.metric's delta arguments, all or none."""

    delta: str
    delta_description: str
    delta_color: Literal["normal", "inverse", "off"]
    delta_arrow: Literal["off"]


def amount(value: float, number_format: str) -> str:
    """A change's size without its sign: '3', '15 days', '4 points'."""
    size = abs(value)
    if number_format == "share":
        points = round(size * 100)
        return f"{points:,} point" + ("" if points == 1 else "s")
    return formatted(size, number_format)


def _moved(now: float | None, before: float | None, number_format: str) -> float | None:
    if now is None or before is None:
        return None
    moved = now - before
    # A share that moved less than half a point reads as no change, as its figures do.
    return 0 if number_format == "share" and round(abs(moved) * 100) == 0 else moved


def _is_worse(name: str, moved: float) -> bool:
    return (moved > 0) == (measure(name).better == "lower")


def metric_delta(name: str, now: float | None, before: float | None) -> MetricDelta:
    """st.metric's delta arguments for a measure: '+3' or '-15 days' (coloured by whether it is
    better), 'no change' in grey, each 'from' the previous figure; none with nothing to compare."""
    number_format = measure(name).format
    moved = _moved(now, before, number_format)
    if moved is None:
        return {}
    was: MetricDelta = {"delta_description": f"from {formatted(before, number_format)}"}
    if moved == 0:
        return was | {"delta": "no change", "delta_color": "off", "delta_arrow": "off"}
    # st.metric draws a rise green ("normal") or red ("inverse").
    rise_is_worse = measure(name).better == "lower"
    return was | {
        "delta": ("+" if moved > 0 else "-") + amount(moved, number_format),
        "delta_color": "inverse" if rise_is_worse else "normal",
    }


def in_words(name: str, now: float | None, before: float | None) -> str:
    """'▲ 3 from 10', '▼ 15 days from 120 days', 'no change from 10'; '' with nothing to compare."""
    number_format = measure(name).format
    moved = _moved(now, before, number_format)
    if moved is None:
        return ""
    was = formatted(before, number_format)
    if moved == 0:
        return f"no change from {was}"
    return f"{UP if moved > 0 else DOWN} {amount(moved, number_format)} from {was}"


def colour(name: str, now: float | None, before: float | None) -> str | None:
    """The colour of a measure's change: WORSE or BETTER as its catalogue entry says, None for none."""
    moved = _moved(now, before, measure(name).format)
    if not moved:
        return None
    return WORSE if _is_worse(name, moved) else BETTER


def with_changes(frame: pl.DataFrame) -> pl.DataFrame:
    """slippage_change's rows with change_<measure> (now − previous) beside every measure that has
    its previous_ value: NULL for a council's first report."""
    return frame.with_columns(
        (pl.col(name) - pl.col(f"previous_{name}")).alias(f"change_{name}") for name in frame.columns if f"previous_{name}" in frame.columns
    )
