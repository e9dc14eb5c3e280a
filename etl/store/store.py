"""The store: one DuckDB file, where it is, how it is read and written, and which version of the
tables and views it holds. Only the ETL writes it, always through Store.writing(), or a load
through a draft it publishes (Store.draft(), Store.publish())."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import settings
from etl.failures import first_line
from etl.store import derived, migrations, seeds, storage
from etl.store.sqlfiles import make_room, mart_objects, run_sql, staging_objects

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "data" / "samples"


def db_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The database file: the one given, else $SLIPPAGE_DB, else audit.duckdb in $SLIPPAGE_DATA_DIR
    (data/ by default)."""
    return Path(given or settings.DB.value() or settings.default_db())


# The storage version stores are written in: DuckDB 1.4 (the long-term-support release BI drivers
# pin) and every later release, 1.5 and 2.0 included, open it. DuckDB 2.0's own format opens in 2.0
# only. $SLIPPAGE_STORAGE_VERSION gives another (etl/store/storage.py says what a change does).
DEFAULT_STORAGE_VERSION = settings.STORAGE_VERSION.default


def storage_version() -> storage.StorageVersion:
    """The storage version of the setting: $SLIPPAGE_STORAGE_VERSION, else DEFAULT_STORAGE_VERSION;
    StoreError (one line) for one DuckDB cannot write."""
    try:
        return storage.StorageVersion.parse(settings.STORAGE_VERSION.value())
    except storage.StorageVersionError as exc:
        raise StoreError(f"{settings.STORAGE_VERSION.name}: {exc}") from None


def load_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load every seed CSV into its table (seed_risk_levels, ...), rows in sort order."""
    for seed in seeds.SEEDS:
        rows = seeds.read_seed(seed)
        columns = seed.columns
        con.execute(f"CREATE OR REPLACE TABLE {seed.table} ({', '.join(f'{c} {t}' for c, t in columns)})").fetchall()
        placeholders = ", ".join("?" for _ in columns)
        if rows:
            con.executemany(f"INSERT INTO {seed.table} VALUES ({placeholders})", [[getattr(row, c) for c, _ in columns] for row in rows])


def apply_schema(con: duckdb.DuckDBPyConnection) -> list[migrations.Migration]:
    """Bring the tables up to date (the migrations the store lacks, etl/store/migrations.py),
    (re)load the seeds and (re)create the staging layer (macros and views), each object after
    those it mentions. Returns the migrations applied."""
    applied = migrations.migrate(con)
    load_seeds(con)
    objects = staging_objects()
    make_room(con, objects)
    for obj in objects:
        run_sql(con, obj.text)
    return applied


def refresh_marts(con: duckdb.DuckDBPyConnection, rebuild: Iterable[str] | None = None) -> list[str]:
    """(Re)create the marts, each after those it mentions: every view and macro, and each
    materialised table named in `rebuild` (default: all of them) or missing, rebuilt whole from the
    staging views; a table not named keeps its rows (writes keep them right council by council,
    etl/store/derived.py). Records every derived object's definition; returns the tables rebuilt."""
    derived.end_scope(con)
    objects = mart_objects()
    wanted = {obj.name for obj in objects if obj.kind == "table"} if rebuild is None else set(rebuild)
    derived.drop_retired(con)
    make_room(con, objects)
    rebuilt = []
    for obj in objects:
        if obj.kind == "table":
            if obj.name not in wanted and derived.table_exists(con, obj.name):
                continue
            rebuilt.append(obj.name)
        run_sql(con, obj.text)
    derived.record(con, rebuilt)
    return rebuilt


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a store is this code's: every migration applied, every derived object defined as
    this code defines it, and the file in a storage version the setting's DuckDB opens (a store
    that is not is brought up to date by `etl migrate` or any write). Works on a read-only connection."""
    try:
        return not migrations.pending(con) and not derived.out_of_date(con) and storage.fits(con, storage_version())
    except (migrations.MigrationError, StoreError, duckdb.Error):  # StoreError: a storage version DuckDB cannot write
        return False


class StoreError(RuntimeError):
    """The store cannot be written as asked; the message is one line for the user."""


@dataclass
class WriteSummary:
    """What a write did besides the caller's own changes."""

    migrations: list[migrations.Migration] = field(default_factory=list)  # applied
    rebuilt: list[str] = field(default_factory=list)  # materialised tables rebuilt whole
    version: int = 0  # the store's version after the write
    copy_seconds: float = 0.0  # copying the store aside (the cost of copy-on-write)
    rewritten: bool = False  # a report left, so the store was rewritten into a fresh file
    storage_before: storage.StorageVersion | None = None  # the file's storage version before the write
    storage_after: storage.StorageVersion | None = None  # and after it (differs when it was rewritten)


