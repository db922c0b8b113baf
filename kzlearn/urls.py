from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from oauth2_provider import views as oauth2_views

from kzlearn.health import healthz, livez, readyz

admin.site.site_header = _("KZLearn for teachers")
admin.site.site_title = _("KZLearn admin")
admin.site.index_title = _("Your classes, results and learning content")


def password_reset_off(request, *args):
    """No mail configured: no reset by mail; a student asks their teacher, a teacher the administrator."""
    return render(request, "registration/password_reset_off.html", status=404)


# Under /api/ every error status is JSON (kzlearn.errors).
handler400 = "kzlearn.errors.bad_request"
handler403 = "kzlearn.errors.permission_denied"
handler404 = "kzlearn.errors.page_not_found"
handler500 = "kzlearn.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The words of static/js in the page's language (djangojs domain, ours only: not the admin's catalog).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["quizzes"]), name="javascript-catalog"),
    # Password reset only when mail can be sent (EMAIL_URL); otherwise its pages say whom to ask.
    *([] if settings.KZL_MAIL_CONFIGURED else [re_path(r"^accounts/(password_reset|reset)/", password_reset_off, name="password_reset")]),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("quizzes.api.urls")),
    path("lti/", include("quizzes.lti.urls")),
    # OAuth2 for integration credentials: the token and revocation endpoints only (client credentials).
    path(
        "o/",
        include(
            (
                [
                    path("token/", oauth2_views.TokenView.as_view(), name="token"),
                    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
                ],
                "oauth2_provider",
            )
        ),
    ),
    path("", include("quizzes.web.urls")),
]

if settings.KZL_BENCH_ENDPOINTS:
    from kzlearn.bare import bare

    urlpatterns.insert(0, path("bench/bare/", bare))
