"""The Response model renamed QuestionResponse (migration 0031): the table and its rows stay, the
content type is renamed, and a role group keeps its permissions under their new codenames."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from quizzes.models import QuestionResponse
from quizzes.roles import TEACHERS, roles_setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _before() -> tuple[str, str]:
    """The quizzes migration just before the rename."""
    loader = MigrationExecutor(connection).loader
    name = next(n for app, n in loader.disk_migrations if app == "quizzes" and n.endswith("_rename_response_questionresponse"))
    return next(p.key for p in loader.graph.node_map[("quizzes", name)].parents if p.key[0] == "quizzes")


def test_the_table_keeps_its_name():
    assert QuestionResponse._meta.db_table == "quizzes_response"
    assert "quizzes_response" in connection.introspection.table_names()


def test_an_installation_upgrading_keeps_its_groups_permissions():
    roles_setup()
    teachers = Group.objects.get(name=TEACHERS)
    assert teachers.permissions.filter(codename="view_questionresponse").exists()
    executor = MigrationExecutor(connection)
    executor.migrate([_before()])
    try:
        # As an installation from before the rename has them: the content type and codenames of "response"
        ContentType.objects.filter(app_label="quizzes", model="questionresponse").update(model="response")
        assert teachers.permissions.filter(codename="view_response").exists()
        ContentType.objects.clear_cache()
        call_command("migrate", "quizzes", verbosity=0)
        kind = ContentType.objects.get(app_label="quizzes", model="questionresponse")
        assert not ContentType.objects.filter(app_label="quizzes", model="response").exists()
        assert set(Permission.objects.filter(content_type=kind).values_list("codename", flat=True)) == {
            f"{action}_questionresponse" for action in ("add", "change", "delete", "view")
        }
        assert teachers.permissions.filter(codename="view_questionresponse", content_type=kind).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("quizzes"))
        ContentType.objects.clear_cache()
