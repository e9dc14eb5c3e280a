"""The store's derived objects (the views, macros and materialised tables of sql/macros,
sql/staging and sql/marts): what each one's definition is, which are out of date, and how a write
keeps the materialised tables (slippage_facts, movement_by_report) right.

A materialised table is rebuilt whole only when its definition changed (its SQL, comments and
spacing aside, or anything it reads: another object, a seed's rows) or a migration ran. Otherwise a
write that adds or removes a report recomputes just that report's council, in the write's own
transaction: every window in the staging views partitions by council, so one council computed
alone gives exactly its rows computed with all the others. The council filter is the macro
in_refresh_scope(council) on the staging views' scans, driven by the session variable
refresh_councils, which only a refresh sets."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import duckdb

from etl.store import seeds, sqlfiles

SCOPE_VARIABLE = "refresh_councils"
REFRESH_MEMORY_FLOOR_MB = 48
_bounded: contextvars.ContextVar[bool] = contextvars.ContextVar("bounded_refresh", default=True)
_TOKENS = re.compile(r"--[^\n]*|'(?:[^']|'')*'|\s+")
_CREATE_TABLE = re.compile(r"\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+(\w+)\s+AS\s+", re.IGNORECASE)
_DROP = {"view": "VIEW", "table": "TABLE", "macro": "MACRO", "table macro": "MACRO TABLE"}


def normalised(text: str) -> str:
    """SQL as it means: comments gone, runs of spacing one space, quoted strings as written."""

    def token(match: re.Match[str]) -> str:
        found = match.group()
        if found.startswith("--"):
            return ""
        return found if found.startswith("'") else " "

    return _TOKENS.sub(token, text).strip().rstrip(";").strip()


def _without_comments(text: str) -> str:
    """The text with its comments blanked, each character kept in place (strings untouched)."""
    return _TOKENS.sub(lambda m: " " * len(m.group()) if m.group().startswith("--") else m.group(), text)


def derived_objects() -> list[sqlfiles.SqlObject]:
    """The staging layer then the marts, each in the order a write creates them."""
    return [*sqlfiles.staging_objects(), *sqlfiles.mart_objects()]


def materialised(objects: Iterable[sqlfiles.SqlObject] | None = None) -> list[sqlfiles.SqlObject]:
    """The tables among the derived objects, in the order a write fills them."""
    return [obj for obj in (derived_objects() if objects is None else objects) if obj.kind == "table"]


def table_query(obj: sqlfiles.SqlObject) -> str:
    """The query of a `CREATE OR REPLACE TABLE name AS <query>` file, to insert its rows for some councils."""
    text = obj.text
    created = _CREATE_TABLE.match(_without_comments(text))
    if not created:
        raise sqlfiles.SqlLayoutError(f"{obj.file}: a materialised table is written CREATE OR REPLACE TABLE {obj.name} AS <query>")
    return text[created.end() :].strip().rstrip(";").strip()


def definitions() -> dict[str, tuple[str, str]]:
    """name -> (kind, definition) of every derived object: a hash of its SQL (comments and spacing
    aside), of the definitions of the objects it mentions and of the rows of the seeds it reads.
    Changes when anything that shapes the object's rows changes; editing a comment changes nothing."""
    objects = derived_objects()
    seed_rows = {seed.table: (seeds.SEEDS_DIR / seed.file).read_bytes() for seed in seeds.SEEDS}
    names = {obj.name for obj in objects} | set(seed_rows)
    found: dict[str, tuple[str, str]] = {}
    for obj in objects:  # in dependency order, so what it mentions is already hashed
        digest = hashlib.sha256(f"{obj.kind}\0{normalised(obj.text)}".encode())
        for name in sorted(sqlfiles.mentions(obj, names)):
            digest.update(b"\0" + name.encode() + b"\0")
            digest.update(seed_rows[name] if name in seed_rows else found[name][1].encode())
        found[obj.name] = (obj.kind, digest.hexdigest()[:16])
    return found


def recorded(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """name -> (kind, definition) as the store last recorded them; {} for a store that records none."""
    try:
        return {
            name: (kind, definition)
            for name, kind, definition in con.execute("SELECT name, kind, definition FROM derived_objects").fetchall()
        }
    except duckdb.CatalogException:
        return {}


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ? AND database_name = current_database()", [table]
        ).fetchall()
    )


