"""No personal data in any event: an application with owners, identifiers, dates of birth and a bank
account is taken through every event partners hear of, and neither the stored events nor what the
receiver got holds any of those values (nor an individual's name, nor a sole proprietor's legal name)."""

import json
import re

import pytest

from onboarding.models import Application, Merchant, WebhookDelivery, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info, application_submit
from onboarding.services.merchants import merchant_suspend
from onboarding.services.transitions import application_transition
from onboarding.services.webhook_deliveries import webhook_delivery_attempt
from onboarding.services.webhook_endpoints import webhook_endpoint_ping
from onboarding.states import AppState
from onboarding.webhooks_out.wire import event_body
from payments.models import Terminal
from payments.states import TerminalState
from payments.terminals import terminal_transition
from tests.factories import VALID_DRAFT, officer
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application
from tests.sanctions.integration.helpers import live_merchant_for

pytestmark = pytest.mark.django_db


def personal_values(draft: dict) -> set[str]:
    values = {draft["business"]["tax_id"], re.sub(r"\D", "", draft["business"]["tax_id"])}
    for party in draft["parties"]:
        # Names as JSON values or in full (a bare "Wen" could be part of a random public id).
        first, last = party["first_name"], party["last_name"]
        values |= {f'"{first}"', f'"{last}"', f"{first} {last}", party["date_of_birth"], party["id_number"],
                   re.sub(r"\D", "", party["id_number"]), party["address_line1"]}  # fmt: skip
    account = draft["bank_account"]
    values |= {account["account_number"], account["routing_number"]}
    return values


def every_event(partner, receiver, **overrides) -> list[bytes]:
    endpoint, _ = endpoint_for(partner, receiver.url)
    application = partner_application(partner, **overrides)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    application_request_info(application=application, actor=Actor.for_user(officer()), message="A bank letter.")
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    for target in (AppState.APPROVED, AppState.BOARDING, AppState.BOARDED):
        application_transition(application, target=target, actor=SYSTEM, action=target)
    merchant = live_merchant_for(application)
    Merchant.objects.filter(pk=merchant.pk).update(livemode=False)
    merchant.refresh_from_db()
    terminal = Terminal.objects.create(
        merchant=merchant, request=application.stores.first().terminals.first(), state=TerminalState.ACTIVATING
    )
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.FAILED, error="Unknown code")
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.ACTIVATING)
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.ACTIVE)
    merchant_suspend(merchant=merchant, actor=SYSTEM, reason="Review of the owners")
    webhook_endpoint_ping(endpoint=endpoint, actor=SYSTEM)
    for delivery in WebhookDelivery.objects.filter(status="pending"):
        webhook_delivery_attempt(public_id=delivery.public_id)
    return [event_body(event) for event in WebhookEvent.objects.all()] + [r.body for r in receiver.received]


def test_no_event_holds_personal_data(partner, receiver):
    bodies = every_event(partner, receiver)
    types = {json.loads(body)["type"] for body in bodies}
    assert {"application.submitted", "application.info_requested", "application.approved", "application.boarded",
            "application.requirements_updated", "terminal.failed", "terminal.activated", "merchant.suspended",
            "ping"} <= types  # fmt: skip
    assert len(receiver.received) == WebhookDelivery.objects.count()
    text = b"\n".join(bodies).decode()
    for value in personal_values(VALID_DRAFT):
        assert value not in text, f"{value!r} was in an event"
    assert "Pearl River Noodles" in text  # the business's own name is there


def test_a_sole_proprietors_legal_name_is_a_persons_and_is_not_sent(partner, receiver):
    owner = {**VALID_DRAFT["parties"][0], "ownership_percent": 100}
    bodies = every_event(
        partner,
        receiver,
        business={
            "entity_type": "sole_proprietorship",
            "legal_name": "Wen Zhao",
            "dba": "Zhao Noodles",
            "tax_id_type": "ssn",
            "tax_id": "212-54-3321",
        },  # fmt: skip
        parties=[owner],
    )
    text = b"\n".join(bodies).decode()
    assert "Zhao Noodles" in text
    for value in ("Wen Zhao", "212-54-3321", "212543321", "1980-05-17"):
        assert value not in text
