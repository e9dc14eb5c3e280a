"""The one way ad-hoc SQL reaches the store: read-only, one SELECT, no files or network, and
bounded in every resource. Used by `python -m etl sql` and the dashboard's SQL page.

Each query runs in a worker process of its own: DuckDB's memory limit stops most runaway
queries at once, an address-space limit stops what DuckDB does not count, and the worker is
killed at the deadline, so the time limit covers parsing and planning too and a query can never
hold the server's memory or threads. The rows come back as Arrow, capped in count and bytes; a
full-result export never comes back at all: the worker streams it into a file (etl/tablefile.py),
cut at the byte cap it is given, so no query can fill the disk either."""

from __future__ import annotations

import functools
import json
import re
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import polars as pl
import pyarrow as pa

from etl.failures import first_line
from etl.tablefile import Written, write_table
from etl.workers import start, worker_context

# Fixed when the database is opened and locked, so a query cannot SET its way out of them.
SAFE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# The table functions a query may reach, by name or through a view: they make values or describe
# the store's own tables. Every other one is refused, whatever the spelling: those that read files
# (read_blob, read_csv, read_text, glob, read_duckdb, parquet_*...), run text as SQL (query,
# json_execute_serialized_sql) or tell of the server (duckdb_databases and the pragma_database_list
# view, duckdb_settings, duckdb_extensions, duckdb_secrets, which_secret, duckdb_temporary_files,
# pragma_database_size, pragma_storage_info...). The store's own table macros are allowed too.
TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "repeat",
        "repeat_row",
        "json_each",
        "json_tree",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_constraints",
        "duckdb_indexes",
        "duckdb_functions",
        "duckdb_keywords",
        "duckdb_sequences",
        "duckdb_dependencies",
        "pragma_table_info",
        "pragma_show",
        "pg_timezone_names",
        "icu_calendar_names",
    }
)
# Scalar functions that read the server's configuration (its paths among it): DuckDB folds them to
# a constant while planning, so only the query's own words show them.
CONFIGURATION_FUNCTIONS = frozenset({"current_setting", "getvariable", "getenv"})
# A table name DuckDB would read as a file or an address ('/etc/passwd', 'data.csv', 's3://…'):
# reading it is refused; any other unknown name is a mistake (a typo).
FILE_LIKE = re.compile(r"[./\\:~]")
STORE = "store"  # the name the store is attached under: its file's name and folder stay unsaid
_EXPLAIN = re.compile(r"\s*EXPLAIN\b(?:\s+ANALY[SZ]E\b)?(?:\s*\([^)]*\))?", re.IGNORECASE)
BATCH_ROWS = 256  # rows fetched at a time: small enough that one batch of wide rows stays small
EXPORT_BATCH_ROWS = 2_048  # rows written to an export file at a time
EXPORT_TIMEOUT = 600.0  # seconds for a full-result export: a million rows of Excel take minutes
STOPPED = "stopped after {timeout:g} s: the query took longer than the time limit"


@dataclass(frozen=True)
class QueryLimits:
    timeout: float = 10.0  # seconds, from the moment the query is handed over
    max_rows: int = 10_000
    max_result_mb: int = 64  # the rows sent back, as Arrow
    max_query_chars: int = 100_000
    memory_mb: int = 512  # DuckDB's own memory limit in the worker
    temp_mb: int = 512  # what DuckDB may spill to disk
    process_mb: int = 2048  # the worker's whole address space (DuckDB reserves more than it uses)
    grace_seconds: float = 2.0  # how long past the deadline before the worker is killed
    threads: int = 2  # DuckDB's threads in the worker


DEFAULT_LIMITS = QueryLimits()


class QueryRefused(ValueError):
    """The query was not run, or was stopped; the message is one line for the user."""


class QueryMistake(QueryRefused):
    """The query is not one DuckDB can run as written (a typo, a column that is not there, a value
    of the wrong type): the user's mistake to mend, not a refusal of what the query would do."""


# What DuckDB raises for a query that is wrong as written, rather than one that may not run.
MISTAKES = (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException, duckdb.DataError)
_ERROR_KIND = re.compile(r"^[A-Za-z ]+ Error: ")


def mistake(exc: BaseException) -> QueryMistake:
    """DuckDB's line about a mistake, without its "Binder Error: " prefix."""
    return QueryMistake(_ERROR_KIND.sub("", first_line(exc)))


