"""Load progress on the command line: on a terminal, one live line per file being parsed (pages
done), redrawn in place; elsewhere, plain lines only."""
from __future__ import annotations

import sys
import threading
from typing import TextIO


class ProgressDisplay:
    def __init__(self, stream: TextIO = sys.stdout, live: bool | None = None):
        self.stream = stream
        self.live = stream.isatty() if live is None else live
        self.active: dict[str, tuple[int, int]] = {}
        self.drawn = 0
        self.lock = threading.Lock()

    def _bar(self, done: int, total: int, width: int = 24) -> str:
        filled = int(width * done / total) if total else width
        return "#" * filled + "." * (width - filled)

    def _redraw(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")  # back to the first live line, clear below
        for name, (done, total) in self.active.items():
            self.stream.write(f"parsing   {name} [{self._bar(done, total)}] {done}/{total} pages\n")
        self.drawn = len(self.active)
        self.stream.flush()

    def pages(self, name: str, done: int, total: int) -> None:
        if not self.live:
            return
        with self.lock:
            self.active[name] = (done, total)
            self._redraw()

    def finished(self, name: str, line: str) -> None:
        with self.lock:
            if self.live:
                self.active.pop(name, None)
                if self.drawn:
                    self.stream.write(f"\x1b[{self.drawn}F\x1b[J")
                    self.drawn = 0
                self.stream.write(line + "\n")
                self._redraw()
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
