#!/usr/bin/env python3
"""Layout zoo, vocabulary part: three made-up councils whose appendices print the scales, dates and
wordings councils really use and the readers must understand by meaning, not by string.

* ashby_fold_reverse_priority: priorities 1–4 where 4 is the most serious, the key printed one
  item a line from least to most serious; dates with two-digit years and no leading zeros, day
  names, weeks commencing, "Sept.", "Jun-25", "June '25"; a revised-date column listing several
  dates each with its reason; compound system statuses; services that sent nothing.
* cranmere_letters_financial_years: priorities A/B/C with the key printed below the table;
  targets as financial years alone, quarters and half-years of the financial year, a season; a
  target cell carrying its own revision ("Was 31 March, now 30 June 2025"); status from updates
  that claim implementation audit has not verified.
* fellbrook_colour_priority: colours used as the priority, with a key of words only; dates with
  day names and weeks commencing; "nothing new since the last report" wordings.

Each is rendered like the rest of the zoo (make_zoo.py's renderers, expected.json and PDF by
LibreOffice). Run:  python make_vocab.py [--no-pdf]. The ground truth is hand-written: every
printed date is a Dt(printed, iso) whose ISO value I worked out by hand (README.md says how
each form is read)."""

from __future__ import annotations

import sys

from make_zoo import Doc, Dt, Lines, Rec, col, render_pdfs, verify_pdfs, write_sources

TBC = Dt("TBC")


def first(r: Rec) -> str | None:
    return r.x.get("target") or (r.history[0].printed if r.history else None)


def revised_with_reasons(r: Rec) -> object:
    return r.x.get("revised")


# --------------------------------------------------------------------------- 1. reversed numbers


