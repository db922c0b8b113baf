# Question versions (issue 19), step 3 of 3: every response references its version; the per-attempt
# snapshot copy goes (going back, step 2 refills it from the versions).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0017_question_versions_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="version",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="responses", to="quizzes.questionversion"),
        ),
        migrations.RemoveField(model_name="response", name="snapshot"),
    ]