@dataclass
class QueryResult:
    frame: pl.DataFrame
    truncated: bool  # more rows exist than the cap allowed, or the rows passed the byte cap
    seconds: float
    max_rows: int
    cut_by_size: bool = False


def open_safe(path: Path, memory_mb: int = DEFAULT_LIMITS.memory_mb) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection with a memory limit: the pages' own queries use it."""
    if not Path(path).exists():
        raise QueryRefused(f"no database at {path}: load appendices first with python -m etl load")
    config = SAFE_CONFIG | {"memory_limit": f"{memory_mb}MB"}
    return duckdb.connect(str(path), read_only=True, config=config)


def check_statement(con: duckdb.DuckDBPyConnection, query: str) -> None:
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise mistake(exc) from None
    if len(statements) != 1:
        raise QueryRefused(f"one statement at a time: this text holds {len(statements)}")
    kind = statements[0].type
    if kind not in ALLOWED:
        name = str(kind).split(".")[-1]
        raise QueryRefused(f"only read queries (SELECT) are allowed; this is a {name} statement")


def _query_connection(path: str, limits: QueryLimits, spill: str) -> duckdb.DuckDBPyConnection:
    """The store attached read-only under the name `store` to an in-memory database, then file and
    network access turned off and the configuration locked."""
    config = {key: value for key, value in SAFE_CONFIG.items() if key not in ("enable_external_access", "lock_configuration")}
    config |= {
        "memory_limit": f"{limits.memory_mb}MB",
        "threads": limits.threads,
        "temp_directory": spill,
        "max_temp_directory_size": f"{limits.temp_mb}MB",
    }
    con = duckdb.connect(":memory:", config=config)
    try:
        quoted = path.replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {STORE} (READ_ONLY)").fetchall()
        con.execute(f"USE {STORE}").fetchall()
        con.execute("SET enable_external_access = false").fetchall()
        con.execute("SET lock_configuration = true").fetchall()
    except BaseException:
        con.close()
        raise
    return con


Answer = TypeVar("Answer")  # what a task run on the checked query gives back
JsonObject = dict[str, Any]  # an object of DuckDB's JSON (a query's syntax tree or plan)


def _sandboxed(path: str, query: str, limits: QueryLimits, task: Callable[[duckdb.DuckDBPyConnection], Answer]) -> Answer:
    """In the worker: `task` run on a locked-down connection, once the query is checked, with
    DuckDB interrupted at the deadline."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="slippage-query-") as spill:
        con = _query_connection(path, limits, spill)
        timer = threading.Timer(limits.timeout, con.interrupt)
        timer.start()
        try:
            check_statement(con, query)
            check_reads(con, query)
            return task(con)
        finally:
            timer.cancel()
            con.close()


def check_reads(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse a query that would read anything but the store's tables and views, or learn the
    server's paths or settings: first by its words, before DuckDB binds it (binding a file reader
    already opens the file), then by its plan, which shows what views and SHOW expand into."""
    text = _select_text(con, query)
    [(tree,)] = con.execute("SELECT json_serialize_sql(?)", [text]).fetchall()
    parsed = _json(tree)
    if parsed.get("error"):
        raise QueryMistake(_ERROR_KIND.sub("", str(parsed.get("error_message", "not a SELECT"))))
    _check_words(con, list(_nodes(parsed)))
    try:
        [(_, plan)] = con.execute(f"EXPLAIN (FORMAT json) {text}").fetchall()
    except MISTAKES as exc:
        raise mistake(exc) from None
    except duckdb.Error as exc:
        raise QueryRefused(first_line(exc)) from None
    for node in _nodes(_json(plan)):
        function = str(node.get("Function", "")).lower()
        if function and function not in TABLE_FUNCTIONS:
            raise QueryRefused(
                f"the query reaches {function}(), which may not be used here: queries read the store's tables and views only"
            )


def _json(text: str) -> Any:
    """DuckDB takes expressions up to 1,000 deep, a few JSON levels each: deeper than Python's own
    recursion limit lets its JSON reader go."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return json.loads(text)
    finally:
        sys.setrecursionlimit(limit)


def _select_text(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The SELECT the query runs: the query itself, or what it EXPLAINs."""
    [statement] = con.extract_statements(query)
    if statement.type != duckdb.StatementType.EXPLAIN:
        return statement.query
    inner = con.extract_statements(_EXPLAIN.sub("", statement.query, count=1))
    if len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
        raise QueryRefused("EXPLAIN is allowed only of one SELECT")
    return inner[0].query


