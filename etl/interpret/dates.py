"""Dates as UK committee papers print them: day first, month-only meaning the month's last day,
"TBC" a target still to be confirmed, years sometimes left for the reader to supply."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from etl.layouts.config import Layouts, load_layouts

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = r"(?P<{name}>" + _MONTH_NAMES + r")\.?"
_ORD = r"(?:\s*(?:st|nd|rd|th))?"


_FY = r"(?P<{a}>\d{{4}}|\d{{2}})(?:\s*[/-]\s*(?P<{b}>\d{{4}}|\d{{2}}))?"


def _token_pattern(tbc_words: str, seasons: list[str]) -> re.Pattern:
    season = "|".join(sorted(seasons, key=len, reverse=True)) or "(?!)"
    return re.compile("|".join([
        r"(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b)",
        r"(?P<num>\b(?P<nd>\d{1,2})[/.\-](?P<nm>\d{1,2})[/.\-](?P<ny>\d{4}|\d{2})\b)",
        r"(?P<dmy>\b(?P<dd>\d{1,2})" + _ORD + r"\s*(?:of\s+)?" + _MONTH.format(name="dm") + r",?\s+(?P<dy>\d{4})\b)",
        # 31-Mar-24, 31/Mar/2024, 31.Mar.24; 31 Mar 24 where no word follows (not "14 January 20 staff")
        r"(?P<dmy2>\b(?P<d2>\d{1,2})(?:[-/.](?P<m2>" + _MONTH_NAMES + r")\.?[-/.](?P<y2>\d{4}|\d{2})\b"
        + r"|" + _ORD + r"\s+(?P<m3>" + _MONTH_NAMES + r")\.?\s+(?P<y3>\d{2})\b(?![:/.]?\d|\s*[A-Za-z])))",
        r"(?P<mdy>\b" + _MONTH.format(name="mm") + r"\s+(?P<md>\d{1,2})" + _ORD + r",\s*(?P<my>\d{4})\b)",
        r"(?P<my_>\b" + _MONTH.format(name="om") + r",?\s+(?P<oy>\d{4})\b)",
        # Mar-25, March '25
        r"(?P<my2>\b" + _MONTH.format(name="om2") + r"(?:-|\s*['’])(?P<oy2>\d{2})\b)",
        # Q3 2024/25, Quarter 3 2024-25, Q3 FY24/25, 2024/25 Q3
        r"(?P<q>\b(?:Q|quarter\s*)(?P<qn>[1-4])\s*(?:of\s+)?(?:FY\s*|financial year\s*)?" + _FY.format(a="qa", b="qb") + r"\b)",
        r"(?P<q2>\b(?:FY\s*)?" + _FY.format(a="qa2", b="qb2") + r"\s*(?:Q|quarter\s*)(?P<qn2>[1-4])\b)",
        # the end of a financial year: "end of 2024/25", "year end 2024-25", "FY 2024/25"
        r"(?P<fy>\b(?:(?:by )?(?:the )?end of (?:financial year |FY\s*)?|(?:financial )?year[- ]end\s+|FY\s*)"
        + _FY.format(a="fa", b="fb") + r"\b)",
        r"(?P<season>\b(?P<sn>" + season + r")\s+(?P<sa>\d{4})(?:\s*[/-]\s*(?P<sb>\d{4}|\d{2}))?\b)",
        r"(?P<dm_>\b(?P<ed>\d{1,2})" + _ORD + r"\s*(?:of\s+)?" + _MONTH.format(name="em") + r"\b)",
        r"(?P<tbc>\b(?:" + tbc_words + r")\b)",
    ]), re.IGNORECASE)


@dataclass(frozen=True)
class DateToken:
    """One date-like value found in text."""
    value: date | None      # None for TBC, or a day and month whose year is not yet known
    raw: str
    start: int
    end: int
    tbc: bool = False
    day: int | None = None  # day and month of a date printed without a year
    month: int | None = None
    doubt: str | None = None  # why the value is a guess (a quarter of no stated year kind, a season)

    @property
    def needs_year(self) -> bool:
        return self.value is None and not self.tbc

    def with_year_after(self, previous: date | None, fallback_year: int) -> DateToken:
        """A year-less date takes the year that makes it the next such date after `previous`."""
        if not self.needs_year:
            return self
        year = previous.year if previous else fallback_year
        value = _safe_date(year, self.month, self.day)
        if previous and value and value <= previous:
            value = _safe_date(year + 1, self.month, self.day)
        return DateToken(value, self.raw, self.start, self.end, day=self.day, month=self.month)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int | None, day: int | None) -> date | None:
    try:
        return date(year, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _year(text: str) -> int:
    value = int(text)
    return 2000 + value if value < 100 else value


class DateReader:
    """Dates in text, with the vocabularies of the layouts file: the words that mean "to be
    confirmed", the phrases that introduce a document's as-at date, the month the financial year
    starts in, and the seasons."""

    def __init__(self, layouts: Layouts):
        self.seasons = dict(layouts.dates.seasons)
        self.token = _token_pattern("|".join(p.pattern for p in layouts.targets.tbc), list(self.seasons))
        self.as_at = layouts.dates.as_at
        self.fy_start = layouts.dates.financial_year_starts
        # Each text scanned once: a target cell is looked at by several readers in turn (its parts,
        # its previous targets, its doubts, the report's date), each once a scan of the whole cell.
        self._found = lru_cache(maxsize=64)(self._scan)

    def _quarter(self, number: int, first: str, second: str | None, raw: str) -> tuple[date | None, str | None]:
        """The last day of a quarter: of the financial year when one is written ("2024/25"),
        else of the calendar year, as a guess."""
        start = _year(first)
        if second is not None:
            end = _year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
            if end != start + 1:
                return None, None
            month = self.fy_start + 3 * number - 1
            year = start + (month - 1) // 12
            return month_end(year, (month - 1) % 12 + 1), None
        return month_end(start, 3 * number), f"{raw!r} read as a calendar quarter (no financial year written)"

    def _season(self, name: str, first: str, second: str | None, raw: str) -> tuple[date | None, str | None]:
        month = self.seasons[name.lower()]
        year = int(first)
        if second is not None:
            year = _year(second) if len(second) == 4 else (year // 100) * 100 + int(second)
        elif month < 6 and name.lower() == "winter":
            year += 1  # winter 2025 runs into 2026
        return month_end(year, month), f"{raw!r} read as the end of {calendar.month_name[month]} {year}"

    def find(self, text: str) -> list[DateToken]:
        """Every date, month, quarter or TBC in the text, in order. Impossible dates (31/02/2024) are skipped."""
        return list(self._found(text or ""))

    def _scan(self, text: str) -> tuple[DateToken, ...]:
        tokens = []
        for m in self.token.finditer(text):
            g = m.groupdict()
            raw = m.group(0)
            doubt = None
            if g["iso"]:
                value = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
            elif g["num"]:
                value = _safe_date(_year(g["ny"]), int(g["nm"]), int(g["nd"]))
            elif g["dmy"]:
                value = _safe_date(int(g["dy"]), MONTHS[g["dm"].lower()], int(g["dd"]))
            elif g["dmy2"]:
                value = _safe_date(_year(g["y2"] or g["y3"]), MONTHS[(g["m2"] or g["m3"]).lower()], int(g["d2"]))
            elif g["mdy"]:
                value = _safe_date(int(g["my"]), MONTHS[g["mm"].lower()], int(g["md"]))
            elif g["my_"] or g["my2"]:
                year = int(g["oy"]) if g["my_"] else _year(g["oy2"])
                if not 1900 < year < 2200:
                    continue
                value = month_end(year, MONTHS[(g["om"] or g["om2"]).lower()])
            elif g["q"] or g["q2"]:
                number = int(g["qn"] or g["qn2"])
                value, doubt = self._quarter(number, g["qa"] or g["qa2"], g["qb"] if g["q"] else g["qb2"], raw)
            elif g["fy"]:
                if g["fb"] is None:
                    value = month_end(_year(g["fa"]), 12) if "end" in raw.lower() and len(g["fa"]) == 4 else None
                    doubt = f"{raw!r} read as the end of the calendar year" if value else None
                else:
                    value, doubt = self._quarter(4, g["fa"], g["fb"], raw)
            elif g["season"]:
                value, doubt = self._season(g["sn"], g["sa"], g["sb"], raw)
            elif g["dm_"]:
                day, month = int(g["ed"]), MONTHS[g["em"].lower()]
                if _safe_date(2000, month, day) is None:
                    continue
                tokens.append(DateToken(None, raw, m.start(), m.end(), day=day, month=month))
                continue
            else:
                tokens.append(DateToken(None, raw, m.start(), m.end(), tbc=True))
                continue
            if value is not None and 1900 < value.year < 2200:
                tokens.append(DateToken(value, raw, m.start(), m.end(), doubt=doubt))
        return tuple(tokens)

    def parse(self, text: str) -> date | None:
        """The first full date or month in the text (month-only is the month's last day)."""
        for token in self.find(text):
            if token.value is not None:
                return token.value
        return None

    def printed_as_at(self, lines: list[str]) -> date | None:
        """The as-at date a document states in its title or preamble ("status as at 31.12.2024")."""
        for line in lines:
            for m in self.as_at.finditer(line):
                tokens = self.find(m.group("date"))
                if tokens and tokens[0].value is not None and tokens[0].start < 3:
                    return tokens[0].value
        return None


@cache
def date_reader(layouts: Layouts | None = None) -> DateReader:
    return DateReader(layouts or load_layouts())


def find_dates(text: str) -> list[DateToken]:
    """Every date, month or TBC in the text, read with the shipped layouts file."""
    return date_reader().find(text)


def parse_date(text: str) -> date | None:
    return date_reader().parse(text)


def printed_as_at(lines: list[str]) -> date | None:
    return date_reader().printed_as_at(lines)
