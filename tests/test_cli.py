"""The command line as people expect one to behave: `etl load` shows its progress in a terminal
(a real pseudo-terminal around a real `python -m etl load`) and plain lines when piped, failures on
standard error, a summary table at the end; --version; help for every option and argument; errors
that say what to do; a stray file in a folder skipped and named; no store made for nothing; piped
tables that keep words whole; content loaded before named with its council and report."""

import argparse
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.cli import build_parser
from etl.store.readonly import open_safe
from tests.pdfmaker import HEADER, WIDTHS, build, table, text
from tests.samples import SEEDS, seed_path

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
HARBOROUGH = SEEDS["000"][1]


def etl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def in_a_terminal(args: list[str], cwd: Path, columns: int = 140) -> tuple[int, str]:
    """`python -m etl ARGS` with a pseudo-terminal as its standard output and error: its exit status
    and everything it drew, control codes included."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of a known width
        os.chdir(cwd)
        os.environ.update(COLUMNS=str(columns), LINES="40", TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-m", "etl", *args])
    drawn = bytearray()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child has gone and closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), drawn.decode("utf-8", "replace")


def long_pdf(path: Path, rows: int = 48) -> Path:
    filler = " ".join(f"word{i}" for i in range(120))
    body = [[f"Audit {i}", "High", "31/03/2025", f"Recommendation {i}: {filler}", "June 2025: in progress."] for i in range(rows)]
    return build(path, [text("Overdue recommendations as at 30 June 2025"), table(HEADER, body, WIDTHS)])


@pytest.fixture
def batch(tmp_path) -> Path:
    """A folder as people keep one: appendices, a README, and one file that cannot be read."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "harborough.txt").write_bytes(seed_path("000").read_bytes())
    (folder / "README.rst").write_text("Committee papers, downloaded for the audit committee.\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF")
    return folder


def test_load_in_a_terminal_shows_files_pages_time_and_a_summary(batch, tmp_path, project_root):
    pdf = long_pdf(batch / "long-appendix.pdf")
    status, drawn = in_a_terminal(["load", str(batch), "--council", HARBOROUGH, "--db", str(tmp_path / "a.duckdb")], project_root)
    shown = ANSI.sub("", drawn)
    assert status == 1  # broken.pdf failed; the rest loaded
    assert "\x1b[" in drawn  # drawn in place, as a terminal allows
    assert re.search(r"loading .*\d/4 files", shown), shown[-2000:]  # file N of M
    assert re.search(r"\d:\d\d:\d\d elapsed, about \d:\d\d:\d\d left", shown)  # time taken and an estimate of what is left
    assert re.search(rf"{pdf.name} .*\d+/\d+ pages", shown)  # a bar of pages for the long PDF
    for line in (
        "loaded    " + str(pdf),
        "loaded    " + str(batch / "harborough.txt"),
        "skipped   " + str(batch / "README.rst"),
        "failed    " + str(batch / "broken.pdf"),
    ):
        assert line in shown
    assert re.search(r"loaded\s+replaced\s+unchanged\s+skipped\s+failed\s+warnings\s+doubts", shown)
    assert re.search(r"\b2\s+0\s+0\s+1\s+1\s+\d+\s+\d+\s", shown)  # the summary's counts
    assert "2 of 4 files loaded or already present" in shown
    assert "Traceback" not in shown


def test_load_piped_writes_plain_lines_failures_to_standard_error(batch, tmp_path, project_root):
    run = etl("load", str(batch), "--council", HARBOROUGH, "--db", str(tmp_path / "a.duckdb"), cwd=project_root)
    assert run.returncode == 1
    assert "\x1b[" not in run.stdout + run.stderr and "━" not in run.stdout + run.stderr  # no bars, no control codes
    out = run.stdout.splitlines()
    assert out == [
        f"skipped   {batch / 'README.rst'}: .rst is not a kind of appendix slippage reads; left alone",
        next(line for line in out if line.startswith(f"loaded    {batch / 'harborough.txt'}: 20 records")),
    ]
    failures = [line for line in run.stderr.splitlines() if line.startswith("failed")]
    assert len(failures) == 1 and failures[0].startswith(f"failed    {batch / 'broken.pdf'}: ")
    assert "1 of 3 files loaded or already present" in run.stderr
    assert re.search(r"\|\s+1\s+\|\s+0\s+\|\s+0\s+\|\s+1\s+\|\s+1\s+\|", run.stderr)  # the summary table, in ASCII


