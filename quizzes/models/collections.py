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


# In `?in=` (pages) and `collection=` (API): the quizzes and modules that belong to no collection
# (hand-made by a teacher). load_seeds refuses a collection with this slug.
NO_COLLECTION = "none"


def collection_ref(obj) -> str:
    """How a link names the collection of a quiz, module, scenario or source: its id, or NO_COLLECTION."""
    return str(obj.collection_id) if obj.collection_id else NO_COLLECTION


def in_collection(queryset, ref: str):
    """`queryset` (of content with a `collection`) narrowed to the collection `ref` names: its id
    (digits), its slug, or NO_COLLECTION for content outside any collection."""
    if ref == NO_COLLECTION:
        return queryset.filter(collection__isnull=True)
    if ref.isascii() and ref.isdigit():
        return queryset.filter(collection__pk=int(ref)) if len(ref) < 19 else queryset.none()  # beyond any id
    return queryset.filter(collection__slug=ref)


def collection_label(obj) -> str:
    """The slug of its collection, or NO_COLLECTION, for messages listing where a slug is used."""
    return obj.collection.slug if obj.collection_id else NO_COLLECTION


class ContentVersion(models.Model):
    """What a versioned thing (a question, a scenario step) showed learners: immutable, shared by every
    use of it, identified by the hash of its owner and content (quizzes.bank.versions.owned_content_hash),
    so content that has not changed makes no new version. Subclasses add the owner's foreign key."""

    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    content = models.JSONField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
