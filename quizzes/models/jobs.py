"""Long teacher jobs with visible progress, and the heartbeat of periodic work."""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        GENERATE_QUESTIONS = "generate_questions", "generate questions"
        GENERATE_SCENARIOS = "generate_scenarios", "generate scenarios"
        ITEM_STATISTICS = "item_statistics", "recompute item statistics"
        LTI_ROSTER_SYNC = "lti_roster_sync", "sync a class roster from an LTI platform"
        IMPORT_STUDENTS = "import_students", "import students from a CSV file"
        IMPORT_ONEROSTER = "import_oneroster", "import a OneRoster 1.2 CSV zip"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # Arguments the task needs, e.g. {"event_slugs": [...]}.
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # What the job produced for whoever started it, e.g. a student import's report:
    # {"created": [[username, generated password or ""]], "enrolled": [...], "unchanged": [...],
    #  "moved": [...], "errors": [{"line", "username", "reason"}]}. Generated passwords are
    # blanked RESULT_SECRETS_HOURS after the job ends (jobs.services.job_secrets_expire).
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


class Heartbeat(models.Model):
    """When a periodic task last ran (shown on /healthz and the jobs admin page)."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name
