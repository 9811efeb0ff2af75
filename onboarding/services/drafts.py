"""Creating and editing an application's data (only in ``draft`` and ``info_requested``).

Every section is validated in full before anything is written, and the whole update is written in one
transaction: bad input gets every message at once, field by field, and never leaves half-written data.
Every value first passes the input rules of ``onboarding.input`` (its type, its length, no control
characters): a wrong type in any section, item or field is a field error (``business``,
``parties[1]``, ``stores[0].terminals[0].device_type``), never an exception, and never reaches a model.
Collections (parties, stores and their terminals, wallets) are replaced as a whole; items that carry
their ``public_id`` are updated in place, so their ids stay stable across edits. A wallet request sent
again keeps its row, and with it the eligibility already assessed for it. Messages are in the caller's
active language (``gettext``, built when raised).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onboarding import crypto, sections, validation
from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.input import (
    INVALID,
    ITEMS,
    PUBLIC_ID,
    FieldErrors,
    clean_field,
    clean_item,
    clean_items,
    clean_section,
    clean_text,
    key_text,
    text_limit,
)
from onboarding.models import (
    Application,
    BankAccount,
    Channel,
    Document,
    Party,
    Store,
    TerminalRequest,
    WalletRequest,
)
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import application_requirements_changed
from onboarding.states import AppState

# What each section accepts, and the input rule of each field: from the one declaration (sections.py).
BUSINESS_FIELDS = sections.BUSINESS.kinds()
PARTY_FIELDS = sections.PARTY.kinds()
BANK_FIELDS = sections.BANK_ACCOUNT.kinds()
STORE_FIELDS = sections.STORE.kinds()
TERMINAL_FIELDS = sections.TERMINAL.kinds()
WALLET_FIELDS = sections.WALLET.kinds()
# Generous bounds that keep one request's writes bounded (positions are small integers).
MAX_ITEMS = {"parties": 100, "stores": 500, "terminals": 100, "wallets": 10}


def _assign(instance: models.Model, data: dict, fields: dict[str, str], prefix: str, errors: FieldErrors) -> None:
    """Set every known field to its cleaned value; a refused value never reaches the instance."""
    for key, value in data.items():
        kind = fields.get(key) if isinstance(key, str) else None
        if kind is None:
            errors.add(f"{prefix}{key_text(key)}", _("Unknown field."))
        elif kind not in (PUBLIC_ID, ITEMS):
            cleaned = errors.clean(f"{prefix}{key}", clean_field, value, model=type(instance), name=key, kind=kind)
            if cleaned is not INVALID:
                setattr(instance, key, cleaned)


def _clean(instance: models.Model, prefix: str, errors: FieldErrors, exclude: tuple[str, ...] = ()) -> None:
    try:
        instance.full_clean(exclude=["application", *exclude], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.add(f"{prefix}{field}", messages)


def _check_address(instance, prefix: str, errors: FieldErrors, required_us: bool = False) -> None:
    country = instance.address_country or "US"
    errors_for_country = validation.country_errors(country)
    if errors_for_country:
        errors.add(f"{prefix}address_country", errors_for_country)
    elif country == "US":
        if instance.address_state:
            errors.add(f"{prefix}address_state", validation.us_state_errors(instance.address_state))
        if instance.address_postal_code:
            errors.add(f"{prefix}address_postal_code", validation.zip_errors(instance.address_postal_code))
    elif required_us:
        errors.add(f"{prefix}address_country", _("This address must be in the United States."))


def _set_identifier(
    instance, *, value_field: str, type_field: str, last4_field: str, index_field: str, prefix: str, errors: FieldErrors
) -> None:
    """Validate and normalise an SSN/ITIN/EIN, and keep its last four digits and its blind index."""
    if {f"{prefix}{value_field}", f"{prefix}{type_field}"} & errors.refused:
        return
    value = getattr(instance, value_field)
    kind = getattr(instance, type_field)
    if not value:
        setattr(instance, last4_field, "")
        setattr(instance, index_field, "")
        return
    messages = validation.tax_id_errors(kind, value)
    if messages:
        errors.add(f"{prefix}{value_field}" if kind else f"{prefix}{type_field}", messages)
        return
    digits = validation.normalise_digits(value)
    setattr(instance, value_field, digits)
    setattr(instance, last4_field, digits[-4:])
    setattr(instance, index_field, crypto.blind_index(kind, digits))


def _set_phone(instance, prefix: str, errors: FieldErrors) -> None:
    """Phone numbers are stored in E.164 (``+14155550142``) whatever way they were typed."""
    if instance.phone and f"{prefix}phone" not in errors.refused:
        normalised, messages = validation.phone_number(instance.phone)
        if messages:
            errors.add(f"{prefix}phone", messages)
        else:
            instance.phone = normalised


def _prepare_business(application: Application, data: dict, errors: FieldErrors) -> None:
    _assign(application, data, BUSINESS_FIELDS, "business.", errors)
    if application.tax_id_type in ("ssn", "itin") and application.entity_type != "sole_proprietorship":
        errors.add("business.tax_id_type", _("Only a sole proprietorship may use an SSN or ITIN as its tax id."))
    _set_identifier(
        application,
        value_field="tax_id",
        type_field="tax_id_type",
        last4_field="tax_id_last4",
        index_field="tax_id_index",
        prefix="business.",
        errors=errors,
    )
    if application.formation_state:
        errors.add("business.formation_state", validation.us_state_errors(application.formation_state))
    if application.mcc:
        errors.add("business.mcc", validation.mcc_errors(application.mcc))
    _set_phone(application, "business.", errors)
    _check_address(application, "business.", errors, required_us=True)
    _clean(application, "business.", errors, exclude=("merchant", "partner", "applicant", "first_approver"))


def _prepare_party(party: Party, data: dict, prefix: str, errors: FieldErrors) -> None:
    _assign(party, data, PARTY_FIELDS, prefix, errors)
    if party.kind == Party.Kind.COMPANY:
        if party.is_control_person:
            errors.add(f"{prefix}is_control_person", _("The control person must be an individual."))
        if party.company_country:
            errors.add(f"{prefix}company_country", validation.country_errors(party.company_country))
    else:
        _set_identifier(
            party,
            value_field="id_number",
            type_field="id_number_type",
            last4_field="id_number_last4",
            index_field="id_number_index",
            prefix=prefix,
            errors=errors,
        )
        if party.date_of_birth and party.date_of_birth >= date.today():
            errors.add(f"{prefix}date_of_birth", _("The date of birth must be in the past."))
        _set_phone(party, prefix, errors)
    _check_address(party, prefix, errors)
    _clean(party, prefix, errors, exclude=("id_number", "date_of_birth"))


def _prepare_bank_account(account: BankAccount, data: dict, errors: FieldErrors) -> None:
    _assign(account, data, BANK_FIELDS, "bank_account.", errors)
    if account.routing_number:
        account.routing_number = validation.normalise_digits(account.routing_number)
        errors.add("bank_account.routing_number", validation.routing_number_errors(account.routing_number))
    if account.account_number:
        messages = validation.account_number_errors(account.account_number)
        errors.add("bank_account.account_number", messages)
        if not messages:
            account.account_number = validation.normalise_digits(account.account_number)
    account.account_last4 = crypto.last4(account.account_number)
    both = account.routing_number and account.account_number
    account.account_index = crypto.bank_account_index(account.routing_number, account.account_number) if both else ""
    _clean(account, "bank_account.", errors, exclude=("account_number",))


def _items(value, section: str, prefix: str, errors: FieldErrors, model=None) -> list[tuple[int, dict, str]]:
    """The well-formed items of a collection as (index, item, public_id); each bad one is reported at its
    index (``parties[1]``), a bad collection at its name (``parties``)."""
    items = errors.clean(prefix, clean_items, value, max_items=MAX_ITEMS[section])
    if items is INVALID:
        return []
    found = []
    for index, raw in enumerate(items):
        item = errors.clean(f"{prefix}[{index}]", clean_item, raw)
        if item is INVALID:
            continue
        public_id = ""
        if model is not None and "public_id" in item:
            key = f"{prefix}[{index}].public_id"
            public_id = errors.clean(key, clean_text, item["public_id"], max_length=text_limit(model, "public_id"))
            if public_id is INVALID:
                continue
        found.append((index, item, public_id))
    return found


def _existing(queryset, items: list[tuple[int, dict, str]], prefix: str, errors: FieldErrors, message: str):
    by_id = {obj.public_id: obj for obj in queryset}
    for index, _item, public_id in items:
        if public_id and public_id not in by_id:
            errors.add(f"{prefix}[{index}].public_id", message)
    return by_id


def _rows_of(model: type[models.Model], application: Application):
    """The application's rows of ``model``: none, and no query, before its first save."""
    if application.pk is None:
        return model.objects.none()
    return model.objects.filter(application_id=application.pk)


