"""PURE: the LTI 1.3 claims KZLearn reads, and how a launch's roles map onto its two roles."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
TARGET_LINK_URI = LTI + "target_link_uri"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"

AGS_SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

# Custom parameters a deep-linked item carries, naming what it opens.
CUSTOM_QUIZ = "kzl_quiz"
CUSTOM_MODULE = "kzl_module"
# The collection (slug, or "none") of that quiz or module: slugs are unique within a collection only.
CUSTOM_COLLECTION = "kzl_collection"

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
# Context roles (LIS v2 membership vocabulary; a sub-role such as Instructor#TeachingAssistant
# counts as its principal role). The short names are the LTI 1.1 forms some platforms still send.
INSTRUCTOR_ROLES = ("Instructor", "ContentDeveloper", "Administrator")
LEARNER_ROLES = ("Learner",)


class Role(StrEnum):
    INSTRUCTOR = "instructor"
    LEARNER = "learner"


def _principal(role: str) -> str:
    """'http://.../membership/Instructor#TeachingAssistant' -> 'Instructor'; '...membership#Learner' -> 'Learner'."""
    if role.startswith(MEMBERSHIP + "#"):
        return role[len(MEMBERSHIP) + 1 :]
    if role.startswith(MEMBERSHIP + "/"):
        return role[len(MEMBERSHIP) + 1 :].split("#", 1)[0]
    return role if "/" not in role and ":" not in role else ""


def role_for(roles: list[str] | None) -> Role | None:
    """The KZLearn role of a launch: instructor wins over learner; None when it has neither (e.g. a mentor)."""
    principals = {_principal(r) for r in roles or [] if isinstance(r, str)}
    if principals & set(INSTRUCTOR_ROLES):
        return Role.INSTRUCTOR
    if principals & set(LEARNER_ROLES):
        return Role.LEARNER
    return None


def member_is_active(member: Mapping[str, Any]) -> bool:
    """An NRPS member counts unless the platform marks them Inactive or Deleted."""
    status = str(member.get("status", "Active")).rsplit("#", 1)[-1]
    return status == "Active"
