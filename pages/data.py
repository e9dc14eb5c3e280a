"""Data: what was loaded and by whom, what could not be read, and every load attempt. Read only:
changes are made in the admin app (admin.py), never here."""
import streamlit as st

from app.data import empty_state, has_data, query

st.title("Data")
st.caption("This dashboard only reads. Appendices are loaded, and wrongly loaded reports removed, in the separate "
           "admin app behind the upload key (`streamlit run admin.py`), or from the command line with "
           "`python -m etl load PATH --council NAME`.")

if not has_data():
    empty_state()
    st.stop()

st.subheader("Reports loaded")
st.dataframe(query("reports"), hide_index=True, width="stretch",
             column_config={"report_date": st.column_config.DateColumn("Report date"),
                            "loaded_at": st.column_config.DatetimeColumn("Loaded at", format="YYYY-MM-DD HH:mm")})

st.subheader("Cells that could not be read with confidence")
warnings = query("parse_warnings")
if warnings.is_empty():
    st.caption("No warnings: every cell was read.")
else:
    st.caption(f"{warnings.height} warnings. The printed value is kept; check it against the source document.")
    st.dataframe(warnings, hide_index=True, width="stretch")

st.subheader("Load attempts")
st.dataframe(query("ingest_log"), hide_index=True, width="stretch")
