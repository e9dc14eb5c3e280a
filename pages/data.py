"""Data: what was loaded, when and by whom, every load attempt, and what could not be read."""
import streamlit as st

import ui

st.title("Data")
if not ui.has_data():
    ui.empty_state()

st.subheader("Reports loaded")
st.dataframe(ui.query("reports"), hide_index=True, width="stretch",
             column_config={"report_date": st.column_config.DateColumn("Report date"),
                            "loaded_at": st.column_config.DatetimeColumn("Loaded at", format="YYYY-MM-DD HH:mm")})

st.subheader("Cells that could not be read with confidence")
warnings = ui.query("parse_warnings")
if warnings.is_empty():
    st.caption("No warnings: every cell was read.")
else:
    st.caption(f"{warnings.height} warnings. The printed value is kept; check it against the source document.")
    st.dataframe(warnings, hide_index=True, width="stretch")

st.subheader("Load attempts")
st.dataframe(ui.query("ingest_log"), hide_index=True, width="stretch")
st.caption("Load more appendices with `python -m etl load PATH... --council NAME` (see the README).")
