"""Numbered migrations: how a store's tables change shape without losing a row.

sql/migrations/NNN_name.sql, numbered from 001 without gaps, each opening with
`-- NNN_name: why`. A write applies those a store lacks, in order, each in one transaction
together with its row in schema_migrations (number, name, applied_at); the store's version is
the last migration applied. A store written before migrations existed (no schema_migrations,
the tables of 001_initial) is recognised, its columns checked, and recorded as being at 001.
Adding a column is a new file: `ALTER TABLE recommendations ADD COLUMN ... ;`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl.failures import first_line
from etl.store import sqlfiles

_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
BASELINE = 1  # what a store from before migrations is recognised as: the tables of 001_initial

# Created by the runner itself (it records the others), so not a migration; sql/schema.sql lists it.
BOOKKEEPING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    number     INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""


class MigrationError(RuntimeError):
    """A store the migrations cannot bring up to date, or migration files that are not in order;
    the message is one line for the user."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    path: Path = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.number:03d}_{self.name}"

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations_dir() -> Path:
    return sqlfiles.SQL_DIR / "migrations"


def migrations() -> list[Migration]:
    """Every migration of this code, in order; MigrationError for a misnamed file, a gap or a repeat."""
    found: list[Migration] = []
    for path in sorted(migrations_dir().glob("*.sql")):
        named = _FILE.match(path.name)
        if not named:
            raise MigrationError(f"sql/migrations/{path.name}: a migration is named NNN_name.sql (e.g. 003_add_x.sql)")
        first_line = path.read_text(encoding="utf-8").partition("\n")[0]
        if not first_line.startswith(f"-- {path.stem}:"):
            raise MigrationError(f"sql/migrations/{path.name}: the first line must be '-- {path.stem}: <why>'")
        found.append(Migration(int(named.group(1)), named.group(2), path))
    for earlier, later in zip(found, found[1:]):
        if earlier.number == later.number:
            raise MigrationError(f"sql/migrations: two migrations numbered {later.number:03d}: {earlier.path.name} and {later.path.name}")
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise MigrationError(
                f"sql/migrations: expected migration {expected:03d} next, found {migration.path.name} "
                f"(numbers run from 001 without gaps or repeats)"
            )
    return found


def latest() -> int:
    return len(migrations())


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ? AND database_name = current_database()", [name]
        ).fetchall()
    )


def applied(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, datetime]]:
    """(number, name, applied_at) of every migration recorded in the store; [] when none is
    (a new store, or one written before migrations: see version())."""
    if not _has_table(con, "schema_migrations"):
        return []
    return con.execute("SELECT number, name, applied_at FROM schema_migrations ORDER BY number").fetchall()


def is_legacy(con: duckdb.DuckDBPyConnection) -> bool:
    """A store written before migrations existed: the first release's tables, no schema_migrations."""
    return not _has_table(con, "schema_migrations") and _has_table(con, "reports")


def version(con: duckdb.DuckDBPyConnection) -> int:
    """The last migration applied (0: an empty store; a store from before migrations is at BASELINE)."""
    if is_legacy(con):
        return BASELINE
    done = applied(con)
    return done[-1][0] if done else 0


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """The migrations this code would apply to the store, in order; MigrationError when the store
    was written by a newer version (it holds migrations this code does not know)."""
    known = migrations()
    at = version(con)
    if at > len(known):
        names = {number: name for number, name, _ in applied(con)}
        raise MigrationError(
            f"the store is at migration {at:03d} ({names.get(at, '?')}), written by a newer version "
            f"of slippage than this one (which knows up to {len(known):03d}): upgrade slippage to use it"
        )
    for number, name, _ in applied(con):
        if number <= len(known) and known[number - 1].name != name:
            raise MigrationError(
                f"the store's migration {number:03d} is {name!r}, this code's is {known[number - 1].name!r}: they are not the same history"
            )
    return known[at:]


def _columns(con: duckdb.DuckDBPyConnection, tables: list[str]) -> set[tuple[str, str, str]]:
    return set(
        con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' "
            "AND database_name = current_database() AND list_contains(?, table_name)",
            [tables],
        ).fetchall()
    )


def baseline_columns() -> set[tuple[str, str, str]]:
    """(table, column, type) of every table 001_initial creates, found by running it on an empty database."""
    scratch = duckdb.connect()
    try:
        _run(scratch, migrations()[0].text)
        tables = [name for (name,) in scratch.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return _columns(scratch, tables)
    finally:
        scratch.close()


def _recognise_legacy(con: duckdb.DuckDBPyConnection) -> None:
    """Record a store from before migrations as being at BASELINE, once its tables are known to be
    those of 001_initial (extra columns are kept; a missing one is an error, never a guess)."""
    expected = baseline_columns()
    missing = sorted(expected - _columns(con, sorted({table for table, _, _ in expected})))
    if missing:
        shown = ", ".join(f"{table}.{column} {kind}" for table, column, kind in missing[:3])
        raise MigrationError(
            f"the store has no schema_migrations and its tables are not the first release's "
            f"({len(missing)} columns missing, such as {shown}): it cannot be brought up to date safely"
        )
    first = migrations()[0]
    con.execute("BEGIN TRANSACTION").fetchall()
    con.execute(BOOKKEEPING).fetchall()
    con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [first.number, first.name, datetime.now()]).fetchall()
    con.execute("COMMIT").fetchall()


def _run(con: duckdb.DuckDBPyConnection, text: str) -> None:
    for statement in con.extract_statements(text):
        con.execute(statement).fetchall()


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[Migration]:
    """Apply the migrations the store lacks (up to `upto`, default all), each in one transaction
    with its schema_migrations row; return those applied. A failed migration leaves the store at
    the one before it, and the error names the file."""
    if is_legacy(con):
        _recognise_legacy(con)
    todo = [m for m in pending(con) if upto is None or m.number <= upto]
    if not todo:
        return []
    con.execute(BOOKKEEPING).fetchall()
    for migration in todo:
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            _run(con, migration.text)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [migration.number, migration.name, datetime.now()]).fetchall()
            con.execute("COMMIT").fetchall()
        except duckdb.Error as exc:
            con.execute("ROLLBACK").fetchall()
            raise MigrationError(f"sql/migrations/{migration.path.name} failed: {first_line(exc)}") from exc
    return todo
