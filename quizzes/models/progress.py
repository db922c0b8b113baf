"""What learners did: quiz attempts and their responses, scenario runs and their predictions,
review cards (FSRS, one per fact), topic mastery and item statistics."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from quizzes.models.bank import Question, QuestionVersion, Quiz
from quizzes.models.classes import Assignment
from quizzes.models.collections import Collection
from quizzes.models.events import Topic
from quizzes.models.scenarios import Scenario, ScenarioStep, ScenarioStepVersion


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "in progress"
        SUBMITTED = "submitted", "submitted, being scored"
        SCORED = "scored", "scored"

    # No index of its own: attempt_unique_number (user, quiz, number) starts with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts", db_index=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    # PROTECT: an assignment (and so its class or group) with work done cannot be deleted, which
    # would turn the work into practice and drop it from every result.
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(help_text="1 for the learner's first attempt at this quiz.")
    # Indexed by attempt_status_submitted (status, submitted_at), which starts with it.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    # started_at + the quiz's time limit; answers after it (plus a grace period) are refused.
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # True when the overdue sweeper closed it, not the learner.
    auto_submitted = models.BooleanField(default=False)
    scored_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(default=0)
    percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # When its answers were added to the item statistics (quizzes.progress.statistics); null until
    # then, so each scored attempt is counted exactly once however often the job runs.
    statistics_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The change feed's clock, as Classroom.updated_at; counting an attempt in the statistics (statistics_at) does not move it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="attempt_unique_number"),
            # At most one open attempt per learner and quiz: a double-clicked "start" resumes it.
            models.UniqueConstraint(fields=["user", "quiz"], condition=Q(status="in_progress"), name="attempt_one_open"),
            models.CheckConstraint(condition=Q(status="in_progress") | Q(submitted_at__isnull=False), name="attempt_submitted_has_time"),
            models.CheckConstraint(
                condition=~Q(status="scored") | Q(scored_at__isnull=False, points__isnull=False), name="attempt_scored_has_score"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="attempt_status_submitted"),
            # The overdue closer's queue: open attempts with a time limit, by deadline (a few rows, not every attempt).
            models.Index(
                fields=["deadline_at"], condition=Q(status="in_progress", deadline_at__isnull=False), name="attempt_open_deadline"
            ),
            # The teachers' lists (API and admin) are in this order: a page is the first rows of one index scan.
            models.Index(fields=["-started_at", "-id"], name="attempt_started_desc"),
            # The statistics job's queue: scored attempts not yet counted (a few rows, however many are counted).
            models.Index(fields=["id"], condition=Q(status="scored", statistics_at__isnull=True), name="attempt_statistics_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.quiz} #{self.number}"


class QuestionResponse(models.Model):
    """One question of an attempt, as it was shown, and what the learner answered.

    The response references the question's version current when the attempt started (immutable,
    shared by every attempt that showed it), so editing or retiring the question later never changes
    what a learner saw or how they were scored."""

    # No index of its own: response_unique_position (attempt, position) starts with it.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="responses")
    position = models.PositiveSmallIntegerField()
    # The validated response (quizzes.scoring shapes); null until answered.
    response = models.JSONField(null=True, blank=True)
    # Set by the client per answer; a retry with the same key counts once.
    client_key = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)

    class Meta:
        # The table keeps its name from before the rename (raw SQL and kzlearn.dbcheck name it).
        db_table = "quizzes_response"
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="response_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="response_unique_question"),
        ]

    def __str__(self) -> str:
        return f"Question {self.position}"

    @property
    def snapshot(self) -> dict:
        """The question as shown (QuestionVersion.content); select_related("version") when reading many."""
        return self.version.content


class ScenarioRun(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "in progress"
        FINISHED = "finished", "finished"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_runs")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="scenario_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    correct = models.PositiveSmallIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)
    # Mean Brier score over the predictions: 0 is perfect, 0.25 is a coin flip said at 50 %.
    brier = models.FloatField(null=True, blank=True)
    # The change feed's clock, as Classroom.updated_at.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "scenario"], condition=Q(status="in_progress"), name="scenariorun_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.scenario}"


class Prediction(models.Model):
    # No index of its own: prediction_unique_step (run, step) starts with it.
    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="predictions", db_index=False)
    step = models.ForeignKey(ScenarioStep, on_delete=models.PROTECT, related_name="predictions")
    # The step as shown (shared, immutable; never copied per prediction): `snapshot` reads its content.
    version = models.ForeignKey(ScenarioStepVersion, on_delete=models.PROTECT, related_name="predictions")
    choice = models.CharField(max_length=10)
    confidence = models.PositiveSmallIntegerField(help_text="Percent, 50 to 100.")
    correct = models.BooleanField()
    brier = models.FloatField()
    client_key = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["run", "answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "step"], name="prediction_unique_step"),
            models.CheckConstraint(condition=Q(confidence__gte=50) & Q(confidence__lte=100), name="prediction_confidence_range"),
        ]

    def __str__(self) -> str:
        return f"Prediction {self.choice} at {self.confidence} %"

    @property
    def snapshot(self) -> dict:
        """The step as shown (ScenarioStepVersion.content); select_related("version") when reading many."""
        return self.version.content


class ReviewCard(models.Model):
    """A fact a learner got wrong, on an FSRS schedule; rewordings of one fact share one card."""

    # No index of its own: reviewcard_unique_fact (user, collection, fact_id) starts with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards", db_index=False)
    # Fact ids are unique within a collection only (two episodes may both have entity:tokayev).
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="review_cards")
    fact_id = models.CharField(max_length=200, help_text='"event:slug", "figure:slug", ...')
    # fsrs.Card.to_dict()
    card = models.JSONField()
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["user", "collection", "fact_id"], name="reviewcard_unique_fact")]

    def __str__(self) -> str:
        return f"{self.user}: {self.fact_id}"


class TopicMastery(models.Model):
    """Running totals per learner and topic, updated once per scored attempt; recomputable."""

    # No index of its own: topicmastery_unique (user, topic) starts with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_mastery", db_index=False)
    # PROTECT: a learner's mastery never vanishes with a topic (load_seeds keeps such a topic).
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="mastery")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    points = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "topic"]
        verbose_name_plural = "topic mastery"
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topicmastery_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic}"

    @property
    def mastery(self) -> float:
        return self.points / self.answered if self.answered else 0.0


class VersionStatistic(models.Model):
    """Running sums over the answers to one question version in scored attempts, added to as attempts
    are scored (quizzes.progress.statistics.Tally), so item statistics never re-read history.

    tally: {"n", "points", "paired", "x", "y", "xx", "yy", "xy": integers in millionths (points and
    the rest of the attempt as a share of its maximum), "picks": {option id: count},
    "rest": {rest in millionths: [answers, points in millionths]}}"""

    version = models.OneToOneField(QuestionVersion, on_delete=models.CASCADE, primary_key=True, related_name="statistic")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="version_statistics")
    responses = models.PositiveIntegerField(default=0)
    tally = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"sums for version {self.version_id}"


class ItemStatistic(models.Model):
    """Classical test statistics for one question over scored attempts (as Moodle's quiz statistics)."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="statistic")
    responses = models.PositiveIntegerField(default=0)
    facility = models.FloatField(null=True, blank=True, help_text="Mean points, 0 to 1.")
    discrimination = models.FloatField(null=True, blank=True, help_text="Correlation of item points with the rest of the attempt.")
    # {"a": 12, "b": 3, ...} for choice types
    option_counts = models.JSONField(default=dict, blank=True)
    # ["negative discrimination", "distractor b never chosen", "strong students miss the key"]
    flags = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"stats for {self.question_id}"
