"""LTI reads: the tool's public keys, what a teacher may place in a course, and passback state."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from pylti1p3.registration import Registration

from quizzes.models import LtiScore, LtiToolKey, Module, Quiz
from quizzes.permissions import modules_for_teacher, quizzes_for_teacher


def lti_public_jwks() -> dict:
    """{"keys": [...]}: the public half of every active tool key, newest first."""
    keys = LtiToolKey.objects.filter(active=True).order_by("-created_at", "-id").values_list("public_key_pem", flat=True)
    return {"keys": [dict(Registration.get_jwk(pem)) for pem in keys]}


def deep_link_choices(user) -> dict[str, QuerySet]:
    """Published quizzes and modules the teacher may use (learners can open only published ones)."""
    quizzes: QuerySet[Quiz] = (
        quizzes_for_teacher(user).filter(published=True).annotate(question_count=Count("items")).order_by("title", "pk")
    )
    modules: QuerySet[Module] = modules_for_teacher(user).filter(published=True).order_by("position", "title", "pk")
    return {"quizzes": quizzes, "modules": modules}


def lti_scores_pending() -> QuerySet[LtiScore]:
    return LtiScore.objects.filter(status=LtiScore.Status.PENDING)
