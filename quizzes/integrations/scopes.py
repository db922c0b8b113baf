"""Which scope each API endpoint needs from an integration credential (one registry).

Keyed by the URL name (router basename plus -list/-detail/-<action>): (scope for reads, scope for
writes). An endpoint not listed is not open to integration credentials at all (the learner's own
endpoints, token management): a credential acts for systems, not for a learner at a keyboard."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy

CONTENT = ("content:read", None)
ROSTER = ("roster:read", "roster:write")
ASSIGNMENTS = ("assignments:read", "assignments:write")
RESULTS = ("results:read", None)

BY_BASENAME: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(("collection", "source", "topic", "entity", "event", "figure", "claim", "quiz", "scenario", "module"), CONTENT),
    "classroom": ROSTER,
    "enrolment": ROSTER,
    "assignment": ASSIGNMENTS,
    "teacher-attempt": RESULTS,
}
# Actions whose scope differs from their resource's.
BY_URL_NAME: dict[str, tuple[str | None, str | None]] = {
    "quiz-statistics": RESULTS,
    "assignment-results": RESULTS,
    "assignment-extensions": ASSIGNMENTS,
    "classroom-groups": ROSTER,
    "api-roster": ROSTER,
    "api-roster-oneroster": ROSTER,
    "api-roster-imports": ROSTER,
    "api-roster-import": ROSTER,
    # Who the credential acts as: open to every credential, whatever its scopes.
    "api-me": ("", None),
}
NOT_OPEN = gettext_lazy("This endpoint is not open to integration credentials.")


def scope_required(url_name: str | None, method: str) -> str | None:
    """The scope an integration token needs here: "" for none, None when it may not call it at all."""
    if not url_name:
        return None
    pair = BY_URL_NAME.get(url_name)
    if pair is None:
        base = url_name.rsplit("-", 1)[0] if url_name.endswith(("-list", "-detail")) else None
        pair = BY_BASENAME.get(base or "")
    if pair is None:
        return None
    return pair[0] if method in ("GET", "HEAD", "OPTIONS") else pair[1]


def all_scopes() -> dict[str, str]:
    return dict(settings.OAUTH2_PROVIDER["SCOPES"])
