"""The layouts file as typed, validated data: which header text means which field, and every
vocabulary used to read cells (risk labels and scales, status words, TBC words, as-at phrases,
update stamps), with per-council overrides.

layouts.toml is read once into frozen dataclasses, one per section. Anything wrong in it (an unknown
key, a missing key, a value of the wrong type, a regular expression that does not compile) is one
LayoutsError naming the file and every key at fault, raised when the file is loaded, never a
KeyError half-way through a load. A council's own file in councils/ is checked the same way when the
layouts are loaded, and merged over the defaults for that council's files only."""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from etl import settings
from etl.cleantext import header_label, normalise_label

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

LAYOUTS_FILE = settings.LAYOUTS.default

# The record fields a header can name; [fields] may list them in any order (its order is precedence).
FIELD_NAMES = (
    "ref",
    "percent_complete",
    "rag",
    "change_date",
    "revised_target",
    "latest_update",
    "further_action",
    "target",
    "audit_and_finding",
    "audit_title",
    "directorate",
    "responsible",
    "risk",
    "finding",
    "management_response",
    "status",
    "recommendation",
)
LEVELS = ("critical", "high", "medium", "low")
STATUSES = ("closed", "implemented", "open")
UNMAPPED = "unmapped"  # a council's [columns] value for a column to keep as text only
MAX_HEADER_CHARS = 300  # a header names its column in a few words; a longer cell is a value, whatever it holds


# A table of parsed TOML as tomllib returns it: its values are checked key by key before use.
TomlTable = dict[str, Any]


Rules = TypeVar("Rules", bound="DataclassInstance")  # one section's dataclass, built from its table


class LayoutsError(ValueError):
    """The layouts file is wrong; the message names the file and each key at fault."""


# -- the schema: each section a frozen dataclass; each key's kind in its field metadata ----------


def _key(kind: str, default: Any = MISSING) -> Any:
    return field(default=default, metadata={"kind": kind})


@dataclass(frozen=True)
class FieldRule:
    """How one record field is recognised in a header cell."""

    name: str
    headers: tuple[str, ...] = _key("headers")  # exact header text, normalised
    patterns: tuple[re.Pattern[str], ...] = _key("patterns", ())


@dataclass(frozen=True)
class HeaderRules:
    min_mapped: int = _key("int")
    max_words: int = _key("int")
    needs_any: tuple[str, ...] = _key("words")
    second_row_max_words: int = _key("int")
    card_title_ref: re.Pattern[str] = _key("pattern")


@dataclass(frozen=True)
class NoiseRules:
    patterns: tuple[re.Pattern[str], ...] = _key("patterns")
    totals: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class RiskRules:
    critical: tuple[str, ...] = _key("labels")
    high: tuple[str, ...] = _key("labels")
    medium: tuple[str, ...] = _key("labels")
    low: tuple[str, ...] = _key("labels")
    ladders: tuple[tuple[str, ...], ...] = _key("ladders")
    number_prefixes: tuple[str, ...] = _key("labels")
    levels_by_size: dict[int, tuple[str, ...]] = _key("levels_by_size")
    severity: dict[str, int] = _key("tiers")  # word -> tier, 0 the most serious
    largest_most_serious: tuple[re.Pattern[str], ...] = _key("patterns")
    smallest_most_serious: tuple[re.Pattern[str], ...] = _key("patterns")
    key: dict[str, str] = _key("key", None)  # a council's own key: label -> level


