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
