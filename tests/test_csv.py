"""CSV exports read as well as the parsed text of the same appendix, whatever their delimiter and
encoding; the as-at date from the command line or the manifest; and the three new kinds loaded
together through `etl load`'s workers, with the figures of the text."""

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from app.uploads import content_problem
from etl.extract.csv import extract_csv
from etl.extract.text import extract_text
from etl.load import load
from etl.parse import ParseError, parse_file
from etl.store.readonly import open_safe
from tests.officemaker import agreement, csv_from_rows, docx_from_rows, ole_file, xlsx_from_paper_rows, xlsx_from_rows
from tests.samples import SEEDS, seed_path

FORMS = {"000": (",", "utf-8-sig"), "001": (";", "cp1252"), "002": ("\t", "utf-16"), "003": (",", "utf-8"), "004": ("|", "cp1252")}


@pytest.mark.slow
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_sample_appendix_as_csv_gives_the_records_of_its_text(tmp_path, seed):
    council = SEEDS[seed][1]
    delimiter, encoding = FORMS[seed]
    rows = extract_text(seed_path(seed))
    path = csv_from_rows(rows, tmp_path / f"{seed}.csv", delimiter, encoding)
    from_text = parse_file(seed_path(seed), council)
    report = parse_file(path, council)
    assert len(report.records) == len(from_text.records)
    assert (report.report_date, report.report_date_source) == (from_text.report_date, from_text.report_date_source)
    right, total, misses = agreement(report, from_text)
    if encoding == "cp1252":  # what Windows-1252 cannot hold was written as '?'
        misses = [m for m in misses if not (isinstance(m[3], str) and "?" in m[3])]
        right = total - len(misses)
    assert right == total, misses[:5]
    assert report.parser == "csv"


def test_quoted_cells_with_delimiters_and_line_breaks(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "Ref,Audit,Target date,Recommendation,Latest update\r\n"
        '1,"Payroll, overtime",31/01/2025,"Approve claims, then:\n- review monthly\n- report","He said ""done""."\r\n',
        encoding="utf-8",
    )
    rows = [list(r.cells) for r in extract_csv(path)]
    assert rows[1] == ["1", "Payroll, overtime", "31/01/2025", "Approve claims, then:\n- review monthly\n- report", 'He said "done".']
    report = parse_file(path, "Test Council", as_at=date(2025, 3, 31))
    assert report.records[0]["audit_title"] == "Payroll, overtime"


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ";"), ("cp1252", ","), ("utf-16", "\t"), ("utf-8", "|")])
def test_encodings_and_delimiters_are_sniffed(tmp_path, encoding, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(
        [["Audit", "Risk", "Target date", "Recommendation"], ["Café licensing – £5k", "High", "31/01/2025", "Check fees; report <monthly>"]]
    )
    text = buffer.getvalue()
    path = tmp_path / "e.csv"
    path.write_bytes(text.encode(encoding))
    rows = [list(r.cells) for r in extract_csv(path)]
    assert rows[0] == ["Audit", "Risk", "Target date", "Recommendation"]
    report = parse_file(path, "Test Council", as_at=date(2025, 3, 31))
    record = report.records[0]
    assert record["audit_title"] == "Café licensing – £5k" and record["risk_level"] == "high"
    assert record["recommendation"] == "Check fees; report <monthly>"  # text, not markup


@pytest.mark.slow
def test_the_as_at_date_comes_from_the_command_line_or_the_manifest_when_the_file_has_none(tmp_path):
    rows = extract_text(seed_path("000"))
    path = csv_from_rows(rows, tmp_path / "export.csv", title=False)
    assert parse_file(path, "Harborough District Council").report_date_source == "inferred"
    given = parse_file(path, "Harborough District Council", as_at=date(2024, 8, 31))
    assert (given.report_date, given.report_date_source) == (date(2024, 8, 31), "given")
    (tmp_path / "manifest.toml").write_text(
        '[[report]]\nfile = "export.csv"\ncouncil = "Harborough District Council"\nas_at = 2024-08-31\n'
    )
    [outcome] = load([tmp_path], tmp_path / "audit.duckdb")
    assert outcome.outcome == "loaded", outcome.message
    con = duckdb.connect(str(tmp_path / "audit.duckdb"), read_only=True)
    assert con.sql("SELECT report_date, report_date_source, parser FROM reports").fetchall() == [(date(2024, 8, 31), "given", "csv")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7", "not a CSV file: the file is a PDF"),
        (b"PK\x03\x04rest", "not a CSV file: the file is a ZIP package"),
        (ole_file(), "not a CSV file: the file is an Office binary file"),
        (b"Audit,Risk\x00\x01\x02", "binary"),
    ],
)
def test_what_is_not_csv_is_refused(tmp_path, data, message):
    assert message in content_problem("x.csv", data, 50)
    (tmp_path / "x.csv").write_bytes(data)
    with pytest.raises(ParseError, match=message):
        parse_file(tmp_path / "x.csv", "Test Council")


