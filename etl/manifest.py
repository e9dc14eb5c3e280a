"""Manifests: per-file council, as-at date and title, in TOML beside the appendices.

A manifest is the command line's --council/--as-at written per file, so a mistake in it is a
mistake in the command: an unknown key (`counsil`), a file that is not there, a value of the
wrong kind. Each is a ManifestError naming the manifest's line, and the load refuses to start
(exit 2), because a file loaded under a misread entry (no council, an inferred date) would be
stored wrong and a corrected re-run would find it already loaded."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import Any

KEYS = ("file", "council", "as_at", "title")
_TABLE = re.compile(r"^\s*\[\[\s*report\s*\]\]")


@dataclass(frozen=True)
class FileSettings:
    council: str | None = None
    as_at: date | None = None
    title: str | None = None
    layout: str | None = None  # the council's layout override in the store (TOML), read by the load


class ManifestError(ValueError):
    pass


def read_manifest(path: Path) -> dict[Path, FileSettings]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc}") from None
    lines = text.splitlines()
    for key in data:
        if key != "report":
            raise ManifestError(
                f"{_where(path, lines, 0, key)}: unknown entry {key!r}{_did_you_mean(key, ('report',))}: "
                f"each file is a [[report]] table with the keys {', '.join(KEYS)}"
            )
    entries = data.get("report", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ManifestError(f"{path}: 'report' must be [[report]] tables, one per file")
    settings: dict[Path, FileSettings] = {}
    starts = [n for n, line in enumerate(lines, start=1) if _TABLE.match(line)]
    for number, entry in enumerate(entries, start=1):
        start = starts[number - 1] if len(starts) == len(entries) else 0
        file, found = _entry(path, lines, start, number, entry)
        if file in settings:
            raise ManifestError(f"{_where(path, lines, start, 'file')}: {entry['file']!r} is named twice in the manifest")
        settings[file] = found
    return settings


def _entry(path: Path, lines: list[str], start: int, number: int, entry: dict[str, Any]) -> tuple[Path, FileSettings]:
    """One [[report]] table checked: known keys, values of the right kind, a file that is there."""
    for key, value in entry.items():
        where = _where(path, lines, start, key)
        if key not in KEYS:
            raise ManifestError(f"{where}: unknown key {key!r}{_did_you_mean(key, KEYS)} (the keys are {', '.join(KEYS)})")
        if key != "as_at" and not (isinstance(value, str) and value.strip()):
            raise ManifestError(f"{where}: {key} must be a non-empty quoted text, not {value!r}")
    if "file" not in entry:
        raise ManifestError(f"{_where(path, lines, start, None)}: [[report]] number {number} has no 'file'")
    file = (path.parent / entry["file"]).resolve()
    if not file.is_file():
        what = "is a folder, not a file" if file.is_dir() else "no such file"
        raise ManifestError(f"{_where(path, lines, start, 'file')}: file = {entry['file']!r}: {what} (looked for {file})")
    return file, FileSettings(entry.get("council"), _as_at(entry.get("as_at"), _where(path, lines, start, "as_at")), entry.get("title"))


def _as_at(value: object, where: str) -> date | None:
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ManifestError(f"{where}: as_at {value!r} is not a YYYY-MM-DD date")


def _where(path: Path, lines: list[str], start: int, key: str | None) -> str:
    """`manifest.toml line N`: the line of the key within the table that starts at line `start`
    (the table's own line when the key is not found, the file alone when neither is known)."""
    if start and key:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start + 1, len(lines) + 1):
            if _TABLE.match(lines[number - 1]):
                break
            if pattern.match(lines[number - 1]):
                return f"{path} line {number}"
    if not start and key:
        pattern = re.compile(rf"^\s*\[*\s*[\"']?{re.escape(key)}[\"']?\s*(?:=|\]|\.)")
        found = next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 0)
        return f"{path} line {found}" if found else str(path)
    return f"{path} line {start}" if start else str(path)


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    close = get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
