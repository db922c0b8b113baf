"""The question bank: generated questions, quizzes assembled from them, and modules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from quizzes.models.collections import Collection, ContentVersion
from quizzes.models.events import Topic
from quizzes.models.sources import Passage
from quizzes.qtypes import QTYPES

PRIVATE_HELP = (
    "Only my classes: learners see it only when a teacher of one of their classes owns it; other teachers do not see it. "
    "An assignment always gives its learners access, published or not."
)


# The question types and their labels come from the registry (quizzes/qtypes/), in its order. The stubs
# know only the class form of TextChoices, not this functional form Django documents.
QuestionType = models.TextChoices("QuestionType", [(name.upper(), (name, t.label)) for name, t in QTYPES.items()])  # type: ignore[call-overload]


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"
        RETIRED = "retired", "retired"

    # Generated from this collection's facts only (its distractors too).
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="questions")
    # template + fact ids, e.g. "when:event/almaty-airport-seized": regeneration updates by key
    # (unique within the collection).
    key = models.CharField(max_length=300)
    template = models.CharField(max_length=60)
    qtype = models.CharField(max_length=20, choices=QuestionType.choices)
    stem = models.TextField()
    # [{"id": "a", "text": "...", "explanation": "...", "evidence": [passage ids]}]; for matching
    # the prompts are {"id": "p1", "text": ..., "side": "prompt"} and the choices side "choice".
    options = models.JSONField(default=list, blank=True)
    # Shape by type: single/attribution/cause_effect/sources_disagree/date/true_false: {"correct": "b"};
    # multi: {"correct": ["a", "c"]}; numeric: {"value": 33, "tolerance": 0, "unit": "police cars"};
    # ordering: {"order": ["e1", "e2", "e3"]}; matching: {"pairs": {"p1": "c2", ...}}.
    answer = models.JSONField()
    explanation = models.TextField()
    evidence = models.ManyToManyField(Passage, related_name="questions")
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions")
    fact_ids = models.JSONField(default=list, help_text='The facts the question tests: ["event:slug", "figure:slug"].')
    difficulty = models.FloatField(help_text="Estimated, 0 (easy) to 1 (hard).")
    # The span of time the question is about (from its events, claims or figures), for assembling
    # quizzes by date range; null when none of its facts is dated.
    period_start = models.DateField(null=True, blank=True, db_index=True)
    period_end = models.DateField(null=True, blank=True)
    generator_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    retired_reason = models.CharField(max_length=300, blank=True)
    # Fields a teacher changed; regeneration never overwrites them.
    edited_fields = models.JSONField(default=list, blank=True)
    # Empty: the shared bank (curators edit it). A teacher's own copy ("Make my own copy") has its
    # teacher here; regeneration neither updates nor retires it.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    # The version new attempts show (quizzes.bank.versions keeps it current; empty: not built yet,
    # the next start builds it). SET_NULL only for the type checker: versions are never deleted.
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collection", "key"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "key"], name="question_unique_key_in_collection"),
            models.CheckConstraint(condition=Q(difficulty__gte=0) & Q(difficulty__lte=1), name="question_difficulty_range"),
        ]
        permissions = [("curate_shared", "Can edit content every class shares (curators)")]

    def __str__(self) -> str:
        return self.stem


class QuestionFact(models.Model):
    """One fact a question tests ("event:slug"), so "which questions test this fact" is an indexed
    lookup on every database (the embedded SQLite default too) instead of a text search of the JSON
    list. Kept equal to `Question.fact_ids` by the post_save receiver below; the list stays the
    ordered copy that versions and snapshots show."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="facts")
    fact_id = models.CharField(max_length=300, db_index=True)

    class Meta:
        ordering = ["question", "fact_id"]
        constraints = [models.UniqueConstraint(fields=["question", "fact_id"], name="questionfact_unique")]

    def __str__(self) -> str:
        return self.fact_id


