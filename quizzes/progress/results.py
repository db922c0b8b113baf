"""Results for teachers: each student's work on an assignment, the grades as CSV, and item
statistics (facility, discrimination, option counts, flags: quizzes.progress.statistics computes
them) for the questions the assignment's students answered, and per source.

Work counts towards an assignment when it was started for it; for an assignment without an attempt
limit, also practice on one of its quizzes or scenarios started after the assignment opened and after
the student joined the class (practice from before joining is not the teacher's to see). A quiz's
grade over several attempts follows its grading method (best, first, last or mean: the assignment's
setting over the quiz's); a scenario counts 100 % once finished, or its accuracy when the assignment
grades scenarios on accuracy.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from quizzes.classes.selectors import assignment_enrolments, quiz_rules
from quizzes.models import (
    Assignment,
    Attempt,
    ClassGroup,
    Enrolment,
    Extension,
    ItemStatistic,
    ModuleItem,
    QuestionResponse,
    QuestionType,
    QuestionVersion,
    Quiz,
    ScenarioRun,
)
from quizzes.permissions import joined_before_started
from quizzes.progress.selectors import ItemProgress, ModuleProgress
from quizzes.progress.statistics import (
    ResponsePicks,
    Tally,
    counts_picks,
    keys_of,
    picks_split,
    rest_of,
    source_statistics_of,
    tally_statistic,
)
from quizzes.progress.status import WorkStatus, attempt_work_status, run_work_status
from quizzes.zones import zone_label

NOT_STARTED, IN_PROGRESS, BEING_SCORED, DONE = WorkStatus.NOT_STARTED, WorkStatus.IN_PROGRESS, WorkStatus.BEING_SCORED, WorkStatus.DONE


def duration_label(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return pgettext("duration", "%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return pgettext("duration", "%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": secs}


@dataclass
class ItemResult:
    """One student's work on one module item: their best attempt (or run) so far."""

    status: str = NOT_STARTED
    percent: float | None = None
    seconds: int | None = None
    late: bool = False
    tries: int = 0
    # The attempt or scenario run the cell shows (for the link to the student's work); None before any.
    work_id: int | None = None

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def label(self) -> str:
        return str(WorkStatus(self.status).label)

    @property
    def time_label(self) -> str:
        return duration_label(self.seconds)


@dataclass
class StudentResult:
    student: object
    group: ClassGroup | None
    due: datetime
    extended: bool
    items: list[ItemResult] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(i.done for i in self.items)

    @property
    def status(self) -> str:
        if all(i.status == NOT_STARTED for i in self.items):
            return NOT_STARTED
        return DONE if self.done == len(self.items) else IN_PROGRESS

    @property
    def label(self) -> str:
        return str(WorkStatus(self.status).label)

    @property
    def grade(self) -> float | None:
        """Mean score over the module's items, an unfinished item counting 0; None before any is done."""
        if not self.done:
            return None
        return round(sum(i.percent or 0 for i in self.items if i.done) / len(self.items), 1)

    @property
    def seconds(self) -> int | None:
        times = [i.seconds for i in self.items if i.done and i.seconds is not None]
        return sum(times) if times else None

    @property
    def time_label(self) -> str:
        return duration_label(self.seconds)


@dataclass
class AssignmentResults:
    assignment: Assignment
    items: list[ModuleItem]
    students: list[StudentResult]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(s.status for s in self.students)
        return {"done": counts[DONE], "in_progress": counts[IN_PROGRESS], "not_started": counts[NOT_STARTED]}


def _work(assignment: Assignment) -> Q:
    """Work that counts: started for the assignment; and, when it does not limit attempts, practice
    after it opened and after the student joined (with a limit, practice would be unlimited retakes).
    `work_counts` is the same rule for one learner's rows already read (their progress, their to-do list)."""
    if assignment.attempts_allowed:
        return Q(assignment=assignment)
    practice = Q(joined_before_started([assignment.classroom_id]), assignment__isnull=True, started_at__gte=assignment.opens_at)
    return Q(assignment=assignment) | practice


