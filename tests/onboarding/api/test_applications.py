"""Applications through the API: the whole nested payload at once or section by section, personal data
write-only, the services' field paths in errors, filters and cursors, submit, withdraw and answers."""

import json

import pytest

from onboarding.models import Application, Event
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info
from tests.factories import officer, upload_documents, valid_draft
from tests.onboarding.api.conftest import errors_by_attr, partner_draft, sign_as_merchant

pytestmark = pytest.mark.django_db
SECRETS = ("46-2811507", "462811507", "212-54-3321", "212543321", "482910337765", "1980-05-17")


def create(api, **overrides):
    response = api.post("/applications", valid_draft(**overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_with_the_whole_payload(api, partner_a):
    response = api.post("/applications", {"external_id": "crm-1", **valid_draft()})
    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/applications/{body['id']}")
    assert response["ETag"]
    assert body["object"] == "application" and body["state"] == "draft"
    assert body["livemode"] is False and body["external_id"] == "crm-1"
    assert body["business"]["legal_name"] == "Pearl River Noodle Bar LLC"
    assert body["business"]["tax_id_last4"] == "1507" and "tax_id" not in body["business"]
    assert body["business"]["monthly_volume_cents"] == 3_200_000 and body["business"]["currency"] == "USD"
    owner = body["parties"][0]
    assert owner["id"].startswith("pty_") and owner["id_number_last4"] == "3321"
    assert owner["date_of_birth_provided"] is True and "date_of_birth" not in owner and "id_number" not in owner
    assert body["bank_account"]["account_last4"] == "7765" and "account_number" not in body["bank_account"]
    assert body["stores"][0]["terminals"][0]["device_type"] == "stripe_s700"
    assert {(w["wallet"], w["channel"]) for w in body["wallets"]} == {("wechat_pay", "in_store"), ("alipay", "online")}
    assert body["created"].endswith("Z") and body["updated"].endswith("Z")
    text = response.content.decode()
    assert not any(secret in text for secret in SECRETS)
    application = Application.objects.get(public_id=body["id"])
    assert application.partner == partner_a.partner and application.channel == "api" and not application.livemode


def test_a_live_key_creates_live_data(api_live):
    assert create(api_live)["livemode"] is True


def test_create_empty_then_patch_sections(api):
    created = api.post("/applications", {})
    assert created.status_code == 201
    app_id = created.json()["id"]
    draft = valid_draft()
    for section in ("business", "parties", "bank_account", "stores", "wallets"):
        response = api.patch(f"/applications/{app_id}", {section: draft[section]})
        assert response.status_code == 200, response.json()
    body = api.get(f"/applications/{app_id}").json()
    assert body["business"]["dba"] == "Pearl River Noodles" and len(body["parties"]) == 2
    # Items sent back with their id keep it; a collection sent replaces the whole collection.
    first = body["parties"][0]
    kept = {"id": first["id"], "first_name": "Wendy", "last_name": "Zhao", "ownership_percent": 100,
            "is_control_person": True}  # fmt: skip
    response = api.patch(f"/applications/{app_id}", {"parties": [kept]})
    assert response.status_code == 200
    assert [(p["id"], p["first_name"]) for p in response.json()["parties"]] == [(first["id"], "Wendy")]


def test_validation_errors_carry_the_services_paths(api):
    payload = valid_draft()
    payload["parties"][1]["date_of_birth"] = "2999-01-01"
    payload["business"]["mcc"] = 5812
    payload["stores"][0]["terminals"][0]["device_type"] = "toaster"
    response = api.post("/applications", payload)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    errors = errors_by_attr(response)
    assert errors[None]["code"] == "validation_failed"
    assert {"parties[1].date_of_birth", "business.mcc", "stores[0].terminals[0].device_type"} <= set(errors)
    assert not Application.objects.exists()


def test_unknown_fields_are_named(api):
    response = api.post("/applications", {"busines": {}})
    assert response.status_code == 400 and "busines" in errors_by_attr(response)
    response = api.post("/applications", {"business": {"tax_id_last4": "1234"}})
    assert response.status_code == 400 and "business.tax_id_last4" in errors_by_attr(response)


def test_an_unknown_item_id_is_named_by_its_api_path(api):
    app_id = create(api)["id"]
    response = api.patch(f"/applications/{app_id}", {"parties": [{"id": "pty_nope", "first_name": "A"}]})
    assert response.status_code == 400
    assert "parties[0].id" in errors_by_attr(response)


def test_external_id_is_unique_per_partner_and_mode(api, api_live, api_b):
    assert api.post("/applications", {"external_id": "crm-7"}).status_code == 201
    again = api.post("/applications", {"external_id": "crm-7"})
    assert again.status_code == 400 and "external_id" in errors_by_attr(again)
    assert api_b.post("/applications", {"external_id": "crm-7"}).status_code == 201
    assert api_live.post("/applications", {"external_id": "crm-7"}).status_code == 201


def test_json_only(api, partner_a):
    response = api.client.post(
        "/api/v1/applications",
        "legal_name=x",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {partner_a.test}", "Idempotency-Key": "k1"},
    )
    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    malformed = api.client.post(
        "/api/v1/applications",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {partner_a.test}", "Idempotency-Key": "k2"},
    )
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["code"] == "parse_error"


def test_a_json_body_that_is_not_an_object(api):
    response = api.post("/applications", [1, 2])
    assert response.status_code == 400 and response.json()["type"] == "validation_error"


def test_the_list_never_decrypts_the_numbers_it_shows_by_their_last_four_digits(api, monkeypatch):
    from onboarding import crypto

    create(api)
    decrypted, decrypt = [], crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.append(decrypt(token)) or decrypted[-1])
    listed = api.get("/applications").json()["results"]
    assert listed[0]["business"]["tax_id_last4"] == "1507" and listed[0]["parties"][0]["date_of_birth_provided"]
    assert not set(decrypted) & {"462811507", "212543321", "318609912", "482910337765"}


def test_list_filters_and_cursor(api, partner_a):
    first = create(api)
    second = api.post("/applications", {"external_id": "crm-9"}).json()
    Application.objects.filter(public_id=first["id"]).update(state="in_review")
    listed = api.get("/applications", {"limit": 1})
    assert listed.status_code == 200
    page = listed.json()
    assert [a["id"] for a in page["results"]] == [second["id"]]
    following = api.client.get(page["next"], headers={"Authorization": f"Bearer {partner_a.test}"}).json()
    assert [a["id"] for a in following["results"]] == [first["id"]] and following["next"] is None
    assert [a["id"] for a in api.get("/applications", {"state": "in_review"}).json()["results"]] == [first["id"]]
    assert [a["id"] for a in api.get("/applications", {"external_id": "crm-9"}).json()["results"]] == [second["id"]]
    created = Application.objects.get(public_id=second["id"]).created_at
    after = api.get("/applications", {"created_gte": created.isoformat()}).json()["results"]
    assert [a["id"] for a in after] == [second["id"]]
    assert api.get("/applications", {"updated_lt": "2000-01-01T00:00:00Z"}).json()["results"] == []


def test_a_bad_filter_is_a_validation_error(api):
    response = api.get("/applications", {"created_gte": "yesterday", "state": "nonsense"})
    assert response.status_code == 400
    assert {"created_gte", "state"} <= set(errors_by_attr(response))


def test_update_only_while_draft_or_info_requested(api):
    app_id = create(api)["id"]
    Application.objects.filter(public_id=app_id).update(state="in_review")
    response = api.patch(f"/applications/{app_id}", {"business": {"dba": "Later"}})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "invalid_transition"
    Application.objects.filter(public_id=app_id).update(state="info_requested")
    assert api.patch(f"/applications/{app_id}", {"business": {"dba": "Later"}}).status_code == 200


def test_submit_names_what_is_missing(api):
    app_id = api.post("/applications", {"business": {"legal_name": "Half Done LLC"}}).json()["id"]
    response = api.post(f"/applications/{app_id}/submit")
    assert response.status_code == 400
    errors = errors_by_attr(response)
    assert {"business.tax_id", "bank_account.routing_number", "wallets", "agreement"} <= set(errors)
    assert Application.objects.get(public_id=app_id).state == "draft"


def test_submit_a_complete_application(api, partner_a):
    app_id = create(api)["id"]
    application = Application.objects.get(public_id=app_id)
    upload_documents(application)
    sign_as_merchant(application)
    response = api.post(f"/applications/{app_id}/submit")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] in ("submitted", "screening", "in_review", "approved")
    assert body["merchant"].startswith("mer_") and body["submitted_at"].endswith("Z")
    merchant = api.get(f"/merchants/{body['merchant']}").json()
    assert merchant["livemode"] is False and merchant["state"] == "onboarding"
    assert {w["wallet"] for w in merchant["wallets"]} == {"wechat_pay", "alipay"}
    again = api.post(f"/applications/{app_id}/submit")
    assert again.status_code == 409


