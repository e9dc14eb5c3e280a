"""Where worker processes come from: one fork server per process, started clean (no DuckDB
threads running, which a plain fork would copy mid-flight and could deadlock on) with the
parser and the query engine already imported, so a worker starts in milliseconds."""
from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

PRELOAD = ["etl.parse", "etl.extract.pdf", "pdfplumber", "duckdb", "pyarrow", "etl.store.readonly"]
_starting = threading.Lock()


def worker_context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start(process: BaseProcess) -> None:
    """Start a worker without the main script. multiprocessing would have every worker (and
    the fork server) run the process's main script again; under `streamlit run` that script is
    the dashboard page, which opens the store and builds it when missing. Workers run only
    their task, so they are started while __main__ is a bare module."""
    with _starting:
        original = sys.modules["__main__"]
        bare = types.ModuleType("__main__")
        sys.modules["__main__"] = bare
        try:
            process.start()
        finally:
            if sys.modules.get("__main__") is bare:  # another thread may have set its own since
                sys.modules["__main__"] = original
