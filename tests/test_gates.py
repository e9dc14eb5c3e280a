"""The gates between the public and the data, tested against real servers rather than through the
widgets: files sent straight to Streamlit's upload endpoint, with a made-up file id, from a session
opened over the websocket (tests/servers.py); the upload key's lockout across reloads and browsers.

- The public dashboard takes nothing of size: every upload is refused and none is kept.
- The admin app takes files only from a session that gave the key, up to its own limit.
- Wrong keys are counted on the server: reloads and new browsers start nowhere new.
- `streamlit run admin.py` takes its port and upload limit from its own config."""

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.uploads import ENV_PASSWORD
from tests.servers import MB, free_port, put_file, rss_mb, session, streamlit_server

pytestmark = pytest.mark.slow

PASSWORD = "gate-test-key"
ANSWER = re.compile(r"^(wrong key|too many wrong keys)")
ATTEMPTS = 8  # files sent in each attack below
FILE_MB = 8


@pytest.fixture(scope="module")
def database(tmp_path_factory, sample_db):
    db = tmp_path_factory.mktemp("gates") / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture(scope="module")
def dashboard(database):
    # The dashboard's own config, as `streamlit run dashboard.py` reads it: no upload flags here.
    with streamlit_server(
        "dashboard.py", {"SLIPPAGE_DB": str(database), ENV_PASSWORD: PASSWORD}, "--server.address", "127.0.0.1"
    ) as served:
        yield served


@pytest.fixture
def admin(database):
    """A fresh admin server for each test: the lockout lives as long as its server."""
    with streamlit_server("admin.py", {"SLIPPAGE_DB": str(database), ENV_PASSWORD: PASSWORD}) as served:
        yield served


def attack(url: str, session_id: str) -> list[int]:
    """ATTEMPTS files of FILE_MB each, half with Content-Length and half chunked (no length to
    check up front), each with a made-up file id; returns the statuses."""
    return [put_file(url, session_id, FILE_MB * MB, chunked=bool(n % 2))[0] for n in range(ATTEMPTS)]


def test_the_dashboard_upload_endpoint_takes_nothing_of_size(dashboard):
    url, process = dashboard
    with session(url) as session_id:
        assert put_file(url, session_id, 1024)[0] == 413  # warm up the handler before measuring
        before = rss_mb(process.pid)
        statuses = attack(url, session_id)
        empty = put_file(url, session_id, 0)[0]
        grown = rss_mb(process.pid) - before
    assert statuses == [413] * ATTEMPTS and empty == 413  # refused, even an empty file
    assert grown < FILE_MB, f"{ATTEMPTS * FILE_MB} MB sent, the server grew {grown:.1f} MB"


def test_the_measure_sees_a_server_that_keeps_uploads(database):
    """The same attack on the dashboard as it was (a 50 MB limit): every file is taken and held,
    and the measure above sees it. This is what the dashboard's config stops."""
    with (
        streamlit_server(
            "dashboard.py", {"SLIPPAGE_DB": str(database)}, "--server.address", "127.0.0.1", "--server.maxUploadSize", "50"
        ) as (url, process),
        session(url) as session_id,
    ):
        put_file(url, session_id, 1024)
        before = rss_mb(process.pid)
        statuses = [put_file(url, session_id, FILE_MB * MB)[0] for _ in range(4)]
        grown = rss_mb(process.pid) - before
    assert statuses == [204] * 4 and grown > 3 * FILE_MB


def test_the_admin_upload_endpoint_refuses_a_session_without_the_key(admin):
    url, process = admin
    with session(url) as session_id:
        assert put_file(url, session_id, 1024)[0] == 403
        before = rss_mb(process.pid)
        statuses = attack(url, session_id)
        grown = rss_mb(process.pid) - before
    assert statuses == [403] * ATTEMPTS
    assert grown < FILE_MB, f"{ATTEMPTS * FILE_MB} MB sent, the server grew {grown:.1f} MB"


