"""A council's appendix read the first time: headers by meaning, two-row headers, combined title
columns, % complete and RAG, risk by the document's own scale, status from row, section and update,
no-update wordings, unmapped columns kept. Each document here is small and written for the rule."""

from datetime import date
from pathlib import Path

import pytest

from etl.interpret.fields import FieldReader
from etl.interpret.risk import RiskReader
from etl.layouts.config import load_layouts
from etl.parse import parse_file

LAYOUTS = load_layouts()
F = FieldReader(LAYOUTS)
RISK = RiskReader(LAYOUTS)


def tsv(tmp_path: Path, *lines: str, name: str = "appendix.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, **kw):
    return parse_file(path, "Anytown Borough Council", **kw)


def history(report, record_no: int) -> list[str]:
    return [
        e["target_date"].isoformat() if e["target_date"] else "TBC"
        for e in report.events
        if e["record_no"] == record_no and e["in_history"]
    ]


# -- headers by meaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, field",
    [
        ("Officer Update", "latest_update"),  # update outranks officer
        ("Latest position", "latest_update"),
        ("Updated Management Response", "latest_update"),
        ("Management Response", "management_response"),
        ("Progress to date", "latest_update"),
        ("Comments", "latest_update"),
        ("Responsible Officer", "responsible"),
        ("Action Owner", "responsible"),
        ("% complete", "percent_complete"),  # progress as a number, not an update
        ("Progress %", "percent_complete"),
        ("RAG", "rag"),
        ("RAG status", "rag"),  # neither risk nor status
        ("Target Completion Date", "target"),
        ("Due", "target"),
        ("Agreed date", "target"),
        ("Original target", "target"),
        ("Implementation Date", "target"),
        ("Revised Target Completion Date", "revised_target"),
        ("Revised date 2", "revised_target"),
        ("Current target", "revised_target"),
        ("Revised Due Date", "revised_target"),
        ("Audit area and issue", "audit_and_finding"),
        ("Priority", "risk"),
        ("Recommendation rating", "risk"),
        ("Grade", "risk"),
        ("Archwiliad / Audit", "audit_title"),  # bilingual headers, part by part
        ("Cynnydd / Progress", "latest_update"),
        ("Status", "status"),
        ("Rec No.", "ref"),
        ("Action Date (by end of) & extensions", "target"),  # the samples' headers keep their fields
        ("Confirmed Implemented/ No longer applicable", "status"),
        ("Progress and Further Actions", "latest_update"),
        ("Ownership and Actions", "further_action"),
    ],
)
def test_header_fields_by_meaning(header, field):
    assert LAYOUTS.field_for(header) == field


def test_officer_update_is_the_update_and_its_stamps_are_kept(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Outstanding recommendations at 31 March 2025",
            "",
            "Audit\tAgreed Action\tAction Owner\tDue\tOfficer Update",
            "Payroll\tReconcile pay monthly.\tPayroll Manager\t30/06/2024\tFebruary 2025: reconciliations now monthly.",
            "Creditors\tCheck bank changes.\tExchequer Manager\t31/12/2024\tThe service has not provided an update.",
        )
    )
    first, second = report.records
    assert first["responsible"] == "Payroll Manager"
    assert first["latest_update"].startswith("February 2025:") and first["latest_update_period"] == "2025-02"
    assert first["recommendation"] == "Reconcile pay monthly."  # the agreed action, with no recommendation column
    assert not first["no_update_stated"] and second["no_update_stated"]


def test_a_header_printed_in_two_rows_is_read_as_one(tmp_path):
    lines = [
        "Follow-up at 30.09.2024",
        "",
        "No.\tAudit\tRecommendation\tTarget date\t\tProgress update",
        "\t\t\tOriginal\tRevised\t",
        "1\tPayroll\tReconcile.\t31.03.23\t30.09.23<br>31.03.24\tOngoing work.",
        "2\tCreditors\tCheck.\t31.07.24\t\tDone.",
    ]
    report = read(tsv(tmp_path, *lines))
    assert [t[1] for t in report.tables] == [["ref", "audit_title", "recommendation", "target", "revised_target", "latest_update"]]
    assert history(report, 1) == ["2023-03-31", "2023-09-30", "2024-03-31"]
    assert history(report, 2) == ["2024-07-31"]


def test_a_two_row_header_from_html_without_its_spans(tmp_path):
    html = tmp_path / "two.html"
    html.write_text(
        "<p>Status at 30.09.2024</p><table>"
        "<tr><th rowspan=2>No.</th><th rowspan=2>Audit</th><th colspan=2>Target date</th><th rowspan=2>Status</th></tr>"
        "<tr><th>Original</th><th>Revised</th></tr>"
        "<tr><td>1</td><td>Payroll</td><td>31.03.23</td><td>30.09.23</td><td>In progress</td></tr></table>",
        encoding="utf-8",
    )
    report = read(html)
    assert report.tables[0][1] == ["ref", "audit_title", "target", "revised_target", "status"]
    assert history(report, 1) == ["2023-03-31", "2023-09-30"]


