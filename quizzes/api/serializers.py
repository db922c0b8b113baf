"""API serializers: content (read), learner flows, teacher flows.

Serializers shape data and validate input; they never write (views call the services).
A learner never sees an answer key, an option explanation or an explanation before the item is
revealed: answered with immediate feedback, or the attempt submitted (AttemptQuestionSerializer).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes.classes.selectors import AssignmentRefused, assignment_due, assignment_for_work, assignments_for_student, quizzes_for_learner
from quizzes.classes.services import NOT_YOURS, join_code_display
from quizzes.models import (
    Assignment,
    Attempt,
    Claim,
    ClassGroup,
    Classroom,
    Collection,
    Enrolment,
    Entity,
    EntityRole,
    Event,
    Extension,
    Figure,
    FigureReport,
    Module,
    ModuleItem,
    Passage,
    Prediction,
    Question,
    QuestionType,
    Quiz,
    ReviewCard,
    Scenario,
    ScenarioRun,
    ScenarioStep,
    Source,
    Topic,
)
from quizzes.permissions import classrooms_for_teacher, groups_for_teacher, modules_for_teacher
from quizzes.progress.selectors import response_revealed

User = get_user_model()
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
MAX_ID = 2**63 - 1


class SlugRef(serializers.SlugRelatedField):
    """A reference by slug; anything that cannot be a slug is "not found" without asking the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        return super().to_internal_value(data)


# JSON type each writable field needs; DRF would otherwise read 0 as "0" and "5" as 5.
_JSON_TYPES = [
    (serializers.BooleanField, (bool,), "true or false"),
    ((serializers.IntegerField, serializers.PrimaryKeyRelatedField), (int,), "a whole number"),
    ((serializers.FloatField, serializers.DecimalField), (int, float), "a number"),
    (
        (serializers.CharField, serializers.ChoiceField, serializers.SlugRelatedField, serializers.DateTimeField, serializers.DateField),
        (str,),
        "a string",
    ),
    (serializers.DictField, (dict,), "a JSON object"),
    (serializers.ListField, (list,), "a list"),
]


def _type_problem(field, value) -> str | None:
    if value is None:
        return None  # the field's allow_null decides
    for classes, types, name in _JSON_TYPES:
        if isinstance(field, classes):
            ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
            return None if ok else f"Must be {name}."
    return None


