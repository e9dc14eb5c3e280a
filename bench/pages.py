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
NAMES = {"": "Overview", "slippage": "Slippage", "recommendations": "Recommendations", "committee": "Committee",
         "sql": "SQL", "data": "Data"}
VISITS = 3
GOAL_SECONDS = 1.5
DRAWN = """([charts, tables]) => {
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    const drawn = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg .role-mark')).length;
    const grids = document.querySelectorAll('[data-testid="stDataFrame"] canvas, [data-testid="stDataFrame"] table').length;
    const frames = document.querySelectorAll('[data-testid="stDataFrame"]').length;
    return !running && drawn >= charts && frames >= tables && grids >= tables;
}"""


def visit(page, url: str, path: str) -> float:
    charts, tables = PAGES[path]
    started = time.perf_counter()
    page.goto(f"{url}/{path}")
    page.wait_for_function(DRAWN, arg=[charts, tables], timeout=120_000, polling=20)
    return time.perf_counter() - started


def measure(db: Path) -> dict[str, list[float]]:
    """Seconds per visit for every page: the first visit of each page after the server starts is
    the cold one (its queries not yet cached); the next two find the server's caches warm."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.servers import streamlit_server

    timings: dict[str, list[float]] = {}
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(db)}, "--server.address", "127.0.0.1") as (url, _), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()
        visit(warm, url, "")  # the server's first session opens the store: not any page's cost
        warm.close()
        for path in PAGES:
            timings[path] = []
            for _ in range(VISITS):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                timings[path].append(visit(context.new_page(), url, path))
                context.close()
        browser.close()
    return timings


def section(timings: dict[str, list[float]], rows: int, build_seconds: float, machine: str, when: str) -> list[str]:
    lines = ["## 7. Every page in a real browser on the 1,000,000-row store\n",
             f"Run {when} on {machine} with `python -m bench pages`. A synthetic store of {rows:,} recommendation rows "
             f"(300 councils, 12 reports each; built in {build_seconds:.0f} s), one `streamlit run` server, Debian's "
             "Chromium driven by Playwright at 1400×1000. Each visit is a new browser context, timed from navigation "
             "until the script has finished and every chart has drawn its marks and every table its grid. The first "
             "visit of a page after the server starts is cold (its queries not yet cached); the median is of the "
             f"three visits (goal: at most {GOAL_SECONDS} s).\n",
             "| page | first visit s | median of 3 s | goal |", "|---|---|---|---|"]
    for path, seconds in timings.items():
        median = statistics.median(seconds)
        lines.append(f"| {NAMES[path]} | {seconds[0]:.2f} | {median:.2f} | "
                     f"{'meets goal' if median <= GOAL_SECONDS else 'MISSES goal'} |")
    load = os.getloadavg()[0]
    return lines + ["", f"Load average (1 min) at the end of the run: {load:.1f} on {os.cpu_count()} cores; figures taken "
                        "on a busy machine are slower than the pages are.\n"]


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
        timings = measure(db)
    lines = section(timings, rows, build_seconds, machine, f"{datetime.now():%Y-%m-%d %H:%M}")
    results = root / "bench" / "RESULTS.md"
    results.write_text(replace_section(results.read_text(encoding="utf-8"), lines), encoding="utf-8")
    print("\n".join(lines))
    return 0
