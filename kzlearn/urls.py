from django.conf import settings
from django.contrib import admin
from django.urls import include, path

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
    path("", include("quizzes.web.urls")),
]

if settings.KZL_BENCH_ENDPOINTS:
    from kzlearn.bare import bare

    urlpatterns.insert(0, path("bench/bare/", bare))
