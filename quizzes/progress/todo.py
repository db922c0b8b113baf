"""A learner's to-do list: every assigned quiz and scenario with its due date and the one thing to do
next (start, continue or review), the practice that is not assigned, and the next item of a module.

Reads only the learner's own rows, in a fixed number of queries whatever the number of assignments,
items, attempts or runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone

from quizzes.bank.selectors import published_modules
from quizzes.classes.selectors import assignment_due, assignments_for_student, modules_for_learner
from quizzes.models import Assignment, Attempt, Module, ModuleItem, ScenarioRun
from quizzes.progress.results import enrolments_joined, work_counts
from quizzes.progress.selectors import ModuleProgress, module_progress
from quizzes.progress.status import WorkStatus, attempt_work_status

State = Literal["start", "continue", "review", "waiting"]


@dataclass
class Work:
    """What the learner has done on quizzes and scenarios: open and last finished attempt or run."""

    open_attempts: dict[int, Attempt] = field(default_factory=dict)  # quiz id -> the open attempt
    finished_attempts: dict[int, Attempt] = field(default_factory=dict)  # quiz id -> the latest finished attempt
    best_percent: dict[int, float | None] = field(default_factory=dict)  # quiz id -> best percent (None while scoring)
    open_runs: dict[int, ScenarioRun] = field(default_factory=dict)  # scenario id -> the open run
    finished_runs: dict[int, ScenarioRun] = field(default_factory=dict)  # scenario id -> the latest finished run
    attempts_done: list[Attempt] = field(default_factory=list)  # every finished attempt, oldest first
    runs_done: list[ScenarioRun] = field(default_factory=list)  # every finished run, oldest first

    def add_attempt(self, a: Attempt) -> None:
        self.attempts_done.append(a)
        self.finished_attempts[a.quiz_id] = a
        best = self.best_percent.get(a.quiz_id)
        self.best_percent[a.quiz_id] = a.percent if best is None else max(best, a.percent or 0)

    def add_run(self, r: ScenarioRun) -> None:
        self.runs_done.append(r)
        self.finished_runs[r.scenario_id] = r

    def for_assignment(self, assignment: Assignment, joined: dict[int, datetime]) -> Work:
        """The same work with only the finished attempts and runs that count for `assignment` (the
        teacher's results' rule, results.work_counts), so the to-do list's Done agrees with the
        teacher's results and the API's progress; open attempts and runs stay (Continue)."""
        counted = Work(open_attempts=self.open_attempts, open_runs=self.open_runs)
        for a in self.attempts_done:
            if work_counts(assignment, assignment_id=a.assignment_id, started_at=a.started_at, joined=joined):
                counted.add_attempt(a)
        for r in self.runs_done:
            if work_counts(assignment, assignment_id=r.assignment_id, started_at=r.started_at, joined=joined):
                counted.add_run(r)
        return counted


def work_of(user: User) -> Work:
    """The learner's attempts and runs, in two queries."""
    work = Work()
    attempts = Attempt.objects.filter(user=user).only(
        "pk", "quiz_id", "status", "number", "submitted_at", "percent", "assignment_id", "started_at"
    )
    for a in attempts.order_by("number", "pk"):
        if a.status == Attempt.Status.IN_PROGRESS:
            work.open_attempts[a.quiz_id] = a
            continue
        work.add_attempt(a)
    runs = ScenarioRun.objects.filter(user=user).only(
        "pk", "scenario_id", "status", "started_at", "finished_at", "answered", "correct", "assignment_id"
    )
    for r in runs.order_by("started_at", "pk"):
        if r.status == ScenarioRun.Status.IN_PROGRESS:
            work.open_runs[r.scenario_id] = r
        else:
            work.add_run(r)
    return work


@dataclass
class Step:
    """One quiz or scenario of a module and what the learner does with it next."""

    item: ModuleItem
    state: State
    open_attempt: Attempt | None = None
    last_attempt: Attempt | None = None
    best_percent: float | None = None
    open_run: ScenarioRun | None = None
    last_run: ScenarioRun | None = None

    @property
    def kind(self) -> str:
        return "quiz" if self.item.quiz_id else "scenario"

    @property
    def title(self) -> str:
        content = self.item.quiz or self.item.scenario
        return content.title if content else ""

    @property
    def done(self) -> bool:
        return self.last_attempt is not None or self.last_run is not None

    @property
    def status(self) -> WorkStatus:
        """Where the learner's work on the item stands, in the words teachers read (quizzes.progress.status)."""
        if self.state == "continue":
            return WorkStatus.IN_PROGRESS
        if self.last_attempt is not None:
            return attempt_work_status(self.last_attempt.status)
        return WorkStatus.DONE if self.last_run is not None else WorkStatus.NOT_STARTED

    @property
    def finished_at(self) -> datetime | None:
        if self.last_attempt is not None:
            return self.last_attempt.submitted_at
        return self.last_run.finished_at if self.last_run is not None else None


