"""Objects that live on one account, chosen by the ``Stripe-Account`` header (the platform without it):
payment method configurations, Terminal locations and readers; and the list envelope every list shares.

Asking for one under another account, or in the other mode, is a 404 ``resource_missing``, as Stripe
answers for an object the caller cannot see.
"""

from __future__ import annotations

import hashlib
import time

from payments.acquirer.accounts import account_load, wallets_apply
from payments.acquirer.objects import Call, merge, typed
from payments.acquirer.wire import ApiError, missing, new_id

SIMULATED_READERS = {"simulated-wpe": "bbpos_wisepos_e", "simulated-s700": "stripe_s700"}
LOCATION_ADDRESS = ("line1", "city", "state", "postal_code", "country")


def _scope(call: Call) -> tuple[dict | None, dict | None]:
    """The connected account acting (its object and private state), or (None, None) for the platform."""
    if not call.stripe_account:
        return None, None
    found = call.store.get("account", call.stripe_account, livemode=call.livemode)
    if not found:
        raise ApiError(
            403,
            f"The provided key does not have access to account '{call.stripe_account}' (or that "
            "account does not exist). Application access may have been revoked.",
            type="invalid_request_error",
            code="account_invalid",
        )
    return found[0], found[1]


def _load(call: Call, kind: str, object_id: str, noun: str, param: str = "id") -> tuple[dict, bool]:
    _scope(call)
    found = call.store.get(kind, object_id, livemode=call.livemode, owner=call.stripe_account)
    if not found:
        raise missing(noun, object_id, param)
    return found[0], found[2]


def page(call: Call, kind: str, owner: str | None, url: str, keep=None) -> dict:
    """Stripe's list: newest first, ``limit`` (1–100, default 10) after ``starting_after``."""
    limit_text = call.params.get("limit", "10")
    limit = int(limit_text) if str(limit_text).isdigit() else 0
    if not 1 <= limit <= 100:
        raise ApiError(400, "Invalid limit: must be between 1 and 100", code="parameter_invalid_integer", param="limit")
    items = [obj for obj, _ in call.store.all(kind, owner=owner, livemode=call.livemode)][::-1]
    if keep:
        items = [obj for obj in items if keep(obj)]
    after = call.params.get("starting_after")
    if after:
        ids = [obj["id"] for obj in items]
        if after not in ids:
            raise missing(kind.replace("_", " "), after, "starting_after")
        items = items[ids.index(after) + 1 :]
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": url}


# --------------------------------------------------------------------------- payment method configurations


def _method(params: dict, current: dict | None = None) -> dict:
    method = current or {
        "available": False,
        "display_preference": {"overridable": None, "preference": "none", "value": "off"},
    }
    preference = ((params or {}).get("display_preference") or {}).get("preference")
    if preference:
        method["display_preference"]["preference"] = preference
    return method


def configuration_create(call: Call) -> dict:
    account, private = _scope(call)
    configuration = {
        "id": new_id("pmc"),
        "object": "payment_method_configuration",
        "active": True,
        "application": None,
        "is_default": False,
        "livemode": call.livemode,
        "name": call.params.get("name") or "Default",
        "parent": call.params.get("parent"),
        "created": int(time.time()),
    }
    for name in ("card", "alipay", "wechat_pay"):
        configuration[name] = _method({})
    for name, value in call.params.items():
        if isinstance(value, dict) and name != "parent":
            configuration[name] = _method(value)
    wallets_apply(configuration, account, private)
    return call.store.insert(configuration, kind="payment_method_configuration", owner=call.stripe_account)


def configuration_retrieve(call: Call, configuration_id: str) -> dict:
    return _load(call, "payment_method_configuration", configuration_id, "payment method configuration")[0]


def configuration_update(call: Call, configuration_id: str) -> dict:
    configuration = configuration_retrieve(call, configuration_id)
    account, private = _scope(call)
    for name, value in call.params.items():
        if isinstance(value, dict):
            configuration[name] = _method(value, configuration.get(name))
        elif name in ("name", "active"):
            configuration[name] = typed(value)
    wallets_apply(configuration, account, private)
    return call.store.save(configuration)


def configuration_list(call: Call) -> dict:
    _scope(call)
    return page(call, "payment_method_configuration", call.stripe_account, "/v1/payment_method_configurations")


# --------------------------------------------------------------------------- Terminal locations


def location_create(call: Call) -> dict:
    _scope(call)
    address = call.params.get("address")
    if not isinstance(address, dict):
        raise ApiError(400, "Missing required param: address.", code="parameter_missing", param="address")
    for name in LOCATION_ADDRESS:
        if not address.get(name):
            raise ApiError(
                400, f"Missing required param: address[{name}].", code="parameter_missing", param=f"address[{name}]"
            )
    if not call.params.get("display_name"):
        raise ApiError(400, "Missing required param: display_name.", code="parameter_missing", param="display_name")
    location = {
        "id": new_id("tml"),
        "object": "terminal.location",
        "address": dict(address),
        "display_name": call.params["display_name"],
        "livemode": call.livemode,
        "metadata": dict(call.params.get("metadata") or {}),
        "created": int(time.time()),
    }
    return call.store.insert(location, kind="terminal.location", owner=call.stripe_account)


