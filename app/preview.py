"""Preview before loading, and teaching a council, in the admin app (admin.py, behind the upload
key): one file read as a load would read it, nothing stored: the header row(s) found and each
column's field, the priority scale and where it came from, the as-at date and its source, the first
records as they would be stored with their slippage figures, every warning and document doubt.
Controls correct the reading (a column's field, a priority label's level, a status word's meaning,
the as-at date); the preview is read again as they change. Load saves what was taught as the
council's layout override in the store (etl/store/layout_overrides.py), with who and when, and
loads the file with it; every later file of the council is read with it, here and by `etl load`.

The reading is etl/interpret/inspect.py's, so `etl inspect --council` and this preview agree."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from etl.interpret.report import ParsedReport, ParseError
from etl.layouts.config import FIELD_NAMES, LEVELS, STATUSES, UNMAPPED, LayoutsError
from etl.layouts.overrides import layouts_with, read_text, to_toml

PREVIEW_ROWS = 10  # records shown as they would be stored
NOT_USED = "not used"
AS_READ = "as read"
NOT_RECOGNISED = "not recognised (kept as text, with a warning)"


@dataclass
class Teaching:
    """What the admin has corrected for one file of one council, over the store's override."""
    council: str
    base: dict[str, Any]                                   # the store's override as it is, as TOML tables
    columns: dict[str, str] = field(default_factory=dict)  # header text -> field, or "unmapped"
    risk: dict[str, str] = field(default_factory=dict)     # priority label as printed -> level
    status: dict[str, str] = field(default_factory=dict)   # status word as printed -> meaning

    @property
    def changed(self) -> bool:
        return bool(self.columns or self.risk or self.status)

    def override(self) -> dict[str, Any]:
        """The council's override with what was taught here merged in (the taught values win)."""
        merged = {key: dict(value) if isinstance(value, dict) else value for key, value in self.base.items()}
        merged.pop("council", None)
        if self.columns:
            merged["columns"] = {**merged.get("columns", {}), **self.columns}
        if self.risk:
            risk = dict(merged.get("risk", {}))
            risk["key"] = {**risk.get("key", {}), **self.risk}
            merged["risk"] = risk
        if self.status:
            merged["status"] = _status_taught(dict(merged.get("status", {})), self.status)
        return merged

    def text(self) -> str:
        override = self.override()
        return to_toml(self.council, override) if any(override.values()) else ""


def _status_taught(status: dict[str, Any], taught: dict[str, str]) -> dict[str, Any]:
    """Each taught word under its meaning only."""
    for meaning in STATUSES:
        words = [w for w in status.get(meaning, []) if w not in taught]
        words += [word for word, given in taught.items() if given == meaning]
        if words:
            status[meaning] = words
        else:
            status.pop(meaning, None)
    return status


def teaching(council: str, stored: str, digest: str) -> Teaching:
    """This session's corrections for the file and council (a new file or council starts afresh)."""
    name = f"teach-{digest[:16]}-{council}"
    if name not in st.session_state:
        st.session_state[name] = Teaching(council, read_text(stored, council) if stored.strip() else {})
    return st.session_state[name]


def read(path: Path, council: str, as_at: date | None, text: str) -> ParsedReport:
    """The file as a load would read it with this override (ParseError or LayoutsError if not)."""
    from etl.parse import parse_file

    return parse_file(path, council, as_at, layouts=layouts_with(council, text))


# -- what the reading shows, and its controls ----------------------------------------------------

def _remember(section: dict[str, str], name: str, widget: str, meaning: dict[str, str]) -> None:
    chosen = st.session_state[widget]
    if chosen in (AS_READ, NOT_RECOGNISED):
        section.pop(name, None)
    else:
        section[name] = meaning.get(chosen, chosen)


def columns_control(report: ParsedReport, taught: Teaching, prefix: str) -> None:
    """A field for each column; a column no rule recognised says so until it is given one or 'not used'."""
    unrecognised = {w["raw_text"] for w in report.warnings if w["field"] == "table" and w["record_no"] is None}
    for number, (headers, fields) in enumerate(report.tables, start=1):
        st.markdown(f"**Table {number}**: header row found — each column's field")
        cells = st.columns(3)
        for column, (header, read_as) in enumerate(zip(headers, fields)):
            if not header:
                continue
            options: list[str] = [*([NOT_RECOGNISED] if header in unrecognised else []), NOT_USED, *FIELD_NAMES]
            widget = f"{prefix}-col-{number}-{column}"
            cells[column % 3].selectbox(header, options, index=options.index(read_as or options[0]), key=widget,
                                        on_change=_remember, args=(taught.columns, header, widget, {NOT_USED: UNMAPPED}))


