"""A write recomputes the facts and movements of the councils it touched, in its own transaction,
and nothing else; the result is always what a full rebuild gives."""

import json

import duckdb
import pytest

import etl.load as loading
from etl.load import load, remove_report
from etl.store import derived, writes
from etl.store.store import Store
from tests.samples import SEEDS, seed_path
from tests.stores import rebuilt_snapshot, snapshot

MATERIALISED = ["slippage_facts", "movement_by_report"]
HARBOROUGH, CAMBRIDGESHIRE, MANCHESTER = SEEDS["000"][1], SEEDS["001"][1], SEEDS["003"][1]


def manifest(tmp_path, councils: dict) -> object:
    """A manifest giving each file its own council, for a load of several councils at once."""
    path = tmp_path / "manifest.toml"
    path.write_text(
        "".join(f'[[report]]\nfile = "{file.name}"\ncouncil = "{council}"\n\n' for file, council in councils.items()), encoding="utf-8"
    )
    return path


def variant(tmp_path, seed: str, name: str, old: str, new: str):
    path = tmp_path / name
    text = seed_path(seed).read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def report_id(db, council: str, newest: bool = True) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        order = "DESC" if newest else "ASC"
        return con.execute(f"SELECT report_id FROM reports WHERE council = ? ORDER BY report_date {order} LIMIT 1", [council]).fetchall()[
            0
        ][0]
    finally:
        con.close()


@pytest.mark.slow
def test_a_series_of_loads_replacements_and_removals_equals_a_full_rebuild(fresh_db, tmp_path):
    steps = [
        (
            "a later report of a council",
            lambda: load([variant(tmp_path, "000", "h-oct.txt", "July 2024", "October 2024")], fresh_db, council=HARBOROUGH),
        ),
        (
            "a third, later still",
            lambda: load([variant(tmp_path, "000", "h-jan.txt", "July 2024", "January 2025")], fresh_db, council=HARBOROUGH),
        ),
        (
            "a corrected report replacing one",
            lambda: load([variant(tmp_path, "001", "c-fix.txt", "Head of", "Head  of")], fresh_db, council=CAMBRIDGESHIRE),
        ),
        ("a new council", lambda: load([seed_path("002")], fresh_db, council="Newtown Borough Council")),
        ("a middle report removed", lambda: remove_report(fresh_db, report_id(fresh_db, HARBOROUGH, newest=False), "test")),
        ("a council's only report removed", lambda: remove_report(fresh_db, report_id(fresh_db, MANCHESTER), "test")),
        (
            "two councils in one load",
            lambda: load(
                [tmp_path / "m-back.txt", tmp_path / "n-2.txt"],
                fresh_db,
                manifest=manifest(
                    tmp_path,
                    {
                        variant(tmp_path, "003", "m-back.txt", "Appendix 1", "Appendix 1"): MANCHESTER,  # the removed report again
                        variant(tmp_path, "002", "n-2.txt", "28 February 2026", "28 February 2027"): "Newtown Borough Council",
                    },
                ),
            ),
        ),
    ]
    for label, step in steps:
        outcome = step()
        outcomes = outcome if isinstance(outcome, list) else [outcome]
        assert all(o.ok for o in outcomes), (label, [o.line() for o in outcomes])
        assert snapshot(fresh_db, MATERIALISED) == rebuilt_snapshot(fresh_db, tmp_path, MATERIALISED), label
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.execute("SELECT count(*) FROM reports WHERE council = ?", [HARBOROUGH]).fetchall() == [(2,)]
    assert con.execute("SELECT count(DISTINCT latest_report) FROM movement_by_report WHERE council = ?", [HARBOROUGH]).fetchall() == [(1,)]
    # everything a page reads, not only the two tables, is what a full rebuild gives
    assert snapshot(fresh_db) == rebuilt_snapshot(fresh_db, tmp_path)


@pytest.mark.slow
def test_a_write_recomputes_the_council_it_touched_and_no_other(fresh_db, tmp_path, monkeypatch):
    scopes = []
    real = writes.refresh_councils
    monkeypatch.setattr(writes, "refresh_councils", lambda con, councils: (scopes.append(list(councils)), real(con, councils)))
    before = snapshot(fresh_db, MATERIALISED)
    [outcome] = load([variant(tmp_path, "000", "h-oct.txt", "July 2024", "October 2024")], fresh_db, council=HARBOROUGH)
    assert outcome.outcome == "loaded"
    assert scopes == [[HARBOROUGH]]
    store = Store(fresh_db)
    store.migrate()
    assert store.last_write.rebuilt == []  # neither this write nor the load rebuilt a table whole
    after = snapshot(fresh_db, MATERIALISED)
    for table in MATERIALISED:
        others = [row for row in before[table] if HARBOROUGH not in row]
        assert [row for row in after[table] if HARBOROUGH not in row] == others
        assert len(after[table]) > len(before[table])
    remove_report(fresh_db, report_id(fresh_db, MANCHESTER), "test")
    assert scopes == [[HARBOROUGH], [MANCHESTER]]


