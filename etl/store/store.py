"""The store: one DuckDB file, where it is, how it is read and written, and which version of the
tables and views it holds. Only the ETL writes it, always through Store.writing()."""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.failures import first_line
from etl.store import seeds, storage

ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / "sql"
# The folder of the default store and the dashboard's demo: data/, or $SLIPPAGE_DATA_DIR where the
# repository may not be written (a read-only install, the browser tests).
DEFAULT_DB = Path(os.environ.get("SLIPPAGE_DATA_DIR") or ROOT / "data") / "audit.duckdb"
SAMPLES_DIR = ROOT / "data" / "samples"


def db_path(given: str | os.PathLike | None = None) -> Path:
    """The database file: the one given, else $SLIPPAGE_DB, else data/audit.duckdb."""
    return Path(given or os.environ.get("SLIPPAGE_DB") or DEFAULT_DB)


# The storage version stores are written in: DuckDB 1.4 (the long-term-support release BI drivers
# pin) and every later release, 1.5 and 2.0 included, open it. DuckDB 2.0's own format opens in 2.0
# only. $SLIPPAGE_STORAGE_VERSION gives another (etl/store/storage.py says what a change does).
DEFAULT_STORAGE_VERSION = "v1.4.0"


def storage_version() -> storage.StorageVersion:
    """The storage version of the setting: $SLIPPAGE_STORAGE_VERSION, else DEFAULT_STORAGE_VERSION;
    StoreError (one line) for one DuckDB cannot write."""
    given = os.environ.get("SLIPPAGE_STORAGE_VERSION") or DEFAULT_STORAGE_VERSION
    try:
        return storage.StorageVersion.parse(given)
    except storage.StorageVersionError as exc:
        raise StoreError(f"SLIPPAGE_STORAGE_VERSION: {exc}") from None