@dataclass(frozen=True)
class RiskFromTitleRules:
    patterns: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class StatusRules:
    closed: tuple[str, ...] = _key("labels")
    implemented: tuple[str, ...] = _key("labels")
    open: tuple[str, ...] = _key("labels")
    generic: tuple[str, ...] = _key("labels")
    limiting: tuple[str, ...] = _key("labels")
    unverified: tuple[re.Pattern[str], ...] = _key("patterns")
    implemented_document: tuple[re.Pattern[str], ...] = _key("patterns")
    label_max_words: int = _key("int")
    closed_statements: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class TargetRules:
    current: tuple[re.Pattern[str], ...] = _key("patterns")
    previous_cycles: tuple[re.Pattern[str], ...] = _key("patterns")
    previous_cycles_newest_first: bool = _key("bool")
    extension: tuple[re.Pattern[str], ...] = _key("patterns")
    previously: tuple[re.Pattern[str], ...] = _key("patterns")
    requested: tuple[re.Pattern[str], ...] = _key("patterns")
    tbc: tuple[re.Pattern[str], ...] = _key("patterns")
    none: tuple[str, ...] = _key("labels")
    filler_words: tuple[str, ...] = _key("words")
    prose_min_words: int = _key("int")


@dataclass(frozen=True)
class UpdateRules:
    no_fresh_update: tuple[re.Pattern[str], ...] = _key("patterns")
    stamp_from_statement: re.Pattern[str] = _key("pattern")
    stamps: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class DateRules:
    as_at: re.Pattern[str] = _key("pattern")
    cover_as_at: re.Pattern[str] = _key("pattern")
    financial_year_starts: int = _key("int")
    seasons: dict[str, int] = _key("months", None)


@dataclass(frozen=True)
class DirectorateRules:
    known: tuple[str, ...] = _key("words")
    heading_words: tuple[str, ...] = _key("words")
    not_in_heading: tuple[str, ...] = _key("words")
    grouped_by: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class AuditHeadingRules:
    max_words: int = _key("int")
    not_in_title: tuple[str, ...] = _key("words")
    opinion: tuple[re.Pattern[str], ...] = _key("patterns")


@dataclass(frozen=True)
class RecordRules:
    """Where a council's records are not: tables (named by their header row, cells parted by " | "),
    rows any of whose cells a pattern finds, rows by their number in the file (1-based, as the
    admin app's preview numbers them: "3" or "3-5"). What an admin teaches; nothing by default."""

    leave_out_tables: tuple[str, ...] = _key("labels", ())
    leave_out_rows: tuple[re.Pattern[str], ...] = _key("patterns", ())
    leave_out_row_numbers: tuple[tuple[int, int], ...] = _key("ranges", ())

    def row_number_left_out(self, number: int) -> bool:
        return any(first <= number <= last for first, last in self.leave_out_row_numbers)


# Sections a layouts file may leave out (older files, and every file that teaches nothing of them).
_OPTIONAL_SECTIONS = ("records",)

_SECTIONS: dict[str, type[Any]] = {
    "records": RecordRules,
    "header": HeaderRules,
    "noise": NoiseRules,
    "risk": RiskRules,
    "risk_from_title": RiskFromTitleRules,
    "status": StatusRules,
    "targets": TargetRules,
    "updates": UpdateRules,
    "dates": DateRules,
    "directorates": DirectorateRules,
    "audit_heading": AuditHeadingRules,
}

# A pattern may name the month names instead of spelling them out.
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_MONTH_ALTERNATION = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))


class Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"[{where}] {message}")

    def raise_any(self) -> None:
        if self.items:
            raise LayoutsError(f"{self.path}: " + "; ".join(self.items))


def _compile(text: str, where: str, key: str, problems: Problems) -> re.Pattern[str] | None:
    try:
        return re.compile(text.replace("{month}", _MONTH_ALTERNATION), re.IGNORECASE)
    except re.error as exc:
        problems.add(where, f"key '{key}': bad regular expression {text!r} ({exc})")
        return None


_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


