# Question versions (issue 19), step 2 of 3: one version per distinct snapshot of a question
# (the same content hash as quizzes.bank.versions.content_hash), each response pointed at its own.
# Reversible: going back copies each response's version into its snapshot again.

import hashlib
import json

from django.db import migrations

BATCH = 2000


def _hash(question_id, content):
    canonical = json.dumps({"question": question_id, "content": content}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def forwards(apps, schema_editor):
    Response = apps.get_model("quizzes", "Response")
    QuestionVersion = apps.get_model("quizzes", "QuestionVersion")
    known = dict(QuestionVersion.objects.values_list("content_hash", "pk"))
    rows = Response.objects.filter(version__isnull=True).order_by("pk").values_list("pk", "question_id", "snapshot")
    pending = []
    for pk, question_id, snapshot in rows.iterator(chunk_size=BATCH):
        h = _hash(question_id, snapshot)
        if h not in known:
            known[h] = QuestionVersion.objects.create(question_id=question_id, content_hash=h, content=snapshot).pk
        pending.append(Response(pk=pk, version_id=known[h]))
        if len(pending) >= BATCH:
            Response.objects.bulk_update(pending, ["version"])
            pending = []
    Response.objects.bulk_update(pending, ["version"])


def backwards(apps, schema_editor):
    Response = apps.get_model("quizzes", "Response")
    pending = []
    for row in Response.objects.select_related("version").order_by("pk").iterator(chunk_size=BATCH):
        row.snapshot = row.version.content
        pending.append(row)
        if len(pending) >= BATCH:
            Response.objects.bulk_update(pending, ["snapshot"])
            pending = []
    Response.objects.bulk_update(pending, ["snapshot"])


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0016_question_versions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
