"""Error pages: under /api/ every status is the API's JSON error (quizzes.api.errors' shape), so a
client never has to parse an HTML page; elsewhere Django's own pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

MESSAGES = {
    400: ("bad_request", _("The request could not be read.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    500: ("server_error", _("Something went wrong on our side; it has been logged. Try again later.")),
}


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(status: int) -> JsonResponse:
    code, message = MESSAGES[status]
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(400) if _api(request) else defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(403) if _api(request) else defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _json(404) if _api(request) else defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return _json(500) if _api(request) else defaults.server_error(request)
