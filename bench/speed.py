"""python -m bench speed: the three figures of issue 26 side by side in one run, each with the
machine's load average as it was measured (a busy machine stretches every figure; the ratios
compare runs made one after the other, so they suffer least), and where the time goes.

1. `etl load` of a 29-page PDF against bare pdfplumber `extract_tables()` on the same file,
   each in a fresh process from interpreter start to exit (goal: at most 1.2).
2. Seven 12-page PDFs loaded with `--jobs 1` against `--jobs 2` (goal: at least 1.8).
3. A 100,000-record text appendix (about 90 MB) loaded by `etl load` (goal: under 60 s, and under
   1 GB at the peak, counted over the loading process and every worker and fork server it starts).

Spliced into bench/RESULTS.md as section 10, with pyinstrument profiles of each load beside bare
pdfplumber's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.rows import text_appendix
from bench.run import ROOT, RUNS, appendix_pdf, median, splice, verdict

RECORDS = 100_000
PROFILED_RECORDS = 20_000  # reading is linear in rows (section 8): the profile's shares hold at 100,000
SAMPLE_SECONDS = 0.1

BARE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
"""

# A whole load under pyinstrument in every process it runs: the loading process profiled here,
# and the parse itself profiled in this process too (the worker's share of a load), since the
# profiler cannot follow the work into the worker process.
PROFILE = """
import json, sys
from pathlib import Path
from pyinstrument import Profiler
what, source, db = sys.argv[1:4]
profiler = Profiler(interval=0.002)
profiler.start()
if what == "bare":
    import pdfplumber
    with pdfplumber.open(source) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
elif what == "load":
    from etl.cli import main
    assert main(["load", source, "--council", "Bench Council", "--db", db]) == 0
else:
    from etl.parse import parse_file
    parse_file(Path(source), "Bench Council")
profiler.stop()
rows = []
def walk(frames, depth):
    # calls from one place (a page each, say) are one row: pyinstrument keeps them apart
    groups = {}
    for frame in frames:
        groups.setdefault((frame.function, frame.file_path or "", frame.line_no), []).append(frame)
    for (function, path, line), same in groups.items():
        spent = sum(frame.time for frame in same)
        if spent < profiler.last_session.duration * 0.03 or depth > 12:
            continue
        hidden = any(frame.is_synthetic for frame in same) or "importlib" in path  # an import's machinery
        if not hidden:
            short = (same[0].file_path_short or "").split("site-packages/")[-1]
            rows.append((depth, function, short, line, spent))
        walk([child for frame in same for child in frame.children], depth if hidden else depth + 1)
walk([profiler.last_session.root_frame()], 0)
print(json.dumps({"seconds": profiler.last_session.duration, "rows": rows}))
"""


def _tree(root: int) -> list[int]:
    """The process and every process below it (the fork server and its workers included)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _resident_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def timed(args: list[str], tree: Path = ROOT) -> dict:
    """A command run in a checkout to its end: seconds, the peak of the resident memory summed
    over its whole process tree (sampled), and the load average when it ended."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _resident_mb(_tree(process.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {errors.decode(errors='replace')[-500:]}")
    return {"seconds": seconds, "peak_mb": peak, "load": os.getloadavg()[0]}


def _etl_load(source: Path, db: Path, *more: str) -> list[str]:
    db.unlink(missing_ok=True)
    return [sys.executable, "-m", "etl", "load", str(source), "--council", "Bench Council", "--db", str(db), *more]


def measure(work: Path, trees: dict[str, Path]) -> dict[str, dict[str, list[dict]]]:
    """Every figure's runs for each checkout of the code, the kinds and the checkouts taking
    turns run by run."""
    pdf = appendix_pdf(work / "appendix-29.pdf", 29)
    seven = work / "seven"
    seven.mkdir()
    for i in range(7):
        appendix_pdf(seven / f"appendix-{i}.pdf", 12, variant=i)
    text = text_appendix(work / "appendix-100k.txt", RECORDS)
    runs: dict[str, dict[str, list[dict]]] = {label: {name: [] for name in ("bare", "etl", "jobs1", "jobs2", "text")} for label in trees}
    for run in range(RUNS):
        for label, tree in trees.items():
            print(f"10. run {run + 1} of {RUNS}, {label} …", flush=True)
            figures = runs[label]
            figures["bare"].append(timed([sys.executable, "-c", BARE, str(pdf)], tree))
            figures["etl"].append(timed(_etl_load(pdf, work / "pdf.duckdb"), tree))
            figures["jobs1"].append(timed(_etl_load(seven, work / "jobs.duckdb", "--jobs", "1"), tree))
            figures["jobs2"].append(timed(_etl_load(seven, work / "jobs.duckdb", "--jobs", "2"), tree))
            figures["text"].append(timed(_etl_load(text, work / "text.duckdb"), tree))
    return runs


