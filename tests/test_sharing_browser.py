"""Views you can share, in a real browser: every filter lives in the page address, so a link opens
the same filtered view in a fresh session, Back and Forward step through filter changes, and a
click on a bar filters the page (Debian's Chromium driven by Playwright)."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.servers import dashboard_on_copy, open_page, screenshot

pytestmark = pytest.mark.browser
CAMBRIDGESHIRE = "Cambridgeshire County Council"


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_db):
    with dashboard_on_copy(tmp_path_factory, sample_db, "sharing") as url:
        yield url


def address(page) -> dict[str, list[str]]:
    """The page address's parameters now (page.url can trail a history.pushState)."""
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def wait_for_address(page, **expected: list[str]) -> None:
    """Wait until the address holds exactly these filter parameters."""
    page.wait_for_function(
        """expected => {
             const got = {};
             for (const [k, v] of new URLSearchParams(location.search)) (got[k] ||= []).push(v);
             return JSON.stringify(got) === JSON.stringify(expected);
           }""",
        arg=expected,
        timeout=30_000,
    )


def filter_box(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)


def choose(page, label: str, option: str) -> None:
    filter_box(page, label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def headline(page) -> list[str]:
    """The Overview's five headline figures."""
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def open_figure(page, value: str) -> None:
    """Wait until the Overview shows this many open recommendations."""
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(value, timeout=30_000)


def test_a_shared_link_opens_the_same_filtered_view(server, browser, page):
    open_page(page, server)
    open_figure(page, "136")
    choose(page, "Council", CAMBRIDGESHIRE)
    wait_for_address(page, council=[CAMBRIDGESHIRE])
    choose(page, "Risk level", "high")
    wait_for_address(page, council=[CAMBRIDGESHIRE], risk=["high"])
    open_figure(page, "18")
    figures = headline(page)
    link = page.evaluate("location.href")

    colleague = browser.new_context(viewport={"width": 1400, "height": 1000})  # a fresh browser session
    try:
        theirs = colleague.new_page()
        theirs.goto(link)
        open_figure(theirs, "18")
        assert headline(theirs) == figures
        expect(filter_box(theirs, "Council")).to_contain_text(CAMBRIDGESHIRE)
        expect(filter_box(theirs, "Risk level")).to_contain_text("high")
        screenshot(theirs, "shared-link")
    finally:
        colleague.close()

    # The filters go with the user to another page, in its address too.
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Recommendations").click()
    page.wait_for_function("() => location.pathname === '/recommendations'", timeout=30_000)
    wait_for_address(page, council=[CAMBRIDGESHIRE], risk=["high"])
    expect(filter_box(page, "Council")).to_contain_text(CAMBRIDGESHIRE)
    page.go_back()  # one step back is the Overview as it was
    page.wait_for_function("() => location.pathname === '/'", timeout=30_000)
    wait_for_address(page, council=[CAMBRIDGESHIRE], risk=["high"])
    open_figure(page, "18")


def test_back_and_forward_step_through_filter_changes(server, page):
    open_page(page, server)
    open_figure(page, "136")
    choose(page, "Council", CAMBRIDGESHIRE)
    open_figure(page, "81")
    choose(page, "Risk level", "high")
    open_figure(page, "18")
    wait_for_address(page, council=[CAMBRIDGESHIRE], risk=["high"])

    page.go_back()
    wait_for_address(page, council=[CAMBRIDGESHIRE])
    open_figure(page, "81")
    expect(filter_box(page, "Risk level")).not_to_contain_text("high")
    expect(filter_box(page, "Council")).to_contain_text(CAMBRIDGESHIRE)

    page.go_back()
    wait_for_address(page)
    open_figure(page, "136")
    expect(filter_box(page, "Council")).not_to_contain_text(CAMBRIDGESHIRE)

    page.go_forward()
    wait_for_address(page, council=[CAMBRIDGESHIRE])
    open_figure(page, "81")
    page.go_forward()
    wait_for_address(page, council=[CAMBRIDGESHIRE], risk=["high"])
    open_figure(page, "18")
    expect(filter_box(page, "Risk level")).to_contain_text("high")


def settled(page) -> None:
    """Wait until the page's run has finished (Streamlit draws a chart again as its run ends, and a
    click on a chart being redrawn is lost)."""
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget").filter(has_text="Running")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(500)


def test_a_click_on_a_council_bar_filters_the_page(server, page):
    open_page(page, server, "slippage")
    council_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    bars = council_chart.locator("g.mark-rect path")
    expect(bars).to_have_count(4, timeout=30_000)  # the councils with an open recommendation's median
    settled(page)
    bars.first.click(force=True)  # the top bar: the council furthest past its original targets
    wait_for_address(page, council=["Harborough District Council"])
    expect(filter_box(page, "Council")).to_contain_text("Harborough District Council")
    expect(bars).to_have_count(1, timeout=30_000)
    screenshot(page, "slippage-clicked-council")

    page.get_by_role("button", name="Clear filters").click()
    wait_for_address(page)
    expect(bars).to_have_count(4, timeout=30_000)
    settled(page)
    bars.first.click(force=True)  # the same bar again, after the selection was cleared
    wait_for_address(page, council=["Harborough District Council"])
    expect(bars).to_have_count(1, timeout=30_000)
