"""Which DuckDB releases can open a store file: the storage version it is written in.

DuckDB 2.0 writes a new file in its own storage format by default, which no 1.x release opens
("version number 69, but we can only read versions between 64 and 68"), and analysts open the
store in 1.x clients (the DuckDB command line, DBeaver's and BI tools' drivers). So every store
is created in the storage version of the setting (etl/store/store.py, storage_version()), and a
store file in a newer format than the setting is rewritten into it, whole and on a private copy,
by the next write (`python -m etl migrate` is such a write). A file in an older format stays as
it is: every client of the setting's release reads it too."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)\+?$")
OLDEST = (1, 0, 0)  # the first release whose files later releases promise to read


class StorageVersionError(ValueError):
    """A storage version that is not one DuckDB can write; the message is one line for the user."""


@dataclass(frozen=True, order=True)
class StorageVersion:
    """A DuckDB storage version, such as v1.4.0: files in it open in that release and every later one."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> StorageVersion:
        """'v1.4.0' (or '1.4.0', or DuckDB's own 'v1.4.0+'), between v1.0.0 and the installed DuckDB."""
        found = _VERSION.match(text.strip())
        if not found:
            raise StorageVersionError(f"{text!r} is not a DuckDB storage version: write it as v1.4.0")
        version = cls(*(int(part) for part in found.groups()))
        newest = installed()
        if not OLDEST <= (version.major, version.minor, version.patch) <= (newest.major, newest.minor, newest.patch):
            raise StorageVersionError(
                f"storage version {version} is outside what this DuckDB ({duckdb.__version__}) "
                f"can write: give one from v{'.'.join(map(str, OLDEST))} to {newest}"
            )
        return version

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    @property
    def release(self) -> str:
        """The DuckDB release line that opens it and every one after: '1.4'."""
        return f"{self.major}.{self.minor}"


def installed() -> StorageVersion:
    """The installed DuckDB's own release, the newest storage version it writes."""
    major, minor, patch = (int(number) for number in re.findall(r"\d+", duckdb.__version__)[:3])
    return StorageVersion(major, minor, patch)


def of(con: duckdb.DuckDBPyConnection) -> StorageVersion | None:
    """The storage version of the file a connection has open (None for a database in memory)."""
    found = con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    text = found[0][0] if found else None
    return StorageVersion.parse(text) if text else None


def fits(con: duckdb.DuckDBPyConnection, target: StorageVersion) -> bool:
    """Whether the file a connection has open opens in DuckDB `target` and later."""
    found = of(con)
    return found is None or found <= target


def connect(path: Path, target: StorageVersion) -> tuple[duckdb.DuckDBPyConnection, StorageVersion | None]:
    """A writable connection to a store file, and the storage version the file was in: a new file
    is created in `target`; an existing one in a newer format is first rewritten into `target`
    (rewrite()), in place, so `path` must be a private copy."""
    con = duckdb.connect(str(path), config={"storage_compatibility_version": str(target)})
    found = of(con)
    if found is None or found <= target:
        return con, found
    con.close()
    rewrite(path, target)
    return duckdb.connect(str(path), config={"storage_compatibility_version": str(target)}), found


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def rewrite(path: Path, target: StorageVersion) -> None:
    """The file at `path` written again in `target`: every table with its rows, every view, macro
    and sequence (with its value) copied by DuckDB's COPY FROM DATABASE into a new file, which
    then replaces it."""
    fresh = path.with_name(path.name + ".rewrite")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_quoted(path)} AS old_format (READ_ONLY)").fetchall()
        con.execute(f"ATTACH {_quoted(fresh)} AS new_format (STORAGE_VERSION '{target}')").fetchall()
        con.execute("COPY FROM DATABASE old_format TO new_format").fetchall()
        con.execute("DETACH new_format").fetchall()
        con.close()
        os.replace(fresh, path)
    finally:
        con.close()
        fresh.unlink(missing_ok=True)
        Path(str(fresh) + ".wal").unlink(missing_ok=True)
