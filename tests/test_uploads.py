"""Who may upload, and how uploads reach the ETL: the admin app (admin.py) behind the upload
key, and the dashboard taking none."""

import asyncio
import os
import time

import pytest
from streamlit.testing.v1 import AppTest

from app import uploads
from app.uploads import (
    ENV_PASSWORD,
    LOCKOUT,
    MAX_TRIES,
    OVERALL_TRIES,
    SESSIONS,
    Gate,
    Lockout,
    Sessions,
    UploadGate,
    clean_stale,
    content_problem,
    safe_name,
    staged,
)
from etl.store.store import ROOT
from tests.apptests import dashboard_app

ADMIN = str(ROOT / "admin.py")


@pytest.fixture(autouse=True)
def fresh_counts():
    """The lockout and the unlocked sessions live in the test process, as in a server: each test
    here starts them afresh (tests that prove they persist do so within one test)."""
    LOCKOUT.clear()
    SESSIONS.clear()
    yield
    LOCKOUT.clear()
    SESSIONS.clear()


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("report; rm -rf ~.pdf", "report_ rm -rf _.pdf"),
        ("Harborough 2024-08.PDF", "Harborough 2024-08.pdf"),
        ("", "upload"),
        ("....", "upload"),
    ],
)
def test_names_are_sanitised(name, safe):
    assert safe_name(name) == safe


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("a.pdf", b"%PDF-1.7\n...", None),
        ("a.txt", b"Audit\tRisk\n", None),
        ("a.pdf", b"Audit\tRisk\n", "not a PDF"),
        ("a.txt", b"%PDF-1.7 binary", "not text"),
        ("a.pptx", b"PK\x03\x04", "unsupported file type .pptx"),
        ("a.txt", b"", "empty"),
        ("a.txt", "Audit\tRisk\n".encode("utf-16"), None),  # Windows "Unicode" text
    ],
)
def test_types_are_checked_by_content(name, data, problem):
    found = content_problem(name, data, max_megabytes=50)
    assert (found is None) if problem is None else (problem in found)


def test_wrong_keys_are_slowed():
    gate = Gate()
    for _ in range(MAX_TRIES - 1):
        assert "wrong key" in gate.attempt("guess", "secret", now=1000.0)
    assert "wait 30 s" in gate.attempt("guess", "secret", now=1000.0)
    assert "too many wrong keys" in gate.attempt("secret", "secret", now=1010.0)  # even the right key waits
    assert gate.attempt("secret", "secret", now=1031.0) is None and gate.unlocked


def test_staged_files_are_removed_after_the_load():
    with staged([("../x.txt", b"hello")]) as paths:
        [path] = paths
        assert path.read_bytes() == b"hello" and path.name == "x.txt"
    assert not path.exists() and not path.parent.parent.exists()


def upload_key(monkeypatch, password=None):
    if password is None:
        monkeypatch.delenv(ENV_PASSWORD, raising=False)
    else:
        monkeypatch.setenv(ENV_PASSWORD, password)


def admin_page(monkeypatch, db, password=None):
    upload_key(monkeypatch, password)
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def data_page(monkeypatch, db, password=None):
    upload_key(monkeypatch, password)
    return dashboard_app(db, monkeypatch, "data")


@pytest.mark.slow
def test_uploads_are_off_without_a_key(monkeypatch, sample_db):
    at = admin_page(monkeypatch, sample_db)
    assert any("Uploads are off" in i.value for i in at.info)
    assert not at.get("file_uploader") and not at.text_input


@pytest.mark.slow
def test_the_dashboard_takes_no_uploads_even_with_a_key(monkeypatch, sample_db):
    at = data_page(monkeypatch, sample_db, password="correct horse")
    assert not at.get("file_uploader") and not at.text_input and not at.button
    assert "streamlit run admin.py" in at.caption[0].value
    assert len(at.dataframe) == 3  # reports, warnings, load attempts


@pytest.mark.slow
def test_the_key_from_the_environment_unlocks_uploads(monkeypatch, sample_db):
    at = admin_page(monkeypatch, sample_db, password="correct horse")
    assert not at.get("file_uploader")
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("wrong key" in e.value for e in at.error) and not at.get("file_uploader")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert at.get("file_uploader") and not at.error
    for uploader in at.get("file_uploader"):  # the preview's and the batch load's
        assert uploader.proto.max_upload_size_mb == 50  # the admin app's limit (.streamlit/admin.toml)
    [b for b in at.button if b.label == "Lock uploads"][0].click().run()
    assert not at.get("file_uploader") and at.text_input[0].label == "Upload key"


