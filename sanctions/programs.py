"""A sanctions program's blocking flag, changed by a senior officer with a reason and an event.

Whether a program blocks decides whether a hit on its entries blocks (an exact match on a blocking SDN
program fails the check; a new one suspends a live merchant). The flag is an input of the sanctions
check's fingerprint for the applications with hits in the program, so their results are stale from the
change on (no approval stands on them), and the change owes the re-screen of exactly those applications
and merchants: owed work recorded in the same transaction, done by ``program_rescreen``.
"""

from __future__ import annotations

import logging

from django.db import transaction

from onboarding.errors import DomainError, PermissionDenied
from onboarding.services.actors import SECOND_APPROVAL_PERM, Actor
from onboarding.services.events import event_record
from onboarding.work import owed_work_done, owed_work_record
from sanctions.models import SanctionsHit, SanctionsProgram

logger = logging.getLogger(__name__)
PROGRAM_RESCREEN = "sanctions_program_rescreen"
REASON_MAX_LENGTH = 2000


def program_set_blocking(*, program: SanctionsProgram, blocking: bool, actor: Actor, reason: str) -> SanctionsProgram:
    """Make ``program`` blocking or restricting (a senior compliance officer, with a reason)."""
    if not actor.has_perm(SECOND_APPROVAL_PERM):
        raise PermissionDenied("Only a senior compliance officer can change whether a sanctions program blocks.")
    reason = " ".join((reason or "").split()) if isinstance(reason, str) else ""
    if not reason:
        raise DomainError("Give the reason for the change.", code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(f"Keep the reason under {REASON_MAX_LENGTH} characters.", code="reason_too_long")
    if not isinstance(blocking, bool):
        raise DomainError("Say whether the program blocks.", code="invalid")
    with transaction.atomic():
        locked = SanctionsProgram.objects.select_for_update().get(pk=program.pk)
        if locked.blocking == blocking:
            raise DomainError(
                f"{locked.code} is already {'blocking' if blocking else 'restricting'}.", code="unchanged"
            )
        SanctionsProgram.objects.filter(pk=locked.pk).update(blocking=blocking)
        event_record(
            actor=actor,
            subject=locked,
            action="program_blocking_changed",
            from_state="blocking" if locked.blocking else "restricting",
            to_state="blocking" if blocking else "restricting",
            reason_code="sanctions_program_changed",
            details={"program": locked.code, "blocking": blocking, "reason": reason},
        )
        owed_work_record(subject=locked, kind=PROGRAM_RESCREEN)
    program.refresh_from_db()
    return program


def hits_in_program(code: str) -> tuple[set[int], set[int]]:
    """The entries and applications of the current name hits under ``code`` (read in Python: the JSON list
    is not searchable on every database, and hits are few next to entries)."""
    uids, application_ids = set(), set()
    rows = (
        SanctionsHit.objects.filter(is_current=True, kind=SanctionsHit.Kind.NAME, uid__isnull=False)
        .exclude(status=SanctionsHit.Status.CLOSED)
        .values_list("uid", "application_id", "programs")
    )
    for uid, application_id, programs in rows.iterator():
        if code in (programs or []):
            uids.add(uid)
            application_ids.add(application_id)
    return uids, application_ids


def program_rescreen(*, program: SanctionsProgram):
    """The re-screen a program's change owes: the applications and merchants with hits on its entries,
    against those entries and the active list, then their results recorded again. Idempotent."""
    from sanctions.freshness import active_version
    from sanctions.rescreening import RescreenSummary, rescreen_entries

    version = active_version()
    uids, application_ids = hits_in_program(program.code)
    if version is None or not uids:
        summary = RescreenSummary(version=version.public_id if version else "")
    else:
        summary = rescreen_entries(version=version, uids=uids, application_ids=application_ids)
    owed_work_done(subject=program, kind=PROGRAM_RESCREEN)
    logger.info("sanctions program %s re-screen: %s", program.code, summary.as_dict())
    return summary
