"""Helpers for tests of the charts a page draws (AppTest elements) and of colour contrast."""

from __future__ import annotations

import json
import math

import polars as pl
import pyarrow as pa


def chart_spec(element) -> dict:
    return json.loads(element.proto.spec)


def chart_frames(element) -> list[pl.DataFrame]:
    """The data sets an AppTest vega_lite_chart element carries, as polars frames."""
    return [pl.DataFrame(pa.ipc.open_stream(dataset.data.data).read_all()) for dataset in element.proto.datasets]


def chart_titled(at, title: str):
    """The page's chart whose title starts with `title`."""
    for element in at.get("vega_lite_chart"):
        spec_title = chart_spec(element).get("title")
        text = spec_title if isinstance(spec_title, str) else (spec_title or {}).get("text", "")
        if text.startswith(title):
            return element
    raise AssertionError(f"no chart titled {title!r}")


def titles(spec) -> list[str]:
    """Every title a reader can see in a chart spec: axis, legend and tooltip titles, and the
    chart's own (a field with no title shows its name)."""
    found = []
    if isinstance(spec, dict):
        if "field" in spec and "title" not in spec:
            found.append(spec["field"])
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key not in ("datasets", "data", "params", "condition", "sort", "usermeta"):
                found += titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found += titles(item)
    return found


# -- WCAG 2 contrast ------------------------------------------------------------------------------
def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lab_distance(a: str, b: str) -> float:
    """CIE76 colour difference (ΔE*ab) of two #rrggbb colours: about 2.3 is just noticeable."""

    def lab(colour: str) -> tuple[float, float, float]:
        r, g, b = (_linear(c) for c in _rgb(colour))
        x, y, z = (
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        )
        f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    return math.dist(lab(a), lab(b))
