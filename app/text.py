"""How values read on a page: numbers and days as text, document text made safe for Markdown,
and the label of a missing value."""
from __future__ import annotations

import re

# The label for a missing directorate or risk level. sql/queries spells the same label in SQL.
NONE_LABEL = "(none)"

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's Markdown turns bare addresses into links after escapes are read ("http://…",
# "www.…", "name@host.org"), so escaping cannot stop it. An invisible WORD JOINER (U+2060) after
# the scheme, after "www" and after "@" breaks each pattern and changes nothing that is seen.
_AUTOLINK_STARTS = re.compile(r"(?i)((?:https?|ftps?|mailto|xmpp|www)(?=[:.])|@)")
WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """Document text for an element that renders Markdown (headings, captions, alerts): every
    Markdown character escaped and every bare address broken, so a link, image, address or HTML in
    a cell is shown as the characters it is and never becomes a link."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", _AUTOLINK_STARTS.sub(r"\1" + WORD_JOINER, text or ""))


def percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def days(value) -> str:
    return "–" if value is None else f"{value:,.0f} days"
