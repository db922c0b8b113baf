# Question versions (issue 19), step 1 of 3: the table, the question's current version, and a
# nullable Response.version next to the snapshot it replaces.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0015_question_meta_after_merge"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("content", models.JSONField(editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "question",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="quizzes.question"),
                ),
            ],
            options={"ordering": ["question", "created_at", "id"]},
        ),
        migrations.AddField(
            model_name="question",
            name="current_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="quizzes.questionversion",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="responses", to="quizzes.questionversion"
            ),
        ),
        migrations.AlterField(model_name="response", name="snapshot", field=models.JSONField(null=True)),
    ]
