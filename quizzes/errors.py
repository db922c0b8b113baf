"""Every error code the app gives to programs, with its HTTP status and meaning: the one table.

The API's error body (`{"error": {"code", "message", "fields"}}`, quizzes.api.errors), the OpenAPI
descriptions (quizzes.api.schema, quizzes.api.errors.errors_for) and the list in docs/api.md
(`python manage.py error_codes --write`) are all made from ERRORS. A new code is added here, once;
LearnerActionError refuses a code that is not in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    # The request itself (raised by DRF and the API's handler).
    INVALID = "invalid"
    PARSE_ERROR = "parse_error"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    # Safe writes (quizzes.api.idempotency).
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"
    # Learner actions (raised by the services as LearnerActionError).
    QUIZ_UNAVAILABLE = "quiz_unavailable"
    QUIZ_EMPTY = "quiz_empty"
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    NO_SUCH_QUESTION = "no_such_question"
    INVALID_RESPONSE = "invalid_response"
    ATTEMPT_CLOSED = "attempt_closed"
    TIME_UP = "time_up"
    ALREADY_ANSWERED = "already_answered"
    ATTEMPT_OPEN = "attempt_open"
    SCENARIO_UNAVAILABLE = "scenario_unavailable"
    NOT_CURRENT_STEP = "not_current_step"
    INVALID_CONFIDENCE = "invalid_confidence"
    INVALID_CHOICE = "invalid_choice"
    ALREADY_PREDICTED = "already_predicted"
    RUN_FINISHED = "run_finished"
    NO_SUCH_CARD = "no_such_card"
    WRONG_QUESTION = "wrong_question"
    NOT_SHOWN = "not_shown"
    QUESTION_BROKEN = "question_broken"
    NOT_DUE = "not_due"
    CLIENT_KEY_REUSED = "client_key_reused"


@dataclass(frozen=True)
class ErrorInfo:
    status: int
    meaning: str  # for people: the docs and the OpenAPI descriptions
    learner_action: bool = False


E = ErrorCode
ERRORS: dict[ErrorCode, ErrorInfo] = {
    E.INVALID: ErrorInfo(
        400,
        "The request is not valid; `fields` names each bad field, query parameter (also one the operation does not take) "
        "or `non_field_errors`, with its messages.",
    ),
    E.PARSE_ERROR: ErrorInfo(400, "The body is not valid JSON."),
    E.NOT_AUTHENTICATED: ErrorInfo(401, "No credentials were given."),
    E.AUTHENTICATION_FAILED: ErrorInfo(401, "The token or the username and password are wrong."),
    E.PERMISSION_DENIED: ErrorInfo(403, "Signed in but not allowed, e.g. a student on a teacher endpoint, or a missing CSRF token."),
    E.NOT_FOUND: ErrorInfo(404, "No such object, or not yours; for lists, a page past the end."),
    E.METHOD_NOT_ALLOWED: ErrorInfo(405, "The endpoint does not take this HTTP method."),
    E.NOT_ACCEPTABLE: ErrorInfo(406, "The `Accept` header asks for something other than JSON."),
    E.UNSUPPORTED_MEDIA_TYPE: ErrorInfo(415, "The body is not `application/json`."),
    E.THROTTLED: ErrorInfo(429, "Too many requests; retry after the `Retry-After` seconds."),
    E.IDEMPOTENCY_KEY_REUSED: ErrorInfo(
        409, "The `Idempotency-Key` was used before (within its expiry) for a different request: another endpoint or another body."
    ),
    E.IDEMPOTENCY_KEY_IN_USE: ErrorInfo(409, "A request with this `Idempotency-Key` is still being processed; retry in a moment."),
    E.QUIZ_UNAVAILABLE: ErrorInfo(
        404, "The quiz is not available to this learner (unpublished and not assigned to them, or private to other classes).", True
    ),
    E.QUIZ_EMPTY: ErrorInfo(409, "The quiz has no questions yet.", True),
    E.NO_ATTEMPTS_LEFT: ErrorInfo(403, "The quiz allows no more attempts to this learner.", True),
    E.NO_SUCH_QUESTION: ErrorInfo(404, "The attempt has no question at that position.", True),
    E.INVALID_RESPONSE: ErrorInfo(400, "The response does not fit the question (its shape or its option ids).", True),
    E.ATTEMPT_CLOSED: ErrorInfo(409, "The attempt has been submitted; answers can no longer change.", True),
    E.TIME_UP: ErrorInfo(409, "The attempt's time limit has passed.", True),
    E.ALREADY_ANSWERED: ErrorInfo(409, "The question has been answered and, with immediate feedback, its feedback shown.", True),
    E.ATTEMPT_OPEN: ErrorInfo(409, "The attempt is not submitted yet, so it has no results.", True),
    E.SCENARIO_UNAVAILABLE: ErrorInfo(404, "The scenario is not published.", True),
    E.NOT_CURRENT_STEP: ErrorInfo(400, "That is not the step the run is at.", True),
    E.INVALID_CONFIDENCE: ErrorInfo(400, "`confidence` is not a whole number of percent from 50 to 100.", True),
    E.INVALID_CHOICE: ErrorInfo(400, "`choice` is not one of the step's option ids.", True),
    E.ALREADY_PREDICTED: ErrorInfo(409, "A prediction for this step has already been made.", True),
    E.RUN_FINISHED: ErrorInfo(409, "The scenario run has finished.", True),
    E.NO_SUCH_CARD: ErrorInfo(404, "The learner has no review card with that id.", True),
    E.WRONG_QUESTION: ErrorInfo(400, "That question does not test the card's fact.", True),
    E.NOT_SHOWN: ErrorInfo(400, "Not the question review shows for this card now (one error for any other question).", True),
    E.QUESTION_BROKEN: ErrorInfo(409, "The question's answer key is broken and cannot be scored; the error is logged.", True),
    E.NOT_DUE: ErrorInfo(409, "The card is not due: just reviewed (it comes back later), or past the daily review cap (tomorrow).", True),
    E.CLIENT_KEY_REUSED: ErrorInfo(409, "The `client_key` was sent before with a different answer or prediction.", True),
}
del E


def error_status(code: ErrorCode | str) -> int:
    """The HTTP status of a code (ValueError, naming this module, for a code not in the table)."""
    try:
        return ERRORS[ErrorCode(code)].status
    except ValueError:
        raise ValueError(f"unknown error code {code!r}: add it to quizzes.errors.ErrorCode and ERRORS") from None


def errors_markdown() -> str:
    """The code table as docs/api.md shows it (between its error-codes markers)."""
    lines = ["| code | status | meaning |", "| --- | --- | --- |"]
    for code, info in ERRORS.items():
        lines.append(f"| `{code}` | {info.status} | {'Learner action: ' if info.learner_action else ''}{info.meaning} |")
    return "\n".join(lines) + "\n"
