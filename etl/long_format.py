"""Exports in long format: one row per target-date change, folded into one record per recommendation.

An audit-management system exports a recommendation's history as several rows, each a change of its
target (the action's id, its audit, the original due date, the revised due date, when the change was
made, why, the status and a comment). Such a table is known by its data, not by one system's header
names: an id that repeats (in one section) on rows that agree on the audit, the recommendation, the
agreed action and the finding (where they print them) and give it different revised dates. Each
such id becomes one record whose rows are taken in the order of their change dates (where the
table has a change-date column; else of the revised dates they set): the original target is the
earliest row's, the revised targets are every row's in that order, a column no field maps (the
reason for each change) keeps every row's value in that order, and every other field is the newest
row's that fills it (a blank in a later row does not erase what an earlier row said)."""

from __future__ import annotations

from datetime import date

from etl.cleantext import normalise_label, one_line
from etl.dates import date_reader
from etl.extract.rows import Row
from etl.layouts.config import Layouts
from etl.records import RawRecord, Table

# Fields whose text must be the same on every row of one recommendation that fills them (an export
# may print the audit on the first row only). The target need not be: an export may print each
# change's previous date there ("Old due date"), whose earliest is the original.
_SAME_ON_EVERY_ROW = ("audit_title", "recommendation", "management_response", "finding")


def _key(record: RawRecord) -> tuple[str, str]:
    return normalise_label(record.text("ref")), record.section or ""


def _agree(rows: list[RawRecord], name: str) -> bool:
    return len({one_line(t) for r in rows if (t := r.text(name))}) <= 1


def _groups(records: list[RawRecord]) -> dict[tuple[str, str], list[RawRecord]] | None:
    """The records of one table grouped by id when the table is in long format, else None."""
    groups: dict[tuple[str, str], list[RawRecord]] = {}
    for record in records:
        groups.setdefault(_key(record), []).append(record)
    repeated = [rows for key, rows in groups.items() if key[0] and len(rows) > 1]
    if not repeated or any(not key[0] for key in groups):
        return None
    if not all(_agree(rows, name) for rows in repeated for name in _SAME_ON_EVERY_ROW):
        return None
    if not any(len({one_line(r.text("revised_target")) for r in rows}) > 1 for rows in repeated):
        return None
    return groups


def _in_change_order(rows: list[RawRecord], layouts: Layouts) -> list[RawRecord]:
    """The rows by the date of their change; with no such column, by the revised date they set
    (an export listing changes newest first still gives the history oldest first). A row with no
    date (the action's first row, before any change) comes first."""
    reader = date_reader(layouts)
    by = "change_date" if rows[0].has("change_date") else "revised_target"

    def when(row: RawRecord) -> date:
        found = [t.value for t in reader.find(row.text(by)) if t.value]
        return found[0] if found else date.min

    return sorted(rows, key=when)  # stable: rows of the same day stay as printed


def _folded(rows: list[RawRecord], table: Table) -> list[str]:
    columns = []
    for i, name in enumerate(table.fields):
        texts = [r.columns[i] for r in rows if r.columns[i]]
        if name == "revised_target":
            columns.append("\n".join(t for n, t in enumerate(texts) if n == 0 or t != texts[n - 1]))
        elif name == "target":
            columns.append(texts[0] if texts else "")
        elif name is None:  # a column kept as text (a reason for each change): every value, in order
            columns.append("\n".join(dict.fromkeys(texts)))
        else:
            columns.append(texts[-1] if texts else "")
    return columns


def fold_changes(records: list[RawRecord], layouts: Layouts) -> tuple[list[RawRecord], list[str], list[Row]]:
    """The records with each long-format table's rows folded into one record per recommendation,
    numbered afresh, a line for each table folded (for `etl inspect`), and the rows folded (an
    earlier change's values are not in its record as printed: they are left out on purpose)."""
    tables: dict[int, list[RawRecord]] = {}
    for record in records:
        tables.setdefault(id(record.table), []).append(record)
    folded: dict[int, list[RawRecord]] = {}
    notes = []
    changes: list[Row] = []
    for key, rows in tables.items():
        table = rows[0].table
        groups = _groups(rows) if table.fields.count("ref") and "revised_target" in table.fields else None
        if groups is None:
            continue
        folded[key] = [
            RawRecord(
                table=table,
                columns=_folded(_in_change_order(group, layouts), table),
                page=group[0].page,
                section=group[0].section,
                sheet=group[0].sheet,
                rows=[row for r in group for row in r.rows],
            )
            for group in groups.values()
        ]
        changes += [row for group in groups.values() if len(group) > 1 for r in group for row in r.rows]
        notes.append(
            f"a table in long format: {len(rows)} rows of target changes read as {len(groups)} recommendations, grouped by their id"
        )
    if not folded:
        return records, [], []
    out: list[RawRecord] = []
    for record in records:
        key = id(record.table)
        if key not in folded:
            out.append(record)
        elif folded[key]:  # the table's recommendations stand where its first row stood
            out.extend(folded[key])
            folded[key] = []
    for number, record in enumerate(out, start=1):
        record.record_no = number
    return out, notes, changes
