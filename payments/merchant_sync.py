"""What we decide about a merchant reaches the acquirer: a suspension (a re-screen hit, an officer) or a
closure switches both wallets off on the account's payment method configuration, a reactivation switches
the requested ones back on, and a closure also removes the readers and rejects the account. A suspended
merchant must not keep taking payments because only our database knew.

Each move records owed work on the merchant (in the move's transaction, through the hook onboarding
offers); the worker reads the merchant's state when it runs, so the latest decision wins whatever order
the work runs in. Every call is keyed by the move it follows, so a retry repeats it harmlessly.
"""

from __future__ import annotations

import logging

from django.db import transaction

from onboarding.models import Merchant, MerchantWallet
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.states import MerchantState
from onboarding.work import owed_work_done, owed_work_record
from payments.calls import acquirer_id_of, acquirer_update
from payments.gateway import AcquirerRefused, AcquirerUnavailable
from payments.models import Terminal
from payments.retry import retry_later
from payments.states import TerminalState
from payments.stripe_gateway import WALLETS, gateway_for
from payments.terminals import terminal_transition

logger = logging.getLogger(__name__)
SYNC_WORK = "acquirer_merchant_sync"
SYSTEM = Actor.system("acquirer-sync")
OFF_STATES = (MerchantState.SUSPENDED, MerchantState.CLOSED)
MAX_ROUNDS = 5


def merchant_moved(merchant: Merchant, source: str, target: str) -> None:
    """The hook on every merchant move: owe the acquirer the news when it already knows the merchant."""
    if source == MerchantState.ONBOARDING:  # going live is boarding's own doing: its wallets are on
        return
    if not Merchant.objects.filter(pk=merchant.pk, acquirer_account_id__isnull=False).exists():
        return
    owed_work_record(subject=merchant, kind=SYNC_WORK, payload={"state": target})


def _preferences(merchant: Merchant) -> dict[str, str]:
    if merchant.state in OFF_STATES:
        return dict.fromkeys(WALLETS, "off")
    wanted = set(merchant.wallets.exclude(status=MerchantWallet.Status.REFUSED).values_list("wallet", flat=True))
    return {wallet: "on" if wallet in wanted else "off" for wallet in WALLETS}


def _record_wallets(merchant: Merchant, seen: dict | None) -> None:
    """Our view of each wallet follows what the acquirer now says: off while suspended or closed; on
    again, active where the acquirer makes it available, else pending."""
    rows = merchant.wallets.exclude(status=MerchantWallet.Status.REFUSED)
    if merchant.state in OFF_STATES:
        rows.update(status=MerchantWallet.Status.OFF, refused_reason="")
        return
    for row in rows:
        available = bool(seen and seen.get(row.wallet) and seen[row.wallet].available)
        status = MerchantWallet.Status.ACTIVE if available else MerchantWallet.Status.PENDING
        if row.status != status:
            MerchantWallet.objects.filter(pk=row.pk).update(status=status)


def _close(merchant: Merchant, gateway) -> None:
    account = merchant.acquirer_account_id
    for reader in gateway.readers_list(account=account):
        gateway.reader_deactivate(account=account, reader=reader)
    with transaction.atomic():
        for terminal in Terminal.objects.filter(merchant=merchant).exclude(state=TerminalState.DEACTIVATED):
            terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.DEACTIVATED)
    acquirer_update(
        key=f"acct-reject:{merchant.public_id}",
        merchant=merchant,
        send=lambda key: gateway.account_reject(key=key, account=account, reason="other"),
    )


def _switch_wallets(merchant: Merchant, gateway, configuration: str) -> dict:
    """Send the preferences the merchant's state asks for, then read them back against the state as it is
    now: a sync that ran alongside another (a suspension and a quick reactivation) corrects the acquirer
    with a fresh key when the later decision lost the race. Keys already sent are skipped, not repeated."""
    account = merchant.acquirer_account_id
    for round_ in range(MAX_ROUNDS):
        stamp = f"{merchant.state}:{merchant.state_changed_at.timestamp():.6f}"
        preferences = _preferences(merchant)
        acquirer_update(
            key=f"pmc-state:{merchant.public_id}:{stamp}:{round_}",
            merchant=merchant,
            send=lambda key, preferences=preferences: gateway.wallets_update(
                key=key, account=account, configuration=configuration, preferences=preferences
            ),
        )
        seen = gateway.wallets_retrieve(account=account, configuration=configuration)
        merchant.refresh_from_db()
        if all(seen[wallet].preference == value for wallet, value in _preferences(merchant).items()):
            return seen
    raise AcquirerUnavailable("The wallets did not settle; trying again.", code="unsettled")


def merchant_sync(*, public_id: str) -> str:
    """Tell the acquirer the merchant's current state; returns that state."""
    merchant = Merchant.objects.get(public_id=public_id)
    configuration = acquirer_id_of(f"pmc:{public_id}")
    seen = None
    try:
        gateway = gateway_for(livemode=merchant.livemode)
        if configuration:
            seen = _switch_wallets(merchant, gateway, configuration)
        if merchant.state == MerchantState.CLOSED:
            _close(merchant, gateway)
    except AcquirerUnavailable as exc:
        retry_later(subject=merchant, kind=SYNC_WORK, exc=exc)
        return "retrying"
    except AcquirerRefused as exc:
        # Kept on the owed row and shown to officers, who retry it once the cause is fixed.
        logger.warning("acquirer sync of %s refused: %s", public_id, exc.code)
        raise
    with transaction.atomic():
        _record_wallets(merchant, seen)
        event_record(
            actor=SYSTEM,
            subject=merchant,
            action="acquirer_synced",
            details={"state": merchant.state, "wallets": _preferences(merchant)},
        )
        owed_work_done(subject=merchant, kind=SYNC_WORK)
    return merchant.state
