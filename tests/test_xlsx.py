"""Excel workbooks read as well as the parsed text of the same appendix, and every feature of a
tracker on workbooks written in the tests."""

import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import PatternFill

from app.uploads import content_problem
from etl.extract.rows import ExtractError
from etl.extract.text import extract_text
from etl.extract.xlsx import cell_text, extract_xlsx
from etl.parse import ParseError, parse_file
from tests.officemaker import (
    RAW_FIELDS,
    agreement,
    declare_size,
    docx_from_rows,
    ole_file,
    xlsx_from_paper_rows,
    xlsx_from_rows,
    zip_with,
)
from tests.samples import SEEDS, seed_path

HEADER = ["Ref", "Audit", "Risk", "Recommendation", "Target date", "Latest update"]


def workbook(path, rows, title=("Internal audit recommendations",), sheet="Tracker", before=None):
    wb = Workbook()
    if before:
        wb.active.title = before[0]
        for row in before[1]:
            wb.active.append(row)
        ws = wb.create_sheet(sheet)
    else:
        ws = wb.active
        ws.title = sheet
    for line in title:
        ws.append(list(line) if isinstance(line, tuple | list) else [line])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def cells(rows):
    return [[c for c in row.cells] for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_sample_appendix_as_a_workbook_gives_the_records_of_its_text(tmp_path, seed):
    council = SEEDS[seed][1]
    path = xlsx_from_rows(extract_text(seed_path(seed)), tmp_path / f"{seed}.xlsx")
    from_text = parse_file(seed_path(seed), council)
    report = parse_file(path, council)
    assert len(report.records) == len(from_text.records)
    assert (report.report_date, report.report_date_source) == (from_text.report_date, from_text.report_date_source)
    right, total, misses = agreement(report, from_text, skip=("source_page", *RAW_FIELDS))
    assert right == total, misses[:5]
    # The only field that differs is the target as printed: a date cell reads as an ISO date.
    right_raw, total_raw, raw_misses = agreement(report, from_text)
    assert {field for _, field, _, _ in raw_misses} <= RAW_FIELDS
    assert [e["target_date"] for e in report.events] == [e["target_date"] for e in from_text.events]
    assert report.parser == "xlsx" and report.pages is None


def test_title_rows_and_an_as_at_date_cell(tmp_path):
    path = workbook(
        tmp_path / "t.xlsx",
        [[1, "Payroll", "High", "Reconcile.", datetime(2025, 1, 31), "Done."]],
        title=["Follow-up of internal audit recommendations", ("Position as at", date(2025, 3, 31)), ()],
    )
    rows = extract_xlsx(path)
    assert cells(rows[:2]) == [["Follow-up of internal audit recommendations"], ["Position as at 31 March 2025"]]
    report = parse_file(path, "Test Council")
    assert (report.report_date, report.report_date_source) == (date(2025, 3, 31), "printed")
    assert report.records[0]["original_target_date"] == date(2025, 1, 31)


def test_date_cells_are_iso_month_formats_stay_months_and_text_dates_stay_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER + ["Revised date 1", "Revised date 2"])
    ws.append([1, "Payroll", "High", "Reconcile.", datetime(2024, 3, 31), "x", datetime(2024, 6, 1), "31/12/2024"])
    ws["E2"].number_format = "mm/dd/yyyy"  # a US format: read without guessing
    ws["G2"].number_format = "mmm-yy"
    ws.append([2, "Pensions", "Low", "Check.", date(2024, 2, 5), "y", "TBC", None])
    ws["E3"].number_format = "d mmmm yyyy"
    wb.save(tmp_path / "d.xlsx")
    rows = cells(extract_xlsx(tmp_path / "d.xlsx"))
    assert rows[1] == ["1", "Payroll", "High", "Reconcile.", "2024-03-31", "x", "June 2024", "31/12/2024"]
    assert rows[2][4] == "2024-02-05" and rows[2][6] == "TBC"
    report = parse_file(tmp_path / "d.xlsx", "Test Council", as_at=date(2025, 1, 31))
    assert [r["original_target_date"] for r in report.records] == [date(2024, 3, 31), date(2024, 2, 5)]


