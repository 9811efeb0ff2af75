"""Partners, their keys and a client that speaks to the partner API as a partner's system would; a real
HTTP receiver on 127.0.0.1 for webhooks (``receiver``, from the webhooks' tests)."""

import json
import uuid
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft
from onboarding.services.partners import partner_api_key_create, partner_create
from onboarding.services.webhook_endpoints import webhook_endpoint_create
from tests.onboarding.webhooks_out.conftest import receiver  # noqa: F401 (a fixture for these tests)

BASE = "/api/v1"


@dataclass
class PartnerKeys:
    partner: object
    test: str
    live: str


class PartnerApi:
    """Requests with a key (or none), JSON bodies, and a fresh Idempotency-Key on each POST unless given."""

    def __init__(self, secret: str | None):
        self.secret = secret
        self.client = Client()

    def _headers(self, extra: dict) -> dict:
        headers = dict(extra)
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return headers

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(BASE + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body=None, *, key: str | None = None, **headers):
        headers.setdefault("Idempotency-Key", key or str(uuid.uuid4()))
        data = json.dumps({} if body is None else body)
        return self.client.post(BASE + path, data, content_type="application/json", headers=self._headers(headers))

    def upload(self, path: str, data: dict, *, key: str | None = None, **headers):
        headers.setdefault("Idempotency-Key", key or str(uuid.uuid4()))
        return self.client.post(BASE + path, data, headers=self._headers(headers))

    def patch(self, path: str, body, **headers):
        return self.client.patch(
            BASE + path, json.dumps(body), content_type="application/json", headers=self._headers(headers)
        )

    def delete(self, path: str, **headers):
        return self.client.delete(BASE + path, headers=self._headers(headers))


@pytest.fixture(autouse=True)
def shared_cache_table(db):
    """The throttle counts in the shared cache (the database cache by default)."""
    call_command("createcachetable", verbosity=0)


def _partner(name: str) -> PartnerKeys:
    system = Actor.system("tests")
    partner = partner_create(actor=system, name=name, kind="iso")
    _key, test = partner_api_key_create(partner=partner, actor=system, mode="test")
    _key, live = partner_api_key_create(partner=partner, actor=system, mode="live")
    return PartnerKeys(partner=partner, test=test, live=live)


@pytest.fixture
def partner_a(db) -> PartnerKeys:
    return _partner("Bay Area Payments ISO")


@pytest.fixture
def partner_b(db) -> PartnerKeys:
    return _partner("Hudson Software Vendor")


@pytest.fixture
def api(partner_a) -> PartnerApi:
    """Partner A with its test key."""
    return PartnerApi(partner_a.test)


@pytest.fixture
def api_live(partner_a) -> PartnerApi:
    return PartnerApi(partner_a.live)


@pytest.fixture
def api_b(partner_b) -> PartnerApi:
    return PartnerApi(partner_b.test)


def partner_draft(partner, *, livemode: bool = False, **sections) -> Application:
    return application_create_draft(actor=Actor.for_partner(partner), channel="api", livemode=livemode, **sections)


def partner_endpoint(partner, url: str, *, livemode: bool = False, event_types=("*",)):
    """A webhook endpoint of ``partner`` (as its key would create it) and its secret."""
    return webhook_endpoint_create(
        partner=partner, actor=Actor.for_partner(partner), url=url, event_types=list(event_types), livemode=livemode
    )


def errors_by_attr(response) -> dict:
    body = response.json()
    return {error["attr"]: error for error in body["errors"]}


def merchant_for(application: Application):
    """Put a draft through to a merchant without the checks (what submission creates)."""
    from onboarding.services.merchants import merchant_create_for

    merchant = merchant_create_for(application=application, actor=Actor.system("tests"))
    Application.objects.filter(pk=application.pk).update(merchant=merchant, state="submitted")
    application.refresh_from_db()
    return merchant


def sign_as_merchant(application: Application) -> None:
    """The merchant signs the agreement themselves (partners never do): through their own account."""
    from onboarding.services.agreements import application_sign_agreement
    from tests.factories import UserFactory

    user = UserFactory()
    Application.objects.filter(pk=application.pk).update(applicant=user)
    application.refresh_from_db()
    application_sign_agreement(
        application=application,
        actor=Actor.for_user(user),
        signer_name="Wen Zhao",
        signer_title="Managing member",
        ip_address="203.0.113.7",
        user_agent="pytest",
    )