def profiles(work: Path) -> dict[str, dict]:
    """One pyinstrument profile of each: bare pdfplumber, the 29-page load and its parse, the
    100,000-record load and its parse."""
    pdf, text = work / "appendix-29.pdf", text_appendix(work / "appendix-profiled.txt", PROFILED_RECORDS)
    records = f"{PROFILED_RECORDS:,} records"
    wanted = {
        "bare pdfplumber, 29 pages": ("bare", pdf),
        "etl load, 29 pages (loading process)": ("load", pdf),
        "its parse of 29 pages, as the worker runs it": ("parse", pdf),
        f"etl load, {records} (loading process)": ("load", text),
        f"its parse of {records}, as the worker runs it": ("parse", text),
    }
    found = {}
    for title, (what, source) in wanted.items():
        (work / "profiled.duckdb").unlink(missing_ok=True)
        result = subprocess.run(
            [sys.executable, "-c", PROFILE, what, str(source), str(work / "profiled.duckdb")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        found[title] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def _figure(runs: list[dict], key: str = "seconds") -> str:
    return f"{median(r[key] for r in runs):.2f}"


def _loads(runs: list[dict]) -> str:
    return ", ".join(f"{r['load']:.1f}" for r in runs)


def figures_table(runs: dict[str, dict[str, list[dict]]]) -> list[str]:
    labels = {
        "bare": "bare pdfplumber `extract_tables()`, 29 pages",
        "etl": "`etl load`, 29 pages",
        "jobs1": "seven 12-page PDFs, `--jobs 1`",
        "jobs2": "seven 12-page PDFs, `--jobs 2`",
        "text": f"`etl load`, a {RECORDS:,}-record text appendix",
    }
    lines = ["| code | what | median s | peak MB (whole process tree) | load average at each run's end |", "|---|---|---|---|---|"]
    lines += [
        f"| {label} | {labels[name]} | {_figure(results)} | {_figure(results, 'peak_mb')} | {_loads(results)} |"
        for label, figures in runs.items()
        for name, results in figures.items()
    ]
    lines += [
        "",
        "| code | `etl load` ÷ bare pdfplumber, 29 pages (goal at most 1.2) | `--jobs 1` ÷ `--jobs 2` "
        f"(goal at least 1.8) | {RECORDS:,} records s (goal under 60) | {RECORDS:,} records peak MB "
        "(goal under 1,000) |",
        "|---|---|---|---|---|",
    ]
    for label, figures in runs.items():
        seconds = {name: median(r["seconds"] for r in results) for name, results in figures.items()}
        pdf_ratio, speedup = seconds["etl"] / seconds["bare"], seconds["jobs1"] / seconds["jobs2"]
        peak = median(r["peak_mb"] for r in figures["text"])
        lines.append(
            f"| {label} | {pdf_ratio:.2f}: {verdict(pdf_ratio <= 1.2)} | {speedup:.2f}: {verdict(speedup >= 1.8)} "
            f"| {seconds['text']:.1f}: {verdict(seconds['text'] < 60)} | {peak:.0f}: {verdict(peak < 1000)} |"
        )
    return lines + [""]


def profile_tables(found: dict[str, dict]) -> list[str]:
    lines = [
        "Profiles (pyinstrument, one run each; frames under 3% of the run left out; the profiler slows "
        "Python code, so read shares, not seconds). The parse runs in a worker, which the profiler of the "
        "loading process sees only as waiting, so each load's parse is profiled again in a process of its own:\n"
    ]
    for title, profile in found.items():
        lines += [f"**{title}** ({profile['seconds']:.1f} s profiled)\n", "```"]
        lines += [
            f"{'  ' * depth}{share / profile['seconds']:6.1%}  {function}  {path}:{line}"
            for depth, function, path, line, share in profile["rows"]
        ]
        lines += ["```", ""]
    return lines


def speed_only(before: Path | None = None) -> int:
    """python -m bench speed [EARLIER_CHECKOUT]: section 10 alone, spliced into bench/RESULTS.md;
    given another checkout of the code (a `git archive` of an earlier commit, say), its runs
    take turns with this one's."""
    started = time.perf_counter()
    trees = {"this checkout": ROOT, **({f"before ({before})": before} if before else {})}
    work = Path(tempfile.mkdtemp(prefix="slippage-bench-speed-"))
    try:
        runs = measure(work, trees)
        print("10. profiles …", flush=True)
        found = profiles(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    section = [
        "## 10. Issue 26's three figures side by side\n",
        "Each a fresh `python -m etl load` (or a bare pdfplumber script) from interpreter start to exit, the five "
        f"(and the checkouts compared) taking turns run by run, median of {RUNS}. Peak memory is the resident "
        "memory of the command's whole process tree (the loading process, the fork server and its workers), "
        f"sampled every {SAMPLE_SECONDS} s. The load average is the machine's one-minute figure as each run "
        "ended: above the core count, other work was sharing the cores and every figure is stretched.\n",
    ]
    section += figures_table(runs) + profile_tables(found)
    return splice(section, "speed", started)
