"""Reading ahead (etl/readahead.py): `--jobs 2` goes on parsing while a file is written, but
never holds more than a few parsed files, hands progress to the loading thread, says what went
wrong in it, and stops its workers when the load stops early."""

from __future__ import annotations

import threading
import time

import pytest

from etl.readahead import read_ahead


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_items_are_made_while_the_consumer_is_busy_but_only_so_many_ahead():
    made: list[int] = []

    def produce(pages, stop):
        for i in range(10):
            made.append(i)
            yield i

    items = read_ahead(produce, None, ahead=2)
    assert next(items) == 0
    # while the first item is "written", the next ones are made, up to two waiting
    assert _wait_for(lambda: len(made) >= 3)
    time.sleep(0.3)
    assert len(made) <= 4  # the one handed over, two waiting, one made and held back
    assert list(items) == list(range(1, 10))


def test_progress_is_told_in_the_consuming_thread_and_in_order():
    heard: list[tuple[str, int, int, str]] = []

    def produce(pages, stop):
        for done in (1, 2, 3):
            pages("a.pdf", done, 3)
        yield "a"

    def on_pages(name: str, done: int, total: int) -> None:
        heard.append((name, done, total, threading.current_thread().name))

    assert list(read_ahead(produce, on_pages, ahead=1)) == ["a"]
    here = threading.current_thread().name
    assert heard == [("a.pdf", 1, 3, here), ("a.pdf", 2, 3, here), ("a.pdf", 3, 3, here)]


def test_a_fault_in_the_producer_is_raised_to_the_consumer():
    def produce(pages, stop):
        yield 1
        raise ValueError("the scheduler broke")

    items = read_ahead(produce, None, ahead=1)
    assert next(items) == 1
    with pytest.raises(ValueError, match="the scheduler broke"):
        next(items)


def test_stopping_early_stops_the_producer_and_runs_its_clean_up():
    cleaned = threading.Event()

    def produce(pages, stop):
        try:
            for i in range(1_000_000):
                if stop.is_set():
                    return
                yield i
        finally:
            cleaned.set()

    items = read_ahead(produce, None, ahead=1)
    assert next(items) == 0
    items.close()  # the load stopped after its first file
    assert cleaned.is_set()
