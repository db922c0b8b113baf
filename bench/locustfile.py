"""Locust users for bench/load.py: a class of students taking one quiz, and the bare reference view.

Each simulated student has a pre-made API token and session (bench/results/load-users.json, written
by bench/load.py), so the run measures the quiz flow, not password hashing.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from itertools import count
from pathlib import Path

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

USERS = json.loads(Path(os.environ["KZL_LOAD_USERS"]).read_text())
QUIZ = os.environ.get("KZL_LOAD_QUIZ", "bench-20")
# Reading a question and its options, then choosing: 3 to 9 s (a real class takes longer still).
THINK = (float(os.environ.get("KZL_LOAD_THINK_MIN", "3")), float(os.environ.get("KZL_LOAD_THINK_MAX", "9")))
_next = {"lesson": count(), "fast": count()}


def answer_for(question: dict) -> dict:
    """A valid response for any question type (right or wrong does not matter to the load)."""
    ids = [o["id"] for o in question["options"]]
    qtype = question["qtype"]
    if qtype == "multi":
        return {"choices": ids[:1]}
    if qtype == "numeric":
        return {"value": random.randint(1, 100)}
    if qtype == "ordering":
        return {"order": random.sample(ids, len(ids))}
    if qtype == "matching":
        prompts = [o["id"] for o in question["options"] if o.get("side") == "prompt"]
        choices = [o["id"] for o in question["options"] if o.get("side") == "choice"]
        return {"pairs": {p: random.choice(choices) for p in prompts}}
    return {"choice": random.choice(ids)}


class _Student(FastHttpUser):
    abstract = True
    pool = "lesson"

    def on_start(self):
        mine = [u for u in USERS if u.get("pool", "lesson") == self.pool]
        me = mine[next(_next[self.pool]) % len(mine)]
        self.headers = {"Authorization": f"Token {me['token']}", "Content-Type": "application/json"}
        self.cookies = {"sessionid": me["sessionid"]}

    def _attempt(self) -> tuple[int, list[dict]]:
        start = self.client.post("/api/v1/attempts/", json={"quiz": QUIZ}, headers=self.headers, name="start attempt", catch_response=True)
        with start as r:
            if r.status_code not in (200, 201):
                r.failure(f"{r.status_code} {r.text[:200]}")
                raise StopUser()
            body = r.json()
        # The start's reply carries the questions (docs/api.md): a client's next request is its first answer.
        return body["id"], body["questions"]

    def _answer(self, attempt: int, q: dict) -> None:
        body = {"position": q["position"], "response": answer_for(q), "client_key": uuid.uuid4().hex}
        self.client.post(f"/api/v1/attempts/{attempt}/answer/", json=body, headers=self.headers, name="answer")


class ClassStudent(_Student):
    """One pass of the lesson: start together, answer with think time, submit, open the progress page."""

    wait_time = between(*THINK)

    @task
    def lesson(self):
        attempt, questions = self._attempt()
        for q in questions:
            self.wait()
            self._answer(attempt, q)
        self.client.post(f"/api/v1/attempts/{attempt}/submit/", headers=self.headers, name="submit")
        page = self.client.get(
            "/progress/",
            headers={"Cookie": f"sessionid={self.cookies['sessionid']}"},
            name="progress page",
            allow_redirects=False,
            catch_response=True,
        )
        with page as r:
            if r.status_code != 200 or "Your progress" not in r.text:
                r.failure(f"not the progress page: {r.status_code}")
        raise StopUser()


class FastAnswerer(_Student):
    """Answers as fast as the server allows, to measure the answer endpoint's throughput."""

    wait_time = constant(0)
    pool = "fast"

    @task
    def answer_all(self):
        attempt, questions = self._attempt()
        for q in questions:
            self._answer(attempt, q)
        self.client.post(f"/api/v1/attempts/{attempt}/submit/", headers=self.headers, name="submit")


class BareUser(FastHttpUser):
    """The reference: a bare Django JSON view doing one query, under the same server."""

    wait_time = constant(0)

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare view")
