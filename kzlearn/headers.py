"""Security headers on every reply the app builds (static files are served before this runs).

- Content-Security-Policy: everything from this site only (the app vendors all its scripts, styles
  and fonts; nothing comes from a CDN); inline scripts and styles stay allowed because the admin and
  the quiz player use them. Framing is left to X-Frame-Options (LTI views opt out of it).
- Cache-Control: no-store on API replies and on the pages that show a learner's results and
  progress, so a shared or back-button cache never shows one learner's work to another. (Not on the
  quiz player: its offline answer queue relies on the browser's page cache.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PRIVATE = re.compile(r"^/(api/|progress/|review/|attempts/\d+/results/|runs/\d+/summary/)")
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        if PRIVATE.match(request.path) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response
