"""Sanctions hits: storing what screening found, the officers' decisions, and the check's outcome.

Guarantees:

* one current hit per screened subject (party, business name, account holder, address) and list entry
  (or jurisdiction); re-screening unchanged values against an unchanged entry adds nothing;
* a clearance lasts while the screened-values hash and the entry's content hash stay the same, and carries
  over to the same person (same id-number blind index) on the merchant's next application; a change on
  either side supersedes the old hit (kept as the record) with a new open one;
* a confirmed hit stays confirmed until an officer says otherwise;
* every status change writes an internal event on the hit, in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onboarding.errors import DomainError
from onboarding.kyc.registry import CheckOutcome
from onboarding.models import Application
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record
from onboarding.services.kyc_rules import application_require_second_approval
from sanctions.freshness import list_age_days, list_is_stale
from sanctions.matching import ALGORITHM_VERSION
from sanctions.models import SanctionsHit, SanctionsListVersion
from sanctions.screening import Candidate, thresholds

logger = logging.getLogger(__name__)
SCREENING = Actor.system("sanctions-screening")
Status = SanctionsHit.Status
EXACT_NAME = 0.99


@dataclass
class SyncResult:
    created: list[SanctionsHit] = field(default_factory=list)
    superseded: list[SanctionsHit] = field(default_factory=list)

    @property
    def new_open(self) -> list[SanctionsHit]:
        """New hits that need an officer (not near-misses, not carried-over clearances)."""
        return [h for h in self.created if h.status == Status.OPEN and not h.near_miss]


def _event(hit: SanctionsHit, actor: Actor, action: str, *, from_state: str = "", details: dict | None = None):
    event_record(
        actor=actor,
        subject=hit,
        action=action,
        application=hit.application,
        merchant=hit.merchant,
        from_state=from_state,
        to_state=hit.status,
        reason_code="sanctions_hit",
        details={
            "hit": hit.public_id,
            "uid": hit.uid,
            "jurisdiction": hit.jurisdiction or None,
            "score": hit.score,
            "subject": hit.subject_key,
            **(details or {}),
        },
    )


def _carried_clearance(application: Application, candidate: Candidate) -> SanctionsHit | None:
    """A cleared hit on the same screened values and the same entry, for this application or the merchant's."""
    scope = Q(application=application)
    if application.merchant_id:
        scope |= Q(merchant_id=application.merchant_id)
    same = SanctionsHit.objects.filter(
        scope,
        status=Status.CLEARED,
        target_key=candidate.target_key,
        entry_hash=candidate.entry_hash,
        screened_hash=candidate.screened_hash,
    )
    if candidate.party_index:
        same = same.filter(party_index=candidate.party_index)
    else:
        same = same.filter(subject_key=candidate.subject_key)
    return same.order_by("-id").first()


def _supersede(hit: SanctionsHit, actor: Actor, why: str) -> None:
    SanctionsHit.objects.filter(pk=hit.pk).update(is_current=False)
    hit.is_current = False
    _event(hit, actor, "superseded", from_state=hit.status, details={"why": why})


