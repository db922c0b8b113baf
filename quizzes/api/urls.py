"""The REST API: /api/v1/ (endpoints), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI)."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from quizzes.api.errors import error_body
from quizzes.api.views import auth, content, learner, roster, teacher

router = SimpleRouter()
# Content (public reads)
router.register("collections", content.CollectionViewSet, basename="collection")
router.register("sources", content.SourceViewSet, basename="source")
router.register("topics", content.TopicViewSet, basename="topic")
router.register("entities", content.EntityViewSet, basename="entity")
router.register("events", content.EventViewSet, basename="event")
router.register("figures", content.FigureViewSet, basename="figure")
router.register("claims", content.ClaimViewSet, basename="claim")
router.register("quizzes", content.QuizViewSet, basename="quiz")
router.register("scenarios", content.ScenarioViewSet, basename="scenario")
router.register("modules", content.ModuleViewSet, basename="module")
# Learners
router.register("me/assignments", learner.MyAssignmentViewSet, basename="my-assignment")
router.register("attempts", learner.AttemptViewSet, basename="attempt")
router.register("scenario-runs", learner.ScenarioRunViewSet, basename="scenario-run")
router.register("me/review", learner.ReviewViewSet, basename="review")
# Teachers
router.register("classes", teacher.ClassroomViewSet, basename="classroom")
router.register("enrolments", teacher.EnrolmentViewSet, basename="enrolment")
router.register("assignments", teacher.AssignmentViewSet, basename="assignment")
router.register("teacher/attempts", teacher.TeacherAttemptViewSet, basename="teacher-attempt")


@csrf_exempt
def not_found(request, rest=""):
    """Unknown API paths get the API's error format, not the site's HTML page."""
    return JsonResponse(
        error_body("not_found", gettext("No API endpoint at %(path)s (API paths end with a slash).") % {"path": request.path}), status=404
    )


urlpatterns = [
    path("v1/auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("v1/auth/token/new/", auth.TokenNewView.as_view(), name="api-token-new"),
    path("v1/me/", auth.MeView.as_view(), name="api-me"),
    path("v1/me/progress/", learner.ProgressView.as_view(), name="api-progress"),
    path("v1/me/classes/join/", learner.ClassJoinView.as_view(), name="api-class-join"),
    # Before the router: the lean answer path (the attempts viewset has no answer action).
    path("v1/roster/", roster.RosterView.as_view(), name="api-roster"),
    path("v1/roster/oneroster/", roster.OneRosterExportView.as_view(), name="api-roster-oneroster"),
    path("v1/roster/imports/", roster.OneRosterImportView.as_view(), name="api-roster-imports"),
    path("v1/roster/imports/<int:id>/", roster.OneRosterImportDetailView.as_view(), name="api-roster-import"),
    path("v1/attempts/<int:id>/answer/", learner.AttemptAnswerView.as_view(), name="attempt-answer"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]
