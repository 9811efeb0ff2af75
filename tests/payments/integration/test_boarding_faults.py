"""Boarding and terminal activation with a live worker, whatever the acquirer does: it times out after
creating the object, answers 500 twice, asks us to wait with 429 and Retry-After, or the worker is killed
right after the acquirer created an object. Every time the acquirer ends with exactly one account,
configuration, location and reader per object, the application ``boarded`` and its terminals ``active``."""

import pytest

from onboarding.models import Application, Event, MerchantWallet
from onboarding.states import AppState, MerchantState
from payments.models import AcquirerEvent, AcquirerObject
from tests.live import wait_for

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]


def boarded_and_live(boarding, application: Application) -> None:
    application = boarding.board(application)
    assert application.merchant.state == MerchantState.ACTIVE
    assert MerchantWallet.objects.filter(merchant=application.merchant, status=MerchantWallet.Status.ACTIVE).exists()
    terminals = boarding.activate(application)
    assert all(t.acquirer_reader_id.startswith("tmr_") for t in terminals)
    boarding.assert_exactly_once(application)


def test_an_approved_application_is_boarded_and_its_terminals_go_live(boarding):
    application = boarding.approved()
    boarded_and_live(boarding, application)
    # The acquirer's verification came as signed webhooks, stored once each and processed.
    assert AcquirerEvent.objects.filter(type="account.updated", processed_at__isnull=False).exists()
    shared = Event.objects.filter(application=application, visibility="shared").values_list("action", flat=True)
    assert {"boarding_started", "boarded"} <= set(shared)


@pytest.mark.parametrize("prefix", ["/v1/accounts", "/v1/terminal/locations", "/v1/terminal/readers"])
def test_a_timeout_after_the_acquirer_created_the_object_is_replayed_not_repeated(boarding, prefix):
    boarding.acquirer.inject(timeout_after_create={"prefix": prefix, "count": 1, "mode": "hold", "hold_seconds": 4})
    application = boarding.approved()
    boarded_and_live(boarding, application)
    replayed = [r for r in boarding.acquirer.requests(prefix) if r.get("replayed")]
    assert replayed, "the retry should have met the stored answer of the first call"


def test_two_500s_then_success(boarding):
    boarding.acquirer.inject(fail={"prefix": "/v1/accounts", "count": 2, "status": 500, "post_only": True})
    application = boarding.approved()
    boarded_and_live(boarding, application)
    calls = AcquirerObject.objects.get(key=f"acct:{application.merchant.public_id}")
    assert calls.attempts == 3 and calls.last_error == ""


def test_429_with_retry_after_is_honoured(boarding):
    boarding.acquirer.inject(throttle={"prefix": "/v1/payment_method_configurations", "count": 1, "retry_after": 2})
    application = boarding.approved()
    boarded_and_live(boarding, application)
    work = [e for e in boarding.acquirer.requests("/v1/payment_method_configurations") if e["method"] == "POST"]
    first_429, retried = work[0], work[1]
    assert first_429["status"] == 429
    assert retried["at"] - first_429["at"] >= 2, "the retry came before the acquirer's Retry-After"


@pytest.mark.parametrize("kind", ["account", "location"])
def test_the_worker_killed_right_after_the_acquirer_created_an_object(boarding, kind):
    point = f"acquirer_created_{kind}"
    (boarding.hooks / f"{point}.pause").touch()
    application = boarding.approved()
    wait_for(lambda: (boarding.hooks / f"{point}.reached").exists(), what=f"the worker to reach {point}")
    boarding.kill_worker()
    (boarding.hooks / f"{point}.pause").unlink()
    # The object exists on the acquirer; our record of it does not: the call's outcome is unknown to us.
    assert AcquirerObject.objects.filter(kind=kind, acquirer_id__isnull=True).exists()
    boarding.start_worker()
    boarded_and_live(boarding, application)
    assert Application.objects.get(pk=application.pk).state == AppState.BOARDED
