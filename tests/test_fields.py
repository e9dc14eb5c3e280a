"""Risk, directorate, title and reference, status, update stamps and no-update statements."""

import re
import string
import sys
from datetime import date

import pytest

from etl.interpret.anyof import AnyOf
from etl.interpret.fields import FieldReader
from etl.layouts.config import load_layouts
from etl.parse import parse_file
from tests.samples import SEEDS, seed_path

F = FieldReader(load_layouts())


@pytest.mark.parametrize(
    "label, level",
    [
        ("E", "critical"),
        ("Essential", "critical"),
        ("H", "high"),
        ("High", "high"),
        ("HI", "high"),
        ("High Importance", "high"),
        ("M", "medium"),
        ("Medium", "medium"),
        ("L", "low"),
        ("Low", "low"),
        ("", None),
        ("Purple", None),
    ],
)
def test_risk_levels(label, level):
    assert F.risk_level(label) == level


def test_document_titled_high_importance_is_all_high():
    assert F.document_risk("High Importance (HI) Recommendations at 28 February 2026") == "HI"
    assert F.document_risk("Appendix B: Overdue audit actions (high and medium priority)") is None


@pytest.mark.parametrize(
    "cell, title, directorate",
    [
        ("Direct Payments Children & Family Services", "Direct Payments", "Children & Family Services"),
        ("Business Travel Documents\n(Consolidated Risk)", "Business Travel Documents", "Consolidated Risk"),
        ("Identification of Business Applications\n(Consolidated risk)", "Identification of Business Applications", "Consolidated Risk"),
        ("Registrar's Audit Chief Executives Department", "Registrar's Audit", "Chief Executives Department"),
        ("Direct Payments Adults & Communities", "Direct Payments", "Adults & Communities"),
        ("Financial Systems Key Controls 2022-23", "Financial Systems Key Controls 2022-23", None),
    ],
)
def test_directorate_glued_to_title(cell, title, directorate):
    assert F.split_directorate(cell) == (title, directorate)


@pytest.mark.parametrize("raw, ref", [("GT8.", "GT8"), ("GT39 GT40 IA10", "GT39 GT40 IA10"), ("", None)])
def test_reference(raw, ref):
    assert F.clean_ref(raw) == ref


@pytest.mark.parametrize(
    "cell, doc_title, status",
    [
        ("Closed", "x", "closed"),
        ("", "Appendix 1 – Implemented Recommendations", "implemented"),
        ("", "Overdue actions", "open"),
        ("The service has reported that they consider that the recommendation has been implemented. At the time", "x", "open"),
    ],
)
def test_status(cell, doc_title, status):
    assert F.status(cell, doc_title)[0] == status


@pytest.mark.parametrize(
    "update, report, period",
    [
        ("March 2024: still working…", None, "2024-03"),
        ("July 2024 : We are working", None, "2024-07"),
        ("February update:\nTarget achieved", date(2026, 2, 28), "2026-02"),
        ("November update: moving", date(2026, 2, 28), "2025-11"),
        ("Text. The update above is from the July 2024 reporting cycle.", None, "2024-07"),
        ("October 2024 – 31 October 2024", None, None),
        ("March 2024: TBC", None, None),
        ("No stamp here", None, None),
    ],
)
def test_update_stamps(update, report, period):
    assert F.update_period(update, report) == period


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("No update has been received for this reporting cycle.", True),
        ("No updates have been provided for this reporting cycle.", True),
        ("The update above is from the July 2024 reporting cycle.", True),
        ("A new update was provided in full.", False),
    ],
)
def test_no_update_statements(text, flagged):
    assert F.says_no_update(text) is flagged


# Wordings of every shape a council might add: optional words, alternatives, one with an empty
# option, repeats, anchors, lookarounds, a character class, a backreference and inline flags.
WORDINGS = [
    r"\bno (progress )?update (was |has been )?(received|provided)",
    r"(?:^|[.!:;]\s*)no (change|movement)\W*$",
    r"\bupdate (is |will )?(to follow|follow)\b",
    r"awaiting (|a )reply",
    r"\bnil (return|response)+\b",
    r"(?<!not )chased (twice|again)",
    r"\b(\w+) \1 update",
    r"(?-i:NIL) return",
    r"[a-z]{4,} outstanding",
    r"(?:update ){2,}pending",
    r"no news",
    r"\b\d+\s*(d|wk)\b",
]
TEXTS = [
    "No progress update was received.",
    "Work continues. No change",
    "no change, then more work",
    "Update to follow in March",
    "Awaiting reply from the service",
    "Awaiting a reply",
    "NIL RESPONSE",
    "Nil returns",
    "They were chased twice",
    "We have not chased twice",
    "the the update",
    "NIL return",
    "nil return",
    "Responses outstanding",
    "update update pending",
    "update pending",
    "No news",
    "",
    "Ｎo update was received",
    "NO UPDATE WAS RECEİVED",
    "no update was receıved",
    "No update was \u212aept",
    "late by 5 wk",
    "late by 5 weeks",
]


@pytest.mark.parametrize("text", TEXTS)
def test_wordings_found_by_their_words_answer_as_the_patterns_do(text):
    expected = any(re.search(w, text, re.IGNORECASE) for w in WORDINGS)
    assert AnyOf(WORDINGS).search(text) is expected


