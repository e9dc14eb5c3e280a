"""Parsing files in worker processes, each within a memory limit and a deadline, so that no file
can stop a batch or take the loading process (or a server) down with it: a worker that runs out
of memory, stalls on a page or dies becomes that file's one line, and the batch goes on.

Workers are started once per batch and given one task after another (one that ran out of memory,
stalled or died is replaced). With one worker each file is parsed whole. With more, each file is still
read whole (its document opened once, and interpreted in the same process) unless, when its turn
comes, it is more than one worker's share of the work left: a file that splits into pages (a PDF)
is then read a few pages per task, so that two workers share one long document, or the last of a
batch, instead of one waiting idle; a last task puts its pages together and interprets them."""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from etl.extract.kind import Pages
from etl.extract.registry import kind_for
from etl.extract.rows import ExtractError
from etl.failures import Failed, unexpected
from etl.interpret.report import ParsedReport, ParseError
from etl.plan import Job
from etl.readahead import read_ahead
from etl.workers import start, worker_context

PagesCallback = Callable[[str, int, int], None]
MIN_PAGES_PER_TASK = 4  # small enough that two workers share even a short document evenly
MAX_TASKS_PER_DOCUMENT = 8  # each task reopens the document, at a cost that grows with its length
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class ParseLimits:
    """What one worker may spend on one task. A normal page takes well under a second and a
    normal appendix well under 200 MB; the limits only stop what would otherwise never end."""

    memory_mb: int = 1536
    page_seconds: float = 30.0  # longest wait for the next page of a document
    file_seconds: float = 600.0  # longest any one task may run

    def too_big(self) -> str:
        return f"needs more than {self.memory_mb} MB to read"


# -- what runs in a worker --------------------------------------------------------------------
Progress = Callable[[int, int], None]


def parse_whole(job: Job, progress: Progress | None = None, pages_read: list[Any] | None = None) -> ParsedReport | Failed:
    """One file parsed, or its one-line reason (never a traceback)."""
    from etl.layouts.overrides import layouts_with
    from etl.parse import parse_file

    if job.problem:
        return Failed(job.problem)
    try:
        layouts = layouts_with(job.settings.council or "", job.settings.layout) if job.settings.layout else None
        return parse_file(
            job.path,
            job.settings.council or "",
            job.settings.as_at,
            job.settings.title,
            progress,
            layouts=layouts,
            pages_read=pages_read,
            digest=job.digest,
        )
    except ParseError as exc:
        return Failed(str(exc))
    except MemoryError:
        raise
    except Exception as exc:  # a bad file must never take the whole load down
        return unexpected(exc)


def _from_pages(job: Job, task: Callable[[Pages], Any]) -> Any:
    """A task on a file that splits into pages, or the one-line reason it failed (a MemoryError
    goes on up: the worker reports it against its memory limit)."""
    pages = kind_for(job.path).pages
    assert pages is not None  # only files whose kind splits into pages get page tasks
    try:
        return task(pages)
    except ExtractError as exc:
        return Failed(str(exc))
    except MemoryError:
        raise
    except Exception as exc:
        return unexpected(exc)


def count_pages(job: Job, progress: Progress | None = None) -> int | Failed:
    return _from_pages(job, lambda pages: pages.count(job.path))


def read_run(job: Job, first: int, last: int, progress: Progress | None = None) -> list[Any] | Failed:
    """A run of a file's pages, or the one-line reason they cannot be read."""
    return _from_pages(job, lambda pages: pages.read(job.path, first, last, progress))


def finish(job: Job, pages_read: list[Any], progress: Progress | None = None) -> ParsedReport | Failed:
    return parse_whole(job, None, pages_read)


