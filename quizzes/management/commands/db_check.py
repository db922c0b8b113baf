"""Check the database settings the app needs (docs/operations.md#database); exit status 1 on a problem."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connections
from django.utils.translation import gettext, gettext_lazy

from kzlearn.dbcheck import database_report
from quizzes.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Check PostgreSQL's jit, work_mem, autovacuum and redundant indexes on the tables that grow with learners.")

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database: str, **options):
        connection = connections[database]
        rows = database_report(connection)
        if not rows:
            self.stdout.write(
                gettext("%(vendor)s: nothing to check (the settings checked are PostgreSQL's).") % {"vendor": connection.vendor}
            )
            return
        for what, found, wanted, ok in rows:
            self.stdout.write(
                f"{'ok  ' if ok else 'FAIL'} "
                + gettext("%(what)s: %(found)s (wanted %(wanted)s)") % {"what": what, "found": found, "wanted": wanted}
            )
        failed = [what for what, _found, _wanted, ok in rows if not ok]
        if failed:
            raise CommandError(
                gettext("database settings to fix: %(settings)s (docs/operations.md#database)") % {"settings": ", ".join(failed)}
            )