class Store:
    """One store file. A write works on a copy beside it and renames the copy over it, so a
    reader keeps a consistent file open, a write never waits on a reader, and a write killed
    half-way leaves the previous store untouched. The copy is the file's bytes (0.1-0.2 s for a
    million rows, bench/RESULTS.md section 6); the rest of a write is the work of the councils it touches.

    `path` may be a symbolic link: the file it points to is the one replaced, and it keeps its
    mode and (where the writer may set them) its owner and group."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.last_write = WriteSummary()

    @classmethod
    def at(cls, given: str | os.PathLike[str] | None = None) -> Store:
        return cls(db_path(given))

    @property
    def real_path(self) -> Path:
        """The file a write replaces: the path with every symbolic link followed."""
        return Path(os.path.realpath(self.path))

    def file_version(self) -> tuple[int, int] | None:
        """Changes whenever a write renames a new file into place: the key for reopening and caches."""
        try:
            found = self.path.stat()
        except FileNotFoundError:
            return None
        return found.st_ino, found.st_mtime_ns

    def migrate(self) -> WriteSummary:
        """Bring an existing store up to this code (migrations, derived objects) by an empty write."""
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}")
        with self.writing():
            pass
        return self.last_write

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable copy of the store, brought up to date (migrations applied, derived objects
        re-created, a materialised table rebuilt whole only if its definition changed), renamed
        over the store when the block ends without error. A write that took a report out (a
        removal, a replacement) is rewritten into a fresh file first, so no byte of it remains."""
        db = self.real_path
        with _write_lock(db):
            draft = Draft.copy_of(db, _draft_name(db, ".loading"), locked=True)
            try:
                assert draft.con is not None  # open until finished
                yield draft.con
                draft.finish()
                draft.put_in_place()
                self.last_write = draft.summary
            finally:
                draft.discard()

    def draft(self) -> Draft | None:
        """A writable copy of the store made without the write lock, for a load to prepare while
        its files are read and to write into as they come (see Draft); None where one cannot be
        made now (the locked write says why)."""
        db = self.real_path
        if Path(str(db) + ".wal").exists():
            return None  # another program's log: only the locked write may fold it in
        try:
            return Draft.copy_of(db, _draft_name(db, f".{os.getpid()}.draft"), locked=False)
        except (StoreError, migrations.MigrationError, duckdb.Error, OSError):
            return None

    def publish(self, draft: Draft) -> bool:
        """The draft renamed over the store, if the store is still the file it was copied from
        (or still absent); False, and the draft discarded, if another write came first: the
        caller writes again under the lock. Only the rename holds the lock."""
        db = self.real_path
        try:
            draft.finish()
            with _write_lock(db):
                if not draft.base.unchanged(db):
                    return False
                draft.put_in_place()
            self.last_write = draft.summary
            return True
        finally:
            draft.discard()


@dataclass
class _Base:
    """The store file a draft was copied from, held open (so its inode is not reused) to tell at
    publication whether another write replaced or changed it since."""

    fd: int | None
    identity: tuple[int, int, int, int] | None

    @classmethod
    def of(cls, db: Path) -> _Base:
        try:
            fd = os.open(db, os.O_RDONLY)
        except FileNotFoundError:
            return cls(None, None)
        return cls(fd, _identity(os.fstat(fd)))

    def unchanged(self, db: Path) -> bool:
        try:
            now = _identity(db.stat())
        except FileNotFoundError:
            now = None
        return now == self.identity and not Path(str(db) + ".wal").exists()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _identity(found: os.stat_result) -> tuple[int, int, int, int]:
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


