"""What a decision function returns: the application's next state and why.

The decision function is replaceable (``DECISION_FUNCTION``); the default, ``onboarding.kyc.policy.decide``,
applies the versioned decision policy and the risk score to the current check results.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Decision:
    target: str  # approved | in_review | declined | info_requested (a test value: kyc/forced_outcomes.py)
    reasons: list[str] = field(default_factory=list)
    # Set on the application in the same transaction as the move (high risk, a cleared sanctions hit).
    requires_second_approval: bool = False
    # Internal decline reason (onboarding.reason_codes.DECLINE_REASONS); the merchant reads neutral text.
    reason_code: str = "checks_failed"
    # With info_requested: the request the system makes after the move to review (message and items).
    info_request: dict | None = None
