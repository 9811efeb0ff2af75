"""After boarding the acquirer may still change its mind about an account: a later review asks for a
requirement again and, once it is past due, switches charges and the wallets off, or rejects the account,
or verifies it again. Its ``account.*`` and ``capability.updated`` events for a merchant already live
re-read the account and its wallets (never trusting what the event carried); our wallets then say what
the acquirer now makes available, and each change of standing is recorded on the merchant's application
as the acquirer's requirements, which the officers' review page shows in words.

A suspended or closed merchant is left alone here: we switched its wallets off ourselves (merchant_sync).
"""

from __future__ import annotations

import logging

from django.db import transaction

from onboarding.models import Event, Merchant
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.states import MerchantState
from payments.boarding import record_wallets
from payments.calls import acquirer_id_of
from payments.stripe_gateway import gateway_for

logger = logging.getLogger(__name__)
SYSTEM = Actor.system("acquirer-watch")
STANDING = "acquirer_requirements"


def _standing(status) -> dict:
    return {"account": status.id, "charges_enabled": status.charges_enabled,
            "requirements": status.requirements.as_dict()}  # fmt: skip


def merchant_account_refresh(*, merchant: Merchant) -> str:
    """Follow what the acquirer now says about a live merchant's account; returns its standing.

    Raises ``AcquirerUnavailable`` for the caller's owed work to retry."""
    if merchant.state != MerchantState.ACTIVE or not merchant.acquirer_account_id:
        return "not live"
    gateway = gateway_for(livemode=merchant.livemode)
    account = merchant.acquirer_account_id
    status = gateway.account_retrieve(account=account)
    configuration = acquirer_id_of(f"pmc:{merchant.public_id}")
    wallets = gateway.wallets_retrieve(account=account, configuration=configuration) if configuration else {}
    application = merchant.current_application
    with transaction.atomic():
        # One refresh at a time per merchant: two events for one change record it once.
        locked = Merchant.objects.select_for_update(no_key=True).get(pk=merchant.pk)
        if locked.state != MerchantState.ACTIVE:
            return "not live"
        record_wallets(locked, status, wallets)
        standing = _standing(status)
        last = Event.objects.filter(application=application, action=STANDING).order_by("-id").first()
        restricted = bool(status.requirements.disabled_reason or status.requirements.needs_someone)
        if (last is None and restricted) or (last is not None and _comparable(last.details) != standing):
            event_record(actor=SYSTEM, subject=application, action=STANDING, details=standing)
            if restricted:
                logger.warning(
                    "acquirer restricted %s: %s", merchant.public_id, status.requirements.disabled_reason or "due"
                )
    return "restricted" if restricted else "in good standing"


def _comparable(details: dict) -> dict:
    return {name: details.get(name) for name in ("account", "charges_enabled", "requirements")}
