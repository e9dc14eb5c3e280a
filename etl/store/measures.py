"""The catalogue of measures (sql/measures.toml): one entry per figure of a group of records, from
which the slippage_measures macro, the labels, help and formats of every page, pack and export, and
the tables of docs/measures.md are made.

`python -m etl.store.measures` rewrites sql/marts/slippage_measures.sql and the catalogue's part
of docs/measures.md from it; tests/test_measures.py checks both committed files match."""

from __future__ import annotations

import functools
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "sql" / "measures.toml"
MACRO_FILE = ROOT / "sql" / "marts" / "slippage_measures.sql"
DOCS_FILE = ROOT / "docs" / "measures.md"
DOCS_START = "<!-- catalogue: written by `python -m etl.store.measures` from sql/measures.toml; do not edit -->"
DOCS_END = "<!-- end of catalogue -->"

POPULATIONS = {"all": "every record of the group", "open": "open records (`status = 'open'`)"}
FORMATS = ("count", "share", "days", "decimal")
DIRECTIONS = ("lower", "higher")
_FIELDS = ("name", "population", "sql", "label", "help", "format", "unit", "better")


class CatalogueError(ValueError):
    """The catalogue cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str  # SQL literal
    help: str


@dataclass(frozen=True)
class Measure:
    name: str
    population: str  # a key of POPULATIONS
    sql: str  # an aggregate over the group's records, each record `rec`
    label: str
    help: str
    format: str  # one of FORMATS
    unit: str
    better: str  # one of DIRECTIONS


@dataclass(frozen=True)
class Catalogue:
    measures: tuple[Measure, ...]
    parameters: tuple[Parameter, ...]
    meeting_months: int

    def __getitem__(self, name: str) -> Measure:
        for measure in self.measures:
            if measure.name == name:
                return measure
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [measure.name for measure in self.measures]

    def parameter(self, name: str) -> Parameter:
        return next(parameter for parameter in self.parameters if parameter.name == name)


def _measure(entry: dict[str, Any], where: str) -> Measure:
    missing = [name for name in _FIELDS if not isinstance(entry.get(name), str) or not entry[name].strip()]
    unknown = sorted(set(entry) - set(_FIELDS))
    if missing or unknown:
        raise CatalogueError(
            f"{where}: "
            + "; ".join(
                ([f"missing or empty {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(unknown)}"] if unknown else [])
            )
        )
    measure = Measure(**{name: entry[name].strip() for name in _FIELDS})
    for value, allowed, what in (
        (measure.population, POPULATIONS, "population"),
        (measure.format, FORMATS, "format"),
        (measure.better, DIRECTIONS, "better"),
    ):
        if value not in allowed:
            raise CatalogueError(f"{where}: {what} {value!r} is not one of {', '.join(allowed)}")
    return measure


def read(path: Path = CATALOGUE) -> Catalogue:
    """The catalogue in `path`, or CatalogueError naming what is wrong: a missing field, an unknown
    population, format or direction, or a name or label given twice."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from None
    measures = tuple(_measure(entry, f"{path.name}, measure {number}") for number, entry in enumerate(spec.get("measure", []), start=1))
    for field in ("name", "label"):
        seen = [getattr(measure, field) for measure in measures]
        if twice := sorted({value for value in seen if seen.count(value) > 1}):
            raise CatalogueError(f"{path.name}: the {field} {', '.join(map(repr, twice))} is given to more than one measure")
    parameters = tuple(Parameter(name, str(given["default"]), given["help"]) for name, given in spec.get("parameters", {}).items())
    return Catalogue(measures, parameters, int(spec.get("defaults", {}).get("meeting_months", 3)))


@functools.cache
def catalogue() -> Catalogue:
    """The project's catalogue, read once."""
    return read()


def macro_sql(given: Catalogue) -> str:
    """sql/marts/slippage_measures.sql: one struct field per measure, in catalogue order."""
    arguments = ", ".join(["rec", *(f"{p.name} := {p.default}" for p in given.parameters)])
    fields = ",\n".join(f"    {m.name} := {m.sql.format(meeting_months=given.meeting_months)}" for m in given.measures)
    return (
        f"-- slippage_measures(rec, {', '.join(f'{p.name} := {p.default}' for p in given.parameters)}): every measure of "
        "the catalogue (sql/measures.toml) over a group of records, as one struct (an aggregate: call it in a grouped "
        "SELECT with the row, e.g. slippage_measures(d) FROM slippage_detail d, and unnest it).\n"
        "-- Written by `python -m etl.store.measures` from sql/measures.toml: change the catalogue, not this file.\n"
        f"CREATE OR REPLACE MACRO slippage_measures({arguments}) AS\nstruct_pack(\n{fields});\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def docs_tables(given: Catalogue) -> str:
    """The catalogue as docs/measures.md shows it: every measure, then the parameters."""
    lines = ["| measure | label | records | formula | shown as | a change is better when |", "|---|---|---|---|---|---|"]
    lines += [
        f"| `{m.name}` | {_cell(m.label)}: {_cell(m.help)} | {POPULATIONS[m.population]} | "
        f"`{_cell(m.sql.format(meeting_months=given.meeting_months))}` | {m.format} ({m.unit}) | {m.better} |"
        for m in given.measures
    ]
    lines += ["", "| parameter | default | meaning |", "|---|---|---|"]
    lines += [f"| `{p.name}` | `{p.default}` | {_cell(p.help)} |" for p in given.parameters]
    return "\n".join(lines)


def docs_text(current: str, given: Catalogue) -> str:
    """docs/measures.md with its catalogue part (between DOCS_START and DOCS_END) written from `given`."""
    before, start, rest = current.partition(DOCS_START)
    _, end, after = rest.partition(DOCS_END)
    if not start or not end:
        raise CatalogueError(f"{DOCS_FILE.name}: no '{DOCS_START}' ... '{DOCS_END}' part to write the catalogue into")
    return f"{before}{DOCS_START}\n{docs_tables(given)}\n{DOCS_END}{after}"


def write(given: Catalogue | None = None, macro_file: Path = MACRO_FILE, docs_file: Path = DOCS_FILE) -> list[Path]:
    """Rewrite the macro and the docs from the catalogue; the files that changed."""
    given = given or read()
    changed = []
    for path, text in ((macro_file, macro_sql(given)), (docs_file, docs_text(docs_file.read_text(encoding="utf-8"), given))):
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main() -> int:
    try:
        changed = write()
    except CatalogueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(f"wrote {path.relative_to(ROOT)}" for path in changed) or "up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
