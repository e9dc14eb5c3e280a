"""Helpers for tests of whole stores: every table and mart of a store as rows, and the same after a
full rebuild, to compare stores made different ways."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl.store.sqlfiles import sql_objects
from etl.store.store import refresh_marts

BASE_TABLES = ("reports", "recommendations", "target_events", "ingest_log", "parse_warnings")


def relations() -> list[str]:
    """Every table and view a store holds that can be read without arguments: the base tables, the
    seeds, the staging views and the marts (table macros are read through the views that call them)."""
    return [
        obj.name
        for obj in sql_objects()
        if obj.kind in ("table", "view", "seed") and obj.name not in ("schema_migrations", "derived_objects")
    ]


def rows(con: duckdb.DuckDBPyConnection, relation: str, exclude: tuple[str, ...] = ()) -> list[tuple]:
    columns = [name for (name,) in con.execute(f"SELECT column_name FROM (DESCRIBE {relation})").fetchall() if name not in exclude]
    return con.execute(f"SELECT {', '.join(columns)} FROM {relation} ORDER BY ALL").fetchall()


def snapshot(db: Path, names: list[str] | None = None) -> dict[str, list[tuple]]:
    """name -> every row, in a fixed order, of each relation (default: all of relations())."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: rows(con, name) for name in (names or relations())}
    finally:
        con.close()


def rebuilt_snapshot(db: Path, work: Path, names: list[str] | None = None) -> dict[str, list[tuple]]:
    """snapshot() of a copy of the store whose materialised tables were rebuilt whole."""
    copy = work / f"rebuilt-{db.name}"
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    try:
        refresh_marts(con)  # every materialised table rebuilt from the staging views
        con.execute("CHECKPOINT").fetchall()
    finally:
        con.close()
    try:
        return snapshot(copy, names)
    finally:
        copy.unlink()
