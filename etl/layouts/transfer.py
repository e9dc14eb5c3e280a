"""`python -m etl layout show|export|import COUNCIL [FILE]`: a council's layout override moved
between stores as TOML (the format of etl/layouts/councils/*.toml), and shown with its history."""

from __future__ import annotations

import sys
from pathlib import Path

from etl.layouts.config import LayoutsError
from etl.store import layout_overrides
from etl.store.store import Store


def _history_lines(versions: list[layout_overrides.Version]) -> list[str]:
    return [
        f"  version {v.version}: {v.saved_at:%d %b %Y %H:%M} by {v.saved_by}"
        f"{' (no override)' if not v.text.strip() else ''}{f' - {v.note}' if v.note else ''}"
        for v in versions
    ]


def show(db: Path, council: str) -> int:
    """The override that applies to the council, then every version of it."""
    if not db.exists():
        print(f"refused: no store at {db}", file=sys.stderr)
        return 1
    versions = layout_overrides.read_history(db, council)
    now = versions[0] if versions and versions[0].text.strip() else None
    if now is None:
        print(f"{council}: no layout override in {db}; files are read with the shipped layouts", file=sys.stderr)
    else:
        sys.stdout.write(now.text if now.text.endswith("\n") else now.text + "\n")
    if versions:
        print("\n".join([f"history of {council}'s layout override, newest first:", *_history_lines(versions)]), file=sys.stderr)
    return 0


def export(db: Path, council: str, file: Path | None) -> int:
    """The override that applies, as TOML: into FILE, or on standard output."""
    now = layout_overrides.read_current(db, council)
    if now is None:
        print(f"refused: {council} has no layout override in {db}", file=sys.stderr)
        return 1
    if file is None:
        sys.stdout.write(now.text)
    else:
        file.write_text(now.text, encoding="utf-8")
        print(f"{council}: layout override version {now.version} ({now.saved_by}, {now.saved_at:%d %b %Y}) -> {file}", file=sys.stderr)
    return 0


def import_(db: Path, council: str, file: Path, by: str) -> int:
    """FILE read in as the council's next version, once it is checked; refused (nothing saved) if not."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"refused: {file} cannot be read ({exc})", file=sys.stderr)
        return 1
    try:
        with Store(db).writing() as con:
            version = layout_overrides.save(con, council, text, by, f"imported from {file.name}")
    except LayoutsError as exc:
        print(f"refused: {file}: {exc}; nothing was saved", file=sys.stderr)
        return 1
    print(f"{council}: layout override version {version} from {file} -> {db}", file=sys.stderr)
    return 0
