"""Query filters for the list endpoints (django-filter). Unknown slugs give an empty list, not an error."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from quizzes.models import (
    Assignment,
    Attempt,
    Claim,
    Enrolment,
    Entity,
    Event,
    Figure,
    Module,
    Quiz,
    QuizQuestion,
    Scenario,
    ScenarioRun,
    Source,
    Topic,
)

SLUG_HELP = "A slug; unknown slugs match nothing."


class StrictDateField(forms.DateField):
    """A date in ISO form (YYYY-MM-DD) only."""

    input_formats = ["%Y-%m-%d"]


class DateFilter(filters.DateFilter):
    field_class = StrictDateField


class FilterSet(filters.FilterSet):
    """A FilterSet where a date, choice or id parameter given empty (`?status=`) is an error, not "no filter"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, f in self.filters.items():
            if not isinstance(f, filters.CharFilter) and self.data.get(name, None) == "":
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """An object id (a whole number)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


def collection_filter():
    return filters.CharFilter(field_name="collection__slug", max_length=80, help_text="A collection slug (see /collections/); " + SLUG_HELP)


class SourceFilter(FilterSet):
    collection = collection_filter()

    class Meta:
        model = Source
        fields = ["collection"]


class TopicFilter(FilterSet):
    collection = collection_filter()

    class Meta:
        model = Topic
        fields = ["collection"]


class ModuleFilter(FilterSet):
    collection = collection_filter()

    class Meta:
        model = Module
        fields = ["collection"]


class EntityFilter(FilterSet):
    collection = collection_filter()
    kind = filters.ChoiceFilter(choices=Entity.Kind.choices)
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=100, help_text="Part of the name.")

    class Meta:
        model = Entity
        fields = ["collection", "kind", "q"]


class EventFilter(FilterSet):
    collection = collection_filter()
    date_from = DateFilter(method="filter_date_from", help_text="Events that may have happened on or after this day.")
    date_to = DateFilter(field_name="date", lookup_expr="lte", help_text="Events that may have happened on or before this day.")
    topic = filters.CharFilter(field_name="topics__slug", max_length=80, help_text=SLUG_HELP)
    actor = filters.CharFilter(field_name="actors__slug", max_length=80, help_text=SLUG_HELP)
    place = filters.CharFilter(field_name="place__slug", max_length=80, help_text=SLUG_HELP)

    class Meta:
        model = Event
        fields = ["collection", "date_from", "date_to", "topic", "actor", "place"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(Q(date_end__gte=value) | Q(date_end__isnull=True, date__gte=value))


class FigureFilter(FilterSet):
    collection = collection_filter()
    topic = filters.CharFilter(field_name="topics__slug", max_length=80, help_text=SLUG_HELP)
    event = filters.CharFilter(field_name="event__slug", max_length=80, help_text=SLUG_HELP)

    class Meta:
        model = Figure
        fields = ["collection", "topic", "event"]


class ClaimFilter(FilterSet):
    collection = collection_filter()
    date_from = DateFilter(field_name="date", lookup_expr="gte")
    date_to = DateFilter(field_name="date", lookup_expr="lte")
    topic = filters.CharFilter(field_name="topics__slug", max_length=80, help_text=SLUG_HELP)
    claimant = filters.CharFilter(field_name="claimant__slug", max_length=80, help_text=SLUG_HELP)
    about = filters.CharFilter(field_name="about__slug", max_length=80, help_text="An event slug; unknown slugs match nothing.")

    class Meta:
        model = Claim
        fields = ["collection", "date_from", "date_to", "topic", "claimant", "about"]


class QuizFilter(FilterSet):
    collection = collection_filter()
    topic = filters.CharFilter(method="filter_topic", max_length=80, help_text="Quizzes with a question on this topic (slug).")

    def filter_topic(self, queryset, name, value):
        on_topic = QuizQuestion.objects.filter(quiz=OuterRef("pk"), question__topics__slug=value)
        return queryset.filter(Exists(on_topic))

    class Meta:
        model = Quiz
        fields = ["collection", "topic"]


class ScenarioFilter(FilterSet):
    collection = collection_filter()
    topic = filters.CharFilter(field_name="topics__slug", max_length=80, help_text=SLUG_HELP)

    class Meta:
        model = Scenario
        fields = ["collection", "topic"]


class AttemptFilter(FilterSet):
    quiz = filters.CharFilter(field_name="quiz__slug", max_length=80, help_text=SLUG_HELP)
    status = filters.ChoiceFilter(choices=Attempt.Status.choices)

    class Meta:
        model = Attempt
        fields = ["quiz", "status"]


class TeacherAttemptFilter(AttemptFilter):
    classroom = IdFilter(method="filter_classroom", help_text="Class id.")
    assignment = IdFilter(field_name="assignment_id", help_text="Assignment id.")
    student = filters.CharFilter(field_name="user__username", max_length=150)

    class Meta(AttemptFilter.Meta):
        fields = ["quiz", "status", "classroom", "assignment", "student"]

    def filter_classroom(self, queryset, name, value):
        # A subquery: the students of that class, no join with enrolments.
        return queryset.filter(user_id__in=Enrolment.objects.filter(classroom_id=value).values("student_id"))


class ScenarioRunFilter(FilterSet):
    scenario = filters.CharFilter(field_name="scenario__slug", max_length=80, help_text=SLUG_HELP)
    status = filters.ChoiceFilter(choices=ScenarioRun.Status.choices)

    class Meta:
        model = ScenarioRun
        fields = ["scenario", "status"]


class AssignmentFilter(FilterSet):
    classroom = IdFilter(field_name="classroom_id", help_text="Class id.")

    class Meta:
        model = Assignment
        fields = ["classroom"]


class EnrolmentFilter(FilterSet):
    classroom = IdFilter(field_name="classroom_id", help_text="Class id.")

    class Meta:
        model = Enrolment
        fields = ["classroom"]
