"""Who works on an application: an officer takes it, hands it to another officer, or lets it go.

The assignee is kept on the application row (the queue filters and sorts on it) and every change writes
an internal event in the same transaction. Each service is decided on the locked row and against what the
caller saw: if someone else took, handed on or released the application meanwhile, the caller gets a
``ConcurrentChange`` that says who holds it now, never a silent overwrite.
"""

from django.db import transaction
from django.utils import timezone

from onboarding.errors import ConcurrentChange, InvalidTransition, PermissionDenied
from onboarding.models import Application
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record
from onboarding.states import AppState

#: Nothing is left to review in a draft or a final state, so nobody is assigned to one.
NOT_ASSIGNABLE = frozenset({AppState.DRAFT}) | AppState.FINAL
UNSEEN = object()


def officer_label(user) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def _can_review(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(REVIEW_PERM))


def _locked(application: Application, expected_assignee_id) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=application.pk)
    if expected_assignee_id is not UNSEEN and locked.assigned_to_id != expected_assignee_id:
        raise ConcurrentChange(
            f"{locked.public_id} is now assigned to {officer_label(locked.assigned_to)} "
            f"(it changed after you opened it); reload it and try again.",
            code="stale_assignment",
        )
    return locked


def _ensure_assignable(locked: Application) -> None:
    if locked.state in NOT_ASSIGNABLE:
        raise InvalidTransition(
            f"{locked.public_id} is {locked.get_state_display().lower()}: there is nothing to review, "
            f"so it cannot be assigned."
        )


def _set(application: Application, locked: Application, *, assignee, actor: Actor, action: str) -> None:
    previous = locked.assigned_to
    assigned_at = timezone.now() if assignee is not None else None
    Application.objects.filter(pk=locked.pk).update(assigned_to=assignee, assigned_at=assigned_at)
    application.assigned_to, application.assigned_at = assignee, assigned_at
    event_record(
        actor=actor,
        subject=locked,
        action=action,
        details={
            "assignee": assignee.pk if assignee is not None else None,
            "assignee_name": officer_label(assignee) if assignee is not None else None,
            "previous": previous.pk if previous is not None else None,
            "previous_name": officer_label(previous) if previous is not None else None,
        },
    )


def application_assign_to_me(*, application: Application, actor: Actor, expected_assignee_id=UNSEEN) -> bool:
    """The acting officer takes the application. Refused while another officer holds it (that is a
    reassignment, made knowingly); returns False when it was already theirs (nothing written)."""
    actor.require_perm(REVIEW_PERM, "take applications for review")
    with transaction.atomic():
        locked = _locked(application, expected_assignee_id)
        _ensure_assignable(locked)
        if locked.assigned_to_id == actor.user.pk:
            return False
        if locked.assigned_to_id is not None:
            raise ConcurrentChange(
                f"{locked.public_id} is already assigned to {officer_label(locked.assigned_to)}; "
                f"reassign it if you mean to take it over.",
                code="already_assigned",
            )
        _set(application, locked, assignee=actor.user, actor=actor, action="assigned")
    return True


def application_reassign(*, application: Application, actor: Actor, assignee, expected_assignee_id=UNSEEN) -> None:
    """Hand the application to another officer, who must be able to review it."""
    actor.require_perm(REVIEW_PERM, "reassign applications")
    if not _can_review(assignee):
        raise PermissionDenied(f"{officer_label(assignee)} cannot review applications, so cannot be assigned one.")
    with transaction.atomic():
        locked = _locked(application, expected_assignee_id)
        _ensure_assignable(locked)
        if locked.assigned_to_id == assignee.pk:
            return
        _set(application, locked, assignee=assignee, actor=actor, action="reassigned")


def application_unassign(*, application: Application, actor: Actor, expected_assignee_id=UNSEEN) -> bool:
    """Release the application back to the queue; returns False when nobody held it."""
    actor.require_perm(REVIEW_PERM, "unassign applications")
    with transaction.atomic():
        locked = _locked(application, expected_assignee_id)
        if locked.assigned_to_id is None:
            return False
        _set(application, locked, assignee=None, actor=actor, action="unassigned")
    return True
