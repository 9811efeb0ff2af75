"""Connected accounts, their persons and external (bank) accounts, shaped like Stripe's objects.

Identifiers are never kept: a tax id, an SSN or an account number becomes a ``*_provided`` flag (and the
last four digits where Stripe shows them); only the magic tax ids are remembered, to act on them.
"""

from __future__ import annotations

import copy
import hashlib
import re
import time
from dataclasses import dataclass, field

from payments.acquirer import verification
from payments.acquirer.events import changed, emit
from payments.acquirer.wire import ApiError, missing, new_id

BOOLEAN = {"true": True, "false": False}
INTEGER_KEYS = frozenset({"day", "month", "year", "date"})
SECRET_KEYS = frozenset({"id_number", "ssn_last_4", "tax_id", "account_number", "personal_id_number"})


@dataclass
class Call:
    """One API call: its store, mode, the connected account it acts for, its parameters."""

    store: object
    livemode: bool
    config: object
    params: dict = field(default_factory=dict)
    stripe_account: str = ""
    request: tuple[str, str] = ("", "")

    def emit(self, type: str, obj: dict, *, account: str, previous: dict | None = None) -> None:
        emit(
            self.store,
            type=type,
            obj=obj,
            account=account,
            livemode=self.livemode,
            delivering=self.config.delivering,
            previous=previous,
            request=self.request,
        )


def typed(value, key: str = ""):
    """Form strings as the JSON Stripe answers with: booleans, integers where Stripe keeps integers."""
    if isinstance(value, dict):
        if key == "metadata":
            return dict(value)
        return {k: typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if value in BOOLEAN:
        return BOOLEAN[value]
    if key in INTEGER_KEYS and value.lstrip("-").isdigit():
        return int(value)
    if key == "percent_ownership" and value:
        return float(value)
    return value


def merge(target: dict, source: dict) -> dict:
    """Stripe's update: nested objects merge, an empty string unsets."""
    for key, value in source.items():
        if key == "metadata" and isinstance(value, dict):
            metadata = target.get("metadata") or {}
            for name, item in value.items():
                if item == "":
                    metadata.pop(name, None)
                else:
                    metadata[name] = item
            target["metadata"] = metadata
        elif value == "":
            target[key] = {} if key == "metadata" else None
        elif isinstance(value, dict) and isinstance(target.get(key), dict) and key != "capabilities":
            merge(target[key], value)
        else:
            target[key] = value
    return target


def _requirements() -> dict:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": [],
        "disabled_reason": None,
        "errors": [],
        "eventually_due": [],
        "past_due": [],
        "pending_verification": [],
    }


def _person_fields(obj: dict, params: dict, private: dict) -> None:
    """Copy a person's parameters, keeping flags instead of identifiers."""
    values = typed({k: v for k, v in params.items() if k not in SECRET_KEYS})
    merge(obj, values)
    if params.get("id_number"):
        obj["id_number_provided"] = obj["ssn_last_4_provided"] = True
    if params.get("ssn_last_4"):
        obj["ssn_last_4_provided"] = True


def _new_person(call: Call, account: str, params: dict) -> dict:
    person = {
        "id": new_id("person"),
        "object": "person",
        "account": account,
        "created": int(time.time()),
        "address": {},
        "dob": {"day": None, "month": None, "year": None},
        "email": None,
        "first_name": None,
        "last_name": None,
        "phone": None,
        "id_number_provided": False,
        "ssn_last_4_provided": False,
        "livemode": call.livemode,
        "metadata": {},
        "relationship": {
            "director": False,
            "executive": False,
            "owner": False,
            "percent_ownership": None,
            "representative": False,
            "title": None,
        },
        "requirements": _requirements(),
        "verification": {"status": "unverified"},
    }
    _person_fields(person, params, {})
    return person


# --------------------------------------------------------------------------- accounts


