"""Long teacher work (generating questions or scenarios, recomputing item statistics) as background
jobs with visible progress: a Job row is created, its task queued after commit, and the task
reports done/total on the row as it goes.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from quizzes import queue
from quizzes.models import Job, Profile

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


def _report(label: str) -> Callable[[object], str]:
    """The first line of a generation report (or the result as text), after `label` (a msgid)."""

    def summary(result) -> str:
        lines = getattr(result, "lines", None)
        return gettext(label) + ": " + (lines()[0] if callable(lines) else str(result))

    return summary


def _import_summary(report: Any) -> str:
    return gettext("Imported: %(new)d new, %(enrolled)d enrolled, %(moved)d moved, %(unchanged)d already in the class.") % {
        "new": len(report.created),
        "enrolled": len(report.enrolled),
        "moved": len(report.moved),
        "unchanged": len(report.unchanged),
    }


def _statistics_summary(n: Any) -> str:
    if n is None:
        return gettext("Skipped: another run of the item statistics was in progress.")
    return ngettext("Item statistics updated for %(n)d question.", "Item statistics updated for %(n)d questions.", n) % {"n": n}


def _job_language(job: Job) -> str:
    """A job's messages are written once, in the language of the person who started it (their
    profile's), else the site's LANGUAGE_CODE: a worker has no request to take one from."""
    chosen = Profile.objects.filter(user_id=job.created_by_id).values_list("language", flat=True).first() if job.created_by_id else None
    return chosen or settings.LANGUAGE_CODE


def _roster_summary(report: Any) -> str:
    made, changed, same = (sum(counts.values()) for counts in (report.created, report.updated, report.unchanged))
    return gettext("Roster imported: %(new)d rows new, %(changed)d changed, %(same)d already so.") % {
        "new": made,
        "changed": changed,
        "same": same,
    }


# What a job kind runs: (module, function, the params passed as keyword arguments, the result as a
# message). Imported when the job runs, so a kind whose code is missing fails as a job, not at import.
RUNNERS: dict[str, tuple[str, str, tuple[str, ...], Callable[[object], str]]] = {
    Job.Kind.GENERATE_QUESTIONS: (
        "quizzes.bank.services",
        "question_bank_generate",
        ("event_slugs", "seed"),
        _report(gettext_noop("Questions")),
    ),
    Job.Kind.GENERATE_SCENARIOS: (
        "quizzes.scenarios.services",
        "scenario_bank_generate",
        ("event_slugs", "seed"),
        _report(gettext_noop("Scenarios")),
    ),
    Job.Kind.ITEM_STATISTICS: (
        "quizzes.progress.statistics",
        "item_statistics_compute",
        (),
        _statistics_summary,
    ),
    Job.Kind.LTI_ROSTER_SYNC: (
        "quizzes.lti.services",
        "lti_roster_sync",
        ("context_id",),
        lambda report: gettext("Roster synced: %(report)s") % {"report": report},
    ),
    Job.Kind.IMPORT_STUDENTS: (
        "quizzes.classes.services",
        "students_import_job",
        ("classroom_id", "by_id", "rows"),
        _import_summary,
    ),
    Job.Kind.IMPORT_ONEROSTER: (
        "quizzes.classes.oneroster",
        "oneroster_import_job",
        ("by_id", "users", "classes", "enrollments", "notes", "remove", "complete"),
        _roster_summary,
    ),
}
# Kinds whose writes and DONE mark commit in one transaction: a worker killed after the commit
# leaves the job done (a redelivered task skips it), one killed before leaves nothing written (the
# redelivered task runs it whole). A CSV import is not idempotent (its usernames would be taken by
# the first run), so it must never run again after its writes committed.
# A OneRoster import is idempotent by sourced id, but atomic too: a redelivery then reports what the
# first run did instead of "unchanged".
ATOMIC_KINDS = frozenset({Job.Kind.IMPORT_STUDENTS, Job.Kind.IMPORT_ONEROSTER})
# Params that may hold secrets (an import's rows carry the passwords given in the file): replaced by
# their length once the job ends.
SECRET_PARAMS = ("rows", "users")
# How long a job keeps the passwords it generated for its starter (Job.result["created"]).
RESULT_SECRETS_HOURS = 24


@transaction.atomic
def job_start(*, kind: str, params: dict | None = None, user=None) -> Job:
    """Create a queued job and queue its task once the transaction commits."""
    if kind not in RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params or {}, created_by=user)
    transaction.on_commit(lambda: queue.job_enqueue(job.pk))
    return job


class ProgressWriter:
    """The progress callback given to a long service: writes done/total to the Job at most every
    PROGRESS_INTERVAL seconds (and at the end), not once per item.

    The services run in one transaction, so a write on their connection would stay invisible until
    they finish; on PostgreSQL progress goes through a second, autocommitting connection instead.
    SQLite allows one writer at a time: there progress inside a transaction is shown at the end."""

    def __init__(self, job_id: int, *, interval: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.job_id, self.clock = job_id, clock
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.last = float("-inf")
        self.done = self.total = self.writes = 0
        self._side: BaseDatabaseWrapper | None = None

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = self.clock()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        self.write(done=done, total=total, message=gettext("%(done)d of %(total)d") % {"done": done, "total": total})

    def write(self, **fields) -> None:
        self.writes += 1
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(**fields)
        elif connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(connection.alias)
            quote = self._side.ops.quote_name
            sets = ", ".join(f"{quote(name)} = %s" for name in fields)
            with self._side.cursor() as cursor:
                cursor.execute(f"UPDATE {quote(Job._meta.db_table)} SET {sets} WHERE id = %s", [*fields.values(), self.job_id])  # noqa: S608

    def close(self) -> None:
        if self._side is not None:
            self._side.close()


def job_run(*, job_id: int) -> str:
    """Run a queued job by its kind, reporting progress, and mark it done or failed with a readable message
    (in the language of whoever started it, _job_language).

    A job already done or failed is not run again (a redelivered task changes nothing); a job left
    running by a killed worker is run again, which the idempotent services allow, and an atomic
    kind (ATOMIC_KINDS) allows because its writes committed only with its DONE mark."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return f"job {job_id} does not exist"
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            return f"job {job_id} already {job.status}: {job.message}"
        language = _job_language(job)
        with translation.override(language):
            job.status, job.started_at, job.done, job.message = Job.Status.RUNNING, timezone.now(), 0, gettext("started")
        job.save(update_fields=["status", "started_at", "done", "message"])
    with translation.override(language):
        return _job_work(job)


