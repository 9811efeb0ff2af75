"""Which events are written, and for whom: each move partners hear of writes its event in the move's own
transaction (a move that rolls back leaves none), applications without a partner have none, the
requirements changing writes one event per change, disabled or deleted endpoints and types nobody
subscribed to get no delivery, and test-mode events go to test-mode endpoints only."""

import pytest
from django.db import transaction

from onboarding.models import Application, Merchant, WebhookDelivery, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_decline,
    application_request_info,
    application_submit,
)
from onboarding.services.drafts import application_update_draft
from onboarding.services.merchants import merchant_suspend
from onboarding.services.transitions import application_transition
from onboarding.services.webhook_endpoints import webhook_endpoint_delete, webhook_endpoint_update
from onboarding.states import AppState, MerchantState
from onboarding.webhooks_out.wire import iso
from payments.models import Terminal
from payments.states import TerminalState
from payments.terminals import terminal_transition
from tests.factories import officer, upload_documents
from tests.onboarding.webhooks_out.conftest import SYSTEM, endpoint_for, partner_application
from tests.sanctions.integration.helpers import live_merchant_for

pytestmark = pytest.mark.django_db
URL = "https://hooks.example/walletboard"


def types_of(**filters) -> list[str]:
    return list(WebhookEvent.objects.filter(**filters).order_by("id").values_list("type", flat=True))


def in_state(application: Application, state: str) -> Application:
    Application.objects.filter(pk=application.pk).update(state=state)
    application.refresh_from_db()
    return application


def submitted(partner, **kwargs) -> Application:
    application = partner_application(partner, **kwargs)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application.refresh_from_db()
    return application


def test_each_move_partners_hear_of_writes_its_event(partner):
    application = submitted(partner)
    assert types_of(type="application.submitted") == ["application.submitted"]
    event = WebhookEvent.objects.get(type="application.submitted")
    assert event.partner == partner and event.livemode is False and event.application == application
    assert event.data["object"]["id"] == application.public_id and event.data["object"]["state"] == "submitted"

    in_state(application, AppState.IN_REVIEW)
    reviewer = Actor.for_user(officer())
    application_request_info(application=application, actor=reviewer, message="Please send a bank letter.")
    application_decline(
        application=in_state(application, AppState.IN_REVIEW), actor=reviewer, reason_code="fraud_suspected"
    )
    moves = [t for t in types_of(application=application) if t != "application.requirements_updated"]
    assert moves == ["application.submitted", "application.info_requested", "application.declined"]
    declined = WebhookEvent.objects.get(type="application.declined").data["object"]
    assert declined["state"] == "declined" and "fraud" not in str(declined)  # never why


def test_approved_and_boarded_come_from_the_moves_whoever_makes_them(partner):
    application = in_state(submitted(partner), AppState.IN_REVIEW)
    for target in (AppState.APPROVED, AppState.BOARDING, AppState.BOARDED):
        application_transition(application, target=target, actor=SYSTEM, action=target)
    moves = [t for t in types_of(application=application) if t.startswith("application.") and "requirements" not in t]
    assert moves == ["application.submitted", "application.approved", "application.boarded"]


def test_a_move_that_rolls_back_leaves_no_event_and_no_delivery(partner):
    endpoint_for(partner, URL)
    application = partner_application(partner)
    with pytest.raises(RuntimeError), transaction.atomic():
        application_submit(application=application, actor=Actor.for_user(application.applicant))
        raise RuntimeError("the request failed after the submission")
    assert not WebhookEvent.objects.filter(type="application.submitted").exists()
    assert not WebhookDelivery.objects.exists()


def test_an_application_without_a_partner_has_no_events(partner):
    endpoint_for(partner, URL)
    from tests.factories import draft_application

    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_requirements_changing_writes_one_event_per_change(partner):
    application = partner_application(partner, documents=False)
    application_update_draft(application=application, actor=Actor.for_user(application.applicant), business={})
    first = WebhookEvent.objects.filter(type="application.requirements_updated")
    assert first.count() == 1, "the first look at the requirements is sent"
    due = first.get().data["object"]["requirements"]["currently_due"]
    assert any(path.startswith("documents.") for path in due)
    # The same requirements again: nothing new to say.
    application_update_draft(application=application, actor=Actor.for_user(application.applicant), business={})
    assert first.count() == 1
    # A document given: what is due changes, and the partner hears of it.
    upload_documents(application)
    events = WebhookEvent.objects.filter(type="application.requirements_updated").order_by("id")
    assert events.count() > 1
    assert events.last().data["object"]["requirements"]["currently_due"] != due


def test_an_information_request_shows_in_the_requirements_sent(partner):
    application = in_state(submitted(partner), AppState.IN_REVIEW)
    application_request_info(application=application, actor=Actor.for_user(officer()), message="Bank letter, please.")
    last = WebhookEvent.objects.filter(type="application.requirements_updated").order_by("-id").first()
    assert "information_request" in last.data["object"]["requirements"]["currently_due"]


