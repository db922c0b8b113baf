"""Collections: one episode's curated dataset (seeds/<collection>/), held side by side with others."""

from django.db import models


class Collection(models.Model):
    """One episode, as its collection.yaml describes it. Everything curated belongs to exactly one;
    loading a collection never touches another."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    period = models.CharField(max_length=120, help_text='The span of time, as shown: "January 2022".')
    description = models.TextField(help_text="One paragraph, shown on the home page and the source list.")
    language = models.CharField(max_length=20, default="en", help_text="BCP 47 tag of the sources and the content: en, ru, kk.")
    # The span the episode is about (from collection.yaml `dates`); events outside it are background.
    # Empty: every event counts.
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the home page (collection.yaml `position`).")
    # modules.yaml as written: [{"slug", "title", "description", "scenarios": [slugs], "quizzes":
    # [{"slug", "title", "topics", "qtypes", "date_from", "date_to", "size", "feedback", ...}]}]
    module_specs = models.JSONField(default=list, blank=True, help_text="The suggested modules (modules.yaml); seed_demo builds them.")
    folder = models.CharField(max_length=300, blank=True, help_text="The folder it was last loaded from.")
    loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title
