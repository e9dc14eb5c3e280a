"""What Word documents and Excel workbooks have in common: a ZIP package of XML parts, told apart by
its content (the parts it holds and the content type of its main part), never by its name.

Before a package is opened its ZIP directory is checked: how many parts, their declared sizes and
how much each expands, so that a file built to expand to gigabytes is refused before any of it is
inflated (Python's zipfile stops a part at its declared size, so a part cannot lie its way past
the check). A password-protected document is not a ZIP at all but an OLE compound file holding
the encrypted package; that, and the old binary .doc/.xls formats, get a line of their own."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.extract.rows import ExtractError

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# Bounds on a package. A committee paper or a tracker is a few megabytes of XML; a workbook
# tracking tens of thousands of recommendations is well under 100 MB expanded.
MAX_PARTS = 10_000
MAX_PART_BYTES = 200 * 1024 * 1024  # declared expanded size of any one part
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # expanded / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024


@dataclass(frozen=True)
class Flavour:
    """One kind of OOXML package: the words for messages and how to recognise its main part."""

    noun: str  # "Word document", "workbook"
    label: str  # "Word", "Excel"
    folder: str  # the folder of its parts: "word/", "xl/"
    main_types: tuple[str, ...]  # content types of its main part
    old_suffix: str  # the binary format it replaced: ".doc", ".xls"


WORD = Flavour(
    "Word document",
    "Word",
    "word/",
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ),
    ".doc",
)
EXCEL = Flavour(
    "workbook",
    "Excel",
    "xl/",
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    ),
    ".xls",
)
_FLAVOURS = (WORD, EXCEL)
_OTHER_FOLDERS = {"ppt/": "a PowerPoint presentation", "word/": "a Word document", "xl/": "an Excel workbook"}


def _ole_problem(flavour: Flavour, data: bytes) -> str:
    if _ENCRYPTED_PACKAGE in data:
        return f"the {flavour.noun} is password-protected: save an unprotected copy"
    return (
        f"the {flavour.noun} is password-protected or in the old {flavour.label} 97-2003 format "
        f"({flavour.old_suffix}): save an unprotected copy as {flavour.old_suffix}x"
    )


def _what_else(names: list[str], content_types: str, flavour: Flavour) -> str | None:
    """What another OOXML package is ("a PowerPoint presentation"), judged from its parts."""
    for other in _FLAVOURS:
        if other is not flavour and any(t in content_types for t in other.main_types):
            return _OTHER_FOLDERS[other.folder]
    if "presentationml" in content_types:
        return _OTHER_FOLDERS["ppt/"]
    for folder, what in _OTHER_FOLDERS.items():
        if folder != flavour.folder and any(n.startswith(folder) for n in names):
            return what
    return None


def _local_entries(head: bytes) -> Iterator[tuple[str, int, bytes | None]]:
    """(name, compression method, data or None) of each ZIP entry whose local header lies in the first bytes; data
    when the whole compressed entry is there too."""
    at = 0
    while head.startswith(ZIP_MAGIC, at) and at + 30 <= len(head):
        _, _, flags, method, _, _, _, csize, _, nlen, elen = struct.unpack_from("<4sHHHHHIIIHH", head, at)
        name = head[at + 30 : at + 30 + nlen].decode("utf-8", "replace")
        start = at + 30 + nlen + elen
        sized = not flags & 0x08 and csize
        data = head[start : start + csize] if sized and start + csize <= len(head) else None
        yield name, method, data
        if not sized:
            return
        at = start + csize


def head_problem(head: bytes, flavour: Flavour) -> str | None:
    """Why a file's first bytes are not a package of this flavour, or None (also when the first
    bytes cannot tell: the reader checks the whole package before reading any of it)."""
    if head.startswith(OLE_MAGIC):
        return _ole_problem(flavour, head)
    if head.startswith(EMPTY_ZIP_MAGIC):
        return f"not a {flavour.noun}: the ZIP archive is empty"
    if not head.startswith(ZIP_MAGIC):
        return f"not a {flavour.noun} (a {flavour.label} file is a ZIP package; this file is not one)"
    names, content_types = [], ""
    for name, method, data in _local_entries(head):
        names.append(name)
        if name == "[Content_Types].xml" and data is not None:
            try:
                raw = data if method == 0 else zlib.decompressobj(-15).decompress(data, 256 * 1024)
                content_types = raw.decode("utf-8", "replace")
            except zlib.error:
                pass
    other = _what_else(names, content_types, flavour)
    if other and not any(t in content_types for t in flavour.main_types):
        return f"not a {flavour.noun}: the file is {other}"
    return None


def _main_part(archive: zipfile.ZipFile) -> tuple[str | None, str]:
    """The package's main part (named by its officeDocument relationship) and its content type."""
    try:
        rels = archive.read("_rels/.rels").decode("utf-8", "replace")
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        return None, ""
    target = None
    for rel in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        if re.search(r'Type="[^"]*/officeDocument"', rel):
            found = re.search(r'Target="([^"]+)"', rel)
            target = found.group(1).lstrip("/") if found else None
            break
    if target is None:
        return None, types
    for override in re.findall(r"<(?:\w+:)?Override\b[^>]*>", types):
        if re.search(r'PartName="/?' + re.escape(target) + '"', override, re.IGNORECASE):
            found = re.search(r'ContentType="([^"]+)"', override)
            return target, found.group(1) if found else ""
    return target, types


