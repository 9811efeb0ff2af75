"""A partner's webhook URL cannot lead into our own network: loopback, private, link-local and other
non-public addresses are refused when the endpoint is saved and again before each request."""

import pytest

from onboarding.errors import ValidationFailed
from onboarding.webhooks_out import http
from onboarding.webhooks_out.http import url_problem
from tests.onboarding.webhooks_out.conftest import endpoint_for

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    "http://127.0.0.1:8000/hooks",
    "http://localhost/hooks",
    "http://[::1]:8080/hooks",
    "http://10.0.0.5/hooks",
    "http://192.168.1.20/hooks",
    "http://172.16.0.1/hooks",
    "http://169.254.169.254/latest/meta-data",  # a cloud's metadata service
    "http://100.64.0.1/hooks",  # shared address space
    "http://0.0.0.0/hooks",
    "http://[fe80::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
]


@pytest.fixture
def public_only(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_an_endpoint_leading_to_a_non_public_address_is_refused(public_only, partner, url):
    with pytest.raises(ValidationFailed) as refused:
        endpoint_for(partner, url)
    assert "private or local address" in refused.value.fields["url"][0]


@pytest.mark.parametrize("url", ["https://93.184.216.34/hooks", "https://[2606:4700::1111]/hooks"])
def test_a_public_address_is_accepted(public_only, url):
    assert url_problem(url, livemode=True) is None


def test_a_name_that_does_not_resolve_is_saved_and_its_requests_fail_as_such(public_only, partner):
    endpoint, _secret = endpoint_for(partner, "https://hooks.partner.invalid/in")
    answer = http.post(endpoint.url, b"{}", {}, timeout=2)
    assert answer.status is None and answer.error == "the host name does not resolve"


def test_a_request_to_a_host_that_now_resolves_privately_is_not_sent(receiver, settings):
    """The endpoint was saved while allowed (or its DNS changed since): the request itself is refused."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    answer = http.post(receiver.url, b"{}", {}, timeout=2)
    assert answer.status is None and "private or local address" in answer.error
    assert receiver.received == []
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert http.post(receiver.url, b"{}", {}, timeout=2).status == 200
    assert len(receiver.received) == 1
