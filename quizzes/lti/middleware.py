"""Framing for LTI only: a session opened by an LTI launch may be shown in a frame by its own
platform (CSP frame-ancestors lists that platform's origins) and keeps its session and CSRF cookies
usable inside that frame (SameSite=None; Secure). Every other response keeps X-Frame-Options: DENY
and the default SameSite=Lax cookies."""

from __future__ import annotations

from django.conf import settings

# request.session[SESSION_KEY] = {"platform": id, "origins": ["https://moodle.example.edu", ...]}
SESSION_KEY = "lti_frame"


def frame_for(request, origins: list[str]) -> None:
    """Let this one response be framed by `origins` (an LTI view, before the session says so)."""
    setattr(request, "lti_frame_origins", origins)  # noqa: B010 - a per-request note the middleware reads


def allow_framing(response, origins: list[str], *, secure: bool) -> None:
    """Let `origins` frame this response and make its session/CSRF cookies work in a third-party frame."""
    response.xframe_options_exempt = True
    if response.has_header("X-Frame-Options"):
        del response["X-Frame-Options"]
    ancestors = "frame-ancestors 'self' " + " ".join(origins)
    csp = response.get("Content-Security-Policy")
    if csp:
        kept = [d.strip() for d in csp.split(";") if d.strip() and not d.strip().startswith("frame-ancestors")]
        response["Content-Security-Policy"] = "; ".join([*kept, ancestors])
    else:
        response["Content-Security-Policy"] = ancestors
    if secure:  # browsers refuse SameSite=None without Secure, so plain HTTP keeps Lax
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
            if name in response.cookies:
                response.cookies[name]["samesite"] = "None"
                response.cookies[name]["secure"] = True


class LtiFrameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = getattr(request, "lti_frame_origins", None)
        session = getattr(request, "session", None)
        # The session is read only when a session cookie came in, so anonymous pages stay cacheable.
        if origins is None and session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            frame = session.get(SESSION_KEY)
            origins = frame.get("origins") if isinstance(frame, dict) else None
        if origins:
            allow_framing(response, origins, secure=request.is_secure())
        return response
