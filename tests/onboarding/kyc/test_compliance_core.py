"""The compliance core as an examiner tries it: data changed under an information request is screened
again, four-eyes cannot be bypassed, re-screening and the pipeline never race an approval through, only
officers decline what officers had, and only a senior officer takes an approval back."""

import shutil
from unittest import mock

import pytest
from django.utils import timezone

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.kyc.decision import Decision
from onboarding.kyc.evidence import EvidenceIncomplete, evidence_problems
from onboarding.kyc.pipeline import application_advance, decision_apply, run_checks
from onboarding.models import Application, BankAccount, CheckResult, Event, InfoRequest, Outcome
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_approve,
    application_decline,
    application_reopen_for_sanctions_hit,
    application_request_info,
    application_return_to_review,
    application_submit,
)
from onboarding.services.drafts import application_update_draft
from onboarding.services.kyc_rules import decision_policy_revise
from onboarding.states import AppState
from onboarding.tasks import expire_info_requests
from sanctions.hits import hit_clear
from sanctions.models import SanctionsHit
from sanctions.rescreening import rescreen
from tests.factories import application_in_state, officer
from tests.sanctions.integration.helpers import CLEAN_OWNER, CONS_ROW, SAMPLE, application_with, load_folder, person

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")
SENIOR = "Senior compliance officer"
MORENO = person("Daniel", "Moreno", "1972-10-12", 60, ssn="318-60-9912")  # SDN 15102, exact date of birth
#: An individual the next list version adds (what an owner could become overnight).
NEWLY_LISTED_ROW = (
    '99003,"ZHAO, Wen","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 17 May 1980; nationality China."\r\n'
)


@pytest.fixture
def manual_policy(db):
    decision_policy_revise(actor=SYSTEM, note="officers decide", auto_approve_enabled=False)


def screened(*parties, **sections) -> Application:
    application = application_with(*(parties or (CLEAN_OWNER,)), **sections)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    return application


def sanctions_result(application) -> CheckResult:
    return CheckResult.objects.get(application=application, check_name="sanctions", is_current=True)


def test_a_listed_owner_added_during_an_information_request_is_screened_before_any_approval(fresh_list, manual_policy):
    application = screened()
    assert application.state == AppState.IN_REVIEW and sanctions_result(application).outcome == Outcome.PASS
    reviewer = Actor.for_user(officer())
    application_request_info(application=application, actor=reviewer, message="Who else owns the business?")

    merchant = Actor.for_user(application.applicant)
    owner = dict(CLEAN_OWNER, ownership_percent=40, public_id=application.parties.get().public_id)
    application_update_draft(application=application, actor=merchant, parties=[owner, MORENO])
    from onboarding.services.applications import application_answer_info

    application_answer_info(application=application, actor=merchant, answer="Daniel owns 60%.")
    application.refresh_from_db()
    assert application.state == AppState.SCREENING  # the system re-runs what changed, in the same transaction
    assert InfoRequest.objects.get(application=application).answered_at is not None

    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW  # back to the officer, never approved automatically
    assert sanctions_result(application).outcome == Outcome.FAIL
    assert SanctionsHit.objects.filter(application=application, uid=15102, is_current=True).exists()
    with pytest.raises(EvidenceIncomplete, match="sanctions"):
        application_approve(application=application, actor=reviewer)


def test_an_answer_with_nothing_changed_goes_straight_back_to_the_officer(fresh_list, manual_policy):
    application = screened()
    application_request_info(application=application, actor=Actor.for_user(officer()), message="Any other stores?")
    from onboarding.services.applications import application_answer_info

    application_answer_info(application=application, actor=Actor.for_user(application.applicant), answer="No.")
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    assert evidence_problems(application) == []


