"""The slippage pack as an A4 PDF: the HTML pack (pack_html.py, the one template) rendered by
WeasyPrint as a tagged PDF (PDF/UA-1): headings, lists and table headers tagged, the title shown
as the window title, the language set, the charts' alternative text kept, every font embedded.
Committee papers are published on councils' websites, where the Public Sector Bodies
Accessibility Regulations apply."""

from __future__ import annotations

from app.committee import pack_html
from app.committee.view import CommitteeView
from etl.failures import first_line

PDF_VARIANT = "pdf/ua-1"


def to_pdf(view: CommitteeView) -> bytes:
    """The pack as a tagged A4 PDF, charts and all."""
    return _build(view, charts=True)


def problem(view: CommitteeView) -> str | None:
    """Why the pack cannot be made, in one line, or None. The text is laid out in full; the charts
    are left out, so this takes a fraction of the time to_pdf does."""
    return attempt(view, charts=False)[1]


def attempt(view: CommitteeView, charts: bool = True) -> tuple[bytes | None, str | None]:
    """The pack as a tagged PDF, or None and why it cannot be made, in one line (the page says so
    instead of offering a download that fails)."""
    try:
        return _build(view, charts=charts), None
    except Exception as exc:  # the page says so in one line instead of a failed download
        reason = first_line(exc)[:200]  # the type's name alone when the exception says nothing
        return None, reason if reason == type(exc).__name__ else f"{type(exc).__name__}: {reason}"


def _build(view: CommitteeView, charts: bool) -> bytes:
    from weasyprint import HTML

    document = HTML(string=pack_html.to_html(view, charts=charts))
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
