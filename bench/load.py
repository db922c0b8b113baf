"""Benchmark: a class of 300 students on one 20-question quiz, against gunicorn with DEBUG off.

Three phases, each a headless locust run (bench/locustfile.py) against the same server:
1. the bare reference view (one query, tiny JSON), as fast as it goes;
2. the answer endpoint, as fast as it goes, with the same number of users: its rate over (1);
3. the lesson: 300 students start the quiz at the same moment, answer with 3-9 s think time,
   submit, then open their progress pages. Latency percentiles per request kind.
The server is gunicorn (gthread, the project's gunicorn.conf.py) on PostgreSQL with a Celery worker on Redis,
as docs/operations.md advises for production.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")

RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = int(os.environ.get("KZL_LOAD_PORT") or _free_port())
STUDENTS = int(os.environ.get("KZL_LOAD_STUDENTS", "300"))
SATURATE_USERS = int(os.environ.get("KZL_LOAD_SATURATE_USERS", "32"))
SATURATE_SECONDS = int(os.environ.get("KZL_LOAD_SATURATE_SECONDS", "20"))
# The server runs as docs/operations.md advises: gunicorn with the project's gunicorn.conf.py (gthread,
# cores + 1 workers x 4 threads, a listening socket per worker); KZL_LOAD_WORKERS/THREADS change the run.
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
_CONF = runpy.run_path(str(GUNICORN_CONF))
GUNICORN_WORKERS = int(os.environ.get("KZL_LOAD_WORKERS") or _CONF["workers"])
GUNICORN_THREADS = int(os.environ.get("KZL_LOAD_THREADS") or _CONF["threads"])
QUIZ_SLUG = "bench-20"
TARGETS = {"ratio": 0.3, "steady_p95_ms": 150, "steady_p99_ms": 400, "start_p95_ms": 1000}


def prepare() -> Path:
    """Seeds, bank, a 20-question quiz of mixed types, 300 students with tokens and sessions."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from quizzes.bank.services import question_bank_generate
    from quizzes.models import Question, Quiz, QuizQuestion

    call_command("migrate", verbosity=0)
    call_command("load_seeds", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not Question.objects.exists():
        question_bank_generate()
    quiz, _ = Quiz.objects.update_or_create(
        slug=QUIZ_SLUG, defaults={"title": "Bench: 20 questions", "published": True, "attempts_allowed": 0, "time_limit_seconds": None}
    )
    if quiz.items.count() != 20:
        quiz.items.all().delete()
        picked: list[Question] = []
        for qtype in sorted(set(Question.objects.values_list("qtype", flat=True))):
            picked += list(Question.objects.filter(qtype=qtype, status="published").order_by("key")[:2])
        rest = Question.objects.filter(status="published").exclude(pk__in=[q.pk for q in picked]).order_by("key")
        picked += list(rest[: 20 - len(picked)])
        QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(picked[:20], start=1))

    User = get_user_model()
    User.objects.filter(username__startswith="bench-").delete()
    password = make_password("bench-not-used")
    # The lesson's class and the fast answerers are different students, so the fast phase's
    # unfinished attempts never meet the lesson (they would answer 409 already_answered).
    users = User.objects.bulk_create(User(username=f"bench-{i:04d}", password=password) for i in range(STUDENTS + SATURATE_USERS))
    Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in users)
    tokens = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    rows = []
    for u in users:
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(u.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = u.get_session_auth_hash()
        session.create()
        pool = "lesson" if len(rows) < STUDENTS else "fast"
        rows.append({"token": tokens[u.pk], "sessionid": session.session_key, "pool": pool})
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "load-users.json"
    path.write_text(json.dumps(rows))
    return path


def server_env() -> dict:
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        {
            # The key the sessions were signed with in prepare().
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KZL_BENCH_ENDPOINTS": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            # One school behind one address: the per-user answer throttle must not be what is measured.
            "KZL_API_ANSWER_RATE": "100000/min",
        }
    )
    return env


