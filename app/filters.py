"""The global filters in the sidebar (council, directorate, risk level, status, time past the
original target, report, and leaving out records with doubtful dates or from reports read with
doubts), kept in the page address so
a link opens the same view and Back and Forward step through changes (app/address.py), and the
filtered summary the Overview and Slippage pages read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from app import address
from app.data import QueryParams, query
from app.text import header, uk_date

# The address parameter of each filter: ?council=A&council=B&status=open&report=2024-12-31&doubtful=leave-out
PARAMS = {
    "councils": "council",
    "directorates": "directorate",
    "risks": "risk",
    "statuses": "status",
    "ageing_bands": "ageing",
    "report": "report",
    "leave_out_doubtful": "doubtful",
    "leave_out_doubtful_reports": "doubtful-reports",
}
# The two leave-out toggles: (Filters field, sidebar label, help, filter_options kind).
TOGGLES = (
    (
        "leave_out_doubtful",
        "Leave out records with doubtful dates",
        "Records with a target date the reader flagged (for example, years before the report date)",
        "doubtful",
    ),
    (
        "leave_out_doubtful_reports",
        "Leave out reports read with doubts",
        "Reports the reader doubts as a whole: records may be missing, merged or split, or a column misread (the Data page says why)",
        "doubtful_reports",
    ),
)
LEAVE_OUT = "leave-out"
# The filters chosen from a list: (Filters field, sidebar label, filter_options kind).
LISTS = (
    ("councils", "Council", "council"),
    ("directorates", "Directorate", "directorate"),
    ("risks", "Risk level", "risk_level"),
    ("statuses", "Status", "status"),
    ("ageing_bands", header("ageing_band"), "ageing_band"),
)
NEWEST = "each council's newest report"
PLURALS = {
    "councils": "councils",
    "directorates": "directorates",
    "risks": "risk levels",
    "statuses": "statuses",
    "ageing_bands": "times past the original target",
}


@dataclass(frozen=True)
class Filters:
    councils: tuple[str, ...] = ()
    directorates: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    ageing_bands: tuple[str, ...] = ()
    report: str | None = None  # a report date (YYYY-MM-DD); None shows each council's newest
    leave_out_doubtful: bool = False  # leave out the records whose target dates the reader doubted
    leave_out_doubtful_reports: bool = False  # leave out the records of reports the reader doubts as a whole

    @classmethod
    def from_address(cls) -> Filters:
        """The filters the page address asks for, as given (not yet checked against the store)."""
        lists = {name: tuple(dict.fromkeys(address.values(PARAMS[name]))) for name, _, _ in LISTS}

        def left_out(name: str) -> bool:
            return address.value(PARAMS[name]) == LEAVE_OUT

        return cls(
            **lists,
            report=address.value(PARAMS["report"]),
            leave_out_doubtful=left_out("leave_out_doubtful"),
            leave_out_doubtful_reports=left_out("leave_out_doubtful_reports"),
        )

    def params(self, report: bool = True) -> QueryParams:
        """Query parameters; without the report for queries over every report (trends), whose
        cached results then survive a change of report."""
        chosen = {
            "councils": list(self.councils),
            "directorates": list(self.directorates),
            "risks": list(self.risks),
            "statuses": list(self.statuses),
            "ageing_bands": list(self.ageing_bands),
            "leave_out_doubtful": self.leave_out_doubtful,
            "leave_out_doubtful_reports": self.leave_out_doubtful_reports,
        }
        return (chosen | {"as_of": self.report}) if report else chosen

    def describe(self) -> str:
        parts = [
            f"{label}: {', '.join(values)}"
            for label, values in (
                ("councils", self.councils),
                ("directorates", self.directorates),
                ("risk levels", self.risks),
                ("statuses", self.statuses),
                ("past original target", self.ageing_bands),
            )
            if values
        ]
        parts.append(f"report of {uk_date(self.report)}" if self.report else NEWEST)
        if self.leave_out_doubtful:
            parts.append("records with doubtful dates left out")
        if self.leave_out_doubtful_reports:
            parts.append("reports read with doubts left out")
        return "; ".join(parts)

    def within(self, options: pl.DataFrame) -> Filters:
        """These filters with every value the store does not offer under the others dropped."""
        offered = {kind: set(values) for kind, values in options.group_by("kind").agg("value").iter_rows()}
        lists = {name: tuple(v for v in getattr(self, name) if v in offered.get(kind, ())) for name, _, kind in LISTS}
        report = self.report if self.report in offered.get("report_date", ()) else None
        return Filters(
            **lists, report=report, leave_out_doubtful=self.leave_out_doubtful, leave_out_doubtful_reports=self.leave_out_doubtful_reports
        )

    def in_address(self) -> dict[str, list[str]]:
        """The address parameters that say these filters (empty for a filter not set)."""
        given = {PARAMS[name]: list(getattr(self, name)) for name, _, _ in LISTS}
        return (
            given
            | {PARAMS["report"]: [self.report] if self.report else []}
            | {PARAMS[name]: [LEAVE_OUT] if getattr(self, name) else [] for name, *_ in TOGGLES}
        )


def _options(asked: Filters) -> tuple[Filters, pl.DataFrame]:
    """The filters asked for that the store can show, and the values each list offers under them.
    Dropping a value the store lacks (a link to a council since removed) changes what the other
    lists offer, so this repeats until nothing more is dropped."""
    while True:
        options = query("filter_options", **asked.params())
        valid = asked.within(options)
        if valid == asked:
            return asked, options
        asked = valid


def _widget_to_address(name: str) -> None:
    """on_change of a filter widget: the new value goes into the page address (a history entry)."""
    chosen = st.session_state[f"filter_{name}"]
    if name in {toggle for toggle, *_ in TOGGLES}:
        chosen = [LEAVE_OUT] if chosen else []
    address.change({PARAMS[name]: chosen})


_CLEARED = "filters_cleared"  # how many times Clear filters was pressed in this session


def clear_filters() -> None:
    # A new generation of chart keys: a chart clicked before, now back under the same filters,
    # must not keep its old selection (a click on the bar already selected changes nothing).
    st.session_state[_CLEARED] = st.session_state.get(_CLEARED, 0) + 1
    address.change(Filters().in_address())


def _toggle_caption(kind: str, records: int, left_out: bool) -> str:
    """What a leave-out toggle leaves out, or would."""
    what = "with doubtful dates" if kind == "doubtful" else "from reports read with doubts"
    if left_out:
        return f"{records:,} records {what} left out"
    return (
        f"{records:,} records shown rest on a doubtful date"
        if kind == "doubtful"
        else f"{records:,} records shown come from reports read with doubts"
    )


def say_unknown(asked: Filters, shown: Filters) -> None:
    """A value the address asks for that the store cannot show (a mistyped link, a council since
    removed) is said, never silently dropped: the page shows the rest."""
    for name, label, _ in LISTS:
        left_out = [v for v in getattr(asked, name) if v not in getattr(shown, name)]
        for value in left_out:
            instead = "the others chosen" if getattr(shown, name) else f"all {PLURALS[name]}"
            st.warning(f"No {label.lower()} called '{value}' in this store (under the other filters): showing {instead}.", icon="⚠️")
    if asked.report and asked.report != shown.report:
        st.warning(f"No report dated '{asked.report}' in this store (under the other filters): showing {NEWEST}.", icon="⚠️")


def _report_label(value: str, councils: list[str]) -> str:
    named = ", ".join(councils) if len(councils) <= 3 else f"{', '.join(councils[:2])} and {len(councils) - 2:,} more"
    return f"{uk_date(value)} — {named}"


def sidebar_filters() -> Filters:
    """The global filters, drawn by each page that uses them, as the page address gives them.
    Each list offers only the values present under the other filters (and those already chosen)."""
    asked = Filters.from_address()
    filters, options = _options(asked)
    say_unknown(asked, filters)
    chosen: dict[str, Any] = {}  # Filters field -> what its widget gives
    with st.sidebar:
        st.header("Filters")
        for name, label, kind in LISTS:
            offered = options.filter(pl.col("kind") == kind)["value"].to_list()
            key = f"filter_{name}"
            # The address, not the widget's last state, says what is chosen: after Back, a link or a
            # chart click the widget shows the address's values.
            st.session_state[key] = list(getattr(filters, name))
            chosen[name] = tuple(st.multiselect(label, offered, key=key, on_change=_widget_to_address, args=(name,), placeholder="All"))
        reports = options.filter(pl.col("kind") == "report_date")
        labels = {value: _report_label(value, councils) for value, councils in reports.select("value", "councils").iter_rows()}
        st.session_state["filter_report"] = filters.report
        chosen["report"] = st.selectbox(
            "Report",
            list(labels),
            format_func=labels.__getitem__,
            key="filter_report",
            on_change=_widget_to_address,
            args=("report",),
            placeholder="Newest of each council",
            help="Show the report of this date (for the councils that have one)",
        )
        if chosen["report"]:
            st.button(
                "Back to each council's newest report",
                icon=":material/close:",
                key="filter_report_clear",
                type="tertiary",
                on_click=address.change,
                args=({PARAMS["report"]: None},),
            )
        for name, label, help_text, kind in TOGGLES:
            st.session_state[f"filter_{name}"] = getattr(filters, name)
            chosen[name] = st.toggle(label, key=f"filter_{name}", on_change=_widget_to_address, args=(name,), help=help_text)
            counted = int(options.filter(pl.col("kind") == kind)["records"].sum())
            st.caption(_toggle_caption(kind, counted, chosen[name]))
        chosen_filters = Filters(**chosen)
        st.button(
            "Clear filters",
            icon=":material/filter_alt_off:",
            on_click=clear_filters,
            key="filter_clear",
            disabled=chosen_filters == Filters(),
            width="stretch",
        )
    return chosen_filters


# A click on a bar filters every page: the chart's data column names the sidebar filter it sets.
CHART_FILTERS = {
    "council": "councils",
    "directorate": "directorates",
    "risk_level": "risks",
    "status": "statuses",
    "ageing_band": "ageing_bands",
}
CHART_PICK = "pick"  # the name of the point selection a clickable chart declares (app/charts.py)


def apply_chart_selection(key: str, field: str) -> None:
    """on_select callback of a clickable chart: the clicked values become the sidebar filter for
    `field` (in the page address, so the click is a history entry); a click on empty space leaves
    the filters as they are."""
    picked = st.session_state[key]["selection"].get(CHART_PICK) or []
    values = sorted({str(point[field]) for point in picked if point.get(field) is not None})
    if values:
        address.change({PARAMS[CHART_FILTERS[field]]: values})


def keyboard_filter(field: str, offered: list[str], key: str) -> None:
    """The keyboard's way to what a click on a chart's bar does: a list of the chart's values
    that sets the same filter (a pointer-only chart would shut keyboard users out)."""
    st.selectbox(
        f"Filter every page by {header(field).lower()} (as a click on a bar does)",
        sorted(set(offered)),
        index=None,
        key=key,
        placeholder="Choose one",
        on_change=_keyboard_pick,
        args=(key, field),
    )


def _keyboard_pick(key: str, field: str) -> None:
    if st.session_state[key] is not None:
        address.change({PARAMS[CHART_FILTERS[field]]: [st.session_state[key]]})


def selection_key(key: str) -> str:
    """The key of a clickable chart under the filters now in the address. A chart keeps its
    selection while its key stays the same, and a click on the bar already selected changes
    nothing, so without a new key a bar clicked before "Clear filters" could not be clicked again."""
    said = sorted((name, tuple(values)) for name, values in Filters.from_address().in_address().items() if values)
    said.append(("cleared", (str(st.session_state.get(_CLEARED, 0)),)))
    return f"{key}_{hashlib.sha1(repr(said).encode()).hexdigest()[:10]}"


def current_council_choice(councils: list[str]) -> str:
    """The council a single-council page opens on: the first chosen in the filters, if any."""
    kept = [c for c in address.values(PARAMS["councils"]) if c in councils]
    return kept[0] if kept else councils[0]


def current_report_choice(dates: list[date]) -> int:
    """Which of a council's report dates (newest first) a single-council page opens on: the
    report chosen in the filters when the council has one, else its newest."""
    chosen = address.value(PARAMS["report"])
    shown = [d.isoformat() for d in dates]
    return shown.index(chosen) if chosen in shown else 0


def filtered_summary(filters: Filters) -> pl.DataFrame:
    """The summary breakdowns for the filters; stops the page, saying why, when nothing matches."""
    summary = query("summary", **filters.params())
    if summary.filter(pl.col("breakdown") == "all")["recommendations"].sum() == 0:
        st.info("No recommendations match the filters: clear some filters in the sidebar.")
        st.stop()
    return summary
