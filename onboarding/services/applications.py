"""The application's life after the draft: submission, review, decisions, withdrawal, expiry.

Each service checks who may act, applies one move of the state machine (onboarding.states) and writes
its events in the same transaction. What the merchant and partner read is the shared event's neutral
reason code; reasons, notes and check details go to internal events.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application, InfoRequest
from onboarding.reason_codes import DECLINE_REASONS
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import REVIEW_PERM, SECOND_APPROVAL_PERM, Actor
from onboarding.services.events import event_record
from onboarding.services.merchants import (
    merchant_adopt_parties,
    merchant_close_if_abandoned,
    merchant_create_for,
)
from onboarding.services.transitions import application_transition
from onboarding.states import AppState
from onboarding.submission import completeness_errors

WITHDRAWABLE = frozenset(
    {
        AppState.DRAFT,
        AppState.SUBMITTED,
        AppState.SCREENING,
        AppState.IN_REVIEW,
        AppState.INFO_REQUESTED,
        AppState.AWAITING_SECOND_APPROVAL,
    }
)


def _note(application: Application, actor: Actor, action: str, **details) -> None:
    event_record(actor=actor, subject=application, action=action, details={k: v for k, v in details.items() if v})


def application_submit(*, application: Application, actor: Actor, ip_address: str | None = None) -> Application:
    """Submit a complete draft: creates the merchant on its first application and queues the checks."""
    ensure_can_act_for(application, actor)
    errors = completeness_errors(application)
    if errors:
        raise ValidationFailed("The application is not complete yet.", fields=errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != AppState.DRAFT:
            raise InvalidTransition(f"Only a draft can be submitted (this one is {locked.get_state_display()}).")
        if locked.merchant_id is None:
            locked.merchant = merchant_create_for(application=locked, actor=actor)
            locked.save(update_fields=["merchant", "updated_at"])
        application.merchant = locked.merchant
        application_transition(
            locked,
            target=AppState.SUBMITTED,
            actor=actor,
            action="submitted",
            reason_code="submitted",
            updates={"submitted_at": timezone.now(), "submitted_ip": ip_address if locked.channel == "web" else None},
        )
    application.refresh_from_db()
    return application


def application_withdraw(*, application: Application, actor: Actor, reason: str = "") -> None:
    ensure_can_act_for(application, actor)
    if application.state not in WITHDRAWABLE:
        raise InvalidTransition("This application can no longer be withdrawn.")
    with transaction.atomic():
        application_transition(
            application, target=AppState.WITHDRAWN, actor=actor, action="withdrawn", reason_code="withdrawn"
        )
        _note(application, actor, "withdrawal_reason", reason=reason)
        merchant_close_if_abandoned(merchant=application.merchant, actor=Actor.system("onboarding"))


def application_start_screening(*, application: Application, actor: Actor, publish: bool = True) -> None:
    application_transition(
        application,
        target=AppState.SCREENING,
        actor=actor,
        action="screening_started",
        reason_code="under_review",
        publish=publish,
    )


def application_send_to_review(*, application: Application, actor: Actor, reasons: list[str]) -> None:
    """The checks (or the acquirer) need a person: to the officers' queue, with the reasons (internal)."""
    with transaction.atomic():
        application_transition(
            application, target=AppState.IN_REVIEW, actor=actor, action="sent_to_review", reason_code="under_review"
        )
        _note(application, actor, "review_reasons", reasons=reasons)


def application_rerun_checks(*, application: Application, actor: Actor, note: str = "") -> None:
    """An officer sends the application back through the checks (in_review → screening)."""
    actor.require_perm(REVIEW_PERM, "re-run the checks")
    with transaction.atomic():
        application_transition(
            application, target=AppState.SCREENING, actor=actor, action="checks_rerun", reason_code="under_review"
        )
        _note(application, actor, "officer_note", note=note)


def application_request_info(*, application: Application, actor: Actor, message: str) -> InfoRequest:
    actor.require_perm(REVIEW_PERM, "request information")
    if not message.strip():
        raise ValidationFailed("Say what information is needed.", fields={"message": ["This field is required."]})
    with transaction.atomic():
        application_transition(
            application,
            target=AppState.INFO_REQUESTED,
            actor=actor,
            action="info_requested",
            reason_code="info_requested",
        )
        return InfoRequest.objects.create(
            application=application,
            message=message.strip(),
            requested_by=actor.user,
            due_at=timezone.now() + timedelta(days=settings.INFO_REQUEST_EXPIRY_DAYS),
        )


def application_answer_info(*, application: Application, actor: Actor, answer: str) -> None:
    """The merchant (or partner) answers: the application returns to the officers."""
    ensure_can_act_for(application, actor)
    if not answer.strip():
        raise ValidationFailed("Write your answer.", fields={"answer": ["This field is required."]})
    with transaction.atomic():
        application_transition(
            application, target=AppState.IN_REVIEW, actor=actor, action="info_answered", reason_code="info_answered"
        )
        InfoRequest.objects.filter(application=application, answered_at__isnull=True).update(
            answer=answer.strip(), answered_at=timezone.now()
        )


