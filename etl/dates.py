"""Dates as UK committee papers print them: day first, month-only meaning the month's last day,
"TBC" a target still to be confirmed, years sometimes left for the reader to supply."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from etl.layouts.config import Layouts, load_layouts

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = r"(?P<{name}>" + _MONTH_NAMES + r")\.?"
_ORD = r"(?:\s*(?:st|nd|rd|th))?"


# A day's name printed before a date ("Friday 28 March 2025", "Fri 28/03/25").
_DAY_NAME = re.compile(r"^(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+", re.IGNORECASE)

_FY = r"(?P<{a}>\d{{4}}|\d{{2}})(?:\s*[/-]\s*(?P<{b}>\d{{4}}|\d{{2}}))?"


@dataclass(frozen=True)
class DateToken:
    """One date-like value found in text."""

    value: date | None  # None for TBC, or a day and month whose year is not yet known
    raw: str
    start: int
    end: int
    tbc: bool = False
    day: int | None = None  # day and month of a date printed without a year
    month: int | None = None
    doubt: str | None = None  # why the value is a guess (a quarter of no stated year kind, a season)
    # A financial year printed alone ("2025/26"): a target in a date cell, but in prose a period
    # talked about ("the 2025/26 budget"), so the report date is never inferred from it.
    financial_year: bool = False

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
        return self._with(value)

    def with_year_before(self, following: date) -> DateToken:
        """A year-less date printed before a dated one ("was 31 December, now 31 March 2025")
        takes the year that makes it the last such date before `following`."""
        value = _safe_date(following.year, self.month, self.day)
        if value is not None and value >= following:
            value = _safe_date(following.year - 1, self.month, self.day)
        return self._with(value)

    def _with(self, value: date | None) -> DateToken:
        return DateToken(value, self.raw, self.start, self.end, day=self.day, month=self.month, doubt=self.doubt)


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

    def _fy_end_year(self, first: str, second: str) -> int | None:
        """The calendar year a financial year written "2024/25" or "2024-2025" ends in, or None
        when the two years do not follow each other (not a financial year)."""
        start = _year(first)
        end = _year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
        return end if end == start + 1 else None

    def _period(self, number: int, months: int, first: str, second: str | None, raw: str) -> tuple[date | None, str | None]:
        """The last day of the number-th period of `months` months (a quarter, a half): of the
        financial year when one is written ("2024/25"), else of the calendar year, as a guess."""
        if second is not None:
            if self._fy_end_year(first, second) is None:
                return None, None
            month = self.fy_start + months * number - 1
            year = _year(first) + (month - 1) // 12
            return month_end(year, (month - 1) % 12 + 1), None
        what = "quarter" if months == 3 else "half-year"
        return month_end(_year(first), months * number), f"{raw!r} read as a calendar {what} (no financial year written)"

    def _season(self, name: str, first: str, second: str | None, raw: str) -> tuple[date | None, str | None]:
        month = self.seasons[name.lower()]
        year = _year(first)
        if second is not None:
            year = _year(second) if len(second) == 4 else (year // 100) * 100 + int(second)
        elif month < 6 and name.lower() == "winter":
            year += 1  # winter 2025 runs into 2026
        return month_end(year, month), f"{raw!r} read as the end of {calendar.month_name[month]} {year}"

    def _year_less_quarter(self, number: int) -> tuple[int, int]:
        """(day, month) of the last day of a financial-year quarter whose year is not written."""
        month = (self.fy_start + 3 * number - 2) % 12 + 1
        return calendar.monthrange(2001, month)[1], month

    def find(self, text: str) -> list[DateToken]:
        """Every date, month, quarter or TBC in the text, in order. Impossible dates (31/02/2024) are skipped."""
        return list(self._found(text or ""))

    def _scan(self, text: str) -> tuple[DateToken, ...]:
        # The form a token matched is the outer group that closed last: the one the table named.
        found = (_READ[m.lastgroup](self, m) for m in self.token.finditer(text) if m.lastgroup)
        return tuple(token for token in found if token is not None)

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
                tokens = self.find(_DAY_NAME.sub("", m.group("date"), count=1))
                if tokens and tokens[0].value is not None and tokens[0].start < 3:
                    return tokens[0].value
        return None


def _dated(m: re.Match[str], value: date | None, doubt: str | None = None, financial_year: bool = False) -> DateToken | None:
    """The token for a dated match; None for an impossible date or one outside any plausible year."""
    if value is None or not 1900 < value.year < 2200:
        return None
    return DateToken(value, m.group(0), m.start(), m.end(), doubt=doubt, financial_year=financial_year)


def _day_month_year(m: re.Match[str], year: str, month: str, day: str) -> DateToken | None:
    """A date printed with its month as a word."""
    return _dated(m, _safe_date(_year(year), MONTHS[month.lower()], int(day)))


def _month_of(m: re.Match[str], year: int, month: str) -> DateToken | None:
    """A month and year: the month's last day."""
    return _dated(m, month_end(year, MONTHS[month.lower()]) if 1900 < year < 2200 else None)


