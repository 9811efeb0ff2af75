"""The application's life after the draft: submission, review, decisions, withdrawal, expiry.

Each service checks who may act, applies one move of the state machine (onboarding.states) and writes
its events in the same transaction. What the merchant and partner read is the shared event's neutral
reason code; reasons, notes and check details go to internal events.

What a merchant or partner reads when refused (submitting, withdrawing, answering) is in their active
language; what only officers and the system meet (approving, declining, re-running, expiry) and every
event's details stay English.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.info_requests import info_request_items_clean
from onboarding.input import FieldErrors, clean_ip_address, clean_text, text_limit
from onboarding.kyc.evidence import evidence_ensure, stale_checks
from onboarding.models import Application, InfoRequest
from onboarding.notifications import merchant_email_owe
from onboarding.reason_codes import DECLINE_REASONS
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import REVIEW_PERM, SECOND_APPROVAL_PERM, Actor
from onboarding.services.events import event_record
from onboarding.services.merchants import (
    merchant_adopt_parties,
    merchant_close_if_abandoned,
    merchant_create_for,
)
from onboarding.services.partner_events import application_requirements_changed
from onboarding.services.transitions import application_transition
from onboarding.states import AppState
from onboarding.submission import completeness_errors

NOTE_MAX_LENGTH = 10_000
MAX_DUE_DAYS = 90
# Re-running the checks after an answer is the system's move, not the merchant's.
RECHECK = Actor.system("kyc-pipeline")
WITHDRAWABLE = AppState.OPEN


def _note(application: Application, actor: Actor, action: str, **details) -> None:
    event_record(actor=actor, subject=application, action=action, details={k: v for k, v in details.items() if v})


def application_submit(*, application: Application, actor: Actor, ip_address: str | None = None) -> Application:
    """Submit a complete draft: creates the merchant on its first application and queues the checks.

    Completeness is judged on the locked row, so an edit landing meanwhile cannot slip an incomplete
    draft through. A merchant's next application must be for the same business (the same tax id)."""
    ensure_can_act_for(application, actor)
    ip_address = _cleaned("ip_address", clean_ip_address, ip_address)
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state != AppState.DRAFT:
            raise InvalidTransition(
                _("Only a draft can be submitted (this one is %(state)s).") % {"state": locked.get_state_display()}
            )
        errors = completeness_errors(locked)
        if locked.merchant_id and locked.tax_id_index and locked.tax_id_index != locked.merchant.tax_id_index:
            errors.setdefault("business.tax_id", []).append(
                _("This application is for an existing merchant: its tax id must be that merchant's.")
            )
        if errors:
            raise ValidationFailed(_("The application is not complete yet."), fields=errors)
        if locked.merchant_id and locked.livemode != locked.merchant.livemode:
            # The database refuses it too (PostgreSQL); this keeps SQLite to the same rule.
            raise InvalidTransition(_("This application is not in its merchant's mode (live or test)."))
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
        merchant_email_owe(application=locked, email="submitted")
    application.refresh_from_db()
    return application


def _cleaned(key: str, cleaner, value, **options):
    """One value through its input rule, or ValidationFailed keyed by ``key`` (nothing is written)."""
    errors = FieldErrors()
    cleaned = errors.clean(key, cleaner, value, **options)
    errors.raise_if_any()
    return cleaned


def _note_text(key: str, value, *, required: bool = False) -> str:
    return _cleaned(key, clean_text, value, max_length=NOTE_MAX_LENGTH, multiline=True, required=required)


def application_withdraw(*, application: Application, actor: Actor, reason: str = "") -> None:
    ensure_can_act_for(application, actor)
    reason = _note_text("reason", reason)
    if application.state not in WITHDRAWABLE:
        raise InvalidTransition(_("This application can no longer be withdrawn."))
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
    note = _note_text("note", note)
    with transaction.atomic():
        application_transition(
            application, target=AppState.SCREENING, actor=actor, action="checks_rerun", reason_code="under_review"
        )
        _note(application, actor, "officer_note", note=note)


def _due_days(due_date) -> int:
    """Days the merchant has to answer: until the officer's date (from today), or the default."""
    if due_date in (None, ""):
        return settings.INFO_REQUEST_EXPIRY_DAYS
    if isinstance(due_date, str):
        try:
            due_date = date.fromisoformat(due_date)
        except ValueError:
            due_date = None
    if not isinstance(due_date, date) or isinstance(due_date, datetime):
        raise ValidationFailed("Give the due date as a date.", fields={"due_date": ["Enter a valid date."]})
    days = (due_date - timezone.localdate()).days
    if not 1 <= days <= MAX_DUE_DAYS:
        raise ValidationFailed(
            "The due date must be between tomorrow and 90 days from now.",
            fields={"due_date": [f"Choose a date from tomorrow to {MAX_DUE_DAYS} days ahead."]},
        )
    return days


