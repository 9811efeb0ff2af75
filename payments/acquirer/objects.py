"""What every handler shares: the call it serves, Stripe's JSON types from form strings, Stripe's update
merge, and a person's fields (an account's ``individual`` is a person too).

Identifiers are never kept: a tax id, an SSN or an account number becomes a ``*_provided`` flag (and the
last four digits where Stripe shows them); only the magic tax ids are remembered, to act on them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from payments.acquirer.events import emit
from payments.acquirer.wire import new_id

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


def requirements_empty() -> dict:
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


def person_fields(obj: dict, params: dict, private: dict) -> None:
    """Copy a person's parameters, keeping flags instead of identifiers."""
    values = typed({k: v for k, v in params.items() if k not in SECRET_KEYS})
    merge(obj, values)
    if params.get("id_number"):
        obj["id_number_provided"] = obj["ssn_last_4_provided"] = True
    if params.get("ssn_last_4"):
        obj["ssn_last_4_provided"] = True


def new_person(call: Call, account: str, params: dict) -> dict:
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
        "requirements": requirements_empty(),
        "verification": {"status": "unverified"},
    }
    person_fields(person, params, {})
    return person