def test_oversized_uploads_are_refused():
    assert "larger than the 1 MB upload limit" in content_problem("big.txt", b"x" * (1024 * 1024 + 1), 1)


@pytest.mark.slow
def test_the_key_from_secrets_unlocks_uploads_and_removal_is_logged(monkeypatch, fresh_db):
    monkeypatch.setenv("SLIPPAGE_DB", str(fresh_db))
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.secrets["upload_password"] = "from secrets"
    at.run()
    at.text_input[0].input("from secrets")
    at.button[0].click().run()
    assert at.get("file_uploader")
    remove = [s for s in at.selectbox if s.label == "Report"][0]
    remove.select_index([i for i, o in enumerate(remove.options) if o.startswith("Manchester City Council")][0])
    [t for t in at.text_input if t.label.startswith("Your name (recorded with the removal)")][0].input("Clerk")
    [c for c in at.checkbox if c.label.startswith("Remove it")][0].check()
    [b for b in at.button if b.label == "Remove report"][0].click().run()
    assert not at.exception and any("removed report" in s.value for s in at.success)
    from etl.store.readonly import open_safe

    con = open_safe(fresh_db)
    assert con.sql("SELECT count(*) FROM reports WHERE council = 'Manchester City Council'").fetchall() == [(0,)]
    assert con.sql("SELECT outcome, loaded_by FROM ingest_log ORDER BY attempt_id DESC LIMIT 1").fetchall() == [
        ("removed", "Clerk (admin)")
    ]


@pytest.mark.slow
def test_the_lockout_holds_across_new_sessions(monkeypatch, sample_db):
    """Each AppTest is a new session with its own session state, as a reload is: the wrong keys
    are still counted, and then even the right key must wait."""
    for attempt in range(MAX_TRIES + 2):
        at = admin_page(monkeypatch, sample_db, password="correct horse")
        at.text_input[0].input(f"guess {attempt}")
        at.button[0].click().run()
        assert any("wrong key" in e.value or "too many wrong keys" in e.value for e in at.error)
    at = admin_page(monkeypatch, sample_db, password="correct horse")
    assert any("Too many wrong keys" in w.value for w in at.warning)  # said before any try
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert any("too many wrong keys: wait" in e.value for e in at.error) and not at.get("file_uploader")
    other = admin_page(monkeypatch, sample_db, password="correct horse")  # a second session, side by side
    other.text_input[0].input("correct horse")
    other.button[0].click().run()
    assert not other.get("file_uploader")


@pytest.mark.slow
def test_an_unlocked_session_does_not_unlock_the_next(monkeypatch, sample_db):
    at = admin_page(monkeypatch, sample_db, password="correct horse")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert at.get("file_uploader")
    later = admin_page(monkeypatch, sample_db, password="correct horse")  # AppTest reuses the session id
    assert not later.get("file_uploader") and later.text_input[0].label == "Upload key"


def test_provenance_is_stored_and_shown(monkeypatch, sample_db):
    import getpass

    at = data_page(monkeypatch, sample_db)
    reports = at.dataframe[0].value
    assert set(reports["loaded_by"]) == {getpass.getuser()}
    assert reports["content_hash"].str.len().eq(64).all() and reports["source_file"].str.endswith(".txt").all()


def test_the_lockout_counts_per_address_and_overall():
    lockout = Lockout()
    for _ in range(MAX_TRIES - 1):
        assert "wrong key" in str(lockout.attempt("10.0.0.1", "guess", "secret", now=1000.0))
    assert "wait 30 s" in str(lockout.attempt("10.0.0.1", "guess", "secret", now=1000.0))
    assert "too many wrong keys" in str(lockout.attempt("10.0.0.1", "secret", "secret", now=1001.0))
    assert lockout.attempt("10.0.0.2", "secret", "secret", now=1001.0) is None  # another address is not held up
    assert "wait 60 s" in str(lockout.attempt("10.0.0.1", "guess", "secret", now=1031.0))  # doubling
    # Many addresses, a few guesses each: the overall count stops them all.
    lockout = Lockout()
    clients = [f"10.1.0.{n}" for n in range(OVERALL_TRIES)]
    for client in clients:
        lockout.attempt(client, "guess", "secret", now=2000.0)
    assert "from all addresses" in str(lockout.attempt("10.9.9.9", "secret", "secret", now=2001.0))
    assert lockout.wait_seconds("10.9.9.9", now=2001.0) > 0
    assert lockout.attempt("10.9.9.9", "secret", "secret", now=2031.0) is None


