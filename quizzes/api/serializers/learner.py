"""Learner serializers: my assignments, attempts, scenario runs, progress and review.

A learner never sees an answer key, an option explanation or an explanation before the item is
revealed (quizzes.progress.selectors.response_revealed): answered with immediate feedback, or the
attempt closed and the quiz's review option allowing it (AttemptQuestionSerializer)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes.api.serializers.base import (
    ASSIGNMENT_SETTINGS,
    MAX_ID,
    SLUG,
    AssignmentSettings,
    CollectionChoice,
    InCollectionRef,
    StrictJSON,
)
from quizzes.api.serializers.content import (
    EvidenceSerializer,
    ModuleItemSerializer,
    SnapshotEvidenceSerializer,
    collection_field,
)
from quizzes.bank.versions import versions_content
from quizzes.classes.selectors import (
    AssignmentRefused,
    assignment_due,
    assignment_for_work,
    assignments_for_student,
    quiz_rules,
    quizzes_for_learner,
)
from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Collection,
    Module,
    Prediction,
    Question,
    QuestionResponse,
    QuestionType,
    QuestionVersion,
    Quiz,
    ReviewCard,
    Scenario,
    ScenarioRun,
    ScenarioStep,
)
from quizzes.progress.selectors import plain_columns, plain_cursor, plain_instance, response_revealed

# --- learners: assignments --------------------------------------------------------------------------


class ItemProgressSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["quiz", "scenario"])
    # Sent all along (the module item's own fields) but missing from the schema: tests/api/test_contract_walk.py
    collection = serializers.CharField(allow_null=True, help_text="The quiz's or scenario's collection (slug); null for one outside any.")
    slug = serializers.CharField()
    title = serializers.CharField()
    done = serializers.BooleanField()
    best_percent = serializers.FloatField(allow_null=True, help_text="Best score over finished attempts (quizzes only).")

    def to_representation(self, progress):
        item = ModuleItemSerializer().to_representation(progress.item)
        return {**item, "done": progress.done, "best_percent": progress.best_percent}


class ModuleProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    items = ItemProgressSerializer(many=True)


class ModuleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["slug", "title"]


class ClassroomRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Classroom
        fields = ["id", "name"]


class MyAssignmentSerializer(AssignmentSettings, serializers.ModelSerializer):
    """An assignment as its student sees it: due date with any extension, and progress through the module."""

    classroom = ClassroomRefSerializer(read_only=True)
    group = serializers.CharField(source="group.name", read_only=True, allow_null=True, default=None)
    module = ModuleRefSerializer(read_only=True)
    due_at = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "classroom", "group", "module", "opens_at", "due_at", "progress", "attempts_allowed", *ASSIGNMENT_SETTINGS]
        read_only_fields = ["attempts_allowed"]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_due_at(self, assignment):
        return serializers.DateTimeField().to_representation(assignment_due(assignment))

    @extend_schema_field(ModuleProgressSerializer)
    def get_progress(self, assignment):
        return ModuleProgressSerializer(self.context["progress"][assignment.pk]).data


# --- learners: attempts ---------------------------------------------------------------------------


class QuizRefSerializer(serializers.ModelSerializer):
    collection = collection_field(allow_null=True)

    class Meta:
        model = Quiz
        fields = ["collection", "slug", "title", "feedback", "time_limit_seconds", "pass_mark"]


class QuizRulesSerializer(serializers.Serializer):
    """How the quiz runs for this work: its assignment's settings over the quiz's own (quiz_rules)."""

    attempts = serializers.IntegerField(help_text="Attempts allowed; 0: unlimited.")
    attempts_per_assignment = serializers.BooleanField(help_text="The limit counts only attempts started for the assignment.")
    feedback = serializers.ChoiceField(choices=Quiz.Feedback.choices, help_text="Feedback after each question, or at the end.")
    review = serializers.ChoiceField(choices=Quiz.Review.choices, help_text="When a closed attempt's right answers are shown.")
    grade_method = serializers.ChoiceField(choices=Quiz.Grade.choices, help_text="Which scored attempts make the grade.")
    shuffled = serializers.BooleanField(help_text="Each attempt shows the questions in its own order.")
    time_limit_seconds = serializers.IntegerField(allow_null=True, help_text="Per attempt; null: no limit.")


class AttemptSerializer(serializers.ModelSerializer):
    quiz = QuizRefSerializer(read_only=True)
    answered = serializers.IntegerField(read_only=True, help_text="Questions answered so far.")
    rules = serializers.SerializerMethodField(help_text="How the quiz runs for this attempt: its assignment's settings over the quiz's.")

    @extend_schema_field(QuizRulesSerializer)
    def get_rules(self, attempt):
        return _RULES.to_representation(quiz_rules(attempt.quiz, attempt.assignment))

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "assignment",
            "number",
            "status",
            "started_at",
            "deadline_at",
            "submitted_at",
            "auto_submitted",
            "scored_at",
            "points",
            "max_points",
            "percent",
            "passed",
            "updated_at",
            "answered",
            "rules",
        ]
        read_only_fields = fields


# Renderers whose fields are built once per process: a serializer's to_representation keeps no state
# of its own (each call reads only its argument and the active time zone), while building a
# ModelSerializer's fields for each reply cost more CPU than the start's queries (issue 19).
_RULES = QuizRulesSerializer()
_ATTEMPT = AttemptSerializer()


def attempt_reply(attempt) -> dict:
    """AttemptSerializer's rendering of `attempt` (with its `answered` count), by a serializer built
    once: what a start, a resume and a submit reply (tests/api/test_start_reply.py holds them equal)."""
    return _ATTEMPT.to_representation(attempt)


def _assignment_check(data: dict, **item) -> None:
    """A named assignment must fit the one rule for work (quizzes.classes.selectors.assignment_for_work)."""
    if data.get("assignment") is None:
        return
    try:
        assignment_for_work(user=None, assignment=data["assignment"], **item)
    except AssignmentRefused as exc:
        raise serializers.ValidationError({"assignment": str(exc)}) from None


class MyAssignmentField(serializers.PrimaryKeyRelatedField):
    """One of the signed-in learner's own assignments, by id. Their assignments are read only when
    the request names one (a start without an assignment builds no query for them)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Assignment.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            return assignments_for_student(request.user)
        return Assignment.objects.none()


