"""Target histories: the successive target dates of one recommendation, oldest first.

Sources, in the order they happened: the target cell (its first value is the agreed target; later
values are extensions), a list of targets from previous reporting cycles, and the revised target
in force now. The phrases that mark each are data in layouts.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from etl.dates import MONTHS, DateToken, date_reader
from etl.layouts.config import Layouts, compile_any


@dataclass(frozen=True)
class TargetValue:
    value: date | None  # None means "to be confirmed"
    raw: str
    source: str  # "target", "previous_cycle" or "revised"
    cycle: str | None = None  # reporting cycle that set it, YYYY-MM
    part: int = 1

    @property
    def tbc(self) -> bool:
        return self.value is None

    def label(self) -> str:
        return "TBC" if self.value is None else self.value.isoformat()


@dataclass
class TargetReading:
    history: list[TargetValue]  # the history the record's revisions are counted on
    parts: list[list[TargetValue]]  # every numbered part or phase, each oldest first
    original: date | None
    current: date | None
    problems: list[str] = field(default_factory=list)
    # A later date asked for but not agreed ("31/03/2025 (requested: supplier delayed)"): not a
    # target, kept for the committee to approve or refuse, with the reason printed beside it.
    requested: date | None = None
    requested_reason: str | None = None

    @property
    def revision_count(self) -> int:
        return revision_count(self.history)

    @property
    def all_values(self) -> list[TargetValue]:
        return [v for part in self.parts for v in part]


def revision_count(history: list[TargetValue]) -> int:
    """Changes between successive targets; a change to or from TBC counts."""
    return sum(1 for a, b in zip(history, history[1:]) if a.value != b.value)


_PART_MARK = re.compile(r"(?:^|\s)#\s*(\d+)\b")
_PHASE = re.compile(r"\bphase\s*\d+\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]{3,}")
# A date that opens an item with its reason: "30/06/25 – staff shortages", "31/3/25: re-let".
_ITEM_OPENING = re.compile(r"\s*([–—:-])\s")


def _resolve_years(tokens: list[DateToken], previous: date | None, fallback_year: int) -> list[DateToken]:
    """Year-less dates given their years: the next such date after the one before, or, first in
    a list, the last such date before the next dated one ("was 31 December, now 31 March 2025")."""
    followed_by: list[date | None] = []  # the next dated value after each token, found in one pass
    after: date | None = None
    for token in reversed(tokens):
        followed_by.append(after)
        after = token.value if token.value is not None else after
    followed_by.reverse()
    resolved = []
    for token, following in zip(tokens, followed_by):
        if token.needs_year and previous is None and following is not None:
            token = token.with_year_before(following)
        else:
            token = token.with_year_after(previous, fallback_year)
        if token.value is not None:
            previous = token.value
        if token.value is not None or token.tbc:
            resolved.append(token)
    return resolved


class TargetReader:
    def __init__(self, layouts: Layouts):
        spec = layouts.targets
        self.dates = date_reader(layouts)
        self.none_words = set(spec.none)
        self.current = re.compile(r"(?:" + "|".join(p.pattern for p in spec.current) + r")(?!s\b)\s*[:\-–]?\s*", re.IGNORECASE)
        self.previous = compile_any(spec.previous_cycles)
        self.newest_first = spec.previous_cycles_newest_first
        self.extension_words = compile_any([rf"\b(?:{p.pattern})\b" for p in spec.extension])
        self.filler_words = compile_any([rf"\b{re.escape(w)}\b" for w in spec.filler_words])
        self.previously = compile_any([rf"\b(?:{p.pattern})\b" for p in spec.previously])
        self.requested = compile_any([rf"\b(?:{p.pattern})\b" for p in spec.requested])
        self.prose_min_words = spec.prose_min_words
        # A cycle label opens each item ("October 2024 – 31 October 2024"); a page break can
        # run two items into one line, so items are found wherever a label starts.
        self.cycle_label = re.compile(
            r"(?<![\d\w])(?<!\b\d )(?<!\b\d\d )(?<!st )(?<!nd )(?<!rd )(?<!th )(?P<cycle>(?:"
            + "|".join(sorted(MONTHS, key=len, reverse=True))
            + r")\.?\s+\d{4})\s*[-–—:]\s*",
            re.IGNORECASE,
        )

    # -- the target cell ------------------------------------------------------------------
    def _listed(self, line: str, tokens: list[DateToken]) -> list[DateToken]:
        """The dates of a line that are targets, not dates mentioned in passing. A date is
        mentioned in passing when the words before it (since the date before it, or the last
        comma or semicolon) are a sentence: at least prose_min_words words besides the extension,
        earlier-target and filler words, none of them "target". So "30/06/25 – staff shortages;
        30/09/25 – system delay" lists two targets, each with its reason, and "delayed until the
        new system goes live in Oct 2025" mentions one. Where the first date opens an item with
        its reason ("31/3/25 – contract re-let"), every date opening an item the same way is a
        target too, whatever the reason before it: a PDF joins a cell's lines into one."""
        kept, start = [], 0
        items = [_ITEM_OPENING.match(line, t.end) for t in tokens]
        style = items[0].group(1) if tokens and items[0] else None
        for token, item in zip(tokens, items):
            gap = line[start : token.start]
            gap = gap[max(gap.rfind(","), gap.rfind(";")) + 1 :]
            start = token.end
            if re.search(r"\btarget\b", gap, re.I) or (style is not None and item and item.group(1) == style):
                kept.append(token)
                continue
            words = self.filler_words.sub(" ", self.previously.sub(" ", self.extension_words.sub(" ", gap)))
            if len(_WORD.findall(words)) < self.prose_min_words:
                kept.append(token)
        return kept

    def _cell_tokens(self, text: str) -> list[DateToken]:
        tokens: list[tuple[DateToken, bool]] = []
        for line in text.split("\n"):
            tokens.extend(self._marked(line, self._listed(line, self.dates.find(line))))
        return self._in_order(tokens)

    def _marked(self, line: str, tokens: list[DateToken]) -> list[tuple[DateToken, bool]]:
        """Each date of a line, and whether words before it mark it as an earlier target
        ("Q3 2024/25 (was Q1 2024/25)", "Jun 2025 (previously Dec 2024)")."""
        marked, start = [], 0
        for token in tokens:
            marked.append((token, bool(self.previously.search(line[start : token.start]))))
            start = token.end
        return marked

    @staticmethod
    def _in_order(tokens: list[tuple[DateToken, bool]]) -> list[DateToken]:
        """Oldest first: the earlier targets (printed newest first, so reversed), then the rest as printed."""
        earlier = [t for t, is_earlier in tokens if is_earlier]
        return list(reversed(earlier)) + [t for t, is_earlier in tokens if not is_earlier]

    def read_cell(self, text: str, fallback_year: int) -> tuple[list[list[TargetValue]], list[str]]:
        """Parts of a target cell, each a list of values oldest first, and what could not be read."""
        text = (text or "").strip()
        folded = re.sub(r"[^\w]+", " ", text.lower()).strip()
        if not folded or folded in self.none_words:
            return [], []
        marks = list(_PART_MARK.finditer(text))
        if len(marks) >= 2:
            pieces = [text[m.end() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))] for i, m in enumerate(marks)]
        elif _PHASE.search(text):
            pieces = [text[t.start : t.end] for t in self.dates.find(text)]
        else:
            pieces = [text]
        parts = []
        for number, piece in enumerate(pieces, start=1):
            tokens = _resolve_years(self._cell_tokens(piece), None, fallback_year)
            values = [TargetValue(t.value, t.raw, "target", part=number) for t in tokens]
            if values:
                parts.append(values)
        problems = [] if parts else [f"no date could be read in the target {text[:80]!r}"]
        problems.extend(t.doubt for t in self.dates.find(text) if t.doubt)
        return parts, problems

    # -- revised targets written into update or status text -------------------------------
    def read_revisions(self, text: str, previous: date | None, fallback_year: int) -> tuple[list[TargetValue], TargetValue | None]:
        """Targets from previous reporting cycles (oldest first) and the revised target now in force."""
        text = text or ""
        marks = sorted(
            [("current", m) for m in self.current.finditer(text)] + [("previous", m) for m in self.previous.finditer(text)],
            key=lambda km: km[1].start(),
        )
        cycles: list[tuple[str, list[DateToken]]] = []
        current_token: DateToken | None = None
        for index, (kind, mark) in enumerate(marks):
            end = marks[index + 1][1].start() if index + 1 < len(marks) else len(text)
            segment = text[mark.end() : end]
            if kind == "current":
                found = self.dates.find(segment)
                if found and found[0].start < 3:
                    current_token = found[0]
                continue
            for line in segment.lstrip(" :").split("\n"):
                labels = list(self.cycle_label.finditer(line))
                if labels and not line[: labels[0].start()].strip(" •-"):
                    for i, label in enumerate(labels):
                        rest = line[label.end() : labels[i + 1].start() if i + 1 < len(labels) else len(line)]
                        cycle_date = self.dates.find(label.group("cycle"))[0].value
                        cycles.append((f"{cycle_date:%Y-%m}", self.dates.find(rest)))
                elif line.strip(" .") and not re.fullmatch(r"n\s*/?\s*a\.?", line.strip(), re.I):
                    break
        if self.newest_first:
            cycles.reverse()
        values: list[TargetValue] = []
        for cycle, tokens in cycles:
            for token in _resolve_years(tokens, previous, fallback_year):
                values.append(TargetValue(token.value, token.raw, "previous_cycle", cycle=cycle))
                previous = token.value or previous
        current_value = None
        if current_token is not None:
            token = current_token.with_year_after(previous, fallback_year)
            if token.value is not None or token.tbc:
                current_value = TargetValue(token.value, token.raw, "revised")
        return values, current_value

    # -- revised-target columns ------------------------------------------------------------
    def requested_in(self, line: str, tokens: list[DateToken]) -> tuple[date | None, str | None]:
        """The date a line asks for (its last) and the reason printed with it: the line without
        its dates and the word that says it is asked for, stripped of brackets and dashes."""
        asked = next((token.value for token in reversed(tokens) if token.value), None)
        rest = self.requested.sub(" ", line)
        for token in tokens:
            rest = rest.replace(token.raw, " ")
        reason = " ".join(rest.translate(str.maketrans("()[]:;–—-,", "          ")).split())
        return asked, reason or None

    def read_revised(
        self, text: str, before: list[TargetValue], fallback_year: int
    ) -> tuple[list[TargetValue], list[str], tuple[date | None, str | None]]:
        """The values of revised-target columns, oldest first: each column's dates in printed
        order (several columns arrive joined in column order), except values marked as earlier
        ("(previously Dec 2024)"), which are printed newest first and go before the rest. A date
        only requested ("30/06/2025 (requested)") is not a target and is reported. A value equal to
        the one before it restates it ("Current target" printed equal to the original) and is not
        a revision. Also the last date only requested, with its reason (requested_in)."""
        marked: list[tuple[DateToken, bool]] = []
        problems: list[str] = []
        requested: tuple[date | None, str | None] = (None, None)
        for line in (text or "").split("\n"):
            tokens = self.dates.find(line)
            if self.requested.search(line):
                problems.extend(f"{t.raw!r} was requested, not agreed: not read as a target" for t in tokens)
                requested = self.requested_in(line, tokens) if tokens else requested
                continue
            marked.extend(self._marked(line, self._listed(line, tokens)))
        values: list[TargetValue] = []
        previous = next((v.value for v in reversed(before) if v.value), None)
        for token in _resolve_years(self._in_order(marked), previous, fallback_year):
            problems.extend([token.doubt] if token.doubt else [])
            last = values[-1] if values else (before[-1] if before else None)
            if last is not None and last.value == token.value:
                continue
            values.append(TargetValue(token.value, token.raw, "revised"))
        return values, problems, requested

    # -- the record -----------------------------------------------------------------------
    def read(self, target_text: str, revision_texts: list[str], report_date: date | None, revised_text: str = "") -> TargetReading:
        """A record's targets: its target cell, then its revised-target columns, then revisions
        written into its update or status text."""
        fallback_year = (report_date or date.today()).year
        parts, problems = self.read_cell(target_text, fallback_year)
        history_index = 0
        if len(parts) > 1:
            # The record's history is that of the part that changed most (ties: the latest target).
            history_index = max(range(len(parts)), key=lambda i: (revision_count(parts[i]), parts[i][-1].value or date.max, -i))
        history = list(parts[history_index]) if parts else []
        last_date = next((v.value for v in reversed(history) if v.value), None)
        requested: date | None = None
        requested_reason: str | None = None
        if revised_text.strip():
            revised, revised_problems, (requested, requested_reason) = self.read_revised(revised_text, history, fallback_year)
            history.extend(revised)
            problems.extend(revised_problems)
            last_date = next((v.value for v in reversed(history) if v.value), None)
        for text in revision_texts:
            earlier, in_force = self.read_revisions(text, last_date, fallback_year)
            if not earlier and in_force is None:
                continue
            history.extend(earlier)
            # An update restating the date of a revised-target column adds no revision.
            restated = (
                bool(revised_text.strip())
                and not earlier
                and bool(history)
                and in_force is not None
                and history[-1].value == in_force.value
            )
            if in_force is not None and not restated:
                history.append(in_force)
            break
        if parts:
            parts[history_index] = history
        elif history:
            parts = [history]
        if len(parts) > 1:
            originals = [p[0].value for p in parts if p[0].value]
            currents = [p[-1].value for p in parts]
            original = min(originals) if originals else None
            current = None if any(c is None for c in currents) else max(currents)  # type: ignore[type-var]
        else:
            original = history[0].value if history else None
            current = history[-1].value if history else None
        return TargetReading(
            history=history,
            parts=parts,
            original=original,
            current=current,
            problems=problems,
            requested=requested,
            requested_reason=requested_reason,
        )
