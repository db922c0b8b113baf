"""The model Response becomes QuestionResponse (DRF has a Response too). The table keeps its name,
so no data moves: the table option is pinned first, then the model is renamed (Django renames the
content type with it), and the permissions' codenames follow so role groups keep what they had."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def _permissions_rename(apps, old: str, new: str, label: str) -> None:
    """The renamed content type's permissions take the new model name (a fresh database has none yet:
    post_migrate creates them after the migrations)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.filter(app_label="quizzes", model__in=[old, new])
    for action in ACTIONS:
        if not Permission.objects.filter(content_type__in=types, codename=f"{action}_{new}").exists():
            Permission.objects.filter(content_type__in=types, codename=f"{action}_{old}").update(
                codename=f"{action}_{new}", name=f"Can {action} {label}"
            )


def forwards(apps, schema_editor):
    _permissions_rename(apps, "response", "questionresponse", "question response")


def backwards(apps, schema_editor):
    _permissions_rename(apps, "questionresponse", "response", "response")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quizzes", "0034_webhooks"),
    ]

    operations = [
        migrations.AlterModelTable(name="response", table="quizzes_response"),
        migrations.RenameModel(old_name="Response", new_name="QuestionResponse"),
        migrations.RunPython(forwards, backwards),
    ]
