"""The one fuzzy-date label: a date as precisely as the sources give it, the same in every part of the app."""

from __future__ import annotations

from datetime import date

from quizzes.dates import date_label, date_span_label


def test_a_date_at_each_precision():
    assert date_label(date(2022, 1, 5)) == "5 January 2022"
    assert date_label(date(2022, 1, 1), "month") == "January 2022"
    assert date_label(date(2019, 1, 1), "year") == "2019"


def test_a_span_says_the_shared_month_and_year_once():
    assert date_span_label(date(2022, 1, 4), date(2022, 1, 6)) == "between 4 and 6 January 2022"
    assert date_span_label(date(2022, 1, 30), date(2022, 2, 2)) == "between 30 January and 2 February 2022"
    assert date_span_label(date(2021, 12, 30), date(2022, 1, 2)) == "between 30 December 2021 and 2 January 2022"


def test_no_span_is_the_date_at_its_precision():
    assert date_span_label(date(2022, 1, 5), None) == "5 January 2022"
    assert date_span_label(date(2022, 1, 5), date(2022, 1, 5)) == "5 January 2022"
    assert date_span_label(date(2022, 1, 1), None, "month") == "January 2022"
