"""Data: what was loaded and by whom, what could not be read, and every load attempt. Read only:
changes are made in the admin app (admin.py), never here."""
import streamlit as st

from app.data import empty_state, has_data, query
from app.text import filled, plural, table_config, uk_dates_in_column

st.title("Data")
st.caption("This dashboard only reads. Appendices are loaded, and wrongly loaded reports removed, in the separate "
           "admin app behind the upload key (`streamlit run admin.py`), or from the command line with "
           "`python -m etl load PATH --council NAME` and `python -m etl remove REPORT_ID` (the ids are in the "
           "reports table below).")

if not has_data():
    empty_state()
    st.stop()


def table(frame) -> None:
    """A table as every table on this page is shown: readable headers, UK dates, no "None"."""
    shown = filled(frame.with_columns(uk_dates_in_column("message")) if "message" in frame.columns else frame)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=table_config(shown))


st.header("Reports loaded")
table(query("reports"))

st.header("Cells that could not be read with confidence")
warnings = query("parse_warnings")
if warnings.is_empty():
    st.caption("No warnings: every cell was read.")
else:
    st.caption(f"{plural(warnings.height, 'warning')}. The printed value is kept; check it against the source document.")
    table(warnings)

st.header("Load attempts")
table(query("ingest_log"))
