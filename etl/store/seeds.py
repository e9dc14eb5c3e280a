"""Reference data kept as CSV in sql/seeds/ (dbt's seeds): risk levels, ageing bands, change kinds.

One source for SQL and Python alike: every write loads each CSV into the store as a table
(seed_risk_levels, seed_ageing_bands, seed_change_kinds) that the views join to, and the dashboard
reads the same files through risk_levels(), ageing_bands() and change_kinds(), rows in sort order."""

from __future__ import annotations

import csv
import dataclasses
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

SEEDS_DIR = Path(__file__).resolve().parents[2] / "sql" / "seeds"


class SeedError(ValueError):
    """A seed file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class RiskLevel:
    level: str  # as stored in recommendations.risk_level, or '(none)' (none_label()) for a missing one
    sort_order: int  # most severe first
    label: str  # for people
    colour: str  # #rrggbb, the same on every chart and in the pack


@dataclass(frozen=True)
class AgeingBand:
    band: str  # as stored in slippage_detail.ageing_band
    sort_order: int  # least aged first
    lower_days: int | None  # days past the original target, inclusive; None: no lower bound
    upper_days: int | None  # inclusive; None: no upper bound


@dataclass(frozen=True)
class ChangeKind:
    kind: str  # as stored in movement_by_report.change
    sort_order: int  # the order pages list changes in
    label: str  # the one wording every page, the committee view and its pack use


class SeedRow(Protocol):
    """What a seed's row type is: a dataclass with a sort order."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @property
    def sort_order(self) -> int: ...


Row = TypeVar("Row", bound=SeedRow)


@dataclass(frozen=True)
class Seed(Generic[Row]):
    table: str
    file: str
    row_type: type[Row]
    description: str

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(column, DuckDB type) of the seed's table, from the row type's fields."""
        return [(f.name, _sql_type(f.name, self.row_type)) for f in dataclasses.fields(self.row_type)]


RISK_LEVELS = Seed(
    "seed_risk_levels",
    "risk_levels.csv",
    RiskLevel,
    "one row per risk level (with '(none)' for a missing one): its order, label and colour",
)
AGEING_BANDS = Seed(
    "seed_ageing_bands",
    "ageing_bands.csv",
    AgeingBand,
    "one row per ageing band: its order and its bounds in days past the original target (inclusive)",
)
CHANGE_KINDS = Seed(
    "seed_change_kinds",
    "change_kinds.csv",
    ChangeKind,
    "one row per kind of change between two reports (movement_by_report.change): its order and labels",
)
SEEDS: tuple[Seed[Any], ...] = (RISK_LEVELS, AGEING_BANDS, CHANGE_KINDS)


def _sql_type(name: str, row_type: type) -> str:
    hint = typing.get_type_hints(row_type)[name]
    parts = set(typing.get_args(hint)) - {type(None)} if isinstance(hint, types.UnionType) else {hint}
    return "INTEGER" if parts == {int} else "VARCHAR"


def read_seed(seed: Seed[Row], folder: Path | None = None) -> list[Row]:
    """The seed's rows, typed, in sort order. The header must name the row type's fields, in order."""
    path = (folder or SEEDS_DIR) / seed.file
    fields = [f.name for f in dataclasses.fields(seed.row_type)]
    types_ = dict(seed.columns)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != fields:
            raise SeedError(f"{path.name}: the header must be {','.join(fields)}, not {','.join(header or [])}")
        rows = []
        for line_no, cells in enumerate(reader, start=2):
            if len(cells) != len(fields):
                raise SeedError(f"{path.name} line {line_no}: {len(cells)} cells, expected {len(fields)}")
            values: dict[str, int | str | None] = {}
            for name, cell in zip(fields, cells):
                if types_[name] == "INTEGER":
                    try:
                        values[name] = int(cell) if cell.strip() else None
                    except ValueError:
                        raise SeedError(f"{path.name} line {line_no}: {name} must be a whole number, not {cell!r}") from None
                else:
                    values[name] = cell
            rows.append(seed.row_type(**values))
    orders = [row.sort_order for row in rows]
    if None in orders or len(set(orders)) != len(orders):
        raise SeedError(f"{path.name}: every row needs its own sort_order")
    return sorted(rows, key=lambda row: row.sort_order)


def risk_levels(folder: Path | None = None) -> list[RiskLevel]:
    return read_seed(RISK_LEVELS, folder)


def ageing_bands(folder: Path | None = None) -> list[AgeingBand]:
    return read_seed(AGEING_BANDS, folder)


def change_kinds(folder: Path | None = None) -> list[ChangeKind]:
    return read_seed(CHANGE_KINDS, folder)
