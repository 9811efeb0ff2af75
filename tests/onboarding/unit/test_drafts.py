"""Creating and editing drafts: precise field errors, nothing half-written, stable ids."""

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application, Party, Store, TerminalRequest
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft, application_update_draft
from onboarding.states import AppState
from tests.factories import UserFactory, application_in_state, draft_application, valid_draft

pytestmark = pytest.mark.django_db


def test_a_valid_draft_is_stored_with_every_section():
    application = draft_application()
    assert application.state == AppState.DRAFT
    assert application.public_id.startswith("app_") and len(application.public_id) == 24
    assert application.parties.count() == 2
    assert application.parties.get(is_control_person=True).title == "Managing member"
    assert application.bank_account.account_last4 == "7765"
    assert application.stores.get().terminals.count() == 1
    assert sorted(application.wallet_requests.values_list("wallet", flat=True)) == ["alipay", "wechat_pay"]
    assert application.tax_id == "462811507" and application.tax_id_last4 == "1507"


def test_every_bad_field_is_reported_and_nothing_is_written():
    user = UserFactory()
    bad = valid_draft(
        business={
            "tax_id": "00-0000000",
            "mcc": "58",
            "address_state": "ZZ",
            "address_postal_code": "1234",
            "monthly_volume_cents": -5,
            "entity_type": "unicorn",
        },
        bank_account={"routing_number": "021000022", "account_number": "12"},
    )
    bad["parties"][0]["ownership_percent"] = 140
    bad["parties"][1]["date_of_birth"] = "2199-01-01"
    bad["parties"][1]["id_number"] = "000-12-3456"
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(user), **bad)
    fields = caught.value.fields
    for key in (
        "business.tax_id",
        "business.mcc",
        "business.address_state",
        "business.address_postal_code",
        "business.monthly_volume_cents",
        "business.entity_type",
        "bank_account.routing_number",
        "bank_account.account_number",
        "parties[0].ownership_percent",
        "parties[1].date_of_birth",
        "parties[1].id_number",
    ):
        assert key in fields, key
    assert fields["bank_account.routing_number"] == ["This is not a valid ABA routing number."]
    assert Application.objects.count() == 0 and Party.objects.count() == 0


def test_a_failed_update_leaves_the_previous_data_whole():
    application = draft_application()
    parties = valid_draft()["parties"]
    parties[1]["id_number"] = "not a number"
    with pytest.raises(ValidationFailed):
        application_update_draft(
            application=application,
            actor=Actor.for_user(application.applicant),
            business={"legal_name": "Renamed LLC"},
            parties=parties,
        )
    application.refresh_from_db()
    assert application.legal_name == "Pearl River Noodle Bar LLC"
    assert application.parties.get(last_name="Delgado").id_number == "318609912"


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(UserFactory()), business={"favourite_colour": "red"})
    assert caught.value.fields == {"business.favourite_colour": ["Unknown field."]}


def test_two_control_persons_are_refused():
    parties = valid_draft()["parties"]
    parties[1]["is_control_person"] = True
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(actor=Actor.for_user(UserFactory()), parties=parties)
    assert "Name exactly one control person." in caught.value.fields["parties"]


def test_only_a_sole_proprietor_uses_an_ssn_as_tax_id():
    with pytest.raises(ValidationFailed) as caught:
        application_create_draft(
            actor=Actor.for_user(UserFactory()), business={"tax_id_type": "ssn", "tax_id": "212-54-3321"}
        )
    assert "business.tax_id_type" in caught.value.fields


def test_items_keep_their_ids_when_updated_in_place_and_missing_items_go():
    application = draft_application()
    actor = Actor.for_user(application.applicant)
    wen = application.parties.get(first_name="Wen")
    store = application.stores.get()
    terminal = store.terminals.get()
    parties = [{"public_id": wen.public_id, "ownership_percent": 100}]
    stores = [
        {
            "public_id": store.public_id,
            "name": "Mott St.",
            "terminals": [{"public_id": terminal.public_id}, {"device_type": "bbpos_wisepos_e"}],
        }
    ]
    application_update_draft(application=application, actor=actor, parties=parties, stores=stores)
    assert list(application.parties.values_list("public_id", flat=True)) == [wen.public_id]
    wen.refresh_from_db()
    assert wen.ownership_percent == 100 and wen.id_number == "212543321"  # sensitive value kept when not resent
    assert Store.objects.get(pk=store.pk).name == "Mott St."
    assert TerminalRequest.objects.filter(store=store).count() == 2
    assert TerminalRequest.objects.filter(public_id=terminal.public_id).exists()


