"""How the SQL is applied: one object per file, the order found from the text, the seeds, the
version stamp and the list of objects the schema panel shows."""

import dataclasses
import re

import duckdb
import pytest

from app.filters import Filters
from etl.store import derived, seeds, sqlfiles, store
from etl.store.sqlfiles import SqlLayoutError, mart_objects, sql_objects, staging_objects
from etl.store.store import apply_schema, refresh_marts
from tests.sqlcases import CASES, build_store


def names(objects) -> list[str]:
    return [obj.name for obj in objects]


def test_each_object_comes_after_the_objects_it_mentions():
    for layer in (staging_objects(), mart_objects()):
        placed = set()
        known = set(names(layer))
        for obj in layer:
            assert sqlfiles.mentions(obj, known) <= placed, f"{obj.name} is created before what it reads"
            placed.add(obj.name)
    staging = names(staging_objects())
    assert (
        staging.index("stg_target_history")
        < staging.index("stg_recommendation_reports")
        < staging.index("stg_history_across_reports")
        < staging.index("stg_slippage_computed")
    )
    marts = names(mart_objects())
    assert marts.index("slippage_facts") < marts.index("slippage_detail") < marts.index("movement_by_report") < marts.index("movement")
    assert marts.index("slippage_measures") < marts.index("slippage_summary") < marts.index("slippage_by_council")


def test_the_order_comes_from_the_text_not_the_names(sql_copy):
    # aaa_first sorts first by name but reads zzz_last, so it must come after it
    (sql_copy / "marts" / "aaa_first.sql").write_text(
        "-- aaa_first: one row per council.\nCREATE OR REPLACE VIEW aaa_first AS SELECT * FROM zzz_last;\n"
    )
    (sql_copy / "marts" / "zzz_last.sql").write_text(
        "-- zzz_last: one row per council.\nCREATE OR REPLACE VIEW zzz_last AS SELECT council FROM slippage_by_council;\n"
    )
    order = names(mart_objects())
    assert order.index("slippage_by_council") < order.index("zzz_last") < order.index("aaa_first")
    con = duckdb.connect()
    apply_schema(con)
    refresh_marts(con)
    assert con.execute("SELECT count(*) FROM aaa_first").fetchall() == [(0,)]


def test_comments_and_quoted_strings_are_not_mentions(sql_copy):
    (sql_copy / "marts" / "aaa_notes.sql").write_text(
        "-- aaa_notes: one row; reads nothing (slippage_detail is only named in this comment).\n"
        "CREATE OR REPLACE VIEW aaa_notes AS SELECT 'see slippage_detail' AS note -- nor here: movement\n;\n"
    )
    [notes] = [obj for obj in mart_objects() if obj.name == "aaa_notes"]
    assert sqlfiles.mentions(notes, set(names(mart_objects()))) == set()


def test_a_cycle_is_a_clear_error(sql_copy):
    (sql_copy / "marts" / "ping.sql").write_text("-- ping: one row.\nCREATE OR REPLACE VIEW ping AS SELECT * FROM pong;\n")
    (sql_copy / "marts" / "pong.sql").write_text("-- pong: one row.\nCREATE OR REPLACE VIEW pong AS SELECT * FROM ping;\n")
    with pytest.raises(SqlLayoutError, match=r"cycle: ping -> pong -> ping"):
        mart_objects()
    with pytest.raises(SqlLayoutError, match="cycle"):
        refresh_marts(duckdb.connect())


def test_a_staging_object_that_reads_a_mart_cannot_be_ordered(sql_copy):
    (sql_copy / "staging" / "stg_early.sql").write_text(
        "-- stg_early: one row per record.\nCREATE OR REPLACE VIEW stg_early AS SELECT * FROM slippage_detail;\n"
    )
    with pytest.raises(SqlLayoutError, match=r"stg_early.sql mentions slippage_detail, which is created after it"):
        staging_objects()


def test_one_object_per_file_named_after_it(sql_copy):
    (sql_copy / "macros" / "slippage.sql").write_text("-- slippage: a second one.\nCREATE OR REPLACE MACRO slippage() AS 1;\n")
    with pytest.raises(SqlLayoutError, match="slippage is defined twice"):
        sql_objects()
    (sql_copy / "macros" / "slippage.sql").unlink()
    (sql_copy / "staging" / "stg_misnamed.sql").write_text("-- stg_misnamed: one row.\nCREATE OR REPLACE VIEW stg_other AS SELECT 1;\n")
    with pytest.raises(SqlLayoutError, match="one CREATE OR REPLACE VIEW|TABLE|MACRO stg_misnamed"):
        staging_objects()
    (sql_copy / "staging" / "stg_misnamed.sql").write_text("CREATE OR REPLACE VIEW stg_misnamed AS SELECT 1;\n")
    with pytest.raises(SqlLayoutError, match="the first line must be '-- stg_misnamed: <its grain>'"):
        staging_objects()
    (sql_copy / "staging" / "stg_misnamed.sql").write_text(
        "-- stg_misnamed: two.\nCREATE OR REPLACE VIEW stg_misnamed AS SELECT 1;\nCREATE OR REPLACE VIEW stg_more AS SELECT 2;\n"
    )
    with pytest.raises(SqlLayoutError, match="must hold one"):
        staging_objects()