def application_approve(*, application: Application, actor: Actor, note: str = "") -> str:
    """An officer approves; with ``requires_second_approval`` the first approval waits for a second officer.

    Returns the state reached: ``approved`` or ``awaiting_second_approval``.
    """
    actor.require_perm(REVIEW_PERM, "approve applications")
    application.refresh_from_db()
    if application.state == AppState.AWAITING_SECOND_APPROVAL:
        actor.require_perm(SECOND_APPROVAL_PERM, "give the second approval")

        def second_approver(current: Application) -> None:
            if current.first_approver_id == actor.user.pk:
                raise PermissionDenied("The second approval must come from a different officer.")

        target, guard, updates = AppState.APPROVED, second_approver, {"decided_at": timezone.now()}
    elif application.requires_second_approval:
        target, guard = AppState.AWAITING_SECOND_APPROVAL, None
        updates = {"first_approver": actor.user, "first_approved_at": timezone.now()}
    else:
        target, guard, updates = AppState.APPROVED, None, {"decided_at": timezone.now()}
    with transaction.atomic():
        application_transition(
            application,
            target=target,
            actor=actor,
            action="approved",
            reason_code="approved" if target == AppState.APPROVED else "under_review",
            guard=guard,
            updates=updates,
        )
        if target == AppState.APPROVED:
            merchant_adopt_parties(application=application)
        _note(application, actor, "officer_note", note=note)
    return target


def application_auto_approve(*, application: Application, actor: Actor, reasons: list[str]) -> None:
    """The decision policy approves without an officer (screening → approved)."""
    if not actor.is_system:
        raise PermissionDenied("Only the decision policy approves automatically.")

    def no_second_approval_needed(current: Application) -> None:
        if current.requires_second_approval:
            raise InvalidTransition("An application that needs a second approval is approved by two officers.")

    with transaction.atomic():
        application_transition(
            application,
            target=AppState.APPROVED,
            actor=actor,
            action="auto_approved",
            reason_code="approved",
            updates={"decided_at": timezone.now()},
            guard=no_second_approval_needed,
        )
        merchant_adopt_parties(application=application)
        _note(application, actor, "decision", reasons=reasons)


def application_decline(*, application: Application, actor: Actor, reason_code: str, note: str = "") -> None:
    """Decline with an internal reason code; the merchant reads the neutral 'declined' text."""
    if not actor.is_system:
        actor.require_perm(REVIEW_PERM, "decline applications")
    if reason_code not in DECLINE_REASONS:
        raise ValidationFailed("Choose a decline reason.", fields={"reason_code": ["Unknown reason."]})
    with transaction.atomic():
        application_transition(
            application,
            target=AppState.DECLINED,
            actor=actor,
            action="declined",
            reason_code="declined",
            updates={"decided_at": timezone.now(), "decline_reason_code": reason_code},
        )
        _note(application, actor, "decline_reason", reason_code=reason_code, note=note)
        merchant_close_if_abandoned(merchant=application.merchant, actor=Actor.system("onboarding"))


def application_return_to_review(*, application: Application, actor: Actor, note: str = "") -> None:
    """Back to the queue: a second approver disagrees, or a failed boarding needs an officer."""
    actor.require_perm(REVIEW_PERM, "return an application to review")
    with transaction.atomic():
        application_transition(
            application,
            target=AppState.IN_REVIEW,
            actor=actor,
            action="returned_to_review",
            reason_code="under_review",
            updates={"first_approver": None},
        )
        _note(application, actor, "officer_note", note=note)


def application_reopen_for_sanctions_hit(*, application: Application, actor: Actor, details: dict) -> None:
    """A new sanctions hit after approval: approved | boarding | boarding_failed → in_review (internal)."""
    if application.state not in (AppState.APPROVED, AppState.BOARDING, AppState.BOARDING_FAILED):
        raise InvalidTransition("Only an approved or boarding application is reopened for a new hit.")
    with transaction.atomic():
        application_transition(
            application, target=AppState.IN_REVIEW, actor=actor, action="reopened", reason_code="under_review"
        )
        event_record(
            actor=actor, subject=application, action="sanctions_hit", reason_code="sanctions_new_hit", details=details
        )


def application_expire(*, application: Application, actor: Actor) -> None:
    """An information request went unanswered past its due date."""

    def overdue(current: Application) -> None:
        if current.info_requests.filter(answered_at__isnull=True, due_at__gt=timezone.now()).exists():
            raise InvalidTransition("The information request is not overdue yet.")

    with transaction.atomic():
        application_transition(
            application, target=AppState.EXPIRED, actor=actor, action="expired", reason_code="expired", guard=overdue
        )
        merchant_close_if_abandoned(merchant=application.merchant, actor=Actor.system("onboarding"))


def applications_overdue_for_expiry():
    return Application.objects.filter(
        state=AppState.INFO_REQUESTED,
        info_requests__answered_at__isnull=True,
        info_requests__due_at__lte=timezone.now(),
    ).distinct()
