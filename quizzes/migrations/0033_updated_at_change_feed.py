"""The change feed's clock: `updated_at` on classes, enrolments, assignments, attempts and scenario runs.

Django's auto_now sets it on save(), but many writes are UPDATEs that name their columns (save with
update_fields, QuerySet.update), which auto_now never sees. So a trigger sets it on every UPDATE
that changes a row: on PostgreSQL to clock_timestamp() when anything but the ignored columns changed
(an attempt counted in the item statistics is not a change a sync needs; an UPDATE that sets only
updated_at keeps its value), on SQLite to the current
time when the UPDATE did not set it. Existing rows get their latest known time."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce

# table -> columns whose change alone does not move updated_at
FEED_TABLES = {
    "quizzes_classroom": [],
    "quizzes_enrolment": [],
    "quizzes_assignment": [],
    "quizzes_attempt": ["statistics_at"],
    "quizzes_scenariorun": [],
}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION kzl_touch_updated_at() RETURNS trigger AS $$
DECLARE
    ignored text[] := coalesce(TG_ARGV, '{}'::text[]);
BEGIN
    IF (to_jsonb(NEW) - ignored - 'updated_at'::text) IS DISTINCT FROM (to_jsonb(OLD) - ignored - 'updated_at'::text) THEN
        NEW.updated_at := clock_timestamp();
    END IF;  -- otherwise the UPDATE's own value: unchanged, or set on purpose
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def backfill(apps, schema_editor):
    get = apps.get_model
    get("quizzes", "Classroom").objects.update(updated_at=Coalesce("archived_at", "created_at"))
    get("quizzes", "Enrolment").objects.update(updated_at=models.F("joined_at"))
    get("quizzes", "Assignment").objects.update(updated_at=Coalesce("archived_at", "created_at"))
    get("quizzes", "Attempt").objects.update(updated_at=Coalesce("scored_at", "submitted_at", "started_at"))
    get("quizzes", "ScenarioRun").objects.update(updated_at=Coalesce("finished_at", "started_at"))


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table, ignored in FEED_TABLES.items():
            args = ", ".join(f"'{c}'" for c in ignored)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION kzl_touch_updated_at({args})"
            )
    elif vendor == "sqlite":
        for table in FEED_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_touch AFTER UPDATE ON {table} FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at "
                f"BEGIN UPDATE {table} SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = NEW.id; END"
            )


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in FEED_TABLES:
        if vendor in ("postgresql", "sqlite"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_touch" + (f" ON {table}" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS kzl_touch_updated_at()")


def field():
    return models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0032_job_result")]

    operations = [
        *(
            migrations.AddField(model_name=name, name="updated_at", field=field(), preserve_default=False)
            for name in ("classroom", "enrolment", "assignment", "attempt", "scenariorun")
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
