"""Hostile PDFs written byte by byte, for the tests that prove no file can stop a batch:
a decompression bomb and a page that takes far too long to read. Both are small on disk."""

from __future__ import annotations

import zlib
from pathlib import Path


def write_pdf(path: Path, objects: list[bytes], *, xref_shift: int = 0, cut: int | None = None) -> Path:
    """A PDF of the given objects (object 1 the catalog), with its cross-reference table;
    optionally with the table's offsets moved or the file cut short."""
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset + xref_shift:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref + xref_shift}\n%%EOF\n".encode()
    path.write_bytes(body[:cut])
    return path


def _pdf(path: Path, content: bytes, filters: str = "") -> Path:
    """A one-page PDF whose page content is the given stream."""
    return write_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(content)}{filters} >>\nstream\n".encode() + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
    )


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    return write_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def flate_bomb(path: Path, inflated_mb: int) -> Path:
    """A page whose content stream inflates to inflated_mb MB of spaces (about 1/1000 on disk)."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    return _pdf(path, packed, " /Filter /FlateDecode")


def slow_page(path: Path, operators: int) -> Path:
    """A page of `operators` tiny text-showing operators: valid, small, and slow to lay out."""
    ops = b"BT /F1 1 Tf " + b"".join(b"1 0 0 1 %d %d Tm (x) Tj " % (i % 500, (i // 500) % 800) for i in range(operators)) + b"ET"
    return _pdf(path, zlib.compress(ops), " /Filter /FlateDecode")


# -- a text appendix with one enormous cell ------------------------------------------------------
CELL_HEADER = ["Audit", "Officer Responsible", "Grade", "Target Date", "Recommendation", "Latest update from officers"]
CELL_ROW = ["Payroll 2023-24", "Head of HR", "High", "31/03/2024", "Approve overtime claims", "March 2024: claims approved"]


def appendix_with_cell(path: Path, token: str, size: int, column: str = "Target Date") -> Path:
    """A tab-separated appendix of three records whose second holds, in `column`, `token` repeated
    to `size` characters: the shape of a cell that once took minutes to read ("1/1/1/...")."""
    big = list(CELL_ROW)
    big[CELL_HEADER.index(column)] = (token * (size // len(token) + 1))[:size]
    rows = [CELL_HEADER, CELL_ROW, big, CELL_ROW]
    path.write_text("Appendix A: overdue audit actions\n\n" + "\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return path
