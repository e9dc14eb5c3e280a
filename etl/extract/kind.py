"""What an input kind declares (its KIND): its name and suffixes, a check of a file's first bytes,
how to get its rows, and optionally how to split it into pages that several processes can read at
once. The registry (registry.py) lists the kinds; each kind's module imports only this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.extract.rows import Row

Progress = Callable[[int, int], None]
HEAD_BYTES = 4096  # how much of a file the content checks look at


@dataclass(frozen=True)
class Pages:
    """Page splitting: how many pages a file has, a run of them read on its own, and the rows of
    every run put back together in order."""

    count: Callable[[Path], int]
    read: Callable[[Path, int, int, Progress | None], list[Any]]
    rows: Callable[[list[Any]], list[Row]]


@dataclass(frozen=True)
class InputKind:
    name: str  # stored as reports.parser
    label: str  # for messages: "PDF", "text"
    suffixes: tuple[str, ...]
    content_problem: Callable[[bytes], str | None]  # None when the first bytes look right
    read: Callable[[Path, Progress | None], tuple[list[Row], int | None]]  # rows and page count
    pages: Pages | None = None