def _ranges(value: Any, where: str, key: str, problems: Problems) -> tuple[tuple[int, int], ...] | None:
    """Row numbers as given ("3", "3-5"), as (first, last) pairs; a problem naming each one that is
    not a row number or a range of them, first to last."""
    if not _is_words(value):
        problems.add(where, f'key \'{key}\' must be a list of row numbers or ranges ("3", "3-5"), not {value!r}'[:300])
        return None
    ranges = []
    for text in value:
        found = _RANGE.fullmatch(text)
        first, last = (int(found.group(1)), int(found.group(2) or found.group(1))) if found else (0, 0)
        if not found or first < 1 or last < first:
            problems.add(where, f"key '{key}': {text!r} is not a row number or a range of rows such as \"3-5\"")
            continue
        ranges.append((first, last))
    return tuple(ranges)


def _is_words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _value(kind: str, value: Any, where: str, key: str, problems: Problems) -> Any:
    def wrong(expected: str) -> None:
        problems.add(where, f"key '{key}' must be {expected}, not {type(value).__name__} {value!r}"[:300])

    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return wrong("an integer")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            return wrong("true or false")
        return value
    if kind == "pattern":
        if not isinstance(value, str):
            return wrong("a string (a regular expression)")
        return _compile(value, where, key, problems)
    if kind == "ladders":
        if not isinstance(value, list) or not all(_is_words(v) and len(v) >= 2 for v in value):
            return wrong("a list of lists of labels, most severe first")
        return tuple(tuple(normalise_label(label) for label in ladder) for ladder in value)
    if kind == "tiers":
        if not isinstance(value, list) or not all(_is_words(v) for v in value):
            return wrong("a list of lists of words, most serious first")
        return {normalise_label(word): tier for tier, words in enumerate(value) for word in words}
    if kind == "ranges":
        return _ranges(value, where, key, problems)
    if kind in ("levels_by_size", "key", "months"):
        if not isinstance(value, dict):
            return wrong("a table")
        if kind == "levels_by_size":
            if not all(k.isdigit() and _is_words(v) and len(v) == int(k) and set(v) <= set(LEVELS) for k, v in value.items()):
                return wrong(f'a table of sizes to as many levels ("3" = ["high", "medium", "low"]) from {LEVELS}')
            return {int(k): tuple(v) for k, v in value.items()}
        if kind == "key":
            if not all(isinstance(v, str) and v in LEVELS for v in value.values()):
                return wrong(f"a table of labels to levels ({', '.join(LEVELS)})")
            return {normalise_label(k): v for k, v in value.items()}
        if not all(isinstance(v, int) and 1 <= v <= 12 for v in value.values()):
            return wrong("a table of words to month numbers (1-12)")
        return {normalise_label(k): v for k, v in value.items()}
    if not _is_words(value):
        return wrong("a list of strings")
    if kind == "words":
        return tuple(value)
    if kind == "labels":
        return tuple(normalise_label(v) for v in value)
    if kind == "headers":
        return tuple(header_label(v) for v in value)
    compiled = [_compile(v, where, key, problems) for v in value]
    return tuple(p for p in compiled if p is not None)


def _build(cls: type[Rules], table: Any, where: str, problems: Problems, **given: Any) -> Rules | None:
    if not isinstance(table, dict):
        problems.add(where, f"must be a table, not {type(table).__name__}")
        return None
    keys = {f.name: f for f in fields(cls) if "kind" in f.metadata}
    for unknown in sorted(set(table) - set(keys)):
        problems.add(where, f"unknown key '{unknown}' (known: {', '.join(keys)})")
    values = dict(given)
    complete = True
    for name, spec in keys.items():
        if name in table:
            values[name] = _value(spec.metadata["kind"], table[name], where, name, problems)
            complete = complete and values[name] is not None
        elif spec.default is not MISSING:
            values[name] = {} if spec.default is None and spec.metadata["kind"] in ("key", "months") else spec.default
        else:
            problems.add(where, f"missing key '{name}'")
            complete = False
    return cls(**values) if complete else None