class LearnerQuizRef(InCollectionRef):
    """A quiz the signed-in learner may take (quizzes_for_learner), by slug. The slug's quizzes are read
    plainly; only those not shared with everyone are checked against the learner's classes, in one
    more query (a start of a shared quiz builds no visibility query)."""

    scan = 50

    def get_queryset(self):
        return Quiz.objects.all()

    def visible(self, rows: list) -> list:
        request = self.context.get("request")
        return _learner_visible(rows, request.user if request is not None else None)


def _learner_visible(rows: list, user) -> list:
    """The quizzes of `rows` `user` may take: shared ones, and the others only if quizzes_for_learner has them."""
    others = [q.pk for q in rows if not (q.published and not q.private)]
    allowed = set(quizzes_for_learner(user).filter(pk__in=others).values_list("pk", flat=True)) if others and user else set()
    return [q for q in rows if (q.published and not q.private) or q.pk in allowed]


def start_quiz_plain(data, user) -> Quiz | None:
    """The usual start body, {"quiz": slug} alone, read as AttemptStartSerializer reads it but without
    building the serializer: the one quiz of that slug the learner may take. None for any other body,
    and for a slug that names no quiz or several: the serializer then decides, with its messages."""
    if type(data) is not dict or data.keys() != {"quiz"} or type(data["quiz"]) is not str or not SLUG.fullmatch(data["quiz"]):
        return None
    rows = _learner_visible(_quizzes_by_slug(data["quiz"]), user)
    return rows[0] if len(rows) == 1 else None


