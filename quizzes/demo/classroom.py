"""The demo class: a teacher, six students in two groups, two assignments, and work already done,
so the results and item statistics pages have something to show on first look.

Students answer through the same services as the web pages (attempt_start, response_answer,
attempt_submit, attempt_score; scenario runs through prediction_make), with a fixed random seed
so the same wrong answers come out every time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from quizzes.classes.services import assignment_create, classroom_create, enrolment_add, extension_grant
from quizzes.models import Assignment, Attempt, ClassGroup, Classroom, Collection, Module, Quiz, Scenario, ScenarioRun
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from quizzes.progress.services import attempt_score, attempt_start, attempt_submit, response_answer
from quizzes.progress.statistics import item_statistics_compute
from quizzes.qtypes import QTYPES

DEMO_CODE = "demo-10a"
DEMO_SEED = 2022
# The class: (username, first name, table, ability). Ability is how likely the student is to know an
# answer of middling difficulty; None: has not started. student1..6 are the demo logins (seed_demo);
# the pupils exist so the statistics have enough answers to judge a question (they cannot sign in).
CLASS = [
    ("student1", "", 1, 0.92),
    ("student2", "", 1, 0.8),
    ("student3", "", 1, 0.68),
    ("student4", "", 2, 0.55),
    ("student5", "", 2, 0.4),
    ("student6", "", 2, None),
    ("pupil07", "Aliya", 1, 0.85),
    ("pupil08", "Bolat", 1, 0.75),
    ("pupil09", "Dinara", 1, 0.7),
    ("pupil10", "Erlan", 1, 0.62),
    ("pupil11", "Gulnara", 2, 0.5),
    ("pupil12", "Kairat", 2, 0.45),
    ("pupil13", "Saule", 2, 0.3),
    ("pupil14", "Nurlan", 2, None),
]
ABILITY = {username: ability for username, _name, _table, ability in CLASS}


def _response(snapshot: dict, right: bool, rng: random.Random) -> dict:
    """A response of the question's shape (quizzes.scoring): the key, or a plausible mistake."""
    return QTYPES[snapshot["qtype"]].demo_response(snapshot["answer"], snapshot["options"], right, rng)


