from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from oauth2_provider import views as oauth2_views

from kzlearn.health import healthz

admin.site.site_header = "KZLearn for teachers"
admin.site.site_title = "KZLearn admin"
admin.site.index_title = "Curate sources, events and learning content"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
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
