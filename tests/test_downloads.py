"""Every download holds the rows of the store on show: on the demo, the samples and a store named
by SLIPPAGE_DB, with and without a filter, the Recommendations page's file holds the rows its
table and count show, and the SQL page's the result on screen (Streamlit AppTest). A download's
file was once made in a thread with no session, from data/audit.duckdb whatever the page showed.
Also: each file is fetched once from disk and gone, and every file is cut at its byte cap."""

import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import openpyxl
import polars as pl
import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from app import exports, served
from app.exports import EXPORT_MAX_BYTES, EXPORT_MAX_MB
from app.filenames import council_part
from etl.store.store import ROOT
from etl.tablefile import Written
from tests.apptests import dashboard_app, prepared_download
from tests.servers import open_page, prepare_and_download, rss_mb, streamlit_server

pytestmark = pytest.mark.slow

DASHBOARD = str(ROOT / "dashboard.py")
COMPARED = ["council", "report_date", "ref", "audit_title", "status", "days_past_original_target", "revision_count"]


@pytest.fixture
def first_run(tmp_path, monkeypatch):
    """The dashboard with no SLIPPAGE_DB and nothing built: its default store (and the demo
    beside it) in tmp_path; opened on the store the address asks for (?data=demo or samples)."""
    monkeypatch.delenv("SLIPPAGE_DB", raising=False)
    monkeypatch.setenv("SLIPPAGE_DATA_DIR", str(tmp_path))

    def open_on(data: str) -> AppTest:
        at = AppTest.from_file(DASHBOARD, default_timeout=180)
        at.query_params["data"] = data
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_on


@pytest.fixture
def named_store(sample_db, tmp_path, monkeypatch):
    """SLIPPAGE_DB names a store; the default store beside it is the demo's first run, unbuilt."""
    monkeypatch.setenv("SLIPPAGE_DATA_DIR", str(tmp_path))
    at = dashboard_app(sample_db, monkeypatch, timeout=180)
    return at


def on_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rows_matching(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if "recommendations in the report on show match" in c.value)
    return int(caption.split(" recommendations")[0].replace(",", ""))


def on_screen(at: AppTest) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[0].value).select(COMPARED)


# The moment.js date format a table on screen uses (app/text.py UK_DATE), as strftime writes it.
SCREEN_DATES = {"D MMM YYYY": "%-d %b %Y"}


def screen_columns(at: AppTest, index: int = 0) -> tuple[list[str], dict]:
    """The columns a table shows, in its order, and each one's config (label, date format), as
    the page sent them to the browser."""
    table = at.dataframe[index].proto
    config = json.loads(table.columns)
    return list(table.column_order) or list(config), config


def as_on_screen(frame: pl.DataFrame, config: dict) -> pl.DataFrame:
    """The values as the table shows them: each date in the format its column is shown with, and
    each column under its label (less the sort arrow, which marks the sort, not the column)."""
    dated = frame.with_columns(
        pl.col(name).cast(pl.Date).dt.strftime(SCREEN_DATES[config[name]["type_config"]["format"]])
        for name in frame.columns
        if config.get(name, {}).get("type_config", {}).get("type") == "date"
    )
    return dated.rename({name: screen_label(config, name) for name in frame.columns})


def screen_label(config: dict, name: str) -> str:
    return config.get(name, {}).get("label", name).removesuffix(" ↓").removesuffix(" ↑")


def for_machines(at: AppTest, key: str, on: bool) -> None:
    at.toggle(key=key).set_value(on).run()
    assert not at.exception, [e.message for e in at.exception]


def excel_headers_and_date_format(at: AppTest) -> tuple[list[str], str]:
    """The Excel file's header row, and how its first report date is shown."""
    sheet = openpyxl.load_workbook(prepared_download(at, "Excel"))["Data"]
    headers = [cell.value for cell in sheet[1]]
    report = sheet.cell(2, next(i for i, h in enumerate(headers, 1) if h in ("Report", "report_date")))
    assert report.is_date
    return headers, report.number_format