def _quiz_work(
    *, student, quiz: Quiz, assignment: Assignment, start: datetime, ability: float, rng: random.Random, answer_only: int | None = None
) -> None:
    """One attempt: answer every question (or the first `answer_only`) and, if all answered, submit and score."""
    attempt = attempt_start(user=student, quiz=quiz, assignment=assignment, now=start)
    rows = list(attempt.responses.select_related("question", "version").order_by("position"))
    # Keep within the quiz's time limit, whatever it is.
    step = min(75, quiz.time_limit_seconds // (len(rows) + 1)) if quiz.time_limit_seconds else 75
    now = start
    for row in rows[:answer_only]:
        now += timedelta(seconds=rng.randint(step // 2, step))
        difficulty = row.question.difficulty
        right = rng.random() < ability - 0.4 * (difficulty - 0.5)
        response_answer(attempt=attempt, position=row.position, response=_response(row.snapshot, right, rng), now=now)
    if answer_only is None:
        attempt_submit(attempt=attempt, now=now + timedelta(seconds=20))
        attempt_score(attempt_id=attempt.pk, now=now + timedelta(seconds=21))


def _scenario_work(*, student, scenario: Scenario, assignment: Assignment, start: datetime, ability: float, rng: random.Random) -> None:
    run = scenario_run_start(user=student, scenario=scenario, assignment=assignment, now=start)
    now = start
    while (step := scenario_run_next_step(run)) is not None:
        now += timedelta(seconds=rng.randint(40, 120))
        right = rng.random() < ability
        wrong = [o["id"] for o in step.options if o["id"] != step.correct]
        choice = step.correct if right or not wrong else rng.choice(wrong)
        prediction_make(run=run, step_id=step.pk, choice=choice, confidence=rng.choice([50, 60, 70, 80, 90]), now=now)


def _module_work(
    *,
    student,
    assignment: Assignment,
    start: datetime,
    ability: float,
    rng: random.Random,
    items: int | None = None,
    answer_only: int | None = None,
) -> None:
    """Work through the first `items` items of the assigned module; the last one only partly if `answer_only`."""
    chosen = list(assignment.module.items.select_related("quiz", "scenario").order_by("position"))[:items]
    for n, item in enumerate(chosen, start=1):
        partly = answer_only if n == len(chosen) else None
        at = start + timedelta(hours=n)
        if item.quiz_id and not Attempt.objects.filter(user=student, quiz=item.quiz, assignment=assignment).exists():
            _quiz_work(student=student, quiz=item.quiz, assignment=assignment, start=at, ability=ability, rng=rng, answer_only=partly)
        elif (
            item.scenario_id
            and item.scenario.published
            and not ScenarioRun.objects.filter(user=student, scenario=item.scenario, assignment=assignment).exists()
        ):
            _scenario_work(student=student, scenario=item.scenario, assignment=assignment, start=at, ability=ability, rng=rng)


def _demo_modules() -> list[Module]:
    """The two modules the data marks for the demo class (modules.yaml `demo_class`), else the first two."""
    modules = Module.objects.filter(published=True, items__isnull=False).distinct().order_by("position", "slug")
    # Module slugs are unique within a collection only: a mark names its own collection's module.
    marked = {(c.pk, s["slug"]) for c in Collection.objects.all() for s in c.module_specs if s.get("demo_class")}
    preferred = [m for m in modules if (m.collection_id, m.slug) in marked][:2]
    return preferred if len(preferred) == 2 else list(modules[:2])


def _pupil(username: str, first_name: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name, "last_name": "Demo"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_class_build() -> Classroom | None:
    """Build the demo class taught by "teacher", with student1..6, eight more pupils and their work; idempotent.

    Needs the demo accounts and modules (seed_demo makes them first); does nothing without them."""
    User = get_user_model()
    teacher = User.objects.filter(username="teacher").first()
    logins = {u.username: u for u in User.objects.filter(username__in=[f"student{n}" for n in range(1, 7)], is_staff=False)}
    modules = _demo_modules()
    if teacher is None or len(logins) < 6 or len(modules) < 2:
        return None
    classroom = Classroom.objects.filter(code=DEMO_CODE).first() or classroom_create(
        name="Demo class 10A", code=DEMO_CODE, teachers=[teacher]
    )
    tables = {n: ClassGroup.objects.get_or_create(classroom=classroom, name=f"Table {n}")[0] for n in (1, 2)}
    students = {}
    for username, first_name, table, _ability in CLASS:
        students[username] = logins.get(username) or _pupil(username, first_name)
        if not classroom.enrolments.filter(student=students[username]).exists():
            enrolment_add(classroom=classroom, student=students[username], group=tables[table], by=None)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = classroom.assignments.filter(module=modules[0]).first() or assignment_create(
        classroom=classroom, module=modules[0], opens_at=now - timedelta(days=12), due_at=now - timedelta(days=2), created_by=teacher
    )
    second = classroom.assignments.filter(module=modules[1]).first() or assignment_create(
        classroom=classroom,
        module=modules[1],
        group=tables[1],
        opens_at=now - timedelta(days=2),
        due_at=now + timedelta(days=5),
        created_by=teacher,
    )
    if not first.extensions.exists():
        extension_grant(assignment=first, student=students["student5"], due_at=first.due_at + timedelta(days=4))
    rng = random.Random(DEMO_SEED)
    # The first assignment, for the whole class: spread over its ten days; student4 a day late,
    # student5 after the due date but within an extension; student6 and pupil14 have not started.
    for k, (username, _name, _table, ability) in enumerate(CLASS):
        if ability is None:
            continue
        start = {"student4": first.due_at + timedelta(days=1), "student5": first.due_at + timedelta(days=2)}.get(
            username, first.opens_at + timedelta(hours=9 + 13 * k)
        )
        _module_work(student=students[username], assignment=first, start=start, ability=ability, rng=rng)
    # The second, for Table 1 only: some done, student2 half way through, student3 and pupil10 not started.
    for k, username in enumerate(["student1", "pupil07", "pupil08", "pupil09"]):
        _module_work(
            student=students[username],
            assignment=second,
            start=second.opens_at + timedelta(hours=3 + 4 * k),
            ability=ABILITY[username],
            rng=rng,
        )
    _module_work(
        student=students["student2"],
        assignment=second,
        start=second.opens_at + timedelta(hours=20),
        ability=ABILITY["student2"],
        rng=rng,
        items=2,
        answer_only=3,
    )
    item_statistics_compute()
    return classroom