def test_numbers_as_printed():
    assert cell_text(61) == "61" and cell_text(61.0) == "61"
    assert cell_text(0.75, "0%") == "75%" and cell_text(0.125, "0.0%") == "12.5%"
    assert cell_text(1234.5, "#,##0.00") == "1,234.50" and cell_text(2.5) == "2.5"
    assert cell_text(True) == "TRUE" and cell_text("a < b & c") == "a &lt; b &amp; c"


def test_merged_section_rows_and_several_revised_date_columns(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Recommendations tracker"])
    ws.append(["", *HEADER])  # a margin column, empty
    ws.append(["", "High risk recommendations"])
    ws.merge_cells("B3:G3")
    ws.append(["", 1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."])
    ws.append([None, None, "Medium risk recommendations"])  # merged from its second column
    ws.merge_cells("C5:G5")
    ws.append(["", 2, "Pensions", "Medium", "Check.", "28/02/2025", "Feb 2025: done."])
    wb.save(tmp_path / "m.xlsx")
    rows = cells(extract_xlsx(tmp_path / "m.xlsx"))
    assert rows[2] == ["High risk recommendations", "", "", "", "", ""]
    assert rows[4] == ["Medium risk recommendations", "", "", "", "", ""]
    report = parse_file(tmp_path / "m.xlsx", "Test Council")
    assert [r["section"] for r in report.records] == ["High risk recommendations", "Medium risk recommendations"]
    assert [r["ref"] for r in report.records] == ["1", "2"]


def test_a_header_printed_in_two_rows_with_merged_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["No.", "Audit", "Recommendation", "Target date", None, "Status"])
    ws.append([None, None, None, "Original", "Revised", None])
    for column in "ABCF":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("D1:E1")
    ws.append([1, "Payroll", "Reconcile.", date(2024, 3, 31), date(2024, 9, 30), "Open"])
    wb.save(tmp_path / "h.xlsx")
    rows = cells(extract_xlsx(tmp_path / "h.xlsx"))
    # As a PDF gives it: the merged cell's text in its first column, the cells it covers empty.
    assert rows[:2] == [["No.", "Audit", "Recommendation", "Target date", "", "Status"], ["", "", "", "Original", "Revised", ""]]
    assert rows[2] == ["1", "Payroll", "Reconcile.", "2024-03-31", "2024-09-30", "Open"]


def test_hidden_rows_are_read_hidden_helper_columns_left_out_and_fills_give_nothing(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."])
    ws.append([2, "Pensions", "Low", "Check.", "28/02/2025", "Feb 2025: done."])
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions["H"].hidden = True  # empty
    for ref in ("H2", "I3", "A10", "B11"):
        ws[ref].fill = PatternFill("solid", start_color="FF0000")  # colour and no text
    wb.save(tmp_path / "x.xlsx")
    rows = cells(extract_xlsx(tmp_path / "x.xlsx"))
    # A row hidden by a filter is still a record; a hidden column is a helper, not the table's.
    assert len(rows) == 3 and all(len(r) == 5 for r in rows)
    assert rows[2] == ["2", "Pensions", "Check.", "28/02/2025", "Feb 2025: done."]


def test_a_bold_first_line_and_line_breaks_in_a_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Audit area and issue", "Target date", "Recommendation"])
    ws.append(
        [
            1,
            CellRichText([TextBlock(InlineFont(b=True), "Payroll"), "\nOvertime claims were not approved."]),
            "31/01/2025",
            "Approve claims.\nReview monthly.",
        ]
    )
    ws.append([2, CellRichText([TextBlock(InlineFont(b=True), "All bold")]), "28/02/2025", "x"])
    wb.save(tmp_path / "b.xlsx")
    rows = cells(extract_xlsx(tmp_path / "b.xlsx"))
    assert rows[1][1] == "<b>Payroll</b>\nOvertime claims were not approved."
    assert rows[1][3] == "Approve claims.\nReview monthly." and rows[2][1] == "All bold"
    report = parse_file(tmp_path / "b.xlsx", "Test Council", as_at=date(2025, 3, 31))
    assert report.records[0]["recommendation"] == "Approve claims.\nReview monthly."


def test_the_sheet_the_layouts_map_is_read_and_a_key_sheet_gives_lines_after_the_table(tmp_path):
    key = ("Key", [["Priority", "Meaning"], ["High", "Action is imperative"], ["Low", "Housekeeping"]])
    path = workbook(
        tmp_path / "k.xlsx",
        [[1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."]],
        title=["Audit tracker as at 31 March 2025"],
        before=key,
    )
    rows = cells(extract_xlsx(path))
    assert rows[:2] == [["Audit tracker as at 31 March 2025"], HEADER]
    assert rows[3:] == [["Priority – Meaning"], ["High – Action is imperative"], ["Low – Housekeeping"]]
    report = parse_file(path, "Test Council")
    assert len(report.records) == 1 and report.report_date == date(2025, 3, 31)
    assert report.title == "Audit tracker as at 31 March 2025"  # the key is not the title


def test_a_workbook_with_no_mappable_sheet_names_the_sheets_seen(tmp_path):
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Council", "Year", "Total"])
    wb.create_sheet("Notes").append(["Nothing here"])
    wb.save(tmp_path / "n.xlsx")
    with pytest.raises(ParseError) as failure:
        parse_file(tmp_path / "n.xlsx", "Test Council")
    message = str(failure.value)
    assert "no sheet has a recommendation table" in message and "'Summary'" in message and "'Notes'" in message
    assert "'Council'" in message and "\n" not in message


def test_two_table_sheets_are_both_read_each_a_section(tmp_path):
    wb = Workbook()
    for name, ref in (("Open", 1), ("Implemented", 2)):
        ws = wb.create_sheet(name)
        ws.append(HEADER)
        ws.append([ref, f"Audit {ref}", "High", "Do it.", "31/01/2025", "Jan 2025: x"])
    del wb["Sheet"]
    wb.save(tmp_path / "two.xlsx")
    report = parse_file(tmp_path / "two.xlsx", "Test Council")
    assert [(r["ref"], r["section"]) for r in report.records] == [("1", "Open"), ("2", "Implemented")]


def test_xlsm_is_read(tmp_path):
    path = workbook(tmp_path / "t.xlsm", [[1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."]])
    assert parse_file(path, "Test Council").parser == "xlsx"


BAD = [
    (lambda p: p.write_bytes(ole_file()), "the workbook is password-protected: save an unprotected copy"),
    (lambda p: p.write_bytes(ole_file(encrypted=False)), "97-2003"),
    (lambda p: p.write_text("Ref,Audit\n1,Payroll\n"), "not a workbook"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 100), "damaged"),
    (lambda p: p.write_bytes(workbook(p.with_suffix(".zip"), []).read_bytes()[:3000]), "damaged"),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_workbooks_fail_with_one_clear_line(tmp_path, make, message):
    path = tmp_path / "bad.xlsx"
    make(path)
    with pytest.raises(ParseError) as failure:
        parse_file(path, "Test Council")
    assert message in str(failure.value) and "\n" not in str(failure.value)


def test_a_word_document_named_xlsx_is_refused_by_content(tmp_path):
    rows = extract_text(seed_path("000"))
    word = docx_from_rows(rows, tmp_path / "paper.docx")
    data = word.read_bytes()
    assert "the file is a Word document" in content_problem("paper.xlsx", data, 50)
    (tmp_path / "paper.xlsx").write_bytes(data)
    with pytest.raises(ParseError, match="not a workbook: the file is a Word document"):
        parse_file(tmp_path / "paper.xlsx", "Test Council")
    assert content_problem("tracker.xlsx", ole_file(), 50) == "the workbook is password-protected: save an unprotected copy"
    real = workbook(tmp_path / "t.xlsx", [])
    assert content_problem("t.xlsx", real.read_bytes(), 50) is None
    assert "not a Word document: the file is an Excel workbook" in content_problem("t.docx", real.read_bytes(), 50)


SPARSE_SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c><c r="B1" t="inlineStr"><is><t>Audit'
    "</t></is></c></row>{far}</sheetData></worksheet>"
)


def _with_sheet(tmp_path, sheet_xml):
    base = workbook(tmp_path / "base.xlsx", [[1, "Payroll", "High", "Reconcile.", "31/01/2025", "x"]])
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return zip_with(tmp_path / "bomb.xlsx", parts)


def test_a_huge_sparse_sheet_is_refused_quickly(tmp_path):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _with_sheet(tmp_path, SPARSE_SHEET.format(far=far))
    started = time.perf_counter()
    with pytest.raises(ExtractError, match="XFD1048576.*refused"):
        extract_xlsx(path)
    assert time.perf_counter() - started < 5


def test_a_sheet_whose_dimension_claims_the_whole_grid_is_read_as_stored(tmp_path):
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2" t="inlineStr"><is><t>Payroll</t></is>'
        '</c><c r="C2" t="inlineStr"><is><t>31/01/2025</t></is></c></row>'
    )
    path = _with_sheet(
        tmp_path,
        SPARSE_SHEET.format(far=row).replace(
            "</t></is></c></row>" + row, '</t></is></c><c r="C1" t="inlineStr"><is><t>Target date</t></is></c></row>' + row
        ),
    )
    started = time.perf_counter()
    rows = cells(extract_xlsx(path))
    assert rows == [["Ref", "Audit", "Target date"], ["1", "Payroll", "31/01/2025"]]
    assert time.perf_counter() - started < 5


def test_too_many_cells_are_refused_before_the_model_is_built(tmp_path, monkeypatch):
    import etl.extract.xlsx as xlsx

    path = workbook(tmp_path / "many.xlsx", [[i, f"Audit {i}", "High", "x", "31/01/2025", "y"] for i in range(50)])
    monkeypatch.setattr(xlsx, "MAX_CELLS", 100)
    with pytest.raises(ExtractError, match="more than 100 cells"):
        extract_xlsx(path)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 1_000_000)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 20)
    with pytest.raises(ExtractError, match="row 20: too large to be an appendix"):
        extract_xlsx(path)


def test_zip_bombs_are_refused_from_the_directory(tmp_path):
    base = workbook(tmp_path / "base.xlsx", [])
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    expanding = zip_with(tmp_path / "ratio.xlsx", {**parts, "xl/media/image1.png": b"\0" * (40 * 1024 * 1024)})
    started = time.perf_counter()
    with pytest.raises(ParseError, match="expands .* times .*refused as a ZIP bomb"):
        parse_file(expanding, "Test Council")
    lying = declare_size(zip_with(tmp_path / "lying.xlsx", parts), "xl/worksheets/sheet1.xml", 3_000_000_000)
    with pytest.raises(ParseError, match="would expand to 2,861 MB .*refused as a ZIP bomb"):
        parse_file(lying, "Test Council")
    assert time.perf_counter() - started < 10


def test_a_summary_sheet_mapping_a_few_columns_is_not_the_table(tmp_path):
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append(["Audit", "Recommendations", "Implemented"])
    summary.append(["Payroll", 3, 1])
    ws = wb.create_sheet("Tracker")
    ws.append(HEADER + ["Responsible Officer", "Status"])
    ws.append([1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: x", "Head of HR", "Open"])
    wb.save(tmp_path / "s.xlsx")
    report = parse_file(tmp_path / "s.xlsx", "Test Council")
    assert [(r["ref"], r["audit_title"]) for r in report.records] == [("1", "Payroll")]


def test_a_sheet_of_record_cards_comes_as_its_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    for ref in ("FDC/23/01", "FDC/23/02"):
        ws.append([f"Recommendation {ref}"])
        for label, value in (("Audit", "Payroll"), ("Priority", "High"), ("Recommendation", "Do it."), ("Target date", date(2025, 1, 31))):
            ws.append([label, value])
    wb.save(tmp_path / "cards.xlsx")
    rows = cells(extract_xlsx(tmp_path / "cards.xlsx"))
    assert rows[:3] == [["Recommendation FDC/23/01"], ["Audit", "Payroll"], ["Priority", "High"]]
    assert rows[4] == ["Target date", "2025-01-31"] and len(rows) == 10


def test_an_audit_merged_down_its_recommendations_names_each_of_them(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "Payroll 2024-25", "High", "Reconcile.", "31/01/2025", "Jan 2025: x"])
    ws.append([2, None, "Low", "Approve overtime.", "28/02/2025", "Feb 2025: y"])
    ws.append([3, None, "Medium", "Check starters.", "31/03/2025", "Mar 2025: z"])
    ws.merge_cells("B2:B4")
    ws.append([4, "Pensions", "Low", "Check.", "30/04/2025", "Apr 2025: w"])
    wb.save(tmp_path / "down.xlsx")
    report = parse_file(tmp_path / "down.xlsx", "Test Council")
    assert [(r["ref"], r["audit_title"]) for r in report.records] == [
        ("1", "Payroll 2024-25"),
        ("2", "Payroll 2024-25"),
        ("3", "Payroll 2024-25"),
        ("4", "Pensions"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_sample_appendix_pasted_from_the_paper_into_excel_gives_the_records_of_its_text(tmp_path, seed):
    """The paper's rows as they stand (repeated headers, rows continued below a page break,
    merged sections), dates as date cells: the text's records, apart from the target as printed."""
    council = SEEDS[seed][1]
    path = xlsx_from_paper_rows(extract_text(seed_path(seed)), tmp_path / f"{seed}.xlsx")
    from_text = parse_file(seed_path(seed), council)
    report = parse_file(path, council)
    assert len(report.records) == len(from_text.records)
    right, total, misses = agreement(report, from_text, skip=("source_page", *RAW_FIELDS))
    assert right == total, misses[:5]


def test_a_sheet_per_directorate_under_title_rows_names_its_rows_and_totals_are_no_records(tmp_path):
    wb = Workbook()
    del wb["Sheet"]
    key = wb.create_sheet("Priority Key")
    for row in (["Priority", "Rating"], [1, "Critical"], [2, "High"], [3, "Medium"], [4, "Low"]):
        key.append(row)
    for name, ref, priority in (("Corporate Resources", "CR-1", 1), ("2024-25", "Y-1", 2), ("Closed", "C-1", 3)):
        ws = wb.create_sheet(name)
        for row in (
            ["Lydcombe District Council"],
            ["Position as at", date(2025, 9, 30)],
            [],
            HEADER,
            [ref, "Payroll 2024-25", priority, "Reconcile.", date(2025, 3, 31), "Sep 2025: new form in use."],
            ["Total", None, None, 1],
        ):
            ws.append(row)
        ws.column_dimensions["G"].hidden = True  # a helper column: were it read, a second target
        ws["G4"], ws["G5"] = "Due date check", "31/12/2099"
    wb.save(tmp_path / "d.xlsx")
    report = parse_file(tmp_path / "d.xlsx", "Test Council")
    assert report.report_date == date(2025, 9, 30)
    assert [(r["ref"], r["section"], r["directorate"], r["status"]) for r in report.records] == [
        ("CR-1", "Corporate Resources", "Corporate Resources", "open"),
        ("Y-1", "2024-25", None, "open"),
        ("C-1", "Closed", None, "closed"),
    ]
    # The key sheet's rows, one label each, are a four-level key: 1 is critical, not high.
    assert [r["risk_level"] for r in report.records] == ["critical", "high", "medium"]


def test_a_key_laid_out_in_title_row_cells_is_the_documents_key(tmp_path):
    title = [
        ("Kestrel Bay Council",),
        ("As at:", date(2025, 7, 31)),
        ("Priority 1", "Critical", "Immediate"),
        ("Priority 2", "High", "Three months"),
        ("Priority 3", "Medium", "Six months"),
        ("Priority 4", "Low", "A year"),
    ]
    path = workbook(
        tmp_path / "k.xlsx",
        [
            [1, "Payroll", "Priority 1", "Reconcile.", "31/01/2025", "Jan 2025: x"],
            [2, "Payroll", "Priority 3", "Check.", "31/01/2025", "Jan 2025: x"],
        ],
        title=title,
    )
    report = parse_file(path, "Test Council")
    assert report.report_date == date(2025, 7, 31)
    assert [r["risk_level"] for r in report.records] == ["critical", "medium"]


def test_a_closed_sheet_printing_fewer_columns_is_read_and_a_summary_sheet_is_not(tmp_path):
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    for row in (["Audit", "Recommendations", "Implemented", "Target date"], ["Payroll", 3, 1, "75%"]):
        summary.append(row)
    tracker = wb.create_sheet("Open")
    for row in (
        HEADER + ["Responsible Officer", "Status", "Revised date"],
        [1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: x", "Head of HR", "Open", "31/03/2025"],
    ):
        tracker.append(row)
    closed = wb.create_sheet("Closed")
    for row in (["Ref", "Audit", "Recommendation"], [2, "Pensions", "Check the fund."]):
        closed.append(row)
    wb.save(tmp_path / "c.xlsx")
    report = parse_file(tmp_path / "c.xlsx", "Test Council", as_at=date(2025, 3, 31))
    assert [(r["ref"], r["section"], r["status"]) for r in report.records] == [("1", "Open", "open"), ("2", "Closed", "closed")]


def test_a_cover_sheet_gives_the_as_at_date_a_deadline_in_notes_does_not(tmp_path):
    cover = ("Cover", [["Internal Audit Tracker"], ["Updates are due at 31 October 2025"], ["Position as at", date(2025, 9, 30)]])
    path = workbook(
        tmp_path / "c.xlsx",
        [[1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."]],
        title=["Lydcombe District Council"],
        before=cover,
    )
    report = parse_file(path, "Test Council")
    assert (report.report_date, report.report_date_source) == (date(2025, 9, 30), "printed")
    assert report.title == "Lydcombe District Council – Position as at 30 September 2025"


def test_audit_headings_inside_a_directorates_sheet_leave_the_sheet_its_directorate(tmp_path):
    wb = Workbook()
    del wb["Sheet"]
    for name in ("Corporate Resources", "Communities"):
        ws = wb.create_sheet(name)
        for row in (
            ["Position as at", date(2025, 9, 30)],
            [],
            HEADER,
            ["Payroll Audit"],
            [f"{name[:2]}1", "Payroll", "High", "Reconcile.", date(2025, 3, 31), "Sep 2025: x"],
        ):
            ws.append(row)
    wb.save(tmp_path / "a.xlsx")
    report = parse_file(tmp_path / "a.xlsx", "Test Council")
    assert [(r["section"], r["directorate"]) for r in report.records] == [
        ("Payroll Audit", "Corporate Resources"),
        ("Payroll Audit", "Communities"),
    ]


def test_a_date_cell_alone_under_a_title_row_finishes_its_line(tmp_path):
    path = workbook(
        tmp_path / "d.xlsx",
        [[1, "Payroll", "High", "Reconcile.", "31/01/2025", "Jan 2025: started."]],
        title=["Outstanding recommendations as at", (date(2025, 9, 30),)],
    )
    report = parse_file(path, "Test Council")
    assert (report.report_date, report.title) == (date(2025, 9, 30), "Outstanding recommendations as at 30 September 2025")
