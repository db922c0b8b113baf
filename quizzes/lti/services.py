"""LTI 1.3 writes: tool keys, accepting a launch (account link, class, enrolment, resource link),
deep-linking responses, score passback (an outbox sent by a task) and NRPS roster sync.

Rules that keep grades safe:
- a score is owed when an attempt is scored: an LtiScore row per resource link the learner opened
  for that quiz before starting the attempt, created idempotently and queued after commit;
- sending locks the row (skipping a row another worker holds), so a duplicate message sends nothing;
- a refused score (a 4xx the platform will refuse again) is marked failed with the platform's words;
  anything else (network, 5xx, 429, 401) is retried with backoff and re-queued by the sweeper.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector

from quizzes.classes.services import classroom_create, enrolment_add
from quizzes.lti import claims as c
from quizzes.lti.tool import http_session, registration_for
from quizzes.models import (
    Attempt,
    Enrolment,
    LtiContext,
    LtiIdentity,
    LtiLaunch,
    LtiPlatform,
    LtiResourceLink,
    LtiScore,
    LtiToolKey,
    Module,
    Quiz,
)
from quizzes.models.collections import collection_label, in_collection
from quizzes.outbox import Retry, outbox_try

log = logging.getLogger(__name__)
User = get_user_model()


class LtiLaunchError(Exception):
    """A launch KZLearn refuses, with a message the person in the frame can read."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


class LtiTransientError(Exception):
    """A passback or roster call that failed in a way worth retrying (network, 5xx, 429, 401)."""


# --- tool keys ----------------------------------------------------------------------------------


