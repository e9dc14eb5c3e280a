"""python -m bench rows: a text appendix of 1,000, 10,000 and 100,000 records loaded end to end,
each in a fresh process, to show that reading is linear in rows (issue 18: it was quadratic, a
sort inside the assembler's per-row loop). Spliced into bench/RESULTS.md as section 8."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import ROOT, RUNS, median, splice, verdict

SIZES = (1_000, 10_000, 100_000)
SEED = ROOT / "data" / "samples" / "000_6cc52f1d1abac4ce.txt"


def text_appendix(path: Path, records: int) -> Path:
    """The seed's preamble and header, then `records` rows cycled from its own (each title made
    unique, so every row is its own recommendation): rows as long as a real appendix's."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Audit\t"))
    body = [line.split("\t") for line in lines[header + 1 :] if line.count("\t") >= 6]
    rows = ("\t".join([f"{cells[0]} ({i})", *cells[1:]]) for i, cells in ((i, body[i % len(body)]) for i in range(records)))
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join(lines[: header + 1]) + "\n")
        for row in rows:
            out.write(row + "\n")
    return path


def load_seconds(source: Path, db: Path) -> float:
    """`python -m etl load` in a fresh process into a new store, timed from start to exit."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "etl", "load", str(source), "--council", "Bench Council", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def rows_section() -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="slippage-bench-rows-"))
    try:
        timings = {}
        for records in SIZES:
            source = text_appendix(work / f"appendix-{records}.txt", records)
            print(f"8. loading {records:,} records …", flush=True)
            timings[records] = (source.stat().st_size, median([load_seconds(source, work / "store.duckdb") for _ in range(RUNS)]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    smallest, largest = SIZES[0], SIZES[-1]
    rate = {records: records / seconds for records, (_, seconds) in timings.items()}
    kept = rate[largest] / rate[smallest]
    hundred_k = timings[largest][1]
    lines = [
        "## 8. Reading is linear in rows: a text appendix of 1,000 to 100,000 records\n",
        "`python -m etl load` of one text appendix into a new store, in a fresh process (start-up, reading, "
        f"interpretation and the store's write all counted), median of {RUNS}. Rows are cycled from a real "
        "sample's, about 900 characters each.\n",
        "| records | file MB | load s | records per second |",
        "|---|---|---|---|",
    ]
    lines += [f"| {records:,} | {size / 1e6:.1f} | {seconds:.2f} | {rate[records]:,.0f} |" for records, (size, seconds) in timings.items()]
    lines += [
        "",
        f"Records per second at {largest:,} are {kept:.2f}x those at {smallest:,} (the fixed start-up cost "
        f"is spread over more rows, so linear reading shows as 1 or more; the old quadratic reader's figures in "
        f"issue 18, 10,000 rows in 9 s and 100,000 in 560 s, give 0.16 over ten times the rows). "
        f"{largest:,} records load in {hundred_k:.0f} s (goal: well under a minute, taken as under 45 s: "
        f"{verdict(hundred_k < 45)}).\n",
    ]
    return lines


def rows_only() -> int:
    started = time.perf_counter()
    return splice(rows_section(), "rows", started)
