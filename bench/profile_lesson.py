"""Where one start and one answer spend their time: cProfile and the SQL of each, through the API
in process (no HTTP server), on the database `make bench` leaves (`<database>_bench`, its 20-question
quiz and students). Run after `make bench`:

    DATABASE_URL=postgres://.../kzl_bench .venv/bin/python bench/profile_lesson.py

Prints, for a start and for an answer: wall time (median of N), queries, SQL text sent, reply size,
and the functions with the most cumulative time.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")

RUNS = int(os.environ.get("KZL_PROFILE_RUNS", "30"))


def main() -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from quizzes.models import Attempt, Quiz

    quiz = Quiz.objects.get(slug="bench-20")
    users = list(get_user_model().objects.filter(username__startswith="bench-").order_by("pk")[:RUNS])
    Attempt.objects.filter(user__in=users, quiz=quiz, status=Attempt.Status.IN_PROGRESS).delete()

    def open_attempt(user) -> int | None:
        return Attempt.objects.filter(user=user, quiz=quiz, status=Attempt.Status.IN_PROGRESS).values_list("pk", flat=True).first()

    shared = APIClient()
    shared.post("/api/v1/attempts/", {}, format="json")  # builds the handler (middleware, static files) once

    def client(user) -> APIClient:
        shared.force_authenticate(user)
        return shared

    def start(user):
        return client(user).post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json")

    def answer(user, attempt_id: int):
        body = {"position": 1, "response": {"choice": "a"}, "client_key": f"p{attempt_id}"}
        return client(user).post(f"/api/v1/attempts/{attempt_id}/answer/", body, format="json")

    out = []
    for name, call in (("start", lambda u, a: start(u)), ("answer", lambda u, a: answer(u, a))):
        times, attempt_ids = [], {}
        for u in users[1:]:
            if name == "answer":
                attempt_ids[u.pk] = (
                    Attempt.objects.filter(user=u, quiz=quiz, status=Attempt.Status.IN_PROGRESS).values_list("pk", flat=True).first()
                )
            t = time.perf_counter()
            call(u, attempt_ids.get(u.pk))
            times.append((time.perf_counter() - t) * 1000)
        u = users[0]
        if name == "answer":
            attempt_ids[u.pk] = (
                Attempt.objects.filter(user=u, quiz=quiz, status=Attempt.Status.IN_PROGRESS).values_list("pk", flat=True).first()
            )
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as ctx:
            profiler.enable()
            reply = call(u, attempt_ids.get(u.pk))
            profiler.disable()
        assert reply.status_code in (200, 201), reply.content[:300]
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
            r"quizzes|rest_framework/(views|serializers|generics)|django/db/models/(query|sql/compiler)", 30
        )
        sql = sum(len(q["sql"]) for q in ctx.captured_queries)
        out.append(
            f"== {name}: median {statistics.median(times):.1f} ms over {len(times)} (p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms), "
            f"{len(ctx.captured_queries)} queries, {sql / 1024:.1f} KB of SQL, reply {len(reply.content) / 1024:.1f} KB"
        )
        out += [f"   {q['time']} s  {q['sql'][:160]}" for q in ctx.captured_queries]
        out.append(stream.getvalue())
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
