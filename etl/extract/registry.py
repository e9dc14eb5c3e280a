"""The input kinds slippage reads. Each kind is one module (text.py, pdf.py, ...) that declares a
KIND (etl/extract/kind.py): its suffixes, a check of the file's first bytes, how to get its rows, and optionally how to
split it into pages that several processes can read at once. Loading, uploads and messages all
read this list, so a new kind is one module and one line in kinds()."""

from __future__ import annotations

from pathlib import Path

from etl.extract.kind import InputKind
from etl.extract.rows import ExtractError


def kinds() -> list[InputKind]:
    from etl.extract import csv, docx, pdf, text, xlsx

    return [pdf.KIND, text.KIND, docx.KIND, xlsx.KIND, csv.KIND]


def supported_suffixes() -> list[str]:
    return [suffix for kind in kinds() for suffix in kind.suffixes]


def unsupported(suffix: str) -> str:
    return f"unsupported file type {suffix or '(none)'}: use {', '.join(supported_suffixes())}"


def kind_for(path: Path) -> InputKind:
    """The kind a file's name says it is; an ExtractError for any other name."""
    suffix = path.suffix.lower()
    for kind in kinds():
        if suffix in kind.suffixes:
            return kind
    raise ExtractError(unsupported(suffix))


def check_content(path: Path, head: bytes) -> str | None:
    """Why a file's first bytes do not match the kind its name says, or None."""
    try:
        kind = kind_for(path)
    except ExtractError as exc:
        return str(exc)
    if not head:
        return "the file is empty"
    return kind.content_problem(head)
