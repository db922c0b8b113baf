from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.loader import render_to_string

from quizzes.bank.export import quiz_export
from quizzes.bank.services import GENERATED_FIELDS, question_set_status
from quizzes.models import Module, ModuleItem, Question, Quiz, QuizQuestion


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Teachers review generated questions: preview as a student sees them, edit, publish, retire.
    An edit is remembered (edited_fields) and regeneration never overwrites it."""

    list_display = ["stem", "qtype", "status", "difficulty", "edited"]
    list_filter = ["status", "qtype", "template", "topics"]
    search_fields = ["stem", "key", "explanation"]
    readonly_fields = ["preview", "key", "template", "generator_version", "fact_ids", "edited_fields", "retired_reason",
                       "period_start", "period_end", "created_at", "updated_at"]
    fieldsets = [
        ("As a student sees it (with the answer revealed)", {"fields": ["preview"]}),
        (None, {"fields": ["status", "stem", "explanation", "difficulty", "topics"]}),
        ("Options and answer key (JSON)", {"classes": ["collapse"], "fields": ["options", "answer"]}),
        ("Provenance", {"classes": ["collapse"], "fields": ["key", "template", "generator_version", "fact_ids", "edited_fields",
                                                            "retired_reason", "period_start", "period_end", "created_at",
                                                            "updated_at"]}),
    ]
    filter_horizontal = ["topics"]
    actions = ["publish", "retire"]

    @admin.display(boolean=True, description="edited by a teacher")
    def edited(self, obj):
        return bool(obj.edited_fields)

    @admin.display(description="preview")
    def preview(self, obj):
        if not obj.pk:
            return "Save the question to preview it."
        options = [dict(o, correct=self._is_correct(obj, o["id"])) for o in obj.options]
        by_id = {o["id"]: o["text"] for o in obj.options}
        rows = [(by_id.get(p, p), by_id.get(c, c)) for p, c in obj.answer.get("pairs", {}).items()]
        return render_to_string("quizzes/partials/question_preview.html", {
            "question": obj, "options": options, "matching_rows": rows,
            "passages": obj.evidence.select_related("source").order_by("source__slug", "start"),
        })

    @staticmethod
    def _is_correct(question, option_id: str) -> bool:
        correct = question.answer.get("correct")
        return option_id in correct if isinstance(correct, list) else option_id == correct

    def save_model(self, request, obj, form, change):
        edited = set(form.changed_data) & {*GENERATED_FIELDS, "topics"}
        if change and edited:
            obj.edited_fields = sorted(set(obj.edited_fields) | edited)
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected questions")
    def publish(self, request, queryset):
        n = question_set_status(questions=queryset, status=Question.Status.PUBLISHED)
        self.message_user(request, f"{n} question(s) published.", messages.SUCCESS)

    @admin.action(description="Retire selected questions (kept for past attempts, no longer used)")
    def retire(self, request, queryset):
        n = question_set_status(questions=queryset, status=Question.Status.RETIRED)
        self.message_user(request, f"{n} question(s) retired.", messages.SUCCESS)


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    autocomplete_fields = ["question"]
    ordering = ["position"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "feedback", "time_limit_seconds", "pass_mark", "published"]
    list_filter = ["published", "feedback", "order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizQuestionInline]
    readonly_fields = ["spec"]
    actions = ["export_moodle", "export_gift"]

    def _export(self, request, queryset, fmt: str):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one quiz to export.", messages.WARNING)
            return None
        filename, content_type, content = quiz_export(quiz=queryset.get(), fmt=fmt,
                                                      base_url=request.build_absolute_uri("/").rstrip("/"))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description="Export for Moodle (Moodle XML)")
    def export_moodle(self, request, queryset):
        return self._export(request, queryset, "moodle")

    @admin.action(description="Export as GIFT")
    def export_gift(self, request, queryset):
        return self._export(request, queryset, "gift")


class ModuleItemInline(admin.TabularInline):
    model = ModuleItem
    extra = 0
    autocomplete_fields = ["quiz"]
    ordering = ["position"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleItemInline]