def sql_text(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


# -- the SQL objects: one per file, applied in the order their texts require ------------------
# sql/macros/ and sql/staging/ are applied by apply_schema (before a write changes the tables),
# sql/marts/ by refresh_marts (after it). Within a layer an object is created after every object
# of the layer whose name it mentions (outside comments and quoted strings).
LAYERS = {"staging": ("macros", "staging"), "marts": ("marts",)}
_CREATE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+(VIEW|TABLE|MACRO)\s+(\w+)\b(.*)", re.IGNORECASE | re.DOTALL)
_GRAIN = re.compile(r"^--\s*(\w+)(?:\([^)]*\))?:\s*(.+)$")
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")
_SCHEMA_TABLE = re.compile(r"^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.MULTILINE | re.IGNORECASE)


class SqlLayoutError(ValueError):
    """The SQL files cannot be applied: a file that is not one object named after it, a name
    defined twice, an object that mentions a later layer's, or a cycle of mentions."""


@dataclass(frozen=True)
class SqlObject:
    name: str
    kind: str          # table | view | macro | table macro | seed
    layer: str         # schema | seeds | staging | marts
    file: str          # relative to the project root, e.g. sql/staging/stg_target_history.sql
    description: str   # the grain line that opens its file (for a table, the comment above it)
    path: Path = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def _read_object(path: Path, layer: str) -> SqlObject:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(SQL_DIR.parent).as_posix()
    first_line = text.partition("\n")[0]
    grain = _GRAIN.match(first_line)
    if not grain or grain.group(1) != path.stem:
        raise SqlLayoutError(f"{where}: the first line must be '-- {path.stem}: <its grain>', not {first_line!r}")
    statements = _COMMENT_OR_STRING.sub(" ", text).strip().rstrip(";").strip()
    created = _CREATE.match(statements)
    if not created or created.group(2) != path.stem or ";" in statements:
        raise SqlLayoutError(f"{where}: must hold one CREATE OR REPLACE VIEW|TABLE|MACRO {path.stem} statement")
    kind = created.group(1).lower()
    if kind == "macro" and re.match(r"\s*\([^)]*\)\s+AS\s+TABLE\b", created.group(3), re.IGNORECASE):
        kind = "table macro"
    return SqlObject(path.stem, kind, layer, where, grain.group(2).strip(), path)


def _layer_objects(layer: str) -> list[SqlObject]:
    return [_read_object(path, layer) for folder in LAYERS[layer] for path in sorted((SQL_DIR / folder).glob("*.sql"))]


def mentions(obj: SqlObject, names: set[str]) -> set[str]:
    """The names among `names` that an object's SQL mentions, comments and quoted strings aside."""
    words = set(re.findall(r"\w+", _COMMENT_OR_STRING.sub(" ", obj.text).lower()))
    return {name for name in names if name.lower() in words} - {obj.name}


def dependency_order(objects: list[SqlObject], later: frozenset[str] | set[str] = frozenset()) -> list[SqlObject]:
    """The objects in an order that creates each after those it mentions (ties by name), or
    SqlLayoutError naming a duplicate, a mention of an object applied later, or a cycle."""
    by_name: dict[str, SqlObject] = {}
    for obj in objects:
        if obj.name in by_name:
            raise SqlLayoutError(f"{obj.name} is defined twice: {by_name[obj.name].file} and {obj.file}")
        by_name[obj.name] = obj
    needs = {name: mentions(obj, set(by_name)) for name, obj in by_name.items()}
    for obj in by_name.values():
        too_late = mentions(obj, set(later))
        if too_late:
            raise SqlLayoutError(f"{obj.file} mentions {', '.join(sorted(too_late))}, which is created after it "
                                 f"(a later layer): the order cannot be known")
    ordered: list[SqlObject] = []
    done: set[str] = set()
    while len(done) < len(by_name):
        ready = sorted(name for name in by_name if name not in done and needs[name] <= done)
        if not ready:
            raise SqlLayoutError(f"the SQL objects mention each other in a cycle: {' -> '.join(_cycle(needs, done))}")
        ordered.append(by_name[ready[0]])
        done.add(ready[0])
    return ordered


def _cycle(needs: dict[str, set[str]], done: set[str]) -> list[str]:
    """One cycle among the objects not yet placed, as a path that ends where it starts."""
    path = [min(name for name in needs if name not in done)]
    while True:
        following = min(needs[path[-1]] - done)  # each remaining object waits on another remaining one
        if following in path:
            return path[path.index(following):] + [following]
        path.append(following)


def _layers() -> tuple[list[SqlObject], list[SqlObject]]:
    staging, marts = _layer_objects("staging"), _layer_objects("marts")
    first = {obj.name: obj for obj in staging}
    for obj in marts:
        if obj.name in first:
            raise SqlLayoutError(f"{obj.name} is defined twice: {first[obj.name].file} and {obj.file}")
    return staging, marts


def staging_objects() -> list[SqlObject]:
    """sql/macros/ and sql/staging/, in the order apply_schema creates them."""
    staging, marts = _layers()
    return dependency_order(staging, later={obj.name for obj in marts})


def mart_objects() -> list[SqlObject]:
    """sql/marts/, in the order refresh_marts creates them (slippage_facts before what reads it)."""
    return dependency_order(_layers()[1])


def sql_objects() -> list[SqlObject]:
    """Every object of the store with its kind, file and one-line description, in the order a
    write creates them: the tables of schema.sql, the seeds, the staging layer, the marts."""
    schema = SQL_DIR / "schema.sql"
    text = schema.read_text(encoding="utf-8")
    comments = {m.group(1): m.group(2).strip() for m in re.finditer(r"^--\s*(\w+):\s*(.+)$", text, re.MULTILINE)}
    tables = [SqlObject(name, "table", "schema", "sql/schema.sql", comments.get(name, ""), schema)
              for name in _SCHEMA_TABLE.findall(text)]
    seed_tables = [SqlObject(seed.table, "seed", "seeds", f"sql/seeds/{seed.file}", seed.description, seeds.SEEDS_DIR / seed.file)
                   for seed in seeds.SEEDS]
    return [*tables, *seed_tables, *staging_objects(), *mart_objects()]


def _run(con: duckdb.DuckDBPyConnection, text: str) -> None:
    for statement in con.extract_statements(text):
        con.execute(statement).fetchall()


def _make_room(con: duckdb.DuckDBPyConnection, objects: list[SqlObject]) -> None:
    """An object an older version kept as a view and this one materialises: drop the view first."""
    tables = [obj.name for obj in objects if obj.kind == "table"]
    for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND list_contains(?, view_name)",
                               [tables]).fetchall():
        con.execute(f"DROP VIEW {view} CASCADE").fetchall()


def load_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load every seed CSV into its table (seed_risk_levels, ...), rows in sort order."""
    for seed in seeds.SEEDS:
        rows = seeds.read_seed(seed)
        columns = seed.columns
        con.execute(f"CREATE OR REPLACE TABLE {seed.table} ({', '.join(f'{c} {t}' for c, t in columns)})").fetchall()
        placeholders = ", ".join("?" for _ in columns)
        if rows:
            con.executemany(f"INSERT INTO {seed.table} VALUES ({placeholders})",
                            [[getattr(row, c) for c, _ in columns] for row in rows])


def apply_schema(con: duckdb.DuckDBPyConnection) -> list:
    """Bring the tables up to date (the migrations the store lacks, etl/store/migrations.py),
    (re)load the seeds and (re)create the staging layer (macros and views), each object after
    those it mentions. Returns the migrations applied."""
    from etl.store import migrations

    applied = migrations.migrate(con)
    load_seeds(con)
    objects = staging_objects()
    _make_room(con, objects)
    for obj in objects:
        _run(con, obj.text)
    return applied


def refresh_marts(con: duckdb.DuckDBPyConnection, rebuild: Iterable[str] | None = None) -> list[str]:
    """(Re)create the marts, each after those it mentions: every view and macro, and each
    materialised table named in `rebuild` (default: all of them) or missing, rebuilt whole from the
    staging views; a table not named keeps its rows (writes keep them right council by council,
    etl/store/derived.py). Records every derived object's definition; returns the tables rebuilt."""
    from etl.store import derived

    derived.end_scope(con)
    objects = mart_objects()
    wanted = {obj.name for obj in objects if obj.kind == "table"} if rebuild is None else set(rebuild)
    derived.drop_retired(con)
    _make_room(con, objects)
    rebuilt = []
    for obj in objects:
        if obj.kind == "table":
            if obj.name not in wanted and derived.table_exists(con, obj.name):
                continue
            rebuilt.append(obj.name)
        _run(con, obj.text)
    derived.record(con, rebuilt)
    return rebuilt


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a store is this code's: every migration applied, every derived object defined as
    this code defines it, and the file in a storage version the setting's DuckDB opens (a store
    that is not is brought up to date by `etl migrate` or any write). Works on a read-only connection."""
    from etl.store import derived, migrations

    try:
        return not migrations.pending(con) and not derived.out_of_date(con) and storage.fits(con, storage_version())
    except (migrations.MigrationError, StoreError, duckdb.Error):  # StoreError: a storage version DuckDB cannot write
        return False


class StoreError(RuntimeError):
    """The store cannot be written as asked; the message is one line for the user."""


@dataclass
class WriteSummary:
    """What a write did besides the caller's own changes."""
    migrations: list = field(default_factory=list)   # the Migration objects applied
    rebuilt: list[str] = field(default_factory=list)  # materialised tables rebuilt whole
    version: int = 0                                  # the store's version after the write
    copy_seconds: float = 0.0                         # copying the store aside (the cost of copy-on-write)
    rewritten: bool = False                           # a report left, so the store was rewritten into a fresh file
    storage_before: storage.StorageVersion | None = None  # the file's storage version before the write
    storage_after: storage.StorageVersion | None = None   # and after it (differs when it was rewritten)


