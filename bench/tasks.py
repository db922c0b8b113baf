"""The no-op Celery task the scoring benchmark measures against (the worker loads it with --include)."""

from celery import shared_task


@shared_task(name="bench.noop", ignore_result=True)
def noop() -> None:
    """Nothing: Celery's own cost per task (fetch, decode, run, ack)."""