def _worker(conn: Connection, limits: ParseLimits) -> None:
    """A worker's whole life: limit its memory, then run the tasks it is sent, one at a time,
    sending progress and each result, until told to stop. A worker that ran out of memory says so
    and ends: the next task gets a fresh one."""
    limit = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def progress(done: int, total: int) -> None:
        conn.send(("pages", done, total))

    while True:
        try:
            work = conn.recv()
        except EOFError:
            return
        if work is None:
            return
        task, args = work
        try:
            result = task(*args, progress)
        except MemoryError:
            conn.send(("done", Failed(limits.too_big()), False))
            return
        try:
            conn.send(("done", result, True))
        except MemoryError:
            conn.send(("done", Failed(limits.too_big()), False))
            return
        except Exception as exc:  # a result that cannot be sent back: the file's one line, not a traceback
            conn.send(("done", unexpected(exc), True))


@dataclass
class _Worker:
    """A worker process, kept for the batch: started once, given one task after another."""

    process: BaseProcess
    conn: Connection
    task: _Task | None = None
    reusable: bool = True
    tasks_done: int = 0  # the memory limit counts what earlier tasks left behind


# -- the loading process: schedule tasks, watch them, keep files in order ----------------------
@dataclass
class _File:
    job: Job
    started: float | None = None
    result: ParsedReport | Failed | None = None
    runs: dict[tuple[int, int], list[Any] | None] = field(default_factory=dict)
    total_pages: int = 0
    pages_done: dict[tuple[int, int], int] = field(default_factory=dict)
    split: bool | None = None  # read a few pages per task: decided when it is started
    size: int = field(init=False)  # bytes: the measure of its work against other files'

    def __post_init__(self) -> None:
        try:
            self.size = self.job.path.stat().st_size
        except OSError:
            self.size = 0


@dataclass
class _Task:
    file: _File
    kind: str  # whole | count | run | finish
    function: Callable[..., Any]
    args: tuple[object, ...]
    run: tuple[int, int] | None = None
    worker: _Worker = field(init=False)
    started: float = 0.0
    last_page_at: float = 0.0
    last_page: int = 0
    reads_pages: bool = False
    fresh_worker: bool = False  # run again in a worker of its own: it ran out of memory after other tasks
    of_pages: int = 0  # the document's pages, once the task has said

    def work_left(self) -> float:
        """The share of its file's work this task has still to do, by the pages it has to read."""
        if self.kind not in ("whole", "run"):
            return 0.0
        if not self.of_pages:  # nothing heard from it yet: all of its pages are left
            if self.run is None:
                return 1.0
            first, last = self.run
            return (last - first + 1) / max(self.file.total_pages, 1)
        end = self.run[1] if self.run else self.of_pages
        return max(end - self.last_page, 0) / self.of_pages


def _died(code: int | None, limits: ParseLimits) -> str:
    if code is not None and code < 0:
        try:
            how = f"was stopped by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was stopped by signal {-code}"
    else:
        how = f"exited with status {code}"
    return f"the reader {how}: the file is damaged or {limits.too_big()}"