def _job_work(job: Job) -> str:
    """job_run's work once the job is claimed: run its service, then record the outcome."""
    module_name, function_name, param_names, summary = RUNNERS[job.kind]
    progress = ProgressWriter(job.pk)
    atomic = job.kind in ATOMIC_KINDS
    try:
        try:
            # An atomic kind's writes and its DONE mark commit together (see ATOMIC_KINDS).
            with transaction.atomic() if atomic else nullcontext():
                try:
                    service = getattr(importlib.import_module(module_name), function_name)
                except (ImportError, AttributeError):
                    raise RuntimeError(
                        gettext("%(kind)s is not available in this version.") % {"kind": job.get_kind_display().capitalize()}
                    ) from None
                kwargs = {name: job.params[name] for name in param_names if name in job.params}
                outcome = service(progress=progress, **kwargs)
                message = summary(outcome)
                result = outcome.job_result() if hasattr(outcome, "job_result") else {}
                if not _job_finish(job, progress, status=Job.Status.DONE, message=message, result=result):
                    if atomic:
                        raise _AlreadyDone  # rolls this run's writes back
                    return f"job {job.pk} already done"
        except _AlreadyDone:
            return f"job {job.pk} already done"
        except Exception as exc:  # noqa: BLE001 - any failure ends the job with a message the teacher can read
            if not hasattr(exc, "job_result"):
                log.exception("job %s (%s) failed", job.pk, job.kind)
            message = gettext("Failed: %(error)s") % {"error": exc}
            result = exc.job_result() if hasattr(exc, "job_result") else {}
            if not _job_finish(job, progress, status=Job.Status.FAILED, message=message, result=result):
                return f"job {job.pk} already done"
            return message
    finally:
        progress.close()
    return message


class _AlreadyDone(Exception):
    """Another delivery of the task finished the job first: this run's writes are rolled back."""


def _job_finish(job: Job, progress: ProgressWriter, *, status: str, message: str, result: dict) -> bool:
    """Mark the job done or failed (with its counts, result and secret params replaced by their
    length); False when the job was already done (a second delivery must not change that)."""
    done = progress.total if status == Job.Status.DONE else progress.done
    params = {name: len(value) if name in SECRET_PARAMS and isinstance(value, list) else value for name, value in job.params.items()}
    # A second delivery of the task that ran alongside the first (a redelivered job left "running")
    # must not turn the first run's success into a failure, nor finish it twice.
    finished = Job.objects.filter(pk=job.pk).exclude(status=Job.Status.DONE)
    return bool(
        finished.update(
            status=status, message=message, done=done, total=progress.total, finished_at=timezone.now(), result=result, params=params
        )
    )


def job_secrets_expire(*, now=None) -> int:
    """Blank the passwords jobs generated (an import's report) RESULT_SECRETS_HOURS after they ended; returns how many jobs."""
    cutoff = (now or timezone.now()) - timedelta(hours=RESULT_SECRETS_HOURS)
    expired = 0
    for job in Job.objects.filter(finished_at__lte=cutoff, result__has_key="created").exclude(result__has_key="secrets_expired"):
        created = [[username, "(expired)" if password else ""] for username, password in job.result.get("created", [])]
        Job.objects.filter(pk=job.pk).update(result={**job.result, "created": created, "secrets_expired": True})
        expired += 1
    return expired
