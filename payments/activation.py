"""Terminal activation: the merchant types the registration code its device shows, the worker registers the
reader at the store's location (``activating → active``, or ``failed`` with a plain reason the merchant can
act on by typing the code again).

The reader's creating call carries ``rdr:{terminal}:{code}``: a retry of the same code replays the first
answer, and a new code after a failure is a new call (the acquirer would refuse the old key with other
parameters). Test mode takes Stripe's simulated codes; live mode refuses them.
"""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import Actor
from onboarding.work import owed_work_done, owed_work_record
from payments.calls import acquirer_create, acquirer_id_of
from payments.gateway import AcquirerRefused, AcquirerUnavailable
from payments.models import AcquirerObject, Terminal
from payments.retry import retry_later
from payments.states import TerminalState
from payments.stripe_gateway import gateway_for
from payments.terminals import terminal_transition

TERMINAL_WORK = "terminal_activation"
SYSTEM = Actor.system("terminal-activation")
CODE_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _refuse(message: str) -> None:
    raise ValidationFailed(message, fields={"registration_code": [message]})


def _code_clean(code: str) -> str:
    code = (code or "").strip().lower()
    if not code:
        _refuse(_("Type the code your device shows."))
    if len(code) > 100 or not CODE_PATTERN.match(code):
        _refuse(_("A registration code is words joined by hyphens, as the device shows it."))
    return code


def terminal_register_device(*, terminal: Terminal, actor: Actor, registration_code: str) -> None:
    """The merchant gives the code its device shows; the worker registers the reader."""
    ensure_can_act_for(terminal.request.store.application, actor)
    code = _code_clean(registration_code)
    with transaction.atomic():
        locked = Terminal.objects.select_for_update(no_key=True).get(pk=terminal.pk)
        if locked.state not in (TerminalState.AWAITING_DEVICE, TerminalState.FAILED):
            raise InvalidTransition(_("This terminal is not waiting for its device."))
        locked.registration_code = code
        locked.save(update_fields=["registration_code"])
        terminal_transition(terminal=locked, actor=actor, target=TerminalState.ACTIVATING)
        owed_work_record(subject=locked, kind=TERMINAL_WORK)


def _location_of(terminal: Terminal) -> str | None:
    from payments.boarding import store_identity

    return acquirer_id_of(f"loc:{terminal.merchant.public_id}:{store_identity(terminal.store)}")


def terminal_activate(*, public_id: str) -> str:
    """Register the reader for a terminal in ``activating``; returns the state it is left in."""
    terminal = Terminal.objects.select_related("merchant", "request__store__application").get(public_id=public_id)
    if terminal.state != TerminalState.ACTIVATING:
        return terminal.state
    merchant, code = terminal.merchant, terminal.registration_code
    location = _location_of(terminal)
    try:
        if not (merchant.acquirer_account_id and location):
            raise AcquirerRefused("The store is not set up with the acquirer yet.", code="no_location")
        gateway = gateway_for(livemode=merchant.livemode)
        reader = acquirer_create(
            key=f"rdr:{terminal.public_id}:{hashlib.sha256(code.encode()).hexdigest()[:12]}",
            kind=AcquirerObject.Kind.READER,
            merchant=merchant,
            create=lambda key: gateway.reader_register(
                key=key, account=merchant.acquirer_account_id, location=location, registration_code=code,
                label=terminal.label or terminal.store.name, terminal_id=terminal.public_id,
            ),
            find=lambda: gateway.reader_find(account=merchant.acquirer_account_id, terminal_id=terminal.public_id),
        )  # fmt: skip
    except AcquirerUnavailable as exc:
        retry_later(subject=terminal, kind=TERMINAL_WORK, exc=exc)
        return "retrying"
    except AcquirerRefused as exc:
        with transaction.atomic():
            Terminal.objects.filter(pk=terminal.pk).update(registration_code="")
            terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.FAILED, error=exc.message)
            owed_work_done(subject=terminal, kind=TERMINAL_WORK)
        return TerminalState.FAILED
    with transaction.atomic():
        Terminal.objects.filter(pk=terminal.pk).update(registration_code="", activated_at=timezone.now())
        terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.ACTIVE, acquirer_reader_id=reader)
        owed_work_done(subject=terminal, kind=TERMINAL_WORK)
    return TerminalState.ACTIVE
