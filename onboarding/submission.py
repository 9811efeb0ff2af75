"""What a complete application holds: the rules the submit service and the ``required_fields`` and
``owners`` checks share, so a form, the API and the pipeline all give the same answer. Which fields are
needed comes from the one declaration of the sections (onboarding/sections.py).

The messages are plain ``str`` in the language active when these functions run: the merchant's when
submitting raises them, English when the checks record them (the pipeline runs its checks in English).
The keys never change with the language."""

from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onboarding.models import Application, Party, WalletRequest
from onboarding.sections import BANK_ACCOUNT, BUSINESS, PARTY, STORE
from onboarding.validation import BENEFICIAL_OWNER_PERCENT

REQUIRED = gettext_noop("This field is required.")  # translated where used
BUSINESS_REQUIRED = BUSINESS.required()
INDIVIDUAL_REQUIRED = PARTY.required("individual")
IDENTIFIED_REQUIRED = PARTY.required("identified")
CONTROL_REQUIRED = PARTY.required("control")
COMPANY_REQUIRED = PARTY.required("company")
BANK_REQUIRED = BANK_ACCOUNT.required()
STORE_REQUIRED = STORE.required()


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def ownership_errors(parties: list[Party], entity_type: str) -> dict[str, list[str]]:
    """Owners of 25% or more and exactly one control person, fully identified."""
    errors: dict[str, list[str]] = {}
    if not parties:
        # xgettext:no-python-format (a percentage, not a placeholder: the text is never %-formatted)
        return {"parties": [_("List the owners of 25% or more and the control person.")]}
    control = [party for party in parties if party.is_control_person]
    if len(control) != 1:
        errors["parties"] = [_("Name exactly one control person (an individual with significant control).")]
    elif not control[0].title:
        errors[f"parties[{parties.index(control[0])}].title"] = [_("Give the control person's title.")]
    total = sum((party.ownership_percent for party in parties), Decimal(0))
    if total > 100:
        errors.setdefault("parties", []).append(_("Ownership percentages add up to more than 100."))
    if entity_type == "sole_proprietorship":
        owners = [party for party in parties if party.ownership_percent > 0]
        if len(owners) != 1 or owners[0].ownership_percent != 100 or owners[0].kind != Party.Kind.INDIVIDUAL:
            # xgettext:no-python-format (a percentage, not a placeholder: the text is never %-formatted)
            errors.setdefault("parties", []).append(_("A sole proprietorship has one individual owner with 100%."))
    for index, party in enumerate(parties):
        must_identify = party.is_control_person or party.ownership_percent >= BENEFICIAL_OWNER_PERCENT
        if party.kind == Party.Kind.COMPANY:
            required = COMPANY_REQUIRED
        else:
            required = INDIVIDUAL_REQUIRED + (IDENTIFIED_REQUIRED if must_identify else ())
            # A sole proprietor is the business: the business phone is theirs.
            if party.is_control_person and entity_type != "sole_proprietorship":
                required += CONTROL_REQUIRED
        for field in required:
            if _blank(getattr(party, field)):
                errors[f"parties[{index}].{field}"] = [_(REQUIRED)]
    return errors


def completeness_errors(application: Application) -> dict[str, list[str]]:
    """Every missing piece, field by field; empty when the application can be submitted."""
    errors: dict[str, list[str]] = {}
    for field in BUSINESS_REQUIRED:
        if _blank(getattr(application, field)):
            errors[f"business.{field}"] = [_(REQUIRED)]
    errors.update(ownership_errors(list(application.parties.all()), application.entity_type))
    account = getattr(application, "bank_account", None)
    for field in BANK_REQUIRED:
        if account is None or _blank(getattr(account, field)):
            errors[f"bank_account.{field}"] = [_(REQUIRED)]
    wallets = list(application.wallet_requests.all())
    if not wallets:
        errors["wallets"] = [_("Choose at least one wallet.")]
    if any(w.channel == WalletRequest.Channel.IN_STORE for w in wallets):
        stores = list(application.stores.all())
        prefetch_related_objects(stores, "terminals")  # unless the caller loaded them
        if not stores:
            errors["stores"] = [_("Add the store where customers will pay in person.")]
        for index, store in enumerate(stores):
            for field in STORE_REQUIRED:
                if _blank(getattr(store, field)):
                    errors[f"stores[{index}].{field}"] = [_(REQUIRED)]
            if not store.terminals.all():
                errors[f"stores[{index}].terminals"] = [_("Choose at least one terminal for this store.")]
    if not hasattr(application, "agreement"):
        errors["agreement"] = [_("Sign the merchant agreement.")]
    return errors
