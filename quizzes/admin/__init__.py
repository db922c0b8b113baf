"""The teachers' admin: one module per concern, registered on import."""

from quizzes.admin import bank, classes, collections, events, integrations, jobs, lti, scenarios, sources  # noqa: F401