def test_several_revised_columns_and_cells_feed_the_history_in_order(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Tracker at 31 March 2025",
            "",
            "Ref\tAudit\tImplementation Date\tRevised date 1\tRevised date 2\tCurrent target",
            "A1\tPayroll\t31/03/2024\t30/09/2024\t31/12/2024, 31/03/2025\t",
            "A2\tCreditors\tMar 2024\t\t\tJun 2025<br>(previously Dec 2024)",
            "A3\tDebtors\tQ3 2024/25 (was Q1 2024/25)\t\t\t31/12/2024",
        )
    )
    assert history(report, 1) == ["2024-03-31", "2024-09-30", "2024-12-31", "2025-03-31"]
    assert history(report, 2) == ["2024-03-31", "2024-12-31", "2025-06-30"]
    assert history(report, 3) == ["2024-06-30", "2024-12-31"]  # the current target restating it is no revision


def test_a_combined_title_column_splits_on_its_bold_first_paragraph(tmp_path):
    html = tmp_path / "combined.html"
    html.write_text(
        "<p>Position as at 31 March 2025</p><table><tr><th>Rec No.</th><th>Audit area and issue</th>"
        "<th>Agreed Action</th><th>Implementation Date</th></tr>"
        "<tr><td>1</td><td><p><b>Payroll 2023-24</b></p><p>Overpayments to leavers.</p></td>"
        "<td>Invoice every overpayment.</td><td>31/03/2024</td></tr>"
        "<tr><td>2</td><td><b>Creditors 2023-24:</b> Bank details changed without a call-back.</td>"
        "<td>Call back.</td><td>30/06/2024</td></tr></table>",
        encoding="utf-8",
    )
    first, second = read(html).records
    assert (first["audit_title"], first["finding"]) == ("Payroll 2023-24", "Overpayments to leavers.")
    assert (second["audit_title"], second["finding"]) == ("Creditors 2023-24", "Bank details changed without a call-back.")


def test_records_printed_as_cards_of_labels_and_values(tmp_path):
    card = [
        "Audit\tPayroll 2023-24",
        "Recommendation\tReconcile pay.",
        "Priority\tHigh",
        "Original implementation date\t31 March 2024",
        "Revised implementation date(s)\t",
        "Progress reported\tJune 2024: done.",
    ]
    report = read(
        tsv(
            tmp_path,
            "Follow-up as at 30 June 2024",
            "Recommendation 1 of 2 – FDC/23/01",
            *card[:3],
            "Recommendation 1 of 2 – FDC/23/01",  # its title repeated on a new page
            *card[3:],
            "Recommendation 2 of 2 – FDC/23/02",
            *card,
        )
    )
    assert [(r["ref"], r["audit_title"], r["risk_level"], r["original_target_date"]) for r in report.records] == [
        ("FDC/23/01", "Payroll 2023-24", "high", date(2024, 3, 31)),
        ("FDC/23/02", "Payroll 2023-24", "high", date(2024, 3, 31)),
    ]
    assert report.records[0]["latest_update_period"] == "2024-06"


def test_percent_complete_and_rag_are_fields_of_their_own_and_unmapped_columns_are_kept(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Tracker at 28 February 2025",
            "",
            "Ref\tAudit\tRisk\tDue\t% complete\tRAG\tBudget code\tLatest position",
            "P1\tPayroll\tHigh\t30/09/2024\t60%\tAmber\tX100\tFeb 2025: on track.",
            "P2\tPensions\tLow\t31/03/2025\tn/a\t\tX200\tNot started.",
        )
    )
    first, second = report.records
    assert (first["percent_complete"], first["rag"], first["risk_level"]) == (60.0, "Amber", "high")
    assert (second["percent_complete"], second["rag"]) == (None, None)
    assert first["unmapped_columns"] == "Budget code: X100"
    assert any("'Budget code' is not mapped" in w["message"] for w in report.warnings)


# -- risk by the document's own scale ------------------------------------------------------------


def scale(labels, *key_lines):
    found = RISK.scale(labels, list(key_lines))
    return {label: found.level(label) for label in labels}


def test_a_printed_three_level_key_makes_priority_1_high():
    assert scale(["Priority 1", "Priority 2", "Priority 3"], "Priority 1 = High, Priority 2 = Medium, Priority 3 = Low") == {
        "Priority 1": "high",
        "Priority 2": "medium",
        "Priority 3": "low",
    }


