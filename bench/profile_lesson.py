"""Where a lesson's requests spend their time: cProfile and the SQL of a start, the questions that
follow it, an answer and a submit, through the API in process (no HTTP server, real token headers),
and of one scoring of a 20-question attempt, on the database `bench/load.py` prepares
(`<database>_bench`: its 20-question quiz `bench-20` and students with tokens). Run after `make bench`
(or after `bench.load.prepare()`):

    DATABASE_URL=postgres://.../kzl_bench .venv/bin/python bench/profile_lesson.py [start questions answer submit score]

Prints, for each: wall time and this process's CPU time (medians of N sequential calls: on a shared
machine the CPU time is the steadier figure; the database's own time is not in it), queries, SQL text sent, reply size,
and the functions with the most cumulative time. KZL_PROFILE_RUNS sets N (30).
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
PHASES = ("start", "questions", "answer", "submit", "score")


def main(phases: list[str]) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from quizzes.models import Attempt, Quiz
    from quizzes.progress.services import attempt_score

    quiz = Quiz.objects.get(slug="bench-20")
    users = list(get_user_model().objects.filter(username__startswith="bench-").order_by("pk")[: RUNS + 1])
    tokens = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    Attempt.objects.filter(user__in=users, quiz=quiz).delete()
    shared = APIClient()
    shared.post("/api/v1/attempts/", {}, format="json")  # builds the handler (middleware, static files) once

    def headers(user) -> dict:
        return {"HTTP_AUTHORIZATION": f"Token {tokens[user.pk]}"}

    def open_attempt(user) -> int | None:
        return Attempt.objects.filter(user=user, quiz=quiz).order_by("-pk").values_list("pk", flat=True).first()

    def start(user, _):
        return shared.post("/api/v1/attempts/", {"quiz": quiz.slug}, format="json", **headers(user))

    def questions(user, attempt_id):
        return shared.get(f"/api/v1/attempts/{attempt_id}/questions/", **headers(user))

    def answer(user, attempt_id):
        body = {"position": 1, "response": {"choice": "a"}, "client_key": f"p{attempt_id}"}
        return shared.post(f"/api/v1/attempts/{attempt_id}/answer/", body, format="json", **headers(user))

    def submit(user, attempt_id):
        return shared.post(f"/api/v1/attempts/{attempt_id}/submit/", **headers(user))

    class Scored:
        status_code, content = 200, b""

    def score(user, attempt_id):
        assert attempt_score(attempt_id=attempt_id)
        return Scored

    calls = {"start": start, "questions": questions, "answer": answer, "submit": submit, "score": score}
    out = []
    for name in [p for p in PHASES if p in phases]:
        call = calls[name]
        times, cpu = [], []
        for u in users[1:]:
            attempt_id = open_attempt(u)
            t, c = time.perf_counter(), time.process_time()
            reply = call(u, attempt_id)
            cpu.append((time.process_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
            assert reply.status_code in (200, 201), (name, reply.content[:300])
        u = users[0]
        attempt_id = open_attempt(u)
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as ctx:
            profiler.enable()
            reply = call(u, attempt_id)
            profiler.disable()
        assert reply.status_code in (200, 201), (name, reply.content[:300])
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
            r"quizzes|rest_framework/(views|serializers|generics)|django/db/models/(query|sql/compiler)", 25
        )
        sql = sum(len(q["sql"]) for q in ctx.captured_queries)
        out.append(
            f"== {name}: median {statistics.median(times):.1f} ms wall, {statistics.median(cpu):.1f} ms CPU (this process), "
            f"over {len(times)} "
            f"(p90 wall {sorted(times)[int(len(times) * 0.9)]:.1f} ms), "
            f"{len(ctx.captured_queries)} queries, {sql / 1024:.1f} KB of SQL, reply {len(reply.content) / 1024:.1f} KB"
        )
        out += [f"   {q['time']} s  {q['sql'][:150]}" for q in ctx.captured_queries]
        if os.environ.get("KZL_PROFILE_STATS", "1") == "1":
            out.append(stream.getvalue())
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or list(PHASES)))
