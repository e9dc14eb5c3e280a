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


def test_a_batch_is_read_by_workers_started_once(tmp_path):
    """Workers are kept for the batch: files read with one worker are read by one process; after
    a worker ran out of memory the next file gets a fresh one; and a worker with nothing left to
    read ends at once, so its memory is not held while the store is written."""
    from etl.manifest import FileSettings
    from etl.parallel import _Scheduler
    from etl.plan import Job

    files = [good_pdf(tmp_path / f"good-{i}.pdf") for i in range(4)]
    flate_bomb(tmp_path / "bomb.pdf", inflated_mb=900)
    batch = [*files[:2], tmp_path / "bomb.pdf", *files[2:]]
    scheduler = _Scheduler([Job(p, FileSettings()) for p in batch], 1, TIGHT, None)
    readers = []
    for _, result, _ in scheduler.results():
        readers.append((getattr(result, "message", "read"), [w.process.pid for w in scheduler.pool]))
    [(_, first), (_, second), (said, after_bomb), (_, fresh), (_, at_the_end)] = readers
    assert first == second and len(first) == 1  # the second file went to the worker that read the first
    assert said == "needs more than 400 MB to read" and after_bomb == []  # that worker ended
    assert len(fresh) == 1 and fresh != first  # the next file got a fresh one
    assert at_the_end == []  # nothing left to read: it ended as soon as its last file was read


def test_a_worker_killed_half_way_is_one_line_and_the_next_file_gets_a_new_one(tmp_path):
    import os
    import signal
    import threading
    import time

    slow = slow_page(tmp_path / "a-slow.pdf", operators=80_000)
    good = good_pdf(tmp_path / "b-good.pdf")

    def workers() -> list[int]:
        """The workers: children of this process's fork server."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError):
                    continue
                children.setdefault(parent, []).append(int(entry))
        mine, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            mine.append(pid)
            todo.extend(children.get(pid, []))
        servers = [pid for pid in mine if b"multiprocessing.forkserver" in _cmdline(pid)]
        return [pid for server in servers for pid in children.get(server, [])]

    def kill_the_first_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = workers()
            if found:
                time.sleep(0.5)  # into its slow page
                os.kill(found[0], signal.SIGKILL)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_first_worker)
    killer.start()
    outcomes = load([slow, good], tmp_path / "store.duckdb", council="Test Council", jobs=1, limits=ParseLimits(page_seconds=60))
    killer.join()
    said = {o.file.name: (o.outcome, o.message) for o in outcomes}
    assert said["a-slow.pdf"][0] == "failed" and said["a-slow.pdf"][1].startswith("the reader was stopped by SIGKILL")
    assert said["b-good.pdf"][0] == "loaded"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_file_out_of_memory_after_other_files_is_read_again_by_a_fresh_worker(tmp_path):
    """A worker's memory limit counts what its earlier files left behind: a file that ran out of
    it in a worker that had read others is read once more in a worker of its own, and only then
    is it the file's line."""
    from etl.failures import Failed
    from etl.manifest import FileSettings
    from etl.parallel import _Scheduler
    from etl.plan import Job

    scheduler = _Scheduler([Job(good_pdf(tmp_path / "good.pdf"), FileSettings())], 1, TIGHT, None)
    try:
        task = scheduler._next_task()
        scheduler._start(task)
        first = task.worker
        first.tasks_done = 1  # it had read another file before this one
        scheduler._finished(task, Failed(TIGHT.too_big()), False)
        assert list(scheduler.queue) == [task] and task.fresh_worker and task.file.result is None
        scheduler._start(scheduler.queue.popleft())
        assert task.worker is not first and task.worker.tasks_done == 0
        scheduler._finished(task, Failed(TIGHT.too_big()), False)
        assert task.file.result == Failed(TIGHT.too_big())  # out of memory in a fresh worker too: its line
    finally:
        scheduler._stop_all()
