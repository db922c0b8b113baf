"""LTI in the admin: register platforms (with the tool's URLs to copy into them), generate and
retire tool keys, see who launched from where, sync a course's roster, retry refused grades."""

from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quizzes.jobs.services import job_start
from quizzes.lti.services import lti_score_retry, lti_tool_key_ensure, lti_tool_key_generate
from quizzes.models import Job, LtiContext, LtiDeployment, LtiIdentity, LtiPlatform, LtiResourceLink, LtiScore, LtiToolKey
from quizzes.permissions import classrooms_for_teacher


class SuperuserOnly:
    """Registering platforms, keys and re-linking accounts is the school administrator's job, not a
    teacher's: whatever permissions a teacher group holds, these pages are for superusers."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class LtiDeploymentInline(SuperuserOnly, admin.TabularInline):
    model = LtiDeployment
    extra = 1
    verbose_name = "deployment id"


@admin.register(LtiPlatform)
class LtiPlatformAdmin(SuperuserOnly, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "issuer", "client_id", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "issuer", "client_id"]
    inlines = [LtiDeploymentInline]
    readonly_fields = ["tool_urls"]
    fieldsets = [
        (None, {"fields": ["name", "active"]}),
        (
            "What the platform gave you",
            {"fields": ["issuer", "client_id", "auth_login_url", "auth_token_url", "auth_audience", "key_set_url", "key_set"]},
        ),
        ("Framing", {"fields": ["frame_origins"]}),
        ("What to give the platform", {"fields": ["tool_urls"]}),
    ]

    @admin.display(description=_("KZLearn's tool URLs"))
    def tool_urls(self, obj):
        request = getattr(self, "_request", None)
        absolute = request.build_absolute_uri if request else (lambda u: u)
        rows = [
            ("Tool URL / redirection URI / target link URI", absolute(reverse("lti:launch"))),
            ("OIDC login initiation URL", absolute(reverse("lti:login"))),
            ("Public keyset (JWKS) URL", absolute(reverse("lti:jwks"))),
            ("Deep linking URL", absolute(reverse("lti:launch"))),
        ]
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd><code>{}</code></dd>", rows))

    def get_form(self, request, obj=None, change=False, **kwargs):
        self._request = request
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A platform needs the tool's public key from the start: make sure one exists.
        lti_tool_key_ensure()


@admin.register(LtiToolKey)
class LtiToolKeyAdmin(SuperuserOnly, admin.ModelAdmin):
    """Adding a key generates it; the private half is never shown."""

    list_display = ["kid", "active", "created_at"]
    fields = ["kid", "public_key_pem", "active", "created_at"]
    readonly_fields = ["kid", "public_key_pem", "created_at"]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)
        key = lti_tool_key_generate()
        self.message_user(
            request,
            gettext("Generated tool key %(kid)s. It signs from now on; retire the old key once platforms have re-read the JWKS.")
            % {"kid": key.kid},
        )
        return HttpResponseRedirect(reverse("admin:quizzes_ltitoolkey_changelist"))


@admin.register(LtiIdentity)
class LtiIdentityAdmin(SuperuserOnly, admin.ModelAdmin):
    """An identity may be re-pointed to another local account (linking a teacher's existing account)."""

    list_display = ["name", "email", "user", "issuer", "sub", "last_launch_at"]
    search_fields = ["name", "email", "sub", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["issuer", "sub", "platform", "name", "email", "created_at", "last_launch_at"]

    def has_add_permission(self, request):
        return False


@admin.action(description=_("Sync the roster from the platform (background job)"))
def sync_roster(modeladmin, request, queryset):
    n = queryset.count()
    for context in queryset:
        job_start(kind=Job.Kind.LTI_ROSTER_SYNC, params={"context_id": context.pk}, user=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "Queued %(n)d roster sync: see Background jobs for progress.", "Queued %(n)d roster syncs: see Background jobs for progress.", n
        )
        % {"n": n},
        messages.SUCCESS,
    )


@admin.register(LtiContext)
class LtiContextAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "classroom", "roster_synced_at"]
    list_select_related = ["platform", "classroom"]
    readonly_fields = ["platform", "context_id", "title", "label", "memberships_url", "roster_synced_at"]
    actions = [sync_roster]

    def get_queryset(self, request):
        # A teacher sees (and syncs) the courses of the classes they teach.
        return super().get_queryset(request).filter(classroom__in=classrooms_for_teacher(request.user))

    def has_add_permission(self, request):
        return False


@admin.register(LtiResourceLink)
class LtiResourceLinkAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["__str__", "platform", "context", "quiz", "module", "lineitem_url"]
    list_select_related = ["platform", "context", "quiz", "module"]
    readonly_fields = ["platform", "context", "resource_link_id", "lineitem_url", "ags_scopes"]
    raw_id_fields = ["quiz", "module"]

    def has_add_permission(self, request):
        return False


@admin.action(description=_("Send again"))
def retry_scores(modeladmin, request, queryset):
    for score in queryset.exclude(status=LtiScore.Status.SENT):
        lti_score_retry(score=score)
    modeladmin.message_user(request, gettext("Queued again."), messages.SUCCESS)


@admin.register(LtiScore)
class LtiScoreAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["attempt", "resource_link", "status", "tries", "last_error", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["attempt__user", "attempt__quiz", "launch__resource_link"]
    readonly_fields = ["attempt", "launch", "status", "tries", "last_error", "created_at", "last_try_at", "sent_at"]
    actions = [retry_scores]

    @admin.display(description=_("resource link"))
    def resource_link(self, obj):
        return obj.launch.resource_link

    def has_add_permission(self, request):
        return False
