"""Learner flows: my assignments, quiz attempts, scenario runs. Every queryset is the user's own."""

import re

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes.api import filters, serializers
from quizzes.api.errors import errors_for
from quizzes.api.idempotency import Idempotent
from quizzes.api.query import ATTEMPT_ORDERING, FEED_BACKENDS, RUN_ORDERING, StrictQuery
from quizzes.api.serializers.base import MAX_ID
from quizzes.api.throttling import ScopedThrottle
from quizzes.api.views import UserScoped
from quizzes.classes.selectors import assignments_for_student
from quizzes.classes.services import enrolment_join
from quizzes.errors import ErrorCode
from quizzes.models import Assignment, Attempt, Prediction, Quiz, ReviewCard, ScenarioRun
from quizzes.progress.errors import LearnerActionError
from quizzes.progress.results import assignment_progress
from quizzes.progress.review import review_answer, review_next
from quizzes.progress.runs import prediction_make, scenario_run_next_step, scenario_run_start
from quizzes.progress.selectors import (
    answers_visible,
    attempt_rows,
    open_attempt_rows,
    progress_summary,
    response_revealed,
    review_queue,
)
from quizzes.progress.services import attempt_begin, attempt_submit, response_answer_in

E = ErrorCode


class MyAssignmentViewSet(StrictQuery, UserScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignments set for my classes (or my group), with my progress through each module."""

    serializer_class = serializers.MyAssignmentSerializer
    queryset = Assignment.objects.none()

    def user_queryset(self, user):
        return assignments_for_student(user)

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            assignments = instance if isinstance(instance, list) else [instance]
            # Only the work the teacher's results count for each assignment (its window), not all work on the module.
            kwargs.setdefault("context", self.get_serializer_context())["progress"] = assignment_progress(self.request.user, assignments)
        return super().get_serializer(instance, *args, **kwargs)


def _my_attempts(user):
    answered = Count("responses", filter=Q(responses__answered_at__isnull=False))
    return (
        Attempt.objects.filter(user=user)
        .select_related("quiz__collection", "assignment")
        .annotate(answered=answered)
        .order_by("-started_at", "-id")
    )


@extend_schema_view(
    create=extend_schema(
        request=serializers.AttemptStartSerializer,
        responses={
            201: serializers.AttemptStartedSerializer,
            200: serializers.AttemptStartedSerializer,
            **errors_for(E.QUIZ_UNAVAILABLE, E.NO_ATTEMPTS_LEFT, E.QUIZ_EMPTY),
        },
        description="Start an attempt at a published quiz (201), or resume my open one (200). The reply carries "
        "the attempt's questions (`questions`, as `GET attempts/{id}/questions/` gives them), so the next request "
        "can be the first answer.",
    ),
)
class AttemptViewSet(
    StrictQuery, Idempotent, UserScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """My quiz attempts: start, fetch the questions, answer, submit, see the results."""

    serializer_class = serializers.AttemptSerializer
    filterset_class = filters.AttemptFilter
    queryset = Attempt.objects.none()
    filter_backends = FEED_BACKENDS
    ordering_fields = ATTEMPT_ORDERING

    def user_queryset(self, user):
        return _my_attempts(user)

    def create(self, request):
        # A class starting together sends {"quiz": slug}: read without building the serializer;
        # any other body (an assignment, a collection, a mistake) goes through it.
        quiz, assignment = serializers.start_quiz_plain(request.data, request.user), None
        if quiz is None:
            data = serializers.AttemptStartSerializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            quiz, assignment = data.validated_data["quiz"], data.validated_data.get("assignment")
        started = attempt_begin(user=request.user, quiz=quiz, assignment=assignment)
        if started.created:  # nothing answered yet, and its quiz (with collection) is the one just read
            attempt = started.attempt
            attempt.answered = 0  # type: ignore[attr-defined]  # what _my_attempts annotates
        else:
            attempt = self.get_queryset().get(pk=started.attempt.pk)
        # The questions come with the start: a class starting together sends one request each, not two
        # (the questions request repeated the token, the middleware and the dispatch for one query).
        # A new attempt's rows are those just written (no read back); a resumed one's are read.
        questions = serializers.unanswered_replies(started.shown) if started.created else None
        if questions is None:
            questions = self._questions(request, attempt.pk)
        body = {**serializers.attempt_reply(attempt), "questions": questions}
        return Response(body, status=status.HTTP_201_CREATED if started.created else status.HTTP_200_OK)

    def _questions(self, request, attempt_id: int) -> list[dict]:
        """What `questions` replies for the learner's attempt `attempt_id`."""
        # An open attempt (the request right after a start): its rows by one plain query, their content
        # from the version cache, each version's rendering kept (answer_reply).
        found = open_attempt_rows(attempt_id=attempt_id, user_id=request.user.pk)
        if found is not None:
            return [serializers.answer_reply(row, revealed=revealed) for row, revealed in found]
        # Any other (a closed attempt, its review rule; someone else's or none: 404): the attempt
        # without _my_attempts' count of answers.
        attempt = get_object_or_404(Attempt.objects.select_related("quiz", "assignment"), pk=attempt_id, user=request.user)
        self.check_object_permissions(request, attempt)
        rows = attempt_rows(attempt)
        closed = attempt.status != Attempt.Status.IN_PROGRESS
        shown_all = closed and answers_visible(attempt)  # once per attempt, not per row
        return [serializers.answer_reply(row, revealed=shown_all if closed else response_revealed(row, attempt)) for row in rows]

    @extend_schema(responses=serializers.AttemptQuestionSerializer(many=True), filters=False)
    @action(detail=True, filterset_class=None, pagination_class=None)
    def questions(self, request, pk=None):
        """The attempt's questions in order; each one's key and explanations only once it is revealed."""
        attempt_id = int(pk) if pk is not None and pk.isascii() and pk.isdigit() and 0 < int(pk) <= MAX_ID else None
        if attempt_id is None:
            raise Http404
        return Response(self._questions(request, attempt_id))

    @extend_schema(request=None, responses={200: serializers.AttemptSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Submit the attempt for scoring; submitting again returns it unchanged."""
        attempt_submit(attempt=self.get_object())
        return Response(serializers.attempt_reply(self.get_queryset().get(pk=pk)))

    @extend_schema(responses={200: serializers.AttemptResultsSerializer, **errors_for(E.ATTEMPT_OPEN)}, filters=False)
    @action(detail=True, filterset_class=None)
    def results(self, request, pk=None):
        """Score and per-question feedback with evidence, once submitted (points are null until scored)."""
        attempt = self.get_object()
        if attempt.status == Attempt.Status.IN_PROGRESS:
            raise LearnerActionError("attempt_open", gettext("Submit the attempt to see its results."))
        body = {"attempt": attempt, "questions": attempt.responses.select_related("version").order_by("position")}
        # A closed attempt shows all its answers or none (answers_visible): asked once, not per question
        # (for an assignment that was the learner's extension and the attempts used, read per question).
        context = {"attempt": attempt, "revealed": answers_visible(attempt)}
        return Response(serializers.AttemptResultsSerializer(body, context=context).data)


_CLIENT_KEY = re.compile(r"[A-Za-z0-9_.:-]{0,64}")
_ANSWER_FIELDS = frozenset({"position", "response", "client_key"})


def _answer_input(data) -> dict:
    """The answer body: the usual shape checked here in a few comparisons; anything else goes
    through AnswerSerializer, for its exact error messages."""
    if type(data) is dict and data.keys() <= _ANSWER_FIELDS:
        position, response, key = data.get("position"), data.get("response"), data.get("client_key", "")
        if type(position) is int and 1 <= position <= 32767 and type(response) is dict and type(key) is str and _CLIENT_KEY.fullmatch(key):
            return {"position": position, "response": response, "client_key": key}
    checked = serializers.AnswerSerializer(data=data)
    checked.is_valid(raise_exception=True)
    return checked.validated_data


class AttemptAnswerView(StrictQuery, Idempotent, APIView):
    """POST /api/v1/attempts/{id}/answer/: the lesson's hot path, kept lean.

    The same authentication, permission, throttle (scope `answer`, one cache round trip), body
    checks, guarantees and reply as the other attempt actions, but no viewset, filter or queryset:
    one locking read of the response with its attempt (the attempt's owner checked in it), one
    write, and a reply whose question and feedback parts are rendered once per version."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "answer"

    @extend_schema(
        operation_id="v1_attempts_answer_create",
        request=serializers.AnswerSerializer,
        responses={
            200: serializers.AttemptQuestionSerializer,
            **errors_for(
                E.INVALID_RESPONSE,
                E.NO_SUCH_QUESTION,
                E.ATTEMPT_CLOSED,
                E.TIME_UP,
                E.ALREADY_ANSWERED,
                E.CLIENT_KEY_REUSED,
                E.QUESTION_BROKEN,
                E.THROTTLED,
            ),
        },
        description="Answer one question. Rate-limited (scope `answer`). "
        "A retry with the same client_key returns the stored answer and counts once.",
    )
    def post(self, request, id: int):  # noqa: A002 - the path's name for the attempt, as in the schema
        """Answer a question; a retry with the same client_key returns the stored answer and counts once."""
        try:
            data = _answer_input(request.data)
        except (exceptions.ParseError, exceptions.UnsupportedMediaType, exceptions.ValidationError):
            if not Attempt.objects.filter(pk=id, user=request.user).exists():
                raise Http404 from None  # someone else's attempt is not found, whatever the body
            raise
        try:
            answered = response_answer_in(attempt_id=id, user_id=request.user.pk, **data)
        except Attempt.DoesNotExist:
            raise Http404 from None
        row = answered.row
        if answered.attempt_status == Attempt.Status.IN_PROGRESS:
            revealed = row.answered_at is not None and answered.feedback == Quiz.Feedback.IMMEDIATE
            return Response(serializers.answer_reply(row, revealed=revealed))
        # A replay on a submitted attempt: what it reveals depends on the quiz's review option.
        attempt = _my_attempts(request.user).get(pk=id)
        return Response(serializers.AttemptQuestionSerializer(row, context={"attempt": attempt}).data)


@extend_schema_view(
    create=extend_schema(
        request=serializers.ScenarioRunStartSerializer,
        responses={
            201: serializers.ScenarioRunDetailSerializer,
            200: serializers.ScenarioRunDetailSerializer,
            **errors_for(E.SCENARIO_UNAVAILABLE),
        },
        description="Start a run of a published scenario (201), or resume my open one (200).",
    ),
    retrieve=extend_schema(responses=serializers.ScenarioRunDetailSerializer),
)
class ScenarioRunViewSet(
    StrictQuery, Idempotent, UserScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """My scenario runs: play a scenario step by step, predicting with a confidence."""

    serializer_class = serializers.ScenarioRunSerializer
    filterset_class = filters.ScenarioRunFilter
    filter_backends = FEED_BACKENDS
    ordering_fields = RUN_ORDERING
    throttle_scope = None  # set on the predict action
    queryset = ScenarioRun.objects.none()

    def user_queryset(self, user):
        runs = ScenarioRun.objects.filter(user=user).select_related("scenario__collection")
        if self.action != "list":
            predictions = Prediction.objects.select_related("version").order_by("answered_at", "id")
            runs = runs.prefetch_related(Prefetch("predictions", queryset=predictions))
        return runs

    def _detail(self, run: ScenarioRun, **kwargs) -> Response:
        step = scenario_run_next_step(run) if run.status == ScenarioRun.Status.IN_PROGRESS else None
        return Response(serializers.ScenarioRunDetailSerializer(run, context={"current_step": step}).data, **kwargs)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = serializers.ScenarioRunStartSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        scenario, assignment = data.validated_data["scenario"], data.validated_data.get("assignment")
        before = set(self.get_queryset().filter(scenario=scenario, status=ScenarioRun.Status.IN_PROGRESS).values_list("pk", flat=True))
        run = scenario_run_start(user=request.user, scenario=scenario, assignment=assignment)
        return self._detail(self.get_queryset().get(pk=run.pk), status=status.HTTP_200_OK if run.pk in before else status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.PredictSerializer,
        responses={
            200: serializers.PredictResultSerializer,
            **errors_for(
                E.NOT_CURRENT_STEP,
                E.INVALID_CONFIDENCE,
                E.INVALID_CHOICE,
                E.ALREADY_PREDICTED,
                E.RUN_FINISHED,
                E.CLIENT_KEY_REUSED,
                E.THROTTLED,
            ),
        },
        description="Predict what happened next at the current step; the answer reveals what did happen, with evidence. "
        "Rate-limited (scope `answer`).",
    )
    @action(detail=True, methods=["post"], throttle_classes=[ScopedThrottle], throttle_scope="answer", filterset_class=None)
    def predict(self, request, pk=None):
        """Make the prediction for the current step; a retry with the same client_key counts once."""
        run = self.get_object()
        data = serializers.PredictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        prediction = prediction_make(run=run, step_id=v["step"], choice=v["choice"], confidence=v["confidence"], client_key=v["client_key"])
        run.refresh_from_db()
        step = scenario_run_next_step(run) if run.status == ScenarioRun.Status.IN_PROGRESS else None
        body = {"prediction": prediction, "run": run, "next_step": step}
        return Response(serializers.PredictResultSerializer(body).data)


class ProgressView(StrictQuery, APIView):
    """My progress: mastery by topic, modules, calibration of my predictions, mastered events, recent attempts."""

    @extend_schema(responses=serializers.ProgressSerializer)
    def get(self, request):
        return Response(serializers.ProgressSerializer(progress_summary(request.user)).data)


class ReviewViewSet(StrictQuery, Idempotent, UserScoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    """My review queue: facts I missed, back on their FSRS schedule. List the due cards, take the next one, answer it."""

    serializer_class = serializers.ReviewCardSerializer
    queryset = ReviewCard.objects.none()
    throttle_scope = None  # set on the answer action

    def user_queryset(self, user):
        return review_queue(user)

    @extend_schema(responses=serializers.ReviewNextSerializer, filters=False)
    @action(detail=False, pagination_class=None)
    def next(self, request):
        """The most overdue card with a question for it (no key); both null when nothing is due."""
        found = review_next(user=request.user)
        card, question = found if found else (None, None)
        return Response(serializers.ReviewNextSerializer({"card": card, "question": question}).data)

    @extend_schema(
        request=serializers.ReviewAnswerSerializer,
        responses={
            200: serializers.ReviewResultSerializer,
            **errors_for(E.NOT_SHOWN, E.INVALID_RESPONSE, E.QUESTION_BROKEN, E.NO_SUCH_CARD, E.NOT_DUE, E.THROTTLED),
        },
        description="Answer the question shown for a due card; the card is rescheduled. "
        "400 `not_shown` for any question but the one `me/review/next/` shows for the card, `invalid_response`. "
        "Rate-limited (scope `answer`).",
    )
    @action(detail=False, methods=["post"], throttle_classes=[ScopedThrottle], throttle_scope="answer", pagination_class=None)
    def answer(self, request):
        """Answer a review question and reschedule its fact."""
        data = serializers.ReviewAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        card = get_object_or_404(ReviewCard.objects.filter(user=request.user), pk=v["card"])
        result = review_answer(user=request.user, card=card, question=v["question"], response=v["response"])
        return Response(serializers.ReviewResultSerializer(result).data)


class ClassJoinView(StrictQuery, Idempotent, APIView):
    """POST: join a class with the join code the teacher gave (the student's consent to be taught there)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "sign-in"

    @extend_schema(
        request=serializers.ClassJoinSerializer,
        responses={201: serializers.JoinedClassSerializer, 200: serializers.JoinedClassSerializer, **errors_for(E.THROTTLED)},
        description="201 joined; 200 already in the class. A wrong or closed code: 400 with one message for both.",
    )
    def post(self, request):
        serializer = serializers.ClassJoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        before = set(request.user.enrolments.values_list("pk", flat=True))
        enrolment = enrolment_join(student=request.user, code=serializer.validated_data["code"])
        created = enrolment.pk not in before
        return Response(
            serializers.JoinedClassSerializer(enrolment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
