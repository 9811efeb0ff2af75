"""Wallet eligibility: can this merchant category, in this state, take this wallet through this channel
with this acquirer, and why.

One function answers it (``wallet_eligibility``) for the merchant form's early notice, the pipeline's
``wallet_eligibility`` check and the partner API. The rules are data (``data/eligibility_rules.json``,
each row with its source) stored as numbered, never-changed versions (``EligibilityRuleSet``); the
highest version is in force. Every matching row applies and the worst outcome wins
(ineligible > review > eligible); no matching row means eligible.

The pipeline's check is re-run whenever its inputs change (``check_inputs``): the rule version, the
acquirer, and the wallet request rows it records its outcomes on, so a request row that was replaced
(and is pending again) is always assessed, even when the wallets asked for read the same.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from onboarding.kyc import mcc as mcc_data
from onboarding.models import EligibilityRule, EligibilityRuleSet

DATA_FILE = Path(__file__).parent / "data" / "eligibility_rules.json"
SEVERITY = {"eligible": 0, "review": 1, "ineligible": 2}
ROW_FIELDS = ("wallet", "channel", "acquirer", "mccs", "mcc_match", "states", "outcome", "reason", "source")


@dataclass(frozen=True)
class Eligibility:
    outcome: str  # eligible | review | ineligible
    reasons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    rule_version: int = 0

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def load_data(path: Path | None = None) -> dict:
    return json.loads((path or DATA_FILE).read_text())


def rows_from_data(data: dict) -> list[dict]:
    """The data file's rules with MCC groups expanded to codes and sources written out."""
    sources, groups = data["sources"], data["mcc_groups"]
    rows = []
    for rule in data["rules"]:
        mccs = rule["mccs"]
        if isinstance(mccs, str):
            group = groups[mccs.removeprefix("@")]
            codes = group.get("mccs") or [code for codes in group["categories"].values() for code in codes]
            mccs = mcc_data.expand(codes)
        else:
            mccs = mcc_data.expand(mccs)
        if rule["outcome"] not in SEVERITY:
            raise ValueError(f"unknown outcome {rule['outcome']!r}")
        rows.append({**{k: rule[k] for k in ROW_FIELDS}, "mccs": mccs, "source": sources[rule["source"]]})
    return rows


def rows_digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def rule_set_store(*, rows: list[dict], note: str = "", created_by=None) -> tuple[EligibilityRuleSet, bool]:
    """Store ``rows`` as the next version unless they equal the version in force. Returns (set, created)."""
    digest = rows_digest(rows)
    with transaction.atomic():
        latest = EligibilityRuleSet.objects.select_for_update().order_by("-version").first()
        if latest is not None and latest.digest == digest:
            return latest, False
        rule_set = EligibilityRuleSet.objects.create(
            version=(latest.version + 1) if latest else 1, digest=digest, note=note[:300], created_by=created_by
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(rule_set=rule_set, position=i, **row) for i, row in enumerate(rows)
        )
    return rule_set, True


def rule_set_current() -> EligibilityRuleSet:
    """The version in force; on an empty database (fresh install, flushed test run) the data file's."""
    current = EligibilityRuleSet.objects.order_by("-version").first()
    if current is not None:
        return current
    try:
        return rule_set_store(rows=rows_from_data(load_data()), note="Initial table from the data file")[0]
    except IntegrityError:  # stored concurrently by another worker
        return EligibilityRuleSet.objects.order_by("-version").first()


_ROWS_CACHE: dict[int, list[EligibilityRule]] = {}


def _rules(rule_set: EligibilityRuleSet) -> list[EligibilityRule]:
    # A stored version never changes, so its rows can be kept for the life of the process.
    if rule_set.pk not in _ROWS_CACHE:
        _ROWS_CACHE[rule_set.pk] = list(rule_set.rules.order_by("position"))
    return _ROWS_CACHE[rule_set.pk]


def _matches(rule: EligibilityRule, *, mcc: str, state: str, wallet: str, channel: str, acquirer: str) -> bool:
    if rule.wallet and rule.wallet != wallet:
        return False
    if rule.channel and rule.channel != channel:
        return False
    if rule.acquirer and rule.acquirer != acquirer:
        return False
    if rule.states and state not in rule.states:
        return False
    if rule.mcc_match == EligibilityRule.MccMatch.NOT_IN:
        return mcc not in rule.mccs
    return not rule.mccs or mcc in rule.mccs


def wallet_eligibility(
    *, mcc: str, state: str, wallet: str, channel: str, acquirer: str, rule_set: EligibilityRuleSet | None = None
) -> Eligibility:
    """The outcome for one wallet request, with the reasons and sources of every rule that applied."""
    rule_set = rule_set or rule_set_current()
    label = f"{mcc} {mcc_data.mcc_name(mcc)}"
    if not mcc_data.is_known(mcc):
        return Eligibility("review", [f"{mcc or 'No MCC'} is not an assigned merchant category code"], [],
                           rule_set.version)  # fmt: skip
    matched = [
        rule
        for rule in _rules(rule_set)
        if _matches(rule, mcc=mcc, state=state, wallet=wallet, channel=channel, acquirer=acquirer)
    ]
    if not matched:
        return Eligibility("eligible", [f"No rule restricts {label}"], [], rule_set.version)
    matched.sort(key=lambda rule: -SEVERITY[rule.outcome])
    outcome = matched[0].outcome
    reasons = [f"{rule.reason} ({label})" for rule in matched if rule.outcome == outcome]
    sources = list(dict.fromkeys(rule.source for rule in matched if rule.outcome == outcome))
    return Eligibility(outcome, reasons, sources, rule_set.version)


def worst(results: list[Eligibility]) -> Eligibility:
    """Several states for one request (business and stores): the worst outcome, reasons merged."""
    top = max(results, key=lambda e: SEVERITY[e.outcome])
    same = [e for e in results if e.outcome == top.outcome]
    reasons = list(dict.fromkeys(r for e in same for r in e.reasons))
    sources = list(dict.fromkeys(s for e in same for s in e.sources))
    return Eligibility(top.outcome, reasons, sources, top.rule_version)


def check_inputs(application) -> dict:
    """What the ``wallet_eligibility`` check depends on beyond the sections it reads (business, stores,
    wallets). The check stores its outcome on each request row, and a new row starts as pending, so the
    rows themselves are inputs: a replaced row has a new id, which changes the check's fingerprint."""
    return {
        "eligibility_rules": rule_set_current().version,
        "acquirer": application.acquirer,
        "wallet_request_rows": sorted(application.wallet_requests.values_list("pk", flat=True)),
    }


def request_eligibility(application, wallet_request, *, rule_set: EligibilityRuleSet | None = None) -> Eligibility:
    """One wallet request of an application: the business's state, and each store's state in store."""
    rule_set = rule_set or rule_set_current()
    states = {application.address_state}
    if wallet_request.channel == "in_store":
        states |= {store.address_state for store in application.stores.all() if store.address_country == "US"}
    return worst(
        [
            wallet_eligibility(mcc=application.mcc, state=state, wallet=wallet_request.wallet,
                               channel=wallet_request.channel, acquirer=application.acquirer, rule_set=rule_set)
            for state in sorted(states)
        ]
    )  # fmt: skip
