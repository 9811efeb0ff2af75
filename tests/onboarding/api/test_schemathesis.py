"""Schema-driven tests of every endpoint (schemathesis, through the WSGI application): no server error,
and every status code, content type and body as the schema says; then partner A's ids with partner B's
key, which must find nothing. Every path with an id gets partner A's object of its collection."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.wsgi import application as wsgi_application
from tests.factories import valid_draft
from tests.onboarding.api.conftest import merchant_for, partner_draft, partner_endpoint

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# Loaded once at collection (no database needed): one test per operation. (The lazy fixture loader of
# this schemathesis release does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request's end must not close the test's connection (its transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def partner_a_objects(partner_a, settings, receiver):
    """Partner A's test application (a full draft), merchant and webhook endpoint (pinged on a receiver on
    127.0.0.1), by the collection their paths start with."""
    settings.PARTNER_API_REQUESTS_PER_MINUTE = 100_000
    draft = partner_draft(partner_a.partner, **valid_draft())
    merchant = merchant_for(partner_draft(partner_a.partner, **valid_draft()))
    endpoint, _secret = partner_endpoint(partner_a.partner, receiver.url)
    return {"applications": draft.public_id, "merchants": merchant.public_id, "webhook_endpoints": endpoint.public_id}


def _use_real_ids(case, ids: dict) -> None:
    if "public_id" in (case.path_parameters or {}):
        collection = case.operation.path.split("/")[3]
        case.path_parameters["public_id"] = ids[collection]


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_every_endpoint_conforms_to_its_schema(case, partner_a, partner_a_objects):
    _use_real_ids(case, partner_a_objects)
    case.call_and_validate(headers={"Authorization": f"Bearer {partner_a.test}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.include(path_regex=r"\{public_id\}").parametrize()
@EXAMPLES
def test_another_partners_ids_find_nothing(case, partner_a, partner_b, partner_a_objects):
    _use_real_ids(case, partner_a_objects)
    response = case.call_and_validate(headers={"Authorization": f"Bearer {partner_b.test}"}, checks=CHECKS)
    # Whatever was sent (schemathesis also drops the key, mangles headers and tries other methods), none
    # of partner A's objects is found, changed or shown.
    assert not 200 <= response.status_code < 300
    assert response.status_code in (400, 401, 404, 405, 406, 415)
    for public_id in partner_a_objects.values():
        assert public_id not in response.text