def hits_sync(
    *,
    application: Application,
    version: SanctionsListVersion,
    candidates: list[Candidate],
    scope_uids: set[int] | None = None,
    names: bool = True,
    geography: bool = True,
    actor: Actor = SCREENING,
    spare_newer: bool = True,
) -> SyncResult:
    """Make the application's current hits match what screening found.

    ``scope_uids`` limits what was screened to some entries (a delta): current hits on other entries are
    left alone. ``names``/``geography`` say which kinds were screened. With ``spare_newer`` a name hit raised
    by a version newer than ``version`` (after going back to an earlier list) is not superseded for being
    absent: a list older than the hit cannot say it no longer matches."""
    result = SyncResult()
    limits = thresholds()
    with transaction.atomic():
        # One screening of an application at a time (the pipeline and a re-screen may meet).
        Application.objects.select_for_update().filter(pk=application.pk).first()
        current = {
            (h.subject_key, h.target_key): h
            for h in SanctionsHit.objects.filter(application=application, is_current=True).select_related(
                "application", "merchant"
            )
        }
        produced = set()
        for candidate in candidates:
            key = (candidate.subject_key, candidate.target_key)
            produced.add(key)
            existing = current.get(key)
            if existing is not None:
                if existing.status == Status.CONFIRMED:
                    continue
                near_miss = candidate.kind == SanctionsHit.Kind.NAME and candidate.score < limits.review
                same = existing.screened_hash == candidate.screened_hash and existing.entry_hash == candidate.entry_hash
                if same and existing.near_miss == near_miss:
                    continue
                if existing.screened_hash != candidate.screened_hash:
                    why = "screened values changed"
                elif existing.entry_hash != candidate.entry_hash:
                    why = "entry changed"
                else:  # the review threshold moved across this hit's score: it is classed anew
                    why = "review threshold changed"
                _supersede(existing, actor, why)
                result.superseded.append(existing)
            carried = _carried_clearance(application, candidate)
            hit = SanctionsHit.objects.create(
                application=application,
                merchant_id=application.merchant_id,
                party=candidate.party,
                role=candidate.role,
                subject_key=candidate.subject_key,
                target_key=candidate.target_key,
                party_index=candidate.party_index,
                kind=candidate.kind,
                screened_name=candidate.screened_name[:300],
                screened_kind=candidate.screened_kind,
                screened_hash=candidate.screened_hash,
                version=version,
                uid=candidate.uid,
                entry_hash=candidate.entry_hash,
                jurisdiction=candidate.jurisdiction,
                algorithm_version=ALGORITHM_VERSION,
                score=max(0.0, min(1.0, candidate.score)),
                name_score=candidate.name_score,
                reasons=candidate.reasons,
                matched_name=candidate.matched_name[:350],
                primary_name=candidate.primary_name[:350],
                sdn_type=candidate.sdn_type,
                programs=candidate.programs,
                lists=candidate.lists,
                blocking=candidate.blocking,
                contradicted=candidate.contradicted,
                near_miss=candidate.kind == SanctionsHit.Kind.NAME and candidate.score < limits.review,
                dob_matches=candidate.dob_matches,
                status=Status.CLEARED if carried else Status.OPEN,
                status_at=timezone.now() if carried else None,
                status_reason=f"Clearance carried over from {carried.public_id}" if carried else "",
                carried_over_from=carried,
            )
            result.created.append(hit)
            _event(hit, actor, "carried_over" if carried else "opened")
        newer_versions = None
        for key, existing in current.items():
            if key in produced or existing.status == Status.CONFIRMED:
                continue
            if spare_newer and existing.kind == SanctionsHit.Kind.NAME and existing.version_id != version.pk:
                if newer_versions is None:
                    newer_versions = set(
                        SanctionsListVersion.objects.filter(
                            Q(loaded_at__gt=version.loaded_at) | Q(loaded_at=version.loaded_at, pk__gt=version.pk)
                        ).values_list("pk", flat=True)
                    )
                if existing.version_id in newer_versions:
                    continue
            if existing.kind == SanctionsHit.Kind.GEOGRAPHY:
                in_scope = geography
            else:
                in_scope = names and (scope_uids is None or existing.uid in scope_uids)
            if in_scope:
                _supersede(existing, actor, "no longer matches")
                result.superseded.append(existing)
    return result


def hits_close_removed(
    *,
    uids: set[int],
    version: SanctionsListVersion,
    actor: Actor = SCREENING,
    spare_newer_than: SanctionsListVersion | None = None,
) -> int:
    """Entries removed from the list close the hits they caused (with an event each); with
    ``spare_newer_than``, not the hits raised by a version loaded after that one."""
    closed = 0
    if not uids:
        return 0
    hits = SanctionsHit.objects.filter(uid__in=uids, is_current=True, kind=SanctionsHit.Kind.NAME)
    if spare_newer_than is not None:
        hits = hits.exclude(
            Q(version__loaded_at__gt=spare_newer_than.loaded_at)
            | Q(version__loaded_at=spare_newer_than.loaded_at, version_id__gt=spare_newer_than.pk)
        )
    for hit in hits.select_related("application", "merchant"):
        with transaction.atomic():
            updated = SanctionsHit.objects.filter(pk=hit.pk, is_current=True).update(
                status=Status.CLOSED,
                is_current=False,
                status_at=timezone.now(),
                status_reason=f"List entry {hit.uid} removed in {version.public_id}",
            )
            if updated:
                from_state = hit.status
                hit.status = Status.CLOSED
                _event(hit, actor, "closed", from_state=from_state, details={"version": version.public_id})
                closed += 1
    return closed


# --------------------------------------------------------------------------- the check's outcome


def current_hits(application: Application) -> list[SanctionsHit]:
    return list(
        SanctionsHit.objects.filter(application=application, is_current=True)
        .exclude(status=Status.CLOSED)
        .select_related("party")
        .order_by("id")
    )


def officer_decisions(application: Application) -> list[list[str]]:
    """The officers' decisions on current hits: an input of the check's fingerprint."""
    return sorted(
        [public_id, status]
        for public_id, status in SanctionsHit.objects.filter(
            application=application, is_current=True, status__in=[Status.CLEARED, Status.CONFIRMED]
        ).values_list("public_id", "status")
    )


