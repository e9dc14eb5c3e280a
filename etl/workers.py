"""Where worker processes come from: one fork server per process, started clean (no DuckDB
threads running, which a plain fork would copy mid-flight and could deadlock on) with the
parser and the query engine already imported, so a worker starts in milliseconds.

A command that only parses (`etl load`) starts the fork server first thing, with only the parser
to import, so that its imports run on the other core while this process imports DuckDB and opens
the store, instead of one after the other (issue 26)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

PARSE_PRELOAD = ["etl.parallel", "etl.parse", "etl.extract.pdf", "etl.extract.pdfobjects", "pdfplumber"]
PRELOAD = [*PARSE_PRELOAD, "duckdb", "pyarrow", "etl.store.readonly"]
_starting = threading.Lock()


def worker_context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def warm_up(preload: list[str]) -> None:
    """Launch the fork server now, importing only `preload`, without waiting for it: the first
    worker waits for it instead. Does nothing where a server runs already."""
    multiprocessing.set_forkserver_preload(preload)  # the module-wide server worker_context starts
    with _bare_main():
        multiprocessing.forkserver.ensure_running()


def start(process: BaseProcess) -> None:
    """Start a worker without the main script (see _bare_main)."""
    with _bare_main():
        process.start()


@contextmanager
def _bare_main() -> Iterator[None]:
    """multiprocessing would have every worker (and the fork server) run the process's main
    script again; under `streamlit run` that script is the dashboard page, which opens the store
    and builds it when missing. Workers run only their task, so they start while __main__ is a
    bare module."""
    with _starting:
        original = sys.modules["__main__"]
        bare = types.ModuleType("__main__")
        sys.modules["__main__"] = bare
        try:
            yield
        finally:
            if sys.modules.get("__main__") is bare:  # another thread may have set its own since
                sys.modules["__main__"] = original
