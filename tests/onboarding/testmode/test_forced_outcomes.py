"""The test values (docs/test_mode.md): in test mode each business tax id forces its outcome after the
checks have run; in live mode the same numbers are ordinary tax ids. A clean application with an ordinary
tax id is approved by the policy in either mode, so every difference below is the test value's doing."""

import pytest

from onboarding.kyc.forced_outcomes import TEST_TAX_IDS
from onboarding.kyc.pipeline import application_advance
from onboarding.kyc.registry import Check, CheckOutcome
from onboarding.models import CheckResult, Event
from onboarding.requirements import application_requirements
from onboarding.services.actors import Actor
from onboarding.services.applications import application_answer_info, application_decline
from onboarding.services.kyc_rules import decision_policy_revise
from onboarding.states import AppState
from tests.conftest import checks_replaced
from tests.factories import officer
from tests.onboarding.testmode.helpers import screened
from tests.sanctions.integration.helpers import person

pytestmark = pytest.mark.django_db
APPROVES, REVIEWS, DECLINES, LEAVES_DUE = "424242424", "333333333", "444444444", "555555555"
MORENO = person("Daniel", "Moreno", "1972-10-12", 100, True, ssn="318-60-9912")  # SDN 15102, exact date of birth


@pytest.fixture
def manual_policy(db):
    decision_policy_revise(actor=Actor.system("tests"), note="officers decide", auto_approve_enabled=False)


def shared_texts(application) -> list[tuple[str, str]]:
    events = Event.objects.filter(application=application, visibility=Event.Visibility.SHARED).order_by("id")
    return [(event.reason_code, event.public_text) for event in events]


def test_the_table_is_the_documented_one():
    assert TEST_TAX_IDS == {APPROVES: "approve", REVIEWS: "review", DECLINES: "decline", LEAVES_DUE: "requirement_due"}


@pytest.mark.parametrize(("tax_id", "in_test_mode"), [
    ("33-3333333", AppState.IN_REVIEW),
    ("44-4444444", AppState.DECLINED),
    ("55-5555555", AppState.INFO_REQUESTED),
    ("42-4242424", AppState.APPROVED),
    ("46-2811507", AppState.APPROVED),  # an ordinary tax id: what the policy decides
])  # fmt: skip
def test_each_test_value_forces_its_outcome_in_test_mode_only(fresh_list, tax_id, in_test_mode):
    test = screened(livemode=False, tax_id=tax_id)
    live = screened(livemode=True, tax_id=tax_id)
    assert test.state == in_test_mode
    assert live.state == AppState.APPROVED  # the same clean application, live: the policy approves it
    checks = set(CheckResult.objects.filter(application=test, is_current=True).values_list("check_name", flat=True))
    assert {"sanctions", "duplicates", "velocity", "tax_id"} <= checks  # screened like any other application


def test_the_approval_value_approves_what_the_policy_would_send_to_an_officer(fresh_list, manual_policy):
    assert screened(livemode=False, tax_id=APPROVES).state == AppState.APPROVED
    live = screened(livemode=True, tax_id=APPROVES)
    assert live.state == AppState.IN_REVIEW
    reasons = live.events.get(action="review_reasons").details["reasons"]
    assert not [r for r in reasons if "test" in r]


def test_the_approval_value_never_approves_past_a_sanctions_match(fresh_list):
    application = screened(livemode=False, tax_id=APPROVES, parties=[MORENO])
    assert application.state == AppState.IN_REVIEW and application.open_hit_count > 0
    reasons = application.events.get(action="review_reasons").details["reasons"]
    assert any("the test tax id forces approve, but:" in r and "sanctions" in r for r in reasons)


def test_the_review_value_sends_a_clean_application_to_the_officers_with_the_reason(fresh_list):
    application = screened(livemode=False, tax_id=REVIEWS)
    reasons = application.events.get(action="review_reasons").details["reasons"]
    assert reasons[-1] == "test mode: the test tax id forces review"
    assert not application.requires_second_approval


def test_a_forced_decline_reads_like_any_other_decline(fresh_list, manual_policy):
    forced = screened(livemode=False, tax_id=DECLINES)
    assert forced.state == AppState.DECLINED and forced.decline_reason_code == "checks_failed"
    by_officer = screened(livemode=False)
    application_decline(application=by_officer, actor=Actor.for_user(officer()), reason_code="sanctions_match")
    assert shared_texts(forced)[-1] == shared_texts(by_officer)[-1] == (
        "declined", "We are unable to approve your application at this time.")  # fmt: skip
    assert application_requirements(forced).as_dict() == application_requirements(by_officer).as_dict()


def test_the_requirement_value_leaves_the_tax_id_and_its_letter_currently_due(fresh_list):
    application = screened(livemode=False, tax_id=LEAVES_DUE)
    request = application.info_requests.get()
    assert request.requested_by is None and application.has_been_in_review
    due = application_requirements(application).overall.currently_due
    assert due == ["business.tax_id", "documents.ein_letter", "information_request"]
    assert [code for code, _ in shared_texts(application)][-2:] == ["under_review", "info_requested"]


def test_once_an_officer_has_had_it_the_test_value_decides_nothing(fresh_list):
    application = screened(livemode=False, tax_id=LEAVES_DUE)
    application_answer_info(application=application, actor=Actor.for_partner(application.partner), answer="Fixed.")
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW  # nothing changed: straight back to an officer
    assert application.info_requests.count() == 1


def test_an_officer_re_running_the_checks_gets_the_policys_decision_not_the_test_values(fresh_list):
    from onboarding.services.applications import application_rerun_checks

    application = screened(livemode=False, tax_id=REVIEWS)
    application_rerun_checks(application=application, actor=Actor.for_user(officer()))
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    first, second = application.events.filter(action="review_reasons").order_by("id")
    assert "test mode: the test tax id forces review" in first.details["reasons"]
    assert not [r for r in second.details["reasons"] if "test" in r]
    assert "an officer has already reviewed this application" in second.details["reasons"]


def test_the_approval_value_never_approves_past_a_failed_check(fresh_list):
    class RoutingNumberFails(Check):
        """Stands in for the routing number check, failing (the drafts refuse an invalid number earlier)."""

        name = "routing_number"
        reads = ("bank_account",)

        def run(self, application):
            return CheckOutcome.failed(problem="not a valid ABA routing number")

    with checks_replaced(RoutingNumberFails):
        application = screened(livemode=False, tax_id=APPROVES)
    assert application.state == AppState.IN_REVIEW
    reasons = application.events.get(action="review_reasons").details["reasons"]
    assert any("forces approve, but:" in r and "routing_number: fail" in r for r in reasons)
