"""A merchant's next application (another store, a changed bank account): filed under the same merchant,
never a second one, starting from what the merchant's current application says.

The merchant is one business with one acquirer account; each application is one reviewed change. The new
draft starts as a copy of the current application's business, owners, bank account, stores (with their
terminals) and wallets, so the merchant changes only what differs; documents and the signature are given
again, because they attest to this application. Submitting it requires the merchant's own tax id.
"""

from django.db import transaction

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import Application, Merchant
from onboarding.sections import BANK_ACCOUNT, BUSINESS, PARTY, STORE, TERMINAL, WALLET
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft
from onboarding.services.events import event_record
from onboarding.states import AppState, MerchantState


def application_sections(application: Application) -> dict:
    """The application's data as the draft service's sections (personal data decrypted in memory only)."""
    account = getattr(application, "bank_account", None)
    return {
        "business": BUSINESS.values(application),
        "parties": [PARTY.values(party) for party in application.parties.all()],
        "bank_account": BANK_ACCOUNT.values(account) if account is not None else None,
        "stores": [
            {**STORE.values(store), "terminals": [TERMINAL.values(t) for t in store.terminals.all()]}
            for store in application.stores.all()
        ],
        "wallets": [WALLET.values(request) for request in application.wallet_requests.all()],
    }


def _may_apply_for(merchant: Merchant, actor: Actor) -> bool:
    if actor.is_system:
        return True
    if actor.kind == "partner":
        return merchant.partner_id is not None and merchant.partner_id == actor.partner.pk
    return merchant.users.filter(pk=actor.user.pk).exists()


def application_create_next(*, merchant: Merchant, actor: Actor) -> Application:
    """Start the merchant's next application as a draft under the same merchant."""
    if not _may_apply_for(merchant, actor):
        raise PermissionDenied("You cannot apply for this merchant.")
    with transaction.atomic():
        merchant = Merchant.objects.select_for_update(no_key=True).get(pk=merchant.pk)
        if merchant.state == MerchantState.CLOSED:
            raise InvalidTransition("This merchant is closed; start a new application instead.")
        open_application = merchant.applications.filter(state__in=AppState.OPEN).first()
        if open_application is not None:
            raise InvalidTransition(
                f"The merchant already has an open application ({open_application.public_id}); "
                "finish or withdraw it first."
            )
        source = merchant.current_application or merchant.applications.order_by("-created_at").first()
        sections = application_sections(source) if source is not None else {}
        channel = "api" if actor.kind == "partner" else "web"
        # The next application boards on the same acquirer account, so in the same mode.
        application = application_create_draft(actor=actor, channel=channel, livemode=merchant.livemode, **sections)
        Application.objects.filter(pk=application.pk).update(merchant=merchant)
        application.merchant = merchant
        event_record(
            actor=actor,
            subject=application,
            action="next_application_started",
            details={"merchant": merchant.public_id, "copied_from": source.public_id if source else None},
        )
    return application
