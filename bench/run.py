"""python -m bench: side-by-side figures for the ETL, the store and the dashboard, each a median
of several runs, written to bench/RESULTS.md. See issue 8 for the goals quoted (and issue 17 for
section 6). `python -m bench store` runs section 6 alone and splices it into RESULTS.md;
`python -m bench pages` (issue 19) times every page in a real browser as section 7 (bench/pages.py);
`python -m bench rows` (issue 18) loads 1k to 100k-record text appendices as section 8 (bench/rows.py);
`python -m bench cells` (issue 24) reads appendices with one enormous cell as section 9 (bench/cells.py);
`python -m bench speed` (issue 26) gives the PDF, --jobs and 100k-record figures side by side as
section 10 (bench/speed.py)."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "3"))  # fewer only for a quick look: figures are medians
PAGES = ["overview", "slippage", "recommendations", "committee", "sql", "data"]

# The process's own peak resident memory. (getrusage's ru_maxrss is no good here: Linux carries
# the forking parent's peak across exec, so every child would report at least the parent's.)
PEAK = """
def PEAK():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

BARE = (
    PEAK
    + """
import json, sys, time
started = time.perf_counter()
import pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": PEAK()}))
"""
)

ETL = (
    PEAK
    + """
import json, sys, time
started = time.perf_counter()
from etl.cli import main
code = main(["load", sys.argv[1], "--council", "Bench Council", "--db", sys.argv[2]])
assert code == 0, code
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": PEAK()}))
"""
)

# Adding one report to an existing store, end to end as a user runs it (imports, the parse worker,
# the write with its copy, refresh and rename), in a fresh process.
ADD_REPORT = (
    PEAK
    + """
import json, sys, time
started = time.perf_counter()
from etl.cli import main
code = main(["load", sys.argv[1], "--council", sys.argv[3], "--db", sys.argv[2]])
assert code == 0, code
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": PEAK()}))
"""
)

# A process that does nothing but import DuckDB and create a store: the least any process that
# writes the store can weigh, whatever the ETL does.
DUCKDB_FLOOR = (
    PEAK
    + """
import json, sys, time
started = time.perf_counter()
import duckdb
duckdb.connect(sys.argv[1]).execute("CREATE TABLE t (x INTEGER)").fetchall()
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": PEAK()}))
"""
)

# The ETL's reading and interpretation of the PDF alone, without the store.
PARSE_ONLY = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from etl.parse import parse_file
parse_file(Path(sys.argv[1]), "Bench Council")
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": PEAK()}))
"""
)

# Where the ETL's time goes: pyinstrument over a whole load (imports included), each sample
# charged to the innermost owner on its stack: pdfplumber (pdfminer beneath it), module
# imports, our functions that write the store (their time is mostly inside DuckDB, which
# Python's profiler sees as theirs), or the rest of our etl code.
PROFILE = """
import json, sys
from pyinstrument import Profiler
profiler = Profiler(interval=0.001)
profiler.start()
from etl.cli import main
assert main(["load", sys.argv[1], "--council", "Bench Council", "--db", sys.argv[2]]) == 0
profiler.stop()
shares = {}
def walk(frame, owner):
    path = frame.file_path or ""
    if "/pdfplumber/" in path or "/pdfminer/" in path:
        owner = "pdfplumber and pdfminer"
    elif "importlib" in path:
        owner = "importing modules"
    elif "/etl/" in path:
        owner = ("etl: writing the store (DuckDB)" if "/etl/store/" in path or frame.function == "match_keys"
                 else "etl: reading and interpreting")
    shares[owner] = shares.get(owner, 0.0) + frame.total_self_time
    for child in frame.children:
        if not child.is_synthetic:
            walk(child, owner)