def test_the_lockout_forgets_after_an_hour_and_starts_again_for_a_new_key():
    lockout = Lockout()
    for _ in range(MAX_TRIES):
        lockout.attempt("a", "guess", "secret", now=0.0)
    assert lockout.wait_seconds("a", now=10.0) == 20
    assert "1 try left" not in str(lockout.attempt("a", "guess", "secret", now=31.0))
    assert lockout.attempt("a", "secret", "secret", now=31.0 + 3600 * 2) is None  # an hour and more of quiet
    for _ in range(MAX_TRIES):
        lockout.attempt("b", "guess", "secret", now=0.0)
    assert lockout.attempt("b", "new key", "new key", now=1.0) is None  # counts were for the old key


def test_only_granted_sessions_may_upload():
    sessions = Sessions(hours=1)
    token = sessions.grant("s1", now=0.0)
    assert sessions.allows("s1", now=10.0) and sessions.allows("s1", token, now=10.0)
    assert not sessions.allows("s1", "another token", now=10.0)
    assert not sessions.allows("s2", now=10.0) and not sessions.allows(None) and not sessions.allows("")
    assert not sessions.allows("s1", now=3601.0)  # a grant lasts its hours
    sessions.grant("s1", now=0.0)
    sessions.revoke("s1")
    assert not sessions.allows("s1", now=1.0)


def asgi_put(gate: UploadGate, path: str) -> tuple[int | None, bool]:
    """A PUT through the gate; returns its status (None when passed on) and whether the body was read."""
    sent, read = [], []

    async def receive():
        read.append(True)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": False}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        await receive()

    asyncio.run(UploadGate(app, gate.sessions)({"type": "http", "method": "PUT", "path": path}, receive, send))
    return (sent[0]["status"] if sent else None), bool(read)


def test_the_upload_gate_refuses_a_session_without_the_key_unread():
    sessions = Sessions()
    gate = UploadGate(None, sessions)
    assert asgi_put(gate, "/_stcore/upload_file/s1/f1") == (403, False)
    assert asgi_put(gate, "/base/_stcore/upload_file/s1/f1") == (403, False)  # under a base URL path too
    sessions.grant("s1")
    assert asgi_put(gate, "/_stcore/upload_file/s1/f1") == (None, True)
    assert asgi_put(gate, "/_stcore/upload_file/s2/f1") == (403, False)
    assert asgi_put(gate, "/_stcore/health") == (None, True)  # everything else passes


def test_staging_left_by_a_crash_is_removed_at_start(tmp_path):
    old = tmp_path / f"{uploads.STAGING_PREFIX}crashed"
    (old / "000").mkdir(parents=True)
    (old / "000" / "a.pdf").write_bytes(b"%PDF")
    fresh = tmp_path / f"{uploads.STAGING_PREFIX}loading"
    fresh.mkdir()
    other = tmp_path / "someone-else"
    other.mkdir()
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    assert clean_stale(tmp_path) == [old]
    assert not old.exists() and fresh.exists() and other.exists()


@pytest.mark.parametrize(
    "address, key",
    [
        (None, "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("not an address", "localhost"),
        (object(), "localhost"),
    ],
)
def test_clients_are_counted_by_address(address, key):
    from app.uploads import client_key

    assert client_key(address) == key


def test_the_admin_app_has_its_own_title_and_says_dates_the_uk_way(monkeypatch, sample_db):
    at = admin_page(monkeypatch, sample_db, password="correct horse")
    assert at.title[0].value == "Load and remove reports"  # not "Data", the dashboard's page
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    [as_at] = [d for d in at.date_input if d.label.startswith("Report as at")]
    assert as_at.proto.format == "DD/MM/YYYY"
    removable = [s for s in at.selectbox if s.label == "Report"][0].options
    assert any(o.startswith("Manchester City Council, 31 Jan 2023 (") for o in removable)
