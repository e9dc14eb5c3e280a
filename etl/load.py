"""Loading parsed reports into the store: one transaction per file, idempotent by content hash.

The store is never written in place. A load copies the database beside itself, loads into the
copy and renames the copy over the original, so a reader keeps a consistent file open, a load
never waits on a reader, and a load killed half-way leaves the previous database untouched."""
from __future__ import annotations

import fcntl
import getpass
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from etl.extract.rows import ExtractError
from etl.identity import match_keys
from etl.manifest import FileSettings, ManifestError, read_manifest
from etl.parse import SUPPORTED_SUFFIXES, ParsedReport, ParseError, content_hash, parse_file
from etl.store.store import apply_schema, refresh_marts


@dataclass
class Outcome:
    file: Path
    outcome: str          # loaded | unchanged | replaced | failed
    message: str
    records: int = 0
    council: str | None = None
    report_date: date | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def line(self) -> str:
        return f"{self.outcome:<9} {self.file}: {self.message}"


@dataclass
class Job:
    path: Path
    settings: FileSettings
    problem: str | None = None


def _walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith(".") and child.suffix.lower() != ".toml":
                yield child
    else:
        yield path


def plan(paths: list[Path], council: str | None, as_at: date | None,
         manifest: Path | None) -> list[Job]:
    """Files to load with their settings: command line over manifest; a folder's manifest.toml
    is read when no manifest is named."""
    manifests: dict[Path, FileSettings] = {}
    if manifest is not None:
        manifests.update(read_manifest(manifest))
    jobs = []
    for given in paths:
        if manifest is None and given.is_dir() and (given / "manifest.toml").exists():
            manifests.update(read_manifest(given / "manifest.toml"))
        if not given.exists():
            jobs.append(Job(given, FileSettings(), "no such file or folder"))
            continue
        for file in _walk(given):
            listed = manifests.get(file.resolve(), FileSettings())
            settings = FileSettings(council or listed.council, as_at or listed.as_at, listed.title)
            problem = None
            if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                problem = f"unsupported file type {file.suffix or '(none)'}: use .pdf, .txt, .md or .html"
            elif not settings.council:
                problem = "no council given: use --council NAME, a manifest entry, or the Data page's upload form"
            jobs.append(Job(file, settings, problem))
    return jobs


PagesCallback = Callable[[str, int, int], None]
MIN_PAGES_PER_TASK = 4     # small enough that two workers share even a short document evenly
MAX_TASKS_PER_DOCUMENT = 8  # each task reopens the PDF, at a cost that grows with its length


def _parse(job: Job, on_pages: PagesCallback | None = None, pdf_pages: list | None = None) -> ParsedReport | str:
    """Parse one file; a failure comes back as its one-line reason (never a traceback)."""
    if job.problem:
        return job.problem
    progress = (lambda done, total: on_pages(str(job.path), done, total)) if on_pages else None
    try:
        return parse_file(job.path, job.settings.council or "", job.settings.as_at, job.settings.title, progress,
                          pdf_pages=pdf_pages)
    except ParseError as exc:
        return str(exc)
    except Exception as exc:  # a bad file must never take the whole load down
        return _unexpected(exc)


def _read_pages(path: Path, first: int, last: int) -> list | str:
    """Worker task: a run of a PDF's pages, or the one-line reason they cannot be read."""
    from etl.extract.pdf import read_pages
    try:
        return read_pages(path, first, last)
    except ExtractError as exc:
        return str(exc)
    except Exception as exc:
        return _unexpected(exc)


def _unexpected(exc: Exception) -> str:
    return f"could not be read ({type(exc).__name__}: {exc})"


