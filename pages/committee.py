"""Committee: one council's report as a chair reads it, and the printable slippage pack."""
import functools
from datetime import date

import polars as pl
import streamlit as st

import committee
from app.charts import show_chart
from app.data import query, require_data
from app.filters import current_council_choice

st.title("Committee view")
require_data()

reports = query("committee_reports")
councils = reports["council"].unique(maintain_order=True).to_list()
chosen_council = current_council_choice(councils)
left, right = st.columns(2)
council = left.selectbox("Council", councils, index=councils.index(chosen_council), key="committee_council")
dates = reports.filter(pl.col("council") == council)["report_date"].to_list()
report_date = right.selectbox("Report", dates, format_func=lambda d: f"{d:%d %B %Y}", key="committee_report")
view = committee.gather(query, council, report_date)

cols = st.columns(4)
cols[0].metric("Open", f"{view.headline['open']:,}")
cols[1].metric("Overdue", f"{view.headline['overdue']:,}", help="Past the date in force (or the first date while the new one is to be confirmed)")
cols[2].metric("Extended two or more times", f"{view.headline['revised_twice']:,}")
cols[3].metric("No update for two or more reports", f"{view.headline['no_update_twice']:,}")

made = committee.charts(view)
left, right = st.columns(2)
with left:
    show_chart(made["risk"])
with right:
    show_chart(made["ageing"])
if "owners" in made:
    show_chart(made["owners"])

st.subheader("What changed since the previous report")
if view.movement.is_empty():
    st.caption("This is the first report loaded for this council: load the previous one to see what changed.")
else:
    cols = st.columns(len(committee.CHANGE_WORDS))
    for col, (words, count) in zip(cols, committee.changes(view)):
        col.metric(words, f"{count:,}")

for heading, frame in (("Extended two or more times", view.revised()),
                       ("No fresh update for two or more reports", view.no_update()),
                       ("Oldest open high and critical risk recommendations", view.oldest_high_risk())):
    st.subheader(heading)
    rows = committee.listing(frame)
    if rows:
        st.dataframe(pl.DataFrame(rows, schema=["Recommendation", "Directorate or officer", "Where it stands"], orient="row"),
                     hide_index=True, width="stretch")
    else:
        st.caption("None.")

st.subheader("Slippage pack")
st.caption("The view above for the committee papers: fits A4, with the council, report date and when it was produced.")
stem = committee.file_stem(view)
left, right, _ = st.columns([1, 1, 3])
left.download_button("Pack as PDF", data=functools.partial(committee.to_pdf, view), file_name=f"{stem}.pdf",
                     mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore", key="pack_pdf")
right.download_button("Pack as HTML", data=functools.partial(committee.to_html, view), file_name=f"{stem}.html",
                      mime="text/html", icon=":material/description:", on_click="ignore", key="pack_html")
