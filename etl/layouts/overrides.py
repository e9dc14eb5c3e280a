"""A council's layout override: what an admin taught the reader about one council's papers (which
column is which field, what a priority label or a status word means, which tables and rows hold no
records), kept in the store
(etl/store/layout_overrides.py) rather than in the code base.

An override is TOML in the format of etl/layouts/councils/*.toml. It is merged over the council's
shipped file, if there is one, which is merged over layouts.toml: the shipped files stay defaults
beneath the store's. An override is checked exactly as a shipped file is (a pattern that does not
compile, a field that does not exist, an unknown key): one LayoutsError naming each key at fault."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from etl.cleantext import normalise_label
from etl.layouts.config import (
    STATUSES,
    Layouts,
    LayoutsError,
    Problems,
    _merge,
    _read,
    council_from_raw,
    load_layouts,
)

HEADER = (
    "# slippage layout override for {council}: the format of etl/layouts/councils/*.toml\n"
    '# (see etl/layouts/councils/README.md). [columns]: header text as printed = field, or "unmapped";\n'
    "# [risk] key: label as printed = critical | high | medium | low; [status]: words that mean\n"
    "# closed, implemented or open; [records]: tables (by header row as printed) and rows left out.\n"
    "# Read in with: python -m etl layout import COUNCIL FILE\n"
)


def source_name(council: str) -> Path:
    """What a message calls the store's override (it has no file)."""
    return Path(f"the store's layout override for {council}")


def read_text(text: str, council: str) -> dict[str, Any]:
    """The override's TOML as a table, or a LayoutsError saying where it is not valid TOML."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutsError(f"{source_name(council)}: not valid TOML ({exc})") from None
    given = raw.get("council")
    if given is not None and not isinstance(given, str):
        raise LayoutsError(f"{source_name(council)}: [council] key 'council' must be the council's name")
    return raw


def _shipped_raw(defaults: Layouts, council: str) -> dict[str, Any]:
    """The council's shipped file (etl/layouts/councils/) as TOML, or an empty table."""
    shipped = defaults.for_council(council)
    return _read(shipped.path) if shipped is not defaults else {}


def _without_taught_words(raw_defaults: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """The defaults with each status word the council gives a meaning taken from the other meanings,
    so what the admin taught is what the word means (a list merge alone would keep both)."""
    taught = override.get("status")
    status = raw_defaults.get("status")
    if not isinstance(taught, dict) or not isinstance(status, dict):
        return raw_defaults
    kept = dict(status)
    for meaning in STATUSES:
        words = taught.get(meaning)
        if not isinstance(words, list):
            continue
        given = {normalise_label(str(word)) for word in words}
        for other in STATUSES:
            if other != meaning and isinstance(kept.get(other), list):
                kept[other] = [w for w in kept[other] if normalise_label(str(w)) not in given]
    return {**raw_defaults, "status": kept}


def layouts_with(council: str, text: str | None, defaults: Layouts | None = None) -> Layouts:
    """The layouts a file of this council is read with: the defaults, the council's shipped file,
    then the store's override (when given). LayoutsError naming every key at fault."""
    defaults = defaults or load_layouts()
    if not text or not text.strip():
        return defaults.for_council(council)
    override = read_text(text, council)
    override.pop("council", None)
    merged = _merge(_shipped_raw(defaults, council), override)
    merged["council"] = council
    problems = Problems(source_name(council))
    built = council_from_raw(_without_taught_words(_read(defaults.path), merged), merged, source_name(council), problems)
    if problems.items or built is None:  # each item already names the override
        raise LayoutsError("; ".join(problems.items) or f"{source_name(council)}: cannot be read")
    return replace(built.layouts, councils=())


def check(text: str, council: str) -> None:
    """Refuse an override that would not read (LayoutsError naming each key at fault)."""
    layouts_with(council, text)


# -- writing an override as TOML --------------------------------------------------------------


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _value(text)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + " }"
    raise LayoutsError(f"a layout override cannot hold {type(value).__name__} {value!r}")


def to_toml(council: str, override: dict[str, Any]) -> str:
    """An override table as documented TOML: the council's name first, then one section per table."""
    lines = [HEADER.format(council=council), f"council = {_value(council)}"]
    plain = {k: v for k, v in override.items() if not isinstance(v, dict) and k != "council"}
    lines += [f"{key} = {_value(value)}" for key, value in plain.items()]
    for section, table in override.items():
        if isinstance(table, dict) and table:
            lines += ["", f"[{section}]"]
            lines += [f"{_key(str(key))} = {_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"