def _page_runs(job: Job) -> list[tuple[int, int]] | None:
    """A PDF's pages cut into tasks for the workers; None for a file parsed whole (text, or a
    PDF that does not open, where parsing it whole gives the reason)."""
    if job.problem or job.path.suffix.lower() != ".pdf" or not job.path.is_file() or not job.path.stat().st_size:
        return None
    from etl.extract.pdf import page_count
    try:
        total = page_count(job.path)
    except ExtractError:
        return None
    size = max(MIN_PAGES_PER_TASK, -(-total // MAX_TASKS_PER_DOCUMENT))
    return [(first, min(first + size - 1, total)) for first in range(1, total + 1, size)]


def _page_counter(name: str, total: int, on_pages: PagesCallback) -> Callable[[int], None]:
    """Adds up a file's pages as its tasks finish (in the pool's thread, or here when a task is
    done before its callback is set) and reports the running total."""
    done, lock = 0, threading.Lock()

    def finished(pages: int) -> None:
        nonlocal done
        with lock:
            done += pages
            on_pages(name, done, total)
    return finished


def parse_all(jobs: list[Job], workers: int, on_pages: PagesCallback | None = None
              ) -> Iterator[tuple[Job, ParsedReport | str, float]]:
    """Parsed files in the order given. With workers > 1, PDFs are read a few pages per task in
    that many processes (so two workers share one long document as well as many short ones) and
    each file is interpreted here as soon as all its pages are in."""
    if workers <= 1:
        for job in jobs:
            started = time.perf_counter()
            yield job, _parse(job, on_pages), time.perf_counter() - started
        return
    # Workers fork from a clean server process with the parser imported, never from this one:
    # this one has DuckDB's threads running, and forking a threaded process can deadlock.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["etl.parse", "etl.extract.pdf", "pdfplumber"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        submitted = []
        for job in jobs:
            started = time.perf_counter()
            runs = _page_runs(job)
            if runs is None:
                submitted.append((job, started, False, [pool.submit(_parse, job)]))
                continue
            counter = _page_counter(str(job.path), runs[-1][1], on_pages) if on_pages else None
            futures = []
            for first, last in runs:
                futures.append(pool.submit(_read_pages, job.path, first, last))
                if counter:
                    futures[-1].add_done_callback(lambda _, pages=last - first + 1: counter(pages))
            submitted.append((job, started, True, futures))
        for job, started, by_pages, futures in submitted:
            results = [future.result() for future in futures]
            if by_pages:
                failure = next((r for r in results if isinstance(r, str)), None)
                result = failure or _parse(job, pdf_pages=[page for run in results for page in run])
            else:
                result = results[0]
            yield job, result, time.perf_counter() - started


@contextmanager
def working_copy(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the store, renamed over it when the block ends without error."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one loader at a time; readers never wait
        for stale in db.parent.glob(db.name + ".*.loading*"):  # left by a load that was killed
            stale.unlink(missing_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=db.name + ".", suffix=".loading", dir=db.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if db.exists():
                shutil.copyfile(db, tmp)
            else:
                tmp.unlink()
            con = duckdb.connect(str(tmp))
            con.execute("SET enable_progress_bar = false").fetchall()  # a load prints its own progress
            try:
                apply_schema(con)
                yield con
                refresh_marts(con)
                con.execute("CHECKPOINT").fetchall()
            finally:
                con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, db)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], report_id: int) -> None:
    """Insert a report's rows in one statement, each column bound as a list and unnested:
    25 times quicker than a statement per row, and a load need not import a dataframe library
    (it would double its memory)."""
    if not rows:
        return
    columns = ["report_id", *rows[0]]
    values = [[report_id] * len(rows), *([row[column] for row in rows] for column in rows[0])]
    unnested = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {unnested}", values).fetchall()


def _log(con, file: Path, outcome: str, message: str, seconds: float, loaded_by: str,
         report: ParsedReport | None = None, report_id: int | None = None) -> None:
    con.execute(
        "INSERT INTO ingest_log (attempted_at, source_file, content_hash, council, report_date, report_id,"
        " outcome, message, records, seconds, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(), file.name, report.content_hash if report else None, report.council if report else None,
         report.report_date if report else None, report_id, outcome, message,
         len(report.records) if report else None, round(seconds, 3), loaded_by]).fetchall()


def store_report(con: duckdb.DuckDBPyConnection, report: ParsedReport, loaded_by: str) -> tuple[str, str, int | None]:
    """Write one parsed report in the current transaction: (outcome, message, report_id)."""
    same = con.execute("SELECT report_id FROM reports WHERE content_hash = ?", [report.content_hash]).fetchall()
    if same:
        return "unchanged", f"already loaded (same content as report {same[0][0]}); nothing changed", same[0][0]
    replaced = con.execute(
        "SELECT report_id, source_file FROM reports WHERE council = ? AND report_date = ?",
        [report.council, report.report_date]).fetchall()
    for old_id, _ in replaced:
        for table in ("parse_warnings", "target_events", "recommendations", "reports"):
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [old_id]).fetchall()
    report_id = con.execute(
        "INSERT INTO reports (council, title, report_date, report_date_source, source_file, content_hash,"
        " parser, pages, record_count, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING report_id",
        [report.council, report.title, report.report_date, report.report_date_source, report.source_file,
         report.content_hash, report.parser, report.pages, len(report.records), datetime.now(), loaded_by],
    ).fetchall()[0][0]
    match_keys(con, report.council, report.records)
    _insert(con, "recommendations", report.records, report_id)
    _insert(con, "target_events", report.events, report_id)
    _insert(con, "parse_warnings", report.warnings, report_id)
    summary = (f"{len(report.records)} records, {report.council}, report date {report.report_date}"
               f" ({report.report_date_source})")
    if report.warnings:
        summary += f", {len(report.warnings)} warnings"
    if replaced:
        olds = ", ".join(f"report {rid} from {name}" for rid, name in replaced)
        return "replaced", f"{summary}; replaces {olds} (same council and report date)", report_id
    return "loaded", summary, report_id