walk(profiler.last_session.root_frame(), "other")
print(json.dumps(shares))
"""

# pdfplumber's own stages on each page, and table finding narrowed to the table's area.
STAGES = """
import json, sys, time
import pdfplumber
spent = {"objects": 0.0, "find_tables": 0.0, "extract": 0.0, "find_tables_cropped": 0.0}
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        started = time.perf_counter(); page.objects; spent["objects"] += time.perf_counter() - started
        started = time.perf_counter(); found = page.find_tables(); spent["find_tables"] += time.perf_counter() - started
        started = time.perf_counter(); whole = [t.extract() for t in found]; spent["extract"] += time.perf_counter() - started
        x0, top, x1, _ = found[0].bbox
        started = time.perf_counter()
        cropped = page.crop((x0 - 2, top - 2, x1 + 2, page.height)).find_tables()
        spent["find_tables_cropped"] += time.perf_counter() - started
        assert [t.extract() for t in cropped] == whole  # narrowing must give exactly the same cells
        page.close()
print(json.dumps(spent))
"""


def child(code: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(values) -> float:
    return statistics.median(values)


# -- appendix PDFs of a chosen length ----------------------------------------------------------
def appendix_pdf(path: Path, pages: int, variant: int = 0) -> Path:
    """A ruled-table appendix of exactly `pages` pages, its rows taken from a real seed."""
    from etl.assemble import assemble
    from etl.extract.text import extract_text
    from etl.layouts.config import load_layouts
    from tests.pdfmaker import build, table, text

    seed = assemble(extract_text(ROOT / "data/samples/000_6cc52f1d1abac4ce.txt"), load_layouts())
    header = seed.records[0].table.headers
    source = [[c.replace("\n", "<br/>") for c in r.columns] for r in seed.records]
    widths = [80, 80, 45, 55, 70, 180, 120, 150]

    def make(count: int) -> int:
        rows = [list(source[i % len(source)]) for i in range(count)]
        for i, row in enumerate(rows):
            row[0] = f"{row[0]} ({variant}-{i})"
        build(path, [text("Appendix B: Overdue audit actions as at 31 July 2024"), table(header, rows, widths)])
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)

    count = max(1, pages * 2)
    for _ in range(20):  # rows scaled in proportion to the pages they filled, then nudged by one
        got = make(count)
        if got == pages:
            return path
        scaled = round(count * pages / got)
        count = max(1, scaled if scaled != count else count + (1 if got < pages else -1))
    raise RuntimeError(f"could not lay out exactly {pages} pages")


# -- the measures ------------------------------------------------------------------------------
def etl_versus_pdfplumber(work: Path, pages: int) -> dict:
    pdf = appendix_pdf(work / f"appendix-{pages}.pdf", pages)
    runs: dict[str, list[dict]] = {"bare": [], "etl": [], "parse": [], "floor": []}
    for run in range(RUNS):
        runs["bare"].append(child(BARE, str(pdf)))
        runs["etl"].append(child(ETL, str(pdf), str(work / f"etl-{pages}-{run}.duckdb")))
        runs["parse"].append(child(PARSE_ONLY, str(pdf)))
        runs["floor"].append(child(DUCKDB_FLOOR, str(work / f"floor-{pages}-{run}.duckdb")))
    figures: dict[str, float] = {"pages": pages}
    for name, results in runs.items():
        figures[f"{name}_seconds"] = median(r["seconds"] for r in results)
        figures[f"{name}_rss_mb"] = median(r["rss_mb"] for r in results)
    return figures


def profile_load(work: Path) -> dict:
    """Where a 29-page load spends its time, and pdfplumber's own stages (medians of RUNS)."""
    pdf = work / "appendix-29.pdf"
    shares = child(PROFILE, str(pdf), str(work / "profiled.duckdb"))
    stage_runs = [child(STAGES, str(pdf)) for _ in range(RUNS)]
    stages = {name: median(r[name] for r in stage_runs) for name in stage_runs[0]}
    return {"shares": shares, "stages": stages}


