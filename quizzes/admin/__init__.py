"""The teachers' admin: one module per concern, registered on import."""

from quizzes.admin import bank, classes, collections, events, home, integrations, jobs, lti, scenarios, sources, webhooks, work  # noqa: F401
