"""Public reads: the sources and the curated dataset, and published quizzes, scenarios and modules."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from quizzes.api import filters, serializers
from quizzes.api.permissions import IsTeacher
from quizzes.api.query import StrictQuery
from quizzes.api.views import SLUG_PATTERN
from quizzes.bank.selectors import published_modules
from quizzes.classes.selectors import modules_for_learner, quizzes_for_learner
from quizzes.models import Claim, Collection, Entity, EntityRole, Event, Figure, FigureReport, Passage, Quiz, Scenario, Source, Topic
from quizzes.models.collections import collection_label
from quizzes.permissions import quizzes_for_teacher
from quizzes.progress.results import quiz_item_statistics

EVIDENCE = Prefetch("evidence", queryset=Passage.objects.with_source().order_by("source__slug", "start"))


class ContentViewSet(StrictQuery, viewsets.ReadOnlyModelViewSet):
    """Slugs are unique within a collection: lists leave retired items out and take `?collection=`;
    a detail whose slug several collections use asks for `?collection=` (400) instead of guessing."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    curated = False  # the model has retired_at (dropped by a later version of its collection)
    per_collection = False  # slugs unique within a collection only (curated models are, too)

    def extra_query_parameters(self) -> tuple[str, ...]:
        """A detail by a slug several collections may use takes `?collection=` to say which."""
        return ("collection",) if self.action == "retrieve" and (self.curated or self.per_collection) else ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.curated and self.action == "list":
            queryset = queryset.filter(retired_at__isnull=True)
        return queryset

    def get_object(self):
        if not (self.curated or self.per_collection):
            return super().get_object()
        slug = self.kwargs[self.lookup_field]
        found = list(self.filter_queryset(self.get_queryset()).filter(slug=slug)[:5])
        if not found:
            raise NotFound()
        if len(found) > 1:
            owners = ", ".join(sorted(collection_label(o) for o in found))
            name = self.get_queryset().model._meta.verbose_name
            raise ValidationError(
                {
                    "collection": [
                        gettext("Several collections have a %(what)s %(slug)s (%(owners)s); add ?collection=SLUG.")
                        % {"what": name, "slug": repr(slug), "owners": owners}
                    ]
                }
            )
        self.check_object_permissions(self.request, found[0])
        return found[0]


class CollectionViewSet(ContentViewSet):
    """The collections (episodes) loaded side by side: title, period, description, language, dates.
    Filter any content list with `?collection=SLUG`."""

    queryset = Collection.objects.order_by("position", "slug")
    serializer_class = serializers.CollectionSerializer


class SourceViewSet(ContentViewSet):
    """The five source articles; the detail has the full text, byte for byte."""

    def get_queryset(self):
        if self.action == "list":
            return Source.objects.select_related("collection").defer("text", "furniture_spans", "metadata_evidence")
        return Source.objects.select_related("collection")

    filterset_class = filters.SourceFilter
    curated = True

    def get_serializer_class(self):
        return serializers.SourceSerializer if self.action == "list" else serializers.SourceDetailSerializer


class TopicViewSet(ContentViewSet):
    """Topic tags used to filter events, figures, claims, quizzes and scenarios."""

    queryset = Topic.objects.select_related("collection")
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter
    curated = True


class EntityViewSet(ContentViewSet):
    """People, organisations, groups, places and countries, with their roles and evidence."""

    curated = True
    queryset = Entity.objects.select_related("collection").prefetch_related(
        EVIDENCE, Prefetch("roles", queryset=EntityRole.objects.prefetch_related(EVIDENCE))
    )
    serializer_class = serializers.EntitySerializer
    filterset_class = filters.EntityFilter


class EventViewSet(ContentViewSet):
    """Events in date order; `date_from`/`date_to` match any event whose possible dates overlap the range."""

    curated = True
    queryset = Event.objects.select_related("place", "collection").prefetch_related("actors", "topics", EVIDENCE)
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter


class FigureViewSet(ContentViewSet):
    """Reported figures; each report is one source's version of the number."""

    curated = True
    queryset = Figure.objects.select_related("event", "place", "collection").prefetch_related(
        "topics", Prefetch("reports", queryset=FigureReport.objects.select_related("figure", "reported_by").prefetch_related(EVIDENCE))
    )
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilter


class ClaimViewSet(ContentViewSet):
    """Attributed claims: always "According to <claimant>, ...", never stated as fact."""

    curated = True
    queryset = Claim.objects.select_related("claimant", "collection").prefetch_related("about", "topics", EVIDENCE)
    serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilter


class QuizViewSet(ContentViewSet):
    """Quizzes I may take: shared and published, private to one of my classes, or assigned to me
    (questions are served only inside an attempt)."""

    serializer_class = serializers.QuizSerializer
    filterset_class = filters.QuizFilter
    per_collection = True

    def get_queryset(self):
        if self.action == "statistics" and not getattr(self, "swagger_fake_view", False):
            return quizzes_for_teacher(self.request.user)
        visible = quizzes_for_learner(self.request.user)  # shared, private to my classes, or assigned to me
        return Quiz.objects.filter(pk__in=visible).select_related("collection").annotate(question_count=Count("items")).order_by("slug")

    @extend_schema(responses=serializers.QuizStatisticsSerializer, filters=False)
    @action(detail=True, permission_classes=[IsTeacher], filterset_class=None, pagination_class=None)
    def statistics(self, request, slug=None):
        """Item statistics of the quiz's questions over all learners, as the statistics job last stored them (teachers only)."""
        quiz = self.get_object()
        items, computed_at = quiz_item_statistics(quiz)
        return Response(serializers.QuizStatisticsSerializer({"quiz": quiz.slug, "computed_at": computed_at, "items": items}).data)


class ScenarioViewSet(ContentViewSet):
    """Published "what happened next" scenarios (steps are served only inside a run)."""

    queryset = (
        Scenario.objects.filter(published=True)
        .select_related("collection")
        .annotate(step_count=Count("steps", filter=Q(steps__branch_of__isnull=True)))
        .prefetch_related("topics")
        .order_by("position", "slug")
    )
    serializer_class = serializers.ScenarioSerializer
    filterset_class = filters.ScenarioFilter
    per_collection = True


class ModuleViewSet(ContentViewSet):
    """Published modules I may see (shared, or private to one of my classes): quizzes and scenarios along the arc of events."""

    serializer_class = serializers.ModuleSerializer
    filterset_class = filters.ModuleFilter
    per_collection = True

    def get_queryset(self):
        return published_modules().filter(pk__in=modules_for_learner(self.request.user)).select_related("collection")