def test_clearing_a_review_level_hit_requires_a_second_approval_by_another_senior_officer(fresh_list, manual_policy):
    application = screened(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    assert application.state == AppState.IN_REVIEW and not application.requires_second_approval
    clearing = officer(SENIOR)
    hit = SanctionsHit.objects.get(application=application, kind="name", is_current=True)
    hit_clear(hit=hit, actor=Actor.for_user(clearing), reason="Different person: passport and birthplace seen")
    application.refresh_from_db()
    assert application.requires_second_approval  # set in the clearance's own transaction
    assert Event.objects.filter(application=application, action="second_approval_required").exists()

    assert application_approve(application=application, actor=Actor.for_user(clearing)) == (
        AppState.AWAITING_SECOND_APPROVAL
    )
    with pytest.raises(PermissionDenied, match="different officer"):
        application_approve(application=application, actor=Actor.for_user(clearing))
    with pytest.raises(PermissionDenied, match="second approval"):
        application_approve(application=application, actor=Actor.for_user(officer()))
    assert application_approve(application=application, actor=Actor.for_user(officer(SENIOR))) == AppState.APPROVED


def test_the_approval_target_is_decided_on_the_locked_row(approvable):
    application = approvable(application_in_state(AppState.IN_REVIEW, has_been_in_review=True))
    stale_copy = Application.objects.get(pk=application.pk)
    # Meanwhile, another transaction decides that two officers must approve.
    Application.objects.filter(pk=application.pk).update(requires_second_approval=True)
    reached = application_approve(application=stale_copy, actor=Actor.for_user(officer(SENIOR)))
    assert reached == AppState.AWAITING_SECOND_APPROVAL


def test_no_later_rerun_unsets_a_required_second_approval(fresh_list, manual_policy):
    application = screened(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    hit = SanctionsHit.objects.get(application=application, kind="name", is_current=True)
    hit_clear(hit=hit, actor=Actor.for_user(officer()), reason="Different person")
    from onboarding.services.applications import application_rerun_checks

    application_rerun_checks(application=application, actor=Actor.for_user(officer()))
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW and application.requires_second_approval


def newly_listed_version(tmp_path):
    folder = tmp_path / "next_version"
    shutil.copytree(SAMPLE, folder)
    (folder / "cons_prim.csv").write_bytes(CONS_ROW.encode())
    with (folder / "sdn.csv").open("ab") as handle:
        handle.write(NEWLY_LISTED_ROW.encode())
    return folder


def test_a_list_version_that_lists_an_owner_while_the_pipeline_runs_ends_in_review_with_the_hit(
    fresh_list, tmp_path, monkeypatch
):
    application = application_with(CLEAN_OWNER)  # Wen Zhao, born 1980-05-17: clean on the first version
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    loaded = []

    def list_update_between_checks_and_decision(name):
        if name == "pipeline-before-decision" and not loaded:
            loaded.append(load_folder(newly_listed_version(tmp_path)).version)
            rescreen(version=loaded[0])  # the re-screen of in-flight applications runs now too

    monkeypatch.setattr("onboarding.kyc.pipeline.pause_point", list_update_between_checks_and_decision)
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert loaded, "the list was loaded between the checks and the decision"
    assert application.state == AppState.IN_REVIEW
    hit = SanctionsHit.objects.get(application=application, uid=99003, is_current=True)
    assert hit.status == "open" and not hit.near_miss
    assert sanctions_result(application).details["list_version"] == loaded[0].public_id


def test_a_decision_on_evidence_older_than_the_latest_screening_is_dropped(fresh_list, tmp_path):
    application = application_with(CLEAN_OWNER)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=AppState.SCREENING)
    run_checks(application)
    version = load_folder(newly_listed_version(tmp_path)).version
    rescreen(version=version)
    from onboarding.kyc.pipeline import EvidenceChanged

    with pytest.raises(EvidenceChanged) as dropped:
        decision_apply(application=application, decision=Decision(AppState.APPROVED, ["every check passed"]))
    assert "sanctions" in dropped.value.checks
    assert Application.objects.get(pk=application.pk).state == AppState.SCREENING


def test_after_an_officer_has_had_an_application_the_system_never_declines_it(approvable):
    application = approvable(application_in_state(AppState.SCREENING, has_been_in_review=True))
    decision_apply(application=application, decision=Decision(AppState.DECLINED, ["a declining check failed"]))
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    reasons = Event.objects.filter(application=application, action="review_reasons").last().details["reasons"]
    assert any("an officer decides" in reason for reason in reasons)
    with pytest.raises(InvalidTransition, match="only an officer declines"):
        Application.objects.filter(pk=application.pk).update(state=AppState.SCREENING)
        application_decline(application=application, actor=SYSTEM, reason_code="checks_failed")


def test_an_officer_still_declines_what_officers_had():
    application = application_in_state(AppState.IN_REVIEW, has_been_in_review=True)
    application_decline(application=application, actor=Actor.for_user(officer()), reason_code="risk_too_high")
    assert Application.objects.get(pk=application.pk).state == AppState.DECLINED


@pytest.mark.parametrize("state", [AppState.APPROVED, AppState.BOARDING, AppState.BOARDING_FAILED])
def test_only_a_senior_officer_takes_an_approval_back_and_says_why(state):
    application = application_in_state(state, has_been_in_review=True)
    with pytest.raises(PermissionDenied, match="take back an approval"):
        application_return_to_review(application=application, actor=Actor.for_user(officer()), note="changed my mind")
    senior = Actor.for_user(officer(SENIOR))
    with pytest.raises(ValidationFailed):
        application_return_to_review(application=application, actor=senior, note=" ")
    assert Application.objects.get(pk=application.pk).state == state
    application_return_to_review(application=application, actor=senior, note="The bank letter is forged.")
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW
    assert Event.objects.filter(application=application, action="approval_taken_back").exists()


def test_the_new_hit_edge_serves_only_re_screening():
    application = application_in_state(AppState.APPROVED)
    with pytest.raises(PermissionDenied):
        application_reopen_for_sanctions_hit(application=application, actor=Actor.for_user(officer()), details={})
    assert Application.objects.get(pk=application.pk).state == AppState.APPROVED


def test_submit_judges_completeness_on_the_locked_row():
    application = application_in_state(AppState.DRAFT)
    complete_copy = Application.objects.get(pk=application.pk)
    BankAccount.objects.filter(application=application).delete()  # an edit lands before the submit locks
    with pytest.raises(ValidationFailed) as refused:
        application_submit(application=complete_copy, actor=Actor.for_user(application.applicant))
    assert "bank_account.account_number" in refused.value.fields
    assert Application.objects.get(pk=application.pk).state == AppState.DRAFT


def test_expiry_carries_on_past_an_application_that_cannot_expire():
    past = timezone.now() - timezone.timedelta(days=1)
    first, second = (application_in_state(AppState.INFO_REQUESTED, has_been_in_review=True) for _ in range(2))
    for application in (first, second):
        InfoRequest.objects.create(application=application, message="?", requested_by=officer(), due_at=past)
    from onboarding.services import applications as services

    real = services.application_expire
    calls = []

    def moved_on_first(*, application, actor):
        calls.append(application.pk)
        if len(calls) == 1:
            raise InvalidTransition("It moved on meanwhile.")
        return real(application=application, actor=actor)

    with mock.patch("onboarding.tasks.application_expire", moved_on_first):
        assert expire_info_requests() == 1
    assert len(calls) == 2
    states = set(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == {AppState.INFO_REQUESTED, AppState.EXPIRED}


def test_a_changed_review_threshold_reaches_stored_near_misses(fresh_list, manual_policy, settings):
    settings.SANCTIONS_REVIEW_THRESHOLD = 0.97
    application = screened(person("Dmitri", "Khoroshev", "1993-04-17", 100, True))
    hit = SanctionsHit.objects.get(application=application, uid=48603, is_current=True)
    assert hit.near_miss and 0.87 < hit.score < 0.97 and sanctions_result(application).outcome == Outcome.PASS
    assert sanctions_result(application).details["thresholds"]["review"] == 0.97

    settings.SANCTIONS_REVIEW_THRESHOLD = 0.87
    # An approval before the checks ran again would stand on results taken at the old threshold.
    with pytest.raises(EvidenceIncomplete, match="sanctions: out of date"):
        application_approve(application=application, actor=Actor.for_user(officer()))
    results = run_checks(application)
    assert results["sanctions"].outcome == Outcome.REVIEW
    assert results["sanctions"].details["thresholds"]["review"] == settings.SANCTIONS_REVIEW_THRESHOLD
    reclassed = SanctionsHit.objects.get(application=application, uid=48603, is_current=True)
    assert not reclassed.near_miss and reclassed.pk != hit.pk
    # The same person on a new application gets the same answer.
    other = screened(person("Dmitri", "Khoroshev", "1993-04-17", 100, True, ssn="318-60-9913"))
    assert sanctions_result(other).outcome == Outcome.REVIEW
