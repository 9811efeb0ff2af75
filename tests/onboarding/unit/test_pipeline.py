"""The check pipeline run in-process: results as history, idempotence, selective re-runs, the decision."""

import pytest

from onboarding.kyc.pipeline import application_advance, run_checks
from onboarding.kyc.registry import registered_checks
from onboarding.models import Application, CheckResult, Event, Merchant, Outcome
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.drafts import application_update_draft
from onboarding.states import AppState
from tests.conftest import checks_replaced
from tests.factories import application_in_state, draft_application

pytestmark = pytest.mark.django_db
CHECKS = {"required_fields", "tax_id", "owner_identifiers", "routing_number", "ownership", "sanctions", "duplicates",
          "addresses", "documents", "velocity", "name_consistency", "wallet_eligibility"}  # fmt: skip


def submitted() -> Application:
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    return application


def current(application) -> dict[str, CheckResult]:
    return {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}


def test_the_registered_checks_and_what_they_read():
    checks = {check.name: check for check in registered_checks()}
    assert set(checks) == CHECKS
    assert checks["routing_number"].reads == ("bank_account",)
    assert "parties" in checks["ownership"].reads


def test_a_passing_application_goes_to_review_because_sanctions_did_not_run():
    application = submitted()
    assert application_advance(public_id=application.public_id) == AppState.IN_REVIEW
    results = current(application)
    assert set(results) == CHECKS
    assert results["sanctions"].outcome == Outcome.NOT_RUN
    assert all(r.outcome == Outcome.PASS for name, r in results.items() if name != "sanctions")
    application.refresh_from_db()
    assert application.has_been_in_review
    reasons = Event.objects.get(application=application, action="review_reasons")
    assert reasons.visibility == "internal"
    assert [r for r in reasons.details["reasons"] if not r.startswith("risk score")] == ["sanctions: not_run"]


def test_advancing_again_writes_nothing():
    application = submitted()
    application_advance(public_id=application.public_id)
    rows, events = CheckResult.objects.count(), Event.objects.count()
    assert application_advance(public_id=application.public_id) == AppState.IN_REVIEW
    run_checks(application)
    assert (CheckResult.objects.count(), Event.objects.count()) == (rows, events)


def test_a_changed_section_reruns_only_the_checks_that_read_it():
    application = submitted()
    application_advance(public_id=application.public_id)
    before = current(application)
    Application.objects.filter(pk=application.pk).update(state=AppState.INFO_REQUESTED)
    application_update_draft(
        application=application,
        actor=Actor.for_user(application.applicant),
        bank_account={"routing_number": "121000358", "account_number": "99887766"},
    )
    run_checks(application)
    after = current(application)
    rerun = {name for name in CHECKS if after[name].pk != before[name].pk}
    readers = {c.name for c in registered_checks() if "bank_account" in c.reads}
    assert rerun == readers == {"required_fields", "routing_number", "sanctions", "duplicates", "name_consistency"}
    assert CheckResult.objects.filter(application=application, check_name="routing_number").count() == 2
    assert after["routing_number"].details["account_number"] == "•••• 7766"


def test_checks_fail_on_bad_data_that_bypassed_the_forms():
    application = application_in_state(AppState.SCREENING)
    Application.objects.filter(pk=application.pk).update(tax_id_type="ein")
    application.tax_id = "000000000"
    application.save(update_fields=["tax_id"])
    application.bank_account.routing_number = "021000022"
    application.bank_account.save()
    results = run_checks(application)
    assert results["tax_id"].outcome == Outcome.FAIL
    assert results["tax_id"].details["tax_id"] == "•••• 0000"
    assert results["routing_number"].outcome == Outcome.FAIL
    assert application_advance(public_id=application.public_id) == AppState.IN_REVIEW


def test_sole_proprietor_tax_id_must_be_the_owners():
    application = draft_application(
        business={"entity_type": "sole_proprietorship", "tax_id_type": "ssn", "tax_id": "541-22-7816"}
    )
    assert run_checks(application)["tax_id"].outcome == Outcome.REVIEW


def test_a_missing_control_person_fails_the_ownership_check():
    application = draft_application()
    application.parties.update(is_control_person=False)
    result = run_checks(application)["ownership"]
    assert result.outcome == Outcome.FAIL and "parties" in result.details["problems"]


def test_with_every_check_passing_the_default_decision_approves(settings):
    from onboarding.kyc.checks import SanctionsNotRunCheck
    from onboarding.kyc.registry import CheckOutcome

    class PassingSanctions(SanctionsNotRunCheck):
        version = "test-pass"

        def run(self, application):
            return CheckOutcome.passed()

    with checks_replaced(PassingSanctions):
        application = submitted()
        assert application_advance(public_id=application.public_id) == AppState.APPROVED


def test_an_unknown_application_is_ignored():
    assert application_advance(public_id="app_doesnotexist") == ""


class TestDuplicates:
    def test_a_second_applicant_with_a_live_merchants_tax_id_goes_to_review_with_the_link(self):
        first = submitted()
        Merchant.objects.filter(pk=first.merchant_id).update(state="active")
        second = submitted()  # same data, another user: the database accepts it
        assert second.merchant_id != first.merchant_id
        assert application_advance(public_id=second.public_id) == AppState.IN_REVIEW
        result = current(second)["duplicates"]
        assert result.outcome == Outcome.REVIEW
        others = {(m["kind"], m["other"]) for m in result.details["matches"]}
        assert ("tax_id", first.public_id) in others and ("tax_id", first.merchant.public_id) in others
        assert ("bank_account", first.public_id) in others and ("person_id_number", first.public_id) in others
        assert "212543321" not in str(result.details)

    def test_a_sole_proprietors_ssn_matches_the_same_person_as_an_owner_elsewhere(self):
        owner_elsewhere = draft_application()
        sole = draft_application(
            business={"entity_type": "sole_proprietorship", "tax_id_type": "ssn", "tax_id": "212-54-3321"},
            parties=[{"first_name": "Wen", "last_name": "Zhao", "date_of_birth": "1980-05-17",
                      "ownership_percent": 100, "is_control_person": True, "title": "Owner",
                      "id_number_type": "ssn", "id_number": "212 54 3321", "address_line1": "1 Main St",
                      "address_city": "New York", "address_state": "NY", "address_postal_code": "10013"}],
            bank_account={"account_number": "555000111"},
        )  # fmt: skip
        matches = run_checks(sole)["duplicates"].details["matches"]
        assert {"kind": "person_id_number", "other": owner_elsewhere.public_id, "other_state": "draft",
                "same_merchant": False} in matches  # fmt: skip

    def test_a_new_duplicate_elsewhere_reruns_the_check(self):
        application = draft_application(documents=False, bank_account={"account_number": "777000111"})
        application.parties.all().delete()
        Application.objects.filter(pk=application.pk).update(tax_id_index="unique-index")
        assert run_checks(application)["duplicates"].outcome == Outcome.PASS
        draft_application(bank_account={"account_number": "777000111"})
        assert run_checks(application)["duplicates"].outcome == Outcome.REVIEW
