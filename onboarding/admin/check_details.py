"""Check results in plain words for the review page: one small renderer per check name, each turning the
check's stored details into lines an officer reads (never JSON). A check without its own renderer is
shown field by field. Details never hold personal data in clear (the checks mask it), so neither do these.
"""

from __future__ import annotations

from collections.abc import Callable

from onboarding.models import CheckResult

Lines = list[str]
_RENDERERS: dict[str, Callable[[dict], Lines]] = {}

LABELS = {
    "required_fields": "Required fields",
    "tax_id": "Tax id",
    "owner_identifiers": "Owners' SSN or ITIN",
    "routing_number": "Settlement account",
    "ownership": "Ownership and control",
    "sanctions": "Sanctions screening",
    "duplicates": "Duplicates",
    "addresses": "Addresses",
    "documents": "Documents",
    "velocity": "Submission velocity",
    "name_consistency": "Account holder's name",
    "wallet_eligibility": "Wallet eligibility",
}


def check_label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def renders(name: str):
    def register(function: Callable[[dict], Lines]) -> Callable[[dict], Lines]:
        _RENDERERS[name] = function
        return function

    return register


def plain(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')} {plain(v)}" for k, v in value.items())
    return "none" if value in (None, "") else str(value)


def _generic(details: dict) -> Lines:
    return [f"{key.replace('_', ' ').capitalize()}: {plain(value)}" for key, value in details.items()]


def check_lines(result: CheckResult) -> Lines:
    """What ``result`` found, line by line."""
    details = result.details or {}
    renderer = _RENDERERS.get(result.check_name, _generic)
    lines = renderer(details)
    if details.get("reason") and result.check_name != "sanctions":
        lines.append(str(details["reason"]))
    return lines or ["Nothing to report."]


@renders("required_fields")
def _required(details: dict) -> Lines:
    missing = details.get("missing") or []
    return [f"Missing: {path}" for path in missing] or ["Every required field is filled in."]


@renders("tax_id")
def _tax_id(details: dict) -> Lines:
    lines = [f"{(details.get('tax_id_type') or '').upper()} {details.get('tax_id') or ''}".strip()]
    if details.get("problem"):
        lines.append(details["problem"])
    return lines


@renders("owner_identifiers")
def _owner_ids(details: dict) -> Lines:
    return [f"{p['party']} ({p.get('id_number', '')}): {p['problem']}" for p in details.get("problems", [])] or [
        "Every SSN or ITIN given is a valid number."
    ]


@renders("routing_number")
def _routing(details: dict) -> Lines:
    lines = []
    if details.get("routing_number"):
        lines.append(f"Routing {details['routing_number']}, account {details.get('account_number', '')}")
    lines += [str(p) for p in details.get("problems", [])]
    if details.get("problem"):
        lines.append(details["problem"])
    return lines


@renders("ownership")
def _ownership(details: dict) -> Lines:
    problems = details.get("problems") or {}
    if problems:
        return [f"{path}: {plain(messages)}" for path, messages in sorted(problems.items())]
    return [f"Beneficial owners (25% or more): {plain(details.get('beneficial_owners', []))}"]


@renders("sanctions")
def _sanctions(details: dict) -> Lines:
    if details.get("list_version") is None:
        return [details.get("reason") or "No sanctions list is loaded."]
    age = details.get("list_age_days")
    lines = [
        f"Screened against {details['list_version']}, published {age} day(s) ago"
        + (" (stale: screen again once a current list is active)" if details.get("list_stale") else ""),
        f"Open hits {details.get('open_hits', 0)}, cleared {details.get('cleared_hits', 0)}, "
        f"confirmed {details.get('confirmed_hits', 0)}, near misses {details.get('near_misses', 0)}",
    ]
    if details.get("potential_block"):
        lines.append("50% rule: owners with open hits together hold half or more of the business")
    lines += [f"Blocks: {reason}" for reason in details.get("block_reasons", [])]
    limits = details.get("thresholds") or {}
    if limits:
        lines.append(f"Thresholds: near miss {limits.get('near_miss')}, review {limits.get('review')}, "
                     f"block {limits.get('block')}")  # fmt: skip
    return lines


@renders("duplicates")
def _duplicates(details: dict) -> Lines:
    words = {"tax_id": "Same tax id", "person_id_number": "Same SSN or ITIN", "bank_account": "Same bank account"}
    return [
        f"{words.get(m['kind'], m['kind'])} as {m['other']} ({m.get('other_state', '')})"
        + (" (same merchant)" if m.get("same_merchant") else "")
        for m in details.get("matches", [])
    ] or ["No other applicant or merchant uses these identifiers."]


@renders("addresses")
def _addresses(details: dict) -> Lines:
    return [f"{p['where']}, {p.get('field', '')}: {p['problem']}" for p in details.get("problems", [])] or [
        "Every address reads as a valid US address."
    ]


@renders("documents")
def _documents(details: dict) -> Lines:
    lines = [f"Missing: {need}" for need in details.get("missing", [])]
    lines += [f"Rejected: {doc}" for doc in details.get("rejected", [])]
    lines += [f"Present: {need}" for need in details.get("present", [])]
    return lines


@renders("velocity")
def _velocity(details: dict) -> Lines:
    if details.get("limit") is None:
        return ["No limit applies."]
    who = "this IP address" if details.get("channel") == "web" else "this partner"
    lines = [f"{details.get('count')} submission(s) from {who} in {details.get('window_minutes')} minutes "
             f"(limit {details['limit']})"]  # fmt: skip
    return lines + ([details["problem"]] if details.get("problem") else [])


@renders("name_consistency")
def _names(details: dict) -> Lines:
    lines = []
    if "holder_name" in details:
        closest = (details.get("closest") or "none").replace("_", " ")
        lines.append(f"Holder “{details['holder_name']}”, closest to the {closest} "
                     f"(similarity {details.get('similarity')})")  # fmt: skip
    return lines + ([details["problem"]] if details.get("problem") else [])


@renders("wallet_eligibility")
def _wallets(details: dict) -> Lines:
    lines = [f"Eligibility rules version {details.get('rule_version')}"]
    for wallet in details.get("wallets", []):
        reasons = "; ".join(wallet.get("reasons") or []) or "no reason recorded"
        sources = ", ".join(wallet.get("sources") or []) or "no source recorded"
        lines.append(f"{wallet['wallet']} {wallet['channel']}: {wallet['outcome']} ({reasons}; source: {sources})")
    return lines + ([details["problem"]] if details.get("problem") else [])