def _financial_year_end(reader: DateReader, m: re.Match[str]) -> DateToken | None:
    """ "End of 2024/25": the financial year's last day; "year end 2024" (one year): the calendar year's, as a guess."""
    raw, first, second = m.group(0), m["fa"], m["fb"]
    if second is not None:
        return _dated(m, *reader._period(4, 3, first, second, raw))
    value = month_end(_year(first), 12) if "end" in raw.lower() and len(first) == 4 else None
    return _dated(m, value, f"{raw!r} read as the end of the calendar year" if value else None)


def _half(reader: DateReader, m: re.Match[str]) -> DateToken | None:
    number = int(m["hn"]) if m["hn"] else (1 if m["hw"].lower() == "first" else 2)
    return _dated(m, *reader._period(number, 6, m["ha"], m["hb"], m.group(0)))


def _day_month(reader: DateReader, m: re.Match[str]) -> DateToken | None:
    """A day and month printed without a year: its year is found later."""
    day, month = int(m["ed"]), MONTHS[m["em"].lower()]
    if _safe_date(2000, month, day) is None:
        return None
    return DateToken(None, m.group(0), m.start(), m.end(), day=day, month=month)


def _year_less_quarter(reader: DateReader, m: re.Match[str]) -> DateToken:
    """A quarter printed without a year: the end of that financial quarter, its year found later."""
    day, month = reader._year_less_quarter(int(m["qxn"]))
    return DateToken(
        None,
        m.group(0),
        m.start(),
        m.end(),
        day=day,
        month=month,
        doubt=f"{m.group(0)!r} read as the end of the financial quarter (no year written)",
    )


_Read = Callable[[DateReader, re.Match[str]], DateToken | None]
_TBC_WORDS, _SEASON_NAMES = "<tbc words>", "<season names>"  # filled in from the layouts file