@pytest.mark.slow
def test_word_excel_and_csv_load_through_the_workers_with_the_figures_of_the_text(tmp_path, sample_db):
    """`etl load` on a folder holding each sample as .docx, .xlsx and .csv, a manifest naming the
    councils: every file loads in a worker, and the slippage figures equal the text's."""
    folder = tmp_path / "papers"
    folder.mkdir()
    makers = {"docx": docx_from_rows, "xlsx": xlsx_from_rows, "csv": csv_from_rows}
    manifest = []
    for kind, make in makers.items():
        for seed in ("000", "003"):
            make(extract_text(seed_path(seed)), folder / f"{kind}-{seed}.{kind}")
            manifest.append(f'[[report]]\nfile = "{kind}-{seed}.{kind}"\ncouncil = "{SEEDS[seed][1]} ({kind})"\n')
    (folder / "manifest.toml").write_text("".join(manifest))
    db = tmp_path / "audit.duckdb"
    outcomes = load([folder], db, jobs=2)
    assert [o.outcome for o in outcomes] == ["loaded"] * 6, [o.line() for o in outcomes]
    figures = (
        "SELECT regexp_replace(council, ' \\((docx|xlsx|csv)\\)$', '') AS council, record_no, audit_title, risk_level, "
        "status, original_target_date, current_target_date, target_history, revision_count, "
        "days_past_original_target, no_update_flag FROM slippage WHERE council LIKE '%{}%' ORDER BY council, record_no"
    )
    con = duckdb.connect(str(db), read_only=True)
    text = open_safe(sample_db)  # as the app opens it: the dashboard's tests may hold it open so
    want = text.sql(figures.format("") + "").fetchall()
    want = [row for row in want if row[0] in (SEEDS["000"][1], SEEDS["003"][1])]
    for kind in makers:
        got = con.sql(figures.format(f"({kind})")).fetchall()
        assert got == want, kind
    parsers = con.sql("SELECT parser, count(*) FROM reports GROUP BY parser ORDER BY parser").fetchall()
    assert parsers == [("csv", 2), ("docx", 2), ("xlsx", 2)]


ZOO = Path(__file__).parent / "documents" / "zoo"


@pytest.mark.slow
@pytest.mark.skipif(not (ZOO / "README.md").exists(), reason="the layout zoo comes with the layouts work (tests/documents/zoo)")
@pytest.mark.parametrize("form", ["docx", "xlsx", "paper.xlsx", "csv"])
def test_layouts_unlike_the_samples_as_word_excel_and_csv(tmp_path, form):
    """Every appendix of the layout zoo (hand-checked expected values), written as a Word paper,
    an Excel tracker, a paper's table pasted into Excel (two-row headers merged) and a CSV
    export: every record count right and 95% of fields per file."""
    from tests import zoo_score

    make = {"docx": docx_from_rows, "xlsx": xlsx_from_rows, "paper.xlsx": xlsx_from_paper_rows, "csv": csv_from_rows}[form]
    # The zoo's spreadsheets and exports (make_sheets.py) have no text form to convert: they are
    # scored as they are by test_zoo.
    written = [
        (name, source)
        for name in zoo_score.documents()
        for source in [next((ZOO / f"{name}{s}" for s in (".txt", ".md", ".html") if (ZOO / f"{name}{s}").exists()), None)]
        if source is not None
    ]
    assert len(written) >= 8
    for name, source in written:
        shutil.copy(ZOO / f"{name}.expected.json", tmp_path)
        path = make(extract_text(source), tmp_path / f"{name}.{form}")
        found = zoo_score.score(path, tmp_path)
        assert found["records"] == found["expected_records"], name
        assert found["accuracy"] >= 0.95, (name, found["misses"][:5])


