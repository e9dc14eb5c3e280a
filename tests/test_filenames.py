"""A download's name says what it holds (council, report, filters) in characters every browser,
disk and shell takes, and never grows past MAX_STEM, however long the search or the filters."""

import re
from datetime import date

import pytest

from app.filenames import MAX_STEM, council_part, query_stem, recommendations_stem
from app.filters import Filters


@pytest.mark.parametrize(
    "council, part",
    [
        ("Harborough District Council", "Harborough"),
        ("Durham County Council", "Durham"),
        ("Kingston upon Hull City Council", "Kingston-upon-Hull"),
        ("London Borough of Camden", "Camden"),
        ("Royal Borough of Kensington and Chelsea", "Kensington-and-Chelsea"),
        ("City of York Council", "City-of-York"),
        ("Wirral Metropolitan Borough Council", "Wirral"),
        ("Isle of Wight Council", "Isle-of-Wight"),
        ("Cyngor Sir Ynys Môn", "Cyngor-Sir-Ynys-Mon"),
        ("Stoke-on-Trent City Council", "Stoke-on-Trent"),
        ("Council", "Council"),
        ("Bath & North East Somerset Council", "Bath-North-East-Somerset"),
    ],
)
def test_a_council_is_named_without_the_words_for_its_kind(council, part):
    assert council_part(council) == part


def test_the_recommendations_name_says_council_report_and_filters():
    harborough = Filters(councils=("Harborough District Council",), risks=("high",))
    assert (
        recommendations_stem(harborough, [date(2024, 8, 31)] * 3, "", 0, False)
        == "slippage-recommendations-Harborough-2024-08-31-risk-high"
    )
    chosen = Filters(report="2024-12-31", statuses=("open", "in progress"), leave_out_doubtful=True)
    named = recommendations_stem(chosen, [], "IT / cyber", 2, True)  # whole filters while they fit in MAX_STEM
    assert named == "slippage-recommendations-all-councils-2024-12-31-status-open-in-progress-revised-2-plus"
    assert (
        recommendations_stem(Filters(leave_out_doubtful=True), [], "IT / cyber", 0, False)
        == "slippage-recommendations-all-councils-newest-reports-doubtful-left-out-search-IT-cyber"
    )
    several = Filters(councils=("A Council", "B Council", "C Council", "D Council"))
    assert (
        recommendations_stem(several, [date(2024, 1, 31), date(2024, 3, 31)], "", 0, False)
        == "slippage-recommendations-4-councils-newest-reports"
    )


def test_a_name_is_safe_and_bounded_whatever_is_searched():
    hostile = Filters(councils=('..\\evil"/<name>:*?|\n',), directorates=("x" * 500,))
    stem = recommendations_stem(hostile, [], "'; rm -rf / ; ☃" * 20, 0, False)
    assert re.fullmatch(r"[A-Za-z0-9-]+", stem) and len(stem) <= MAX_STEM and not stem.endswith("-")
    assert stem == "slippage-recommendations-evil-name-newest-reports"  # the filters too long for a name left out
    endless = Filters(councils=("Llanfair" * 40,))
    assert recommendations_stem(endless, [], "", 0, False) == ("slippage-recommendations-" + "Llanfair" * 40)[:MAX_STEM]
    assert re.fullmatch(r"slippage-query-\d{4}-\d{2}-\d{2}-\d{4}", query_stem())
