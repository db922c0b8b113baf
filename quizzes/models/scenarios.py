"""'What happened next' scenarios: an ordered path through linked events.

A learner stands at a step's date, reads a briefing built only from what was known by then,
predicts the next development with a confidence, and sees what did happen, with its evidence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from quizzes.models.collections import Collection, ContentVersion
from quizzes.models.events import Event, Topic
from quizzes.models.sources import Passage


class Scenario(models.Model):
    # The collection whose events it walks through.
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="scenarios")
    # Generator key, e.g. "path:fuel-to-emergency": regeneration updates in place (unique within the collection).
    key = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, help_text="Unique within its collection.")
    title = models.CharField(max_length=200)
    intro = models.TextField(help_text="Where the learner stands at the start.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="scenarios")
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it stands in the arc of events.")
    published = models.BooleanField(default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios")
    generator_version = models.CharField(max_length=20, blank=True)
    # Event slugs the learner knows when the path opens (briefed at the first step).
    start = models.JSONField(default=list, blank=True)
    # Fields a teacher changed; regeneration never overwrites them.
    edited_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "key"], name="scenario_unique_key_in_collection"),
            # Two episodes may each have an "aftermath": slugs are unique within a collection only.
            models.UniqueConstraint(fields=["collection", "slug"], name="scenario_unique_slug_in_collection"),
        ]

    def __str__(self) -> str:
        return self.title


class ScenarioStep(models.Model):
    """One moment in the timeline. A step with `branch_of` is a follow-up, played only when the
    learner chose `branch_option` at that earlier step (to unpick a common wrong prediction)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    # Stable within the scenario (e.g. the event slug the step asks about), for regeneration.
    key = models.CharField(max_length=200)
    date = models.DateField(help_text="The moment the learner stands at: nothing after it is in the briefing.")
    date_label = models.CharField(max_length=80, help_text='As shown: "4 January 2022", "early January 2022".')
    briefing = models.TextField(help_text="What was known by then, from events up to the step's date only.")
    # The events the briefing draws on; each must be dated on or before `date` (a test checks).
    known_events = models.ManyToManyField(Event, blank=True, related_name="briefed_in")
    briefing_evidence = models.ManyToManyField(Passage, blank=True, related_name="scenario_briefings")
    prompt = models.CharField(max_length=300, default="What happened next?")
    # [{"id": "a", "text": "...", "explanation": "why this is / is not what happened next",
    #   "kind": "happened" | "later" | "did_not_happen",
    #   "events": [event slugs the option names; required for happened and later]}];
    # each option's evidence is rows of ScenarioOptionEvidence (option_evidence), not ids in here.
    options = models.JSONField(default=list)
    correct = models.CharField(max_length=10, help_text="The id of the option that did happen next.")
    next_event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="revealed_in")
    reveal = models.TextField(help_text="What did happen, told from the evidence.")
    reveal_evidence = models.ManyToManyField(Passage, related_name="scenario_reveals")
    reflection = models.TextField(blank=True, help_text="An optional question to think about before moving on.")
    kind = models.CharField(
        max_length=10, default="next", help_text="next: what happened next; dispute: a point the sources disagree on (shows the accounts)."
    )
    dispute = models.SlugField(max_length=80, blank=True, help_text="The dataset's dispute a 'dispute' step is about.")
    # [{"by": "who gives this account", "text": "the account", "evidence": [passage ids]}]
    accounts = models.JSONField(default=list, blank=True)
    # Event slugs briefed besides the chain events the generator finds between the previous step and this one.
    also_known = models.JSONField(default=list, blank=True)
    branch_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="branches")
    branch_option = models.CharField(max_length=10, blank=True)
    fact_ids = models.JSONField(default=list, blank=True)
    edited_fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["scenario", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "position"], name="scenariostep_unique_position"),
            models.UniqueConstraint(fields=["scenario", "key"], name="scenariostep_unique_key"),
            models.CheckConstraint(
                condition=Q(branch_of__isnull=True, branch_option="") | Q(branch_of__isnull=False) & ~Q(branch_option=""),
                name="scenariostep_branch_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.position}: {self.date_label}"


class ScenarioStepVersion(ContentVersion):
    """One content of a scenario step as learners were shown it and their predictions scored against:
    immutable, shared by every prediction made on it, identified by the hash of its content (so a
    step that has not changed makes no new version). Built by quizzes.progress.runs.step_version_for.

    content: {"key", "date", "date_label", "briefing", "prompt", "options": [{"id", "text",
    "explanation", "evidence": [passage ids]}], "correct", "reveal", "reveal_evidence": [...as
    QuestionVersion evidence], "reflection", "kind", "accounts": [{"by", "text", "evidence"}]}"""

    step = models.ForeignKey(ScenarioStep, on_delete=models.CASCADE, related_name="versions")

    class Meta:
        ordering = ["step", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.step_id}@{self.content_hash[:10]}"


class ScenarioOptionEvidence(models.Model):
    """A passage one option of a step cites (in its order): a real relation, so a cited passage is
    never deleted under the option (PROTECT; the seed loader keeps every passage something cites) and
    "which options cite this passage" is a join. Written by quizzes.scenarios.services."""

    step = models.ForeignKey(ScenarioStep, on_delete=models.CASCADE, related_name="option_evidence")
    # The option's id in step.options ("a", "b", ...).
    option = models.CharField(max_length=10)
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="scenario_options")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step", "option", "position"]
        verbose_name = verbose_name_plural = "option evidence"
        constraints = [models.UniqueConstraint(fields=["step", "option", "passage"], name="scenariooptionevidence_unique")]

    def __str__(self) -> str:
        return f"{self.step_id}/{self.option}: {self.passage_id}"
