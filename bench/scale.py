"""`make bench-scale`: a district's years of data (issue 25), built with COPY into its own database,
then the student, teacher, API and job paths measured on it.

SIZE=M (default): about 1,000 students in 40 classes (one class of 300), 10,000 scored attempts,
135,000 answers. SIZE=L: five times that (about 5,000 students, 200 classes, 50,000 attempts).

The history is written with COPY: answers drawn per student ability and scored by the app's pure
scorer (quizzes.scoring), topic mastery summed in SQL, review cards replayed through the app's FSRS
scheduler in Python. Then a slice of new attempts (one per student of the big class) is scored
through the real path (attempt_score), and for those students the running mastery must equal
progress_recompute and the review cards (reviews, lapses) a replay of every scored attempt.

Each path is timed in this process through Django's test client (the whole middleware stack, DEBUG
off, no network), REPEAT times, with its query count, after freezing the heap as a gunicorn worker
does (kzlearn/heap.py); memory is this process's resident set after
the heaviest page. The table goes into README.md between the bench-scale markers.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START, END = "<!-- bench-scale:start -->", "<!-- bench-scale:end -->"
SIZES = {
    "XS": (60, 3, 30, 3),  # a smoke run of the bench itself
    # students, classes, size of the big class, attempts per student (about)
    "M": (1000, 40, 300, 10),
    "L": (5000, 200, 300, 10),
}
QUIZZES, QUESTIONS = 4, 14  # the module: 4 quizzes of 14 questions (135k answers over 10k attempts at M)
REPEAT = int(os.environ.get("REPEAT", "10"))
SLICE = int(os.environ.get("SLICE", "100"))  # students of the big class whose new attempt is scored for real


def use_scale_database(*, fresh: bool = True) -> str:
    """A fresh `<name>_scale` database beside DATABASE_URL's (PostgreSQL only: COPY)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench-scale needs PostgreSQL: set DATABASE_URL=postgres://...")
    import psycopg

    base, name = url.rsplit("/", 1)
    scale = f"{name}_scale"
    if fresh:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scale}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{scale}"')
    os.environ["DATABASE_URL"] = f"{base}/{scale}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-scale-" + "0" * 40)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["REDIS_URL"] = ""  # jobs in process; nothing queued on a shared broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")
    return scale


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vm_mb(pid: int, key: str = "VmRSS") -> float:
    """A process's resident memory (VmRSS) or its peak (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {key} for process {pid}")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def worker_memory(info: dict) -> dict:
    """A gunicorn worker's resident memory (VmRSS, /proc/PID/status) before and after the heaviest
    teacher pages of the big class, each asked three times over HTTP as its teacher, and its peak (VmHWM)."""
    import signal
    import socket
    import subprocess
    import urllib.request

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from quizzes.models import Assignment

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"DJANGO_SECRET_KEY": settings.SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_LOG_LEVEL": "WARNING"}
    threads = 4
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "kzlearn.wsgi", "-b", f"127.0.0.1:{port}", "-k", "gthread", "-w", "1"]
        + ["--threads", str(threads), "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as r:  # noqa: S310 - our own server
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not answer /healthz") from None
                time.sleep(0.5)
        (worker,) = _children(server.pid)
        client = Client()
        client.force_login(get_user_model().objects.get(pk=info["teacher_big"]))
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        assignment = Assignment.objects.get(pk=info["assignment_big"])
        pages = {
            "item statistics": reverse("admin:quizzes_assignment_statistics", args=[assignment.pk]),
            "results": reverse("admin:quizzes_assignment_results", args=[assignment.pk]),
            "class page": reverse("admin:quizzes_classroom_home", args=[assignment.classroom_id]),
        }
        out: dict = {"threads": threads, "start": _vm_mb(worker), "after": {}}
        for name, path in pages.items():
            for _ in range(3):
                request = urllib.request.Request(base + path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})  # noqa: S310
                with urllib.request.urlopen(request, timeout=300) as r:  # noqa: S310 - our own server
                    if r.status != 200 or r.geturl() != base + path:
                        raise RuntimeError(f"{path}: {r.status} at {r.geturl()}")
                    r.read()
            out["after"][name] = _vm_mb(worker)
        out["peak"] = _vm_mb(worker, "VmHWM")
        return out
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into table; returns how many."""
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def build(size: str) -> dict:
    """The district: seeds, bank and demo, then students, classes, assignments and history by COPY."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from fsrs import Card, Rating

    from quizzes.bank.versions import versions_for
    from quizzes.classes.services import assignment_create, classroom_create
    from quizzes.models import Module, ModuleItem, Question, QuestionVersion, Quiz, QuizQuestion, Topic
    from quizzes.progress.services import _SCHEDULER
    from quizzes.qtypes import QTYPES
    from quizzes.roles import TEACHERS, role_grant
    from quizzes.scoring import score

    students, classes, big, per_student = SIZES[size]
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off serves hashed static names
    seeded = time.monotonic() - t0

    t1 = time.monotonic()
    # The district's module: four quizzes of 14 questions drawn from the published bank (shared content).
    bank = list(Question.objects.filter(status=Question.Status.PUBLISHED).order_by("pk").values_list("pk", "collection_id"))
    pick = random.Random(size)
    module = Module.objects.create(slug="district", title="District module")
    quizzes = []
    for n in range(QUIZZES):
        chosen = pick.sample(bank, min(QUESTIONS, len(bank)))
        quiz = Quiz.objects.create(slug=f"district-{n + 1}", title=f"District quiz {n + 1}", collection_id=chosen[0][1])
        QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question_id=q, position=i) for i, (q, _c) in enumerate(chosen, start=1))
        ModuleItem.objects.create(module=module, position=n + 1, quiz=quiz)
        quizzes.append(quiz)
    plan = {}  # quiz id -> [(question id, version id, content)]
    for quiz in quizzes:
        qids = list(quiz.items.order_by("position").values_list("question_id", flat=True))
        versions = versions_for(qids)
        content = dict(QuestionVersion.objects.filter(pk__in=versions.values()).values_list("pk", "content"))
        plan[quiz.pk] = [(q, versions[q], content[versions[q]]) for q in qids]
    topics = {(t.collection_id, t.slug): t.pk for t in Topic.objects.all()}

    password = make_password("bench-scale-not-a-login")  # one real hash, shared: nobody signs in as them
    now = datetime.now(UTC)
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM auth_user")
        first_user = c.fetchone()[0] + 1
    # Classes: the big one, then the rest share the other students.
    sizes = [big] + [(students - big) // (classes - 1) + (1 if i < (students - big) % (classes - 1) else 0) for i in range(classes - 1)]
    rng = random.Random(2026)
    coordinator_id = first_user + students + classes
    with connection.cursor() as cursor:
        raw = cursor.cursor
        user_rows = [
            (first_user + i, password, False, f"s{i:05d}", f"Student{i}", f"Family{i % 97}", "", False, True, now) for i in range(students)
        ]
        user_rows += [
            (first_user + students + k, password, False, f"teacher{k:03d}", f"Teacher{k}", "Bench", "", True, True, now)
            for k in range(classes)
        ]
        user_rows.append((coordinator_id, password, False, "coordinator", "District", "Coordinator", "", True, True, now))
        _copy(
            raw,
            "auth_user",
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined"],
            user_rows,
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('auth_user', 'id'), (SELECT MAX(id) FROM auth_user))")
    from django.contrib.auth import get_user_model

    User = get_user_model()
    teachers = list(User.objects.filter(username__startswith="teacher", last_name="Bench").order_by("username"))
    coordinator = User.objects.get(pk=coordinator_id)
    for t in [*teachers, coordinator]:
        role_grant(t, TEACHERS)
    opens = now - timedelta(days=200)
    assignments, ability, enrol_rows = [], {}, []
    student_ids = list(range(first_user, first_user + students))
    position = 0
    for k, n in enumerate(sizes):
        classroom = classroom_create(name=f"Class {k:03d}", teachers=[teachers[k], coordinator])
        assignments.append(
            assignment_create(classroom=classroom, module=module, opens_at=opens, due_at=now + timedelta(days=30), attempts_allowed=0)
        )
        for sid in student_ids[position : position + n]:
            enrol_rows.append((classroom.pk, sid, now, "admin", now))
            ability[sid] = (assignments[-1].pk, min(0.95, max(0.15, rng.gauss(0.6, 0.18))))
        position += n
    with connection.cursor() as cursor:
        _copy(cursor.cursor, "quizzes_enrolment", ["classroom_id", "student_id", "joined_at", "via", "updated_at"], enrol_rows)

    # History: attempts per student cycling through the module's quizzes (later rounds are retries).
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM quizzes_attempt")
        attempt_id = c.fetchone()[0]
    attempts, responses = [], []
    outcomes: dict[int, list[tuple[datetime, list[tuple[int, str, bool]]]]] = defaultdict(list)
    for sid in student_ids:
        assignment_id, skill = ability[sid]
        numbers: dict[int, int] = defaultdict(int)
        when = opens + timedelta(hours=rng.randrange(0, 24 * 30))
        for k in range(per_student):
            quiz = quizzes[k % len(quizzes)]
            numbers[quiz.pk] += 1
            attempt_id += 1
            when += timedelta(hours=rng.randrange(12, 24 * 15))
            total, facts = 0.0, []
            for pos, (qid, vid, content) in enumerate(plan[quiz.pk], start=1):
                kind = QTYPES[content["qtype"]]
                answer = kind.demo_response(content["answer"], content.get("options") or [], rng.random() < skill, rng)
                result = score(content["qtype"], content["answer"], answer)
                total += result.points
                responses.append((attempt_id, qid, vid, pos, json.dumps(answer), "", when, result.points, result.correct))
                facts += [(content.get("collection"), f, bool(result.correct)) for f in content.get("fact_ids", [])]
            m = len(plan[quiz.pk])
            attempts.append(
                (
                    attempt_id,
                    sid,
                    quiz.pk,
                    assignment_id,
                    numbers[quiz.pk],
                    "scored",
                    when - timedelta(minutes=15),
                    when,
                    when,
                    round(total, 4),
                    m,
                    round(100 * total / m, 2),
                    total / m >= 0.5,
                    False,
                    when,
                )
            )
            outcomes[sid].append((when, facts))
    with connection.cursor() as cursor:
        n_attempts = _copy(
            cursor.cursor,
            "quizzes_attempt",
            [
                "id",
                "user_id",
                "quiz_id",
                "assignment_id",
                "number",
                "status",
                "started_at",
                "submitted_at",
                "scored_at",
                "points",
                "max_points",
                "percent",
                "passed",
                "auto_submitted",
                "updated_at",
            ],
            attempts,
        )
        n_responses = _copy(
            cursor.cursor,
            "quizzes_response",
            ["attempt_id", "question_id", "version_id", "position", "response", "client_key", "answered_at", "points", "correct"],
            responses,
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('quizzes_attempt', 'id'), (SELECT MAX(id) FROM quizzes_attempt))")
        # Topic mastery summed in SQL from each answer's version (its collection and topics).
        cursor.execute(
            """
            INSERT INTO quizzes_topicmastery (user_id, topic_id, answered, correct, points, updated_at)
            SELECT a.user_id, t.id, COUNT(*), COUNT(*) FILTER (WHERE r.correct), SUM(r.points), now()
            FROM quizzes_response r JOIN quizzes_attempt a ON a.id = r.attempt_id
            JOIN quizzes_questionversion v ON v.id = r.version_id
            CROSS JOIN LATERAL jsonb_array_elements_text(v.content->'topics') AS s(topic_slug)
            JOIN quizzes_topic t ON t.slug = s.topic_slug AND t.collection_id = (v.content->>'collection')::int
            WHERE a.status = 'scored' AND a.user_id BETWEEN %s AND %s
            GROUP BY a.user_id, t.id
            """,
            [first_user, first_user + students - 1],
        )
    # Review cards: each fact a card from its first miss on, replayed through the app's scheduler.
    cards = []
    for sid, history in outcomes.items():
        state: dict[tuple[int, str], list] = {}
        for when, facts in sorted(history, key=lambda h: h[0]):
            per: dict[tuple[int, str], bool] = {}
            for collection, fact, ok in facts:
                per[collection, fact] = per.get((collection, fact), True) and ok
            for key, ok in sorted(per.items()):
                card = state.get(key)
                if card is None and ok:
                    continue
                fsrs = card[0] if card else Card(card_id=int(when.timestamp() * 1000))
                fsrs, _ = _SCHEDULER.review_card(fsrs, Rating.Good if ok else Rating.Again, review_datetime=when)
                state[key] = [fsrs, (card[1] if card else 0) + 1, (card[2] if card else 0) + (not ok), when]
        for (collection, fact), (fsrs, reviews, lapses, last) in state.items():
            cards.append((sid, collection, fact, json.dumps(fsrs.to_dict()), fsrs.due, reviews, lapses, last))
    with connection.cursor() as cursor:
        n_cards = _copy(
            cursor.cursor,
            "quizzes_reviewcard",
            ["user_id", "collection_id", "fact_id", "card", "due", "reviews", "lapses", "last_reviewed_at"],
            cards,
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        db_size = cursor.fetchone()[0]
    built = time.monotonic() - t1
    del topics
    return {
        "size": size,
        "students": students,
        "classes": classes,
        "big": big,
        "attempts": n_attempts,
        "responses": n_responses,
        "cards": n_cards,
        "db_size": db_size,
        "seeded_s": seeded,
        "built_s": built,
        "assignment_big": assignments[0].pk,
        "teacher_big": teachers[0].pk,
        "coordinator": coordinator.pk,
        "quizzes": [q.pk for q in quizzes],
        "first_user": first_user,
    }


def _time(call, repeat: int = REPEAT) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, queries of the last call); the first call (cold caches) is left out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - t) * 1000)
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise RuntimeError(f"status {status}")
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], queries


def _vacuum() -> None:
    """VACUUM ANALYZE the attempts after the statistics marks rewrote them (this machine's PostgreSQL
    runs without autovacuum: dead rows would otherwise slow every later path)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE quizzes_attempt")


