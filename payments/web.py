"""What payments adds to the merchant's status page: the terminals by store, with their state.

Registered with onboarding's panel registry at start-up, so onboarding never imports payments."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, TerminalRequest
from onboarding.web import panels
from payments.states import TerminalState

# A request with no acquirer terminal behind it yet reads "Requested".
STATE_WORDS = {
    TerminalState.REQUESTED: _("Requested"),
    TerminalState.AWAITING_DEVICE: _("Waiting for its device"),
    TerminalState.ACTIVATING: _("Being activated"),
    TerminalState.ACTIVE: _("Active"),
    TerminalState.FAILED: _("Not active yet"),
    TerminalState.DEACTIVATED: _("Deactivated"),
}


def terminals_panel(application: Application) -> dict | None:
    """Each store's requested terminals, with the acquirer's terminal where boarding has created it; none
    while no store has a terminal."""
    requests = TerminalRequest.objects.select_related("terminal")
    stores = []
    for store in application.stores.prefetch_related(Prefetch("terminals", queryset=requests)):
        rows = []
        for request in store.terminals.all():
            terminal = getattr(request, "terminal", None)
            state = terminal.state if terminal else TerminalState.REQUESTED
            rows.append({"request": request, "terminal": terminal, "state": state, "words": STATE_WORDS[state]})
        if rows:
            stores.append((store, rows))
    return {"stores": stores} if stores else None


def register() -> None:
    panels.register_panel("terminals", "payments/panels/_terminals.html", terminals_panel, order=50)
