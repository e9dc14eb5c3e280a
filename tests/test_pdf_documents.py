"""PDFs as councils print them, read as their text is: the sample appendices laid out by
LibreOffice in two page layouts, tables ruled only across or not at all, titles cut by page
breaks, and a corpus of odd and broken committee-paper PDFs. All are committed files
(tests/documents/make_pdfs.py and tests/documents/corpus/README.md say how they were made).

`python -m tests.test_pdf_documents` prints the record counts and the share of fields read
alike for every rendering of every sample."""

from __future__ import annotations

import contextlib
import json
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from etl.extract.pdf import read_pages
from etl.extract.rows import ExtractError
from etl.interpret.report import ParsedReport
from etl.interpret.rows import RecommendationRow
from etl.parse import ParseError, parse_file
from tests.documents import make_pdfs
from tests.hostile import write_pdf
from tests.samples import SEEDS, seed_path

pytestmark = pytest.mark.slow

DOCUMENTS = Path(__file__).parent / "documents"
RENDERED = DOCUMENTS / "pdf"
CORPUS = DOCUMENTS / "corpus"

# The fields a reader takes from the document (not its position, nor keys derived from them).
FIELDS = (
    "section",
    "ref",
    "audit_title",
    "directorate",
    "responsible",
    "finding",
    "recommendation",
    "management_response",
    "latest_update",
    "further_action",
    "risk_raw",
    "risk_level",
    "status",
    "status_raw",
    "target_raw",
    "original_target_date",
    "current_target_date",
    "latest_update_period",
    "no_update_stated",
)


def squeeze(value):
    """Fields compared as a reader would: same words, wherever the lines wrap."""
    return None if value is None else " ".join(str(value).split())


def _histories(report: ParsedReport) -> dict[int, list]:
    histories: dict[int, list] = {}
    for event in report.events:
        if event["in_history"]:
            histories.setdefault(event["record_no"], []).append(event["target_date"])
    return histories


def _content(record: RecommendationRow) -> str:
    return squeeze(f"{record['audit_title']} {record['recommendation']} {record['latest_update']}") or ""


def accuracy(read: ParsedReport, truth: ParsedReport) -> tuple[float, list[tuple]]:
    """The share of fields (and target histories) read alike, after pairing each record of the
    truth with the record read that says most nearly the same, one to one, best pairs first;
    with the differences, as (record_no, field, read, truth)."""
    candidates = sorted(
        ((fuzz.ratio(_content(a), _content(b)), i, j) for i, a in enumerate(truth.records) for j, b in enumerate(read.records)),
        reverse=True,
    )
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in candidates:
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    truth_history, read_history = _histories(truth), _histories(read)
    total = (len(FIELDS) + 1) * max(len(truth.records), len(read.records))
    equal, differences = 0, []
    for i, j in sorted(pairs.items()):
        expected, got = truth.records[i], read.records[j]
        expected_fields, got_fields = dict(expected), dict(got)  # looked up by the names in FIELDS
        for name in FIELDS:
            if squeeze(got_fields[name]) == squeeze(expected_fields[name]):
                equal += 1
            else:
                differences.append((expected["record_no"], name, squeeze(got_fields[name]), squeeze(expected_fields[name])))
        if read_history.get(got["record_no"]) == truth_history.get(expected["record_no"]):
            equal += 1
        else:
            differences.append(
                (expected["record_no"], "target_history", read_history.get(got["record_no"]), truth_history.get(expected["record_no"]))
            )
    return equal / total, differences


@cache
def text_report(seed: str) -> ParsedReport:
    return parse_file(seed_path(seed), SEEDS[seed][1])


def rendered(seed: str, layout: str) -> Path:
    return RENDERED / f"seed-{seed}-{layout}.pdf"


