"""slippage admin: the separate app that changes what the dashboard shows (loads appendices,
removes a wrongly loaded report), behind the upload key.

    streamlit run admin.py

It serves on its own port with its own upload limit, from .streamlit/admin.toml (port 8502, 50 MB
a file, this machine only); flags given on the command line win. The public dashboard
(streamlit run dashboard.py) takes no uploads at all.

How: `streamlit run` finds `streamlit_app = st.App(...)` below and serves it with uvicorn, which
imports this file as the module `admin`. Streamlit has read its configuration by then, so that
import starts the server again with admin.toml's settings as command-line flags; the second time
it builds the app with UploadGate in front of Streamlit's upload endpoint. For each page view
Streamlit runs this same file as `__main__`: the admin page below."""

from __future__ import annotations

import os
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from etl import settings

if TYPE_CHECKING:
    from streamlit.runtime.uploaded_file_manager import UploadedFile

ROOT = Path(__file__).resolve().parent
GRANT = "upload_grant"  # session state: this session's token from SESSIONS.grant
OWN_SECTION = "slippage"  # admin.toml's section for slippage's own settings, not Streamlit's


# -- the server -------------------------------------------------------------------------------
def _settings() -> dict[str, dict[str, object]]:
    # Another file may be named (tests, a deployment with its own): SLIPPAGE_ADMIN_CONFIG.
    with settings.ADMIN_CONFIG.value().open("rb") as file:
        return tomllib.load(file)


def admin_options() -> dict[str, object]:
    """admin.toml's Streamlit settings by their Streamlit names, e.g. {"server.port": 8502}
    (its [slippage] section is slippage's own)."""
    return {
        f"{section}.{name}": value for section, values in _settings().items() if section != OWN_SECTION for name, value in values.items()
    }


def trusted_proxies() -> str:
    """The addresses (or networks) of the reverse proxies whose X-Forwarded-For names the client,
    comma-separated: $SLIPPAGE_TRUSTED_PROXIES, else admin.toml's [slippage] trusted_proxies, else
    none, so the upload key's lockout counts each connection by the address it comes from and no
    client can name its own."""
    given: object = settings.TRUSTED_PROXIES.value()
    if given is None:
        given = _settings().get(OWN_SECTION, {}).get("trusted_proxies", "")
    proxies = given if isinstance(given, list) else str(given).split(",")
    return ",".join(str(proxy).strip() for proxy in proxies if str(proxy).strip())


def _flag(key: str, value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"--{key}={text}"


def server_command(given: dict[str, object], script_args: list[str]) -> list[str]:
    """`streamlit run admin.py` with admin.toml's settings as flags, then the flags given (which win)."""
    options = {**admin_options(), **given}
    flags = [_flag(key, value) for key, value in options.items() if not isinstance(value, (list, dict))]
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "admin.py"), *flags, *(["--", *script_args] if script_args else [])]


def _given_flags() -> dict[str, object]:
    """The options this `streamlit run` was given as flags (or STREAMLIT_* variables)."""
    from streamlit import config

    by_flag = getattr(config, "_DEFINED_BY_FLAG", "command-line argument or environment variable")
    return {key: option.value for key, option in config.get_config_options().items() if option.where_defined == by_flag}


def _relaunch(command: list[str]) -> None:
    """Become `command`: the same process, with the listening socket Streamlit opened first closed."""
    print("  slippage admin: starting again with its own settings (.streamlit/admin.toml, then the flags given)", flush=True)
    sys.stderr.flush()
    os.closerange(3, 1 << 16)  # uvicorn made its socket inheritable; the new server binds its own
    os.execve(command[0], command, {**os.environ, settings.ADMIN_SERVER.name: "1", settings.UVICORN_TRUSTED.name: trusted_proxies()})


def _served_by_streamlit_run() -> bool:
    """Whether `streamlit run admin.py` is serving this file (it sets argv[0] to the script)."""
    return bool(sys.argv) and Path(sys.argv[0]).resolve() == Path(__file__).resolve()


# -- the page ---------------------------------------------------------------------------------
def client_address() -> str:
    """The client's address as the lockout counts it (Streamlit gives None for this machine)."""
    from app.uploads import client_key

    return client_key(st.context.ip_address)


def upload_limit_mb() -> int:
    """The server's upload limit: admin.toml's, unless a flag set another."""
    from streamlit import config

    if config.get_where_defined("server.maxUploadSize") == getattr(config, "_DEFINED_BY_FLAG", None):
        return int(st.get_option("server.maxUploadSize"))
    return int(admin_options()["server.maxUploadSize"])  # type: ignore[call-overload]


