"""Query filters for the list endpoints (django-filter). Unknown slugs give an empty list, not an error."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
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
from quizzes.models.collections import NO_COLLECTION, collection_label

SLUG_HELP = "A slug; unknown slugs match nothing."
# Quiz and scenario slugs are unique within a collection only: a list filtered by one that several
# collections use needs `collection` too (400 otherwise, never a silent mix).


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
                self.form.add_error(name, gettext("Give a value, or leave the parameter out."))
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


def _in_collection(queryset, name, value):
    prefix = name.removesuffix("collection")
    if value == NO_COLLECTION:
        return queryset.filter(**{f"{prefix}collection__isnull": True})
    return queryset.filter(**{f"{prefix}collection__slug": value})


def collection_or_none_filter(field_name: str = "collection", what: str = ""):
    """For quizzes and modules, which a teacher may make outside any collection: `none` picks those."""
    return filters.CharFilter(
        field_name=field_name,
        method=_in_collection,
        max_length=80,
        help_text=f"A collection slug (see /collections/){what}, or {NO_COLLECTION} for those outside any collection; " + SLUG_HELP,
    )


class SlugInCollectionFilterSet(FilterSet):
    """A list filtered by a quiz's or scenario's slug (`slug_param`), which is unique within a
    collection only: where several collections use the slug, `collection` must say which (400)."""

    slug_param = ""
    slug_model: type | None = None

    def is_valid(self) -> bool:
        valid = super().is_valid()
        slug = self.data.get(self.slug_param, "")
        if valid and slug and not self.data.get("collection") and self.slug_model is not None:
            owners = sorted({collection_label(o) for o in self.slug_model.objects.filter(slug=slug).select_related("collection")})
            if len(owners) > 1:
                self.form.add_error(
                    "collection",
                    gettext("Several collections have a %(what)s %(slug)s (%(owners)s); add collection=SLUG.")
                    % {"what": self.slug_param, "slug": repr(slug), "owners": ", ".join(owners)},
                )
                valid = False
        return valid


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
    collection = collection_or_none_filter()

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
    collection = collection_or_none_filter()
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


class AttemptFilter(SlugInCollectionFilterSet):
    quiz = filters.CharFilter(field_name="quiz__slug", max_length=80, help_text=SLUG_HELP)
    collection = collection_or_none_filter("quiz__collection", " of the quiz: needed with `quiz` where several collections have it")
    status = filters.ChoiceFilter(choices=Attempt.Status.choices)
    slug_param, slug_model = "quiz", Quiz

    class Meta:
        model = Attempt
        fields = ["quiz", "collection", "status"]


class TeacherAttemptFilter(AttemptFilter):
    classroom = IdFilter(method="filter_classroom", help_text="Class id.")
    assignment = IdFilter(field_name="assignment_id", help_text="Assignment id.")
    student = filters.CharFilter(field_name="user__username", max_length=150, help_text="Username (deprecated: use `student_id`).")
    student_id = IdFilter(field_name="user_id", help_text="The student's id (`student.id` in enrolments, `user.id` here).")

    class Meta(AttemptFilter.Meta):
        fields = ["quiz", "collection", "status", "classroom", "assignment", "student", "student_id"]

    def filter_classroom(self, queryset, name, value):
        # A subquery: the students of that class, no join with enrolments.
        return queryset.filter(user_id__in=Enrolment.objects.filter(classroom_id=value).values("student_id"))


class ScenarioRunFilter(SlugInCollectionFilterSet):
    scenario = filters.CharFilter(field_name="scenario__slug", max_length=80, help_text=SLUG_HELP)
    collection = filters.CharFilter(
        field_name="scenario__collection__slug",
        max_length=80,
        help_text="The scenario's collection (slug): needed with `scenario` where several collections have it; " + SLUG_HELP,
    )
    status = filters.ChoiceFilter(choices=ScenarioRun.Status.choices)
    slug_param, slug_model = "scenario", Scenario

    class Meta:
        model = ScenarioRun
        fields = ["scenario", "collection", "status"]


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
