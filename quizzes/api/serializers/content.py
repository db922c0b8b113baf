"""Content serializers (read): collections, topics, sources, entities, events, figures, claims, quizzes, scenarios, modules."""

from __future__ import annotations

from rest_framework import serializers

from quizzes.models import (
    Claim,
    Collection,
    Entity,
    EntityRole,
    Event,
    Figure,
    FigureReport,
    Module,
    ModuleItem,
    Passage,
    Quiz,
    Scenario,
    Source,
    Topic,
)

# --- content -------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    # A field named "source" shadows Field.source (the attribute path) in the stubs; DRF allows it.
    source: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[assignment]
    anchor = serializers.CharField(read_only=True, help_text="Fragment id of the passage on the source reader page.")

    class Meta:
        model = Passage
        fields = ["id", "source", "quote", "start", "end", "anchor"]


class SnapshotEvidenceSerializer(serializers.Serializer):
    """A passage as it was cited when the learner saw the item (frozen in the attempt)."""

    id = serializers.IntegerField()
    quote = serializers.CharField()
    source = serializers.CharField(help_text="Source slug.")  # type: ignore[assignment]  # as above
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
    topics: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
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
            "date_inferred",
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
    event: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    place = EntityRefSerializer(read_only=True, allow_null=True)
    topics: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    contested = serializers.BooleanField(source="is_contested", read_only=True, help_text="The sources give different numbers.")
    reports = FigureReportSerializer(many=True, read_only=True)

    class Meta:
        model = Figure
        fields = ["collection", "slug", "measure", "unit", "event", "place", "topics", "contested", "reports"]


class ClaimSerializer(serializers.ModelSerializer):
    collection = collection_field()
    claimant = EntityRefSerializer(read_only=True)
    attributed = serializers.CharField(source="__str__", read_only=True, help_text='"According to <claimant>, <statement>".')
    about: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    topics: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
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
    topics: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    step_count = serializers.IntegerField(read_only=True, help_text="Main-line steps; follow-up steps depend on the learner's choices.")

    class Meta:
        model = Scenario
        fields = ["collection", "slug", "title", "intro", "position", "topics", "step_count"]


class ModuleItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["quiz", "scenario"])
    collection = serializers.CharField(
        allow_null=True, help_text="The quiz's or scenario's collection (slug); null for a quiz outside any."
    )
    slug = serializers.CharField()
    title = serializers.CharField()

    def to_representation(self, item: ModuleItem):
        target = item.quiz or item.scenario
        assert target is not None  # a module item is a quiz or a scenario (moduleitem_quiz_or_scenario)
        return {
            "position": item.position,
            "kind": "quiz" if item.quiz_id else "scenario",
            "collection": target.collection.slug if target.collection is not None else None,
            "slug": target.slug,
            "title": target.title,
        }


class ModuleSerializer(serializers.ModelSerializer):
    collection = collection_field(allow_null=True)
    items = ModuleItemSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "collection", "slug", "title", "description", "position", "items"]
