"""Review cases on live merchants: one open case per reason, closed by an officer."""

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import Event, Merchant, ReviewCase
from onboarding.services.actors import Actor
from onboarding.services.cases import review_case_close, review_case_open
from tests.factories import officer

pytestmark = pytest.mark.django_db


def test_opening_twice_keeps_one_open_case_and_adds_the_details():
    merchant = Merchant.objects.create(legal_name="M", tax_id_type="ein", tax_id_index="i", state="active")
    system = Actor.system("rescreen")
    case, created = review_case_open(merchant=merchant, actor=system, reason_code="sanctions_new_hit",
                                     summary="New possible match", details={"hit": "h1"})  # fmt: skip
    again, created_again = review_case_open(merchant=merchant, actor=system, reason_code="sanctions_new_hit",
                                            summary="New possible match", details={"hit": "h2"})  # fmt: skip
    assert created and not created_again and again.pk == case.pk
    assert ReviewCase.objects.get().details["updates"][0]["hit"] == "h2"
    assert Event.objects.filter(action="review_case_opened", merchant=merchant).count() == 1


def test_an_officer_closes_a_case_and_a_new_one_can_open():
    merchant = Merchant.objects.create(legal_name="M", tax_id_type="ein", tax_id_index="i", state="active")
    case, _ = review_case_open(merchant=merchant, actor=Actor.system("t"), reason_code="eligibility_changed",
                               summary="WeChat Pay rules changed")  # fmt: skip
    with pytest.raises(PermissionDenied):
        review_case_close(case=case, actor=Actor.for_user(merchant.users.first() or _merchant_user()), resolution="x")
    closed = review_case_close(case=case, actor=Actor.for_user(officer()), resolution="Category still allowed.")
    assert closed.status == "closed" and closed.closed_by is not None
    with pytest.raises(InvalidTransition):
        review_case_close(case=case, actor=Actor.for_user(officer()), resolution="again")
    _, created = review_case_open(merchant=merchant, actor=Actor.system("t"), reason_code="eligibility_changed",
                                  summary="Changed again")  # fmt: skip
    assert created


def _merchant_user():
    from tests.factories import UserFactory

    return UserFactory()
