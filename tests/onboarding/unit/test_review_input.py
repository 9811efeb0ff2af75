"""What the merchant, partner or officer types into the review services (an answer, a message, a note,
the submitting address) is cleaned like every other input: bad values are field errors, nothing written."""

import pytest

from onboarding.errors import ValidationFailed
from onboarding.models import Application, Event, InfoRequest
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_answer_info,
    application_decline,
    application_request_info,
    application_submit,
    application_withdraw,
)
from onboarding.states import AppState
from tests.factories import application_in_state, draft_application, officer

pytestmark = pytest.mark.django_db
BAD_TEXT = [
    None,
    "",
    "   ",
    42,
    ["a list"],
    {"a": "dict"},
    "nul\x00inside",
    "lone \ud800 surrogate",
    "bell\x07",
    "x" * 20_001,
]


def unchanged(application, before_events):
    application.refresh_from_db()
    return Event.objects.filter(application=application).count() == before_events


@pytest.mark.parametrize("answer", BAD_TEXT)
def test_a_bad_answer_is_a_field_error_and_changes_nothing(answer):
    application = application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True)
    request = InfoRequest.objects.create(application=application, message="?", requested_by=officer(),
                                         due_at="2099-01-01T00:00:00Z")  # fmt: skip
    events = Event.objects.filter(application=application).count()
    with pytest.raises(ValidationFailed) as refused:
        application_answer_info(application=application, actor=Actor.for_user(application.applicant), answer=answer)
    assert list(refused.value.fields) == ["answer"]
    assert unchanged(application, events) and application.state == AppState.INFO_REQUESTED
    assert InfoRequest.objects.get(pk=request.pk).answered_at is None


@pytest.mark.parametrize("message", BAD_TEXT)
def test_a_bad_information_request_is_a_field_error_and_changes_nothing(message):
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    with pytest.raises(ValidationFailed) as refused:
        application_request_info(application=application, actor=Actor.for_user(officer()), message=message)
    assert list(refused.value.fields) == ["message"]
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW


@pytest.mark.parametrize("address", ["1.2.3.4, 5.6.7.8", "not an address", 12345, "fe80::1%eth0"])
def test_a_bad_submitting_address_is_a_field_error_and_submits_nothing(address):
    application = draft_application()
    with pytest.raises(ValidationFailed) as refused:
        application_submit(application=application, actor=Actor.for_user(application.applicant), ip_address=address)
    assert list(refused.value.fields) == ["ip_address"]
    assert Application.objects.get(pk=application.pk).state == AppState.DRAFT


@pytest.mark.parametrize("note", [42, "nul\x00inside", "lone \ud800 surrogate"])
def test_bad_notes_and_reasons_are_field_errors(note):
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    with pytest.raises(ValidationFailed):
        application_decline(application=application, actor=Actor.for_user(officer()), reason_code="other", note=note)
    with pytest.raises(ValidationFailed):
        application_withdraw(application=application, actor=Actor.for_user(application.applicant), reason=note)
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW
