"""The API's one error format: {"error": {"code": "...", "message": "...", "fields": {...}}}.

Every 4xx the API returns has this shape (documented as the `Error` component): `code` is
stable for programs, `message` is for people, `fields` (validation errors only) maps each bad
input field to its messages. Learner actions raise LearnerActionError; it keeps its code and status.
Every code, its status and its meaning are in quizzes.errors.ERRORS; `errors_for` turns codes into
OpenAPI responses from that table.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from quizzes.errors import ERRORS, ErrorCode
from quizzes.progress.errors import LearnerActionError


def describe(codes: list[ErrorCode]) -> str:
    """One description naming each code with its meaning, e.g. "`time_up`: The attempt's time limit has passed."."""
    return " ".join(f"`{code}`: {ERRORS[code].meaning}" for code in codes)


def errors_for(*codes: ErrorCode) -> dict[int, OpenApiResponse]:
    """The OpenAPI responses an operation declares for these codes: one per status, from ERRORS."""
    by_status: dict[int, list[ErrorCode]] = defaultdict(list)
    for code in codes:
        by_status[ERRORS[code].status].append(code)
    return {status: OpenApiResponse(description=describe(found)) for status, found in sorted(by_status.items())}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body: dict[str, object] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc, context):
    """DRF's handler, re-shaped into the one error format; LearnerActionError keeps its code and status."""
    if isinstance(exc, LearnerActionError):
        return Response(error_body(exc.code, str(exc.message)), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # A service refusing its input (quizzes.classes.services): the same 400 as a serializer's.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(ErrorCode.INVALID, _summary(detail), detail)
    else:
        codes = exc.get_codes()
        response.data = error_body(codes if isinstance(codes, str) else exc.default_code, str(exc.detail))
    return response


def _summary(detail: dict) -> str:
    """One line naming the first problem, e.g. "position: Ensure this value is greater than or equal to 1."."""
    name, problem = next(iter(detail.items()), ("request", "not valid"))
    while isinstance(problem, dict | list) and problem:
        problem = next(iter(problem.values())) if isinstance(problem, dict) else problem[0]
    more = f" (and {len(detail) - 1} more field(s); see `fields`)" if len(detail) > 1 else ""
    return f"{name}: {problem}{more}"
