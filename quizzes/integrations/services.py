"""Integration credentials: create one (its secret shown once, stored hashed) and revoke one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_application_model

from quizzes.integrations.scopes import all_scopes
from quizzes.models import IntegrationCredential


@dataclass
class NewCredential:
    credential: IntegrationCredential
    client_id: str
    client_secret: str  # shown once: only its hash is stored


@transaction.atomic
def integration_credential_create(*, owner, name: str, scopes: list[str], expires_at: datetime | None = None) -> NewCredential:
    """Create an OAuth2 client-credentials client acting as `owner` with `scopes`; returns its secret once."""
    unknown = sorted(set(scopes) - set(all_scopes()))
    if unknown:
        raise ValidationError({"scopes": f"Unknown scope(s): {', '.join(unknown)}."})
    if not scopes:
        raise ValidationError({"scopes": "Choose at least one scope."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    if not owner.is_staff:
        raise ValidationError({"owner": "Integration credentials act for a teacher or an administrator."})
    Application = get_application_model()
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        user=owner,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed by the field on save
        hash_client_secret=True,
    )
    credential = IntegrationCredential.objects.create(application=application, scopes=sorted(set(scopes)), expires_at=expires_at)
    return NewCredential(credential=credential, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def integration_credential_revoke(*, credential: IntegrationCredential) -> int:
    """Revoke a credential: it gets no new token and its live tokens are deleted; returns how many."""
    IntegrationCredential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    deleted, _ = get_access_token_model().objects.filter(application_id=credential.application_id).delete()
    return deleted
