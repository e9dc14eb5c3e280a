"""No file can stop a batch: every file is read in a worker with a memory limit and deadlines,
and a worker that runs out of either becomes that file's one line while the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load
from etl.parallel import ParseLimits
from tests.hostile import flate_bomb, slow_page
from tests.pdfmaker import HEADER, WIDTHS, build, table, text

TIGHT = ParseLimits(memory_mb=400, page_seconds=5, file_seconds=60)


def good_pdf(path: Path) -> Path:
    return build(
        path,
        [
            text("Overdue actions as at 31 March 2025"),
            table(HEADER, [["Payroll", "High", "31/01/2025", "Reconcile.", "March 2025: doing it"]], WIDTHS),
        ],
    )


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    flate_bomb(folder / "a-bomb.pdf", inflated_mb=900)
    good_pdf(folder / "b-good.pdf")
    slow_page(folder / "c-slow.pdf", operators=80_000)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bomb_and_a_stalled_page_are_one_line_each_and_the_good_file_loads(hostile_batch, tmp_path, jobs):
    outcomes = load([hostile_batch], tmp_path / "store.duckdb", council="Test Council", jobs=jobs, limits=TIGHT)
    said = {o.file.name: (o.outcome, o.message) for o in outcomes}
    assert said["b-good.pdf"][0] == "loaded"
    assert said["a-bomb.pdf"] == ("failed", "needs more than 400 MB to read")
    assert said["c-slow.pdf"] == ("failed", "page 1 took longer than 5 s to read")


@pytest.mark.slow
def test_a_file_over_its_time_is_stopped(tmp_path):
    slow = slow_page(tmp_path / "slow.pdf", operators=40_000)
    limits = ParseLimits(memory_mb=1024, page_seconds=60, file_seconds=1.5)
    [outcome] = load([slow], tmp_path / "store.duckdb", council="Test Council", limits=limits)
    assert (outcome.outcome, outcome.message) == ("failed", "took longer than 1.5 s to read")
