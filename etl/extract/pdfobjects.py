"""A PDF page's objects (a dict for each char, line, rectangle and curve) made as pdfplumber makes
them, for less: pdfplumber passes every attribute of every char, each coordinate a plain number,
through its general resolver of indirect references, and looks up a colour space's name afresh for
each char. Here plain numbers, strings and tuples of them are taken as they are (the resolver
gives them back unchanged), the rest goes through pdfplumber's resolver as before, and a colour
space's decoded name is kept. The dicts are the same, key for key and value for value
(tests/test_pdf_objects.py checks that against pdfplumber's own on the test PDFs); pdfplumber's
parse of a page takes about three fifths of the time it did.

pdfplumber is pinned (requirements.txt): this follows Page.process_object of that version, and
stands aside for any other (pdfplumber's own is used), so an upgrade never reads differently unseen."""

from __future__ import annotations

import re
from types import MethodType
from typing import Any
from unicodedata import normalize

from pdfminer.layout import LTChar, LTCurve, LTItem, LTTextContainer
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes, lt_pat
from pdfplumber.utils import resolve_all, resolve_and_decode

FOLLOWS = "0.11.10"  # the pdfplumber whose Page.process_object this follows
_PLAIN = (float, int, bool, str, type(None))
_KINDS: dict[type, str] = {}  # pdfminer's class -> the object type pdfplumber names it
_NAMES: dict[str, Any] = {}  # a colour space's name -> as pdfplumber decodes it


def read_objects_quickly(page: Page) -> None:
    """Have the page make its objects with `process_object` below, the rest of its reading (the
    layout, which objects are made, its caches) left to pdfplumber; with another pdfplumber than
    the one it follows, nothing changes."""
    import pdfplumber

    if pdfplumber.__version__ != FOLLOWS:
        return
    page.process_object = MethodType(process_object, page)  # type: ignore[method-assign]


def _resolved(value: Any) -> Any:
    """A value that is not plain (see process_object), resolved as pdfplumber resolves it."""
    if type(value) is tuple and all(type(v) in _PLAIN for v in value):
        return value
    return resolve_all(value)


def _decoded(name: Any) -> Any:
    if type(name) is not str:
        return resolve_and_decode(name)
    if name not in _NAMES:
        _NAMES[name] = resolve_and_decode(name)
    return _NAMES[name]


def process_object(page: Page, obj: LTItem) -> dict[str, Any]:
    """One object's dict, as pdfplumber's Page.process_object gives it."""
    kind = _KINDS.get(type(obj))
    if kind is None:
        kind = _KINDS[type(obj)] = re.sub(lt_pat, "", type(obj).__name__).lower()
    # Most values are plain numbers: taken as they are here, without a call for each.
    attr = {k: v if type(v) in _PLAIN else _resolved(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = kind
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _decoded(getattr(obj, cs).name)
    if isinstance(obj, (LTChar, LTTextContainer)):
        text = obj.get_text()
        attr["text"] = normalize(page.pdf.unicode_norm, text) if page.pdf.unicode_norm is not None else text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(page.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(page.point2coord, pts)) for cmd, *pts in obj.original_path]  # type: ignore[union-attr]  # set for every curve pdfminer makes
        attr["dash"] = obj.dashing_style
    # pdfminer places objects relative to the MediaBox; pdfplumber puts them back (its #1181).
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr
