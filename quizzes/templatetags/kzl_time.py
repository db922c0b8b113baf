"""Dates and times for people, in the viewer's language and time zone (quizzes.accounts.middleware
activates both): `{{ due|when }}` '5 January 2026, 18:00', `{{ due|when_zoned }}` adds the zone
'… (Asia/Almaty, UTC+05:00)', `{{ day|day_label }}` '5 January 2026', `{% zone_name %}` the zone."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html

from quizzes.dates import date_label, date_range_label
from quizzes.zones import zone_label

register = template.Library()


def local(value: datetime) -> datetime:
    """An aware datetime in the active zone (a naive one is taken as already local)."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def when_text(value: datetime | None, *, zoned: bool = False) -> str:
    """'5 January 2026, 18:00' in the active language and zone; with the zone named if `zoned`."""
    if value is None:
        return ""
    moment = local(value)
    text = f"{date_label(moment.date(), 'day', translation.get_language())}, {moment:%H:%M}"
    if zoned:
        text += f" ({zone_label(timezone.get_current_timezone_name(), value)})"
    return text


@register.filter
def when(value: datetime | None) -> str:
    return when_text(value)


@register.filter
def when_zoned(value: datetime | None) -> str:
    return when_text(value, zoned=True)


@register.filter
def when_tag(value: datetime | None, zoned: bool = True) -> str:
    """A <time> element: the instant with its offset for machines, the local words for people."""
    if value is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', local(value).isoformat(timespec="minutes"), when_text(value, zoned=zoned))


@register.filter
def day_label(value: date | datetime | None, precision: str = "day") -> str:
    """A date in the active language, as precise as given: '5 January 2026', 'January 2022', '2022'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return date_label(value, precision or "day", translation.get_language())


@register.simple_tag
def day_range(start: date, end: date | None = None, precision: str = "day") -> str:
    """'2–6 January 2022' in the active language."""
    return date_range_label(start, end, precision, translation.get_language())


@register.simple_tag
def zone_name() -> str:
    """The active zone as people read it: 'Asia/Almaty, UTC+05:00'."""
    return zone_label(timezone.get_current_timezone_name())
