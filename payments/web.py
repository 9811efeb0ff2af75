"""What payments adds to the merchant's status page: the terminals by store, with their state, the reader
of each active one and the wallets it takes (WeChat Pay shows a QR code on the reader; Alipay is not a
Terminal method on Stripe), and a form for the registration code of each terminal waiting for its device.

Registered with onboarding's panel registry at start-up, so onboarding never imports payments."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onboarding.errors import DomainError, ValidationFailed
from onboarding.models import Application, Merchant, TerminalRequest
from onboarding.services.actors import Actor
from onboarding.web import panels
from payments.activation import terminal_register_device
from payments.models import Terminal
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


WANTS_CODE = {TerminalState.AWAITING_DEVICE, TerminalState.FAILED}


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
            rows.append(
                {
                    "request": request,
                    "terminal": terminal,
                    "state": state,
                    "words": STATE_WORDS[state],
                    "wants_code": state in WANTS_CODE,
                }
            )
        if rows:
            stores.append((store, rows))
    return {"stores": stores} if stores else None


def register() -> None:
    panels.register_panel("terminals", "payments/panels/_terminals.html", terminals_panel, order=50)


# --------------------------------------------------------------------------- the device's registration code


class RegistrationCodeForm(forms.Form):
    registration_code = forms.CharField(
        label=_("Registration code"),
        max_length=100,
        help_text=_("Shown on the device when you switch it on (test mode: simulated-wpe or simulated-s700)."),
    )


@login_required
@require_POST
def terminal_device(request, public_id: str):
    """The merchant types the code its device shows; the worker then registers the reader."""
    terminal = get_object_or_404(
        Terminal.objects.select_related("request__store__application"),
        public_id=public_id,
        merchant__in=Merchant.objects.filter(users=request.user),
    )
    application = terminal.request.store.application
    form = RegistrationCodeForm(request.POST)
    if form.is_valid():
        try:
            terminal_register_device(
                terminal=terminal,
                actor=Actor.for_user(request.user),
                registration_code=form.cleaned_data["registration_code"],
            )
        except ValidationFailed as exc:
            for message in exc.fields.get("registration_code", []):
                messages.error(request, message)
        except DomainError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, _("Thank you: the terminal is being activated."))
    else:
        for message in form.errors.get("registration_code", []):
            messages.error(request, message)
    return redirect("application-detail", application.public_id)