class Draft:
    """A copy of the store beside it, brought up to date and open for writing; renamed over the
    store when done. Copy-on-write is what lets a reader keep a consistent file and a killed write
    leave the previous store untouched."""

    def __init__(self, db: Path, tmp: Path, target: storage.StorageVersion) -> None:
        self.db, self.tmp, self.target = db, tmp, target
        self.summary = WriteSummary()
        self.base = _Base.of(db)
        self.con: duckdb.DuckDBPyConnection | None = None
        self.held: set[int] = set()

    @classmethod
    def copy_of(cls, db: Path, tmp: Path, locked: bool) -> Draft:
        """The store copied to `tmp` and brought up to date; `locked`: under the write lock."""
        try:
            draft = cls(db, tmp, storage_version())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            draft._copy(locked)
            draft._bring_up_to_date()
        except BaseException:
            draft.discard()
            raise
        return draft

    def _copy(self, locked: bool) -> None:
        started = time.perf_counter()
        if self.base.fd is None:
            self.tmp.unlink()
        elif not locked and Path(str(self.db) + ".wal").exists():
            # only a write under the lock may fold another program's log into the store
            raise StoreError(f"{self.db} has a write-ahead log beside it")
        else:
            _copy_store(self.db, self.tmp)
        self.summary.copy_seconds = time.perf_counter() - started

    def _bring_up_to_date(self) -> None:
        self.con, found = storage.connect(self.tmp, self.target)
        con = self.con
        self.summary.storage_before = found if self.base.fd is not None else None
        self.summary.storage_after = storage.of(con)
        con.execute("SET enable_progress_bar = false").fetchall()  # a load prints its own progress
        self.summary.migrations = apply_schema(con)
        outdated = None if self.summary.migrations else derived.stale_tables(con)
        self.summary.rebuilt = refresh_marts(con, rebuild=outdated)
        self.held = _report_ids(con)

    def finish(self) -> None:
        """The file made whole: checkpointed, closed, rewritten if a report left, on disk."""
        con = self.con
        assert con is not None
        try:
            self.summary.version = migrations.version(con)
            self.summary.rewritten = bool(self.held - _report_ids(con))
            con.execute("CHECKPOINT").fetchall()
        finally:
            con.close()
            self.con = None
        if self.summary.rewritten:  # DuckDB leaves deleted rows in free blocks: only live rows may remain
            storage.rewrite(self.tmp, self.target)
        with open(self.tmp, "rb") as fh:
            os.fsync(fh.fileno())

    def put_in_place(self) -> None:
        """The finished file renamed over the store (under the write lock)."""
        if self.base.fd is not None:
            _keep_mode_and_owner(os.fstat(self.base.fd), self.tmp)
        os.replace(self.tmp, self.db)
        _fsync_dir(self.db.parent)

    def discard(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        self.base.close()
        self.tmp.unlink(missing_ok=True)
        Path(str(self.tmp) + ".wal").unlink(missing_ok=True)


@contextmanager
def _write_lock(db: Path) -> Iterator[None]:
    """One writer at a time (readers never wait); files left by a write that was killed go."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in db.parent.glob(db.name + ".*.loading*"):
            stale.unlink(missing_ok=True)
        for draft in db.parent.glob(db.name + ".*.draft*"):
            if not _alive(_drafted_by(draft)):
                draft.unlink(missing_ok=True)
        yield


def _draft_name(db: Path, suffix: str) -> Path:
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=db.name + ".", suffix=suffix, dir=db.parent)
    os.close(fd)
    return Path(name)


def _drafted_by(draft: Path) -> int:
    """The process a draft file belongs to: its name ends .<pid>.draft (or .draft.wal)."""
    name = draft.name.removesuffix(".wal").removesuffix(".draft")
    pid = name.rsplit(".", 1)[-1]
    return int(pid) if pid.isdigit() else 0


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process, alive
        return True
    return True


def _report_ids(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {report_id for (report_id,) in con.execute("SELECT report_id FROM reports").fetchall()}


def _copy_store(db: Path, tmp: Path) -> None:
    """The store's bytes beside it. A write-ahead log another program left beside the store (our
    writes never leave one) is first folded into the store by DuckDB itself, in place, as opening
    it would: copied alongside, it would outlive the rename and stop the new store from opening."""
    if Path(str(db) + ".wal").exists():
        try:
            con = duckdb.connect(str(db))
            con.execute("CHECKPOINT").fetchall()
            con.close()
        except duckdb.Error as exc:
            raise StoreError(
                f"{db} has a write-ahead log left by another program and cannot take it in now "
                f"({first_line(exc)}): close whatever has the store open and write again"
            ) from None
    shutil.copyfile(db, tmp)


def _keep_mode_and_owner(was: os.stat_result, tmp: Path) -> None:
    """The new file takes the old one's permission bits, and its owner and group where this process
    may give them (root may; anyone may give a group they belong to)."""
    os.chmod(tmp, stat.S_IMODE(was.st_mode))
    now = tmp.stat()
    if (now.st_uid, now.st_gid) != (was.st_uid, was.st_gid):
        for uid, gid in ((was.st_uid, was.st_gid), (-1, was.st_gid)):
            try:
                os.chown(tmp, uid, gid)
                break
            except PermissionError:
                continue


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
