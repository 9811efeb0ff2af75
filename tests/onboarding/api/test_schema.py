"""The OpenAPI schema is generated from the code without a warning, and its docs are served locally."""

import pytest
from django.core.management import call_command
from django.test import Client


def test_the_schema_validates_without_warnings(tmp_path):
    # Fails on any warning: an endpoint, field or error the generator could not describe.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    for path in (
        "applications:",
        "applications/{public_id}/submit:",
        "applications/{public_id}/onboarding_links:",
        "merchants/{public_id}/terminals:",
        "webhook_endpoints:",
        "webhook_endpoints/{public_id}/ping:",
        "webhook_endpoints/{public_id}/deliveries:",
        "events:",
    ):
        assert f"/api/v1/{path}" in text


@pytest.mark.django_db
def test_schema_and_docs_need_no_key_and_no_cdn():
    client = Client()
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    document = schema.json()
    assert document["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"
    assert "Idempotency-Key" in str(document["paths"]["/api/v1/applications"]["post"]["parameters"])
    for page in ("/api/docs/", "/api/docs/redoc/"):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert not any(outside in html for outside in ("cdn.", "unpkg", "jsdelivr", "googleapis", "gstatic"))
        assert "/static/drf_spectacular_sidecar/" in html
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "script-src 'self' 'unsafe" not in policy


@pytest.mark.django_db
def test_every_operation_documents_its_errors_and_request_id():
    document = Client().get("/api/v1/schema/", {"format": "json"}).json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            if "{public_id}" in path:
                assert "404" in responses, (method, path)
            for response in responses.values():
                assert "Request-Id" in response.get("headers", {}), (method, path)
            assert operation.get("summary"), (method, path)
