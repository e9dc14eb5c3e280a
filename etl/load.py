"""Loading files into the store, and taking a report out: orchestration only. Planning is
etl/plan.py, parsing etl/parallel.py, writing etl/store/. Each file is one transaction; a file
loaded before (same content) is not even parsed; every file ends with an outcome."""
from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.failures import Failed, first_line
from etl.interpret.report import ParsedReport
from etl.parallel import PagesCallback, ParseLimits, parse_all
from etl.parse import content_hash
from etl.plan import Job, plan
from etl.store.derived import end_scope, unbounded
from etl.store.store import Store
from etl.store.writes import delete_report, find_report, known_reports, log_attempt, report_facts, store_report

T = TypeVar("T")


@dataclass
class Outcome:
    file: Path
    outcome: str          # loaded | unchanged | replaced | failed | removed
    message: str
    records: int = 0
    council: str | None = None
    report_date: date | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def line(self) -> str:
        """One line per file, whatever its name: characters in the name that do not print (a
        newline, a carriage return, an escape, a direction override) are written as escapes, so
        a name can neither start a new line nor rewrite the terminal."""
        name = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(self.file))
        return f"{self.outcome:<9} {name}: {self.message}"


# Parsed reports wait for the write in batches of about this many records: the store's write lock
# is taken once per batch, only to write, so parsing never holds up another load or a removal,
# and a batch's reports are all that is held in memory at once.
WRITE_BATCH_RECORDS = 50_000


@dataclass
class _Read:
    """One file ready for the write: its parsed report, its failure, or the report it repeats."""
    job: Job
    result: ParsedReport | Failed | None
    seconds: float = 0.0
    digest: str | None = None
    known_as: int | None = None


def load(paths: list[Path], db: Path, council: str | None = None, as_at: date | None = None,
         manifest: Path | None = None, jobs: int = 1, loaded_by: str | None = None,
         on_outcome: Callable[[Outcome], object] | None = None,
         on_pages: PagesCallback | None = None, limits: ParseLimits | None = None) -> list[Outcome]:
    """Load files into the store; every file gets an outcome, failures included. Files are read
    (hashed, parsed and checked) before the store's write lock is taken; the lock is held only
    while a batch of them is written."""
    loaded_by = loaded_by or _os_user()
    planned = plan(paths, council, as_at, manifest)  # a ManifestError stops the load before it starts
    outcomes: list[Outcome] = []

    def finish(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    known = _known_reports(db)
    batch: list[_Read] = []
    to_parse = []
    for job in planned:
        digest = content_hash(job.path) if job.problem is None else None
        if digest in known:  # a file loaded before: nothing to parse, nothing to change
            batch.append(_Read(job, None, digest=digest, known_as=known[digest]))
        else:
            to_parse.append(job)
    for job, result, seconds in parse_all(to_parse, jobs, on_pages, limits):
        batch.append(_Read(job, result, seconds))
        if sum(len(r.result.records) for r in batch if isinstance(r.result, ParsedReport)) >= WRITE_BATCH_RECORDS:
            _write_batch(db, batch, loaded_by, finish)
            batch = []
    if batch or not planned:
        _write_batch(db, batch, loaded_by, finish)
    return outcomes


def _known_reports(db: Path) -> dict[str, int]:
    """report_id by content hash, read without the write lock (a write renames a new file into
    place, so a reader always sees a whole store); none when there is no store to read yet, or it
    cannot be read now (the write says why)."""
    if not db.exists():
        return {}
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return {}
    try:
        return known_reports(con)
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _write_batch(db: Path, batch: list[_Read], loaded_by: str, finish: Callable[[Outcome], None]) -> None:
    """Files already read, written under the write lock: each its own transaction and log line."""
    with Store(db).writing() as con:
        for read in batch:
            _write_one(con, read, loaded_by, finish)


def _write_one(con: duckdb.DuckDBPyConnection, read: _Read, loaded_by: str, finish: Callable[[Outcome], None]) -> None:
    job, result, seconds = read.job, read.result, read.seconds
    if read.known_as is not None:
        message = f"already loaded (same content as report {read.known_as}); nothing changed"
        log_attempt(con, job.path.name, "unchanged", message, loaded_by=loaded_by, content_hash=read.digest,
                    council=job.settings.council, report_id=read.known_as)
        finish(Outcome(job.path, "unchanged", message, council=job.settings.council))
        return
    if not isinstance(result, ParsedReport):
        message = (result.message if result else "").strip() or "could not be read (no reason was given)"
        log_attempt(con, job.path.name, "failed", message, seconds=seconds, loaded_by=loaded_by)
        finish(Outcome(job.path, "failed", message, council=job.settings.council))
        return
    report: ParsedReport = result

    def write() -> tuple[str, str]:
        state, message, report_id = store_report(con, report, loaded_by)
        log_attempt(con, job.path.name, state, message, seconds=seconds, loaded_by=loaded_by,
                    report_id=report_id, **report_facts(report))
        return state, message
    try:
        # the report, its council's facts and movements recomputed, and its log line: one transaction
        state, message = in_one_transaction(con, write)
        finish(Outcome(job.path, state, message, len(report.records), report.council, report.report_date))
    except Exception as exc:  # any fault in one file's write (a DuckDB error or ours) fails that file only
        _roll_back(con)
        message = f"not stored: {first_line(exc)}"
        log_attempt(con, job.path.name, "failed", message, seconds=seconds, loaded_by=loaded_by, **report_facts(report))
        finish(Outcome(job.path, "failed", message, council=report.council))


def in_one_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """work() in one transaction. Its refresh runs in bounded memory; should DuckDB run out of it,
    the transaction is rolled back and run once more without the bound, so a load never fails for it."""
    for bounded in (True, False):
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            if bounded:
                done = work()
            else:
                with unbounded():
                    done = work()
            con.execute("COMMIT").fetchall()
            return done
        except duckdb.OutOfMemoryException:
            if not bounded:
                raise
            _roll_back(con)
    raise AssertionError("unreachable")


def _roll_back(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the failed file's transaction; the write goes on with the next file."""
    with contextlib.suppress(duckdb.TransactionException):  # it failed before its transaction began
        con.execute("ROLLBACK").fetchall()
    end_scope(con)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def remove_report(db: Path, report_id: int, removed_by: str) -> Outcome:
    """Take one report out of the store, leaving a line in ingest_log."""
    with Store(db).writing() as con:
        found = find_report(con, report_id)
        if found is None:
            return Outcome(Path(f"report {report_id}"), "failed", "no such report")
        source_file, council, report_date, digest, records = found
        message = f"removed report {report_id} ({council}, report date {report_date}, {records} records)"

        def remove() -> None:  # the report, its council recomputed, and the log line: one transaction
            delete_report(con, report_id)
            log_attempt(con, source_file, "removed", message, loaded_by=removed_by, content_hash=digest, council=council,
                        report_date=report_date, report_id=report_id, records=records)
        in_one_transaction(con, remove)
    return Outcome(Path(source_file), "removed", message, records, council, report_date)
