from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quizzes.bank.assembly import QuizSpecError, quiz_build
from quizzes.bank.export import quiz_export
from quizzes.bank.selectors import module_preview, module_slug_free
from quizzes.bank.services import GENERATED_FIELDS, question_copy, question_set_status
from quizzes.bank.versions import question_versions_refresh
from quizzes.i18n import translated
from quizzes.models import Collection, Module, ModuleItem, Question, QuestionType, Quiz, QuizQuestion, Topic
from quizzes.permissions import (
    content_editable_by,
    modules_for_teacher,
    question_key_shared_elsewhere,
    questions_for_teacher,
    quizzes_for_teacher,
    scenarios_for_teacher,
)
from quizzes.progress.results import quiz_item_statistics
from quizzes.progress.statistics import FLAG_MIN_RESPONSES
from quizzes.scoring import key_problems


class OwnershipChecksMixin:
    """The ownership checks of every owned-content admin (questions, quizzes, modules, scenarios and
    their steps): `owner` is the superuser's to set, and only who may edit the content
    (quizzes.permissions.content_editable_by) changes or deletes it."""

    shared_noun = "shared content you do not own"  # what a delete names that the user may not delete

    @staticmethod
    def _owned(obj):
        """The object whose owner decides (a step: its scenario)."""
        return obj

    def _owner_readonly(self, request) -> list[str]:
        return [] if request.user.is_superuser else ["owner"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._owner_readonly(request)]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or content_editable_by(request.user, self._owned(obj)))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or content_editable_by(request.user, self._owned(obj)))

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not all(content_editable_by(request.user, self._owned(o)) for o in objs):
            perms_needed = {*perms_needed, self.shared_noun}
        return deleted, counts, perms_needed, protected


class OwnedContentMixin(OwnershipChecksMixin):
    """Teachers see their own content and shared published content, and change or delete only their own."""

    visible = None  # selector: user -> the queryset the teacher may see

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk__in=type(self).visible(request.user).values("pk"))

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        if not request.user.is_superuser:
            cl.list_editable = ()  # the list mixes shared rows a teacher may not change
        return cl

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model in (ModuleItem, QuizQuestion):
            positions_save(formset, renumber=formset.model is ModuleItem)
        else:
            super().save_formset(request, form, formset, change)


