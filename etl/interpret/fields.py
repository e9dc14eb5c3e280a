"""Reading the other fields of a record: risk level, directorate glued to a title, title and
reference, status, update stamps and statements that no fresh update was given."""
from __future__ import annotations

import re
from datetime import date

from etl.interpret.cleantext import normalise_label, one_line
from etl.interpret.dates import MONTHS, date_reader, month_end
from etl.layouts.config import Layouts, compile_any

_WORD = re.compile(r"[A-Za-z]{2,}")


class FieldReader:
    def __init__(self, layouts: Layouts):
        self.dates = date_reader(layouts)
        risk = layouts.risk
        self.risk_labels = {label: level for level in ("critical", "high", "medium", "low")
                            for label in getattr(risk, level)}
        self.risk_from_title = layouts.risk_from_title.patterns
        status = layouts.status
        self.status_words = [(w, s) for s in ("closed", "implemented", "open") for w in getattr(status, s)]
        self.implemented_document = compile_any(status.implemented_document)
        self.label_max_words = status.label_max_words
        self.no_update = compile_any(layouts.updates.no_fresh_update)
        self.stamp_statement = layouts.updates.stamp_from_statement
        self.stamp = layouts.updates.stamp
        known = layouts.directorates.known
        self.directorates = sorted(known, key=len, reverse=True)
        self.directorate_folded: dict[str, str] = {}
        for name in known:  # the first spelling listed is the one stored
            self.directorate_folded.setdefault(self._fold(name), name)

    # -- risk -------------------------------------------------------------------------------
    def risk_level(self, label: str) -> str | None:
        folded = normalise_label(label)
        if not folded:
            return None
        if folded in self.risk_labels:
            return self.risk_labels[folded]
        return self.risk_labels.get(folded.split()[0])

    def document_risk(self, title: str) -> str | None:
        """The risk label a document's title applies to all of its records, as printed."""
        for pattern in self.risk_from_title:
            m = pattern.search(title)
            if m:
                label = m.group("label")
                abbreviation = re.search(r"\((\w{1,3})\)", label)
                return abbreviation.group(1) if abbreviation else label
        return None

    # -- directorate and title --------------------------------------------------------------
    @staticmethod
    def _fold(text: str) -> str:
        return normalise_label(text.replace("’", "'").replace("'", ""))

    def split_directorate(self, title: str) -> tuple[str, str | None]:
        """An audit title with its directorate glued on, as (title, directorate).

        The directorate is the last paragraph of the cell when that paragraph is a known
        directorate or is wrapped in brackets, or else a known directorate at the title's end
        (a stray bracketed note after it stays with the title)."""
        lines = [line.strip() for line in title.split("\n") if line.strip()]
        if len(lines) >= 2:
            last = lines[-1]
            bracketed = re.fullmatch(r"\((.+)\)", last)
            candidate = bracketed.group(1) if bracketed else last
            if bracketed or self._fold(candidate) in self.directorate_folded:
                return " ".join(lines[:-1]), self._known_spelling(candidate)
        flat = one_line(title)
        for name in self.directorates:
            m = re.search(r"\s" + re.escape(name).replace(r"\&", r"(?:&|and)").replace("'", "['’]?")
                          + r"\s*(?P<note>\(+[^()]*\))?\s*$", flat, re.IGNORECASE)
            if m and m.start() > 0:
                head = flat[: m.start()].strip()
                note = m.group("note")
                if note:
                    head = f"{head} ({note.strip('()')})"
                return head, self._known_spelling(name)
        return flat, None

    def _known_spelling(self, text: str) -> str:
        """A directorate as the data spells it, so 'Consolidated risk' and 'Consolidated Risk' group."""
        return self.directorate_folded.get(self._fold(text), text)

    @staticmethod
    def first_sentence(text: str) -> str:
        flat = one_line(text)
        m = re.search(r"(?<=[.!?])\s+(?=[A-Z(\"'“‘])", flat)
        sentence = flat[: m.start()] if m else flat
        return sentence.rstrip(" .")

    @staticmethod
    def clean_ref(text: str) -> str | None:
        ref = one_line(text).rstrip(".").strip()
        return ref or None

    # -- status -----------------------------------------------------------------------------
    def status(self, status_text: str, document_title: str) -> tuple[str, str | None]:
        """(status, label as printed). A status column holding prose is an update, not a label."""
        first = (status_text or "").split("\n")[0].strip()
        folded = normalise_label(first)
        is_label = self.is_status_label(first)
        if is_label:
            for word, state in self.status_words:
                if folded == word or folded.startswith(word + " "):
                    return state, first
        if self.implemented_document.search(document_title):
            return "implemented", None
        return "open", first if is_label else None

    def is_status_label(self, text: str) -> bool:
        folded = normalise_label(text)
        return bool(folded) and len(folded.split()) <= self.label_max_words

    # -- updates ----------------------------------------------------------------------------
    def update_period(self, update: str, report_date: date | None) -> str | None:
        """YYYY-MM of the latest stamp that opens a paragraph of the update ("July 2024: ..."),
        or of the cycle an update says it came from. A stamp without a year is the latest such
        month not after the report date."""
        periods = []
        for line in (update or "").split("\n"):
            m = self.stamp.match(line)
            # "March 2024: TBC" in a list of revised dates is a target, not an update.
            if not m or self._only_dates(m.group("rest")):
                continue
            month = MONTHS[m.group("month").lower()]
            if m.group("year"):
                periods.append(date(int(m.group("year")), month, 1))
            elif report_date is not None:
                year = report_date.year if month <= report_date.month else report_date.year - 1
                periods.append(date(year, month, 1))
        statement = self.stamp_statement.search(update or "")
        if statement:
            tokens = self.dates.find(statement.group("period"))
            if tokens and tokens[0].value:
                periods.append(tokens[0].value.replace(day=1))
        return f"{max(periods):%Y-%m}" if periods else None

    def _only_dates(self, text: str) -> bool:
        rest = text
        for token in reversed(self.dates.find(text)):
            rest = rest[: token.start] + rest[token.end:]
        return bool(text.strip()) and not _WORD.search(rest)

    def says_no_update(self, *texts: str) -> bool:
        return any(self.no_update.search(t or "") for t in texts)


def period_end(period: str) -> date:
    year, month = period.split("-")
    return month_end(int(year), int(month))
