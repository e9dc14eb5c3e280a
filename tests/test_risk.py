"""Risk scales as documents define them, in either direction: numbers, letters, words of
seriousness and colours; the printed key decides, and a scale read without one says which way."""

from pathlib import Path

import pytest

from etl.interpret.risk import RiskReader
from etl.layouts.config import load_layouts
from etl.parse import parse_file

RISK = RiskReader(load_layouts())


def levels(labels, *key_lines):
    scale = RISK.scale(labels, list(key_lines))
    return {label: scale.level(label) for label in labels}, scale


# -- a key whose words run upwards puts the largest number on top --------------------------------

UPWARDS_KEY = [
    "Each recommendation is graded:",
    "Grade 1 – Minor: an opportunity to improve efficiency.",
    "Grade 2 – Moderate: a weakness in the design of a control.",
    "Grade 3 – Major: a significant gap in control.",
    "Grade 4 – Urgent: a fundamental weakness needing action now.",
]


def test_a_key_printed_one_item_a_line_from_minor_to_urgent_puts_the_largest_on_top():
    found, scale = levels(["4", "3", "2", "1"], *UPWARDS_KEY)
    assert found == {"4": "critical", "3": "high", "2": "medium", "1": "low"}
    assert scale.doubt is None and "'grade 4' the most serious" in scale.source


def test_the_same_key_printed_downwards_reads_the_same():
    found, _ = levels(
        ["Grade 4", "Grade 1"], "Grade 4 – critical weakness; Grade 3 – serious; Grade 2 – moderate; Grade 1 – low risk, housekeeping"
    )
    assert found == {"Grade 4": "critical", "Grade 1": "low"}


def test_a_sentence_saying_the_largest_is_the_most_serious_turns_numbers_round():
    found, scale = levels(["3", "1"], "Priorities run from 1 to 3, where 3 is the most urgent.")
    assert found == {"3": "high", "1": "low"} and scale.doubt is None
    found, _ = levels(["P3", "P1"], "The higher the number, the greater the risk.")
    assert found == {"P3": "high", "P1": "low"}


def test_a_sentence_saying_1_is_the_most_serious_is_no_doubt():
    found, scale = levels(["1", "3"], "Priority 1 is the highest priority.")
    assert found == {"1": "high", "3": "low"} and scale.doubt is None


def test_numbers_without_a_key_are_read_1_most_serious_with_a_doubt():
    found, scale = levels(["Priority 1", "Priority 4", "Priority 2"])
    assert found == {"Priority 1": "critical", "Priority 4": "low", "Priority 2": "high"}
    assert scale.doubt and "read with 'priority 1' the most serious" in scale.doubt


def test_a_key_of_bare_numbers_does_not_say_which_way():
    _, scale = levels(["1", "2"], "1; 2; 3")
    assert scale.doubt and "does not say which way" in scale.doubt


# -- letters -------------------------------------------------------------------------------------


def test_letters_with_a_key_below_the_table():
    found, scale = levels(
        ["A", "C", "B"],
        "Priority ratings: A – fundamental weakness requiring urgent action; "
        "B – significant weakness; C – minor weakness or housekeeping point.",
    )
    assert found == {"A": "high", "C": "low", "B": "medium"} and scale.doubt is None


def test_letters_whose_key_runs_the_other_way():
    found, _ = levels(["Category C", "Category A"], "Category C – urgent; Category B – important; Category A – advisory")
    assert found == {"Category C": "high", "Category A": "low"}


def test_letters_without_a_key_are_read_a_most_serious_with_a_doubt():
    found, scale = levels(["A", "B", "C", "D"])
    assert found == {"A": "critical", "B": "high", "C": "medium", "D": "low"}
    assert scale.doubt and "'a' the most serious" in scale.doubt


def test_the_article_a_in_prose_is_no_key():
    assert RISK.key_in(["A review found weaknesses; a follow-up is due."]) == []


