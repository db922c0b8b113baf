from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quizzes.admin.bank import OwnershipChecksMixin
from quizzes.i18n import translated
from quizzes.models import Passage, Scenario, ScenarioStep
from quizzes.permissions import content_editable_by
from quizzes.scenarios.selectors import options_with_evidence, scenario_problems, scenario_steps, step_views
from quizzes.scenarios.services import (
    SCENARIO_FIELDS,
    STEP_FIELDS,
    scenario_after_edit,
    scenario_bank_generate,
    scenario_publish,
    scenario_set_published,
    scenario_steps_save,
    step_option_evidence_set,
)


def _report(modeladmin, request, scenario, problems) -> None:
    """Each broken rule as its own message: the rule, the scenario, the step and the reason."""
    if not problems:
        modeladmin.message_user(request, gettext("%(slug)s: every scenario rule holds.") % {"slug": scenario.slug}, messages.SUCCESS)
    for p in problems:
        modeladmin.message_user(request, translated(p.said()), messages.ERROR)


class ScenarioStepForm(forms.ModelForm):
    """Options must keep their shape: [{id, text, explanation, evidence: [passage ids]}], one of them right.
    The evidence ids are edited in the options JSON but stored as ScenarioOptionEvidence rows: the form
    shows them merged in and hands them to the admin's save as `option_evidence`."""

    option_evidence: dict[str, list[int]] | None = None

    class Meta:
        model = ScenarioStep
        fields = [
            "scenario",
            "position",
            "key",
            "date",
            "date_label",
            "briefing",
            "known_events",
            "briefing_evidence",
            "prompt",
            "options",
            "correct",
            "next_event",
            "reveal",
            "reveal_evidence",
            "reflection",
            "branch_of",
            "branch_option",
            "kind",
            "dispute",
            "accounts",
            "also_known",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "dispute", "accounts", "also_known"):
            if name in self.fields:
                self.fields[name].required = False
        if self.instance.pk and "options" in self.fields:
            self.initial["options"] = options_with_evidence(self.instance)

    @property
    def changed_data(self):
        # A field left out of the post (an older form) keeps its stored value: it is not a teacher's change.
        optional = ("kind", "dispute", "accounts", "also_known")
        changed = super().changed_data
        return [n for n in changed if not (n in optional and self.cleaned_data.get(n) == self.initial.get(n, self.fields[n].initial))]

    def clean_kind(self):
        kind = self.cleaned_data.get("kind") or "next"
        if kind not in ("next", "dispute"):
            raise forms.ValidationError(gettext("A step is 'next' (what happened next) or 'dispute' (a point the sources disagree on)."))
        return kind

    def clean_accounts(self):
        return self.cleaned_data.get("accounts") or []

    def clean_also_known(self):
        return self.cleaned_data.get("also_known") or []

    def clean(self):
        data = super().clean()
        options = data.get("options")
        if options is not None:
            shape = {"id", "text", "explanation", "evidence"}
            kinds = {"happened", "later", "did_not_happen"}
            if not isinstance(options, list) or not all(isinstance(o, dict) and shape <= set(o) for o in options):
                self.add_error("options", gettext("Each option needs an id, a text, an explanation and a list of evidence passage ids."))
            elif any(o.get("kind", "did_not_happen") not in kinds or not isinstance(o.get("events", []), list) for o in options):
                self.add_error(
                    "options", gettext("An option's kind is happened, later or did_not_happen; its events are a list of event slugs.")
                )
            elif not 2 <= len(options) <= 4 or len({o["id"] for o in options}) != len(options):
                self.add_error("options", gettext("Give 2 to 4 options with distinct ids."))
            elif data.get("correct") not in {o["id"] for o in options}:
                self.add_error("correct", gettext("The right answer must be the id of one of the options."))
            else:
                self._split_evidence(options)
        parent = data.get("branch_of")
        if parent and data.get("branch_option") not in {o["id"] for o in parent.options}:
            self.add_error("branch_option", gettext("Name an option of the step this follow-up branches from."))
        return data

    def _split_evidence(self, options: list[dict]) -> None:
        ids = [o["evidence"] for o in options]
        if not all(isinstance(e, list) and all(isinstance(pk, int) and not isinstance(pk, bool) for pk in e) for e in ids):
            self.add_error("options", gettext("An option's evidence is a list of passage ids (numbers)."))
            return
        cited = {pk for e in ids for pk in e}
        missing = cited - set(Passage.objects.filter(pk__in=cited).values_list("pk", flat=True))
        if missing:
            self.add_error(
                "options",
                ngettext("No passage has the id %(ids)s.", "No passage has the ids %(ids)s.", len(missing))
                % {"ids": ", ".join(map(str, sorted(missing)))},
            )
            return
        self.option_evidence = {o["id"]: list(o["evidence"]) for o in options}
        self.cleaned_data["options"] = [{k: v for k, v in o.items() if k != "evidence"} for o in options]


class ScenarioStepInline(admin.TabularInline):
    """The steps in play order: renumber positions to reorder them (swaps are fine); open a step to edit it."""

    model = ScenarioStep
    fk_name = "scenario"
    fields = ["position", "date_label", "prompt", "answer", "branch"]
    readonly_fields = ["answer", "branch"]
    ordering = ["position"]
    extra = 0
    can_delete = False  # delete on the step's own page, which shows what learners' predictions protect
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what happened"))
    def answer(self, obj):
        return obj.next_event.title if obj.next_event_id else "—"

    @admin.display(description=_("follow-up of"))
    def branch(self, obj):
        return f"step {obj.branch_of.position}, option {obj.branch_option}" if obj.branch_of_id else ""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("next_event", "branch_of")


class ScenarioOwnershipMixin(OwnershipChecksMixin):
    """Shared scenarios (no owner) are the curators'; a teacher's own scenario is theirs; every
    other role reads them. A step goes with its scenario."""

    shared_noun = "shared scenarios"

    @staticmethod
    def _owned(obj):
        return obj.scenario if isinstance(obj, ScenarioStep) else obj

    def _owner_readonly(self, request) -> list[str]:
        return super()._owner_readonly(request) if self.model is Scenario else []  # a step has no owner


class ScenarioRulesAfterEdit:
    """After a save on the scenario's page or a step's: the scenario's rules are checked again
    (scenario_after_edit unpublishes a scenario that breaks one) and each broken rule is reported;
    a scenario ticked "published" on its page is published only when it breaks none."""

    def response_change(self, request, obj):
        self._after_edit(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._after_edit(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _after_edit(self, request, obj) -> None:
        scenario = obj.scenario if isinstance(obj, ScenarioStep) else obj
        was_published = scenario.published
        problems = scenario_after_edit(scenario=scenario)
        if not problems and getattr(obj, "_publish_if_sound", False):
            scenario_publish(scenarios=[scenario])
        if problems:
            n = len(problems)
            text = ngettext("%(slug)s: %(n)d scenario rule broken.", "%(slug)s: %(n)d scenario rules broken.", n) % {
                "slug": scenario.slug,
                "n": n,
            }
            note = gettext("It was unpublished until they are fixed.") if was_published else gettext("Fix them before publishing.")
            self.message_user(request, f"{text} {note}", messages.WARNING)
            _report(self, request, scenario, problems)


@admin.register(Scenario)
class ScenarioAdmin(ScenarioRulesAfterEdit, ScenarioOwnershipMixin, admin.ModelAdmin):
    """Curators preview a scenario as a student sees it, edit and reorder its steps, and publish it.
    An edit is remembered (edited_fields) and regeneration never overwrites it. Teachers read them."""

    list_display = ["title", "position", "published", "steps_count", "edited"]
    list_filter = ["collection", "published", "topics"]
    search_fields = ["title", "slug", "key"]
    readonly_fields = ["preview", "key", "generator_version", "edited_fields", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "intro", "start", "topics", "position", "published", "owner"]}),
        ("As a student sees it (answers revealed)", {"classes": ["collapse"], "fields": ["preview"]}),
        ("Provenance", {"classes": ["collapse"], "fields": ["key", "generator_version", "edited_fields", "created_at", "updated_at"]}),
    ]
    filter_horizontal = ["topics"]
    inlines = [ScenarioStepInline]
    actions = ["check_rules", "publish", "unpublish", "regenerate"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_steps=Count("steps"))

    @admin.display(description=_("steps"), ordering="n_steps")
    def steps_count(self, obj):
        return obj.n_steps

    @admin.display(boolean=True, description=_("edited by a teacher"))
    def edited(self, obj):
        return bool(obj.edited_fields)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "Save the scenario to preview it."
        return render_to_string("quizzes/partials/scenario_step_preview.html", {"views": step_views(list(scenario_steps(obj)))})

    def save_model(self, request, obj, form, change):
        edited = set(form.changed_data) & set(SCENARIO_FIELDS)
        if change and edited:
            obj.edited_fields = sorted(set(obj.edited_fields) | edited)
        # Ticking "published" publishes only a path that breaks no rule (checked once the steps are saved).
        obj._publish_if_sound = obj.published and ("published" in form.changed_data or not change)
        if obj._publish_if_sound:
            obj.published = False
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ScenarioStep:
            return super().save_formset(request, form, formset, change)
        changed = [(f.instance, set(f.changed_data)) for f in formset.forms if f.instance.pk and f.has_changed()]
        scenario_steps_save(steps=changed)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [(s, list(c)) for s, c in changed], []
        return None

    def _editable(self, request, queryset):
        return queryset.filter(pk__in=[s.pk for s in queryset if content_editable_by(request.user, s)])

    @admin.action(description=_("Check selected scenarios against every scenario rule"))
    def check_rules(self, request, queryset):
        for scenario in queryset:
            _report(self, request, scenario, scenario_problems(scenario))

    @admin.action(description=_("Publish selected scenarios (only those that break no scenario rule)"), permissions=["change"])
    def publish(self, request, queryset):
        n, refused = scenario_publish(scenarios=self._editable(request, queryset))
        self.message_user(request, ngettext("%(n)d scenario published.", "%(n)d scenarios published.", n) % {"n": n}, messages.SUCCESS)
        for scenario, problems in refused.items():
            self.message_user(
                request,
                ngettext(
                    "%(slug)s was not published: %(n)d scenario rule broken.",
                    "%(slug)s was not published: %(n)d scenario rules broken.",
                    len(problems),
                )
                % {"slug": scenario.slug, "n": len(problems)},
                messages.ERROR,
            )
            _report(self, request, scenario, problems)

    @admin.action(description=_("Unpublish selected scenarios (kept for past runs, no longer offered)"), permissions=["change"])
    def unpublish(self, request, queryset):
        n = scenario_set_published(scenarios=self._editable(request, queryset), published=False)
        self.message_user(request, ngettext("%(n)d scenario unpublished.", "%(n)d scenarios unpublished.", n) % {"n": n}, messages.SUCCESS)

    def has_curate_permission(self, request):
        return request.user.has_perm("quizzes.curate_shared")

    @admin.action(description=_("Regenerate all scenarios from the event data (keeps teacher edits)"), permissions=["curate"])
    def regenerate(self, request, queryset):
        for line in scenario_bank_generate().lines():
            self.message_user(request, line, messages.INFO)


