"""Re-reading a report loaded before: the same content read again with what its council has been
taught since (its layout override in the store), replacing the earlier reading in one transaction and
logged in ingest_log as `replaced`, with who. A load of the same content is otherwise `unchanged`
(nothing is read), so a report loaded before the teaching keeps its old reading until it is re-read.
The content comes from the file at hand, or from the store, which keeps each report's file
(report_sources, sql/migrations/007): `reread_council` re-reads all of a council's reports so, and
names those loaded before files were kept as needing theirs. What changed is said per field.
Corrections of single records are named by the record's identity, so they survive the re-read."""

from __future__ import annotations

import dataclasses
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from etl.failures import first_line
from etl.interpret.report import ParseError
from etl.layouts.config import LayoutsError
from etl.layouts.overrides import layouts_with
from etl.load import Outcome, in_one_transaction
from etl.outcomes import LoadOutcome
from etl.parse import content_hash, parse_file
from etl.store import layout_overrides
from etl.store.sqlfiles import sql_text
from etl.store.store import Store
from etl.store.writes import delete_report, keep_source, kept_bytes, log_attempt, report_facts, store_report


def _reading(con: duckdb.DuckDBPyConnection, report_id: int) -> dict[str, dict[str, Any]]:
    """Each record's fields as the report read them, by the record's identity."""
    found = con.execute(sql_text("queries/report_reading.sql"), {"report_id": report_id})
    names = [column[0] for column in found.description]
    return {row[0]: dict(zip(names[1:], row[1:])) for row in found.fetchall()}


def what_changed(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> str:
    """The change a re-read made, in words: records whose fields changed (how many per field),
    records read that were not before, and records no longer read."""
    both = before.keys() & after.keys()
    fields = Counter(name for key in both for name, value in after[key].items() if before[key].get(name) != value)
    changed = sum(1 for key in both if after[key] != before[key])
    parts = [
        f"{changed} of {len(both)} records changed"
        + (" (" + ", ".join(f"{name} in {count}" for name, count in fields.most_common()) + ")" if fields else "")
    ]
    if after.keys() - before.keys():
        parts.append(f"{len(after.keys() - before.keys())} records read that were not before")
    if before.keys() - after.keys():
        parts.append(f"{len(before.keys() - after.keys())} records read before no longer read")
    return ", ".join(parts) if changed or len(parts) > 1 else "nothing changed"


def reread(db: Path, path: Path, council: str, by: str) -> Outcome:
    """Read `path` (whose content the store holds) again with the council's override now, and put
    that reading in place of the earlier one; the earlier reading stays if anything fails."""
    digest = content_hash(path)
    with Store(db).writing() as con:
        held = con.execute("SELECT report_id, report_date_source, report_date FROM reports WHERE content_hash = ?", [digest]).fetchall()
        if not held:
            return Outcome(path, LoadOutcome.FAILED, "this content is not loaded: load it instead")
        old_id, source, old_date = held[0]
        given = old_date if source == "given" else None  # a date given at the load is given again
        override = layout_overrides.current(con, council)
        try:
            report = parse_file(path, council, given, layouts=layouts_with(council, override.text if override else None), digest=digest)
        except (ParseError, LayoutsError) as exc:
            return Outcome(path, LoadOutcome.FAILED, f"cannot be read: {first_line(exc)}; the earlier reading stays")
        taught = f"version {override.version} of its layout override" if override else "the shipped layouts"

        def replace() -> str:
            before = _reading(con, old_id)
            delete_report(con, old_id, refresh=False)  # store_report recomputes the council
            _, summary, report_id = store_report(con, report, by)
            keep_source(con, digest, path.name, path.read_bytes())
            changed = what_changed(before, _reading(con, report_id) if report_id is not None else {})
            message = f"{summary}; re-read with {taught}, replaces report {old_id} (same content): {changed}"
            log_attempt(con, path.name, LoadOutcome.REPLACED, message, loaded_by=by, report_id=report_id, **report_facts(report))
            return message

        message = in_one_transaction(con, replace)
    return Outcome(path, LoadOutcome.REPLACED, message, len(report.records), report.council, report.report_date, len(report.warnings))


def council_sources(db: Path, council: str) -> list[tuple[int, str, str, Any, str, str | None, bytes | None]]:
    """(report_id, council as stored, source_file, report_date, content_hash, kept file name, kept
    bytes) of each of the council's reports, oldest first; none when there is no store."""
    if not db.exists():
        return []
    with Store(db).writing() as con:  # brought up to date: a store from before kept files has the table then
        rows = con.execute(sql_text("queries/council_sources.sql"), {"council": council}).fetchall()
    return [(*row[:6], None if row[6] is None else kept_bytes(row[6], row[7])) for row in rows]


def reread_council(db: Path, council: str, by: str, leave_out: frozenset[str] = frozenset()) -> list[Outcome]:
    """Every report of the council (but those of the content hashes left out) re-read from its file
    kept in the store, each in its own transaction; one loaded before files were kept is named as
    needing its file."""
    outcomes = []
    for report_id, stored_as, source_file, report_date, digest, file_name, data in council_sources(db, council):
        if digest in leave_out:
            continue
        if data is None or file_name is None:
            outcomes.append(
                Outcome(
                    Path(source_file),
                    LoadOutcome.NEEDS_ITS_FILE,
                    f"report {report_id} (report date {report_date}) was loaded before the store kept "
                    "files: re-read it with its file at hand (preview it in the admin app, and Load)",
                )
            )
            continue
        with tempfile.TemporaryDirectory(prefix="slippage-reread-") as folder:
            path = Path(folder) / Path(file_name).name
            path.write_bytes(data)
            outcomes.append(dataclasses.replace(reread(db, path, stored_as, by), file=Path(source_file)))
    return outcomes
