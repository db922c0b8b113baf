"""The language switch on every page and a person's own settings (language, time zone)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from quizzes.accounts.services import SESSION_LANGUAGE, SESSION_TIME_ZONE, profile_update, user_time_zone
from quizzes.models import Profile
from quizzes.zones import time_zone_choices, zone_label


@require_POST
def language_set(request):
    """Django's set_language (a safe `next`, the language cookie), and for a signed-in user the
    choice saved to their profile and session, so it follows them to any browser at sign-in."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        profile_update(user=request.user, language=language)
        request.session[SESSION_LANGUAGE] = language
    return response


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the interface"), required=False)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Due dates and every other time are shown in this zone."),
    )

    def __init__(self, *args, default_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        language, zone = self.fields["language"], self.fields["time_zone"]
        assert isinstance(language, forms.ChoiceField) and isinstance(zone, forms.ChoiceField)
        language.choices = [("", _("As my browser asks"))] + list(settings.LANGUAGES)
        zone.choices = [("", _("My class's zone, now %(zone)s") % {"zone": zone_label(default_zone)})] + list(time_zone_choices())


@login_required
def settings_page(request):
    """Choose the interface language and the time zone; both are remembered for the account."""
    profile = Profile.objects.filter(user=request.user).first()
    default_zone = user_time_zone(request.user) or settings.TIME_ZONE
    initial = {"language": profile.language if profile else "", "time_zone": profile.time_zone if profile else ""}
    form = SettingsForm(request.POST or None, initial=initial, default_zone=default_zone)
    if request.method == "POST" and form.is_valid():
        language, zone = form.cleaned_data["language"], form.cleaned_data["time_zone"]
        profile_update(user=request.user, language=language, time_zone=zone)
        request.session[SESSION_LANGUAGE] = language
        request.session[SESSION_TIME_ZONE] = zone or user_time_zone(request.user)
        if language:
            translation.activate(language)
        messages.success(request, _("Your settings are saved."))
        response = redirect("web:settings")
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
        return response
    now_zone = timezone.get_current_timezone_name()
    return render(request, "quizzes/settings.html", {"form": form, "zone_now": zone_label(now_zone)}, status=400 if form.errors else 200)
