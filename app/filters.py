"""The global filters in the sidebar (council, directorate, risk level, status, report), kept
across pages, and the filtered summary the Overview and Slippage pages read."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from app.charts import RISK_ORDER
from app.data import query


@dataclass(frozen=True)
class Filters:
    councils: tuple[str, ...] = ()
    directorates: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    report: str | None = None  # a report date (YYYY-MM-DD); None shows each council's newest

    def params(self, report: bool = True) -> dict:
        """Query parameters; without the report for queries over every report (trends), whose
        cached results then survive a change of report."""
        chosen = {"councils": list(self.councils), "directorates": list(self.directorates),
                  "risks": list(self.risks), "statuses": list(self.statuses)}
        return (chosen | {"as_of": self.report}) if report else chosen

    def describe(self) -> str:
        parts = [f"{label}: {', '.join(values)}" for label, values in (
            ("councils", self.councils), ("directorates", self.directorates), ("risk levels", self.risks),
            ("statuses", self.statuses)) if values]
        parts.append(f"report of {self.report}" if self.report else "each council's newest report")
        return "; ".join(parts)


def _keep(key: str) -> None:
    st.session_state[f"kept_{key}"] = st.session_state[key]


def sidebar_filters() -> Filters:
    """The global filters, drawn by each page that uses them. A widget's state belongs to its
    page, so the chosen values are kept apart and restored on every page."""
    options = query("filter_options")
    chosen: dict[str, Any] = {}
    with st.sidebar:
        st.header("Filters")
        for name, label, kind in (("councils", "Council", "council"), ("directorates", "Directorate", "directorate"),
                                  ("risks", "Risk level", "risk_level"), ("statuses", "Status", "status")):
            offered = options.filter(pl.col("kind") == kind)["value"].to_list()
            if kind == "risk_level":
                offered.sort(key=RISK_ORDER.index)
            key = f"filter_{name}"
            st.session_state[key] = [v for v in st.session_state.get(f"kept_{key}", []) if v in offered]
            chosen[name] = tuple(st.multiselect(label, offered, key=key, on_change=_keep, args=(key,), placeholder="All"))
        reports = options.filter(pl.col("kind") == "report_date")["value"].to_list()
        key = "filter_report"
        kept = st.session_state.get(f"kept_{key}")
        st.session_state[key] = kept if kept in reports else None
        chosen["report"] = st.selectbox("Report", reports, key=key, on_change=_keep, args=(key,),
                                        placeholder="Newest of each council",
                                        help="Show the report of this date (for the councils that have one)")
    return Filters(**chosen)


# A click on a bar filters every page: the chart's data column names the sidebar filter it sets.
CHART_FILTERS = {"council": "councils", "directorate": "directorates", "risk_level": "risks", "status": "statuses"}
CHART_PICK = "pick"  # the name of the point selection a clickable chart declares (app/charts.py)


def apply_chart_selection(key: str, field: str) -> None:
    """on_select callback of a clickable chart: the clicked values become the sidebar filter for
    `field`; a click on empty space leaves the filters as they are."""
    picked = st.session_state[key]["selection"].get(CHART_PICK) or []
    values = sorted({str(point[field]) for point in picked if point.get(field) is not None})
    if values:
        st.session_state[f"kept_filter_{CHART_FILTERS[field]}"] = values


def current_council_choice(councils: list[str]) -> str:
    """The council a single-council page opens on: the first chosen in the filters, if any."""
    kept = [c for c in st.session_state.get("kept_filter_councils", []) if c in councils]
    return kept[0] if kept else councils[0]


def filtered_summary(filters: Filters) -> pl.DataFrame:
    """The summary breakdowns for the filters; stops the page, saying why, when nothing matches."""
    summary = query("summary", **filters.params())
    if summary.filter(pl.col("breakdown") == "all")["recommendations"].sum() == 0:
        st.info("No recommendations match the filters: clear some filters in the sidebar.")
        st.stop()
    return summary
