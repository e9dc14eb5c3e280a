"""What every extractor gives the assembler: rows of cells in document order, with the page or
sheet each came from, and the one error type that says a file cannot be read."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    cells: list[str | None]
    page: int | None = None


class ExtractError(ValueError):
    """The file cannot be read as an appendix; the message is one line for the user."""