def _quizzes_by_slug(slug: str) -> list[Quiz]:
    """`Quiz.objects.filter(slug=slug).select_related("collection").order_by("collection__slug")[:scan]`
    by one plain query (on a start, building that query cost more than running it): the quizzes with
    their collections (tests/api/test_start_reply.py holds the picks equal to the serializer's)."""
    q, c = Quiz._meta.db_table, Collection._meta.db_table
    # Table and column names from the models' meta; the values are parameters.
    sql = (
        f"SELECT {plain_columns(Quiz, 'q')}, {plain_columns(Collection, 'c')} FROM {q} q"  # noqa: S608
        f" LEFT JOIN {c} c ON c.id = q.collection_id WHERE q.slug = %s ORDER BY c.slug ASC LIMIT %s"
    )
    with plain_cursor() as cursor:
        cursor.execute(sql, [slug, LearnerQuizRef.scan])
        found = cursor.fetchall()
    width, quizzes = len(Quiz._meta.concrete_fields), []
    for values in found:
        quiz = cast(Quiz, plain_instance(Quiz, values[:width]))
        quiz.collection = None if values[width] is None else cast(Collection, plain_instance(Collection, values[width:]))
        quizzes.append(quiz)
    return quizzes


class AttemptStartSerializer(StrictJSON, serializers.Serializer):
    quiz = LearnerQuizRef(
        queryset=Quiz.objects.filter(published=True, private=False),
        help_text="Slug of a quiz I may take: published, private to one of my classes, or in an opened assignment of mine.",
    )
    collection = CollectionChoice(
        help_text='The quiz\'s collection (slug, or "none" for a quiz outside any): needed only where several have this slug.'
    )
    assignment = MyAssignmentField(required=False, allow_null=True, help_text="One of my assignments that includes this quiz.")

    def validate(self, data):
        _assignment_check(data, quiz=data["quiz"])
        return data


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    side = serializers.ChoiceField(choices=["", "prompt", "choice"], help_text='Matching only: "prompt" or "choice"; otherwise "".')


class RevealedOptionSerializer(OptionSerializer):
    explanation = serializers.CharField(allow_blank=True)
    evidence = serializers.ListField(child=serializers.IntegerField(), help_text="Passage ids.")


class FeedbackSerializer(serializers.Serializer):
    correct = serializers.BooleanField(allow_null=True, help_text="Null until scored (an unanswered item of a submitted attempt).")
    points = serializers.FloatField(allow_null=True)
    answer = serializers.DictField(help_text="The answer key, in the response shape of the question type.")
    explanation = serializers.CharField()
    options = RevealedOptionSerializer(many=True)
    evidence = SnapshotEvidenceSerializer(many=True)


def _option(o: dict, revealed: bool) -> dict:
    shown = {"id": o["id"], "text": o["text"], "side": o.get("side", "")}
    if revealed:
        shown |= {"explanation": o.get("explanation", ""), "evidence": o.get("evidence", [])}
    return shown


class AttemptQuestionSerializer(serializers.Serializer):
    """One question of an attempt, as shown; `feedback` (key, explanations, evidence) only once revealed."""

    position = serializers.IntegerField()
    qtype = serializers.ChoiceField(choices=QuestionType.choices)
    stem = serializers.CharField()
    options = OptionSerializer(many=True)
    answered = serializers.BooleanField()
    answered_at = serializers.DateTimeField(allow_null=True)
    response = serializers.DictField(allow_null=True, help_text="What the learner answered (normalised), or null.")
    revealed = serializers.BooleanField()
    feedback = FeedbackSerializer(allow_null=True)

    def to_representation(self, row):
        attempt = self.context.get("attempt") or row.attempt
        snap = row.snapshot
        # "revealed" in the context: decided once for every row (a closed attempt's results), not per row.
        revealed = self.context.get("revealed")
        if revealed is None:
            revealed = self.context.get("reveal_all", False) or response_revealed(row, attempt)
        data = {
            "position": row.position,
            "qtype": snap["qtype"],
            "stem": snap["stem"],
            "options": [_option(o, False) for o in snap["options"]],
            "answered": row.answered_at is not None,
            "answered_at": row.answered_at,
            "response": row.response,
            "revealed": revealed,
            "feedback": None,
        }
        if revealed:
            data["feedback"] = {
                "correct": row.correct,
                "points": row.points,
                "answer": snap["answer"],
                "explanation": snap["explanation"],
                "options": [_option(o, True) for o in snap["options"]],
                "evidence": snap.get("evidence", []),
            }
        return super().to_representation(data)


_SHOWN: dict[str, tuple[dict, dict]] = {}  # version content hash -> (the question as shown, the feedback's fixed part)
_ANSWERED_AT = serializers.DateTimeField()


