"""Issue 29's four users, each walking their task in a real browser (Debian's Chromium through
Playwright), on the demo and on a 300-council store: the chair (the Committee page from a shared
link, change since the previous report, what falls due before the meeting they set, extensions to
approve, who is called to account after N extensions, both packs: the PDF passes the PDF/UA check
and the HTML pack axe-core's), the manager (a filter kept in the address, a ticked grid row opens
its record, a council found across reports), the analyst (an example, a typo called a mistake,
the schema's own tables first, a chart of the result) and the exporter (filtered downloads open in
polars with its defaults and hold the table on screen; no table offers Streamlit's own CSV, which
is not the table on screen). What each is shown is counted from the slippage view, never by the
pages' queries. Screenshots and packs are kept under tests/artifacts/users-*."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote_plus

import openpyxl
import polars as pl
import pytest
from playwright.sync_api import expect

from app.catalogue import example_queries
from app.committee import words
from app.text import uk_date
from etl.store.readonly import open_safe
from etl.store.synth import build_demo_store
from tests.accessibility import axe_violations
from tests.packs import html_sections
from tests.pdfua import pdfua_failures
from tests.servers import ARTIFACTS, open_page, pdf_pack_download, prepare_and_download, screenshot, streamlit_server
from tests.test_browser_walks import PAGES, tick_row, title_of
from tests.test_chair import open_records

pytestmark = pytest.mark.browser
GRID = '[data-testid="stDataFrame"]'


@dataclass(frozen=True)
class Store:
    name: str
    url: str
    db: Path
    council: str  # the council walked: the one with the most open items at its newest report
    report: date


def busiest_council(db: Path) -> tuple[str, date]:
    [(council, report)] = (
        open_safe(db)
        .sql(
            "SELECT council, report_date FROM slippage WHERE status = 'open' AND report_date = "
            "(SELECT max(report_date) FROM slippage s WHERE s.council = slippage.council) "
            "GROUP BY ALL ORDER BY count(*) DESC, council LIMIT 1"
        )
        .fetchall()
    )
    return council, report


@pytest.fixture(scope="module", params=["demo", "300-councils"])
def store(request, tmp_path_factory, synth_db):
    folder = tmp_path_factory.mktemp(f"users-{request.param}")
    db = folder / "store.duckdb"
    if request.param == "demo":
        build_demo_store(db)
    else:
        shutil.copyfile(synth_db, db)
    council, report = busiest_council(db)
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(db)}, "--server.address", "127.0.0.1") as (url, _):
        yield Store(request.param, url, db, council, report)


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


IDLE = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"


def settled(page, url: str, path: str = ""):
    """The page once its script has run to the end (Streamlit marks its state on the app) and its
    charts have drawn."""
    open_page(page, url, path)
    finished(page)
    return page


def finished(page) -> None:
    """The script run the address or a widget started has run to the end."""
    page.wait_for_function(IDLE, timeout=180_000, polling=100)
    page.wait_for_timeout(1_000)


def shot(page, store: Store, what: str) -> None:
    screenshot(page, f"users-{store.name}-{what}")


def rows_in(grid) -> int:
    """The rows a grid holds (its accessible table counts them, the header row with them)."""
    expect(grid.locator("table")).to_be_attached(timeout=30_000)
    return int(grid.locator("table").get_attribute("aria-rowcount")) - 1


def section_grid(page, heading: str):
    """The table under a section's heading (the first after it in the page)."""
    return page.locator(f"xpath=//h2[contains(normalize-space(), {json.dumps(heading)})]/following::*[@data-testid='stDataFrame'][1]")


def extensions_asked(store: Store) -> int:
    """Open items of the walked report with a later date asked for and not yet agreed."""
    [(count,)] = (
        open_safe(store.db)
        .sql(
            "SELECT count(*) FROM slippage_detail WHERE council = ? AND report_date = ? AND status = 'open' "
            "AND requested_target_date IS NOT NULL",
            params=[store.council, store.report],
        )
        .fetchall()
    )
    return count


