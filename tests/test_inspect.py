"""python -m etl inspect: how one file is read, printed without loading it; and the walk-through of
docs/adding-a-council.md (inspect, add an override, inspect again) run as an analyst would."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.layouts.config import LAYOUTS_FILE
from tests.zoo_score import ZOO

pytestmark = pytest.mark.slow


def inspect(project_root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "inspect", *args],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_inspect_prints_how_a_real_file_is_read(project_root, tmp_path):
    db = tmp_path / "untouched.duckdb"
    done = inspect(
        project_root,
        str(ZOO / "hartmoor_two_row_header.txt"),
        "--council",
        "Hartmoor Metropolitan Borough Council",
        env={"SLIPPAGE_DB": str(db)},
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # The header found, each column's field: the two-row header read as one.
    assert "'Target date Original'" in out and "-> target" in out
    assert "'Target date Revised'" in out and "-> revised_target" in out
    assert "'Progress update'" in out and "-> latest_update" in out
    # The first values read for each field.
    assert "records:      12" in out
    assert "'Adult Social Care Charging 2022-23'" in out
    assert "2023-03-31, 2023-09-30, 2024-03-31, 2024-12-31" in out
    # The report date and where it came from, the risk scale chosen.
    assert "report date:  2024-09-30 (printed; printed: 'Status at 30.09.2024')" in out
    assert "risk scale:   printed key (4 levels" in out and "'fundamental' = critical" in out
    assert "warnings:     " in out
    assert not db.exists()  # nothing was loaded


def test_inspect_names_unmapped_columns_and_warnings(project_root, tmp_path):
    doc = tmp_path / "tracker.txt"
    doc.write_text(
        "Tracker at 31 March 2025\n\nRef\tAudit\tPriority\tDue\tBudget code\tLatest position\n"
        "1\tPayroll\tHigh\tQ3 2024\tX1\tFeb 2025: on track.\n",
        encoding="utf-8",
    )
    out = inspect(project_root, str(doc)).stdout
    assert "'Budget code'" in out and "-> unmapped" in out
    assert "column 'Budget code' is not mapped to a field" in out
    assert "read as a calendar quarter" in out  # a doubtful date is a warning
    assert "give --council NAME" in out


def test_inspect_a_file_that_cannot_be_read_exits_1_with_one_line(project_root, tmp_path):
    doc = tmp_path / "odd.txt"
    doc.write_text("Title\n\nColour\tFlavour\tTexture\nred\tsweet\tsoft\n", encoding="utf-8")
    done = inspect(project_root, str(doc))
    assert done.returncode == 1
    assert "'Colour', 'Flavour', 'Texture'" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_walk_through_inspect_add_an_override_inspect_again(project_root, tmp_path):
    """docs/adding-a-council.md: a layout the defaults read badly, fixed with a council file."""
    layouts = tmp_path / "layouts"
    (layouts / "councils").mkdir(parents=True)
    shutil.copyfile(LAYOUTS_FILE, layouts / "layouts.toml")
    env = {"SLIPPAGE_LAYOUTS": str(layouts / "layouts.toml")}
    doc = tmp_path / "anytown.txt"
    doc.write_text(
        "Anytown Borough Council – audit actions at 31 March 2025\n\n"
        "Ref\tSubject\tWho\tCategory\tTarget Date\tWhere we are\n"
        "A1\tPayroll\tPayroll Manager\tA\t30/06/2024\tSigned off – checks in place.\n"
        "A2\tFleet\tFleet Manager\tB\t31/12/2024\tWork continues.\n",
        encoding="utf-8",
    )
    before = inspect(project_root, str(doc), "--council", "Anytown Borough Council", env=env).stdout
    assert "'Who'" in before and "'Where we are'" in before and before.count("-> unmapped") == 2
    # Letters with no key: A the most serious, and a warning that nothing printed says so.
    assert "no printed key says which way the risk scale runs" in before and "'a' = high" in before
    assert "status                 'open' | 'open'" in before
    (layouts / "councils" / "anytown.toml").write_text(
        'council = "Anytown Borough Council"\n\n[columns]\n"Who" = "responsible"\n'
        '"Where we are" = "latest_update"\n\n[risk]\nkey = { "A" = "high", "B" = "medium" }\n\n'
        '[status]\nimplemented = ["signed off"]\n',
        encoding="utf-8",
    )
    after = inspect(project_root, str(doc), "--council", "Anytown Borough Council", env=env).stdout
    assert "its own layouts: " in after and "anytown.toml" in after
    assert "-> unmapped" not in after and "no printed key says which way" not in after
    assert "'Payroll Manager'" in after and "the council's own key" in after
    assert "status                 'implemented' | 'open'" in after
    # Another council's files are read with the defaults still.
    other = inspect(project_root, str(doc), "--council", "Elsewhere Council", env=env).stdout
    assert other.count("-> unmapped") == 2