def test_rows_cut_short_keep_their_columns_and_padded_titles_are_one_cell(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(
        "Internal audit tracker,,,,,\r\nRef,Audit,Risk,Target date,Recommendation,Latest update\r\n"
        "1,Payroll,High,31/01/2025\r\n2,Pensions,Low,28/02/2025,Check.,Feb 2025: done.\r\n",
        encoding="utf-8",
    )
    rows = [list(r.cells) for r in extract_csv(path)]
    assert rows[0] == ["Internal audit tracker"]
    assert rows[2] == ["1", "Payroll", "High", "31/01/2025", "", ""]
    report = parse_file(path, "Test Council", as_at=date(2025, 3, 31))
    assert [(r["risk_level"], r["original_target_date"]) for r in report.records] == [
        ("high", date(2025, 1, 31)),
        ("low", date(2025, 2, 28)),
    ]


LONG_HEADER = "Action ID,Audit,Audit Year,Priority,Original Due Date,Revised Due Date,Date of Change,Status,Comment\r\n"


def test_an_export_in_long_format_is_one_record_per_action_its_history_in_change_order(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "Report run: 2025-10-03 08:14\r\n"
        + LONG_HEADER
        + ",Adults and Health,,,,,,,\r\n"
        + "A-1,Direct Payments,2024/25,High,2025-03-31,2025-09-30,2025-06-25,In Progress,Two months left.\r\n"
        + "A-1,Direct Payments,2024/25,High,2025-03-31,2025-06-30,2025-03-20,In Progress,Testing delayed.\r\n"
        + "A-2,Care Homes,2024/25,Low,2025-11-30T00:00:00,,,Not Started,\r\n",
        encoding="utf-8",
    )
    report = parse_file(path, "Test Council")
    assert report.report_date == date(2025, 10, 3)  # from the run line
    first, second = report.records
    history = [e["target_date"] for e in report.events if e["record_no"] == 1 and e["in_history"]]
    assert history == [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)]
    assert (first["audit_title"], first["latest_update"], first["section"], first["directorate"]) == (
        "Direct Payments",
        "Two months left.",
        "Adults and Health",
        "Adults and Health",
    )  # the year is not the title
    assert (second["ref"], second["current_target_date"]) == ("A-2", date(2025, 11, 30))  # ISO with a time


def test_a_wide_table_whose_numbers_restart_under_each_audit_is_not_read_as_long(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        "Ref,Audit,Recommendation,Target date,Revised date\r\n"
        "1,Payroll,Reconcile the payroll.,31/03/2025,30/06/2025\r\n"
        "1,Pensions,Check the pension fund.,31/03/2025,30/09/2025\r\n"
        "1,Payroll,Approve overtime claims.,31/05/2025,31/08/2025\r\n",
        encoding="utf-8",
    )
    report = parse_file(path, "Test Council", as_at=date(2025, 10, 1))
    assert len(report.records) == 3  # the same number, but other recommendations: three records


def test_a_long_export_without_change_dates_orders_each_history_by_its_revised_dates(tmp_path):
    path = tmp_path / "newest_first.csv"
    path.write_text(
        "Action Reference,Audit,Due Date,Revised Due Date,Status\r\n"
        "B-7,Fleet,30/09/2024,31/05/2025,Open\r\n"
        "B-7,,30/09/2024,31/01/2025,Open\r\n"  # the audit on the first row only
        "B-8,Parks,31/12/2025,,Open\r\n",
        encoding="utf-8",
    )
    report = parse_file(path, "Test Council", as_at=date(2025, 10, 1))
    assert [(r["ref"], r["audit_title"], r["current_target_date"]) for r in report.records] == [
        ("B-7", "Fleet", date(2025, 5, 31)),
        ("B-8", "Parks", date(2025, 12, 31)),
    ]


def test_a_long_export_printing_each_action_on_its_first_row_only(tmp_path):
    path = tmp_path / "first_row_only.csv"
    path.write_text(
        "Extract date: 02/10/2025\r\n"
        "Action ID,Audit,Original Due Date,Revised Due Date,Date Changed,Status,Comment\r\n"
        "A-1,Payroll,2025-03-31,,,Open,Agreed.\r\n"
        ",,,2025-06-30,2025-03-20,Open,Testing delayed.\r\n"
        ",,,2025-09-30,2025-06-20,Open,Two months left.\r\n"
        "A-2,Pensions,2025-05-31,,,Open,Fine\r\n",
        encoding="utf-8",
    )
    report = parse_file(path, "Test Council")
    assert [(r["ref"], r["audit_title"], r["current_target_date"], r["latest_update"]) for r in report.records] == [
        ("A-1", "Payroll", date(2025, 9, 30), "Two months left."),
        ("A-2", "Pensions", date(2025, 5, 31), "Fine"),
    ]
    assert [e["target_date"] for e in report.events if e["record_no"] == 1 and e["in_history"]] == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
    ]