def assert_download_is_the_table_on_screen(at: AppTest) -> None:
    """Both ways: as on the page (its headers, its dates), read with polars' defaults, and for
    machines (column names, ISO dates); the screen's columns first, in its order."""
    total, shown = rows_matching(at), on_screen(at)
    order, config = screen_columns(at)
    people = pl.read_csv(prepared_download(at, "CSV"))
    assert people.height == total > 0
    assert people.columns[: len(order)] == [screen_label(config, name) for name in order]
    expected = as_on_screen(shown, config)
    assert people.head(shown.height).select(expected.columns).equals(expected.cast(people.select(expected.columns).schema))
    assert pl.read_parquet(prepared_download(at, "Parquet")).columns == people.columns
    assert excel_headers_and_date_format(at) == (people.columns, "d mmm yyyy")
    for_machines(at, "rec_export_machine", True)
    csv = pl.read_csv(prepared_download(at, "CSV"), try_parse_dates=True)
    parquet = pl.read_parquet(prepared_download(at, "Parquet"))
    assert csv.height == parquet.height == total
    assert excel_headers_and_date_format(at) == (csv.columns, "yyyy-mm-dd")
    for file in (csv, parquet):
        assert file.columns[: len(order)] == order
        assert file.head(shown.height).select(COMPARED).equals(shown.cast(file.select(COMPARED).schema)), file.head(3)
    for_machines(at, "rec_export_machine", False)


def filter_one_council(at: AppTest) -> str:
    chooser = at.sidebar.multiselect(key="filter_councils")
    council = chooser.options[-1]
    chooser.select(council).run()
    assert not at.exception, [e.message for e in at.exception]
    return council


def assert_named_for_what_it_holds(at: AppTest, council: str | None) -> None:
    """The file's name says the council and its report; its sidecar what made it."""
    made = at.session_state["rec_export_ready"]
    reports = set(on_screen(at)["report_date"].cast(pl.Date))
    if council:
        assert made.name == f"slippage-recommendations-{council_part(council)}-{reports.pop():%Y-%m-%d}.csv"
    else:
        assert made.name == "slippage-recommendations-all-councils-newest-reports.csv"
    assert f"File: {made.name}\n" in made.about and f"Rows: {rows_matching(at):,}\n" in made.about
    assert "Filters: " in made.about and "Column names and dates: as on the page" in made.about


@pytest.mark.parametrize("data", ["demo", "samples"])
def test_recommendations_downloads_hold_the_rows_on_show_on_a_first_run(first_run, data):
    at = on_page(first_run(data), "recommendations")
    assert_download_is_the_table_on_screen(at)
    council = filter_one_council(at)
    assert set(on_screen(at)["council"]) == {council}
    assert_download_is_the_table_on_screen(at)
    prepared_download(at, "CSV")
    assert_named_for_what_it_holds(at, council)


def test_recommendations_downloads_hold_the_rows_of_the_store_slippage_db_names(named_store):
    at = on_page(named_store, "recommendations")
    assert rows_matching(at) == 161
    assert_download_is_the_table_on_screen(at)
    prepared_download(at, "CSV")
    assert_named_for_what_it_holds(at, None)
    filter_one_council(at)
    assert_download_is_the_table_on_screen(at)


@pytest.mark.parametrize("data", ["demo", "samples"])
def test_the_sql_pages_download_holds_the_result_on_screen(first_run, data):
    assert_sql_download_is_the_result_on_screen(on_page(first_run(data), "sql"))


def test_the_sql_pages_download_holds_the_result_on_screen_of_the_store_slippage_db_names(named_store):
    assert_sql_download_is_the_result_on_screen(on_page(named_store, "sql"))


def assert_sql_download_is_the_result_on_screen(at: AppTest) -> None:
    at.text_area(key="sql_text").input(
        "SELECT council, max(report_date) AS newest, count(*) AS n FROM slippage GROUP BY 1 ORDER BY 1"
    ).run()
    shown = pl.from_pandas(at.dataframe[-1].value).cast({"n": pl.Int64, "newest": pl.Date})
    assert shown.height > 0
    _, config = screen_columns(at, -1)
    people = pl.read_csv(prepared_download(at, "CSV"))  # "31 Dec 2024", as the table shows it
    assert people.equals(as_on_screen(shown, config)), people.head(3)
    made = at.session_state["sql_export_ready"]
    assert re.fullmatch(r"slippage-query-\d{4}-\d{2}-\d{2}-\d{4}\.csv", made.name)
    assert "Query: SELECT council, max(report_date) AS newest" in made.about
    for_machines(at, "sql_export_machine", True)
    assert pl.read_csv(prepared_download(at, "CSV"), try_parse_dates=True).equals(shown)
    assert pl.read_parquet(prepared_download(at, "Parquet")).equals(shown)


