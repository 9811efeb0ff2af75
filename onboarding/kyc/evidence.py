"""The evidence guard: an approval stands only on fresh, complete evidence.

Every approval path (an officer's first approval, the second approval, the automatic approval) calls
``evidence_ensure`` on the locked application row, inside the transaction of the move. The evidence is
complete and fresh when the current results cover every registered check, each result's fingerprint
equals the fingerprint of the check's inputs now (nothing changed since it ran: the data, a list or rule
version, an officer's decision on a hit), none is ``fail`` or ``not_run``, and no check reports anything
else in the way (sanctions: a hit open at or above the review threshold, a confirmed hit, screening
against a list version that is not the active one or with an older matching algorithm). Otherwise the
approval is refused with a domain error naming what is stale or missing; an officer re-runs the checks
(``in_review → screening``).
"""

from onboarding.errors import DomainError
from onboarding.kyc.fingerprints import check_inputs, fingerprint
from onboarding.kyc.registry import registered_checks
from onboarding.models import Application, CheckResult, Outcome


class EvidenceIncomplete(DomainError):
    """The check results do not support an approval; ``fields["checks"]`` says why, check by check."""

    code = "evidence_incomplete"


def stale_checks(application: Application) -> list[str]:
    """Names of the registered checks whose current result is missing or whose inputs changed since."""
    current = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
    stale = []
    for check in registered_checks():
        result = current.get(check.name)
        if result is None or result.fingerprint != fingerprint(check, check_inputs(check, application)):
            stale.append(check.name)
    return stale


def evidence_problems(application: Application) -> list[str]:
    """Everything that stands in the way of approving ``application`` now; empty when nothing does."""
    current = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
    problems = []
    for check in registered_checks():
        result = current.get(check.name)
        if result is None:
            problems.append(f"{check.name}: has not run")
            continue
        if result.fingerprint != fingerprint(check, check_inputs(check, application)):
            problems.append(f"{check.name}: out of date (what it reads changed since it ran); re-run the checks")
        if result.outcome == Outcome.FAIL:
            problems.append(f"{check.name}: failed")
        elif result.outcome == Outcome.NOT_RUN:
            problems.append(f"{check.name}: did not run")
        problems.extend(f"{check.name}: {problem}" for problem in check.evidence_problems(application, result))
    return problems


def evidence_ensure(application: Application) -> None:
    """Raise ``EvidenceIncomplete`` unless the evidence supports an approval (call on the locked row)."""
    problems = evidence_problems(application)
    if problems:
        raise EvidenceIncomplete(
            "The checks do not support an approval yet: " + "; ".join(problems) + ".", fields={"checks": problems}
        )