# -- the loaded file ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Layouts:
    path: Path
    fields: tuple[FieldRule, ...]  # in the file's order, which is their precedence
    header: HeaderRules
    noise: NoiseRules
    risk: RiskRules
    risk_from_title: RiskFromTitleRules
    status: StatusRules
    targets: TargetRules
    updates: UpdateRules
    dates: DateRules
    directorates: DirectorateRules
    audit_heading: AuditHeadingRules
    records: RecordRules = RecordRules()
    columns: dict[str, str] = field(default_factory=dict)  # a council's own header names -> field
    council: str | None = None  # the council whose overrides are merged in
    councils: tuple[Council, ...] = ()  # every council file found beside the defaults

    def field_for(self, header_text: str) -> str | None:
        """The field a header cell names: a council's own header name first, then an exact header
        of any field, then the first field (in the file's order) with a pattern found in it; a
        bilingual header ("Archwiliad / Audit") that names nothing whole is tried part by part."""
        if len(header_text) > MAX_HEADER_CHARS:
            return None
        label = header_label(header_text)
        if label in self.columns:
            return None if self.columns[label] == UNMAPPED else self.columns[label]
        whole = self._field_for_label(label)
        if whole or "/" not in header_text:
            return whole
        for part in header_text.split("/"):
            found = self._field_for_label(header_label(part))
            if found:
                return found
        return None

    def _field_for_label(self, label: str) -> str | None:
        if not label:
            return None
        for rule in self.fields:
            if label in rule.headers:
                return rule.name
        for rule in self.fields:
            if any(p.search(label) for p in rule.patterns):
                return rule.name
        return None

    def is_noise(self, text: str) -> bool:
        label = text.strip().lower()
        return any(p.search(label) for p in self.noise.patterns)

    def is_totals(self, texts: list[str]) -> bool:
        """A row of totals under a table: its first text a totals label, the rest numbers."""
        label = normalise_label(texts[0]) if texts else ""
        return any(p.search(label) for p in self.noise.totals) and all(re.fullmatch(r"[\d.,%\s]+", t) for t in texts[1:])

    def for_council(self, council: str | None) -> Layouts:
        """These layouts with the council's own file merged over them, when it has one."""
        if not council:
            return self
        folded = normalise_label(council)
        for candidate in self.councils:
            if folded in candidate.names:
                return candidate.layouts
        return self


@dataclass(frozen=True, eq=False)
class Council:
    """One council's overrides, already merged over the defaults."""

    path: Path
    names: tuple[str, ...]  # the council's name and aliases, normalised
    layouts: Layouts


def _parse(raw: TomlTable, path: Path, problems: Problems) -> dict[str, Any]:
    known = {"fields", *_SECTIONS}
    for unknown in sorted(set(raw) - known):
        problems.add(unknown, f"unknown section (known: {', '.join(sorted(known))})")
    for missing in sorted(known - set(raw) - set(_OPTIONAL_SECTIONS)):
        problems.add(missing, "missing section")
    rules: list[FieldRule] = []
    field_tables = raw.get("fields", {})
    if not isinstance(field_tables, dict):
        problems.add("fields", "must be a table of fields")
        field_tables = {}
    for name, table in field_tables.items():
        if name not in FIELD_NAMES:
            problems.add(f"fields.{name}", f"unknown field (known: {', '.join(FIELD_NAMES)})")
            continue
        rule = _build(FieldRule, table, f"fields.{name}", problems, name=name)
        if rule is not None:
            rules.append(rule)
    sections = {name: _build(cls, raw.get(name, {}), name, problems) for name, cls in _SECTIONS.items()}
    header = sections["header"]
    if header is not None:
        for name in header.needs_any:
            if name not in field_tables:
                problems.add("header", f"key 'needs_any': {name!r} is not a field in [fields]")
    return {"fields": tuple(rules), **sections}


def parse_layouts(raw: TomlTable, path: Path) -> Layouts:
    """Typed layouts from the file's parsed TOML, or one LayoutsError listing every problem."""
    problems = Problems(path)
    parsed = _parse(raw, path, problems)
    problems.raise_any()
    return Layouts(path=path, **parsed)


