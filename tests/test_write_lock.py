"""A load reads its files before it takes the store's write lock and holds the lock only to write:
while one process parses a long appendix, a removal and another load in other processes finish
(real processes, a real store file)."""

import subprocess
import sys
import time

import duckdb
import pytest

from tests.samples import SEEDS, seed_path

LONG_RECORDS = 12_000  # about 20 s of parsing on a quiet machine; the other processes need a few


def long_appendix(path):
    header = "Audit\tOfficer Responsible\tGrade\tTarget Date\tRecommendation\tLatest update from officers"
    rows = [
        f"Audit {n}\tHead of Service {n % 7}\tHigh\t31/03/2024\tReview the controls of area {n}\tMarch 2024: progress on area {n}"
        for n in range(LONG_RECORDS)
    ]
    path.write_text("Appendix A: overdue actions\n\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def etl(*args):
    return [sys.executable, "-m", "etl", *args]


@pytest.mark.slow
def test_a_removal_and_a_load_finish_while_another_load_is_still_parsing(fresh_db, tmp_path, project_root):
    [(removed_id,)] = (
        duckdb.connect(str(fresh_db), read_only=True).sql("SELECT report_id FROM reports ORDER BY report_id LIMIT 1").fetchall()
    )
    other = tmp_path / "manchester-copy.txt"
    other.write_text("Revised copy\n" + seed_path("003").read_text(encoding="utf-8"), encoding="utf-8")
    parsing = subprocess.Popen(
        etl(
            "load",
            str(long_appendix(tmp_path / "long.txt")),
            "--db",
            str(fresh_db),
            "--council",
            "Longshire Council",
            "--as-at",
            "2024-04-30",
        ),
        cwd=project_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the long load is under way: planned, hashed, parsing
        removal = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sys; from etl.load import remove_report; print(remove_report(sys.argv[1], {removed_id}, 'test').line())",
                str(fresh_db),
            ],
            cwd=project_root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        second = subprocess.run(
            etl("load", str(other), "--db", str(fresh_db), "--council", SEEDS["003"][1], "--as-at", "2025-06-30"),
            cwd=project_root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        still_parsing = parsing.poll() is None
        out, err = parsing.communicate(timeout=900)
    finally:
        parsing.kill()
    assert removal.returncode == 0 and removal.stdout.startswith("removed"), removal.stdout + removal.stderr
    assert second.returncode == 0 and "loaded" in second.stdout, second.stdout + second.stderr
    assert still_parsing, "the removal and the second load waited for the long load to finish"
    assert parsing.returncode == 0 and f"{LONG_RECORDS} records" in out, out + err
    con = duckdb.connect(str(fresh_db), read_only=True)
    files = {f for (f,) in con.sql("SELECT source_file FROM reports").fetchall()}
    assert {"long.txt", "manchester-copy.txt"} <= files, (second.stdout, out)  # each write kept the others
    assert con.sql(f"SELECT count(*) FROM reports WHERE report_id = {removed_id}").fetchall() == [(0,)]
