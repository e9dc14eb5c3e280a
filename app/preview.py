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
from etl.leave_out import FoundTable

PREVIEW_ROWS = 10  # records shown as they would be stored
NOT_USED = "not used"
AS_READ = "as read"
NOT_RECOGNISED = "not recognised (kept as text, with a warning)"


@dataclass
class Teaching:
    """What the admin has corrected for one file of one council, over the store's override."""

    council: str
    base: dict[str, Any]  # the store's override as it is, as TOML tables
    columns: dict[str, str] = field(default_factory=dict)  # header text -> field, or "unmapped"
    risk: dict[str, str] = field(default_factory=dict)  # priority label as printed -> level
    status: dict[str, str] = field(default_factory=dict)  # status word as printed -> meaning
    records: dict[str, list[str]] = field(default_factory=dict)  # [records] keys: the tables and rows left out

    @property
    def changed(self) -> bool:
        return bool(self.columns or self.risk or self.status or self.records)

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
        if self.records:  # each choice is the whole answer (every table shown ticked or not), so it replaces
            records = {**merged.get("records", {}), **self.records}
            merged["records"] = {key: value for key, value in records.items() if value}
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

    return parse_file(path, council, as_at, layouts=layouts_with(council, text), list_tables=True)


# -- what the reading shows, and its controls ----------------------------------------------------


def _remember(section: dict[str, str], name: str, widget: str, meaning: dict[str, str]) -> None:
    chosen = st.session_state[widget]
    if chosen in (AS_READ, NOT_RECOGNISED):
        section.pop(name, None)
    else:
        section[name] = meaning.get(chosen, chosen)


def _level_taught(taught: Teaching, label: str, widget: str, shown: dict[str, str]) -> None:
    """A priority label's level, the other labels keeping the levels shown: the council's key is
    read only when it gives every label printed a level, so one label taught alone would change nothing."""
    _remember(taught.risk, label, widget, {})
    if label in taught.risk:
        for other, level in shown.items():
            if level != AS_READ:
                taught.risk.setdefault(other, level)


def _tables_chosen(taught: Teaching, widgets: dict[str, str], kept: list[str]) -> None:
    """Every table shown unticked is left out; a table the override leaves out that this file does
    not print stays left out."""
    taught.records["leave_out_tables"] = kept + [name for name, widget in widgets.items() if not st.session_state[widget]]


def _rows_chosen(taught: Teaching, key: str, widget: str, separator: str) -> None:
    given = str(st.session_state[widget]).replace("\n", separator).split(separator)
    taught.records[key] = [part.strip() for part in given if part.strip()]


def _first_rows(table: FoundTable) -> pl.DataFrame:
    """The header and first rows of a table, each row with its number in the file."""
    names = [f"{header or '(no header)'}{'' if header not in table.header[:i] else f' ({i + 1})'}" for i, header in enumerate(table.header)]
    rows = [[str(number), *cells[: len(names)], *[""] * (len(names) - len(cells))] for number, cells in table.first_rows]
    return pl.DataFrame(rows, schema=["row", *names], orient="row")


