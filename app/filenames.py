"""Download file names that say what a file holds: slippage-WHAT-COUNCIL-REPORT-FILTERS, as in
slippage-recommendations-Harborough-2024-08-31-risk-high.csv. ASCII letters, digits and hyphens
only (every browser, file system and shell takes them as they are) and at most MAX_STEM characters
before the extension, so a long search or many filters never make a name a disk refuses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from app.filters import Filters

MAX_STEM = 100
# The words a council's name begins or ends with that say what kind of council it is, not which
# one: "Harborough District Council" is Harborough, "London Borough of Camden" is Camden.
COUNCIL_KINDS = ("council", "district", "county", "city", "borough", "metropolitan")
COUNCIL_PREFIXES = ("london borough of", "royal borough of")
NAMED_COUNCILS = 3  # more councils than this are counted in a name, not named


def name_part(text: str) -> str:
    """Text as a piece of a file name: accents dropped ("Môn" -> "Mon"), every run of other
    characters a hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def council_part(council: str) -> str:
    """A council's name without the words that say its kind; the whole name if nothing is left."""
    words = council.split()
    for prefix in COUNCIL_PREFIXES:
        if council.lower().startswith(prefix + " "):
            words = words[len(prefix.split()) :]
    while len(words) > 1 and words[-1].lower() in COUNCIL_KINDS:
        words.pop()
    return name_part(" ".join(words)) or name_part(council)


def file_stem(what: str, *parts: str) -> str:
    """slippage-WHAT-PARTS…, each part made safe and empty parts left out, in at most MAX_STEM
    characters: whole parts while they fit, the rest left out, so a name never ends in a broken
    filter; only a first part (the council) too long for the room is cut to it."""
    stem = f"slippage-{name_part(what)}"
    for index, part in enumerate(filter(None, map(name_part, parts))):
        room = MAX_STEM - len(stem) - 1
        if len(part) > room:
            return f"{stem}-{part[:room].rstrip('-')}" if index == 0 else stem
        stem = f"{stem}-{part}"
    return stem


def _councils(councils: tuple[str, ...]) -> str:
    if not councils:
        return "all councils"
    if len(councils) > NAMED_COUNCILS:
        return f"{len(councils)} councils"
    return "-".join(council_part(council) for council in councils)


def _report(filters: Filters, shown_reports: Iterable[date]) -> str:
    """The report chosen; else one council's newest (the one report its rows on show come from);
    else each council's newest, which differ."""
    if filters.report:
        return filters.report
    shown = set(shown_reports)
    return shown.pop().isoformat() if len(filters.councils) == 1 and len(shown) == 1 else "newest reports"


def recommendations_stem(filters: Filters, shown_reports: Iterable[date], search: str, min_revisions: int, no_update_only: bool) -> str:
    """The Recommendations download's name: the councils, the report, then every filter set, in
    the page's order."""
    lists = (("directorate", filters.directorates), ("risk", filters.risks), ("status", filters.statuses), ("past", filters.ageing_bands))
    chosen = [f"{label} {' '.join(values)}" for label, values in lists if values]
    chosen += [
        f"revised {min_revisions} plus" if min_revisions else "",
        "no fresh update" if no_update_only else "",
        "doubtful left out" if filters.leave_out_doubtful else "",
        f"search {search}" if search else "",
    ]
    return file_stem("recommendations", _councils(filters.councils), _report(filters, shown_reports), *chosen)


def query_stem(at: datetime | None = None) -> str:
    """The SQL page's download's name: a query result, and when it was run (to the minute)."""
    return file_stem("query", f"{(at or datetime.now()):%Y-%m-%d-%H%M}")