def start_server(env: dict) -> list[subprocess.Popen]:
    procs = [
        subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "kzlearn.wsgi",
                "-c",
                str(GUNICORN_CONF),
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                str(GUNICORN_WORKERS),
                "--threads",
                str(GUNICORN_THREADS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    ]
    if env.get("REDIS_URL"):
        procs.append(
            subprocess.Popen(
                [str(VENV_BIN / "celery"), "-A", "kzlearn", "worker", "--concurrency=2", "--loglevel=WARNING"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as r:  # noqa: S310 - our own server
                if r.status == 200:
                    return procs
        except OSError:
            time.sleep(0.3)
    stop(procs)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def locust(user_class: str, users: int, seconds: int, name: str, env: dict) -> dict[str, dict]:
    """Run locust headless; return its stats per request name (count, failures, rps, percentiles in ms)."""
    prefix = RESULTS / name
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            user_class,
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return stats


def run() -> dict:
    users_file = prepare()
    env = server_env() | {"KZL_LOAD_USERS": str(users_file), "KZL_LOAD_QUIZ": QUIZ_SLUG}
    # Collected with the server's own settings (DEBUG off: hashed names and a manifest); collected
    # in this process under DEBUG it has no manifest, and every page that links a stylesheet is a 500.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    procs = start_server(env)
    try:
        bare = locust("BareUser", SATURATE_USERS, SATURATE_SECONDS, "load-bare", env)
        fast = locust("FastAnswerer", SATURATE_USERS, SATURATE_SECONDS, "load-answer", env)
        lesson_seconds = int(os.environ.get("KZL_LOAD_LESSON_SECONDS", "200"))
        lesson = locust("ClassStudent", STUDENTS, lesson_seconds, "load-lesson", env)
    finally:
        stop(procs)
    from django.db import connection

    return {
        "bare": bare,
        "fast": fast,
        "lesson": lesson,
        "workers": GUNICORN_WORKERS,
        "threads": GUNICORN_THREADS,
        "students": STUDENTS,
        "saturate_users": SATURATE_USERS,
        "database": connection.vendor,
    }


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def table(r: dict) -> str:
    bare_rps = r["bare"].get("bare view", {}).get("rps", 0.0)
    answer = r["fast"].get("answer", {})
    ratio = answer.get("rps", 0.0) / bare_rps if bare_rps else 0.0
    lesson = r["lesson"]
    start, steady = lesson.get("start attempt", {}), lesson.get("answer", {})
    errors = sum(s["failures"] for phase in ("bare", "fast", "lesson") for name, s in r[phase].items() if name != "Aggregated")
    lines = [
        f"gunicorn gthread {r['workers']} workers × {r['threads']} threads (gunicorn.conf.py: a listening socket per worker), DEBUG off, "
        f"{r['database']}, Celery worker on Redis; "
        f"load from locust (FastHttpUser) on the same machine.",
        "",
        "| Measure | Figure | Target | |",
        "|---|---|---|---|",
        f"| Bare JSON view, {r['saturate_users']} users, no think time | {bare_rps:.0f} req/s | reference | |",
        f"| Answer endpoint, same users | {answer.get('rps', 0):.0f} req/s = {ratio:.2f} of bare | ≥ {TARGETS['ratio']} | "
        f"{_ok(ratio >= TARGETS['ratio'])} |",
        f"| {r['students']} students start at once: start p95 | {start.get('p95', 0):.0f} ms | < {TARGETS['start_p95_ms']} ms | "
        f"{_ok(start.get('p95', 1e9) < TARGETS['start_p95_ms'])} |",
        f"| Answer with think time: p95 / p99 | {steady.get('p95', 0):.0f} / {steady.get('p99', 0):.0f} ms | "
        f"< {TARGETS['steady_p95_ms']} / {TARGETS['steady_p99_ms']} ms | "
        f"{_ok(steady.get('p95', 1e9) < TARGETS['steady_p95_ms'] and steady.get('p99', 1e9) < TARGETS['steady_p99_ms'])} |",
        f"| Errors (all phases) | {errors} | 0 | {_ok(errors == 0)} |",
        "",
        "| Lesson request | Count | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for name in ("start attempt", "questions", "answer", "submit", "progress page"):
        s = lesson.get(name)
        if s:
            lines.append(f"| {name} | {s['count']} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} |")
    failures = _failures()
    if failures:
        lines += ["", "Errors, as locust recorded them:", ""]
        lines += [f"- {phase}, {method} {name}: {error} ({count}×)" for phase, method, name, error, count in failures]
    return "\n".join(lines)


def _failures() -> list[tuple[str, str, str, str, int]]:
    """Every failure of the last run by phase, request and reason, so an error count never hides its cause."""
    rows = []
    for phase in ("bare", "answer", "lesson"):
        path = RESULTS / f"load-{phase}_failures.csv"
        if path.exists():
            with open(path, newline="") as f:
                rows += [(phase, r["Method"], r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(f)]
    return rows


if __name__ == "__main__":
    result = run()
    print(table(result))
