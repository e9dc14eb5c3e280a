"""The input kinds slippage reads. Each kind is one module (text.py, pdf.py, ...) that declares a
KIND: its suffixes, a check of the file's first bytes, how to get its rows, and optionally how to
split it into pages that several processes can read at once. Loading, uploads and messages all
read this list, so a new kind is one module and one line in kinds()."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.extract.rows import ExtractError, Row

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
    name: str                                   # stored as reports.parser
    label: str                                  # for messages: "PDF", "text"
    suffixes: tuple[str, ...]
    content_problem: Callable[[bytes], str | None]   # None when the first bytes look right
    read: Callable[[Path, Progress | None], tuple[list[Row], int | None]]  # rows and page count
    pages: Pages | None = None


def kinds() -> list[InputKind]:
    from etl.extract import csv, docx, pdf, text, xlsx

    return [pdf.KIND, text.KIND, docx.KIND, xlsx.KIND, csv.KIND]


def supported_suffixes() -> list[str]:
    return [suffix for kind in kinds() for suffix in kind.suffixes]


def unsupported(suffix: str) -> str:
    return f"unsupported file type {suffix or '(none)'}: use {', '.join(supported_suffixes())}"


def kind_for(path: Path) -> InputKind:
    """The kind a file's name says it is; an ExtractError for any other name."""
    suffix = path.suffix.lower()
    for kind in kinds():
        if suffix in kind.suffixes:
            return kind
    raise ExtractError(unsupported(suffix))


def check_content(path: Path, head: bytes) -> str | None:
    """Why a file's first bytes do not match the kind its name says, or None."""
    try:
        kind = kind_for(path)
    except ExtractError as exc:
        return str(exc)
    if not head:
        return "the file is empty"
    return kind.content_problem(head)
