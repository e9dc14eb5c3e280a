"""Shared fixtures: the real sample appendices loaded into real DuckDB files under tmp_path, and a
real browser. Helpers the tests import live beside it, one module per concern: samples.py (the
sample appendices), apptests.py (the dashboard in AppTest), attacks.py, browsers.py."""

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
from tests.browsers import CHROMIUM, CHROMIUM_ARGS
from tests.samples import FIRST_RELEASE, seed_path


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


# -- a real browser: Debian's Chromium (tests/browsers.py) driven by Playwright ------------------
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
