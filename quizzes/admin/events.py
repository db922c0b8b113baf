from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from quizzes.admin.classes import job_started_redirect
from quizzes.jobs.services import job_start
from quizzes.models import (
    Claim,
    Dispute,
    DisputeAccount,
    Entity,
    EntityRole,
    Event,
    EventLink,
    Figure,
    FigureReport,
    Job,
    Topic,
)

EVIDENCE_HELP = "Passages are quotes that occur verbatim in a source; add new ones under Passages."


class EvidenceMixin:
    autocomplete_fields = ["evidence"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "collection", "seed_file", "retired_at"]
    list_filter = ["collection"]
    search_fields = ["name", "slug"]


class EntityRoleInline(EvidenceMixin, admin.TabularInline):
    model = EntityRole
    extra = 0


@admin.register(Entity)
class EntityAdmin(EvidenceMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "collection", "seed_file", "retired_at"]
    list_filter = ["collection", "kind", "place_kind"]
    search_fields = ["name", "slug", "aliases"]
    inlines = [EntityRoleInline]


class LinkOutInline(EvidenceMixin, admin.TabularInline):
    model = EventLink
    fk_name = "from_event"
    extra = 0
    autocomplete_fields = ["to_event", "evidence"]
    verbose_name = "link to a later or related event"


@admin.register(Event)
class EventAdmin(EvidenceMixin, admin.ModelAdmin):
    list_display = ["title", "date", "date_precision", "date_end", "place", "collection", "retired_at"]
    list_filter = ["collection", "topics", "date_precision", "date"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "date"
    autocomplete_fields = ["place", "actors", "evidence"]
    filter_horizontal = ["topics"]
    list_select_related = ["place"]
    inlines = [LinkOutInline]
    actions = ["generate_questions"]

    @admin.action(description=_("Generate questions about the selected events"))
    def generate_questions(self, request, queryset):
        job = job_start(
            kind=Job.Kind.GENERATE_QUESTIONS, params={"event_slugs": sorted(queryset.values_list("slug", flat=True))}, user=request.user
        )
        return job_started_redirect(request, job)


class FigureReportInline(EvidenceMixin, admin.StackedInline):
    model = FigureReport
    extra = 0
    autocomplete_fields = ["reported_by", "evidence"]


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["measure", "unit", "report_count", "contested"]
    list_filter = ["collection", "topics"]
    search_fields = ["measure", "slug"]
    autocomplete_fields = ["event", "place"]
    filter_horizontal = ["topics"]
    inlines = [FigureReportInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reports")

    @admin.display(description=_("reports"))
    def report_count(self, obj):
        return len(obj.reports.all())

    @admin.display(description=_("sources differ"), boolean=True)
    def contested(self, obj):
        return obj.is_contested


@admin.register(Claim)
class ClaimAdmin(EvidenceMixin, admin.ModelAdmin):
    list_display = ["__str__", "claimant", "date"]
    list_filter = ["collection", "topics", "claimant__kind"]
    search_fields = ["statement", "slug", "claimant__name"]
    autocomplete_fields = ["claimant", "about", "evidence"]
    filter_horizontal = ["topics"]
    list_select_related = ["claimant"]


@admin.register(EventLink)
class EventLinkAdmin(EvidenceMixin, admin.ModelAdmin):
    list_display = ["from_event", "kind", "to_event", "collection"]
    list_filter = ["collection", "kind"]
    autocomplete_fields = ["from_event", "to_event", "evidence"]
    list_select_related = ["from_event", "to_event"]


class DisputeAccountInline(EvidenceMixin, admin.StackedInline):
    model = DisputeAccount
    extra = 0


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["question", "slug", "collection"]
    list_filter = ["collection"]
    search_fields = ["question", "slug"]
    autocomplete_fields = ["events", "figures"]
    filter_horizontal = ["topics"]
    inlines = [DisputeAccountInline]
