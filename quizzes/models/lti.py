"""LTI 1.3 Advantage: the platforms (Moodle, Canvas, ...) registered to launch KZLearn, the tool's
own signing keys, who launched from where (identities, course contexts, resource links, launches)
and the grades owed back to a platform (score passbacks, an outbox)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q

from quizzes.models.bank import Module, Quiz
from quizzes.models.classes import Classroom
from quizzes.models.progress import Attempt


class LtiToolKey(models.Model):
    """An RSA key pair the tool signs with (deep-linking responses, service-token requests).

    The newest active key signs; every active key is published at the JWKS URL, so a key can be
    rotated by generating a new one and deactivating the old one once platforms have re-read it."""

    kid = models.CharField(max_length=100, unique=True)
    private_key_pem = models.TextField()
    public_key_pem = models.TextField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "LTI tool key"

    def __str__(self) -> str:
        return f"{self.kid} ({'active' if self.active else 'retired'})"


class LtiPlatform(models.Model):
    """One registration of KZLearn in a platform: what the platform's administrator gave us."""

    name = models.CharField(max_length=200, help_text="For teachers and admins, e.g. 'School Moodle'.")
    issuer = models.URLField(max_length=255, help_text="The platform's issuer (iss), e.g. https://moodle.example.edu")
    client_id = models.CharField(max_length=255, help_text="The client id the platform gave this tool.")
    auth_login_url = models.URLField(max_length=500, help_text="Platform OIDC authentication request URL.")
    auth_token_url = models.URLField(max_length=500, help_text="Platform OAuth2 access token URL (for grades and rosters).")
    auth_audience = models.CharField(max_length=500, blank=True, help_text="Audience of token requests, if not the token URL.")
    key_set_url = models.URLField(max_length=500, blank=True, help_text="Platform public keyset (JWKS) URL.")
    # {"keys": [JWK, ...]}: a keyset given by hand instead of a URL (a platform without a JWKS URL).
    key_set = models.JSONField(null=True, blank=True)
    frame_origins = models.TextField(
        blank=True,
        help_text="Origins allowed to show KZLearn in a frame, one per line (e.g. https://school.instructure.com); "
        "empty: the issuer's origin.",
    )
    active = models.BooleanField(default=True, help_text="Inactive platforms can neither launch nor frame KZLearn.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "LTI platform"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="ltiplatform_unique_client"),
            models.CheckConstraint(condition=~Q(key_set_url="") | Q(key_set__isnull=False), name="ltiplatform_has_keys"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_frame_origins(self) -> list[str]:
        """The origins that may frame KZLearn for this platform (CSP frame-ancestors)."""
        listed = [line.strip().rstrip("/") for line in self.frame_origins.splitlines() if line.strip()]
        return listed or [origin_of(self.issuer)]


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class LtiDeployment(models.Model):
    """A deployment id of a platform registration: launches from other deployments are refused."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        verbose_name = "LTI deployment"
        constraints = [models.UniqueConstraint(fields=["platform", "deployment_id"], name="ltideployment_unique")]

    def __str__(self) -> str:
        return self.deployment_id


class LtiIdentity(models.Model):
    """A platform user (issuer, sub) linked to exactly one local account."""

    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities")
    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="identities")
    name = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "LTI identity"
        verbose_name_plural = "LTI identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="ltiidentity_unique_sub")]

    def __str__(self) -> str:
        return f"{self.name or self.sub} @ {self.issuer}"


class LtiContext(models.Model):
    """A platform course, mirrored as a KZLearn class (its roster synced over NRPS)."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=300, blank=True)
    label = models.CharField(max_length=100, blank=True)
    classroom = models.OneToOneField(Classroom, null=True, blank=True, on_delete=models.SET_NULL, related_name="lti_context")
    # The NRPS context_memberships_url from the latest launch that offered it.
    memberships_url = models.URLField(max_length=500, blank=True)
    roster_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "LTI course"
        constraints = [models.UniqueConstraint(fields=["platform", "context_id"], name="lticontext_unique")]

    def __str__(self) -> str:
        return self.title or self.context_id


class LtiResourceLink(models.Model):
    """A link placed in a platform course (by deep linking) that opens one quiz or module."""

    platform = models.ForeignKey(LtiPlatform, on_delete=models.CASCADE, related_name="resource_links")
    context = models.ForeignKey(LtiContext, null=True, blank=True, on_delete=models.SET_NULL, related_name="resource_links")
    resource_link_id = models.CharField(max_length=255)
    title = models.CharField(max_length=300, blank=True)
    quiz = models.ForeignKey(Quiz, null=True, blank=True, on_delete=models.PROTECT, related_name="lti_links")
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.PROTECT, related_name="lti_links")
    # AGS endpoint claim of the latest launch: where scores go, and what we may do there.
    lineitem_url = models.URLField(max_length=500, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "LTI resource link"
        constraints = [models.UniqueConstraint(fields=["platform", "resource_link_id"], name="ltiresourcelink_unique")]

    def __str__(self) -> str:
        return self.title or self.resource_link_id


class LtiLaunch(models.Model):
    """That a learner opened a resource link from the platform: their scored attempts at its quiz,
    started after the first launch, are sent back to the link's line item."""

    resource_link = models.ForeignKey(LtiResourceLink, on_delete=models.CASCADE, related_name="launches")
    identity = models.ForeignKey(LtiIdentity, on_delete=models.CASCADE, related_name="launches")
    first_launch_at = models.DateTimeField()
    last_launch_at = models.DateTimeField()

    class Meta:
        verbose_name = "LTI launch"
        constraints = [models.UniqueConstraint(fields=["resource_link", "identity"], name="ltilaunch_unique")]

    def __str__(self) -> str:
        return f"{self.identity} -> {self.resource_link}"


class LtiScore(models.Model):
    """A score owed to a platform for one scored attempt (an outbox row): created when the attempt is
    scored, sent by a task after commit, retried with backoff, re-queued by the sweeper if lost."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed (the platform refused it)"

    # No index of its own: ltiscore_unique (attempt, launch) starts with it.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="lti_scores", db_index=False)
    launch = models.ForeignKey(LtiLaunch, on_delete=models.CASCADE, related_name="scores")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "LTI score passback"
        constraints = [models.UniqueConstraint(fields=["attempt", "launch"], name="ltiscore_unique")]

    def __str__(self) -> str:
        return f"attempt {self.attempt_id} -> {self.launch.resource_link} ({self.status})"
