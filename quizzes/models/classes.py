"""Classes: teachers, students (enrolments, groups) and module assignments with dates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from quizzes.models.bank import Module


class Classroom(models.Model):
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=60, unique=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught")
    students = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Enrolment", related_name="classes_joined")
    created_at = models.DateTimeField(auto_now_add=True)

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
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(ClassGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["classroom", "student__username"]
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="enrolment_unique_student")]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Assignment(models.Model):
    """A module set for a class, or for one group in it, between two dates."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(
        ClassGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments", help_text="Empty: the whole class."
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignments")
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

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