class AttemptRow(NamedTuple):
    """The columns of an attempt that a results cell reads: narrow rows, not models (a class of 300
    has thousands of attempts, and building a model for each cost most of the page's time)."""

    pk: int
    user_id: int
    quiz_id: int
    number: int
    status: str
    percent: float | None
    # From start to submission (None before it), and whether it was submitted after the student's due
    # date: worked out in SQL, since turning two timestamps per row into datetimes cost more than the rest.
    taken: timedelta | None
    late: bool


class RunRow(NamedTuple):
    """The columns of a scenario run that a results cell reads (as AttemptRow)."""

    pk: int
    user_id: int
    scenario_id: int
    status: str
    accuracy: float | None
    started_at: datetime
    finished_at: datetime | None


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return round((end - start).total_seconds()) if end else None


def _taken(taken: timedelta | None) -> int | None:
    return None if taken is None else round(taken.total_seconds())


def _quiz_result(attempts: list[AttemptRow], grade_method: str = "best") -> ItemResult:
    """The item's result by the quiz's grade rule over scored attempts: best, first, last or mean."""
    rank = {Attempt.Status.SCORED: 2, Attempt.Status.SUBMITTED: 1, Attempt.Status.IN_PROGRESS: 0}
    scored = sorted((a for a in attempts if a.status == Attempt.Status.SCORED), key=lambda a: (a.number, a.pk))
    if scored and grade_method in ("first", "last", "mean"):
        chosen = scored[0] if grade_method == "first" else scored[-1]
        percent = round(sum(a.percent or 0 for a in scored) / len(scored), 2) if grade_method == "mean" else chosen.percent
        return ItemResult(DONE, percent, _taken(chosen.taken), chosen.late, len(attempts), chosen.pk)
    best = max(attempts, key=lambda a: (rank[a.status], a.percent or 0, -a.number))
    status = attempt_work_status(best.status)
    return ItemResult(status, best.percent, _taken(best.taken), best.late, len(attempts), best.pk)


def _run_result(runs: list[RunRow], due: datetime, grading: str = Assignment.ScenarioGrading.COMPLETION) -> ItemResult:
    """A scenario's result: on completion (the default), a finished run is 100 %; on accuracy, the
    best finished run's share of predictions that came true. The cell links the best run either way."""
    best = max(runs, key=lambda r: (r.status == ScenarioRun.Status.FINISHED, r.accuracy or 0))
    if best.status != ScenarioRun.Status.FINISHED:
        return ItemResult(IN_PROGRESS, tries=len(runs), work_id=best.pk)
    late = best.finished_at > due
    percent = round(100 * (best.accuracy or 0), 2) if grading == Assignment.ScenarioGrading.ACCURACY else 100.0
    return ItemResult(run_work_status(best.status), percent, _seconds(best.started_at, best.finished_at), late, len(runs), best.pk)


_NOT_SHOWN = ("joined_at", "updated_at", "student__password", "student__last_login", "student__date_joined")


def results_enrolments(assignment: Assignment) -> QuerySet[Enrolment]:
    """The students an assignment's results list, in their order (last name, first name, username:
    unique, so pages never overlap), without the columns no results cell reads."""
    # Not the timestamps and password hashes of 300 enrolments and accounts: nothing here shows them.
    return assignment_enrolments(assignment).defer(*_NOT_SHOWN)


