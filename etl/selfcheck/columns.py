"""Cross-checks of the records against their own columns: a column whose values do not look like
its field, records far emptier than their header promises, and a sudden change in what the
columns hold part-way down a table (a second table read by the first one's header, or a column
shifted)."""

from __future__ import annotations

from collections import Counter

from etl.assemble import Assembled, _shape
from etl.cleantext import normalise_label, one_line
from etl.dates import DateReader
from etl.interpret.rows import RecommendationRow
from etl.records import RawRecord, Table

# A doubt needs at least this many records to judge by, and a majority this clear.
MIN_RECORDS = 4
MOSTLY = 0.5
# A record fills fewer than this share of its table's columns that other records fill: "thin".
THIN = 0.4
# What a column holds along a run of records, at least this consistently, for a change to count.
STEADY = 0.8


def _quote_values(values: list[str], n: int = 3) -> str:
    return ", ".join(repr(one_line(v)[:40]) for v in values[:n])


def _tables(assembled: Assembled) -> list[tuple[Table, list[RawRecord]]]:
    grouped: dict[int, tuple[Table, list[RawRecord]]] = {}
    for record in assembled.records:
        grouped.setdefault(id(record.table), (record.table, []))[1].append(record)
    return list(grouped.values())


def _column_name(table: Table, field: str) -> str:
    return next((one_line(h) for h, f in zip(table.headers, table.fields) if f == field), field)


def misread_columns(assembled: Assembled, report_records: list[RecommendationRow], dated: set[int]) -> list[str]:
    """Columns whose values mostly do not look like their field: a risk column not on a scale,
    a target column mostly without a date (or a TBC). `dated`: the records whose target the
    interpreter read a date or a TBC in."""
    levels = {r["record_no"]: r["risk_level"] for r in report_records}
    found = []
    for table, records in _tables(assembled):
        if len(records) < MIN_RECORDS:
            continue
        if "risk" in table.fields:
            off = [r.text("risk") for r in records if r.text("risk") and levels.get(r.record_no) is None]
            filled = sum(1 for r in records if r.text("risk"))
            if filled >= MIN_RECORDS and len(off) > MOSTLY * filled:
                found.append(
                    f"{len(off)} of {filled} values of the {_column_name(table, 'risk')!r} column are on no"
                    f" risk scale: {_quote_values(off)}"
                )
        if "target" in table.fields:
            off = [r.text("target") for r in records if r.text("target") and r.record_no not in dated]
            filled = sum(1 for r in records if r.text("target"))
            if filled >= MIN_RECORDS and len(off) > MOSTLY * filled:
                found.append(
                    f"{len(off)} of {filled} values of the {_column_name(table, 'target')!r} column hold no date: {_quote_values(off)}"
                )
    return found


