"""Manifests: per-file council, as-at date and title, in TOML beside the appendices."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path


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
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc}") from None
    settings: dict[Path, FileSettings] = {}
    for number, entry in enumerate(data.get("report", []), start=1):
        if "file" not in entry:
            raise ManifestError(f"{path}: [[report]] number {number} has no 'file'")
        as_at = entry.get("as_at")
        if isinstance(as_at, str):
            try:
                as_at = date.fromisoformat(as_at)
            except ValueError:
                raise ManifestError(f"{path}: as_at {as_at!r} is not a YYYY-MM-DD date") from None
        file = (path.parent / entry["file"]).resolve()
        settings[file] = FileSettings(entry.get("council"), as_at, entry.get("title"))
    return settings
