"""Benchmark: scoring throughput of one Celery worker process (20-question attempts, PostgreSQL), next
to the same worker's rate on a no-op task, measured in the same run; and scoring in process, no broker.

Needs REDIS_URL. Run through `make bench` (which picks the `<db>_bench` database); the figures go
into the README. The worker is `celery -A kzlearn worker --pool=prefork --concurrency=1` on a queue
of its own. Each rate is timed from a full queue: the worker's consumer is paused while the queue is
filled, then resumed, and the clock stops when the last task has finished.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")

QUEUE = "kzl-bench"
NOOPS, SCORED, IN_PROCESS, QUESTIONS, LEARNERS = 3000, 1000, 300, 20, 100


def _response(snapshot: dict, rng: random.Random) -> dict:
    """A random, valid answer to a snapshotted question (any type)."""
    qtype, options, answer = snapshot["qtype"], snapshot["options"], snapshot["answer"]
    ids = [o["id"] for o in options]
    if qtype == "multi":
        return {"choices": sorted(rng.sample(ids, rng.randint(1, len(ids))))}
    if qtype == "numeric":
        return {"value": answer["value"] + rng.choice([0, 0, 1, -10])}
    if qtype == "ordering":
        return {"order": rng.sample(ids, len(ids))}
    if qtype == "matching":
        choices = [o["id"] for o in options if o.get("side") == "choice"]
        return {"pairs": {o["id"]: rng.choice(choices) for o in options if o.get("side") == "prompt"}}
    return {"choice": rng.choice(ids)}


def _submitted_attempts(n: int, seed: int) -> list[int]:
    """n submitted, unscored attempts at a 20-question quiz drawn from the bank (mixed types), by 100 learners."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from django.utils import timezone

    from quizzes.bank.versions import versions_for
    from quizzes.models import Attempt, Question, QuestionResponse, QuestionVersion, Quiz, QuizQuestion

    quiz, created = Quiz.objects.get_or_create(slug="bench-scoring", defaults={"title": "Benchmark: scoring"})
    if created:
        bank = list(Question.objects.filter(status=Question.Status.PUBLISHED).order_by("qtype", "key"))
        picked = random.Random(0).sample(bank, QUESTIONS)
        QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(picked, 1))
    questions = list(quiz.items.order_by("position").values_list("question_id", flat=True))
    versions = versions_for(questions)
    shown = QuestionVersion.objects.in_bulk([versions[q] for q in questions])
    snapshots = [shown[versions[q]].content for q in questions]
    User = get_user_model()
    User.objects.bulk_create([User(username=f"bench-learner-{i}") for i in range(LEARNERS)], ignore_conflicts=True)
    learners = list(User.objects.filter(username__startswith="bench-learner-").order_by("pk"))
    start = (Attempt.objects.filter(quiz=quiz).aggregate(n=Max("number"))["n"] or 0) + 1
    now, rng = timezone.now(), random.Random(seed)
    attempts = Attempt.objects.bulk_create(
        Attempt(
            user=learners[i % LEARNERS],
            quiz=quiz,
            number=start + i // LEARNERS,
            status=Attempt.Status.SUBMITTED,
            started_at=now,
            submitted_at=now,
            max_points=QUESTIONS,
        )
        for i in range(n)
    )
    QuestionResponse.objects.bulk_create(
        (
            QuestionResponse(attempt=a, question_id=q, version_id=versions[q], position=i, response=_response(s, rng), answered_at=now)
            for a in attempts
            for i, (q, s) in enumerate(zip(questions, snapshots, strict=True), 1)
        ),
        batch_size=2000,
    )
    return [a.pk for a in attempts]


def _timed_drain(app, node: str, send_all) -> float:
    """Pause the worker's consumer, queue everything (`send_all` returns the last task's result),
    resume, and time until the last task has finished."""
    app.control.cancel_consumer(QUEUE, destination=[node], reply=True)
    last = send_all()
    started = time.perf_counter()
    app.control.add_consumer(QUEUE, destination=[node], reply=True)
    last.get(timeout=600)
    return time.perf_counter() - started


def run() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.tasks import noop
    from kzlearn.celery import app
    from quizzes.models import Attempt, Question
    from quizzes.progress.services import attempt_score
    from quizzes.tasks import attempt_score_task

    if not settings.REDIS_URL:
        return {"skipped": "REDIS_URL is not set: the scoring benchmark needs a Celery broker"}
    call_command("migrate", verbosity=0)
    if not Question.objects.filter(status=Question.Status.PUBLISHED).count() >= QUESTIONS:
        from quizzes.bank.services import question_bank_generate

        call_command("load_seeds", stdout=open(os.devnull, "w"))  # noqa: SIM115
        question_bank_generate()

    node = f"kzl-bench-{uuid.uuid4().hex[:8]}@localhost"
    log = ROOT / "bench" / "results" / "scoring-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kzlearn",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            QUEUE,
            "-n",
            node,
            "--include",
            "bench.tasks",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_LOG_LEVEL": "WARNING"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the benchmark worker did not start; see {log}")
        noop.apply_async(queue=QUEUE, ignore_result=False).get(timeout=60)  # warm up

        def send_noops():
            for _ in range(NOOPS - 1):
                noop.apply_async(queue=QUEUE)
            return noop.apply_async(queue=QUEUE, ignore_result=False)

        noop_s = _timed_drain(app, node, send_noops)
        ids = _submitted_attempts(SCORED, seed=1)

        def send_scoring():
            for pk in ids[:-1]:
                attempt_score_task.apply_async((pk,), queue=QUEUE)
            return attempt_score_task.apply_async((ids[-1],), queue=QUEUE, ignore_result=False)

        score_s = _timed_drain(app, node, send_scoring)
        scored = Attempt.objects.filter(pk__in=ids, status=Attempt.Status.SCORED).count()
        if scored != len(ids):
            raise RuntimeError(f"only {scored} of {len(ids)} attempts were scored; see {log}")
    finally:
        worker.terminate()
        worker.wait(30)

    local = _submitted_attempts(IN_PROCESS, seed=2)
    started = time.perf_counter()
    for pk in local:
        attempt_score(attempt_id=pk)
    local_s = time.perf_counter() - started
    return {
        "database": connection.vendor,
        "noop_per_s": NOOPS / noop_s,
        "scoring_per_s": SCORED / score_s,
        "in_process_per_s": IN_PROCESS / local_s,
        "noops": NOOPS,
        "attempts": SCORED,
        "in_process": IN_PROCESS,
    }


def table(r: dict) -> str:
    if "skipped" in r:
        return f"Skipped: {r['skipped']}."
    return "\n".join(
        [
            "| Measure (one worker process, prefork, concurrency 1) | Figure |",
            "|---|---|",
            f"| Celery no-op task ({r['noops']} from a full queue) | {r['noop_per_s']:.0f} tasks/s |",
            f"| Scoring, 20-question attempts on {r['database']} ({r['attempts']}, with progress and review cards) | "
            f"{r['scoring_per_s']:.0f} attempts/s |",
            f"| Ratio: scoring / no-op | {r['scoring_per_s'] / r['noop_per_s']:.1%} "
            f"(each attempt costs {r['noop_per_s'] / r['scoring_per_s']:.1f} no-op tasks) |",
            f"| Scoring in process, no broker ({r['in_process']}) | {r['in_process_per_s']:.0f} attempts/s |",
        ]
    )


if __name__ == "__main__":
    from bench.run import use_bench_database

    use_bench_database()
    print(table(run()))
