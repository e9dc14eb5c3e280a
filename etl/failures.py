"""A file that cannot be loaded is a value, not an exception that escapes: Failed carries the one
line the user sees, and one helper turns any exception into that line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failed:
    message: str


def first_line(exc: BaseException) -> str:
    """An exception's message as one line; its type's name when it has no message."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def unexpected(exc: BaseException) -> Failed:
    """A failure nobody foresaw, still one line, never a traceback."""
    return Failed(f"could not be read ({type(exc).__name__}: {first_line(exc)})")