def load(paths: list[Path], db: Path, council: str | None = None, as_at: date | None = None,
         manifest: Path | None = None, jobs: int = 1, loaded_by: str | None = None,
         on_outcome: Callable[[Outcome], None] | None = None,
         on_pages: PagesCallback | None = None) -> list[Outcome]:
    """Load files into the store; every file gets an outcome, failures included."""
    loaded_by = loaded_by or _os_user()
    try:
        planned = plan(paths, council, as_at, manifest)
    except ManifestError as exc:
        planned = [Job(manifest or Path("manifest.toml"), FileSettings(), str(exc))]
    outcomes: list[Outcome] = []
    with working_copy(db) as con:
        known = dict(con.execute("SELECT content_hash, report_id FROM reports").fetchall())
        to_parse = []
        for job in planned:
            digest = content_hash(job.path) if job.problem is None else None
            if digest in known:  # a file loaded before: nothing to parse, nothing to change
                message = f"already loaded (same content as report {known[digest]}); nothing changed"
                con.execute("INSERT INTO ingest_log (attempted_at, source_file, content_hash, council, report_id,"
                            " outcome, message, seconds, loaded_by) VALUES (?, ?, ?, ?, ?, 'unchanged', ?, 0, ?)",
                            [datetime.now(), job.path.name, digest, job.settings.council, known[digest], message,
                             loaded_by]).fetchall()
                outcomes.append(Outcome(job.path, "unchanged", message, council=job.settings.council))
                if on_outcome:
                    on_outcome(outcomes[-1])
            else:
                to_parse.append(job)
        for job, result, seconds in parse_all(to_parse, jobs, on_pages):
            if isinstance(result, str):
                outcome = Outcome(job.path, "failed", result, council=job.settings.council)
                _log(con, job.path, "failed", result, seconds, loaded_by)
            else:
                try:
                    con.execute("BEGIN TRANSACTION").fetchall()
                    state, message, report_id = store_report(con, result, loaded_by)
                    _log(con, job.path, state, message, seconds, loaded_by, result, report_id)
                    con.execute("COMMIT").fetchall()
                    outcome = Outcome(job.path, state, message, len(result.records), result.council,
                                      result.report_date)
                except duckdb.Error as exc:
                    con.execute("ROLLBACK").fetchall()
                    message = f"not stored: {str(exc).splitlines()[0]}"
                    _log(con, job.path, "failed", message, seconds, loaded_by, result)
                    outcome = Outcome(job.path, "failed", message, council=result.council)
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def remove_report(db: Path, report_id: int, removed_by: str) -> Outcome:
    """Take one report out of the store (on a copy, swapped in), leaving a line in ingest_log."""
    with working_copy(db) as con:
        found = con.execute("SELECT source_file, council, report_date, content_hash, record_count FROM reports "
                            "WHERE report_id = ?", [report_id]).fetchall()
        if not found:
            return Outcome(Path(f"report {report_id}"), "failed", "no such report")
        source_file, council, report_date, digest, records = found[0]
        message = f"removed report {report_id} ({council}, report date {report_date}, {records} records)"
        con.execute("BEGIN TRANSACTION").fetchall()
        for table in ("parse_warnings", "target_events", "recommendations", "reports"):
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id]).fetchall()
        con.execute("INSERT INTO ingest_log (attempted_at, source_file, content_hash, council, report_date, report_id,"
                    " outcome, message, records, seconds, loaded_by) VALUES (?, ?, ?, ?, ?, ?, 'removed', ?, ?, 0, ?)",
                    [datetime.now(), source_file, digest, council, report_date, report_id, message, records,
                     removed_by]).fetchall()
        con.execute("COMMIT").fetchall()
    return Outcome(Path(source_file), "removed", message, records, council, report_date)
