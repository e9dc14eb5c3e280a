"""Whether any of many case-insensitive wordings occurs in a text, found in time linear in the
text without trying every wording at every character.

One alternation of forty wordings ("no update has been received", "awaiting an update", ...) is
tried by Python's regex engine at every character of every cell: none of the wordings shares a
first letter the engine could skip to, so a long update costs forty attempts a character. Each
wording here is first reduced to the words any match of it must contain (found from the
pattern's own parse, so wordings a council adds are reduced the same way), and the wording's
pattern is tried only on a text holding them all; a plain substring test finds a word at the
speed of a memory scan. The answer is the pattern's own: the words only rule texts out."""

from __future__ import annotations

import re
import re._constants as sre  # the parse's opcodes, stable within a Python version
import re._parser as sre_parse
from collections.abc import Iterable
from typing import Any

# Words shorter than this rule out too little to be worth a scan of the text.
_SHORTEST_WORD = 3

# The characters other than ASCII ones that case-insensitive matching reads as an ASCII letter
# (dotted and dotless I, long S, Kelvin sign): read as those letters before a text is searched
# for words, since str.lower() keeps or expands them.
_ASCII_LOOKALIKES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)

Requirement = frozenset[str]  # one of these words must occur


def _required(parsed: sre_parse.SubPattern) -> list[Requirement]:
    """What every match of a parsed pattern contains: runs of literal ASCII characters, lower-cased,
    each a requirement of one word, and for an alternation one of its options' words."""
    found: list[Requirement] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= _SHORTEST_WORD:
            found.append(frozenset(["".join(run)]))
        run.clear()

    argument: Any
    for op, argument in parsed:
        if op is sre.LITERAL and argument < 0x80:
            run.append(chr(argument).lower())
            continue
        close_run()
        # A group always matches its contents; a repeat does at least once unless it may be skipped.
        if op is sre.SUBPATTERN or (op in _REPEATS and argument[0] >= 1):
            found += _required(argument[-1])
        elif op is sre.BRANCH:
            found += _one_of(argument[1])
    close_run()
    return found


def _one_of(options: list[sre_parse.SubPattern]) -> list[Requirement]:
    """An alternation requires one of its options' words, where every option requires a word."""
    chosen: list[Requirement] = []
    for option in options:
        required = _required(option)
        if not required:
            return []
        chosen.append(max(required, key=_weakest))
    return [frozenset().union(*chosen)]


def _weakest(requirement: Requirement) -> int:
    return min(len(word) for word in requirement)


class _Wording:
    def __init__(self, source: str) -> None:
        self.pattern = re.compile(source, re.IGNORECASE)
        # The most telling requirement first: a long word is the likeliest to be missing.
        self.required = sorted(_required(sre_parse.parse(source, self.pattern.flags)), key=_weakest, reverse=True)

    def search(self, text: str, folded: str) -> bool:
        return (
            all(any(word in folded for word in requirement) for requirement in self.required[1:]) and self.pattern.search(text) is not None
        )


class AnyOf:
    """Case-insensitive patterns (as [updates] and the like list them in layouts.toml), any of
    which may occur in a text."""

    def __init__(self, patterns: Iterable[re.Pattern[str] | str]) -> None:
        wordings = [_Wording(p.pattern if isinstance(p, re.Pattern) else p) for p in patterns]
        self.unfiltered = [wording for wording in wordings if not wording.required]
        # Each wording under the words of its most telling requirement: a text holding none of them
        # cannot match it, and one scan for each word serves every wording.
        self.by_word: dict[str, list[_Wording]] = {}
        for wording in wordings:
            for word in wording.required[0] if wording.required else ():
                self.by_word.setdefault(word, []).append(wording)

    def search(self, text: str) -> bool:
        folded = (text if text.isascii() else text.translate(_ASCII_LOOKALIKES)).lower()
        candidates = {wording for word, wordings in self.by_word.items() if word in folded for wording in wordings}
        return any(wording.search(text, folded) for wording in (*self.unfiltered, *candidates))
