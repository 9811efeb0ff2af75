"""An account's requirements, and its asynchronous verification, as Stripe reports them for a US account
with platform requirement collection (``controller.requirement_collection=application``) that requests
``card_payments`` and ``transfers``.

While anything is due, it is listed in ``currently_due`` (and ``past_due``: an account that never took a
charge has no grace period), the capabilities stay ``pending`` and ``disabled_reason`` is
``requirements.past_due``. Once nothing is due, what Stripe checks moves to ``pending_verification``
and, after the verification delay, the capabilities go ``active`` with charges and payouts enabled, and
each wallet on the account's payment method configurations becomes ``available`` when its preference is
``on`` and its category allows it.

Magic values, like Stripe's test mode:

- company tax id ``111111111``: the match fails; ``company.tax_id`` stays currently due with the error
  ``verification_failed_tax_id_match`` until another tax id is sent;
- company tax id ``222222222``: the account is rejected (``disabled_reason: rejected.other``,
  capabilities ``inactive``);
- MCC ``5993`` (cigar stores) keeps ``alipay`` unavailable, MCC ``5944`` (jewelry, watches, precious
  metals) keeps ``wechat_pay`` unavailable, as the acquirer's own category decision.

``POST /v1/accounts/{id}/reject`` sets ``disabled_reason: rejected.<reason>``.

Later reviews, as Stripe runs them on a verified account (``POST /_local/review``): ``restrict`` asks
again for a requirement and, its deadline passed, lists it past due with ``disabled_reason:
requirements.past_due``, capabilities ``inactive`` and the wallets unavailable; ``reject`` rejects the
account (``rejected.fraud``); ``restore`` verifies it again.
"""

from __future__ import annotations

import time

TAX_ID_MISMATCH = "111111111"
TAX_ID_REJECTED = "222222222"
MAGIC_TAX_IDS = (TAX_ID_MISMATCH, TAX_ID_REJECTED)
WALLET_REFUSED_BY_MCC = {"5993": "alipay", "5944": "wechat_pay"}
WALLETS = ("alipay", "wechat_pay")
ADDRESS = ("address.city", "address.line1", "address.postal_code", "address.state")
DOB = ("dob.day", "dob.month", "dob.year")
REPRESENTATIVE = ("first_name", "last_name", *DOB, *ADDRESS, "email", "phone", "relationship.title", "ssn_last_4")
OWNER = ("first_name", "last_name", *DOB, *ADDRESS, "email", "ssn_last_4")
INDIVIDUAL = ("first_name", "last_name", *DOB, *ADDRESS, "email", "phone", "ssn_last_4")


def _has(obj: dict, path: str) -> bool:
    if path == "ssn_last_4":
        return bool(obj.get("ssn_last_4_provided") or obj.get("id_number_provided"))
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return False
        value = value.get(part)
    return value not in (None, "", {}, [])


def person_due(person: dict, *, company: bool) -> list[str]:
    relationship = person.get("relationship") or {}
    if not company:
        wanted: tuple = INDIVIDUAL
    elif relationship.get("representative"):
        wanted = REPRESENTATIVE
    elif relationship.get("owner"):
        wanted = OWNER
    else:
        wanted = ("first_name", "last_name")
    return [field for field in wanted if not _has(person, field)]


def account_due(account: dict, private: dict, persons: list[dict], external_accounts: int) -> list[str]:
    """Everything Stripe would list as currently due, by its requirement names."""
    due = []
    profile = account.get("business_profile") or {}
    if not profile.get("mcc"):
        due.append("business_profile.mcc")
    if not (profile.get("url") or profile.get("product_description")):
        due.append("business_profile.url")
    if not external_accounts:
        due.append("external_account")
    tos = account.get("tos_acceptance") or {}
    due += [f"tos_acceptance.{name}" for name in ("date", "ip") if not tos.get(name)]
    if account.get("business_type") == "individual":
        individual = account.get("individual") or {}
        due += [f"individual.{field}" for field in person_due(individual, company=False)]
        return sorted(due)
    company = account.get("company") or {}
    due += [f"company.{field}" for field in ADDRESS if not _has(company, field)]
    due += [f"company.{name}" for name in ("name", "phone") if not company.get(name)]
    if not company.get("tax_id_provided") or private.get("tax_id_failed"):
        due.append("company.tax_id")
    if not company.get("owners_provided"):
        due.append("company.owners_provided")
    if not any((p.get("relationship") or {}).get("representative") for p in persons):
        due += [f"representative.{field}" for field in REPRESENTATIVE]
    for person in persons:
        due += [f"{person['id']}.{field}" for field in person_due(person, company=True)]
    return sorted(set(due))