def watch_sessions(page) -> list[str]:
    """The ids of the sessions a page opens, read from the websocket as the frontend reads them."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ids: list[str] = []

    def on_frame(payload):
        if isinstance(payload, bytes):
            message = ForwardMsg()
            try:
                message.ParseFromString(payload)
            except Exception:
                return
            if message.WhichOneof("type") == "new_session":
                ids.append(message.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return ids


def open_admin(page, url):
    page.goto(url)
    expect(page.get_by_label("Upload key")).to_be_visible(timeout=30_000)


def give_key(page, key: str) -> str:
    page.get_by_label("Upload key").fill(key)
    page.get_by_role("button", name="Unlock uploads").click()
    if key == PASSWORD:
        return ""
    answer = page.get_by_text(ANSWER)  # the answer to this try, not the warning shown before it
    expect(answer).to_be_visible(timeout=30_000)
    return answer.inner_text()


@pytest.mark.browser
def test_the_admin_takes_files_only_from_a_session_that_gave_the_key(admin, page):
    url, _ = admin
    sessions = watch_sessions(page)
    open_admin(page, url)
    session_id = sessions[-1]
    assert put_file(url, session_id, MB)[0] == 403
    give_key(page, PASSWORD)
    expect(page.locator('[data-testid="stFileUploaderDropzoneInput"]').first).to_be_attached(timeout=30_000)
    assert sessions[-1] == session_id  # the same session, now unlocked
    assert put_file(url, session_id, MB)[0] == 204
    assert put_file(url, session_id, 51 * MB)[0] == 413  # the admin app's own limit: 50 MB
    page.get_by_role("button", name="Lock uploads").click()
    expect(page.get_by_label("Upload key")).to_be_visible(timeout=30_000)
    assert put_file(url, session_id, MB)[0] == 403


@pytest.mark.browser
def test_the_lockout_holds_across_reloads_and_browsers(admin, browser):
    url, _ = admin
    said = []
    for attempt in range(3):  # three browsers (contexts: cookies and all); in the first two, a reload between tries
        context = browser.new_context()
        page = context.new_page()
        open_admin(page, url)
        said.append(give_key(page, f"guess {attempt}"))
        if attempt < 2:
            page.reload()
            open_admin(page, url)
            said.append(give_key(page, f"guess {attempt} again"))
        context.close()
    assert said[0].startswith("wrong key (4 tries left") and said[3].startswith("wrong key (1 try left")
    assert said[4] == "wrong key; too many tries: wait 30 s"

    context = browser.new_context()
    page = context.new_page()
    sessions = watch_sessions(page)
    open_admin(page, url)
    expect(page.get_by_text("Too many wrong keys: the next try must wait")).to_be_visible()  # said before any try
    give_key(page, PASSWORD)
    expect(page.get_by_text(ANSWER)).to_have_text(re.compile("^too many wrong keys: wait"), timeout=30_000)  # even the right key
    expect(page.locator('[data-testid="stFileUploaderDropzoneInput"]')).to_have_count(0)
    assert put_file(url, sessions[-1], MB)[0] == 403
    context.close()


def wrong_keys_from_spoofed_addresses(browser, url: str, tries: int) -> list[str]:
    """One wrong key from each of `tries` browsers on this machine, each claiming another address
    in X-Forwarded-For (on every request, the websocket's included); what the page answered."""
    said = []
    for n in range(tries):
        context = browser.new_context(extra_http_headers={"X-Forwarded-For": f"203.0.113.{n + 1}"})
        page = context.new_page()
        open_admin(page, url)
        said.append(give_key(page, f"guess {n}"))
        context.close()
    return said


@pytest.mark.browser
def test_a_client_cannot_choose_its_address_for_the_lockout(admin, browser):
    """uvicorn believes X-Forwarded-For from the addresses it trusts (by default this machine):
    a client naming a new address with each try would never be counted. Unless the operator
    names a proxy, the lockout counts each connection by the address it comes from."""
    said = wrong_keys_from_spoofed_addresses(browser, admin[0], 5)
    assert said[0].startswith("wrong key (4 tries left") and said[3].startswith("wrong key (1 try left"), said
    assert said[4] == "wrong key; too many tries: wait 30 s"


@pytest.mark.browser
def test_behind_a_named_proxy_the_lockout_counts_the_address_it_gives(database, browser):
    env = {"SLIPPAGE_DB": str(database), ENV_PASSWORD: PASSWORD, "SLIPPAGE_TRUSTED_PROXIES": "127.0.0.1, ::1"}
    with streamlit_server("admin.py", env) as (url, _):
        said = wrong_keys_from_spoofed_addresses(browser, url, 5)
    assert all(answer.startswith("wrong key (4 tries left") for answer in said), said


def test_the_admin_app_takes_its_port_and_limit_from_its_own_config(tmp_path, database):
    """`streamlit run admin.py` with no flags serves where its settings say; and, starting, it
    removes the staging folders a crash left behind."""
    port = free_port()
    config = tmp_path / "admin.toml"
    config.write_text(f'[server]\nport = {port}\naddress = "127.0.0.1"\nmaxUploadSize = 3\nfileWatcherType = "none"\n')
    temp = tmp_path / "tmp"
    crashed, loading = temp / "slippage-upload-crashed", temp / "slippage-upload-loading"
    (crashed / "000").mkdir(parents=True)
    (crashed / "000" / "appendix.pdf").write_bytes(b"%PDF-1.7")
    loading.mkdir()
    os.utime(crashed, (time.time() - 7200, time.time() - 7200))
    env = {"SLIPPAGE_DB": str(database), ENV_PASSWORD: PASSWORD, "SLIPPAGE_ADMIN_CONFIG": str(config), "TMPDIR": str(temp)}
    with streamlit_server("admin.py", env, port=port, give_port=False) as (url, process):  # no flags: its config
        command = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"--server.maxUploadSize=3" in command and f"--server.port={port}".encode() in command
        with session(url) as session_id:
            assert put_file(url, session_id, MB)[0] == 403
        assert not crashed.exists() and loading.exists()


@pytest.mark.browser
def test_addresses_in_document_text_never_become_links(dashboard, database, page, tmp_path):
    """Streamlit's Markdown links bare addresses in the browser, after escapes are read: the record
    heading and its facts must show them as text."""
    from etl.load import load

    appendix = tmp_path / "addresses.txt"
    appendix.write_text(
        "Overdue actions as at 31 March 2025\n\nAudit\tRisk\tTarget Date\tRecommendation\tLatest update\n"
        "See http://evil.example/x, www.evil.example and clerk@evil.example\thttps://risk.example\t"
        "31/12/2024\tPay http://pay.example\tMarch 2025: none\n",
        encoding="utf-8",
    )
    [outcome] = load([appendix], database, council="Addresses Council www.council.example")
    assert outcome.ok, outcome.line()
    url, _ = dashboard
    page.goto(f"{url}/recommendations")
    search = page.get_by_label("Search title, text, update, reference or officer")
    search.fill("evil.example")
    search.press("Enter")
    expect(page.get_by_text("1 recommendation in the report on show match")).to_be_visible(timeout=30_000)
    record = page.get_by_role("combobox", name="Open a record")
    record.click()
    record.fill("See http")  # type to choose, as in the upload test's council box
    record.press("Enter")
    heading = page.get_by_role("heading", name=re.compile("evil"))
    expect(heading).to_be_visible(timeout=30_000)
    assert heading.inner_text().replace("\u2060", "") == "See http://evil.example/x, www.evil.example and clerk@evil.example"
    links = page.locator('[data-testid="stMain"] a[href]').evaluate_all("els => els.map(e => e.href)")
    # the app's own links carry the view's address (the search included); none may lead elsewhere
    assert not [link for link in links if "example" in link and not link.startswith(url)], links
