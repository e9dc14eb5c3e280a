"""The dashboard at scale in a real browser: every page on a 300-council store stays a sane height
and raises nothing (full-page screenshots in tests/artifacts/scale-*.png), and a click on a
council, risk-level, directorate or ageing-band bar on Slippage filters the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.servers import ARTIFACTS, dashboard_on_copy, open_page

pytestmark = pytest.mark.browser
# The tallest a page may be at 300 councils (it was 8,882 px with one bar per council).
MAX_PAGE_HEIGHT = 5_000
CHART = '[data-testid="stVegaLiteChart"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory, synth_db):
    with dashboard_on_copy(tmp_path_factory, synth_db, "browser-scale") as url:
        yield url


def full_page_screenshot(page, name: str) -> int:
    """Streamlit scrolls inside its main block, so the window is made as tall as the page first."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": height})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"scale-{name}.png"), full_page=True)
    return height


@pytest.mark.parametrize(
    "path, charts, tables", [("", 0, 2), ("slippage", 6, 2), ("recommendations", 0, 1), ("committee", 3, 1), ("sql", 0, 1), ("data", 0, 2)]
)
def test_every_page_at_300_councils(server, page, path, charts, tables):
    open_page(page, server, path)
    if charts:
        expect(page.locator(CHART).nth(charts - 1)).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stDataFrame"]').nth(tables - 1)).to_be_attached(timeout=60_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert full_page_screenshot(page, path or "overview") < MAX_PAGE_HEIGHT


def test_slippage_charts_read_at_300_councils(server, page):
    open_page(page, server, "slippage")
    expect(page.locator(CHART)).to_have_count(6, timeout=60_000)
    councils = page.locator(CHART).first
    expect(councils.locator("path[aria-label^='Median days']")).to_have_count(15)
    # every ageing band is labelled, and the report dates read as UK dates
    ageing = page.locator(CHART).nth(2).locator("g.role-axis-label text")
    expect(ageing.first).to_be_attached(timeout=30_000)
    labels = [t.text_content() for t in ageing.all()]
    assert {"not yet due", "0–90 days", "91–180 days", "181–365 days", "over a year"} <= set(labels)
    times = [t.text_content() for t in page.locator(CHART).last.locator("g.role-axis-label text").all()]
    assert "31 Dec 2024" in times and "31 Mar 2022" in times
    # axis text is drawn in the dark body colour, not the theme's faded grey
    fill = page.locator(CHART).first.locator("g.role-axis-label text").first.evaluate("t => getComputedStyle(t).fill")
    assert fill == "rgb(49, 51, 63)"
    # the chart's description for screen readers
    expect(page.locator("[role][aria-label^='Bar chart: the 15 councils drawn, worst first']")).to_have_count(1)


def sidebar_choice(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)


@pytest.mark.parametrize(
    "chart, bar, label",
    [
        (0, "path[aria-label*='Rank (1 is the worst): 1']", "Council"),
        (1, "path[aria-label*='Risk level: high']", "Risk level"),
        (3, "path[aria-label*='Rank (1 is the worst): 1']", "Directorate"),
        (2, "path[aria-label*='Past original target: over a year']", "Past original target"),
    ],
)
def test_a_click_on_a_bar_filters_the_page(server, page, chart, bar, label):
    open_page(page, server, "slippage")
    expect(page.locator(CHART)).to_have_count(6, timeout=60_000)
    target = page.locator(CHART).nth(chart).locator(bar).first
    aria = target.get_attribute("aria-label") or ""
    target.click()
    picked = {
        "Council": "Council: ",
        "Risk level": "Risk level: ",
        "Directorate": "Directorate · council: ",
        "Past original target": "Past original target: ",
    }[label]
    value = re.sub(r"^\d+\. ", "", aria.rsplit(picked, 1)[1].split(";")[0]).split(" · ")[0]  # "1. Adults · Barnet"
    expect(sidebar_choice(page, label).first).to_contain_text(value, timeout=30_000)