def refs(rows: pl.DataFrame) -> list[str]:
    """Each item's reference as a list shows it ('–' where the report prints none), sorted."""
    return sorted(ref or "–" for ref in rows["ref"])


def due_items(store: Store, meeting: date) -> list[str]:
    """The open items whose target in force falls from the report date to the day before the meeting."""
    rows = open_records(store.db, store.council, store.report)
    return refs(rows.filter((pl.col("current_target_date") >= store.report) & (pl.col("current_target_date") < meeting)))


def called_items(store: Store, times: int) -> list[str]:
    return refs(open_records(store.db, store.council, store.report).filter(pl.col("revision_count") > times))


def committee_address(store: Store, meeting: date, called: int) -> str:
    return f"committee?council={quote_plus(store.council)}&meeting={meeting.isoformat()}&called={called}"


# -- the chair ---------------------------------------------------------------------------------
def test_the_chair_takes_the_committee_view_and_its_packs(store, wide):
    meeting = date(store.report.year + 1, store.report.month, 1)  # a meeting far enough on to list items
    settled(wide, store.url, committee_address(store, meeting, 1))
    expect(wide.get_by_role("heading", name="Committee view")).to_be_visible()
    # Each headline figure beside the previous report, the change coloured by better or worse.
    expect(wide.locator('[data-testid="stMetricDelta"]').first).to_be_visible()
    expect(wide.get_by_text("Changes are since the council's previous report, of", exact=False)).to_be_visible()
    due_heading = f"Falling due before the next meeting ({uk_date(meeting)})"
    due, called = due_items(store, meeting), called_items(store, 1)
    assert due and called, "the walk needs items in both lists"
    assert rows_in(section_grid(wide, due_heading)) == len(due)
    assert rows_in(section_grid(wide, "Extended more than once: called to account")) == len(called)
    expect(wide.get_by_role("heading", name=words.APPROVALS_HEADING)).to_be_visible()
    if asked := extensions_asked(store):
        assert rows_in(section_grid(wide, words.APPROVALS_HEADING)) == asked
    else:
        expect(wide.get_by_text("None: no later date is asked for and not yet agreed.")).to_be_visible()
    expect(wide.locator('[data-testid="stException"]')).to_have_count(0)
    shot(wide, store, "chair-committee")

    # The chair changes N on the page: the address keeps it, and the list follows.
    limit = wide.get_by_label("Called to account after more than", exact=True)
    limit.fill("0")
    limit.press("Enter")
    expect(wide).to_have_url(re.compile(r"[?&]called=0(&|$)"), timeout=30_000)
    expect(wide.get_by_role("heading", name="Extended more than 0 times: called to account")).to_be_visible()
    finished(wide)
    assert rows_in(section_grid(wide, "Extended more than 0 times")) == len(called_items(store, 0))

    pdf, page_html = pack(wide, "PDF", store), pack(wide, "HTML", store)
    assert pdfua_failures(pdf.read_bytes()) == []
    # The pack holds the lists on screen: under each heading, as many items as the page's table.
    sections = html_sections(page_html.read_text(encoding="utf-8"))
    assert sorted(row[0] for row in sections[due_heading]) == due
    assert sorted(row[0] for row in sections["Extended more than 0 times: called to account"]) == called_items(store, 0)
    for heading, rows in sections.items():
        if heading != words.CHANGES_HEADING:
            assert (rows_in(section_grid(wide, heading)) if rows else 0) == len(rows), heading
            if not rows:
                expect(wide.locator(f"xpath=//h2[contains(normalize-space(), {json.dumps(heading)})]/following::p[1]")).to_contain_text(
                    "None"
                )
    wide.goto(page_html.as_uri())
    expect(wide.get_by_role("heading", level=1)).to_contain_text(store.council)
    violations = axe_violations(wide)
    shot(wide, store, "chair-pack-html")
    assert violations == [], json.dumps(violations, indent=1)


def pack(page, fmt: str, store: Store) -> Path:
    target = ARTIFACTS / f"users-{store.name}-pack.{fmt.lower()}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if fmt == "PDF":
        pdf_pack_download(page).save_as(target)
        return target
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name=f"Pack as {fmt}").click()
    info.value.save_as(target)
    return target


