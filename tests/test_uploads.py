"""Who may upload, and how uploads reach the ETL."""
import pytest
from streamlit.testing.v1 import AppTest

from app.uploads import ENV_PASSWORD, MAX_TRIES, Gate, content_problem, safe_name, staged
from etl.store.store import ROOT

DASHBOARD = str(ROOT / "dashboard.py")


@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("report; rm -rf ~.pdf", "report_ rm -rf _.pdf"),
    ("Harborough 2024-08.PDF", "Harborough 2024-08.pdf"),
    ("", "upload"),
    ("....", "upload"),
])
def test_names_are_sanitised(name, safe):
    assert safe_name(name) == safe


@pytest.mark.parametrize("name, data, problem", [
    ("a.pdf", b"%PDF-1.7\n...", None),
    ("a.txt", b"Audit\tRisk\n", None),
    ("a.pdf", b"Audit\tRisk\n", "not a PDF"),
    ("a.txt", b"%PDF-1.7 binary", "not text"),
    ("a.docx", b"PK\x03\x04", "unsupported file type .docx"),
    ("a.txt", b"", "empty"),
])
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


def data_page(monkeypatch, db, password=None):
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    if password is None:
        monkeypatch.delenv(ENV_PASSWORD, raising=False)
    else:
        monkeypatch.setenv(ENV_PASSWORD, password)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    return at


def test_uploads_are_off_without_a_key(monkeypatch, sample_db):
    at = data_page(monkeypatch, sample_db)
    assert any("Uploads are off" in i.value for i in at.info)
    assert not at.get("file_uploader") and not at.text_input


def test_the_key_from_the_environment_unlocks_uploads(monkeypatch, sample_db):
    at = data_page(monkeypatch, sample_db, password="correct horse")
    assert not at.get("file_uploader")
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("wrong key" in e.value for e in at.error) and not at.get("file_uploader")
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert at.get("file_uploader") and not at.error


def test_oversized_uploads_are_refused():
    assert "larger than the 1 MB upload limit" in content_problem("big.txt", b"x" * (1024 * 1024 + 1), 1)


def test_the_key_from_secrets_unlocks_uploads_and_removal_is_logged(monkeypatch, fresh_db):
    monkeypatch.setenv("SLIPPAGE_DB", str(fresh_db))
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["upload_password"] = "from secrets"
    at.run()
    at.switch_page("pages/data.py")
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
    assert con.sql("SELECT outcome, loaded_by FROM ingest_log ORDER BY attempt_id DESC LIMIT 1").fetchall() == \
        [("removed", "Clerk (Data page)")]


def test_provenance_is_stored_and_shown(monkeypatch, sample_db):
    import getpass

    at = data_page(monkeypatch, sample_db)
    reports = at.dataframe[0].value
    assert set(reports["loaded_by"]) == {getpass.getuser()}
    assert reports["content_hash"].str.len().eq(64).all() and reports["source_file"].str.endswith(".txt").all()