def jobs_speedup(work: Path) -> dict:
    folder = work / "seven"
    folder.mkdir(exist_ok=True)
    for i in range(7):
        appendix_pdf(folder / f"appendix-{i}.pdf", 12, variant=i)
    timings: dict[int, list[float]] = {1: [], 2: []}
    for run in range(RUNS):
        for jobs in (1, 2):
            db = work / f"jobs-{jobs}-{run}.duckdb"
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "etl", "load", str(folder), "--council", "Bench Council", "--db", str(db), "--jobs", str(jobs)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            timings[jobs].append(time.perf_counter() - started)
    return {"jobs1_seconds": median(timings[1]), "jobs2_seconds": median(timings[2])}


def page_renders(stores: dict[str, Path]) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = {}
    for page in PAGES:
        for label, db in stores.items():
            os.environ["SLIPPAGE_DB"] = str(db)
            times = []
            for _ in range(RUNS):
                at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
                at.run()
                at.switch_page(f"pages/{page}.py")
                st.cache_data.clear()  # the first run drew the default page: clear again so every page is timed cold
                started = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - started)
                assert not at.exception, [e.message for e in at.exception]
            results[(page, label)] = median(times)
    return results


def view_timings(db: Path) -> dict:
    from etl.store.readonly import open_safe

    con = open_safe(db)
    queries = {
        "slippage (contract view, full scan)": "SELECT count(*), sum(revision_count), sum(days_past_original_target) FROM slippage",
        "latest_slippage": "SELECT count(*) FROM latest_slippage",
        "slippage_by_council": "SELECT * FROM slippage_by_council",
        "slippage_by_directorate": "SELECT * FROM slippage_by_directorate",
        "slippage_by_risk": "SELECT * FROM slippage_by_risk",
        "slippage_trend": "SELECT * FROM slippage_trend",
        "movement": "SELECT change, count(*) FROM movement GROUP BY ALL",
    }
    timed = {}
    for name, sql in queries.items():
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            con.sql(sql).fetchall()
            times.append(time.perf_counter() - started)
        timed[name] = median(times)
    return timed


def duckdb_versus_polars(db: Path) -> dict:
    import polars as pl

    from etl.store.readonly import open_safe

    con = open_safe(db)
    sql = (ROOT / "bench" / "rollup_from_base.sql").read_text()
    reports = con.sql("SELECT report_id, council, report_date FROM reports").pl()
    recs = con.sql("SELECT report_id, record_no, status, original_target_date FROM recommendations").pl()
    events = con.sql("SELECT report_id, record_no, seq, target_date FROM target_events WHERE in_history").pl()

    def in_polars() -> pl.DataFrame:
        labelled = events.with_columns(pl.col("target_date").dt.strftime("%Y-%m-%d").fill_null("TBC").alias("label")).sort(
            "report_id", "record_no", "seq"
        )
        changed = labelled.with_columns(pl.col("label").shift(1).over("report_id", "record_no").alias("previous"))
        revisions = changed.group_by("report_id", "record_no").agg(
            ((pl.col("previous").is_not_null()) & (pl.col("label") != pl.col("previous"))).sum().alias("revision_count")
        )
        rows = recs.join(reports, on="report_id").join(revisions, on=["report_id", "record_no"], how="left")
        rows = rows.with_columns((pl.col("report_date") - pl.col("original_target_date")).dt.total_days().alias("days"))
        return (
            rows.group_by("council")
            .agg(
                pl.len().alias("records"),
                (pl.col("status") == "open").sum().alias("open"),
                pl.col("days").filter(pl.col("status") == "open").median().alias("median_days"),
                (pl.col("revision_count").fill_null(0) >= 2).sum().alias("revised_twice"),
            )
            .sort("council")
        )

    duck, polar = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        from_sql = con.sql(sql).pl()
        duck.append(time.perf_counter() - started)
        started = time.perf_counter()
        from_polars = in_polars()
        polar.append(time.perf_counter() - started)
    same = from_sql.select("council", "records", "open", "revised_twice").equals(
        from_polars.select(
            "council", pl.col("records").cast(pl.Int64), pl.col("open").cast(pl.Int64), pl.col("revised_twice").cast(pl.Int64)
        )
    )
    return {"duckdb_seconds": median(duck), "polars_seconds": median(polar), "same_figures": same}


