"""Sign-in protection shared by the site, the admin and the API (django-axes does the counting).

The client's address is REMOTE_ADDR, or, behind KZL_NUM_PROXIES trusted proxies, the address the
outermost proxy saw, counted from the right of X-Forwarded-For exactly as DRF's throttles count it
(REST_FRAMEWORK["NUM_PROXIES"] is the same setting): a client cannot choose its own address by
sending the header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED = "Too many failed sign-ins for this account or from this address. Wait {minutes} minutes, then try again."


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for counting failed sign-ins (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.KZL_NUM_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if not proxies or not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """429 while locked out: the API's JSON error, or the sign-in page saying why."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    message = LOCKED.format(minutes=minutes)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": {"code": "throttled", "message": message}}, status=429)
    else:
        response = render(request, "registration/locked.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
