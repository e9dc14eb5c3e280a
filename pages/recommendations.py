"""Recommendations: the filtered table, sorted in SQL over every matching row and paged after,
one record in full, and exports of every matching row."""

import functools
from collections.abc import Callable, Container

import altair as alt
import streamlit as st

from app import address
from app.charts import show_chart
from app.data import query, require_data, store_path
from app.downloads import export_buttons
from app.exports import page_query_file, provenance
from app.filenames import recommendations_stem
from app.filters import sidebar_filters
from app.text import MISSING, days, header, plain, plural, table_config, uk_date, uk_dates_in

PAGE_SIZE = 50
# What the table shows, slippage first; and which of those columns sort (sql/queries/recommendations.sql).
SHOWN = [
    "original_target_date",
    "current_target_date",
    "revision_count",
    "days_past_original_target",
    "days_past_current_target",
    "doubtful_date",
    "council",
    "report_date",
    "ref",
    "audit_title",
    "directorate",
    "responsible",
    "risk_level",
    "status",
    "no_update_flag",
    "no_update_streak",
    "latest_update_period",
]
SORTABLE = [
    "days_past_original_target",
    "days_past_current_target",
    "revision_count",
    "original_target_date",
    "current_target_date",
    "risk_level",
    "no_update_streak",
    "council",
    "report_date",
    "ref",
    "audit_title",
    "directorate",
    "responsible",
    "status",
]
ORDERS = {"descending": "largest, latest or Z first", "ascending": "smallest, earliest or A first"}
NOT_EXPORTED = ("report_id", "total_rows")
TIMELINE_DATE = "%-d %b %Y"  # Vega's spelling of UK_DATE, for chart axes and tooltips

st.title("Recommendations")
require_data()


# The view in the page address, so a link opens it and Back steps through it: widget key ->
# (parameter, default, how its text is read; a ValueError says the text is not a value it takes).
def _one_of(allowed: Container[str]) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in allowed:
            raise ValueError(text)
        return text

    return read


def _revisions(text: str) -> int:
    if not 0 <= int(text) <= 50:
        raise ValueError(text)
    return int(text)


def _yes(text: str) -> bool:
    if text != "yes":
        raise ValueError(text)
    return True


VIEW: dict[str, tuple[str, object, Callable[[str], object]]] = {
    "rec_search": ("search", "", str),
    "rec_min_revisions": ("revised", 0, _revisions),
    "rec_no_update": ("no-update", False, _yes),
    "rec_sort": ("sort", SORTABLE[0], _one_of(SORTABLE)),
    "rec_order": ("order", "descending", _one_of(ORDERS)),
    "rec_page": ("page", 1, int),
}


def view_from_address() -> None:
    """Every control shows what the address says; a value it cannot take is said, not hidden."""
    for key, (name, default, read) in VIEW.items():
        unknown = address.held(key, name, default, read)
        if unknown is not None:
            st.warning(
                f"No {name} '{unknown}' on this page: showing {default!r}."
                if name != "sort"
                else f"No column called '{unknown}' to sort by: sorted by {header(str(default))}.",
                icon="⚠️",
            )
    st.session_state.setdefault("rec_open", None)


def view_changed(key: str) -> None:
    """A control changed: into the address, back to the first page, and no record left open nor
    row ticked (the rows are new)."""
    name, default, _ = VIEW[key]
    address.keep(key, name, default, also={} if key == "rec_page" else {"page": None})
    st.session_state["rec_open"] = None
    list_chosen()


def list_chosen() -> None:
    """A record chosen in the list (or new rows shown): the grid's row selection is dropped (a new
    grid key), so the next click in the grid opens the row clicked, whichever it is."""
    st.session_state["rec_grid_round"] = st.session_state.get("rec_grid_round", 0) + 1


def grid_picked(table_key: str) -> None:
    """A click in the grid: a ticked row opens that record; a column header sorts every matching
    row by that column (a second click on the sorted column reverses it), instead of the grid's
    own sort of the rows on screen."""
    selection = st.session_state[table_key]["selection"]
    if selection["rows"]:
        st.session_state["rec_open"] = selection["rows"][0]
    columns = selection["columns"]
    if not columns or columns[0] not in SORTABLE:
        return
    sort, order = st.session_state["rec_sort"], st.session_state["rec_order"]
    if columns[0] == sort:
        order = "ascending" if order == "descending" else "descending"
    else:
        sort, order = columns[0], "descending"
    address.change({"sort": None if sort == SORTABLE[0] else sort, "order": None if order == "descending" else order, "page": None})
    st.session_state["rec_open"] = None  # the rows are sorted anew: a row number no longer names the record