# -- the manager -------------------------------------------------------------------------------
def records_in_report(store: Store) -> int:
    [(count,)] = (
        open_safe(store.db)
        .sql("SELECT count(*) FROM slippage WHERE council = ? AND report_date = ?", params=[store.council, store.report])
        .fetchall()
    )
    return count


def matching(page) -> int:
    caption = page.get_by_text("recommendations in the report on show match", exact=False)
    expect(caption).to_be_visible(timeout=60_000)
    return int(caption.inner_text().split(" recommendations")[0].replace(",", ""))


def choose_council_in_sidebar(page, council: str) -> None:
    chooser = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Council").first
    chooser.locator("input").fill(council)
    page.get_by_role("option", name=council, exact=True).click()
    page.keyboard.press("Escape")


def test_the_manager_filters_opens_a_record_and_finds_a_council(store, wide):
    settled(wide, store.url, "recommendations")
    choose_council_in_sidebar(wide, store.council)
    expect(wide).to_have_url(re.compile(r"[?&]council=" + re.escape(quote_plus(store.council))), timeout=30_000)
    expect(wide.get_by_text(f"{records_in_report(store):,} recommendations in the report on show match", exact=False)).to_be_visible(
        timeout=60_000
    )
    # A ticked row in the grid opens its record.
    tick_row(wide, 0)
    opened = wide.get_by_role("combobox", name="Open a record")
    expect(opened).not_to_have_value("", timeout=30_000)
    expect(wide.locator("h2").filter(has_not_text="Filters").first).to_contain_text(title_of(opened.input_value()))
    shot(wide, store, "manager-record")
    # The address keeps the view: opened again from it, the filter is still there.
    settled(wide, store.url, wide.url.removeprefix(store.url + "/"))
    assert matching(wide) == records_in_report(store)

    # Across reports: the council found is kept in the address and drawn as a named line.
    settled(wide, store.url, f"slippage?find={quote_plus(store.council)}")
    expect(wide.get_by_role("combobox", name="Find a council")).to_have_value(store.council)
    trend = wide.locator('[data-testid="stVegaLiteChart"]').last
    trend.scroll_into_view_if_needed()
    expect(trend.locator("text", has_text=store.council).first).to_be_visible(timeout=30_000)
    expect(wide.locator('[data-testid="stException"]')).to_have_count(0)
    shot(wide, store, "manager-across-reports")


# -- the analyst -------------------------------------------------------------------------------
def test_the_analyst_queries_charts_and_is_told_of_a_mistake(store, wide):
    settled(wide, store.url, "sql")
    # The schema panel lists what an analyst queries first; the store's own bookkeeping after it.
    summaries = wide.locator('[data-testid="stExpander"] summary')
    expect(summaries.filter(has_text="derived_objects")).to_be_attached(timeout=30_000)
    schema = [label.split("\n")[-1].strip() for label in summaries.all_inner_texts()]
    assert schema[0] == "view slippage", schema[:3]
    internal = next(n for n, label in enumerate(schema) if "derived_objects" in label or "seed_" in label)
    assert all("derived_objects" not in label and "seed_" not in label for label in schema[:internal])
    assert internal > len(schema) // 2
    # An example fills the editor and runs; edited, the picker lets it go.
    name, text = list(example_queries().items())[1]
    picker = wide.locator('[data-testid="stSelectbox"]').filter(has_text="Start from an example")
    picker.locator("input").click()
    wide.get_by_role("option", name=name).click()
    expect(wide.get_by_label("Query")).to_have_value(text, timeout=30_000)
    expect(wide.get_by_role("combobox", name="Start from an example")).to_have_value(name)
    expect(wide.get_by_text(re.compile(r"^[\d,]+ rows? in [\d,]+ ms$"))).to_be_visible(timeout=60_000)
    wide.get_by_label("Query").fill("SELECT council, count(*) AS recommendations FROM slippage GROUP BY 1 ORDER BY 2 DESC LIMIT 3")
    wide.get_by_role("button", name="Run query").click()
    expect(wide.get_by_role("combobox", name="Start from an example")).to_have_value("Choose an example…", timeout=30_000)
    expect(wide.get_by_text("3 rows in", exact=False)).to_be_visible(timeout=60_000)
    wide.get_by_text("Chart the result").click()
    expect(wide.locator('[data-testid="stVegaLiteChart"] .role-mark').first).to_be_attached(timeout=30_000)
    shot(wide, store, "analyst-chart")
    wide.get_by_label("Query").fill("SELECT councl FROM slippage")
    wide.get_by_role("button", name="Run query").click()
    expect(wide.get_by_text("There is a mistake in the query:", exact=False)).to_be_visible(timeout=30_000)
    expect(wide.get_by_text("Refused:", exact=False)).to_have_count(0)
    shot(wide, store, "analyst-mistake")