class StrictJSON:
    """Input serializer mixin: each field must arrive with its JSON type (no "5" for 5, no 0 for "0"), and
    a field the serializer does not know is an error, not silently dropped (request schemas say additionalProperties: false)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            problems = {name: ["Unknown field."] for name in data if name not in self.fields}
            problems |= {
                f.field_name: [problem]
                for f in self._writable_fields
                if f.field_name in data and (problem := _type_problem(f, data[f.field_name]))
            }
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)


# --- content -------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    anchor = serializers.CharField(read_only=True, help_text="Fragment id of the passage on the source reader page.")

    class Meta:
        model = Passage
        fields = ["id", "source", "quote", "start", "end", "anchor"]


class SnapshotEvidenceSerializer(serializers.Serializer):
    """A passage as it was cited when the learner saw the item (frozen in the attempt)."""

    id = serializers.IntegerField()
    quote = serializers.CharField()
    source = serializers.CharField(help_text="Source slug.")
    source_label = serializers.CharField()
    outlet = serializers.CharField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    published_precision = serializers.CharField(allow_blank=True)
    anchor = serializers.CharField()


def collection_field(*, allow_null: bool = False):
    """The collection's slug; null only where the model allows none (a teacher's quiz or module may mix collections)."""
    return serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=allow_null, help_text="The collection (episode) it belongs to."
    )


class CollectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collection
        fields = ["slug", "title", "period", "description", "language", "date_from", "date_to", "loaded_at"]


class TopicSerializer(serializers.ModelSerializer):
    collection = collection_field()

    class Meta:
        model = Topic
        fields = ["collection", "slug", "name", "description"]


class SourceSerializer(serializers.ModelSerializer):
    collection = collection_field()

    class Meta:
        model = Source
        fields = ["collection", "slug", "label", "title", "outlet", "author", "published_on", "published_precision", "url"]


class SourceDetailSerializer(SourceSerializer):
    furniture_spans = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        read_only=True,
        help_text="[start, end] character offsets of page furniture (comment forms): not citable.",
    )
    metadata_evidence = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="For each metadata field, the passage of the text that supports it."
    )

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text", "sha256", "furniture_spans", "metadata_evidence"]


class EntityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["slug", "name", "kind"]


class EntityRoleSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = EntityRole
        fields = ["title", "evidence"]


class EntitySerializer(serializers.ModelSerializer):
    collection = collection_field()
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    roles = EntityRoleSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Entity
        fields = ["collection", "slug", "name", "kind", "aliases", "description", "roles", "evidence"]


class EventSerializer(serializers.ModelSerializer):
    collection = collection_field()
    place = EntityRefSerializer(read_only=True, allow_null=True)
    actors = EntityRefSerializer(many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "collection",
            "slug",
            "title",
            "summary",
            "date",
            "date_precision",
            "date_end",
            "date_note",
            "place",
            "actors",
            "topics",
            "evidence",
        ]


class FigureReportSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True)
    low = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True)
    high = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True)
    reported_by = EntityRefSerializer(read_only=True, allow_null=True)
    display = serializers.CharField(source="display_value", read_only=True, help_text='As shown: "about 33 police cars".')
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = FigureReport
        fields = ["value", "low", "high", "qualifier", "reported_by", "as_of", "as_of_precision", "note", "display", "evidence"]


class FigureSerializer(serializers.ModelSerializer):
    collection = collection_field()
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    place = EntityRefSerializer(read_only=True, allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    contested = serializers.BooleanField(source="is_contested", read_only=True, help_text="The sources give different numbers.")
    reports = FigureReportSerializer(many=True, read_only=True)

    class Meta:
        model = Figure
        fields = ["collection", "slug", "measure", "unit", "event", "place", "topics", "contested", "reports"]


class ClaimSerializer(serializers.ModelSerializer):
    collection = collection_field()
    claimant = EntityRefSerializer(read_only=True)
    attributed = serializers.CharField(source="__str__", read_only=True, help_text='"According to <claimant>, <statement>".')
    about = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ["collection", "slug", "claimant", "statement", "attributed", "date", "date_precision", "about", "topics", "evidence"]


class QuizSerializer(serializers.ModelSerializer):
    collection = collection_field(allow_null=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Quiz
        fields = [
            "collection",
            "slug",
            "title",
            "description",
            "order",
            "feedback",
            "attempts_allowed",
            "questions_per_attempt",
            "time_limit_seconds",
            "pass_mark",
            "question_count",
        ]


class ScenarioSerializer(serializers.ModelSerializer):
    collection = collection_field()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    step_count = serializers.IntegerField(read_only=True, help_text="Main-line steps; follow-up steps depend on the learner's choices.")

    class Meta:
        model = Scenario
        fields = ["collection", "slug", "title", "intro", "position", "topics", "step_count"]


class ModuleItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["quiz", "scenario"])
    slug = serializers.CharField()
    title = serializers.CharField()

    def to_representation(self, item: ModuleItem):
        target = item.quiz or item.scenario
        return {"position": item.position, "kind": "quiz" if item.quiz_id else "scenario", "slug": target.slug, "title": target.title}


class ModuleSerializer(serializers.ModelSerializer):
    collection = collection_field(allow_null=True)
    items = ModuleItemSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["collection", "slug", "title", "description", "position", "items"]


# --- users and auth -------------------------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name"]


class MeSerializer(UserRefSerializer):
    is_teacher = serializers.BooleanField(read_only=True)

    class Meta(UserRefSerializer.Meta):
        fields = [*UserRefSerializer.Meta.fields, "is_teacher"]


class SignInSerializer(StrictJSON, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>".')
    user = MeSerializer()


# --- learners: assignments --------------------------------------------------------------------------


class ItemProgressSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["quiz", "scenario"])
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


class MyAssignmentSerializer(serializers.ModelSerializer):
    """An assignment as its student sees it: due date with any extension, and progress through the module."""

    classroom = ClassroomRefSerializer(read_only=True)
    group = serializers.CharField(source="group.name", read_only=True, allow_null=True, default=None)
    module = ModuleRefSerializer(read_only=True)
    due_at = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "classroom", "group", "module", "opens_at", "due_at", "progress"]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_due_at(self, assignment):
        return serializers.DateTimeField().to_representation(assignment_due(assignment))

    @extend_schema_field(ModuleProgressSerializer)
    def get_progress(self, assignment):
        return ModuleProgressSerializer(self.context["progress"][assignment.module_id]).data


# --- learners: attempts ---------------------------------------------------------------------------


class QuizRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quiz
        fields = ["slug", "title", "feedback", "time_limit_seconds", "pass_mark"]


class AttemptSerializer(serializers.ModelSerializer):
    quiz = QuizRefSerializer(read_only=True)
    answered = serializers.IntegerField(read_only=True, help_text="Questions answered so far.")

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
            "answered",
        ]
        read_only_fields = fields


def _assignment_check(data: dict, **item) -> None:
    """A named assignment must fit the one rule for work (quizzes.classes.selectors.assignment_for_work)."""
    if data.get("assignment") is None:
        return
    try:
        assignment_for_work(user=None, assignment=data["assignment"], **item)
    except AssignmentRefused as exc:
        raise serializers.ValidationError({"assignment": str(exc)}) from None


class _MyAssignmentChoice:
    """The `assignment` field offers only the signed-in learner's own assignments."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["assignment"].queryset = assignments_for_student(request.user)


