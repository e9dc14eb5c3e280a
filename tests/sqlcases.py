"""The SQL unit tests' harness: the case files in tests/sql/ (an object of sql/ each) and
tests/sql/queries/ (a page query of sql/queries/ each), the in-memory store built from their input
rows, and the comparison of an object's or a query's rows with the expected rows."""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from etl.store import sqlfiles
from etl.store.store import apply_schema, refresh_marts

CASES_DIR = Path(__file__).parent / "sql"
QUERY_CASES_DIR = CASES_DIR / "queries"
LOADED_AT = datetime(2025, 1, 1, 9, 0)


def _defaults(table: str, row: dict, position: int) -> dict:
    """The NOT NULL columns a test need not spell out."""
    if table == "reports":
        rid = row["report_id"]
        return {
            "report_date_source": "given",
            "source_file": f"report-{rid}.txt",
            "content_hash": f"hash-{rid}",
            "parser": "text",
            "record_count": 0,
            "loaded_at": LOADED_AT,
        }
    if table == "recommendations":
        return {"status": "open", "no_update_stated": False, "recommendation_key": f"rec-{row['record_no']}"}
    if table == "target_events":
        return {"seq": position, "part": 1, "in_history": True, "is_tbc": False, "source": "target"}
    if table == "report_sources":
        return {"stored_at": LOADED_AT}
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
    # A page query's named parameters, as the app binds them; None for an object of sql/ (the case
    # runs `query`). A query case has no `query`: it runs sql/queries/<object>.sql as the file
    # stands when the case runs (so a test that breaks the file on purpose runs the broken one).
    params: dict[str, Any] | None = None
    # A query case over rows the inputs do not choose (the schema): compare only the rows whose
    # column holds one of the values given, {column: [values]}.
    keep_rows: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


FILE_KEYS = {"object", "columns", "inputs", "tests"}
TEST_KEYS = {"description", "columns", "ordered", "inputs", "expected"}
PARAM_KEYS = {"params", "null_params", "keep_rows"}


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """The cases of every file in `folder`: objects of sql/, or in tests/sql/queries/ page queries."""
    queries = folder == QUERY_CASES_DIR
    cases = []
    for path in sorted(folder.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        where = path.relative_to(CASES_DIR).as_posix()
        unknown = set(spec) - FILE_KEYS - (PARAM_KEYS if queries else set())
        assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
        assert spec.get("object") == path.stem, f"{where}: object must be {path.stem!r}"
        assert spec.get("tests"), f"{where}: no [tests.<name>] table"
        if queries:
            assert (sqlfiles.SQL_DIR / "queries" / f"{path.stem}.sql").exists(), f"{where}: no sql/queries/{path.stem}.sql"
        for name, test in spec["tests"].items():
            unknown = set(test) - TEST_KEYS - (PARAM_KEYS if queries else {"query"})
            assert not unknown, f"{where}::{name}: unknown keys {sorted(unknown)}"
            columns = test.get("columns", spec.get("columns"))
            assert columns, f"{where}::{name}: no columns"
            query = "" if queries else test.get("query", f"SELECT {', '.join(columns)} FROM {spec['object']}")
            cases.append(
                Case(
                    where,
                    name,
                    spec["object"],
                    query,
                    columns,
                    test.get("ordered", False),
                    spec.get("inputs", {}) | test.get("inputs", {}),
                    test.get("expected", []),
                    test.get("description", ""),
                    _params(spec, test) if queries else None,
                    test.get("keep_rows", spec.get("keep_rows", {})),
                )
            )
    return cases


def _params(spec: dict[str, Any], test: dict[str, Any]) -> dict[str, Any]:
    """A query case's parameters: the file's, then the test's over them. TOML has no NULL, so a
    parameter bound to NULL is named in `null_params`."""
    params: dict[str, Any] = {}
    for given in (spec, test):
        params |= given.get("params", {}) | dict.fromkeys(given.get("null_params", []))
    return params


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
    if isinstance(value, bytes):  # a kept file (report_sources.bytes): a test gives its content as ASCII text
        return value.decode("ascii")
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else round(value, 6)
    if isinstance(value, list | tuple):
        return tuple(normalise(v) for v in value)
    return value


def actual_rows(con: duckdb.DuckDBPyConnection, case: Case) -> list[tuple]:
    if case.params is None:
        result = con.execute(case.query)
        names = [d[0] for d in result.description]
        assert names == case.columns, f"the query returns columns {names}, the test compares {case.columns}"
        return [tuple(normalise(v) for v in row) for row in result.fetchall()]
    return _page_query_rows(con, case)


def _page_query_rows(con: duckdb.DuckDBPyConnection, case: Case) -> list[tuple]:
    """sql/queries/<object>.sql bound as app/data.py binds it: the columns and rows the case compares."""
    sql = (sqlfiles.SQL_DIR / "queries" / f"{case.object}.sql").read_text(encoding="utf-8")
    relation = con.sql(sql, params=case.params)
    names = relation.columns
    missing = [column for column in case.columns if column not in names]
    assert not missing, f"{case.id}: sql/queries/{case.object}.sql returns no column {missing} (it returns {names})"
    picked = [names.index(column) for column in case.columns]
    kept = [(names.index(column), set(values)) for column, values in case.keep_rows.items()]
    return [tuple(normalise(row[i]) for i in picked) for row in relation.fetchall() if all(row[i] in values for i, values in kept)]


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
QUERY_CASES = load_cases(QUERY_CASES_DIR)