def application_request_info(
    *, application: Application, actor: Actor, message: str, items: list | None = None, due_date=None
) -> InfoRequest:
    """Ask the merchant for information: a question and the items it names (field paths or document kinds,
    each with a suggested fix), answered within ``due_date`` (counted from when the email is sent). The
    system asks only for a test value's requirement (onboarding/kyc/forced_outcomes.py)."""
    if not actor.is_system:
        actor.require_perm(REVIEW_PERM, "request information")
    message = _cleaned("message", clean_text, message, max_length=NOTE_MAX_LENGTH, multiline=True, required=True)
    items = info_request_items_clean(application, items)
    due_days = _due_days(due_date)
    with transaction.atomic():
        application_transition(
            application,
            target=AppState.INFO_REQUESTED,
            actor=actor,
            action="info_requested",
            reason_code="info_requested",
        )
        request = InfoRequest.objects.create(
            application=application,
            message=message,
            items=items,
            due_days=due_days,
            requested_by=actor.user,
            due_at=timezone.now() + timedelta(days=due_days),
        )
        merchant_email_owe(application=application, email="info_requested")
        # After the request exists: the requirements name it.
        application_requirements_changed(application=application)
        return request


def application_request_document_revision(
    *, application: Application, actor: Actor, document, status: str, reason: str, due_date=None
) -> InfoRequest:
    """Reject a document or ask for a new version of it inside an information request, so the merchant
    (whose uploads are open only in draft and info_requested) can act on it; ``reason`` is what they read.
    The merchant gets one email, the request's (it names the document), not a second about the document."""
    from onboarding.services.documents import document_decide

    if document.application_id != application.pk:
        raise ValidationFailed("The document is not on this application.", fields={"document": ["Not here."]})
    reason = _cleaned("reason", clean_text, reason, max_length=300, required=True)
    with transaction.atomic():
        document_decide(document=document, actor=actor, status=status, reason=reason, email_merchant=False)
        return application_request_info(
            application=application,
            actor=actor,
            message=reason,
            items=[{"document": document.kind, "fix": reason}],
            due_date=due_date,
        )


def _info_requested(current: Application) -> None:
    # Screening may also move to in_review: an answer without an open request must not be that move.
    if current.state != AppState.INFO_REQUESTED:
        raise InvalidTransition(_("There is no open information request to answer."))


def application_answer_info(*, application: Application, actor: Actor, answer: str) -> None:
    """The merchant (or partner) answers: the application returns to the officers.

    When anything a check reads changed during the request (the merchant edited the application), the
    system sends it on to screening in the same transaction; the changed checks run, and the in-review
    marker brings it back to an officer, never to an automatic approval."""
    ensure_can_act_for(application, actor)
    answer = _cleaned(
        "answer", clean_text, answer, max_length=text_limit(InfoRequest, "answer"), multiline=True, required=True
    )
    with transaction.atomic():
        application_transition(
            application,
            target=AppState.IN_REVIEW,
            actor=actor,
            action="info_answered",
            reason_code="info_answered",
            guard=_info_requested,
        )
        InfoRequest.objects.filter(application=application, answered_at__isnull=True).update(
            answer=answer, answered_at=timezone.now()
        )
        application_requirements_changed(application=application)
        changed = stale_checks(application)
        if changed:
            application_transition(
                application,
                target=AppState.SCREENING,
                actor=RECHECK,
                action="checks_rerun",
                reason_code="under_review",
            )
            _note(application, RECHECK, "checks_rerun_after_answer", checks=changed)


def application_approve(*, application: Application, actor: Actor, note: str = "") -> str:
    """An officer approves; with ``requires_second_approval`` the first approval waits for a second,
    different senior officer. Decided on the locked row: a flag set concurrently is seen. The approval
    stands only on fresh, complete evidence (kyc/evidence.py).

    Returns the state reached: ``approved`` or ``awaiting_second_approval``."""
    actor.require_perm(REVIEW_PERM, "approve applications")
    note = _note_text("note", note)
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state == AppState.AWAITING_SECOND_APPROVAL:
            actor.require_perm(SECOND_APPROVAL_PERM, "give the second approval")
            if locked.first_approver_id == actor.user.pk:
                raise PermissionDenied("The second approval must come from a different officer.")
            target, updates = AppState.APPROVED, {"decided_at": timezone.now()}
        elif locked.state == AppState.IN_REVIEW:
            if locked.requires_second_approval:
                target = AppState.AWAITING_SECOND_APPROVAL
                updates = {"first_approver": actor.user, "first_approved_at": timezone.now()}
            else:
                target, updates = AppState.APPROVED, {"decided_at": timezone.now()}
        else:
            raise InvalidTransition(
                f"Only an application in review or awaiting its second approval can be approved "
                f"(this one is {locked.get_state_display().lower()})."
            )
        evidence_ensure(locked)
        application_transition(
            locked,
            target=target,
            actor=actor,
            action="approved",
            reason_code="approved" if target == AppState.APPROVED else "under_review",
            updates=updates,
        )
        if target == AppState.APPROVED:
            merchant_adopt_parties(application=locked)
            merchant_email_owe(application=locked, email="approved")
        _note(locked, actor, "officer_note", note=note)
    application.refresh_from_db()
    return target