STORE_APPENDIX = ROOT / "data" / "samples" / "002_771e38b88e39f1cd.txt"  # 13 records


def _copy_seconds(db: Path, work: Path) -> float:
    """What copy-on-write costs: the store's bytes copied beside it and made durable."""
    copy = work / f"copy-{db.name}"
    started = time.perf_counter()
    shutil.copyfile(db, copy)
    with open(copy, "rb") as fh:
        os.fsync(fh.fileno())
    seconds = time.perf_counter() - started
    copy.unlink()
    return seconds


def store_growth(stores: dict[str, Path], work: Path) -> dict:
    """Adding one 13-record appendix to an existing council of each store, in a fresh process each
    time, on a fresh copy of the store each time; the sizes alternate run by run (side by side)."""
    import duckdb

    private = {}
    for label, db in stores.items():  # the dashboard's sections hold the originals open in this process
        private[label] = work / f"base-{label}.duckdb"
        shutil.copyfile(db, private[label])
    stores = private
    small = duckdb.connect(str(next(iter(stores.values()))), read_only=True)
    [(council,)] = small.execute(
        "SELECT council FROM recommendations JOIN reports USING (report_id) GROUP BY council ORDER BY count(*) DESC, council LIMIT 1"
    ).fetchall()  # one with history in either
    small.close()
    runs: dict[str, list[dict]] = {label: [] for label in stores}
    copies: dict[str, list[float]] = {label: [] for label in stores}
    for run in range(RUNS):
        for label, db in stores.items():
            target = work / f"add-{label}-{run}.duckdb"
            shutil.copyfile(db, target)
            runs[label].append(child(ADD_REPORT, str(STORE_APPENDIX), str(target), council))
            con = duckdb.connect(str(target), read_only=True)
            added = con.execute(
                "SELECT count(*) FROM slippage_detail d JOIN reports r USING (report_id) WHERE r.council = ? AND r.source_file = ?",
                [council, STORE_APPENDIX.name],
            ).fetchall()
            con.close()
            assert added == [(13,)], added  # the report and its council's facts are in the store
            target.unlink()
            copies[label].append(_copy_seconds(db, work))
    figures = {}
    for label, db in stores.items():
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute("SELECT count(*) FROM recommendations").fetchall()[0][0]
        history = con.execute(
            "SELECT count(*) FROM recommendations JOIN reports USING (report_id) WHERE council = ?", [council]
        ).fetchall()[0][0]
        con.close()
        figures[label] = {
            "council": council,
            "rows": rows,
            "history": history,
            "mb": db.stat().st_size / 1024 / 1024,
            "seconds": median(r["seconds"] for r in runs[label]),
            "rss_mb": median(r["rss_mb"] for r in runs[label]),
            "copy_seconds": median(copies[label]),
        }
    return figures