@admin.register(ScenarioStep)
class ScenarioStepAdmin(ScenarioRulesAfterEdit, ScenarioOwnershipMixin, admin.ModelAdmin):
    """One step: its preview as a student sees it, and every field, evidence included."""

    form = ScenarioStepForm
    list_display = ["__str__", "scenario", "position", "date_label", "prompt", "edited"]
    list_filter = ["scenario"]
    search_fields = ["key", "briefing", "reveal", "scenario__title"]
    autocomplete_fields = ["scenario", "known_events", "briefing_evidence", "next_event", "reveal_evidence", "branch_of"]
    readonly_fields = ["preview", "scenario_link", "fact_ids", "edited_fields"]
    fieldsets = [
        ("As a student sees it (answer revealed)", {"fields": ["preview"]}),
        (
            None,
            {
                "fields": [
                    "scenario",
                    "scenario_link",
                    "position",
                    "key",
                    "date",
                    "date_label",
                    "briefing",
                    "known_events",
                    "briefing_evidence",
                    "prompt",
                    "options",
                    "correct",
                    "next_event",
                    "reveal",
                    "reveal_evidence",
                    "reflection",
                    "kind",
                    "dispute",
                    "accounts",
                    "also_known",
                ]
            },
        ),
        ("Follow-up (branch)", {"classes": ["collapse"], "fields": ["branch_of", "branch_option"]}),
        ("Provenance", {"classes": ["collapse"], "fields": ["fact_ids", "edited_fields"]}),
    ]

    @admin.display(boolean=True, description=_("edited by a teacher"))
    def edited(self, obj):
        return bool(obj.edited_fields)

    @admin.display(description=_("scenario"))
    def scenario_link(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}#step-{}">{}</a>', reverse("admin:quizzes_scenario_change", args=[obj.scenario_id]), obj.position, obj.scenario
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "Save the step to preview it."
        return render_to_string(
            "quizzes/partials/scenario_step_preview.html", {"views": step_views(list(scenario_steps(obj.scenario).filter(pk=obj.pk)))}
        )

    def save_model(self, request, obj, form, change):
        # A step a teacher adds is theirs entirely: regeneration never changes or removes it.
        edited = (set(form.changed_data) if change else set(STEP_FIELDS)) & set(STEP_FIELDS)
        obj.edited_fields = sorted(set(obj.edited_fields) | edited)
        super().save_model(request, obj, form, change)
        if form.option_evidence is not None:
            step_option_evidence_set(step=obj, evidence=form.option_evidence)
