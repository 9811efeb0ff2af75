"""Connected accounts, shaped like Stripe's: created pending, updated, rejected, and refreshed (what is
due, the verification's outcome, the wallets' availability, the events that announce a change)."""

from __future__ import annotations

import copy
import re
import time

from payments.acquirer import verification
from payments.acquirer.events import changed, emit
from payments.acquirer.objects import SECRET_KEYS, Call, merge, person_fields, requirements_empty, typed
from payments.acquirer.wire import ApiError, missing, new_id


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
        "future_requirements": requirements_empty(),
        "livemode": call.livemode,
        "metadata": dict(params.get("metadata") or {}),
        "payouts_enabled": False,
        "requirements": requirements_empty(),
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
        person_fields(person, individual, private)
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
    before = copy.deepcopy(account)
    _account_fields(account, private, call.params)
    call.store.save(account, private=private)
    return account_refresh(call.store, call.config, account_id, call=call, before=before)


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


def account_later_review(store, config, account_id: str, *, outcome: str, requirement: str = "") -> dict:
    found = store.get("account", account_id, livemode=True) or store.get("account", account_id, livemode=False)
    if found is None:
        raise ValueError(f"No such account {account_id!r}.")
    account, private, _ = found
    before = copy.deepcopy(account)
    verification.later_review(account, private, outcome=outcome, requirement=requirement)
    store.save(account, private=private)
    return account_refresh(store, config, account_id, before=before)


def account_refresh(
    store,
    config,
    account_id: str,
    *,
    call: Call | None = None,
    quiet: bool = False,
    finish: bool = False,
    before: dict | None = None,
) -> dict:
    """Recompute what is due (and finish verification when asked); announce what changed since ``before``
    (the account as it was before the call changed it; as stored, when not given)."""
    found = store.get("account", account_id, livemode=True) or store.get("account", account_id, livemode=False)
    account, private, _ = found
    before = before or copy.deepcopy(account)
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