def _prepare_parties(application: Application, value, errors: FieldErrors) -> list[Party]:
    items = _items(value, "parties", "parties", errors, model=Party)
    queryset = _rows_of(Party, application)
    existing = _existing(queryset, items, "parties", errors, _("No such item on this application."))
    parties = []
    for index, item, public_id in items:
        party = existing.get(public_id) or Party(application=application)
        party.position = index
        _prepare_party(party, item, f"parties[{index}].", errors)
        parties.append(party)
    if sum(1 for party in parties if party.is_control_person) > 1:
        errors.add("parties", _("Name exactly one control person."))
    if sum(party.ownership_percent for party in parties) > 100:
        errors.add("parties", _("Ownership percentages add up to more than 100."))
    return parties


def _prepare_stores(application: Application, value, errors: FieldErrors):
    items = _items(value, "stores", "stores", errors, model=Store)
    queryset = _rows_of(Store, application)
    existing = _existing(queryset, items, "stores", errors, _("No such item on this application."))
    stores = []
    for index, item, public_id in items:
        prefix = f"stores[{index}]."
        store = existing.get(public_id) or Store(application=application)
        store.position = index
        _assign(store, item, STORE_FIELDS, prefix, errors)
        _set_phone(store, prefix, errors)
        _check_address(store, prefix, errors, required_us=True)
        _clean(store, prefix, errors)
        terminal_items = _items(item.get("terminals"), "terminals", f"{prefix}terminals", errors, model=TerminalRequest)
        known = {t.public_id: t for t in store.terminals.all()} if store.pk else {}
        _existing(known.values(), terminal_items, f"{prefix}terminals", errors, _("No such terminal at this store."))
        terminals = []
        for t_index, t_item, t_public_id in terminal_items:
            t_prefix = f"{prefix}terminals[{t_index}]."
            terminal = known.get(t_public_id) or TerminalRequest()
            _assign(terminal, t_item, TERMINAL_FIELDS, t_prefix, errors)
            _clean(terminal, t_prefix, errors, exclude=("store",))
            terminals.append(terminal)
        stores.append((store, terminals))
    return stores


def _prepare_wallets(value, errors: FieldErrors) -> list[WalletRequest]:
    requests, seen = [], set()
    for index, item, _public_id in _items(value, "wallets", "wallets", errors):
        prefix = f"wallets[{index}]."
        request = WalletRequest()
        _assign(request, item, WALLET_FIELDS, prefix, errors)
        _clean(request, prefix, errors, exclude=("eligibility", "eligibility_reason"))
        if (request.wallet, request.channel) in seen:
            errors.add(f"{prefix}wallet", _("This wallet is requested twice."))
        seen.add((request.wallet, request.channel))
        requests.append(request)
    return requests


def _save_collection(queryset, keep: list[models.Model], section: str, *, replaces: bool = True) -> None:
    """Save ``keep`` and delete the rest of ``queryset``; with ``replaces`` false there is no rest (the
    collection's owner is new in this transaction), so nothing is read or deleted."""
    if replaces:
        _delete_removed(queryset.exclude(pk__in=[obj.pk for obj in keep if obj.pk]), section)
    for obj in keep:
        obj.save()


def _delete_removed(removed, section: str) -> None:
    try:
        with transaction.atomic():
            removed.delete()
    except ProtectedError as exc:
        # Evidence (screening records, documents under review) outlives an edit: say so, change nothing.
        owners = {getattr(obj, "party", None) or getattr(obj, "store", None) for obj in exc.protected_objects}
        blocked = ", ".join(sorted(str(owner.name) for owner in owners if owner is not None)) or _("This item")
        message = _(
            "%(names)s: records under review are attached, so it cannot be removed; contact us to remove it."
        ) % {"names": blocked}
        raise ValidationFailed(_("Please correct the errors below."), fields={section: [message]}) from exc


def _forget_documents_of_removed_parties(application: Application, keep: list[Party]) -> None:
    """While still a draft, an ID uploaded for a person who is taken off the application goes with them."""
    if application.state == AppState.DRAFT:
        removed = application.parties.exclude(pk__in=[party.pk for party in keep if party.pk])
        Document.objects.filter(application=application, party__in=removed).delete()


def _save_wallets(application: Application, requests: list[WalletRequest], *, replaces: bool = True) -> None:
    """Requests already on the application keep their row (and the eligibility assessed for it); only
    those no longer wanted go, and only new ones are added, pending until the check assesses them."""
    existing = {(row.wallet, row.channel): row for row in application.wallet_requests.all()} if replaces else {}
    wanted = {(request.wallet, request.channel) for request in requests}
    kept = [row.pk for key, row in existing.items() if key in wanted]
    if replaces:
        application.wallet_requests.exclude(pk__in=kept).delete()
    for request in requests:
        if (request.wallet, request.channel) not in existing:
            request.application = application
            request.save()


