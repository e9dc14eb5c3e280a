"""Appendices as councils publish them (issue 25, section 1), each rule on a small document of its own
(the zoo's make_published.py documents test them whole): a summary table of counts holds no records,
a heading above each table names its audit, merged cells belong to every row they span, labels inside
cells are not part of the value."""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.platypus import LongTable, Paragraph, TableStyle

from etl.parse import parse_file
from tests.pdfmaker import CELL, build, text

AS_AT = date(2025, 3, 31)


def _parse(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return parse_file(path, "Testshire County Council", as_at=AS_AT)


def test_a_summary_table_of_counts_holds_no_records(tmp_path):
    report = _parse(
        tmp_path,
        "report.md",
        "\n".join(
            [
                "# Internal audit follow-up",
                "",
                "The table below summarises the recommendations by priority.",
                "",
                "| Priority | Number of recommendations | Implemented | Outstanding |",
                "|---|---|---|---|",
                "| High | 2 | 1 | 1 |",
                "| Low | 1 | 0 | 1 |",
                "| Total | 3 | 1 | 2 |",
                "",
                "Appendix A sets out each recommendation.",
                "",
                "| Ref | Audit | Recommendation | Priority | Target date |",
                "|---|---|---|---|---|",
                "| R1 | Payroll 2023-24 | Reconcile the payroll monthly. | High | 31/03/2025 |",
                "| R2 | Payroll 2023-24 | Review overtime claims. | High | 30/06/2025 |",
                "| R3 | Fleet 2023-24 | Count the fuel stock. | Low | 30/09/2025 |",
                "",
                "Background papers: none.",
            ]
        ),
    )
    assert [r["ref"] for r in report.records] == ["R1", "R2", "R3"]
    assert all(r["section"] is None for r in report.records)


def test_a_heading_above_each_table_names_the_audit_without_its_opinion(tmp_path):
    table = ["| Ref | Recommendation | Priority | Target date |", "|---|---|---|---|"]
    report = _parse(
        tmp_path,
        "headed.md",
        "\n".join(
            [
                "# Outstanding recommendations",
                "",
                "## Payroll 2023-24 – Limited Assurance",
                "",
                *table,
                "| P1 | Reconcile the payroll monthly. | High | 31/03/2025 |",
                "",
                "## Creditors 2023/24 (Reasonable Assurance)",
                "",
                "| Ref | Priority | Recommendation | Target date |",
                "|---|---|---|---|",
                "| C1 | Low | Verify bank detail changes. | 30/06/2025 |",
                "| C2 | High | Check for duplicate payments. | 30/06/2025 |",
                "",
                "## Cyber Security 2024-25: No Assurance",
                "",
                *table,
                "| S1 | Enforce multi-factor authentication. | High | 31/12/2025 |",
            ]
        ),
    )
    titles = {r["ref"]: r["audit_title"] for r in report.records}
    assert titles == {"P1": "Payroll 2023-24", "C1": "Creditors 2023/24", "C2": "Creditors 2023/24", "S1": "Cyber Security 2024-25"}
    assert report.records[0]["section"] == "Payroll 2023-24 – Limited Assurance"
    assert {r["ref"]: r["risk_raw"] for r in report.records}["C1"] == "Low"  # read by its own table's header


def test_an_opinion_on_a_line_of_its_own_under_the_audit_name_is_not_the_title(tmp_path):
    table = ["| Ref | Recommendation | Target date |", "|---|---|---|"]
    report = _parse(
        tmp_path,
        "opinions.md",
        "\n".join(
            [
                "# Outstanding recommendations",
                "",
                "Payroll 2023-24",
                "",
                "Assurance opinion: Limited",
                "",
                *table,
                "| P1 | Reconcile the payroll monthly. | 31/03/2025 |",
                "",
                "Fleet Management 2022-23",
                "",
                "Overall opinion: Reasonable",
                "",
                *table,
                "| F1 | Count the fuel stock. | 30/06/2025 |",
            ]
        ),
    )
    assert [r["audit_title"] for r in report.records] == ["Payroll 2023-24", "Fleet Management 2022-23"]


def test_labels_inside_cells_are_not_part_of_the_value(tmp_path):
    report = _parse(
        tmp_path,
        "labels.md",
        "\n".join(
            [
                "| Ref | Audit | Recommendation | Service | Responsible officer | Target date |",
                "|---|---|---|---|---|---|",
                "| R1 | Payroll 2023-24 | Reconcile. | Service: Revenues and Benefits | Lead – Head of Finance | 31/03/2025 |",
                "| R2 | Payroll 2023-24 | Review. | Finance | Officer: Payroll Manager | 31/03/2025 |",
                "| R3 | Payroll 2023-24 | Count. | Finance | Director – Resources | 31/03/2025 |",
            ]
        ),
    )
    people = [(r["directorate"], r["responsible"]) for r in report.records]
    # "Director" names the directorate, not the officer: under Responsible officer it is the value.
    assert people == [("Revenues and Benefits", "Head of Finance"), ("Finance", "Payroll Manager"), ("Finance", "Director – Resources")]


def test_an_html_cell_merged_down_belongs_to_every_row_it_spans(tmp_path):
    report = _parse(
        tmp_path,
        "merged.html",
        """<html><body><p>Position as at 31 March 2025</p>
<table border="1"><tr><th>Ref</th><th>Audit</th><th>Recommendation</th><th>Target date</th><th>Update</th></tr>
<tr><td>R1</td><td rowspan="3">Payroll 2023-24</td><td>Reconcile.</td><td>31/03/2025</td><td>Done in March.</td></tr>
<tr><td>R2</td><td>Review overtime.</td><td>30/06/2025</td><td rowspan="2">Both wait for the new system.</td></tr>
<tr><td>R3</td><td>Check pay changes.</td><td>30/06/2025</td></tr></table></body></html>""",
    )
    rows = [(r["ref"], r["audit_title"], r["latest_update"], r["no_update_stated"]) for r in report.records]
    assert rows == [
        ("R1", "Payroll 2023-24", "Done in March.", False),
        ("R2", "Payroll 2023-24", "Both wait for the new system.", False),
        ("R3", "Payroll 2023-24", "Both wait for the new system.", False),
    ]


def test_a_pdf_cell_merged_down_belongs_to_every_row_it_spans(tmp_path):
    header = ["Ref", "Audit", "Recommendation", "Target Date", "Latest update"]
    body = [
        ["R1", "Payroll 2023-24", "Reconcile the payroll to the ledger monthly.", "31/03/2025", "Done in March."],
        ["R2", "", "Review overtime claims before payment.", "30/06/2025", "Both wait for the new system."],
        ["R3", "", "Check pay changes over ten per cent.", "30/06/2025", ""],
        ["R4", "Fleet 2023-24", "Count the fuel stock quarterly.", "30/09/2025", "Started."],
    ]
    data = [[Paragraph(c, CELL) for c in header]] + [[Paragraph(c, CELL) for c in row] for row in body]
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("SPAN", (1, 1), (1, 3)),
            ("SPAN", (4, 2), (4, 3)),
        ]
    )
    path = build(
        tmp_path / "merged.pdf", [text("Position as at 31 March 2025"), LongTable(data, colWidths=[40, 110, 300, 70, 250], style=style)]
    )
    report = parse_file(path, "Testshire County Council", as_at=AS_AT)
    rows = [(r["ref"], r["audit_title"], r["latest_update"]) for r in report.records]
    assert rows == [
        ("R1", "Payroll 2023-24", "Done in March."),
        ("R2", "Payroll 2023-24", "Both wait for the new system."),
        ("R3", "Payroll 2023-24", "Both wait for the new system."),
        ("R4", "Fleet 2023-24", "Started."),
    ]


def test_a_month_broken_by_a_narrow_date_column_is_put_back_together():
    from etl.extract.rows import separator

    assert separator("30th Septembe", "r 2024") == ""
    assert separator("31st Decembe", "r 2024") == ""
    assert separator("agreed in", "may be late") == " "  # words, not a month cut in two
    assert separator("by the end of", "march 2025") == " "