def _verifiable(account: dict, persons: list[dict]) -> list[str]:
    if account.get("business_type") == "individual":
        return ["individual.dob.day", "individual.ssn_last_4"]
    return ["company.tax_id", *(f"{p['id']}.ssn_last_4" for p in persons if _has(p, "ssn_last_4"))]


def requirements_apply(
    account: dict, private: dict, persons: list[dict], external_accounts: int, *, verification_seconds: float
) -> None:
    """Recompute ``requirements``, ``capabilities`` and the enabled flags in place."""
    requirements = account["requirements"]
    state = private.get("state", "unverified")
    if state == "rejected":
        return
    due = account_due(account, private, persons, external_accounts)
    if state == "restricted":
        due = sorted({*due, *private.get("restricted", [])})
        requirements.update(currently_due=due, eventually_due=due, past_due=due, pending_verification=[],
                            disabled_reason="requirements.past_due", current_deadline=None)  # fmt: skip
        account["capabilities"] = {name: "inactive" for name in account["capabilities"]}
        account["charges_enabled"] = account["payouts_enabled"] = False
        return
    errors = []
    if private.get("tax_id_failed"):
        errors.append(
            {
                "code": "verification_failed_tax_id_match",
                "reason": "The tax ID and legal name provided do not match the IRS's records.",
                "requirement": "company.tax_id",
            }
        )
    requirements.update(errors=errors, eventually_due=due, currently_due=due)
    if state == "verified":
        # Verified once: something newly due gets a deadline instead of switching charges off.
        requirements.update(past_due=[], pending_verification=[], disabled_reason=None)
        requirements["current_deadline"] = int(time.time()) + 14 * 86400 if due else None
        return
    requested = list(account["capabilities"])
    if due:
        private.pop("due_at", None)
        requirements.update(past_due=due, pending_verification=[], disabled_reason="requirements.past_due")
        status = "inactive" if private.get("tax_id_failed") else "pending"
    else:
        private.setdefault("due_at", time.time() + verification_seconds)
        requirements.update(
            past_due=[],
            pending_verification=_verifiable(account, persons),
            disabled_reason="requirements.pending_verification",
        )
        status = "pending"
    account["capabilities"] = {name: status for name in requested}
    account["charges_enabled"] = account["payouts_enabled"] = False
    account["details_submitted"] = not due


def verification_finish(account: dict, private: dict) -> None:
    """What the acquirer's checks conclude, once an account's verification is due."""
    private.pop("due_at", None)
    requirements = account["requirements"]
    magic = private.get("tax_id_magic", "")
    if magic == TAX_ID_REJECTED:
        account_reject(account, private, reason="other")
        return
    if magic == TAX_ID_MISMATCH:
        private["tax_id_failed"] = True
        return
    private["state"] = "verified"
    requirements.update(pending_verification=[], disabled_reason=None, past_due=[], current_deadline=None)
    account["capabilities"] = {name: "active" for name in account["capabilities"]}
    account["charges_enabled"] = account["payouts_enabled"] = account["details_submitted"] = True


def account_reject(account: dict, private: dict, *, reason: str) -> None:
    private["state"] = "rejected"
    private.pop("due_at", None)
    account["requirements"].update(
        disabled_reason=f"rejected.{reason}",
        pending_verification=[],
        currently_due=[],
        past_due=[],
        eventually_due=[],
        current_deadline=None,
    )
    account["capabilities"] = {name: "inactive" for name in account["capabilities"]}
    account["charges_enabled"] = account["payouts_enabled"] = False


def later_review(account: dict, private: dict, *, outcome: str, requirement: str = "") -> None:
    """What a later review of a verified account concludes (see the module's docstring)."""
    if outcome == "reject":
        account_reject(account, private, reason="fraud")
    elif outcome == "restrict":
        private["state"] = "restricted"
        private["restricted"] = [requirement or "company.tax_id"]
    elif outcome == "restore":
        private.pop("restricted", None)
        private["state"] = "unverified"
        verification_finish(account, private)
    else:
        raise ValueError(f"Unknown review outcome {outcome!r}: restrict, reject or restore.")


def wallet_available(account: dict, private: dict, wallet: str, preference: str) -> bool:
    mcc = (account.get("business_profile") or {}).get("mcc") or ""
    return (
        preference == "on"
        and private.get("state") == "verified"
        and (account.get("capabilities") or {}).get("card_payments") == "active"
        and WALLET_REFUSED_BY_MCC.get(mcc) != wallet
    )
