"""What every page shares: the store connection, cached queries from sql/queries, the global
filters, the risk colours, charts and export buttons. Pages stay thin and call these."""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import duckdb
import polars as pl
import streamlit as st

from etl.readonly import open_safe
from etl.store import SAMPLES_DIR, SQL_DIR, db_path
import app.exports as exports
from palette import AGEING_ORDER, RISK_ORDER, risk_colour  # noqa: F401  (pages use them through ui)

QUERIES = SQL_DIR / "queries"


# -- the store -------------------------------------------------------------------------------
def store_path() -> Path:
    return db_path()


def store_version(path: Path) -> tuple[int, int] | None:
    """Changes whenever a load renames a new file into place: the key for reopening and caches."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def ensure_store() -> None:
    """First run: build the store from the bundled samples, with a visible progress message.
    A store built by an older version gets this version's views (through the ETL, on a copy)."""
    path = store_path()
    from etl.load import load

    if path.exists():
        if not _store_is_current(str(path), store_version(path)):
            with st.spinner("Bringing the database's views up to this version…"):
                load([], path, loaded_by="slippage (views update)")
        return

    with st.status("No database yet: building it from the bundled sample appendices…", expanded=True) as status:
        outcomes = load([SAMPLES_DIR], path, on_outcome=lambda o: st.text(o.line()))
        failed = [o for o in outcomes if not o.ok]
        status.update(label=f"Database built: {len(outcomes) - len(failed)} reports loaded",
                      state="error" if failed else "complete", expanded=bool(failed))


class _OpenStore:
    """The one read-only connection this server holds, and which file version it reads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple | None = None
        self.con: duckdb.DuckDBPyConnection | None = None


@st.cache_resource(show_spinner=False)
def _open_store() -> _OpenStore:
    return _OpenStore()


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only, locked-down connection, reopened when a load has swapped in a new file.

    DuckDB keeps one database instance per path in a process, so the old connection is closed
    before the new file is opened; otherwise the old file's instance would be handed back."""
    path = store_path()
    key = (str(path), store_version(path))
    holder = _open_store()
    with holder.lock:
        if holder.con is None or holder.key != key:
            if holder.con is not None:
                holder.con.close()
            holder.con, holder.key = open_safe(path), key
        return holder.con


@st.cache_data(max_entries=4, show_spinner=False)
def _store_is_current(path: str, version: tuple[int, int] | None) -> bool:
    from etl.store import is_current

    return is_current(connection())


