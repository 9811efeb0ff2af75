"""Partners and their API keys. A key's secret is shown once; only its SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onboarding.errors import ValidationFailed
from onboarding.models import Partner, PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.events import event_record

KEY_PREFIXES = {PartnerApiKey.Mode.TEST: "sk_test_", PartnerApiKey.Mode.LIVE: "sk_live_"}
# A key's last use is recorded to the minute: writing it on every request would make every request of a
# busy key write, and queue for, the same row.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def partner_create(*, actor: Actor, name: str, kind: str, contact_email: str = "") -> Partner:
    if kind not in Partner.Kind.values:
        raise ValidationFailed("Choose the partner's kind.", fields={"kind": ["Unknown kind."]})
    if not name.strip():
        raise ValidationFailed("Give the partner's name.", fields={"name": ["This field is required."]})
    with transaction.atomic():
        partner = Partner.objects.create(name=name.strip(), kind=kind, contact_email=contact_email)
        event_record(actor=actor, subject=partner, action="created")
    return partner


def partner_api_key_create(
    *, partner: Partner, actor: Actor, mode: str, label: str = "", secret: str | None = None
) -> tuple[PartnerApiKey, str]:
    """Create a key and return it with its secret, which is never shown again.

    ``secret`` is for demo data only, which must print the same test key on every run.
    """
    if mode not in KEY_PREFIXES:
        raise ValidationFailed("Choose test or live mode.", fields={"mode": ["Unknown mode."]})
    secret = secret or KEY_PREFIXES[mode] + secrets.token_urlsafe(32)
    if not secret.startswith(KEY_PREFIXES[mode]):
        raise ValidationFailed("The key does not match its mode.", fields={"secret": ["Wrong prefix."]})
    with transaction.atomic():
        key = PartnerApiKey.objects.create(
            partner=partner, mode=mode, label=label, prefix=secret[:14], secret_hash=hash_secret(secret)
        )
        event_record(
            actor=actor,
            subject=partner,
            action="api_key_created",
            details={"key": key.public_id, "prefix": key.prefix, "mode": mode},
        )
    return key, secret


def partner_api_key_revoke(*, key: PartnerApiKey, actor: Actor) -> None:
    with transaction.atomic():
        PartnerApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        event_record(actor=actor, subject=key.partner, action="api_key_revoked", details={"key": key.public_id})


def partner_authenticate(*, secret: str) -> tuple[Partner, PartnerApiKey] | None:
    """The active partner and key for a presented secret, or None."""
    if not secret.startswith(tuple(KEY_PREFIXES.values())):
        return None
    key = (
        PartnerApiKey.objects.select_related("partner")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, partner__is_active=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        PartnerApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.partner, key
