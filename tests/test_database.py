"""The database settings the app needs (kzlearn.dbcheck, `manage.py db_check`) and the indexes the
big tables' hot queries use (issue 25)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from kzlearn.dbcheck import database_report, database_settings_check
from quizzes.models import Attempt

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _report() -> dict[str, tuple[str, bool]]:
    return {what: (found, ok) for what, found, _wanted, ok in database_report(connection)}


def test_the_app_sets_jit_off_and_work_mem_and_leaves_no_redundant_index():
    report = _report()
    assert report["jit"] == ("off", True)
    assert report["work_mem"][1], report["work_mem"]
    assert report["redundant indexes"] == ("none", True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        server = cursor.fetchone()[0]
    assert report["autovacuum"] == (server, server == "on"), "reported as the server has it"


def test_db_check_fails_and_the_system_check_warns_when_a_setting_is_wrong():
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
        cursor.execute("SET work_mem = '4MB'")
    try:
        report = _report()
        assert report["jit"] == ("on", False) and report["work_mem"] == ("4MB", False)
        with pytest.raises(CommandError, match="jit, work_mem"):
            call_command("db_check")
        warnings = [m.msg for m in database_settings_check(databases=["default"])]
        assert "PostgreSQL jit is on; this app wants off." in warnings
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_hot_queries_of_the_big_tables_have_their_index():
    # The overdue closer reads open attempts past their deadline: the partial index of open deadlines
    overdue = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline_at__lt=timezone.now()).order_by("deadline_at")
    assert "attempt_open_deadline" in _plan(overdue)
    # The statistics job's queue: scored attempts not yet counted
    due = Attempt.objects.filter(status=Attempt.Status.SCORED, statistics_at__isnull=True).order_by("pk").values("pk")
    assert "attempt_statistics_due" in _plan(due)
    # The teachers' lists: newest first
    assert "attempt_started_desc" in _plan(Attempt.objects.order_by("-started_at", "-id")[:50])