@functools.cache
def sql_file(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_query(name: str, params: tuple, version: tuple[int, int] | None) -> pl.DataFrame:
    cursor = connection().cursor()
    try:
        return cursor.sql(sql_file(name), params=dict(params)).pl()
    finally:
        cursor.close()


def query(name: str, **params) -> pl.DataFrame:
    """Run sql/queries/NAME.sql with named parameters; cached per store version and parameters."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    thawed = tuple((k, list(v) if isinstance(v, tuple) else v) for k, v in frozen)
    return _cached_query(name, thawed, store_version(store_path()))


# -- global filters --------------------------------------------------------------------------
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
    chosen = {}
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


def current_council_choice(councils: list[str]) -> str:
    """The council a single-council page opens on: the first chosen in the filters, if any."""
    kept = [c for c in st.session_state.get("kept_filter_councils", []) if c in councils]
    return kept[0] if kept else councils[0]


def has_data() -> bool:
    return not query("filter_options").filter(pl.col("kind") == "council").is_empty()


def empty_state() -> None:
    st.info("No reports loaded yet: load one on the Data page, or with "
            "`python -m etl load PATH --council NAME`.")


def require_data() -> None:
    """Stop a page that shows figures, saying what to do, while nothing is loaded."""
    if not has_data():
        empty_state()
        st.stop()


def filtered_summary(filters: Filters) -> pl.DataFrame:
    """The summary breakdowns for the filters; stops the page, saying why, when nothing matches."""
    summary = query("summary", **filters.params())
    if summary.filter(pl.col("breakdown") == "all")["recommendations"].sum() == 0:
        st.info("No recommendations match the filters: clear some filters in the sidebar.")
        st.stop()
    return summary


# -- charts ----------------------------------------------------------------------------------
def bar_chart(frame: pl.DataFrame, category: str, value: str, category_title: str, value_title: str,
              title: str, fmt: str = ",.0f") -> alt.Chart:
    """Horizontal bars sorted largest first, labelled, one colour."""
    return (alt.Chart(frame, title=title)
            .mark_bar(color="#3b6ea8")
            .encode(y=alt.Y(f"{category}:N", sort="-x", title=category_title, axis=alt.Axis(labelLimit=320)),
                    x=alt.X(f"{value}:Q", title=value_title),
                    tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                             alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)])
            .properties(height=alt.Step(22)))


def result_chart(frame: pl.DataFrame) -> alt.Chart | None:
    """A chart of a query result's first numeric column against its first label or date column,
    where the result is small enough to read as one."""
    numeric = [n for n, t in frame.schema.items() if t.is_numeric()]
    labels = [n for n, t in frame.schema.items() if t == pl.String or t.is_temporal()]
    if not numeric or not labels or not 1 < frame.height <= 200:
        return None
    value, label = numeric[0], labels[0]
    if frame.schema[label].is_temporal():
        return (alt.Chart(frame, title=f"{value} by {label}").mark_line(point=True)
                .encode(x=alt.X(f"{label}:T", title=label), y=alt.Y(f"{value}:Q", title=value), tooltip=[label, value]))
    return bar_chart(frame.head(50), label, value, label, value, f"{value} by {label}", fmt=",.4~f")


def chart_image(spec: dict, fmt: str) -> bytes:
    """A chart as PNG (twice screen resolution) or SVG, rendered without a browser."""
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def show_chart(chart: alt.Chart) -> None:
    """The chart, with PNG and SVG downloads of it made only when asked for."""
    st.altair_chart(chart, width="stretch")
    spec = chart.to_dict()
    title = spec.get("title") or "chart"
    name = _slug(title if isinstance(title, str) else title.get("text", "chart"))
    with st.popover("Download chart", icon=":material/image:"):
        for fmt in ("png", "svg"):
            st.download_button(fmt.upper(), data=functools.partial(chart_image, spec, fmt), file_name=f"{name}.{fmt}",
                               mime="image/png" if fmt == "png" else "image/svg+xml", key=f"chart_{name}_{fmt}",
                               on_click="ignore")


# -- exports ---------------------------------------------------------------------------------
def export_buttons(make_frame, stem: str, provenance: dict[str, str], key: str) -> None:
    """CSV, Excel and Parquet downloads; each file is made only when its button is pressed."""
    columns = st.columns(3)
    for column, (fmt, label) in zip(columns, (("csv", "CSV"), ("xlsx", "Excel"), ("parquet", "Parquet"))):
        column.download_button(f"Download {label}", data=functools.partial(_export_bytes, make_frame, fmt, provenance),
                               file_name=f"{stem}.{fmt}", mime=exports.MIME[fmt], key=f"{key}_{fmt}",
                               on_click="ignore", icon=":material/download:")


def _export_bytes(make_frame, fmt: str, provenance: dict[str, str]) -> bytes:
    return exports.export(make_frame(), fmt, provenance)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Document text for an element that renders Markdown (headings, captions): every Markdown
    character escaped, so a link, image or HTML in a cell is shown as the characters it is."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")


def percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def days(value) -> str:
    return "–" if value is None else f"{value:,.0f} days"



# -- the SQL page's reference material -------------------------------------------------------
_GRAIN_COMMENT = re.compile(r"^--\s*(\w+)(?:\([^)]*\))?:\s*(.+)$", re.MULTILINE)


@functools.cache
def object_descriptions() -> dict[str, str]:
    """One-line descriptions of tables and views, from the comment that opens each in sql/."""
    found: dict[str, str] = {}
    for name in ("schema.sql", "views.sql", "marts.sql"):
        for m in _GRAIN_COMMENT.finditer((SQL_DIR / name).read_text(encoding="utf-8")):
            found.setdefault(m.group(1), m.group(2).strip())
    return found


@functools.cache
def example_queries() -> dict[str, str]:
    """Example queries: sql/examples/*.sql, each titled by its first comment line."""
    examples = {}
    for path in sorted((SQL_DIR / "examples").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        examples[title.lstrip("- ").strip()] = body.strip()
    return examples
