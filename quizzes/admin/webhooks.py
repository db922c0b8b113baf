"""Webhooks in the admin: endpoints (URL, secret, events, owner) and the delivery log, with a retry
for deliveries that gave up. For administrators: an endpoint of a teacher hears that teacher's classes."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from quizzes.admin.lti import SuperuserOnly
from quizzes.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from quizzes.webhooks.services import webhook_delivery_retry


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", widget=forms.URLInput(attrs={"size": 80}))
    events = forms.MultipleChoiceField(choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple, required=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "owner", "events", "secret", "active"]
        widgets = {"secret": forms.TextInput(attrs={"size": 60, "autocomplete": "off"})}


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(SuperuserOnly, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "owner", "event_list", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url", "owner__username"]
    autocomplete_fields = ["owner"]

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, obj):
        return ", ".join(obj.events)


@admin.action(description=gettext_lazy("Try the selected failed deliveries again"))
def retry_deliveries(modeladmin, request, queryset):
    retried = sum(webhook_delivery_retry(delivery=d) for d in queryset.filter(status=WebhookDelivery.Status.FAILED))
    modeladmin.message_user(
        request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", retried) % {"n": retried}, messages.SUCCESS
    )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["created_at", "event", "endpoint", "status", "tries", "last_status_code", "last_error", "delivered_at"]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    readonly_fields = [
        "endpoint",
        "event_id",
        "event",
        "payload",
        "status",
        "tries",
        "last_status_code",
        "last_error",
        "created_at",
        "last_try_at",
        "delivered_at",
    ]
    actions = [retry_deliveries]

    def has_add_permission(self, request):
        return False
