"""Reading ahead while the store is written: with more than one worker, the scheduler that feeds
the workers runs in a thread of its own, so that while this process writes one file's report the
workers go on to the next files' pages instead of waiting for it (issue 26). With one worker the
batch stays one process at a time, as asked.

What the thread hears (results, pages read) comes back through a queue and is handed on in this
thread, in order: progress callbacks (a Streamlit page's, say) never run in the scheduler's
thread. At most `ahead` parsed files wait to be written, so memory stays that of a few files."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
PagesCallback = Callable[[str, int, int], None]


def read_ahead(
    produce: Callable[[PagesCallback, threading.Event], Generator[T, None, None]], on_pages: PagesCallback | None, ahead: int
) -> Iterator[T]:
    """What `produce` yields, produced in a thread up to `ahead` items before they are asked for.
    `produce` gets a pages callback to call instead of on_pages, and an event set when the
    consumer stops early (it must then stop soon, and clean up after itself)."""
    messages: queue.Queue[tuple[str, Any]] = queue.Queue()
    slots = threading.Semaphore(ahead)
    stop = threading.Event()

    def pages(name: str, done: int, total: int) -> None:
        messages.put(("pages", (name, done, total)))

    def pump() -> None:
        items = produce(pages, stop)
        try:
            for item in items:
                while not slots.acquire(timeout=0.25):
                    if stop.is_set():
                        return
                messages.put(("item", item))
            messages.put(("end", None))
        except BaseException as exc:  # the consumer raises it in its own thread
            messages.put(("error", exc))
        finally:
            items.close()  # its own clean-up (workers stopped) runs here, not at garbage collection

    thread = threading.Thread(target=pump, name="slippage-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = messages.get()
            if kind == "pages":
                if on_pages:
                    on_pages(*value)
            elif kind == "item":
                yield value
                slots.release()
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        thread.join()
