# Scenario step versions (issue 19), step 2 of 3: one version per distinct snapshot of a step (the
# same content hash as quizzes.progress.runs.step_content_hash), each prediction pointed at its own.
# Reversible: going back copies each prediction's version into its snapshot again.

import hashlib
import json

from django.db import migrations

BATCH = 2000


def _hash(step_id, content):
    canonical = json.dumps({"step": step_id, "content": content}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def forwards(apps, schema_editor):
    Prediction = apps.get_model("quizzes", "Prediction")
    ScenarioStepVersion = apps.get_model("quizzes", "ScenarioStepVersion")
    known = dict(ScenarioStepVersion.objects.values_list("content_hash", "pk"))
    rows = Prediction.objects.filter(version__isnull=True).order_by("pk").values_list("pk", "step_id", "snapshot")
    pending = []
    for pk, step_id, snapshot in rows.iterator(chunk_size=BATCH):
        h = _hash(step_id, snapshot)
        if h not in known:
            known[h] = ScenarioStepVersion.objects.create(step_id=step_id, content_hash=h, content=snapshot).pk
        pending.append(Prediction(pk=pk, version_id=known[h]))
        if len(pending) >= BATCH:
            Prediction.objects.bulk_update(pending, ["version"])
            pending = []
    Prediction.objects.bulk_update(pending, ["version"])


def backwards(apps, schema_editor):
    Prediction = apps.get_model("quizzes", "Prediction")
    pending = []
    for row in Prediction.objects.select_related("version").order_by("pk").iterator(chunk_size=BATCH):
        row.snapshot = row.version.content
        pending.append(row)
        if len(pending) >= BATCH:
            Prediction.objects.bulk_update(pending, ["snapshot"])
            pending = []
    Prediction.objects.bulk_update(pending, ["snapshot"])


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0038_scenario_step_versions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