def test_a_new_application_cannot_take_over_another_ones_items():
    other = draft_application()
    theirs, their_store = other.parties.get(first_name="Wen"), other.stores.get()
    with pytest.raises(ValidationFailed) as refused:
        application_create_draft(
            actor=Actor.for_user(UserFactory()),
            parties=[{"public_id": theirs.public_id, "first_name": "Wen"}],
            stores=[{"public_id": their_store.public_id, "name": "Mott St."}],
        )
    assert {"parties[0].public_id", "stores[0].public_id"} <= set(refused.value.fields)
    assert Party.objects.get(pk=theirs.pk).application_id == other.pk and other.parties.count() == 2


def test_a_store_added_by_an_update_gets_its_terminals_and_the_others_keep_theirs():
    application = draft_application()
    store = application.stores.get()
    kept = {"public_id": store.public_id, "terminals": [{"public_id": store.terminals.get().public_id}]}
    added = {**valid_draft()["stores"][0], "name": "Grand Street",
             "terminals": [{"device_type": "stripe_s700"}, {"device_type": "bbpos_wisepos_e"}]}  # fmt: skip
    application_update_draft(application=application, actor=Actor.for_user(application.applicant),
                             stores=[kept, added])  # fmt: skip
    assert store.terminals.count() == 1
    assert sorted(application.stores.get(name="Grand Street").terminals.values_list("device_type", flat=True)) == [
        "bbpos_wisepos_e", "stripe_s700"]  # fmt: skip


def test_moving_the_control_person_between_parties():
    application = draft_application()
    actor = Actor.for_user(application.applicant)
    wen, rosa = application.parties.order_by("position")
    application_update_draft(
        application=application,
        actor=actor,
        parties=[
            {"public_id": wen.public_id, "is_control_person": False},
            {"public_id": rosa.public_id, "is_control_person": True, "title": "CEO"},
        ],
    )
    assert application.parties.get(is_control_person=True).pk == rosa.pk


@pytest.mark.parametrize("state", [AppState.SUBMITTED, AppState.IN_REVIEW, AppState.APPROVED, AppState.DECLINED])
def test_data_is_frozen_outside_draft_and_info_requested(state):
    application = application_in_state(state)
    with pytest.raises(InvalidTransition, match="can no longer be changed"):
        application_update_draft(
            application=application, actor=Actor.for_user(application.applicant), business={"dba": "X"}
        )


def test_info_requested_application_can_be_corrected():
    application = application_in_state(AppState.INFO_REQUESTED)
    application_update_draft(
        application=application, actor=Actor.for_user(application.applicant), business={"dba": "Pearl River"}
    )
    assert Application.objects.get(pk=application.pk).dba == "Pearl River"


def test_another_user_cannot_edit():
    application = draft_application()
    with pytest.raises(PermissionDenied):
        application_update_draft(application=application, actor=Actor.for_user(UserFactory()), business={"dba": "X"})


def test_removing_a_person_from_a_draft_takes_their_id_document_along():
    application = draft_application()
    wen = application.parties.get(first_name="Wen")
    application_update_draft(application=application, actor=Actor.for_user(application.applicant),
                             parties=[{"public_id": wen.public_id, "ownership_percent": 100}])  # fmt: skip
    assert not application.documents.filter(party__last_name="Delgado").exists()
    assert application.documents.filter(party=wen).exists()


def test_a_person_with_records_under_review_cannot_be_removed_after_submission():
    application = draft_application()
    Application.objects.filter(pk=application.pk).update(state=AppState.INFO_REQUESTED)
    wen = application.parties.get(first_name="Wen")
    with pytest.raises(ValidationFailed) as caught:
        application_update_draft(application=application, actor=Actor.for_user(application.applicant),
                                 parties=[{"public_id": wen.public_id, "ownership_percent": 100}])  # fmt: skip
    assert "Rosa Delgado: records under review" in caught.value.fields["parties"][0]
    assert application.parties.count() == 2