def evaluate(application: Application, version: SanctionsListVersion) -> CheckOutcome:
    """The sanctions check's outcome from the application's current hits (the details contract)."""
    limits = thresholds()
    hits = current_hits(application)
    stale = list_is_stale(version)
    block_reasons: list[str] = []
    confirmed = [h for h in hits if h.status == Status.CONFIRMED]
    needing_review = [h for h in hits if h.needs_review]
    if confirmed:
        block_reasons.append("confirmed sanctions match")
    for hit in needing_review:
        if (
            hit.kind == SanctionsHit.Kind.NAME
            and hit.blocking
            and hit.score >= limits.block
            and (hit.name_score or 0) >= EXACT_NAME
            and hit.dob_matches
        ):
            block_reasons.append(f"exact name and date of birth on a blocking program (entry {hit.uid})")
    # The 50% rule: listed owners (individuals or companies) together owning half or more.
    owners: dict[int, Decimal] = {}
    confirmed_owners: set[int] = set()
    open_owners: set[int] = set()
    for hit in hits:
        if hit.kind != SanctionsHit.Kind.NAME or hit.party is None or not hit.party.ownership_percent:
            continue
        owners[hit.party_id] = hit.party.ownership_percent
        if hit.status == Status.CONFIRMED:
            confirmed_owners.add(hit.party_id)
        elif hit.needs_review:
            open_owners.add(hit.party_id)
    confirmed_share = sum((owners[p] for p in confirmed_owners), Decimal(0))
    possible_share = sum((owners[p] for p in confirmed_owners | open_owners), Decimal(0))
    if confirmed_share >= 50:
        block_reasons.append(f"50% rule: confirmed listed owners hold {confirmed_share}%")
    potential_block = bool(open_owners - confirmed_owners) and possible_share >= 50
    details = {
        "list_version": version.public_id,
        "algorithm": ALGORITHM_VERSION,
        "thresholds": {"near_miss": limits.near_miss, "review": limits.review, "block": limits.block},
        "list_age_days": list_age_days(version),
        "list_stale": stale,
        "hits": [
            {
                "hit": h.public_id,
                "party": h.party.public_id if h.party else h.subject_key,
                "name": h.screened_name,
                "matched": h.matched_name,
                "uid": h.uid,
                "score": h.score,
                "status": h.status,
                "kind": h.kind,
                "blocking": h.blocking,
            }
            for h in hits
        ],
        "open_hits": len(needing_review),
        "cleared_hits": sum(1 for h in hits if h.status == Status.CLEARED),
        "confirmed_hits": len(confirmed),
        "near_misses": sum(1 for h in hits if h.status == Status.OPEN and h.near_miss),
        "potential_block": potential_block,
    }
    if block_reasons:
        details["block_reasons"] = block_reasons
        return CheckOutcome.failed(**details)
    if needing_review or potential_block or stale:
        return CheckOutcome.review(**details)
    return CheckOutcome.passed(**details)


# --------------------------------------------------------------------------- officers' decisions


def _decide(hit: SanctionsHit, actor: Actor, reason: str, target: str, action: str) -> SanctionsHit:
    actor.require_perm(REVIEW_PERM, f"{action} a sanctions hit")
    if not reason or not reason.strip():
        raise DomainError("Give the reason for the decision.", code="reason_required")
    with transaction.atomic():
        current = (
            SanctionsHit.objects.select_for_update(of=("self",))
            .select_related("application", "merchant")
            .get(pk=hit.pk)
        )
        if not current.is_current or current.status == Status.CLOSED:
            raise DomainError("This hit is no longer current; decide on the current one.", code="hit_not_current")
        if current.status == target:
            return current
        from_state = current.status
        current.status = target
        current.status_at = timezone.now()
        current.status_by = actor.user
        current.status_reason = reason.strip()
        current.save(update_fields=["status", "status_at", "status_by", "status_reason"])
        _event(current, actor, action, from_state=from_state, details={"reason": current.status_reason})
        if target == Status.CLEARED and current.score >= thresholds().review:
            # Four-eyes: the officer who clears a review-level hit does not also approve alone.
            application_require_second_approval(
                application=current.application,
                actor=actor,
                reasons=[f"sanctions hit {current.public_id} cleared by an officer"],
            )
        sanctions_check_record(application=current.application)
    return current


def hit_clear(*, hit: SanctionsHit, actor: Actor, reason: str) -> SanctionsHit:
    """An officer clears a hit as a false positive (``onboarding.review_application``)."""
    return _decide(hit, actor, reason, Status.CLEARED, "cleared")


def hit_confirm(*, hit: SanctionsHit, actor: Actor, reason: str) -> SanctionsHit:
    """An officer confirms a hit as a true match; the sanctions check then fails."""
    return _decide(hit, actor, reason, Status.CONFIRMED, "confirmed")


def sanctions_check_record(*, application: Application, screen: bool | None = None):
    """Record the sanctions check's current result for an application (after a decision or a re-screen).

    Re-screens only when the last result was against another list version (or when asked); otherwise
    evaluates the stored hits. The fingerprint is the pipeline's, so the pipeline does not run it again."""
    from onboarding.kyc.pipeline import check_inputs, check_result_record, fingerprint
    from onboarding.kyc.registry import get_check
    from onboarding.models import CheckResult
    from sanctions.freshness import active_version

    check = get_check("sanctions")
    version = active_version()
    if version is None or not hasattr(check, "evaluate"):
        return None
    if screen is None:
        last = CheckResult.objects.filter(application=application, check_name="sanctions", is_current=True).first()
        screen = last is None or (last.details or {}).get("list_version") != version.public_id
    outcome = check.run(application) if screen else check.evaluate(application, version)
    digest = fingerprint(check, check_inputs(check, application))
    return check_result_record(application=application, check=check, outcome=outcome, fingerprint=digest)