class QuestionVersion(ContentVersion):
    """One published content of a question, as learners are shown it and scored against: immutable,
    shared by every attempt that showed it, identified by the hash of its content (so regenerating a
    question without a change makes no new version). Built by quizzes.bank.versions.

    content: {"collection", "key", "qtype", "stem", "options", "answer", "explanation", "fact_ids",
    "topics": [slugs], "evidence": [{"id", "quote", "source": slug, "source_label", "outlet",
    "published_on", "anchor", ...}], "generator_version"}"""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")

    class Meta:
        ordering = ["question", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question_id}@{self.content_hash[:10]}"


# A save or an evidence/topic change of a question makes its current version unknown until rebuilt
# (by the service that made the change, or by the next start); a save of fields that are not shown
# (status, edit marks) keeps it.
_NOT_SHOWN = frozenset({"status", "retired_reason", "edited_fields", "updated_at", "owner", "copied_from", "current_version"})


@receiver(post_save, sender=Question)
def _question_saved(sender, instance: Question, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw or created or (update_fields is not None and set(update_fields) <= _NOT_SHOWN):
        return
    if instance.current_version_id is not None:
        Question.objects.filter(pk=instance.pk).update(current_version=None)
        instance.current_version_id = None


@receiver(post_save, sender=Question)
def _question_facts_sync(sender, instance: Question, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    # Fixture loads (raw) are followed by their own QuestionFact rows; a save that names its fields
    # and leaves fact_ids out cannot have changed them.
    if raw or (update_fields is not None and "fact_ids" not in update_fields):
        return
    wanted = set(instance.fact_ids or [])
    have = set() if created else set(QuestionFact.objects.filter(question=instance).values_list("fact_id", flat=True))
    if have - wanted:
        QuestionFact.objects.filter(question=instance, fact_id__in=have - wanted).delete()
    if wanted - have:
        QuestionFact.objects.bulk_create([QuestionFact(question=instance, fact_id=f) for f in sorted(wanted - have)])


@receiver(m2m_changed, sender=Question.evidence.through)
@receiver(m2m_changed, sender=Question.topics.through)
def _question_links_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if reverse:  # a passage or topic gained or lost questions
        if action in ("post_add", "post_remove") and pk_set:
            Question.objects.filter(pk__in=pk_set).update(current_version=None)
        elif action == "pre_clear":
            instance.questions.update(current_version=None)
    elif action in ("post_add", "post_remove", "post_clear"):
        Question.objects.filter(pk=instance.pk).update(current_version=None)
        instance.current_version_id = None


class Quiz(models.Model):
    class Order(models.TextChoices):
        FIXED = "fixed", "fixed order"
        SHUFFLED = "shuffled", "shuffled for each attempt"

    class Feedback(models.TextChoices):
        IMMEDIATE = "immediate", "after each question"
        END = "end", "at the end"

    class Review(models.TextChoices):
        """When a learner sees the right answers and explanations of a finished attempt (Moodle's review options)."""

        IMMEDIATELY = "immediately", "as soon as the attempt is submitted"
        AFTER_LAST_ATTEMPT = "after_last", "once no attempts remain (or after the due date)"
        AFTER_DUE = "after_due", "after the assignment's due date"
        NEVER = "never", "never (only the score)"

    class Grade(models.TextChoices):
        """Which attempts make a learner's grade on the quiz."""

        BEST = "best", "best attempt"
        FIRST = "first", "first attempt"
        LAST = "last", "last attempt"
        MEAN = "mean", "mean of all attempts"

    slug = models.SlugField(max_length=80, help_text="Unique within its collection (or among quizzes without one).")
    # The collection its questions come from; empty for a hand-made quiz that mixes collections.
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="quizzes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    questions = models.ManyToManyField(Question, through="QuizQuestion", related_name="quizzes")
    order = models.CharField(max_length=10, choices=Order.choices, default=Order.FIXED)
    feedback = models.CharField(max_length=10, choices=Feedback.choices, default=Feedback.IMMEDIATE)
    attempts_allowed = models.PositiveSmallIntegerField(default=0, help_text="0 means unlimited.")
    # A fresh draw per attempt: with a pool larger than this, each attempt takes this many of the
    # quiz's questions, those the learner has seen least first, so retakes do not repeat questions.
    questions_per_attempt = models.PositiveSmallIntegerField(
        default=0,
        help_text="0: every question, every attempt. Fewer than the quiz holds: each attempt draws this many, "
        "the ones the learner has seen least first (a fresh draw per retake).",
    )
    review_answers = models.CharField(
        max_length=12,
        choices=Review.choices,
        default=Review.IMMEDIATELY,
        help_text="When learners see the right answers. Anything but 'as soon as submitted' needs feedback at the end.",
    )
    grade_method = models.CharField(max_length=8, choices=Grade.choices, default=Grade.BEST)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Empty means no limit.")
    pass_mark = models.PositiveSmallIntegerField(default=60, help_text="Percent.")
    # How it was assembled, so it can be rebuilt: {"collection": slug, "topics": [...], "date_from": ..., "date_to": ...,
    # "difficulty": [lo, hi], "size": n, "seed": n}; empty for a hand-made quiz.
    spec = models.JSONField(default=dict, blank=True)
    published = models.BooleanField(default=True)
    # Class-private: learners see it only in the owner's classes (or through an assignment).
    private = models.BooleanField(default=False, help_text=PRIVATE_HELP)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="quizzes")

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
            # Feedback after each question shows its key at once: holding keys back needs feedback at the end.
            models.CheckConstraint(condition=Q(review_answers="immediately") | Q(feedback="end"), name="quiz_review_needs_end_feedback"),
            # Two episodes may each have a "the-strike-quiz": slugs are unique within a collection only,
            # and the quizzes outside any collection (hand-made) among themselves.
            models.UniqueConstraint(fields=["collection", "slug"], name="quiz_unique_slug_in_collection"),
            models.UniqueConstraint(fields=["slug"], condition=Q(collection__isnull=True), name="quiz_unique_slug_without_collection"),
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="quiz_items")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="quizquestion_unique_position"),
            models.UniqueConstraint(fields=["quiz", "question"], name="quizquestion_unique_question"),
        ]

    def __str__(self) -> str:
        # An inline row's label: read beside its quiz, the position is what tells rows apart.
        return f"Question {self.position}"


