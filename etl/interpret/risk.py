"""Risk levels by the document's own scale.

A label is read against, in order: a council's own key (layouts), a key the document prints
around its table ("Priority 1 = High; Priority 2 = Medium"; "Fundamental – ...; Significant – ..."),
and the set of labels its table uses. A label holding a level word ("High", "1 - High") is that
level whatever the scale; other labels are ranked (by number, key order or ladder) and take the
level of their place in a scale of that many levels ([risk].levels_by_size): the top of a
three-level scale is high, of a four-level scale critical. The words are data in layouts.toml."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.interpret.cleantext import normalise_label, one_line
from etl.layouts.config import LEVELS, Layouts

# Where a key's items start, and what may follow a label in a key.
_ITEM_START = r"(?:^|[:;,.(/]\s*|\bor\s+|\band\s+|\s[-–—]\s+)"
_AFTER_LABEL = r"\s*(?:(?P<sep>[=–—:\-(])\s*(?P<desc>[^;,.)]*)|(?=[,;.)]|\s+or\b|\s+and\b|$))"


@dataclass
class RiskScale:
    """How the labels of one document map to levels, and how that was decided."""
    levels: dict[str, str | None] = field(default_factory=dict)   # normalised label -> level
    source: str = "no risk labels"

    def level(self, label: str | None) -> str | None:
        return self.levels.get(normalise_label(label or "")) if label else None

    def describe(self) -> str:
        if not self.levels:
            return self.source
        pairs = ", ".join(f"{label!r} = {level or 'unknown'}" for label, level in self.levels.items())
        return f"{self.source}: {pairs}"


@dataclass
class _KeyEntry:
    label: str          # normalised
    level: str | None   # the level word the key gives it, if any


class RiskReader:
    def __init__(self, layouts: Layouts):
        risk = layouts.risk
        self.absolute = {word: level for level in LEVELS for word in getattr(risk, level)}
        self.ladders = risk.ladders
        prefixes = "|".join(re.escape(p) for p in sorted(risk.number_prefixes, key=len, reverse=True))
        numbered = rf"(?:(?:{prefixes})\s*)?[1-9]"
        self.numbered = re.compile(rf"^(?:(?:{prefixes})\s*)?(?P<n>[1-9])$")
        self.by_size = risk.levels_by_size
        self.own_key = dict(risk.key)
        words = sorted({w for ladder in self.ladders for w in ladder} | set(self.absolute), key=len, reverse=True)
        label = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        self.key_item = re.compile(_ITEM_START + r"(?P<label>(?:" + numbered + r"|" + label + r"))\b" + _AFTER_LABEL,
                                   re.IGNORECASE)
        level_words = sorted(self.absolute, key=len, reverse=True)
        self.level_word = re.compile(r"^(?:" + "|".join(re.escape(w) for w in level_words if len(w) > 1) + r")\b",
                                     re.IGNORECASE)

    # -- one label ------------------------------------------------------------------------
    def _absolute(self, label: str) -> str | None:
        """The level a label names whatever the scale: "High", "1 - High", "Priority 1 (High)"."""
        if label in self.absolute:
            return self.absolute[label]
        for word in sorted(self.absolute, key=len, reverse=True):
            if len(word) > 1 and re.search(rf"\b{re.escape(word)}\b", label):
                return self.absolute[word]
        return None

    def _number(self, label: str) -> int | None:
        m = self.numbered.match(label)
        return int(m.group("n")) if m else None

    def _from_rank(self, rank: int, size: int) -> str | None:
        levels = self.by_size.get(size) or self.by_size[max(self.by_size)]
        return levels[min(rank, len(levels)) - 1] if rank >= 1 else None

    # -- the document's key ---------------------------------------------------------------
    def key_in(self, lines: list[str]) -> list[list[_KeyEntry]]:
        """Every key printed in the lines: runs of two or more labels in one sentence, in order; or
        a label opening each of consecutive lines (a key sheet's rows, a key in a workbook's title
        rows: "P1 – Urgent: ...", "P2 – Important: ...")."""
        keys = []
        run: list[_KeyEntry] = []  # one label opening each line so far
        for line in lines:
            opening = None
            for sentence in re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", one_line(line)):
                entries = self._entries(sentence)
                if len(entries) >= 2:
                    keys.append([entry for entry, _ in entries])
                if opening is None and len(entries) == 1 and entries[0][1] == 0:
                    opening = entries[0][0]
            if opening is not None and len(self._entries(one_line(line))) == 1 \
                    and all(e.label != opening.label for e in run):
                run.append(opening)
                continue
            if len(run) >= 2:
                keys.append(run)
            run = [opening] if opening is not None else []
        if len(run) >= 2:
            keys.append(run)
        return keys

    def _entries(self, sentence: str) -> list[tuple[_KeyEntry, int]]:
        """The key's labels named in one sentence, each with where it starts, in order."""
        entries: list[tuple[_KeyEntry, int]] = []
        for m in self.key_item.finditer(sentence):
            label = normalise_label(m.group("label"))
            level = None
            if m.group("sep") and m.group("desc"):
                found = self.level_word.match(m.group("desc").strip())
                level = self.absolute[found.group(0).lower()] if found else None
            if label and all(e.label != label for e, _ in entries):
                entries.append((_KeyEntry(label, level), m.start("label")))
        return entries

    # -- the scale ------------------------------------------------------------------------
    def scale(self, labels: list[str], lines: list[str]) -> RiskScale:
        """The document's scale for the labels its table uses, from its key or the labels."""
        used = list(dict.fromkeys(normalise_label(label) for label in labels if normalise_label(label)))
        if not used:
            return RiskScale(source="no risk labels")
        if self.own_key and all(u in self.own_key or self._absolute(u) for u in used):
            return RiskScale({u: self.own_key.get(u) or self._absolute(u) for u in used}, "the council's own key")
        for key in self.key_in(lines):
            scale = self._from_key(key, used)
            if scale is not None:
                return scale
        return self._from_labels(used)

    def _from_key(self, key: list[_KeyEntry], used: list[str]) -> RiskScale | None:
        by_label = {e.label: (i, e) for i, e in enumerate(key)}

        def entry(label: str) -> tuple[int, _KeyEntry] | None:
            if label in by_label:
                return by_label[label]
            number = self._number(label)  # "Priority 1" in the table, "P1" or "1" in the key
            matches = [by_label[k] for k in by_label if number is not None and self._number(k) == number]
            return matches[0] if len(matches) == 1 else None

        found = {u: entry(u) for u in used}
        if any(e is None and self._absolute(u) is None for u, e in found.items()):
            return None  # the key does not name every label the table uses: not this table's key
        if all(e is None for e in found.values()):
            return None
        levels: dict[str, str | None] = {}
        for label, hit in found.items():
            absolute = self._absolute(label)
            if absolute:
                levels[label] = absolute
            elif hit is not None:
                position, item = hit
                levels[label] = item.level or self._absolute(item.label) or self._from_rank(position + 1, len(key))
        printed = "; ".join(e.label + (f" = {e.level}" if e.level else "") for e in key)
        return RiskScale(levels, f"printed key ({len(key)} levels: {printed})")

    def _from_labels(self, used: list[str]) -> RiskScale:
        levels: dict[str, str | None] = {}
        ranked = [u for u in used if self._absolute(u) is None]
        numbers = {u: self._number(u) for u in ranked}
        size = max([3, *(n for n in numbers.values() if n)])
        words = [u for u in ranked if numbers[u] is None]
        ladder = self._ladder(used, words)
        for label in used:
            absolute = self._absolute(label)
            if absolute:
                levels[label] = absolute
            elif numbers[label] is not None:
                levels[label] = self._from_rank(numbers[label], size)  # type: ignore[arg-type]
            elif ladder is not None:
                levels[label] = self._from_rank(ladder.index(label) + 1, len(ladder))
            else:
                levels[label] = None
        parts = []
        if any(numbers.values()):
            parts.append(f"numbered labels, {size} levels")
        if ladder is not None:
            parts.append(f"ladder {' / '.join(ladder)} ({len(ladder)} levels)")
        if not parts:
            parts.append("level words" if all(levels.values()) else "not all known: give the council's key")
        return RiskScale(levels, "labels the table uses (" + "; ".join(parts) + ")")

    def _ladder(self, used: list[str], words: list[str]) -> tuple[str, ...] | None:
        """The shortest ladder holding every label used, else every ranked word (ties: first listed)."""
        if not words:
            return None
        for wanted in (used, words):
            holding = [ladder for ladder in self.ladders if all(w in ladder for w in wanted)]
            if holding:
                return min(holding, key=len)
        return None

    def level(self, label: str) -> str | None:
        """A label's level read on its own (no document around it)."""
        return self.scale([label], []).level(label)
