from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quizzes.models import Passage, Source
from quizzes.sources.selectors import source_highlighted


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["label", "collection", "outlet", "author", "published_on", "passage_count"]
    list_filter = ["collection"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["label", "title", "outlet", "author", "text"]
    readonly_fields = ["slug", "file_name", "sha256", "highlighted_text", "furniture_spans", "metadata_evidence"]
    fieldsets = [
        (None, {"fields": ["slug", "label", "title", "outlet", "author", "published_on", "published_precision", "url"]}),
        ("Text with evidence passages highlighted", {"fields": ["highlighted_text"]}),
        ("Provenance", {"classes": ["collapse"], "fields": ["file_name", "sha256", "metadata_evidence", "furniture_spans"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_passages=Count("passages"))

    @admin.display(description=_("passages"), ordering="n_passages")
    def passage_count(self, obj):
        return obj.n_passages

    @admin.display(description=_("text"))
    def highlighted_text(self, obj):
        return format_html(
            '<div class="kzl-source-text" style="white-space: pre-wrap; max-width: 60em; line-height: 1.6">{}</div>'
            '<p class="help">Highlighted: passages cited as evidence (hover to see by what). '
            "Struck through: page furniture, which nothing can cite.</p>"
            "<style>.kzl-source-text mark{{background:#fde68a;color:#111}}"
            ".kzl-source-text .furniture{{color:#666;text-decoration:line-through}}</style>",
            source_highlighted(obj, with_citers=True),
        )


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    """Adding a passage: pick the source and paste the quote; the offsets are computed, and a
    quote that is not in the source verbatim is refused with a form error."""

    list_display = ["__str__", "source", "start", "end"]
    list_filter = ["source"]
    search_fields = ["quote"]
    fields = ["source", "quote", "start", "end"]
    readonly_fields = ["start", "end"]
    list_select_related = ["source"]
