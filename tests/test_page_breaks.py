"""Records cut by page breaks, and lines cut by wrapping, put back together as a careful reader
would: the rule on rows of cells (PDF pages and page chunks of converted text alike), and the
joins of wrapped lines."""

from collections import Counter

import pytest

from etl.assemble import assemble
from etl.extract.pagetext import Line, Word, cell_text
from etl.extract.pdf import _join_wrapped
from etl.extract.rows import Row, separator
from etl.extract.text import _line_rows
from etl.layouts.config import load_layouts
from etl.parse import parse_file

HEADER = ["Audit", "Risk", "Recommendation", "Target Date", "Latest update"]


def record(title, risk, text, target, update):
    return [title, risk, text, target, update]


FILLER = [
    record("Payroll 2024-25", "High", "Reconcile the payroll to the ledger each month.", "31/01/2025", "May 2025: done."),
    record(
        "Cyber Security",
        "Medium",
        "Multi-factor authentication should cover every remote login.",
        "30/09/2024",
        "June 2025: 80% of accounts are covered.",
    ),
    record(
        "Treasury Management",
        "High",
        "Counterparty limits should be checked before each deal.",
        "31/07/2024",
        "No update has been received.",
    ),
    record(
        "Purchasing Cards",
        "Low",
        "Cardholders should keep receipts for every purchase.",
        "31/05/2024",
        "March 2025: reminder sent to all cardholders.",
    ),
]


def read(pages: list[list[list[str | None]]]):
    """Rows as a PDF gives them: each page's header, then its rows."""
    rows = [Row(["Overdue recommendations as at 30 June 2025"], 1)]
    for number, page in enumerate(pages, start=1):
        rows.append(Row(list(HEADER), number))
        rows.extend(Row(cells, number) for cells in page)
    return assemble(rows, load_layouts())


def test_a_title_cut_by_a_page_break_is_one_record_with_the_title_joined():
    cut = record("Schools Capital", "H", "Capital schemes should be", "31/05/2024", "May 2025: two of the")
    rest = record("Programme", "", "profiled each quarter.", "", "schemes are late.")
    assembled = read([FILLER + [cut], [rest] + FILLER])
    assert len(assembled.records) == 9
    joined = assembled.records[4]
    assert joined.columns[0] == "Schools Capital Programme"
    assert joined.columns[2] == "Capital schemes should be profiled each quarter."
    assert joined.columns[3] == "31/05/2024"
    [warning] = assembled.warnings
    assert "top of page 2" in warning and "'Risk'" in warning and "Programme" in warning


def test_a_record_that_starts_at_a_page_top_stays_a_record():
    first = record("Payroll", "High", "Reconcile monthly.", "31/03/2025", "June 2025: done.")
    second = record("Payroll", "Medium", "Review access.", "30/06/2025", "June 2025: in hand.")
    assembled = read([FILLER + [first], [second] + FILLER])
    assert [r.columns[1] for r in assembled.records[4:6]] == ["High", "Medium"]
    assert len(assembled.records) == 10 and not assembled.warnings


def test_a_row_cut_after_the_first_line_of_every_cell_is_joined():
    """Every usual column holds text on both sides of the break: the text decides."""
    cut = record("Childrens Services -", "High", "The Head of Service should confirm when the", "31 December", "A revised policy was")
    rest = record("Supervisions", "Medium", "process will restart.", "2022", "issued in April.")
    assembled = read([FILLER + [cut], [rest] + FILLER])
    assert len(assembled.records) == 9
    assert assembled.records[4].columns[0] == "Childrens Services - Supervisions"
    assert assembled.records[4].columns[3] == "31 December 2022"
    assert "left open" in assembled.warnings[0]


def test_a_hyphen_cut_across_pages_joins_without_a_space():
    cut = record("Incident & Problem Management 22-", "High", "Review the process.", "31/03/2025", "May 2025: under")
    rest = record("23", "", "", "", "way.")
    [*_, joined, _] = read([FILLER + [cut], [rest, FILLER[0]]]).records
    assert joined.columns[0] == "Incident & Problem Management 22-23"
    assert joined.columns[4] == "May 2025: under way."


def test_a_heading_at_a_page_top_stays_a_heading_but_a_lone_title_piece_joins():
    heading = ["Medium priority", None, None, None, None]  # a merged cell spanning the row
    assembled = read([FILLER, [heading] + FILLER])
    assert [r.section for r in assembled.records] == [None] * 4 + ["Medium priority"] * 4
    piece = ["(Corporate Resources)", "", "", "", ""]  # drawn cells, only the first filled
    assembled = read([FILLER, [piece] + FILLER])
    assert assembled.records[3].columns[0] == "Purchasing Cards (Corporate Resources)"
    assert all(r.section is None for r in assembled.records)


