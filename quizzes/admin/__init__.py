"""The teachers' admin: one module per concern, registered on import."""

from quizzes.admin import bank, events, sources  # noqa: F401