class OwnedParentInlineMixin:
    """Rows of shared content are read-only for a teacher, like the content itself."""

    def _editable(self, request, obj) -> bool:
        return obj is None or content_editable_by(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


def positions_save(formset, *, renumber: bool = False) -> None:
    """Save an ordered inline so that rows can swap positions: (parent, position) is unique, so
    moved rows first step out of the way, then take their new places. `renumber`: the rows kept
    are numbered 1..n in the order of the positions sent (rows sent without one go last)."""
    objs = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    if renumber:
        kept = [f.instance for f in formset.forms if f.instance.pk or f.instance in objs]
        kept = [o for o in kept if o not in formset.deleted_objects]
        kept.sort(key=lambda o: o.position)
        for n, obj in enumerate(kept, start=1):
            if obj.position != n and obj not in objs:
                objs.append(obj)
            obj.position = n
    formset.model.objects.filter(pk__in=[o.pk for o in objs if o.pk]).update(position=F("position") + 10000)
    for obj in objs:
        obj.save()
    formset.save_m2m()


class QuestionForm(forms.ModelForm):
    """Options and key must fit the question's type (quizzes.scoring.key_problems), or every answer to it would fail."""

    class Meta:
        model = Question
        fields = ["status", "stem", "explanation", "difficulty", "topics", "options", "answer"]

    def clean(self):
        data = super().clean()
        if "options" in self.fields and "answer" in self.fields and not self.has_error("options") and not self.has_error("answer"):
            options = data.get("options", self.instance.options)
            answer = data.get("answer", self.instance.answer)
            for problem in key_problems(self.instance.qtype, options, answer):
                self.add_error("answer" if problem.startswith("answer") else "options", translated(problem))
        return data


@admin.register(Question)
class QuestionAdmin(OwnershipChecksMixin, admin.ModelAdmin):
    """Curators review generated questions: preview as a student sees them, edit, publish, retire.
    An edit is remembered (edited_fields) and regeneration never overwrites it. Teachers read the
    shared bank and edit only their own copies ("Make my own copy"); a copy's key cannot be changed
    while another teacher's quiz or class is scored against it."""

    form = QuestionForm
    list_display = ["stem", "collection", "qtype", "status", "difficulty", "owner", "edited"]
    list_filter = ["collection", "status", "qtype", "template", "topics"]
    search_fields = ["stem", "key", "explanation"]
    readonly_fields = [
        "preview",
        "key",
        "template",
        "generator_version",
        "fact_ids",
        "edited_fields",
        "retired_reason",
        "period_start",
        "period_end",
        "copied_from",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        ("As a student sees it (with the answer revealed)", {"fields": ["preview"]}),
        (None, {"fields": ["status", "stem", "explanation", "difficulty", "topics"]}),
        ("Options and answer key (JSON)", {"classes": ["collapse"], "fields": ["options", "answer"]}),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "owner",
                    "copied_from",
                    "key",
                    "template",
                    "generator_version",
                    "fact_ids",
                    "edited_fields",
                    "retired_reason",
                    "period_start",
                    "period_end",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    filter_horizontal = ["topics"]
    actions = ["publish", "retire", "make_copy"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=questions_for_teacher(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        extra = []
        if (
            obj is not None
            and obj.owner_id is not None
            and not request.user.is_superuser
            and question_key_shared_elsewhere(obj, request.user)
        ):
            extra += ["options", "answer"]  # another teacher's quiz or class is scored against this key
        return [*super().get_readonly_fields(request, obj), *extra]

    def has_add_permission(self, request):
        # Questions come from the generator (curators) or from "Make my own copy".
        return super().has_add_permission(request) and request.user.has_perm("quizzes.curate_shared")

    def _editable(self, request, queryset):
        return [q.pk for q in queryset if content_editable_by(request.user, q)]

    @admin.action(description=_("Make my own copy (to edit and put in my quizzes)"), permissions=["view"])
    def make_copy(self, request, queryset):
        copies = [question_copy(question=q, owner=request.user) for q in queryset]
        for copy in copies:
            url = reverse("admin:quizzes_question_change", args=[copy.pk])
            self.message_user(request, format_html(gettext('Your copy: <a href="{}">{}</a>'), url, copy.stem[:80]), messages.SUCCESS)

    @admin.display(boolean=True, description=_("edited by a teacher"))
    def edited(self, obj):
        return bool(obj.edited_fields)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "Save the question to preview it."
        options = [dict(o, correct=self._is_correct(obj, o["id"])) for o in obj.options]
        by_id = {o["id"]: o["text"] for o in obj.options}
        rows = [(by_id.get(p, p), by_id.get(c, c)) for p, c in obj.answer.get("pairs", {}).items()]
        return render_to_string(
            "quizzes/partials/question_preview.html",
            {
                "question": obj,
                "options": options,
                "matching_rows": rows,
                "passages": obj.evidence.select_related("source").order_by("source__slug", "start"),
            },
        )

    @staticmethod
    def _is_correct(question, option_id: str) -> bool:
        correct = question.answer.get("correct")
        return option_id in correct if isinstance(correct, list) else option_id == correct

    def save_model(self, request, obj, form, change):
        edited = set(form.changed_data) & {*GENERATED_FIELDS, "topics"}
        if change and edited:
            obj.edited_fields = sorted(set(obj.edited_fields) | edited)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After evidence and topics: the version the next attempt shows is the edited question.
        question_versions_refresh(questions=Question.objects.filter(pk=form.instance.pk))

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish(self, request, queryset):
        n = question_set_status(questions=queryset.filter(pk__in=self._editable(request, queryset)), status=Question.Status.PUBLISHED)
        self.message_user(request, ngettext("%(n)d question published.", "%(n)d questions published.", n) % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Retire selected questions (kept for past attempts, no longer used)"), permissions=["change"])
    def retire(self, request, queryset):
        n = question_set_status(questions=queryset.filter(pk__in=self._editable(request, queryset)), status=Question.Status.RETIRED)
        self.message_user(request, ngettext("%(n)d question retired.", "%(n)d questions retired.", n) % {"n": n}, messages.SUCCESS)


class QuizQuestionInline(OwnedParentInlineMixin, admin.TabularInline):
    model = QuizQuestion
    extra = 0
    autocomplete_fields = ["question"]
    ordering = ["position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["queryset"] = questions_for_teacher(request.user)  # the shared bank and my own copies
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Quiz)
class QuizAdmin(OwnedContentMixin, admin.ModelAdmin):
    visible = staticmethod(quizzes_for_teacher)
    list_display = [
        "title",
        "slug",
        "collection",
        "order",
        "feedback",
        "time_limit_seconds",
        "pass_mark",
        "published",
        "owner",
        "statistics",
    ]
    list_filter = ["collection", "published", "feedback", "order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizQuestionInline]
    readonly_fields = ["spec"]
    actions = ["export_moodle", "export_gift"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Its questions' versions are built when it is saved, so a start only reads them.
        quiz = form.instance
        question_versions_refresh(questions=Question.objects.filter(quiz_items__quiz=quiz, current_version__isnull=True))

    def _export(self, request, queryset, fmt: str):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one quiz to export."), messages.WARNING)
            return None
        filename, content_type, content = quiz_export(quiz=queryset.get(), fmt=fmt, base_url=request.build_absolute_uri("/").rstrip("/"))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Export for Moodle (Moodle XML)"))
    def export_moodle(self, request, queryset):
        return self._export(request, queryset, "moodle")

    @admin.action(description=_("Export as GIFT"))
    def export_gift(self, request, queryset):
        return self._export(request, queryset, "gift")

    @admin.display(description="")
    def statistics(self, obj):
        return format_html('<a href="{}">Item statistics</a>', reverse("admin:quizzes_quiz_statistics", args=[obj.pk]))

    def get_urls(self):
        return [
            path("<int:pk>/statistics/", self.admin_site.admin_view(self.statistics_view), name="quizzes_quiz_statistics"),
            path("build/", self.admin_site.admin_view(lambda request: quiz_build_view(self, request)), name="quizzes_quiz_build"),
        ] + super().get_urls()

    def statistics_view(self, request, pk: int):
        """The stored item statistics of a quiz's questions over all learners (recomputed by a background job)."""
        quiz = get_object_or_404(self.get_queryset(request), pk=pk)
        stats, computed_at = quiz_item_statistics(quiz)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": quiz,
            "title": f"Item statistics: {quiz}",
            "sections": [{"quiz": quiz, "stats": stats}],
            "computed_at": computed_at,
            "all_learners": True,
            "min_responses": FLAG_MIN_RESPONSES,
        }
        return TemplateResponse(request, "admin/quizzes/item_statistics.html", context)


def module_item_choices(user) -> list:
    """The one picker of a module's rows: the quizzes and the scenarios a teacher may use, grouped,
    as "quiz:ID" / "scenario:ID" (read once per page, not once per row)."""
    quizzes = [(f"quiz:{pk}", title) for pk, title in quizzes_for_teacher(user).order_by("title").values_list("pk", "title")]
    scenarios = [(f"scenario:{pk}", title) for pk, title in scenarios_for_teacher(user).order_by("title").values_list("pk", "title")]
    return [("Quizzes", quizzes), ("Scenarios", scenarios)]


def module_item_value(item: ModuleItem) -> str:
    return f"quiz:{item.quiz_id}" if item.quiz_id else f"scenario:{item.scenario_id}" if item.scenario_id else ""


def module_item_label(item: ModuleItem) -> str:
    """A row's name: its kind and its content's title (never "Item 3")."""
    if item.quiz_id:
        return f"Quiz: {item.quiz}"
    return f"Scenario: {item.scenario}" if item.scenario_id else ""


# A row added without a position (no JavaScript) goes after the others: save renumbers 1..n.
UNPLACED = 30000


class ModuleItemForm(forms.ModelForm):
    """One row of a module: one picker for a quiz or a scenario; the position is kept by the page
    (drag, or the Up and Down buttons), never typed."""

    content = forms.ChoiceField(label=_("Quiz or scenario"))
    content_choices: list = []  # set per request by ModuleItemInline.get_formset

    class Meta:
        model = ModuleItem
        fields = ["content", "position"]
        widgets = {"position": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False
        if "content" in self.fields:
            choices = [("", "Choose a quiz or a scenario…"), *self.content_choices]
            current = module_item_value(self.instance)
            offered = {value for _, group in self.content_choices for value, _ in group}
            if current and current not in offered:  # a row kept from before (e.g. a quiz its owner made private)
                choices.append(("In this module", [(current, module_item_label(self.instance))]))
            self.fields["content"].choices = choices
            self.fields["content"].widget.attrs["aria-label"] = "Quiz or scenario"
            self.initial.setdefault("content", current)

    def clean(self):
        data = super().clean()
        value = data.get("content")
        if "content" in self.fields:
            if not value:
                self.add_error("content", gettext("Choose a quiz or a scenario."))
            else:
                kind, _, pk = value.partition(":")
                self.instance.quiz_id = int(pk) if kind == "quiz" else None
                self.instance.scenario_id = int(pk) if kind == "scenario" else None
        if "position" in self.fields and data.get("position") is None:
            data["position"] = UNPLACED + int(self.prefix.rsplit("-", 1)[-1]) if self.prefix and self.prefix[-1].isdigit() else UNPLACED
        return data


class ModuleItemInline(OwnedParentInlineMixin, admin.TabularInline):
    """The module's steps in order, each a quiz or a scenario from one picker; reordered by dragging a
    row or with its Up and Down buttons (static/js/module-order.js), never by typing positions."""

    model = ModuleItem
    form = ModuleItemForm
    template = "admin/quizzes/module/items_inline.html"
    extra = 0
    fields = ["content", "position"]
    ordering = ["position"]
    verbose_name = "quiz or scenario"
    verbose_name_plural = "Quizzes and scenarios, in the order students meet them"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quiz", "scenario")

    @admin.display(description=_("quiz or scenario"))
    def content(self, obj):
        return module_item_label(obj)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type("ModuleItemForm", (self.form,), {"content_choices": module_item_choices(request.user)})
        return super().get_formset(request, obj, **kwargs)


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title", "slug", "description", "collection", "private", "published", "position", "owner"]
        labels = {"private": "Who may practise it", "published": "Published", "slug": "Address"}
        help_texts = {
            "private": "Students of your classes, or every student of the school in their Open practice. "
            "An assignment opens it to its students either way.",
            "published": "Students see it in their Open practice (an assignment opens it even unpublished).",
            "slug": "Its address, made from the title; change it only if you must.",
            "position": "Where it stands among the modules of its collection.",
        }
        widgets = {
            "private": forms.RadioSelect(choices=[(True, "only the students of my classes"), (False, "every student of the school")]),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Module)
class ModuleAdmin(OwnedContentMixin, admin.ModelAdmin):
    """Title first (the address is made from it), one picker for quizzes and scenarios, rows
    reordered by dragging or with Up and Down, and "Preview as a student". A teacher's new module
    is for their own classes unless they open it to the school."""

    visible = staticmethod(modules_for_teacher)
    form = ModuleForm
    list_display = ["title", "slug", "collection", "audience", "position", "published", "owner", "preview_link"]
    list_editable = ["position", "published"]
    list_filter = ["collection", "published"]
    search_fields = ["title", "slug"]
    inlines = [ModuleItemInline]

    class Media:
        js = ["js/module-order.js"]

    def get_fieldsets(self, request, obj=None):
        main = ["title", "description", "collection", "private", "published"]
        more = (["slug"] if obj is not None else []) + ["position"] + (["owner"] if obj is not None or request.user.is_superuser else [])
        return [(None, {"fields": main}), ("More", {"classes": ["collapse"], "fields": more})]

    def get_changeform_initial_data(self, request):
        # A teacher's new module is for their classes until they open it to the school.
        return {"private": not request.user.is_superuser, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = module_slug_free(obj.title)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("who may practise it"), ordering="private")
    def audience(self, obj):
        return "my classes" if obj.private else "the school"

    @admin.display(description="")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview as a student</a>', reverse("admin:quizzes_module_preview", args=[obj.pk]))

    def get_urls(self):
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="quizzes_module_preview"),
        ] + super().get_urls()

    def preview_view(self, request, pk: int):
        """The module as a student meets it, read-only: each quiz's questions as they are shown and
        each scenario's opening; no attempt or run is started, no answer is revealed."""
        module = get_object_or_404(self.get_queryset(request), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": module,
            "title": f"Preview as a student: {module}",
            "module": module,
            "items": module_preview(module),
        }
        return TemplateResponse(request, "admin/quizzes/module/preview.html", context)


class QuizBuildForm(forms.Form):
    """Build a quiz from one collection's bank: which questions, how many, and the quiz's settings."""

    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.order_by("position", "slug"), help_text=_("Whose questions it takes.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, help_text=_("Its address: letters, numbers and hyphens; unique within the collection.")
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(retired_at__isnull=True).select_related("collection").order_by("collection__position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Questions on any of these topics of the chosen collection; none ticked: every topic."),
    )
    qtypes = forms.MultipleChoiceField(
        label=_("Question types"),
        choices=QuestionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    date_from = forms.DateField(
        label=_("Date from"), required=False, help_text=_("Only questions about events from this day (YYYY-MM-DD).")
    )
    date_to = forms.DateField(label=_("Date to"), required=False, help_text=_("Only questions about events up to this day."))
    difficulty_min = forms.FloatField(label=_("Difficulty min"), min_value=0, max_value=1, initial=0, help_text=_("0 is easy, 1 hard."))
    difficulty_max = forms.FloatField(label=_("Difficulty max"), min_value=0, max_value=1, initial=1)
    size = forms.IntegerField(label=_("Size"), min_value=1, max_value=100, initial=10, help_text=_("Number of questions."))
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, initial=0, help_text=_("Another number picks other questions for the same spec.")
    )
    order = forms.ChoiceField(label=_("Order"), choices=Quiz.Order.choices, initial=Quiz.Order.FIXED)
    feedback = forms.ChoiceField(label=_("Feedback"), choices=Quiz.Feedback.choices, initial=Quiz.Feedback.IMMEDIATE)
    attempts_allowed = forms.IntegerField(label=_("Attempts allowed"), min_value=0, initial=0, help_text=_("0 means unlimited."))
    questions_per_attempt = forms.IntegerField(
        label=_("Questions per attempt"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("0: every question, every attempt. Fewer than the size: each attempt draws this many, unseen ones first."),
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit minutes"), min_value=1, required=False, help_text=_("Empty means no limit.")
    )
    pass_mark = forms.IntegerField(label=_("Pass mark"), min_value=0, max_value=100, initial=60, help_text=_("Percent."))
    published = forms.BooleanField(
        label=_("Published"), required=False, initial=True, help_text=_("Learners see it (and it can be put in a module).")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].label_from_instance = lambda t: f"{t.collection.title}: {t.name}"

    def clean(self):
        data = super().clean()
        collection, topics = data.get("collection"), data.get("topics") or []
        if collection is not None:
            foreign = [t.name for t in topics if t.collection_id != collection.pk]
            if foreign:
                self.add_error(
                    "topics",
                    gettext("%(topics)s: not a topic of %(collection)s; tick only its topics.")
                    % {"topics": ", ".join(foreign), "collection": collection.title},
                )
        lo, hi = data.get("difficulty_min"), data.get("difficulty_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("difficulty_max", gettext("The highest difficulty must not be below the lowest."))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", gettext("The last day must not be before the first."))
        return data


def quiz_build_view(model_admin, request):
    """The admin page that builds a quiz from the bank (a teacher owns what they build)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = QuizBuildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            quiz = quiz_build(
                collection=d["collection"],
                slug=d["slug"],
                title=d["title"],
                owner=request.user,
                topics=tuple(t.slug for t in d["topics"]),
                qtypes=tuple(d["qtypes"]),
                date_from=d["date_from"],
                date_to=d["date_to"],
                difficulty=(d["difficulty_min"], d["difficulty_max"]),
                size=d["size"],
                seed=d["seed"],
                order=d["order"],
                feedback=d["feedback"],
                attempts_allowed=d["attempts_allowed"],
                questions_per_attempt=d["questions_per_attempt"] or 0,
                time_limit_seconds=d["time_limit_minutes"] * 60 if d["time_limit_minutes"] else None,
                pass_mark=d["pass_mark"],
                published=d["published"],
            )
        except QuizSpecError as exc:
            form.add_error(None, f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        else:
            n = quiz.items.count()
            model_admin.message_user(
                request,
                ngettext(
                    "Built “%(title)s” with %(n)d question from %(collection)s.",
                    "Built “%(title)s” with %(n)d questions from %(collection)s.",
                    n,
                )
                % {"title": quiz.title, "n": n, "collection": d["collection"].title},
                messages.SUCCESS,
            )
            return redirect("admin:quizzes_quiz_change", quiz.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Build a quiz from the question bank",
        "form": form,
    }
    return TemplateResponse(request, "admin/quizzes/quiz/build.html", context)