# -- words of seriousness and colours -------------------------------------------------------------


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["Severe", "Moderate", "Minor"], ["high", "medium", "low"]),
        (["Serious", "Minor"], ["high", "low"]),  # at least three levels: the middle is unused
        (["Urgent", "Routine"], ["high", "low"]),
        (["Red", "Amber", "Green"], ["high", "medium", "low"]),
    ],
)
def test_words_of_seriousness_rank_one_another(labels, expected):
    found, scale = levels(labels)
    assert [found[label] for label in labels] == expected and scale.doubt is None


def test_a_single_unknown_word_is_not_a_scale():
    assert levels(["Purple"])[0] == {"Purple": None}


def test_colours_as_the_priority_with_a_key_of_words():
    found, scale = levels(
        ["Green", "Red"],
        "Priority colours: Red – urgent action to address a serious weakness; "
        "Amber – action needed to improve control; Green – routine improvement.",
    )
    assert found == {"Green": "low", "Red": "high"} and scale.source.startswith("printed key")


# -- in a read document ---------------------------------------------------------------------------


def _read(tmp_path: Path, *lines: str):
    path = tmp_path / "appendix.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return parse_file(path, "Anytown Borough Council")


def test_a_document_with_an_upward_key_reads_its_levels_and_raises_no_doubt(tmp_path):
    report = _read(
        tmp_path,
        "Follow-up position at 31 March 2025",
        *UPWARDS_KEY,
        "",
        "Ref\tAudit\tGrade\tTarget Date",
        "1\tPayroll\t4\t30/06/2024",
        "2\tFleet\t1\t31/12/2024",
    )
    assert [(r["risk_raw"], r["risk_level"]) for r in report.records] == [("4", "critical"), ("1", "low")]
    assert not [w for w in report.warnings if w["field"] == "risk"]


def test_a_document_without_a_key_says_which_way_its_numbers_were_read(tmp_path):
    report = _read(
        tmp_path,
        "Follow-up position at 31 March 2025",
        "",
        "Ref\tAudit\tPriority\tTarget Date",
        "1\tPayroll\t1\t30/06/2024",
        "2\tFleet\t3\t31/12/2024",
    )
    assert [r["risk_level"] for r in report.records] == ["high", "low"]
    [doubt] = [w for w in report.warnings if w["field"] == "risk"]
    assert doubt["record_no"] is None and "read with '1' the most serious" in doubt["message"]


# -- keys written as a range inside a sentence ----------------------------------------------------


@pytest.mark.parametrize(
    "labels, sentence, expected",
    [
        (["4", "2", "1"], "Each action is rated on a scale where 1 = low and 4 = high.", ["high", "medium", "low"]),
        (["2", "4"], "Ratings run from 1 – minor to 4 – urgent.", ["medium", "critical"]),
        (["A", "B", "C"], "Priority A (highest) to C (lowest).", ["high", "medium", "low"]),
        (["3", "1"], "Grades run from 1 being the lowest to 3 the highest.", ["high", "low"]),
    ],
)
def test_a_range_printed_in_a_sentence_is_the_key(labels, sentence, expected):
    found, scale = levels(labels, sentence)
    assert [found[label] for label in labels] == expected and scale.doubt is None


def test_a_key_kept_as_a_table_of_its_own_reads_cell_by_cell():
    sheet = ["Priority\tMeaning", "1\tLow – improvement advised", "2\tMedium", "3\tHigh", "4\tVery high – act now"]
    found, scale = levels(["4", "1", "3"], *sheet)
    assert found == {"4": "critical", "1": "low", "3": "high"} and scale.doubt is None
    upwards = [
        "Priority\tDescription",
        "1\tMinor – housekeeping",
        "2\tModerate weakness",
        "3\tMajor weakness",
        "4\tUrgent – fundamental weakness",
    ]
    found, scale = levels(["4", "2", "1"], *upwards)
    assert found == {"4": "critical", "2": "medium", "1": "low"} and scale.doubt is None