def _write(application, *, business, parties, bank_account, stores, wallets) -> None:
    """Validate every section given, then write them all, or raise ValidationFailed and write nothing."""
    errors = FieldErrors()
    if business is not None:
        business = errors.clean("business", clean_section, business)
        if business is not INVALID:
            _prepare_business(application, business, errors)
    party_rows = _prepare_parties(application, parties, errors) if parties is not None else None
    account = None
    if bank_account is not None:
        bank_account = errors.clean("bank_account", clean_section, bank_account)
        if bank_account is not INVALID:
            account = BankAccount.objects.filter(application=application).first() if application.pk else None
            account = account or BankAccount(application=application)
            _prepare_bank_account(account, bank_account, errors)
    store_rows = _prepare_stores(application, stores, errors) if stores is not None else None
    wallet_rows = _prepare_wallets(wallets, errors) if wallets is not None else None
    errors.raise_if_any()

    # A new application has no rows to clear, move or remove: its collections are only added.
    existed = application.pk is not None
    application.save()
    if party_rows is not None:
        if existed:
            # Clear the control-person flag first so that moving it between parties never trips the constraint.
            application.parties.filter(is_control_person=True).update(is_control_person=False)
            _forget_documents_of_removed_parties(application, party_rows)
        _save_collection(application.parties.all(), party_rows, "parties", replaces=existed)
    if account is not None:
        account.application = application
        account.save()
    if store_rows is not None:
        new_stores = {id(store) for store, _ in store_rows if store.pk is None}
        _save_collection(application.stores.all(), [store for store, _ in store_rows], "stores", replaces=existed)
        for store, terminals in store_rows:
            for terminal in terminals:
                terminal.store = store
            _save_collection(TerminalRequest.objects.filter(store=store), terminals, "stores",
                             replaces=id(store) not in new_stores)  # fmt: skip
    if wallet_rows is not None:
        _save_wallets(application, wallet_rows, replaces=existed)


EXTERNAL_ID_CONSTRAINT = "external_id_unique_per_partner"
EXTERNAL_ID_TAKEN = gettext_noop("Another of your applications already has this external_id.")


def _external_id(application: Application, value) -> str:
    errors = FieldErrors()
    cleaned = errors.clean("external_id", clean_text, value, max_length=text_limit(Application, "external_id"))
    errors.raise_if_any()
    if cleaned and application.partner is None:
        raise ValidationFailed(
            _("Please correct the errors below."), fields={"external_id": [_("Only partners set this.")]}
        )
    taken = Application.objects.filter(partner=application.partner, livemode=application.livemode, external_id=cleaned)
    if cleaned and taken.exists():
        raise ValidationFailed(
            _("Please correct the errors below."),
            fields={"external_id": [_(EXTERNAL_ID_TAKEN)]},
        )
    return cleaned


def application_create_draft(
    *,
    actor: Actor,
    channel: str = Channel.WEB,
    business: dict | None = None,
    parties: list[dict] | None = None,
    bank_account: dict | None = None,
    stores: list[dict] | None = None,
    wallets: list[dict] | None = None,
    livemode: bool = True,
    external_id="",
) -> Application:
    """Start an application for a merchant user (web) or a partner (API). ``livemode`` is fixed here (a
    partner's test key starts test data): a test application and its merchant stay test for good.
    ``external_id`` is the partner's own reference, unique among its applications of the same mode."""
    application = Application(
        channel=channel,
        livemode=bool(livemode),
        state=AppState.DRAFT,
        applicant=actor.user if actor.kind == "user" else None,
        partner=actor.partner if actor.kind == "partner" else None,
    )
    application.external_id = _external_id(application, external_id)
    try:
        with transaction.atomic():
            _write(
                application,
                business={} if business is None else business,
                parties=parties,
                bank_account=bank_account,
                stores=stores,
                wallets=wallets,
            )
            event_record(
                actor=actor,
                subject=application,
                action="created",
                to_state=AppState.DRAFT,
                reason_code="created",
                shared=True,
            )
            application_requirements_changed(application=application)
    except IntegrityError as exc:
        # Two creations with one external_id at once: the constraint lets one through; the other is told.
        if EXTERNAL_ID_CONSTRAINT not in str(exc):
            raise
        raise ValidationFailed(_("Please correct the errors below."), fields={"external_id": [_(EXTERNAL_ID_TAKEN)]})
    return application


def application_update_draft(
    *,
    application: Application,
    actor: Actor,
    business: dict | None = None,
    parties: list[dict] | None = None,
    bank_account: dict | None = None,
    stores: list[dict] | None = None,
    wallets: list[dict] | None = None,
) -> Application:
    """Change an application's data. Sections left out (None) are not touched."""
    ensure_can_act_for(application, actor)
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state not in AppState.EDITABLE:
            raise InvalidTransition(
                _("The application can no longer be changed (it is %(state)s).")
                % {"state": locked.get_state_display().lower()}
            )
        _write(locked, business=business, parties=parties, bank_account=bank_account, stores=stores, wallets=wallets)
        changed = [
            name
            for name, value in (
                ("business", business),
                ("parties", parties),
                ("bank_account", bank_account),
                ("stores", stores),
                ("wallets", wallets),
            )
            if value is not None
        ]
        event_record(actor=actor, subject=locked, action="updated", details={"sections": changed})
        application_requirements_changed(application=locked)
    application.refresh_from_db()
    return application
