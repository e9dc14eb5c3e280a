"""The reader checks its own reading of a document: text accounting (etl.selfcheck.accounting),
printed summary counts against the records read (etl.selfcheck.summary) and cross-checks of the
columns (etl.selfcheck.columns). What it finds is a document-level doubt: a `parse_warnings` row
with no record number and `field = 'document'`, its message saying what may be wrong and quoting
the evidence. A document read well carries none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from etl.assemble import Assembled
from etl.cleantext import normalise_label, one_line
from etl.extract.rows import Row
from etl.interpret.fields import FieldReader
from etl.interpret.report import ParsedReport
from etl.interpret.rows import WarningRow
from etl.layouts.config import Layouts
from etl.selfcheck.accounting import Accounting, account, cleaned_rows
from etl.selfcheck.columns import merged_records, misread_columns, repeated_records, shape_changes, thin_records
from etl.selfcheck.summary import disagreements, printed_counts

DOCUMENT = "document"  # the parse_warnings field of a doubt about the whole reading
READ_WITH_DOUBTS = "read with doubts"  # what every place that shows such a report's figures says
# Rows before the first table or after the last record that read like records (a date and a
# sentence among three cells or more), this many or more, are a table the reader skipped.
SKIPPED_ROWS = 3


@dataclass
class SelfCheck:
    accounting: Accounting
    doubts: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the printed counts found, as evidence

    def lines(self) -> list[str]:
        """How the reading was checked, for `etl inspect`."""
        lines = self.accounting.lines()
        lines.append("summary counts printed: " + (", ".join(self.summary) if self.summary else "none"))
        lines.append(f"document doubts: {len(self.doubts)}")
        lines += [f"  {d}" for d in self.doubts]
        return lines


def _pages(accounting: Accounting) -> str:
    pages = sorted({p for _, p in accounting.unaccounted if p is not None})
    if not pages:
        return ""
    return f" on page {pages[0]}" if len(pages) == 1 else f" on pages {pages[0]}–{pages[-1]}"


def _unread_rows(accounting: Accounting) -> list[str]:
    lost = accounting.unaccounted
    if not lost:
        return []
    quoted = "; ".join(repr(one_line(text)[:60] + ("…" if len(one_line(text)) > 60 else "")) for text, _ in lost[:3])
    return [
        f"{len(lost)} of {accounting.rows_in_region} rows of the table{_pages(accounting)} went into no record"
        f" (records may be missing): {quoted}"
    ]


def _looks_like_record(cells: list[str], reader: FieldReader) -> bool:
    return len(cells) >= 3 and any(len(c.split()) >= 6 for c in cells) and any(len(c.split()) <= 6 and reader.dates.find(c) for c in cells)


def _skipped_tables(accounting: Accounting, reader: FieldReader) -> list[str]:
    found = []
    for where, rows in (("before the table read", accounting.before_table), ("after the last record read", accounting.after_table)):
        like = [cells for cells in rows if _looks_like_record(cells, reader)]
        if len(like) >= SKIPPED_ROWS:
            found.append(
                f"{len(like)} rows {where} look like recommendations but were not read as records"
                f" (a table whose header was not recognised?): {' | '.join(like[0])[:80]!r}"
            )
    return found


def _rows_with_counts(cleaned: list[tuple[list[str], Row]], assembled: Assembled) -> list[list[str]]:
    """Where printed counts are looked for: the summary tables the assembler set aside (one rule
    finds them), then every other row it did not leave out on purpose (a totals row sums its own
    sheet's columns; a folded change row repeats its recommendation), for counts on a line of their
    own or in a table of counts the assembler did not need to set aside."""
    left_out = {id(row) for row, _ in assembled.dropped}
    tables = [cells for summary in assembled.summaries for cells in (*summary, [])]
    return tables + [cells for cells, row in cleaned if id(row) not in left_out]


def check_reading(rows: Sequence[Row], assembled: Assembled, report: ParsedReport, layouts: Layouts) -> SelfCheck:
    reader = FieldReader(layouts)
    cleaned = list(zip(assembled.cleaned, rows)) if len(assembled.cleaned) == len(rows) else cleaned_rows(rows)
    accounting = account(cleaned, assembled, layouts)
    check = SelfCheck(accounting)
    risk_levels = {normalise_label(r["risk_raw"]): r["risk_level"] for r in report.records if r["risk_raw"] and r["risk_level"]}
    printed = printed_counts(_rows_with_counts(cleaned, assembled), reader, risk_levels)
    check.summary = printed.evidence
    differ = disagreements(printed, report.records)
    if differ:
        check.doubts.append(
            f"the summary counts printed ({', '.join(printed.evidence)}) disagree with the records read: {'; '.join(differ)}"
        )
    check.doubts += _unread_rows(accounting)
    check.doubts += _skipped_tables(accounting, reader)
    dated = {e["record_no"] for e in report.events}
    check.doubts += misread_columns(assembled, report.records, dated)
    check.doubts += thin_records(assembled)
    check.doubts += shape_changes(assembled, reader.dates)
    check.doubts += merged_records(assembled)
    check.doubts += repeated_records(report.records)
    return check


def document_warnings(check: SelfCheck) -> list[WarningRow]:
    """The doubts as parse_warnings rows of the whole document."""
    return [{"record_no": None, "field": DOCUMENT, "raw_text": None, "message": doubt} for doubt in check.doubts]


def document_doubts(warnings: list[WarningRow]) -> list[str]:
    """The messages of a report's doubts about its whole reading."""
    return [w["message"] for w in warnings if w["record_no"] is None and w["field"] == DOCUMENT]


def read_with_doubts(doubts: list[str]) -> str:
    """One line saying a report was read with doubts, and why."""
    more = f" (and {len(doubts) - 1} more)" if len(doubts) > 1 else ""
    return f"{READ_WITH_DOUBTS}: {doubts[0]}{more}"
