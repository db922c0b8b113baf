"""Credentials other systems use to call the API (OAuth2 client credentials): which scopes each may
ask for, until when, and whether it has been revoked. The OAuth2 client itself (id, hashed secret,
the account it acts as) is django-oauth-toolkit's Application."""

from django.db import models
from django.utils import timezone
from oauth2_provider.settings import oauth2_settings


class IntegrationCredential(models.Model):
    application = models.OneToOneField(oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="kzl_credential")
    # The scopes this client may be granted (names from settings.OAUTH2_PROVIDER["SCOPES"]).
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this the credential gets no tokens and its tokens stop working."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "integration credential"

    def __str__(self) -> str:
        return self.application.name or self.application.client_id

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyKey(models.Model):
    """A create made with an `Idempotency-Key` header, per caller: its request's fingerprint and, once
    it succeeded, its response, replayed to a retry with the same key and body until `expires_at`."""

    # Whose key space: "credential:<IntegrationCredential id>" for a bearer token, "user:<id>" otherwise.
    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    # sha256 of the method, the path with its query string, and the body as canonical JSON.
    fingerprint = models.CharField(max_length=64)
    # Empty while the first request runs; then the status and JSON body of its (2xx) response.
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotencykey_unique_owner_key")]
        verbose_name = "idempotency key"

    def __str__(self) -> str:
        return f"{self.owner}: {self.key}"
