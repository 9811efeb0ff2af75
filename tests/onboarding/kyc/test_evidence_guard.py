"""The evidence guard: every approval path stands only on fresh, complete evidence, checked on the locked
row. Each way evidence can be stale or incomplete refuses the first approval, the second approval and
the automatic approval, and says what is wrong."""

import shutil
import tempfile
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import pytest

from onboarding.errors import InvalidTransition
from onboarding.kyc.evidence import EvidenceIncomplete, evidence_problems
from onboarding.kyc.pipeline import application_advance, run_checks
from onboarding.kyc.registry import Check, CheckOutcome
from onboarding.models import Application, CheckResult, Outcome, Party
from onboarding.services.actors import Actor
from onboarding.services.applications import application_approve, application_auto_approve, application_submit
from onboarding.services.kyc_rules import decision_policy_revise
from onboarding.states import AppState
from sanctions.hits import hit_clear, hit_confirm
from sanctions.models import SanctionsHit
from tests.conftest import checks_replaced
from tests.factories import officer
from tests.sanctions.integration.helpers import (
    CLEAN_OWNER,
    CONS_ROW,
    SAMPLE,
    application_with,
    load_folder,
    person,
    today,
)

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")


@pytest.fixture
def manual_policy(db):
    decision_policy_revise(actor=SYSTEM, note="officers decide", auto_approve_enabled=False)


def reviewed(*parties) -> Application:
    """Submitted and screened by the pipeline: in review with every check current."""
    application = application_with(*(parties or (CLEAN_OWNER,)))
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    return application


def current(application, name) -> CheckResult:
    return CheckResult.objects.get(application=application, check_name=name, is_current=True)


class ExtraCheck(Check):
    name = "zz_new_rule"
    reads = ("business",)

    def run(self, application):
        return CheckOutcome.passed()


def no_results_at_all(application):
    CheckResult.objects.filter(application=application).update(is_current=False)
    return "has not run"


def a_check_was_added_since(application):
    return "zz_new_rule: has not run"


def data_changed_since(application):
    Party.objects.filter(application=application).update(first_name="Dmitri")
    return "out of date"


def a_date_of_birth_changed_since(application):
    party = Party.objects.get(application=application)
    party.date_of_birth = date(1961, 1, 1)
    party.save()
    return "sanctions: out of date"


def a_result_failed(application):
    CheckResult.objects.filter(pk=current(application, "tax_id").pk).update(outcome=Outcome.FAIL)
    return "tax_id: failed"


def a_result_did_not_run(application):
    CheckResult.objects.filter(pk=current(application, "addresses").pk).update(outcome=Outcome.NOT_RUN)
    return "addresses: did not run"


def an_open_hit_at_review_level(application):
    result = current(application, "sanctions")
    SanctionsHit.objects.create(
        application=application,
        role="legal_name",
        subject_key="legal_name",
        target_key="uid:15102",
        kind="name",
        screened_name=application.legal_name,
        screened_hash="x",
        version_id=SanctionsHit._meta.get_field("version")
        .related_model.objects.get(public_id=result.details["list_version"])
        .pk,
        uid=15102,
        algorithm_version="test",
        score=0.9,
        matched_name="MORENO, Daniel",
    )
    return "sanctions: 1 hit(s) at or above the review threshold are still open"


NEW_ROW = (
    '99002,"QUINTERO, Example Listed","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 02 Mar 1961; nationality Mexico."\r\n'
)


def another_list_version_is_active(application):
    folder = Path(tempfile.mkdtemp()) / "with_one_more_entry"
    shutil.copytree(SAMPLE, folder)
    (folder / "cons_prim.csv").write_bytes(CONS_ROW.encode())
    with (folder / "sdn.csv").open("ab") as handle:
        handle.write(NEW_ROW.encode())
    assert load_folder(folder, publish_date=today()).version.is_active
    return "sanctions: screened against list"


STALE_OR_INCOMPLETE = [
    no_results_at_all,
    a_check_was_added_since,
    data_changed_since,
    a_date_of_birth_changed_since,
    a_result_failed,
    a_result_did_not_run,
    an_open_hit_at_review_level,
    another_list_version_is_active,
]


