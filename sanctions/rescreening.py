"""Re-screening after a new list version: the parties of every non-closed live merchant and every in-flight
live application (never test data: ``applications_to_rescreen``), against the changed entries only (added
and changed); removed entries close their hits.

Effects of a new hit (not a near-miss, not a carried-over clearance):

* at or above the block threshold on a blocking program: an active merchant is suspended at once;
* at or above the review threshold: a review case is opened on the merchant (``sanctions_new_hit``);
* an application in approved, boarding or boarding_failed goes back to in_review;
* the application's sanctions check result is recorded again, so the decision sees the hit.

Each effect writes its internal event through the service that does it. Running it twice does nothing
new: hits are unique per subject and entry while current.

A version held for a senior officer is never screened against. A full re-screen (after going back to an
earlier version, or an activation whose delta was taken against another version) closes nothing and
never supersedes a hit raised by a version newer than the one screened against.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db.models import Q

from onboarding.errors import DomainError
from onboarding.models import Application, Merchant
from onboarding.services.actors import Actor
from onboarding.services.applications import application_reopen_for_sanctions_hit
from onboarding.services.cases import review_case_open
from onboarding.services.merchants import merchant_suspend
from onboarding.states import AppState, MerchantState
from onboarding.work import owed_work_done
from sanctions.hits import SyncResult, hits_close_removed, hits_sync, sanctions_check_record
from sanctions.models import SanctionsListVersion
from sanctions.screening import screen_application, thresholds

logger = logging.getLogger(__name__)
RESCREENING = Actor.system("sanctions-rescreening")

IN_FLIGHT = (
    AppState.SUBMITTED,
    AppState.SCREENING,
    AppState.IN_REVIEW,
    AppState.INFO_REQUESTED,
    AppState.AWAITING_SECOND_APPROVAL,
    AppState.APPROVED,
    AppState.BOARDING,
    AppState.BOARDING_FAILED,
)
REOPENABLE = (AppState.APPROVED, AppState.BOARDING, AppState.BOARDING_FAILED)


@dataclass
class RescreenSummary:
    version: str
    applications: int = 0
    new_hits: int = 0
    closed_hits: int = 0
    suspended: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def applications_to_rescreen():
    """In-flight live applications and the current application of every non-closed live merchant.

    Test data (``livemode`` false) is never re-screened after a list change: it takes no real payments, and
    its hits would open cases and suspensions in the officers' work. A test application is screened when
    its checks run (at submission, and whenever they run again), against the list active then; one in
    review after a list change needs its checks re-run before an approval, like any stale result."""
    current = Merchant.objects.filter(livemode=True).exclude(state=MerchantState.CLOSED)
    current = current.exclude(current_application__isnull=True)
    in_scope = Q(state__in=IN_FLIGHT) | Q(pk__in=current.values("current_application_id"))
    return Application.objects.filter(in_scope, livemode=True).select_related("merchant").order_by("id")


def _effects(application: Application, result: SyncResult, summary: RescreenSummary) -> None:
    new = result.new_open
    if not new:
        return
    limits = thresholds()
    details = {"hits": [h.public_id for h in new], "uids": sorted({h.uid for h in new if h.uid is not None})}
    merchant = application.merchant
    if merchant is not None and merchant.current_application_id == application.pk:
        merchant.refresh_from_db()
        blocking = [h for h in new if h.blocking and h.score >= limits.block]
        if merchant.state == MerchantState.ACTIVE and blocking:
            merchant_suspend(
                merchant=merchant,
                actor=RESCREENING,
                reason="New sanctions hit at or above the block threshold: " + ", ".join(h.public_id for h in blocking),
                hits=[h.public_id for h in blocking],
            )
            summary.suspended.append(merchant.public_id)
        if merchant.state != MerchantState.CLOSED:
            case, created = review_case_open(
                merchant=merchant,
                actor=RESCREENING,
                reason_code="sanctions_new_hit",
                summary=f"{len(new)} new sanctions hit(s) after a list update",
                details=details,
                application=application,
            )
            if created:
                summary.cases.append(case.public_id)
    application.refresh_from_db()
    if application.state in REOPENABLE:
        try:
            application_reopen_for_sanctions_hit(application=application, actor=RESCREENING, details=details)
            summary.reopened.append(application.public_id)
        except DomainError as exc:  # moved on meanwhile; the hit is still on record
            logger.info("rescreen: %s not reopened: %s", application.public_id, exc)


def rescreen_application(
    application: Application, version: SanctionsListVersion, *, only_uids: set[int] | None
) -> SyncResult:
    full = only_uids is None
    candidates = screen_application(application, version, only_uids=only_uids, geography=full)
    return hits_sync(
        application=application,
        version=version,
        candidates=candidates,
        scope_uids=only_uids,
        geography=full,
        actor=RESCREENING,
    )


def rescreen_entries(
    *, version: SanctionsListVersion, uids: set[int], application_ids: set[int] | None = None
) -> RescreenSummary:
    """Re-screen the applications in scope (``application_ids`` of them, when given) against some entries
    only, with the effects of a new hit, and record their sanctions results again: what a change beside
    the list (a program's blocking flag) owes the hits on those entries."""
    summary = RescreenSummary(version=version.public_id)
    applications = applications_to_rescreen()
    if application_ids is not None:
        applications = applications.filter(pk__in=application_ids)
    for application in applications:
        summary.applications += 1
        result = rescreen_application(application, version, only_uids=uids)
        summary.new_hits += len(result.new_open)
        _effects(application, result, summary)
        if application.state not in (AppState.SUBMITTED, AppState.SCREENING):  # the pipeline records those
            sanctions_check_record(application=application, screen=False)
    return summary


def rescreen(*, version: SanctionsListVersion, full: bool = False, close_removed: bool = True) -> RescreenSummary:
    """Re-screen everything in scope against a version (its delta, or the whole list with ``full``).

    ``close_removed`` closes the hits of the entries its delta removed (not those raised by a newer
    version); a full re-screen after an activation passes False, since that delta was taken against a
    version other than the one it replaced."""
    summary = RescreenSummary(version=version.public_id)
    delta = version.delta or {}
    if close_removed:
        summary.closed_hits = hits_close_removed(
            uids=set(delta.get("removed", [])), version=version, actor=RESCREENING, spare_newer_than=version
        )
    if delta.get("previous") is None:
        full = True  # nothing was screened against a list before: screen everything, geography too
    only_uids = None if full else set(delta.get("added", [])) | set(delta.get("changed", []))
    for application in applications_to_rescreen():
        summary.applications += 1
        if only_uids is None or only_uids:
            result = rescreen_application(application, version, only_uids=only_uids)
            summary.new_hits += len(result.new_open)
            _effects(application, result, summary)
        if application.state not in (AppState.SUBMITTED, AppState.SCREENING):  # the pipeline records those
            # Delta-screened plus already screened on unchanged entries = screened against this version.
            sanctions_check_record(application=application, screen=False)
    logger.info("sanctions re-screen against %s: %s", version.public_id, summary.as_dict())
    return summary


def rescreen_loaded(*, version: SanctionsListVersion, full: bool = False) -> RescreenSummary:
    """The re-screening a load or an activation owes (``full``: against the whole list, closing nothing);
    its owed-work row is done once every application in scope was screened (a crash before that leaves it
    owed, and running it again does nothing twice).

    A held version is never screened against. A version superseded before this ran is not covered by the
    later version's delta: close what it removed (unless it came back, and never a hit raised by a version
    newer than the active one) and re-screen fully against the active list."""
    summary = _rescreen_owed_by(version, full=full)
    owed_work_done(subject=version, kind="sanctions_rescreen")
    return summary


def _rescreen_owed_by(version: SanctionsListVersion, *, full: bool) -> RescreenSummary:
    version.refresh_from_db(fields=["status", "is_active"])
    if version.status == SanctionsListVersion.Status.HELD:
        logger.info("rescreen: %s is held for a senior officer; nothing is screened against it", version.public_id)
        return RescreenSummary(version=version.public_id)
    if version.is_active:
        return rescreen(version=version, full=full, close_removed=not full)
    active = SanctionsListVersion.objects.filter(is_active=True).first()
    if active is None:
        return RescreenSummary(version=version.public_id)
    logger.info("rescreen: %s was superseded by %s; re-screening fully", version.public_id, active.public_id)
    removed = set((version.delta or {}).get("removed", []))
    still_listed = set(active.entries.filter(uid__in=removed).values_list("uid", flat=True))
    hits_close_removed(uids=removed - still_listed, version=active, actor=RESCREENING, spare_newer_than=active)
    # The active version's own task closes what its delta removed.
    return rescreen(version=active, full=True, close_removed=False)
