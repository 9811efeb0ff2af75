"""The WalletBoard-Signature header, checked by code written apart from ours (the partner's side): a
hand-rolled HMAC here, and the ``verify`` function of docs/partner_webhooks.md, run as it is printed."""

import hashlib
import hmac
import re
import time
from pathlib import Path

import pytest

from onboarding.models import WebhookDelivery
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.webhook_deliveries import webhook_delivery_attempt
from onboarding.webhooks_out.signature import HEADER, new_secret, signature_header
from tests.onboarding.webhooks_out.conftest import endpoint_for, partner_application

DOCS = Path(__file__).resolve().parents[3] / "docs" / "partner_webhooks.md"


def docs_verify():
    """The first Python block of the docs that defines ``verify``, executed on its own."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.S)
    source = next(block for block in blocks if "def verify(" in block)
    namespace: dict = {}
    exec(compile(source, str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation's code)
    return namespace["verify"]


def independent_check(secret: str, header: str, body: bytes) -> bool:
    """Parsed and computed without our module: t=…,v1=… and HMAC-SHA256(secret, "t.body")."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    mac = hmac.new(secret.encode("utf-8"), parts["t"].encode("ascii") + b"." + body, hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts["v1"])


def test_a_delivered_event_carries_a_signature_an_independent_implementation_accepts(db, partner, receiver):
    endpoint, secret = endpoint_for(partner, receiver.url)
    application = partner_application(partner)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, event__type="application.submitted").get()
    assert webhook_delivery_attempt(public_id=delivery.public_id) == "succeeded"

    sent = receiver.received[-1]
    header = sent.headers[HEADER]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    assert abs(int(header.split(",")[0][2:]) - time.time()) < 60
    assert independent_check(secret, header, sent.body)
    assert docs_verify()(secret, header, sent.body)
    assert sent.headers["Content-Type"] == "application/json"


def test_the_documented_verify_refuses_what_it_must():
    verify = docs_verify()
    secret, body = new_secret(), b'{"id":"evt_1","object":"event"}'
    header = signature_header(secret, body)
    assert verify(secret, header, body)
    assert not verify(secret, header, body + b" ")  # a body changed in transit
    assert not verify(new_secret(), header, body)  # another endpoint's secret
    old = signature_header(secret, body, timestamp=int(time.time()) - 301)
    assert not verify(secret, old, body)  # a replay after the tolerance
    assert not verify(secret, "garbage", body)
    assert not verify(secret, header.replace("t=", "t=1"), body)  # the signed timestamp altered


def test_rolling_secrets_a_header_with_two_signatures_verifies_with_either():
    verify = docs_verify()
    old, new, body = new_secret(), new_secret(), b"{}"
    first = signature_header(old, body)
    t = first.split(",")[0]
    second = signature_header(new, body, timestamp=int(t[2:])).split(",")[1]
    header = f"{first},{second}"
    assert verify(old, header, body) and verify(new, header, body)


@pytest.mark.parametrize("timestamp", [0, 1_700_000_000])
def test_the_signature_is_the_hmac_of_timestamp_dot_body(timestamp):
    secret, body = "whsec_test", '{"name":"珠江面馆"}'.encode()
    header = signature_header(secret, body, timestamp=timestamp)
    expected = hmac.new(b"whsec_test", f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert header == f"t={timestamp},v1={expected}"