def records_control(tables: list[FoundTable], taught: Teaching, prefix: str) -> None:
    """Which tables hold the records (a summary table or a sheet of totals left out), and rows left
    out by a pattern or by number."""
    from etl.cleantext import normalise_label

    st.markdown("**Tables found**: untick a table that holds no records (a summary, a sheet of totals)")
    chosen = taught.override().get("records", {})
    shown = {normalise_label(table.name) for table in tables}
    kept = [name for name in chosen.get("leave_out_tables", []) if normalise_label(name) not in shown]
    widgets = {table.name: f"{prefix}-table-{number}" for number, table in enumerate(tables, start=1)}
    for number, table in enumerate(tables, start=1):
        where = f"header at row {table.header_row}" + (f", sheet '{table.sheet}'" if table.sheet else "")
        st.checkbox(
            f"Table {number} holds records: {table.name}",
            value=not table.left_out,
            key=widgets[table.name],
            help=f"{where}; {table.row_count} rows under its header",
            on_change=_tables_chosen,
            args=(taught, widgets, kept),
        )
        st.dataframe(_first_rows(table), hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.text_input(
        "Leave out rows with a cell matching (regular expressions, one per line or parted by ';')",
        value="; ".join(chosen.get("leave_out_rows", [])),
        key=f"{prefix}-rows-matching",
        on_change=_rows_chosen,
        args=(taught, "leave_out_rows", f"{prefix}-rows-matching", ";"),
        placeholder="e.g. ^Total",
    )
    right.text_input(
        "Leave out rows by number (as numbered above, e.g. 3, 5-7)",
        value=", ".join(chosen.get("leave_out_row_numbers", [])),
        key=f"{prefix}-rows-numbered",
        on_change=_rows_chosen,
        args=(taught, "leave_out_row_numbers", f"{prefix}-rows-numbered", ","),
    )


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
            cells[column % 3].selectbox(
                header,
                options,
                index=options.index(read_as or options[0]),
                key=widget,
                on_change=_remember,
                args=(taught.columns, header, widget, {NOT_USED: UNMAPPED}),
            )


def risk_control(report: ParsedReport, taught: Teaching, prefix: str) -> None:
    st.markdown(f"**Priority scale**: {report.risk_scale}")
    labels = dict.fromkeys(r["risk_raw"] for r in report.records if r["risk_raw"])
    levels: dict[str, str] = {r["risk_raw"]: r["risk_level"] or AS_READ for r in report.records if r["risk_raw"]}
    options = [AS_READ, *LEVELS]
    cells = st.columns(4)
    for number, label in enumerate(labels):
        widget = f"{prefix}-risk-{number}"
        cells[number % 4].selectbox(
            f"Priority '{label}' is",
            options,
            key=widget,
            index=options.index(levels[label]),
            on_change=_level_taught,
            args=(taught, label, widget, levels),
        )


def status_control(report: ParsedReport, taught: Teaching, prefix: str) -> None:
    meanings = {r["status_raw"]: r["status"] for r in report.records if r.get("status_raw")}
    if not meanings:
        return
    st.markdown("**Status words**: what each printed word means")
    cells = st.columns(4)
    for number, (word, meaning) in enumerate(meanings.items()):
        widget = f"{prefix}-status-{number}"
        cells[number % 4].selectbox(
            f"Status '{word}' means",
            list(STATUSES),
            index=STATUSES.index(meaning),
            key=widget,
            on_change=_remember,
            args=(taught.status, word, widget, {}),
        )


def reading_shown(report: ParsedReport) -> None:
    from app.text import table_config
    from etl.interpret.inspect import records_as_stored

    st.markdown(f"**As at** {report.report_date:%d %B %Y} ({report.report_date_source}: {report.report_date_detail})")
    st.markdown(f"**The first records as they would be stored** ({min(PREVIEW_ROWS, len(report.records))} of {len(report.records)})")
    shown = pl.DataFrame(records_as_stored(report, PREVIEW_ROWS), infer_schema_length=None)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=table_config(shown))
    warnings = [
        {
            "where": f"record {w['record_no']}" if w["record_no"] else "document",
            "field": w["field"],
            "message": w["message"],
            "printed": w["raw_text"],
        }
        for w in report.warnings
    ]
    doubts = sum(w["field"] == "document" for w in report.warnings)
    st.markdown(f"**Warnings**: {len(warnings)}" + (f", of which {doubts} doubts about the whole document" if doubts else ""))
    if warnings:
        frame = pl.DataFrame(warnings)
        st.dataframe(frame, hide_index=True, width="stretch", column_config=table_config(frame))


def preview(path: Path, council: str, as_at: date | None, stored: str, digest: str) -> tuple[Teaching, ParsedReport | None]:
    """The file's reading with this session's corrections, and the controls to correct it."""
    taught = teaching(council, stored, digest)
    prefix = f"teach-{digest[:16]}"
    try:
        report = read(path, council, as_at, taught.text())
    except (ParseError, LayoutsError) as exc:
        st.error(f"{path.name}: cannot be read: {exc}")
        # The tables of the last reading stay on show, so a choice that left no records can be undone.
        records_control(st.session_state.get(f"{prefix}-tables", []), taught, prefix)
        return taught, None
    st.session_state[f"{prefix}-tables"] = report.tables_found
    st.caption(
        f"Read as {report.parser}{f', {report.pages} pages' if report.pages else ''}, with "
        f"{'what was taught here' if taught.changed else report.layouts_file}."
    )
    records_control(report.tables_found, taught, prefix)
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


