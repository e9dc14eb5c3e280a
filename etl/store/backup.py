"""Backups in open formats: `python -m etl export DIR` writes every table of the store as Parquet,
with the migrations applied and a manifest; `python -m etl import DIR --db NEW` makes a new store
from such a folder. A store file written by one DuckDB version may not open in another; Parquet
opens in any version and any tool, so this is the way out.

The folder:

    manifest.json          what was exported: the store's migrations, its sequences' values, and
                           for every table its file, row count, columns, checksum and kind
    schema.sql             each table's CREATE statement, as DuckDB reports it (for people and tools)
    migrations/NNN_*.sql   the migrations the store had applied, as this code has them
    tables/<table>.parquet one file per table, every row

An import builds the store at the export's migration, inserts the data tables' rows with their
own ids, restores the migration history and the sequences, then applies any later migrations
and rebuilds what is derived (seeds, materialised tables) with the importing code: the figures
are those the original store shows."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.parse import content_hash
from etl.store import migrations, storage
from etl.store.store import StoreError, apply_schema, refresh_marts, storage_version

FORMAT = "slippage-store-export"
FORMAT_VERSION = 1
# manifest.json as read: format, version, migrations, sequences and tables, checked before use.
Manifest = dict[str, Any]
HISTORY = "schema_migrations"  # restored row by row: when each migration was applied
BOOKKEEPING = {HISTORY, "derived_objects"}  # written by the migrations runner and every write


@dataclass
class BackupSummary:
    folder: Path
    store: Path
    version: int
    tables: dict[str, int]  # rows per table exported or restored


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def data_tables(version: int) -> list[str]:
    """The tables that hold data at a migration: those the migrations up to it create, bookkeeping
    aside. Everything else in a store (seeds, materialised tables) is derived, and rebuilt."""
    scratch = duckdb.connect()
    try:
        migrations.migrate(scratch, upto=version)
        return [
            name
            for (name,) in scratch.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()
            if name not in BOOKKEEPING
        ]
    finally:
        scratch.close()


def export_store(db: Path, folder: Path) -> BackupSummary:
    """Write every table of the store at `db` into `folder` (new, or empty)."""
    if not db.exists():
        raise StoreError(f"no store at {db}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StoreError(f"{folder} already exists and is not an empty folder: export into a new folder")
    con = duckdb.connect(str(db), read_only=True)  # a consistent snapshot, even if a write renames a new file in
    try:
        version = migrations.version(con)
        history = _migration_history(con, version)
        known = {m.number: m for m in migrations.migrations()}
        (folder / "tables").mkdir(parents=True, exist_ok=True)
        (folder / "migrations").mkdir(exist_ok=True)
        tables, schema = _write_tables(con, folder, set(data_tables(min(version, len(known)))))
        sequences = dict(
            con.execute("SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database()").fetchall()
        )
        schema[:0] = [
            sql
            for (sql,) in con.execute(
                "SELECT sql FROM duckdb_sequences() WHERE database_name = current_database() ORDER BY sequence_name"
            ).fetchall()
        ]
        for entry in history:
            if entry["number"] in known:
                shutil.copyfile(known[entry["number"]].path, folder / "migrations" / known[entry["number"]].path.name)
    finally:
        con.close()
    (folder / "schema.sql").write_text(
        "-- The store's tables as DuckDB reports them; restore with python -m etl import.\n" + "\n".join(schema) + "\n", encoding="utf-8"
    )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": datetime.now().isoformat(),
        "source": str(db),
        "duckdb_version": duckdb.__version__,
        "version": version,
        "migrations": history,
        "sequences": sequences,
        "tables": tables,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupSummary(folder, db, version, {t["name"]: t["rows"] for t in tables})


def _migration_history(con: duckdb.DuckDBPyConnection, version: int) -> list[dict[str, Any]]:
    """The migrations the store has had, oldest first; a store written before migrations were
    recorded is recognised as the first."""
    history: list[dict[str, Any]] = [
        {"number": number, "name": name, "applied_at": applied_at.isoformat()} for number, name, applied_at in migrations.applied(con)
    ]
    if not history and version:
        history = [{"number": version, "name": migrations.migrations()[version - 1].name, "applied_at": None}]
    return history


def _write_tables(con: duckdb.DuckDBPyConnection, folder: Path, data: set[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Each table as Parquet under folder/tables, with its manifest entry; and its CREATE statement."""
    tables, schema = [], []
    for name, sql in con.execute(
        "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name"
    ).fetchall():
        file = folder / "tables" / f"{name}.parquet"
        con.execute(f'COPY (SELECT * FROM "{name}") TO {_quoted(file)} (FORMAT parquet, COMPRESSION zstd)').fetchall()
        columns = con.execute(f'SELECT column_name, column_type FROM (DESCRIBE "{name}")').fetchall()
        rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
        kind = "history" if name == HISTORY else "data" if name in data else "derived"
        tables.append(
            {
                "name": name,
                "file": f"tables/{name}.parquet",
                "rows": rows,
                "kind": kind,
                "columns": [list(c) for c in columns],
                "sha256": content_hash(file),
            }
        )
        schema.append(sql.rstrip(";") + ";")
    return tables, schema