def session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def unlocked() -> bool:
    from app.uploads import SESSIONS

    return SESSIONS.allows(session_id(), st.session_state.get(GRANT, ""))


def unlock_section(expected: str) -> None:
    from app.uploads import LOCKOUT, SESSIONS, Gate

    gate = Gate(LOCKOUT, client_address())
    waiting = gate.wait_seconds()
    if waiting:
        st.warning(f"Too many wrong keys: the next try must wait {waiting} s.")
    with st.form("unlock"):
        given = st.text_input("Upload key", type="password")
        if st.form_submit_button("Unlock uploads"):
            problem = gate.attempt(given, expected)
            if problem:
                st.error(problem)
            else:
                st.session_state[GRANT] = SESSIONS.grant(session_id())
                st.rerun()


def upload_section() -> None:
    from app.uploads import content_problem, safe_name

    st.header("Load appendices")
    limit = upload_limit_mb()
    form = _upload_form(limit)
    if form is None:
        return
    files, council, as_at, uploader = form
    verdicts: list[dict[str, str]] = []
    accepted: list[tuple[str, bytes]] = []
    for file in files:
        data = file.getvalue()
        problem = content_problem(file.name, data, limit)
        if problem:
            verdicts.append({"file": safe_name(file.name), "outcome": "refused", "message": problem})
        else:
            accepted.append((file.name, data))
    notes = _load_uploads(accepted, council, as_at, uploader, verdicts)
    _show_verdicts(verdicts, notes)


_UploadForm = tuple[list["UploadedFile"], str, date | None, str]  # files, council, report date, uploader's name


def _upload_form(limit: int) -> _UploadForm | None:
    """The files, council, report date and uploader's name the form was submitted with, or None
    (not submitted, or submitted without what a load needs: then it says so)."""
    from app.data import query
    from app.uploads import ALLOWED

    councils = sorted(query("council_reports")["council"].to_list())
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            "Appendix files", type=sorted(s.lstrip(".") for s in ALLOWED), accept_multiple_files=True, max_upload_size=limit
        )
        left, right = st.columns(2)
        council = left.selectbox(
            "Council", councils, index=None, accept_new_options=True, placeholder="Choose one, or type a new council's name"
        )
        as_at = right.date_input(
            "Report as at (optional: else read from the document)", value=None, max_value=date.today(), format="DD/MM/YYYY"
        )
        uploader = left.text_input("Your name (recorded with the load)")
        submitted = st.form_submit_button("Load", type="primary")
    if not submitted:
        return None
    if not files:
        st.error("Choose one or more files to load.")
        return None
    if not council or not uploader.strip():
        st.error("Give the council and your name: both are recorded with the load.")
        return None
    return list(files), council.strip(), as_at, uploader.strip()


def _load_uploads(
    accepted: list[tuple[str, bytes]], council: str, as_at: date | None, uploader: str, verdicts: list[dict[str, str]]
) -> list[str]:
    """The accepted files loaded, each one's outcome added to `verdicts`, with a progress bar; the
    notes to show for files already loaded (under which council and report they went)."""
    from app.data import real_store_path
    from app.text import plain, uk_dates_in
    from app.uploads import counted, staged
    from etl.failures import first_line
    from etl.load import load
    from etl.outcomes import LoadOutcome

    notes = []
    with st.status(f"Loading {counted(len(accepted), 'file')}…", expanded=True) as status:
        bar = st.progress(0.0)

        def pages(name: str, done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=plain(f"{name.rsplit('/', 1)[-1]}: page {done} of {total}"))

        try:
            with staged(accepted) as paths:
                for outcome in load(
                    paths, real_store_path(), council=council, as_at=as_at, loaded_by=f"{uploader} (upload)", on_pages=pages
                ):
                    if outcome.outcome == LoadOutcome.UNCHANGED:  # the load says under which council and report it went
                        notes.append(f"**{plain(outcome.file.name)}**: {plain(uk_dates_in(outcome.message))}.")
                    verdicts.append({"file": outcome.file.name, "outcome": str(outcome.outcome), "message": uk_dates_in(outcome.message)})
        except Exception as exc:
            verdicts.append({"file": "(all)", "outcome": "failed", "message": f"the load stopped: {first_line(exc)}"})
        failed = sum(v["outcome"] in ("failed", "refused") for v in verdicts)
        status.update(
            label=f"{len(verdicts) - failed} of {counted(len(verdicts), 'file')} loaded or already present",
            state="error" if failed else "complete",
        )
    return notes


