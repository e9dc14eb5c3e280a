"""A document's records as the assembler finds them, before any field is interpreted: each the
clean text of its table's columns, with the table's header and the field each column maps to.
The assembler makes them, the long-format folding (etl/long_format.py) joins them, the interpreter
reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.extract.rows import Row


@dataclass
class Table:
    headers: list[str]
    fields: list[str | None]  # one per column; None where the layouts know no field


@dataclass
class RawRecord:
    table: Table
    columns: list[str]  # clean text per column of its table
    page: int | None
    section: str | None
    record_no: int = 0
    sheet: str | None = None  # the name of the workbook sheet it stands on, where sheets name their rows
    headings: tuple[str, ...] = ()  # the lines printed together above its table, the section last
    rows: list[Row] = field(default_factory=list)  # the rows read into it, for the self-check's accounting

    def text(self, name: str) -> str:
        """The record's text for one field (columns mapped to the same field are joined)."""
        parts = [c for f, c in zip(self.table.fields, self.columns) if f == name and c]
        return "\n".join(parts)

    def has(self, name: str) -> bool:
        return name in self.table.fields
