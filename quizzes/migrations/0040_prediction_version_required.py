# Scenario step versions (issue 19), step 3 of 3: every prediction references its version; the
# per-prediction snapshot copy goes (going back, step 2 refills it from the versions).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0039_scenario_step_versions_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="prediction",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="predictions", to="quizzes.scenariostepversion"
            ),
        ),
        migrations.RemoveField(model_name="prediction", name="snapshot"),
    ]