def account_create(call: Call) -> dict:
    params = call.params
    now = int(time.time())
    account_id = new_id("acct")
    capabilities = typed(params.get("capabilities") or {})
    account = {
        "id": account_id,
        "object": "account",
        "business_profile": {},
        "business_type": params.get("business_type"),
        "capabilities": {name: "pending" for name, wish in capabilities.items() if wish.get("requested")},
        "charges_enabled": False,
        "company": {},
        "controller": {**typed(params.get("controller") or {}), "is_controller": True, "type": "application"},
        "country": params.get("country") or "US",
        "created": now,
        "default_currency": "usd",
        "details_submitted": False,
        "email": params.get("email"),
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": False,
            "total_count": 0,
            "url": f"/v1/accounts/{account_id}/external_accounts",
        },
        "future_requirements": _requirements(),
        "livemode": call.livemode,
        "metadata": dict(params.get("metadata") or {}),
        "payouts_enabled": False,
        "requirements": _requirements(),
        "settings": {},
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "custom",
    }
    private: dict = {}
    _account_fields(account, private, {k: v for k, v in params.items() if k not in ("capabilities", "controller")})
    call.store.insert(account, kind="account", owner="", private=private)
    return account_refresh(call.store, call.config, account_id, call=call, quiet=True)


def _account_fields(account: dict, private: dict, params: dict) -> None:
    simple = {
        k: v
        for k, v in params.items()
        if k in ("business_profile", "tos_acceptance", "email", "settings", "business_type", "default_currency")
    }
    profile = params.get("business_profile")
    if isinstance(profile, dict):
        _profile_check(profile)
    merge(account, typed(simple))
    if "metadata" in params:
        merge(account, {"metadata": params["metadata"]})
    if isinstance(params.get("capabilities"), dict):
        for name, wish in typed(params["capabilities"]).items():
            if wish.get("requested") and name not in account["capabilities"]:
                account["capabilities"][name] = "pending"
    company = params.get("company")
    if isinstance(company, dict):
        tax_id = company.get("tax_id")
        merge(account.setdefault("company", {}), typed({k: v for k, v in company.items() if k not in SECRET_KEYS}))
        if tax_id:
            account["company"]["tax_id_provided"] = True
            digits = re.sub(r"\D", "", tax_id)
            if len(digits) != 9:
                raise ApiError(400, "Invalid US tax ID: it must be 9 digits.", param="company[tax_id]")
            magic = digits if digits in verification.MAGIC_TAX_IDS else ""
            if magic != private.get("tax_id_magic", "") or private.get("tax_id_failed"):
                private.pop("tax_id_failed", None)
            private["tax_id_magic"] = magic
    individual = params.get("individual")
    if isinstance(individual, dict):
        person = account.get("individual") or {
            **_new_person_stub(account),
            "relationship": {"representative": True, "owner": True},
        }
        _person_fields(person, individual, private)
        account["individual"] = person


def _new_person_stub(account: dict) -> dict:
    return {
        "id": new_id("person"),
        "object": "person",
        "account": account["id"],
        "created": int(time.time()),
        "address": {},
        "dob": {},
        "metadata": {},
        "id_number_provided": False,
        "ssn_last_4_provided": False,
    }


def _profile_check(profile: dict) -> None:
    if profile.get("mcc") and not re.fullmatch(r"\d{4}", profile["mcc"]):
        raise ApiError(400, f"Invalid MCC: {profile['mcc']}", param="business_profile[mcc]")
    url = profile.get("url")
    if url and not re.fullmatch(r"(https?://)?[^\s/.]+(\.[^\s/.]+)+(/\S*)?", url):
        raise ApiError(400, "Not a valid URL", code="url_invalid", param="business_profile[url]")


def account_load(call: Call, account_id: str) -> tuple[dict, dict]:
    found = call.store.get("account", account_id, livemode=call.livemode)
    if not found:
        raise missing("account", account_id, "account")
    return found[0], found[1]


