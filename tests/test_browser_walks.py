"""What a manager and an analyst see on the demo store, walked in a real browser (Debian's
Chromium through Playwright), with axe-core's accessibility check on every page and no request
leaving the machine. Screenshots are kept under tests/artifacts/."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from etl.store.synth import build_demo_store
from tests.accessibility import axe_violations
from tests.servers import open_page, screenshot, streamlit_server

pytestmark = pytest.mark.browser
PAGES = ["", "slippage", "recommendations", "committee", "sql", "data"]
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("walks") / "demo.duckdb"
    build_demo_store(db)
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(db)}, "--server.address", "127.0.0.1") as (url, _):
        yield url


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def settled(page, url: str, path: str = ""):
    open_page(page, url, path)
    expect(page.locator('[data-testid="stSpinner"]')).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(1_500)  # charts draw after the last request
    return page


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violation_on_any_page(demo, wide, path):
    settled(wide, demo, path)
    violations = axe_violations(wide)
    screenshot(wide, f"axe-{path or 'overview'}")
    assert violations == [], json.dumps(violations, indent=1)


def test_no_request_leaves_the_machine_the_favicon_included(demo, wide):
    outside: list[str] = []
    wide.on("request", lambda request: outside.append(request.url) if not request.url.startswith(LOCAL) else None)
    for path in PAGES:
        settled(wide, demo, path)
    icon = wide.locator("link[rel='shortcut icon']").get_attribute("href")
    assert icon and icon.startswith("data:image/svg+xml") and "📅" in icon
    assert outside == []


def test_the_keyboard_focus_is_plain_to_see(demo, wide):
    settled(wide, demo)
    link = wide.get_by_role("link", name="Slippage")
    link.focus()
    wide.keyboard.press("Shift+Tab")
    wide.keyboard.press("Tab")
    style = link.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert style == ["solid", "3px"]


def tick_row(page, row: int) -> None:
    """Tick row `row` (0 is the first) of the page's first table: its selection box at the left of
    the grid, which Streamlit draws on a canvas."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 35 * row + 17)


def test_manager_ticks_a_row_to_read_it_and_the_list_and_the_grid_agree(demo, wide):
    settled(wide, demo, "recommendations")
    opened = wide.get_by_role("combobox", name="Open a record")
    heading = wide.locator("h2").filter(has_not_text="Filters")
    tick_row(wide, 0)
    expect(opened).not_to_have_value("", timeout=30_000)
    first = opened.input_value()
    expect(heading.first).to_contain_text(title_of(first), timeout=30_000)
    screenshot(wide, "manager-ticked-row")
    # A choice in the list opens that record ...
    # By keyboard, as a user may: with the export controls above it the list sits at the foot of
    # the window, where a pointer click on an option below the fold is not to be relied on.
    opened.scroll_into_view_if_needed()
    opened.click()
    for _ in range(2):
        opened.press("ArrowDown")
    opened.press("Enter")
    expect(opened).not_to_have_value(first, timeout=30_000)
    third = opened.input_value()
    expect(heading.first).to_contain_text(title_of(third), timeout=30_000)
    # ... and a later click in the grid shows the row clicked, not the list's choice.
    tick_row(wide, 1)
    expect(opened).not_to_have_value(third, timeout=30_000)
    second = opened.input_value()
    assert second != first
    expect(heading.first).to_contain_text(title_of(second), timeout=30_000)
    screenshot(wide, "manager-grid-after-list")


def title_of(label: str) -> str:
    """The record's title in an "Open a record" label ("⚠ Title — Council #3")."""
    return label.split(" — ")[0].removeprefix("⚠ ")


def test_manager_shares_a_search_sorted_and_paged_by_its_address(demo, wide):
    settled(wide, demo, "recommendations?search=a&sort=council&order=ascending&page=2&revised=1")
    expect(wide.get_by_label("Search title, text, update, reference or officer")).to_have_value("a")
    expect(wide.get_by_text("sorted by Council ↑, ascending", exact=False)).to_be_visible()
    expect(wide.get_by_label("Revised at least")).to_have_value("1")
    settled(wide, demo, "recommendations?council=Nowhere")
    expect(wide.get_by_text("No council called 'Nowhere' in this store (under the other filters): showing all councils.")).to_be_visible()
    screenshot(wide, "manager-unknown-council")


