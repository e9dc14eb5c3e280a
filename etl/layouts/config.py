"""The layouts file as typed, validated data: which header text means which field, and every
vocabulary used to read cells (risk labels, status words, TBC words, as-at phrases, update stamps).

layouts.toml is read once into frozen dataclasses, one per section. Anything wrong in it (an unknown
key, a missing key, a value of the wrong type, a regular expression that does not compile) is one
LayoutsError naming the file and every key at fault, raised when the file is loaded, never a
KeyError half-way through a load."""
from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from etl.interpret.cleantext import normalise_label

LAYOUTS_FILE = Path(__file__).with_name("layouts.toml")


class LayoutsError(ValueError):
    """The layouts file is wrong; the message names the file and each key at fault."""


# -- the schema: each section a frozen dataclass; each key's kind in its field metadata ----------

def _key(kind: str, default: Any = MISSING) -> Any:
    from dataclasses import field
    return field(default=default, metadata={"kind": kind})


@dataclass(frozen=True)
class FieldRule:
    """How one record field is recognised in a header cell."""
    name: str
    headers: tuple[str, ...] = _key("labels")      # exact header text, normalised
    patterns: tuple[re.Pattern, ...] = _key("patterns", ())


@dataclass(frozen=True)
class HeaderRules:
    min_mapped: int = _key("int")
    max_words: int = _key("int")
    needs_any: tuple[str, ...] = _key("words")


@dataclass(frozen=True)
class NoiseRules:
    patterns: tuple[re.Pattern, ...] = _key("patterns")


@dataclass(frozen=True)
class RiskRules:
    critical: tuple[str, ...] = _key("labels")
    high: tuple[str, ...] = _key("labels")
    medium: tuple[str, ...] = _key("labels")
    low: tuple[str, ...] = _key("labels")


@dataclass(frozen=True)
class RiskFromTitleRules:
    patterns: tuple[re.Pattern, ...] = _key("patterns")


@dataclass(frozen=True)
class StatusRules:
    closed: tuple[str, ...] = _key("labels")
    implemented: tuple[str, ...] = _key("labels")
    open: tuple[str, ...] = _key("labels")
    implemented_document: tuple[re.Pattern, ...] = _key("patterns")
    label_max_words: int = _key("int")


@dataclass(frozen=True)
class TargetRules:
    current: tuple[re.Pattern, ...] = _key("patterns")
    previous_cycles: tuple[re.Pattern, ...] = _key("patterns")
    previous_cycles_newest_first: bool = _key("bool")
    extension: tuple[re.Pattern, ...] = _key("patterns")
    tbc: tuple[re.Pattern, ...] = _key("patterns")
    none: tuple[str, ...] = _key("labels")
    filler_words: tuple[str, ...] = _key("words")
    prose_min_words: int = _key("int")


@dataclass(frozen=True)
class UpdateRules:
    no_fresh_update: tuple[re.Pattern, ...] = _key("patterns")
    stamp_from_statement: re.Pattern = _key("pattern")
    stamp: re.Pattern = _key("pattern")


@dataclass(frozen=True)
class DateRules:
    as_at: re.Pattern = _key("pattern")


@dataclass(frozen=True)
class DirectorateRules:
    known: tuple[str, ...] = _key("words")


_SECTIONS: dict[str, type] = {
    "header": HeaderRules, "noise": NoiseRules, "risk": RiskRules, "risk_from_title": RiskFromTitleRules,
    "status": StatusRules, "targets": TargetRules, "updates": UpdateRules, "dates": DateRules,
    "directorates": DirectorateRules,
}

# A pattern may name the month names instead of spelling them out.
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "sept", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
               "sep", "oct", "nov", "dec")
_MONTH_ALTERNATION = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"[{where}] {message}")

    def raise_any(self) -> None:
        if self.items:
            raise LayoutsError(f"{self.path}: " + "; ".join(self.items))


def _compile(text: str, where: str, key: str, problems: _Problems) -> re.Pattern | None:
    try:
        return re.compile(text.replace("{month}", _MONTH_ALTERNATION), re.IGNORECASE)
    except re.error as exc:
        problems.add(where, f"key '{key}': bad regular expression {text!r} ({exc})")
        return None


def _value(kind: str, value: Any, where: str, key: str, problems: _Problems) -> Any:
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
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return wrong("a list of strings")
    if kind == "words":
        return tuple(value)
    if kind == "labels":
        return tuple(normalise_label(v) for v in value)
    compiled = [_compile(v, where, key, problems) for v in value]
    return tuple(p for p in compiled if p is not None)


def _build(cls: type, table: Any, where: str, problems: _Problems, **given: Any) -> Any:
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
            values[name] = spec.default
        else:
            problems.add(where, f"missing key '{name}'")
            complete = False
    return cls(**values) if complete else None


# -- the loaded file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layouts:
    path: Path
    fields: tuple[FieldRule, ...]   # in the file's order, which is their precedence
    header: HeaderRules
    noise: NoiseRules
    risk: RiskRules
    risk_from_title: RiskFromTitleRules
    status: StatusRules
    targets: TargetRules
    updates: UpdateRules
    dates: DateRules
    directorates: DirectorateRules

    def field_for(self, header_text: str) -> str | None:
        """The field a header cell names: an exact header of any field first, then the first
        field (in the file's order) with a pattern found in it."""
        label = normalise_label(header_text)
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


def parse_layouts(raw: dict, path: Path) -> Layouts:
    """Typed layouts from the file's parsed TOML, or one LayoutsError listing every problem."""
    problems = _Problems(path)
    known = {"fields", *_SECTIONS}
    for unknown in sorted(set(raw) - known):
        problems.add(unknown, f"unknown section (known: {', '.join(sorted(known))})")
    for missing in sorted(known - set(raw)):
        problems.add(missing, "missing section")
    rules: list[FieldRule] = []
    field_tables = raw.get("fields", {})
    if not isinstance(field_tables, dict):
        problems.add("fields", "must be a table of fields")
        field_tables = {}
    for name, table in field_tables.items():
        rule = _build(FieldRule, table, f"fields.{name}", problems, name=name)
        if rule is not None:
            rules.append(rule)
    sections = {name: _build(cls, raw.get(name, {}), name, problems) for name, cls in _SECTIONS.items()}
    header = sections["header"]
    if header is not None:
        for name in header.needs_any:
            if name not in field_tables:
                problems.add("header", f"key 'needs_any': {name!r} is not a field in [fields]")
    problems.raise_any()
    return Layouts(path=path, fields=tuple(rules), **sections)


@cache
def load_layouts(path: Path = LAYOUTS_FILE) -> Layouts:
    """The layouts file, read and validated once per process."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise LayoutsError(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise LayoutsError(f"{path}: not valid TOML ({exc})") from None
    return parse_layouts(raw, path)


def compile_any(patterns: tuple[re.Pattern, ...] | list[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of the given ones."""
    sources = [p.pattern if isinstance(p, re.Pattern) else p for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in sources), re.IGNORECASE)