def _shown(row) -> tuple[dict, dict]:
    """What AttemptQuestionSerializer renders of a version (everything but the learner's answer and
    score), rendered once per version by that serializer and kept: a version never changes."""
    version = row.version
    found = _SHOWN.get(version.content_hash)
    if found is None:
        blank = QuestionResponse(position=0, version=version)
        full = AttemptQuestionSerializer(blank, context={"reveal_all": True, "attempt": True}).data
        feedback = {k: v for k, v in full["feedback"].items() if k not in ("correct", "points")}
        found = ({k: full[k] for k in ("qtype", "stem", "options")}, feedback)
        if len(_SHOWN) >= 4096:
            _SHOWN.clear()
        _SHOWN[version.content_hash] = found
    return found


_UNANSWERED: dict[str, dict] = {}  # version content hash -> an unanswered row's reply after its position


def unanswered_replies(shown: list[tuple[int, int, str | None]]) -> list[dict] | None:
    """answer_reply's rendering of a new attempt's rows (`shown`: attempt_begin's (question id,
    version id, content hash) per position, just written): nothing answered or revealed, so a row's
    reply is its position and its version's fragment, rendered once per version and kept (a version
    never changes); no row or version instance per question (tests/api/test_start_reply.py holds it
    equal to AttemptQuestionSerializer over the stored rows). None when a hash is not known (a version
    built during the start): the caller reads the rows instead."""
    known = [(q, v, h) for q, v, h in shown if h is not None]
    if not known or len(known) != len(shown):
        return None
    missing = {h: (q, v) for q, v, h in known if h not in _UNANSWERED}
    if missing:
        if len(_UNANSWERED) + len(missing) > 4096:
            _UNANSWERED.clear()  # before adding: every fragment of this attempt stays until its reply is built
        content = versions_content((v, h) for h, (_, v) in missing.items())
        for h, (q, v) in missing.items():
            version = QuestionVersion(id=v, question_id=q, content_hash=h, content=content[v])
            reply = answer_reply(QuestionResponse(position=0, version=version), revealed=False)
            del reply["position"]
            _UNANSWERED[h] = reply
    return [{"position": position, **_UNANSWERED[h]} for position, (_, _, h) in enumerate(known, start=1)]


def answer_reply(row, *, revealed: bool) -> dict:
    """AttemptQuestionSerializer's rendering of a row (`revealed` as response_revealed says), without
    the serializer machinery per request: the answer's reply and the questions endpoint
    (tests/api/test_answer_reply.py holds them equal to the serializer)."""
    shown, feedback = _shown(row)
    reply = {
        "position": row.position,
        **shown,
        "answered": row.answered_at is not None,
        "answered_at": None if row.answered_at is None else _ANSWERED_AT.to_representation(row.answered_at),
        "response": None if row.response is None else {str(k): v for k, v in row.response.items()},
        "revealed": revealed,
        "feedback": None,
    }
    if revealed:
        points = None if row.points is None else float(row.points)
        reply["feedback"] = {"correct": row.correct, "points": points, **feedback}
    return reply


class AnswerSerializer(StrictJSON, serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=32767, help_text="The question's position in the attempt (from 1).")
    response = serializers.DictField(
        help_text='By question type: {"choice": "b"} (single, true_false, date, attribution, sources_disagree, cause_effect); '
        '{"choices": ["a", "c"]} (multi); {"value": 33} (numeric); {"order": ["e3", "e1", "e2"]} (ordering); '
        '{"pairs": {"p1": "c2"}} (matching).'
    )
    client_key = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text="Chosen by the client, unique per answer (a UUID, or attempt id + sequence number). "
        "A retry with the same key returns the stored answer and counts once.",
    )


class AttemptStartedSerializer(AttemptSerializer):
    """A start's (or resume's) reply: the attempt, and its questions as `GET attempts/{id}/questions/` gives them."""

    questions = AttemptQuestionSerializer(
        many=True,
        read_only=True,
        help_text="The attempt's questions in order, as GET attempts/{id}/questions/ returns them "
        "(so a client need not ask for them after a start).",
    )

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "questions"]
        read_only_fields = fields


class AttemptResultsSerializer(serializers.Serializer):
    attempt = AttemptSerializer()
    questions = AttemptQuestionSerializer(many=True)


# --- learners: scenario runs ------------------------------------------------------------------------