# -- in a real server and browser ------------------------------------------------------------------
@pytest.fixture(scope="module")
def first_run_server(tmp_path_factory):
    """The dashboard as the README's first command starts it: no SLIPPAGE_DB, nothing built yet."""
    folder = tmp_path_factory.mktemp("first-run")
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": "", "SLIPPAGE_DATA_DIR": str(folder)}) as (url, _):
        yield url


def matching_in_browser(page) -> int:
    caption = page.get_by_text("recommendations in the report on show match", exact=False)
    expect(caption).to_be_visible(timeout=120_000)
    return int(caption.inner_text().split(" recommendations")[0].replace(",", ""))


@pytest.mark.browser
@pytest.mark.parametrize(
    "data, council", [("demo", None), ("demo", "Kingsmere City Council"), ("samples", None), ("samples", "Harborough District Council")]
)
def test_a_download_in_the_browser_holds_the_rows_on_show(first_run_server, page, tmp_path, data, council):
    """Streamlit ran a download's callable outside the session: on the demo, the file held the
    samples' rows (161 where the page showed 122; 0 for a council of the demo)."""
    address = f"recommendations?data={data}" + (f"&council={quote(council)}" if council else "")
    open_page(page, first_run_server, address)
    matching = matching_in_browser(page)
    target = tmp_path / "rows.csv"
    download = prepare_and_download(page, "CSV")
    assert download.suggested_filename.startswith(f"slippage-recommendations-{council_part(council) if council else 'all-councils'}-")
    download.save_as(target)
    rows = pl.read_csv(target)  # polars' defaults: the header is the first line
    assert rows.height == matching > 0
    if council:
        assert set(rows["Council"]) == {council}


BIG_QUERY = "SELECT md5(range::VARCHAR) || repeat('x', 468) AS wide FROM range(2000000)"  # 2 million rows, 1 GB as CSV
SERVER_GROWTH_MB = 100  # what the server may grow by while the file is made and served


@pytest.fixture
def sql_server(sample_db, tmp_path):
    """A dashboard on a copy of the samples, with a temporary folder of its own (TMPDIR), so what
    a download leaves on disk can be seen."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    copy = tmp_path / "audit.duckdb"
    shutil.copyfile(sample_db, copy)
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(copy), "TMPDIR": str(temp)}, "--server.address", "127.0.0.1") as (
        url,
        process,
    ):
        yield url, process, temp


class PeakMemory:
    """The peak resident memory of a process, sampled in a thread while a block runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, rss_mb(pid), threading.Event()

    def __enter__(self) -> "PeakMemory":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def fetch(url: str) -> tuple[int, int]:
    """GET a download in 1 MB pieces, each thrown away: (the Content-Length it gave, bytes read)."""
    with urllib.request.urlopen(url, timeout=300) as answer:
        length, read = int(answer.headers["Content-Length"]), 0
        while piece := answer.read(1024 * 1024):
            read += len(piece)
    return length, read


@pytest.mark.browser
def test_a_huge_sql_export_is_cut_at_its_byte_cap_and_never_held_by_the_server(sql_server, page):
    url, process, temp = sql_server
    open_page(page, url, f"sql?q={quote(BIG_QUERY)}")
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_text("The downloads hold all 2,000,000 rows", exact=False)).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")
    before = rss_mb(process.pid)
    with PeakMemory(process.pid) as memory:
        page.get_by_role("button", name="Prepare CSV").click()
        expect(page.get_by_text(f"The CSV file was cut at {EXPORT_MAX_MB} MB", exact=False)).to_be_visible(timeout=300_000)
        expect(page.get_by_text("narrow the query", exact=False)).to_be_visible()
        link = page.get_by_role("link", name=re.compile("^Download CSV"))
        address = url + link.get_attribute("href")
        assert len(list(temp.glob(f"{served.FOLDER_PREFIX}*"))) == 1  # the file waits on disk, not in memory
        length, read = fetch(address)
    assert read == length <= EXPORT_MAX_BYTES + 4096 and length > EXPORT_MAX_BYTES * 0.99
    assert memory.peak - before < SERVER_GROWTH_MB, f"the server grew {memory.peak - before:.0f} MB"
    assert not list(temp.glob(f"{served.FOLDER_PREFIX}*"))  # gone once served
    with pytest.raises(urllib.error.HTTPError) as again:
        fetch(address)
    assert again.value.code == 404  # a link fetches its file once


