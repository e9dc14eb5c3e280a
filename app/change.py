"""A figure beside its value at the council's previous report, as Power BI cards and Metabase's
trend numbers show it: the change with an arrow, coloured by whether it is better or worse. Every
measure the dashboard shows this way (open, overdue, days past, shares extended or without an
update) is worse when it goes up, so a rise is drawn red and a fall green (st.metric's
delta_color="inverse"). Shares change in percentage points, never in percent of a percent."""
from __future__ import annotations

from typing import Final, Literal, TypedDict

from app.text import percent

UP, DOWN = "▲", "▼"
WORSE, BETTER = "#b00020", "#1b7a3a"  # red and green with at least 4.5:1 contrast on white
DELTA_COLOUR: Final = "inverse"  # st.metric: a rise is worse


class MetricDelta(TypedDict, total=False):
    """st.metric's delta arguments, all or none."""
    delta: str
    delta_description: str
    delta_color: Literal["inverse", "off"]
    delta_arrow: Literal["off"]


def amount(value: float, kind: str) -> str:
    """A change's size without its sign: '3', '15 days', '4 points'."""
    size = abs(value)
    if kind == "share":
        points = round(size * 100)
        return f"{points:,} point" + ("" if points == 1 else "s")
    if kind == "days":
        return f"{size:,.0f} day" + ("" if round(size) == 1 else "s")
    return f"{size:,.0f}"


def figure(value: float | None, kind: str) -> str:
    """A figure as the pages show it: '1,204', '151 days', '26%'; '–' where there is none."""
    if value is None:
        return "–"
    if kind == "share":
        return percent(value)
    if kind == "days":
        return f"{value:,.0f} day" + ("" if round(value) == 1 else "s")
    return f"{value:,}"


def _moved(now: float | None, before: float | None, kind: str) -> float | None:
    if now is None or before is None:
        return None
    moved = now - before
    # A share that moved less than half a point reads as no change, as its figures do.
    return 0 if kind == "share" and round(abs(moved) * 100) == 0 else moved


def metric_delta(now: float | None, before: float | None, kind: str = "count") -> MetricDelta:
    """st.metric's delta arguments: '+3' or '-15 days' (a rise red), 'no change' in grey, each
    'from' the previous figure; none where there is nothing to compare with."""
    moved = _moved(now, before, kind)
    if moved is None:
        return {}
    was: MetricDelta = {"delta_description": f"from {figure(before, kind)}"}
    if moved == 0:
        return was | {"delta": "no change", "delta_color": "off", "delta_arrow": "off"}
    return was | {"delta": ("+" if moved > 0 else "-") + amount(moved, kind), "delta_color": DELTA_COLOUR}


def in_words(now: float | None, before: float | None, kind: str = "count") -> str:
    """'▲ 3 from 10', '▼ 15 days from 120 days', 'no change from 10'; '' with nothing to compare."""
    moved = _moved(now, before, kind)
    if moved is None:
        return ""
    was = figure(before, kind)
    if moved == 0:
        return f"no change from {was}"
    return f"{UP if moved > 0 else DOWN} {amount(moved, kind)} from {was}"


def colour(now: float | None, before: float | None, kind: str = "count") -> str | None:
    """The colour of a change: WORSE for a rise, BETTER for a fall, None for none."""
    moved = _moved(now, before, kind)
    if not moved:
        return None
    return WORSE if moved > 0 else BETTER
