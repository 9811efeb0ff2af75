"""Test values: in test mode (``livemode`` false) a business tax id from ``TEST_TAX_IDS`` forces the
pipeline's decision, the way Stripe's test values force an outcome in its test mode, so that a partner's
engineer can reach every outcome on purpose. In live mode they are ordinary tax ids: nothing here looks at
a live application. The table is documented for partners in docs/test_mode.md.

The checks still run on a test application and their results are kept (test mode is screened like any
other application); the test value replaces only the decision taken on them, and only the first one:
once an officer has had the application (``has_been_in_review``, which an information request implies),
officers decide, in test mode as in live mode.

The approval value never approves past what stands in the way of any approval: a failed or not-run check,
a sanctions result that is not a clean pass, or a second approval required. Then the policy's decision
stands, with the reason. The evidence guard still runs on the approval itself. A forced decline carries
the pipeline's ordinary internal reason code and reads to the merchant and partner like every decline.
"""

import re

from onboarding.info_requests import READY_MADE
from onboarding.kyc.decision import Decision
from onboarding.models import Application, CheckResult, Outcome
from onboarding.states import AppState

APPROVE = "approve"
REVIEW = "review"
DECLINE = "decline"
REQUIREMENT_DUE = "requirement_due"

#: The business tax id (EIN, or a sole proprietor's SSN or ITIN), as nine digits → the outcome it forces.
#: Each is a valid number, so the tax id check passes and only the decision is forced. The local acquirer's
#: own test tax ids (111111111, 222222222: docs/local_acquirer.md) act later, at boarding.
TEST_TAX_IDS = {
    "424242424": APPROVE,
    "333333333": REVIEW,
    "444444444": DECLINE,
    "555555555": REQUIREMENT_DUE,
}
#: What the information request of ``REQUIREMENT_DUE`` asks for (``business.tax_id`` and the IRS letter
#: become ``currently_due`` in the requirements).
REQUIREMENT_REQUEST = READY_MADE["tax_id"]


def forced_outcome(application: Application) -> str | None:
    """The outcome the application's test value forces, or None (live mode, no test value, or an officer
    has already had the application)."""
    if application.livemode or application.has_been_in_review:
        return None
    return TEST_TAX_IDS.get(re.sub(r"\D", "", application.tax_id or ""))


def approval_blockers(application: Application, results: dict[str, CheckResult], decision: Decision) -> list[str]:
    """What keeps the approval value from approving: what would stop any approval."""
    blockers = [f"{name}: {result.outcome}" for name, result in sorted(results.items())
                if result.outcome in (Outcome.FAIL, Outcome.NOT_RUN)]  # fmt: skip
    sanctions = results.get("sanctions")
    details = (sanctions.details or {}) if sanctions else {}
    if (
        sanctions is None
        or sanctions.outcome != Outcome.PASS
        or details.get("open_hits")
        or details.get("cleared_hits")
    ):
        blockers.append("sanctions: not a clean pass")
    if decision.requires_second_approval or application.requires_second_approval:
        blockers.append("a second approval is required")
    return sorted(set(blockers))


def decision_forced(application: Application, results: dict[str, CheckResult], decision: Decision) -> Decision:
    """The decision function's ``decision``, or the one the application's test value forces."""
    outcome = forced_outcome(application)
    if outcome is None:
        return decision
    note = f"test mode: the test tax id forces {outcome.replace('_', ' ')}"
    reasons = [*decision.reasons, note]
    if outcome == REVIEW:
        return Decision(AppState.IN_REVIEW, reasons, decision.requires_second_approval)
    if outcome == DECLINE:
        return Decision(AppState.DECLINED, reasons, False, "checks_failed")
    if outcome == REQUIREMENT_DUE:
        return Decision(AppState.INFO_REQUESTED, reasons, decision.requires_second_approval,
                        info_request=REQUIREMENT_REQUEST)  # fmt: skip
    blockers = approval_blockers(application, results, decision)
    if blockers:
        return Decision(decision.target, [*decision.reasons, f"{note}, but: {'; '.join(blockers)}"],
                        decision.requires_second_approval, decision.reason_code)  # fmt: skip
    return Decision(AppState.APPROVED, [note])
