"""Teacher serializers: classes, groups, enrolments, assignments, extensions, results and item statistics."""

from __future__ import annotations

from rest_framework import serializers

from quizzes.api.serializers.auth import UserRefSerializer
from quizzes.api.serializers.base import (
    ASSIGNMENT_SETTINGS,
    AssignmentSettings,
    CollectionChoice,
    InCollectionRef,
    StrictJSON,
    User,
    field_queryset_set,
)
from quizzes.api.serializers.content import (
    ModuleItemSerializer,
)
from quizzes.api.serializers.learner import (
    AttemptQuestionSerializer,
    AttemptSerializer,
    ClassroomRefSerializer,
)
from quizzes.classes.services import NOT_YOURS, join_code_display
from quizzes.models import (
    Assignment,
    ClassGroup,
    Classroom,
    Enrolment,
    Extension,
    Module,
    QuestionType,
)
from quizzes.permissions import classrooms_for_teacher, groups_for_teacher, modules_for_teacher
from quizzes.progress.status import WorkStatus

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
        validators: list = []


class ClassroomSerializer(StrictJSON, serializers.ModelSerializer):
    teachers: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    groups = ClassGroupSerializer(many=True, read_only=True)
    student_count = serializers.IntegerField(read_only=True)
    join_code = serializers.SerializerMethodField(help_text="What students type to join, e.g. ABCD-EFGH; empty: joining is closed.")

    class Meta:
        model = Classroom
        fields = ["id", "name", "code", "join_code", "teachers", "groups", "student_count", "created_at", "updated_at"]
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
        required=False,
        max_length=150,
        help_text="The student to enrol by username (deprecated: send `student_id`).",
    )
    student_id = serializers.IntegerField(
        write_only=True,
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The student to enrol: an account you created (an administrator: any student account). "
        "Anyone else joins with the class's join code. Give this or `username`.",
    )
    group = serializers.PrimaryKeyRelatedField(
        queryset=ClassGroup.objects.none(), required=False, allow_null=True, help_text="A group of the class, or null."
    )

    class Meta:
        model = Enrolment
        fields = ["id", "classroom", "student", "student_id", "username", "group", "joined_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            field_queryset_set(self, "classroom", classrooms_for_teacher(request.user).filter(archived_at__isnull=True))
            field_queryset_set(self, "group", groups_for_teacher(request.user))

    def validate_username(self, username):
        # Who may be enrolled is the service's rule (quizzes.classes.services.may_enrol); a missing
        # account gets the same message as a staff one or another teacher's student.
        student = User.objects.filter(username=username).first()
        if student is None:
            raise serializers.ValidationError(NOT_YOURS)
        return student

    def validate_student_id(self, student_id):
        student = User.objects.filter(pk=student_id).first()
        if student is None:
            raise serializers.ValidationError(NOT_YOURS)  # the same words as for any account not yours
        return student

    def validate(self, data):
        by_id, by_name = data.pop("student_id", None), data.get("username")
        if by_id is None and by_name is None and self.instance is None:
            raise serializers.ValidationError({"student_id": ["Give the student's id (or, deprecated, their username)."]})
        if by_id is not None and by_name is not None and by_id.pk != by_name.pk:
            raise serializers.ValidationError({"student_id": ["student_id and username name two different accounts."]})
        if by_id is not None:
            data["username"] = by_id  # the view reads the account from here
        return super().validate(data)


class EnrolmentUpdateSerializer(EnrolmentSerializer):
    """An update moves the student to another group of the class; changing class is a new enrolment."""

    classroom = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = ["id", "classroom", "student", "group", "joined_at", "updated_at"]


class AssignmentSerializer(StrictJSON, AssignmentSettings, serializers.ModelSerializer):
    classroom = serializers.PrimaryKeyRelatedField(queryset=Classroom.objects.none(), help_text="One of my classes.")
    group = serializers.PrimaryKeyRelatedField(
        queryset=ClassGroup.objects.none(), required=False, allow_null=True, help_text="A group of the class; null: the whole class."
    )
    module = InCollectionRef(
        queryset=Module.objects.none(), required=False, help_text="Slug of a module I own or a published one (deprecated: use `module_id`)."
    )
    module_id = serializers.PrimaryKeyRelatedField(
        source="module",
        queryset=Module.objects.none(),
        required=False,
        help_text="The module's id (`id` in `modules/`): one I own or a published one. Give this or `module`.",
    )
    collection = CollectionChoice(
        help_text='The module\'s collection (slug, or "none" for a module outside any): needed only where several have this slug.'
    )
    module_collection = serializers.SerializerMethodField(help_text="The module's collection (slug); null for a module outside any.")
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "classroom",
            "group",
            "module",
            "module_id",
            "collection",
            "module_collection",
            "opens_at",
            "due_at",
            "attempts_allowed",
            *ASSIGNMENT_SETTINGS,
            "created_by",
            "created_at",
            "updated_at",
        ]

    def get_module_collection(self, assignment) -> str | None:
        return assignment.module.collection.slug if assignment.module.collection_id else None

    def to_internal_value(self, data):
        # `module` and `module_id` both write the module: read each alone, so that two naming different modules are refused.
        given = {name for name in ("module", "module_id") if isinstance(data, dict) and name in data}
        if given == {"module", "module_id"}:
            slug_only = super().to_internal_value({k: v for k, v in data.items() if k != "module_id"})
            by_id = super().to_internal_value({k: v for k, v in data.items() if k != "module"})
            if slug_only["module"].pk != by_id["module"].pk:
                raise serializers.ValidationError({"module_id": ["module_id and module name two different modules."]})
            return by_id
        return super().to_internal_value(data)

    def validate(self, data):
        data.pop("collection", None)  # it only picked the module
        if "module" not in data and not self.partial:
            raise serializers.ValidationError({"module_id": ["Give the module's id (or, deprecated, its slug as `module`)."]})
        return super().validate(data)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            field_queryset_set(self, "classroom", classrooms_for_teacher(request.user).filter(archived_at__isnull=True))
            field_queryset_set(self, "group", groups_for_teacher(request.user))
            field_queryset_set(self, "module", modules_for_teacher(request.user))
            field_queryset_set(self, "module_id", modules_for_teacher(request.user))