RENDERINGS = [(seed, layout) for seed in sorted(SEEDS) for layout in make_pdfs.LAYOUTS]
# Where a figure falls short for a reason outside reading the page, it says so here.
SHORT = {
    ("002", "landscape"): "a directorate printed in brackets on a title's last line, with no paragraph break to "
    "tell it by, stays in the title: the directorate rule of etl/interpret/fields.py "
    "takes it only as the cell's last paragraph"
}


@pytest.mark.parametrize("seed, layout", RENDERINGS, ids=[f"{s}-{lay}" for s, lay in RENDERINGS])
def test_every_rendering_of_a_sample_has_the_records_of_its_text(seed, layout):
    read = parse_file(rendered(seed, layout), SEEDS[seed][1])
    truth = text_report(seed)
    assert len(read.records) == len(truth.records)
    assert (read.report_date, read.report_date_source) == (truth.report_date, truth.report_date_source)
    assert all(r["source_page"] for r in read.records)
    assert [r["source_page"] for r in read.records] == sorted(r["source_page"] for r in read.records)


@pytest.mark.parametrize(
    "seed, layout",
    [pytest.param(s, lay, marks=pytest.mark.xfail(reason=SHORT[(s, lay)])) if (s, lay) in SHORT else (s, lay) for s, lay in RENDERINGS],
    ids=[f"{s}-{lay}" for s, lay in RENDERINGS],
)
def test_every_rendering_of_a_sample_reads_98_percent_of_fields_as_its_text(seed, layout):
    share, differences = accuracy(parse_file(rendered(seed, layout), SEEDS[seed][1]), text_report(seed))
    assert share >= 0.98, differences[:10]


def test_the_longest_sample_runs_to_29_portrait_pages_with_its_81_records():
    report = parse_file(rendered("001", "portrait"), SEEDS["001"][1])
    assert report.pages == 29 and len(report.records) == 81


def test_a_long_title_cut_by_a_page_break_is_one_record():
    report = parse_file(RENDERED / "wrapped-titles.pdf", "Test Council")
    titles = [r["audit_title"] for r in report.records]
    assert titles == [
        "Payroll 2023-24",
        *make_pdfs.LONG_TITLES,
        "Cyber Security Governance",
        "Procurement and Contract Management 2024-25",
        "Housing Rents 2023-24",
        "Incident & Problem Management 22-23",
        "Pensions 2023-24",
        "Payroll 2024-25",
    ]
    pages = make_pdfs.title_pages(RENDERED / "wrapped-titles.pdf")  # the title cut by the break, read raw
    cut = next(r for r in report.records if r["audit_title"] == pages.title)
    assert cut["source_page"] == pages.first and cut["risk_level"] == "high"
    assert cut["original_target_date"].isoformat() == "2025-03-31"


def test_a_table_ruled_only_across_reads_as_a_grid():
    report = parse_file(RENDERED / "rules-across.pdf", "Test Council")
    rows = make_pdfs.invented_rows(12, sentences=4)
    assert len(report.records) == 12 and report.pages >= 2
    assert len({r["source_page"] for r in report.records}) >= 2
    for record, (ref, title, priority, text, officer, target, update) in zip(report.records, rows):
        assert (record["ref"], record["audit_title"], record["risk_raw"], record["responsible"]) == (ref, title, priority, officer)
        assert squeeze(record["recommendation"]) == squeeze(text)
        assert squeeze(record["target_raw"]) == target
        assert squeeze(record["latest_update"]) == squeeze(update)
    assert report.report_date.isoformat() == "2025-06-30" and report.report_date_source == "printed"


def test_a_table_without_rules_half_way_down_a_page_after_a_cover():
    report = parse_file(RENDERED / "no-rules.pdf", "Test Council")
    rows = {r[0]: r for r in make_pdfs.invented_rows(14, sentences=3)}
    assert len(report.records) == 14
    assert [r["section"] for r in report.records] == (
        ["High priority recommendations"] * 5 + ["Medium and low priority recommendations"] * 9
    )
    assert report.records[0]["source_page"] == 1 and report.records[-1]["source_page"] == report.pages
    for record in report.records:
        ref, title, priority, text, officer, target, update = rows[record["ref"]]
        assert (record["audit_title"], record["risk_raw"], record["responsible"]) == (title, priority, officer)
        assert squeeze(record["recommendation"]) == squeeze(text) and squeeze(record["latest_update"]) == squeeze(update)
        assert squeeze(record["target_raw"]) == target
    assert report.report_date.isoformat() == "2025-06-30"


