"""The layouts file: which header text means which field, and the vocabularies used to read cells."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.interpret.cleantext import normalise_label

LAYOUTS_FILE = Path(__file__).with_name("layouts.toml")


@dataclass(frozen=True)
class Layouts:
    raw: dict
    exact: dict[str, str]
    patterns: list[tuple[re.Pattern, str]]
    noise: list[re.Pattern]

    def field_for(self, header_text: str) -> str | None:
        label = normalise_label(header_text)
        if not label:
            return None
        if label in self.exact:
            return self.exact[label]
        for pattern, field in self.patterns:
            if pattern.search(label):
                return field
        return None

    def is_noise(self, text: str) -> bool:
        label = text.strip().lower()
        return any(p.search(label) for p in self.noise)

    def section(self, name: str) -> dict:
        return self.raw[name]


@cache
def load_layouts(path: Path = LAYOUTS_FILE) -> Layouts:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern, str]] = []
    for field, spec in raw["fields"].items():
        for header in spec.get("headers", []):
            exact.setdefault(normalise_label(header), field)
        patterns.extend((re.compile(p), field) for p in spec.get("patterns", []))
    noise = [re.compile(p) for p in raw["noise"]["patterns"]]
    return Layouts(raw, exact, patterns, noise)


def compile_any(phrases: list[str]) -> re.Pattern:
    """One case-insensitive pattern matching any of the phrases (themselves regular expressions)."""
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)
