"""A PDF/UA-1 checker for the tests, in place of veraPDF, which cannot be installed here (it is a Java
program distributed from its own site; neither apt nor pip has it, and the machine reaches no other
network). It checks, from the file itself with pypdf, the machine-checkable rules of PDF/UA-1
(ISO 14289-1) that a published committee pack can break, by the clause veraPDF would cite:

- 5 / 7.1: the PDF/UA identification (pdfuaid:part 1) in the XMP metadata, with a dc:title;
- 7.1: MarkInfo Marked true and a structure tree; every piece of page content is either tagged (a
  marked-content sequence with an MCID the structure tree reaches) or an artifact, never both;
- 7.1: every structure type is a standard one or role-mapped to one;
- 7.1: the document title shown by viewers (ViewerPreferences DisplayDocTitle true);
- 7.2: the natural language set (Lang in the catalogue);
- 7.4: headings from H1 on, never skipping a level;
- 7.5: tables with header cells (TH), every data cell tied to its headers (Scope on the TH cells, or
  Headers naming TH IDs);
- 7.3: every Figure with alternative text;
- 7.18: a page with annotations tabs in structure order (Tabs /S);
- 7.21: every font embedded, with a ToUnicode map (or a standard encoding) so its text can be read.

A failure is a line naming the clause and what is wrong; a conforming file gives none."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

STANDARD_TYPES = {
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
}
# Operators that put something on the page: text, painted paths, images and forms.
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"}


def pdfua_failures(pdf: bytes) -> list[str]:
    """Every PDF/UA-1 rule above that the file breaks, one line each (an empty list: it conforms)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    failures = _catalogue(root)
    if "/StructTreeRoot" not in root:
        return failures + ["7.1: no structure tree (StructTreeRoot): the content is untagged"]
    elements = list(_elements(root["/StructTreeRoot"]))
    failures += _types(elements, root["/StructTreeRoot"].get_object())
    failures += _headings(elements) + _tables(elements) + _figures(elements)
    parents = _parent_tree(root["/StructTreeRoot"].get_object())
    for number, page in enumerate(reader.pages, 1):
        failures += _page_content(number, page, parents) + _page_annotations(number, page)
    return failures + _fonts(reader)


def _catalogue(root: Any) -> list[str]:
    metadata = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    failures = []
    if not re.search(r"pdfuaid:part(?:=\"|>)1\b", metadata):
        failures.append("5: the XMP metadata does not identify the file as PDF/UA-1 (pdfuaid:part 1)")
    if "<dc:title>" not in metadata:
        failures.append("7.1: the XMP metadata has no dc:title")
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        failures.append("7.1: the catalogue's MarkInfo does not say Marked true")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        failures.append("7.1: ViewerPreferences DisplayDocTitle is not true: viewers show the file name, not the title")
    if not str(root.get("/Lang", "")).strip():
        failures.append("7.2: no natural language (Lang) in the catalogue")
    return failures


def _elements(node: Any) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, in document order (the order a screen reader reads)."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            yield from _elements(kid)
    elif isinstance(node, DictionaryObject) and node.get("/Type") not in ("/MCR", "/OBJR"):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _elements(node["/K"])


def _kind(element: DictionaryObject) -> str:
    return str(element["/S"]).lstrip("/")


def _types(elements: list[DictionaryObject], tree: DictionaryObject) -> list[str]:
    mapped = {str(name).lstrip("/") for name in (tree.get("/RoleMap") or {})}
    unknown = sorted({_kind(e) for e in elements} - STANDARD_TYPES - mapped)
    return [f"7.1: structure type {kind} is neither standard nor role-mapped" for kind in unknown]


def _headings(elements: list[DictionaryObject]) -> list[str]:
    levels = [int(_kind(e)[1]) for e in elements if re.fullmatch(r"H[1-6]", _kind(e))]
    failures = [
        f"7.4: heading H{level} follows H{before}, skipping a level" if before else f"7.4: the first heading is H{level}, not H1"
        for before, level in zip([0, *levels], levels)
        if level > before + 1
    ]
    return failures or ([] if levels else ["7.4: no headings: a pack's sections cannot be found by heading"])


def _attributes(element: DictionaryObject) -> list[DictionaryObject]:
    found = element.get("/A")
    if found is None:
        return []
    found = found.get_object()
    return [a.get_object() for a in found if isinstance(a.get_object(), DictionaryObject)] if isinstance(found, ArrayObject) else [found]


def _table_attribute(element: DictionaryObject, name: str) -> Any:
    return next((a[name] for a in _attributes(element) if name in a), None)