# -- the corpus of odd PDFs ---------------------------------------------------------------------
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
APPENDICES = sorted(name for name, e in EXPECTED.items() if e["outcome"] == "load")
REFUSED = sorted(name for name, e in EXPECTED.items() if e["outcome"] == "fail")


@pytest.mark.parametrize("name", APPENDICES)
def test_odd_appendices_load_with_every_record(name):
    expected = EXPECTED[name]
    report = parse_file(CORPUS / name, "Test Council")
    assert len(report.records) == expected["records"]
    assert [r["audit_title"] for r in report.records] == expected["titles"]
    assert [r["source_page"] for r in report.records] == expected["source_pages"]
    assert report.pages == expected["pages"] and report.report_date.isoformat() == expected["as_at"]


# What the corpus asks for, and the line this loader gives where it says more.
SAID_MORE = {"no recommendation table": "the header row could not be mapped to recommendation fields"}


@pytest.mark.parametrize("name", REFUSED)
def test_files_that_are_not_appendices_fail_with_one_clear_line(name):
    expected = EXPECTED[name]
    with pytest.raises(ParseError) as failure:
        parse_file(CORPUS / name, "Test Council")
    said = str(failure.value)
    wanted = [expected["reason_contains"], *expected.get("also_acceptable", [])]
    wanted += [SAID_MORE[w] for w in wanted if w in SAID_MORE]
    assert any(w in said for w in wanted), said
    assert "\n" not in said


# -- broken structure, written by hand ----------------------------------------------------------
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 700 Td (Overdue audit recommendations as at 30 June 2025) Tj ET"


def hand_made(
    path: Path, page: bytes, *, catalog: bytes = b"<< /Type /Catalog /Pages 2 0 R >>", xref_shift: int = 0, cut: int | None = None
) -> Path:
    """A one-page PDF written by hand, its page dictionary as given (objects 4 and 5 are a font
    and a content stream it may use), optionally with xref offsets moved or the file cut short."""
    objects = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        FONT,
        b"<< /Length %d >>\nstream\n" % len(TEXT) + TEXT + b"\nendstream",
    ]
    return write_pdf(path, objects, xref_shift=xref_shift, cut=cut)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 4 0 R >> >> %s >>"

