"""Each council's layout override in the store (table layout_overrides, sql/migrations/004): saved
as a new version with who and when, never updated in place, so its history is the table; any
version can be restored (as a new version). An override that would not read is refused, never saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl.cleantext import normalise_label
from etl.layouts.overrides import check


@dataclass(frozen=True)
class Version:
    council: str
    version: int
    text: str  # '' when this version took the override away
    saved_by: str
    saved_at: datetime
    note: str | None


_COLUMNS = "council, version, layout_toml, saved_by, saved_at, note"


def key(council: str) -> str:
    return normalise_label(council)


def history(con: duckdb.DuckDBPyConnection, council: str) -> list[Version]:
    """Every version of the council's override, newest first."""
    rows = con.execute(f"SELECT {_COLUMNS} FROM layout_overrides WHERE council_key = ? ORDER BY version DESC", [key(council)]).fetchall()
    return [Version(*row) for row in rows]


def current(con: duckdb.DuckDBPyConnection, council: str) -> Version | None:
    """The version that applies now, or None when the council has none (or it was taken away)."""
    versions = history(con, council)
    return versions[0] if versions and versions[0].text.strip() else None


def save(con: duckdb.DuckDBPyConnection, council: str, text: str, saved_by: str, note: str) -> int:
    """Save the override as the council's next version and return its number; a LayoutsError (naming
    the key at fault) and nothing saved when it would not read. Saving what applies already is no change."""
    if text.strip():
        check(text, council)
    now = current(con, council)
    if (now.text if now else "") == text:
        return now.version if now else 0
    number = con.execute("SELECT coalesce(max(version), 0) + 1 FROM layout_overrides WHERE council_key = ?", [key(council)]).fetchall()[0][
        0
    ]
    con.execute(
        f"INSERT INTO layout_overrides (council_key, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [key(council), council, number, text, saved_by, datetime.now(), note],
    ).fetchall()
    return int(number)


def restore(con: duckdb.DuckDBPyConnection, council: str, version: int, restored_by: str) -> int:
    """Make an earlier version the one that applies (saved again, as the next version)."""
    found = [v for v in history(con, council) if v.version == version]
    if not found:
        raise LookupError(f"{council} has no layout override version {version}")
    return save(con, council, found[0].text, restored_by, f"restored from version {version}")


def texts(con: duckdb.DuckDBPyConnection, councils: set[str]) -> dict[str, str]:
    """The override that applies to each of these councils (by the name given), where one does."""
    found = {council: current(con, council) for council in councils}
    return {council: version.text for council, version in found.items() if version is not None}


def read_history(db: Path, council: str) -> list[Version]:
    """Every version of the council's override in a store file, newest first, read-only: none when
    there is no store, or it is from before overrides."""
    # Imported here: the read-only module brings polars and pyarrow, which a load never needs (a
    # fifth of a 29-page load's time went on importing them).
    from etl.store.readonly import open_safe

    if not db.exists():
        return []
    con = open_safe(db)  # as the apps open a store: DuckDB refuses two configurations of one file in a process
    try:
        held = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'layout_overrides'").fetchall()
        return history(con, council) if held[0][0] else []
    finally:
        con.close()


def read_current(db: Path, council: str) -> Version | None:
    """The council's override that applies now in a store file (read-only), or None."""
    versions = read_history(db, council)
    return versions[0] if versions and versions[0].text.strip() else None