def test_fresh_complete_evidence_lets_an_officer_approve(fresh_list, manual_policy):
    application = reviewed()
    assert evidence_problems(application) == []
    assert application_approve(application=application, actor=Actor.for_user(officer())) == AppState.APPROVED


@pytest.mark.parametrize("spoil", STALE_OR_INCOMPLETE, ids=lambda f: f.__name__)
def test_an_officers_approval_is_refused_on_stale_or_incomplete_evidence(fresh_list, manual_policy, spoil):
    application = reviewed()
    with checks_replaced(ExtraCheck) if spoil is a_check_was_added_since else nullcontext():
        expected = spoil(application)
        with pytest.raises(EvidenceIncomplete) as refused:
            application_approve(application=application, actor=Actor.for_user(officer()))
    assert expected in refused.value.message
    assert any(expected in problem for problem in refused.value.fields["checks"])
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW


@pytest.mark.parametrize("spoil", STALE_OR_INCOMPLETE, ids=lambda f: f.__name__)
def test_the_second_approval_is_refused_on_stale_or_incomplete_evidence(fresh_list, manual_policy, spoil):
    application = reviewed()
    Application.objects.filter(pk=application.pk).update(requires_second_approval=True)
    first = officer("Senior compliance officer")
    assert (
        application_approve(application=application, actor=Actor.for_user(first)) == AppState.AWAITING_SECOND_APPROVAL
    )
    with checks_replaced(ExtraCheck) if spoil is a_check_was_added_since else nullcontext():
        spoil(application)
        with pytest.raises(EvidenceIncomplete):
            application_approve(application=application, actor=Actor.for_user(officer("Senior compliance officer")))
    assert Application.objects.get(pk=application.pk).state == AppState.AWAITING_SECOND_APPROVAL


@pytest.mark.parametrize("spoil", STALE_OR_INCOMPLETE, ids=lambda f: f.__name__)
def test_the_automatic_approval_is_refused_on_stale_or_incomplete_evidence(fresh_list, spoil):
    application = application_with(CLEAN_OWNER)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=AppState.SCREENING)
    run_checks(application)
    with checks_replaced(ExtraCheck) if spoil is a_check_was_added_since else nullcontext():
        spoil(application)
        with pytest.raises(EvidenceIncomplete):
            application_auto_approve(application=application, actor=SYSTEM, reasons=["the policy approves"])
    assert Application.objects.get(pk=application.pk).state == AppState.SCREENING


def test_an_approval_is_refused_while_the_application_is_still_in_screening(fresh_list):
    application = application_with(CLEAN_OWNER)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=AppState.SCREENING)
    with pytest.raises(InvalidTransition, match="in review"):
        application_approve(application=application, actor=Actor.for_user(officer()))
    assert Application.objects.get(pk=application.pk).state == AppState.SCREENING


def test_an_approval_is_refused_under_a_confirmed_sanctions_hit(fresh_list, manual_policy):
    application = reviewed(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    hit = SanctionsHit.objects.get(application=application, kind="name", is_current=True)
    hit_confirm(hit=hit, actor=Actor.for_user(officer()), reason="Same person: passport matches")
    assert current(application, "sanctions").outcome == Outcome.FAIL
    with pytest.raises(EvidenceIncomplete, match="confirmed"):
        application_approve(application=application, actor=Actor.for_user(officer()))


def test_an_approval_is_refused_while_a_review_level_hit_is_open_and_allowed_once_it_is_cleared(
    fresh_list, manual_policy
):
    application = reviewed(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    with pytest.raises(EvidenceIncomplete, match="still open"):
        application_approve(application=application, actor=Actor.for_user(officer()))
    hit = SanctionsHit.objects.get(application=application, kind="name", is_current=True)
    hit_clear(hit=hit, actor=Actor.for_user(officer()), reason="Different person: born in Ohio, passport seen")
    assert evidence_problems(application) == []