def test_a_stray_file_is_named_and_skipped_without_failing_the_batch(tmp_path, project_root):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "harborough.txt").write_bytes(seed_path("000").read_bytes())
    (folder / "README.rst").write_text("About these papers.\n", encoding="utf-8")
    run = etl("load", str(folder), "--council", HARBOROUGH, "--db", str(tmp_path / "a.duckdb"), cwd=project_root)
    assert run.returncode == 0, run.stderr
    assert f"skipped   {folder / 'README.rst'}" in run.stdout and "loaded    " in run.stdout


def test_a_file_named_on_the_command_line_must_be_an_appendix(tmp_path, project_root):
    stray = tmp_path / "README.rst"
    stray.write_text("About these papers.\n", encoding="utf-8")
    run = etl("load", str(stray), "--council", HARBOROUGH, "--db", str(tmp_path / "a.duckdb"), cwd=project_root)
    assert run.returncode == 1 and "unsupported file type .rst: use .pdf" in run.stderr


def test_a_folder_without_appendices_says_what_was_looked_for_and_makes_no_store(tmp_path, project_root):
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "README.rst").write_text("Minutes only.\n", encoding="utf-8")
    db = tmp_path / "audit.duckdb"
    run = etl("load", str(folder), "--council", HARBOROUGH, "--db", str(db), cwd=project_root)
    assert run.returncode == 1
    assert f"no appendix files found in {folder} (looked for .pdf, .txt" in run.stderr and ".docx" in run.stderr
    assert "no store made" in run.stderr
    assert not db.exists()


def test_nothing_loaded_makes_no_store_file(tmp_path, project_root):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = tmp_path / "audit.duckdb"
    run = etl("load", str(empty), "--council", HARBOROUGH, "--db", str(db), cwd=project_root)
    assert run.returncode == 1 and "empty" in run.stderr
    assert not db.exists()


def test_the_same_content_under_another_council_names_the_council_and_report_holding_it(fresh_db, project_root):
    run = etl("load", str(seed_path("003")), "--council", "Test Borough Council", "--db", str(fresh_db), cwd=project_root)
    assert run.returncode == 0, run.stderr
    assert re.search(
        r"^unchanged .*: already loaded under Manchester City Council, report of 31 Jan 2023 \(report \d+, "
        r"loaded \d+ \w{3} \d{4}, \d\d:\d\d by [^)]+\), not under Test Borough Council: nothing changed$",
        run.stdout,
        re.MULTILINE,
    ), run.stdout


def test_version(project_root):
    from etl.store import migrations

    run = etl("--version", cwd=project_root)
    assert run.returncode == 0
    assert run.stdout.startswith(f"slippage: store schema {migrations.latest():03d}")
    assert f"DuckDB {duckdb.__version__}" in run.stdout and "storage version v1.4.0" in run.stdout


def _parsers(parser: argparse.ArgumentParser, path: str = "python -m etl"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_option_and_argument_of_every_command_has_help():
    undocumented = [
        f"{path} {action.option_strings or action.dest}"
        for path, parser in _parsers(build_parser())
        for action in parser._actions
        if not action.help or action.help == argparse.SUPPRESS
    ]
    assert not undocumented, f"give these a help text: {undocumented}"
    commands = dict(list(_parsers(build_parser()))[1:])
    assert len(commands) >= 7 and all(sub.description for sub in commands.values())


def test_every_command_prints_its_help(project_root):
    for path, _ in list(_parsers(build_parser()))[1:]:
        run = etl(*path.split()[3:], "--help", cwd=project_root)
        assert run.returncode == 0 and run.stdout.startswith(f"usage: {path}"), run.stderr


def test_sql_table_piped_keeps_every_word_whole(sample_db, project_root):
    query = "SELECT council, audit_title, recommendation FROM slippage WHERE length(recommendation) > 150 ORDER BY ALL LIMIT 5"
    run = etl("sql", query, "--db", str(sample_db), "--format", "table", cwd=project_root)
    assert run.returncode == 0, run.stderr
    con = open_safe(sample_db)  # the configuration every test (and page) opens the shared store with
    rows = con.execute(query).fetchall()
    con.close()
    assert len(rows) == 5
    for council, title, recommendation in rows:
        for value in (council, title, *recommendation.splitlines()):
            assert value.strip() in run.stdout  # whole, never wrapped or cut at a column's width
