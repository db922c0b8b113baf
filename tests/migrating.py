"""Moving the test database between migrations, for the tests of a data migration."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str] | None = None):
    """Migrate to `target`, or to the newest migration when None (every migration test ends there, so
    later transactional tests meet today's schema); returns the apps at that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    target = target or executor.loader.graph.leaf_nodes("quizzes")[0]
    executor.migrate([target])
    return executor.loader.project_state([target]).apps