def _tables(elements: list[DictionaryObject]) -> list[str]:
    failures = []
    for number, table in enumerate((e for e in elements if _kind(e) == "Table"), 1):
        cells = [e for e in _elements(table["/K"]) if _kind(e) in ("TH", "TD")]
        headers = [c for c in cells if _kind(c) == "TH"]
        if not headers:
            failures.append(f"7.5: table {number} has no header cells (TH)")
            continue
        if all(_table_attribute(th, "/Scope") is not None for th in headers):
            continue
        ids = {str(th.get("/ID", "")) for th in headers} - {""}
        loose = [c for c in cells if _kind(c) == "TD" and not {str(h) for h in (_table_attribute(c, "/Headers") or [])} & ids]
        if loose:
            failures.append(
                f"7.5: table {number}: {len(loose)} data cells tied to no header (no Scope on its TH cells, nor Headers naming their IDs)"
            )
    return failures


def _figures(elements: list[DictionaryObject]) -> list[str]:
    bare = [e for e in elements if _kind(e) == "Figure" and not str(e.get("/Alt", "")).strip()]
    return [f"7.3: {len(bare)} figures without alternative text (Alt)"] if bare else []


def _parent_tree(tree: DictionaryObject) -> dict[int, Any]:
    """The structure tree's ParentTree as a dict: a page's StructParents key -> the array whose
    entry N is the structure element owning that page's MCID N."""
    entries: dict[int, Any] = {}

    def walk(node: Any) -> None:
        node = node.get_object()
        nums = node.get("/Nums") or []
        for key, value in zip(nums[::2], nums[1::2]):
            entries[int(key)] = value.get_object()
        for kid in node.get("/Kids") or []:
            walk(kid)

    if "/ParentTree" in tree:
        walk(tree["/ParentTree"])
    return entries


def _owner(parents: dict[int, Any], page: Any, mcid: int) -> Any:
    """The structure element a page's MCID belongs to, as veraPDF finds it (through the
    ParentTree), or None. WeasyPrint's running heads and page numbers (margin boxes) belong to
    elements kept out of the reading order, as a pagination artifact's content may be in PDF 1.7."""
    owners = parents.get(int(page.get("/StructParents", -1)))
    if not isinstance(owners, ArrayObject) or mcid >= len(owners):
        return None
    owner = owners[mcid].get_object()
    return owner if isinstance(owner, DictionaryObject) else None


def _page_content(number: int, page: Any, parents: dict[int, Any]) -> list[str]:
    """Content painted outside any marked sequence, tags nested in artifacts, and MCIDs that
    belong to no structure element."""
    untagged, nested, marks = 0, 0, []  # marks: stack of ("artifact" | "tagged" | "other")
    stream = pypdf.generic.ContentStream(page.get_contents(), page.pdf)
    for operands, operator in stream.operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
        if op in ("BMC", "BDC"):
            tag = operands[0]
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            if tag == NameObject("/Artifact"):
                marks.append("artifact")
            elif mcid is not None:
                nested += "artifact" in marks or "tagged" in marks
                if _owner(parents, page, int(mcid)) is None:
                    return [f"7.1: page {number}: content MCID {mcid} belongs to no structure element"]
                marks.append("tagged")
            else:
                marks.append("other")
        elif op == "EMC" and marks:
            marks.pop()
        elif op in PAINTING and not ({"artifact", "tagged"} & set(marks)):
            untagged += 1
    failures = [f"7.1: page {number}: {untagged} painting operations neither tagged nor marked as artifact"] if untagged else []
    return failures + ([f"7.1: page {number}: {nested} tagged sequences inside another or an artifact"] if nested else [])


def _page_annotations(number: int, page: Any) -> list[str]:
    if page.get("/Annots") and page.get("/Tabs") != "/S":
        return [f"7.18.3: page {number} has annotations but does not tab in structure order (Tabs /S)"]
    return []


def _fonts(reader: pypdf.PdfReader) -> list[str]:
    failures = set()
    for font in _all_fonts(reader):
        name = str(font.get("/BaseFont", font.get("/Name", "?")))
        if font.get("/Subtype") == "/Type3":
            continue  # drawn by its own glyph procedures: nothing to embed
        descendant: Any = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor: Any = (descendant.get("/FontDescriptor") or DictionaryObject()).get_object()
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            failures.add(f"7.21.4: font {name} is not embedded")
        if "/ToUnicode" not in font and str(font.get("/Encoding")) not in STANDARD_ENCODINGS:
            failures.add(f"7.21.7: font {name} has no ToUnicode map: its text cannot be read out")
    return sorted(failures)


def _all_fonts(reader: pypdf.PdfReader) -> Iterator[Any]:
    """Every font the pages use, those of the forms they draw (charts) included, each once."""
    seen: set[int] = set()

    def listed(resources: Any, kind: str) -> Iterator[Any]:
        entries: Any = (resources.get(kind) or DictionaryObject()).get_object()
        for entry in entries.values():
            number = getattr(entry, "idnum", id(entry))
            if number not in seen:
                seen.add(number)
                yield entry.get_object()

    def walk(resources: Any) -> Iterator[Any]:
        resources = (resources or DictionaryObject()).get_object()
        yield from listed(resources, "/Font")
        for form in listed(resources, "/XObject"):
            if form.get("/Subtype") == "/Form":
                yield from walk(form.get("/Resources"))

    for page in reader.pages:
        yield from walk(page.get("/Resources"))
