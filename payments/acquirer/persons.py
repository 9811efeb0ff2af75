"""A connected account's persons and external (bank) accounts; each change refreshes the account."""

from __future__ import annotations

import hashlib
import time

from payments.acquirer.accounts import account_load, account_refresh
from payments.acquirer.objects import Call, new_person, person_fields
from payments.acquirer.wire import ApiError, missing, new_id


def person_create(call: Call, account_id: str) -> dict:
    account_load(call, account_id)
    person = new_person(call, account_id, call.params)
    call.store.insert(person, kind="person", owner=account_id)
    call.emit("person.created", person, account=account_id)
    account_refresh(call.store, call.config, account_id, call=call)
    return call.store.get("person", person["id"], livemode=call.livemode)[0]


def person_load(call: Call, account_id: str, person_id: str) -> dict:
    account_load(call, account_id)
    found = call.store.get("person", person_id, livemode=call.livemode, owner=account_id)
    if not found:
        raise missing("person", person_id, "person")
    return found[0]


def person_update(call: Call, account_id: str, person_id: str) -> dict:
    person = person_load(call, account_id, person_id)
    person_fields(person, call.params, {})
    call.store.save(person)
    account_refresh(call.store, call.config, account_id, call=call)
    person = call.store.get("person", person_id, livemode=call.livemode)[0]
    call.emit("person.updated", person, account=account_id)
    return person


def external_account_create(call: Call, account_id: str) -> dict:
    account_load(call, account_id)
    details = call.params.get("external_account")
    if not isinstance(details, dict):
        raise ApiError(400, "Only bank account details are accepted here (tokens are not).", param="external_account")
    number = details.get("account_number", "")
    routing = details.get("routing_number", "")
    if not number.isdigit() or len(routing) != 9 or not routing.isdigit():
        raise ApiError(
            400,
            "Invalid bank account details.",
            code="routing_number_invalid" if number.isdigit() else "account_number_invalid",
            param="external_account",
        )
    bank = {
        "id": new_id("ba"),
        "object": "bank_account",
        "account": account_id,
        "account_holder_name": details.get("account_holder_name"),
        "account_holder_type": details.get("account_holder_type"),
        "bank_name": "STRIPE TEST BANK",
        "country": details.get("country", "US"),
        "currency": details.get("currency", "usd"),
        "default_for_currency": call.params.get("default_for_currency") == "true",
        "fingerprint": hashlib.sha256(f"{routing}:{number}".encode()).hexdigest()[:16],
        "last4": number[-4:],
        "metadata": dict(call.params.get("metadata") or {}),
        "routing_number": routing,
        "status": "new",
        "created": int(time.time()),
        "livemode": call.livemode,
    }
    call.store.insert(bank, kind="bank_account", owner=account_id)
    call.emit("account.external_account.created", bank, account=account_id)
    account_refresh(call.store, call.config, account_id, call=call)
    return bank


def external_account_load(call: Call, account_id: str, bank_id: str) -> dict:
    account_load(call, account_id)
    found = call.store.get("bank_account", bank_id, livemode=call.livemode, owner=account_id)
    if not found:
        raise missing("external account", bank_id)
    return found[0]
