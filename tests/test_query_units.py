"""Unit tests of the pages' queries (sql/queries/NAME.sql): tests/sql/queries/NAME.toml, in the
format of tests/sql/*.toml (tests/sqlcases.py builds the store from the input rows and compares the
rows), each test giving the query's named parameters:

    columns = ["open", "overdue"]          # the query's columns each test compares
    inputs.reports = [ ... ]

    [tests.one_council]
    description = "..."
    params = { council = "Anyshire", report_date = 2024-06-30 }   # one left out is NULL
    expected = [ { open = 2, overdue = 1 } ]
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from etl.store.store import sql_text
from tests.sqlcases import CASES_DIR, Case, _explain, build_store, expected_rows, normalise

QUERY_CASES_DIR = CASES_DIR / "queries"
FILE_KEYS = {"columns", "inputs", "tests"}
TEST_KEYS = {"description", "params", "columns", "ordered", "inputs", "expected"}


def load_query_cases(folder: Path = QUERY_CASES_DIR) -> list[tuple[Case, dict]]:
    cases = []
    for path in sorted(folder.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(spec) <= FILE_KEYS, f"{path.name}: unknown keys {sorted(set(spec) - FILE_KEYS)}"
        for name, test in spec["tests"].items():
            assert set(test) <= TEST_KEYS, f"{path.name}::{name}: unknown keys {sorted(set(test) - TEST_KEYS)}"
            case = Case(path.name, name, path.stem, sql_text(f"queries/{path.stem}.sql"), test.get("columns", spec.get("columns")),
                        test.get("ordered", False), test.get("inputs", spec.get("inputs", {})), test.get("expected", []),
                        test.get("description", ""))
            cases.append((case, test.get("params", {})))
    return cases


QUERY_CASES = load_query_cases()


@pytest.mark.parametrize("case, params", QUERY_CASES, ids=[case.id for case, _ in QUERY_CASES])
def test_page_query_gives_the_expected_rows(case: Case, params: dict) -> None:
    con = build_store(case.inputs)
    try:
        # A parameter the test leaves out is NULL (TOML has no null): as_of for the newest reports.
        given = dict.fromkeys(re.findall(r"\$(\w+)", case.query)) | params
        frame = con.sql(case.query, params=given).pl()
    finally:
        con.close()
    missing = set(case.columns) - set(frame.columns)
    assert not missing, f"{case.id}: the query gives no {sorted(missing)}"
    got = [tuple(normalise(v) for v in row) for row in frame.select(case.columns).iter_rows()]
    want = expected_rows(case)
    if case.ordered:
        assert got == want, _explain(case, got, want)
    else:
        assert Counter(got) == Counter(want), _explain(case, got, want)


# The queries this branch changed or the catalogue feeds, each with its own test file.
def test_the_committee_and_summary_queries_have_test_files() -> None:
    queries = {path.stem for path in (CASES_DIR.parent.parent / "sql" / "queries").glob("*.sql")
               if path.stem.startswith(("committee_", "summary"))}
    assert queries - {path.stem for path in QUERY_CASES_DIR.glob("*.toml")} == set()
