"""Terminal moves: requested → awaiting_device → activating → active | failed; failed → activating;
active → deactivated. Boarding with the acquirer (the gateway) builds on these."""

from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.statemachine import apply_transition
from payments.emails import terminal_email_owe
from payments.models import Terminal
from payments.partner_events import terminal_event_emit
from payments.states import TERMINAL_MACHINE, TerminalState

SHARED_REASONS = {TerminalState.ACTIVE: "terminal_active"}


def terminal_transition(
    *, terminal: Terminal, actor: Actor, target: str, error: str = "", acquirer_reader_id: str | None = None
) -> None:
    updates: dict = {"last_error": error[:500]}
    if acquirer_reader_id is not None:
        updates["acquirer_reader_id"] = acquirer_reader_id
    application = terminal.store.application

    def record(instance: Terminal, source: str) -> None:
        event_record(
            actor=actor,
            subject=instance,
            application=application,
            action=f"terminal_{target}",
            from_state=source,
            to_state=target,
            reason_code=SHARED_REASONS.get(target, ""),
            details={"error": error} if error else None,
            shared=target in SHARED_REASONS,
        )
        terminal_email_owe(application=application, state=target)
        terminal_event_emit(terminal=instance, application=application, state=target)

    apply_transition(terminal, machine=TERMINAL_MACHINE, target=target, updates=updates, on_applied=record)
