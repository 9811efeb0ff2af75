"""The decision function: the current check results → the application's next state.

It is replaceable (``DECISION_FUNCTION``): ``onboarding.kyc.policy.decide`` applies the versioned
decision policy and the risk score. This default never approves what a check did not pass, and never
approves automatically once an officer has had the application or when a second approval is required.
"""

from dataclasses import dataclass, field

from onboarding.models import Application, CheckResult, Outcome
from onboarding.states import AppState


@dataclass(frozen=True)
class Decision:
    target: str  # approved | in_review | declined
    reasons: list[str] = field(default_factory=list)
    # Set on the application in the same transaction as the move (high risk, a cleared sanctions hit).
    requires_second_approval: bool = False
    # Internal decline reason (onboarding.reason_codes.DECLINE_REASONS); the merchant reads neutral text.
    reason_code: str = "checks_failed"


def decide(application: Application, results: dict[str, CheckResult]) -> Decision:
    not_passed = {name: r.outcome for name, r in sorted(results.items()) if r.outcome != Outcome.PASS}
    reasons = [f"{name}: {outcome}" for name, outcome in not_passed.items()]
    if not_passed:
        # Failures go to an officer too: most are typing mistakes the merchant can fix on request.
        return Decision(AppState.IN_REVIEW, reasons)
    if application.has_been_in_review:
        return Decision(AppState.IN_REVIEW, ["an officer has already reviewed this application"])
    if application.requires_second_approval:
        return Decision(AppState.IN_REVIEW, ["a second approval is required"])
    return Decision(AppState.APPROVED, ["every check passed"])