def test_a_recommendations_download_past_its_cap_is_cut_and_the_page_says_how_to_narrow_it(named_store, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_MAX_BYTES", 100 * 1024)  # the samples' 161 rows are about 220 KB as CSV
    at = on_page(named_store, "recommendations")
    rows = pl.read_csv(prepared_download(at, "CSV"))
    assert 0 < rows.height < 161
    assert at.session_state["rec_export_ready"].about.endswith(
        f"Cut: the file was cut at 0.1 MB after {rows.height:,} rows; the result holds more: narrow it "
        "(fewer columns, a WHERE, a LIMIT, or the filters) to download it whole\n"
    )
    assert [w.value for w in at.warning if "cut" in w.value] == [
        f"The CSV file was cut at 0.1 MB, after {rows.height:,} rows: the result is larger than one download may be. "
        "To download it whole, narrow the rows with the filters or the search."
    ]


def shelved(tmp_path, shelf: served.Shelf, owner: str) -> tuple[str, served.Prepared]:
    folder = tmp_path / f"{served.FOLDER_PREFIX}{owner}-{shelf.waiting()}"
    folder.mkdir()
    (folder / "rows.csv").write_text("n\n1\n")
    prepared = served.Prepared(folder / "rows.csv", "text/csv", owner)
    return shelf.put(prepared), prepared


def test_a_file_waits_once_for_its_session_and_no_longer_than_it_may(tmp_path):
    shelf = served.Shelf(keep_seconds=60, max_files=2)
    first, first_file = shelved(tmp_path, shelf, "session-a")
    second, second_file = shelved(tmp_path, shelf, "session-a")  # the same session makes another
    assert shelf.take(first) is None and not first_file.path.exists()
    assert shelf.take(second) is second_file and shelf.take(second) is None  # a token fetches once
    tokens = [shelved(tmp_path, shelf, owner) for owner in ("b", "c", "d")]  # more than max_files wait
    assert shelf.waiting() == 2 and not tokens[0][1].path.exists() and shelf.take(tokens[0][0]) is None
    stale = served.Shelf(keep_seconds=-1)  # every file past its time
    token, prepared = shelved(tmp_path, stale, "e")
    assert stale.take(token) is None and not prepared.path.exists()  # expired: removed, never served


def test_a_file_nobody_fetches_is_removed_on_time_without_another_being_made(tmp_path, monkeypatch):
    monkeypatch.setattr(served, "SWEEP_SECONDS", 0.05)
    shelf = served.Shelf(keep_seconds=0.2)
    _, prepared = shelved(tmp_path, shelf, "a")
    deadline = time.time() + 10
    while prepared.path.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert not prepared.path.exists() and shelf.waiting() == 0


def test_a_third_file_made_at_once_is_refused_with_a_line_saying_to_wait(tmp_path):
    answers, tokens = [], []

    def maker(depth: int):
        def write(path):
            if depth < 3:  # while this file is being made, another session asks for one
                try:
                    tokens.append(served.prepare(f"session-{depth + 1}", "rows.csv", "text/csv", maker(depth + 1))[0])
                except served.Busy as busy:
                    answers.append(str(busy))
            path.write_text("n\n1\n")
            return Written(1, False)

        return write

    tokens.append(served.prepare("session-1", "rows.csv", "text/csv", maker(1))[0])
    assert answers == ["2 downloads are being made on this server right now: try again in a minute"]
    assert len(tokens) == 2
    for token in tokens:
        served.SHELF.take(token).remove()
