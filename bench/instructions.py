"""Instructions per request, counted by valgrind's callgrind: a figure that does not move with the
machine's load (CPU time does, by 30 % or more on a shared machine), for comparing two versions of a
hot path. Each request goes through the whole middleware stack in process with a real token header,
on the database `bench/load.py` prepares (`prepare()` alone is enough):

    DATABASE_URL=postgres://.../kzl_bench valgrind --tool=callgrind --collect-atstart=no \\
        --toggle-collect=_operator_call --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python bench/instructions.py start 20

counts only the N requests of the phase (bare, start, resume, questions, answer; a third argument
skips that many students, so two counts can run at once on different ones), after warm-up
ones: they run inside one `operator.call`, the C function callgrind is told to count in (nothing
else here calls it). Divide the "Collected" total by N. The database's own work is in another
process and not counted; waiting for it is not counted either.
"""

from __future__ import annotations

import operator
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")


def main(phase: str, n: int, skip: int) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from quizzes.models import Attempt, Quiz

    quiz = Quiz.objects.get(slug="bench-20")
    warm = 5
    users = list(get_user_model().objects.filter(username__startswith="bench-").order_by("pk")[skip : skip + n + warm])
    tokens = {pk: f"Token {key}" for pk, key in Token.objects.filter(user__in=users).values_list("user_id", "key")}
    Attempt.objects.filter(user__in=users, quiz=quiz).delete()
    client = APIClient()
    body = {"quiz": quiz.slug}
    opened: dict[int, int] = {}
    if phase in ("resume", "questions", "answer"):
        for u in users:
            opened[u.pk] = client.post("/api/v1/attempts/", body, format="json", HTTP_AUTHORIZATION=tokens[u.pk]).json()["id"]

    def call(u) -> int:
        auth = tokens[u.pk]
        if phase in ("start", "resume"):
            return client.post("/api/v1/attempts/", body, format="json", HTTP_AUTHORIZATION=auth).status_code
        if phase == "questions":
            return client.get(f"/api/v1/attempts/{opened[u.pk]}/questions/", HTTP_AUTHORIZATION=auth).status_code
        if phase == "answer":
            answer = {"position": 1, "response": {"choice": "a"}, "client_key": f"i{u.pk}"}
            return client.post(f"/api/v1/attempts/{opened[u.pk]}/answer/", answer, format="json", HTTP_AUTHORIZATION=auth).status_code
        return client.get("/bench/bare/", HTTP_AUTHORIZATION=auth).status_code

    for u in users[:warm]:
        assert call(u) in (200, 201), phase
    codes = operator.call(lambda: [call(u) for u in users[warm:]])  # counted
    assert set(codes) <= {200, 201}, codes
    print(f"{phase}: {len(codes)} requests counted")
    return 0


if __name__ == "__main__":
    args = [*sys.argv[1:], "20", "0"]
    raise SystemExit(main(args[0], int(args[1]), int(args[2])))