def test_the_scope_keeps_every_staging_view_to_the_councils_refreshed(fresh_db):
    # a private copy: the dashboard's tests hold the shared sample store open with another configuration
    con = duckdb.connect(str(fresh_db), read_only=True)
    views = ["stg_target_history", "stg_recommendation_reports", "stg_history_across_reports", "stg_slippage_computed"]
    every = {view: con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0] for view in views}
    con.execute(f"SET VARIABLE {derived.SCOPE_VARIABLE} = ?", [[HARBOROUGH, MANCHESTER]]).fetchall()
    for view in views:
        councils = (
            {c for (c,) in con.execute(f"SELECT DISTINCT council FROM {view}").fetchall()}
            if view != "stg_history_across_reports"
            else {HARBOROUGH, MANCHESTER}
        )
        assert councils == {HARBOROUGH, MANCHESTER}, view
        assert 0 < con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0] < every[view]
    derived.end_scope(con)
    assert {view: con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0] for view in views} == every
    con.close()


def operators(node: dict):
    yield node
    for child in node.get("children", []):
        yield from operators(child)


def test_windows_see_only_the_councils_refreshed(fresh_db, tmp_path):
    """The filter sits on the scans, below every window: no window of the refresh's query sees a
    row of another council (DuckDB's own profile of the query counts each operator's rows)."""
    con = duckdb.connect(str(fresh_db), read_only=True)
    mine = con.execute("SELECT count(*) FROM recommendations JOIN reports USING (report_id) WHERE council = ?", [HARBOROUGH]).fetchall()[0][
        0
    ]
    every = con.execute("SELECT count(*) FROM recommendations").fetchall()[0][0]
    con.execute(f"SET VARIABLE {derived.SCOPE_VARIABLE} = ?", [[HARBOROUGH]]).fetchall()
    for table in derived.materialised():
        profile = tmp_path / f"{table.name}.json"
        con.execute("SET enable_profiling = 'json'").fetchall()
        con.execute(f"SET profiling_output = '{profile}'").fetchall()
        con.execute(derived.table_query(table)).fetchall()
        con.execute("SET enable_profiling = 'no_output'").fetchall()
        windows = [node for root in json.loads(profile.read_text())["operator"] for node in operators(root) if node["type"] == "WINDOW"]
        assert windows, table.name
        for window in windows:
            seen = [window["intermediate_rows"], *(child["intermediate_rows"] for child in window["children"])]
            assert max(seen) <= mine < every, (table.name, window["extra_info"])
    con.close()


@pytest.mark.slow
def test_a_changed_definition_rebuilds_the_tables_whole_and_a_comment_does_not(fresh_db, sql_copy):
    staging = sql_copy / "staging" / "stg_slippage_computed.sql"
    staging.write_text(staging.read_text(encoding="utf-8") + "\n-- only a comment\n", encoding="utf-8")
    store = Store(fresh_db)
    store.migrate()
    assert store.last_write.rebuilt == []
    staging.write_text(
        staging.read_text(encoding="utf-8").replace(
            "ORDER BY report_date ROWS UNBOUNDED PRECEDING", "ORDER BY report_date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        ),
        encoding="utf-8",
    )
    store.migrate()
    assert store.last_write.rebuilt == MATERIALISED
    store.migrate()
    assert store.last_write.rebuilt == []


@pytest.mark.slow
def test_a_refresh_that_fails_fails_its_file_only(fresh_db, tmp_path, monkeypatch):
    good_query = derived.table_query
    calls = []

    def broken_once(obj):
        calls.append(obj.name)
        return "SELECT no_such_column FROM reports" if len(calls) == 2 else good_query(obj)

    monkeypatch.setattr(derived, "table_query", broken_once)
    first = variant(tmp_path, "000", "h-oct.txt", "July 2024", "October 2024")
    second = variant(tmp_path, "003", "m-later.txt", "Head of", "Head  of")
    before = snapshot(fresh_db, ["reports", *MATERIALISED])
    outcomes = {
        o.file.name: o for o in load([first, second], fresh_db, manifest=manifest(tmp_path, {first: HARBOROUGH, second: MANCHESTER}))
    }
    assert outcomes["h-oct.txt"].outcome == "failed" and "not stored" in outcomes["h-oct.txt"].message
    assert outcomes["m-later.txt"].outcome in ("loaded", "replaced"), outcomes["m-later.txt"].line()
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.execute("SELECT count(*) FROM reports WHERE source_file = 'h-oct.txt'").fetchall() == [(0,)]
    con.close()
    after = snapshot(fresh_db, ["reports", *MATERIALISED])
    assert after != before
    assert snapshot(fresh_db, MATERIALISED) == rebuilt_snapshot(fresh_db, tmp_path, MATERIALISED)


def test_refresh_memory_grows_with_the_rows_recomputed():
    assert derived.refresh_memory_mb(0) == derived.REFRESH_MEMORY_FLOOR_MB
    assert derived.refresh_memory_mb(256_000) == derived.REFRESH_MEMORY_FLOOR_MB + 500


@pytest.mark.slow
def test_a_refresh_that_needs_more_than_its_bound_runs_again_without_it(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setattr(derived, "REFRESH_MEMORY_FLOOR_MB", 1)  # far too little: DuckDB runs out
    retries = []
    real = loading._roll_back
    monkeypatch.setattr(loading, "_roll_back", lambda con: (retries.append(1), real(con)))
    [outcome] = load([variant(tmp_path, "001", "c-fix.txt", "Head of", "Head  of")], fresh_db, council=CAMBRIDGESHIRE)
    assert outcome.outcome == "replaced", outcome.line()
    assert remove_report(fresh_db, report_id(fresh_db, HARBOROUGH), "test").outcome == "removed"
    assert snapshot(fresh_db, MATERIALISED) == rebuilt_snapshot(fresh_db, tmp_path, MATERIALISED)
    assert len(retries) == 2  # each write ran out once, then ran without the bound