BROKEN = [
    ("no-contents", PAGE % (b"[0 0 595 842]", b""), {}, "no text layer"),
    ("no-mediabox", b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>", {}, "damaged"),
    ("zero-size-mediabox", PAGE % (b"[0 0 0 0]", b"/Contents 5 0 R"), {}, "no recommendation table found"),
    ("malformed-xref", PAGE % (b"[0 0 595 842]", b"/Contents 5 0 R"), {"xref_shift": 9}, "no recommendation table found"),
    ("truncated", PAGE % (b"[0 0 595 842]", b"/Contents 5 0 R"), {"cut": 260}, "damaged"),
]


@pytest.mark.parametrize("name, page, options, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_structure_is_one_line_never_a_traceback(tmp_path, name, page, options, message):
    """Whatever pdfminer makes of it (a blank page, a box of no size, offsets it recovers from by
    scanning the file), reading pages gives pages or an ExtractError, and a load one line."""
    path = hand_made(tmp_path / f"{name}.pdf", page, **options)
    with contextlib.suppress(ExtractError):
        read_pages(path)
    with pytest.raises(ParseError) as failure:
        parse_file(path, "Test Council")
    assert message in str(failure.value) and "\n" not in str(failure.value)


def test_an_error_inside_pdfplumber_on_a_page_names_the_page(monkeypatch):
    import pdfplumber.page

    def broken(self, *args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", broken)
    with pytest.raises(ExtractError, match=r"^page 1 cannot be read \(ZeroDivisionError\)$"):
        read_pages(RENDERED / "rules-across.pdf", 1, 1)


if __name__ == "__main__":
    for seed, layout in RENDERINGS:
        read = parse_file(rendered(seed, layout), SEEDS[seed][1])
        share, differences = accuracy(read, text_report(seed))
        print(
            f"seed {seed} {layout:9s} pages {read.pages:3d}  records {len(read.records):3d} "
            f"(text {len(text_report(seed).records):3d})  fields alike {share:.1%}  differences {len(differences)}"
        )


# -- another producer, unseen layouts -----------------------------------------------------------
UNSEEN = [("002", "none", True, False), ("003", "across", False, False), ("003", "none", False, True), ("004", "across", True, True)]


@pytest.mark.parametrize(
    "seed, rules, repeat, portrait",
    UNSEEN,
    ids=[f"{s}-{r}-{'header-repeated' if h else 'header-once'}-{'portrait' if p else 'landscape'}" for s, r, h, p in UNSEEN],
)
def test_samples_drawn_by_reportlab_in_layouts_not_seen(tmp_path, seed, rules, repeat, portrait):
    """The samples drawn by another producer (reportlab: its own fonts, spacing and word
    breaking), ruled only across or not at all, the header printed once or on every page: every
    record, and nearly every field."""
    import html

    from etl.assemble import assemble
    from etl.extract.text import extract_text
    from etl.layouts.config import load_layouts
    from tests.pdfmaker import build, table, text

    source = assemble(extract_text(seed_path(seed)), load_layouts())
    header = source.records[0].table.headers
    weights = [max(8.0, sum(len(r.columns[i]) for r in source.records) / len(source.records)) ** 0.6 for i in range(len(header))]
    total = 535 if portrait else 780
    widths = [max(75, total * w / sum(weights)) for w in weights]
    rows: list[list[str] | str] = []
    section = None
    for record in source.records:
        if record.section != section and record.section:
            rows.append(html.escape(record.section))
        section = record.section
        rows.append([html.escape(c).replace("\n", "<br/>") for c in record.columns])
    path = build(
        tmp_path / "unseen.pdf",
        [
            text(html.escape(" ".join(source.preamble))),
            table([html.escape(h) for h in header], rows, [w * total / sum(widths) for w in widths], rules=rules, repeat_header=repeat),
        ],
        portrait=portrait,
    )
    read = parse_file(path, SEEDS[seed][1])
    assert len(read.records) == len(text_report(seed).records)
    share, differences = accuracy(read, text_report(seed))
    assert share >= 0.96, differences[:10]


def test_a_table_without_rules_read_a_page_at_a_time_gives_what_it_gives_read_whole(tmp_path):
    """--jobs N reads a few pages per task; the columns of a table without rules come from a
    header printed only on its first page, so they are found once every page is in."""
    from etl.extract.pdf import rows_from_pages
    from tests.pdfmaker import build, table, text

    rows = make_pdfs.invented_rows(16, sentences=4)
    path = build(
        tmp_path / "header-once.pdf",
        [
            text("Overdue recommendations as at 30 June 2025"),
            table(make_pdfs.HEADER, rows, [50, 110, 55, 230, 90, 65, 180], rules="none", repeat_header=False, shade=False),
        ],
    )
    whole = read_pages(path)
    assert len(whole) >= 3
    one_by_one = [page for number in range(1, len(whole) + 1) for page in read_pages(path, number, number)]
    assert rows_from_pages(one_by_one) == rows_from_pages(whole)
    report = parse_file(path, "Test Council")
    assert [r["ref"] for r in report.records] == [r[0] for r in rows]
    assert [squeeze(r["recommendation"]) for r in report.records] == [squeeze(r[3]) for r in rows]