def _nodes(tree: Any) -> Iterator[JsonObject]:
    """Every object in a JSON tree (without recursion: a query's tree may be deep)."""
    waiting = [tree]
    while waiting:
        item = waiting.pop()
        if isinstance(item, dict):
            yield item
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)


def _store_macro(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether `name` is one of the store's own table macros (filtered_detail, snapshot...)."""
    return bool(
        con.execute(
            "SELECT 1 FROM duckdb_functions() WHERE function_type = 'table_macro' AND NOT internal AND lower(function_name) = ?", [name]
        ).fetchall()
    )


def _check_words(con: duckdb.DuckDBPyConnection, nodes: list[JsonObject]) -> None:
    """The functions the query names, and the tables: a name that is neither a table, a view nor
    one of the query's own WITH names would be read by DuckDB as a file's path."""
    relations = {
        name.lower()
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()").fetchall()
    }
    relations |= {
        str(entry["key"]).lower()
        for node in nodes
        if node.get("map") and isinstance(node["map"], list)
        for entry in node["map"]
        if isinstance(entry, dict) and "key" in entry
    }
    for node in nodes:
        name = str(node.get("function_name", "")).lower()
        if node.get("class") == "FUNCTION" and name in CONFIGURATION_FUNCTIONS:
            raise QueryRefused(f"{name}() may not be used here: the server's settings are not for queries")
        if node.get("type") == "TABLE_FUNCTION":
            called = str((node.get("function") or {}).get("function_name", "")).lower()
            if called not in TABLE_FUNCTIONS and not _store_macro(con, called):
                raise QueryRefused(f"{called}() may not be used here: queries read the store's tables and views only")
        table = str(node.get("table_name", ""))
        if node.get("type") == "BASE_TABLE" and table.lower() not in relations:
            if FILE_LIKE.search(table):
                raise QueryRefused(f"no table or view is named {table!r}: queries read the store's tables and views only, never files")
            raise QueryMistake(f"no table or view is named {table!r} (the schema beside the query lists them)")


def _rows(query: str, limits: QueryLimits, con: duckdb.DuckDBPyConnection) -> tuple[bytes, bool, bool]:
    """The rows as an Arrow stream, whether more rows exist, whether the byte cap cut them."""
    reader = con.sql(query).to_arrow_reader(BATCH_ROWS)
    batches, rows, size, more, cut = [], 0, 0, False, False
    for batch in reader:
        if rows + batch.num_rows > limits.max_rows:
            batch, more = batch.slice(0, limits.max_rows - rows), True
        room = limits.max_result_mb * 1024 * 1024 - size
        if batch.nbytes > room:  # keep the rows that fit, judged by the batch's mean row size
            batch, cut = batch.slice(0, int(room / (batch.nbytes / max(1, batch.num_rows)))), True
        batches.append(batch)
        rows, size = rows + batch.num_rows, size + batch.nbytes
        if more or cut:
            break
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, reader.schema) as stream:
        for batch in batches:
            stream.write_batch(batch)
    return sink.getvalue().to_pybytes(), more or cut, cut


def _count(query: str, con: duckdb.DuckDBPyConnection) -> int:
    # DuckDB counts over the query as a subquery, reading only what the count needs.
    [(count,)] = con.sql(query).count("*").fetchall()
    return int(count)


def _worker(conn: Connection, path: str, query: str, limits: QueryLimits, task: Callable[[duckdb.DuckDBPyConnection], object]) -> None:
    limit = limits.process_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("answer", _sandboxed(path, query, limits, task)))
    except QueryMistake as exc:
        conn.send(("mistake", str(exc)))
    except QueryRefused as exc:
        conn.send(("refused", str(exc)))
    except MISTAKES as exc:
        conn.send(("mistake", str(mistake(exc))))
    except duckdb.InterruptException:
        conn.send(("refused", STOPPED.format(timeout=limits.timeout)))
    except (duckdb.OutOfMemoryException, MemoryError, pa.ArrowMemoryError):
        conn.send(("refused", f"the query needs more than the {limits.memory_mb} MB it may use"))
    except Exception as exc:  # whatever DuckDB or Arrow raise, the user gets one line
        text = first_line(exc)
        if "INTERRUPT Error" in text:  # DuckDB's interrupt, as Arrow's reader reports it
            text = STOPPED.format(timeout=limits.timeout)
        elif "Out of Memory" in text:
            text = f"the query needs more than the {limits.memory_mb} MB it may use"
        conn.send(("refused", text))
    conn.close()