class Store:
    """One store file. A write works on a copy beside it and renames the copy over it, so a
    reader keeps a consistent file open, a write never waits on a reader, and a write killed
    half-way leaves the previous store untouched. The copy is the file's bytes (0.1-0.2 s for a
    million rows, bench/RESULTS.md section 6); the rest of a write is the work of the councils it touches.

    `path` may be a symbolic link: the file it points to is the one replaced, and it keeps its
    mode and (where the writer may set them) its owner and group."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.last_write = WriteSummary()

    @classmethod
    def at(cls, given: str | os.PathLike | None = None) -> Store:
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
        from etl.store import derived, migrations

        db = self.real_path
        target = storage_version()
        db.parent.mkdir(parents=True, exist_ok=True)
        with open(db.with_name(db.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time; readers never wait
            for stale in db.parent.glob(db.name + ".*.loading*"):  # left by a write that was killed
                stale.unlink(missing_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=db.name + ".", suffix=".loading", dir=db.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            summary = WriteSummary()
            try:
                existing = db.stat() if db.exists() else None
                started = time.perf_counter()
                if existing:
                    _copy_store(db, tmp)
                else:
                    tmp.unlink()
                summary.copy_seconds = time.perf_counter() - started
                con, found = storage.connect(tmp, target)
                summary.storage_before, summary.storage_after = (found if existing else None), storage.of(con)
                con.execute("SET enable_progress_bar = false").fetchall()  # a load prints its own progress
                try:
                    summary.migrations = apply_schema(con)
                    outdated = None if summary.migrations else derived.stale_tables(con)
                    summary.rebuilt = refresh_marts(con, rebuild=outdated)
                    held = _report_ids(con)
                    yield con
                    summary.version = migrations.version(con)
                    summary.rewritten = bool(held - _report_ids(con))
                    con.execute("CHECKPOINT").fetchall()
                finally:
                    con.close()
                if summary.rewritten:  # DuckDB leaves deleted rows in free blocks: only live rows may remain
                    storage.rewrite(tmp, target)
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                if existing:
                    _keep_mode_and_owner(existing, tmp)
                os.replace(tmp, db)
                _fsync_dir(db.parent)
                self.last_write = summary
            finally:
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)


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
            raise StoreError(f"{db} has a write-ahead log left by another program and cannot take it in now "
                             f"({first_line(exc)}): close whatever has the store open and write again") from None
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