CHUNKED = """Appendix A: overdue audit recommendations as at 31 March 2025

Audit\tRisk\tRecommendation\tTarget Date\tLatest update
Payroll 2024-25\tHigh\t<p>Reconcile the payroll to the ledger monthly.</p>\t31/03/2025\tMarch 2025: done.
Schools Capital\tMedium\t<p>Capital schemes should be</p>\t30/06/2025\t<p>March 2025: two of the</p>
\x0c
Page 2 of 3
Audit\tRisk\tRecommendation\tTarget Date\tLatest update
Programme\t\t<p>profiled each quarter.</p>\t\t<p>schemes are late.</p>
Pensions 2024-25\tLow\tReconcile the scheme.\t31/12/2024\tMarch 2025: in hand.
Fleet Management 2023-\tMedium\tCheck the vehicle log books.\t31/01/2025\tMarch 2025: checks under
<!-- PageBreak -->
24\t\t\t\tway.

Housing Rents 2024-25\tHigh\tChase the arrears.\t30/04/2025\tMarch 2025: in hand.
"""


def test_page_chunks_of_converted_text_join_as_pdf_pages_do(tmp_path):
    """A converter writes a page at a time: a form feed, a printed page number, a page-mark
    comment or a blank line between chunks, the header repeated. The rule is the same."""
    path = tmp_path / "chunked.txt"
    path.write_text(CHUNKED, encoding="utf-8")
    report = parse_file(path, "Test Council")
    titles = [r["audit_title"] for r in report.records]
    assert titles == [
        "Payroll 2024-25",
        "Schools Capital Programme",
        "Pensions 2024-25",
        "Fleet Management 2023-24",
        "Housing Rents 2024-25",
    ]
    capital = report.records[1]
    assert capital["recommendation"] == "Capital schemes should be profiled each quarter."
    assert capital["risk_level"] == "medium" and capital["original_target_date"].isoformat() == "2025-06-30"
    assert report.records[3]["latest_update"] == "March 2025: checks under way."
    assert all(r["source_page"] is None for r in report.records)


def test_text_rows_know_their_page_chunk():
    rows = _line_rows('Title\n\na\tb\nc\td\x0ce\tf\n<!-- PageNumber="3" -->\ng\th\n')
    assert [(r.cells[0], r.chunk) for r in rows] == [("Title", 0), ("a", 1), ("c", 1), ("e", 2), ("g", 3)]


@pytest.mark.parametrize(
    "before, after, gap",
    [
        ("Incident & Problem Management 22-", "23", ""),
        ("Pensions 2023-", "24", ""),
        ("post go-", "live", ""),
        ("Anti-", "Fraud and Corruption", ""),
        ("COVID-", "19 recovery", ""),
        ("a 24-", "hour service", ""),
        ("Business Rates -", "Small Business", " "),
        ("Case 150-", "Bridlepath", " "),
        ("extend to 31/03/20", "24 at the latest", ""),
        ("31/03/2024", "30/06/2024", " "),
        ("Actions agreed:", "1. Review the policy", "\n"),
        ("the go", "-live date", ""),
        ("Schools Capital", "Programme", " "),
        ("Ref DT/", "23/04", ""),
        ("Council Tax 2023/", "24", ""),
        ("see section 4 /", "appendix", " "),
    ],
)
def test_wrapped_lines_join_as_written(before, after, gap):
    assert separator(before, after) == gap


def test_cells_keep_paragraphs_and_mend_words_wrapped_in_narrow_columns():
    vocabulary = Counter({"reconciliation": 2, "bank": 1})
    assert _join_wrapped("Financial Systems 2022-\n23", vocabulary) == "Financial Systems 2022-23"
    assert _join_wrapped("the bank recon-\nciliation", vocabulary) == "the bank reconciliation"
    assert _join_wrapped("In-Complete\n\nService expects to", vocabulary) == "In-Complete\nService expects to"
    assert _join_wrapped("Actions:\n• first\n• second", vocabulary) == "Actions:\n• first\n• second"


def words(x0: float, top: float, *texts: str, size: float = 8) -> Line:
    """A line of words 5 points a character, a space of 2."""
    out, x = [], x0
    for text in texts:
        out.append(Word(x, x + 5 * len(text), top, top + size, text))
        x += 5 * len(text) + 2
    return Line(out, top, top + size)


def test_a_line_that_stops_short_of_the_edge_ends_a_paragraph():
    # A 100-point column: "In-Complete" stops at 57 though "Service" (35) would fit after it.
    lines = [words(2, 0, "In-Complete"), words(2, 10, "Service", "expects", "to"), words(2, 20, "share", "evidence")]
    assert cell_text(lines, 0, 100) == "In-Complete\n\nService expects to\nshare evidence"
    # The same lines further apart than the usual pitch: a paragraph break either way.
    spaced = [words(2, 0, "Reconcile", "the", "ledger", "and"), words(2, 13, "payroll")]
    assert cell_text(spaced, 0, 80, pitch=10) == "Reconcile the ledger and\n\npayroll"
    assert cell_text(spaced, 0, 80) == "Reconcile the ledger and\npayroll"