def test_withdraw(api):
    app_id = create(api)["id"]
    response = api.post(f"/applications/{app_id}/withdraw", {"reason": "The merchant changed their mind."})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert api.post(f"/applications/{app_id}/withdraw", {}).status_code == 409
    assert api.post(f"/applications/{app_id}/withdraw", {"why": "x"}).status_code == 400


def test_answer_an_information_request(api, partner_a):
    application = partner_draft(partner_a.partner, **valid_draft())
    Application.objects.filter(pk=application.pk).update(state="in_review")
    application.refresh_from_db()
    reviewer = officer()
    application_request_info(
        application=application, actor=Actor.for_user(reviewer), message="Please confirm the store's address."
    )
    shown = api.get(f"/applications/{application.public_id}").json()
    assert shown["state"] == "info_requested"
    assert shown["information_request"]["message"] == "Please confirm the store's address."
    path = f"/applications/{application.public_id}/information_request/answer"
    empty = api.post(path, {"answer": ""})
    assert empty.status_code == 400 and "answer" in errors_by_attr(empty)
    response = api.post(path, {"answer": "The address is correct."})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] in ("in_review", "screening") and response.json()["information_request"] is None
    assert api.post(path, {"answer": "Again."}).status_code == 409


def test_events_show_only_what_the_merchant_may_read(api, partner_a):
    app_id = create(api)["id"]
    api.post(f"/applications/{app_id}/withdraw", {"reason": "Internal reason text"})
    response = api.get(f"/applications/{app_id}/events")
    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["code"] for e in events] == ["withdrawn", "created"]
    assert all(e["text"] for e in events)
    assert "Internal reason text" not in response.content.decode()
    application = Application.objects.get(public_id=app_id)
    internal = Event.objects.filter(application=application, visibility=Event.Visibility.INTERNAL)
    assert internal.exists()
    assert not {e.public_id for e in internal} & {e["id"] for e in events}


