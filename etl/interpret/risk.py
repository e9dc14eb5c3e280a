"""Risk levels by the document's own scale.

A label is read against, in order: a council's own key (layouts), a key the document prints
around its table ("Priority 1 = High; Priority 2 = Medium"; "Fundamental – ...; Significant – ...";
one item a line), and the set of labels its table uses. A label holding a level word ("High",
"1 - High") is that level whatever the scale; other labels are ranked (by number or letter, key
order, ladder or the seriousness of their words) and take the level of their place in a scale of
that many levels ([risk].levels_by_size): the top of a three-level scale is high, of a four-level
scale critical. A scale may run either way: a key whose words run from minor to urgent, or a
sentence saying the largest number is the most serious, puts the largest at the top; numbers or
letters with nothing saying which way are read 1 (A) most serious, with a doubt saying so. The
words are data in layouts.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.cleantext import normalise_label, one_line
from etl.layouts.config import LEVELS, Layouts, compile_any

# Where a key's items start, and what may follow a label in a key.
_ITEM_START = r"(?:^|[:;,.(/]\s*|\bor\s+|\band\s+|\bto\s+|\s[-–—]\s+)"
_AFTER_LABEL = r"\s*(?:(?P<sep>[=–—:\-(])\s*(?P<desc>[^;,.)]*?){next_item}|(?=[,;.)]|\s+or\b|\s+and\b|$))"


@dataclass
class RiskScale:
    """How the labels of one document map to levels, and how that was decided."""

    levels: dict[str, str | None] = field(default_factory=dict)  # normalised label -> level
    source: str = "no risk labels"
    doubt: str | None = None  # which way a scale was read when nothing printed says

    def level(self, label: str | None) -> str | None:
        return self.levels.get(normalise_label(label or "")) if label else None

    def describe(self) -> str:
        if not self.levels:
            return self.source
        pairs = ", ".join(f"{label!r} = {level or 'unknown'}" for label, level in self.levels.items())
        return f"{self.source}: {pairs}"


@dataclass
class _KeyEntry:
    label: str  # normalised
    level: str | None  # the level word the key gives it, if any
    tier: int | None  # how serious its words are (0 the most), if they say


class RiskReader:
    def __init__(self, layouts: Layouts):
        risk = layouts.risk
        self.absolute = {word: level for level in LEVELS for word in getattr(risk, level)}
        self.ladders = risk.ladders
        self.tiers = dict(risk.severity)
        prefixes = "|".join(re.escape(p) for p in sorted(risk.number_prefixes, key=len, reverse=True))
        self.numbered = re.compile(rf"^(?:(?:{prefixes})\s*)?(?P<n>[1-9])$")
        self.lettered = re.compile(rf"^(?:(?:{prefixes})\s+)?(?P<l>[a-e])$")
        self.by_size = risk.levels_by_size
        self.own_key = dict(risk.key)
        self.largest_first = compile_any(risk.largest_most_serious)
        self.smallest_first = compile_any(risk.smallest_most_serious)
        words = sorted({w for ladder in self.ladders for w in ladder} | set(self.absolute) | set(self.tiers), key=len, reverse=True)
        label = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        # A letter is a label only as a capital ("A – ...", "Priority B"), never the article "a".
        numbered = rf"(?:(?:{prefixes})\s*)?[1-9]|(?:(?:{prefixes})\s+)?(?-i:[A-E])"
        labels = numbered + r"|" + label
        # Inside a sentence, a label followed by its description starts an item too ("on a scale
        # where 1 = low and 4 = high", "from Priority 1 (low) to Priority 4 (high)").
        start = r"(?:" + _ITEM_START + r"|\s(?=(?:" + labels + r")\s*(?:[=–—:(]|\s-\s)))"
        # A description runs to a stop, or to the next item of a range ("1 = low and 4 = high").
        next_item = r"(?=[;,.)]|$|\s+(?:and|or|to)\s+(?:" + labels + r")\s*(?:[=–—:(]|\s-\s))"
        self.key_item = re.compile(
            start + r"(?P<label>(?:" + labels + r"))\b" + _AFTER_LABEL.replace("{next_item}", next_item), re.IGNORECASE
        )
        level_words = sorted(self.absolute, key=len, reverse=True)
        self.level_word = re.compile(r"^(?:" + "|".join(re.escape(w) for w in level_words if len(w) > 1) + r")\b", re.IGNORECASE)
        tier_words = sorted(self.tiers, key=len, reverse=True)
        self.tier_word = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in tier_words) + r")\b", re.IGNORECASE)

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

    def _letter(self, label: str) -> int | None:
        """A letter's place in the alphabet ("B", "Priority B" -> 2)."""
        m = self.lettered.match(label)
        return ord(m.group("l")) - ord("a") + 1 if m else None

    def _ordinal(self, label: str) -> str | None:
        """The number or letter a label ranks by, to find "Priority 1" of a table as "P1" or "1" in a key."""
        number, letter = self._number(label), self._letter(label)
        return str(number) if number is not None else (chr(ord("a") + letter - 1) if letter else None)

    def _tier(self, text: str) -> int | None:
        """How serious the first word of seriousness in the text is (0 the most), if any."""
        found = self.tier_word.search(text)
        return self.tiers[normalise_label(found.group(0))] if found else None

    def _from_rank(self, rank: int, size: int) -> str | None:
        levels = self.by_size.get(size) or self.by_size[max(self.by_size)]
        return levels[min(rank, len(levels)) - 1] if rank >= 1 else None

    def _direction(self, lines: list[str]) -> bool | None:
        """True when the text says the largest number is the most serious, False when it says
        the smallest is, None when it says neither."""
        text = " ".join(one_line(line) for line in lines)
        if self.largest_first.search(text):
            return True
        return False if self.smallest_first.search(text) else None

    # -- the document's key ---------------------------------------------------------------
    def _entries(self, sentence: str) -> tuple[list[_KeyEntry], bool]:
        """The key items of one sentence, and whether the sentence opens with one."""
        entries: list[_KeyEntry] = []
        opens = False
        matches = list(self.key_item.finditer(sentence))
        if any(m.group("sep") and m.group("desc") for m in matches):
            # Items that describe themselves ("P1 – urgent, best practice ...") make a key of
            # described items: a bare word of seriousness among them is part of a description.
            matches = [m for m in matches if m.group("sep")]
        for m in matches:
            label = normalise_label(m.group("label"))
            description = (m.group("desc") or "").strip() if m.group("sep") else ""
            found = self.level_word.match(description) if description else None
            level = self.absolute[normalise_label(found.group(0))] if found else None
            tier = self._tier(label) if self.tier_word.fullmatch(label) else None
            tier = tier if tier is not None else self._tier(description)
            if label and all(e.label != label for e in entries):
                opens = opens or not sentence[: m.start("label")].strip(" •-–—*")
                entries.append(_KeyEntry(label, level, tier))
        return entries, opens

    def key_in(self, lines: list[str]) -> list[list[_KeyEntry]]:
        """Every key printed in the lines, its items in printed order: two or more labels in one
        sentence, or a run of sentences or lines each opening with one ("Priority 4 – Urgent: ...")."""
        keys: list[list[_KeyEntry]] = []
        run: list[_KeyEntry] = []
        for line in lines:
            # A key kept as a table (a sheet of its own, cells a tab apart) reads as "label – meaning".
            for sentence in re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", one_line(line.replace("\t", " – "))):
                entries, opens = self._entries(sentence)
                if len(entries) == 1 and opens and all(e.label != entries[0].label for e in run):
                    run.append(entries[0])
                    continue
                if len(run) >= 2:
                    keys.append(run)
                run = []
                if len(entries) >= 2:
                    keys.append(entries)
        if len(run) >= 2:
            keys.append(run)
        return keys

    def _key_ranks(self, key: list[_KeyEntry], direction: bool | None) -> tuple[list[int], int, str | None]:
        """Each key item's rank (1 the most serious), the scale's size, and a doubt when nothing
        says which way it runs. By the seriousness of its words where every item has some; else
        by its numbers where the text says which way they run; else in printed order, turned round
        where the words it has run from minor to serious. A key naming only the ends of a range
        ("from 1 (low) to 4 (high)") has as many levels as the range."""
        tiers = [e.tier for e in key]
        order = list(range(len(key)))
        doubt = None
        ordinals = [self._number(e.label) or self._letter(e.label) for e in key]
        if all(t is not None for t in tiers) and len(set(tiers)) > 1:
            order.sort(key=lambda i: (tiers[i], i))
        elif direction is not None and all(ordinals):
            order.sort(key=lambda i: ordinals[i] or 0, reverse=direction)
        else:
            known = [t for t in tiers if t is not None]
            if len(known) >= 2 and known[0] > known[-1]:
                order.reverse()
            elif all(ordinals) and not any(e.level for e in key) and not known:
                doubt = (
                    f"the printed risk key ({', '.join(e.label for e in key)}) does not say which way it runs:"
                    f" read with {key[0].label!r} the most serious"
                )
        ranks = [0] * len(key)
        for rank, index in enumerate(order, start=1):
            ranks[index] = rank
        values = [o or 0 for o in ordinals]
        span = max(values) - min(values) + 1 if all(values) else 0
        if span > len(key):
            return [abs(v - values[order[0]]) + 1 for v in values], span, doubt
        return ranks, len(key), doubt

    # -- the scale ------------------------------------------------------------------------
    def scale(self, labels: list[str], lines: list[str]) -> RiskScale:
        """The document's scale for the labels its table uses, from its key or the labels."""
        used = list(dict.fromkeys(normalise_label(label) for label in labels if normalise_label(label)))
        if not used:
            return RiskScale(source="no risk labels")
        if self.own_key and all(u in self.own_key or self._absolute(u) for u in used):
            return RiskScale({u: self.own_key.get(u) or self._absolute(u) for u in used}, "the council's own key")
        direction = self._direction(lines)
        for key in self.key_in(lines):
            scale = self._from_key(key, used, direction)
            if scale is not None:
                return scale
        return self._from_labels(used, direction)

    def _from_key(self, key: list[_KeyEntry], used: list[str], direction: bool | None) -> RiskScale | None:
        by_label = {e.label: (i, e) for i, e in enumerate(key)}

        def entry(label: str) -> tuple[int, _KeyEntry] | None:
            if label in by_label:
                return by_label[label]
            ordinal = self._ordinal(label)  # "Priority 1" in the table, "P1" or "1" in the key
            matches = [by_label[k] for k in by_label if ordinal is not None and self._ordinal(k) == ordinal]
            return matches[0] if len(matches) == 1 else None

        ranks, size, doubt = self._key_ranks(key, direction)
        values = [self._number(e.label) or self._letter(e.label) or 0 for e in key]
        # A key naming a range's ends ("from 1 (low) to 4 (high)") names every label between them.
        top = values[ranks.index(1)] if size > len(key) else 0

        def between(label: str) -> int | None:
            value = self._number(label) or self._letter(label) or 0
            return abs(value - top) + 1 if top and min(values) <= value <= max(values) else None

        found = {u: entry(u) for u in used}
        if any(e is None and self._absolute(u) is None and between(u) is None for u, e in found.items()):
            return None  # the key does not name every label the table uses: not this table's key
        if all(e is None and between(u) is None for u, e in found.items()):
            return None
        levels: dict[str, str | None] = {}
        for label, hit in found.items():
            absolute = self._absolute(label)
            if absolute:
                levels[label] = absolute
            elif hit is not None:
                position, item = hit
                levels[label] = item.level or self._absolute(item.label) or self._from_rank(ranks[position], size)
            else:
                levels[label] = self._from_rank(between(label) or 0, size)
        printed = "; ".join(e.label + (f" = {e.level}" if e.level else "") for e in key)
        return RiskScale(levels, f"printed key ({size} levels, {key[ranks.index(1)].label!r} the most serious: {printed})", doubt)

    def _from_labels(self, used: list[str], direction: bool | None) -> RiskScale:
        ranked = [u for u in used if self._absolute(u) is None]
        numbers = {u: self._number(u) for u in ranked}
        words = [u for u in ranked if numbers[u] is None]
        ladder = self._ladder(used, words)
        if ladder is None and words and all(self._letter(w) for w in words):
            numbers.update({w: self._letter(w) for w in words})  # A, B, C rank like 1, 2, 3
            words = []
        tiers = {w: self._tier(w) for w in words} if ladder is None else {}
        # Words of seriousness rank one another: a single word, or words of one tier, say nothing of a scale.
        ranks_words = len(set(tiers.values())) >= 2 and all(v is not None for v in tiers.values())
        by_tier = sorted(tiers, key=lambda w: tiers[w] or 0) if ranks_words else []
        size = max([3, *(n for n in numbers.values() if n)])
        levels: dict[str, str | None] = {}
        for label in used:
            number = numbers.get(label)
            if self._absolute(label):
                levels[label] = self._absolute(label)
            elif number is not None:
                levels[label] = self._from_rank(size + 1 - number if direction else number, size)
            elif ladder is not None:
                levels[label] = self._from_rank(ladder.index(label) + 1, len(ladder))
            elif by_tier:
                levels[label] = self._from_rank(self._tier_rank(tiers, label), max(3, len(by_tier)))
            else:
                levels[label] = None
        return RiskScale(
            levels, self._labels_source(levels, numbers, size, ladder, by_tier, direction), self._labels_doubt(numbers, direction)
        )

    @staticmethod
    def _tier_rank(tiers: dict[str, int | None], label: str) -> int:
        """A word's rank on a scale of at least three levels, spread by how serious the words are:
        "Serious" and "Minor" alone are the top and the bottom, not the top two."""
        known = [t for t in tiers.values() if t is not None]
        top, bottom = min(known), max(known)
        size = max(3, len(tiers))
        return 1 + round(((tiers[label] or 0) - top) / (bottom - top) * (size - 1))

    @staticmethod
    def _labels_source(
        levels: dict[str, str | None],
        numbers: dict[str, int | None],
        size: int,
        ladder: tuple[str, ...] | None,
        by_tier: list[str],
        direction: bool | None,
    ) -> str:
        parts = []
        if any(numbers.values()):
            parts.append(f"numbered or lettered labels, {size} levels, {'the largest' if direction else '1 (A)'} the most serious")
        if ladder is not None:
            parts.append(f"ladder {' / '.join(ladder)} ({len(ladder)} levels)")
        if by_tier:
            parts.append(f"words of seriousness {' / '.join(by_tier)}")
        if not parts:
            parts.append("level words" if all(levels.values()) else "not all known: give the council's key")
        return "labels the table uses (" + "; ".join(parts) + ")"

    @staticmethod
    def _labels_doubt(numbers: dict[str, int | None], direction: bool | None) -> str | None:
        ranked = sorted((n, label) for label, n in numbers.items() if n)
        if direction is not None or len(ranked) < 2:
            return None
        return (
            f"no printed key says which way the risk scale runs: {', '.join(label for _, label in ranked)}"
            f" read with {ranked[0][1]!r} the most serious"
        )

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
