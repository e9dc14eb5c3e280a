"""How values read on a page: numbers and days as text, document text made safe for Markdown,
and the label of a missing value."""
from __future__ import annotations

import re

# The label for a missing directorate or risk level. sql/queries spells the same label in SQL.
NONE_LABEL = "(none)"

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Document text for an element that renders Markdown (headings, captions): every Markdown
    character escaped, so a link, image or HTML in a cell is shown as the characters it is."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")


def percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def days(value) -> str:
    return "–" if value is None else f"{value:,.0f} days"