def location_list(call: Call) -> dict:
    _scope(call)
    return page(call, "terminal.location", call.stripe_account, "/v1/terminal/locations")


# --------------------------------------------------------------------------- Terminal readers


def _device_type(call: Call, code: str) -> str:
    if call.livemode:
        if code in SIMULATED_READERS or code not in call.config.live_reader_codes:
            raise ApiError(
                400,
                "The registration code you entered is invalid. Enter the code your reader shows.",
                code="terminal_reader_invalid_registration_code",
                param="registration_code",
            )
        for _reader, private in call.store.all("terminal.reader", livemode=True):
            if private.get("registration_code") == code:
                raise ApiError(
                    400,
                    "This registration code has already been used to register a reader.",
                    code="terminal_reader_invalid_registration_code",
                    param="registration_code",
                )
        return "bbpos_wisepos_e"
    if code not in SIMULATED_READERS:
        raise ApiError(
            400,
            "The registration code you entered is invalid. In test mode use a simulated code "
            "(simulated-wpe, simulated-s700).",
            code="terminal_reader_invalid_registration_code",
            param="registration_code",
        )
    return SIMULATED_READERS[code]


def reader_create(call: Call) -> dict:
    _scope(call)
    location = call.params.get("location")
    if location:
        _load(call, "terminal.location", location, "location", "location")
    code = call.params["registration_code"]
    device_type = _device_type(call, code)
    reader_id = new_id("tmr")
    reader = {
        "id": reader_id,
        "object": "terminal.reader",
        "action": None,
        "device_sw_version": "2.31.0.0",
        "device_type": device_type,
        "ip_address": "192.0.2.10",
        "label": call.params.get("label") or device_type,
        "last_seen_at": int(time.time() * 1000),
        "livemode": call.livemode,
        "location": location,
        "metadata": dict(call.params.get("metadata") or {}),
        "serial_number": hashlib.sha256(reader_id.encode()).hexdigest()[:12].upper(),
        "status": "online",
        "created": int(time.time()),
    }
    private = {"registration_code": code} if call.livemode else {}
    return call.store.insert(reader, kind="terminal.reader", owner=call.stripe_account, private=private)


def reader_retrieve(call: Call, reader_id: str) -> dict:
    reader, deleted = _load(call, "terminal.reader", reader_id, "terminal.reader")
    return {"id": reader_id, "object": "terminal.reader", "deleted": True} if deleted else reader


def reader_update(call: Call, reader_id: str) -> dict:
    reader, deleted = _load(call, "terminal.reader", reader_id, "terminal.reader")
    if deleted:
        raise missing("terminal.reader", reader_id)
    merge(reader, {k: v for k, v in call.params.items() if k in ("label", "metadata")})
    return call.store.save(reader)


def reader_delete(call: Call, reader_id: str) -> dict:
    reader, deleted = _load(call, "terminal.reader", reader_id, "terminal.reader")
    if deleted:
        raise missing("terminal.reader", reader_id)
    # The code goes back to the pool: a deleted reader no longer holds it.
    call.store.execute("UPDATE objects SET deleted = 1, private = '{}' WHERE id = ?", (reader_id,))
    return {"id": reader_id, "object": "terminal.reader", "deleted": True}


def reader_list(call: Call) -> dict:
    _scope(call)
    filters = {k: call.params[k] for k in ("location", "status", "device_type", "serial_number") if k in call.params}
    return page(
        call,
        "terminal.reader",
        call.stripe_account,
        "/v1/terminal/readers",
        keep=lambda r: all(r.get(k) == v for k, v in filters.items()),
    )


def account_list(call: Call) -> dict:
    return page(call, "account", "", "/v1/accounts")


def persons_list(call: Call, account_id: str) -> dict:
    account_load(call, account_id)
    wanted = {k: v == "true" for k, v in (call.params.get("relationship") or {}).items()}
    return page(
        call,
        "person",
        account_id,
        f"/v1/accounts/{account_id}/persons",
        keep=lambda p: all(bool((p.get("relationship") or {}).get(k)) == v for k, v in wanted.items()),
    )


def external_accounts_list(call: Call, account_id: str) -> dict:
    account_load(call, account_id)
    kind = call.params.get("object")
    return page(
        call,
        "bank_account",
        account_id,
        f"/v1/accounts/{account_id}/external_accounts",
        keep=lambda b: not kind or b["object"] == kind,
    )
