"""Cell HTML to clean text: paragraphs and list items on their own lines, entities decoded,
scripts, styles and markup dropped. Document text is data: nothing here is ever rendered."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Tags that end a line of text; every other tag is inline (so 31<sup>st</sup> stays "31st").
_BLOCK_TAGS = {"p", "li", "br", "div", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_DROPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed"}
# Bullet glyphs a word processor prints before list items; list items are lines already.
_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\uf0b7]\s*")
# A bullet inside a line starts a list item of its own.
_INLINE_BULLET_GLYPHS = "\u2022\u25cf\u25aa\u25e6\uf0b7"
_INLINE_BULLET = re.compile(rf"\s*[{_INLINE_BULLET_GLYPHS}]\s*")
# A run of spaces of any kind read as one space. A lone plain space is left alone, so that a tidy
# line comes back as the very same string: a cell read clean costs neither a copy nor its memory.
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b]{2,}|[\t\u00a0\u2002\u2003\u2009\u200b]")
_MARKDOWN_WRAP = re.compile(r"^#{1,6}\s*|^[*_]+|[*_]+$")
_WORD_RUN = re.compile(r"\w+")


_BOLD_TAGS = {"b", "strong"}


class _TextCollector(HTMLParser):
    """A cell's text. A bold run that opens the cell ends a line, so a heading set in bold at the
    start of a paragraph ("<b>Payroll 2023-24</b> Overpayments ...") is a line of its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._bold = 0
        self._lead = "before"  # before | bold | after: where the cell's opening bold run stands

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _BOLD_TAGS:
            self._bold += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _BOLD_TAGS:
            self._bold = max(0, self._bold - 1)
            if not self._bold and self._lead == "bold":
                self.parts.append("\n")
                self._lead = "after"

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)
            if data.strip() and self._lead == "before":
                self._lead = "bold" if self._bold else "after"


def clean_cell(raw: str | None) -> str:
    """Text a reader sees in one table cell, one paragraph or list item per line."""
    if not raw:
        return ""
    if "<" in raw:
        collector = _TextCollector()
        collector.feed(raw)
        collector.close()
        text = "".join(collector.parts)
    else:
        text = html.unescape(raw)
    return tidy_lines(text)


def tidy_lines(text: str) -> str:
    """Collapse spaces, drop bullet glyphs and empty lines."""
    lines = []
    text = text.replace("\r", "\n")
    # The bullet pattern tries at every space of a cell; most cells have no bullet at all.
    if any(glyph in text for glyph in _INLINE_BULLET_GLYPHS):
        text = _INLINE_BULLET.sub("\n", text)
    for line in text.split("\n"):
        line = _BULLET.sub("", _SPACES.sub(" ", line).strip()).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def strip_markdown(text: str) -> str:
    """Heading text without markdown heading marks or emphasis wrappers."""
    previous = None
    while previous != text:
        previous, text = text, _MARKDOWN_WRAP.sub("", text.strip()).strip()
    return text


def one_line(text: str) -> str:
    return " ".join(text.split())


def normalise_label(text: str) -> str:
    """Header or label text folded for matching: lower case, punctuation to spaces."""
    # The runs of word characters, one space apart: every other character is punctuation or space.
    return " ".join(_WORD_RUN.findall(clean_cell(text).lower().replace("&", " and ")))


def header_label(text: str) -> str:
    """A header cell folded for matching: like normalise_label, with "%" read as "percent"."""
    return normalise_label(clean_cell(text).replace("%", " percent "))
