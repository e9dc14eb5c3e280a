"""Loading files into the store, and taking a report out: orchestration only. Planning is
etl/plan.py, parsing etl/parallel.py, writing etl/store/. Each file is one transaction; a file
loaded before (same content) is not even parsed; every file ends with an outcome."""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.failures import Failed, first_line
from etl.interpret.report import ParsedReport
from etl.outcomes import LoadOutcome
from etl.parallel import PagesCallback, ParseLimits, parse_all
from etl.parse import content_hash
from etl.plan import Job, plan
from etl.store import layout_overrides
from etl.store.derived import end_scope, unbounded
from etl.store.store import Draft, Store
from etl.store.writes import (
    ReportFacts,
    delete_reports,
    find_report,
    keep_source,
    known_reports,
    loaded_before,
    log_attempt,
    report_facts,
    store_report,
)
from etl.wording import printable

T = TypeVar("T")


@dataclass
class Outcome:
    file: Path
    outcome: LoadOutcome
    message: str
    records: int = 0
    council: str | None = None
    report_date: date | None = None
    warnings: int = 0  # parse_warnings rows written for the file
    doubts: int = 0  # of which doubts about the whole document (field 'document')

    @property
    def ok(self) -> bool:
        return self.outcome != LoadOutcome.FAILED

    def line(self) -> str:
        """One line per file, whatever its name (etl/wording.py printable)."""
        return f"{self.outcome:<9} {printable(str(self.file))}: {self.message}"


class _NothingToKeep(Exception):
    """Raised inside a load's write to drop it: nothing was loaded into a store that did not exist."""


# Parsed reports are written in batches of about this many records: the store's write lock is
# taken once per batch, only to put the batch's draft in place (or to write the batch again, should
# another write have come first), so parsing never holds up another load or a removal, and a
# batch's reports are all that is held in memory at once.
WRITE_BATCH_RECORDS = 50_000


@dataclass
class _Read:
    """One file ready for the write: its parsed report, its failure, or the report it repeats."""

    job: Job
    result: ParsedReport | Failed | None
    seconds: float = 0.0
    known_as: int | None = None  # the report holding the same content, known before the write


