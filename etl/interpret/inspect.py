"""`python -m etl inspect FILE`: how one file is read, without loading it: the header row found and
each column's field, the first values read for each field, the report date and where it came from,
the risk scale chosen, how the reading was checked (where every row of the table went, the summary
counts printed, the doubts about the whole document), and every warning. An analyst reads this to fix a new layout in data."""

from __future__ import annotations

from datetime import date

from etl.cleantext import one_line
from etl.interpret.report import ParsedReport

# The fields shown, in the order a reader checks them.
SHOWN = (
    "ref",
    "audit_title",
    "directorate",
    "section",
    "responsible",
    "recommendation",
    "risk_raw",
    "risk_level",
    "status",
    "status_raw",
    "target_raw",
    "original_target_date",
    "current_target_date",
    "target_history",
    "latest_update",
    "latest_update_period",
    "no_update_stated",
    "percent_complete",
    "rag",
    "unmapped_columns",
)
FIRST = 3  # values shown per field
WIDTH = 60  # characters shown per value


def _show(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    text = one_line(str(value))
    return repr(text if len(text) <= WIDTH else text[: WIDTH - 1] + "…")


def target_histories(report: ParsedReport) -> dict[int, list[str]]:
    """Each record's printed target history, oldest first (ISO dates, or TBC)."""
    histories: dict[int, list[str]] = {}
    for event in report.events:
        if event["in_history"]:
            histories.setdefault(event["record_no"], []).append(event["target_date"].isoformat() if event["target_date"] else "TBC")
    return histories


def records_as_stored(report: ParsedReport, count: int) -> list[dict[str, object]]:
    """The first records as a load would store them, with the slippage figures the store works out
    from them (as the slippage view does: days past a target only while open)."""
    histories = target_histories(report)
    rows: list[dict[str, object]] = []
    for record in report.records[:count]:
        history = histories.get(record["record_no"], [])
        open_ = record["status"] == "open"
        rows.append(
            {
                "ref": record.get("ref"),
                "recommendation": record.get("recommendation"),
                "risk": record.get("risk_raw"),
                "risk_level": record.get("risk_level"),
                "status": record["status"],
                "status_printed": record.get("status_raw"),
                "original_target": record.get("original_target_date"),
                "current_target": record.get("current_target_date"),
                "revisions": max(len(history) - 1, 0),
                "target_history": ", ".join(history),
                "days_past_original": _days_past(record.get("original_target_date"), report.report_date, open_),
                "days_past_current": _days_past(record.get("current_target_date"), report.report_date, open_),
                "no_update": record["no_update_stated"],
            }
        )
    return rows


def _days_past(target: date | None, report_date: date, open_: bool) -> int | None:
    return (report_date - target).days if open_ and target else None


def describe(report: ParsedReport, path: str, council_note: str) -> str:
    lines = [
        f"file:         {path} (read as {report.parser}{f', {report.pages} pages' if report.pages else ''})",
        f"council:      {report.council} ({council_note})",
        f"layouts:      {report.layouts_file}",
        f"title:        {report.title}",
        "",
    ]
    for number, (headers, fields) in enumerate(report.tables, start=1):
        name = "header row found" if len(report.tables) == 1 else f"header row found (table layout {number})"
        lines.append(f"{name}:")
        for column, (header, field) in enumerate(zip(headers, fields), start=1):
            lines.append(f"  {column:>2}. {_show(header):<{WIDTH // 2 + 12}} -> {field or 'unmapped'}")
        lines.append("")
    for table in (t for t in report.tables_found if t.left_out):
        lines += [f"table left out as taught (header at row {table.header_row}): {table.name!r}", ""]
    histories = target_histories(report)
    lines.append(f"records:      {len(report.records)}" + "".join(f" ({note})" for note in report.reading_notes))
    lines.append(f"first values read (of the first {min(FIRST, len(report.records))} records):")
    for field in SHOWN:
        values = []
        for record in report.records[:FIRST]:
            value = ", ".join(histories.get(record["record_no"], [])) if field == "target_history" else record.get(field)
            values.append(_show(value))
        lines.append(f"  {field:<22} {' | '.join(values)}")
    lines += [
        "",
        f"report date:  {report.report_date} ({report.report_date_source}; {report.report_date_detail})",
        f"risk scale:   {report.risk_scale}",
        "",
        "reading checked (every row of the table accounted for, counts compared):",
    ]
    lines += [f"  {line}" for line in report.reading_check]
    lines += ["", f"warnings:     {len(report.warnings)}"]
    for warning in report.warnings:
        where = f"record {warning['record_no']}" if warning["record_no"] else "document"
        what = "doubt" if warning["field"] == "document" else warning["field"]
        raw = f" [{_show(warning['raw_text'])}]" if warning["raw_text"] else ""
        lines.append(f"  {where}, {what}: {warning['message']}{raw}")
    return "\n".join(lines)