def store_section(small: Path, large: Path, work: Path) -> list[str]:
    figures = store_growth({"1k": small, "1M": large}, work)
    s, m = figures["1k"], figures["1M"]
    time_ratio, memory_ratio = m["seconds"] / s["seconds"], m["rss_mb"] / s["rss_mb"]
    lines = [
        "## 6. Adding a report to a growing store: 1,000,000 versus 1,000 rows\n",
        f"`python -m etl load` of a 13-record appendix (`{STORE_APPENDIX.name}`) into `{s['council']}`, an existing "
        "council with 12 reports of history in either store, in a fresh process on a fresh copy of each synthetic store, the two "
        "sizes alternating run by run. Time is from interpreter start to the end of the load (imports, the parse "
        "worker, copying the store aside, the write, the refresh of that council, the rename); peak memory is the "
        "loading process's own high-water resident set (VmHWM in /proc/self/status; the parse worker is another "
        "process). The copy column is what copy-on-write costs on its own: the store's bytes copied and fsynced.\n",
        "| store | recommendation rows | the council's rows | file MB | add one report s | peak MB | copy of the file s |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, f in figures.items():
        lines.append(
            f"| {label} | {f['rows']:,} | {f['history']:,} | {f['mb']:.0f} | {f['seconds']:.2f} | {f['rss_mb']:.0f} | "
            f"{f['copy_seconds']:.2f} |"
        )
    lines += [
        "",
        f"1M against 1k: time ratio {time_ratio:.2f} (goal at most 3: {verdict(time_ratio <= 3)}); peak memory "
        f"ratio {memory_ratio:.2f} (goal at most 1.5: {verdict(memory_ratio <= 1.5)}). Before this section's "
        "work a write rebuilt slippage_facts and movement_by_report for every council and the ratios were 38 "
        "and 13.5 (16.8 s and 1,500 MB at a million rows).\n",
    ]
    return lines


def replace_section(report: str, section: list[str]) -> str:
    """RESULTS.md with one section (from its heading to the next) replaced, or added before the end."""
    heading = section[0].split(":")[0]
    text = "\n".join(section) + "\n"
    lines = report.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        end = next((i for i, line in enumerate(lines) if line.startswith("Whole benchmark")), len(lines))
        return "".join(lines[:end]) + text + "".join(lines[end:])
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "Whole benchmark"))), len(lines))
    return "".join(lines[:start]) + text + "".join(lines[end:])


def store_only() -> int:
    """python -m bench store: section 6 alone, spliced into bench/RESULTS.md."""
    from etl.store.synth import build_synthetic_store

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="slippage-bench-store-"))
    try:
        print("building 1,000 and 1,000,000-row stores …", flush=True)
        small, large = work / "synth-1k.duckdb", work / "synth-1m.duckdb"
        build_synthetic_store(small, 1_000)
        build_synthetic_store(large, 1_000_000)
        print("6. adding a report to each …", flush=True)
        section = store_section(small, large, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return splice(section, "store", started)


def splice(section: list[str], command: str, started: float) -> int:
    """One section, run alone by `python -m bench COMMAND`, put in place in bench/RESULTS.md with
    a line saying when, where and how long, and printed."""
    section.insert(
        2,
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine()} with `python -m bench {command}` "
        f"({time.perf_counter() - started:.0f} s), alone: the other sections are from other runs.\n",
    )
    results = ROOT / "bench" / "RESULTS.md"
    results.write_text(replace_section(results.read_text(encoding="utf-8"), section), encoding="utf-8")
    print("\n".join(section))
    return 0


