"""Classes: teachers, students (enrolments, groups) and module assignments with dates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from quizzes.models.bank import Module, Quiz
from quizzes.zones import time_zone_choices


class Classroom(models.Model):
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=60, unique=True)
    # The school information system's id of the class (OneRoster sourcedId), when it came from one
    # (bulk provisioning, a OneRoster import): the key a re-import updates the class by.
    sourced_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)
    # What a student types on their dashboard to join (8 letters and digits with no look-alikes,
    # shown as ABCD-EFGH); empty: joining is closed. The teacher can give a new one at any time.
    join_code = models.CharField(max_length=8, unique=True, null=True, blank=True, editable=False)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught")
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrolment", through_fields=("classroom", "student"), related_name="classes_joined"
    )
    # The zone the class's dates are read in (due dates, opening times), unless a person set their own.
    time_zone = models.CharField(
        max_length=64, blank=True, choices=time_zone_choices, help_text="Empty: the site's time zone (KZL_TIME_ZONE)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived (API DELETE, or the admin): gone from the teacher's and the students' lists, joining
    # closed; the enrolments, assignments and every attempt and run stay (nothing learners did is lost).
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The change feed's clock (`updated_since`): set on every change, also by a bulk UPDATE (a database trigger, migration 0033).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClassGroup(models.Model):
    """A group inside a class (a table, a set), for assigning work to part of a class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["classroom", "name"]
        constraints = [models.UniqueConstraint(fields=["classroom", "name"], name="classgroup_unique_name")]

    def __str__(self) -> str:
        return f"{self.classroom} / {self.name}"


class Enrolment(models.Model):
    """A student in a class. A teacher reaches a student only by the student's consent (the join
    code) or an administrator's roster; `via` and `added_by` record which."""

    class Via(models.TextChoices):
        JOIN_CODE = "join_code", "joined with the class code"
        PROVISIONED = "provisioned", "account created by the teacher"
        ADMIN = "admin", "added by an administrator"

    # No index of its own: enrolment_unique_student (classroom, student) starts with it.
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrolments", db_index=False)
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(ClassGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments")
    # A teacher sees the student's practice (work outside any assignment) only from this moment on.
    joined_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=12, choices=Via.choices, default=Via.ADMIN)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The change feed's clock, as Classroom.updated_at.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["classroom", "student__username"]
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="enrolment_unique_student")]
        permissions = [("enrol_any_student", "Can enrol any existing student account (administrators)")]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Assignment(models.Model):
    """A module set for a class, or for one group in it, between two dates, with its own settings."""

    class Reveal(models.TextChoices):
        """When the right answers are shown: each maps to the quiz's feedback mode and review option."""

        EACH = "each", "after each question"
        SUBMIT = "submit", "when the attempt is submitted"
        AFTER_LAST = "after_last", "once no attempts remain (or after the due date)"
        AFTER_DUE = "after_due", "after the due date"
        NEVER = "never", "never (only the score)"

    class ScenarioGrading(models.TextChoices):
        COMPLETION = "completion", "completion"
        ACCURACY = "accuracy", "accuracy of predictions"

    # PROTECT both: deleting a class or a group (an inline row has no confirmation page) must not take
    # its assignments, extensions and the link of students' work with them.
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey(
        ClassGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments", help_text="Empty: the whole class."
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignments")
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # A graded assignment is limited by default: retakes after seeing every key would make any grade 100 %.
    attempts_allowed = models.PositiveSmallIntegerField(
        "attempts allowed",
        default=1,
        help_text=(
            "Attempts per quiz for this assignment; 0: as the quiz sets (unlimited on most shared quizzes). "
            "Only work started for the assignment counts."
        ),
    )
    # The settings below override the quiz's own for work done for this assignment (quizzes.classes.
    # selectors.quiz_rules reads them); empty means "as the quiz sets".
    reveal = models.CharField(
        "answers shown",
        max_length=10,
        choices=Reveal.choices,
        blank=True,
        default="",
        help_text=(
            "When students see the right answers and explanations. 'After each question' lets a student "
            "with attempts left retake with the key in mind; later choices hold the key back until then."
        ),
    )
    grade_method = models.CharField(
        "grading method",
        max_length=8,
        choices=Quiz.Grade.choices,
        blank=True,
        default="",
        help_text="Which of a student's scored attempts make their grade on each quiz. Empty: as the quiz sets.",
    )
    shuffle = models.CharField(
        "question order",
        max_length=10,
        choices=Quiz.Order.choices,
        blank=True,
        default="",
        help_text="Shuffled: each attempt shows the questions in its own order. Empty: as the quiz sets.",
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        "time limit (minutes)",
        null=True,
        blank=True,
        help_text="Minutes per attempt, submitted automatically when time is up; 0: no limit. Empty: as the quiz sets.",
    )
    scenario_grading = models.CharField(
        "scenarios graded on",
        max_length=10,
        choices=ScenarioGrading.choices,
        default=ScenarioGrading.COMPLETION,
        help_text="Completion: a finished scenario counts 100 %. Accuracy: the share of its predictions that came true.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived (API DELETE, or the admin): no longer listed or startable; attempts made for it stay.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The change feed's clock, as Classroom.updated_at.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_open")]

    def __str__(self) -> str:
        return f"{self.module} for {self.group or self.classroom}"


class Extension(models.Model):
    """A later due date for one student on one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    due_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "student"], name="extension_unique_student")]

    def __str__(self) -> str:
        return f"{self.student}: {self.assignment} until {self.due_at:%Y-%m-%d %H:%M}"


class ProvisionedAccount(models.Model):
    """A student account a teacher created (one by one or by CSV import): that teacher may enrol
    it in their other classes too; any other account reaches a class by its join code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provisioned")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    classroom = models.ForeignKey(Classroom, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} (created by {self.created_by})"


class RosterRole(models.TextChoices):
    """A person's role in a school information system's roster (OneRoster's role), as KZLearn keeps it."""

    STUDENT = "student", "student"
    TEACHER = "teacher", "teacher"


class SourcedUser(models.Model):
    """The school information system's id (OneRoster sourcedId) of an account made or linked by bulk
    provisioning or a OneRoster import: a second import with the same id updates this account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sourced")
    sourced_id = models.CharField(max_length=255, unique=True)
    role = models.CharField(max_length=10, choices=RosterRole.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.sourced_id} ({self.user})"


class SourcedEnrollment(models.Model):
    """The school information system's id of one person's place in a class: a student's enrolment
    or a teacher's (Classroom.teachers), so an export gives back the ids an import was given."""

    sourced_id = models.CharField(max_length=255, unique=True)
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="sourced_enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sourced_enrollments")
    role = models.CharField(max_length=10, choices=RosterRole.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "user"], name="sourcedenrollment_unique_person")]

    def __str__(self) -> str:
        return f"{self.sourced_id}: {self.user} in {self.classroom} as {self.role}"