def risk_control(report: ParsedReport, taught: Teaching, prefix: str) -> None:
    st.markdown(f"**Priority scale**: {report.risk_scale}")
    labels = dict.fromkeys(r["risk_raw"] for r in report.records if r.get("risk_raw"))
    levels: dict[str, str] = {r["risk_raw"]: r.get("risk_level") or AS_READ for r in report.records if r.get("risk_raw")}
    options = [AS_READ, *LEVELS]
    cells = st.columns(4)
    for number, label in enumerate(labels):
        widget = f"{prefix}-risk-{number}"
        cells[number % 4].selectbox(f"Priority '{label}' is", options, key=widget,
                                    index=options.index(levels[label]),
                                    on_change=_remember, args=(taught.risk, label, widget, {}))


def status_control(report: ParsedReport, taught: Teaching, prefix: str) -> None:
    meanings = {r["status_raw"]: r["status"] for r in report.records if r.get("status_raw")}
    if not meanings:
        return
    st.markdown("**Status words**: what each printed word means")
    cells = st.columns(4)
    for number, (word, meaning) in enumerate(meanings.items()):
        widget = f"{prefix}-status-{number}"
        cells[number % 4].selectbox(f"Status '{word}' means", list(STATUSES), index=STATUSES.index(meaning), key=widget,
                                    on_change=_remember, args=(taught.status, word, widget, {}))


def reading_shown(report: ParsedReport) -> None:
    from app.text import table_config
    from etl.interpret.inspect import records_as_stored

    st.markdown(f"**As at** {report.report_date:%d %B %Y} ({report.report_date_source}: {report.report_date_detail})")
    st.markdown(f"**The first records as they would be stored** ({min(PREVIEW_ROWS, len(report.records))} of "
                f"{len(report.records)})")
    shown = pl.DataFrame(records_as_stored(report, PREVIEW_ROWS), infer_schema_length=None)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=table_config(shown))
    warnings = [{"where": f"record {w['record_no']}" if w["record_no"] else "document", "field": w["field"],
                 "message": w["message"], "printed": w["raw_text"]} for w in report.warnings]
    doubts = sum(w["field"] == "document" for w in report.warnings)
    st.markdown(f"**Warnings**: {len(warnings)}" + (f", of which {doubts} doubts about the whole document" if doubts else ""))
    if warnings:
        frame = pl.DataFrame(warnings)
        st.dataframe(frame, hide_index=True, width="stretch", column_config=table_config(frame))


def preview(path: Path, council: str, as_at: date | None, stored: str, digest: str) -> tuple[Teaching, ParsedReport | None]:
    """The file's reading with this session's corrections, and the controls to correct it."""
    taught = teaching(council, stored, digest)
    try:
        report = read(path, council, as_at, taught.text())
    except (ParseError, LayoutsError) as exc:
        st.error(f"{path.name}: cannot be read: {exc}")
        return taught, None
    st.caption(f"Read as {report.parser}{f', {report.pages} pages' if report.pages else ''}, with "
               f"{'what was taught here' if taught.changed else report.layouts_file}.")
    prefix = f"teach-{digest[:16]}"
    columns_control(report, taught, prefix)
    risk_control(report, taught, prefix)
    status_control(report, taught, prefix)
    reading_shown(report)
    return taught, report


# -- the admin page's section ---------------------------------------------------------------------

def stored_override(council: str) -> str:
    """The council's override in the store, as TOML ('' when it has none)."""
    from app.data import query_at, real_store_path
    from etl.store.layout_overrides import key

    found = query_at(real_store_path(), "layout_override", council_key=key(council))
    return found["layout_toml"][0] if found.height else ""


def loaded_before(digest: str) -> dict[str, Any] | None:
    """The report content with this hash (the upload's, hashed once) was loaded as, if it was."""
    from app.data import query_at, real_store_path

    found = query_at(real_store_path(), "reports_by_content", hashes=[digest])
    return found.row(0, named=True) if found.height else None


def save_and_load(path: Path, taught: Teaching, as_at: date | None, who: str, stored: str, loaded: bool) -> None:
    """What was taught saved as the council's override (if it changed), then the file loaded with it
    (re-read in place of its earlier reading where its content is `loaded` already)."""
    from app.data import real_store_path
    from app.text import plain
    from etl.load import load
    from etl.reread import reread
    from etl.store import layout_overrides
    from etl.store.store import Store

    text = taught.text()
    if text != stored:
        try:
            with Store(real_store_path()).writing() as con:
                version = layout_overrides.save(con, taught.council, text, f"{who} (admin)",
                                                f"taught in the preview of {path.name}")
        except LayoutsError as exc:
            st.error(f"Not saved: {exc}")
            return
        st.success(f"Saved as {plain(taught.council)}'s layout override, version {version}: every later file "
                   "of the council is read with it.")
    if loaded:
        outcomes = [reread(real_store_path(), path, taught.council, f"{who} (re-read)")]
    else:
        outcomes = load([path], real_store_path(), council=taught.council, as_at=as_at, loaded_by=f"{who} (upload)")
    for outcome in outcomes:
        (st.success if outcome.ok else st.error)(f"{plain(outcome.file.name)}: {outcome.outcome}: {plain(outcome.message)}")


