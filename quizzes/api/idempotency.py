"""`Idempotency-Key` on every create (POST) of the API, for a caller that may retry.

Same key, same request (method, path, body) within KZL_IDEMPOTENCY_KEY_SECONDS: the first
successful response is replayed (with `Idempotent-Replayed: true`) and nothing is created again.
Same key, another request: 409 `idempotency_key_reused`. While the first is still running: 409
`idempotency_key_in_use`. A request that failed (4xx, 5xx) keeps nothing, so it can be fixed and
sent again with its key. Keys are per caller: an integration credential, or a user.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from quizzes.errors import ErrorCode
from quizzes.integrations.idempotency import (
    KeyInUse,
    KeyReused,
    idempotency_begin,
    idempotency_fingerprint,
    idempotency_finish,
    idempotency_key_check,
)
from quizzes.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


class Conflict(exceptions.APIException):
    status_code = 409


class _Replay(Exception):
    def __init__(self, record: IdempotencyKey):
        self.record = record


def caller(request) -> str:
    """The key space: the integration credential of a bearer token, else the user."""
    application_id = getattr(request.auth, "application_id", None)
    if application_id is not None:
        return f"credential:{application_id}"
    return f"user:{request.user.pk}"


class Idempotent:
    """Mixed into every API view that takes POST (tests/api/test_idempotency.py checks they all do)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.user.is_authenticated:
            return
        problem = idempotency_key_check(key)
        if problem:
            raise exceptions.ValidationError(
                {
                    HEADER: [gettext("The %(header)s header %(problem)s.") % {"header": HEADER, "problem": problem}],
                }
            )
        fingerprint = idempotency_fingerprint(method=request.method, path=request.get_full_path(), data=request.data)
        try:
            begun = idempotency_begin(owner=caller(request), key=key, fingerprint=fingerprint)
        except KeyReused:
            raise Conflict(
                f"This {HEADER} was used for a different request (another endpoint or body); use a new key for a new request.",
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ) from None
        except KeyInUse:
            raise Conflict(
                f"A request with this {HEADER} is still being processed; retry in a moment.", ErrorCode.IDEMPOTENCY_KEY_IN_USE
            ) from None
        if begun.replay:
            raise _Replay(begun.record)
        request._kzl_idempotency = begun.record

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return Response(exc.record.body, status=exc.record.status, headers={REPLAYED: "true"})
        try:
            return super().handle_exception(exc)  # type: ignore[misc]
        except Exception:
            # An unexpected error (a 500): free the key at once rather than leave it "in use".
            request = self.request  # type: ignore[attr-defined]
            record = getattr(request, "_kzl_idempotency", None)
            if record is not None:
                request._kzl_idempotency = None
                idempotency_finish(record=record, status=500, body=None)
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        record = getattr(request, "_kzl_idempotency", None)
        if record is not None:
            request._kzl_idempotency = None
            body = json.loads(JSONRenderer().render(response.data)) if response.data is not None else None
            idempotency_finish(record=record, status=response.status_code, body=body)
        return response
