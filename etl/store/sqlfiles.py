"""The SQL files under sql/ as objects: each file's object (its name, kind, layer and grain) and the
order a write creates them in. Read by the store (which applies them), the migrations and the
derived objects' bookkeeping, none of which this module knows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.store import seeds

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def sql_text(name: str) -> str:
    """The text of a file under sql/ (`name` relative to it)."""
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
    kind: str  # table | view | macro | table macro | seed
    layer: str  # schema | seeds | staging | marts
    file: str  # relative to the project root, e.g. sql/staging/stg_target_history.sql
    description: str  # the grain line that opens its file (for a table, the comment above it)
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
            raise SqlLayoutError(
                f"{obj.file} mentions {', '.join(sorted(too_late))}, which is created after it (a later layer): the order cannot be known"
            )
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
            return path[path.index(following) :] + [following]
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
    tables = [SqlObject(name, "table", "schema", "sql/schema.sql", comments.get(name, ""), schema) for name in _SCHEMA_TABLE.findall(text)]
    seed_tables = [
        SqlObject(seed.table, "seed", "seeds", f"sql/seeds/{seed.file}", seed.description, seeds.SEEDS_DIR / seed.file)
        for seed in seeds.SEEDS
    ]
    return [*tables, *seed_tables, *staging_objects(), *mart_objects()]


def run_sql(con: duckdb.DuckDBPyConnection, text: str) -> None:
    for statement in con.extract_statements(text):
        con.execute(statement).fetchall()


def make_room(con: duckdb.DuckDBPyConnection, objects: list[SqlObject]) -> None:
    """An object an older version kept as a view and this one materialises: drop the view first."""
    tables = [obj.name for obj in objects if obj.kind == "table"]
    for (view,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND list_contains(?, view_name)", [tables]
    ).fetchall():
        con.execute(f"DROP VIEW {view} CASCADE").fetchall()
