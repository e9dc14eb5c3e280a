"""Data: what was loaded and by whom, what could not be read, and every load attempt. Read only:
changes are made in the admin app (admin.py), never here."""

import polars as pl
import streamlit as st

from app.data import empty_state, has_data, query
from app.text import filled, plural, table_config, uk_dates_in_column
from etl.selfcheck import READ_WITH_DOUBTS

st.title("Data")
st.caption(
    "This dashboard only reads. Appendices are loaded, and wrongly loaded reports removed, in the separate "
    "admin app behind the upload key (`streamlit run admin.py`), or from the command line with "
    "`python -m etl load PATH --council NAME` and `python -m etl remove REPORT_ID` (the ids are in the "
    "reports table below)."
)

if not has_data():
    empty_state()
    st.stop()


def table(frame: pl.DataFrame) -> None:
    """A table as every table on this page is shown: readable headers, UK dates, no "None"."""
    shown = filled(frame.with_columns(uk_dates_in_column("message")) if "message" in frame.columns else frame)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=table_config(shown))


st.header("Reports loaded")
table(query("reports"))

doubtful = query("doubtful_reports")
if not doubtful.is_empty():
    st.header(f"Reports {READ_WITH_DOUBTS}")
    st.warning(
        f"{doubtful.height:,} {'report was' if doubtful.height == 1 else 'reports were'} {READ_WITH_DOUBTS}: "
        "records may be missing, merged or split, or a column misread, so their figures may be wrong. "
        "Check them against the documents; the sidebar of the other pages can leave them out.",
        icon=":material/report:",
    )
    table(doubtful)

st.header("Cells that could not be read with confidence")
warnings = query("parse_warnings")
if warnings.is_empty():
    st.caption("No warnings: every cell was read.")
else:
    st.caption(f"{plural(warnings.height, 'warning')}. The printed value is kept; check it against the source document.")
    table(warnings)

st.header("Corrections")
corrections = query("corrections")
if corrections.is_empty():
    st.caption("No record has been corrected: every figure is as read.")
else:
    st.caption(
        f"{corrections.height:,} corrections made in the admin app, newest first. Each is kept beside what was "
        "read (printed and read as): the figures use the corrected value."
    )
    table(corrections)

st.header("Load attempts")
table(query("ingest_log"))
