"""Reading the other fields of a record: risk level, directorate glued to a title, title and
reference, status, update stamps and statements that no fresh update was given."""

from __future__ import annotations

import re
from datetime import date

from etl.cleantext import normalise_label, one_line, strip_markdown
from etl.dates import MONTHS, date_reader, month_end
from etl.interpret.anyof import AnyOf
from etl.interpret.risk import RiskReader
from etl.layouts.config import STATUSES, Layouts, compile_any

_WORD = re.compile(r"[A-Za-z]{2,}")
_AUDIT_YEAR = re.compile(r"\b(?:19|20)\d{2}\s*[-/–]\s*(?:\d{2}|(?:19|20)\d{2})\b")


class FieldReader:
    def __init__(self, layouts: Layouts):
        self.dates = date_reader(layouts)
        self.risk = RiskReader(layouts)
        self.risk_from_title = layouts.risk_from_title.patterns
        status = layouts.status
        # Longest words first, so "partially implemented" is found before "implemented".
        self.status_words = sorted(((w, s) for s in STATUSES for w in getattr(status, s)), key=lambda ws: -len(ws[0]))
        self.status_of = dict(self.status_words)
        words = "|".join(r"[\s\-]*".join(re.escape(t) for t in w.split()) for w, _ in self.status_words)
        # Status words opening an update, then a stop, colon, dash or the end ("Complete – ...",
        # "Verified complete – ..."): up to three runs of them, read together by meaning.
        self.status_opening = re.compile(
            r"^\W*(?P<words>(?:" + words + r")(?:[\s\-–—,]{1,4}(?:" + words + r")){0,2})"
            r"(?=\s*(?:[.:;,!–—\-)]|$))",
            re.IGNORECASE,
        )
        self.status_anywhere = re.compile(r"\b(?P<words>" + words + r")\b", re.IGNORECASE)
        self.closed_statements = compile_any(status.closed_statements)
        self.generic = set(status.generic)
        self.unverified = compile_any(status.unverified)
        limits = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(status.limiting, key=len, reverse=True))
        # A denying or limiting word up to two words before a status word, read in the folded
        # text just before it (bounded, so a long cell costs no more than a short one).
        self.limited = re.compile(r"(?:^|\s)(?:" + limits + r")(?:\s+\w+){0,2}\s*$")
        # Cells that hold no value: the words meaning no target, and TBC.
        self.no_value = set(layouts.targets.none) | {normalise_label(p.pattern) for p in layouts.targets.tbc}
        self.implemented_document = compile_any(status.implemented_document)
        self.label_max_words = status.label_max_words
        self.no_update = AnyOf(layouts.updates.no_fresh_update)
        self.stamp_statement = layouts.updates.stamp_from_statement
        self.stamps = layouts.updates.stamps
        self.directorate_words = compile_any([rf"\b{re.escape(w)}\b" for w in layouts.directorates.heading_words])
        self.not_directorate = compile_any([rf"\b{re.escape(w)}\b" for w in layouts.directorates.not_in_heading])
        self.grouped_by = compile_any(layouts.directorates.grouped_by)
        known = layouts.directorates.known
        # A known directorate glued to a title's end ("Payroll Audit Resources"), '&' read as 'and'
        # too, with an optional bracketed note after it; longest name first. Compiled once, not per title.
        self.directorate_endings = [
            (
                name,
                re.compile(
                    r"\s" + re.escape(name).replace(r"\&", r"(?:&|and)").replace("'", "['’]?") + r"\s*(?P<note>\(+[^()]*\))?\s*$",
                    re.IGNORECASE,
                ),
            )
            for name in sorted(known, key=len, reverse=True)
        ]
        self.layouts = layouts
        heading = layouts.audit_heading
        self.opinion = heading.opinion
        self.not_audit = compile_any([rf"\b{re.escape(w)}\b" for w in heading.not_in_title])
        self.audit_heading_words = heading.max_words
        self.directorate_folded: dict[str, str] = {}
        for name in known:  # the first spelling listed is the one stored
            self.directorate_folded.setdefault(self._fold(name), name)

    # -- risk -------------------------------------------------------------------------------
    def risk_level(self, label: str) -> str | None:
        """A label's level read on its own; a document's labels are read together (RiskReader.scale)."""
        return self.risk.level(label) if normalise_label(label) else None

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
        for name, ending in self.directorate_endings:
            m = ending.search(flat)
            if m and m.start() > 0:
                head = flat[: m.start()].strip()
                note = m.group("note")
                if note:
                    head = f"{head} ({note.strip('()')})"
                return head, self._known_spelling(name)
        return flat, None

    def says_grouped_by_directorate(self, lines: list[str]) -> bool:
        """Whether the document says its records are shown under their directorates."""
        return any(self.grouped_by.search(line) for line in lines)

    def is_directorate_heading(self, heading: str | None, grouped: bool = False) -> bool:
        """A section heading that names a directorate: one known, one the document says it groups
        by (a workbook's sheet names, one sheet per directorate), or one with a directorate's words
        ("Adults, Health and Wellbeing"); never one with a status word, a date or words of its own
        kind ("Table B – recommendations completed")."""
        if not heading or len(heading.split()) > 8:
            return False
        dated = any(not t.financial_year for t in self.dates.find(heading))
        if self.status_anywhere.search(heading) or dated or self.not_directorate.search(heading):
            return False
        # Grouped by directorate, a heading naming a year ("2024-25") or a level ("Medium") groups otherwise.
        grouped = grouped and not re.search(r"\d", heading) and self.risk_level(heading) is None
        return grouped or self._fold(heading) in self.directorate_folded or bool(self.directorate_words.search(heading))

    def audit_of_heading(self, heading: str | None) -> str | None:
        """The audit a heading above a table names ("Payroll 2023-24 – Limited Assurance" names
        "Payroll 2023-24"), its assurance opinion cut off; None for a heading of another kind."""
        if (
            not heading
            or len(heading.split()) > self.audit_heading_words
            or self.not_audit.search(heading)
            or self.status_anywhere.search(heading)
        ):
            return None
        if not _AUDIT_YEAR.search(heading) and self.is_directorate_heading(heading):
            return None  # an audit's year ("2023-24") tells an audit's name from a directorate's
        title = heading
        for pattern in self.opinion:
            title = pattern.sub(" ", title)
        title = re.sub(r"[\s:;,\-–—(\[]+$", "", re.sub(r"\s+", " ", title)).strip()
        return title or None

    def audit_of_headings(self, headings: tuple[str, ...] | list[str]) -> str | None:
        """The audit the heading lines above a table name: the last line's, or, where the last line
        is only an assurance opinion printed under the name ("Assurance opinion: Limited"), the
        line above it."""
        if not headings:
            return None
        found = self.audit_of_heading(headings[-1])
        if found is None and len(headings) >= 2 and self._only_opinion(headings[-1]):
            return self.audit_of_heading(headings[-2])
        return found

    def _only_opinion(self, line: str) -> bool:
        rest = line
        for pattern in self.opinion:
            rest = pattern.sub(" ", rest)
        return rest != line and not re.search(r"[^\W\d_]{2,}", re.sub(r"(?i)\b(overall|audit|assurance|opinion)\b", "", rest))

    def without_label(self, text: str, name: str) -> str:
        """A cell's value without a label naming its own field printed inside it ("Service: Revenues
        and Benefits" under Service, "Lead – Head of Finance" under Responsible Officer)."""
        found = re.match(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*(?::|\s[-–—])\s*(\S.*)$", text, re.DOTALL)
        if found and len(found.group(1).split()) <= 3 and self.layouts.field_for(found.group(1)) == name:
            return found.group(2)
        return text

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
    def split_title(text: str) -> tuple[str, str]:
        """A column holding the audit's name then the finding: (name, finding). The name is the
        cell's first line, which is its first paragraph or a bold run opening it."""
        lines = [line for line in (text or "").split("\n") if line.strip()]
        if not lines:
            return "", ""
        return strip_markdown(lines[0]).rstrip(" :–-").strip(), "\n".join(lines[1:])

    def percent(self, text: str) -> tuple[float | None, str | None]:
        """A % complete cell as a number (0-100), and what was doubtful about it."""
        flat = one_line(text or "")
        if not flat or normalise_label(flat) in self.no_value:
            return None, None
        m = re.search(r"(\d+(?:\.\d+)?)\s*%?", flat)
        if not m:
            return None, f"% complete {flat!r} is not a number"
        value = float(m.group(1))
        if value > 100:
            return value, f"% complete {flat!r} is over 100"
        return value, None

    @staticmethod
    def clean_ref(text: str) -> str | None:
        ref = one_line(text).rstrip(".").strip()
        return ref or None

    # -- status -----------------------------------------------------------------------------
    def status(self, status_text: str, document_title: str, update: str = "", section: str | None = None) -> tuple[str, str | None]:
        """(status, label as printed), from, in order: the status cell when it is a label, the
        opening words of the update, a statement in the update that the recommendation is no
        longer applicable, the section heading the record sits under, the document's title; else
        open. A status column holding prose is an update, not a label."""
        first = (status_text or "").split("\n")[0].strip()
        is_label = self.is_status_label(first)
        printed = first if is_label else None
        if is_label:
            state = self.state_of(first)
            if state:
                return state, first
        opening = self.status_opening_words(update)
        if opening:
            state = self.state_of(opening) or "open"
            claim = self.first_sentence(update)
            return ("open" if state != "open" and self.unverified.search(claim) else state), printed
        if self.closed_statements.search(one_line(update or "")):
            return "closed", printed
        section_state = self.state_of(section) if section else None
        if section_state:
            return section_state, printed
        if self.implemented_document.search(document_title):
            return "implemented", printed
        return "open", printed

    def state_of(self, label: str) -> str | None:
        """The state a status label means, by its words ([status] in layouts.toml): an
        implementation or closure it claims, unless denied or limited ("not fully implemented")
        or not yet verified ("implemented, awaiting audit verification"); a bare "Closed" or
        "Open" only where no more specific word says otherwise."""
        folded = normalise_label(label)
        said = []  # (state, generic) for each status word, in order
        for m in self.status_anywhere.finditer(folded):
            words = normalise_label(m.group("words"))
            state = self.status_of[words]
            if state != "open" and words not in self.generic and self.limited.search(folded[max(0, m.start() - 40) : m.start()]):
                state = "open"
            said.append((state, words in self.generic))
        if not said:
            return None
        claims = [state for state, generic in said if state != "open" and not generic]
        closed_bare = ("closed", True) in said
        if (claims or closed_bare) and self.unverified.search(folded):
            return "open"
        if claims:
            return claims[0]
        return "closed" if closed_bare else "open"

    def status_opening_words(self, update: str) -> str | None:
        """Status words an update opens with, after any date stamp ("Update Jan 2025 – Complete.
        ..."); in a bilingual update ("Wedi'i ddisodli / Superseded – ...") the words after a slash."""
        first = (update or "").strip().split("\n")[0]
        stamped = self._stamp(first)
        if stamped:
            first = stamped[2]
        candidates = [first] + [first[m.end() :] for m in re.finditer(r"\s/\s*", first[:60])]
        for text in candidates:
            found = self.status_opening.match(text)
            if found:
                return found.group("words")
        return None

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
            stamped = self._stamp(line)
            if not stamped:
                continue
            month, year, _ = stamped
            if year:
                periods.append(date(year, month, 1))
            elif report_date is not None:
                year = report_date.year if month <= report_date.month else report_date.year - 1
                periods.append(date(year, month, 1))
        statement = self.stamp_statement.search(update or "")
        if statement:
            tokens = self.dates.find(statement.group("period"))
            if tokens and tokens[0].value:
                periods.append(tokens[0].value.replace(day=1))
        return f"{max(periods):%Y-%m}" if periods else None

    def _stamp(self, line: str) -> tuple[int, int | None, str] | None:
        """(month, year or None, the text after it) of a date stamp opening a paragraph of an
        update ("July 2024: ...", "Update Jan 2025 – ...", "(March 2025) ...", "14/02/2025 - ...").
        "March 2024: TBC" in a list of revised dates is a target, not an update: no stamp."""
        for pattern in self.stamps:
            m = pattern.match(line)
            if not m or self._only_dates(m.group("rest")):
                continue
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
            if not month or not 1 <= month <= 12:
                continue
            groups = m.groupdict()
            year_text = groups.get("year") or groups.get("year2") or groups.get("year3")
            year = None
            if year_text:
                year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
            return month, year, m.group("rest")
        return None

    def _only_dates(self, text: str) -> bool:
        """Whether what follows a month is a target, not an update: it opens with a date or TBC
        ("October 2024 – 31 October 2024, then ...", "March 2024: TBC") or holds nothing else."""
        # A word before anything that looks like a date rules out both readings. Checked first, and
        # only where a date could start before the first word's second letter, because a stamp opens
        # every paragraph of a long update and searching all of it for dates is most of its reading.
        word = _WORD.search(text)
        if word and word.start() < 40 and not any(self.dates.token.match(text, at) for at in range(word.start() + 2)):
            return False
        tokens = [t for t in self.dates.find(text) if not t.financial_year]
        if tokens and not text[: tokens[0].start].strip(" :-–—"):
            return True
        rest = text
        for token in reversed(tokens):
            rest = rest[: token.start] + rest[token.end :]
        return bool(text.strip()) and not _WORD.search(rest)

    def says_no_update(self, *texts: str) -> bool:
        return any(self.no_update.search(t or "") for t in texts)


def period_end(period: str) -> date:
    year, month = period.split("-")
    return month_end(int(year), int(month))