# -- the report --------------------------------------------------------------------------------
def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    memory = (
        int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))) / 1024 / 1024
    )
    import duckdb
    import pdfplumber
    import polars
    import streamlit

    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB; Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}, pdfplumber {pdfplumber.__version__}, polars {polars.__version__}, "
        f"streamlit {streamlit.__version__}"
    )


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES goal"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["store"]:
        return store_only()
    if args == ["pages"]:
        from bench.pages import pages_only

        return pages_only(ROOT, machine(), replace_section)
    if args == ["rows"]:
        from bench.rows import rows_only

        return rows_only()
    if args == ["cells"]:
        from bench.cells import cells_only

        return cells_only()
    if args[:1] == ["speed"] and len(args) <= 2:
        from bench.speed import speed_only

        return speed_only(Path(args[1]).resolve() if len(args) == 2 else None)
    if args:
        print("usage: python -m bench [store | pages | rows | cells | speed [EARLIER_CHECKOUT]]", file=sys.stderr)
        return 2
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="slippage-bench-"))
    lines = [
        "# Benchmarks\n",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine()}.",
        f"Every figure is the median of {RUNS} runs; each ratio compares runs made side by side in this one run.",
        "Reproduce with `python -m bench` (about ten minutes); `python -m bench store` re-runs section 6 alone.\n",
    ]
    try:
        print("1-2. ETL versus bare pdfplumber, time and peak memory …", flush=True)
        pdf_rows = [etl_versus_pdfplumber(work, pages) for pages in (10, 29, 30, 100)]
        lines += [
            "## 1-2. PDF load: ETL end to end versus bare pdfplumber `extract_tables()`\n",
            "Each in a fresh process, timed from interpreter start-up to exit of the work (imports included); "
            "the ETL parses, interprets and writes the DuckDB store. Peak memory is the process's own high-water "
            "resident set (VmHWM). Two more processes, side by side, say where the memory goes: *parse only* is "
            "the ETL's reading and interpretation without the store; *DuckDB floor* only imports DuckDB and "
            "creates a one-table store.\n",
            "| pages | pdfplumber s | ETL s | time ratio | pdfplumber MB | ETL MB | memory ratio "
            "| parse only MB (ratio) | DuckDB floor MB (ratio) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in pdf_rows:
            lines.append(
                f"| {r['pages']} | {r['bare_seconds']:.2f} | {r['etl_seconds']:.2f} | "
                f"{r['etl_seconds'] / r['bare_seconds']:.2f} | {r['bare_rss_mb']:.0f} | {r['etl_rss_mb']:.0f} | "
                f"{r['etl_rss_mb'] / r['bare_rss_mb']:.2f} | {r['parse_rss_mb']:.0f} "
                f"({r['parse_rss_mb'] / r['bare_rss_mb']:.2f}) | {r['floor_rss_mb']:.0f} "
                f"({r['floor_rss_mb'] / r['bare_rss_mb']:.2f}) |"
            )
        r29 = next(r for r in pdf_rows if r["pages"] == 29)
        time_ratio, memory_ratio = r29["etl_seconds"] / r29["bare_seconds"], r29["etl_rss_mb"] / r29["bare_rss_mb"]
        growth = next(r for r in pdf_rows if r["pages"] == 100)["etl_rss_mb"] / next(r for r in pdf_rows if r["pages"] == 10)["etl_rss_mb"]
        lines += [
            "",
            f"29 pages: time ratio {time_ratio:.2f} (goal at most 1.3: {verdict(time_ratio <= 1.3)}); "
            f"memory ratio {memory_ratio:.2f} (goal at most 1.5: {verdict(memory_ratio <= 1.5)}). "
            f"ETL peak memory at 100 pages is {growth:.2f}x that at 10 pages. "
            f"Reading and interpreting alone peaks at {r29['parse_rss_mb'] / r29['bare_rss_mb']:.2f}x bare "
            f"pdfplumber; a process that only opens a DuckDB store already weighs "
            f"{r29['floor_rss_mb'] / r29['bare_rss_mb']:.2f}x, so the rest of the ETL's peak is DuckDB's own "
            "(its library, catalogue and the queries that write the store), fixed however many pages.\n",
        ]

        print("profile of the 29-page load …", flush=True)
        profile = profile_load(work)
        total = sum(profile["shares"].values())
        lines += [
            "## Profile of the 29-page load (pyinstrument)\n",
            "Each sample charged to the innermost owner on its stack: pdfplumber/pdfminer, module imports, our "
            "functions that write the store (their time is mostly inside DuckDB, which the profiler sees as "
            "theirs), or the rest of our `etl` code (one profiled run; the profiler slows Python code, so "
            "shares, not seconds, are the figure):\n",
            "| where | share |",
            "|---|---|",
        ]
        lines += [f"| {name} | {seconds / total:.1%} |" for name, seconds in sorted(profile["shares"].items(), key=lambda item: -item[1])]
        stages = profile["stages"]
        lines += [
            "",
            "pdfplumber's own stages over the 29 pages, and table finding narrowed to the table's area "
            "(cropped from the header's top to the page foot; the cells found are asserted identical):\n",
            "| parse page objects s | find tables s | extract cells s | find tables, cropped s |",
            "|---|---|---|---|",
            f"| {stages['objects']:.2f} | {stages['find_tables']:.2f} | {stages['extract']:.2f} | {stages['find_tables_cropped']:.2f} |",
            "",
            "Table finding is a small part of pdfplumber's time and cropping makes it slower (the crop filters "
            "every object again), so the ETL keeps pdfplumber's default settings on the whole page.\n",
        ]

        print("3. --jobs 2 versus --jobs 1 …", flush=True)
        jobs = jobs_speedup(work)
        speedup = jobs["jobs1_seconds"] / jobs["jobs2_seconds"]
        lines += [
            "## 3. Parallel parsing: seven 12-page PDFs, `--jobs 2` versus `--jobs 1`\n",
            "| --jobs 1 s | --jobs 2 s | speed-up |",
            "|---|---|---|",
            f"| {jobs['jobs1_seconds']:.2f} | {jobs['jobs2_seconds']:.2f} | {speedup:.2f} |",
            "",
            f"Goal at least 1.6 on two cores: {verdict(speedup >= 1.6)}.\n",
        ]

        print("building 1,000 and 1,000,000-row stores …", flush=True)
        from etl.store.synth import build_synthetic_store

        small, large = work / "synth-1k.duckdb", work / "synth-1m.duckdb"
        small_seconds = build_synthetic_store(small, 1_000)
        large_seconds = build_synthetic_store(large, 1_000_000)

        print("4. dashboard pages on 1M versus 1k rows …", flush=True)
        renders = page_renders({"1k": small, "1M": large})
        lines += [
            "## 4. Dashboard pages (AppTest, caches cleared before each render): 1,000,000 versus 1,000 rows\n",
            f"Synthetic stores built with `python -m etl synth`: 1,000 rows in {small_seconds:.1f} s, "
            f"1,000,000 rows in {large_seconds:.1f} s (goal: well under a minute).\n",
            "| page | 1k rows s | 1M rows s | ratio | goal at most 3 |",
            "|---|---|---|---|---|",
        ]
        worst = 0.0
        for page in PAGES:
            ratio = renders[(page, "1M")] / renders[(page, "1k")]
            worst = max(worst, ratio)
            lines.append(f"| {page} | {renders[(page, '1k')]:.2f} | {renders[(page, '1M')]:.2f} | {ratio:.2f} | {verdict(ratio <= 3)} |")
        lines.append("")

        print("5. views on the 1M store …", flush=True)
        views = view_timings(large)
        compared = duckdb_versus_polars(large)
        lines += ["## 5. Views on the 1,000,000-row store\n", "| view | seconds |", "|---|---|"]
        lines += [f"| {name} | {seconds:.3f} |" for name, seconds in views.items()]
        lines += [
            "",
            "The same per-council roll-up (records, open, median days past original target, revised twice or "
            "more, with revisions counted from target_events) computed from the base tables:\n",
            "| DuckDB s | polars s | polars / DuckDB | same figures |",
            "|---|---|---|---|",
            f"| {compared['duckdb_seconds']:.3f} | {compared['polars_seconds']:.3f} | "
            f"{compared['polars_seconds'] / compared['duckdb_seconds']:.2f} | {compared['same_figures']} |",
            "",
        ]

        print("6. adding a report to each store …", flush=True)
        lines += store_section(small, large, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    results = ROOT / "bench" / "RESULTS.md"
    whole = f"Whole benchmark: {time.perf_counter() - started:.0f} s for sections 1-6.\n"
    print(report)
    kept = later_sections(results.read_text(encoding="utf-8")) if results.exists() else ""
    results.write_text(report + kept + whole, encoding="utf-8")
    from bench.speed import speed_only

    print("10. issue 26's three figures …", flush=True)
    return speed_only()  # so that `python -m bench` gives them side by side too, with the machine's load


def later_sections(report: str) -> str:
    """The sections a full run does not make (7 on, each from a run of its own command), kept."""
    lines = report.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _section_number(line) >= 7), None)
    if start is None:
        return ""
    return "".join(line for line in lines[start:] if not line.startswith("Whole benchmark"))


def _section_number(line: str) -> int:
    """7 for "## 7. Every page …"; 0 for any other line."""
    found = re.match(r"## (\d+)\.", line)
    return int(found.group(1)) if found else 0
