"""Word papers read as well as the parsed text of the same appendix, and every feature of a Word
table on documents written in the tests (python-docx, or the XML by hand where python-docx
cannot write what Word does)."""

import time
import zipfile
from datetime import date

import pytest
from docx import Document

from app.uploads import content_problem
from etl.cleantext import clean_cell
from etl.extract.docx import extract_docx
from etl.extract.rows import ExtractError
from etl.extract.text import extract_text
from etl.parse import ParseError, parse_file
from tests.officemaker import agreement, declare_size, docx_from_rows, ole_file, write_cell, xlsx_from_rows, zip_with
from tests.samples import SEEDS, seed_path

HEADER = ["Audit", "Risk", "Target date", "Recommendation", "Latest update"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_sample_appendix_as_a_word_paper_gives_the_records_of_its_text(tmp_path, seed):
    council = SEEDS[seed][1]
    path = docx_from_rows(extract_text(seed_path(seed)), tmp_path / f"{seed}.docx")
    from_text = parse_file(seed_path(seed), council)
    report = parse_file(path, council)
    assert len(report.records) == len(from_text.records)
    assert (report.report_date, report.report_date_source) == (from_text.report_date, from_text.report_date_source)
    right, total, misses = agreement(report, from_text)
    assert right == total, misses[:5]
    assert report.title == from_text.title
    assert report.parser == "docx" and report.pages is None


def paper(path, rows, above=("Internal audit recommendations", "Position as at 31 March 2025"), header=HEADER):
    document = Document()
    for line in above:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(header))
    for values in [header, *rows]:
        row = table.add_row()
        if isinstance(values, str):  # a section row merged across the table
            write_cell(row.cells[0].merge(row.cells[-1]), values)
            continue
        for cell, value in zip(row.cells, values):
            write_cell(cell, value)
    document.save(path)
    return path


def cells(rows):
    return [list(row.cells) for row in rows]


def test_title_and_as_at_above_the_table_and_a_section_merged_across_it(tmp_path):
    path = paper(
        tmp_path / "p.docx",
        [
            "High priority",
            ["Payroll", "High", "31/01/2025", "Reconcile.", "Jan 2025: x"],
            "Medium priority",
            ["Pensions", "Medium", "28/02/2025", "Check.", "Feb 2025: y"],
        ],
    )
    rows = cells(extract_docx(path))
    assert rows[:2] == [["Internal audit recommendations"], ["Position as at 31 March 2025"]]
    assert rows[3] == ["High priority", "", "", "", ""]
    report = parse_file(path, "Test Council")
    assert (report.report_date, report.report_date_source) == (date(2025, 3, 31), "printed")
    assert [r["section"] for r in report.records] == ["High priority", "Medium priority"]
    assert report.title.startswith("Internal audit recommendations")


def test_paragraphs_line_breaks_and_a_bold_first_line_in_a_cell(tmp_path):
    header = ["Ref", "Audit area and issue", "Target date", "Recommendation"]
    path = paper(
        tmp_path / "b.docx",
        [
            [
                "1",
                "<p><b>Payroll</b></p><p>Overtime claims were not approved.</p>",
                "31/01/2025",
                "<p>Approve claims.</p><p>Review monthly.<br>Report to the board.</p>",
            ],
            ["2", "<b>All bold</b>", "28/02/2025", "One paragraph &amp; no more"],
        ],
        header=header,
    )
    rows = cells(extract_docx(path))
    assert rows[3][1] == "<p><b>Payroll</b></p><p>Overtime claims were not approved.</p>"
    assert rows[3][3] == "<p>Approve claims.</p><p>Review monthly.<br>Report to the board.</p>"
    assert rows[4][1] == "All bold" and rows[4][3] == "One paragraph &amp; no more"
    assert clean_cell(rows[3][3]) == "Approve claims.\nReview monthly.\nReport to the board."
    report = parse_file(path, "Test Council")
    assert report.records[1]["recommendation"] == "One paragraph & no more"


def test_repeated_header_rows_and_rows_continued_below_a_page_break(tmp_path):
    path = paper(
        tmp_path / "r.docx",
        [
            ["Payroll", "High", "31/01/2025", "Reconcile the", "Jan 2025: x"],
            HEADER,
            ["", "", "", "payroll monthly.", ""],
            ["Pensions", "Low", "28/02/2025", "Check.", "Feb 2025: y"],
        ],
    )
    report = parse_file(path, "Test Council")
    assert [r["audit_title"] for r in report.records] == ["Payroll", "Pensions"]
    assert report.records[0]["recommendation"] == "Reconcile the payroll monthly."


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _tc(text, props=""):
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def word_package(path, body_xml):
    """A .docx written by hand: what Word writes that python-docx cannot (vertical merges,
    tracked changes, content controls)."""
    return zip_with(
        path,
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
            "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body_xml}</w:body></w:document>',
        },
    )


