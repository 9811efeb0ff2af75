"""The terminals' events for partners: ``terminal.activated`` and ``terminal.failed``, registered with
onboarding's partner events and emitted inside the terminal's move."""

from onboarding.models import Application
from onboarding.services.partner_events import partner_event_emit
from onboarding.webhooks_out.event_types import register_partner_event_type
from onboarding.webhooks_out.wire import iso
from payments.models import Terminal
from payments.states import TerminalState

TERMINAL_EVENTS = {TerminalState.ACTIVE: "terminal.activated", TerminalState.FAILED: "terminal.failed"}


def register() -> None:
    register_partner_event_type("terminal.activated", "A terminal's reader is registered and takes payments.")
    register_partner_event_type("terminal.failed", "A terminal could not be activated; the merchant can retry.")


def terminal_snapshot(terminal: Terminal, application: Application) -> dict:
    return {
        "id": terminal.public_id,
        "object": "terminal",
        "livemode": terminal.merchant.livemode,
        "state": terminal.state,
        "merchant": terminal.merchant.public_id,
        "application": application.public_id,
        "store": terminal.request.store.public_id,
        "device_type": terminal.device_type,
        "label": terminal.label,
        # read again: the activation sets it with an update the instance has not seen
        "activated_at": iso(Terminal.objects.filter(pk=terminal.pk).values_list("activated_at", flat=True).first()),
    }


def terminal_event_emit(*, terminal: Terminal, application: Application, state: str) -> None:
    """The partner's event for a terminal's move, if the move is one partners hear of."""
    event_type = TERMINAL_EVENTS.get(state)
    if event_type is None or application.partner_id is None:
        return
    partner_event_emit(
        type=event_type,
        partner=application.partner,
        livemode=terminal.merchant.livemode,
        object=terminal_snapshot(terminal, application),
        application=application,
    )