def load(
    paths: list[Path],
    db: Path,
    council: str | None = None,
    as_at: date | None = None,
    manifest: Path | None = None,
    jobs: int = 1,
    loaded_by: str | None = None,
    on_outcome: Callable[[Outcome], object] | None = None,
    on_pages: PagesCallback | None = None,
    limits: ParseLimits | None = None,
    on_plan: Callable[[int], object] | None = None,
) -> list[Outcome]:
    """Load files into the store; every file gets an outcome, failures included (on_plan hears how
    many files there are first). Files are read (hashed, parsed and checked) and written into a
    draft of the store without its write lock; the lock is held only to put a batch's draft in
    place. A store that did not exist is not created when nothing loads."""
    loaded_by = loaded_by or os_user()
    planned = plan(paths, council, as_at, manifest)  # a ManifestError stops the load before it starts
    if on_plan:
        on_plan(len(planned))
    outcomes: list[Outcome] = []

    def finish(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    for job in planned:
        if job.skipped:
            finish(Outcome(job.path, LoadOutcome.SKIPPED, job.skipped))
    planned = [job for job in planned if not job.skipped]
    known = _known_reports(db)
    with _Batch(db, loaded_by, finish) as batch:
        to_parse = []
        for job in planned:
            job.digest = content_hash(job.path) if job.problem is None else None  # once: the parse is handed it
            if job.digest in known:  # a file loaded before: nothing to parse, nothing to change
                batch.add(_Read(job, None, known_as=known[job.digest]))
            else:
                to_parse.append(job)
        _read_store(db, lambda con: with_store_layouts(con, to_parse), None)
        for job, result, seconds in parse_all(to_parse, jobs, on_pages, limits):
            batch.add(_Read(job, result, seconds))
        batch.write(even_if_empty=not planned)
    return outcomes


def _known_reports(db: Path) -> dict[str, int]:
    """report_id by content hash, read without the write lock (a write renames a new file into
    place, so a reader always sees a whole store); none when there is no store to read yet, or it
    cannot be read now (the write says why)."""
    return _read_store(db, known_reports, {})


def _read_store(db: Path, read: Callable[[duckdb.DuckDBPyConnection], T], otherwise: T) -> T:
    """read(a read-only connection to the store), or `otherwise` when there is no store to read
    yet or it cannot be read now (the write that follows says why).

    The store is attached to a connection of its own rather than opened by path: DuckDB hands every
    connect() to a path in this process the one instance it holds for it, and refuses one with another
    configuration, so in the admin app (whose pages hold the store open locked down) a plain connect
    failed and the load went on without the council's layout override or its known reports."""
    if not db.exists():
        return otherwise
    quoted = str(db).replace("'", "''")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{quoted}' AS store (READ_ONLY)").fetchall()
        con.execute("USE store").fetchall()
        return read(con)
    except duckdb.Error:
        return otherwise
    finally:
        con.close()


class _Batch:
    """Files read and waiting for the write, in batches of about WRITE_BATCH_RECORDS records.

    Each file is written as soon as it is read, into a draft of the store (etl/store/store.py
    Draft: a copy brought up to date without the write lock, prepared in a thread while the first
    files are read), so that writing overlaps reading. The batch is published under the lock at
    its end; should another write have come first, it is written again under the lock, from the
    reports still held. Outcomes are told once the batch is in the store."""

    def __init__(self, db: Path, loaded_by: str, finish: Callable[[Outcome], None]) -> None:
        self.db, self.loaded_by, self.finish = db, loaded_by, finish
        self.reads: list[_Read] = []
        self.told: list[Outcome] = []  # by the draft's writes, until it is published
        self.stored = False  # whether the draft holds a new report
        self.written = 0  # of the reads, how many are in the draft
        self.given_up = False  # the batch's draft failed: the locked write takes the whole batch
        self.drafting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slippage-draft")
        self.draft: Future[Draft | None] | None = None
        self._start_draft()  # while the files are hashed and the workers start

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._drop_draft()
        self.drafting.shutdown(wait=True)

    def _start_draft(self) -> None:
        self.draft = self.drafting.submit(Store(self.db).draft)

    def _ready_draft(self) -> Draft | None:
        """The draft, once prepared; None where none could be made (the locked write says why)."""
        assert self.draft is not None
        try:
            return self.draft.result()
        except Exception:  # a draft is only a head start: the locked write meets the same fault and says why
            return None

    def _drop_draft(self) -> None:
        if self.draft is not None:
            draft = self._ready_draft()
            if draft is not None:
                draft.discard()
            self.draft = None

    def add(self, read: _Read) -> None:
        self.reads.append(read)
        if self.draft is None and not self.given_up:
            self._start_draft()
        self._catch_up(wait=False)
        if sum(len(r.result.records) for r in self.reads if isinstance(r.result, ParsedReport)) >= WRITE_BATCH_RECORDS:
            self.write()

    def _catch_up(self, wait: bool) -> Draft | None:
        """The files not yet in the draft written into it (without waiting for a draft still being
        prepared, unless asked), and the draft; None once there is no draft to publish."""
        if self.draft is None or not (wait or self.draft.done()):
            return None
        draft = self._ready_draft()
        if draft is None or draft.con is None:
            return None
        for read in self.reads[self.written :]:
            try:
                self.stored |= _write_one(draft.con, read, self.loaded_by, self.told.append)
            except Exception:  # the draft is broken, not the file: the locked write takes the batch
                self._drop_draft()
                self.given_up = True  # a new draft would lack the files already written into this one
                return None
            self.written += 1
        return draft

    def write(self, even_if_empty: bool = False) -> None:
        """The batch into the store: its draft published, or written again under the lock."""
        if not self.reads and not even_if_empty:
            self._drop_draft()
            return
        draft = self._catch_up(wait=True) if self.reads else None
        if draft is not None and self._published(draft):
            told = self.told
        else:
            told = []
            self._drop_draft()
            _write_batch(self.db, self.reads, self.loaded_by, self.finish)
        self._drop_draft()
        for outcome in told:
            self.finish(outcome)
        self.reads, self.told, self.stored, self.written, self.given_up = [], [], False, 0, False

    def _published(self, draft: Draft) -> bool:
        """The draft in place; False where the locked write must take the batch: another write
        came first, or publishing failed (the locked write meets the same fault and says why)."""
        store = Store(self.db)
        if draft.base.fd is None and not self.stored and draft.base.unchanged(store.real_path):
            return True  # nothing loaded into a store that still does not exist: none is made
        try:
            return store.publish(draft)
        except Exception:  # a draft is only a head start
            return False


def _write_batch(db: Path, batch: list[_Read], loaded_by: str, finish: Callable[[Outcome], None]) -> None:
    """Files already read, written under the write lock: each its own transaction and log line.
    Into a store that did not exist, a batch that loads nothing is not written at all."""
    existed = Store(db).path.exists()
    with contextlib.suppress(_NothingToKeep), Store(db).writing() as con:
        stored = [_write_one(con, read, loaded_by, finish) for read in batch]
        if not existed and not any(stored):
            raise _NothingToKeep


def _write_one(con: duckdb.DuckDBPyConnection, read: _Read, loaded_by: str, finish: Callable[[Outcome], None]) -> bool:
    """One file's outcome written and told; whether a report was stored."""
    job, result, seconds = read.job, read.result, read.seconds
    before = loaded_before(con, job.digest, job.settings.council) if read.known_as is not None and job.digest else None
    if before is not None:
        message, report_id = before
        log_attempt(
            con,
            job.path.name,
            LoadOutcome.UNCHANGED,
            message,
            loaded_by=loaded_by,
            content_hash=job.digest,
            council=job.settings.council,
            report_id=report_id,
        )
        finish(Outcome(job.path, LoadOutcome.UNCHANGED, message, council=job.settings.council))
        return False
    if read.known_as is not None:
        result = Failed("its report was removed while this load ran: load it again")
    if not isinstance(result, ParsedReport):
        message = (result.message if result else "").strip() or "could not be read (no reason was given)"
        log_attempt(con, job.path.name, LoadOutcome.FAILED, message, seconds=seconds, loaded_by=loaded_by)
        finish(Outcome(job.path, LoadOutcome.FAILED, message, council=job.settings.council))
        return False
    report: ParsedReport = result

    def write() -> tuple[LoadOutcome, str]:
        state, message, report_id = store_report(con, report, loaded_by)
        if state.stored:
            with contextlib.suppress(OSError):  # a file gone since it was read loads all the same, without its copy
                keep_source(con, report.content_hash, job.path.name, job.path.read_bytes())
        log_attempt(con, job.path.name, state, message, seconds=seconds, loaded_by=loaded_by, report_id=report_id, **report_facts(report))
        return state, message

    try:
        # the report, its council's facts and movements recomputed, and its log line: one transaction
        state, message = in_one_transaction(con, write)
        doubts = sum(w.get("field") == "document" for w in report.warnings)
        finish(Outcome(job.path, state, message, len(report.records), report.council, report.report_date, len(report.warnings), doubts))
        return state.stored
    except Exception as exc:  # any fault in one file's write (a DuckDB error or ours) fails that file only
        _roll_back(con)
        message = f"not stored: {first_line(exc)}"
        log_attempt(con, job.path.name, LoadOutcome.FAILED, message, seconds=seconds, loaded_by=loaded_by, **report_facts(report))
        finish(Outcome(job.path, LoadOutcome.FAILED, message, council=report.council))
        return False


def with_store_layouts(con: duckdb.DuckDBPyConnection, jobs: list[Job]) -> None:
    """Each job given its council's layout override from the store, so every later file of a council
    is read as an admin taught it (etl/store/layout_overrides.py)."""
    held = layout_overrides.texts(con, {job.settings.council for job in jobs if job.settings.council})
    for job in jobs:
        if job.settings.council in held:
            job.settings = replace(job.settings, layout=held[job.settings.council])


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


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def remove_report(db: Path, report_id: int, removed_by: str) -> Outcome:
    """Take one report out of the store, leaving a line in ingest_log."""
    return remove_reports(db, [report_id], removed_by)[0]


def remove_reports(db: Path, report_ids: list[int], removed_by: str) -> list[Outcome]:
    """Take reports out of the store in one transaction, each leaving a line in ingest_log; none of
    their text stays in the file (etl/store/store.py rewrites it). Should any id name no report,
    nothing is removed: one failed outcome per unknown id."""
    with Store(db).writing() as con:
        found = {report_id: find_report(con, report_id) for report_id in dict.fromkeys(report_ids)}
        unknown = [report_id for report_id, facts in found.items() if facts is None]
        if unknown:
            return [
                Outcome(Path(f"report {report_id}"), LoadOutcome.FAILED, "no such report; nothing was removed") for report_id in unknown
            ]
        removals = {report_id: facts for report_id, facts in found.items() if facts is not None}

        def remove() -> None:  # the reports, their councils recomputed, and the log lines: one transaction
            delete_reports(con, list(removals))
            for report_id, (source_file, council, report_date, digest, records) in removals.items():
                log_attempt(
                    con,
                    source_file,
                    LoadOutcome.REMOVED,
                    _removed(report_id, removals[report_id]).message,
                    loaded_by=removed_by,
                    content_hash=digest,
                    council=council,
                    report_date=report_date,
                    report_id=report_id,
                    records=records,
                )

        in_one_transaction(con, remove)
    return [_removed(report_id, facts) for report_id, facts in removals.items()]


def _removed(report_id: int, facts: ReportFacts) -> Outcome:
    source_file, council, report_date, _, records = facts
    message = f"removed report {report_id} ({council}, report date {report_date}, {records} records)"
    return Outcome(Path(source_file), LoadOutcome.REMOVED, message, records, council, report_date)