def _show_verdicts(verdicts: list[dict[str, str]], notes: list[str]) -> None:
    """Each file's outcome in a table, with a note for each file already loaded and a warning for
    each loaded with doubts about its reading."""
    import polars as pl

    from app.text import plain, table_config
    from etl.selfcheck import READ_WITH_DOUBTS

    for note in notes:
        st.info(note, icon=":material/content_copy:")
    for verdict in verdicts:
        _, _, why = verdict["message"].partition(f"; {READ_WITH_DOUBTS}: ")
        if why:
            st.warning(
                f"**{plain(verdict['file'])}** was loaded but {READ_WITH_DOUBTS}: {plain(why)}. Check its figures "
                "against the document; the dashboard says so wherever they are shown.",
                icon=":material/report:",
            )
    shown = pl.DataFrame(verdicts)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=table_config(shown))


def preview_section() -> None:
    """One file read as it would be loaded, corrected, then loaded (app/preview.py)."""
    from app.preview import preview_section as section

    section(upload_limit_mb())


def overrides_section() -> None:
    """Each council's layout override, its history, and restoring a version (app/preview.py)."""
    from app.preview import overrides_section as section

    section()


def correction_section() -> None:
    """One record's field corrected, with a reason (app/corrections.py)."""
    from app.corrections import correction_section as section

    section()


def removal_section() -> None:
    """Take a wrongly loaded report out of the store."""
    from app.data import has_data, real_store_path, report_choices
    from app.text import plain, uk_dates_in
    from etl.load import remove_report

    if not has_data():
        return
    st.header("Remove a report")
    ids = report_choices()
    with st.form("remove"):
        label = st.selectbox("Report", list(ids), index=None, placeholder="Choose a report")
        chosen = ids.get(label) if label else None
        who = st.text_input("Your name (recorded with the removal)")
        sure = st.checkbox("Remove it: its recommendations leave every chart and table")
        if not st.form_submit_button("Remove report"):
            return
    if chosen is None or not who.strip() or not sure:
        st.error("Choose the report, give your name and tick the box to remove it.")
        return
    outcome = remove_report(real_store_path(), chosen, f"{who.strip()} (admin)")
    (st.success if outcome.ok else st.error)(plain(uk_dates_in(outcome.message)))


def reports_section() -> None:
    """What the store holds now (read after any change above, so it shows the change)."""
    from app.data import has_data, query
    from app.text import filled, table_config

    if has_data():
        st.header("Reports loaded")
        reports = filled(query("reports"))
        st.dataframe(reports, hide_index=True, width="stretch", column_config=table_config(reports))


def page() -> None:
    from app.data import ensure_store, real_store_path
    from app.look import apply_look
    from app.uploads import ENV_PASSWORD, SESSIONS, clean_stale_once, configured_password

    # An emoji icon, drawn by the page: a :material/…: one is fetched from a font server (dashboard.py).
    st.set_page_config(page_title="Load and remove reports · slippage admin", page_icon="🗂️")
    apply_look()
    clean_stale_once()
    st.title("Load and remove reports")
    st.caption(
        "slippage admin: loads appendices into the database the dashboard reads, and removes wrongly loaded "
        "reports. The dashboard shows each change on its next page view."
    )
    ensure_store(real_store_path())  # never the demo: loads and removals are for the real store
    expected = configured_password(st.secrets)
    if expected is None:
        st.info(
            "Uploads are off. To turn them on, set `upload_password` in `.streamlit/secrets.toml` "
            f"(see `secrets.toml.example`) or the environment variable `{ENV_PASSWORD}`, then restart. "
            "The command line loads files without it: `python -m etl load PATH --council NAME`."
        )
        return
    if not unlocked():
        unlock_section(expected)
        return
    preview_section()
    upload_section()
    overrides_section()
    correction_section()
    removal_section()
    reports_section()
    st.divider()
    if st.button("Lock uploads", icon=":material/lock:"):
        SESSIONS.revoke(session_id())
        st.session_state.pop(GRANT, None)
        st.rerun()


if __name__ == "__main__":
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:  # `python admin.py [flags]`: serve it as `streamlit run` would
        _relaunch(server_command({}, []) + sys.argv[1:])
    # One page only: without st.navigation, Streamlit would list the dashboard's pages/ folder
    # beside this file as pages of the admin app.
    st.navigation(
        [st.Page(page, title="Load and remove reports · slippage admin", url_path="admin", default=True)], position="hidden"
    ).run()
elif _served_by_streamlit_run():
    from starlette.middleware import Middleware

    from app.uploads import UploadGate, clean_stale_once

    if not settings.ADMIN_SERVER.value() or settings.UVICORN_TRUSTED.value() != trusted_proxies():
        _relaunch(server_command(_given_flags(), sys.argv[1:]))
    clean_stale_once()
    streamlit_app = st.App(__file__, middleware=[Middleware(UploadGate)])
