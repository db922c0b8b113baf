"""Dates as precise as the sources allow (PURE): '2022', '2022-01' or '2022-01-05'."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


@dataclass(frozen=True)
class FuzzyDate:
    """A date with its precision: 'day', 'month' or 'year'."""

    value: date
    precision: str

    @property
    def last_day(self) -> date:
        """The last day the date may mean: the value itself, or the end of its month or year."""
        if self.precision == "day":
            return self.value
        if self.precision == "month":
            return self.value.replace(day=calendar.monthrange(self.value.year, self.value.month)[1])
        return self.value.replace(month=12, day=31)

    def __str__(self) -> str:
        return self.value.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.precision]]


def parse_fuzzy_date(text: str) -> FuzzyDate:
    """'2022', '2022-01' or '2022-01-05' -> FuzzyDate; ValueError for anything else."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text or "")
    if not m:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        value = date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real calendar date ({exc})") from None
    return FuzzyDate(value, "day" if day else "month" if month else "year")


def date_label(value: date, precision: str = "day") -> str:
    """A date for people, as precisely as the sources give it: '5 January 2022', 'January 2022', '2022'.

    The one fuzzy-date label: questions, scenarios, feedback, exports and progress all use it."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def date_span_label(start: date, end: date | None = None, precision: str = "day") -> str:
    """A date or a span of days: 'between 4 and 6 January 2022', 'between 30 December 2021 and 2 January 2022',
    or date_label(start, precision) when there is no span."""
    if end is None or end == start:
        return date_label(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"between {start.day} and {date_label(end)}"
    if start.year == end.year:
        return f"between {start.day} {start:%B} and {date_label(end)}"
    return f"between {date_label(start)} and {date_label(end)}"