def test_requirements(api):
    app_id = api.post("/applications", {"business": {"legal_name": "Half Done LLC"}}).json()["id"]
    response = api.get(f"/applications/{app_id}/requirements")
    assert response.status_code == 200
    body = response.json()
    assert "business.tax_id" in body["currently_due"] and "business.legal_name" not in body["currently_due"]
    assert isinstance(body["wallets"], list) and isinstance(body["errors"], list)


def test_a_decline_reads_like_any_other(api, partner_a):
    from onboarding.services.applications import application_decline

    application = partner_draft(partner_a.partner, **valid_draft())
    Application.objects.filter(pk=application.pk).update(state="in_review")
    application.refresh_from_db()
    reviewer = officer()
    application_decline(
        application=application, actor=Actor.for_user(reviewer), reason_code="sanctions_match", note="OFAC SDN hit"
    )
    text = json.dumps(
        [
            api.get(f"/applications/{application.public_id}").json(),
            api.get(f"/applications/{application.public_id}/events").json(),
            api.get(f"/applications/{application.public_id}/requirements").json(),
        ]
    ).lower()
    assert "declined" in text
    assert "sanction" not in text and "ofac" not in text and "sdn" not in text


def test_the_readme_example_with_the_demo_key():
    from onboarding.demo import DEMO_PARTNER_KEY
    from onboarding.services.partners import partner_api_key_create, partner_create
    from tests.onboarding.api.conftest import PartnerApi

    system = Actor.system("tests")
    partner = partner_create(actor=system, name="Bay Area Payments ISO", kind="iso")
    partner_api_key_create(partner=partner, actor=system, mode="test", secret=DEMO_PARTNER_KEY)
    api = PartnerApi(DEMO_PARTNER_KEY)
    body = {"external_id": "crm-42", "business": {"legal_name": "Golden Gate Tea House LLC", "mcc": "5812"}}
    created = api.post("/applications", body)
    assert created.status_code == 201 and created.json()["livemode"] is False
    requirements = api.get(f"/applications/{created.json()['id']}/requirements")
    assert requirements.status_code == 200 and "business.tax_id" in requirements.json()["currently_due"]