def preview_panel(path: Path, council: str, digest: str, form_key: str) -> None:
    """The preview of one staged file, its corrections, and Load or Cancel."""
    from app.text import plain

    stored = stored_override(council)
    as_at = st.date_input("Report as at (leave empty to read it from the document)", value=None,
                          max_value=date.today(), key=f"{form_key}-as-at")
    taught, report = preview(path, council, as_at, stored, digest)
    if report is None:
        return
    earlier = loaded_before(digest)
    if earlier:
        st.info(f"This file is loaded already, as report {earlier['report_id']} ({plain(earlier['council'])}, "
                f"{earlier['report_date']:%d %B %Y}). Load re-reads it with what was taught and replaces that "
                "reading (logged); corrections of single records stay.")
    who = st.text_input("Your name (recorded with the load and with what was taught)", key=f"{form_key}-who")
    load_it, cancel = st.columns(2)
    if cancel.button("Cancel", key=f"{form_key}-cancel", width="stretch"):
        st.session_state.pop(f"teach-{digest[:16]}-{council}", None)
        st.session_state["preview_round"] = st.session_state.get("preview_round", 0) + 1
        st.rerun()
    if load_it.button("Load", type="primary", key=f"{form_key}-load", width="stretch"):
        if not who.strip():
            st.error("Give your name: it is recorded with the load and with what was taught.")
            return
        save_and_load(path, taught, as_at, who.strip(), stored, loaded=earlier is not None)


def preview_section(limit_mb: int) -> None:
    """Choose one file and its council; see how it will be read, correct it, then Load or Cancel."""
    import hashlib

    from app.data import query
    from app.uploads import ALLOWED, content_problem, staged

    st.subheader("Preview a report before loading it")
    round_ = st.session_state.get("preview_round", 0)  # a new round after Cancel or a load clears the choices
    file = st.file_uploader("Appendix file to preview", type=sorted(s.lstrip(".") for s in ALLOWED),
                            max_upload_size=limit_mb, key=f"preview-file-{round_}")
    council = st.selectbox("Council of the file", sorted(query("council_reports")["council"].to_list()), index=None,
                           accept_new_options=True, placeholder="Choose one, or type a new council's name",
                           key=f"preview-council-{round_}")
    if file is None or not council or not council.strip():
        st.caption("Choose a file and its council to see how it will be read before anything is stored.")
        return
    data = file.getvalue()
    problem = content_problem(file.name, data, limit_mb)
    if problem:
        st.error(problem)
        return
    with staged([(file.name, data)]) as paths:
        preview_panel(paths[0], council.strip(), hashlib.sha256(data).hexdigest(), f"preview-{round_}")


def overrides_section() -> None:
    """Each council's layout override: the one that applies, every version with who and when, and
    any version restored (saved again as the newest, so the history keeps what it replaced)."""
    from app.data import query_at, real_store_path
    from app.text import table_config
    from etl.store import layout_overrides
    from etl.store.store import Store

    councils = query_at(real_store_path(), "layout_override_councils")
    if councils.is_empty():
        return
    st.subheader("What councils were taught")
    council = st.selectbox("Council taught", councils["council"].to_list(), key="overrides-council")
    versions = query_at(real_store_path(), "layout_override", council_key=layout_overrides.key(council))
    now = versions.row(0, named=True)
    why = f" ({now['note']})" if now["note"] else ""
    st.caption(f"Version {now['version']}, saved by {now['saved_by']} on {now['saved_at']:%d %B %Y %H:%M}{why}: "
               f"every file of {council} is read with it.")
    st.code(now["layout_toml"] or "# no override: the shipped layouts apply", language="toml")
    history = versions.select("version", "saved_by", "saved_at", "note", "layout_toml")
    st.dataframe(history, hide_index=True, width="stretch", column_config=table_config(history))
    with st.form("restore-override"):
        chosen = st.selectbox("Version to restore", versions["version"].to_list()[1:], index=None)
        who = st.text_input("Your name (recorded with the restore)")
        if not st.form_submit_button("Restore this version"):
            return
    if chosen is None or not who.strip():
        st.error("Choose the version and give your name.")
        return
    with Store(real_store_path()).writing() as con:
        number = layout_overrides.restore(con, council, int(chosen), f"{who.strip()} (admin)")
    st.success(f"Version {chosen} of {council}'s layout override restored, as version {number}.")
