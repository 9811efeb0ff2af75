"""The rules of review cases on live merchants, enforced by the services whatever screen calls them."""

import datetime

import pytest

from onboarding.errors import DomainError, PermissionDenied
from onboarding.models import Event
from onboarding.services.actors import Actor
from onboarding.services.cases import review_case_close
from onboarding.services.merchants import merchant_reactivate, merchant_suspend, merchant_suspension
from onboarding.states import MerchantState
from sanctions.hits import hit_clear, hit_confirm
from sanctions.models import OfacReport
from sanctions.reporting import OFAC_TIME_ZONE, business_days_after, is_business_day

pytestmark = pytest.mark.django_db


def test_rescreening_suspends_for_the_hit_and_names_it_internally(suspended_case):
    assert suspended_case.merchant.state == MerchantState.SUSPENDED
    assert merchant_suspension(suspended_case.merchant).hits == (suspended_case.hit.public_id,)
    cause = Event.objects.get(subject_id=suspended_case.merchant.public_id, action="suspension_cause")
    assert cause.visibility == "internal"


def test_a_sanctions_case_with_an_open_hit_is_not_closed(suspended_case, compliance_officer):
    with pytest.raises(DomainError, match=suspended_case.hit.public_id):
        review_case_close(case=suspended_case.case, actor=Actor.for_user(compliance_officer), resolution="Done.")
    suspended_case.case.refresh_from_db()
    assert suspended_case.case.status == "open"
    assert not Event.objects.filter(action="review_case_closed").exists()


def test_a_sanctions_case_closes_once_every_hit_is_decided(suspended_case, compliance_officer):
    actor = Actor.for_user(compliance_officer)
    hit_clear(hit=suspended_case.hit, actor=actor, reason="Different person: date of birth differs.")
    closed = review_case_close(case=suspended_case.case, actor=actor, resolution="False positive, cleared.")
    assert closed.status == "closed"


def test_reactivation_is_refused_while_a_hit_is_open(suspended_case, senior):
    with pytest.raises(DomainError, match="still open"):
        merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(senior), reason="Looks fine.")
    suspended_case.merchant.refresh_from_db()
    assert suspended_case.merchant.state == MerchantState.SUSPENDED


def test_reactivation_is_refused_while_a_hit_is_confirmed(suspended_case, senior, other_senior):
    hit_confirm(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Same person, same date of birth.")
    with pytest.raises(DomainError, match="confirmed"):
        merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(other_senior), reason="Lift.")


def test_reactivation_is_refused_to_the_officer_who_cleared_the_hit(suspended_case, senior):
    hit_clear(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Different person.")
    with pytest.raises(DomainError, match="cleared the hit"):
        merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(senior), reason="Cleared.")


def test_reactivation_for_a_hit_is_refused_to_an_officer_who_is_not_senior(suspended_case, senior, compliance_officer):
    hit_clear(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Different person.")
    with pytest.raises(PermissionDenied):
        merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(compliance_officer), reason="Ok.")


def test_another_senior_officer_reactivates_once_the_hit_is_cleared(suspended_case, senior, other_senior):
    hit_clear(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Different person.")
    merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(other_senior), reason="Cleared.")
    suspended_case.merchant.refresh_from_db()
    assert suspended_case.merchant.state == MerchantState.ACTIVE


def test_suspension_and_reactivation_need_a_reason(suspended_case, senior):
    with pytest.raises(DomainError):
        merchant_reactivate(merchant=suspended_case.merchant, actor=Actor.for_user(senior), reason=" ")
    with pytest.raises(DomainError):
        merchant_suspend(merchant=suspended_case.merchant, actor=Actor.for_user(senior), reason="")


def test_a_confirmed_match_records_the_blocking_decision_and_the_ofac_due_date(suspended_case, senior):
    hit = hit_confirm(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Same person.")
    report = OfacReport.objects.get(hit=hit)
    assert report.decision == OfacReport.Decision.BLOCKED and report.confirmed_by == senior
    start = report.confirmed_at.astimezone(OFAC_TIME_ZONE).date()
    assert report.due_on == business_days_after(start, 10) and is_business_day(report.due_on)
    assert (report.due_on - start).days >= 12  # two working weeks: twelve days from a Sunday, fourteen from a weekday
    event = Event.objects.get(subject_id=hit.public_id, action="ofac_report_due")
    assert event.visibility == "internal" and event.details["due_on"] == report.due_on.isoformat()


@pytest.mark.parametrize(
    ("confirmed", "due"),
    [
        (datetime.date(2026, 12, 2), datetime.date(2026, 12, 16)),  # a Wednesday: two plain weeks
        (datetime.date(2026, 12, 18), datetime.date(2027, 1, 5)),  # Christmas (Fri) and New Year's Day (Fri)
        (datetime.date(2026, 11, 20), datetime.date(2026, 12, 7)),  # Thanksgiving, 26 November
        (datetime.date(2027, 6, 14), datetime.date(2027, 6, 29)),  # Juneteenth on a Saturday: Friday 18th off
        (datetime.date(2026, 1, 9), datetime.date(2026, 1, 26)),  # Martin Luther King Jr. Day, 19 January
    ],
)
def test_ten_business_days_skip_weekends_and_federal_holidays(confirmed, due):
    assert business_days_after(confirmed, 10) == due
