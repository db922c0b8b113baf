"""Query parameters: each endpoint takes only those its OpenAPI operation lists, and the change feed.

`StrictQuery` (on every API view; tests/api/test_change_feed.py checks each route has it, and that
what it accepts is what the schema documents) refuses a query parameter the operation does not
take with a 400 naming it: a sync job that misspells `updated_since` must not get every row back
believing it filtered. `ChangeFeed` adds `updated_since` and `ordering` to the lists integrators
sync (classes, enrolments, assignments, attempts, scenario runs)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django_filters import rest_framework as django_filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

UPDATED_SINCE = "updated_since"
ORDERING = "ordering"
ATTEMPT_ORDERING = {"updated_at": "updated_at", "started_at": "started_at", "submitted_at": "submitted_at", "scored_at": "scored_at"}
RUN_ORDERING = {"updated_at": "updated_at", "started_at": "started_at", "finished_at": "finished_at"}
# A "+" in a query string left unencoded arrives as a space: "2026-12-01T10:00:00 05:00" means +05:00.
_SPACE_OFFSET = re.compile(r"^(\S+T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def _list_like(view) -> bool:
    return getattr(view, "action", None) == "list"


def query_parameters(view) -> set[str]:
    """The query parameters this request's operation takes (what the schema lists for it)."""
    names: set[str] = set(getattr(view, "extra_query_parameters", lambda: ())())
    if not _list_like(view):
        return names
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, django_filters.DjangoFilterBackend):
            filterset_class = getattr(view, "filterset_class", None)
            if filterset_class is not None:
                names.update(filterset_class.base_filters)
        elif issubclass(backend, ChangeFeed):
            names.update((UPDATED_SINCE, ORDERING))
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.update(name for name in (paginator.page_query_param, paginator.page_size_query_param) if name)
    return names


class StrictQuery:
    """A view that refuses query parameters its operation does not take (400, naming each one)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        given = set(request.query_params)
        method = request.method.lower()
        if not given or method == "options" or getattr(self, method, None) is None:
            return  # a method the view does not have is a 405 (dispatch), whatever the query
        allowed = query_parameters(self)
        unknown = sorted(given - allowed)
        if unknown:
            takes = ", ".join(sorted(allowed)) if allowed else gettext("no query parameters")
            message = gettext("Unknown query parameter. This endpoint takes: %(takes)s.") % {"takes": takes}
            raise ValidationError({name: [message] for name in unknown})


def _one(request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [gettext("Give it once.")]})
    return values[0] if values else None


def updated_since_parse(raw: str) -> datetime:
    """An ISO 8601 date and time with its offset (Z or +05:00); a naive time is refused, never guessed."""
    raw = _SPACE_OFFSET.sub(r"\1+\2", raw.strip())
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({UPDATED_SINCE: [gettext("An ISO 8601 date and time with its offset, e.g. 2026-12-01T09:30:00Z.")]})
    if value.tzinfo is None:
        raise ValidationError({UPDATED_SINCE: [gettext("Give the time's offset (Z for UTC, or e.g. +05:00).")]})
    try:
        # In UTC: PostgreSQL refuses offsets past 15:59 that Python accepts (schemathesis sent +17:07).
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationError({UPDATED_SINCE: [gettext("An ISO 8601 date and time with its offset, e.g. 2026-12-01T09:30:00Z.")]}) from None


class ChangeFeed(BaseFilterBackend):
    """`updated_since` (rows changed at or after this time) and `ordering` from the view's
    `ordering_fields` (public name -> model field), always ending with the id so pages are stable."""

    def filter_queryset(self, request, queryset, view):
        if not _list_like(view):
            return queryset
        since = _one(request, UPDATED_SINCE)
        if since is not None:
            queryset = queryset.filter(updated_at__gte=updated_since_parse(since))
        ordering = _one(request, ORDERING)
        if ordering is not None:
            queryset = queryset.order_by(*self._ordering(ordering, view.ordering_fields))
        return queryset

    @staticmethod
    def _ordering(raw: str, fields: dict[str, str]) -> list[str]:
        terms = [t.strip() for t in raw.split(",")]
        order, seen = [], set()
        for term in terms:
            name = term.removeprefix("-")
            if name not in fields:
                choices = ", ".join(sorted(fields))
                raise ValidationError({ORDERING: [gettext("One or more of %(choices)s, '-' first for descending.") % {"choices": choices}]})
            if name in seen:
                continue  # the first mention decides
            seen.add(name)
            order.append(("-" if term.startswith("-") else "") + fields[name])
        last_desc = terms[-1].startswith("-")
        return [*order, "-id" if last_desc else "id"]

    def get_schema_operation_parameters(self, view):
        fields = sorted(view.ordering_fields)
        return [
            {
                "name": UPDATED_SINCE,
                "required": False,
                "in": "query",
                "description": "Only rows changed at or after this time (ISO 8601 with an offset, e.g. 2026-12-01T09:30:00Z; "
                "encode a '+' as %2B). For a sync: ordering=updated_at, and the next run asks from the latest updated_at seen "
                "(rows at that exact time come again: upsert by id).",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": ORDERING,
                "required": False,
                "in": "query",
                "description": f"Sort by {', '.join(fields)} (comma-separated; '-' first for descending); ties by id.",
                "schema": {"type": "string", "pattern": rf"^-?({'|'.join(fields)})(,-?({'|'.join(fields)}))*$"},
            },
        ]


# The filter backends of a list with a change feed: its FilterSet, then `updated_since` and `ordering`.
FEED_BACKENDS = [django_filters.DjangoFilterBackend, ChangeFeed]
