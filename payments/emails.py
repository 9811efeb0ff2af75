"""The merchant's emails of boarding: boarded, and each terminal that went live or failed (one email per
change; two terminals that change together share one, since the owed row of an application's email is one)."""

from onboarding.models import Application
from onboarding.notifications import merchant_email_owe, register_merchant_email
from payments.models import Terminal
from payments.states import TerminalState

BOARDED, TERMINAL_ACTIVE, TERMINAL_FAILED = "boarded", "terminal_active", "terminal_failed"


def _terminals(application: Application, state: str) -> dict:
    terminals = Terminal.objects.filter(request__store__application=application, state=state).select_related(
        "request__store"
    )
    return {"terminals": list(terminals)}


def register() -> None:
    register_merchant_email(BOARDED)
    register_merchant_email(TERMINAL_ACTIVE, lambda application: _terminals(application, TerminalState.ACTIVE))
    register_merchant_email(TERMINAL_FAILED, lambda application: _terminals(application, TerminalState.FAILED))


def terminal_email_owe(*, application: Application, state: str) -> None:
    """Owe the email for a terminal's move, if the move is one the merchant hears of."""
    email = {TerminalState.ACTIVE: TERMINAL_ACTIVE, TerminalState.FAILED: TERMINAL_FAILED}.get(state)
    if email:
        merchant_email_owe(application=application, email=email)
