"""Time zones (PURE: the standard library's zoneinfo only): the choices a class or a person picks
from, and a zone's name for people ("Asia/Almaty, UTC+05:00")."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Kazakhstan's zones first in every list (the schools this serves), then every other zone by name.
FIRST = ["Asia/Almaty", "Asia/Qostanay", "Asia/Qyzylorda", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral"]


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, Kazakhstan's first."""
    known = available_timezones()
    rest = sorted(z for z in known if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")) and z not in FIRST)
    return tuple([z for z in FIRST if z in known] + ["UTC"] + rest)


def time_zone_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a model field or a form: the zone name with its offset now."""
    return [(name, zone_label(name)) for name in time_zone_names()]


def zone_offset(name: str, at: datetime | None = None) -> str:
    """'UTC+05:00' for Asia/Almaty (at `at`, default now: offsets move with summer time elsewhere)."""
    moment = (at or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(name))
    offset = moment.strftime("%z") or "+0000"
    return f"UTC{offset[:3]}:{offset[3:]}"


def zone_label(name: str, at: datetime | None = None) -> str:
    """The zone as people read it: 'Asia/Almaty, UTC+05:00'."""
    return f"{name}, {zone_offset(name, at)}"
