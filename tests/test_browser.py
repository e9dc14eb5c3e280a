"""The dashboard in a real browser: streamlit run on a free localhost port, Debian's Chromium
driven by Playwright. Screenshots of each page are kept under tests/artifacts/. Uploads go through
the admin app (admin.py), a second server on the same database."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.uploads import ENV_PASSWORD
from tests.samples import seed_path
from tests.servers import open_page, pdf_pack_download, prepare_and_download, screenshot, streamlit_server

pytestmark = pytest.mark.browser
PASSWORD = "browser-test-key"


@pytest.fixture(scope="module")
def database(tmp_path_factory, sample_db):
    db = tmp_path_factory.mktemp("browser") / "audit.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture(scope="module")
def server(database):
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(database)}, "--server.address", "127.0.0.1") as (url, _):
        yield url


@pytest.fixture(scope="module")
def admin(database):
    with streamlit_server("admin.py", {"SLIPPAGE_DB": str(database), ENV_PASSWORD: PASSWORD}) as (url, _):
        yield url


@pytest.mark.parametrize(
    "path, charts, tables", [("", 0, 1), ("slippage", 6, 0), ("recommendations", 0, 1), ("committee", 2, 1), ("sql", 0, 1), ("data", 0, 3)]
)
def test_every_page_renders(server, page, path, charts, tables):
    open_page(page, server, path)
    if charts:
        expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(charts, timeout=30_000)
    if tables:
        expect(page.locator('[data-testid="stDataFrame"]').last).to_be_visible(timeout=30_000)
        assert page.locator('[data-testid="stDataFrame"]').count() >= tables
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, path or "overview")


def upload(page, admin, path: Path) -> None:
    """Unlock the admin app's upload and load one file for a new council."""
    open_page(page, admin)
    page.get_by_label("Upload key").fill(PASSWORD)
    page.get_by_role("button", name="Unlock uploads").click()
    batch = page.locator('[data-testid="stFileUploader"]').filter(has_text="Appendix files")  # not the preview's
    batch.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    council = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Council", exact=True)).locator("input")
    council.click()
    council.fill("Test Borough Council")
    council.press("Enter")
    page.get_by_label("Your name (recorded with the load)").fill("Browser Test")
    page.get_by_role("button", name="Load", exact=True).click()


def test_upload_through_the_admin_app_shows_on_the_dashboard_without_restart(server, admin, page, tmp_path):
    report = tmp_path / "test-borough-2025.txt"
    report.write_text(
        seed_path("003")
        .read_text(encoding="utf-8")
        .replace("Appendix 1 – Implemented Recommendations", "Outstanding Recommendations as at 30 June 2025"),
        encoding="utf-8",
    )
    open_page(page, server)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("136", timeout=30_000)

    upload(page, admin, report)
    expect(page.get_by_text("1 of 1 file loaded or already present")).to_be_visible(timeout=60_000)
    screenshot(page, "admin-after-upload")

    open_page(page, server)
    # 19 records, of which four updates open "Implemented –": 15 more open recommendations
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("151", timeout=30_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    expect(page.get_by_role("option", name="Test Borough Council")).to_be_visible(timeout=10_000)


def metric_values(page):
    return [m.inner_text() for m in page.locator('[data-testid="stMetricValue"]').all()]


def test_a_filter_changes_the_figures_and_the_table(server, page):
    open_page(page, server)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=30_000)
    before = metric_values(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(2).click()  # risk level
    page.get_by_role("option", name="high").click()
    page.keyboard.press("Escape")
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("33", timeout=30_000)  # open, high risk
    assert metric_values(page) != before
    page.get_by_role("link", name="Recommendations").click()  # the filter is kept across pages
    caption = page.get_by_text("recommendations in the report on show match", exact=False)
    expect(caption).to_contain_text("39 recommendations", timeout=30_000)
    screenshot(page, "recommendations-filtered")


def download(page, button_name: str):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_name).click()
    return info.value