class Module(models.Model):
    slug = models.SlugField(max_length=80, help_text="Unique within its collection (or among modules without one).")
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="modules")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it stands in the arc of events.")
    published = models.BooleanField(default=True)
    private = models.BooleanField(default=False, help_text=PRIVATE_HELP)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="modules")

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            # As for quizzes: unique within a collection, and among the modules outside any collection.
            models.UniqueConstraint(fields=["collection", "slug"], name="module_unique_slug_in_collection"),
            models.UniqueConstraint(fields=["slug"], condition=Q(collection__isnull=True), name="module_unique_slug_without_collection"),
        ]

    def __str__(self) -> str:
        return self.title


class ModuleItem(models.Model):
    """One step of a module: a quiz or a scenario, exactly one of them."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    quiz = models.ForeignKey(Quiz, null=True, blank=True, on_delete=models.PROTECT, related_name="module_items")
    scenario = models.ForeignKey("quizzes.Scenario", null=True, blank=True, on_delete=models.PROTECT, related_name="module_items")

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="moduleitem_unique_position"),
            models.CheckConstraint(
                condition=Q(quiz__isnull=False, scenario__isnull=True) | Q(quiz__isnull=True, scenario__isnull=False),
                name="moduleitem_quiz_or_scenario",
            ),
        ]

    def __str__(self) -> str:
        # A row's name in the admin: its content's kind and title (select_related them for a list).
        if self.quiz_id:
            return f"{self.position}. Quiz: {self.quiz}"
        return f"{self.position}. Scenario: {self.scenario}" if self.scenario_id else f"Item {self.position}"
