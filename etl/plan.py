"""Which files a load reads, each with its council, report date and title: the command line
over a manifest; a folder's manifest.toml read when no manifest is named. In a folder, a file of a
kind slippage does not read (a README, slides) is skipped and named; a file named on the command
line must be one it reads, and a folder must hold at least one."""

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
    skipped: str | None = None  # why a file found in a folder is not an appendix, and left alone
    digest: str | None = None  # the content hash, computed once by the load and handed to the parse


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
    jobs = []
    for given in paths:
        if manifest is None and given.is_dir() and (given / "manifest.toml").exists():
            manifests.update(read_manifest(given / "manifest.toml"))
        if not given.exists():
            jobs.append(Job(given, FileSettings(), "no such file or folder"))
            continue
        found = [_job(file, manifests, council, as_at, in_folder=given.is_dir()) for file in _walk(given)]
        if given.is_dir() and all(job.skipped for job in found):
            found.append(
                Job(
                    given,
                    FileSettings(),
                    f"no appendix files found in {given} (looked for "
                    f"{', '.join(supported_suffixes())}): name the files, or the folder "
                    f"that holds them",
                )
            )
        jobs.extend(found)
    return jobs


def _job(file: Path, manifests: dict[Path, FileSettings], council: str | None, as_at: date | None, in_folder: bool) -> Job:
    listed = manifests.get(file.resolve(), FileSettings())
    settings = FileSettings(council or listed.council, as_at or listed.as_at, listed.title)
    suffix = file.suffix.lower()
    if suffix not in supported_suffixes():
        if in_folder:
            kind = suffix or "a name without a suffix"
            return Job(file, settings, skipped=f"{kind} is not a kind of appendix slippage reads; left alone")
        return Job(file, settings, unsupported(suffix))
    if not settings.council:
        return Job(file, settings, "no council given: use --council NAME, a manifest entry, or the admin app's upload form")
    return Job(file, settings)