def test_a_header_in_two_rows_with_merged_cells_comes_as_a_pdf_table_gives_it(tmp_path):
    restart, below, span = '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="2"/>'
    body = (
        "<w:p><w:r><w:t>Status at 30.09.2024</w:t></w:r></w:p><w:tbl>"
        f"<w:tr>{_tc('No.', restart)}{_tc('Audit', restart)}{_tc('Target date', span)}"
        f"{_tc('Status', restart)}</w:tr>"
        f"<w:tr>{_tc('', below)}{_tc('', below)}{_tc('Original')}{_tc('Revised')}{_tc('', below)}</w:tr>"
        f"<w:tr>{_tc('1')}{_tc('Payroll')}{_tc('31.03.23')}{_tc('30.09.23')}{_tc('In progress')}</w:tr>"
        "</w:tbl>"
    )
    rows = cells(extract_docx(word_package(tmp_path / "two.docx", body)))
    assert rows == [
        ["Status at 30.09.2024"],
        ["No.", "Audit", "Target date", "", "Status"],
        ["", "", "Original", "Revised", ""],
        ["1", "Payroll", "31.03.23", "30.09.23", "In progress"],
    ]


def test_tracked_changes_content_controls_and_grid_offsets(tmp_path):
    body = (
        "<w:tbl>"
        f"<w:tr>{_tc('Audit')}{_tc('Target date')}{_tc('Recommendation')}</w:tr>"
        "<w:sdt><w:sdtContent><w:tr>"
        f"{_tc('Payroll')}{_tc('31/01/2025')}"
        '<w:tc><w:p><w:r><w:t xml:space="preserve">Reconcile </w:t></w:r><w:del><w:r><w:delText>weekly</w:delText></w:r></w:del>'
        "<w:ins><w:r><w:t>monthly</w:t></w:r></w:ins><w:r><w:instrText>PAGE</w:instrText></w:r>"
        '<w:hyperlink><w:r><w:t xml:space="preserve"> (see policy)</w:t></w:r></w:hyperlink></w:p></w:tc>'
        "</w:tr></w:sdtContent></w:sdt>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{_tc("28/02/2025")}{_tc("continued")}</w:tr>'
        "</w:tbl>"
    )
    rows = cells(extract_docx(word_package(tmp_path / "t.docx", body)))
    assert rows == [
        ["Audit", "Target date", "Recommendation"],
        ["Payroll", "31/01/2025", "Reconcile monthly (see policy)"],
        ["", "28/02/2025", "continued"],
    ]


def test_a_word_document_with_no_table_says_so(tmp_path):
    document = Document()
    document.add_paragraph("Minutes of the Audit Committee")
    document.save(tmp_path / "minutes.docx")
    with pytest.raises(ParseError) as failure:
        parse_file(tmp_path / "minutes.docx", "Test Council")
    assert str(failure.value) == "the Word document has no table: slippage reads the recommendations from a table"


def test_a_table_the_layouts_cannot_map_names_its_columns(tmp_path):
    path = paper(tmp_path / "u.docx", [["a", "b", "c"]], header=["Council", "Year", "Total"])
    with pytest.raises(ParseError, match="columns seen: 'Council', 'Year', 'Total'"):
        parse_file(path, "Test Council")


