"""A manifest is the command's per-file options: a misspelt key, a file that is not there or a
value of the wrong kind refuses the whole load (exit 2, the usage error of CONTRACT.md) with one
line naming the manifest's line, and nothing is stored; a right manifest loads as before."""

import shutil
import subprocess
import sys

import duckdb
import pytest

from etl.cli import main
from tests.samples import SEEDS, seed_path

pytestmark = pytest.mark.slow

HARBOROUGH = SEEDS["000"][1]


def folder_with(tmp_path, manifest: str):
    folder = tmp_path / "papers"
    folder.mkdir()
    for seed in ("000", "003"):
        shutil.copyfile(seed_path(seed), folder / f"{seed}.txt")
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    return folder


def run_load(folder, db, *extra):
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", str(folder), "--db", str(db), *extra], capture_output=True, text=True, timeout=300
    )


GOOD = f'[[report]]\nfile = "000.txt"\ncouncil = "{HARBOROUGH}"\n\n[[report]]\nfile = "003.txt"\ncouncil = "{SEEDS["003"][1]}"\n'
MISTAKES = [
    (GOOD.replace('council = "Manchester', 'counsil = "Manchester'), 7, "unknown key 'counsil' (did you mean 'council'?)"),
    (GOOD.replace('file = "003.txt"', 'file = "003-missing.txt"'), 6, "no such file"),
    (GOOD.replace('file = "000.txt"', 'file = "000.txt"\nas_of = 2024-08-31'), 3, "unknown key 'as_of' (did you mean 'as_at'?)"),
    (GOOD.replace("[[report]]", "[[reports]]", 1), 1, "unknown entry 'reports' (did you mean 'report'?)"),
    (GOOD.replace('council = "Manchester City Council"', "council = 42"), 7, "council must be a non-empty quoted text"),
    (GOOD + '\n[[report]]\nfile = "000.txt"\ncouncil = "Another"\n', 10, "'000.txt' is named twice"),
]


@pytest.mark.parametrize(
    "manifest, line, reason",
    MISTAKES,
    ids=["misspelt key", "missing file", "misspelt as_at", "misspelt table", "wrong kind", "named twice"],
)
def test_a_manifest_mistake_refuses_the_load_naming_its_line(tmp_path, manifest, line, reason):
    folder = folder_with(tmp_path, manifest)
    db = tmp_path / "store.duckdb"
    result = run_load(folder, db)
    assert result.returncode == 2, result.stdout + result.stderr
    [said] = result.stderr.strip().splitlines()
    assert f"manifest.toml line {line}: " in said and reason in said, said
    assert "Traceback" not in result.stderr and not db.exists()  # nothing loaded under a misread manifest


def test_a_manifest_named_with_manifest_is_checked_the_same_way(tmp_path):
    folder = folder_with(tmp_path, GOOD)
    named = tmp_path / "other.toml"
    named.write_text(GOOD.replace("000.txt", "papers/000.txt").replace("003.txt", "papers/03.txt"), encoding="utf-8")
    result = run_load(folder, tmp_path / "store.duckdb", "--manifest", str(named))
    assert result.returncode == 2 and "other.toml line 6: file = 'papers/03.txt': no such file" in result.stderr


def test_a_right_manifest_still_gives_each_file_its_council(tmp_path):
    folder = folder_with(tmp_path, GOOD)
    db = tmp_path / "store.duckdb"
    result = run_load(folder, db)
    assert result.returncode == 0, result.stderr
    councils = duckdb.connect(str(db), read_only=True).sql("SELECT council FROM reports ORDER BY 1").fetchall()
    assert councils == [(HARBOROUGH,), (SEEDS["003"][1],)]


def test_a_manifest_error_without_a_message_is_still_one_line(tmp_path, monkeypatch, capsys):
    import etl.load as loading
    from etl.manifest import ManifestError

    def no_plan(*args):
        raise ManifestError("")

    monkeypatch.setattr(loading, "plan", no_plan)
    assert main(["load", str(seed_path("002")), "--db", str(tmp_path / "new.duckdb")]) == 2
    [said] = capsys.readouterr().err.strip().splitlines()
    assert "ManifestError" in said and not (tmp_path / "new.duckdb").exists()