def test_the_top_of_a_three_level_scale_is_high_and_of_four_critical():
    three = ["Fundamental", "Significant", "Merits attention"]
    assert scale(three) == {"Fundamental": "high", "Significant": "medium", "Merits attention": "low"}
    four = ["Fundamental", "Significant", "Moderate", "Merits attention"]
    assert scale(four) == {"Fundamental": "critical", "Significant": "high", "Moderate": "medium", "Merits attention": "low"}
    # Only two of a printed four-level key's labels used: the key still decides.
    assert scale(
        ["Fundamental", "Significant"],
        "Ratings: Fundamental – imperative; Significant – needed; Moderate – advised; Merits attention – housekeeping.",
    ) == {"Fundamental": "critical", "Significant": "high"}


def test_significant_in_the_middle_of_three_is_medium():
    assert scale(["High", "Significant", "Low"]) == {"High": "high", "Significant": "medium", "Low": "low"}
    assert scale(["Major", "Significant", "Minor"]) == {"Major": "high", "Significant": "medium", "Minor": "low"}


def test_numbered_labels():
    assert scale(["1 - High", "2 - Medium", "3 - Low"]) == {"1 - High": "high", "2 - Medium": "medium", "3 - Low": "low"}
    assert scale(["P1", "P2", "P3", "P4"]) == {"P1": "critical", "P2": "high", "P3": "medium", "P4": "low"}
    assert scale(["P1", "P2"]) == {"P1": "high", "P2": "medium"}  # at least three levels
    assert scale(["P1", "P3"], "Priority: P1 – Critical; P2 – High; P3 – Medium; P4 – Low") == {"P1": "critical", "P3": "medium"}


def test_a_key_that_does_not_name_the_tables_labels_is_not_its_key():
    # The RAG colours are progress here, not risk: the risk column's labels keep their own levels.
    assert scale(
        ["Critical", "Low"],
        "Risk: Critical, High, Medium or Low. The RAG column shows progress (Green – on track; Amber – at risk; Red – date passed).",
    ) == {"Critical": "critical", "Low": "low"}


def test_a_rag_column_is_the_risk_when_the_printed_key_says_so(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Position at 31 March 2025",
            "Risk rating (RAG): Red – High; Amber – Medium; Green – Low.",
            "",
            "Ref\tAudit\tRAG\tTarget Date",
            "1\tPayroll\tAmber\t30/06/2024",
            "2\tFleet\tRed\t31/12/2024",
        )
    )
    assert [(r["risk_raw"], r["risk_level"], r["rag"]) for r in report.records] == [("Amber", "medium", None), ("Red", "high", None)]
    assert report.risk_scale.startswith("printed key")


def test_risk_raw_is_kept_as_printed(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Tracker at 31 March 2025",
            "",
            "Ref\tAudit\tPriority\tDue",
            "1\tPayroll\tPriority 1\t30/06/2024",
            "2\tFleet\tPriority 3\t31/12/2024",
        )
    )
    assert [(r["risk_raw"], r["risk_level"]) for r in report.records] == [("Priority 1", "high"), ("Priority 3", "low")]


def test_a_risk_header_that_gives_the_range_sets_the_scale(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Tracker at 31 March 2025",
            "",
            "Ref\tAudit\tPriority (1-4)\tDue",
            "1\tPayroll\t1\t30/06/2024",
            "2\tFleet\t3\t31/12/2024",
        )
    )
    assert [r["risk_level"] for r in report.records] == ["critical", "medium"]  # four levels, though two are used


# -- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, update, section, status",
    [
        ("Partially implemented", "", None, "open"),
        ("Not started", "", None, "open"),
        ("Superseded", "", None, "closed"),
        ("Extension requested", "", None, "open"),
        ("Deferred", "", None, "open"),
        ("Not yet due", "", None, "open"),
        ("", "Complete – all homes visited.", None, "implemented"),
        ("", "January 2025: Implemented. Invoices since then.", None, "implemented"),
        ("", "Update Jan 2025 – Not yet due. Review later.", None, "open"),
        ("", "Wedi'i ddisodli / Superseded – the fleet moved.", None, "closed"),
        ("", "Completed the first phase; the second is under way.", None, "open"),  # no stop after the word
        ("", "Work continues.", "Table B – Recommendations completed since the last meeting", "implemented"),
        ("", "Work continues.", "Table D – Recommendations deferred", "open"),
        ("", "Work continues.", "Recommendations superseded or no longer applicable", "closed"),
        ("", "The grants programme ended. The recommendation is no longer applicable.", None, "closed"),
        ("In progress", "Complete – but the row says otherwise.", None, "open"),  # the row's own label wins
    ],
)
def test_status_from_row_update_and_section(cell, update, section, status):
    assert F.status(cell, "Outstanding recommendations", update, section)[0] == status


