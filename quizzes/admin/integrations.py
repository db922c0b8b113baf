"""Integration credentials in the admin: a teacher makes their own (an administrator, for anyone),
chooses scopes and an expiry, sees the secret once, and revokes."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from quizzes.integrations.scopes import all_scopes
from quizzes.integrations.services import integration_credential_create, integration_credential_revoke
from quizzes.models import IntegrationCredential


class CredentialForm(forms.ModelForm):
    name = forms.CharField(
        label=pgettext_lazy("an integration credential", "Name"),
        max_length=255,
        help_text=_("Which system uses it, e.g. 'School SIS roster sync'."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        required=False,
        help_text=_("The account it acts as (its classes and content). Empty: you."),
    )
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=[], widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = IntegrationCredential
        fields = ["expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["scopes"]).choices = [(name, f"{name}: {text}") for name, text in all_scopes().items()]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise ValidationError(gettext("The expiry must be in the future."))
        return expires_at


@admin.action(description=_("Revoke (its tokens stop working at once)"))
def revoke(modeladmin, request, queryset):
    for credential in queryset.filter(revoked_at__isnull=True):
        integration_credential_revoke(credential=credential)
    modeladmin.message_user(request, gettext("Revoked."), messages.SUCCESS)


@admin.register(IntegrationCredential)
class IntegrationCredentialAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client_id", "owner", "scope_list", "expires_at", "revoked_at", "created_at"]
    list_select_related = ["application__user"]
    actions = [revoke]
    readonly_fields = ["__str__", "client_id", "owner", "scope_list", "expires_at", "revoked_at", "created_at"]

    @admin.display(description=_("client id"))
    def client_id(self, obj):
        return obj.application.client_id

    @admin.display(description=_("acts as"))
    def owner(self, obj):
        return obj.application.user

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return " ".join(obj.scopes)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(application__user=request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a credential is created, then only revoked

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CredentialForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "owner", "scopes", "expires_at"] if request.user.is_superuser else ["name", "scopes", "expires_at"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        owner = form.cleaned_data.get("owner") if request.user.is_superuser else None
        made = integration_credential_create(
            owner=owner or request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        # The admin logs and redirects with the object it passed in: make it the one the service saved.
        for name in ("id", "application_id", "scopes", "expires_at", "revoked_at", "created_at"):
            setattr(obj, name, getattr(made.credential, name))
        obj._state.adding = False
        self.message_user(
            request,
            format_html(
                gettext("Client id <code>{}</code>, client secret <code>{}</code>. Copy the secret now: only its hash is kept."),
                made.client_id,
                made.client_secret,
            ),
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change):
        pass  # nothing else to save: the service made the credential

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:quizzes_integrationcredential_changelist"))
