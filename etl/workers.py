"""Where worker processes come from: one fork server per process, started clean (no DuckDB
threads running, which a plain fork would copy mid-flight and could deadlock on) with the
parser and the query engine already imported, so a worker starts in milliseconds."""
from __future__ import annotations

import multiprocessing
from multiprocessing.context import ForkServerContext

# "__main__" first: the server imports the main script once, so a worker need not run it
# again (under `streamlit run` that would import Streamlit in every worker).
PRELOAD = ["__main__", "etl.parse", "etl.extract.pdf", "pdfplumber", "duckdb", "pyarrow", "etl.store.readonly"]


def worker_context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
