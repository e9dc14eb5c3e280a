"""The chair's walk in a real browser (Chromium via Playwright) on the demo: the Overview says
which council got worse since its previous report, the Committee page takes the next meeting and
the extension limit from a shared link and lists what falls due and who is called to account,
and the PDF pack it hands over is tagged, says the data is synthetic and opens with a summary in
words. Screenshots and the pack are kept under tests/artifacts/."""

import pytest
from playwright.sync_api import expect

from app.committee import words
from tests.packs import page_texts, tagged_structure
from tests.servers import ARTIFACTS, open_page, pdf_pack_download, screenshot, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The dashboard as the README's first command starts it: the demo, built on first run."""
    folder = tmp_path_factory.mktemp("chair")
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": "", "SLIPPAGE_DATA_DIR": str(folder)}) as (url, _):
        yield url


def test_the_chairs_walk_on_the_demo(demo_server, page):
    page.set_default_timeout(60_000)
    open_page(page, demo_server, "?data=demo")
    # The first run builds the bundled samples' store beside the demo: minutes on a busy machine.
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=300_000)
    overdue = page.locator('[data-testid="stMetric"]').filter(has_text="Overdue").first
    expect(overdue.locator('[data-testid="stMetricDelta"]')).to_be_visible()
    expect(page.get_by_text("Sort by a change column to see which council got worse")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    screenshot(page, "chair-overview")

    # A link the clerk shares: the committee of 30 Sep 2025, officers called after more than one extension.
    open_page(page, demo_server, "committee?data=demo&meeting=2025-09-30&called=1")
    expect(page.get_by_role("heading", name="Falling due before the next meeting (30 Sep 2025)")).to_be_visible()
    expect(page.get_by_role("heading", name="Extended more than once: called to account")).to_be_visible()
    extended = page.locator('[data-testid="stMetric"]').filter(has_text="Extended two or more times")
    expect(extended.locator('[data-testid="stMetricDelta"]')).to_contain_text("+2")
    expect(page.get_by_text("Changes are since the council's previous report, of 31 Dec 2024.")).to_be_visible()
    expect(page.get_by_text("13 open, 10 overdue, 3 extended twice or more;")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "chair-committee")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_pack_download(page).save_as(ARTIFACTS / "chair-pack.pdf")
    pdf = (ARTIFACTS / "chair-pack.pdf").read_bytes()
    first = " ".join(page_texts(pdf)[0].split())
    assert first.startswith(words.SYNTHETIC)
    assert "13 open, 10 overdue, 3 extended twice or more; 3 fall due before the next meeting (30 Sep 2025)" in first
    found = tagged_structure(pdf)
    assert found["marked"] and found["lang"] == "en" and found["shows_title"] and not found["unembedded_fonts"]