def out_of_date(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Derived objects whose definition in the store is not this code's, that it lacks, or that
    this code no longer defines."""
    ours, theirs = definitions(), recorded(con)
    return [name for name, defined in ours.items() if theirs.get(name) != defined] + sorted(set(theirs) - set(ours))


def stale_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Materialised tables a write must rebuild whole: missing, or defined differently from this code."""
    ours, theirs = definitions(), recorded(con)
    return [obj.name for obj in materialised() if theirs.get(obj.name) != ours[obj.name] or not table_exists(con, obj.name)]


def drop_retired(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the derived objects the store records that this code no longer defines."""
    ours = definitions()
    for name, (kind, _) in recorded(con).items():
        if name not in ours:
            con.execute(f"DROP {_DROP[kind]} IF EXISTS {name}").fetchall()


def record(con: duckdb.DuckDBPyConnection, rebuilt: Iterable[str]) -> None:
    """Write this code's definitions into derived_objects; an object keeps its defined_at unless its
    definition changed or (a table) it was rebuilt."""
    if not table_exists(con, "derived_objects"):
        return  # a store not yet migrated to 002 (only while a migration is being tested)
    rebuilt, ours = set(rebuilt), definitions()
    kept = {
        name: at
        for name, definition, at in con.execute("SELECT name, definition, defined_at FROM derived_objects").fetchall()
        if name not in rebuilt and ours.get(name, (None, None))[1] == definition
    }
    now = datetime.now()
    rows = [(name, kind, definition, kept.get(name, now)) for name, (kind, definition) in ours.items()]
    con.execute("DELETE FROM derived_objects").fetchall()
    con.executemany("INSERT INTO derived_objects VALUES (?, ?, ?, ?)", rows)


def refresh_memory_mb(rows: int) -> int:
    """The memory DuckDB may manage while recomputing councils that hold `rows` record rows in all:
    a floor, and 2 KB a row, half as much again as a full rebuild takes a row (1.3 GB for a million);
    a council of 228,000 rows, far beyond any real one, refreshes within it.
    Without a bound DuckDB keeps every block a write reads cached until the process ends, and a
    council's rows are spread over the file (a run per report), so a write's peak memory grew with
    the store rather than with the councils it touched; within it, blocks read are evicted and big
    operators spill to disk. Should a refresh need more all the same, the write is run again
    without the bound (unbounded())."""
    return REFRESH_MEMORY_FLOOR_MB + rows * 2 // 1024


@contextmanager
def unbounded() -> Iterator[None]:
    """Refreshes within the block run without refresh_memory_mb()'s bound."""
    token = _bounded.set(False)
    try:
        yield
    finally:
        _bounded.reset(token)


def end_scope(con: duckdb.DuckDBPyConnection) -> None:
    """Every council visible to the staging views again, and DuckDB's own memory limit and threads
    (a no-op outside a refresh)."""
    con.execute(f"RESET VARIABLE {SCOPE_VARIABLE}").fetchall()
    con.execute("RESET memory_limit").fetchall()
    con.execute("RESET threads").fetchall()


def refresh_councils(con: duckdb.DuckDBPyConnection, councils: Iterable[str]) -> None:
    """Recompute the materialised tables' rows of these councils, and nothing else, in the caller's
    transaction: each table's rows of the councils are deleted and its query, run with the staging
    views scoped to them, inserts them again. The work is one council's: it runs on one thread in
    memory in proportion to the councils' rows (refresh_memory_mb)."""
    scope = sorted({council for council in councils if council is not None})
    if not scope:
        return
    rows = con.execute("SELECT coalesce(sum(record_count), 0) FROM reports WHERE list_contains(?, council)", [scope]).fetchall()[0][0]
    con.execute(f"SET VARIABLE {SCOPE_VARIABLE} = ?", [scope]).fetchall()
    if _bounded.get():
        con.execute(f"SET memory_limit = '{refresh_memory_mb(rows)}MB'").fetchall()
    con.execute("SET threads = 1").fetchall()
    try:
        for obj in materialised():
            con.execute(f"DELETE FROM {obj.name} WHERE list_contains(?, council)", [scope]).fetchall()
            con.execute(f"INSERT INTO {obj.name} BY NAME {table_query(obj)}").fetchall()
    finally:
        # In a transaction a failed statement has aborted, this fails too: the caller rolls back,
        # and the next refresh sets the scope again (a full rebuild clears it first).
        with contextlib.suppress(duckdb.Error):
            end_scope(con)


def rebuild_all(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every materialised table whole (after a bulk write such as `etl synth`), in the
    caller's transaction."""
    end_scope(con)
    for obj in materialised():
        sqlfiles.run_sql(con, obj.text)