class ScenarioRefSerializer(serializers.ModelSerializer):
    collection = collection_field()

    class Meta:
        model = Scenario
        fields = ["collection", "slug", "title"]


class ScenarioRunSerializer(serializers.ModelSerializer):
    scenario = ScenarioRefSerializer(read_only=True)

    class Meta:
        model = ScenarioRun
        fields = [
            "id",
            "scenario",
            "assignment",
            "status",
            "started_at",
            "finished_at",
            "answered",
            "correct",
            "accuracy",
            "brier",
            "updated_at",
        ]
        read_only_fields = fields


class ScenarioRunStartSerializer(StrictJSON, serializers.Serializer):
    scenario = InCollectionRef(queryset=Scenario.objects.filter(published=True), help_text="Slug of a published scenario.")
    collection = CollectionChoice(
        help_text="The scenario's collection (slug): needed only where several collections have a scenario with this slug."
    )
    assignment = MyAssignmentField(required=False, allow_null=True, help_text="One of my assignments that includes this scenario.")

    def validate(self, data):
        _assignment_check(data, scenario=data["scenario"])
        return data


class StepOptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class StepSerializer(serializers.ModelSerializer):
    """A step before the prediction: what was known by its date, and the options; no answer, no reveal."""

    briefing_evidence = EvidenceSerializer(many=True, read_only=True)
    options = serializers.SerializerMethodField()
    follow_up = serializers.SerializerMethodField(help_text="A follow-up to a choice made at an earlier step.")

    class Meta:
        model = ScenarioStep
        fields = ["id", "position", "date", "date_label", "briefing", "briefing_evidence", "prompt", "options", "follow_up"]

    @extend_schema_field(StepOptionSerializer(many=True))
    def get_options(self, step):
        return [{"id": o["id"], "text": o["text"]} for o in step.options]

    def get_follow_up(self, step) -> bool:
        return step.branch_of_id is not None


class RevealedStepOptionSerializer(StepOptionSerializer):
    explanation = serializers.CharField(allow_blank=True)


class PredictionSerializer(serializers.Serializer):
    """A prediction with the reveal: what did happen next, with its evidence."""

    step = serializers.IntegerField()
    date_label = serializers.CharField()
    prompt = serializers.CharField()
    choice = serializers.CharField()
    confidence = serializers.IntegerField()
    correct = serializers.BooleanField()
    brier = serializers.FloatField(help_text="(confidence - outcome)^2: 0 is perfect, 0.25 a coin flip said at 50 %.")
    correct_option = serializers.CharField()
    options = RevealedStepOptionSerializer(many=True)
    reveal = serializers.CharField()
    reveal_evidence = SnapshotEvidenceSerializer(many=True)
    reflection = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField()

    def to_representation(self, p: Prediction):
        snap = p.snapshot
        return super().to_representation(
            {
                "step": p.step_id,
                "date_label": snap["date_label"],
                "prompt": snap["prompt"],
                "choice": p.choice,
                "confidence": p.confidence,
                "correct": p.correct,
                "brier": p.brier,
                "correct_option": snap["correct"],
                "options": [{"id": o["id"], "text": o["text"], "explanation": o.get("explanation", "")} for o in snap["options"]],
                "reveal": snap["reveal"],
                "reveal_evidence": snap["reveal_evidence"],
                "reflection": snap["reflection"],
                "answered_at": p.answered_at,
            }
        )


class ScenarioRunDetailSerializer(ScenarioRunSerializer):
    current_step = serializers.SerializerMethodField(help_text="The step to predict next; null when the run has finished.")
    predictions = PredictionSerializer(many=True, read_only=True)

    class Meta(ScenarioRunSerializer.Meta):
        fields = [*ScenarioRunSerializer.Meta.fields, "current_step", "predictions"]
        read_only_fields = fields

    @extend_schema_field(StepSerializer(allow_null=True))
    def get_current_step(self, run):
        step = self.context.get("current_step")
        return StepSerializer(step).data if step is not None else None


class PredictSerializer(StrictJSON, serializers.Serializer):
    step = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The id of the run's current step.")
    choice = serializers.CharField(max_length=10, help_text="The id of the chosen option.")
    confidence = serializers.IntegerField(min_value=50, max_value=100, help_text="How sure, in percent (50 to 100).")
    client_key = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True, help_text="A retry with the same key returns the stored prediction."
    )


