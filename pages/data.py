"""Data: load new appendices (behind the upload key), what was loaded and by whom, every load
attempt, and what could not be read."""
from datetime import date

import polars as pl
import streamlit as st

from app.data import empty_state, has_data, query, store_path
from app.uploads import (
    ALLOWED,
    ENV_PASSWORD,
    Gate,
    configured_password,
    content_problem,
    safe_name,
    staged,
)
from etl.load import load, remove_report

st.title("Data")


def upload_section() -> None:
    st.subheader("Load appendices")
    expected = configured_password(st.secrets)
    if expected is None:
        st.info("Uploads are off. To turn them on, set `upload_password` in `.streamlit/secrets.toml` "
                f"(see `secrets.toml.example`) or the environment variable `{ENV_PASSWORD}`, then restart. "
                "The command line loads files without it: `python -m etl load PATH --council NAME`.")
        return
    gate = st.session_state.setdefault("upload_gate", Gate())
    if not gate.unlocked:
        with st.form("unlock"):
            given = st.text_input("Upload key", type="password")
            if st.form_submit_button("Unlock uploads"):
                problem = gate.attempt(given, expected)
                if problem:
                    st.error(problem)
                else:
                    st.rerun()
        return

    councils = query("filter_options").filter(pl.col("kind") == "council")["value"].to_list()
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Appendix files", type=sorted(s.lstrip(".") for s in ALLOWED),
                                 accept_multiple_files=True)
        left, right = st.columns(2)
        council = left.selectbox("Council", councils, index=None, accept_new_options=True,
                                 placeholder="Choose one, or type a new council's name")
        as_at = right.date_input("Report as at (optional: else read from the document)", value=None,
                                 max_value=date.today())
        uploader = left.text_input("Your name (recorded with the load)")
        submitted = st.form_submit_button("Load", type="primary")
    if not submitted:
        return
    if not files:
        st.error("Choose one or more files to load.")
        return
    if not council or not uploader.strip():
        st.error("Give the council and your name: both are recorded with the load.")
        return
    verdicts, accepted = [], []
    for file in files:
        data = file.getvalue()
        problem = content_problem(file.name, data, st.get_option("server.maxUploadSize"))
        if problem:
            verdicts.append({"file": safe_name(file.name), "outcome": "refused", "message": problem})
        else:
            accepted.append((file.name, data))
    with st.status(f"Loading {len(accepted)} file(s)…", expanded=True) as status:
        bar = st.progress(0.0)

        def pages(name, done, total):
            bar.progress(done / total if total else 1.0, text=f"{name.rsplit('/', 1)[-1]}: page {done} of {total}")

        try:
            with staged(accepted) as paths:
                for outcome in load(paths, store_path(), council=council.strip(), as_at=as_at,
                                    loaded_by=f"{uploader.strip()} (upload)", on_pages=pages):
                    verdicts.append({"file": outcome.file.name, "outcome": outcome.outcome, "message": outcome.message})
        except Exception as exc:
            first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
            verdicts.append({"file": "(all)", "outcome": "failed", "message": f"the load stopped: {first_line}"})
        failed = sum(v["outcome"] in ("failed", "refused") for v in verdicts)
        status.update(label=f"{len(verdicts) - failed} of {len(verdicts)} file(s) loaded or already present",
                      state="error" if failed else "complete")
    st.dataframe(pl.DataFrame(verdicts), hide_index=True, width="stretch")


def removal_section() -> None:
    """Take a wrongly loaded report out of the store; only with the upload key."""
    gate = st.session_state.get("upload_gate")
    if not (gate and gate.unlocked and has_data()):
        return
    st.subheader("Remove a report")
    reports = query("reports")
    ids = {f"{r['council']}, {r['report_date']:%d %B %Y} ({r['source_file']}, report {r['report_id']})": r["report_id"]
           for r in reports.iter_rows(named=True)}
    with st.form("remove"):
        label = st.selectbox("Report", list(ids), index=None, placeholder="Choose a report")
        chosen = ids.get(label)
        who = st.text_input("Your name (recorded with the removal)")
        sure = st.checkbox("Remove it: its recommendations leave every chart and table")
        if not st.form_submit_button("Remove report"):
            return
    if chosen is None or not who.strip() or not sure:
        st.error("Choose the report, give your name and tick the box to remove it.")
        return
    outcome = remove_report(store_path(), chosen, f"{who.strip()} (Data page)")
    (st.success if outcome.ok else st.error)(outcome.message)


upload_section()
removal_section()
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
