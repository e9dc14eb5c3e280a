"""Writing reports into the store, inside the caller's transaction: a parsed report, its
replacement of an earlier one, its removal, and the ingest_log line every attempt leaves. A write
that changes a council's reports recomputes that council's materialised rows (slippage_facts,
movement_by_report) in the same transaction, so the store is never seen half refreshed."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from etl.identity import match_keys
from etl.interpret.report import ParsedReport
from etl.outcomes import LoadOutcome
from etl.selfcheck import document_doubts, read_with_doubts
from etl.store.derived import refresh_councils
from etl.wording import already_loaded, earlier_loads

# (source_file, council, report_date, content_hash, record_count) of a stored report.
ReportFacts = tuple[str, str, date, str, int]

REPORT_TABLES = ("parse_warnings", "target_events", "recommendations", "reports")  # children first


KEPT_COMPRESSION = "zlib"  # report_sources.compression of a file kept compressed (migration 008)
INSERT_BATCH = 10_000  # rows bound per statement: DuckDB's copy of the bound lists stays this size


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, object]], report_id: int) -> None:
    """Insert a report's rows a batch at a time, each column bound as a list and unnested:
    25 times quicker than a statement per row, and a load need not import a dataframe library
    (it would double its memory). Batches keep the write's memory flat however many rows."""
    if not rows:
        return
    columns = ["report_id", *rows[0]]
    unnested = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
    statement = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {unnested}"
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        values = [[report_id] * len(batch), *([row[column] for row in batch] for column in rows[0])]
        con.execute(statement, values).fetchall()


def log_attempt(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    outcome: LoadOutcome,
    message: str,
    *,
    seconds: float = 0.0,
    loaded_by: str,
    content_hash: str | None = None,
    council: str | None = None,
    report_date: date | None = None,
    report_id: int | None = None,
    records: int | None = None,
) -> None:
    """The ingest_log line of one attempt to load (or remove) a file, whatever its outcome."""
    con.execute(
        "INSERT INTO ingest_log (attempted_at, source_file, content_hash, council, report_date, report_id,"
        " outcome, message, records, seconds, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            datetime.now(),
            source_file,
            content_hash,
            council,
            report_date,
            report_id,
            outcome,
            message,
            records,
            round(seconds, 3),
            loaded_by,
        ],
    ).fetchall()


def report_facts(report: ParsedReport | None) -> dict[str, Any]:
    """What the ingest_log records of a parsed report."""
    if report is None:
        return {}
    return {
        "content_hash": report.content_hash,
        "council": report.council,
        "report_date": report.report_date,
        "records": len(report.records),
    }


def keep_source(con: duckdb.DuckDBPyConnection, content_hash: str, file_name: str, data: bytes) -> bool:
    """Keep a report's file in the store (report_sources), for re-reading it later without the file
    at hand; whether it was kept (not when the bytes are not the report's content, e.g. the file
    changed since it was read)."""
    if hashlib.sha256(data).hexdigest() != content_hash:
        return False
    # Compressed: DuckDB needs about five times a blob's size to write it, and a large text appendix
    # shrinks about fifty-fold (level 1: a tenth of a second for 90 MB).
    con.execute(
        "INSERT OR REPLACE INTO report_sources (content_hash, file_name, bytes, stored_at, compression) VALUES (?, ?, ?, ?, ?)",
        [content_hash, file_name, zlib.compress(data, 1), datetime.now(), KEPT_COMPRESSION],
    ).fetchall()
    return True


def kept_bytes(stored: bytes, compression: str | None) -> bytes:
    """A kept file's bytes as loaded, from report_sources' bytes and compression."""
    return zlib.decompress(stored) if compression == KEPT_COMPRESSION else stored


def delete_report(con: duckdb.DuckDBPyConnection, report_id: int, *, refresh: bool = True) -> None:
    """Take a report's rows and its kept file out of every table, and recompute its council (unless
    the caller will)."""
    council = con.execute("SELECT council FROM reports WHERE report_id = ?", [report_id]).fetchall()
    con.execute(
        "DELETE FROM report_sources WHERE content_hash IN (SELECT content_hash FROM reports WHERE report_id = ?)", [report_id]
    ).fetchall()
    for table in REPORT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id]).fetchall()
    if refresh and council:
        refresh_councils(con, [council[0][0]])


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[int]) -> None:
    """Take several reports out, recomputing each council they belonged to once."""
    councils = {
        council
        for (council,) in con.execute("SELECT DISTINCT council FROM reports WHERE list_contains(?, report_id)", [report_ids]).fetchall()
    }
    for report_id in report_ids:
        delete_report(con, report_id, refresh=False)
    if councils:
        refresh_councils(con, sorted(councils))


def known_reports(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """report_id by content hash, for telling a file loaded before without parsing it."""
    return dict(con.execute("SELECT content_hash, report_id FROM reports").fetchall())


def loaded_before(con: duckdb.DuckDBPyConnection, digest: str, council: str | None) -> tuple[str, int] | None:
    """(what loading it again did, in words; the report holding it) for content loaded before, or None."""
    earlier = earlier_loads(con, [digest]).get(digest)
    return (already_loaded(earlier, council), earlier.report_id) if earlier else None


def store_report(con: duckdb.DuckDBPyConnection, report: ParsedReport, loaded_by: str) -> tuple[LoadOutcome, str, int | None]:
    """Write one parsed report in the current transaction: (outcome, message, report_id)."""
    before = loaded_before(con, report.content_hash, report.council)
    if before is not None:  # the same content twice in one batch
        return LoadOutcome.UNCHANGED, *before
    replaced = con.execute(
        "SELECT report_id, source_file FROM reports WHERE council = ? AND report_date = ?", [report.council, report.report_date]
    ).fetchall()
    for old_id, _ in replaced:  # same council: recomputed once, below
        delete_report(con, old_id, refresh=False)
    report_id = con.execute(
        "INSERT INTO reports (council, title, report_date, report_date_source, source_file, content_hash,"
        " parser, pages, record_count, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING report_id",
        [
            report.council,
            report.title,
            report.report_date,
            report.report_date_source,
            report.source_file,
            report.content_hash,
            report.parser,
            report.pages,
            len(report.records),
            datetime.now(),
            loaded_by,
        ],
    ).fetchall()[0][0]
    match_keys(con, report.council, report.records)
    _insert(con, "recommendations", report.records, report_id)
    _insert(con, "target_events", report.events, report_id)
    _insert(con, "parse_warnings", report.warnings, report_id)
    refresh_councils(con, [report.council])
    summary = f"{len(report.records)} records, {report.council}, report date {report.report_date} ({report.report_date_source})"
    if report.warnings:
        summary += f", {len(report.warnings)} warnings"
    doubts = document_doubts(report.warnings)
    if doubts:
        summary += f"; {read_with_doubts(doubts)}"
    if replaced:
        olds = ", ".join(f"report {rid} from {name}" for rid, name in replaced)
        return LoadOutcome.REPLACED, f"{summary}; replaces {olds} (same council and report date)", report_id
    return LoadOutcome.LOADED, summary, report_id


def find_report(con: duckdb.DuckDBPyConnection, report_id: int) -> ReportFacts | None:
    """(source_file, council, report_date, content_hash, record_count) of one report, or None."""
    found = con.execute(
        "SELECT source_file, council, report_date, content_hash, record_count FROM reports WHERE report_id = ?", [report_id]
    ).fetchall()
    return found[0] if found else None