def test_sql_objects_lists_every_object_with_kind_file_and_grain():
    listed = {obj.name: obj for obj in sql_objects()}
    assert len(listed) == len(sql_objects())
    kinds = {name: (obj.kind, obj.layer, obj.file) for name, obj in listed.items()}
    assert kinds["reports"] == ("table", "schema", "sql/schema.sql")
    assert kinds["parse_warnings"] == ("table", "schema", "sql/schema.sql")
    assert kinds["seed_risk_levels"] == ("seed", "seeds", "sql/seeds/risk_levels.csv")
    assert kinds["none_label"] == ("macro", "staging", "sql/macros/none_label.sql")
    assert kinds["stg_target_history"] == ("view", "staging", "sql/staging/stg_target_history.sql")
    assert kinds["slippage_facts"] == ("table", "marts", "sql/marts/slippage_facts.sql")
    assert kinds["movement_by_report"] == ("table", "marts", "sql/marts/movement_by_report.sql")
    assert kinds["slippage_measures"] == ("macro", "marts", "sql/marts/slippage_measures.sql")
    assert kinds["slippage_summary"] == ("table macro", "marts", "sql/marts/slippage_summary.sql")
    assert kinds["slippage"] == ("view", "marts", "sql/marts/slippage.sql")
    assert listed["slippage"].description == "one row per recommendation per report. The contract's view: names and types fixed."
    assert listed["reports"].description == "one row per loaded appendix file."
    assert listed["filtered_detail"].description.startswith("slippage_detail rows (every report) passing")
    assert all(obj.description for obj in listed.values())
    on_disk = {path.stem for folder in ("macros", "staging", "marts") for path in (sqlfiles.SQL_DIR / folder).glob("*.sql")}
    assert on_disk <= set(listed)


def test_a_write_creates_every_object_and_records_its_definition():
    con = build_store({})
    created = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    macros = {
        name
        for (name,) in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE function_type LIKE '%macro' AND NOT internal"
        ).fetchall()
    }
    for obj in sql_objects():
        if obj.kind in ("macro", "table macro"):
            assert obj.name in macros
        else:
            assert created[obj.name] == ("VIEW" if obj.kind == "view" else "BASE TABLE"), obj.name
    assert derived.recorded(con) == derived.definitions()
    assert set(derived.definitions()) == {obj.name for obj in [*staging_objects(), *mart_objects()]}
    assert store.is_current(con)


def test_a_mart_an_older_store_kept_as_a_view_becomes_a_table():
    con = build_store({})
    con.execute("DROP TABLE movement_by_report").fetchall()
    con.execute("CREATE VIEW movement_by_report AS SELECT 1 AS x").fetchall()
    refresh_marts(con)
    assert con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'movement_by_report'").fetchall() == [
        ("BASE TABLE",)
    ]


def test_every_materialised_table_carries_the_council_its_rows_are_refreshed_by():
    con = build_store({})
    for obj in derived.materialised():
        columns = [name for (name,) in con.execute(f"SELECT column_name FROM (DESCRIBE {obj.name})").fetchall()]
        assert "council" in columns, obj.name
        assert derived.table_query(obj).upper().startswith(("SELECT", "WITH"))


@pytest.mark.parametrize(
    "file, changes, exactly",
    [
        (
            "staging/stg_target_history.sql",
            {
                "stg_target_history",
                "stg_recommendation_reports",
                "stg_history_across_reports",
                "stg_slippage_computed",
                "slippage_facts",
                "slippage_detail",
                "movement_by_report",
            },
            False,
        ),
        ("marts/movement_by_report.sql", {"movement_by_report", "movement"}, True),
        ("marts/slippage_by_risk.sql", {"slippage_by_risk"}, True),
        ("seeds/ageing_bands.csv", {"stg_slippage_computed", "slippage_facts", "slippage_detail", "movement_by_report"}, False),
    ],
)
def test_a_definition_changes_with_what_shapes_its_rows(sql_copy, file, changes, exactly):
    """An object's definition covers its SQL and all it reads, so a change reaches every object
    downstream (a table among them is rebuilt) and nothing upstream or beside it."""
    before = derived.definitions()
    path = sql_copy / file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ORDER BY", "ORDER  BY", 1) + "\n-- a comment\n" if file.endswith(".sql") else text, encoding="utf-8")
    assert derived.definitions() == before, "spacing and comments are not definitions"
    if file.endswith(".csv"):
        path.write_text(text.replace("over a year", "more than a year"), encoding="utf-8")
    else:
        path.write_text(text.replace("SELECT", "SELECT DISTINCT", 1), encoding="utf-8")
    after = derived.definitions()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == changes if exactly else changes <= changed, changed ^ changes
    assert "none_label" not in changed


