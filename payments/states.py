"""The acquirer terminal's state table."""

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
        # A closed merchant's terminals are deactivated in whatever state they are in.
        T.REQUESTED: frozenset({T.AWAITING_DEVICE, T.DEACTIVATED}),
        T.AWAITING_DEVICE: frozenset({T.ACTIVATING, T.DEACTIVATED}),
        T.ACTIVATING: frozenset({T.ACTIVE, T.FAILED, T.DEACTIVATED}),
        T.FAILED: frozenset({T.ACTIVATING, T.DEACTIVATED}),
        T.ACTIVE: frozenset({T.DEACTIVATED}),
        T.DEACTIVATED: frozenset(),
    },
)
