"""Review cases on live merchants: opened by the system (re-screening, rule changes), closed by an
officer with a resolution. Opening is idempotent: one open case per merchant and reason. A case closes
only when the rules registered for its reason find nothing open (a sanctions case: every hit on it
cleared or confirmed), checked on the locked case row."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from onboarding import casework
from onboarding.errors import DomainError, InvalidTransition, ValidationFailed
from onboarding.models import Application, Merchant, ReviewCase
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record


def review_case_open(
    *,
    merchant: Merchant,
    actor: Actor,
    reason_code: str,
    summary: str,
    details: dict | None = None,
    application: Application | None = None,
) -> tuple[ReviewCase, bool]:
    """Open a case, or return the open one for the same reason (with the new details added).

    Returns (case, created)."""
    with transaction.atomic():
        existing = (
            ReviewCase.objects.select_for_update(no_key=True)
            .filter(merchant=merchant, reason_code=reason_code, status=ReviewCase.Status.OPEN)
            .first()
        )
        if existing is not None:
            if details:
                updates = existing.details.setdefault("updates", [])
                updates.append({"at": timezone.now().isoformat(), **details})
                existing.save(update_fields=["details"])
            return existing, False
        try:
            with transaction.atomic():
                case = ReviewCase.objects.create(
                    merchant=merchant,
                    application=application,
                    reason_code=reason_code,
                    summary=summary[:300],
                    details=details or {},
                )
        except IntegrityError:  # opened concurrently by another worker
            return ReviewCase.objects.get(merchant=merchant, reason_code=reason_code, status="open"), False
        event_record(
            actor=actor,
            subject=case,
            merchant=merchant,
            application=application,
            action="review_case_opened",
            reason_code=reason_code,
            details={"case": case.public_id, "summary": case.summary},
        )
    return case, True


def review_case_close(*, case: ReviewCase, actor: Actor, resolution: str) -> ReviewCase:
    actor.require_perm(REVIEW_PERM, "close review cases")
    if not resolution.strip():
        raise ValidationFailed("Record how the case was resolved.", fields={"resolution": ["This field is required."]})
    resolution = resolution.strip()
    with transaction.atomic():
        locked = ReviewCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        if locked.status != ReviewCase.Status.OPEN:
            raise InvalidTransition("This case is already closed.")
        problems = casework.close_problems(locked)
        if problems:
            raise DomainError("The case cannot be closed yet: " + "; ".join(problems), code="case_not_resolved")
        closed = ReviewCase.objects.filter(pk=case.pk, status=ReviewCase.Status.OPEN).update(
            status=ReviewCase.Status.CLOSED, closed_at=timezone.now(), closed_by=actor.user, resolution=resolution
        )
        if not closed:
            raise InvalidTransition("This case is already closed.")
        event_record(
            actor=actor,
            subject=case,
            merchant=case.merchant,
            application=case.application,
            action="review_case_closed",
            reason_code=case.reason_code,
            details={"case": case.public_id, "resolution": resolution},
        )
    case.refresh_from_db()
    return case


def review_case_assign(*, case: ReviewCase, actor: Actor, assignee=None) -> ReviewCase:
    """Give an open case to an officer (``assignee``), or take it from whoever has it (``None``)."""
    actor.require_perm(REVIEW_PERM, "assign review cases")
    if assignee is not None and not Actor.for_user(assignee).has_perm(REVIEW_PERM):
        raise DomainError("Cases go only to compliance officers.", code="not_an_officer")
    with transaction.atomic():
        locked = ReviewCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        if locked.status != ReviewCase.Status.OPEN:
            raise InvalidTransition("This case is closed.")
        if locked.assigned_to_id == (assignee.pk if assignee else None):
            return locked
        previous = locked.assigned_to.get_username() if locked.assigned_to else None
        locked.assigned_to = assignee
        locked.assigned_at = timezone.now() if assignee else None
        locked.save(update_fields=["assigned_to", "assigned_at"])
        event_record(
            actor=actor,
            subject=locked,
            merchant=locked.merchant,
            application=locked.application,
            action="review_case_assigned" if assignee else "review_case_unassigned",
            reason_code=locked.reason_code,
            details={"case": locked.public_id, "from": previous, "to": assignee.get_username() if assignee else None},
        )
    return locked
