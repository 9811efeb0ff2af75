"""Partner API keys: shown once, stored as a hash, prefixed by mode, revocable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.models import PartnerApiKey
from onboarding.services.actors import Actor
from onboarding.services.partners import (
    partner_api_key_create,
    partner_api_key_revoke,
    partner_authenticate,
    partner_create,
)

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_and_stored_only_as_a_hash():
    partner = partner_create(actor=Actor.system("t"), name="Acme ISO", kind="iso")
    assert partner.public_id.startswith("ptn_")
    key, secret = partner_api_key_create(partner=partner, actor=Actor.system("t"), mode="live")
    assert secret.startswith("sk_live_") and len(secret) > 40
    stored = PartnerApiKey.objects.get(pk=key.pk)
    assert secret not in (stored.secret_hash, stored.prefix) and stored.prefix == secret[:14]
    assert partner_authenticate(secret=secret) == (partner, key)
    assert partner_authenticate(secret=secret + "x") is None
    assert partner_authenticate(secret="sk_test_" + secret[8:]) is None
    assert PartnerApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_a_keys_last_use_is_recorded_to_the_minute():
    partner = partner_create(actor=Actor.system("t"), name="Busy ISO", kind="iso")
    key, secret = partner_api_key_create(partner=partner, actor=Actor.system("t"), mode="test")
    partner_authenticate(secret=secret)
    first = PartnerApiKey.objects.get(pk=key.pk).last_used_at
    partner_authenticate(secret=secret)
    assert PartnerApiKey.objects.get(pk=key.pk).last_used_at == first
    earlier = timezone.now() - timedelta(minutes=2)
    PartnerApiKey.objects.filter(pk=key.pk).update(last_used_at=earlier)
    partner_authenticate(secret=secret)
    assert PartnerApiKey.objects.get(pk=key.pk).last_used_at > earlier + timedelta(minutes=1)


def test_a_revoked_key_no_longer_works():
    partner = partner_create(actor=Actor.system("t"), name="Acme ISV", kind="isv")
    key, secret = partner_api_key_create(partner=partner, actor=Actor.system("t"), mode="test")
    assert secret.startswith("sk_test_")
    partner_api_key_revoke(key=key, actor=Actor.system("t"))
    assert partner_authenticate(secret=secret) is None


def test_an_inactive_partner_cannot_authenticate():
    partner = partner_create(actor=Actor.system("t"), name="Gone", kind="referral")
    _, secret = partner_api_key_create(partner=partner, actor=Actor.system("t"), mode="test")
    partner.is_active = False
    partner.save()
    assert partner_authenticate(secret=secret) is None
