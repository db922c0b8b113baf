"""The class-wide burst per student, in process: what one student's start costs the server, through the
whole middleware stack (Django's test client handler, real token headers, DEBUG as the environment
says), on the database `bench/load.py` prepares (`prepare()` is enough):

    DATABASE_URL=postgres://.../kzl_bench DJANGO_DEBUG=0 ... .venv/bin/python bench/profile_burst.py [start|startq|bare] [N]

`start`: the start alone (its reply carries the questions); `startq`: the start and then
`GET attempts/{id}/questions/` (what a client did before the start carried them); `bare`: the bare view.
Prints Python function calls and queries per student (cProfile's count: the same under any load) and
the median CPU time of this process per student without the profiler (it moves with the machine's
load: compare runs made alternately, in the same minutes), and the CPU of the test's PostgreSQL session
per student (from /proc, when the server runs on this machine). Not counted: the connection health check's
`SELECT 1` (the test client does not send request_started's connection checks), gunicorn's HTTP parsing.
`KZL_PROFILE_STATS=cumulative` prints the profile too.
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


def main(mode: str, n: int) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from quizzes.models import Attempt, Quiz

    quiz = Quiz.objects.get(slug="bench-20")
    users = list(get_user_model().objects.filter(username__startswith="bench-").order_by("pk")[: n + 1])
    tokens = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    client = Client()

    def student(user) -> None:
        headers = {"HTTP_AUTHORIZATION": f"Token {tokens[user.pk]}"}
        if mode == "bare":
            assert client.get("/bench/bare/").status_code == 200
            return
        reply = client.post("/api/v1/attempts/", '{"quiz": "bench-20"}', content_type="application/json", **headers)
        assert reply.status_code in (200, 201), reply.content[:300]
        if mode == "startq":
            assert client.get(f"/api/v1/attempts/{reply.json()['id']}/questions/", **headers).status_code == 200

    Attempt.objects.filter(user__in=users, quiz=quiz).delete()
    student(users[0])  # builds the handler, fills the version cache
    profiler, queries = cProfile.Profile(), 0
    for user in users[1:]:
        with CaptureQueriesContext(connection) as ctx:
            profiler.enable()
            student(user)
            profiler.disable()
        queries += len(ctx.captured_queries)
    Attempt.objects.filter(user__in=users[1:], quiz=quiz).delete()
    cpu = []
    backend = _backend_cpu(connection)
    for user in users[1:]:
        started = time.process_time()
        student(user)
        cpu.append((time.process_time() - started) * 1000)
    backend = _backend_cpu(connection) - backend
    Attempt.objects.filter(user__in=users, quiz=quiz).delete()
    calls = pstats.Stats(profiler).total_calls / n  # type: ignore[attr-defined]
    print(
        f"{mode}: {calls:.0f} function calls, {queries / n:.1f} queries, {statistics.median(cpu):.2f} ms CPU per student "
        f"(median of {n}; load average {os.getloadavg()[0]:.1f})"
        + (f"; PostgreSQL session {backend * 1000 / n:.2f} ms CPU per student" if backend >= 0 else "")
    )
    if os.environ.get("KZL_PROFILE_STATS"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(os.environ["KZL_PROFILE_STATS"]).print_stats(40)
        print(stream.getvalue())
    return 0


def _backend_cpu(connection) -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL session so far, from /proc when the
    server runs on this machine (-1 otherwise): the burst's PostgreSQL share, per student."""
    if connection.vendor != "postgresql":
        return -1.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "start", int(sys.argv[2]) if len(sys.argv) > 2 else 60))