def doc_ashby_fold() -> Doc:
    """Priority 4 is the most serious; the key runs from Priority 1 (minor) up."""
    recs = [
        Rec(
            ref="AF/24/01",
            audit="Payroll 2023-24",
            risk="4",
            responsible="Head of HR and Payroll",
            rec="Changes to employees' bank details should be independently verified by telephone before the next payroll run.",
            history=[Dt("1/4/25", "2025-04-01"), Dt("30/6/25", "2025-06-30"), Dt("30/9/25", "2025-09-30")],
            x={"revised": "30/6/25 – staff shortages in the payroll team; 30/9/25 – delay to the new HR system"},
            status_printed="Open - Overdue",
            status="open",
            update="Mar 25: call-back procedure drafted; it will start when the HR system is live.",
            period="2025-03",
        ),
        Rec(
            ref="AF/24/02",
            audit="Payroll 2023-24",
            risk="2",
            responsible="Payroll Manager",
            rec="Overtime claims should be approved by the budget holder before they are paid.",
            history=[Dt("Fri 28/03/25", "2025-03-28")],
            status_printed="Implemented, awaiting audit verification",
            status="open",
            update="Mar 25: all overtime now goes through the e-claims workflow; evidence has been sent to Internal Audit.",
            period="2025-03",
        ),
        Rec(
            ref="AF/24/03",
            audit="Creditors 2024-25",
            risk="3",
            responsible="Exchequer Manager",
            rec="Supplier bank detail changes should be confirmed with the supplier using contact "
            "details already held, not those on the request.",
            history=[Dt("w/c 3 March 2025", "2025-03-03")],
            status_printed="Complete - Verified",
            status="implemented",
            update="Verified by Internal Audit in March: 25 changes tested, all confirmed by call-back.",
        ),
        Rec(
            ref="AF/24/04",
            audit="Creditors 2024-25",
            risk="1",
            responsible="Exchequer Manager",
            rec="The vendor master file should be reviewed annually and dormant suppliers closed.",
            history=[Dt("Sept. 2025", "2025-09-30")],
            status_printed="Not yet started",
            status="open",
            update="The service did not respond to the request for an update.",
            no_update=True,
        ),
        Rec(
            ref="AF/24/05",
            audit="Car Parking Income 2023-24",
            risk="3",
            responsible="Parking Services Manager",
            rec="Cash collected from pay and display machines should be counted by two officers and "
            "reconciled to the machine audit tickets.",
            history=[Dt("Jun-25", "2025-06-30")],
            status_printed="Closed – risk accepted",
            status="closed",
            update="All machines are being converted to card-only payment, so the Director has accepted the remaining risk.",
        ),
        Rec(
            ref="AF/24/06",
            audit="Car Parking Income 2023-24",
            risk="2",
            responsible="Parking Services Manager",
            rec="Penalty charge notices cancelled on appeal should be reviewed monthly by a senior officer.",
            history=[Dt("June '25", "2025-06-30")],
            status_printed="Partly implemented",
            status="open",
            update="Nil return.",
            no_update=True,
        ),
        Rec(
            ref="AF/24/07",
            audit="Cyber Security 2024-25",
            risk="4",
            responsible="ICT Security Manager",
            rec="Multi-factor authentication should be enforced on all remote access accounts.",
            history=[Dt("30 Sept 2024", "2024-09-30"), Dt("31/12/24", "2024-12-31"), Dt("31/3/25", "2025-03-31")],
            x={"revised": "31/12/24 – supplier licensing; 31/3/25 – roll-out to social care staff"},
            status_printed="Not fully implemented",
            status="open",
            update="Mar 25: 92% of remote accounts enrolled; the rest are social care staff with shared devices.",
            period="2025-03",
        ),
        Rec(
            ref="AF/24/08",
            audit="Cyber Security 2024-25",
            risk="3",
            responsible="ICT Security Manager",
            rec="Leavers' network accounts should be disabled on their last working day.",
            history=[Dt("28th Feb '25", "2025-02-28"), Dt("31/12/25", "2025-12-31")],
            x={"revised": "31/12/25 – awaiting the new identity system, which goes live in Oct 2025"},
            status_printed="In progress",
            status="open",
            update="The update was not submitted before the reporting deadline.",
            no_update=True,
        ),
        Rec(
            ref="AF/24/09",
            audit="Grants to Voluntary Bodies 2023-24",
            risk="1",
            responsible="Communities Manager",
            rec="Grant agreements should be signed by both parties before the first payment is made.",
            history=[Dt("Friday 31 January 2025", "2025-01-31")],
            status_printed="Withdrawn",
            status="closed",
            update="The grants scheme closed in December 2024.",
        ),
        Rec(
            ref="AF/24/10",
            audit="Grants to Voluntary Bodies 2023-24",
            risk="2",
            responsible="Communities Manager",
            rec="Monitoring returns from funded groups should be chased when more than a month late.",
            history=[Dt("31/10/24", "2024-10-31"), Dt("31/1/25", "2025-01-31")],
            x={"revised": "31/1/25 – officer vacancy"},
            status_printed="Implemented – pending IA review",
            status="open",
            update="Feb 25: chasing log kept since November; sample sent to Internal Audit.",
            period="2025-02",
        ),
        Rec(
            ref="AF/24/11",
            audit="Building Control Fees 2024-25",
            risk="1",
            responsible="Building Control Manager",
            rec="Fee calculations should be checked against the published scale of charges.",
            history=[Dt("Wed 2 Apr 2025", "2025-04-02")],
            status_printed="Superseded by new fee system",
            status="closed",
            update="The new system calculates fees automatically from the published scale.",
        ),
    ]
    return Doc(
        name="ashby_fold_reverse_priority",
        council="Ashby Fold Borough Council",
        imitates="Councils whose priority numbers run upwards (4 the most serious), with a key "
        "printed one item a line, and compound statuses from an audit system",
        as_at="2025-03-28",
        as_at_printed=True,
        risk_scale={"4": "critical", "3": "high", "2": "medium", "1": "low"},
        preamble=[
            ("h1", "Ashby Fold Borough Council"),
            ("h2", "Audit Committee – Appendix C: Follow-up of Internal Audit Recommendations"),
            ("p", "Position as at Friday 28 March 2025"),
            ("p", "Each recommendation is given a priority when the report is issued:"),
            ("key", "Priority 1 – Minor: an opportunity to improve efficiency or good practice."),
            ("key", "Priority 2 – Moderate: a weakness in the design of a control."),
            ("key", "Priority 3 – Major: a significant gap in the control environment."),
            ("key", "Priority 4 – Urgent: a fundamental weakness needing action now."),
        ],
        cols=[
            col("Ref", "ref", 7),
            col("Audit", "audit", 10),
            col("Recommendation", "rec", 22),
            col("Priority", "risk", 5),
            col("Responsible Officer", "responsible", 10),
            col("Agreed date", fn=first, width=8),
            col("Revised date(s) and reason", fn=revised_with_reasons, width=12),
            col("Status", "status_printed", 9),
            col("Progress update", "update", 17),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html", "txt"),
        min_pages=1,
    )


# --------------------------------------------------------------------------- 2. letters, financial years


def doc_cranmere() -> Doc:
    """Priorities A/B/C with the key after the table; targets as financial periods."""
    A, B, C = "A", "B", "C"
    recs = [
        Rec(
            ref="CR-01",
            audit="Council Tax Support 2024-25",
            risk=A,
            responsible="Revenues and Benefits Manager",
            rec="Changes in circumstances should be processed within the target of ten working days.",
            history=[Dt("Q2 2025/26", "2025-09-30")],
            status="open",
            update="Apr 2025 – backlog down from 640 to 210 cases; new starters trained.",
            period="2025-04",
        ),
        Rec(
            ref="CR-02",
            audit="Council Tax Support 2024-25",
            risk=C,
            responsible="Revenues and Benefits Manager",
            rec="Procedure notes should be brought up to date and published on the intranet.",
            history=[Dt("2025/26", "2026-03-31")],
            status="open",
            update="There is nothing new to add since the last report.",
            no_update=True,
        ),
        Rec(
            ref="CR-03",
            audit="Housing Repairs 2023-24",
            risk=A,
            responsible="Head of Property Services",
            rec="Completed repairs should be inspected on a sample basis before the contractor is paid.",
            history=[Dt("31 March", "2025-03-31"), Dt("30 June 2025", "2025-06-30")],
            x={"target": "Was 31 March, now 30 June 2025"},
            status="open",
            update="Apr 2025 – inspection sample agreed with the contractor; the first month of inspections is under way.",
            period="2025-04",
        ),
        Rec(
            ref="CR-04",
            audit="Housing Repairs 2023-24",
            risk=B,
            responsible="Repairs Manager",
            rec="Variations to job orders above £1,000 should be approved by a surveyor.",
            history=[Dt("31/12/24", "2024-12-31"), Dt("31/03/25", "2025-03-31")],
            x={"target": "Originally 31/12/24 – revised to 31/03/25"},
            status="open",
            update="Implemented – awaiting verification by Internal Audit. Approval limits were set in the repairs system in March.",
        ),
        Rec(
            ref="CR-05",
            audit="Procurement 2024-25",
            risk=B,
            responsible="Procurement Lead",
            rec="Contract waivers should be recorded in a central register and reported to the Audit Committee each year.",
            history=[Dt("H1 2025/26", "2025-09-30")],
            status="open",
            update="No further progress has been made since the previous report.",
            no_update=True,
        ),
        Rec(
            ref="CR-06",
            audit="Procurement 2024-25",
            risk=C,
            responsible="Procurement Lead",
            rec="The contract register should show the contract manager for every contract.",
            history=[Dt("FY 2024-25", "2025-03-31")],
            status="implemented",
            update="Complete – every contract now names its contract manager; checked by Internal Audit in March.",
        ),
        Rec(
            ref="CR-07",
            audit="Leisure Trust Contract 2023-24",
            risk=A,
            responsible="Leisure Client Officer",
            rec="The Trust's annual accounts should be reviewed and the management fee reconciled before the final payment.",
            history=[Dt("end of Q3 2024/25", "2024-12-31"), Dt("Q1 2025/26", "2025-06-30")],
            x={"target": "end of Q3 2024/25, moved to Q1 2025/26"},
            status="open",
            update="The Trust's accounts were late; the review will take place when they arrive.",
        ),
        Rec(
            ref="CR-08",
            audit="Leisure Trust Contract 2023-24",
            risk=B,
            responsible="Leisure Client Officer",
            rec="Usage figures reported by the Trust should be checked against the booking system.",
            history=[Dt("Autumn 2025", "2025-11-30")],
            status="open",
            update="Not started – depends on access to the Trust's booking system.",
        ),
        Rec(
            ref="CR-09",
            audit="Planning Fees 2024-25",
            risk=C,
            responsible="Development Manager",
            rec="Refunds of planning fees should be authorised by a second officer.",
            history=[Dt("31 May 2025", "2025-05-31"), Dt("30 Sept 2025", "2025-09-30")],
            x={"target": "30 Sept 2025 (initially 31 May 2025)"},
            status="closed",
            update="Withdrawn – fee refunds are now made only by the shared finance service, which has its own controls.",
        ),
        Rec(
            ref="CR-10",
            audit="Planning Fees 2024-25",
            risk=B,
            responsible="Development Manager",
            rec="Pre-application advice fees should be invoiced before the advice is given.",
            history=[Dt("Q4 2024/25", "2025-03-31")],
            status="closed",
            update="Risk accepted – the Planning Committee chose to keep advice free for small householder schemes.",
        ),
    ]
    return Doc(
        name="cranmere_letters_financial_years",
        council="Cranmere District Council",
        imitates="District appendices with lettered priorities explained after the table, and "
        "targets written as financial years, quarters and half-years",
        as_at="2025-04-30",
        as_at_printed=True,
        risk_scale={A: "high", B: "medium", C: "low"},
        preamble=[
            ("h1", "Cranmere District Council"),
            ("h2", "Governance and Audit Committee – Internal Audit Recommendations Tracker"),
            ("p", "Status at 30 April 2025"),
            ("p", "Target dates are given as the financial year (April to March) or the quarter of it in which the action is due."),
        ],
        cols=[
            col("Ref", "ref", 6),
            col("Audit", "audit", 13),
            col("Priority", "risk", 6),
            col("Recommendation", "rec", 27),
            col("Lead Officer", "responsible", 12),
            col("Target", fn=first, width=12),
            col("Position", "update", 24),
        ],
        sections=[(None, recs)],
        postscript=[
            (
                "p",
                "Priority ratings: A – fundamental weakness requiring urgent action; B – "
                "significant weakness; C – minor weakness or housekeeping point.",
            ),
            ("p", "Background papers: none."),
        ],
        orientation="portrait",
        rules="grid",
        formats=("html", "md"),
        min_pages=1,
    )


# --------------------------------------------------------------------------- 3. colours as priority


def doc_fellbrook() -> Doc:
    """Colours are the priority; the key gives each colour a description but no level word."""
    R, A, G = "Red", "Amber", "Green"
    recs = [
        Rec(
            ref="1",
            audit="Adult Social Care Payments",
            risk=R,
            responsible="Head of Commissioning",
            rec="Payments to care providers should be made only against actual hours delivered, using the electronic call monitoring data.",
            history=[Dt("Monday 30 June 2025", "2025-06-30")],
            status="open",
            update="May 2025: call monitoring data now loaded weekly; payment on actual hours starts in June.",
            period="2025-05",
        ),
        Rec(
            ref="2",
            audit="Adult Social Care Payments",
            risk=A,
            responsible="Finance Business Partner",
            rec="Direct payment accounts with balances above twelve weeks' funding should be reviewed and surplus funds recovered.",
            history=[Dt("w/c 2 June 2025", "2025-06-02")],
            status="open",
            update="Service has not responded to requests for an update.",
            no_update=True,
        ),
        Rec(
            ref="3",
            audit="School Meals Income",
            risk=G,
            responsible="Catering Manager",
            rec="Debts for unpaid school meals should be followed up within four weeks.",
            history=[Dt("Summer 2025", "2025-08-31")],
            status="open",
            update="Update not yet received at the time of writing.",
            no_update=True,
        ),
        Rec(
            ref="4",
            audit="School Meals Income",
            risk=A,
            responsible="Catering Manager",
            rec="Cash takings should be banked at least weekly.",
            history=[Dt("Thu 31/10/24", "2024-10-31")],
            status="implemented",
            update="Verified complete – banking records for January to March checked by Internal Audit.",
        ),
        Rec(
            ref="5",
            audit="Fleet Fuel Cards",
            risk=R,
            responsible="Fleet Manager",
            rec="Fuel card transactions should be matched to vehicle mileage each month.",
            history=[Dt("31/12/24", "2024-12-31"), Dt("31/3/25", "2025-03-31"), Dt("30/9/25", "2025-09-30")],
            x={"revised": Lines(("31/3/25 – telematics contract re-let", "30/9/25 – new system installation"))},
            status="open",
            update="May 2025: installation of the new telematics units has begun.",
            period="2025-05",
        ),
        Rec(
            ref="6",
            audit="Fleet Fuel Cards",
            risk=G,
            responsible="Fleet Manager",
            rec="Fuel cards of drivers who have left should be cancelled on their last day.",
            history=[Dt("Fri 28 Feb 2025", "2025-02-28")],
            status="closed",
            update="No longer relevant – fuel cards are being replaced by depot bunkered fuel.",
        ),
        Rec(
            ref="7",
            audit="Licensing",
            risk=A,
            responsible="Licensing Manager",
            rec="Licence fees should be received before a licence is issued.",
            history=[Dt("30/04/25", "2025-04-30")],
            status="open",
            update="Previous update still applies: payment at application is being built into the online forms.",
            no_update=True,
        ),
        Rec(
            ref="8",
            audit="Licensing",
            risk=G,
            responsible="Licensing Manager",
            rec="Register entries should be reconciled to the licences issued each quarter.",
            history=[Dt("Q1 2025/26", "2025-06-30")],
            status="open",
            update="Reconciliation template drafted; first quarter to be reconciled in July.",
        ),
        Rec(
            ref="9",
            audit="Council Housing Rents",
            risk=R,
            responsible="Income Manager",
            rec="Rent arrears cases should be escalated in line with the arrears policy.",
            history=[Dt("Sept 2024", "2024-09-30"), Dt("31 Mar 2025", "2025-03-31")],
            x={"revised": "31 Mar 2025 – new housing management system"},
            status="open",
            update="Partially implemented – automated escalation letters issued from April; court referrals still manual.",
        ),
    ]
    return Doc(
        name="fellbrook_colour_priority",
        council="Fellbrook Metropolitan Borough Council",
        imitates="Metropolitan trackers that use colours as the priority and describe each colour in words",
        as_at="2025-05-31",
        as_at_printed=True,
        risk_scale={R: "high", A: "medium", G: "low"},
        preamble=[
            ("h1", "Fellbrook Metropolitan Borough Council"),
            ("h2", "Standards and Audit Committee – Outstanding Audit Recommendations"),
            ("p", "Position at 31 May 2025"),
            (
                "key",
                "Priority colours: Red – urgent action to address a serious weakness; Amber – "
                "action needed to improve control; Green – routine improvement.",
            ),
        ],
        cols=[
            col("No.", "ref", 4),
            col("Audit", "audit", 12),
            col("Recommendation", "rec", 26),
            col("Priority", "risk", 7),
            col("Owner", "responsible", 11),
            col("Due date", fn=first, width=10),
            col("Revised due date", fn=revised_with_reasons, width=12),
            col("Latest update", "update", 18),
        ],
        sections=[(None, recs)],
        orientation="landscape",
        rules="grid",
        formats=("html", "txt"),
        min_pages=1,
    )


DOCS = [doc_ashby_fold, doc_cranmere, doc_fellbrook]


def main(argv) -> int:
    docs = [make() for make in DOCS]
    for doc in docs:
        print(f"{doc.name}: {sum(len(r) for _, r in doc.sections)} records -> {', '.join(write_sources(doc))}")
    if "--no-pdf" in argv:
        return 0
    render_pdfs(docs)
    problems = verify_pdfs(docs)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