def thin_records(assembled: Assembled) -> list[str]:
    """Tables whose records fill far fewer columns than the header promises (records split)."""
    found = []
    for table, records in _tables(assembled):
        if len(records) < MIN_RECORDS:
            continue
        used = [i for i in range(len(table.fields)) if table.headers[i] and any(r.columns[i] for r in records)]
        if len(used) < 3:
            continue
        thin = [r for r in records if sum(1 for i in used if r.columns[i]) < THIN * len(used)]
        if len(thin) > MOSTLY * len(records) or len(thin) >= max(3, len(records) // 4):
            found.append(
                f"{len(thin)} of {len(records)} records fill fewer than {int(THIN * 100)}% of the"
                f" {len(used)} columns the header names: {_quote_values([_first_text(r) for r in thin])}"
            )
    return found


def _first_text(record: RawRecord) -> str:
    return next((c for c in record.columns if c), "")


def _kind(text: str, dates: DateReader) -> str:
    """What a cell holds: empty, a date, a number, a short label or running text."""
    if not text:
        return "empty"
    size = len(text.split())
    if size <= 6 and any(c.isdigit() for c in text) and dates.find(text):
        return "date"
    if text.replace(".", "").replace("%", "").strip().isdigit():
        return "number"
    return "short" if size <= 4 else "text"


def _kind_by_shape(text: str, dates: DateReader, seen: dict[str, str]) -> str:
    if len(text) > 60:
        return "text"
    shape = _shape(text)
    if shape not in seen:
        seen[shape] = _kind(text, dates)
    return seen[shape]


def _steady(counts: Counter[str], size: int) -> tuple[str, float] | None:
    """The kind of value a run of cells holds, and how consistently, when it is steady and not empty."""
    if not size:
        return None
    kind, n = max(counts.items(), key=lambda kind_n: kind_n[1])
    return (kind, n / size) if n >= STEADY * size and kind != "empty" else None


def _changes_at(table: Table, before: list[Counter[str]], after: list[Counter[str]], split: int, size: int) -> tuple[float, list[str]]:
    """The columns holding one kind of value before `split` and another after it, and how clearly."""
    clarity, changed = 0.0, []
    for i, header in enumerate(table.headers):
        was, now = _steady(before[i], split), _steady(after[i], size - split)
        if was and now and was[0] != now[0]:
            clarity += was[1] + now[1]
            changed.append(f"{one_line(header) or f'column {i + 1}'!r} held {was[0]}s, then {now[0]}s")
    return clarity, changed


def shape_changes(assembled: Assembled, dates: DateReader) -> list[str]:
    """A point part-way down a table after which two columns or more hold another kind of value
    than before (dates where there was text, text where there were dates): the clearest such point.
    Each split is judged from running counts, so a long table costs one pass."""
    found = []
    for table, records in _tables(assembled):
        seen: dict[str, str] = {}  # values of one shape ("9 Aa 9") are of one kind: each shape is judged once
        kinds = [[_kind_by_shape(c, dates, seen) for c in r.columns] for r in records]
        width = len(table.headers)
        before: list[Counter[str]] = [Counter() for _ in range(width)]
        after = [Counter(k[i] for k in kinds) for i in range(width)]
        best: tuple[float, list[str], int] | None = None
        for split in range(1, len(records) - MIN_RECORDS + 2):
            for i in range(width):
                before[i][kinds[split - 1][i]] += 1
                after[i][kinds[split - 1][i]] -= 1
            if split < MIN_RECORDS - 1 or kinds[split] == kinds[split - 1]:
                continue  # a change of shape starts where a record is shaped unlike the one before
            clarity, changed = _changes_at(table, before, after, split, len(records))
            if len(changed) >= 2 and (best is None or clarity > best[0]):
                best = (clarity, changed, split)
        if best:
            where = records[best[2]]
            found.append(f"from record {where.record_no} ({_first_text(where)[:40]!r}) the rows change shape: " + "; ".join(best[1]))
    return found


def _doubled(text: str, single: set[str], shapes: set[str]) -> bool:
    """A cell holding two values or more of its column where records hold one: each line (or word,
    for one-word values) alone is a value the column holds ("High\\nMedium", "R12 R13")."""
    parts = [p for p in text.split("\n") if p.strip()]
    if len(parts) < 2:
        parts = text.split()
    if len(parts) < 2:
        return False
    return all(normalise_label(p) in single or _shape(p.strip()) in shapes for p in parts)


def merged_records(assembled: Assembled) -> list[str]:
    """Records whose reference or risk cell holds two of the column's values, as when the rows of two
    records were read as one (a table ruled only across, its row rules missed)."""
    found = []
    for table, records in _tables(assembled):
        if len(records) < MIN_RECORDS:
            continue
        for field in ("ref", "risk"):
            values = [r.text(field).strip() for r in records if r.text(field).strip()]
            single = {normalise_label(v) for v in values if len(v.split()) <= 3 and "\n" not in v}
            shapes = {s for s, n in Counter(_shape(v) for v in values if " " not in v).items() if n >= 2} if field == "ref" else set()
            doubled = [v for v in values if _doubled(v, single, shapes)]
            if len(doubled) >= 2 and len(doubled) * 10 >= len(values):
                found.append(
                    f"{len(doubled)} records hold two or more values in the {_column_name(table, field)!r} column"
                    f" (records may be merged): {_quote_values(doubled)}"
                )
    return found


def repeated_records(report_records: list[RecommendationRow]) -> list[str]:
    """Records sharing their reference and audit with another: one recommendation read as several, as
    when an export's row per change of target is read as a row per recommendation."""
    keys = Counter((r["ref"], r["audit_title"]) for r in report_records if r["ref"])
    repeated = [key for key, n in keys.items() if n > 1]
    extra = sum(keys[key] - 1 for key in repeated)
    if not repeated or extra * 10 < len(report_records):
        return []
    shown = ", ".join(repr(f"{ref} ({one_line(title or '')[:40]})") for ref, title in repeated[:3])
    return [f"{extra} records repeat the reference and audit of another (one recommendation may have been read as several): {shown}"]
