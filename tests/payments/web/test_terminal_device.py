"""The registration code on the status page: the merchant types it, the terminal is activated by a worker;
a bad code gets a plain message and changes nothing; another merchant's terminal does not exist."""

import pytest
from django.urls import reverse

from onboarding.models import OwedWork, TerminalRequest
from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_create_for
from payments.activation import TERMINAL_WORK
from payments.models import Terminal
from payments.states import TerminalState
from tests.factories import UserFactory, draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    application = draft_application()
    merchant = merchant_create_for(application=application, actor=Actor.system("t"))
    request = TerminalRequest.objects.get(store__application=application)
    terminal = Terminal.objects.create(merchant=merchant, request=request, state=TerminalState.AWAITING_DEVICE)
    return application, terminal


def type_code(client, terminal, code):
    return client.post(reverse("terminal-device", args=[terminal.public_id]), {"registration_code": code}, follow=True)


def test_the_merchant_types_the_code_and_the_terminal_is_being_activated(client, waiting):
    application, terminal = waiting
    client.force_login(application.applicant)
    page = type_code(client, terminal, " Simulated-WPE ").content.decode()
    terminal.refresh_from_db()
    assert terminal.state == TerminalState.ACTIVATING and terminal.registration_code == "simulated-wpe"
    assert OwedWork.objects.filter(subject_id=terminal.public_id, kind=TERMINAL_WORK, status="pending").exists()
    assert "the terminal is being activated" in page
    assert "simulated-wpe" not in page  # the code is not echoed back


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "This field is required."),
        ("not a code!", "A registration code is words joined by hyphens, as the device shows it."),
        ("x" * 101, "Ensure this value has at most 100 characters"),
    ],
)
def test_a_code_that_cannot_be_one_is_refused_with_a_message_and_changes_nothing(client, waiting, code, message):
    application, terminal = waiting
    client.force_login(application.applicant)
    page = type_code(client, terminal, code).content.decode()
    terminal.refresh_from_db()
    assert terminal.state == TerminalState.AWAITING_DEVICE and terminal.registration_code == ""
    assert message in page
    assert not OwedWork.objects.filter(subject_id=terminal.public_id, kind=TERMINAL_WORK).exists()


def test_another_merchants_terminal_is_not_found(client, waiting):
    _application, terminal = waiting
    client.force_login(UserFactory())
    assert type_code(client, terminal, "simulated-wpe").status_code == 404
    terminal.refresh_from_db()
    assert terminal.state == TerminalState.AWAITING_DEVICE


def test_a_terminal_already_live_takes_no_code(client, waiting):
    application, terminal = waiting
    Terminal.objects.filter(pk=terminal.pk).update(state=TerminalState.ACTIVE, acquirer_reader_id="tmr_1")
    client.force_login(application.applicant)
    page = type_code(client, terminal, "simulated-wpe").content.decode()
    assert "not waiting for its device" in page
    assert Terminal.objects.get(pk=terminal.pk).state == TerminalState.ACTIVE