def test_analyst_finds_a_council_and_tells_the_lines_apart(demo, wide):
    settled(wide, demo, "slippage")
    finder = wide.locator('[data-testid="stSelectbox"]').filter(has_text="Find a council").locator("input")
    finder.click()
    council = wide.get_by_role("option").first.inner_text()
    wide.get_by_role("option").first.click()
    expect(wide).to_have_url(f"{demo}/slippage?find={council.replace(' ', '+')}", timeout=30_000)
    trend = wide.locator('[data-testid="stVegaLiteChart"]').last
    trend.scroll_into_view_if_needed()
    expect(trend.locator("text", has_text="Council (highest first)")).to_have_count(1, timeout=30_000)
    expect(trend.locator("text", has_text=council).first).to_be_visible()
    titles = [t.strip() for t in trend.locator(".role-axis-title text").all_text_contents()]
    assert titles == ["Report date", "Overdue"]
    screenshot(wide, "analyst-trend-lines")


def test_analyst_is_told_a_typo_is_a_mistake(demo, wide):
    settled(wide, demo, "sql")
    editor = wide.get_by_label("Query")
    editor.fill("SELECT counsil FROM slippage")
    wide.get_by_role("button", name="Run query").click()
    expect(wide.get_by_text('There is a mistake in the query: Referenced column "counsil" not found', exact=False)).to_be_visible(
        timeout=30_000
    )
    expect(wide.get_by_text("Refused:", exact=False)).to_have_count(0)
    screenshot(wide, "analyst-sql-mistake")


OVERLAPS = """chart => Array.from(chart.querySelectorAll('.role-axis')).flatMap(axis => {
  const title = axis.querySelector('.role-axis-title text');
  if (!title) return [];
  const t = title.getBoundingClientRect();
  return Array.from(axis.querySelectorAll('.role-axis-label text')).filter(label => {
    const l = label.getBoundingClientRect();
    return l.width > 0 && l.left < t.right && t.left < l.right && l.top < t.bottom && t.top < l.bottom;
  }).map(label => title.textContent + ' / ' + label.textContent);
})"""


@pytest.mark.parametrize("path, charts", [("slippage", 6), ("committee", 3)])
def test_on_a_phone_every_bar_chart_draws_its_bars_and_no_axis_title_covers_a_label(demo, browser, path, charts):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    settled(phone, demo, path)
    drawn = phone.locator('[data-testid="stVegaLiteChart"]')
    expect(drawn).to_have_count(charts, timeout=30_000)
    for index in range(drawn.count()):
        chart = drawn.nth(index)
        chart.scroll_into_view_if_needed()
        title = " ".join(chart.locator(".role-title-text text").all_text_contents())
        widths = chart.evaluate("e => Array.from(e.querySelectorAll('.mark-rect path')).map(p => p.getBBox().width)")
        assert not widths or max(widths) > 20, (title, widths[:5])  # bars, not labels alone
        assert chart.evaluate(OVERLAPS) == [], title
    screenshot(phone, f"phone-{path}")
    context.close()


def test_the_admin_app_has_no_serious_or_critical_accessibility_violation(tmp_path, wide):
    db = tmp_path / "demo.duckdb"
    build_demo_store(db)
    with streamlit_server("admin.py", {"SLIPPAGE_DB": str(db)}) as (url, _):
        settled(wide, url)
        expect(wide.get_by_role("heading", name="Load and remove reports")).to_be_visible(timeout=30_000)
        assert wide.title() == "Load and remove reports · slippage admin"
        violations = axe_violations(wide)
        screenshot(wide, "axe-admin")
    assert violations == [], json.dumps(violations, indent=1)
