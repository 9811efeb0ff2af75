"""The decision policy: versioned data (``DecisionPolicy``) applied to the check results and the risk
score. ``decide`` is the pipeline's decision function (``DECISION_FUNCTION``).

- No open sanctions hits, every check passed and low risk → approved, unless automatic approval is off,
  the sanctions list is stale (``list_stale`` or older than ``SANCTIONS_MAX_AGE_DAYS``), the sanctions
  check did not pass, the application has been in review, or a second approval is required.
- Any review (or not-run) outcome, or medium or high risk → in_review, with the reasons.
- A fail of a declining check (wallet ineligible for every requested wallet, invalid tax id, a sanctions
  block) → declined when ``decline_on_fail`` is on, else in_review; other fails go to an officer.
- High risk or a cleared sanctions hit → requires_second_approval.
The same inputs give the same decision and reasons, in the same order.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from onboarding.kyc.decision import Decision
from onboarding.kyc.risk import risk_assess
from onboarding.models import Application, CheckResult, DecisionPolicy, Outcome, RiskScore
from onboarding.states import AppState

DATA_FILE = Path(__file__).parent / "data" / "decision_policy.json"
POLICY_FIELDS = ("auto_approve_enabled", "decline_on_fail", "declining_checks")


def policy_store(*, note: str = "", created_by=None, **values) -> DecisionPolicy:
    """Store the next policy version (existing versions never change)."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown policy settings {sorted(unknown)}")
    with transaction.atomic():
        latest = DecisionPolicy.objects.select_for_update().order_by("-version").first()
        base = {name: getattr(latest, name) for name in POLICY_FIELDS} if latest else {}
        return DecisionPolicy.objects.create(
            version=(latest.version + 1) if latest else 1,
            note=note[:300],
            created_by=created_by,
            **{**base, **values},
        )


def policy_current() -> DecisionPolicy:
    current = DecisionPolicy.objects.order_by("-version").first()
    if current is not None:
        return current
    data = json.loads(DATA_FILE.read_text())
    try:
        return policy_store(note=data["note"], **{name: data[name] for name in POLICY_FIELDS})
    except IntegrityError:
        return DecisionPolicy.objects.order_by("-version").first()


def _decline_code(declining: list[str]) -> str:
    if "sanctions" in declining:
        return "sanctions_match"
    if declining == ["wallet_eligibility"]:
        return "prohibited_business"
    return "checks_failed"


def policy_decision(
    *,
    policy: DecisionPolicy,
    outcomes: dict[str, str],
    sanctions: dict,
    band: str,
    risk_reasons: list[str] = (),
    has_been_in_review: bool = False,
    requires_second_approval: bool = False,
    max_list_age_days: int | None = None,
) -> Decision:
    """The decision from check outcomes (name → outcome), the sanctions details, the risk band and the
    application's markers. Pure: no database access."""
    sanctions = sanctions or {}
    cleared = int(sanctions.get("cleared_hits") or 0)
    second = requires_second_approval or band == RiskScore.Band.HIGH or cleared > 0
    fails = sorted(name for name, outcome in outcomes.items() if outcome == Outcome.FAIL)
    reviews = sorted(name for name, outcome in outcomes.items() if outcome in (Outcome.REVIEW, Outcome.NOT_RUN))
    reasons = [f"{name}: {outcomes[name]}" for name in sorted(fails + reviews)]
    if band != RiskScore.Band.LOW:
        reasons.append(f"risk: {band}" + (f" ({'; '.join(risk_reasons)})" if risk_reasons else ""))
    if int(sanctions.get("open_hits") or 0) > 0 and "sanctions" not in fails + reviews:
        reasons.append("sanctions: open hits")
    if cleared:
        reasons.append("sanctions: a cleared hit needs a second approval")
    if band == RiskScore.Band.HIGH:
        reasons.append("high risk needs a second approval")

    declining = [name for name in fails if name in (policy.declining_checks or [])]
    if declining and policy.decline_on_fail:
        return Decision(AppState.DECLINED, reasons, False, _decline_code(declining))
    if fails or reviews or band != RiskScore.Band.LOW or int(sanctions.get("open_hits") or 0) > 0:
        return Decision(AppState.IN_REVIEW, reasons, second)

    blockers = []
    if "sanctions" not in outcomes:
        blockers.append("sanctions: no result")
    age = sanctions.get("list_age_days")
    if sanctions.get("list_stale") or (age is not None and max_list_age_days is not None and age > max_list_age_days):
        blockers.append("the sanctions list is stale: no automatic approval")
    if not policy.auto_approve_enabled:
        blockers.append(f"automatic approval is switched off (policy v{policy.version})")
    if has_been_in_review:
        blockers.append("an officer has already reviewed this application")
    if requires_second_approval and not cleared:
        blockers.append("a second approval is required")
    if blockers or second:
        return Decision(AppState.IN_REVIEW, reasons + blockers, second)
    return Decision(AppState.APPROVED, [f"every check passed; risk low (policy v{policy.version})"])


def decide(application: Application, results: dict[str, CheckResult]) -> Decision:
    """The pipeline's decision function: scores the risk (recorded, idempotent) and applies the policy."""
    policy = policy_current()
    score = risk_assess(application=application, results=results)
    sanctions = results.get("sanctions")
    decision = policy_decision(
        policy=policy,
        outcomes={name: result.outcome for name, result in results.items()},
        sanctions=(sanctions.details or {}) if sanctions else {},
        band=score.band,
        risk_reasons=[f["reason"] for f in score.factors],
        has_been_in_review=application.has_been_in_review,
        requires_second_approval=application.requires_second_approval,
        max_list_age_days=settings.SANCTIONS_MAX_AGE_DAYS,
    )
    risk_note = f"risk score {score.score} ({score.band}, rules v{score.rule_set.version})"
    return Decision(decision.target, [*decision.reasons, risk_note], decision.requires_second_approval,
                    decision.reason_code)  # fmt: skip