def test_letters_read_as_ascii_ones_are_found_by_wordings_spelled_in_ascii():
    """Case-insensitive matching reads a few other letters as ASCII ones (a dotted capital I as
    'i'): a wording written in ASCII is found in a text spelled with any of them."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    lookalikes = [chr(c) for c in range(0x80, sys.maxunicode + 1) if ascii_letter.fullmatch(chr(c))]
    assert lookalikes
    for character in lookalikes:
        letter = next(a for a in string.ascii_lowercase if re.fullmatch(a, character, re.IGNORECASE))
        assert AnyOf([f"no update {letter}{letter}{letter} given"]).search(f"No update {character * 3} given"), character


@pytest.mark.parametrize(
    "seed, report_date, source",
    [
        ("000", "2024-07-31", "inferred"),
        ("001", "2024-12-31", "printed"),
        ("002", "2026-02-28", "printed"),
    ],
)
def test_report_dates(seed, report_date, source):
    report = parse_file(seed_path(seed), SEEDS[seed][1])
    assert (report.report_date.isoformat(), report.report_date_source) == (report_date, source)


def test_given_report_date_wins():
    report = parse_file(seed_path("001"), "C", as_at=date(2025, 1, 15))
    assert (report.report_date, report.report_date_source) == (date(2025, 1, 15), "given")


def test_doubtful_dates_are_kept_and_warned():
    report = parse_file(seed_path("001"), SEEDS["001"][1])
    messages = [w["message"] for w in report.warnings]
    assert any("2014-12-31" in m and "five years before" in m for m in messages)
    assert any("earlier than the one before it" in m for m in messages)
    kept = [r for r in report.records if r["original_target_date"] and r["original_target_date"].year == 2014]
    assert len(kept) == 1


# -- status labels read by meaning -----------------------------------------------------------------


@pytest.mark.parametrize(
    "label, status",
    [
        # implementation claimed but not yet verified by audit: still open
        ("Implemented, awaiting audit verification", "open"),
        ("Implemented – verification pending", "open"),
        ("Complete (subject to IA testing)", "open"),
        ("Completed - evidence to follow", "open"),
        ("Implemented, not yet verified", "open"),
        ("Implemented per management", "open"),
        ("Complete – awaiting IA", "open"),
        ("Implemented in part", "open"),
        ("Implemented as agreed with Internal Audit", "implemented"),
        # denied or limited implementation: open
        ("Not implemented", "open"),
        ("Not fully implemented", "open"),
        ("Largely complete", "open"),
        ("Yet to be implemented", "open"),
        ("Not completed", "open"),
        ("Not yet started", "open"),
        # closed without implementation
        ("Risk accepted by management", "closed"),
        ("Management accepted the risk", "closed"),
        ("Withdrawn", "closed"),
        ("Superseded by new fee system", "closed"),
        ("No longer relevant", "closed"),
        ("No longer needed", "closed"),
        ("Cancelled", "closed"),
        # a system's compound status, by its meaning
        ("Complete - Verified", "implemented"),
        ("Verified complete", "implemented"),
        ("Closed – risk accepted", "closed"),
        ("Closed - Implemented", "implemented"),
        ("Closed – not implemented", "closed"),
        ("Open - Overdue", "open"),
        ("Overdue – now implemented", "implemented"),
    ],
)
def test_status_labels_by_meaning(label, status):
    assert F.status(label, "x")[0] == status


@pytest.mark.parametrize(
    "update, status",
    [
        ("Implemented – awaiting verification by Internal Audit. Limits set in March.", "open"),
        ("Complete – checked by Internal Audit in March.", "implemented"),
        ("Verified complete – records for January to March checked.", "implemented"),
        ("March 2025: Risk accepted – Cabinet chose to keep the scheme.", "closed"),
        ("The risk has been accepted by the Director of Finance.", "closed"),
    ],
)
def test_status_from_an_update_by_meaning(update, status):
    assert F.status("", "x", update)[0] == status


# -- statements that no fresh update was given ------------------------------------------------------


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The service did not respond to the request for an update.", True),
        ("Service has not responded to requests for an update.", True),
        ("Directorate failed to provide an update for this report.", True),
        ("Nil return.", True),
        ("No return received from the service.", True),
        ("Update not yet received at the time of writing.", True),
        ("The update was not submitted before the reporting deadline.", True),
        ("There is nothing new to add since the last report.", True),
        ("No further progress has been made since the previous report.", True),
        ("Previous update still applies: forms being rebuilt.", True),
        ("Position unchanged since the last meeting.", True),
        ("As per last update.", True),
        ("No update.", True),
        # an update given, that mentions a response or a deadline of something else
        ("Awaiting a response from the supplier on pricing.", False),
        ("No response from the vendor yet, so go-live has slipped.", False),
        ("No updates to the policy were required.", False),
        ("The service has not yet implemented the change but expects to by June.", False),
        ("Finance replied that the reconciliation is done.", False),
    ],
)
def test_no_update_wordings(text, flagged):
    assert F.says_no_update(text) is flagged