def _merge(base: TomlTable, over: TomlTable) -> TomlTable:
    """A council's tables over the defaults: lists put the council's entries first (they win where
    order is precedence), tables merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = value + [v for v in base[key] if v not in value]
        else:
            merged[key] = value
    return merged


def _council(raw_defaults: TomlTable, path: Path, problems: Problems) -> Council | None:
    try:
        raw = _read(path)
    except LayoutsError as exc:
        problems.items.append(str(exc))
        return None
    return council_from_raw(raw_defaults, raw, path, problems)


def council_from_raw(raw_defaults: TomlTable, raw: TomlTable, path: Path, problems: Problems) -> Council | None:
    """One council's overrides (a councils/*.toml file's parsed TOML, or the store's override)
    merged over the defaults, or None with every problem added, each naming the key at fault."""
    raw = dict(raw)
    own = Problems(path)
    name = raw.pop("council", None)
    aliases = raw.pop("aliases", [])
    columns = raw.pop("columns", {})
    if not isinstance(name, str) or not name.strip():
        own.add("council", "missing key 'council' (the council's name, as given with --council)")
    if not _is_words(aliases):
        own.add("council", "key 'aliases' must be a list of strings")
        aliases = []
    mapped: dict[str, str] = {}
    if not isinstance(columns, dict):
        own.add("columns", "must be a table of header text = field")
    else:
        for header, target in columns.items():
            if target not in (*FIELD_NAMES, UNMAPPED):
                own.add("columns", f"key {header!r}: {target!r} is not a field (known: {', '.join(FIELD_NAMES)}, {UNMAPPED})")
            else:
                mapped[header_label(header)] = target
    for section in raw:
        if section != "fields" and section not in _SECTIONS:
            own.add(section, f"unknown section (known: council, aliases, columns, fields, {', '.join(_SECTIONS)})")
    parsed = _parse(_merge(raw_defaults, {k: v for k, v in raw.items() if k == "fields" or k in _SECTIONS}), path, own)
    problems.items.extend(f"{path}: {item}" for item in own.items)
    if own.items or not isinstance(name, str):
        return None
    layouts = Layouts(path=path, columns=mapped, council=name, **parsed)
    names = tuple(normalise_label(n) for n in [name, *aliases])
    return Council(path=path, names=names, layouts=layouts)


def _read(path: Path) -> TomlTable:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise LayoutsError(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise LayoutsError(f"{path}: not valid TOML ({exc})") from None


def load_layouts(path: Path | None = None, councils: Path | None = None) -> Layouts:
    """The layouts file (by default etl/layouts/layouts.toml, or the file named by the environment
    variable SLIPPAGE_LAYOUTS) and the council files beside it (councils/*.toml), read and
    validated once per process. Every problem in any of them is one LayoutsError."""
    return _load(Path(path or settings.LAYOUTS.value()), councils)


@cache
def _load(path: Path, councils: Path | None) -> Layouts:
    raw = _read(path)
    defaults = parse_layouts(raw, path)
    folder = Path(councils) if councils is not None else path.with_name("councils")
    problems = Problems(path)
    found = [c for file in sorted(folder.glob("*.toml")) if (c := _council(raw, file, problems)) is not None]
    if problems.items:
        raise LayoutsError("; ".join(problems.items))
    seen: dict[str, Path] = {}
    for council in found:
        for name in council.names:
            if name in seen:
                raise LayoutsError(f"{council.path}: council {name!r} is also in {seen[name]}")
            seen[name] = council.path
    everything = tuple(Council(c.path, c.names, replace(c.layouts, councils=())) for c in found)
    return replace(defaults, councils=everything)


def compile_any(patterns: tuple[re.Pattern[str], ...] | list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of the given ones."""
    sources = [p.pattern if isinstance(p, re.Pattern) else p for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in sources), re.IGNORECASE)