def assignment_results(assignment: Assignment, *, enrolments: Iterable[Enrolment] | None = None) -> AssignmentResults:
    """Each student's status, score and time on each item of the assigned module (a fixed number of
    queries), for every student it is set for or only for `enrolments` (a page of results_enrolments:
    then only their attempts, runs and extensions are read)."""
    items = list(assignment.module.items.select_related("quiz", "scenario").order_by("position"))
    enrolments = list(results_enrolments(assignment) if enrolments is None else enrolments)
    student_ids = [e.student_id for e in enrolments]
    extensions = dict(assignment.extensions.filter(student_id__in=student_ids).values_list("student_id", "due_at"))
    attempts: dict[tuple[int, int], list[AttemptRow]] = defaultdict(list)
    quiz_ids = [i.quiz_id for i in items if i.quiz_id]
    if quiz_ids:
        # The student's due date: their extension's, or the assignment's.
        student_due = Coalesce(
            Subquery(Extension.objects.filter(assignment_id=assignment.pk, student_id=OuterRef("user_id")).values("due_at")[:1]),
            Value(assignment.due_at),
        )
        found = Attempt.objects.filter(_work(assignment), user_id__in=student_ids, quiz_id__in=quiz_ids).annotate(
            taken=ExpressionWrapper(F("submitted_at") - F("started_at"), output_field=DurationField()),
            late=Case(When(submitted_at__gt=student_due, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        for a in map(AttemptRow._make, found.values_list(*AttemptRow._fields)):
            attempts[a.user_id, a.quiz_id].append(a)
    runs: dict[tuple[int, int], list[RunRow]] = defaultdict(list)
    scenario_ids = [i.scenario_id for i in items if i.scenario_id]
    if scenario_ids:
        found_runs = ScenarioRun.objects.filter(_work(assignment), user_id__in=student_ids, scenario_id__in=scenario_ids)
        for r in map(RunRow._make, found_runs.values_list(*RunRow._fields)):
            runs[r.user_id, r.scenario_id].append(r)
    # Each quiz's grading method for this assignment: its own setting over the quiz's (quiz_rules).
    grade_methods = {i.quiz_id: quiz_rules(i.quiz, assignment).grade_method for i in items if i.quiz_id}
    students = []
    for e in enrolments:
        due = extensions.get(e.student_id, assignment.due_at)
        row = StudentResult(e.student, e.group, due, e.student_id in extensions)
        for item in items:
            if item.quiz_id:
                mine = attempts.get((e.student_id, item.quiz_id))
                row.items.append(_quiz_result(mine, grade_methods[item.quiz_id]) if mine else ItemResult())
            else:
                mine_runs = runs.get((e.student_id, item.scenario_id))
                row.items.append(_run_result(mine_runs, due, assignment.scenario_grading) if mine_runs else ItemResult())
        students.append(row)
    return AssignmentResults(assignment, items, students)


def item_title(item: ModuleItem) -> str:
    """A module item's column title, saying which kind it is: a quiz and a scenario may share a name."""
    return f"Quiz: {item.quiz}" if item.quiz_id else f"Scenario: {item.scenario}"


def _cell(value) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula; names come from students."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def grades_csv(results: AssignmentResults, *, zone: tzinfo | None = None) -> str:
    """The grades as CSV: one row per student, status and score per item, then the module grade.
    Due times are local to `zone` (default: the active one, the viewer's), which the header names."""
    zone = zone or timezone.get_current_timezone()
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["username", "first_name", "last_name", "group", f"due ({zone_label(str(zone))})"]
    for n, item in enumerate(results.items, start=1):
        header += [f"{n}. {item_title(item)}: status", f"{n}. {item_title(item)}: score %", f"{n}. {item_title(item)}: minutes"]
    writer.writerow([_cell(h) for h in header + ["items done", "grade %", "minutes"]])
    for s in results.students:
        row = [
            s.student.username,
            s.student.first_name,
            s.student.last_name,
            s.group.name if s.group else "",
            f"{s.due.astimezone(zone):%Y-%m-%d %H:%M}",
        ]
        for i in s.items:
            row += [
                i.status + (" (late)" if i.late else ""),  # the vocabulary's English, as the header
                "" if i.percent is None else f"{i.percent:g}",
                "" if i.seconds is None else f"{i.seconds / 60:.1f}",
            ]
        row += [f"{s.done}/{len(s.items)}", "" if s.grade is None else f"{s.grade:g}", "" if s.seconds is None else f"{s.seconds / 60:.1f}"]
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# --- item statistics ------------------------------------------------------------------------------


@dataclass
class OptionCount:
    id: str
    text: str
    count: int
    key: bool


@dataclass
class ItemStats:
    """One question's statistics as the admin shows them."""

    question_id: int
    stem: str
    qtype: str
    responses: int
    facility: float | None
    discrimination: float | None
    options: list[OptionCount] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return QuestionType(self.qtype).label if self.qtype in QuestionType.values else self.qtype

    @property
    def plain_flags(self) -> list[tuple[str, str]]:
        """Each flag in plain words, with the statistical term it stands for: [(words, term)]."""
        return [(_flag_words(f), _flag_term(f)) for f in self.flags]

    @property
    def top_wrong(self) -> OptionCount | None:
        """The wrong option chosen most often (for a choice question), if anyone chose one."""
        wrong = [o for o in self.options if not o.key and o.count]
        return max(wrong, key=lambda o: o.count) if wrong else None


def _distractor(flag: str) -> str | None:
    """The option id of a "distractor X never chosen" flag, else None."""
    if flag.startswith("distractor ") and flag.endswith(" never chosen"):
        return flag.removeprefix("distractor ").removesuffix(" never chosen")
    return None


def _flag_words(flag: str) -> str:
    """A flag (stored and sent by the API as its English code) in plain words, in the active language."""
    if flag == "negative discrimination":
        return gettext("weaker students do better on it than stronger ones: check the key and the wording")
    if flag == "strong students miss the key":
        return gettext("most of the strongest students get it wrong: the key may be wrong or ambiguous")
    if (option := _distractor(flag)) is not None:
        return gettext("nobody chose wrong option %(option)s") % {"option": option}
    return flag


def _flag_term(flag: str) -> str:
    """The statistical term a flag stands for, in the active language."""
    if flag == "negative discrimination":
        return gettext("negative discrimination")
    if flag == "strong students miss the key":
        return gettext("strong students miss the key")
    if (option := _distractor(flag)) is not None:
        return gettext("distractor %(option)s never chosen") % {"option": option}
    return flag


# A question goes on the "re-teach" list when at most half got it right, over at least this many answers.
RETEACH_MIN_RESPONSES, RETEACH_AT_MOST = 3, 0.5


def reteach_list(sections: list[dict]) -> list[tuple[object, ItemStats]]:
    """The questions to go over again in class, hardest first: [(quiz, ItemStats)] of every question
    at most half the students got right (with at least RETEACH_MIN_RESPONSES answers)."""
    rows = [
        (section["quiz"], s)
        for section in sections
        for s in section["stats"]
        if s.responses >= RETEACH_MIN_RESPONSES and s.facility is not None and s.facility <= RETEACH_AT_MOST
    ]
    return sorted(rows, key=lambda row: row[1].facility or 0.0)


def _options(qtype: str, options: list[dict], answer: dict, counts: dict[str, int]) -> list[OptionCount]:
    if not counts_picks(qtype):
        return []
    keys = keys_of(qtype, answer)
    return [OptionCount(o["id"], o["text"], counts.get(o["id"], 0), o["id"] in keys) for o in options]


def _first_scored_attempts(assignment: Assignment) -> QuerySet:
    """The ids of each student's first scored attempt at each quiz of the assignment, as a subquery:
    the first is picked in SQL (ROW_NUMBER over the student's and quiz's attempts by number), so the
    answers are read by a join on it, never by a list of ids sent back (a class of 300 at a four-quiz
    module sent 1,200 ids and read every answer of the district to match them: issue 25)."""
    quiz_ids = assignment.module.items.filter(quiz__isnull=False).values("quiz_id")
    scored = Attempt.objects.filter(
        _work(assignment),
        status=Attempt.Status.SCORED,
        quiz_id__in=quiz_ids,
        user_id__in=assignment_enrolments(assignment).values("student_id"),
    )
    first = Window(RowNumber(), partition_by=[F("user_id"), F("quiz_id")], order_by=[F("number").asc(), F("id").asc()])
    return scored.annotate(rank=first).filter(rank=1).values("pk")


@dataclass
class _Question:
    """The answers to one question of one quiz, summed (statistics.Tally), and the versions shown."""

    position: int
    tally: Tally = field(default_factory=Tally)
    versions: set[int] = field(default_factory=set)
    latest: tuple[int, int] = (0, 0)  # (attempt id, version id) of the latest attempt


def _question_stats(question_id: int, q: _Question, contents: dict[int, dict]) -> ItemStats:
    snap = contents[q.latest[1]]  # the latest version shown
    choice = counts_picks(snap["qtype"])
    shown = [contents[v] for v in sorted(q.versions)]
    data = tally_statistic(
        qtype=snap["qtype"],
        tally=q.tally,
        option_ids={o["id"] for c in shown for o in c["options"]} if choice else (),
        keys=set().union(*(keys_of(c["qtype"], c["answer"]) for c in shown)) if choice else set(),
    )
    return ItemStats(
        question_id,
        snap["stem"],
        snap["qtype"],
        data["responses"],
        data["facility"],
        data["discrimination"],
        _options(snap["qtype"], snap["options"], snap["answer"], data["option_counts"]),
        data["flags"],
    )


def assignment_item_statistics(assignment: Assignment) -> tuple[list[dict], list]:
    """Item statistics per quiz of the assignment over its students' first scored attempts (Moodle's
    "first attempt" view: later attempts have seen the feedback), and statistics per cited source.

    Returns ([{"quiz", "attempts", "stats": [ItemStats]}], [SourceStatistic] weakest first)."""
    first = _first_scored_attempts(assignment)
    attempts = dict(Attempt.objects.filter(pk__in=first).order_by().values("quiz_id").annotate(n=Count("pk")).values_list("quiz_id", "n"))
    # Answers grouped in SQL (no version content, no answer's JSON in Python): one row per question,
    # version, points, picks and attempt score with its count, so a class of 300 is a few thousand rows.
    # The content of each distinct version is read once.
    answers = list(
        QuestionResponse.objects.filter(attempt_id__in=first)
        .order_by()
        .annotate(picks=ResponsePicks("response"))
        .values("attempt__quiz_id", "question_id", "version_id", "points", "picks", "attempt__points", "attempt__max_points")
        .annotate(n=Count("id"), first_position=Min("position"), latest=Max("attempt_id"))
        .values_list(
            "attempt__quiz_id",
            "question_id",
            "version_id",
            "latest",
            "first_position",
            "points",
            "picks",
            "attempt__points",
            "attempt__max_points",
            "n",
        )
    )
    grouped: dict[int, dict[int, _Question]] = defaultdict(dict)
    contents = {
        pk: {"qtype": qtype, "stem": stem, "options": options or [], "answer": answer or {}, "evidence": evidence or []}
        for pk, qtype, stem, options, answer, evidence in QuestionVersion.objects.filter(pk__in={a[2] for a in answers}).values_list(
            "pk", "content__qtype", "content__stem", "content__options", "content__answer", "content__evidence"
        )
    }
    per_version: dict[int, list] = {}
    qtypes = {pk: c["qtype"] for pk, c in contents.items()}
    for quiz_id, question_id, version_id, attempt_id, position, points, picks, attempt_points, attempt_max, n in answers:
        q = grouped[quiz_id].get(question_id)
        if q is None:
            q = grouped[quiz_id][question_id] = _Question(position)
        points = points or 0.0
        q.tally.add(points, rest_of(points, attempt_points or 0.0, attempt_max), picks_split(qtypes[version_id], picks), n)
        q.position = min(q.position, position)
        q.versions.add(version_id)
        q.latest = max(q.latest, (attempt_id, version_id))
        tally = per_version.setdefault(version_id, [version_id, question_id, 0, 0.0])
        tally[2] += n
        tally[3] += points * n
    sections = []
    for item in assignment.module.items.select_related("quiz").order_by("position"):
        if item.quiz_id:
            questions = sorted(grouped[item.quiz_id].items(), key=lambda kv: kv[1].position)
            sections.append(
                {
                    "quiz": item.quiz,
                    "attempts": attempts.get(item.quiz_id, 0),
                    "stats": [_question_stats(qid, q, contents) for qid, q in questions],
                }
            )
    sources = source_statistics_of([tuple(v) for v in per_version.values()], {pk: c["evidence"] for pk, c in contents.items()})
    return sections, sorted(sources, key=lambda src: (src.facility, src.source))


def quiz_item_statistics(quiz: Quiz) -> tuple[list[ItemStats], datetime | None]:
    """The stored statistics (ItemStatistic, over all learners) of a quiz's questions, in quiz order, and when computed."""
    stats, computed = [], None
    for item in quiz.items.select_related("question__statistic").order_by("position"):
        q = item.question
        stat: ItemStatistic | None = getattr(q, "statistic", None)
        if stat is None:
            continue
        stats.append(
            ItemStats(
                q.pk,
                q.stem,
                q.qtype,
                stat.responses,
                stat.facility,
                stat.discrimination,
                _options(q.qtype, q.options, q.answer, stat.option_counts),
                list(stat.flags),
            )
        )
        computed = max(computed, stat.computed_at) if computed else stat.computed_at
    return stats, computed


def enrolments_joined(user) -> dict[int, datetime]:
    """When the learner joined each of their classes (class id -> joined_at): what `work_counts` needs."""
    return dict(Enrolment.objects.filter(student=user).values_list("classroom_id", "joined_at"))


def work_counts(assignment: Assignment, *, assignment_id: int | None, started_at: datetime, joined: dict[int, datetime]) -> bool:
    """Whether one attempt or run of the learner counts for `assignment`: the rule of `_work` (which the
    teacher's results query with), for rows already read. The API's progress (assignment_progress) and
    the web to-do list (quizzes.progress.todo) both count by it, so neither says done where the teacher's
    results say not started."""
    if assignment_id == assignment.pk:
        return True
    since = joined.get(assignment.classroom_id)
    practice = assignment_id is None and since is not None and started_at >= max(since, assignment.opens_at)
    return not assignment.attempts_allowed and practice


def assignment_progress(user, assignments: list[Assignment]) -> dict[int, ModuleProgress]:
    """The learner's progress through each assignment's module, counting only the work the teacher's
    results count for that assignment (`work_counts`: started for it, or practice in its window when it
    does not limit attempts), so both say the same. Three queries for any number of assignments."""
    quiz_ids = {i.quiz_id for a in assignments for i in a.module.items.all() if i.quiz_id}
    scenario_ids = {i.scenario_id for a in assignments for i in a.module.items.all() if i.scenario_id}
    joined = enrolments_joined(user)
    attempts = list(
        Attempt.objects.filter(user=user, quiz_id__in=quiz_ids)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .values_list("quiz_id", "assignment_id", "started_at", "percent")
    )
    runs = list(
        ScenarioRun.objects.filter(user=user, scenario_id__in=scenario_ids, status=ScenarioRun.Status.FINISHED).values_list(
            "scenario_id", "assignment_id", "started_at"
        )
    )

    def counts(assignment: Assignment, assignment_id: int | None, started_at: datetime) -> bool:
        return work_counts(assignment, assignment_id=assignment_id, started_at=started_at, joined=joined)

    result = {}
    for assignment in assignments:
        progress = ModuleProgress(assignment.module)
        for item in assignment.module.items.all():
            if item.quiz_id:
                mine = [p for q, a, s, p in attempts if q == item.quiz_id and counts(assignment, a, s)]
                best = max((p or 0 for p in mine), default=None) if any(p is not None for p in mine) else None
                progress.items.append(ItemProgress(item, bool(mine), best))
            else:
                done = any(sc == item.scenario_id and counts(assignment, a, s) for sc, a, s in runs)
                progress.items.append(ItemProgress(item, done))
        result[assignment.pk] = progress
    return result
