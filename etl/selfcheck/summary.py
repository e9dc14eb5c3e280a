"""Summary tables of counts (recommendations by priority, by status) found anywhere in the
document, and how their counts compare with the records read. A summary is not a record: it is
evidence of how many records there should be.

A count is a whole number in a cell (or after a label on a line of its own: "High priority: 4"),
labelled by its row's first cell and by the label above it in the summary's own header row (or,
laid out across, the other way round). One label names the value counted (a risk level, a status,
or "Total"); the other says what is counted ("Number", "Recommendations", "Total")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from etl.cleantext import normalise_label, one_line
from etl.interpret.fields import FieldReader
from etl.interpret.rows import RecommendationRow

_COUNT = re.compile(r"^\d{1,4}$")
_LINE = re.compile(r"^(?P<label>[^\W\d_][^\d:=]{0,40}?)\s*[:=–—-]?\s*(?P<n>\d{1,3})$")
_RULE = re.compile(r"^[-:=|\s]+$")
_TOTAL = re.compile(r"^(?:grand\s+)?total|^all\b|^overall\b", re.IGNORECASE)
# Column labels that say a count is the one for the report itself (not a previous one).
_PLAIN = re.compile(r"^(?:number|no\.?|count|total|recommendations?|actions?|)$|^(?:number|no\.?) of\b", re.IGNORECASE)


@dataclass
class PrintedCounts:
    """The counts a document prints, by dimension ('risk' or 'status') and value, and its total."""

    by: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int | None = None
    evidence: list[str] = field(default_factory=list)
    labels_seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, dimension: str, value: str, count: int, label: str) -> None:
        """A label's count, the first time the label is printed (a later table repeating it, for
        another period, is not added); labels of one value add up ("Overdue" and "Not yet due"
        are both open)."""
        if (dimension, normalise_label(label)) in self.labels_seen:
            return
        self.labels_seen.add((dimension, normalise_label(label)))
        counts = self.by.setdefault(dimension, {})
        counts[value] = counts.get(value, 0) + count
        self.evidence.append(f"{label} {count}")


class _Labels:
    """What a summary's label names: a risk level, a status, the total, or nothing counted."""

    def __init__(self, reader: FieldReader, risk_levels: dict[str, str]):
        self.reader = reader
        self.risk_levels = risk_levels  # labels the records use, normalised, with their levels

    def meaning(self, label: str) -> tuple[str, str] | None:
        folded = normalise_label(label)
        if not folded:
            return None
        if _TOTAL.match(folded):
            return ("total", "total")
        level = self.risk_levels.get(folded) or self.reader.risk_level(label)
        if level:
            return ("risk", level)
        for word, state in self.reader.status_words:
            if folded == word or folded.startswith(word + " "):
                return ("status", state)
        return None


def _numbers(cells: list[str]) -> list[int | None]:
    return [int(c) if _COUNT.match(c) else None for c in cells]


def _counts_in_rows(cleaned: list[list[str]], labels: _Labels, printed: PrintedCounts) -> None:
    above: list[str] | None = None
    for cells in cleaned:
        numbers = _numbers(cells)
        filled = [i for i, c in enumerate(cells) if c]
        if filled and all(_RULE.match(cells[i]) for i in filled):
            continue  # a markdown rule under the summary's header row
        counted = [i for i in filled if numbers[i] is not None]
        if not filled or not counted:
            above = cells if len(filled) >= 2 else None
            continue
        first = filled[0]
        if numbers[first] is not None or len(counted) != len(filled) - 1:
            above = None
            continue
        row_label = cells[first]
        for i in counted:
            column_label = above[i] if above and i < len(above) else ""
            _record(row_label, column_label, numbers[i] or 0, labels, printed, several=len(counted) > 1)


def _record(row_label: str, column_label: str, count: int, labels: _Labels, printed: PrintedCounts, several: bool) -> None:
    """One printed count, kept when one label names what is counted and the other says it is the
    count itself (not, say, last quarter's)."""
    row, column = labels.meaning(row_label), labels.meaning(column_label)
    plain_column = bool(_PLAIN.match(normalise_label(column_label))) and not (several and not column_label)
    plain_row = bool(_PLAIN.match(normalise_label(row_label))) and bool(row_label)
    for named, other, other_plain in ((row, column_label, plain_column), (column, row_label, plain_row)):
        if named is None or not (other_plain or (labels.meaning(other) or ("", ""))[0] == "total"):
            continue
        if named[0] == "total":
            if printed.total is None:
                printed.total = count
                printed.evidence.append(f"Total {count}")
        else:
            printed.add(named[0], named[1], count, one_line(row_label if named is row else column_label))
        return


def printed_counts(cleaned: list[list[str]], reader: FieldReader, risk_levels: dict[str, str]) -> PrintedCounts:
    """The counts printed anywhere in the document (`cleaned`: every row's cells, cleaned)."""
    labels = _Labels(reader, risk_levels)
    printed = PrintedCounts()
    _counts_in_rows(cleaned, labels, printed)
    for cells in cleaned:
        filled = [c for c in cells if c]
        line = _LINE.match(one_line(filled[0])) if len(filled) == 1 else None
        if line:
            _record(line.group("label"), "", int(line.group("n")), labels, printed, several=False)
    return printed


def _left_out(counts: dict[str, int], have: Counter[str | None]) -> set[str]:
    """Printed values none of whose records was read while every value that was read agrees with its
    count: the part of the summary the appendix leaves out (a report that counts the implemented
    recommendations but lists only the outstanding ones, or prints only the high-priority ones)."""
    absent = {value for value, n in counts.items() if n and not have.get(value)}
    present = {value for value in counts if have.get(value)}
    return absent if present and absent and all(have[v] == counts[v] for v in present) else set()


def disagreements(printed: PrintedCounts, records: list[RecommendationRow]) -> list[str]:
    """How the records read differ from the printed counts, in words; empty when they agree."""
    found = []
    read = len(records)
    left_out = 0  # recommendations the summary counts that the appendix does not list
    for dimension, counts in printed.by.items():
        have = Counter(r["risk_level" if dimension == "risk" else "status"] for r in records)
        skipped = _left_out(counts, have)
        left_out = max(left_out, sum(counts[v] for v in skipped))
        compared = {value: n for value, n in counts.items() if value not in skipped}
        if printed.total is None and len(counts) >= 2 and sum(compared.values()) != read:
            found.append(f"its {dimension} counts add up to {sum(compared.values())}, {read} records were read")
        differ = [f"{value} {n} printed, {have.get(value, 0)} read" for value, n in compared.items() if have.get(value, 0) != n]
        if differ:
            found.append(f"by {dimension}: " + "; ".join(differ))
    if printed.total is not None and printed.total - left_out != read:
        listed = f" ({printed.total - left_out} of them listed)" if left_out else ""
        found.insert(0, f"it prints a total of {printed.total}{listed}, {read} records were read")
    return found
