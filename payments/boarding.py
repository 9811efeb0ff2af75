"""Boarding an approved application with the acquirer: its account, persons, settlement account and wallet
configuration, then a location per store; the application ends ``boarded`` once a requested wallet is
available, ``in_review`` when the acquirer needs what only an officer or the merchant can give, and
``boarding_failed`` on a rejection or a permanent error.

``approved`` and ``boarding`` owe this work (``BOARDING_WORK``, recorded with the move into them), so a
lost publish cannot strand an application. Each call to the acquirer goes through ``payments.calls``
(exactly once, keys from our ids: ``acct:{merchant}``, ``pmc:{merchant}``, ``person:{merchant}:{owner}``,
``ext:{application}``, ``loc:{merchant}:{store address}``); a transient error moves the owed row's next
attempt out with back-off and jitter (or the acquirer's ``Retry-After``), never a long countdown. A
merchant's next application reuses its account, its persons and the locations of stores it already has.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onboarding.crypto import keyed_fingerprint
from onboarding.errors import DomainError
from onboarding.models import Application, Merchant, MerchantWallet, Party, Store
from onboarding.notifications import merchant_email_owe
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record
from onboarding.services.merchants import merchant_activate
from onboarding.services.partner_events import application_requirements_changed
from onboarding.services.transitions import application_transition
from onboarding.states import AppState, MerchantState
from onboarding.work import owed_work_defer
from payments import acquirer_params
from payments.calls import acquirer_create, acquirer_update
from payments.emails import BOARDED
from payments.gateway import AccountStatus, AcquirerRefused, AcquirerUnavailable, WalletStatus
from payments.models import AcquirerObject, Terminal
from payments.retry import retry_later
from payments.states import TerminalState
from payments.stripe_gateway import gateway_for
from payments.terminals import terminal_transition

logger = logging.getLogger(__name__)
BOARDING_WORK = "acquirer_boarding"
SYSTEM = Actor.system("boarding")
Kind = AcquirerObject.Kind
REFUSED_FOR_CATEGORY = "Not available for this category."
REFUSED_WITH_ACCOUNT = "The acquirer did not accept the account."


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def params_digest(params: dict) -> str:
    """An update's key names what it sends: after a fix (an officer retries boarding), the corrected update
    is a new call, where the old key would be refused with other parameters. Keyed (the parameters hold
    personal data, and the key travels to the acquirer)."""
    return keyed_fingerprint(json.dumps(params, sort_keys=True, default=str))[:16]


def store_identity(store: Store) -> str:
    """The same store across a merchant's applications: its normalised address."""
    fields = (store.address_line1, store.address_line2, store.address_city, store.address_state,
              store.address_postal_code, store.address_country)  # fmt: skip
    return _digest(*(" ".join(value.lower().split()) for value in fields))


def owner_identity(party: Party) -> str:
    """The same owner across a merchant's applications: the blind index of their identifier."""
    return _digest(party.id_number_index) if party.id_number_index else party.public_id


# --------------------------------------------------------------------------- moves


def boarding_start(*, application: Application) -> None:
    """approved → boarding: the acquirer's terminals are created from the requests, in ``requested``."""
    with transaction.atomic():
        application_transition(
            application, target=AppState.BOARDING, actor=SYSTEM, action="boarding_started", reason_code="boarding",
            publish=False,
        )  # fmt: skip
        requests = [r for store in application.stores.prefetch_related("terminals") for r in store.terminals.all()]
        for request in requests:
            Terminal.objects.get_or_create(
                request=request,
                defaults={"merchant_id": application.merchant_id, "device_type": request.device_type,
                          "label": request.label},
            )  # fmt: skip
    application.refresh_from_db()


def _fail(application: Application, *, why: str, details: dict) -> None:
    with transaction.atomic():
        application_transition(
            application, target=AppState.BOARDING_FAILED, actor=SYSTEM, action="boarding_failed",
            reason_code="boarding_failed",
        )  # fmt: skip
        event_record(actor=SYSTEM, subject=application, action="boarding_problem", details={"why": why, **details})


def _to_review(application: Application, status: AccountStatus) -> None:
    with transaction.atomic():
        application_transition(
            application, target=AppState.IN_REVIEW, actor=SYSTEM, action="acquirer_needs_information",
            reason_code="under_review",
        )  # fmt: skip
        event_record(
            actor=SYSTEM,
            subject=application,
            action="acquirer_requirements",
            details={"account": status.id, "requirements": status.requirements.as_dict()},
        )
        # Recorded after the move: the partner's requirements event must carry what the acquirer asks.
        application_requirements_changed(application=application)