def check_package(path: Path, flavour: Flavour) -> str:
    """The name of the package's main part after every check, or an ExtractError saying why the
    file cannot be read. Nothing is inflated here but the two small index parts."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head.startswith(OLE_MAGIC):
            fh.seek(0)
            raise ExtractError(_ole_problem(flavour, fh.read(64 * 1024 * 1024)))
    problem = head_problem(head, flavour) if not head.startswith(ZIP_MAGIC) else None
    if problem:
        raise ExtractError(problem)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExtractError(f"the {flavour.noun} is damaged and cannot be read (not a readable ZIP package)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise ExtractError(f"the {flavour.noun} has {len(infos):,} parts (more than {MAX_PARTS:,}): refused as a ZIP bomb")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES:
                raise ExtractError(
                    f"the {flavour.noun}'s part {info.filename} would expand to {info.file_size / 2**20:,.0f} MB "
                    f"(more than {MAX_PART_BYTES // 2**20} MB): refused as a ZIP bomb"
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise ExtractError(
                    f"the {flavour.noun}'s part {info.filename} expands {info.file_size // max(1, info.compress_size):,} "
                    f"times (more than {MAX_RATIO}): refused as a ZIP bomb"
                )
        if total > MAX_TOTAL_BYTES:
            raise ExtractError(
                f"the {flavour.noun} would expand to {total / 2**20:,.0f} MB (more than "
                f"{MAX_TOTAL_BYTES // 2**20} MB): refused as a ZIP bomb"
            )
        for small in ("_rels/.rels", "[Content_Types].xml"):
            try:
                if archive.getinfo(small).file_size > 4 * 1024 * 1024:
                    raise ExtractError(f"the {flavour.noun}'s index part {small} is too large: refused")
            except KeyError:
                pass
        names = archive.namelist()
        try:
            target, content_type = _main_part(archive)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            raise ExtractError(f"the {flavour.noun} is damaged and cannot be read") from None
    if target is None or not any(t in content_type for t in flavour.main_types):
        other = _what_else(names, content_type, flavour)
        if other:
            raise ExtractError(f"not a {flavour.noun}: the file is {other}")
        raise ExtractError(f"not a {flavour.noun}: the ZIP package has no {flavour.label} main part")
    if target not in names:
        raise ExtractError(f"the {flavour.noun} is damaged: its main part {target} is missing")
    return target