class PredictResultSerializer(serializers.Serializer):
    prediction = PredictionSerializer()
    run = ScenarioRunSerializer()
    next_step = StepSerializer(allow_null=True)


# --- learners: progress and review ------------------------------------------------------------------


class TopicProgressSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    mastery = serializers.FloatField(help_text="Mean points per answered question, 0 to 1.")
    percent = serializers.IntegerField()


class ModuleWithProgressSerializer(ModuleProgressSerializer):
    module = ModuleRefSerializer()


class CalibrationPointSerializer(serializers.Serializer):
    finished_at = serializers.DateTimeField()
    brier = serializers.FloatField(allow_null=True, help_text="Mean Brier score of the run: 0 is perfect.")
    accuracy = serializers.FloatField(allow_null=True, help_text="0 to 1.")
    scenario = serializers.CharField(help_text="Scenario title.")


class CalibrationBandSerializer(serializers.Serializer):
    band = serializers.CharField(help_text='Stated confidence, e.g. "70–79 %".')
    stated = serializers.IntegerField(help_text="The band's middle, percent.")
    n = serializers.IntegerField(help_text="Predictions in the band.")
    right = serializers.IntegerField(help_text="How often they were right, percent.")


class MasteredEventSerializer(serializers.Serializer):
    event = serializers.CharField(source="event.slug", help_text="Event slug.")
    title = serializers.CharField(source="event.title")
    fact_id = serializers.CharField()
    date_label = serializers.CharField()


class AttemptSummarySerializer(serializers.ModelSerializer):
    quiz = QuizRefSerializer(read_only=True)

    class Meta:
        model = Attempt
        fields = ["id", "quiz", "number", "status", "started_at", "submitted_at", "percent", "passed"]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    topics = TopicProgressSerializer(many=True)
    modules = ModuleWithProgressSerializer(many=True)
    calibration = CalibrationPointSerializer(many=True, help_text="Finished scenario runs, oldest first.")
    calibration_bands = CalibrationBandSerializer(many=True)
    mastered = MasteredEventSerializer(many=True, help_text="Events mastered, by date.")
    recent_attempts = AttemptSummarySerializer(many=True)
    review_due = serializers.IntegerField(help_text="Review cards due now.")
    facts_on_review = serializers.IntegerField()


class ReviewCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCard
        fields = ["id", "fact_id", "due", "reviews", "lapses", "last_reviewed_at"]
        read_only_fields = fields


class ReviewQuestionSerializer(serializers.Serializer):
    """A question shown for review: no key, no explanations."""

    id = serializers.IntegerField()
    qtype = serializers.ChoiceField(choices=QuestionType.choices)
    stem = serializers.CharField()
    options = OptionSerializer(many=True)

    def to_representation(self, q):
        return super().to_representation({"id": q.pk, "qtype": q.qtype, "stem": q.stem, "options": [_option(o, False) for o in q.options]})


class ReviewNextSerializer(serializers.Serializer):
    card = ReviewCardSerializer(allow_null=True, help_text="The most overdue card; null when nothing is due.")
    question = ReviewQuestionSerializer(allow_null=True)


class ReviewAnswerSerializer(StrictJSON, serializers.Serializer):
    card = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The card's id (from /me/review/next/).")
    question = serializers.PrimaryKeyRelatedField(
        queryset=Question.objects.filter(status=Question.Status.PUBLISHED), help_text="The question shown for it."
    )
    response = serializers.DictField(help_text="As for an attempt's answer.")


class ReviewResultSerializer(serializers.Serializer):
    card = ReviewCardSerializer(help_text="Rescheduled.")
    response = serializers.DictField()
    feedback = FeedbackSerializer()

    def to_representation(self, result):
        snap = result.snapshot
        return super().to_representation(
            {
                "card": result.card,
                "response": result.response,
                "feedback": {
                    "correct": result.correct,
                    "points": result.points,
                    "answer": snap["answer"],
                    "explanation": snap["explanation"],
                    "options": [_option(o, True) for o in snap["options"]],
                    "evidence": snap["evidence"],
                },
            }
        )
