"""Applying a move of the application state machine, with the rules that hold for every move."""

from collections.abc import Callable

from django.utils import timezone

from onboarding.errors import InvalidTransition
from onboarding.models import WAITING_FOR_OFFICER, Application
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import application_moved
from onboarding.statemachine import apply_transition
from onboarding.states import APPLICATION_MACHINE, AppState
from onboarding.work import owed_work_done, owed_work_record, state_work_kind


def _rules_for_every_move(current: Application, target: str, actor: Actor) -> None:
    if current.state == AppState.SCREENING and target == AppState.APPROVED and current.has_been_in_review:
        raise InvalidTransition("Once an officer has had the application, only an officer approves it.")
    if current.state == AppState.SUBMITTED and target == AppState.IN_REVIEW and not actor.is_system:
        # The system's way out when the checks cannot complete; officers act once it is in review.
        raise InvalidTransition("Only the system sends a submitted application straight to review.")


def application_transition(
    application: Application,
    *,
    target: str,
    actor: Actor,
    action: str,
    reason_code: str = "",
    details: dict | None = None,
    shared: bool = True,
    updates: dict | None = None,
    guard: Callable[[Application], None] | None = None,
    publish: bool = True,
) -> str:
    """Move the application to ``target`` and write its event; returns the state it left.

    The shared event carries only the neutral reason code; details go to the event only when the event
    is internal (``shared=False``), and services record internal details in a separate event otherwise.
    The work a state owes (the checks in ``submitted`` and ``screening``) is recorded as owed work in the
    same transaction as the move into it and marked done by the move out of it, and so is the partner's
    event of the move (``partner_events.application_moved``). ``publish=False`` is for
    a worker that carries on with the work itself: the sweeper still takes over if that worker dies.
    """
    updates = dict(updates or {})
    now = timezone.now()
    if target == AppState.IN_REVIEW:
        updates.setdefault("has_been_in_review", True)
    # The queue's "time waiting": from the move into a state that waits for an officer (a first approval
    # starts a new wait, for the second officer); nobody's work in any other state.
    updates["waiting_since"] = now if target in WAITING_FOR_OFFICER else None

    def check(current: Application) -> None:
        _rules_for_every_move(current, target, actor)
        if guard:
            guard(current)
        if target == AppState.IN_REVIEW and not current.has_been_in_review:
            updates["first_in_review_at"] = now

    def record(instance: Application, source: str) -> None:
        event_record(
            actor=actor,
            subject=instance,
            action=action,
            from_state=source,
            to_state=target,
            reason_code=reason_code,
            details=details if not shared else None,
            shared=shared,
        )
        source_kind, target_kind = state_work_kind(source), state_work_kind(target)
        if source_kind and source_kind != target_kind:
            owed_work_done(subject=instance, kind=source_kind)
        if target_kind:
            owed_work_record(subject=instance, kind=target_kind, publish=publish)
        application_moved(instance, source, target)

    return apply_transition(
        application, machine=APPLICATION_MACHINE, target=target, guard=check, updates=updates, on_applied=record
    )
