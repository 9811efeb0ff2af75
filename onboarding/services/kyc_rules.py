"""Services for the KYC rules: editing the versioned risk rules and decision policy (an edit stores a new
version, never changes an old one), recording wallet eligibility on the requests, marking a second
approval, and re-applying a changed eligibility table to live merchants."""

from django.db import transaction

from onboarding.errors import ValidationFailed
from onboarding.kyc import eligibility, policy, risk
from onboarding.models import (
    Application,
    DecisionPolicy,
    EligibilityRuleSet,
    Merchant,
    RiskRuleSet,
    WalletRequest,
)
from onboarding.services.actors import Actor
from onboarding.services.cases import review_case_open
from onboarding.services.events import event_record
from onboarding.states import MerchantState

EDIT_RISK_RULES_PERM = "onboarding.add_riskruleset"
EDIT_POLICY_PERM = "onboarding.add_decisionpolicy"
ELIGIBILITY_CHANGED = "eligibility_changed"


def threshold_errors(medium_from, high_from) -> list[str]:
    if not (isinstance(medium_from, int) and isinstance(high_from, int) and 0 < medium_from < high_from <= 100):
        return ["The bands must satisfy 0 < medium < high <= 100."]
    return []


def risk_rule_errors(rule: dict) -> list[str]:
    """What is wrong with one rule (the admin's forms and the service share this)."""
    errors = risk.condition_errors(field=rule.get("field"), operator=rule.get("operator"), value=rule.get("value"))
    if not isinstance(rule.get("weight"), int) or not -100 <= rule["weight"] <= 100:
        errors.append("The weight is a whole number from -100 to 100.")
    if not (rule.get("reason") or "").strip():
        errors.append("Say what the officer reads when the rule applies.")
    return errors


def risk_rules_revise(
    *,
    actor: Actor,
    rules: list[dict],
    medium_from: int,
    high_from: int,
    note: str,
) -> RiskRuleSet:
    """Store an edited copy of the risk rules as the next version (scores keep the version they used)."""
    if not actor.is_system:
        actor.require_perm(EDIT_RISK_RULES_PERM, "edit the risk rules")
    problems = {}
    if threshold_errors(medium_from, high_from):
        problems["thresholds"] = threshold_errors(medium_from, high_from)
    for index, rule in enumerate(rules):
        errors = risk_rule_errors(rule)
        if errors:
            problems[f"rules[{index}]"] = errors
    if problems:
        raise ValidationFailed("Some rules are not valid.", fields=problems)
    with transaction.atomic():
        rule_set = risk.rule_set_store(
            rules=rules, medium_from=medium_from, high_from=high_from, note=note, created_by=actor.user
        )
        event_record(actor=actor, subject=rule_set, action="risk_rules_changed",
                     details={"version": rule_set.version, "note": note})  # fmt: skip
    return rule_set


def decision_policy_revise(*, actor: Actor, note: str, **values) -> DecisionPolicy:
    """Store the decision policy's next version with ``values`` changed."""
    if not actor.is_system:
        actor.require_perm(EDIT_POLICY_PERM, "change the decision policy")
    policy.policy_current()  # make sure there is a base version to copy
    with transaction.atomic():
        new = policy.policy_store(note=note, created_by=actor.user, **values)
        event_record(actor=actor, subject=new, action="decision_policy_changed",
                     details={"version": new.version, "note": note, **values})  # fmt: skip
    return new


def wallet_requests_record_eligibility(*, application: Application, outcomes: dict[int, eligibility.Eligibility]):
    """Store each request's outcome and reason (requests id → Eligibility); unchanged rows are left alone."""
    for request in application.wallet_requests.all():
        result = outcomes.get(request.pk)
        if result is None:
            continue
        reason = result.reason[:300]
        if (request.eligibility, request.eligibility_reason) != (result.outcome, reason):
            WalletRequest.objects.filter(pk=request.pk).update(eligibility=result.outcome, eligibility_reason=reason)


