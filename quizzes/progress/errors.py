"""The one error type learner actions raise; `code` is stable (the API returns it), `message` is for people."""

from __future__ import annotations

from quizzes.errors import ErrorCode, error_status


class LearnerActionError(Exception):
    """A learner action refused; its HTTP status comes from the code (quizzes.errors.ERRORS)."""

    def __init__(self, code: ErrorCode | str, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = error_status(code)
        self.code = ErrorCode(code)
        if status is not None and status != self.status:
            raise ValueError(f"error code {code!r} has status {self.status} in quizzes.errors.ERRORS, not {status}")
        self.message = message