view_from_address()
filters = sidebar_filters()
left, middle, right = st.columns([2, 1, 1])
search = left.text_input(
    "Search title, text, update, reference or officer", key="rec_search", on_change=view_changed, args=("rec_search",)
).strip()
min_revisions = middle.number_input(
    "Revised at least", min_value=0, max_value=50, step=1, key="rec_min_revisions", on_change=view_changed, args=("rec_min_revisions",)
)
no_update_only = right.toggle("No fresh update only", key="rec_no_update", on_change=view_changed, args=("rec_no_update",))
sort_column, order_column, page_column = st.columns([2, 2, 1])
sort_by = sort_column.selectbox(
    "Sort every matching row by", SORTABLE, format_func=header, key="rec_sort", on_change=view_changed, args=("rec_sort",)
)
order = order_column.radio(
    "Order",
    list(ORDERS),
    format_func=lambda o: f"{o.capitalize()} ({ORDERS[o]})",
    key="rec_order",
    horizontal=True,
    on_change=view_changed,
    args=("rec_order",),
)
params = {
    **filters.params(),
    "min_revisions": int(min_revisions),
    "no_update_only": no_update_only,
    "search": search,
    "sort_by": sort_by,
    "descending": order == "descending",
}

first = query("recommendations", **params, limit=PAGE_SIZE, offset=0)
total = int(first["total_rows"][0]) if first.height else 0
pages = max(1, -(-total // PAGE_SIZE))
if st.session_state["rec_page"] > pages:
    st.warning(
        f"There is no page {st.session_state['rec_page']:,}: the {plural(total, 'match')} fill {plural(pages, 'page')}. Showing page 1.",
        icon="⚠️",
    )
    st.session_state["rec_page"] = 1
page = (
    page_column.number_input(
        f"Page (of {pages:,})", min_value=1, max_value=pages, key="rec_page", on_change=view_changed, args=("rec_page",)
    )
    if pages > 1
    else 1
)
rows = first if page == 1 else query("recommendations", **params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
arrow = "↓" if order == "descending" else "↑"
st.caption(
    f"{plural(total, 'recommendation')} in the report on show match (each council's newest unless a report is chosen "
    f"in the sidebar). All {total:,} are sorted by **{header(sort_by)}** {arrow}, {order}, before they are "
    f"split into pages of {PAGE_SIZE}: a click on a column header sorts every row by it (again to reverse). "
    "⚠ marks a record whose target dates the reader doubted, ✎ one an admin corrected. Tick a row (the box at "
    "its left) to read it in full."
)

config = table_config(
    rows,
    audit_title=st.column_config.TextColumn(header("audit_title"), width="large"),
    no_update_flag=st.column_config.CheckboxColumn(header("no_update_flag")),
    doubtful_date=st.column_config.TextColumn(
        header("doubtful_date"),
        help="The reader doubted one of this record's target dates, so its days past may be wrong: open the record to read why.",
    ),
    corrected=st.column_config.TextColumn(
        "Corrected", help="An admin corrected a value of this record: open the record to read who, when and what was printed."
    ),
)
sorted_config = config[sort_by]
if isinstance(sorted_config, str):
    config[sort_by] = f"{sorted_config} {arrow}"
else:
    sorted_config["label"] = f"{sorted_config['label']} {arrow}"
# The grid sorts only the rows it holds, so its own header sort is turned off (column selection
# does that) and a header click is sent to the SQL sort instead. A new key per sort starts the
# grid afresh, with no column left selected.
table_key = f"rec_table_{sort_by}_{order}_{page}_{st.session_state.get('rec_grid_round', 0)}"
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    key=table_key,
    column_order=SHOWN,
    column_config=config,
    on_select=functools.partial(grid_picked, table_key),
    selection_mode=["single-row", "single-column"],
    placeholder="–",
)

about = provenance(
    Filters=filters.describe(),
    Search=search or "(none)",
    **{
        "Revised at least": str(int(min_revisions)),
        "No fresh update only": "yes" if no_update_only else "no",
        "Sorted by": f"{header(sort_by)}, {order}",
    },
)
# The store is the one on show now: the file is made from it whenever the button is pressed.
shown_store, every_row = store_path(), {**params, "limit": None, "offset": 0}
export_buttons(
    lambda fmt, path, about, machine: page_query_file(
        path, shown_store, "recommendations", every_row, fmt, about, NOT_EXPORTED, machine, tuple(SHOWN)
    ),
    about,
    recommendations_stem(filters, rows["report_date"], search, int(min_revisions), no_update_only),
    "rec_export",
    total,
    export=repr((str(shown_store), sorted(every_row.items()))),
)

labels = [
    f"{'⚠ ' if r['doubtful_date'] else ''}{'✎ ' if r['corrected'] else ''}"
    f"{r['audit_title'] or '(untitled)'} — {r['council']} #{r['record_no']}"
    for r in rows.iter_rows(named=True)
]
if st.session_state["rec_open"] is not None and st.session_state["rec_open"] >= rows.height:
    st.session_state["rec_open"] = None
opened = st.selectbox(
    "Open a record",
    range(rows.height),
    format_func=labels.__getitem__,
    key="rec_open",
    placeholder="Tick a row above or choose here",
    on_change=list_chosen,
)
if opened is not None:
    chosen = rows.row(opened, named=True)
    record = query("record", report_id=chosen["report_id"], record_no=chosen["record_no"]).row(0, named=True)
    st.divider()
    # Document text in a heading: Markdown escaped and addresses broken (app/text.py), and no
    # anchor link built from it.
    st.header(plain(record["audit_title"] or "(untitled)"), anchor=False)
    facts = [
        f"**{plain(record['council'])}**",
        f"report of {uk_date(record['report_date'])}",
        f"risk: {plain(record['risk_raw'] or '–')}",
        f"status: {record['status'] or MISSING}",
    ]
    if record["ref"]:
        facts.insert(1, f"ref {plain(record['ref'])}")
    st.markdown(" · ".join(facts))
    if record["has_doubtful_date"]:
        st.warning(
            "**Doubtful date**: the figures for this record rest on a target date the reader doubted.\n\n"
            + "\n".join(f"- {plain(uk_dates_in(warning))}" for warning in record["date_warnings"]),
            icon="⚠️",
        )
    for note in record["corrections"] or []:  # kept beside what was read: who, when, what was printed
        st.info(f"**Corrected**: {plain(note)}", icon=":material/edit_note:")
    detail, history = st.columns([3, 2])
    with detail:
        for label, field in (
            ("Directorate", "directorate"),
            ("Responsible officer", "responsible"),
            ("Section", "section"),
            ("Finding", "finding"),
            ("Recommendation", "recommendation"),
            ("Management response", "management_response"),
            ("Latest update", "latest_update"),
        ):
            if record[field]:
                st.caption(label)
                st.text(record[field])  # document text is shown as text, never as markdown or HTML
    with history:
        targets = query("record_targets", report_id=chosen["report_id"], record_no=chosen["record_no"])
        st.caption(
            f"Target history: {plural(record['revision_count'], 'revision')}; "
            f"{days(record['days_past_original_target'])} past the original target"
        )
        dated = targets.drop_nulls("target_date")
        if not dated.is_empty():
            chart = (
                alt.Chart(dated, title="Targets in the order they were set")
                .mark_line(point=True)
                .encode(
                    x=alt.X("seq:O", title="Step"),
                    y=alt.Y("target_date:T", title="Target date", axis=alt.Axis(format=TIMELINE_DATE)),
                    color=alt.Color("part:N", title="Part"),
                    tooltip=[
                        alt.Tooltip("seq", title="Step"),
                        alt.Tooltip("target", title="Target"),
                        "source",
                        alt.Tooltip("as_printed", title="As printed"),
                    ],
                )
            )
            show_chart(chart)
        st.dataframe(
            targets,
            hide_index=True,
            width="stretch",
            column_config=table_config(targets),
            placeholder="–",
            column_order=[c for c in targets.columns if c != "target_date"],
        )

    across = query("record_history", council=record["council"], recommendation_key=record["recommendation_key"])
    if across.height > 1:
        st.subheader("Across reports")
        timeline = (
            alt.Chart(across.drop_nulls("current_target_date"), title="Target in force at each report")
            .mark_line(point=True)
            .encode(
                x=alt.X("report_date:T", title="Report date", axis=alt.Axis(format=TIMELINE_DATE)),
                y=alt.Y("current_target_date:T", title="Target in force", axis=alt.Axis(format=TIMELINE_DATE)),
                tooltip=[
                    alt.Tooltip("report_date:T", title="Report", format=TIMELINE_DATE),
                    alt.Tooltip("current_target_date:T", title="Target in force", format=TIMELINE_DATE),
                    alt.Tooltip("status", title="Status"),
                    alt.Tooltip("latest_update_period", title="Update stamp"),
                    alt.Tooltip("no_update_flag", title="No fresh update"),
                ],
            )
        )
        show_chart(timeline)
        st.dataframe(across, hide_index=True, width="stretch", column_config=table_config(across), placeholder="–")
