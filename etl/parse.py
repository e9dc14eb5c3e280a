"""One appendix file to one parsed report: extract rows, assemble records, map and interpret fields.

No database here: the result is plain data that `load` writes in one transaction."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from etl.assemble import NoTableError, assemble
from etl.extract.kind import Progress
from etl.extract.registry import kind_for
from etl.extract.rows import ExtractError, check_cells
from etl.interpret.report import ParsedReport, interpret
from etl.interpret.report import ParseError as ParseError  # part of this module's interface: parse_file raises it
from etl.layouts.config import Layouts, load_layouts
from etl.selfcheck import check_reading, document_warnings


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(
    path: Path,
    council: str,
    as_at: date | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    layouts: Layouts | None = None,
    pages_read: list[Any] | None = None,
    digest: str | None = None,
    list_tables: bool = False,
) -> ParsedReport:
    """The file as a parsed report, or a ParseError with the one line a user sees. A file split
    into pages may come with its pages already read (by parallel workers), and a file a load has
    hashed with its content hash (`digest`), so the file is read for it once. `list_tables`: the
    report lists every table found, left out or not (the admin app's preview)."""
    layouts = (layouts or load_layouts()).for_council(council)
    if not path.exists():
        raise ParseError("no such file")
    if path.stat().st_size == 0:
        raise ParseError("the file is empty")
    pages: int | None
    try:
        kind = kind_for(path)
        if pages_read is not None and kind.pages is not None:
            rows, pages = kind.pages.rows(pages_read), len(pages_read)
        else:
            rows, pages = kind.read(path, progress)
        check_cells(rows)
        assembled = assemble(rows, layouts, list_tables)
    except (ExtractError, NoTableError) as exc:
        raise ParseError(str(exc)) from None
    if not assembled.records:
        raise ParseError("the table has a header but no recommendation rows")
    report = interpret(
        assembled,
        layouts,
        council=council,
        as_at=as_at,
        title=path.stem,
        given_title=title,
        source_file=path.name,
        content_hash=digest or content_hash(path),
        parser=kind.name,
        pages=pages,
    )
    check = check_reading(rows, assembled, report, layouts)
    report.reading_check = check.lines()
    report.tables_found = assembled.tables_found
    report.warnings.extend(document_warnings(check))
    return report
