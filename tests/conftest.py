"""Shared fixtures: the real sample appendices loaded into real DuckDB files under tmp_path."""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from etl.load import load
from etl.store import seeds, sqlfiles
from etl.store.readonly import open_safe
from etl.store.store import ROOT, SAMPLES_DIR

FIRST_RELEASE = Path(__file__).parent / "documents" / "stores" / "first-release.duckdb"

# SQL the read-only executor must refuse, shared by the executor's tests and the SQL page's.
ATTACKS = {
    "insert": "INSERT INTO reports (council) VALUES ('x')",
    "update": "UPDATE recommendations SET status = 'closed'",
    "delete": "DELETE FROM reports",
    "ddl": "CREATE TABLE evil AS SELECT 1",
    "drop": "DROP VIEW slippage",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "glob": "SELECT * FROM glob('/etc/*')",
    "copy_to": "COPY (SELECT * FROM reports) TO '/tmp/slippage-leak.csv'",
    "attach": "ATTACH '/tmp/other.duckdb' AS other",
    "export": "EXPORT DATABASE '/tmp/slippage-export'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET enable_external_access = true",
    "reset": "RESET lock_configuration",
    "pragma": "PRAGMA enable_profiling",
    "two_statements": "SELECT 1; DROP TABLE reports",
    "http": "SELECT * FROM read_csv('http://127.0.0.1:9/data.csv')",
    "sequence": "SELECT nextval('report_ids')",
}


SEEDS = {
    "000": ("000_6cc52f1d1abac4ce.txt", "Harborough District Council"),
    "001": ("001_2a23b004d9c0bf5c.txt", "Cambridgeshire County Council"),
    "002": ("002_771e38b88e39f1cd.txt", "Leicestershire County Council"),
    "003": ("003_85f71db494920cd5.txt", "Manchester City Council"),
    "004": ("004_3b64b694d7adb9af.txt", "London Borough of Tower Hamlets"),
}


def seed_path(seed: str) -> Path:
    return SAMPLES_DIR / SEEDS[seed][0]


CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright cannot download browsers here


def pytest_runtest_setup(item):
    """Browser tests need Debian's Chromium. Without it they are skipped on a developer's machine
    (one summary line says how to install it); in CI a missing browser fails them, never skips."""
    if item.get_closest_marker("browser") is None or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must run the browser tests (.ci/run installs it)")
    pytest.skip(f"Chromium is missing at {CHROMIUM}: apt-get install chromium to run the browser tests")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The five samples loaded once; tests that only read share it."""
    db = tmp_path_factory.mktemp("store") / "audit.duckdb"
    outcomes = load([SAMPLES_DIR], db)
    assert all(o.outcome == "loaded" for o in outcomes), [o.line() for o in outcomes]
    return db


@pytest.fixture(scope="session")
def synth_db(tmp_path_factory) -> Path:
    """A synthetic store at the scale the charts must read at: 300 councils, 12 reports each
    (about 20,000 recommendation rows, built in a second; `python -m etl synth`)."""
    from etl.store.synth import build_synthetic_store

    db = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    build_synthetic_store(db, 20_000)
    return db


@pytest.fixture
def fresh_db(tmp_path, sample_db) -> Path:
    """A private copy of the sample store, for tests that write."""
    db = tmp_path / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture
def read(sample_db):
    """Run a query on the sample store and return polars. The store is opened the way the app
    opens it: DuckDB refuses a second configuration for a file already open in the process."""
    con = open_safe(sample_db)
    yield lambda sql, **params: con.sql(sql, params=params or None).pl()
    con.close()


@pytest.fixture
def project_root() -> Path:
    return ROOT


# -- a real browser: Debian's Chromium (CHROMIUM, above) driven by Playwright ------------------
# As root and on a closed network, Chromium needs these to start quietly.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sql_copy(tmp_path, monkeypatch):
    """A copy of sql/ that the loader reads instead of the real one."""
    sql = tmp_path / "sql"
    shutil.copytree(sqlfiles.SQL_DIR, sql)
    monkeypatch.setattr(sqlfiles, "SQL_DIR", sql)
    monkeypatch.setattr(seeds, "SEEDS_DIR", sql / "seeds")
    return sql


@pytest.fixture
def first_release(tmp_path) -> Path:
    """A private copy of the store the first release (commit 1a9ad24) wrote from the samples."""
    db = tmp_path / "first-release.duckdb"
    shutil.copyfile(FIRST_RELEASE, db)
    return db


@pytest.fixture(scope="session")
def shared_date_db(tmp_path_factory, sample_db) -> Path:
    """The samples plus a second council with a report of the same date as Cambridgeshire's
    (31 Dec 2024): Cambridgeshire's appendix, one word changed, loaded for Surrey."""
    folder = tmp_path_factory.mktemp("shared-date")
    db = folder / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    copy = folder / "surrey-2024-12.txt"
    copy.write_text(seed_path("001").read_text(encoding="utf-8") + "\nSurrey\n", encoding="utf-8")
    outcomes = load([copy], db, council="Surrey County Council", as_at=date(2024, 12, 31))
    assert all(o.outcome == "loaded" for o in outcomes), [o.line() for o in outcomes]
    return db


def dashboard_app(db: Path, monkeypatch, page: str | None = None):
    """The dashboard in Streamlit's AppTest on the store `db`, run once (and switched to
    pages/PAGE.py when a page is named), with no exception on the way."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def prepare_labels(at) -> list[str]:
    """The labels of the page's download buttons (Prepare CSV, …), in order."""
    return [b.label for b in at.button if b.label.startswith("Prepare ")]


def prepared_download(at, fmt: str = "CSV", index: int = -1):
    """Press the page's Prepare button for `fmt` (the last such button unless `index` says which)
    and fetch the file it offers from the shelf, as the download route would: its path, valid
    until the test ends (the route would remove it as it sends it)."""
    from app.served import SHELF

    [button for button in at.button if button.label == f"Prepare {fmt}"][index].click().run()
    assert not at.exception, [e.message for e in at.exception]
    links = [link.proto.url for link in at.get("link_button") if link.proto.label.startswith(f"Download {fmt}")]
    assert links, "no download offered after Prepare"
    prepared = SHELF.take(links[-1].rsplit("/", 1)[1])
    assert prepared is not None
    return prepared.path
