"""Assembled records to rows for the store: each record's fields read by the layouts' rules,
its target history, the report's date, and the warnings for what was read with doubt."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from etl.assemble import Assembled
from etl.cleantext import header_label, normalise_label, one_line
from etl.dates import date_reader
from etl.interpret.fields import FieldReader, period_end
from etl.interpret.risk import RiskScale
from etl.interpret.rows import RecommendationRow, TargetEventRow, WarningRow
from etl.interpret.targets import TargetReader, TargetReading
from etl.layouts.config import Layouts
from etl.leave_out import FoundTable
from etl.records import RawRecord, Table


class ParseError(ValueError):
    """A file that cannot be loaded; the message is one line for the user."""


@dataclass
class ParsedReport:
    source_file: str
    content_hash: str
    council: str
    title: str
    report_date: date
    report_date_source: str
    parser: str
    pages: int | None
    records: list[RecommendationRow] = field(default_factory=list)
    events: list[TargetEventRow] = field(default_factory=list)
    warnings: list[WarningRow] = field(default_factory=list)
    # How the document was read, for `etl inspect` (not stored).
    tables: list[tuple[list[str], list[str | None]]] = field(default_factory=list)
    risk_scale: str = ""
    report_date_detail: str = ""
    layouts_file: str = ""
    reading_notes: list[str] = field(default_factory=list)  # how the table was read ("in long format: ...")
    reading_check: list[str] = field(default_factory=list)  # how the reading was checked (etl.selfcheck)
    tables_found: list[FoundTable] = field(default_factory=list)  # every table, left out or not (when listed)


def _audit_year(title: str) -> int | None:
    m = re.search(r"\b(20\d{2})(?:\s*[-/]\s*\d{2,4})?\b", title) or re.search(r"\b(\d{2})/(\d{2})\b", title)
    if not m:
        return None
    year = int(m.group(1))
    return year if year > 100 else 2000 + year


def _record_key(council: str, ref: str | None, title: str, recommendation: str) -> str:
    basis = f"ref:{normalise_label(ref)}" if ref else f"{normalise_label(title)}|{normalise_label(recommendation)}"
    return hashlib.sha1(f"{normalise_label(council)}|{basis}".encode()).hexdigest()[:16]


class Interpreter:
    """Turns assembled records into rows for the store. Rules come from the layouts file."""

    def __init__(self, layouts: Layouts):
        self.fields = FieldReader(layouts)
        self.targets = TargetReader(layouts)
        self.dates = date_reader(layouts)
        self.grouped_by_directorate = False
        self.cell_problems: list[tuple[int, str, str, str]] = []  # (record, field, raw text, message)

    def _update_text(self, rec: RawRecord) -> str:
        status_text = rec.text("status")
        if rec.text("latest_update"):
            return rec.text("latest_update")
        if status_text and not self.fields.is_status_label(status_text):
            return status_text
        # Where no column holds the recommendation, the agreed action is it, not an update.
        return rec.text("management_response") if rec.has("recommendation") else ""

    @staticmethod
    def _recommendation(rec: RawRecord) -> tuple[str, str]:
        """(recommendation, management response): a table with no recommendation column states
        it as the agreed action."""
        if rec.has("recommendation"):
            return rec.text("recommendation"), rec.text("management_response")
        return rec.text("management_response"), ""

    def report_date_explained(self, assembled: Assembled, given: date | None) -> tuple[date, str, str]:
        """(report date, source, where it came from, in words)."""
        if given:
            return given, "given", "given on the command line or in the manifest"
        for line in assembled.preamble:
            printed = self.dates.printed_as_at([line])
            if printed:
                return printed, "printed", f"printed: {line[:100]!r}"
        # Inferred: the end of the month of the latest dated update; failing that, the latest
        # date written in any update, or the latest target.
        updates = [self._update_text(r) for r in assembled.records]
        periods = [p for u in updates if (p := self.fields.update_period(u, None))]
        if periods:
            return period_end(max(periods)), "inferred", f"inferred: the latest update stamp is {max(periods)}"
        mentioned = [t.value for u in updates for t in self.dates.find(u) if t.value and not t.financial_year]
        if mentioned:
            return max(mentioned), "inferred", "inferred: the latest date written in an update"
        mentioned = [t.value for r in assembled.records for t in self.dates.find(r.text("target")) if t.value]
        if mentioned:
            return max(mentioned), "inferred", "inferred: the latest target date"
        raise ParseError("no report date is printed or can be inferred: give one with --as-at or in the manifest")

    def _audit(self, rec: RawRecord) -> tuple[str, str | None, str, str, str]:
        """(audit title, directorate, finding, recommendation, management response): from their
        columns where the table has them, else from a combined column, the headings above the
        record, its sheet's name or its first sentence."""
        f = self.fields
        title_text, finding = rec.text("audit_title"), rec.text("finding")
        if rec.has("audit_and_finding"):
            combined_title, combined_finding = f.split_title(rec.text("audit_and_finding"))
            title_text = title_text or combined_title
            finding = "\n".join(t for t in (combined_finding, finding) if t)
        title_text = f.without_label(title_text, "audit_title")
        no_audit_column = not rec.has("audit_title") and not rec.has("audit_and_finding")
        heading_audit = f.audit_of_headings(rec.headings or ([rec.section] if rec.section else [])) if no_audit_column else None
        if rec.has("directorate"):
            audit_title = one_line(title_text)
            directorate = one_line(f.without_label(rec.text("directorate"), "directorate")) or None
        else:
            audit_title, directorate = f.split_directorate(title_text)
            # The heading it sits under (unless that heading names its audit), else its sheet's name
            # in a workbook of a sheet per directorate.
            directorate = directorate or next(
                (
                    heading
                    for heading, grouped in ((None if heading_audit else rec.section, self.grouped_by_directorate), (rec.sheet, True))
                    if f.is_directorate_heading(heading, grouped)
                ),
                None,
            )
        recommendation, management_response = self._recommendation(rec)
        if not audit_title and no_audit_column:
            audit_title = heading_audit or f.first_sentence(recommendation or finding)
        return audit_title, directorate, finding, recommendation, management_response

    @staticmethod
    def _risk_and_rag(rec: RawRecord, doc_risk: str | None, rag_is_risk: bool) -> tuple[str | None, str | None]:
        """(risk as printed, RAG): the risk column, else the RAG column where it is the risk rating,
        else the risk the document states for all its records (where the table has no risk column)."""
        rag = one_line(rec.text("rag")) or None
        risk_raw = one_line(rec.text("risk")) or (rag if rag_is_risk else None) or (doc_risk if not rec.has("risk") else None) or None
        return risk_raw, None if rag_is_risk else rag

    @staticmethod
    def _unmapped_columns(rec: RawRecord) -> str | None:
        """The cells of the columns no field maps, each under its header, one a line."""
        return (
            "\n".join(
                f"{one_line(h)}: {one_line(v)}"
                for h, fld, v in zip(rec.table.headers, rec.table.fields, rec.columns)
                if fld is None and h and v
            )
            or None
        )

    def record(
        self, rec: RawRecord, report: ParsedReport, doc_risk: str | None, scale: RiskScale, rag_is_risk: bool = False
    ) -> tuple[RecommendationRow, TargetReading]:
        f = self.fields
        audit_title, directorate, finding, recommendation, management_response = self._audit(rec)
        ref = f.clean_ref(rec.text("ref"))
        status_text = rec.text("status")
        update = self._update_text(rec)
        status, status_raw = f.status(status_text, report.title, update, rec.section)
        risk_raw, rag = self._risk_and_rag(rec, doc_risk, rag_is_risk)
        revision_texts = list(dict.fromkeys(t for t in (status_text, rec.text("latest_update")) if t))
        reading = self.targets.read(rec.text("target"), revision_texts, report.report_date, rec.text("revised_target"))
        percent, percent_problem = f.percent(rec.text("percent_complete"))
        row: RecommendationRow = {
            "record_no": rec.record_no,
            "source_page": rec.page,
            "section": rec.section,
            "ref": ref,
            "audit_title": audit_title or None,
            "directorate": directorate,
            "responsible": one_line(f.without_label(rec.text("responsible"), "responsible")) or None,
            "finding": finding or None,
            "recommendation": recommendation or None,
            "management_response": management_response or None,
            "latest_update": update or None,
            "further_action": rec.text("further_action") or None,
            "risk_raw": risk_raw,
            "risk_level": scale.level(risk_raw),
            "status": status,
            "status_raw": status_raw,
            "target_raw": rec.text("target") or None,
            "original_target_date": reading.original,
            "current_target_date": reading.current,
            "requested_target_date": reading.requested,
            "requested_reason": reading.requested_reason,
            "latest_update_period": f.update_period(update, report.report_date),
            "no_update_stated": f.says_no_update(update, status_text),
            "recommendation_key": _record_key(report.council, ref, audit_title, recommendation),
            "percent_complete": percent,
            "rag": rag,
            "unmapped_columns": self._unmapped_columns(rec),
        }
        if percent_problem:
            self.cell_problems.append((rec.record_no, "percent_complete", rec.text("percent_complete"), percent_problem))
        return row, reading

    def risk_scale(self, assembled: Assembled, doc_risk: str | None) -> tuple[RiskScale, bool]:
        """The document's risk scale, and whether its RAG column is the risk rating (no risk column,
        and a key printed around the table gives the RAG labels levels)."""
        lines = list(assembled.notes or assembled.preamble)
        records = assembled.records
        labels = [one_line(r.text("risk")) for r in records if r.text("risk")]
        # A risk header that gives the scale's range ("Priority (1-4)") is a key of numbers.
        for table in {id(r.table): r.table for r in records}.values():
            for header, name in zip(table.headers, table.fields):
                span = re.search(r"\b([1-9])\s*(?:-|–|to)\s*([1-9])\b", header) if name == "risk" else None
                if span and int(span.group(1)) < int(span.group(2)):
                    lines.append("; ".join(str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1)))
        if not any(r.has("risk") for r in records):
            rag = [one_line(r.text("rag")) for r in records if r.text("rag")]
            if rag:
                rag_scale = self.fields.risk.scale(rag, lines)
                if rag_scale.source.startswith(("printed key", "the council's own key")):
                    return rag_scale, True
            labels = [doc_risk] if doc_risk else []
        return self.fields.risk.scale(labels, lines), False

    def warnings_for(self, row: RecommendationRow, reading: TargetReading, report_date: date) -> list[WarningRow]:
        found = [("target", row["target_raw"], problem) for problem in reading.problems]
        year = _audit_year(row["audit_title"] or "")
        floor = date(year, 1, 1) if year else date(report_date.year - 5, 1, 1)
        previous = None
        for value in reading.all_values:
            if value.value is None:
                continue
            if value.value < floor:
                what = f"before the audit's own year ({year})" if year else "more than five years before the report date"
                found.append(("target", value.raw, f"target {value.value} is {what}"))
            if value.value.year > report_date.year + 5:
                found.append(("target", value.raw, f"target {value.value} is more than five years after the report date"))
            if previous and previous.value and value.part == previous.part and value.value < previous.value:
                found.append(("target", value.raw, f"revised target {value.value} is earlier than the one before it ({previous.value})"))
            previous = value
        if row["risk_raw"] and row["risk_level"] is None:
            found.append(
                (
                    "risk",
                    row["risk_raw"],
                    "risk label not known: add it to [risk] in etl/layouts/layouts.toml or give the council's key in etl/layouts/councils/",
                )
            )
        return [{"record_no": row["record_no"], "field": f, "raw_text": raw, "message": m} for f, raw, m in found]