class _Scheduler:
    def __init__(self, jobs: list[Job], workers: int, limits: ParseLimits, on_pages: PagesCallback | None):
        self.files = [_File(job) for job in jobs]
        self.workers = max(1, workers)
        self.limits = limits
        self.on_pages = on_pages
        self.queue: deque[_Task] = deque()
        self.running: list[_Task] = []
        self.pool: list[_Worker] = []
        self.context = worker_context()
        for file in self.files:
            if file.job.problem:
                file.result = Failed(file.job.problem)
            else:
                self.queue.append(_Task(file, "whole", parse_whole, (file.job,), reads_pages=_splits(file.job)))

    # starting and stopping workers
    def _start(self, task: _Task) -> None:
        for _ in range(3):
            worker = self._idle_worker(task.fresh_worker)
            try:
                worker.conn.send((task.function, task.args))
                break
            except OSError:  # it died while it waited (the system's memory killer): a fresh one
                self._end_worker(worker)
        else:
            self._fail(task.file, _died(worker.process.exitcode, self.limits))
            return
        worker.task = task
        task.worker = worker
        task.started = task.last_page_at = time.monotonic()
        if task.file.started is None:
            task.file.started = time.perf_counter()
        self.running.append(task)

    def _idle_worker(self, fresh: bool = False) -> _Worker:
        """A worker with no task: one of the batch's, or a new one (at most `workers` run); with
        `fresh`, one that has run nothing yet."""
        for worker in list(self.pool):
            if worker.task is None and (not worker.process.is_alive() or (fresh and worker.tasks_done)):
                self._end_worker(worker)
        idle = next((w for w in self.pool if w.task is None), None)
        if idle is not None:
            return idle
        here, there = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(there, self.limits), daemon=True)
        start(process)
        there.close()
        worker = _Worker(process, here)
        self.pool.append(worker)
        return worker

    def _end_worker(self, worker: _Worker) -> None:
        if worker.task is None and worker.process.is_alive():  # idle: asked to end, its memory freed as it exits
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(timeout=1)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.pool.remove(worker)

    def _end_idle_workers(self) -> None:
        """Workers with nothing left to do end now, not at the batch's end: a worker keeps the
        memory its last file took (a 100,000-record file's), which the write needs."""
        if not self.queue:
            for worker in [w for w in self.pool if w.task is None]:
                self._end_worker(worker)

    def _stop(self, task: _Task, finished: bool = False) -> None:
        """A task taken off its worker: a worker that finished it waits for the next; one stopped
        half-way (its file failed, or the batch ends) is ended."""
        worker = task.worker
        if not (finished and worker.reusable):
            self._end_worker(worker)
        worker.task = None
        self.running.remove(task)

    def _stop_all(self) -> None:
        for task in list(self.running):
            self._stop(task)
        for worker in list(self.pool):
            self._end_worker(worker)

    def _fail(self, file: _File, message: str) -> None:
        """A file whose task failed: its other tasks are dropped, queued or running."""
        if file.result is None:
            file.result = Failed(message)
        self.queue = deque(t for t in self.queue if t.file is not file)
        for task in [t for t in self.running if t.file is file]:
            self._stop(task)

    # what comes back from a worker
    def _pages(self, task: _Task, done: int, total: int) -> None:
        task.last_page_at, task.last_page, task.of_pages = time.monotonic(), done, total
        file = task.file
        if task.run is not None:
            first, last = task.run
            file.pages_done[task.run] = min(done, last) - first + 1
            done, total = sum(file.pages_done.values()), file.total_pages
        if self.on_pages:
            self.on_pages(str(file.job.path), done, total)

    def _finished(self, task: _Task, result: Any, reusable: bool) -> None:
        """A task's result. A worker that ran out of memory after other tasks may owe it to what
        they left behind (its limit counts them): the task runs once more in a fresh worker."""
        worker = task.worker
        worker.reusable = reusable
        worker.tasks_done += 1
        if not reusable and worker.tasks_done > 1 and not task.fresh_worker:
            self._stop(task)
            task.fresh_worker = True
            self.queue.appendleft(task)
            return
        self._done(task, result)

    def _done(self, task: _Task, result: Any) -> None:
        self._stop(task, finished=True)
        file = task.file
        if file.result is not None:
            return
        if isinstance(result, Failed):
            if task.kind == "count":  # read whole, it says why in its own words
                file.split = False
                self.queue.appendleft(_Task(file, "whole", parse_whole, (file.job,), reads_pages=True))
            else:
                self._fail(file, result.message)
        elif task.kind in ("whole", "finish"):
            file.result = result
        elif task.kind == "count":
            self._plan_runs(file, result)
        else:
            assert task.run is not None
            file.runs[task.run] = result
            if all(pages is not None for pages in file.runs.values()):
                pages_read = [page for run in sorted(file.runs) for page in file.runs[run] or []]
                self.queue.appendleft(_Task(file, "finish", finish, (file.job, pages_read)))

    def _plan_runs(self, file: _File, total: int) -> None:
        if total == 0:  # read whole, it says why in its own words
            file.split = False
            self.queue.appendleft(_Task(file, "whole", parse_whole, (file.job,), reads_pages=True))
            return
        file.total_pages = total
        size = max(MIN_PAGES_PER_TASK, -(-total // MAX_TASKS_PER_DOCUMENT))
        for first in range(1, total + 1, size):
            run = (first, min(first + size - 1, total))
            file.runs[run] = None
            self.queue.append(_Task(file, "run", read_run, (file.job, *run), run=run, reads_pages=True))

    def _overdue(self, task: _Task, now: float) -> str | None:
        if now - task.started > self.limits.file_seconds:
            return f"took longer than {self.limits.file_seconds:g} s to read"
        if task.reads_pages and now - task.last_page_at > self.limits.page_seconds:
            first = task.run[0] if task.run else 1
            page = max(task.last_page + 1, first)
            return f"page {page} took longer than {self.limits.page_seconds:g} s to read"
        return None

    def _next_task(self) -> _Task:
        """The next task; a file about to be read whole is read a few pages per task instead when
        it is more than one worker's share of the work still to do (so no worker waits idle at the
        end of a batch while another reads a long file), and only then: a file read whole opens its
        document once and interprets it in the same process."""
        task = self.queue.popleft()
        file = task.file
        if task.kind == "whole" and file.split is None:
            file.split = self.workers > 1 and _splits(file.job) and self._more_than_a_share(file)
            if file.split:
                return _Task(file, "count", count_pages, (file.job,))
        return task

    def _more_than_a_share(self, file: _File) -> bool:
        """Work in bytes of file: the files not yet started, and what is left of those being read."""
        waiting = sum(t.file.size for t in self.queue if t.kind == "whole")
        reading = sum(t.file.size * t.work_left() for t in self.running)
        return file.size * self.workers > file.size + waiting + reading

    def _step(self) -> None:
        while self.queue and len(self.running) < self.workers:
            self._start(self._next_task())
        ready = set(wait([t.worker.conn for t in self.running] + [t.worker.process.sentinel for t in self.running], timeout=POLL_SECONDS))
        for task in list(self.running):
            if task not in self.running:  # stopped while handling another task of its file
                continue
            worker = task.worker
            if worker.conn in ready and self._hear(task):
                continue
            if worker.process.sentinel in ready and not worker.conn.poll():  # died, its pipe held open elsewhere
                worker.process.join()
                self._fail(task.file, _died(worker.process.exitcode, self.limits))
                continue
            overdue = self._overdue(task, time.monotonic())
            if overdue:
                self._fail(task.file, overdue)
        self._end_idle_workers()

    def _hear(self, task: _Task) -> bool:
        """What the task's worker has sent: its pages read, then its result; whether the task
        ended (its result came, or its worker died without sending one)."""
        conn, process = task.worker.conn, task.worker.process
        while task in self.running and conn.poll():
            try:
                message = conn.recv()
            except (EOFError, OSError):  # the worker ended without a word: killed, or crashed
                process.join()
                self._fail(task.file, _died(process.exitcode, self.limits))
                return True
            except Exception as exc:  # a result that cannot be unpickled
                self._fail(task.file, unexpected(exc).message)
                return True
            if message[0] == "pages":
                self._pages(task, message[1], message[2])
            else:
                self._finished(task, message[1], message[2])
                return True
        return task not in self.running

    def results(self, stop: threading.Event | None = None) -> Generator[tuple[Job, ParsedReport | Failed, float], None, None]:
        try:
            for file in self.files:
                while file.result is None:
                    if stop is not None and stop.is_set():
                        return
                    self._step()
                seconds = time.perf_counter() - file.started if file.started is not None else 0.0
                yield file.job, file.result, seconds
        finally:
            self._stop_all()


def _splits(job: Job) -> bool:
    try:
        return kind_for(job.path).pages is not None
    except ExtractError:
        return False


def parse_all(
    jobs: list[Job], workers: int, on_pages: PagesCallback | None = None, limits: ParseLimits | None = None
) -> Generator[tuple[Job, ParsedReport | Failed, float], None, None]:
    """Parsed files in the order given, each with the seconds it took, every one in a worker
    within the limits. With more than one worker, files are read ahead while the caller writes."""
    limits = limits or ParseLimits()
    if workers <= 1:
        yield from _Scheduler(jobs, workers, limits, on_pages).results()
        return
    yield from read_ahead(lambda pages, stop: _Scheduler(jobs, workers, limits, pages).results(stop), on_pages, ahead=workers)
