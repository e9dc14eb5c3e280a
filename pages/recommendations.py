"""Recommendations: the filtered table, one record in full, and exports of what is shown."""
import altair as alt
import polars as pl
import streamlit as st

from app.charts import show_chart
from app.data import query, require_data
from app.downloads import export_buttons
from app.filters import sidebar_filters
from app.text import days, plain

PAGE_SIZE = 50

st.title("Recommendations")
require_data()

filters = sidebar_filters()
left, middle, right = st.columns([2, 1, 1])
search = left.text_input("Search title, text, update, reference or officer", key="rec_search").strip()
min_revisions = middle.number_input("Revised at least", min_value=0, max_value=50, value=0, step=1, key="rec_min_revisions")
no_update_only = right.toggle("No fresh update only", key="rec_no_update")
params = {**filters.params(), "min_revisions": int(min_revisions), "no_update_only": no_update_only, "search": search}

first = query("recommendations", **params, limit=PAGE_SIZE, offset=0)
total = int(first["total_rows"][0]) if first.height else 0
pages = max(1, -(-total // PAGE_SIZE))
page = (st.columns([1, 5])[0].number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, key="rec_page")
        if pages > 1 else 1)
rows = first if page == 1 else query("recommendations", **params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
st.caption(f"{total:,} recommendations in the report on show match (each council's newest unless a report is "
           "chosen in the sidebar); most slipped first. Select a row to read it in full.")

picked = st.dataframe(
    rows.drop("total_rows", "report_id", "record_no"), hide_index=True, width="stretch", key="rec_table",
    on_select="rerun", selection_mode="single-row",
    column_config={
        "council": "Council", "report_date": st.column_config.DateColumn("Report"), "ref": "Ref",
        "audit_title": st.column_config.TextColumn("Audit", width="large"), "directorate": "Directorate",
        "responsible": "Responsible", "risk_level": "Risk", "status": "Status",
        "original_target_date": st.column_config.DateColumn("Original target"),
        "current_target_date": st.column_config.DateColumn("Current target"),
        "revision_count": st.column_config.NumberColumn("Revisions"),
        "days_past_original_target": st.column_config.NumberColumn("Days past original"),
        "no_update_flag": st.column_config.CheckboxColumn("No fresh update"),
        "no_update_streak": st.column_config.NumberColumn("Reports without update"),
        "latest_update_period": "Update stamp",
    })

provenance = {"Filters": filters.describe(), "Search": search or "(none)",
              "Revised at least": str(int(min_revisions)), "No fresh update only": str(no_update_only)}
export_buttons(lambda: query("recommendations_export", **params), "recommendations", provenance, "rec_export")

selected = picked.selection.rows if picked is not None else []
labels = [f"{r['audit_title'] or '(untitled)'} — {r['council']} #{r['record_no']}" for r in rows.iter_rows(named=True)]
opened = st.selectbox("Open a record", range(rows.height), index=selected[0] if selected else None,
                      format_func=labels.__getitem__, placeholder="Select a row above or choose here")
if opened is not None:
    chosen = rows.row(opened, named=True)
    record = query("record", report_id=chosen["report_id"], record_no=chosen["record_no"]).row(0, named=True)
    st.divider()
    # Document text in a heading: Markdown escaped and addresses broken (app/text.py), and no
    # anchor link built from it.
    st.subheader(plain(record["audit_title"] or "(untitled)"), anchor=False)
    facts = [f"**{plain(record['council'])}**", f"report of {record['report_date']:%d %B %Y}",
             f"risk: {plain(record['risk_raw'] or '–')}", f"status: {record['status']}"]
    if record["ref"]:
        facts.insert(1, f"ref {plain(record['ref'])}")
    st.markdown(" · ".join(facts))
    detail, history = st.columns([3, 2])
    with detail:
        for label, field in (("Directorate", "directorate"), ("Responsible", "responsible"), ("Section", "section"),
                             ("Finding", "finding"), ("Recommendation", "recommendation"),
                             ("Management response", "management_response"), ("Latest update", "latest_update")):
            if record[field]:
                st.caption(label)
                st.text(record[field])  # document text is shown as text, never as markdown or HTML
    with history:
        targets = query("record_targets", report_id=chosen["report_id"], record_no=chosen["record_no"])
        st.caption(f"Target history: {record['revision_count']} revisions; "
                   f"{days(record['days_past_original_target'])} past the original target")
        dated = targets.filter(pl.col("target") != "TBC").with_columns(pl.col("target").str.to_date())
        if not dated.is_empty():
            chart = (alt.Chart(dated, title="Targets in the order they were set")
                     .mark_line(point=True)
                     .encode(x=alt.X("seq:O", title="Step"), y=alt.Y("target:T", title="Target date"),
                             color=alt.Color("part:N", title="Part"), tooltip=["seq", "target:T", "source", "as_printed"]))
            show_chart(chart)
        st.dataframe(targets, hide_index=True, width="stretch")

    across = query("record_history", council=record["council"], recommendation_key=record["recommendation_key"])
    if across.height > 1:
        st.subheader("Across reports")
        timeline = (alt.Chart(across.drop_nulls("current_target_date"), title="Target in force at each report")
                    .mark_line(point=True)
                    .encode(x=alt.X("report_date:T", title="Report date"),
                            y=alt.Y("current_target_date:T", title="Target in force"),
                            tooltip=["report_date:T", "current_target_date:T", "status", "latest_update_period",
                                     "no_update_flag"]))
        show_chart(timeline)
        st.dataframe(across, hide_index=True, width="stretch")