def boarding_retry(*, application: Application, actor: Actor, reason: str) -> None:
    """boarding_failed → boarding, after someone fixed what the acquirer refused (an officer's decision).
    Calls that failed are made again; what was created stays, so nothing is created twice."""
    actor.require_perm(REVIEW_PERM, "retry boarding")
    if not (reason or "").strip():
        raise DomainError("Give the reason to retry boarding (what was fixed).", code="reason_required")
    with transaction.atomic():
        application_transition(
            application, target=AppState.BOARDING, actor=actor, action="boarding_retried", reason_code="boarding"
        )
        event_record(actor=actor, subject=application, action="note", details={"note": reason.strip()})


def boarding_exhausted(application: Application, work) -> None:
    """The acquirer's verification did not finish within BOARDING_VERIFICATION_DAYS: an officer looks."""
    if application.state in (AppState.APPROVED, AppState.BOARDING):
        application_transition(
            application, target=AppState.IN_REVIEW, actor=SYSTEM, action="boarding_timed_out",
            reason_code="under_review",
        )  # fmt: skip


# --------------------------------------------------------------------------- the calls


def _board_objects(application: Application, merchant: Merchant, gateway) -> tuple[str, str]:
    """Everything boarding creates, each once; returns the account and its wallet configuration."""
    m = merchant.public_id
    account = acquirer_create(
        key=f"acct:{m}", kind=Kind.ACCOUNT, merchant=merchant,
        create=lambda key: gateway.account_create(
            key=key, merchant_id=m, business_type=acquirer_params.business_type(application)
        ),
        find=lambda: gateway.account_find(merchant_id=m),
    )  # fmt: skip
    if merchant.acquirer_account_id != account:
        Merchant.objects.filter(pk=merchant.pk, acquirer_account_id__isnull=True).update(acquirer_account_id=account)
    profile = acquirer_params.account_profile(application)
    acquirer_update(
        key=f"acct-profile:{application.public_id}:{params_digest(profile)}",
        merchant=merchant,
        send=lambda key: gateway.account_update(key=key, account=account, params=profile),
    )
    if acquirer_params.business_type(application) != "individual":
        for party in application.parties.filter(kind=Party.Kind.INDIVIDUAL).order_by("position"):
            owner = owner_identity(party)
            person = acquirer_create(
                key=f"person:{m}:{owner}", kind=Kind.PERSON, merchant=merchant,
                create=lambda key, owner=owner: gateway.person_create(key=key, account=account, party_id=owner),
                find=lambda owner=owner: gateway.person_find(account=account, party_id=owner),
            )  # fmt: skip
            details = acquirer_params.person_details(party)
            acquirer_update(
                key=f"person-details:{party.public_id}:{params_digest(details)}",
                merchant=merchant,
                send=lambda key, person=person, details=details: gateway.person_update(
                    key=key, account=account, person=person, params=details
                ),
            )
        acquirer_update(
            key=f"acct-owners:{application.public_id}",
            merchant=merchant,
            send=lambda key: gateway.account_update(key=key, account=account, params=acquirer_params.owners_provided()),
        )
    if getattr(application, "bank_account", None) is not None:
        bank = acquirer_params.bank_account(application)
        acquirer_create(
            key=f"ext:{application.public_id}", kind=Kind.EXTERNAL_ACCOUNT, merchant=merchant,
            create=lambda key: gateway.external_account_create(
                key=key, account=account, bank_account=bank, application_id=application.public_id
            ),
            find=lambda: gateway.external_account_find(account=account, application_id=application.public_id),
        )  # fmt: skip
    wanted = set(merchant.wallets.values_list("wallet", flat=True))
    configuration = acquirer_create(
        key=f"pmc:{m}", kind=Kind.WALLET_CONFIGURATION, merchant=merchant,
        create=lambda key: gateway.wallets_create(
            key=key, account=account, merchant_id=m,
            preferences={w: "on" if w in wanted else "off" for w in ("alipay", "wechat_pay")},
        ),
        find=lambda: gateway.wallets_find(account=account, merchant_id=m),
    )  # fmt: skip
    MerchantWallet.objects.filter(merchant=merchant, status=MerchantWallet.Status.REQUESTED).update(
        status=MerchantWallet.Status.PENDING
    )
    for store in application.stores.all():
        identity = store_identity(store)
        place = acquirer_params.location(store)
        acquirer_create(
            key=f"loc:{m}:{identity}", kind=Kind.LOCATION, merchant=merchant,
            create=lambda key, identity=identity, place=place: gateway.location_create(
                key=key, account=account, store_id=identity, **place
            ),
            find=lambda identity=identity: gateway.location_find(account=account, store_id=identity),
        )  # fmt: skip
        for terminal in Terminal.objects.filter(request__store=store, state=TerminalState.REQUESTED):
            terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.AWAITING_DEVICE)
    return account, configuration


