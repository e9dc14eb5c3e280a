"""A cell of 10 MB, of whatever text (once "1/1/1/..." read for over two minutes, "1-1-..." 53 s),
is refused with a message naming it, and a cell at the bound still reads; how long each takes is
bench/RESULTS.md section 9 (`python -m bench cells`), not asserted here."""

import subprocess
import sys

import pytest

from etl.extract.rows import MAX_CELL_CHARS
from etl.parse import ParseError, parse_file
from tests.hostile import appendix_with_cell

TEN_MB = 10_000_000
KINDS = {
    "slashes": "1/1/",
    "dashes": "1-1-",
    "dots": "1.1.",
    "quarters": "Q1 ",
    "months": "May 2025 ",
    "brackets": "(",
    "letters": "a",
    "spaces": " ",
    "tbc": "TBC/",
    "markup": "<b>",
}


@pytest.mark.slow
def test_ten_megabyte_cells_of_every_kind_are_refused_by_name_and_the_rest_of_the_batch_loads(tmp_path, project_root):
    folder = tmp_path / "papers"
    folder.mkdir()
    for name, token in KINDS.items():
        for column in ("Target Date", "Latest update from officers"):
            appendix_with_cell(folder / f"{name}-{column.split()[0].lower()}.txt", token, TEN_MB, column)
    appendix_with_cell(folder / "at-the-bound.txt", "1/1/", MAX_CELL_CHARS)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(folder),
            "--db",
            str(tmp_path / "store.duckdb"),
            "--council",
            "Testshire Council",
            "--as-at",
            "2024-06-30",
        ],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=900,
    )  # once hours; now seconds
    said = {
        line.split(": ", 1)[0].rsplit("/", 1)[-1]: line
        for line in (result.stdout + result.stderr).splitlines()
        if line.startswith(("loaded", "failed"))
    }  # failures on stderr, the rest on stdout
    assert result.returncode == 1 and len(said) == 2 * len(KINDS) + 1, result.stdout + result.stderr
    for name in KINDS:
        for column in ("target", "latest"):
            line = said[f"{name}-{column}.txt"]
            assert line.startswith("failed") and "holds a cell of 10,000,000 characters (more than 100,000)" in line, line
    assert said["at-the-bound.txt"].startswith("loaded") and "3 records" in said["at-the-bound.txt"]


def test_a_long_target_cell_within_the_bound_reads_its_records(tmp_path):
    report = parse_file(appendix_with_cell(tmp_path / "long.txt", "31/03/2024 revised to ", 50_000), "Testshire Council")
    assert len(report.records) == 3 and report.records[0]["audit_title"] == "Payroll 2023-24"


@pytest.mark.parametrize("line", ["x\t" * (TEN_MB // 2), "|" + "x|" * (TEN_MB // 2)], ids=["tabs", "pipes"])
def test_a_line_of_millions_of_cells_is_refused_naming_the_line(tmp_path, line):
    path = tmp_path / "wide.txt"
    path.write_text("Appendix A\n\nAudit\tRisk\tTarget date\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 4 has 5,000,00\d cells \(more than 512\): not an appendix table"):
        parse_file(path, "Testshire Council")
