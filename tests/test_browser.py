"""The dashboard in a real browser: streamlit run on a free localhost port, Debian's Chromium
driven by Playwright. Screenshots of each page are kept under tests/artifacts/."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from etl.store import ROOT
from tests.conftest import seed_path

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "browser-test-key"
# As root and on a closed network, Chromium needs these to start quietly.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_db):
    db = tmp_path_factory.mktemp("browser") / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    port = free_port()
    env = {**os.environ, "SLIPPAGE_DB": str(db), "SLIPPAGE_UPLOAD_PASSWORD": PASSWORD}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
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


def open_page(page, url: str, path: str = ""):
    page.goto(f"{url}/{path}")
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path, charts, tables", [
    ("", 0, 1), ("slippage", 6, 0), ("recommendations", 0, 1), ("sql", 1, 1), ("data", 0, 3)])
def test_every_page_renders(server, page, path, charts, tables):
    open_page(page, server, path)
    if charts:
        expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(charts, timeout=30_000)
    if tables:
        expect(page.locator('[data-testid="stDataFrame"]').last).to_be_visible(timeout=30_000)
        assert page.locator('[data-testid="stDataFrame"]').count() >= tables
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, path or "overview")


def test_upload_through_the_data_page_shows_on_the_overview_without_restart(server, page, tmp_path):
    report = tmp_path / "test-borough-2025.txt"
    report.write_text(seed_path("003").read_text(encoding="utf-8").replace("Appendix 1 – Implemented Recommendations",
                      "Outstanding Recommendations as at 30 June 2025"), encoding="utf-8")
    open_page(page, server)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("136", timeout=30_000)

    open_page(page, server, "data")
    page.get_by_label("Upload key").fill(PASSWORD)
    page.get_by_role("button", name="Unlock uploads").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(report))
    council = page.locator('[data-testid="stSelectbox"]').filter(has_text="Council").locator("input")
    council.click()
    council.fill("Test Borough Council")
    council.press("Enter")
    page.get_by_label("Your name (recorded with the load)").fill("Browser Test")
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.get_by_text("1 of 1 file(s) loaded or already present")).to_be_visible(timeout=60_000)
    screenshot(page, "data-after-upload")

    page.get_by_role("link", name="Overview").click()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("155", timeout=30_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    expect(page.get_by_role("option", name="Test Borough Council")).to_be_visible(timeout=10_000)
