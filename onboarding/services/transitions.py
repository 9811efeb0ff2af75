"""Applying a move of the application state machine, with the rules that hold for every move."""

from collections.abc import Callable

from django.utils import timezone

from onboarding.errors import InvalidTransition
from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.statemachine import apply_transition
from onboarding.states import APPLICATION_MACHINE, AppState
from onboarding.work import pending_work_updates, publish_on_commit


def _marker_guard(current: Application, target: str) -> None:
    if current.state == AppState.SCREENING and target == AppState.APPROVED and current.has_been_in_review:
        raise InvalidTransition("Once an officer has had the application, only an officer approves it.")


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
    ``publish=False`` is for a worker that carries on with the work itself: the due time is still set,
    so the sweeper takes over if that worker dies.
    """
    updates = dict(updates or {})
    now = timezone.now()
    if target == AppState.IN_REVIEW:
        updates.setdefault("has_been_in_review", True)
    if target in AppState.PENDING_WORK:
        updates.update(pending_work_updates(now=now))
    elif application.state in AppState.PENDING_WORK or application.next_attempt_at:
        updates.update({"next_attempt_at": None, "work_attempts": 0})

    def check(current: Application) -> None:
        _marker_guard(current, target)
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
        if target in AppState.PENDING_WORK and publish:
            publish_on_commit(instance)

    return apply_transition(
        application, machine=APPLICATION_MACHINE, target=target, guard=check, updates=updates, on_applied=record
    )