def lti_tool_key_generate() -> LtiToolKey:
    """Generate a new RSA-2048 tool key pair; it signs from now on and is published in the JWKS."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    kid = Registration.get_jwk(public_pem)["kid"]
    return LtiToolKey.objects.create(kid=kid, private_key_pem=private_pem, public_key_pem=public_pem)


def lti_tool_key_ensure() -> LtiToolKey:
    """Return the signing key, generating the first one if the tool has none yet."""
    key = LtiToolKey.objects.filter(active=True).order_by("-created_at", "-id").first()
    return key or lti_tool_key_generate()


# --- launches -----------------------------------------------------------------------------------


@dataclass
class LaunchResult:
    user: Any
    role: c.Role
    deep_linking: bool
    context: LtiContext | None = None
    resource_link: LtiResourceLink | None = None
    notes: list[str] = field(default_factory=list)


def _username(issuer: str, sub: str) -> str:
    # Stable per (issuer, sub): two first launches at once collide on the username and one waits.
    return "lti-" + hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:16]


def lti_identity_link(
    *, platform: LtiPlatform, sub: str, person: Mapping[str, Any], role: c.Role, now: datetime | None = None, launched: bool = True
) -> LtiIdentity:
    """Find or create the local account linked to (issuer, sub) and apply the launch's role to it.

    A new account has no usable password: it is reached only through the platform (an admin may
    re-point the identity to an existing account). An instructor becomes staff, in the teacher group."""
    now = now or timezone.now()
    identity = LtiIdentity.objects.select_related("user").filter(issuer=platform.issuer, sub=sub).first()
    if identity is None:
        try:
            with transaction.atomic():
                user = User(
                    username=_username(platform.issuer, sub),
                    first_name=str(person.get("given_name") or "")[:150],
                    last_name=str(person.get("family_name") or "")[:150],
                    email=str(person.get("email") or "")[:254],
                )
                user.set_unusable_password()
                user.save()
                identity = LtiIdentity.objects.create(issuer=platform.issuer, sub=sub, user=user, platform=platform)
        except IntegrityError:
            identity = LtiIdentity.objects.select_related("user").get(issuer=platform.issuer, sub=sub)
    identity.platform = platform
    identity.name = str(person.get("name") or " ".join(filter(None, [person.get("given_name"), person.get("family_name")])))[:300]
    identity.email = str(person.get("email") or identity.email)[:254]
    if launched:  # not when a roster sync merely listed them
        identity.last_launch_at = now
    identity.save(update_fields=["platform", "name", "email", "last_launch_at"])
    user = identity.user
    if role == c.Role.INSTRUCTOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if role == c.Role.INSTRUCTOR:
        group = Group.objects.filter(name=settings.KZL_LTI_TEACHER_GROUP).first()
        if group is not None:
            user.groups.add(group)
    return identity


def _context_sync(*, platform: LtiPlatform, claim: dict, nrps: dict | None, identity: LtiIdentity, role: c.Role) -> LtiContext:
    context, _ = LtiContext.objects.get_or_create(platform=platform, context_id=str(claim["id"])[:255])
    context.title = str(claim.get("title") or context.title)[:300]
    context.label = str(claim.get("label") or context.label)[:100]
    if nrps and nrps.get("context_memberships_url"):
        context.memberships_url = nrps["context_memberships_url"][:500]
    if context.classroom_id is None:
        teachers = [identity.user] if role == c.Role.INSTRUCTOR else []
        context.classroom = classroom_create(name=context.title or context.label or f"{platform.name} course", teachers=teachers)
    context.save()
    _member_apply(classroom=context.classroom, user=identity.user, role=role)
    return context


def _member_apply(*, classroom, user, role: c.Role) -> bool:
    """Put a platform member in the class as teacher or student; True when something changed."""
    if role == c.Role.INSTRUCTOR:
        if classroom.teachers.filter(pk=user.pk).exists():
            return False
        classroom.teachers.add(user)
        return True
    if user.is_staff or user.is_superuser or Enrolment.objects.filter(classroom=classroom, student=user).exists():
        return False  # staff accounts never become students; an enrolled student keeps their group
    # The platform's roster is the school's (an administrator's) word: by=None, the system.
    enrolment_add(classroom=classroom, student=user, by=None)
    return True


def _linked(model, name: str, slug: str, collection):
    """The quiz or module a link's custom parameters name. Slugs are unique within a collection
    only: our links also carry the collection (links placed before that resolve while the slug is
    unique); a slug several collections use, with no collection named, is refused, never guessed."""
    found = model.objects.filter(slug=slug).select_related("collection")
    if collection:
        found = in_collection(found, str(collection))
    rows = list(found.order_by("collection__slug")[:10])
    if not rows:
        raise LtiLaunchError(gettext("This link opens “%(slug)s”, which KZLearn no longer has.") % {"slug": slug}, status=404)
    if len(rows) > 1:
        owners = ", ".join(collection_label(r) for r in rows)
        raise LtiLaunchError(
            f"This link opens the {name} '{slug}', and several collections have one ({owners}); "
            f"ask the teacher to place the {name} in the course again.",
            status=409,
        )
    return rows[0]


def _resource_link_sync(*, platform: LtiPlatform, context: LtiContext | None, launch: Mapping[str, Any]) -> LtiResourceLink:
    claim = launch.get(c.RESOURCE_LINK) or {}
    custom = launch.get(c.CUSTOM) or {}
    link, _ = LtiResourceLink.objects.get_or_create(platform=platform, resource_link_id=str(claim["id"])[:255])
    link.context = context or link.context
    link.title = str(claim.get("title") or link.title)[:300]
    # The custom parameter set by our deep-linking response names the content; a link without one
    # (placed by hand in the platform) keeps whatever an admin set on it.
    if custom.get(c.CUSTOM_QUIZ):
        link.quiz, link.module = _linked(Quiz, "quiz", str(custom[c.CUSTOM_QUIZ]), custom.get(c.CUSTOM_COLLECTION)), None
    elif custom.get(c.CUSTOM_MODULE):
        link.module, link.quiz = _linked(Module, "module", str(custom[c.CUSTOM_MODULE]), custom.get(c.CUSTOM_COLLECTION)), None
    ags = launch.get(c.AGS_ENDPOINT) or {}
    if ags.get("lineitem"):
        link.lineitem_url = ags["lineitem"][:500]
        link.ags_scopes = [s for s in ags.get("scope", []) if isinstance(s, str)]
    link.save()
    return link


@transaction.atomic
def lti_launch_accept(*, platform: LtiPlatform, launch: Mapping[str, Any], now: datetime | None = None) -> LaunchResult:
    """Apply a validated launch: link the account, mirror the course as a class with this person in
    it, record the resource link (and, for a learner, the launch that makes their scores owed)."""
    now = now or timezone.now()
    sub = launch.get("sub")
    if not sub:
        raise LtiLaunchError(gettext("The platform sent an anonymous launch; KZLearn needs to know who you are."), status=403)
    role = c.role_for(launch.get(c.ROLES))
    if role is None:
        raise LtiLaunchError(
            gettext("KZLearn opens for teachers and students of a course; your role in this course is neither."), status=403
        )
    deep_linking = launch.get(c.MESSAGE_TYPE) == "LtiDeepLinkingRequest"
    if deep_linking and role != c.Role.INSTRUCTOR:
        raise LtiLaunchError(gettext("Only a teacher of the course can choose KZLearn content to add to it."), status=403)
    identity = lti_identity_link(platform=platform, sub=str(sub)[:255], person=launch, role=role, now=now)
    result = LaunchResult(user=identity.user, role=role, deep_linking=deep_linking)
    if launch.get(c.CONTEXT, {}).get("id"):
        result.context = _context_sync(platform=platform, claim=launch[c.CONTEXT], nrps=launch.get(c.NRPS), identity=identity, role=role)
    if not deep_linking and (launch.get(c.RESOURCE_LINK) or {}).get("id"):
        link = result.resource_link = _resource_link_sync(platform=platform, context=result.context, launch=launch)
        if role == c.Role.LEARNER and link.quiz_id:
            row, created = LtiLaunch.objects.get_or_create(
                resource_link=link, identity=identity, defaults={"first_launch_at": now, "last_launch_at": now}
            )
            if not created:
                LtiLaunch.objects.filter(pk=row.pk).update(last_launch_at=now)
            if not link.lineitem_url:
                result.notes.append(gettext("This course did not ask for grades, so your score stays in KZLearn."))
    return result


# --- deep linking -------------------------------------------------------------------------------


def lti_deep_link_response(
    *, platform: LtiPlatform, launch: Mapping[str, Any], quiz: Quiz | None = None, module: Module | None = None, launch_url: str
) -> tuple[str, str]:
    """Sign the deep-linking response placing one quiz (with a graded line item) or one module in
    the course; returns (the platform's return URL, the JWT to post there)."""
    if (quiz is None) == (module is None):
        raise ValueError("choose exactly one quiz or module")
    settings_claim = launch.get(c.DEEP_LINKING_SETTINGS) or {}
    if not settings_claim.get("deep_link_return_url"):
        raise LtiLaunchError(gettext("The platform did not say where to send the chosen content."))
    resource = DeepLinkResource().set_url(launch_url)
    if quiz is not None:
        questions = quiz.items.count()
        resource.set_title(quiz.title).set_custom_params({c.CUSTOM_QUIZ: quiz.slug, c.CUSTOM_COLLECTION: collection_label(quiz)})
        # One point per question, as KZLearn scores; the platform scales it to its own grade.
        resource.set_lineitem(LineItem().set_score_maximum(max(questions, 1)).set_label(quiz.title).set_resource_id(f"quiz:{quiz.slug}"))
    elif module is not None:
        resource.set_title(module.title).set_custom_params({c.CUSTOM_MODULE: module.slug, c.CUSTOM_COLLECTION: collection_label(module)})
    deep_link = DeepLink(registration_for(platform), launch[c.DEPLOYMENT_ID], cast(Any, settings_claim))
    return settings_claim["deep_link_return_url"], deep_link.get_response_jwt([resource])


# --- score passback -----------------------------------------------------------------------------


def _owed_launches(attempt: Attempt):
    return LtiLaunch.objects.filter(
        identity__user_id=attempt.user_id, resource_link__quiz_id=attempt.quiz_id, first_launch_at__lte=attempt.started_at
    ).exclude(resource_link__lineitem_url="")


def lti_scores_record(*, attempt_id: int) -> list[int]:
    """Create the score passbacks a scored attempt owes (idempotent) and queue the pending ones after commit."""
    attempt = Attempt.objects.filter(pk=attempt_id, status=Attempt.Status.SCORED).first()
    if attempt is None:
        return []
    launches = list(_owed_launches(attempt).values_list("pk", flat=True))
    if not launches:  # the usual case (no LTI launch): no transaction opened for nothing
        return []
    pending = []
    with transaction.atomic():
        for launch_id in launches:
            row, _ = LtiScore.objects.get_or_create(attempt=attempt, launch_id=launch_id)
            if row.status == LtiScore.Status.PENDING:
                pending.append(row.pk)
        for pk in pending:
            transaction.on_commit(partial(lti_score_enqueue, pk))
    return pending


def lti_score_enqueue(score_id: int) -> bool:
    """Queue sending one score; a broker outage is logged: the row stays pending for the sweeper."""
    from quizzes.tasks import lti_score_send_task

    try:
        lti_score_send_task.delay(score_id)
    except Exception:  # noqa: BLE001 - any broker failure; the row is safe in the database
        if settings.JOBS_IN_PROCESS:
            raise
        log.warning("could not queue LTI score %s; the sweeper will retry", score_id, exc_info=True)
        return False
    return True


def _transient(status: int) -> bool:
    return status >= 500 or status in (401, 408, 429)


def _score_post(row: LtiScore) -> None:
    attempt, link = row.attempt, row.launch.resource_link
    connector = ServiceConnector(registration_for(link.platform), requests_session=http_session())
    ags = AssignmentsGradesService(connector, {"scope": link.ags_scopes, "lineitem": link.lineitem_url})
    grade = (
        Grade()
        .set_score_given(float(attempt.points or 0))
        .set_score_maximum(float(attempt.max_points or 1))
        # The scoring time, not now: a re-send carries the same timestamp, so the platform keeps one result.
        .set_timestamp((attempt.scored_at or timezone.now()).isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(row.launch.identity.sub)
    )
    ags.put_grade(grade)


def _score_send_once(row: LtiScore) -> None:
    """One passback of the row's score; records the outcome on the row (outbox_try's sender)."""
    try:
        _score_post(row)
    except LtiServiceException as exc:
        status = exc.response.status_code
        row.last_error = f"The platform answered {status}: {exc.response.text[:500]}"
        if _transient(status):
            raise Retry(row.last_error) from None
        row.status = LtiScore.Status.FAILED
    except requests.RequestException as exc:
        row.last_error = f"Could not reach the platform: {exc}"[:1000]
        raise Retry(row.last_error) from None
    except LtiException as exc:  # e.g. the launch granted no score scope: retrying cannot help
        row.last_error, row.status = str(exc)[:1000], LtiScore.Status.FAILED
    else:
        row.status, row.sent_at, row.last_error = LtiScore.Status.SENT, row.last_try_at, ""


def lti_score_send(*, score_id: int, now: datetime | None = None) -> str:
    """Send one owed score to its platform's line item; returns the row's status afterwards.

    Raises LtiTransientError (after recording it on the row) when a retry may succeed."""
    status, retry_error = outbox_try(
        LtiScore.objects.select_related("attempt", "launch__identity", "launch__resource_link__platform"),
        score_id,
        send=_score_send_once,
        max_tries=settings.KZL_LTI_SCORE_MAX_TRIES,
        fields=["sent_at"],
        now=now,
    )
    if retry_error:
        raise LtiTransientError(retry_error)
    return status


def lti_score_retry(*, score: LtiScore) -> None:
    """Make a failed passback pending again and queue it (an admin's retry, e.g. after fixing the registration)."""
    with transaction.atomic():
        updated = LtiScore.objects.filter(pk=score.pk).exclude(status=LtiScore.Status.SENT).update(status=LtiScore.Status.PENDING, tries=0)
        if updated:
            transaction.on_commit(lambda: lti_score_enqueue(score.pk))


def lti_scores_sweep(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Record passbacks missed by a lost scoring task and re-queue pending ones not tried for a while."""
    now = now or timezone.now()
    after = timedelta(seconds=settings.KZL_LTI_SWEEP_AFTER_SECONDS)
    owed = LtiLaunch.objects.filter(
        identity__user_id=OuterRef("user_id"), resource_link__quiz_id=OuterRef("quiz_id"), first_launch_at__lte=OuterRef("started_at")
    ).exclude(resource_link__lineitem_url="")
    missing = list(
        Attempt.objects.filter(status=Attempt.Status.SCORED, scored_at__lt=now - after, scored_at__gte=now - timedelta(days=2))
        .filter(Exists(owed))
        .exclude(Exists(LtiScore.objects.filter(attempt=OuterRef("pk"))))
        .values_list("pk", flat=True)[:batch]
    )
    for pk in missing:
        lti_scores_record(attempt_id=pk)
    stale = list(
        LtiScore.objects.filter(status=LtiScore.Status.PENDING, created_at__lt=now - after)
        .exclude(last_try_at__gte=now - after)
        .values_list("pk", flat=True)[:batch]
    )
    for pk in stale:
        lti_score_enqueue(pk)
    return {"recorded": len(missing), "requeued": len(stale)}


# --- roster (NRPS) ------------------------------------------------------------------------------


@dataclass
class RosterReport:
    learners: int = 0
    instructors: int = 0
    added: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        """What the sync did, in the active language (the job runs in its starter's)."""
        learners = ngettext("%(n)d learner", "%(n)d learners", self.learners) % {"n": self.learners}
        teachers = ngettext("%(n)d teacher", "%(n)d teachers", self.instructors) % {"n": self.instructors}
        return gettext(
            "%(learners)s and %(teachers)s on the platform; %(added)d added to the class; %(skipped)d skipped (inactive or another role)."
        ) % {"learners": learners, "teachers": teachers, "added": self.added, "skipped": self.skipped}


def lti_roster_sync(*, context_id: int, progress: Callable[[int, int], None] | None = None) -> RosterReport:
    """Read a course's members from the platform (NRPS) and put them in its class: learners enrolled,
    teachers added, accounts linked by (issuer, user id). Nobody is removed (their work stays listed)."""
    context = LtiContext.objects.select_related("platform", "classroom").get(pk=context_id)
    if not context.memberships_url:
        raise LtiLaunchError(gettext("The platform has not offered this course's roster (no Names and Roles service in its launches)."))
    if context.classroom is None:
        raise LtiLaunchError(gettext("This course has no KZLearn class yet: open KZLearn from the course once as its teacher."))
    connector = ServiceConnector(registration_for(context.platform), requests_session=http_session())
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": context.memberships_url})
    try:
        members = service.get_members()
    except LtiServiceException as exc:
        if _transient(exc.response.status_code):
            raise LtiTransientError(str(exc)) from exc
        raise LtiLaunchError(
            gettext("The platform refused the roster request (%(status)s).") % {"status": exc.response.status_code}
        ) from exc
    except requests.RequestException as exc:
        raise LtiTransientError(gettext("Could not reach the platform: %(error)s") % {"error": exc}) from exc
    report = RosterReport()
    total = len(members)
    with transaction.atomic():
        for done, member in enumerate(members, start=1):
            role = c.role_for(member.get("roles"))
            if role is None or not member.get("user_id") or not c.member_is_active(cast(Mapping[str, Any], member)):
                report.skipped += 1
                continue
            if role == c.Role.INSTRUCTOR:
                report.instructors += 1
            else:
                report.learners += 1
            identity = lti_identity_link(
                platform=context.platform, sub=str(member["user_id"])[:255], person=member, role=role, launched=False
            )
            report.added += _member_apply(classroom=context.classroom, user=identity.user, role=role)
            if progress:
                progress(done, total)
        LtiContext.objects.filter(pk=context.pk).update(roster_synced_at=timezone.now())
    if progress:
        progress(total, total)
    return report