def application_require_second_approval(*, application: Application, actor: Actor, reasons: list[str]) -> bool:
    """Mark that two officers must approve (high risk, a cleared sanctions hit). Call inside the transaction
    of the decision's move. Returns whether it was newly set."""
    changed = Application.objects.filter(pk=application.pk, requires_second_approval=False).update(
        requires_second_approval=True
    )
    application.requires_second_approval = True
    if changed:
        event_record(actor=actor, subject=application, action="second_approval_required", details={"reasons": reasons})
    return bool(changed)


def eligibility_rules_sync(*, actor: Actor, note: str = "") -> tuple[EligibilityRuleSet, bool]:
    """Store the data file's table as a new version if it differs from the one in force."""
    eligibility.rule_set_current()
    rule_set, created = eligibility.rule_set_store(
        rows=eligibility.rows_from_data(eligibility.load_data()), note=note or "Table changed in the data file",
        created_by=actor.user,
    )  # fmt: skip
    if created:
        event_record(actor=actor, subject=rule_set, action="eligibility_rules_changed",
                     details={"version": rule_set.version, "note": rule_set.note})  # fmt: skip
    return rule_set, created


def eligibility_changes_affecting(*, previous: EligibilityRuleSet, current: EligibilityRuleSet) -> list[dict]:
    """Active live merchants whose current application has a wallet request that ``current`` rates worse
    (test merchants take no real payments: no case for them in the officers' work)."""
    affected = []
    merchants = Merchant.objects.filter(state=MerchantState.ACTIVE, livemode=True, current_application__isnull=False)
    for merchant in merchants.select_related("current_application").order_by("pk"):
        application = merchant.current_application
        worse = []
        for request in application.wallet_requests.all():
            before = eligibility.request_eligibility(application, request, rule_set=previous)
            after = eligibility.request_eligibility(application, request, rule_set=current)
            if eligibility.SEVERITY[after.outcome] > eligibility.SEVERITY[before.outcome]:
                worse.append({"wallet": request.wallet, "channel": request.channel, "from": before.outcome,
                              "to": after.outcome, "reason": after.reason, "sources": after.sources})  # fmt: skip
        if worse:
            affected.append({"merchant": merchant, "application": application, "wallets": worse})
    return affected


def eligibility_changes_apply(
    *, actor: Actor, previous: EligibilityRuleSet, current: EligibilityRuleSet, dry_run: bool = False
) -> list[dict]:
    """Open one review case per affected merchant (idempotent: a merchant with an open case for this
    version is left alone). Returns the affected merchants, each with ``case`` and ``opened``."""
    affected = eligibility_changes_affecting(previous=previous, current=current)
    for item in affected:
        merchant = item["merchant"]
        details = {"from_version": previous.version, "to_version": current.version, "wallets": item["wallets"]}
        existing = merchant.review_cases.filter(reason_code=ELIGIBILITY_CHANGED, status="open").first()
        if dry_run or (existing is not None and _covers(existing, current.version)):
            item.update(case=existing, opened=False)
            continue
        summary = "Wallet eligibility changed: " + ", ".join(
            f"{w['wallet']} ({w['channel']}) {w['from']} → {w['to']}" for w in item["wallets"]
        )
        case, opened = review_case_open(merchant=merchant, actor=actor, reason_code=ELIGIBILITY_CHANGED,
                                        summary=summary, details=details, application=item["application"])  # fmt: skip
        item.update(case=case, opened=opened)
    return affected


def _covers(case, version: int) -> bool:
    seen = [case.details.get("to_version")] + [u.get("to_version") for u in case.details.get("updates", [])]
    return version in seen


def eligibility_case_evidence(case) -> dict:
    """What an eligibility case page shows: each change of the rules that opened or updated the case."""
    updates = case.details.get("updates", [])
    return {"changes": [case.details, *updates]}