# -- the exporter ------------------------------------------------------------------------------
def shown_headers(grid) -> list[str]:
    """The headers the grid draws (those in view), less the sort arrow."""
    return [h.removesuffix(" ↓").removesuffix(" ↑") for h in grid.locator("table th").all_inner_texts()]


def first_row_on_screen(grid) -> list[str]:
    return grid.locator("table tr").nth(1).locator("td").all_inner_texts()


def as_shown(value: object) -> str:
    """A file's value as the grid's accessible table gives it (ISO dates, plain numbers)."""
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%d %b %Y").date().isoformat()
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


def test_the_exporter_downloads_the_filtered_table_as_it_is_on_screen(store, wide, tmp_path):
    settled(wide, store.url, f"recommendations?council={quote_plus(store.council)}&risk=high")
    grid = wide.locator(GRID).first
    total, headers, first = matching(wide), shown_headers(grid), first_row_on_screen(grid)
    assert 0 < total == min(rows_in(grid), total)
    csv = tmp_path / "rows.csv"
    download = prepare_and_download(wide, "CSV")
    assert download.suggested_filename.endswith("-risk-high.csv")
    download.save_as(csv)
    rows = pl.read_csv(csv)  # polars' defaults: the header on the first line, one row a record
    assert rows.height == total and set(rows["Council"]) == {store.council} and set(rows["Risk"]) == {"high"}
    assert rows.columns[: len(headers)] == headers
    assert [as_shown(v) for v in rows.row(0)[: len(first)]] == first
    xlsx = tmp_path / "rows.xlsx"
    prepare_and_download(wide, "Excel").save_as(xlsx)
    sheet = list(openpyxl.load_workbook(xlsx)["Data"].values)
    assert list(sheet[0][: len(headers)]) == headers and len(sheet) - 1 == total
    assert [as_shown(v) for v in sheet[1][: len(first)]] == first
    shot(wide, store, "exporter-recommendations")


@pytest.mark.parametrize("path", PAGES)
def test_no_table_offers_streamlits_own_csv_which_is_not_the_table_on_screen(store, wide, path):
    settled(wide, store.url, path)
    grids = wide.locator(f"{GRID}:visible")  # those in a closed expander (the SQL page's schema) aside
    expect(grids.first).to_be_attached(timeout=60_000)
    for index in range(grids.count()):
        grids.nth(index).scroll_into_view_if_needed()
        grids.nth(index).hover()
        expect(wide.locator('[data-testid="stElementToolbar"]').get_by_role("button", name="Search").first).to_be_visible()
        streamlits = wide.locator('[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]')
        expect(streamlits.first).to_be_attached()  # Streamlit draws it; the page's style hides it
        for button in streamlits.all():
            expect(button).to_be_hidden()


# -- every page and both packs pass axe-core on the 300-council store too ------------------------
@pytest.mark.parametrize("store", ["300-councils"], indirect=True)  # the demo's: test_browser_walks
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violation_at_300_councils(store, wide, path):
    settled(wide, store.url, path)
    violations = axe_violations(wide)
    shot(wide, store, f"axe-{path or 'overview'}")
    assert violations == [], json.dumps(violations, indent=1)
