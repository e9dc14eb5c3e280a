"""The SQL unit tests' harness: the case files in tests/sql/, the in-memory store built from
their input rows, and the comparison of an object's rows with the expected rows."""
from __future__ import annotations

import math
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from etl.store.store import apply_schema, refresh_marts

CASES_DIR = Path(__file__).parent / "sql"
LOADED_AT = datetime(2025, 1, 1, 9, 0)


def _defaults(table: str, row: dict, position: int) -> dict:
    """The NOT NULL columns a test need not spell out."""
    if table == "reports":
        rid = row["report_id"]
        return {"report_date_source": "given", "source_file": f"report-{rid}.txt", "content_hash": f"hash-{rid}",
                "parser": "text", "record_count": 0, "loaded_at": LOADED_AT}
    if table == "recommendations":
        return {"status": "open", "no_update_stated": False, "recommendation_key": f"rec-{row['record_no']}"}
    if table == "target_events":
        return {"seq": position, "part": 1, "in_history": True, "is_tbc": False, "source": "target"}
    return {}


@dataclass
class Case:
    file: str
    name: str
    object: str
    query: str
    columns: list[str]
    ordered: bool
    inputs: dict[str, list[dict]]
    expected: list[dict]
    description: str = ""

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(spec) - {"object", "columns", "inputs", "tests"}
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        assert spec.get("object") == path.stem, f"{path.name}: object must be {path.stem!r}"
        assert spec.get("tests"), f"{path.name}: no [tests.<name>] table"
        for name, test in spec["tests"].items():
            unknown = set(test) - {"description", "query", "columns", "ordered", "inputs", "expected"}
            assert not unknown, f"{path.name}::{name}: unknown keys {sorted(unknown)}"
            columns = test.get("columns", spec.get("columns"))
            assert columns, f"{path.name}::{name}: no columns"
            query = test.get("query", f"SELECT {', '.join(columns)} FROM {spec['object']}")
            cases.append(Case(path.name, name, spec["object"], query, columns, test.get("ordered", False),
                              test.get("inputs", spec.get("inputs", {})), test.get("expected", []),
                              test.get("description", "")))
    return cases


def build_store(inputs: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding the inputs, built the way Store.writing() builds a file."""
    con = duckdb.connect()
    apply_schema(con)
    for table, rows in inputs.items():
        if table.startswith("seed_"):
            con.execute(f"DELETE FROM {table}").fetchall()
        for position, given in enumerate(rows, start=1):
            row = {**_defaults(table, given, position), **given}
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values())).fetchall()
    refresh_marts(con)
    return con


def normalise(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else round(value, 6)
    if isinstance(value, list | tuple):
        return tuple(normalise(v) for v in value)
    return value


def actual_rows(con: duckdb.DuckDBPyConnection, case: Case) -> list[tuple]:
    result = con.execute(case.query)
    names = [d[0] for d in result.description]
    assert names == case.columns, f"the query returns columns {names}, the test compares {case.columns}"
    return [tuple(normalise(v) for v in row) for row in result.fetchall()]


def expected_rows(case: Case) -> list[tuple]:
    rows = []
    for row in case.expected:
        unknown = set(row) - set(case.columns)
        assert not unknown, f"{case.id}: expected row names columns not compared: {sorted(unknown)}"
        rows.append(tuple(normalise(row.get(column)) for column in case.columns))
    return rows


def check(case: Case) -> None:
    """Build the store from the case's inputs and compare the object's rows with the expected ones."""
    con = build_store(case.inputs)
    try:
        got, want = actual_rows(con, case), expected_rows(case)
    finally:
        con.close()
    if case.ordered:
        assert got == want, _explain(case, got, want)
    else:
        assert Counter(got) == Counter(want), _explain(case, got, want)


def _explain(case: Case, got: list[tuple], want: list[tuple]) -> str:
    missing = list((Counter(want) - Counter(got)).elements())
    unexpected = list((Counter(got) - Counter(want)).elements())
    lines = [f"{case.id}: {case.object} does not give the expected rows", f"columns: {case.columns}"]
    lines += [f"  expected, not given: {row}" for row in missing]
    lines += [f"  given, not expected: {row}" for row in unexpected]
    if not missing and not unexpected:
        lines.append(f"  same rows, another order: {got}")
    return "\n".join(lines)


CASES = load_cases()