def application_auto_approve(*, application: Application, actor: Actor, reasons: list[str]) -> None:
    """The decision policy approves without an officer (screening → approved), on fresh, complete evidence."""
    if not actor.is_system:
        raise PermissionDenied("Only the decision policy approves automatically.")

    def approvable(current: Application) -> None:
        if current.requires_second_approval:
            raise InvalidTransition("An application that needs a second approval is approved by two officers.")
        evidence_ensure(current)

    with transaction.atomic():
        application_transition(
            application,
            target=AppState.APPROVED,
            actor=actor,
            action="auto_approved",
            reason_code="approved",
            updates={"decided_at": timezone.now()},
            guard=approvable,
        )
        merchant_adopt_parties(application=application)
        merchant_email_owe(application=application, email="approved")
        _note(application, actor, "decision", reasons=reasons)


def application_decline(*, application: Application, actor: Actor, reason_code: str, note: str = "") -> None:
    """Decline with an internal reason code; the merchant reads the neutral 'declined' text. Once an
    officer has had the application, only an officer declines it."""
    if not actor.is_system:
        actor.require_perm(REVIEW_PERM, "decline applications")
    if not isinstance(reason_code, str) or reason_code not in DECLINE_REASONS:
        raise ValidationFailed("Choose a decline reason.", fields={"reason_code": ["Unknown reason."]})
    note = _note_text("note", note)

    def officers_decide(current: Application) -> None:
        if actor.is_system and current.has_been_in_review:
            raise InvalidTransition("Once an officer has had the application, only an officer declines it.")

    with transaction.atomic():
        application_transition(
            application,
            target=AppState.DECLINED,
            actor=actor,
            action="declined",
            reason_code="declined",
            updates={"decided_at": timezone.now(), "decline_reason_code": reason_code},
            guard=officers_decide,
        )
        _note(application, actor, "decline_reason", reason_code=reason_code, note=note)
        merchant_email_owe(application=application, email="declined")
        merchant_close_if_abandoned(merchant=application.merchant, actor=Actor.system("onboarding"))


TAKEN_BACK = (AppState.APPROVED, AppState.BOARDING, AppState.BOARDING_FAILED)


def application_return_to_review(*, application: Application, actor: Actor, note: str = "") -> None:
    """Back to the queue: a second approver disagrees. Taking back an approval (approved, boarding or
    boarding failed) is a senior officer's act with a reason."""
    actor.require_perm(REVIEW_PERM, "return an application to review")
    note = _note_text("note", note)
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state in TAKEN_BACK:
            actor.require_perm(SECOND_APPROVAL_PERM, "take back an approval")
            if not note:
                raise ValidationFailed(
                    "Say why the approval is taken back.", fields={"note": ["This field is required."]}
                )
        application_transition(
            locked,
            target=AppState.IN_REVIEW,
            actor=actor,
            action="approval_taken_back" if locked.state in TAKEN_BACK else "returned_to_review",
            reason_code="under_review",
            updates={"first_approver": None},
        )
        _note(locked, actor, "officer_note", note=note)
    application.refresh_from_db()


def application_reopen_for_sanctions_hit(*, application: Application, actor: Actor, details: dict) -> None:
    """A new sanctions hit after approval: approved | boarding | boarding_failed → in_review (internal).
    Only re-screening does this; an officer takes an approval back with ``application_return_to_review``."""
    if not actor.is_system:
        raise PermissionDenied("Only re-screening reopens an application for a new sanctions hit.")
    if application.state not in TAKEN_BACK:
        raise InvalidTransition("Only an approved or boarding application is reopened for a new hit.")
    with transaction.atomic():
        application_transition(
            application, target=AppState.IN_REVIEW, actor=actor, action="reopened", reason_code="under_review"
        )
        event_record(
            actor=actor, subject=application, action="sanctions_hit", reason_code="sanctions_new_hit", details=details
        )


def application_checks_exhausted(application: Application, work) -> None:
    """The checks could not complete within their attempts: an officer takes over (internal reason)."""
    if application.state not in (AppState.SUBMITTED, AppState.SCREENING):
        return
    error = work.last_error or "no error was recorded"
    application_send_to_review(
        application=application,
        actor=Actor.system("owed-work"),
        reasons=[f"the checks could not complete after {work.attempts} attempts ({error})"],
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
