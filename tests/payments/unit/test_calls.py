"""Each acquirer call once: the claim, the call outside any transaction, the recorded id."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.services.actors import Actor
from onboarding.services.merchants import merchant_create_for
from payments.calls import acquirer_create, acquirer_update
from payments.gateway import AcquirerRefused, AcquirerUnavailable
from payments.models import AcquirerObject
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return merchant_create_for(application=draft_application(), actor=Actor.system("t"))


class Acquirer:
    """Counts the creating calls and the keys they carried; fails the first ``failures`` of them."""

    def __init__(self, failures=(), found=None):
        self.keys, self.failures, self.found, self.lookups = [], list(failures), found, 0

    def create(self, key):
        self.keys.append(key)
        if self.failures:
            raise self.failures.pop(0)
        return f"acct_{len(self.keys)}"

    def find(self):
        self.lookups += 1
        return self.found


def test_a_second_run_returns_the_recorded_id_without_calling_again(merchant):
    acquirer = Acquirer()
    first = acquirer_create(
        key="acct:m1", kind="account", merchant=merchant, create=acquirer.create, find=acquirer.find
    )
    again = acquirer_create(
        key="acct:m1", kind="account", merchant=merchant, create=acquirer.create, find=acquirer.find
    )
    assert first == again == "acct_1" and acquirer.keys == ["acct:m1"]
    record = AcquirerObject.objects.get(key="acct:m1")
    assert record.acquirer_id == "acct_1" and record.attempts == 1 and record.completed_at


def test_a_transient_failure_is_recorded_and_the_retry_carries_the_same_key(merchant):
    acquirer = Acquirer(failures=[AcquirerUnavailable("timed out", code="network")])
    with pytest.raises(AcquirerUnavailable):
        acquirer_create(key="loc:m1:s", kind="location", merchant=merchant, create=acquirer.create, find=acquirer.find)
    record = AcquirerObject.objects.get(key="loc:m1:s")
    assert record.acquirer_id is None and "network" in record.last_error
    assert acquirer_create(key="loc:m1:s", kind="location", merchant=merchant, create=acquirer.create,
                           find=acquirer.find) == "acct_2"  # fmt: skip
    assert acquirer.keys == ["loc:m1:s", "loc:m1:s"] and acquirer.lookups == 0
    assert AcquirerObject.objects.get(key="loc:m1:s").last_error == ""


def test_after_the_key_has_expired_the_object_is_looked_up_before_creating_again(merchant):
    acquirer = Acquirer(failures=[AcquirerUnavailable("timed out")], found="acct_existing")
    with pytest.raises(AcquirerUnavailable):
        acquirer_create(key="acct:m2", kind="account", merchant=merchant, create=acquirer.create, find=acquirer.find)
    AcquirerObject.objects.filter(key="acct:m2").update(first_attempt_at=timezone.now() - timedelta(hours=30))
    found = acquirer_create(
        key="acct:m2", kind="account", merchant=merchant, create=acquirer.create, find=acquirer.find
    )
    assert found == "acct_existing" and acquirer.lookups == 1 and acquirer.keys == ["acct:m2"]


def test_a_refusal_keeps_the_acquirers_message_for_people(merchant):
    acquirer = Acquirer(failures=[AcquirerRefused("Received unknown parameter: foo", code="parameter_unknown")])
    with pytest.raises(AcquirerRefused):
        acquirer_create(key="pmc:m1", kind="payment_method_configuration", merchant=merchant,
                        create=acquirer.create, find=acquirer.find)  # fmt: skip
    assert AcquirerObject.objects.get(key="pmc:m1").last_error == "parameter_unknown: Received unknown parameter: foo"


def test_an_update_is_sent_once_per_key(merchant):
    sent = []
    assert acquirer_update(key="acct-profile:app1", merchant=merchant, send=sent.append) is True
    assert acquirer_update(key="acct-profile:app1", merchant=merchant, send=sent.append) is False
    assert acquirer_update(key="acct-profile:app2", merchant=merchant, send=sent.append) is True
    assert sent == ["acct-profile:app1", "acct-profile:app2"]
