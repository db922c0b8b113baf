"""Celery tasks: each takes ids, calls a service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from quizzes.progress.services import attempt_score


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=60, max_retries=8)
def attempt_score_task(self, attempt_id: int) -> bool:
    """Score a submitted attempt and update the learner's progress; a redelivery changes nothing."""
    return attempt_score(attempt_id=attempt_id)


@shared_task(bind=True, acks_late=True)
def job_run_task(self, job_id: int) -> str:
    """Run a queued teacher Job (quizzes.models.Job) by its kind, reporting progress on the row."""
    from quizzes.jobs.services import job_run

    return job_run(job_id=job_id)