def measure(info: dict) -> dict:
    """p50/p95 and queries per path; the scoring slice and its verification; statistics job runs."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from kzlearn import heap
    from quizzes.models import Attempt, Enrolment, ReviewCard, TopicMastery, VersionStatistic
    from quizzes.progress.services import attempt_score, attempt_start, progress_recompute, response_answer
    from quizzes.progress.statistics import item_statistics_compute
    from quizzes.qtypes import QTYPES

    User = get_user_model()
    out: dict = {"rows": []}
    rows = out["rows"]
    assignment_id = info["assignment_big"]
    big_students = list(Enrolment.objects.filter(classroom__assignments=assignment_id).values_list("student_id", flat=True))

    # Jobs first: the statistics over the whole history (a full recount from scratch, in one run), then
    # the first runs after a deploy (every attempt uncounted: short runs until the backlog is worked off),
    # then (after the scoring slice) an incremental one.
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        item_statistics_compute(full=True)
    scored = Attempt.objects.filter(status=Attempt.Status.SCORED).count()
    rows.append(
        (
            "job",
            f"item statistics, full recount over {scored:,} attempts (one run)",
            (time.perf_counter() - t) * 1000,
            None,
            len(ctx.captured_queries),
        )
    )
    recount = dict(VersionStatistic.objects.values_list("version_id", "tally"))
    # As after the deploy that brought the sums: no attempt counted, no sums yet.
    Attempt.objects.update(statistics_at=None)
    VersionStatistic.objects.all().delete()
    _vacuum()
    runs, queries = [], 0
    while True:
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            changed = item_statistics_compute()
            runs.append((time.perf_counter() - t) * 1000)
        queries = max(queries, len(ctx.captured_queries))
        if not changed:
            runs.pop()  # the last run found nothing left
            break
    rows.append(
        (
            "job",
            f"item statistics, first runs after a deploy ({scored:,} attempts uncounted): {len(runs)} runs, median and longest",
            statistics.median(runs),
            max(runs),
            queries,
        )
    )
    out["statistics_equal"] = dict(VersionStatistic.objects.values_list("version_id", "tally")) == recount
    _vacuum()

    # The scoring path: one new attempt per student of the big class, answered and scored for real.
    rng = random.Random(7)
    quiz_id = info["quizzes"][0]
    from quizzes.models import Quiz

    quiz = Quiz.objects.get(pk=quiz_id)
    from quizzes.models import Assignment

    assignment = Assignment.objects.get(pk=assignment_id)
    score_times, score_queries, scored_users = [], 0, []
    for sid in big_students[:SLICE]:
        user = User.objects.get(pk=sid)
        attempt = attempt_start(user=user, quiz=quiz, assignment=assignment)
        for row in attempt.responses.select_related("version").order_by("position"):
            content = row.version.content
            answer = QTYPES[content["qtype"]].demo_response(content["answer"], content.get("options") or [], rng.random() < 0.6, rng)
            response_answer(attempt=attempt, position=row.position, response=answer)
        # Submitted as attempt_submit would, without queueing: the scoring is timed here, in process.
        Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.SUBMITTED, submitted_at=timezone.now())
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            attempt_score(attempt_id=attempt.pk)
            score_times.append((time.perf_counter() - t) * 1000)
        score_queries = len(ctx.captured_queries)
        scored_users.append(user)
    score_times.sort()
    rows.append(
        (
            "job",
            f"scoring one attempt ({len(score_times)} attempts)",
            statistics.median(score_times),
            score_times[round(0.95 * (len(score_times) - 1))],
            score_queries,
        )
    )
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        item_statistics_compute()
    rows.append(
        (
            "job",
            f"item statistics, incremental run after {len(score_times)} new attempts",
            (time.perf_counter() - t) * 1000,
            None,
            len(ctx.captured_queries),
        )
    )

    # Verification: running mastery and review cards equal their recomputation for every scored student.
    mismatched_mastery, mismatched_cards = 0, 0
    from quizzes.models import QuestionResponse

    for user in scored_users:
        running = {
            (m.topic.collection_id, m.topic.slug): (m.answered, m.correct, round(m.points, 4))
            for m in TopicMastery.objects.filter(user=user).select_related("topic")
        }
        mismatched_mastery += running != progress_recompute(user=user)
        expected: dict[tuple, list[int]] = {}
        per_attempt: dict[int, dict] = defaultdict(dict)
        for attempt_id, correct, content in QuestionResponse.objects.filter(attempt__user=user, attempt__status="scored").values_list(
            "attempt_id", "correct", "version__content"
        ):
            for fact in content.get("fact_ids", []):
                key = (content.get("collection"), fact)
                per_attempt[attempt_id][key] = per_attempt[attempt_id].get(key, True) and bool(correct)
        for attempt_id in Attempt.objects.filter(user=user, status="scored").order_by("scored_at", "pk").values_list("pk", flat=True):
            for key, ok in per_attempt[attempt_id].items():
                if key in expected or not ok:
                    card = expected.setdefault(key, [0, 0])
                    card[0] += 1
                    card[1] += not ok
        stored = {(c.collection_id, c.fact_id): [c.reviews, c.lapses] for c in ReviewCard.objects.filter(user=user)}
        mismatched_cards += stored != expected
    out["verified"] = (len(scored_users), mismatched_mastery, mismatched_cards)

    # Pages and API.
    student = User.objects.get(pk=big_students[0])
    teacher = User.objects.get(pk=info["teacher_big"])
    coordinator = User.objects.get(pk=info["coordinator"])
    web, admin, api = Client(), Client(), Client()
    web.force_login(student)
    admin.force_login(teacher)
    token, _ = Token.objects.get_or_create(user=coordinator)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    classroom_id = assignment.classroom_id
    paths = [
        ("student", "dashboard", lambda: web.get("/", secure=True)),
        ("student", "progress page", lambda: web.get(reverse("web:progress"), secure=True)),
        (
            "teacher",
            f"class page, class of {info['big']}",
            lambda: admin.get(reverse("admin:quizzes_classroom_home", args=[classroom_id]), secure=True),
        ),
        (
            "teacher",
            f"results, class of {info['big']}",
            lambda: admin.get(reverse("admin:quizzes_assignment_results", args=[assignment_id]), secure=True),
        ),
        (
            "teacher",
            f"item statistics, class of {info['big']}",
            lambda: admin.get(reverse("admin:quizzes_assignment_statistics", args=[assignment_id]), secure=True),
        ),
        ("teacher", "admin attempts list", lambda: admin.get(reverse("admin:quizzes_attempt_changelist"), secure=True)),
        ("teacher", "admin attempts search", lambda: admin.get(reverse("admin:quizzes_attempt_changelist"), {"q": "Family1"}, secure=True)),
        ("API", "teacher/attempts/, coordinator", lambda: api.get("/api/v1/teacher/attempts/", secure=True, **headers)),
        (
            "API",
            "assignment results, class of 300",
            lambda: api.get(f"/api/v1/assignments/{assignment_id}/results/", secure=True, **headers),
        ),
        ("API", "classes, coordinator", lambda: api.get("/api/v1/classes/", secure=True, **headers)),
    ]
    # As a gunicorn worker does once the app is loaded (kzlearn/wsgi.py): what this process holds by
    # now (the app, and here the build's leftovers) is frozen, so a full garbage collection in the
    # middle of a timed call walks only what the calls made (kzlearn/heap.py).
    heap.freeze()
    before = rss_mb()
    for audience, name, call in paths:
        p50, p95, queries = _time(call)
        rows.append((audience, name, p50, p95, queries))
    out["rss"] = (before, rss_mb())
    out["when"] = timezone.now()
    return out


def table(info: dict, out: dict) -> str:
    load = os.getloadavg()
    lines = [
        f"Size {info['size']}: {info['students']:,} students in {info['classes']} classes (one of {info['big']}), "
        f"{info['attempts']:,} scored attempts, {info['responses']:,} answers, {info['cards']:,} review cards; database {info['db_size']}. "
        f"Seeds, bank and demo {info['seeded_s']:.0f} s; the district by COPY {info['built_s']:.0f} s.",
        "",
        f"Measured in one process through Django's test client (whole middleware stack, DEBUG off, no network), "
        f"{REPEAT} calls each after a warm-up; {os.cpu_count()} cores, load average {load[0]:.1f} at the end (the machine is shared: "
        "times include waiting for a core).",
        "",
        "| Path | | p50 ms | p95 ms | queries |",
        "|---|---|---|---|---|",
    ]
    for audience, name, p50, p95, queries in out["rows"]:
        lines.append(f"| {audience} | {name} | {p50:,.0f} | {'' if p95 is None else f'{p95:,.0f}'} | {queries} |")
    n, bad_mastery, bad_cards = out["verified"]
    before, after = out["rss"]
    lines += [
        "",
        f"Verified after the scoring slice: running mastery equals `progress_recompute` for {n - bad_mastery} of {n} students, "
        f"review cards (reviews, lapses) equal a replay of every scored attempt for {n - bad_cards} of {n}. "
        f"The statistics' sums after the first runs after a deploy {'equal' if out.get('statistics_equal') else 'DIFFER FROM'} "
        "those of the full recount.",
        f"Resident memory of the measuring process: {before:.0f} MB before the pages, {after:.0f} MB after all of them "
        "(the item statistics page of the class of 300 included).",
    ]
    worker = out.get("worker")
    if worker:
        steps = ", ".join(f"{mb:.0f} MB after the {name}" for name, mb in worker["after"].items())
        lines.append(
            f"A gunicorn worker (gthread, {worker['threads']} threads, DEBUG off), each of the big class's heaviest teacher pages "
            f"asked three times over HTTP: {worker['start']:.0f} MB resident when it started, {steps}; peak {worker['peak']:.0f} MB "
            "(VmRSS and VmHWM in /proc/PID/status; target < 200 MB)."
        )
    return "\n".join(lines)


def main() -> int:
    size = os.environ.get("SIZE", "M").upper()
    if size not in SIZES:
        sys.exit(f"SIZE must be one of {', '.join(SIZES)}")
    reuse = os.environ.get("REUSE") == "1"  # measure again on the last build (for working on the bench)
    scale = use_scale_database(fresh=not reuse)
    import django

    django.setup()
    saved = ROOT / "bench" / "results" / "scale-info.json"
    if reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        info = json.loads(saved.read_text())
    else:
        info = build(size)
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(info))
    print(f"built {scale}: {info}", flush=True)
    if os.environ.get("ONLY") == "memory":  # the worker's memory alone, on a build (REUSE=1)
        print(worker_memory(info))
        return 0
    out = measure(info)
    out["worker"] = worker_memory(info)
    block = f"{START}\nLatest run: {datetime.now(UTC).date().isoformat()}.\n\n{table(info, out)}\n{END}"
    print(block)
    if os.environ.get("WRITE", "1") == "1":
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        if START in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
        else:
            text = text.replace("<!-- bench:start -->", f"{block}\n\n<!-- bench:start -->", 1)
        readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