class AssignmentUpdateSerializer(AssignmentSerializer):
    """An update changes the module, the group or the dates; the class stays."""

    classroom = serializers.PrimaryKeyRelatedField(read_only=True)


class ExtensionSerializer(StrictJSON, serializers.ModelSerializer):
    """One student's later due date for an assignment."""

    student = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        help_text="Username of a student in the assignment's class (deprecated: use `student_id`).",
        error_messages={"does_not_exist": "{value} is not a student in this class."},
    )
    student_id = serializers.PrimaryKeyRelatedField(
        source="student",
        queryset=User.objects.none(),
        required=False,
        help_text="Id of a student in the assignment's class. Give this or `student`.",
        error_messages={"does_not_exist": "{pk_value} is not a student in this class."},
    )

    class Meta:
        model = Extension
        fields = ["student", "student_id", "due_at"]
        # One extension per student and assignment: a second grant replaces the first (quizzes.classes.services.extension_grant).
        validators: list = []

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            field_queryset_set(self, "student", User.objects.filter(enrolments__classroom_id=assignment.classroom_id))
            field_queryset_set(self, "student_id", User.objects.filter(enrolments__classroom_id=assignment.classroom_id))

    def to_internal_value(self, data):
        if isinstance(data, dict) and "student" in data and "student_id" in data:
            by_name = super().to_internal_value({k: v for k, v in data.items() if k != "student_id"})
            by_id = super().to_internal_value({k: v for k, v in data.items() if k != "student"})
            if by_name["student"].pk != by_id["student"].pk:
                raise serializers.ValidationError({"student_id": ["student_id and student name two different students."]})
            return by_id
        return super().to_internal_value(data)

    def validate(self, data):
        if "student" not in data:
            raise serializers.ValidationError({"student_id": ["Give the student's id (or, deprecated, their username as `student`)."]})
        return data


class StatusField(serializers.ChoiceField):
    """A results status as a machine value spelt like the attempts' and runs' (`in_progress`, `not_started`),
    not the words teachers read on the results page ("in progress")."""

    def to_representation(self, value):
        return str(value).replace(" ", "_")


class ItemResultSerializer(serializers.Serializer):
    status = StatusField(
        choices=[v.replace(" ", "_") for v in WorkStatus.values],
        help_text="One vocabulary for quizzes and scenarios (quizzes.progress.status): done is scored or finished.",
    )
    status_label = serializers.CharField(source="label", help_text="The status in the caller's language, as the admin shows it.")
    percent = serializers.FloatField(allow_null=True, help_text="Best score (quiz) or accuracy (scenario), percent.")
    seconds = serializers.IntegerField(allow_null=True, help_text="Time from start to submit.")
    late = serializers.BooleanField()
    tries = serializers.IntegerField()


class StudentResultSerializer(serializers.Serializer):
    student = UserRefSerializer()
    group = serializers.CharField(
        source="group.name", allow_null=True, default=None, help_text="The group's name (deprecated: use `group_id`, as elsewhere)."
    )
    group_id = serializers.IntegerField(source="group.pk", allow_null=True, default=None, help_text="The student's group's id; null: none.")
    due = serializers.DateTimeField(help_text="With the student's extension, if any.")
    extended = serializers.BooleanField()
    status = StatusField(choices=[v.replace(" ", "_") for v in (WorkStatus.NOT_STARTED, WorkStatus.IN_PROGRESS, WorkStatus.DONE)])
    status_label = serializers.CharField(source="label", help_text="The status in the caller's language.")
    done = serializers.IntegerField(help_text="Items done.")
    grade = serializers.FloatField(allow_null=True, help_text="Mean over the items (unfinished count 0); null before any is done.")
    seconds = serializers.IntegerField(allow_null=True)
    items = ItemResultSerializer(many=True, help_text="In the order of the assignment's `items`.")


class AssignmentResultsSerializer(serializers.Serializer):
    """A page of an assignment's results: paged as every list (`count`, `next`, `previous`, `results`),
    with the assignment and its items on every page."""

    assignment = AssignmentSerializer()
    items = ModuleItemSerializer(many=True)
    count = serializers.IntegerField(help_text="Students the assignment is set for, on all pages.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first.")
    results = StudentResultSerializer(many=True, help_text="This page's students, by last name, first name and username.")


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