@pytest.mark.slow
def test_an_object_the_code_no_longer_defines_is_dropped(sql_copy):
    (sql_copy / "marts" / "extra.sql").write_text("-- extra: one row.\nCREATE OR REPLACE VIEW extra AS SELECT 1 AS x;\n")
    con = build_store({})
    assert con.execute("SELECT count(*) FROM extra").fetchall() == [(1,)]
    (sql_copy / "marts" / "extra.sql").unlink()
    assert not store.is_current(con)
    refresh_marts(con)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'extra'").fetchall() == [(0,)]
    assert store.is_current(con)


# -- seeds --------------------------------------------------------------------------------------
def test_risk_levels_in_order_with_a_colour_each_and_the_none_label():
    levels = seeds.risk_levels()
    assert [r.level for r in levels] == ["critical", "high", "medium", "low", "(none)"]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", r.colour) for r in levels)  # their contrast: tests/test_charts.py
    assert all(isinstance(r.sort_order, int) and r.label for r in levels)
    con = build_store({})
    assert con.execute("SELECT none_label()").fetchall() == [(levels[-1].level,)]


def test_ageing_bands_cover_every_day_once_with_the_stored_labels():
    bands = seeds.ageing_bands()
    assert [b.band for b in bands] == ["not yet due", "0–90 days", "91–180 days", "181–365 days", "over a year"]
    assert bands[0].lower_days is None and bands[-1].upper_days is None
    assert [(b.lower_days, b.upper_days) for b in bands] == [(None, 0), (1, 90), (91, 180), (181, 365), (366, None)]
    for before, after in zip(bands, bands[1:]):
        assert after.lower_days == before.upper_days + 1


def test_change_kinds_are_every_kind_movement_stores_in_the_pages_order():
    kinds = seeds.change_kinds()
    assert [k.kind for k in kinds] == ["new", "closed", "gone", "re-dated", "update unchanged", "updated"]
    assert [k.label for k in kinds] == [
        "New",
        "Closed or implemented",
        "No longer reported",
        "Given a new date",
        "Same update as last time",
        "Updated",
    ]
    movement = (sqlfiles.SQL_DIR / "marts" / "movement_by_report.sql").read_text(encoding="utf-8")
    case = movement[movement.index("CASE WHEN is_new") : movement.index("AS change")]
    assert set(re.findall(r"'([^']+)'", case)) == {k.kind for k in kinds}


def test_every_write_loads_the_seeds_as_the_csv_says():
    con = build_store({})
    for seed in seeds.SEEDS:
        rows = con.execute(f"SELECT * FROM {seed.table} ORDER BY sort_order").fetchall()
        assert rows == [dataclasses.astuple(row) for row in seeds.read_seed(seed)]
        described = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {seed.table})").fetchall()
        assert described == seed.columns


@pytest.mark.slow
def test_the_change_table_is_ordered_by_the_seed(sql_copy):
    [case] = [case for case in CASES if case.id == "movement_by_report.toml::every_kind_between_two_reports"]
    query = (sqlfiles.SQL_DIR / "queries" / "movement.sql").read_text(encoding="utf-8")
    params = Filters().params() | {
        "limit": 100,
        "offset": 0,
    }
    con = build_store(case.inputs)
    order = [change for (change,) in con.execute(f"SELECT change FROM ({query.rstrip().rstrip(';')})", params).fetchall()]
    assert order == [
        "New",
        "Closed or implemented",
        "Closed or implemented",
        "No longer reported",
        "Given a new date",
        "Given a new date",
        "Same update as last time",
        "Same update as last time",
        "Updated",
    ]
    kinds = sql_copy / "seeds" / "change_kinds.csv"
    kinds.write_text(kinds.read_text(encoding="utf-8").replace("updated,6,", "updated,0,"), encoding="utf-8")
    con = build_store(case.inputs)
    assert con.execute(f"SELECT change FROM ({query.rstrip().rstrip(';')})", params).fetchall()[0] == ("Updated",)


def test_the_none_label_is_written_once():
    written = [
        path.relative_to(sqlfiles.SQL_DIR).as_posix()
        for path in sqlfiles.SQL_DIR.rglob("*.sql")
        if "'(none)'" in path.read_text(encoding="utf-8")
    ]
    assert written == ["macros/none_label.sql"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("kind,order,label\nnew,1,New\n", "the header must be kind,sort_order,label"),
        ("kind,sort_order,label\nnew,first,New\n", "line 2: sort_order must be a whole number"),
        ("kind,sort_order,label\nnew,1\n", "line 2: 2 cells, expected 3"),
        ("kind,sort_order,label\nnew,1,New\ngone,1,Gone\n", "every row needs its own sort_order"),
    ],
)
def test_a_malformed_seed_is_a_clear_error(tmp_path, text, message):
    (tmp_path / "change_kinds.csv").write_text(text, encoding="utf-8")
    with pytest.raises(seeds.SeedError, match=re.escape(message)):
        seeds.change_kinds(tmp_path)