def _first_section_from_preamble(assembled: Assembled) -> None:
    """Tables introduced by headings ("Table A – overdue", "Table B – completed"): the heading of
    the first table is the preamble's last line, when it opens with the same word as a later one."""
    records = assembled.records
    first = next((i for i, r in enumerate(records) if r.section), None)
    if not first or not assembled.preamble:
        return
    candidate = assembled.preamble[-1]
    later = {r.section.split()[0].lower() for r in records if r.section}
    if candidate.split() and candidate.split()[0].lower() in later:
        for record in records[:first]:
            record.section = candidate


def interpret(
    assembled: Assembled,
    layouts: Layouts,
    *,
    council: str,
    as_at: date | None,
    title: str,
    source_file: str,
    content_hash: str,
    parser: str,
    pages: int | None,
    given_title: str | None = None,
) -> ParsedReport:
    """Every assembled record read into store rows, with its target events and warnings. `title`
    is the fallback when the document prints none; `given_title` (manifest) wins over the print."""
    doc_title = given_title or " – ".join(assembled.preamble[:3]) or title
    interpreter = Interpreter(layouts)
    report_date, source, how = interpreter.report_date_explained(assembled, as_at)
    report = ParsedReport(
        source_file=source_file,
        content_hash=content_hash,
        council=council,
        title=doc_title,
        report_date=report_date,
        report_date_source=source,
        parser=parser,
        pages=pages,
        report_date_detail=how,
        layouts_file=str(layouts.path),
        reading_notes=list(assembled.layout_notes),
    )
    doc_risk = interpreter.fields.document_risk(" ".join(assembled.preamble))
    scale, rag_is_risk = interpreter.risk_scale(assembled, doc_risk)
    interpreter.grouped_by_directorate = interpreter.fields.says_grouped_by_directorate(assembled.notes)
    _first_section_from_preamble(assembled)
    report.risk_scale = scale.describe() + (" (the RAG column, which the printed key makes the risk rating)" if rag_is_risk else "")
    if scale.doubt:
        report.warnings.append({"record_no": None, "field": "risk", "raw_text": None, "message": scale.doubt})
    tables = list({id(r.table): r.table for r in assembled.records}.values())
    report.tables = [(t.headers, t.fields) for t in tables]
    report.warnings.extend(_unmapped_column_warnings(tables, layouts))
    seen_keys: dict[str, int] = {}
    for rec in assembled.records:
        row, reading = interpreter.record(rec, report, doc_risk, scale, rag_is_risk)
        seen_keys[row["recommendation_key"]] = seen_keys.get(row["recommendation_key"], 0) + 1
        if seen_keys[row["recommendation_key"]] > 1:  # the same text twice in one report: still two records
            row["recommendation_key"] += f"-{seen_keys[row['recommendation_key']]}"
        report.records.append(row)
        report.events.extend(_target_events(rec.record_no, reading))
        report.warnings.extend(interpreter.warnings_for(row, reading, report_date))
    report.warnings.extend({"record_no": n, "field": f, "raw_text": raw, "message": m} for n, f, raw, m in interpreter.cell_problems)
    report.warnings.extend({"record_no": None, "field": "table", "raw_text": None, "message": w} for w in assembled.warnings)
    return report


def _unmapped_column_warnings(tables: list[Table], layouts: Layouts) -> list[WarningRow]:
    """A warning for each column no field maps (and no council taught 'unmapped'): its text is kept."""
    return [
        {
            "record_no": None,
            "field": "table",
            "raw_text": header,
            "message": f"column {one_line(header)!r} is not mapped to a field: its text is"
            " kept in unmapped_columns (name it in etl/layouts/layouts.toml or the council's file)",
        }
        for table in tables
        for header, name in zip(table.headers, table.fields)
        if header and name is None and header_label(header) not in layouts.columns
    ]


def _target_events(record_no: int, reading: TargetReading) -> list[TargetEventRow]:
    """The record's targets as read, part by part, in order, each marked whether the history keeps it."""
    in_history = set(map(id, reading.history))
    values = [(part_no, value) for part_no, part in enumerate(reading.parts, start=1) for value in part]
    return [
        {
            "record_no": record_no,
            "seq": seq,
            "part": part_no,
            "in_history": id(value) in in_history,
            "target_date": value.value,
            "is_tbc": value.value is None,
            "raw_text": value.raw,
            "source": value.source,
            "cycle": value.cycle,
        }
        for seq, (part_no, value) in enumerate(values, start=1)
    ]
