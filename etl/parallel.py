"""Parsing many files in several processes. Files that split into pages (PDFs) are read a few
pages per task, so two workers share one long document as evenly as many short ones; each file
is interpreted in the loading process once all its pages are in."""
from __future__ import annotations

import functools
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from etl.extract.registry import kind_for
from etl.extract.rows import ExtractError
from etl.failures import Failed, unexpected
from etl.interpret.report import ParsedReport, ParseError
from etl.parse import parse_file
from etl.plan import Job

PagesCallback = Callable[[str, int, int], None]
MIN_PAGES_PER_TASK = 4     # small enough that two workers share even a short document evenly
MAX_TASKS_PER_DOCUMENT = 8  # each task reopens the document, at a cost that grows with its length


def parse_one(job: Job, on_pages: PagesCallback | None = None, pages_read: list[Any] | None = None
              ) -> ParsedReport | Failed:
    """One file parsed, or its one-line reason (never a traceback)."""
    if job.problem:
        return Failed(job.problem)
    progress = functools.partial(on_pages, str(job.path)) if on_pages else None
    try:
        return parse_file(job.path, job.settings.council or "", job.settings.as_at, job.settings.title, progress,
                          pages_read=pages_read)
    except ParseError as exc:
        return Failed(str(exc))
    except Exception as exc:  # a bad file must never take the whole load down
        return unexpected(exc)


def _read_pages(job: Job, first: int, last: int) -> list[Any] | Failed:
    """Worker task: a run of a file's pages, or the one-line reason they cannot be read."""
    pages = kind_for(job.path).pages
    assert pages is not None  # only files whose kind splits into pages get page tasks
    try:
        return pages.read(job.path, first, last)
    except ExtractError as exc:
        return Failed(str(exc))
    except Exception as exc:
        return unexpected(exc)


def page_runs(job: Job) -> list[tuple[int, int]] | None:
    """A file's pages cut into tasks for the workers; None for a file parsed whole (a kind with
    no pages, a file with none, or one that does not open, where parsing it whole gives the
    reason)."""
    if job.problem or not job.path.is_file() or not job.path.stat().st_size:
        return None
    pages = kind_for(job.path).pages
    if pages is None:
        return None
    try:
        total = pages.count(job.path)
    except ExtractError:
        return None
    if total == 0:
        return None
    size = max(MIN_PAGES_PER_TASK, -(-total // MAX_TASKS_PER_DOCUMENT))
    return [(first, min(first + size - 1, total)) for first in range(1, total + 1, size)]


class PageCounter:
    """Adds up one file's pages as its tasks finish (in the pool's thread, or here when a task
    is done before its callback is set) and reports the running total."""

    def __init__(self, name: str, total: int, on_pages: PagesCallback):
        self.name, self.total, self.on_pages = name, total, on_pages
        self.done = 0
        self.lock = threading.Lock()

    def finished(self, pages: int, _: Future) -> None:
        with self.lock:
            self.done += pages
            self.on_pages(self.name, self.done, self.total)


def parse_all(jobs: list[Job], workers: int, on_pages: PagesCallback | None = None
              ) -> Iterator[tuple[Job, ParsedReport | Failed, float]]:
    """Parsed files in the order given, each with the seconds it took."""
    if workers <= 1:
        for job in jobs:
            started = time.perf_counter()
            yield job, parse_one(job, on_pages), time.perf_counter() - started
        return
    # Workers fork from a clean server process with the parser imported, never from this one:
    # this one has DuckDB's threads running, and forking a threaded process can deadlock.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["etl.parse", "etl.extract.pdf", "pdfplumber"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        submitted = []
        for job in jobs:
            started = time.perf_counter()
            runs = page_runs(job)
            if runs is None:
                submitted.append((job, started, False, [pool.submit(parse_one, job)]))
                continue
            counter = PageCounter(str(job.path), runs[-1][1], on_pages) if on_pages else None
            futures = []
            for first, last in runs:
                futures.append(pool.submit(_read_pages, job, first, last))
                if counter:
                    futures[-1].add_done_callback(functools.partial(counter.finished, last - first + 1))
            submitted.append((job, started, True, futures))
        for job, started, by_pages, futures in submitted:
            results = [future.result() for future in futures]
            if by_pages:
                failure = next((r for r in results if isinstance(r, Failed)), None)
                result = failure or parse_one(job, pages_read=[page for run in results for page in run])
            else:
                result = results[0]
            yield job, result, time.perf_counter() - started