def test_the_pack_and_a_csv_download_with_the_right_contents(server, page, tmp_path):
    import pdfplumber
    import polars as pl

    # The page opens on the first council by name and its newest report: Cambridgeshire's
    # report of 31 December 2024 (81 open, 46 overdue, 34 extended twice or more, none stale; then
    # the committee's asks: 13 fall due in the three months to the next meeting, no extension asked
    # for, 21 extended more than twice).
    open_page(page, server, "committee")
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("combobox", name="Council")).to_have_value("Cambridgeshire County Council")
    expect(page.get_by_role("combobox", name="Report")).to_have_value("31 Dec 2024 (newest)")
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_text(["81", "46", "34", "0", "13", "0", "21"])
    pdf = pdf_pack_download(page)
    assert pdf.suggested_filename == "slippage-pack-cambridgeshire-county-council-2024-12-31.pdf"
    pdf_path = tmp_path / pdf.suggested_filename
    pdf.save_as(pdf_path)
    with pdfplumber.open(pdf_path) as document:
        assert (round(document.pages[0].width), round(document.pages[0].height)) == (595, 842)
        first_page = document.pages[0].extract_text()
    assert "Cambridgeshire County Council, report of 31 Dec 2024\n" in first_page  # on every page
    assert "Cambridgeshire County Council: internal audit" in first_page and "Report of 31 Dec 2024." in first_page
    assert "81 open, 46 overdue, 34 extended twice or more;" in " ".join(first_page.split())  # the summary in words
    html_pack = download(page, "Pack as HTML")
    assert html_pack.suggested_filename == "slippage-pack-cambridgeshire-county-council-2024-12-31.html"
    html_path = tmp_path / html_pack.suggested_filename
    html_pack.save_as(html_path)
    pack = html_path.read_text(encoding="utf-8")
    assert "<h1>Cambridgeshire County Council: internal audit recommendations</h1>" in pack
    assert "src='data:image/svg+xml;base64," in pack  # the charts inside the file

    # The CSV holds every row the page says match, not just the page of 50 on show.
    open_page(page, server, "recommendations")
    expect(page.get_by_role("button", name="Prepare CSV")).to_be_visible(timeout=30_000)
    caption = page.get_by_text("recommendations in the report on show match", exact=False)
    expect(caption).to_be_visible(timeout=30_000)
    matching = int(caption.inner_text().split(" recommendations")[0].replace(",", ""))
    csv = prepare_and_download(page, "CSV")
    csv_path = tmp_path / "recommendations.csv"
    csv.save_as(csv_path)
    assert csv.suggested_filename == "slippage-recommendations-all-councils-newest-reports.csv"
    table = pl.read_csv(csv_path)  # the header on the first line, as the table on screen heads it
    assert {"Council", "Audit", "Target history", "Revisions"} <= set(table.columns)
    assert table.height == matching and matching >= 161


def test_a_mislabelled_upload_is_refused(admin, page, tmp_path):
    fake = tmp_path / "minutes.pdf"
    fake.write_text("Audit\tRisk\tTarget Date\nnot a pdf at all\n", encoding="utf-8")
    upload(page, admin, fake)
    expect(page.get_by_text("0 of 1 file loaded or already present")).to_be_visible(timeout=60_000)
    screenshot(page, "admin-refused-upload")


def test_an_upload_loaded_before_says_under_which_council(admin, page):
    """The same content again, given as another council: the form says where it went the first time."""
    upload(page, admin, seed_path("003"))  # the Manchester sample, uploaded as "Test Borough Council"
    expect(page.get_by_text("1 of 1 file loaded or already present")).to_be_visible(timeout=60_000)
    expect(
        page.get_by_text("already loaded under Manchester City Council, report of 31 Jan 2023 (report 4, loaded ", exact=False).first
    ).to_be_visible()
    expect(page.get_by_text("not under Test Borough Council: nothing changed", exact=False).first).to_be_visible()
    screenshot(page, "admin-upload-loaded-before")


def test_the_admin_app_has_one_page(admin, page):
    """admin.py sits beside the dashboard's pages/ folder: none of those pages is the admin app's."""
    open_page(page, admin)
    expect(page.get_by_role("heading", name="Load and remove reports")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    expect(page.get_by_role("link", name="overview")).to_have_count(0)


def test_an_upload_read_with_doubts_says_so_and_why(admin, page, tmp_path):
    """The admin app's result line, and a warning above it, say a report was read with doubts and why."""
    from tests.doubts import doubtful_appendix

    upload(page, admin, doubtful_appendix(tmp_path))
    expect(page.get_by_text("1 of 1 file loaded or already present")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("was loaded but read with doubts: the summary counts printed (High priority 3", exact=False)).to_be_visible()
    expect(page.get_by_text("it prints a total of 7, 5 records were read", exact=False).first).to_be_visible()
    screenshot(page, "admin-upload-read-with-doubts")