BAD = [
    (lambda p: p.write_bytes(ole_file()), "the Word document is password-protected: save an unprotected copy"),
    (lambda p: p.write_bytes(ole_file(encrypted=False)), "97-2003"),
    (lambda p: p.write_text("Audit\tRisk\n"), "not a Word document"),
    (lambda p: p.write_bytes(b"PK\x05\x06" + b"\0" * 18), "the ZIP archive is empty"),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_word_files_fail_with_one_clear_line(tmp_path, make, message):
    path = tmp_path / "bad.docx"
    make(path)
    with pytest.raises(ParseError) as failure:
        parse_file(path, "Test Council")
    assert message in str(failure.value) and "\n" not in str(failure.value)


def test_a_workbook_named_docx_is_refused_by_content(tmp_path):
    book = xlsx_from_rows(extract_text(seed_path("002")), tmp_path / "t.xlsx")
    (tmp_path / "t.docx").write_bytes(book.read_bytes())
    with pytest.raises(ParseError, match="not a Word document: the file is an Excel workbook"):
        parse_file(tmp_path / "t.docx", "Test Council")
    assert content_problem("t.docx", ole_file(), 50) == "the Word document is password-protected: save an unprotected copy"
    word = docx_from_rows(extract_text(seed_path("002")), tmp_path / "p.docx").read_bytes()
    assert content_problem("p.docx", word, 50) is None


def test_zip_bombs_are_refused_before_inflating(tmp_path):
    good = docx_from_rows(extract_text(seed_path("002")), tmp_path / "p.docx")
    with zipfile.ZipFile(good) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    started = time.perf_counter()
    with pytest.raises(ExtractError, match="refused as a ZIP bomb"):
        extract_docx(zip_with(tmp_path / "ratio.docx", {**parts, "word/media/image1.png": b"\0" * (40 * 1024 * 1024)}))
    with pytest.raises(ExtractError, match="would expand to .*refused as a ZIP bomb"):
        extract_docx(declare_size(zip_with(tmp_path / "lying.docx", parts), "word/document.xml", 3_000_000_000))
    assert time.perf_counter() - started < 10


def test_a_key_table_before_the_recommendations_and_a_table_continued_after_a_heading(tmp_path):
    document = Document()
    document.add_paragraph("Outstanding recommendations as at 31 March 2025")
    key = document.add_table(rows=0, cols=2)
    for label, meaning in (("Priority", "Meaning"), ("High", "Action is imperative"), ("Low", "Housekeeping")):
        write_cell(key.add_row().cells[0], label)
        write_cell(key.rows[-1].cells[1], meaning)
    for rows in (
        [HEADER, ["Payroll", "High", "31/01/2025", "Reconcile.", "Jan 2025: x"]],
        [["Pensions", "Low", "28/02/2025", "Check.", "Feb 2025: y"]],
    ):
        if rows[0] is not HEADER:
            document.add_paragraph("Continued")
        table = document.add_table(rows=0, cols=5)
        for values in rows:
            for cell, value in zip(table.add_row().cells, values):
                write_cell(cell, value)
    notes = document.add_table(rows=0, cols=2)
    write_cell(notes.add_row().cells[0], "Note")
    write_cell(notes.rows[-1].cells[1], "Dates are those agreed with the service")
    document.save(tmp_path / "k.docx")
    rows = cells(extract_docx(tmp_path / "k.docx"))
    assert rows[:4] == [
        ["Outstanding recommendations as at 31 March 2025"],
        ["Priority – Meaning"],
        ["High – Action is imperative"],
        ["Low – Housekeeping"],
    ]
    assert rows[-1] == ["Note – Dates are those agreed with the service"]
    report = parse_file(tmp_path / "k.docx", "Test Council")
    assert [(r["audit_title"], r["risk_level"]) for r in report.records] == [("Payroll", "high"), ("Pensions", "low")]
    assert report.title.startswith("Outstanding recommendations")


def test_record_cards_come_as_their_rows(tmp_path):
    document = Document()
    for ref, audit in (("FDC/23/01", "Payroll"), ("FDC/23/02", "Pensions")):
        document.add_paragraph(f"Recommendation {ref}")
        card = document.add_table(rows=0, cols=2)
        for label, value in (("Audit", audit), ("Priority", "High"), ("Recommendation", "Do it."), ("Target date", "31/01/2025")):
            write_cell(card.add_row().cells[0], label)
            write_cell(card.rows[-1].cells[1], value)
    document.save(tmp_path / "cards.docx")
    rows = cells(extract_docx(tmp_path / "cards.docx"))
    assert rows[:3] == [["Recommendation FDC/23/01"], ["Audit", "Payroll"], ["Priority", "High"]]
    assert len(rows) == 10


def test_an_audit_merged_down_its_recommendations_names_each_of_them(tmp_path):
    restart, below = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{_tc('Ref', restart)}{_tc('Audit', restart)}{_tc('Target date')}{_tc('Recommendation')}</w:tr>"
        f"<w:tr>{_tc('', below)}{_tc('', below)}{_tc('31/01/2025')}{_tc('(continued header)')}</w:tr>"
        f"<w:tr>{_tc('1')}{_tc('Payroll', restart)}{_tc('31/01/2025')}{_tc('Reconcile.')}</w:tr>"
        f"<w:tr>{_tc('2')}{_tc('', below)}{_tc('28/02/2025')}{_tc('Approve overtime.')}</w:tr>"
        f"<w:tr>{_tc('3')}{_tc('Pensions')}{_tc('30/04/2025')}</w:tr>"  # a short row: cells fill from the left
        "</w:tbl>"
    )
    rows = cells(extract_docx(word_package(tmp_path / "down.docx", body)))
    assert rows[1] == ["", "", "31/01/2025", "(continued header)"]  # merged down from the header: empty
    assert rows[2:] == [
        ["1", "Payroll", "31/01/2025", "Reconcile."],
        ["2", "Payroll", "28/02/2025", "Approve overtime."],
        ["3", "Pensions", "30/04/2025", ""],
    ]
