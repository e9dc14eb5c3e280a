"""Where the store lives and how it is opened. Only the loader opens it for writing."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
DEFAULT_DB = ROOT / "data" / "audit.duckdb"
SAMPLES_DIR = ROOT / "data" / "samples"


def db_path(given: str | os.PathLike | None = None) -> Path:
    """The database file: the one given, else $SLIPPAGE_DB, else data/audit.duckdb."""
    return Path(given or os.environ.get("SLIPPAGE_DB") or DEFAULT_DB)


def sql_text(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def views_version() -> str:
    """Identifies this code's tables and views; stored in the store by every load."""
    return hashlib.sha256((sql_text("schema.sql") + sql_text("views.sql")).encode()).hexdigest()[:16]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables if missing and (re)create every view, so a store follows the code."""
    for name in ("schema.sql", "views.sql"):
        for statement in con.extract_statements(sql_text(name)):
            con.execute(statement).fetchall()
    con.execute("CREATE OR REPLACE TABLE store_version AS SELECT ? AS views_version", [views_version()]).fetchall()


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a store's views are this code's (an older store is brought up to date by a load)."""
    try:
        return con.execute("SELECT views_version FROM store_version").fetchall() == [(views_version(),)]
    except duckdb.Error:
        return False


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