def save_and_load(path: Path, taught: Teaching, as_at: date | None, who: str, stored: str, digest: str, loaded: bool) -> None:
    """What was taught saved as the council's override (if it changed), then the file loaded with it
    (re-read in place of its earlier reading where its content is `loaded` already)."""
    from app.data import real_store_path
    from app.rereading import offer_after_teaching
    from app.text import plain
    from etl.load import load
    from etl.reread import reread
    from etl.store import layout_overrides
    from etl.store.store import Store

    text = taught.text()
    if text != stored:
        try:
            with Store(real_store_path()).writing() as con:
                version = layout_overrides.save(con, taught.council, text, f"{who} (admin)", f"taught in the preview of {path.name}")
        except LayoutsError as exc:
            st.error(f"Not saved: {exc}")
            return
        st.success(
            f"Saved as {plain(taught.council)}'s layout override, version {version}: every later file of the council is read with it."
        )
        offer_after_teaching(taught.council, digest)
    if loaded:
        outcomes = [reread(real_store_path(), path, taught.council, f"{who} (re-read)")]
    else:
        outcomes = load([path], real_store_path(), council=taught.council, as_at=as_at, loaded_by=f"{who} (upload)")
    for outcome in outcomes:
        (st.success if outcome.ok else st.error)(f"{plain(outcome.file.name)}: {outcome.outcome}: {plain(outcome.message)}")


def preview_panel(path: Path, council: str, digest: str, form_key: str) -> None:
    """The preview of one staged file, its corrections, and Load or Cancel; once Load saved what was
    taught, the offer to re-read the council's earlier reports with it."""
    from app.rereading import OFFER, reread_offer
    from app.text import plain

    stored = stored_override(council)
    as_at = st.date_input(
        "Report as at (leave empty to read it from the document)", value=None, max_value=date.today(), key=f"{form_key}-as-at"
    )
    taught, report = preview(path, council, as_at, stored, digest)
    if report is None:
        return
    earlier = loaded_before(digest)
    if earlier:
        st.info(
            f"This file is loaded already, as report {earlier['report_id']} ({plain(earlier['council'])}, "
            f"{earlier['report_date']:%d %B %Y}). Load re-reads it with what was taught and replaces that "
            "reading (logged); corrections of single records stay."
        )
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
        save_and_load(path, taught, as_at, who.strip(), stored, digest, loaded=earlier is not None)
    offered = st.session_state.get(OFFER)
    if offered and offered[0] == council:
        reread_offer(council, f"{form_key}-reread", leave_out=offered[1])


def preview_section(limit_mb: int) -> None:
    """Choose one file and its council; see how it will be read, correct it, then Load or Cancel."""
    import hashlib

    from app.data import query
    from app.uploads import ALLOWED, content_problem, staged

    st.subheader("Preview a report before loading it")
    round_ = st.session_state.get("preview_round", 0)  # a new round after Cancel or a load clears the choices
    file = st.file_uploader(
        "Appendix file to preview", type=sorted(s.lstrip(".") for s in ALLOWED), max_upload_size=limit_mb, key=f"preview-file-{round_}"
    )
    council = st.selectbox(
        "Council of the file",
        sorted(query("council_reports")["council"].to_list()),
        index=None,
        accept_new_options=True,
        placeholder="Choose one, or type a new council's name",
        key=f"preview-council-{round_}",
    )
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
    from app.rereading import reread_offer
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
    st.caption(
        f"Version {now['version']}, saved by {now['saved_by']} on {now['saved_at']:%d %B %Y %H:%M}{why}: "
        f"every file of {council} is read with it."
    )
    st.code(now["layout_toml"] or "# no override: the shipped layouts apply", language="toml")
    reread_offer(council, "reread-taught")
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
