"""The real ``sanctions`` check of the KYC pipeline (it replaces the foundation's not_run stand-in).

Its fingerprint covers the application's business, parties and bank account, the active list version,
the thresholds, the algorithm version, whether the list is stale, the stores' addresses, the officers'
decisions on hits and whether the programs of its hits block: any of them changing runs it again. With
no list loaded it records ``not_run``; with a stale list never ``pass``.
"""

from __future__ import annotations

from django.db.models import Q

from onboarding.kyc.registry import Check, CheckOutcome
from onboarding.models import Application
from sanctions import hits as hit_services
from sanctions.freshness import active_version, list_is_stale
from sanctions.matching import ALGORITHM_VERSION
from sanctions.models import SanctionsHit, SanctionsListVersion
from sanctions.screening import check_extra_inputs, screen_application, thresholds


class SanctionsCheck(Check):
    name = "sanctions"
    version = "2"
    reads = ("business", "parties", "bank_account")
    description = "Sanctions screening of the business, every party and the account holder; embargoed places."

    def extra_inputs(self, application: Application) -> dict:
        version = active_version()
        inputs = check_extra_inputs(application, version)
        inputs["list_stale"] = list_is_stale(version)
        inputs["decisions"] = hit_services.officer_decisions(application)
        flags = hit_services.program_flags(application)
        if flags:  # absent without hits, so results without hits keep the fingerprint they had
            inputs["program_blocking"] = flags
        return inputs

    def run(self, application: Application) -> CheckOutcome:
        version = active_version()
        if version is None:
            return CheckOutcome.not_run(
                list_version=None,
                list_age_days=None,
                list_stale=True,
                hits=[],
                open_hits=0,
                cleared_hits=0,
                confirmed_hits=0,
                near_misses=0,
                potential_block=False,
                reason="No sanctions list is loaded; screen manually.",
            )
        candidates = screen_application(application, version)
        hit_services.hits_sync(application=application, version=version, candidates=candidates)
        return self.evaluate(application, version)

    def evaluate(self, application: Application, version: SanctionsListVersion) -> CheckOutcome:
        return hit_services.evaluate(application, version)

    def stale_results(self) -> Q:
        version = active_version()
        if version is None:
            return Q()  # with no list loaded, no screening is current
        return Q(details__list_stale=True) | ~Q(details__list_version=version.public_id)

    def evidence_problems(self, application: Application, result) -> list[str]:
        """No approval with a hit open at or above the review threshold, a confirmed hit, or a result that
        was not screened against the list version active now or with the matching algorithm of now."""
        problems = []
        version = active_version()
        screened = (result.details or {}).get("list_version")
        if version is None:
            problems.append("no sanctions list is active")
        elif screened != version.public_id:
            problems.append(f"screened against list {screened or 'none'}, but {version.public_id} is active now")
        algorithm = (result.details or {}).get("algorithm")
        if algorithm != ALGORITHM_VERSION:
            problems.append(
                f"screened with matching algorithm {algorithm or 'unknown'}, but {ALGORITHM_VERSION} is current"
            )
        hits = hit_services.current_hits(application)
        review = thresholds().review  # today's threshold, whatever the hit was classed at when found
        open_hits = [h for h in hits if h.status == SanctionsHit.Status.OPEN and h.score >= review]
        if open_hits:
            problems.append(f"{len(open_hits)} hit(s) at or above the review threshold are still open")
        confirmed = [h for h in hits if h.status == SanctionsHit.Status.CONFIRMED]
        if confirmed:
            problems.append(f"{len(confirmed)} hit(s) confirmed as true matches")
        return problems
