"""Duplicates and velocity compare an application with data of its own mode only: live with live; test
with the same partner's test data, since every partner's tests share the documented test tax ids."""

import pytest

from onboarding.kyc.pipeline import run_checks
from onboarding.models import Outcome
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from tests.factories import draft_application
from tests.onboarding.testmode.helpers import partner_named, submitted

pytestmark = pytest.mark.django_db
SAME = "42-4242424"  # the same tax id, owner SSN and bank account on every application below


def duplicates(application):
    return run_checks(application)["duplicates"]


def elsewhere(result) -> set[str]:
    """The matches outside the application's own merchant (those are listed, never a duplicate)."""
    return {m["other"] for m in result.details["matches"] if not m["same_merchant"]}


@pytest.mark.parametrize("first_mode", [True, False])
def test_a_test_application_and_a_live_one_are_never_duplicates_of_each_other(first_mode):
    first = submitted(livemode=first_mode, tax_id=SAME)
    other = submitted(livemode=not first_mode, tax_id=SAME)
    for application in (first, other):
        result = duplicates(application)
        assert result.outcome == Outcome.PASS and elsewhere(result) == set()


def test_live_applications_still_find_each_other():
    first = submitted(livemode=True, tax_id=SAME)
    second = submitted(livemode=True, tax_id=SAME)
    submitted(livemode=False, tax_id=SAME)
    result = duplicates(second)
    assert result.outcome == Outcome.REVIEW
    assert elsewhere(result) == {first.public_id, first.merchant.public_id}


def test_test_applications_find_the_same_partners_test_data_only():
    own = submitted(livemode=False, tax_id=SAME)
    submitted(livemode=False, tax_id=SAME, partner=partner_named("Another ISO"))
    again = submitted(livemode=False, tax_id=SAME)
    result = duplicates(again)
    assert result.outcome == Outcome.REVIEW
    assert elsewhere(result) == {own.public_id, own.merchant.public_id}
    assert {m["kind"] for m in result.details["matches"]} == {"tax_id", "person_id_number", "bank_account"}


def test_partner_velocity_counts_submissions_of_the_same_mode():
    partner = partner_named()
    partner.max_submissions_per_hour = 2
    partner.save()
    tests = [submitted(livemode=False, tax_id=f"12-345678{n}") for n in range(3)]
    live = [submitted(livemode=True, tax_id=f"22-345678{n}") for n in range(2)]
    assert run_checks(tests[2])["velocity"].outcome == Outcome.REVIEW  # three test submissions
    for application in live:
        result = run_checks(application)["velocity"]
        assert result.outcome == Outcome.PASS and result.details["count"] == live.index(application) + 1


def test_web_velocity_counts_submissions_of_the_same_mode(settings):
    settings.VELOCITY_WEB_MAX_PER_IP = 1
    ip = "198.51.100.20"

    def submit(livemode):
        application = draft_application(livemode=livemode)
        return application_submit(application=application, actor=Actor.for_user(application.applicant), ip_address=ip)

    first_test, second_test = submit(False), submit(False)
    live = submit(True)
    assert run_checks(second_test)["velocity"].details["count"] == 2
    assert run_checks(second_test)["velocity"].outcome == Outcome.REVIEW
    result = run_checks(live)["velocity"]
    assert result.outcome == Outcome.PASS and result.details["count"] == 1
    assert run_checks(first_test)["velocity"].details["count"] == 1
