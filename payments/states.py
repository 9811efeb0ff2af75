"""The terminal request's state table."""

from onboarding.statemachine import StateMachine


class TerminalState:
    REQUESTED = "requested"
    AWAITING_DEVICE = "awaiting_device"
    ACTIVATING = "activating"
    ACTIVE = "active"
    FAILED = "failed"
    DEACTIVATED = "deactivated"
    CHOICES = [
        (REQUESTED, "Requested"),
        (AWAITING_DEVICE, "Awaiting device"),
        (ACTIVATING, "Activating"),
        (ACTIVE, "Active"),
        (FAILED, "Failed"),
        (DEACTIVATED, "Deactivated"),
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
