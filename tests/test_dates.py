"""Dates as committee papers print them."""

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.dates import MONTHS, find_dates, parse_date, printed_as_at


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31/03/2024", date(2024, 3, 31)),
        ("31/5/2023", date(2023, 5, 31)),
        ("01/08/2023", date(2023, 8, 1)),  # day first, never August the 1st read as January
        ("7 March 2023", date(2023, 3, 7)),
        ("31 Oct 2022", date(2022, 10, 31)),
        ("31st January 2025", date(2025, 1, 31)),
        ("31 st January 2025", date(2025, 1, 31)),
        ("1 Sep 2024", date(2024, 9, 1)),
        ("10/01/20", date(2020, 1, 10)),
        ("May 2026", date(2026, 5, 31)),
        ("June 2021 onwards", date(2021, 6, 30)),
        ("August 2025.", date(2025, 8, 31)),
        ("February 2024", date(2024, 2, 29)),
        ("Sept 2024", date(2024, 9, 30)),
        ("2025-04-30", date(2025, 4, 30)),
        ("TBC", None),
        ("Ongoing", None),
        ("n/a", None),
        ("", None),
        ("31/02/2024", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["TBC", "TBC.", "TBC (partially implemented)", "to be confirmed"])
def test_tbc_is_a_value_without_a_date(text):
    [token] = find_dates(text)
    assert token.tbc and token.value is None


def test_year_less_date_takes_the_next_year_after_the_previous_target():
    [cycle, day] = find_dates("October 2024 – 31 January")
    assert day.needs_year
    assert day.with_year_after(date(2024, 9, 30), 2024).value == date(2025, 1, 31)
    assert day.with_year_after(date(2024, 1, 15), 2024).value == date(2024, 1, 31)


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["(Recommendation status as at 31.12.2024)."], date(2024, 12, 31)),
        (["High Importance (HI) Recommendations at 28 February 2026"], date(2026, 2, 28)),
        (["Appendix B: Overdue audit actions (high and medium priority)"], None),
    ],
)
def test_printed_as_at(lines, expected):
    assert printed_as_at(lines) == expected


FORMS = [
    lambda d: d.strftime("%d/%m/%Y"),  # 07/03/2023
    lambda d: f"{d.day}/{d.month}/{d:%y}",  # 7/3/23
    lambda d: d.strftime("%d.%m.%Y"),  # 07.03.2023
    lambda d: d.strftime("%d-%m-%Y"),  # 07-03-2023
    lambda d: d.isoformat(),  # 2023-03-07
    lambda d: f"{d.day} {d:%B %Y}",  # 7 March 2023
    lambda d: f"{d.day} {d:%b %Y}",  # 7 Mar 2023
    lambda d: f"{d.day}{_suffix(d.day)} {d:%B %Y}",  # 7th March 2023
    lambda d: f"{d.day}{_suffix(d.day)} of {d:%B, %Y}",  # 7th of March, 2023
    lambda d: f"{d:%B} {d.day}, {d.year}",  # March 7, 2023
]


def _suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(range(len(FORMS))),
    st.sampled_from(["", "Target: ", "by "]),
    st.sampled_from(["", ".", " (revised)"]),
)
def test_every_printed_form_reads_back_as_the_same_day(day, form, before, after):
    printed = before + FORMS[form](day) + after
    [token] = [t for t in find_dates(printed) if not t.tbc]
    assert token.value == day, printed
    assert printed[token.start : token.end] == token.raw


@pytest.mark.slow
@given(st.text())
def test_arbitrary_text_never_raises(text):
    for token in find_dates(text):
        assert token.raw == text[token.start : token.end]
        assert token.value is None or date(1900, 1, 1) <= token.value <= date(2200, 12, 31)
    parse_date(text)


@given(st.sampled_from(sorted(MONTHS)), st.integers(min_value=1901, max_value=2199), st.sampled_from(["", ".", " onwards", ","]))
def test_month_only_is_the_last_day_of_the_month(month, year, tail):
    value = parse_date(f"{month} {year}{tail}")
    assert value == date(year, MONTHS[month], calendar.monthrange(year, MONTHS[month])[1])


# -- forms UK papers use beyond the plain date (worked by hand) ------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1/4/25", date(2025, 4, 1)),  # two-digit year, no leading zeros
        ("9/11/24", date(2024, 11, 9)),
        ("Sept. 2025", date(2025, 9, 30)),
        ("Sept-25", date(2025, 9, 30)),
        ("Jun-25", date(2025, 6, 30)),
        ("June '25", date(2025, 6, 30)),
        ("Feb ’26", date(2026, 2, 28)),
        ("28th Feb '25", date(2025, 2, 28)),
        ("3rd Sept. 2025", date(2025, 9, 3)),
        ("Friday 28 March 2025", date(2025, 3, 28)),
        ("Fri 28/03/25", date(2025, 3, 28)),
        ("Tues 1 July 2025", date(2025, 7, 1)),
        ("w/c 3 March 2025", date(2025, 3, 3)),
        ("WC 03/03/25", date(2025, 3, 3)),  # the week's first day, as printed
        ("Week commencing 14 April 2025", date(2025, 4, 14)),
        ("2025/26", date(2026, 3, 31)),
        ("2024-2025", date(2025, 3, 31)),  # a financial year alone: its end
        ("FY 2025-26", date(2026, 3, 31)),
        ("FY25/26", date(2026, 3, 31)),
        ("H1 2025/26", date(2025, 9, 30)),
        ("H2 2025/26", date(2026, 3, 31)),
        ("second half of 2024/25", date(2025, 3, 31)),
        ("first half of FY 2025/26", date(2025, 9, 30)),
        ("Q2 2025/26", date(2025, 9, 30)),
        ("end of Q3 2024/25", date(2024, 12, 31)),
        ("Spring 2026", date(2026, 5, 31)),
        ("summer '25", date(2025, 8, 31)),
    ],
)
def test_uk_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2025/27", "2025/12", "Payroll 2023/24-03", "H3 2025/26", "Q3 figures were late"])
def test_things_that_only_look_like_periods_are_not_dates(text):
    assert [t for t in find_dates(text) if t.value is not None and not t.financial_year] == []
    if text in ("2025/27", "2025/12", "Q3 figures were late"):
        assert find_dates(text) == []


def test_a_financial_year_alone_is_marked_so_prose_about_budgets_never_dates_a_report():
    [token] = find_dates("the 2025/26 budget")
    assert token.financial_year and token.value == date(2026, 3, 31)
    [dated] = find_dates("31 March 2026")
    assert not dated.financial_year


def test_a_quarter_without_its_year_needs_one_and_is_doubtful():
    [token] = find_dates("By the end of Q3.")
    assert token.needs_year and (token.day, token.month) == (31, 12)
    assert "no year written" in token.doubt
    assert token.with_year_after(date(2025, 1, 31), 2025).value == date(2025, 12, 31)


def test_calendar_halves_and_seasons_are_read_with_a_doubt():
    [half] = find_dates("H1 2025")
    assert half.value == date(2025, 6, 30) and "calendar half-year" in half.doubt
    [season] = find_dates("Autumn 2025")
    assert season.value == date(2025, 11, 30) and "end of November 2025" in season.doubt


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["Position as at Friday 28 March 2025"], date(2025, 3, 28)),
        (["Status at Fri 28/03/25"], date(2025, 3, 28)),
    ],
)
def test_printed_as_at_after_a_day_name(lines, expected):
    assert printed_as_at(lines) == expected
