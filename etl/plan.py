"""Which files a load reads, each with its council, report date and title: the command line
over a manifest; a folder's manifest.toml read when no manifest is named."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.extract.registry import supported_suffixes, unsupported
from etl.manifest import FileSettings, read_manifest


@dataclass
class Job:
    path: Path
    settings: FileSettings
    problem: str | None = None  # why the file cannot be loaded, known before reading it


def _walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith(".") and child.suffix.lower() != ".toml":
                yield child
    else:
        yield path


def plan(paths: list[Path], council: str | None, as_at: date | None, manifest: Path | None) -> list[Job]:
    manifests: dict[Path, FileSettings] = {}
    if manifest is not None:
        manifests.update(read_manifest(manifest))
    suffixes = set(supported_suffixes())
    jobs = []
    for given in paths:
        if manifest is None and given.is_dir() and (given / "manifest.toml").exists():
            manifests.update(read_manifest(given / "manifest.toml"))
        if not given.exists():
            jobs.append(Job(given, FileSettings(), "no such file or folder"))
            continue
        for file in _walk(given):
            listed = manifests.get(file.resolve(), FileSettings())
            settings = FileSettings(council or listed.council, as_at or listed.as_at, listed.title)
            problem = None
            if file.suffix.lower() not in suffixes:
                problem = unsupported(file.suffix.lower())
            elif not settings.council:
                problem = "no council given: use --council NAME, a manifest entry, or the Data page's upload form"
            jobs.append(Job(file, settings, problem))
    return jobs
