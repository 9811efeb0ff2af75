"""The terminal request's state table."""

from django.utils.translation import gettext_lazy as _

from onboarding.statemachine import StateMachine


class TerminalState:
    REQUESTED = "requested"
    AWAITING_DEVICE = "awaiting_device"
    ACTIVATING = "activating"
    ACTIVE = "active"
    FAILED = "failed"
    DEACTIVATED = "deactivated"
    CHOICES = [
        (REQUESTED, _("Requested")),
        (AWAITING_DEVICE, _("Awaiting device")),
        (ACTIVATING, _("Activating")),
        (ACTIVE, _("Active")),
        (FAILED, _("Failed")),
        (DEACTIVATED, _("Deactivated")),
    ]


T = TerminalState
TERMINAL_MACHINE = StateMachine(
    name="terminal",
    transitions={
        T.REQUESTED: frozenset({T.AWAITING_DEVICE}),
        T.AWAITING_DEVICE: frozenset({T.ACTIVATING}),
        T.ACTIVATING: frozenset({T.ACTIVE, T.FAILED}),
        T.FAILED: frozenset({T.ACTIVATING}),
        T.ACTIVE: frozenset({T.DEACTIVATED}),
        T.DEACTIVATED: frozenset(),
    },
)
