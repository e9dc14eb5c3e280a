"""Who may upload, and how uploads reach the ETL."""
import pytest
from streamlit.testing.v1 import AppTest

import uploads
from etl.store import ROOT

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
    assert uploads.safe_name(name) == safe


@pytest.mark.parametrize("name, data, problem", [
    ("a.pdf", b"%PDF-1.7\n...", None),
    ("a.txt", "Audit\tRisk\n".encode(), None),
    ("a.pdf", b"Audit\tRisk\n", "not a PDF"),
    ("a.txt", b"%PDF-1.7 binary", "not text"),
    ("a.docx", b"PK\x03\x04", "unsupported file type .docx"),
    ("a.txt", b"", "empty"),
])
def test_types_are_checked_by_content(name, data, problem):
    found = uploads.content_problem(name, data)
    assert (found is None) if problem is None else (problem in found)


def test_wrong_keys_are_slowed():
    gate = uploads.Gate()
    for _ in range(uploads.MAX_TRIES - 1):
        assert "wrong key" in gate.attempt("guess", "secret", now=1000.0)
    assert "wait 30 s" in gate.attempt("guess", "secret", now=1000.0)
    assert "too many wrong keys" in gate.attempt("secret", "secret", now=1010.0)  # even the right key waits
    assert gate.attempt("secret", "secret", now=1031.0) is None and gate.unlocked


def test_staged_files_are_removed_after_the_load():
    with uploads.staged([("../x.txt", b"hello")]) as paths:
        [path] = paths
        assert path.read_bytes() == b"hello" and path.name == "x.txt"
    assert not path.exists() and not path.parent.parent.exists()


def data_page(monkeypatch, db, password=None):
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    if password is None:
        monkeypatch.delenv(uploads.ENV_PASSWORD, raising=False)
    else:
        monkeypatch.setenv(uploads.ENV_PASSWORD, password)
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