def _limits(limits: QueryLimits, **given: float | int | None) -> QueryLimits:
    return QueryLimits(**{**limits.__dict__, **{k: v for k, v in given.items() if v is not None}})


def _in_worker(db: Path, query: str, limits: QueryLimits, task: Callable[[duckdb.DuckDBPyConnection], Answer]) -> Answer:
    """`task` on the checked query in a worker of its own, within the limits."""
    if len(query) > limits.max_query_chars:
        raise QueryRefused(f"the query is {len(query):,} characters long; the limit is {limits.max_query_chars:,}")
    if not Path(db).exists():
        raise QueryRefused(f"no database at {db}: load appendices first with python -m etl load")
    context = worker_context()
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(send, str(db), query, limits, task), daemon=True)
    start(worker)
    send.close()
    try:
        if not receive.poll(limits.timeout + limits.grace_seconds):
            raise QueryRefused(STOPPED.format(timeout=limits.timeout))
        try:
            kind, answer = receive.recv()
        except EOFError:
            raise QueryRefused(f"the query needs more than the {limits.process_mb} MB it may use") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if kind == "mistake":
        raise QueryMistake(answer)
    if kind == "refused":
        raise QueryRefused(answer)
    return cast(Answer, answer)  # the worker sent what `task` returned


def run_query(
    db: Path, query: str, max_rows: int | None = None, timeout: float | None = None, limits: QueryLimits = DEFAULT_LIMITS
) -> QueryResult:
    """Run one read query against the store file, in a worker within the limits."""
    limits = _limits(limits, max_rows=max_rows, timeout=timeout)
    started = time.perf_counter()
    data, truncated, cut = _in_worker(db, query, limits, functools.partial(_rows, query, limits))
    frame = pl.from_arrow(pa.ipc.open_stream(data).read_all())
    assert isinstance(frame, pl.DataFrame)
    return QueryResult(frame, truncated, time.perf_counter() - started, limits.max_rows, cut)


def count_rows(db: Path, query: str, timeout: float | None = None, limits: QueryLimits = DEFAULT_LIMITS) -> int:
    """How many rows the query returns, counted in a worker within the limits."""
    return _in_worker(db, query, _limits(limits, timeout=timeout), functools.partial(_count, query))


def _file(
    query: str,
    fmt: str,
    target: str,
    provenance: dict[str, str],
    max_rows: int,
    max_bytes: int | None,
    uk_dates: bool,
    con: duckdb.DuckDBPyConnection,
) -> Written:
    """The rows streamed into a file, a batch at a time, so the worker holds one batch, and cut
    at max_bytes here in the worker, so no query can fill a disk. The connection has one thread:
    DuckDB then makes each batch when the writer asks for it, instead of a second thread running
    ahead of a slow writer and buffering the result."""
    reader = con.sql(query).to_arrow_reader(EXPORT_BATCH_ROWS)
    with open(target, "wb") as out:
        return write_table(reader, fmt, out, provenance, max_rows, max_bytes=max_bytes, uk_dates=uk_dates)


def export_query(
    db: Path,
    query: str,
    fmt: str,
    target: Path,
    provenance: dict[str, str],
    max_rows: int,
    max_bytes: int | None = None,
    timeout: float = EXPORT_TIMEOUT,
    limits: QueryLimits = DEFAULT_LIMITS,
    uk_dates: bool = False,
) -> Written:
    """The query's rows (at most max_rows, and at most max_bytes of file) written to `target` as
    csv, xlsx or parquet by a worker within the limits, in bounded memory: the rows never pass
    through this process. Dates the UK way or ISO (uk_dates)."""
    task = functools.partial(_file, query, fmt, str(target), provenance, max_rows, max_bytes, uk_dates)
    return _in_worker(db, query, _limits(limits, timeout=timeout, threads=1), task)


def write_query_file(
    db: Path,
    query: str,
    fmt: str,
    target: Path,
    provenance: dict[str, str],
    max_rows: int,
    max_bytes: int | None = None,
    timeout: float = EXPORT_TIMEOUT,
    limits: QueryLimits = DEFAULT_LIMITS,
) -> Written:
    """What export_query's worker does, in this process: the same checks, connection and
    streaming (for measuring what building a file costs the process that builds it)."""
    task = functools.partial(_file, query, fmt, str(target), provenance, max_rows, max_bytes, False)
    return _sandboxed(str(db), query, _limits(limits, timeout=timeout, threads=1), task)
