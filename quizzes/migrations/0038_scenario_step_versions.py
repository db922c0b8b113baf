# Scenario step versions (issue 19), step 1 of 3: the table, and a nullable Prediction.version next to
# the snapshot it replaces.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0037_roster_sourced_ids"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScenarioStepVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("content", models.JSONField(editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "step",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="quizzes.scenariostep"),
                ),
            ],
            options={"ordering": ["step", "created_at", "id"]},
        ),
        migrations.AddField(
            model_name="prediction",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="predictions", to="quizzes.scenariostepversion"
            ),
        ),
        migrations.AlterField(model_name="prediction", name="snapshot", field=models.JSONField(null=True)),
    ]