def account_update(call: Call, account_id: str) -> dict:
    account, private = account_load(call, account_id)
    if private.get("state") == "rejected" and call.params:
        raise ApiError(400, "This account has been rejected and cannot be updated.", code="account_invalid")
    _account_fields(account, private, call.params)
    call.store.save(account, private=private)
    return account_refresh(call.store, call.config, account_id, call=call)


def account_reject(call: Call, account_id: str) -> dict:
    account, private = account_load(call, account_id)
    reason = call.params.get("reason", "")
    if reason not in ("fraud", "terms_of_service", "other"):
        raise ApiError(400, "Invalid reason: must be one of fraud, terms_of_service, other", param="reason")
    before = copy.deepcopy(account)
    verification.account_reject(account, private, reason=reason)
    call.store.save(account, private=private)
    _announce(call.store, call.config, before, account, call=call)
    return account


def account_refresh(
    store, config, account_id: str, *, call: Call | None = None, quiet: bool = False, finish: bool = False
) -> dict:
    """Recompute what is due (and finish verification when asked); announce what changed."""
    found = store.get("account", account_id, livemode=True) or store.get("account", account_id, livemode=False)
    account, private, _ = found
    before = copy.deepcopy(account)
    persons = [p for p, _ in store.all("person", owner=account_id)]
    banks = len(store.all("bank_account", owner=account_id))
    if finish and private.get("due_at") is not None:
        verification.verification_finish(account, private)
    verification.requirements_apply(account, private, persons, banks, verification_seconds=config.verification_seconds)
    company = account.get("business_type") != "individual"
    for person in persons:
        due = verification.person_due(person, company=company)
        unverified = private.get("state") != "verified"
        person["requirements"].update(currently_due=due, eventually_due=due, past_due=due if unverified else [])
        person["verification"]["status"] = (
            "verified" if private.get("state") == "verified" else ("pending" if not due else "unverified")
        )
        store.save(person)
    store.save(account, private=private)
    _wallets_refresh(store, account, private)
    if not quiet:
        _announce(store, config, before, account, call=call)
    return account


def _announce(store, config, before: dict, account: dict, *, call: Call | None) -> None:
    """``account.updated`` with what changed, and ``capability.updated`` for each capability that moved."""
    previous = changed(before, account)
    if not previous:
        return
    announcements = [("account.updated", account, previous)]
    was = before.get("capabilities") or {}
    for name, status in account["capabilities"].items():
        if was.get(name) != status:
            capability = {"id": name, "object": "capability", "account": account["id"], "requested": True,
                          "requested_at": account["created"], "requirements": account["requirements"],
                          "status": status}  # fmt: skip
            announcements.append(("capability.updated", capability, {"status": was.get(name)}))
    for type, obj, changes in announcements:
        emit(store, type=type, obj=obj, account=account["id"], livemode=account["livemode"],
             delivering=config.delivering, previous=changes, request=call.request if call else None)  # fmt: skip


def _wallets_refresh(store, account: dict, private: dict) -> None:
    for configuration, _ in store.all("payment_method_configuration", owner=account["id"]):
        wallets_apply(configuration, account, private)
        store.save(configuration)


def wallets_apply(configuration: dict, account: dict | None, private: dict | None) -> None:
    for name, method in configuration.items():
        if not (isinstance(method, dict) and "display_preference" in method):
            continue
        preference = method["display_preference"].get("preference") or "none"
        if name in verification.WALLETS:
            available = bool(account) and verification.wallet_available(account, private or {}, name, preference)
        else:
            available = preference != "off"
        method["available"] = available
        method["display_preference"]["value"] = (
            "on" if preference == "on" or (preference == "none" and name == "card") else "off"
        )


# --------------------------------------------------------------------------- persons and bank accounts


def person_create(call: Call, account_id: str) -> dict:
    account_load(call, account_id)
    person = _new_person(call, account_id, call.params)
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
    _person_fields(person, call.params, {})
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
