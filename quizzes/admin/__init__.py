"""The teachers' admin: one module per concern, registered on import."""

from quizzes.admin import events, sources  # noqa: F401
