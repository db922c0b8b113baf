"""Give every row loaded before collections existed to one collection.

The collection is the episode folder under KZL_SEEDS_ROOT whose sources.yaml lists the loaded
sources (read from its collection.yaml); when none matches, a placeholder "imported" collection
that the next `load_seeds` of the right folder does not touch (rename its slug in the admin to
adopt it). A database with no content gets no collection.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations

OWNED = ("source", "topic", "entity", "event", "figure", "claim", "eventlink", "dispute", "question", "scenario", "reviewcard")


def _folder_for(source_slugs: set[str]) -> dict | None:
    root = Path(getattr(settings, "KZL_SEEDS_ROOT", Path(settings.BASE_DIR) / "seeds"))
    for meta in sorted(root.glob("*/collection.yaml")):
        try:
            doc = yaml.safe_load(meta.read_text(encoding="utf-8"))
            listed = {s["slug"] for s in yaml.safe_load((meta.parent / "sources.yaml").read_text(encoding="utf-8"))["sources"]}
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue
        if source_slugs and source_slugs <= listed:
            return doc
    return None


def adopt(apps, schema_editor):
    Collection = apps.get_model("quizzes", "Collection")
    models = [apps.get_model("quizzes", name) for name in OWNED]
    if not any(m.objects.filter(collection__isnull=True).exists() for m in models):
        return
    Source = apps.get_model("quizzes", "Source")
    doc = _folder_for(set(Source.objects.values_list("slug", flat=True)))
    if doc:
        collection, _ = Collection.objects.get_or_create(
            slug=doc["slug"],
            defaults={
                "title": doc["title"],
                "period": doc["period"],
                "description": " ".join(str(doc["description"]).split()),
                "language": doc.get("language", "en"),
                "position": doc.get("position", 0),
            },
        )
    else:
        collection, _ = Collection.objects.get_or_create(
            slug="imported",
            defaults={"title": "Loaded before collections", "period": "", "description": "Content loaded before collections existed."},
        )
    for model in models:
        model.objects.filter(collection__isnull=True).update(collection=collection)
    # Quizzes and modules built from that bank belong to it too.
    for name in ("quiz", "module"):
        apps.get_model("quizzes", name).objects.filter(collection__isnull=True).update(collection=collection)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0012_collections")]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