def test_subscriptions_enabled_flags_and_modes_decide_who_gets_a_delivery(partner):
    everything, _ = endpoint_for(partner, URL + "/all")
    submissions, _ = endpoint_for(partner, URL + "/submitted", event_types=["application.submitted"])
    declines, _ = endpoint_for(partner, URL + "/declined", event_types=["application.declined"])
    switched_off, _ = endpoint_for(partner, URL + "/off")
    webhook_endpoint_update(endpoint=switched_off, actor=SYSTEM, enabled=False)
    deleted, _ = endpoint_for(partner, URL + "/deleted")
    webhook_endpoint_delete(endpoint=deleted, actor=SYSTEM)
    live, _ = endpoint_for(partner, URL + "/live", livemode=True)
    from onboarding.services.partners import partner_create

    other, _ = endpoint_for(partner_create(actor=SYSTEM, name="Other ISO", kind="iso"), URL + "/other")

    submitted(partner)  # a test-mode application
    event = WebhookEvent.objects.get(type="application.submitted")
    receivers = set(WebhookDelivery.objects.filter(event=event).values_list("endpoint__url", flat=True))
    assert receivers == {everything.url, submissions.url}
    assert not WebhookDelivery.objects.filter(endpoint__in=[declines, switched_off, deleted, live, other]).exists()

    submitted(partner, livemode=True)
    live_event = WebhookEvent.objects.get(type="application.submitted", livemode=True)
    assert list(WebhookDelivery.objects.filter(event=live_event).values_list("endpoint", flat=True)) == [live.pk]


def test_switching_an_endpoint_off_cancels_what_it_was_still_owed(partner):
    endpoint, _ = endpoint_for(partner, URL)
    submitted(partner)
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="pending").exists()
    webhook_endpoint_update(endpoint=endpoint, actor=SYSTEM, enabled=False)
    assert not WebhookDelivery.objects.filter(endpoint=endpoint, status="pending").exists()
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="cancelled").exists()


def test_a_suspension_tells_the_merchants_partner(partner):
    application = submitted(partner)
    merchant = live_merchant_for(application)
    Merchant.objects.filter(pk=merchant.pk).update(livemode=False)
    merchant.refresh_from_db()
    merchant_suspend(merchant=merchant, actor=SYSTEM, reason="Chargebacks above the limit")
    event = WebhookEvent.objects.get(type="merchant.suspended")
    assert event.data["object"]["id"] == merchant.public_id
    assert event.data["object"]["state"] == MerchantState.SUSPENDED
    assert "Chargebacks" not in str(event.data)  # the officer's reason is internal


def test_a_terminal_activating_or_failing_tells_the_partner(partner):
    application = submitted(partner)
    merchant = live_merchant_for(application)
    request = application.stores.first().terminals.first()
    terminal = Terminal.objects.create(merchant=merchant, request=request, state=TerminalState.ACTIVATING)
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.FAILED, error="Unknown code")
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.ACTIVATING)
    terminal_transition(terminal=terminal, actor=SYSTEM, target=TerminalState.ACTIVE, acquirer_reader_id="tmr_1")
    assert types_of(type__startswith="terminal.") == ["terminal.failed", "terminal.activated"]
    activated = WebhookEvent.objects.get(type="terminal.activated").data["object"]
    assert activated["id"] == terminal.public_id and activated["state"] == "active"
    assert activated["application"] == application.public_id and activated["store"] == request.store.public_id


def test_the_application_snapshot_holds_the_partners_external_id_and_nothing_more(partner):
    application = partner_application(partner)
    Application.objects.filter(pk=application.pk).update(external_id="crm-42")
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application.refresh_from_db()
    snapshot = WebhookEvent.objects.get(type="application.submitted").data["object"]
    assert snapshot == {
        "id": application.public_id,
        "object": "application",
        "livemode": False,
        "external_id": "crm-42",
        "state": "submitted",
        "merchant": application.merchant.public_id,
        "business_name": "Pearl River Noodles",
        "entity_type": "multi_member_llc",
        "created": iso(application.created_at),
        "submitted_at": iso(application.submitted_at),
        "decided_at": None,
    }
    requirements = WebhookEvent.objects.filter(type="application.requirements_updated").last().data["object"]
    assert requirements["external_id"] == "crm-42"


def test_an_application_without_an_external_id_says_null(partner):
    submitted(partner)
    assert WebhookEvent.objects.get(type="application.submitted").data["object"]["external_id"] is None


def suspended_snapshot(merchant: Merchant) -> dict:
    merchant_suspend(merchant=merchant, actor=SYSTEM, reason="Chargebacks above the limit")
    return WebhookEvent.objects.filter(type="merchant.suspended").last().data["object"]


def test_the_merchant_snapshot_holds_its_applications_external_id(partner):
    application = submitted(partner)
    Application.objects.filter(pk=application.pk).update(external_id="crm-7")
    merchant = live_merchant_for(application)
    Merchant.objects.filter(pk=merchant.pk).update(livemode=False)
    merchant.refresh_from_db()
    assert suspended_snapshot(merchant) == {
        "id": merchant.public_id,
        "object": "merchant",
        "livemode": False,
        "external_id": "crm-7",
        "state": MerchantState.SUSPENDED,
        "business_name": "Pearl River Noodles",
        "wallets": [{"wallet": w.wallet, "status": w.status} for w in merchant.wallets.order_by("wallet")],
    }


def test_a_merchant_reads_the_earliest_reference_of_its_partner_never_another_partners(partner):
    from onboarding.services.partners import partner_create

    first = submitted(partner)
    merchant = live_merchant_for(first)
    Merchant.objects.filter(pk=merchant.pk).update(livemode=False)
    assert suspended_snapshot(Merchant.objects.get(pk=merchant.pk))["external_id"] is None  # none given yet

    other = partner_create(actor=SYSTEM, name="Other ISO", kind="iso")
    theirs = partner_application(other)
    later = partner_application(partner)
    Application.objects.filter(pk=theirs.pk).update(merchant=merchant, external_id="other-1")
    Application.objects.filter(pk=later.pk).update(merchant=merchant, external_id="crm-9")
    Merchant.objects.filter(pk=merchant.pk).update(state=MerchantState.ACTIVE, current_application=theirs)
    assert suspended_snapshot(Merchant.objects.get(pk=merchant.pk))["external_id"] == "crm-9"