def test_an_extension_only_requested_leaves_the_agreed_date_in_force(tmp_path):
    report = read(
        tsv(
            tmp_path,
            "Follow-up at 31/12/2024",
            "",
            "Ref\tAudit\tImplementation Date\tRevised Date\tStatus\tComments",
            "K1\tLeasehold\t30/09/2024\t31/03/2025 (requested)\tExtension requested\tThe service has asked for an extension to 31/03/2025.",
        )
    )
    [record] = report.records
    assert (record["status"], record["current_target_date"]) == ("open", date(2024, 9, 30))
    assert any("requested, not agreed" in w["message"] for w in report.warnings)
    assert (record["requested_target_date"], record["requested_reason"]) == (date(2025, 3, 31), None)  # kept to approve


@pytest.mark.parametrize(
    "revised, asked, reason",
    [
        ("31/03/2025 (requested: supplier delayed)", date(2025, 3, 31), "supplier delayed"),
        ("Proposed 30 June 2025 – new system not yet live", date(2025, 6, 30), "new system not yet live"),
        ("Dec 2025 pending approval", date(2025, 12, 31), None),
        ("31/03/2025", None, None),  # agreed: a target, nothing asked for
    ],
)
def test_a_date_asked_for_is_kept_with_its_reason_and_is_not_a_target(tmp_path, revised, asked, reason):
    report = read(
        tsv(
            tmp_path,
            "Follow-up at 31/12/2024",
            "",
            "Ref\tAudit\tImplementation Date\tRevised Date\tStatus",
            f"K1\tLeasehold\t30/09/2024\t{revised}\tOpen",
        )
    )
    [record] = report.records
    assert (record["requested_target_date"], record["requested_reason"]) == (asked, reason)
    assert record["current_target_date"] == (date(2024, 9, 30) if asked else date(2025, 3, 31))


@pytest.mark.parametrize(
    "text",
    [
        "The service has not provided an update.",
        "Awaiting update from service",
        "No update received this quarter",
        "No update provided.",
        "Update not yet received from the directorate.",
    ],
)
def test_no_update_statements_worded_other_ways(text):
    assert F.says_no_update(text)


# -- per-council overrides ------------------------------------------------------------------------


def test_a_council_file_overrides_headers_risk_and_status_for_that_council_only(tmp_path):
    layouts_file = tmp_path / "layouts.toml"
    layouts_file.write_text(LAYOUTS.path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "councils").mkdir()
    (tmp_path / "councils" / "oddtown.toml").write_text(
        'council = "Oddtown Council"\naliases = ["Oddtown"]\n'
        '[columns]\n"Thing" = "audit_title"\n"Who" = "responsible"\n"Cat." = "risk"\n'
        '[risk]\nkey = { "A" = "critical", "B" = "medium" }\n'
        '[status]\nimplemented = ["signed off"]\n',
        encoding="utf-8",
    )
    layouts = load_layouts(layouts_file)
    doc = tsv(
        tmp_path,
        "Outstanding at 31 March 2025",
        "",
        "Thing\tWho\tCat.\tTarget Date\tStatus",
        "Payroll\tPayroll Manager\tA\t30/06/2024\tSigned off",
        "Fleet\tFleet Manager\tB\t31/12/2024\tOpen",
    )
    report = parse_file(doc, "Oddtown", layouts=layouts)
    assert [(r["audit_title"], r["responsible"], r["risk_level"], r["status"]) for r in report.records] == [
        ("Payroll", "Payroll Manager", "critical", "implemented"),
        ("Fleet", "Fleet Manager", "medium", "open"),
    ]
    assert report.risk_scale.startswith("the council's own key")
    with pytest.raises(Exception, match="header row could not be mapped"):
        parse_file(doc, "Another Council", layouts=layouts)  # not for anyone else


def test_a_mistake_in_a_council_file_names_that_file(tmp_path):
    from etl.layouts.config import LayoutsError

    layouts_file = tmp_path / "layouts.toml"
    layouts_file.write_text(LAYOUTS.path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "councils").mkdir()
    bad = tmp_path / "councils" / "bad.toml"
    bad.write_text('council = "Bad"\n[columns]\n"Thing" = "audit_tittle"\n[risk]\nkey = { "A" = "severe" }\n', encoding="utf-8")
    with pytest.raises(LayoutsError) as caught:
        load_layouts(layouts_file)
    message = str(caught.value)
    assert str(bad) in message and "'audit_tittle' is not a field" in message and "[risk] key 'key'" in message