def step_of(item: ModuleItem, work: Work, *, waiting: bool = False) -> Step:
    """The item with the learner's work on it: continue an open attempt or run first, else review a
    finished one, else start (or wait, for an assignment that has not opened)."""
    if item.quiz_id:
        step = Step(
            item,
            "start",
            open_attempt=work.open_attempts.get(item.quiz_id),
            last_attempt=work.finished_attempts.get(item.quiz_id),
            best_percent=work.best_percent.get(item.quiz_id),
        )
        busy = step.open_attempt is not None
    else:
        assert item.scenario_id is not None
        step = Step(item, "start", open_run=work.open_runs.get(item.scenario_id), last_run=work.finished_runs.get(item.scenario_id))
        busy = step.open_run is not None
    step.state = "continue" if busy else "review" if step.done else "waiting" if waiting else "start"
    return step


@dataclass
class Todo:
    """One assigned item on the learner's to-do list."""

    step: Step
    assignment: Assignment
    due: datetime
    extended: bool
    opens_later: bool
    overdue: bool  # past due and not handed in
    late: bool  # handed in after the due date

    @property
    def done(self) -> bool:
        return self.step.state == "review"


def todo_list(user: User, *, now: datetime | None = None) -> list[Todo]:
    """Every item of every assignment set for the learner, once each (the earliest due assignment wins):
    what is to do first (soonest due, in module order), then what opens later, then what is done. Done
    counts only the work the assignment counts (results.work_counts), as the API's progress and the
    teacher's results do: practice before the assignment opened, or any practice when it limits
    attempts, leaves its item to do."""
    now = now or timezone.now()
    work, joined = work_of(user), enrolments_joined(user)
    seen: set[tuple[str, int | None]] = set()
    rows: list[Todo] = []
    for assignment in assignments_for_student(user):  # ordered by due date
        due = assignment_due(assignment)
        opens_later = assignment.opens_at > now
        counted = work.for_assignment(assignment, joined)
        for item in assignment.module.items.all():
            key = ("quiz", item.quiz_id) if item.quiz_id else ("scenario", item.scenario_id)
            if key in seen:
                continue
            seen.add(key)
            step = step_of(item, counted, waiting=opens_later)
            finished = step.finished_at
            rows.append(
                Todo(
                    step=step,
                    assignment=assignment,
                    due=due,
                    extended=due != assignment.due_at,
                    opens_later=opens_later,
                    overdue=not step.done and due < now,
                    late=step.done and finished is not None and finished > due,
                )
            )

    def order(t: Todo) -> tuple[int, datetime]:
        return (2 if t.done else 1 if t.opens_later else 0, t.due)

    return sorted(rows, key=order)  # stable: module order within one assignment


def practice_modules(user: User, *, leave_out: list[Todo]) -> list[ModuleProgress]:
    """Published modules the learner may open that are not assigned to them, each without the quizzes
    and scenarios already on their to-do list (a module left empty is left out)."""
    assigned_modules = {t.assignment.module_id for t in leave_out}
    quizzes = {t.step.item.quiz_id for t in leave_out if t.step.item.quiz_id}
    scenarios = {t.step.item.scenario_id for t in leave_out if t.step.item.scenario_id}
    modules = list(published_modules().filter(pk__in=modules_for_learner(user)).exclude(pk__in=assigned_modules))
    progress = module_progress(user, modules)
    result = []
    for module in modules:
        mp = progress[module.pk]
        items = [ip for ip in mp.items if not (ip.item.quiz_id in quizzes if ip.item.quiz_id else ip.item.scenario_id in scenarios)]
        if items:
            result.append(ModuleProgress(module, items))
    return result


@dataclass
class NextUp:
    """Where a finished quiz or scenario leads: its module, how far the learner is, and the next item
    not done yet (None when the module is complete)."""

    module: Module
    done: int
    total: int
    step: Step | None


def next_in_module(
    user: User, *, quiz_id: int | None = None, scenario_id: int | None = None, assignment_id: int | None = None
) -> NextUp | None:
    """The module a finished item belongs to (its assignment's module, else one assigned to the learner,
    else a published one they may open) and the first item after it that is not done, wrapping round
    to the earlier ones; None when the item is in no module of theirs."""
    items = ModuleItem.objects.filter(quiz_id=quiz_id) if quiz_id else ModuleItem.objects.filter(scenario_id=scenario_id or 0)
    holding = items.values("module_id")
    module = None
    if assignment_id:
        module = (
            Module.objects.filter(assignments__pk=assignment_id, pk__in=holding)
            .prefetch_related(Prefetch("items", queryset=ModuleItem.objects.select_related("quiz", "scenario").order_by("position")))
            .first()
        )
    if module is None:
        first = assignments_for_student(user).filter(module_id__in=holding).values_list("module_id", flat=True).first()
        if first:
            module = (
                Module.objects.filter(pk=first)
                .prefetch_related(Prefetch("items", queryset=ModuleItem.objects.select_related("quiz", "scenario").order_by("position")))
                .first()
            )
        else:
            visible = published_modules().filter(pk__in=modules_for_learner(user)).filter(pk__in=holding)
            module = visible.order_by("position", "pk").first()
    if module is None:
        return None
    work = work_of(user)
    steps = [step_of(item, work) for item in module.items.all()]
    here = next(
        (i for i, s in enumerate(steps) if (s.item.quiz_id == quiz_id if quiz_id else s.item.scenario_id == scenario_id)),
        0,
    )
    after = steps[here + 1 :] + steps[:here]
    step = next((s for s in after if not s.done), None)
    return NextUp(module, sum(s.done for s in steps), len(steps), step)