# Every form of date a paper prints: (name, pattern, how its match reads). Tried in this order at
# each place in the text, the first that matches wins; the name is the group the pattern is put in.
_FORMS: tuple[tuple[str, str, _Read], ...] = (
    # ISO, with a time after a "T" as systems export it ("2025-06-30T00:00:00")
    (
        "iso",
        r"\b(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:\b|(?=T\d))",
        lambda r, m: _dated(m, _safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))),
    ),
    (
        "num",
        r"\b(?P<nd>\d{1,2})[/.\-](?P<nm>\d{1,2})[/.\-](?P<ny>\d{4}|\d{2})\b",
        lambda r, m: _dated(m, _safe_date(_year(m["ny"]), int(m["nm"]), int(m["nd"]))),
    ),
    (
        "dmy",
        r"\b(?P<dd>\d{1,2})" + _ORD + r"\s*(?:of\s+)?" + _MONTH.format(name="dm") + r",?\s+(?:(?P<dy>\d{4})|['’](?P<dy2>\d{2}))\b",
        lambda r, m: _day_month_year(m, m["dy"] or m["dy2"], m["dm"], m["dd"]),
    ),
    # 31-Mar-24, 31/Mar/2024, 31.Mar.24; 31 Mar 24 where no word follows (not "14 January 20 staff")
    (
        "dmy2",
        r"\b(?P<d2>\d{1,2})(?:[-/.](?P<m2>"
        + _MONTH_NAMES
        + r")\.?[-/.](?P<y2>\d{4}|\d{2})\b"
        + r"|"
        + _ORD
        + r"\s+(?P<m3>"
        + _MONTH_NAMES
        + r")\.?\s+(?P<y3>\d{2})\b(?![:/.]?\d|\s*[A-Za-z]))",
        lambda r, m: _day_month_year(m, m["y2"] or m["y3"], m["m2"] or m["m3"], m["d2"]),
    ),
    (
        "mdy",
        r"\b" + _MONTH.format(name="mm") + r"\s+(?P<md>\d{1,2})" + _ORD + r"(?:,\s*|\s+)(?P<my>\d{4})\b",
        lambda r, m: _day_month_year(m, m["my"], m["mm"], m["md"]),
    ),
    ("month_year", r"\b" + _MONTH.format(name="om") + r",?\s+(?P<oy>\d{4})\b", lambda r, m: _month_of(m, int(m["oy"]), m["om"])),
    # Mar-25, March '25
    (
        "month_short_year",
        r"\b" + _MONTH.format(name="om2") + r"(?:-|\s*['’])(?P<oy2>\d{2})\b",
        lambda r, m: _month_of(m, _year(m["oy2"]), m["om2"]),
    ),
    # Q3 2024/25, Quarter 3 2024-25, Q3 FY24/25, 2024/25 Q3
    (
        "quarter",
        r"\b(?:Q|quarter\s*)(?P<qn>[1-4])\s*(?:of\s+)?(?:FY\s*|financial year\s*)?" + _FY.format(a="qa", b="qb") + r"\b",
        lambda r, m: _dated(m, *r._period(int(m["qn"]), 3, m["qa"], m["qb"], m.group(0))),
    ),
    (
        "year_quarter",
        r"\b(?:FY\s*)?" + _FY.format(a="qa2", b="qb2") + r"\s*(?:Q|quarter\s*)(?P<qn2>[1-4])\b",
        lambda r, m: _dated(m, *r._period(int(m["qn2"]), 3, m["qa2"], m["qb2"], m.group(0))),
    ),
    # the end of a financial year: "end of 2024/25", "year end 2024-25", "FY 2024/25"
    (
        "fy",
        r"\b(?:(?:by )?(?:the )?end of (?:financial year |FY\s*)?|(?:financial )?year[- ]end\s+|FY\s*)"
        + _FY.format(a="fa", b="fb")
        + r"\b",
        _financial_year_end,
    ),
    # H1 2025/26, first half of 2025/26: the half-years of the financial year
    (
        "half",
        r"\b(?:H(?P<hn>[12])|(?P<hw>first|second)\s+half(?:\s+of)?)\s*(?:the\s+)?(?:FY\s*|financial year\s*)?"
        + _FY.format(a="ha", b="hb")
        + r"\b",
        _half,
    ),
    # a financial year alone: "2025/26", "2025-2026" (its end)
    (
        "financial_year",
        r"\b(?P<ba>(?:19|20)\d{2})\s*[/-]\s*(?P<bb>\d{4}|\d{2})\b(?![/.-]\d)",
        lambda r, m: _dated(m, *r._period(4, 3, m["ba"], m["bb"], m.group(0)), financial_year=True),
    ),
    # a quarter with no year, at a cell's end or after "end of": "end of Q3", "Q2."
    ("year_less_quarter", r"\b(?:Q|quarter\s*)(?P<qxn>[1-4])\b(?=\s*(?:$|[;,.)(]|\s[-–—]\s))", _year_less_quarter),
    (
        "season",
        r"\b(?P<sn>" + _SEASON_NAMES + r")\s*(?:(?P<sa>\d{4})(?:\s*[/-]\s*(?P<sb>\d{4}|\d{2}))?|['’](?P<sa2>\d{2}))\b",
        lambda r, m: _dated(m, *r._season(m["sn"], m["sa"] or m["sa2"], m["sb"], m.group(0))),
    ),
    ("day_month", r"\b(?P<ed>\d{1,2})" + _ORD + r"\s*(?:of\s+)?" + _MONTH.format(name="em") + r"\b", _day_month),
    ("tbc", r"\b(?:" + _TBC_WORDS + r")\b", lambda r, m: DateToken(None, m.group(0), m.start(), m.end(), tbc=True)),
)
_READ: dict[str, _Read] = {name: read for name, _, read in _FORMS}


def _token_pattern(tbc_words: str, seasons: list[str]) -> re.Pattern[str]:
    """One pattern of every form, each in a group of its name, with the layouts' words filled in."""
    season = "|".join(sorted(seasons, key=len, reverse=True)) or "(?!)"
    return re.compile(
        "|".join(
            f"(?P<{name}>" + pattern.replace(_TBC_WORDS, tbc_words).replace(_SEASON_NAMES, season) + ")" for name, pattern, _ in _FORMS
        ),
        re.IGNORECASE,
    )


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
