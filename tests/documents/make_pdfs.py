"""PDFs laid out the way an officer's word processor prints an appendix, for the tests.

Each document is HTML written here and laid out by LibreOffice Writer (A4, the header row
repeated on every page, rows allowed to break across pages, a running header and a "Page N of M"
footer), so rows break where a real word processor breaks them:

* seed-<seed>-<layout>.pdf: every sample appendix in data/samples/ (read through
  etl.extract.text and etl.assemble, so the PDF holds exactly the records the text parse gives)
  in two page layouts: portrait A4 with small type and columns sized by the square root of their
  text, landscape A4 with larger type and columns sized closer to their text. Rows break at
  different places in each.
* rules-across.pdf: a table ruled only with horizontal lines under a shaded header (what Excel
  and light Word table styles print), 12 records over two pages or more.
* no-rules.pdf: a table with no rules at all, sections between records, starting half-way down
  its first page under a cover note.
* wrapped-titles.pdf: long audit titles that wrap across a page break (the title's first lines at
  the foot of one page, the rest at the top of the next), with narrow titles broken at a hyphen
  after a digit ("2022-" / "23").

Run from the project root (needs LibreOffice's soffice on the PATH; the tests read only the
committed PDFs):  python tests/documents/make_pdfs.py [NAME ...]
Deterministic: the same input gives the same layout."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OUT = Path(__file__).resolve().parent / "pdf"


@dataclass(frozen=True)
class Layout:
    orientation: str  # portrait | landscape
    font_pt: float
    width_power: float  # column width ~ (mean characters per cell) ** power
    margin_cm: float
    padding: int  # cell padding, pixels
    rules: str = "grid"  # grid | across (horizontal lines only) | none
    breaks: str = "p"  # a cell's lines as spaced paragraphs (p) or lines of one paragraph (br)


LAYOUTS = {
    "portrait": Layout("portrait", 8, 0.5, 1.5, 3),
    "landscape": Layout("landscape", 9.5, 0.8, 2.0, 5, breaks="br"),
}
# portrait: the sample's rows as extract_text gives them, each cell's own HTML (its paragraphs and
# lists) written as is; landscape: the assembled records' clean text, a cell's lines as lines of
# one paragraph (no space between paragraphs to tell them by).


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def cell_html(text: str, breaks: str = "p") -> str:
    """A cell's clean text (one paragraph or list item a line) as paragraphs, or as lines of one
    paragraph with no space between them."""
    lines = [esc(line) for line in text.split("\n") if line.strip()]
    if breaks == "br":
        return f'<p style="margin-top:0cm; margin-bottom:0cm">{"<br>".join(lines)}</p>' if lines else ""
    return "".join(f'<p style="margin-top:0cm; margin-bottom:0.06cm">{line}</p>' for line in lines)


def border(layout: Layout, head: bool) -> str:
    if layout.rules == "across":
        top = "border-top: 0.5pt solid #000000; " if head else ""
        return f' style="{top}border-bottom: 0.5pt solid #000000; border-left: none; border-right: none"'
    return ""


def widths(columns: list[list[str]], power: float) -> list[int]:
    """Column widths in per cent, from the mean length of each column's text (headers count)."""
    weights = []
    for texts in columns:
        mean = sum(len(t) for t in texts) / max(1, len(texts))
        weights.append(max(mean, 6) ** power)
    total = sum(weights)
    percent = [max(5, round(100 * w / total)) for w in weights]
    percent[percent.index(max(percent))] += 100 - sum(percent)
    return percent


def page(title: str, layout: Layout, preamble: list[str], body: str) -> str:
    size = f"A4 {layout.orientation}"
    font = f"font-family: 'Liberation Sans', Arial, sans-serif; font-size: {layout.font_pt}pt"
    # Writer reads its own header and footer back from <div title="header|footer">, with fields.
    furniture = (
        '<div title="header"><p style="font-size:7pt">Audit and Governance Committee: appendix</p></div>'
        '<div title="footer"><p align="center" style="font-size:7pt">Page '
        "<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> of "
        "<sdfield type=DOCSTAT subtype=PAGE format=PAGE>1</sdfield></p></div>"
    )
    lines = "".join(f'<p style="margin-bottom:0.15cm"><b>{esc(line)}</b></p>' for line in preamble)
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title><style>'
        f"@page {{ size: {size}; margin: {layout.margin_cm}cm }} body {{ {font} }} td, th, p {{ {font} }}"
        f"</style></head><body>{furniture}{lines}{body}</body></html>\n"
    )


