"""What sanctions screening tells onboarding's review cases (registered in ``SanctionsConfig.ready``).

* A ``sanctions_new_hit`` case is about the hits re-screening named when it opened the case (and in each
  later update). A hit superseded since (its screened values or its entry changed) is followed to the
  current hit on the same subject and entry; one closed (entry removed) or no longer matching is settled.
  The case closes only when every one is cleared or confirmed.
* A merchant is reactivated only when none of its current hits needing an officer is open, none is
  confirmed, and, when the suspension was for hits, not by the officer who cleared one of them.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from onboarding import casework
from onboarding.models import Merchant, ReviewCase
from onboarding.services.actors import Actor
from sanctions.evidence import application_hits_beside_entries, hits_beside_entries
from sanctions.models import OfacReport, SanctionsHit

Status = SanctionsHit.Status
SANCTIONS_CASE = "sanctions_new_hit"
DECIDED = (Status.CLEARED, Status.CONFIRMED, Status.CLOSED)
NEEDS_OFFICER = Q(status=Status.CONFIRMED) | Q(status=Status.OPEN, near_miss=False)


def named_hits(case: ReviewCase) -> list[str]:
    """The hits the case was opened for, and those added by later updates, in order."""
    named = list(case.details.get("hits", []))
    for update in case.details.get("updates", []):
        named += [h for h in update.get("hits", []) if h not in named]
    return named


def hits_on_case(case: ReviewCase) -> list[SanctionsHit]:
    """Each named hit, or the current hit that took its place."""
    found: list[SanctionsHit] = []
    for hit in SanctionsHit.objects.filter(public_id__in=named_hits(case)).select_related(
        "application", "version", "party", "status_by"
    ):
        if not hit.is_current and hit.status != Status.CLOSED:
            successor = (
                SanctionsHit.objects.filter(
                    application_id=hit.application_id,
                    subject_key=hit.subject_key,
                    target_key=hit.target_key,
                    is_current=True,
                )
                .select_related("application", "version", "party", "status_by")
                .first()
            )
            if successor is None:
                continue  # no longer matches: nothing left to decide
            hit = successor
        if hit not in found:
            found.append(hit)
    return sorted(found, key=lambda h: h.pk)


def case_close_problems(case: ReviewCase) -> list[str]:
    undecided = [h.public_id for h in hits_on_case(case) if h.status not in DECIDED]
    if undecided:
        return [f"clear or confirm every hit on the case first ({', '.join(undecided)} still open)"]
    return []


def reactivation_problems(merchant: Merchant, actor: Actor, suspension: casework.Suspension) -> list[str]:
    problems = []
    blocking = SanctionsHit.objects.filter(NEEDS_OFFICER, merchant=merchant, is_current=True).order_by("id")
    open_hits = [h.public_id for h in blocking if h.status == Status.OPEN]
    confirmed = [h.public_id for h in blocking if h.status == Status.CONFIRMED]
    if open_hits:
        problems.append(f"sanctions hits are still open ({', '.join(open_hits)})")
    if confirmed:
        problems.append(f"sanctions hits are confirmed matches ({', '.join(confirmed)})")
    if suspension.for_hits and actor.user is not None:
        cause = SanctionsHit.objects.filter(public_id__in=suspension.hits)
        current = SanctionsHit.objects.filter(
            merchant=merchant, is_current=True, subject_key__in=cause.values("subject_key")
        )
        cleared_by_actor = (cause | current).filter(status=Status.CLEARED, status_by=actor.user).exists()
        if cleared_by_actor:
            problems.append("the officer who cleared the hit does not also lift the suspension it caused")
    return problems


def open_hits_expression():
    """Open hits that need an officer, among the merchant's current hits."""
    counted = (
        SanctionsHit.objects.filter(merchant=OuterRef("merchant"), is_current=True, status=Status.OPEN, near_miss=False)
        .values("merchant")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def case_evidence(case: ReviewCase) -> dict:
    """The hits, each beside the list entry it matched, and the OFAC reports their confirmations owe."""
    hits = hits_on_case(case)
    return {
        "hits": hits_beside_entries(hits),
        "ofac_reports": list(OfacReport.objects.filter(hit__in=hits).select_related("hit", "confirmed_by")),
    }


def register() -> None:
    casework.register_close_rule(SANCTIONS_CASE, case_close_problems)
    casework.register_reactivation_rule(reactivation_problems)
    casework.register_open_hits(open_hits_expression)
    casework.register_case_hits(lambda case: [h.public_id for h in hits_on_case(case)])
    casework.register_application_hits(application_hits_beside_entries)
    casework.register_evidence(
        SANCTIONS_CASE, casework.CaseEvidence("admin/onboarding/includes/case_hits.html", case_evidence)
    )
