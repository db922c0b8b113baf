"""Dates as precise as the sources allow (PURE): '2022', '2022-01' or '2022-01-05', and their labels
for people in the interface's languages (kk, ru, en): '5 January 2022', '5 января 2022 г.',
'2022 жылғы 5 қаңтар'. Generated content keeps English (language="en", the default): it is the
collection's language; the interface around it passes the learner's."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from quizzes.said import Said, _

FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}

# Month names per language: the name alone (a month of a year) and, where the language inflects it,
# the form after a day number (Russian genitive: "5 января"). Kazakh writes the year first,
# "2022 жылғы 5 қаңтар" (the official style), and months in lower case as Russian does.
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "ru": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
    "kk": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"],
}
MONTHS_AFTER_DAY = {
    **MONTHS,
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
}


def _language(language: str) -> str:
    """'ru-ru' -> 'ru'; a language without month names here reads English."""
    base = (language or "en").split("-")[0].lower()
    return base if base in MONTHS else "en"


def _day_month(value: date, lang: str) -> str:
    return f"{value.day} {MONTHS_AFTER_DAY[lang][value.month - 1]}"


def _with_year(text: str, year: int, lang: str) -> str:
    """A day or month phrase with its year in the language's order: '5 January 2022', '5 января 2022 г.'."""
    if lang == "kk":
        return f"{year} жылғы {text}"
    if lang == "ru":
        return f"{text} {year} г."
    return f"{text} {year}"


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
        raise ValueError(_("%(text)s is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD", text=repr(text)))
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        value = date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(_("%(text)s is not a real calendar date (%(error)s)", text=repr(text), error=str(exc))) from None
    return FuzzyDate(value, "day" if day else "month" if month else "year")


def date_label(value: date, precision: str = "day", language: str = "en") -> str:
    """A date for people, as precisely as the sources give it: '5 January 2022', 'January 2022', '2022'
    (ru: '5 января 2022 г.', 'январь 2022 г.', '2022 г.'; kk: '2022 жылғы 5 қаңтар', '2022 жылғы қаңтар', '2022 жыл').

    The one fuzzy-date label: questions, scenarios, feedback, exports and progress all use it."""
    lang = _language(language)
    if precision == "year":
        return {"kk": f"{value.year} жыл", "ru": f"{value.year} г."}.get(lang, str(value.year))
    if precision == "month":
        return _with_year(MONTHS[lang][value.month - 1], value.year, lang)
    return _with_year(_day_month(value, lang), value.year, lang)


def date_range_label(start: date, end: date | None = None, precision: str = "day", language: str = "en") -> str:
    """A date or a span of days in the interface's words, written the short way:
    '2–6 January 2022', '30 January – 2 February 2022', '30 December 2021 – 2 January 2022'
    (ru: '2–6 января 2022 г.'; kk: '2022 жылғы 2–6 қаңтар'); date_label when there is no span."""
    lang = _language(language)
    if end is None or end == start or precision != "day":
        return date_label(start, precision, lang)
    if (start.year, start.month) == (end.year, end.month):
        return _with_year(f"{start.day}–{_day_month(end, lang)}", end.year, lang)
    if start.year == end.year:
        return _with_year(f"{_day_month(start, lang)} – {_day_month(end, lang)}", end.year, lang)
    return f"{date_label(start, 'day', lang)} – {date_label(end, 'day', lang)}"


def date_span_label(start: date, end: date | None = None, precision: str = "day") -> str:
    """A date or a span of days in generated (English) text: 'between 4 and 6 January 2022', 'between 30
    January and 2 February 2022', or date_label(start, precision) when there is no span. The interface's
    spans use date_range_label; both write dates with date_label's month names (never strftime, whose
    month names follow the process locale)."""
    if end is None or end == start:
        return date_label(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"between {start.day} and {date_label(end)}"
    if start.year == end.year:
        return f"between {_day_month(start, 'en')} and {date_label(end)}"
    return f"between {date_label(start)} and {date_label(end)}"


class SaidDate(Said):
    """A date inside a message of ours (a scenario rule's, an audit finding's): the English label as a str (tests and
    logs read it), and date_label's in the language the message is shown in (Said.render's ``language``)."""

    day: date
    precision: str

    def __new__(cls, value: date, precision: str = "day") -> SaidDate:
        made = super().__new__(cls, date_label(value, precision))
        made.day, made.precision = value, precision
        return made

    def render(self, gettext, ngettext, language: str = "en") -> str:
        return date_label(self.day, self.precision, language)


class SaidSpan(Said):
    """An event's date inside a message of ours: its English label (EventFact.when_label: 'between 4 and 6 January
    2022', 'probably 18 January 2022') as a str, and in another language date_range_label's with our hedge translated
    ('probably', 'our reading') and the source's own words (``said``: 'Around 1 a.m.', a weekday) kept as written."""

    start: date
    end: date | None
    precision: str
    said: str
    probably: bool
    read_from: tuple[str, ...]  # a span's bounds read from these weekdays (the source's words, kept as written)

    def __new__(
        cls,
        english: str,
        start: date,
        end: date | None,
        precision: str,
        *,
        said: str = "",
        probably: bool = False,
        read_from: tuple[str, ...] = (),
    ) -> SaidSpan:
        made = super().__new__(cls, english)
        made.start, made.end, made.precision, made.said, made.probably = start, end, precision, said, probably
        made.read_from = read_from
        return made

    def render(self, gettext, ngettext, language: str = "en") -> str:
        if _language(language) == "en":
            return str(self)
        span = date_range_label(self.start, self.end, self.precision, language)
        if self.said:
            return gettext("%(said)s (our reading: %(date)s)") % {"said": self.said, "date": span}
        if self.read_from:
            return gettext("%(date)s (our reading of %(said)s)") % {"date": span, "said": ", ".join(f"“{w}”" for w in self.read_from)}
        return gettext("probably %(date)s") % {"date": span} if self.probably else span