def table_html(layout: Layout, header: list[str], rows: list[list[str] | str], percent: list[int], raw: bool = False) -> str:
    """A table: a str row is a section heading spanning every column. Cells are clean text, or
    HTML written as is (`raw`)."""
    rule = "1" if layout.rules == "grid" else "0"
    out = [f'<table border="{rule}" cellspacing="0" cellpadding="{layout.padding}" width="100%">', "<thead><tr>"]
    shade = ' bgcolor="#D9D9D9"' if layout.rules != "none" else ""
    for text, width in zip(header, percent):
        out.append(f'<th width="{width}%" valign="top" align="left"{shade}{border(layout, True)}><b>{esc(text)}</b></th>')
    out.append("</tr></thead><tbody>")
    for row in rows:
        if isinstance(row, str):
            out.append(f'<tr><td colspan="{len(header)}" valign="top"{border(layout, False)}><p><b>{esc(row)}</b></p></td></tr>')
        else:
            out.append(
                "<tr>"
                + "".join(f'<td valign="top"{border(layout, False)}>{c if raw else cell_html(c, layout.breaks)}</td>' for c in row)
                + "</tr>"
            )
    out.append("</tbody></table>")
    return "".join(out)


def render(name: str, source: str, out: Path = OUT) -> Path:
    """HTML to PDF through LibreOffice Writer (its own profile, so runs never share one)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        (work_dir / f"{name}.html").write_text(source, encoding="utf-8")
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work_dir}/profile",
                "--headless",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(work_dir),
                str(work_dir / f"{name}.html"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.copyfile(work_dir / f"{name}.pdf", out / f"{name}.pdf")
    return out / f"{name}.pdf"


# -- the sample appendices ---------------------------------------------------------------------
SEEDS = ["000", "001", "002", "003", "004"]


def seed_document(seed: str, layout: Layout) -> str:
    """A sample appendix laid out as a word processor would print it."""
    from etl.assemble import _fit, assemble
    from etl.cleantext import clean_cell, one_line, strip_markdown
    from etl.extract.tables import header_fields
    from etl.extract.text import extract_text
    from etl.layouts.config import load_layouts
    from tests.samples import seed_path

    layouts = load_layouts()
    assembled = assemble(extract_text(seed_path(seed)), layouts)
    header = assembled.records[0].table.headers
    columns = [[h] + [r.columns[i] for r in assembled.records] for i, h in enumerate(header)]
    percent = widths(columns, layout.width_power)
    rows: list[list[str] | str] = []
    if layout.breaks == "br":  # the records' clean text
        section = None
        for record in assembled.records:
            assert record.table.headers == header, "one table per sample"
            if record.section != section and record.section:
                rows.append(record.section)
            section = record.section
            rows.append(record.columns)
        return page(f"Sample {seed}", layout, assembled.preamble, table_html(layout, header, rows, percent))
    preamble: list[str] = []
    raw = [[c or "" for c in row.cells] for row in extract_text(seed_path(seed))]
    full = [cells for cells in raw if len(cells) == len(header)]
    narrow = sorted(range(len(header)), key=lambda i: sum(len(clean_cell(c[i])) for c in full))
    in_table = False
    for cells in raw:  # the rows as the converter wrote them
        filled = [c for c in cells if clean_cell(c)]
        if not filled or all(layouts.is_noise(clean_cell(c)) for c in filled):
            continue  # blank lines, rule rows
        if header_fields(cells, layouts) is not None:
            in_table = True
            continue  # the header is the table's own, repeated on every page
        if len(filled) == 1 and clean_cell(cells[0]):
            text = strip_markdown(one_line(clean_cell(cells[0])))
            (rows if in_table else preamble).append(text)
        elif in_table:
            rows.append(_fit(cells, len(header), narrow))  # a row printed short, put under its header
    return page(f"Sample {seed}", layout, preamble, table_html(layout, header, rows, percent, raw=True))


# -- invented appendices -----------------------------------------------------------------------
HEADER = ["Ref", "Audit", "Priority", "Recommendation", "Responsible Officer", "Target Date", "Latest update"]
TITLES = [
    "Payroll 2023-24",
    "Accounts Payable 2023-24",
    "Council Tax and Business Rates 2022-23",
    "Incident & Problem Management 2022-23",
    "Pensions Administration 2023-24",
    "Cyber Security Governance",
    "Procurement and Contract Management 2024-25",
    "Housing Rents 2023-24",
    "Disabled Facilities Grants",
    "Fleet Management 2022-23",
    "Schools Capital Programme 2023-24",
    "Emergency Planning and Business Continuity",
]
PRIORITIES = ["High", "Medium", "Low"]
OFFICERS = [
    "Head of Finance",
    "Strategic Director (Resources)",
    "ICT Service Manager",
    "Head of Housing",
    "Procurement Manager",
    "Payroll and HR Systems Manager",
]
SENTENCES = [
    "Management should ensure that the procedure notes are reviewed and re-issued to all staff.",
    "Reconciliations between the feeder systems and the ledger should be completed monthly, independently reviewed and evidenced.",
    "Access rights to the system should be reviewed at least annually and leavers removed promptly.",
    "Exception reports should be produced, investigated and retained as evidence of the checks made.",
    "The register should record the date of each review and the officer who carried it out.",
    "Key performance indicators should be reported to the management team each quarter.",
]
UPDATES = [
    "May 2025: the revised procedure notes are in draft and will be issued after the go-live of the new system.",
    "April 2025: work has been delayed by the restructure; revised target 30/09/2025.",
    "June 2025: partially implemented - the monthly reconciliation is done but not yet reviewed.",
    "No update has been received for this reporting cycle.",
]


def invented_rows(count: int, sentences: int = 2, offset: int = 0) -> list[list[str]]:
    rows = []
    for i in range(offset, offset + count):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(sentences + i % 3))
        update = "\n".join(UPDATES[(i + k) % len(UPDATES)] for k in range(1 + i % 2))
        rows.append(
            [
                f"IA{101 + i}",
                TITLES[i % len(TITLES)],
                PRIORITIES[i % 3],
                text,
                OFFICERS[i % len(OFFICERS)],
                f"{1 + (i * 7) % 28:02d}/{1 + i % 12:02d}/2025",
                update,
            ]
        )
    return rows


def rules_across() -> str:
    layout = Layout("landscape", 9, 0.6, 1.8, 4, rules="across")
    rows = invented_rows(12, sentences=4)
    table = table_html(layout, HEADER, rows, [6, 16, 8, 32, 12, 9, 17])
    return page("Rules across", layout, ["Appendix A: Outstanding internal audit recommendations as at 30 June 2025"], table)


def no_rules() -> str:
    layout = Layout("portrait", 8.5, 0.6, 1.8, 3, rules="none")
    rows: list[list[str] | str] = ["High priority recommendations"]
    rows += [r for r in invented_rows(14, sentences=3) if r[2] == "High"]
    rows.append("Medium and low priority recommendations")
    rows += [r for r in invented_rows(14, sentences=3) if r[2] != "High"]
    cover = (
        "".join(
            f"<p>{esc(line)}</p>"
            for line in [
                "Audit and Governance Committee, 17 July 2025",
                "Item 9: Internal audit follow-up",
                "This appendix lists the recommendations agreed with management that were not implemented by their "
                "target date, with the latest update received from the responsible officer.",
            ]
        )
        + '<p style="margin-bottom:5cm"></p>'
    )
    table = table_html(layout, HEADER, rows, [6, 15, 8, 31, 12, 10, 18])
    return page("No rules", layout, ["Outstanding internal audit recommendations as at 30 June 2025"], cover + table)


LONG_TITLES = [
    "Schools Capital Programme: condition surveys, suitability assessments and the allocation of "
    "devolved formula capital to maintained schools",
    "Incident & Problem Management 2022-23 and the service desk's handling of major incidents",
]


def wrapped_titles(filler: int) -> str:
    """Rows whose long titles sit where the page breaks; `filler` sentences in the first row move
    them. The title is the first column, as in most appendices."""
    layout = Layout("portrait", 9, 0.6, 2.0, 3)
    header = ["Audit", "Ref", "Priority", "Recommendation", "Responsible Officer", "Target Date", "Latest update"]

    def row(ref, title, priority, text, officer, target, update):
        return [title, ref, priority, text, officer, target, update]

    rows = [row(*r) for r in invented_rows(1, sentences=filler)]
    rows += [
        row(f"IA2{i}", title, "High", " ".join(SENTENCES[:4]), OFFICERS[i], "31/03/2025", UPDATES[i]) for i, title in enumerate(LONG_TITLES)
    ]
    rows += [row(*r) for r in invented_rows(3, sentences=2, offset=5)]
    rows += [
        row(f"IA3{i}", title, "Medium", SENTENCES[i], OFFICERS[i], "30/09/2025", UPDATES[2])
        for i, title in enumerate(["Incident & Problem Management 22-23", "Pensions 2023-24", "Payroll 2024-25"])
    ]
    return page(
        "Wrapped titles",
        layout,
        ["Overdue audit recommendations as at 30 June 2025"],
        table_html(layout, header, rows, [13, 6, 8, 33, 13, 10, 17]),
    )


@dataclass(frozen=True)
class TitleCut:
    title: str  # the long title a page break cuts
    first: int  # the page its row starts on


def title_pages(path: Path) -> TitleCut | None:
    """The long title whose rest starts the next page (its priority cell empty there), as
    pdfplumber's own table reading shows it."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for number, page_ in enumerate(pdf.pages[1:], start=1):
            tables = page_.extract_tables()
            rest = " ".join((tables[0][1][0] or "").split()) if tables and len(tables[0]) > 1 else ""
            for title in LONG_TITLES:
                if rest and not tables[0][1][2] and title.endswith(rest) and title != rest:
                    return TitleCut(title, number)
    return None


def main(names: list[str]) -> None:
    wanted = set(names)
    jobs = {
        f"seed-{seed}-{name}": (lambda seed=seed, layout=layout: seed_document(seed, layout))
        for seed in SEEDS
        for name, layout in LAYOUTS.items()
    }
    jobs["rules-across"] = rules_across
    jobs["no-rules"] = no_rules
    for name, make in jobs.items():
        if not wanted or name in wanted:
            print(render(name, make()))
    if not wanted or "wrapped-titles" in wanted:
        for filler in range(8, 40):  # the first row's length that puts a title across the page break
            path = render("wrapped-titles", wrapped_titles(filler))
            if title_pages(path):
                print(path, f"(first row of {filler} sentences)")
                break
        else:
            raise SystemExit("no filler length put a title across the page break")


if __name__ == "__main__":
    main(sys.argv[1:])