def record_wallets(merchant: Merchant, status: AccountStatus, wallets: dict[str, WalletStatus]) -> dict[str, str]:
    """Each wallet's own status and reason on the merchant; returns wallet → status."""
    verified = status.capabilities.get("card_payments") == "active"
    outcome = {}
    for row in merchant.wallets.all():
        seen = wallets.get(row.wallet)
        if seen and seen.available:
            new, reason = MerchantWallet.Status.ACTIVE, ""
        elif status.requirements.rejected:
            new, reason = MerchantWallet.Status.REFUSED, REFUSED_WITH_ACCOUNT
        elif verified:  # the account is verified and the method still is not available: its category
            new, reason = MerchantWallet.Status.REFUSED, REFUSED_FOR_CATEGORY
        else:
            new, reason = MerchantWallet.Status.PENDING, ""
        if (row.status, row.refused_reason) != (new, reason):
            MerchantWallet.objects.filter(pk=row.pk).update(status=new, refused_reason=reason)
        outcome[row.wallet] = new
    return outcome


def boarding_advance(*, public_id: str) -> str:
    """Do what boarding still owes for one application; returns the state it is left in (or
    ``waiting``/``retrying``). Idempotent: a second run finds every object already created."""
    application = Application.objects.select_related("merchant", "agreement", "bank_account").get(public_id=public_id)
    if application.state == AppState.APPROVED:
        boarding_start(application=application)
    if application.state != AppState.BOARDING:
        return application.state
    merchant = application.merchant
    try:
        gateway = gateway_for(livemode=merchant.livemode)
        account, configuration = _board_objects(application, merchant, gateway)
        status = gateway.account_retrieve(account=account)
        wallets = gateway.wallets_retrieve(account=account, configuration=configuration)
    except AcquirerUnavailable as exc:
        retry_later(subject=application, kind=BOARDING_WORK, exc=exc)
        return "retrying"
    except AcquirerRefused as exc:
        _fail(application, why=exc.message, details={"code": exc.code, "status": exc.status})
        return AppState.BOARDING_FAILED
    return boarding_apply(application=application, status=status, wallets=wallets)


def boarding_apply(*, application: Application, status: AccountStatus, wallets: dict[str, WalletStatus]) -> str:
    """Apply what the acquirer says about the account and its wallets (after our calls, or a webhook)."""
    merchant = application.merchant
    outcome = record_wallets(merchant, status, wallets)
    if status.requirements.rejected:
        _fail(application, why="The acquirer rejected the account.", details=status.requirements.as_dict())
        return AppState.BOARDING_FAILED
    if MerchantWallet.Status.ACTIVE in outcome.values():
        with transaction.atomic():
            application_transition(
                application, target=AppState.BOARDED, actor=SYSTEM, action="boarded", reason_code="boarded"
            )
            if merchant.state == MerchantState.ONBOARDING:
                merchant_activate(merchant=merchant, actor=SYSTEM, application=application)
            merchant_email_owe(application=application, email=BOARDED)
        return AppState.BOARDED
    if status.requirements.needs_someone:
        _to_review(application, status)
        return AppState.IN_REVIEW
    if outcome and all(value == MerchantWallet.Status.REFUSED for value in outcome.values()):
        _fail(application, why="No requested wallet is available for this merchant.", details={"wallets": outcome})
        return AppState.BOARDING_FAILED
    owed_work_defer(
        subject=application,
        kind=BOARDING_WORK,
        due_at=timezone.now() + timedelta(seconds=settings.BOARDING_POLL_SECONDS),
    )
    return "waiting"
