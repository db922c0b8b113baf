"""The Celery app. Configured from Django settings (CELERY_* names); tasks live in quizzes/tasks.py.

Database connections in the worker are handled as Django handles them per request: before and
after each task, `close_old_connections()` closes a connection that is past CONN_MAX_AGE, was left
in a transaction, or failed with an error and no longer answers; otherwise the next task reuses it,
its first query preceded by a health check (CONN_HEALTH_CHECKS), so a PostgreSQL restart costs a
reconnect, never an error. Celery's Django fixup would instead close every connection before and
after every task (a new PostgreSQL session per scoring job), unless CELERY_DB_REUSE_MAX is set:
the settings set it beyond reach, so the fixup leaves the connections to the handlers below.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")

app = Celery("kzlearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def connections_as_per_request(sender=None, **kwargs) -> None:
    """Before and after a task run by a worker (not one run eagerly inside a request or a test)."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections, connections

    if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        return  # never inside a transaction (a task run synchronously from other code)
    close_old_connections()