class AttemptStartSerializer(_MyAssignmentChoice, StrictJSON, serializers.Serializer):
    quiz = SlugRef(
        queryset=Quiz.objects.filter(published=True, private=False),
        help_text="Slug of a quiz I may take: published, private to one of my classes, or in an opened assignment of mine.",
    )
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.none(), required=False, allow_null=True, help_text="One of my assignments that includes this quiz."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["quiz"].queryset = quizzes_for_learner(request.user)

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


class AttemptResultsSerializer(serializers.Serializer):
    attempt = AttemptSerializer()
    questions = AttemptQuestionSerializer(many=True)


# --- learners: scenario runs ------------------------------------------------------------------------


class ScenarioRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scenario
        fields = ["slug", "title"]


class ScenarioRunSerializer(serializers.ModelSerializer):
    scenario = ScenarioRefSerializer(read_only=True)

    class Meta:
        model = ScenarioRun
        fields = ["id", "scenario", "assignment", "status", "started_at", "finished_at", "answered", "correct", "accuracy", "brier"]
        read_only_fields = fields


class ScenarioRef(SlugRef):
    """A scenario by slug. Slugs are unique within a collection only: where several collections have
    the slug, the request's `collection` picks one, and without it the answer says so (never a guess)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        found = self.get_queryset().filter(slug=data).select_related("collection")
        initial = getattr(self.parent, "initial_data", None)
        chosen = initial.get("collection") if isinstance(initial, dict) else None
        if isinstance(chosen, str) and chosen:
            found = found.filter(collection__slug=chosen)
        scenarios = list(found[:5])
        if not scenarios:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        if len(scenarios) > 1:
            owners = ", ".join(sorted(s.collection.slug for s in scenarios))
            raise serializers.ValidationError(f'Several collections have a scenario {data!r} ({owners}); add "collection": SLUG.')
        return scenarios[0]


class ScenarioRunStartSerializer(_MyAssignmentChoice, StrictJSON, serializers.Serializer):
    scenario = ScenarioRef(queryset=Scenario.objects.filter(published=True), help_text="Slug of a published scenario.")
    collection = SlugRef(
        queryset=Collection.objects.all(),
        required=False,
        help_text="The scenario's collection (slug): needed only where several collections have a scenario with this slug.",
    )
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.none(), required=False, allow_null=True, help_text="One of my assignments that includes this scenario."
    )

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


# --- teachers ---------------------------------------------------------------------------------------


class ClassGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassGroup
        fields = ["id", "name"]


class ClassGroupCreateSerializer(StrictJSON, serializers.ModelSerializer):
    class Meta:
        model = ClassGroup
        fields = ["name"]
        # Unique per class: quizzes.classes.services.group_create checks it with the class in hand.
        validators = []


class ClassroomSerializer(StrictJSON, serializers.ModelSerializer):
    teachers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    groups = ClassGroupSerializer(many=True, read_only=True)
    student_count = serializers.IntegerField(read_only=True)
    join_code = serializers.SerializerMethodField(help_text="What students type to join, e.g. ABCD-EFGH; empty: joining is closed.")

    class Meta:
        model = Classroom
        fields = ["id", "name", "code", "join_code", "teachers", "groups", "student_count", "created_at"]
        extra_kwargs = {"code": {"required": False, "help_text": "Unique; defaults to a slug of the name."}}

    def get_join_code(self, classroom) -> str:
        return join_code_display(classroom.join_code)


class JoinCodeRotateSerializer(StrictJSON, serializers.Serializer):
    close = serializers.BooleanField(required=False, default=False, help_text="True: close joining (no code works) instead.")


class ClassJoinSerializer(StrictJSON, serializers.Serializer):
    code = serializers.CharField(
        max_length=20, help_text="The class's join code, as the teacher gave it (ABCD-EFGH; case and hyphen free)."
    )


class JoinedClassSerializer(serializers.ModelSerializer):
    classroom = ClassroomRefSerializer(read_only=True)

    class Meta:
        model = Enrolment
        fields = ["classroom", "joined_at"]
        read_only_fields = fields


class EnrolmentSerializer(StrictJSON, serializers.ModelSerializer):
    classroom = serializers.PrimaryKeyRelatedField(queryset=Classroom.objects.none(), help_text="One of my classes.")
    student = UserRefSerializer(read_only=True)
    username = serializers.CharField(
        write_only=True,
        max_length=150,
        help_text="The student to enrol: an account you created (an administrator: any student account). "
        "Anyone else joins with the class's join code.",
    )
    group = serializers.PrimaryKeyRelatedField(
        queryset=ClassGroup.objects.none(), required=False, allow_null=True, help_text="A group of the class, or null."
    )

    class Meta:
        model = Enrolment
        fields = ["id", "classroom", "student", "username", "group", "joined_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["classroom"].queryset = classrooms_for_teacher(request.user)
            self.fields["group"].queryset = groups_for_teacher(request.user)

    def validate_username(self, username):
        # Who may be enrolled is the service's rule (quizzes.classes.services.may_enrol); a missing
        # account gets the same message as a staff one or another teacher's student.
        student = User.objects.filter(username=username).first()
        if student is None:
            raise serializers.ValidationError(NOT_YOURS)
        return student


class EnrolmentUpdateSerializer(EnrolmentSerializer):
    """An update moves the student to another group of the class; changing class is a new enrolment."""

    classroom = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = ["id", "classroom", "student", "group", "joined_at"]


class AssignmentSerializer(StrictJSON, serializers.ModelSerializer):
    classroom = serializers.PrimaryKeyRelatedField(queryset=Classroom.objects.none(), help_text="One of my classes.")
    group = serializers.PrimaryKeyRelatedField(
        queryset=ClassGroup.objects.none(), required=False, allow_null=True, help_text="A group of the class; null: the whole class."
    )
    module = SlugRef(queryset=Module.objects.none(), help_text="Slug of a module I own or a published one.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "classroom", "group", "module", "opens_at", "due_at", "attempts_allowed", "created_by", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["classroom"].queryset = classrooms_for_teacher(request.user)
            self.fields["group"].queryset = groups_for_teacher(request.user)
            self.fields["module"].queryset = modules_for_teacher(request.user)


class AssignmentUpdateSerializer(AssignmentSerializer):
    """An update changes the module, the group or the dates; the class stays."""

    classroom = serializers.PrimaryKeyRelatedField(read_only=True)


class ExtensionSerializer(StrictJSON, serializers.ModelSerializer):
    """One student's later due date for an assignment."""

    student = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        help_text="Username of a student in the assignment's class.",
        error_messages={"does_not_exist": "{value} is not a student in this class."},
    )

    class Meta:
        model = Extension
        fields = ["student", "due_at"]
        # One extension per student and assignment: a second grant replaces the first (quizzes.classes.services.extension_grant).
        validators = []

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            self.fields["student"].queryset = User.objects.filter(enrolments__classroom_id=assignment.classroom_id)


class ItemResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["not started", "in progress", "submitted", "scored", "finished"])
    percent = serializers.FloatField(allow_null=True, help_text="Best score (quiz) or accuracy (scenario), percent.")
    seconds = serializers.IntegerField(allow_null=True, help_text="Time from start to submit.")
    late = serializers.BooleanField()
    tries = serializers.IntegerField()


class StudentResultSerializer(serializers.Serializer):
    student = UserRefSerializer()
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    due = serializers.DateTimeField(help_text="With the student's extension, if any.")
    extended = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["not started", "in progress", "done"])
    done = serializers.IntegerField(help_text="Items done.")
    grade = serializers.FloatField(allow_null=True, help_text="Mean over the items (unfinished count 0); null before any is done.")
    seconds = serializers.IntegerField(allow_null=True)
    items = ItemResultSerializer(many=True, help_text="In the order of the assignment's `items`.")


class AssignmentResultsSerializer(serializers.Serializer):
    assignment = AssignmentSerializer()
    items = ModuleItemSerializer(many=True)
    students = StudentResultSerializer(many=True)


class TeacherAttemptSerializer(AttemptSerializer):
    user = UserRefSerializer(read_only=True)

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "user"]
        read_only_fields = fields


class TeacherAttemptResultsSerializer(serializers.Serializer):
    attempt = TeacherAttemptSerializer()
    questions = AttemptQuestionSerializer(many=True)


class OptionCountSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    count = serializers.IntegerField()
    key = serializers.BooleanField(help_text="A right option.")


class ItemStatisticSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id", help_text="Question id.")
    stem = serializers.CharField()
    qtype = serializers.ChoiceField(choices=QuestionType.choices)
    responses = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True, help_text="Mean points, 0 to 1.")
    discrimination = serializers.FloatField(allow_null=True, help_text="Correlation of the item's points with the rest of the attempt.")
    options = OptionCountSerializer(many=True, help_text="Choice types only.")
    flags = serializers.ListField(child=serializers.CharField())


class QuizStatisticsSerializer(serializers.Serializer):
    quiz = serializers.CharField(help_text="Quiz slug.")
    computed_at = serializers.DateTimeField(allow_null=True, help_text="When the statistics job last ran; null if never.")
    items = ItemStatisticSerializer(many=True, help_text="In quiz order; questions without statistics yet are left out.")


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