def read_manifest(folder: Path) -> Manifest:
    path = folder / "manifest.json"
    if not path.is_file():
        raise StoreError(f"{folder} holds no manifest.json: not a folder written by python -m etl export")
    try:
        manifest: Manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise StoreError(f"{path} is not valid JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise StoreError(f"{path} is not a slippage store export (format {manifest.get('format')!r})")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise StoreError(f"{path} was written in a newer export format ({manifest['format_version']}): upgrade slippage")
    return manifest


def _check(folder: Path, manifest: Manifest) -> None:
    known = migrations.migrations()
    version = manifest["version"]
    if version > len(known):
        raise StoreError(
            f"the export is at migration {version:03d}, newer than this version of slippage knows "
            f"({len(known):03d}): upgrade slippage to import it"
        )
    for entry in manifest["migrations"]:
        if known[entry["number"] - 1].name != entry["name"]:
            raise StoreError(
                f"the export's migration {entry['number']:03d} is {entry['name']!r}, this code's is "
                f"{known[entry['number'] - 1].name!r}: not the same history"
            )
    for table in manifest["tables"]:
        file = folder / table["file"]
        if not file.is_file():
            raise StoreError(f"{file} is missing")
        if table.get("sha256") and content_hash(file) != table["sha256"]:
            raise StoreError(f"{file} is not the file exported (its checksum differs): the backup is damaged")


def import_store(folder: Path, db: Path) -> BackupSummary:
    """A new store at `db` from an export folder; refuses to replace anything at `db`."""
    if db.exists() or db.is_symlink():
        raise StoreError(
            f"{db} already exists: an import makes a new store, it never replaces one "
            f"(choose a new file, or move the existing one away first)"
        )
    manifest = read_manifest(folder)
    _check(folder, manifest)
    version = manifest["version"]
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db.name + ".", suffix=".importing", dir=db.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    restored: dict[str, int] = {}
    try:
        con, _ = storage.connect(tmp, storage_version())  # a new file, in the storage version of the setting
        try:
            migrations.migrate(con, upto=version)
            con.execute("BEGIN TRANSACTION").fetchall()
            for table in manifest["tables"]:
                if table["kind"] != "data":
                    continue
                con.execute(
                    f'INSERT INTO "{table["name"]}" BY NAME SELECT * FROM read_parquet(?)', [str(folder / table["file"])]
                ).fetchall()
                restored[table["name"]] = con.execute(f'SELECT count(*) FROM "{table["name"]}"').fetchall()[0][0]
                if restored[table["name"]] != table["rows"]:
                    raise StoreError(f"{table['file']}: {restored[table['name']]} rows read, the manifest says {table['rows']}")
            con.execute(f"DELETE FROM {HISTORY}").fetchall()
            for entry in manifest["migrations"]:
                con.execute(
                    f"INSERT INTO {HISTORY} VALUES (?, ?, ?)", [entry["number"], entry["name"], entry["applied_at"] or datetime.now()]
                ).fetchall()
            for name, value in manifest["sequences"].items():
                if value is not None:
                    con.execute("SELECT setval(?, ?)", [name, value]).fetchall()
            con.execute("COMMIT").fetchall()
            apply_schema(con)  # the migrations after the export's, seeds, staging
            refresh_marts(con)  # every materialised table rebuilt whole
            con.execute("CHECKPOINT").fetchall()
        finally:
            con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, db)  # never over a store that appeared meanwhile
        except FileExistsError:
            raise StoreError(f"{db} appeared while importing: left as it is") from None
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return BackupSummary(folder, db, migrations.latest(), restored)
