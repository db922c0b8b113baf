"""Teacher flows: classes, enrolments, assignments and results, for the teacher's own classes only.

Every queryset comes from quizzes.classes.selectors, so another teacher's class is simply not
found (404); students get 403 from IsTeacher. Writes go through quizzes.classes.services.
"""

from typing import cast

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from quizzes.api import filters, serializers
from quizzes.api.idempotency import Idempotent
from quizzes.api.pagination import PageNumberPagination
from quizzes.api.permissions import IsTeacher
from quizzes.api.query import ATTEMPT_ORDERING, FEED_BACKENDS, StrictQuery
from quizzes.api.views import UserScoped
from quizzes.classes import services
from quizzes.models import Assignment, Attempt, Classroom, Enrolment
from quizzes.permissions import active_classrooms_for_teacher, assignments_for_teacher, attempts_for_teacher, work_ids_visible_to_teacher
from quizzes.progress.results import assignment_results, results_enrolments
from quizzes.progress.selectors import attempts_with_answered


class TeacherViewSet(StrictQuery, Idempotent, UserScoped, viewsets.GenericViewSet):
    permission_classes = [IsTeacher]


class ClassroomViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TeacherViewSet,
):
    """My classes; creating one makes me its teacher (the code defaults to a slug of the name, made unique).
    PATCH renames a class or changes its code. DELETE archives it: it leaves the lists and joining
    closes, but its students, assignments and all their work are kept (an administrator can restore it)."""

    serializer_class = serializers.ClassroomSerializer
    queryset = Classroom.objects.none()
    filter_backends = FEED_BACKENDS
    ordering_fields = {"updated_at": "updated_at", "created_at": "created_at", "name": "name"}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def user_queryset(self, user):
        return (
            active_classrooms_for_teacher(user)
            .annotate(student_count=Count("enrolments", distinct=True))
            .prefetch_related("teachers", "groups")
            .order_by("name", "id")
        )

    def perform_create(self, serializer):
        classroom = services.classroom_create(teachers=[self.request.user], **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=classroom.pk)

    def perform_destroy(self, instance):
        services.classroom_archive(classroom=instance)

    @extend_schema(request=serializers.ClassGroupCreateSerializer, responses={201: serializers.ClassGroupSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def groups(self, request, pk=None):
        """Add a group (a table, a set) to my class; students are moved into it with PATCH enrolments/{id}/."""
        classroom = self.get_object()
        serializer = serializers.ClassGroupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.group_create(classroom=classroom, name=serializer.validated_data["name"])
        return Response(serializers.ClassGroupSerializer(group).data, status=201)

    @extend_schema(request=serializers.JoinCodeRotateSerializer, responses={200: serializers.ClassroomSerializer})
    @action(detail=True, methods=["post"], url_path="join-code", pagination_class=None)
    def join_code(self, request, pk=None):
        """Give my class a new join code (the old one stops working), or close joining with {"close": true}."""
        classroom = self.get_object()
        serializer = serializers.JoinCodeRotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.classroom_join_code_rotate(classroom=classroom, close=serializer.validated_data["close"])
        return Response(serializers.ClassroomSerializer(self.get_queryset().get(pk=classroom.pk)).data)


class EnrolmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TeacherViewSet,
):
    """Students in my classes: enrol by username an account I created (an administrator: any student
    account; everyone else joins with the class's join code), move one to another group, or take one
    out of the class (DELETE; their attempts and runs are kept)."""

    filterset_class = filters.EnrolmentFilter
    queryset = Enrolment.objects.none()
    filter_backends = FEED_BACKENDS
    ordering_fields = {"updated_at": "updated_at", "joined_at": "joined_at", "username": "student__username"}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        return serializers.EnrolmentUpdateSerializer if self.action == "partial_update" else serializers.EnrolmentSerializer

    def user_queryset(self, user):
        return (
            Enrolment.objects.filter(classroom__in=active_classrooms_for_teacher(user))
            .select_related("student", "classroom", "group")
            .order_by("classroom_id", "student__username", "id")
        )

    def perform_create(self, serializer):
        v = serializer.validated_data
        group = {"group": v["group"]} if "group" in v else {}
        serializer.instance = services.enrolment_add(classroom=v["classroom"], student=v["username"], by=self.request.user, **group)

    def perform_update(self, serializer):
        enrolment = serializer.instance
        group = serializer.validated_data.get("group", enrolment.group)
        serializer.instance = services.enrolment_move(enrolment=enrolment, group=group)

    def perform_destroy(self, instance):
        services.enrolment_remove(enrolment=instance)


@extend_schema_view(
    results=extend_schema(
        responses=serializers.AssignmentResultsSerializer,
        filters=False,
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                OpenApiParameter.QUERY,
                required=False,
                description="A page number within the students.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 100},
                OpenApiParameter.QUERY,
                required=False,
                description="Students per page (50 unless given).",
            ),
        ],
    )
)
class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TeacherViewSet,
):
    """Assignments for my classes: a module for a class or one group between two dates; results per student.
    DELETE archives one: it leaves every list and no attempt starts for it; attempts made for it stay."""

    filterset_class = filters.AssignmentFilter
    queryset = Assignment.objects.none()
    filter_backends = FEED_BACKENDS
    ordering_fields = {"updated_at": "updated_at", "created_at": "created_at", "opens_at": "opens_at", "due_at": "due_at"}

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.AssignmentUpdateSerializer
        return serializers.AssignmentSerializer

    def user_queryset(self, user):
        return (
            assignments_for_teacher(user)
            .filter(archived_at__isnull=True, classroom__archived_at__isnull=True)
            .select_related("module__collection", "created_by")
            .order_by("due_at", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(created_by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.assignment_update(assignment=serializer.instance, user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.assignment_archive(assignment=instance)

    @extend_schema(request=serializers.ExtensionSerializer, responses={201: serializers.ExtensionSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def extensions(self, request, pk=None):
        """Give one student of the class a later due date (a second grant replaces the first); results show it."""
        assignment = self.get_object()
        serializer = serializers.ExtensionSerializer(data=request.data, assignment=assignment)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_grant(assignment=assignment, **serializer.validated_data)
        return Response(serializers.ExtensionSerializer(extension).data, status=201)

    def extra_query_parameters(self) -> tuple[str, ...]:
        """The results are paged as the lists are (a class of 300 is 1,200 cells)."""
        if self.action != "results":
            return ()
        paginator = cast(PageNumberPagination, self.paginator)
        return (paginator.page_query_param, paginator.page_size_query_param)

    @action(detail=True, filterset_class=None)
    def results(self, request, pk=None):
        """Each student's status, score and time on each item of the assigned module (extensions included),
        a page of students at a time (`page`, `page_size`, as every list): only the page's work is read."""
        assignment = self.get_object()
        page = self.paginate_queryset(results_enrolments(assignment))
        results = assignment_results(assignment, enrolments=page)
        paginator = cast(PageNumberPagination, self.paginator)
        assert paginator.page is not None  # paginate_queryset took a page (or raised a 400 or 404)
        body = {
            "assignment": assignment,
            "items": results.items,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": results.students,
        }
        return Response(serializers.AssignmentResultsSerializer(body).data)


@extend_schema_view(retrieve=extend_schema(responses=serializers.TeacherAttemptResultsSerializer))
class TeacherAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TeacherViewSet):
    """Attempts by students in my classes; the detail has every answer with its key and feedback."""

    serializer_class = serializers.TeacherAttemptSerializer
    filterset_class = filters.TeacherAttemptFilter
    queryset = Attempt.objects.none()
    filter_backends = FEED_BACKENDS
    ordering_fields = ATTEMPT_ORDERING

    def user_queryset(self, user):
        # Answered counts are read for the page's rows only (paginate_queryset), not grouped over every visible attempt.
        return self._listed(attempts_for_teacher(user))

    @staticmethod
    def _listed(queryset):
        return queryset.select_related("quiz__collection", "assignment", "user").order_by("-started_at", "-id")

    def count_queryset(self, queryset):
        """The same rows, filtered alike, read by the ids the teacher can see, and what is counted: those
        ids themselves, each part filtered as the list (assigned UNION ALL practice, each read by index,
        never joined back to the attempts): the count reads only the teacher's attempts, and a short
        list's page is read from them too (quizzes.paging; issue 25). The count stays exact: a
        coordinator's 10,100 attempts at M counted in 1.6-2.4 ms (16-18 ms through the rows), 50,100 at L
        in 4-7 ms (150-170 ms)."""
        user = self.request.user
        if user.is_superuser:
            return queryset, None
        ids = work_ids_visible_to_teacher(user, Attempt, within=self.filter_queryset)
        return self._listed(Attempt.objects.filter(pk__in=ids)).order_by(*queryset.query.order_by), ids

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else attempts_with_answered(list(page))

    def retrieve(self, request, pk=None):
        attempt = attempts_with_answered([self.get_object()])[0]
        body = {"attempt": attempt, "questions": attempt.responses.select_related("version").order_by("position")}
        context = {"attempt": attempt, "reveal_all": True}
        return Response(serializers.TeacherAttemptResultsSerializer(body, context=context).data)
