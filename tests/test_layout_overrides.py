"""A council's layout override kept in the store: checked before it is saved (a bad one refused,
naming the key, nothing saved), every version kept with who and when and any restorable, used by
`etl load` and `etl inspect --council` for every later file of that council, over its shipped file,
and moved between stores by `etl layout export` / `import` with the same reading."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.interpret.rows import RecommendationRow
from etl.layouts.config import LayoutsError
from etl.layouts.overrides import layouts_with, to_toml
from etl.parse import parse_file
from etl.store import layout_overrides
from etl.store.store import Store
from tests.teaching import (
    COUNCIL,
    KESTREL,
    KESTREL_LEVELS,
    KESTREL_SUMMARY,
    KESTREL_TAUGHT,
    LEVELS,
    TAUGHT,
    first_report,
    kestrel_first,
    kestrel_second,
    second_report,
)


def etl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def levels(db: Path) -> dict[str, str | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT ref, risk_level FROM recommendations").fetchall())
    finally:
        con.close()


def saved(db: Path, text: str, by: str = "A. Smith") -> int:
    with Store(db).writing() as con:
        return layout_overrides.save(con, COUNCIL, text, by, "taught in a test")


def test_untaught_the_grades_read_as_unknown_and_the_date_column_as_a_doubt(tmp_path):
    report = parse_file(first_report(tmp_path), COUNCIL)
    assert {r["risk_level"] for r in report.records} == {None}
    assert any(w["raw_text"] == "Date" for w in report.warnings)


def test_taught_every_grade_has_its_level_and_the_taught_column_no_warning(tmp_path):
    report = parse_file(first_report(tmp_path), COUNCIL, layouts=layouts_with(COUNCIL, to_toml(COUNCIL, TAUGHT)))
    assert {r["ref"]: r["risk_level"] for r in report.records} == {k: LEVELS[k] for k in ("MV/01", "MV/02", "MV/03", "MV/04")}
    assert report.warnings == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[columns]\n"Date" = "raised_on"\n', "'raised_on' is not a field"),
        ('[status]\nclosed_statements = ["(signed off"]\n', "bad regular expression '(signed off'"),
        ('[risk]\nkey = { Gold = "golden" }\n', "[risk] key 'key'"),
        ('[rsik]\nkey = { Gold = "high" }\n', "[rsik] unknown section"),
        ("[columns\n", "not valid TOML"),
        ('[records]\nleave_out_rows = ["^(Total"]\n', "[records] key 'leave_out_rows': bad regular expression '^(Total'"),
        ('[records]\nleave_out_row_numbers = ["7-3"]\n', "[records] key 'leave_out_row_numbers': '7-3' is not a row number"),
        ('[records]\nleave_out_table = ["Audit | Priority"]\n', "[records] unknown key 'leave_out_table'"),
    ],
)
def test_a_bad_override_is_refused_naming_the_key_and_never_saved(tmp_path, text, named):
    db = tmp_path / "store.duckdb"
    with pytest.raises(LayoutsError, match=None) as refused:
        saved(db, text)
    assert named in str(refused.value) and COUNCIL in str(refused.value)
    assert layout_overrides.read_history(db, COUNCIL) == []


@pytest.mark.slow
def test_every_version_is_kept_with_who_and_when_and_an_earlier_one_restored(tmp_path):
    db = tmp_path / "store.duckdb"
    first = to_toml(COUNCIL, TAUGHT)
    second = to_toml(COUNCIL, {**TAUGHT, "risk": {"key": {"Gold": "critical"}}})
    assert saved(db, first) == 1
    assert saved(db, second, "B. Jones") == 2
    assert saved(db, second, "B. Jones") == 2  # saving what applies already is no new version
    with Store(db).writing() as con:
        assert layout_overrides.restore(con, "marlow vale district council", 1, "C. Patel") == 3
    versions = layout_overrides.read_history(db, COUNCIL)
    assert [(v.version, v.saved_by, v.text) for v in versions] == [(3, "C. Patel", first), (2, "B. Jones", second), (1, "A. Smith", first)]
    assert versions[0].note == "restored from version 1"


@pytest.mark.slow
def test_etl_load_reads_every_later_report_of_the_council_with_the_stores_override(tmp_path, project_root):
    db = tmp_path / "store.duckdb"
    saved(db, to_toml(COUNCIL, TAUGHT))
    done = etl(
        "load", str(first_report(tmp_path)), str(second_report(tmp_path)), "--council", COUNCIL.upper(), "--db", str(db), cwd=project_root
    )
    assert done.returncode == 0, done.stderr
    assert levels(db) == LEVELS
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM parse_warnings").fetchall() == [(0,)]
    con.close()


@pytest.mark.slow
def test_layout_export_then_import_into_a_new_store_gives_the_same_reading(tmp_path, project_root):
    first_db, second_db, file = tmp_path / "first.duckdb", tmp_path / "second.duckdb", tmp_path / "marlow.toml"
    saved(first_db, to_toml(COUNCIL, TAUGHT))
    assert etl("layout", "export", COUNCIL, str(file), "--db", str(first_db), cwd=project_root).returncode == 0
    imported = etl("layout", "import", COUNCIL, str(file), "--db", str(second_db), cwd=project_root)
    assert imported.returncode == 0, imported.stderr
    shown = etl("layout", "show", COUNCIL, "--db", str(second_db), cwd=project_root)
    assert shown.stdout == file.read_text(encoding="utf-8")
    assert "version 1" in shown.stderr and "imported from marlow.toml" in shown.stderr
    report = second_report(tmp_path)
    inspected = [
        etl("inspect", str(report), "--council", COUNCIL, "--db", str(db), cwd=project_root).stdout for db in (first_db, second_db)
    ]
    reading = [text.split("\nlayouts:", 1)[1] for text in inspected]  # who saved each version differs
    assert reading[0] == reading[1]
    assert "'high' | 'medium' | 'high'" in inspected[1] and "warnings:     0" in inspected[1]


@pytest.mark.slow
def test_layout_import_of_a_bad_file_is_refused_naming_the_key_and_saves_nothing(tmp_path, project_root):
    db, file = tmp_path / "store.duckdb", tmp_path / "bad.toml"
    file.write_text('[columns]\n"Deadline" = "targett"\n', encoding="utf-8")
    done = etl("layout", "import", COUNCIL, str(file), "--db", str(db), cwd=project_root)
    assert done.returncode == 1
    assert "'targett' is not a field" in done.stderr and "nothing was saved" in done.stderr
    assert layout_overrides.read_history(db, COUNCIL) == []


def kestrel_reading(path: Path, taught: dict | None) -> dict[str, RecommendationRow]:
    text = to_toml(KESTREL, taught) if taught else None
    report = parse_file(path, KESTREL, layouts=layouts_with(KESTREL, text), list_tables=True)
    return {str(r["ref"]): r for r in report.records}


def test_untaught_a_summary_table_no_rule_can_tell_from_records_is_read_as_records(tmp_path):
    read = kestrel_reading(kestrel_first(tmp_path), None)
    assert len(read) == 5  # three summary rows, all without a ref, stand in for records
    assert read["None"]["recommendation"] in {"1", "2"}


def test_taught_to_leave_the_summary_table_out_every_record_and_field_is_right(tmp_path):
    path = kestrel_first(tmp_path)
    report = parse_file(path, KESTREL, layouts=layouts_with(KESTREL, to_toml(KESTREL, KESTREL_TAUGHT)), list_tables=True)
    read = {r["ref"]: r for r in report.records}
    assert {ref: r["risk_level"] for ref, r in read.items()} == {k: KESTREL_LEVELS[k] for k in ("KM/01", "KM/02", "KM/03", "KM/04")}
    assert read["KM/03"]["recommendation"] == "Test the restore of backups each quarter."
    assert read["KM/01"]["status"] == "implemented" and str(read["KM/02"]["original_target_date"]) == "2025-06-30"
    assert [(t.name, t.left_out) for t in report.tables_found] == [
        (KESTREL_SUMMARY, True),
        ("Ref | Audit | Recommendation | Priority | Officer | Target date | Status | Update", False),
    ]
    assert not any(w["field"] == "document" for w in report.warnings)
    assert any("left out as taught" in line for line in report.reading_check)


def test_rows_are_left_out_by_a_pattern_or_by_their_numbers(tmp_path):
    path = kestrel_first(tmp_path)
    by_pattern = kestrel_reading(path, {"records": {"leave_out_rows": [r"^\d+$"]}})  # a cell of a count alone
    assert sorted(by_pattern) == ["KM/01", "KM/02", "KM/03", "KM/04"] and by_pattern["KM/01"]["risk_raw"]
    by_number = kestrel_reading(path, {"records": {"leave_out_row_numbers": ["5-7"]}})  # the summary's rows
    assert sorted(by_number) == ["KM/01", "KM/02", "KM/03", "KM/04"]


@pytest.mark.slow
def test_etl_load_and_inspect_leave_the_taught_table_out_of_the_next_report(tmp_path, project_root):
    db = tmp_path / "store.duckdb"
    with Store(db).writing() as con:
        layout_overrides.save(con, KESTREL, to_toml(KESTREL, KESTREL_TAUGHT), "A. Smith", "taught in a test")
    second = kestrel_second(tmp_path)
    done = etl("load", str(kestrel_first(tmp_path)), str(second), "--council", KESTREL, "--db", str(db), cwd=project_root)
    assert done.returncode == 0, done.stderr
    assert levels(db) == KESTREL_LEVELS
    shown = etl("inspect", str(second), "--council", KESTREL, "--db", str(db), cwd=project_root).stdout
    assert f"table left out as taught (header at row 4): '{KESTREL_SUMMARY}'" in shown
    assert "records:      4" in shown


@pytest.mark.slow
def test_the_table_choice_moves_between_stores_with_export_and_import(tmp_path, project_root):
    first_db, second_db, file = tmp_path / "first.duckdb", tmp_path / "second.duckdb", tmp_path / "kestrel.toml"
    with Store(first_db).writing() as con:
        layout_overrides.save(con, KESTREL, to_toml(KESTREL, KESTREL_TAUGHT), "A. Smith", "taught in a test")
    assert etl("layout", "export", KESTREL, str(file), "--db", str(first_db), cwd=project_root).returncode == 0
    assert "[records]" in file.read_text(encoding="utf-8") and KESTREL_SUMMARY in file.read_text(encoding="utf-8")
    assert etl("layout", "import", KESTREL, str(file), "--db", str(second_db), cwd=project_root).returncode == 0
    report = kestrel_second(tmp_path)
    inspected = [
        etl("inspect", str(report), "--council", KESTREL, "--db", str(db), cwd=project_root).stdout for db in (first_db, second_db)
    ]
    assert inspected[0].split("\nlayouts:", 1)[1] == inspected[1].split("\nlayouts:", 1)[1]
    assert "table left out as taught" in inspected[1] and "records:      4" in inspected[1]
    for db in (first_db, second_db):
        assert etl("load", str(report), "--council", KESTREL, "--db", str(db), cwd=project_root).returncode == 0
    assert levels(first_db) == levels(second_db) == {k: KESTREL_LEVELS[k] for k in ("KM/02", "KM/03", "KM/04", "KM/05")}
