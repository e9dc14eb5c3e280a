"""python -m bench pages: each page's time in a real browser (Debian's Chromium, Playwright) on the
1,000,000-row synthetic store, from navigation until its last chart and table are drawn and the
script has finished, median of three visits; spliced into bench/RESULTS.md as section 7."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

# page path -> (charts, tables) it draws on the synthetic store: done when both are on screen.
PAGES = {"": (0, 2), "slippage": (6, 2), "recommendations": (0, 1), "committee": (3, 1), "sql": (0, 1), "data": (0, 2)}
NAMES = {
    "": "Overview",
    "slippage": "Slippage",
    "recommendations": "Recommendations",
    "committee": "Committee",
    "sql": "SQL",
    "data": "Data",
}
VISITS = 3
GOAL_SECONDS = 1.5
DRAWN = """([charts, tables]) => {
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    const drawn = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg .role-mark')).length;
    const grids = document.querySelectorAll('[data-testid="stDataFrame"] canvas, [data-testid="stDataFrame"] table').length;
    const frames = document.querySelectorAll('[data-testid="stDataFrame"]').length;
    return !running && drawn >= charts && frames >= tables && grids >= tables;
}"""


def drawn(page, path: str, started: float) -> float:
    """Seconds from `started` until the page's script has finished and its charts and tables are drawn."""
    page.wait_for_function(DRAWN, arg=list(PAGES[path]), timeout=120_000, polling=20)
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user and system, all its threads), from /proc: what a
    page costs the server whatever else the machine is running."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def visit(page, url: str, path: str) -> float:
    """The page opened by its address (a link, a bookmark, the address bar): a full page load."""
    started = time.perf_counter()
    page.goto(f"{url}/{path}")
    return drawn(page, path, started)


def follow(page, path: str) -> float:
    """The page reached from another page by its link in the sidebar: no page load, one script run."""
    started = time.perf_counter()
    page.locator('[data-testid="stSidebar"] a').filter(has_text=NAMES[path]).first.click()
    page.wait_for_url(f"**/{path}*")
    return drawn(page, path, started)


def measure(db: Path) -> dict[str, dict[str, list[float]]]:
    """Seconds per page three ways. 'new browser': a browser that has never opened the app (a new
    context, so Streamlit's own scripts are fetched and compiled again), the first of them right
    after the server starts (queries not yet cached). 'by link': the page's address opened again in
    a browser that has opened the app before. 'in the app': reached from the Overview by the
    sidebar's link, as a user moves between pages."""
    from playwright.sync_api import sync_playwright

    from tests.browsers import CHROMIUM, CHROMIUM_ARGS
    from tests.servers import streamlit_server

    timings: dict[str, dict[str, list[float]]] = {
        path: {"new browser": [], "by link": [], "in the app": [], "server cpu": []} for path in PAGES
    }
    with (
        streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(db)}, "--server.address", "127.0.0.1") as (url, server),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()
        visit(warm, url, "")  # the server's first session opens the store: not any page's cost
        warm.close()
        for path in PAGES:
            for _ in range(VISITS):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                timings[path]["new browser"].append(visit(context.new_page(), url, path))
                context.close()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        visit(page, url, "")
        for path in PAGES:
            for _ in range(VISITS):
                before = cpu_seconds(server.pid)
                timings[path]["by link"].append(visit(page, url, path))
                timings[path]["server cpu"].append(cpu_seconds(server.pid) - before)
        for path in PAGES:
            for _ in range(VISITS):
                visit(page, url, "" if path else "data")
                timings[path]["in the app"].append(follow(page, path))
        browser.close()
    return timings


def section(
    timings: dict[str, dict[str, list[float]]], rows: int, build_seconds: float, machine: str, when: str, load_at_start: float
) -> list[str]:
    lines = [
        "## 7. Every page in a real browser on the 1,000,000-row store\n",
        f"Run {when} on {machine} with `python -m bench pages`. A synthetic store of {rows:,} recommendation rows "
        f"(300 councils, 12 reports each; built in {build_seconds:.0f} s), one `streamlit run` server, Debian's "
        "Chromium driven by Playwright at 1400×1000, each time from the click or navigation until the script has "
        "finished and every chart has drawn its marks and every table its grid. Three ways of arriving at a page: "
        "*new browser*, a browser that has never opened the app (Streamlit's own scripts fetched and compiled "
        "again: its first visit, right after the server starts, also finds the queries uncached); *by link*, the "
        "page's address opened in a browser that has opened the app before; *in the app*, from another page by "
        f"the sidebar's link. Medians of {VISITS} visits; the goal (at most {GOAL_SECONDS} s) is judged on *by link*, "
        "a full page load as a colleague's shared link gives. *Server CPU* is the CPU time the server used for a "
        "visit by link (all its threads, DuckDB's included): unlike seconds on the clock it hardly moves with what "
        "else the machine runs, so it tells a page that got dearer from a machine that got busier.\n",
        "| page | new browser: first s | new browser: median s | by link: median s | in the app: median s | "
        "server CPU by link: median s | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for path, ways in timings.items():
        by_link = statistics.median(ways["by link"])
        lines.append(
            f"| {NAMES[path]} | {ways['new browser'][0]:.2f} | {statistics.median(ways['new browser']):.2f} | "
            f"{by_link:.2f} | {statistics.median(ways['in the app']):.2f} | "
            f"{statistics.median(ways['server cpu']):.2f} | {'meets goal' if by_link <= GOAL_SECONDS else 'MISSES goal'} |"
        )
    load = os.getloadavg()[0]
    return lines + [
        "",
        f"Load average (1 min): {load_at_start:.1f} as the browser run began, {load:.1f} at its end, on "
        f"{os.cpu_count()} cores. In a new "
        "browser every page pays about a second more for Streamlit's own scripts, whatever it shows "
        "(compare Data, whose queries take milliseconds).\n",
    ]


def pages_only(root: Path, machine: str, replace_section) -> int:
    from datetime import datetime

    import duckdb

    from etl.store.synth import build_synthetic_store

    with tempfile.TemporaryDirectory(prefix="slippage-bench-pages-") as work:
        db = Path(work) / "synth-1m.duckdb"
        print("building the 1,000,000-row store …", flush=True)
        build_seconds = build_synthetic_store(db, 1_000_000)
        con = duckdb.connect(str(db), read_only=True)
        [(rows,)] = con.execute("SELECT count(*) FROM recommendations").fetchall()
        con.close()
        print("7. every page in the browser …", flush=True)
        load_at_start = os.getloadavg()[0]
        timings = measure(db)
    lines = section(timings, rows, build_seconds, machine, f"{datetime.now():%Y-%m-%d %H:%M}", load_at_start)
    results = root / "bench" / "RESULTS.md"
    results.write_text(replace_section(results.read_text(encoding="utf-8"), lines), encoding="utf-8")
    print("\n".join(lines))
    return 0
