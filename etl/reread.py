"""Re-reading a report loaded before: the same file read again with what its council has been taught
since (its layout override in the store), replacing the earlier reading in one transaction and
logged in ingest_log as `replaced`. A load of the same content is otherwise `unchanged` (nothing is
read), so a report loaded before the teaching keeps its old reading until it is re-read. Corrections
of single records are named by the record's identity, so they survive the re-read."""
from __future__ import annotations

from pathlib import Path

from etl.failures import first_line
from etl.interpret.report import ParseError
from etl.layouts.config import LayoutsError
from etl.layouts.overrides import layouts_with
from etl.load import Outcome, in_one_transaction
from etl.outcomes import LoadOutcome
from etl.parse import content_hash, parse_file
from etl.store import layout_overrides
from etl.store.store import Store
from etl.store.writes import delete_report, log_attempt, report_facts, store_report


def reread(db: Path, path: Path, council: str, by: str) -> Outcome:
    """Read `path` (whose content the store holds) again with the council's override now, and put
    that reading in place of the earlier one; the earlier reading stays if anything fails."""
    digest = content_hash(path)
    with Store(db).writing() as con:
        held = con.execute("SELECT report_id, report_date_source, report_date FROM reports WHERE content_hash = ?",
                           [digest]).fetchall()
        if not held:
            return Outcome(path, LoadOutcome.FAILED, "this content is not loaded: load it instead")
        old_id, source, old_date = held[0]
        given = old_date if source == "given" else None  # a date given at the load is given again
        override = layout_overrides.current(con, council)
        try:
            report = parse_file(path, council, given, layouts=layouts_with(council, override.text if override else None),
                                digest=digest)
        except (ParseError, LayoutsError) as exc:
            return Outcome(path, LoadOutcome.FAILED, f"cannot be read: {first_line(exc)}; the earlier reading stays")
        taught = f"version {override.version} of its layout override" if override else "the shipped layouts"

        def replace() -> str:
            delete_report(con, old_id, refresh=False)  # store_report recomputes the council
            _, summary, report_id = store_report(con, report, by)
            message = f"{summary}; re-read with {taught}, replaces report {old_id} (same content)"
            log_attempt(con, path.name, LoadOutcome.REPLACED, message, loaded_by=by, report_id=report_id, **report_facts(report))
            return message

        message = in_one_transaction(con, replace)
    return Outcome(path, LoadOutcome.REPLACED, message, len(report.records), report.council, report.report_date,
                   len(report.warnings))
